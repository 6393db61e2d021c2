"""The audit record's HMAC key, kept outside the database.

Whoever can write to the database can rewrite the hash chain and recompute every
hash after a change; only a key the database never holds tells a genuine entry
from a recomputed one. The key comes from ``POSTGUARD_AUDIT_KEY`` or from a file
named by ``POSTGUARD_AUDIT_KEY_FILE``; outside production mode, when neither is
set, it is made on first use in ``<data dir>/audit_key`` (mode 0600). Several
comma-separated keys rotate: the first signs, all verify (each entry and
checkpoint names the key it was signed with by a short key id).

Make a key with ``python -m postguard.web.audit.keys``.

Nothing here logs or puts a key in an exception message.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from postguard.web.paths import data_dir

ENV_KEY = "POSTGUARD_AUDIT_KEY"
ENV_KEY_FILE = "POSTGUARD_AUDIT_KEY_FILE"
KEY_FILE_NAME = "audit_key"
MIN_KEY_CHARS = 32


class AuditKeyError(RuntimeError):
    """The audit key is missing, unreadable or too short. The message says how to fix it."""


def generate_key() -> str:
    return secrets.token_urlsafe(32)


def production(environ: Mapping[str, str]) -> bool:
    return environ.get("POSTGUARD_PRODUCTION", "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True, slots=True)
class AuditKey:
    key_id: str
    secret: bytes = field(repr=False)

    @classmethod
    def from_text(cls, text: str) -> AuditKey:
        secret = text.encode("utf-8")
        # A public name for the key, so that verify can tell "another key" from "altered".
        key_id = hashlib.sha256(b"postguard audit key id\0" + secret).hexdigest()[:16]
        return cls(key_id, secret)

    def sign(self, purpose: str, message: str) -> str:
        # The purpose keeps an entry's MAC from ever being valid as a checkpoint's.
        data = f"postguard-audit/{purpose}\0{message}".encode()
        return hmac.new(self.secret, data, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditKeys:
    signing: AuditKey
    by_id: dict[str, AuditKey]

    def __repr__(self) -> str:
        return f"AuditKeys(<{len(self.by_id)} keys hidden>)"

    def check(self, key_id: str, purpose: str, message: str, mac: str) -> bool | None:
        """True when ``mac`` is right, False when wrong, None when no configured key has that id."""
        key = self.by_id.get(key_id)
        if key is None:
            return None
        return hmac.compare_digest(key.sign(purpose, message), mac)


def default_key_file(folder: Path | None = None) -> Path:
    return (folder or data_dir()) / KEY_FILE_NAME


def ensure_key_file(folder: Path | None = None) -> bool:
    """Make ``<data dir>/audit_key`` if it does not exist; True when it was made now."""
    path = default_key_file(folder)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return False
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(generate_key())
    return True


def _read_text(environ: Mapping[str, str]) -> str:
    value = environ.get(ENV_KEY, "").strip()
    named = environ.get(ENV_KEY_FILE, "").strip()
    if value and named:
        raise AuditKeyError(f"set {ENV_KEY} or {ENV_KEY_FILE}, not both")
    if value:
        return value
    if not named and production(environ):
        raise AuditKeyError(
            f"POSTGUARD_PRODUCTION is set but the audit record has no key: set {ENV_KEY} (or "
            f"{ENV_KEY_FILE}) to the output of `python -m postguard.web.audit.keys`, kept outside "
            "the database and its backups"
        )
    path = Path(named) if named else default_key_file()
    if not named:
        ensure_key_file(path.parent)
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise AuditKeyError(f"the audit key file {path} cannot be read ({exc.strerror})") from None


_cache: dict[tuple[str, ...], AuditKeys] = {}


def load(environ: Mapping[str, str] | None = None) -> AuditKeys:
    """The configured keys; the first signs. Read once per configuration."""
    env = os.environ if environ is None else environ
    where = (
        env.get(ENV_KEY, ""),
        env.get(ENV_KEY_FILE, ""),
        str(production(env)),
        str(data_dir()),
    )
    if where in _cache:
        return _cache[where]
    texts = [t.strip() for t in _read_text(env).split(",") if t.strip()]
    if not texts:
        raise AuditKeyError(f"{ENV_KEY} holds no key")
    for i, text in enumerate(texts, start=1):
        if len(text) < MIN_KEY_CHARS:
            raise AuditKeyError(
                f"audit key {i} is shorter than {MIN_KEY_CHARS} characters; make one with "
                "`python -m postguard.web.audit.keys`"
            )
    keys = [AuditKey.from_text(t) for t in texts]
    loaded = AuditKeys(keys[0], {k.key_id: k for k in keys})
    _cache[where] = loaded
    return loaded


if __name__ == "__main__":
    print(generate_key())
