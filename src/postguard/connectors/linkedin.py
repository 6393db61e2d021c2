"""LinkedIn organization (Company Page) posts through the versioned REST API.

Connecting a channel: OAuth 2.0 authorization code with the Community
Management API scopes ``w_organization_social r_organization_social
rw_organization_admin``, by a member who administers the Page (see
:mod:`postguard.connectors.oauth`). Access tokens last 60 days; apps that
LinkedIn grants refresh tokens can renew them (:meth:`refresh`), the others
must reconnect, and :attr:`Credentials.expires_at` lets the workspace warn the
owner beforehand.

Every request names an API version (``LinkedIn-Version: YYYYMM``, setting
``api_version``); LinkedIn retires versions after about a year.

Commentary is written in LinkedIn's "little text" format, where characters
such as ``( ) [ ] { } < > @ # * _ ~ | \\`` are markup: we escape them so the
text appears as written.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from postguard.connectors.base import (
    AccountMetrics,
    Capabilities,
    Credentials,
    InboundItem,
    Limits,
    NotFound,
    OutgoingPost,
    PermanentError,
    PostMetrics,
    Published,
    compose_text,
    normalize_for_match,
    utcnow,
)
from postguard.connectors.http import HttpConnector

API_VERSION = "202510"
TOKEN_URL = "https://www.linkedin.com/oauth/v2/accessToken"
_LITTLE_TEXT_RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")


def escape_little_text(text: str) -> str:
    return _LITTLE_TEXT_RESERVED.sub(r"\\\1", text)


def unescape_little_text(text: str) -> str:
    return re.sub(r"\\([\\|{}@\[\]()<>#*_~])", r"\1", text)


def _enc(urn: str) -> str:
    return quote(urn, safe="")


def _ms(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC)


class LinkedInConnector(HttpConnector):
    network: ClassVar[str] = "linkedin"
    display_name: ClassVar[str] = "LinkedIn"
    base_url = "https://api.linkedin.com"
    limits: ClassVar[Limits] = Limits(
        max_chars=3000,
        max_images=20,
        max_image_bytes=10_000_000,
        max_alt_chars=4086,
        image_mimes=("image/jpeg", "image/png", "image/gif"),
    )
    capabilities: ClassVar[Capabilities] = Capabilities(
        fetch_replies=False,
        fetch_comments=True,
        fetch_mentions=False,
        metric_impressions=True,
        metric_reach=True,
        metric_link_clicks=True,
        auth="oauth2",
        notes=(
            "Reach is LinkedIn's unique impressions; link clicks are all clicks on the post.",
            "Mentions of the Page are not pulled; comments on its posts are.",
            "A reply is published as a comment by the Page.",
        ),
    )

    @property
    def org(self) -> str:
        org = str(self.settings["organization"])
        return org if org.startswith("urn:li:") else f"urn:li:organization:{org}"

    def auth_headers(self) -> dict[str, str]:
        return {
            **super().auth_headers(),
            "LinkedIn-Version": str(self.settings.get("api_version", API_VERSION)),
            "X-Restli-Protocol-Version": "2.0.0",
        }

    def retry_after(self, response: httpx.Response) -> float | None:
        header = super().retry_after(response)
        if header is not None:
            return header
        # LinkedIn's limits are daily and reset at midnight UTC.
        now = datetime.now(UTC)
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return (midnight - now).total_seconds()

    # -- session ----------------------------------------------------------------------------
    def authenticate(self) -> None:
        self.request(
            "GET", "/rest/organizationAcls", what="checking the Page access",
            params={"q": "roleAssignee", "role": "ADMINISTRATOR", "state": "APPROVED"},
        )  # fmt: skip

    def refresh(self) -> Credentials:
        refresh_token = self.credentials.secrets.get("refresh_token")
        if not refresh_token:
            return super().refresh()
        form = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": self.credentials.get("client_id"),
            "client_secret": self.credentials.get("client_secret"),
        }
        return self.exchange_refresh_token(
            lambda: self.http.post(TOKEN_URL, data=form), refresh_token
        )

    # -- publishing -------------------------------------------------------------------------
    def _upload(self, data: bytes, mime: str) -> str:
        init = self.request(
            "POST", "/rest/images", what="preparing an image upload",
            params={"action": "initializeUpload"},
            json={"initializeUploadRequest": {"owner": self.org}},
        ).json()["value"]  # fmt: skip
        # The upload URL is absolute and carries its own signature.
        self.request(
            "PUT", init["uploadUrl"], what="uploading an image",
            content=data, headers={"Content-Type": mime},
        )  # fmt: skip
        return str(init["image"])

    def _url(self, urn: str) -> str:
        return f"https://www.linkedin.com/feed/update/{urn}/"

    def publish(self, post: OutgoingPost, idempotency_key: str) -> Published:
        self.ensure_valid(post)
        if post.reply_to:
            return self._comment(post)
        body: dict[str, Any] = {
            "author": self.org,
            "commentary": escape_little_text(compose_text(post)),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
        }
        images = [(self._upload(i.data, i.mime), i.alt) for i in post.images]
        if len(images) == 1:
            body["content"] = {"media": {"id": images[0][0], "altText": images[0][1]}}
        elif images:
            body["content"] = {
                "multiImage": {"images": [{"id": urn, "altText": alt} for urn, alt in images]}
            }
        response = self.request("POST", "/rest/posts", what="publishing", json=body)
        urn = response.headers.get("x-restli-id") or response.headers.get("x-linkedin-id")
        if not urn:
            raise PermanentError("LinkedIn accepted the post but returned no id")
        return Published(urn, self._url(urn), utcnow())

    def _comment(self, post: OutgoingPost) -> Published:
        target = str(post.reply_to)
        body: dict[str, Any] = {"actor": self.org, "message": {"text": compose_text(post)}}
        if target.startswith("urn:li:comment:("):
            # urn:li:comment:(urn:li:activity:123,456): reply under that comment
            body["object"] = target[len("urn:li:comment:(") :].split(",", 1)[0]
            body["parentComment"] = target
        else:
            body["object"] = target
        response = self.request(
            "POST", f"/rest/socialActions/{_enc(str(body['object']))}/comments",
            what="replying", json=body,
        )  # fmt: skip
        data = response.json() if response.content else {}
        urn = str(data.get("$URN") or response.headers.get("x-restli-id") or "")
        return Published(urn, self._url(str(body["object"])), utcnow())

    def _recent_posts(self, count: int = 50) -> list[dict[str, Any]]:
        data = self.request(
            "GET", "/rest/posts", what="listing the Page's posts",
            params={"q": "author", "author": self.org, "count": count, "sortBy": "CREATED"},
        ).json()  # fmt: skip
        return list(data.get("elements", []))

    def find_published(
        self, idempotency_key: str, since: datetime, post: OutgoingPost
    ) -> Published | None:
        wanted = normalize_for_match(compose_text(post))
        if post.reply_to:
            for comment in self._comments_on(str(post.reply_to).split(",")[0]):
                created = _ms(comment.get("created", {}).get("time", 0))
                if (
                    created >= since
                    and comment.get("actor") == self.org
                    and normalize_for_match(comment.get("message", {}).get("text", "")) == wanted
                ):
                    return Published(str(comment.get("$URN", "")), None, created)
            return None
        for item in self._recent_posts():
            created = _ms(item.get("createdAt") or item.get("publishedAt") or 0)
            commentary = unescape_little_text(str(item.get("commentary", "")))
            if created >= since and normalize_for_match(commentary) == wanted:
                return Published(str(item["id"]), self._url(str(item["id"])), created)
        return None

    def delete(self, remote_id: str) -> None:
        with contextlib.suppress(NotFound):  # already gone
            self.request("DELETE", f"/rest/posts/{_enc(remote_id)}", what="deleting")

    def gone(self, remote_ids: Sequence[str]) -> set[str]:
        """``GET /rest/posts/{urn}`` on each: a 404 is definite."""
        missing = set()
        for remote_id in remote_ids:
            try:
                self.request("GET", f"/rest/posts/{_enc(remote_id)}", what="checking a post")
            except NotFound:
                missing.add(remote_id)
        return missing

    # -- reading ----------------------------------------------------------------------------
    def _comments_on(self, urn: str) -> list[dict[str, Any]]:
        data = self.request(
            "GET", f"/rest/socialActions/{_enc(urn)}/comments", what="reading comments",
            params={"count": 100},
        ).json()  # fmt: skip
        return list(data.get("elements", []))

    def fetch_inbound(self, since_cursor: str | None) -> tuple[list[InboundItem], str | None]:
        """Comments on the Page's 50 most recent posts. The cursor is the newest
        comment time seen (ms since the epoch)."""
        since = int(since_cursor) if since_cursor else 0
        newest = since
        items: list[InboundItem] = []
        for post in self._recent_posts():
            for comment in self._comments_on(str(post["id"])):
                created_ms = int(comment.get("created", {}).get("time", 0))
                if created_ms <= since or comment.get("actor") == self.org:
                    continue
                newest = max(newest, created_ms)
                items.append(
                    InboundItem(
                        remote_id=str(comment.get("$URN") or comment.get("id")),
                        parent_remote_id=str(comment.get("parentComment") or post["id"]),
                        author_handle=str(comment.get("actor", "unknown")),
                        text=str(comment.get("message", {}).get("text", "")),
                        created_at=_ms(created_ms),
                        kind="comment",
                        url=self._url(str(post["id"])),
                    )
                )
        items.sort(key=lambda i: i.created_at)
        return items, str(newest) if newest else since_cursor

    def post_metrics(self, remote_ids: Sequence[str]) -> list[PostMetrics]:
        if not remote_ids:
            return []
        shares = [u for u in remote_ids if u.startswith("urn:li:share:")]
        ugc = [u for u in remote_ids if not u.startswith("urn:li:share:")]
        # Rest.li 2.0 list syntax, each URN encoded inside List(...).
        query = f"q=organizationalEntity&organizationalEntity={_enc(self.org)}"
        if shares:
            query += f"&shares=List({','.join(_enc(u) for u in shares)})"
        if ugc:
            query += f"&ugcPosts=List({','.join(_enc(u) for u in ugc)})"
        data = self.request(
            "GET", f"/rest/organizationalEntityShareStatistics?{query}",
            what="reading post statistics",
        ).json()  # fmt: skip
        by_urn: dict[str, PostMetrics] = {}
        for element in data.get("elements", []):
            urn = element.get("share") or element.get("ugcPost")
            stats = element.get("totalShareStatistics", {})
            by_urn[str(urn)] = PostMetrics(
                remote_id=str(urn),
                impressions=stats.get("impressionCount"),
                reach=stats.get("uniqueImpressionsCount"),
                likes=stats.get("likeCount"),
                comments=stats.get("commentCount"),
                shares=stats.get("shareCount"),
                link_clicks=stats.get("clickCount"),
            )
        return [by_urn.get(u, PostMetrics(remote_id=u)) for u in remote_ids]

    def account_metrics(self) -> AccountMetrics:
        data = self.request(
            "GET", f"/rest/networkSizes/{_enc(self.org)}", what="reading followers",
            params={"edgeType": "COMPANY_FOLLOWED_BY_MEMBER"},
        ).json()  # fmt: skip
        return AccountMetrics(followers=data.get("firstDegreeSize"), measured_at=utcnow())
