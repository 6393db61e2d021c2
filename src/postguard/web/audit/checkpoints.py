"""Signed checkpoints of the chain's head, kept outside the database.

A checkpoint says "at this time the record held N entries and entry N's hash was
H", with an HMAC under the audit key. Entry N's hash pins every entry before it,
so a record that was rewritten, cut short or wiped after a checkpoint no longer
matches it, even when every hash and MAC inside the database has been made to
agree. They are small JSON files in ``POSTGUARD_AUDIT_CHECKPOINT_DIR`` (default
``<data dir>/audit-checkpoints``), and mailed to the committee chairs so that a
copy lives where the server's administrators cannot reach.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from postguard.web.audit.keys import AuditKey, AuditKeys
from postguard.web.paths import data_dir

ENV_DIR = "POSTGUARD_AUDIT_CHECKPOINT_DIR"
FORMAT = "postguard-audit-checkpoint/1"
PURPOSE = "checkpoint"
#: A checkpoint is a few hundred bytes; anything much larger is not one.
MAX_BYTES = 4096
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX16 = re.compile(r"[0-9a-f]{16}")
SIGNED_FIELDS = ("format", "seq", "entries", "head", "unsealed", "at", "key_id")


def directory() -> Path:
    configured = os.environ.get(ENV_DIR, "").strip()
    return Path(configured).resolve() if configured else data_dir() / "audit-checkpoints"


def _message(data: dict[str, Any]) -> str:
    return json.dumps({k: data[k] for k in SIGNED_FIELDS}, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Checkpoint:
    seq: int
    entries: int
    head: str
    #: How many entries at the start of the record predate the audit key (no MAC).
    unsealed: int
    at: datetime
    key_id: str
    mac: str
    #: Where it was read from (empty for one not yet written).
    source: str = ""

    @classmethod
    def make(
        cls, key: AuditKey, *, seq: int, entries: int, head: str, unsealed: int, at: datetime
    ) -> Checkpoint:
        # Whole seconds: the file holds whole seconds, and the MAC is over the file's fields.
        moment = at.astimezone(UTC).replace(microsecond=0)
        unsigned = cls(seq, entries, head, unsealed, moment, key.key_id, "")
        return replace(unsigned, mac=key.sign(PURPOSE, _message(unsigned.as_json())))

    def as_json(self) -> dict[str, Any]:
        data = {
            "format": FORMAT,
            "seq": self.seq,
            "entries": self.entries,
            "head": self.head,
            "unsealed": self.unsealed,
            "at": self.at.astimezone(UTC).isoformat(timespec="seconds"),
            "key_id": self.key_id,
        }
        if self.mac:
            data["mac"] = self.mac
        return data

    def text(self) -> str:
        return json.dumps(self.as_json(), indent=2) + "\n"

    def file_name(self) -> str:
        return f"checkpoint-{self.seq:012d}-{self.at.astimezone(UTC):%Y%m%dT%H%M%SZ}.json"

    @property
    def name(self) -> str:
        return Path(self.source).name if self.source else self.file_name()

    def authentic(self, keys: AuditKeys) -> bool | None:
        """True when signed by a configured key, False when not, None when its key is unknown."""
        return keys.check(self.key_id, PURPOSE, _message(self.as_json()), self.mac)


class UnreadableCheckpoint(ValueError):
    """A file that is not a well-formed checkpoint; the message says what is wrong."""


def parse(text: str, source: str = "") -> Checkpoint:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise UnreadableCheckpoint("it is not JSON") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UnreadableCheckpoint(f"it is not a {FORMAT} file")
    numbers = {k: data.get(k) for k in ("seq", "entries", "unsealed")}
    for name, value in numbers.items():
        if type(value) is not int or not 0 <= value < 2**63:
            raise UnreadableCheckpoint(f"its {name} is not a whole number")
    head, key_id, mac, at = (data.get(k) for k in ("head", "key_id", "mac", "at"))
    if not isinstance(head, str) or not _HEX64.fullmatch(head):
        raise UnreadableCheckpoint("its head is not a sha256 hash")
    if not isinstance(key_id, str) or not _HEX16.fullmatch(key_id):
        raise UnreadableCheckpoint("its key_id is malformed")
    if not isinstance(mac, str) or not _HEX64.fullmatch(mac):
        raise UnreadableCheckpoint("its mac is malformed")
    try:
        moment = datetime.fromisoformat(at) if isinstance(at, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise UnreadableCheckpoint("its time is not an ISO 8601 time with a zone")
    return Checkpoint(
        numbers["seq"],  # type: ignore[arg-type]
        numbers["entries"],  # type: ignore[arg-type]
        head,
        numbers["unsealed"],  # type: ignore[arg-type]
        moment,
        key_id,
        mac,
        source,
    )


def read(path: Path) -> Checkpoint:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UnreadableCheckpoint(f"it cannot be read ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise UnreadableCheckpoint(f"it is larger than {MAX_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableCheckpoint("it is not UTF-8 text") from None
    return parse(text, str(path))


def files(paths: Iterable[Path]) -> Iterator[Path]:
    """The checkpoint files named: a file as is, a directory's checkpoint-*.json files."""
    for path in paths:
        if path.is_dir():
            yield from sorted(path.glob("checkpoint-*.json"))
        elif path.exists():
            yield path


def write(checkpoint: Checkpoint, folder: Path) -> Path:
    """Write atomically (a reader never sees half a checkpoint)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = folder / checkpoint.file_name()
    partial = folder / f".{target.name}.partial"
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(checkpoint.text())
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, target)
    return target
