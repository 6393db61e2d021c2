"""Mastodon through Mastodon.py.

Connecting a channel: register an app on the instance and authorize it with
OAuth (scopes ``read write``; see :mod:`postguard.connectors.oauth`), or
paste an access token made under Preferences → Development. Mastodon tokens
do not expire; a revoked one answers 401, which becomes :class:`TokenExpired`.

Publishing sends our idempotency key as Mastodon's ``Idempotency-Key``: the
server answers a repeat within an hour with the post it already made. We
still look before any repeat (:meth:`find_published`, by exact text among the
account's own posts) because the key is not kept longer than that.

Limits differ per instance: 500 characters, 4 images and 1500 characters of
alt text by default; set ``max_chars`` in the channel's settings for an
instance that allows more.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, ClassVar

import requests
from mastodon import Mastodon
from mastodon.errors import (
    MastodonAPIError,
    MastodonError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from postguard.connectors import direct
from postguard.connectors.base import (
    URL_RE,
    AccountMetrics,
    AuthError,
    Capabilities,
    Connector,
    Credentials,
    InboundItem,
    InboundKind,
    Limits,
    OutgoingPost,
    PermanentError,
    PostMetrics,
    Published,
    RateLimited,
    TokenExpired,
    TransientError,
    check_limits,
    compose_text,
    normalize_for_match,
    parse_time,
    utcnow,
)

URL_LENGTH = 23
MEDIA_POLLS = 30
MEDIA_POLL_SECONDS = 1.0
_MENTION_DOMAIN = re.compile(r"(@[A-Za-z0-9_]+)@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def mastodon_length(text: str) -> int:
    """Length as Mastodon counts it: every link is 23 and ``@user@domain`` counts only
    ``@user``."""
    text = _MENTION_DOMAIN.sub(r"\1", text)
    return len(URL_RE.sub("x" * URL_LENGTH, text))


def html_to_text(content: str) -> str:
    """The plain text of a status's HTML content."""
    text = re.sub(r"<br\s*/?>", "\n", content)
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    return html.unescape(text)


def _status_code(exc: MastodonAPIError) -> int | None:
    for arg in exc.args:
        if isinstance(arg, int):
            return arg
    return None


def _when(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return parse_time(str(value))


class MastodonConnector(Connector):
    network: ClassVar[str] = "mastodon"
    display_name: ClassVar[str] = "Mastodon"
    limits: ClassVar[Limits] = Limits(
        max_chars=500,
        char_unit="characters (links count as 23)",
        max_images=4,
        max_image_bytes=16_000_000,
        max_alt_chars=1500,
        image_mimes=("image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"),
    )
    capabilities: ClassVar[Capabilities] = Capabilities(
        private_messages=True,
        fetch_comments=False,
        metric_impressions=False,
        metric_reach=False,
        metric_link_clicks=False,
        search_mentions=True,
        auth="oauth2",
        notes=(
            "Mastodon does not report impressions, reach or link clicks.",
            "Searching posts by words finds only what the instance indexes (many index only "
            "posts that opted in); hashtag timelines are complete.",
            "Limits depend on the instance; the defaults are Mastodon's own.",
        ),
    )

    def __init__(
        self,
        credentials: Credentials,
        settings: Mapping[str, Any] | None = None,
        *,
        session: requests.Session | None = None,
    ) -> None:
        super().__init__(credentials, settings)
        self.instance = str(self.settings["instance"]).rstrip("/")
        self._session = session or requests.Session()
        self._api: Mastodon | None = None
        self._account_id: str | None = self.settings.get("account_id")

    @property
    def api(self) -> Mastodon:
        if self._api is None:
            self._api = Mastodon(
                access_token=self.credentials.get("access_token"),
                api_base_url=self.instance,
                ratelimit_method="throw",
                request_timeout=30,
                # No instance probe: the version is named instead (the API we use is 4.x's),
                # so Mastodon.py picks the current endpoints (e.g. /api/v2/media).
                version_check_mode="created",
                mastodon_version=str(self.settings.get("mastodon_version", "4.3.0")),
                session=self._session,
            )
        return self._api

    def close(self) -> None:
        self._session.close()

    @contextmanager
    def _mapped(self, what: str) -> Iterator[None]:
        try:
            yield
        except MastodonRatelimitError:
            reset = getattr(self._api, "ratelimit_reset", None)
            wait = max(0.0, float(reset) - time.time()) if reset else None
            raise RateLimited(f"Mastodon rate limit on {what}", retry_after=wait) from None
        except MastodonUnauthorizedError:
            raise TokenExpired(
                f"Mastodon refused the channel's token ({what}): it was revoked — reconnect the "
                "channel"
            ) from None
        except MastodonServerError as exc:
            raise TransientError(f"Mastodon server error during {what}: {exc.args[-1]}") from None
        except MastodonNetworkError:
            raise TransientError(f"Mastodon could not be reached ({what})") from None
        except MastodonAPIError as exc:
            status = _status_code(exc)
            detail = exc.args[-1] if exc.args else "unknown error"
            if status == 403:
                raise AuthError(
                    f"Mastodon refused {what}: {detail} — check the token's scopes"
                ) from None
            raise PermanentError(f"Mastodon refused {what}: {detail}") from None
        except MastodonError as exc:
            raise PermanentError(f"Mastodon refused {what}: {type(exc).__name__}") from None

    @property
    def account_id(self) -> str:
        if self._account_id is None:
            self.authenticate()
        assert self._account_id is not None
        return self._account_id

    def authenticate(self) -> None:
        with self._mapped("checking the account"):
            account = self.api.account_verify_credentials()
        self._account_id = str(account["id"])

    # -- publishing -------------------------------------------------------------------------
    def text_length(self, text: str) -> int:
        return mastodon_length(text)

    def validate_message(self, post: OutgoingPost) -> list[str]:
        """A direct message is a status that mentions the account: the same limits,
        the mention included; no images here."""
        assert post.direct_to is not None
        text = direct.mastodon_text(post.direct_to, post.text)
        problems = self.validate(OutgoingPost(text=text))
        if post.images:
            problems.append("postguard sends Mastodon direct messages without images")
        return problems

    def validate(self, post: OutgoingPost) -> list[str]:
        if post.direct_to is not None:
            return self.validate_message(post)
        limits = self.limits
        if "max_chars" in self.settings:
            limits = replace(limits, max_chars=int(self.settings["max_chars"]))
        return check_limits(self.display_name, limits, post, self.text_length)

    def publish(self, post: OutgoingPost, idempotency_key: str) -> Published:
        self.ensure_valid(post)
        if post.direct_to is not None:
            return direct.mastodon_send(
                self.instance,
                self.credentials.get("access_token"),
                post.direct_to,
                post.text,
                idempotency_key,
            )
        media_ids = []
        for image in post.images:
            with self._mapped("uploading an image"):
                media = self.api.media_post(
                    image.data, mime_type=image.mime, description=image.alt or None
                )
            media_ids.append(self._processed(media)["id"])
        with self._mapped("publishing"):
            status = self.api.status_post(
                compose_text(post),
                in_reply_to_id=post.reply_to,
                media_ids=media_ids or None,
                visibility=str(self.settings.get("visibility", "public")),
                idempotency_key=idempotency_key,
            )
        return Published(str(status["id"]), status.get("url"), _when(status["created_at"]))

    def _processed(self, media: Any) -> Any:
        """Wait (bounded) for the server to process an upload answered with 202."""
        for _ in range(MEDIA_POLLS):
            if media.get("url"):
                return media
            time.sleep(MEDIA_POLL_SECONDS)
            with self._mapped("waiting for an image to be processed"):
                media = self.api.media(media["id"])
        raise TransientError("Mastodon is still processing an image; try again shortly")

    def find_published(
        self, idempotency_key: str, since: datetime, post: OutgoingPost
    ) -> Published | None:
        if post.direct_to is not None:
            # A direct message is among the account's statuses with its mention.
            post = OutgoingPost(text=direct.mastodon_text(post.direct_to, post.text))
        wanted = normalize_for_match(compose_text(post))
        max_id = None
        while True:
            with self._mapped("looking for a post"):
                page = self.api.account_statuses(self.account_id, limit=40, max_id=max_id)
            if not page:
                return None
            for status in page:
                created = _when(status["created_at"])
                if created < since:
                    return None
                if normalize_for_match(html_to_text(status["content"])) == wanted:
                    return Published(str(status["id"]), status.get("url"), created)
            max_id = page[-1]["id"]

    def delete(self, remote_id: str) -> None:
        try:
            with self._mapped("deleting"):
                self.api.status_delete(remote_id)
        except PermanentError:
            # Deleting what is already gone is not an error; anything else is.
            with self._mapped("checking the deleted post"):
                try:
                    self.api.status(remote_id)
                except MastodonNotFoundError:
                    return
            raise

    def gone(self, remote_ids: Sequence[str]) -> set[str]:
        """``GET /api/v1/statuses/:id`` on each: a 404 is definite."""
        missing = set()
        for remote_id in remote_ids:
            with self._mapped("checking a post"):
                try:
                    self.api.status(remote_id)
                except MastodonNotFoundError:
                    missing.add(remote_id)
        return missing

    # -- reading ----------------------------------------------------------------------------
    def fetch_inbound(self, since_cursor: str | None) -> tuple[list[InboundItem], str | None]:
        items: list[InboundItem] = []
        cursor = since_cursor
        me = self.account_id
        while True:
            with self._mapped("reading notifications"):
                page = self.api.notifications(types=["mention"], min_id=cursor, limit=40)
            if not page:
                break
            for note in page:
                status = note.get("status")
                if not status:
                    continue
                kind: InboundKind = (
                    "reply" if str(status.get("in_reply_to_account_id")) == me else "mention"
                )
                items.append(
                    InboundItem(
                        remote_id=str(status["id"]),
                        parent_remote_id=(
                            str(status["in_reply_to_id"]) if status.get("in_reply_to_id") else None
                        ),
                        author_handle=str(note["account"]["acct"]),
                        text=html_to_text(status["content"]),
                        created_at=_when(status["created_at"]),
                        kind=kind,
                        url=status.get("url"),
                    )
                )
            cursor = str(max((n["id"] for n in page), key=int))
        items.sort(key=lambda i: i.created_at)
        return items, cursor

    def search_mentions(
        self, terms: Sequence[str], since_cursor: str | None
    ) -> tuple[list[InboundItem], str | None]:
        """A ``#hashtag`` term reads ``GET /api/v1/timelines/tag/:hashtag``; any other term
        ``GET /api/v2/search?type=statuses``. The cursor keeps, per term, the newest
        status id seen (``min_id`` next time)."""
        seen: dict[str, str] = json.loads(since_cursor) if since_cursor else {}
        found: dict[str, InboundItem] = {}
        for term in dict.fromkeys(t.strip() for t in terms if t.strip()):
            since = seen.get(term)
            with self._mapped("searching posts"):
                if term.startswith("#"):
                    statuses = list(
                        self.api.timeline_hashtag(term.lstrip("#"), min_id=since, limit=40)
                    )
                else:
                    result = self.api.search_v2(
                        term.lstrip("@"), resolve=False, result_type="statuses", min_id=since
                    )
                    statuses = list(result["statuses"])
            for status in statuses:
                sid = str(status["id"])
                if since is not None and int(sid) <= int(since):
                    continue
                if int(sid) > int(seen.get(term) or 0):
                    seen[term] = sid
                account = status.get("account") or {}
                found.setdefault(
                    sid,
                    InboundItem(
                        remote_id=sid,
                        parent_remote_id=(
                            str(status["in_reply_to_id"]) if status.get("in_reply_to_id") else None
                        ),
                        author_handle=str(account.get("acct", "")),
                        author_name=str(account.get("display_name") or "") or None,
                        text=html_to_text(status.get("content") or ""),
                        created_at=_when(status["created_at"]),
                        kind="mention",
                        url=status.get("url"),
                    ),
                )
        items = sorted(found.values(), key=lambda i: i.created_at)
        return items, json.dumps(seen, sort_keys=True)

    def post_metrics(self, remote_ids: Sequence[str]) -> list[PostMetrics]:
        results = []
        for remote_id in remote_ids:
            with self._mapped("reading post counts"):
                status = self.api.status(remote_id)
            results.append(
                PostMetrics(
                    remote_id=remote_id,
                    likes=status.get("favourites_count"),
                    comments=status.get("replies_count"),
                    shares=status.get("reblogs_count"),
                )
            )
        return results

    def account_metrics(self) -> AccountMetrics:
        with self._mapped("reading the account"):
            account = self.api.account(self.account_id)
        return AccountMetrics(followers=account.get("followers_count"), measured_at=utcnow())
