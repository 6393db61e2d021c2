"""Channel secrets encrypted at rest with Fernet (AES-128-CBC + HMAC-SHA256).

The key comes from the environment: ``POSTGUARD_SECRETS_KEY`` or a file named
by ``POSTGUARD_SECRETS_KEY_FILE`` (for Docker/Kubernetes secrets). Several
comma-separated keys rotate: the first encrypts, all decrypt, and
:meth:`SecretBox.rotate` re-encrypts a stored token under the first.

Make a key with ``python -m postguard.connectors.crypto``.

Nothing here logs or puts a secret or a key in an exception message.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from postguard.connectors.base import Credentials

ENV_KEY = "POSTGUARD_SECRETS_KEY"
ENV_KEY_FILE = "POSTGUARD_SECRETS_KEY_FILE"


class SecretsKeyError(RuntimeError):
    """The encryption key is missing or malformed. The message says how to fix it."""


class DecryptionError(RuntimeError):
    """A stored secret could not be decrypted: wrong key, or the data was altered."""


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")


def _read_keys(environ: Mapping[str, str]) -> list[str]:
    value = environ.get(ENV_KEY, "").strip()
    path = environ.get(ENV_KEY_FILE, "").strip()
    if value and path:
        raise SecretsKeyError(f"set {ENV_KEY} or {ENV_KEY_FILE}, not both")
    if path:
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise SecretsKeyError(
                f"{ENV_KEY_FILE} names {path}, which cannot be read ({exc.strerror})"
            ) from None
    if not value:
        raise SecretsKeyError(
            f"channel secrets need an encryption key: set {ENV_KEY} (or {ENV_KEY_FILE}) to the "
            "output of `python -m postguard.connectors.crypto`, and keep it out of the database "
            "and the repository"
        )
    return [k.strip() for k in value.split(",") if k.strip()]


class SecretBox:
    """Encrypts and decrypts channel credentials."""

    def __init__(self, keys: list[str]) -> None:
        fernets = []
        for i, key in enumerate(keys, start=1):
            try:
                fernets.append(Fernet(key.encode("ascii")))
            except (ValueError, UnicodeEncodeError):
                raise SecretsKeyError(
                    f"key {i} in {ENV_KEY} is not a Fernet key (32 url-safe base64-encoded "
                    "bytes); make one with `python -m postguard.connectors.crypto`"
                ) from None
        if not fernets:
            raise SecretsKeyError(f"{ENV_KEY} holds no key")
        self._fernet = MultiFernet(fernets)

    def __repr__(self) -> str:
        return "SecretBox(<keys hidden>)"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SecretBox:
        return cls(_read_keys(os.environ if environ is None else environ))

    def encrypt(self, credentials: Credentials) -> str:
        payload = {
            "v": 1,
            "secrets": credentials.secrets,
            "expires_at": credentials.expires_at.isoformat() if credentials.expires_at else None,
        }
        data = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8")
        return self._fernet.encrypt(data).decode("ascii")

    def decrypt(self, token: str) -> Credentials:
        try:
            data = self._fernet.decrypt(token.encode("ascii"))
        except (InvalidToken, UnicodeEncodeError):
            raise DecryptionError(
                "a channel's stored credentials cannot be decrypted with the configured key "
                f"({ENV_KEY}); restore the key they were encrypted with, or reconnect the channel"
            ) from None
        payload = json.loads(data)
        expires = payload.get("expires_at")
        return Credentials(
            secrets={str(k): str(v) for k, v in payload.get("secrets", {}).items()},
            expires_at=datetime.fromisoformat(expires) if expires else None,
        )

    def rotate(self, token: str) -> str:
        """Re-encrypt ``token`` under the first (current) key."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken:
            raise DecryptionError("cannot rotate: no configured key decrypts this token") from None


if __name__ == "__main__":
    print(generate_key())
