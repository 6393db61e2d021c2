"""The connector contract: what postguard asks of every social network.

Plain Python, no Django: the web workspace and the worker call connectors
through this interface, and store what they return in their own models.

A connector publishes one :class:`OutgoingPost` to one channel (an account on
one network), deletes it, pulls inbound replies/comments/mentions since a
cursor, and reads per-post and account metrics. Each connector says what its
network supports in :class:`Capabilities`, which the workspace shows, and
checks a post against its network's limits in :meth:`Connector.validate`
before anything is sent.

Errors are classified so that callers know what to do next:

* :class:`ValidationError` -- the post breaks the network's limits; the list
  of problems says what to change. Nothing was sent.
* :class:`AuthError` / :class:`TokenExpired` -- the channel's credentials do
  not work any more; the channel's owner must reconnect it.
* :class:`TransientError` / :class:`RateLimited` -- try again later
  (``retry_after`` seconds, when the network said). For a call that creates
  something, *look it up first* (:meth:`Connector.find_published`): the
  request may have reached the network before the failure.
* :class:`PermanentError` -- the network refused; retrying will not help.
"""

from __future__ import annotations

import abc
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Literal

InboundKind = Literal["reply", "comment", "mention"]


# -- what goes out ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Image:
    """An image to attach, with the alt text that describes it to people who cannot see it."""

    data: bytes = field(repr=False)
    alt: str = ""
    mime: str = "image/jpeg"

    def __repr__(self) -> str:
        return f"Image({len(self.data)} bytes, mime={self.mime!r}, alt={self.alt!r})"


@dataclass(frozen=True, slots=True)
class OutgoingPost:
    """A post as it leaves postguard for one channel.

    ``link`` is a URL to share with the post; networks that take a link
    separately (Facebook) get it that way, the others get it appended to
    the text unless the text already contains it (see :func:`compose_text`).
    ``reply_to`` is the remote id of the post being replied to, as returned
    in :attr:`Published.remote_id` or :attr:`InboundItem.remote_id`.
    """

    text: str
    images: tuple[Image, ...] = ()
    link: str | None = None
    reply_to: str | None = None
    #: A private message to this account (handle or id) instead of a post; only where
    #: the connector's capabilities say ``private_messages`` (see connectors/direct.py).
    direct_to: str | None = None


#: The issue calls the thing an author writes a draft; it is the same value.
PostDraft = OutgoingPost


def compose_text(post: OutgoingPost) -> str:
    """The text as published: the link is appended when the text does not already contain it."""
    if post.link and post.link not in post.text:
        return f"{post.text.rstrip()}\n\n{post.link}" if post.text.strip() else post.link
    return post.text


@dataclass(frozen=True, slots=True)
class Published:
    """Where a post went: the network's id for it, its public URL, and when."""

    remote_id: str
    url: str | None
    published_at: datetime
    #: Anything else the network returned that a later call needs (e.g. Bluesky's CID).
    extra: Mapping[str, str] = field(default_factory=dict)


# -- what comes in ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InboundItem:
    """A reply, comment or mention someone else wrote, for the inbox."""

    remote_id: str
    parent_remote_id: str | None
    author_handle: str
    text: str
    created_at: datetime
    kind: InboundKind
    url: str | None = None
    #: The author's display name, when the network gives one (presence monitoring
    #: compares it with the association's name to spot impersonation).
    author_name: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One of the channel's own past posts or replies, read by :meth:`Connector.fetch_history`."""

    remote_id: str
    url: str | None
    created_at: datetime
    text: str
    kind: Literal["post", "reply"] = "post"


@dataclass(frozen=True, slots=True)
class PostMetrics:
    """Counts for one published post. ``None`` means the network does not give this figure."""

    remote_id: str
    impressions: int | None = None
    reach: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    link_clicks: int | None = None
    #: Saves or bookmarks (Instagram "saved", X "bookmark_count").
    saves: int | None = None


@dataclass(frozen=True, slots=True)
class AccountMetrics:
    """Counts for the channel's account. ``None`` means the network does not give this figure."""

    followers: int | None
    measured_at: datetime


# -- what a network can do -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Limits:
    """A network's limits on one post, checked before publishing."""

    max_chars: int
    #: How characters are counted, in the words shown to an author.
    char_unit: str = "characters"
    max_images: int = 4
    max_image_bytes: int = 5_000_000
    max_alt_chars: int | None = 1000
    alt_required: bool = False
    image_required: bool = False
    image_mimes: tuple[str, ...] = ("image/jpeg", "image/png", "image/gif", "image/webp")


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a connector can do on its network. The workspace shows this per channel."""

    publish_text: bool = True
    publish_images: bool = True
    image_alt_text: bool = True
    publish_link: bool = True
    reply: bool = True
    delete: bool = True
    fetch_replies: bool = True
    fetch_comments: bool = False
    fetch_mentions: bool = True
    metric_impressions: bool = False
    metric_reach: bool = False
    metric_likes: bool = True
    metric_comments: bool = True
    metric_shares: bool = True
    metric_link_clicks: bool = False
    account_followers: bool = True
    #: Search public posts and hashtag timelines for watch terms (see search_mentions).
    search_mentions: bool = False
    #: Sends a private message to one person (connectors/direct.py).
    private_messages: bool = False
    #: How the channel is connected: "app_password", "oauth2", "access_token".
    auth: str = "oauth2"
    #: Caveats a person should know, in plain words.
    notes: tuple[str, ...] = ()

    LABELS: ClassVar[Mapping[str, str]] = {
        "publish_text": "Publish text posts",
        "publish_images": "Attach images",
        "image_alt_text": "Alt text on images",
        "publish_link": "Share a link",
        "reply": "Reply to a post",
        "delete": "Delete a published post",
        "fetch_replies": "Pull replies",
        "fetch_comments": "Pull comments",
        "fetch_mentions": "Pull mentions",
        "metric_impressions": "Impressions / views",
        "metric_reach": "Reach (unique viewers)",
        "metric_likes": "Likes / reactions",
        "metric_comments": "Comment count",
        "metric_shares": "Shares / reposts",
        "metric_link_clicks": "Link clicks",
        "account_followers": "Followers",
        "search_mentions": "Search posts for watch terms",
        "private_messages": "Private messages",
    }

    def table(self) -> list[tuple[str, bool]]:
        """(label, supported) rows in a fixed order, for the workspace to render."""
        return [
            (self.LABELS[f.name], bool(getattr(self, f.name)))
            for f in fields(self)
            if f.name in self.LABELS
        ]


# -- credentials -----------------------------------------------------------------------------


@dataclass(slots=True)
class Credentials:
    """A channel's secrets, decrypted, in memory only. Never logged: the repr hides them.

    ``secrets`` holds whatever the network needs (``app_password``,
    ``access_token``, ``refresh_token``, ...). ``expires_at`` is when the
    access token stops working, when the network says.
    """

    secrets: dict[str, str] = field(default_factory=dict)
    expires_at: datetime | None = None

    def __repr__(self) -> str:
        names = ", ".join(sorted(self.secrets))
        return f"Credentials(secrets=<hidden: {names}>, expires_at={self.expires_at!r})"

    __str__ = __repr__

    def get(self, name: str) -> str:
        value = self.secrets.get(name)
        if not value:
            raise AuthError(f"this channel has no {name.replace('_', ' ')}: connect it again")
        return value

    def expires_within(self, delta: timedelta, now: datetime | None = None) -> bool:
        if self.expires_at is None:
            return False
        return self.expires_at <= (now or utcnow()) + delta


# -- errors ----------------------------------------------------------------------------------


class ConnectorError(Exception):
    """Base of every error a connector raises. ``str()`` is safe to show and to log."""

    network: str = ""


class ValidationError(ConnectorError):
    """The post breaks the network's limits. Nothing was sent."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class AuthError(ConnectorError):
    """The channel's credentials are refused: its owner must reconnect it."""


class TokenExpired(AuthError):
    """The access token has expired (or been revoked) and could not be refreshed."""


class TransientError(ConnectorError):
    """A failure that may pass: try again, after ``retry_after`` seconds when given."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimited(TransientError):
    """The network asked us to slow down."""


class PermanentError(ConnectorError):
    """The network refused the request; the same request will be refused again."""


class NotFound(PermanentError):
    """The thing asked for does not exist (any more)."""


# -- the interface ---------------------------------------------------------------------------


class Connector(abc.ABC):
    """One channel on one network. Subclasses set ``network``, ``display_name``,
    ``capabilities`` and ``limits`` and implement the methods below.

    Methods that create something on the network (:meth:`publish`) must never
    be retried blindly: see :mod:`postguard.connectors.retry`.
    """

    network: ClassVar[str]
    display_name: ClassVar[str]
    capabilities: ClassVar[Capabilities]
    limits: ClassVar[Limits]

    def __init__(self, credentials: Credentials, settings: Mapping[str, Any] | None = None):
        self.credentials = credentials
        self.settings: Mapping[str, Any] = dict(settings or {})

    def __repr__(self) -> str:
        return f"<{type(self).__name__} settings={self.settings!r}>"

    # session ---------------------------------------------------------------------------
    @abc.abstractmethod
    def authenticate(self) -> None:
        """Check the credentials work (log in). Raises :class:`AuthError` if not."""

    def refresh(self) -> Credentials:
        """Refresh the access token where the network allows it; return the credentials to
        store (they may be unchanged). Raises :class:`TokenExpired` when they cannot be."""
        if self.credentials.expires_within(timedelta(0)):
            raise TokenExpired(
                f"the {self.display_name} access token expired on "
                f"{self.credentials.expires_at:%Y-%m-%d}: reconnect the channel"
            )
        return self.credentials

    def close(self) -> None:  # noqa: B027 - optional hook, most connectors hold nothing
        """Release network resources."""

    def __enter__(self) -> Connector:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # publishing ------------------------------------------------------------------------
    def validate(self, post: OutgoingPost) -> list[str]:
        """Problems that would stop this post on this network, each saying what to change."""
        if post.direct_to is not None:
            return self.validate_message(post)
        return check_limits(self.display_name, self.limits, post, self.text_length)

    def validate_message(self, post: OutgoingPost) -> list[str]:
        """Problems that would stop a private message (the base: none can be sent)."""
        return [
            f"postguard cannot send private messages on {self.display_name}: answer in "
            "public and invite the person to write to the association"
        ]

    def ensure_valid(self, post: OutgoingPost) -> None:
        problems = self.validate(post)
        if problems:
            raise ValidationError(problems)

    def text_length(self, text: str) -> int:
        """Length of ``text`` as the network counts it."""
        return len(text)

    @abc.abstractmethod
    def publish(self, post: OutgoingPost, idempotency_key: str) -> Published:
        """Publish ``post``. ``idempotency_key`` identifies this publication for
        :meth:`find_published`; connectors pass it to the network when it supports one."""

    @abc.abstractmethod
    def find_published(
        self, idempotency_key: str, since: datetime, post: OutgoingPost
    ) -> Published | None:
        """Look on the network for a post published with this key (or, where the network
        keeps no key, this exact text) at or after ``since``. Used after a crash or an
        unknown outcome, instead of publishing again."""

    @abc.abstractmethod
    def delete(self, remote_id: str) -> None:
        """Delete a published post. Deleting a post that is already gone is not an error."""

    def gone(self, remote_ids: Sequence[str]) -> set[str]:
        """Those of our posts that the network definitely no longer has: a definite
        not-found for each (never a guess from a failure; a transient failure raises).
        A network that cannot tell returns an empty set."""
        return set()

    # reading ---------------------------------------------------------------------------
    @abc.abstractmethod
    def fetch_inbound(self, since_cursor: str | None) -> tuple[list[InboundItem], str | None]:
        """Replies, comments and mentions newer than ``since_cursor``, and the cursor to
        pass next time (an opaque string)."""

    def fetch_history(self, since: datetime | None = None) -> Iterator[HistoryItem]:
        """The channel's own posts and replies published at or after ``since`` (all of them
        when None), newest first, for an archive audit. Optional: a connector that cannot
        read its history raises :class:`PermanentError` saying so."""
        raise PermanentError(
            f"postguard cannot read a {self.display_name} channel's history yet: "
            "audit the archive the network lets you download instead"
        )

    def search_mentions(
        self, terms: Sequence[str], since_cursor: str | None
    ) -> tuple[list[InboundItem], str | None]:
        """Public posts containing any of ``terms`` (words, handles, ``#hashtags``) newer than
        ``since_cursor``, and the cursor to pass next time. Only where
        ``capabilities.search_mentions`` is set; the others cannot search."""
        raise NotImplementedError(f"{self.display_name} offers no search postguard can use")

    @abc.abstractmethod
    def post_metrics(self, remote_ids: Sequence[str]) -> list[PostMetrics]:
        """Metrics for our published posts."""

    @abc.abstractmethod
    def account_metrics(self) -> AccountMetrics:
        """Metrics for the channel's account."""


# -- shared helpers --------------------------------------------------------------------------


def utcnow() -> datetime:
    return datetime.now(UTC)


def parse_time(value: str) -> datetime:
    """Parse the ISO 8601 timestamps networks return (``Z`` or offsets, ``+0000`` too)."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    elif re.search(r"[+-]\d{4}$", text):
        text = f"{text[:-2]}:{text[-2:]}"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def grapheme_length(text: str) -> int:
    """Count user-perceived characters, as Bluesky does, without a Unicode segmentation
    library: combining marks, variation selectors, skin tones and emoji tag characters
    join the character before them, ZWJ sequences count once and flags (pairs of
    regional indicators) count once. Exact for text and common emoji."""
    count = 0
    join_next = False
    open_flag = False
    for char in text:
        code = ord(char)
        if join_next:
            join_next = False
            continue
        if code == 0x200D:
            join_next = True
            continue
        if (
            unicodedata.category(char) in ("Mn", "Mc", "Me")
            or 0xFE00 <= code <= 0xFE0F
            or 0x1F3FB <= code <= 0x1F3FF
            or 0xE0020 <= code <= 0xE007F
        ):
            continue
        if 0x1F1E6 <= code <= 0x1F1FF:
            open_flag = not open_flag
            if not open_flag:
                continue
        else:
            open_flag = False
        count += 1
    return count


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def check_limits(
    network: str,
    limits: Limits,
    post: OutgoingPost,
    length: Any = len,
) -> list[str]:
    """The common checks: text length, image count, size, type and alt text."""
    problems: list[str] = []
    text = compose_text(post)
    if not text.strip() and not post.images:
        problems.append(f"{network} needs some text or an image: this post is empty")
    n = length(text)
    if n > limits.max_chars:
        over = n - limits.max_chars
        problems.append(
            f"{network} allows {limits.max_chars} {limits.char_unit}; this post has {n}"
            f" — shorten it by {over}"
            + (" (the link counts too)" if post.link and post.link not in post.text else "")
        )
    if limits.image_required and not post.images:
        problems.append(f"{network} posts need at least one image: add one")
    if len(post.images) > limits.max_images:
        extra = len(post.images) - limits.max_images
        if limits.max_images == 0:
            problems.append(f"{network} posts here cannot carry images: remove {extra}")
        else:
            problems.append(
                f"{network} allows {_plural(limits.max_images, 'image')} per post; this post has "
                f"{len(post.images)} — remove {extra}"
            )
    for i, image in enumerate(post.images, start=1):
        if image.mime not in limits.image_mimes:
            allowed = ", ".join(m.removeprefix("image/").upper() for m in limits.image_mimes)
            problems.append(f"image {i} is {image.mime}; {network} takes {allowed} — convert it")
        if len(image.data) > limits.max_image_bytes:
            problems.append(
                f"image {i} is {_mb(len(image.data))}; {network} allows "
                f"{_mb(limits.max_image_bytes)} — make it smaller"
            )
        if not image.alt.strip():
            if limits.alt_required:
                problems.append(
                    f"image {i} has no alt text: describe it for people who cannot see it"
                )
        elif limits.max_alt_chars is not None and len(image.alt) > limits.max_alt_chars:
            over = len(image.alt) - limits.max_alt_chars
            problems.append(
                f"the alt text of image {i} has {len(image.alt)} characters; {network} allows "
                f"{limits.max_alt_chars} — shorten it by {over}"
            )
    return problems


URL_RE = re.compile(r"https?://\S+")


def normalize_for_match(text: str) -> str:
    """Text reduced for matching our own post on a network that rewrites it: links
    become a placeholder (X shortens them), whitespace collapses, case folds."""
    return " ".join(URL_RE.sub("<link>", text).split()).casefold()
