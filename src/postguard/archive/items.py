"""What an archive reader yields: items to check, and problems with what it could not read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

ItemKind = Literal["post", "reply", "comment"]
NETWORKS = ("facebook", "instagram", "x", "mastodon", "bluesky", "linkedin")


@dataclass(frozen=True, slots=True)
class ArchiveItem:
    """One past post, reply or comment, as an archive (or a network's history) holds it.

    ``date`` is UTC in ISO 8601 (``2019-03-01T08:15:00Z``) or None when the archive
    gives none; ``url`` is the post's public address when the archive lets us know it.
    """

    network: str
    remote_id: str
    url: str | None
    date: str | None
    text: str
    kind: ItemKind = "post"

    @property
    def id(self) -> str:
        return f"{self.network}:{self.remote_id}"

    @property
    def year(self) -> str:
        return self.date[:4] if self.date else "unknown"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "network": self.network,
            "remote_id": self.remote_id,
            "url": self.url,
            "date": self.date,
            "kind": self.kind,
            "text": self.text,
        }


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """Something a reader could not read: a whole file (``item`` None) or one item of it.

    ``source`` names the file (inside the zip when there is one); ``item`` is the
    item's position in that file (1-based) or its id when it has one.
    """

    source: str
    message: str
    item: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "item": self.item, "error": self.message}

    def __str__(self) -> str:
        where = f"{self.source} item {self.item}" if self.item else self.source
        return f"{where}: {self.message}"


Entry = ArchiveItem | ReadProblem


def iso_utc(moment: datetime) -> str:
    """``moment`` in UTC as ``YYYY-MM-DDTHH:MM:SSZ`` (naive times are taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_timestamp(value: Any) -> str:
    """Seconds since the epoch (an int, float or digit string) as UTC ISO 8601."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"a timestamp must be a number, not {type(value).__name__}")
    seconds = float(value)
    if not 0 <= seconds < 253402300800:  # year 10000
        raise ValueError(f"timestamp {value!r} is out of range")
    return iso_utc(datetime.fromtimestamp(seconds, UTC))
