"""What the engine checks: a piece of content and the context it is posted in.

These types are the engine's input contract (see DESIGN.md). They are plain,
immutable dataclasses so that the engine stays deterministic and usable as a
library without Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Account = Literal["official", "personal"]
Kind = Literal["post", "reply", "comment"]
Audience = Literal["public", "closed"]
Direction = Literal["outbound", "inbound"]

ACCOUNTS: tuple[Account, ...] = ("official", "personal")
KINDS: tuple[Kind, ...] = ("post", "reply", "comment")
AUDIENCES: tuple[Audience, ...] = ("public", "closed")
DIRECTIONS: tuple[Direction, ...] = ("outbound", "inbound")

#: A text longer than this is refused rather than checked: nothing legitimate
#: on a social network is this long, and it bounds the engine's work.
MAX_TEXT_CHARS = 200_000


class ContentError(ValueError):
    """The content cannot be checked (empty, too long, unreadable media)."""


@dataclass(frozen=True, slots=True)
class Context:
    """Where the content is going (or, for inbound, where it came from).

    ``account``: an official channel of the association, or a member's
    personal account. ``kind``: a top-level post, a reply we write, or a
    comment in a thread. ``audience``: public, or a closed group / direct
    channel. ``direction``: ``outbound`` for what we are about to publish,
    ``inbound`` for what someone else wrote to us (the inbox).
    """

    account: Account = "personal"
    kind: Kind = "post"
    audience: Audience = "public"
    direction: Direction = "outbound"

    def __post_init__(self) -> None:
        for name, allowed in (
            ("account", ACCOUNTS),
            ("kind", KINDS),
            ("audience", AUDIENCES),
            ("direction", DIRECTIONS),
        ):
            value = getattr(self, name)
            if value not in allowed:
                raise ContentError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")


@dataclass(frozen=True, slots=True)
class Media:
    """An attached image (or other media item).

    Either ``path`` or ``data`` holds the bytes. ``consent`` is a reference to
    a recorded consent (a form number, "consent on file 2024-113"), ``credit``
    names the creator when the image is someone else's work.
    """

    path: str | None = None
    data: bytes | None = None
    kind: str = "image"
    alt: str = ""
    consent: str | None = None
    credit: str | None = None

    def read(self, max_bytes: int) -> bytes:
        """The media's bytes, refusing anything larger than ``max_bytes``."""
        if self.data is not None:
            if len(self.data) > max_bytes:
                raise ContentError(f"media is {len(self.data)} bytes; the limit is {max_bytes}")
            return self.data
        if self.path is None:
            raise ContentError("media has neither a path nor data")
        try:
            with open(self.path, "rb") as handle:
                blob = handle.read(max_bytes + 1)
        except OSError as exc:
            raise ContentError(f"cannot read media {self.path}: {exc.strerror or exc}") from exc
        if len(blob) > max_bytes:
            raise ContentError(f"media {self.path} is larger than the limit of {max_bytes} bytes")
        return blob

    @property
    def label(self) -> str:
        return self.path or f"<{self.kind} {len(self.data or b'')} bytes>"


@dataclass(frozen=True, slots=True)
class Content:
    """A post, reply or comment: its text, its media and its context."""

    text: str
    media: tuple[Media, ...] = ()
    context: Context = field(default_factory=Context)

    def validate(self) -> None:
        """Refuse content the engine must not silently pass."""
        if not isinstance(self.text, str):
            raise ContentError("text must be a string")
        if not self.text.strip() and not self.media:
            raise ContentError("the post is empty: there is no text and no media to check")
        if len(self.text) > MAX_TEXT_CHARS:
            raise ContentError(
                f"the post is {len(self.text):,} characters; the limit is {MAX_TEXT_CHARS:,}"
            )
