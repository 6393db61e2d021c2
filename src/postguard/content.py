"""What the engine checks: a piece of content and the context it is posted in.

These types are the engine's input contract (see DESIGN.md). They are plain,
immutable dataclasses so that the engine stays deterministic and usable as a
library without Django.
"""

from __future__ import annotations

import re
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
#: More attachments than any network takes on one post.
MAX_MEDIA = 20
#: Alt text, consent references and credits are short; this bounds them.
MAX_MEDIA_FIELD_CHARS = 10_000

#: Characters that show nothing: whitespace, controls, zero-width and
#: joiner characters, bidi marks, variation selectors, fillers and tags.
#: A text made only of these is empty, however long it is.
_INVISIBLE = (
    r"\s\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    r"\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0"
    r"\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f"
    r"\U000e0100-\U000e01ef"
)
_VISIBLE = re.compile(f"[^{_INVISIBLE}]")


class ContentError(ValueError):
    """The content cannot be checked (empty, too long, unreadable media)."""


class MediaError(ContentError):
    """An attachment cannot be checked: unreadable, not an image, corrupt, too large.

    A subclass of :class:`ContentError`, so code that catches that still
    catches this; the message is one line naming the attachment.
    """


def is_blank(text: str) -> bool:
    """True when ``text`` would show nothing: only whitespace or invisible characters."""
    return _VISIBLE.search(text) is None


def check_text(
    text: object, what: str, limit: int, error: type[ContentError] = ContentError
) -> str:
    """``text`` if it is a string a person could have written; else ContentError.

    Refuses a non-string, more than ``limit`` characters, a lone surrogate
    (it cannot be stored, printed or sent as UTF-8) and a NUL character
    (PostgreSQL cannot store it and no keyboard types it).
    """
    if not isinstance(text, str):
        raise error(f"{what} must be a string, not {type(text).__name__}")
    if len(text) > limit:
        raise error(f"{what} is {len(text):,} characters; the limit is {limit:,}")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise error(
            f"{what} is not valid Unicode (a lone surrogate at character {exc.start + 1})"
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise error(f"{what} contains a NUL character (at character {nul + 1})")
    return text


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
                shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
                raise ContentError(f"{name} must be one of {', '.join(allowed)}, not {shown}")


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
                raise MediaError(f"media is {len(self.data)} bytes; the limit is {max_bytes}")
            return self.data
        if self.path is None:
            raise MediaError("media has neither a path nor data")
        try:
            with open(self.path, "rb") as handle:
                blob = handle.read(max_bytes + 1)
        except OSError as exc:
            raise MediaError(f"cannot read media {self.label}: {exc.strerror or exc}") from exc
        except ValueError as exc:
            # open() refuses a path with a NUL byte with ValueError, not OSError.
            raise MediaError(f"cannot read media {self.label}: {exc}") from exc
        if len(blob) > max_bytes:
            raise MediaError(f"media {self.label} is larger than the limit of {max_bytes} bytes")
        return blob

    def validate(self, number: int = 1) -> None:
        """Refuse an attachment whose fields are not plain, bounded text."""
        where = f"attachment {number}"
        if self.path is not None:
            check_text(self.path, f"{where}'s path", 4096, MediaError)
            if not self.path:
                raise MediaError(f"{where} has an empty path")
        if self.data is not None and not isinstance(self.data, bytes):
            raise MediaError(f"{where}'s data must be bytes, not {type(self.data).__name__}")
        check_text(self.kind, f"{where}'s kind", 100, MediaError)
        check_text(self.alt, f"{where}'s alt text", MAX_MEDIA_FIELD_CHARS, MediaError)
        for name in ("consent", "credit"):
            value = getattr(self, name)
            if value is not None:
                check_text(value, f"{where}'s {name}", MAX_MEDIA_FIELD_CHARS, MediaError)

    @property
    def label(self) -> str:
        if self.path:
            # A path is quoted when it holds a line break or a control
            # character, so that an error naming it stays on one line.
            return self.path if self.path.isprintable() else repr(self.path)
        return f"<{self.kind} {len(self.data or b'')} bytes>"


@dataclass(frozen=True, slots=True)
class Content:
    """A post, reply or comment: its text, its media and its context."""

    text: str
    media: tuple[Media, ...] = ()
    context: Context = field(default_factory=Context)

    def validate(self) -> None:
        """Refuse content the engine must not silently pass.

        Every check here is linear in the input, and the length is checked
        before anything reads the text, so a huge input is refused at once.
        """
        check_text(self.text, "the post", MAX_TEXT_CHARS)
        if not isinstance(self.media, tuple):
            raise ContentError("media must be a tuple of Media")
        if len(self.media) > MAX_MEDIA:
            raise ContentError(
                f"the post has {len(self.media)} attachments; the limit is {MAX_MEDIA}"
            )
        for number, item in enumerate(self.media, 1):
            if not isinstance(item, Media):
                raise ContentError(f"attachment {number} is not a Media")
            item.validate(number)
        if is_blank(self.text) and not self.media:
            raise ContentError("the post is empty: there is no text and no media to check")
