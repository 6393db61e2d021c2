"""Facebook Pages through the Graph API.

Connecting a channel: Facebook Login for Business with ``pages_manage_posts``,
``pages_read_engagement``, ``pages_read_user_content``, ``pages_show_list`` and
``read_insights``; the user token is exchanged for a long-lived one and the
Page's own token is stored (see :mod:`postguard.connectors.oauth`). Page
tokens obtained that way do not expire on a timer but die when the person
who granted them changes their password or loses their role: the Graph API
then answers with error 190, which becomes :class:`TokenExpired`.

The Graph API keeps no idempotency key, so :meth:`find_published` looks for
our exact message among the Page's posts since the intent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, ClassVar

import httpx

from postguard.connectors.base import (
    AccountMetrics,
    AuthError,
    Capabilities,
    ConnectorError,
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
    normalize_for_match,
    parse_time,
    utcnow,
)
from postguard.connectors.http import HttpConnector, body_json

GRAPH_VERSION = "v24.0"
#: Graph error codes for throttling: application, user, page, custom and business use case.
RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008}
TRANSIENT_CODES = {1, 2}
#: Error 100 with this subcode: the object does not exist (already deleted).
MISSING_OBJECT_SUBCODE = 33


class GraphRefused(PermanentError):
    """A permanent Graph API error, with its code and subcode."""

    def __init__(self, message: str, code: Any = None, subcode: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.subcode = subcode


class GraphConnector(HttpConnector):
    """What Facebook Pages and Instagram share: the Graph API's errors and paging."""

    base_url = "https://graph.facebook.com"

    def __init__(
        self,
        credentials: Credentials,
        settings: Mapping[str, Any] | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(credentials, settings, transport=transport)
        self.version = str(self.settings.get("graph_version", GRAPH_VERSION))

    def path(self, tail: str) -> str:
        return f"/{self.version}/{tail.lstrip('/')}"

    def graph(self, method: str, tail: str, *, what: str, **kwargs: Any) -> Any:
        return self.request(method, self.path(tail), what=what, **kwargs).json()

    def pages(self, tail: str, *, what: str, params: dict[str, Any]) -> Any:
        """Yield the items of a paged edge, following ``paging.next``."""
        page = self.graph("GET", tail, what=what, params=params)
        while True:
            yield from page.get("data", [])
            after = page.get("paging", {}).get("cursors", {}).get("after")
            if not page.get("paging", {}).get("next") or not after:
                return
            page = self.graph("GET", tail, what=what, params={**params, "after": after})

    @staticmethod
    def graph_error(response: httpx.Response) -> dict[str, Any]:
        data = body_json(response)
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            return dict(data["error"])
        return {}

    def retry_after(self, response: httpx.Response) -> float | None:
        # Business use case throttling says how long until access returns, in minutes.
        for header in ("x-business-use-case-usage", "x-ad-account-usage"):
            raw = response.headers.get(header)
            if not raw:
                continue
            try:
                usage = json.loads(raw)
            except json.JSONDecodeError:
                continue
            waits = [
                float(entry.get("estimated_time_to_regain_access", 0)) * 60
                for entries in (usage.values() if isinstance(usage, dict) else [])
                for entry in (entries if isinstance(entries, list) else [])
                if isinstance(entry, dict)
            ]
            if waits and max(waits) > 0:
                return max(waits)
        return super().retry_after(response)

    def classify(self, response: httpx.Response, what: str) -> ConnectorError:
        error = self.graph_error(response)
        if not error:
            return super().classify(response, what)
        code = error.get("code")
        message = f"{self.display_name} refused {what}: {error.get('message', 'unknown error')}"
        if code == 190 or code == 102:
            return TokenExpired(
                f"{message} — the token has expired or was revoked: reconnect the channel"
            )
        if code == 10 or (isinstance(code, int) and 200 <= code <= 299):
            return AuthError(f"{message} — the channel lacks a permission: reconnect it")
        if code in RATE_LIMIT_CODES:
            return RateLimited(message, retry_after=self.retry_after(response) or 60.0)
        if code in TRANSIENT_CODES or error.get("is_transient") or response.status_code >= 500:
            return TransientError(message, retry_after=self.retry_after(response))
        return GraphRefused(message, code, error.get("error_subcode"))

    def delete(self, remote_id: str) -> None:
        try:
            self.graph("DELETE", remote_id, what="deleting")
        except GraphRefused as exc:
            if (exc.code, exc.subcode) != (100, MISSING_OBJECT_SUBCODE):
                raise

    def gone(self, remote_ids: Sequence[str]) -> set[str]:
        """A GET of each object: error 100 with subcode 33 (it does not exist) is definite."""
        missing = set()
        for remote_id in remote_ids:
            try:
                self.graph("GET", remote_id, what="checking a post", params={"fields": "id"})
            except GraphRefused as exc:
                if (exc.code, exc.subcode) == (100, MISSING_OBJECT_SUBCODE):
                    missing.add(remote_id)
        return missing

    def refresh(self) -> Credentials:
        # Page and Instagram tokens from a long-lived user token have no refresh flow:
        # when they die, the owner logs in again.
        return super().refresh()


class FacebookConnector(GraphConnector):
    network: ClassVar[str] = "facebook"
    display_name: ClassVar[str] = "Facebook"
    limits: ClassVar[Limits] = Limits(
        max_chars=63_206,
        max_images=10,
        max_image_bytes=10_000_000,
        max_alt_chars=None,
        image_mimes=("image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff"),
    )
    capabilities: ClassVar[Capabilities] = Capabilities(
        image_alt_text=False,
        fetch_replies=False,
        fetch_comments=True,
        fetch_mentions=True,
        metric_impressions=True,
        metric_reach=True,
        metric_link_clicks=True,
        auth="oauth2",
        notes=(
            "The Graph API takes no alt text for Page photos: Facebook generates its own.",
            "Impressions are Meta's 'views' (post_media_view) since November 2025.",
            "A reply is published as a comment on the post or comment it answers.",
        ),
    )

    @property
    def page_id(self) -> str:
        return str(self.settings["page_id"])

    def authenticate(self) -> None:
        self.graph("GET", self.page_id, what="checking the Page", params={"fields": "id,name"})

    def _url(self, remote_id: str) -> str:
        return f"https://www.facebook.com/{remote_id}"

    def publish(self, post: OutgoingPost, idempotency_key: str) -> Published:
        self.ensure_valid(post)
        if post.reply_to:
            data = self.graph(
                "POST", f"{post.reply_to}/comments", what="replying",
                data={"message": post.text + (f"\n\n{post.link}" if post.link else "")},
            )  # fmt: skip
            return Published(str(data["id"]), self._url(str(data["id"])), utcnow())
        form: dict[str, Any] = {"message": post.text}
        if post.link:
            form["link"] = post.link
        for i, image in enumerate(post.images):
            # Unpublished photos, attached to the one feed post below.
            photo = self.graph(
                "POST", f"{self.page_id}/photos", what=f"uploading image {i + 1}",
                data={"published": "false"},
                files={"source": (f"image-{i + 1}", image.data, image.mime)},
            )  # fmt: skip
            form[f"attached_media[{i}]"] = json.dumps({"media_fbid": photo["id"]})
        data = self.graph("POST", f"{self.page_id}/feed", what="publishing", data=form)
        return Published(str(data["id"]), self._url(str(data["id"])), utcnow())

    def find_published(
        self, idempotency_key: str, since: datetime, post: OutgoingPost
    ) -> Published | None:
        wanted = normalize_for_match(post.text)
        if post.reply_to:
            edge = f"{post.reply_to}/comments"
            params = {"fields": "id,message,created_time,from", "filter": "stream",
                      "order": "reverse_chronological", "limit": 100}  # fmt: skip
        else:
            edge = f"{self.page_id}/posts"
            params = {"fields": "id,message,created_time", "since": int(since.timestamp()),
                      "limit": 100}  # fmt: skip
        for item in self.pages(edge, what="looking for a post", params=params):
            created = parse_time(item["created_time"])
            if created < since:
                return None
            if post.reply_to and item.get("from", {}).get("id") not in (None, self.page_id):
                continue
            message = normalize_for_match(item.get("message", ""))
            if message == wanted or message == normalize_for_match(
                post.text + (f"\n\n{post.link}" if post.link else "")
            ):
                return Published(str(item["id"]), self._url(str(item["id"])), created)
        return None

    def fetch_inbound(self, since_cursor: str | None) -> tuple[list[InboundItem], str | None]:
        """Comments on the Page's recent posts (``lookback_days`` setting, default 30) and
        posts that tag the Page. The cursor is the newest creation time seen."""
        since = parse_time(since_cursor) if since_cursor else None
        lookback = utcnow() - timedelta(days=int(self.settings.get("lookback_days", 30)))
        items: list[InboundItem] = []
        posts = self.pages(
            f"{self.page_id}/posts", what="listing the Page's posts",
            params={"fields": "id", "since": int(lookback.timestamp()), "limit": 100},
        )  # fmt: skip
        for post in posts:
            for comment in self.pages(
                f"{post['id']}/comments", what="reading comments",
                params={"fields": "id,message,created_time,from,parent{id}",
                        "filter": "stream", "order": "chronological", "limit": 100},
            ):  # fmt: skip
                if comment.get("from", {}).get("id") == self.page_id:
                    continue  # our own replies
                item = self._item(
                    comment, "comment", comment.get("parent", {}).get("id") or post["id"]
                )
                if since is None or item.created_at > since:
                    items.append(item)
        for tagged in self.pages(
            f"{self.page_id}/tagged", what="reading mentions",
            params={"fields": "id,message,created_time,from", "limit": 100},
        ):  # fmt: skip
            item = self._item(tagged, "mention", None)
            if since is None or item.created_at > since:
                items.append(item)
        items.sort(key=lambda i: i.created_at)
        newest = max((i.created_at for i in items), default=since)
        return items, newest.isoformat() if newest else since_cursor

    def _item(self, raw: dict[str, Any], kind: InboundKind, parent: str | None) -> InboundItem:
        return InboundItem(
            remote_id=str(raw["id"]),
            parent_remote_id=parent,
            author_handle=str(raw.get("from", {}).get("name", "unknown")),
            text=str(raw.get("message", "")),
            created_at=parse_time(raw["created_time"]),
            kind=kind,
            url=self._url(str(raw["id"])),
        )

    def post_metrics(self, remote_ids: Sequence[str]) -> list[PostMetrics]:
        results = []
        for remote_id in remote_ids:
            counts = self.graph(
                "GET", remote_id, what="reading post counts",
                params={"fields": "reactions.summary(total_count).limit(0),"
                                  "comments.summary(total_count).limit(0),shares"},
            )  # fmt: skip
            insights = self.graph(
                "GET", f"{remote_id}/insights", what="reading post insights",
                params={"metric": "post_media_view,post_total_media_view_unique,"
                                  "post_clicks_by_type"},
            )  # fmt: skip
            values = {m["name"]: m["values"][0]["value"] for m in insights.get("data", [])}
            clicks = values.get("post_clicks_by_type")
            results.append(
                PostMetrics(
                    remote_id=remote_id,
                    impressions=values.get("post_media_view"),
                    reach=values.get("post_total_media_view_unique"),
                    likes=counts.get("reactions", {}).get("summary", {}).get("total_count"),
                    comments=counts.get("comments", {}).get("summary", {}).get("total_count"),
                    shares=counts.get("shares", {}).get("count", 0),
                    link_clicks=clicks.get("link clicks", 0) if isinstance(clicks, dict) else None,
                )
            )
        return results

    def account_metrics(self) -> AccountMetrics:
        data = self.graph(
            "GET", self.page_id, what="reading the Page", params={"fields": "followers_count"}
        )
        return AccountMetrics(followers=data.get("followers_count"), measured_at=utcnow())
