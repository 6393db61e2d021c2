"""X (formerly Twitter) through API v2 with an OAuth 2.0 user-context token.

Connecting a channel: OAuth 2.0 authorization code with PKCE and the scopes
``tweet.read tweet.write users.read media.write offline.access`` (see
:mod:`postguard.connectors.oauth`). Access tokens last two hours; the refresh
token is single-use, so :meth:`XConnector.refresh` returns new credentials
that must be stored.

X keeps no idempotency key, so :meth:`XConnector.find_published` looks for our
exact text among the account's posts since the intent (links compared loosely:
X rewrites them to t.co).
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, ClassVar

import httpx

from postguard.connectors.base import (
    URL_RE,
    AccountMetrics,
    Capabilities,
    ConnectorError,
    Credentials,
    InboundItem,
    InboundKind,
    Limits,
    NotFound,
    OutgoingPost,
    PermanentError,
    PostMetrics,
    Published,
    check_limits,
    compose_text,
    normalize_for_match,
    parse_time,
    utcnow,
)
from postguard.connectors.http import HttpConnector, body_json, seconds_until_epoch

TOKEN_URL = "https://api.x.com/2/oauth2/token"
URL_WEIGHT = 23
#: twitter-text v3: code points in these ranges weigh 1, everything else 2 (of 280).
_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))


def weighted_length(text: str) -> int:
    """Length as X counts it: links are 23, most Latin script 1, CJK and emoji 2
    (an emoji sequence joined with ZWJ or modifiers counts once)."""
    total = 0
    last = 0
    for match in URL_RE.finditer(text):
        total += _weigh(text[last : match.start()]) + URL_WEIGHT
        last = match.end()
    return total + _weigh(text[last:])


def _weigh(text: str) -> int:
    total = 0
    join_next = False
    for char in text:
        code = ord(char)
        if join_next:
            join_next = False
            continue
        if code == 0x200D:
            join_next = True
            continue
        if (
            unicodedata.category(char) in ("Mn", "Me")
            or 0xFE00 <= code <= 0xFE0F
            or 0x1F3FB <= code <= 0x1F3FF
        ):
            continue
        total += 1 if any(lo <= code <= hi for lo, hi in _LIGHT_RANGES) else 2
    return total


class XConnector(HttpConnector):
    network: ClassVar[str] = "x"
    display_name: ClassVar[str] = "X"
    base_url = "https://api.x.com"
    limits: ClassVar[Limits] = Limits(
        max_chars=280,
        char_unit="characters (links count as 23, emoji and CJK as 2)",
        max_images=4,
        max_image_bytes=5_000_000,
        max_alt_chars=1000,
        image_mimes=("image/jpeg", "image/png", "image/gif", "image/webp"),
    )
    capabilities: ClassVar[Capabilities] = Capabilities(
        fetch_comments=False,
        metric_impressions=True,
        metric_reach=False,
        metric_link_clicks=True,
        auth="oauth2",
        notes=(
            "Link clicks and impressions are only available for the last 30 days.",
            "Replies and mentions come from the mentions timeline.",
        ),
    )

    @property
    def user_id(self) -> str:
        return str(self.settings["user_id"])

    def text_length(self, text: str) -> int:
        return weighted_length(text)

    def validate(self, post: OutgoingPost) -> list[str]:
        limits = self.limits
        if "max_chars" in self.settings:  # Premium accounts may post longer texts
            limits = replace(limits, max_chars=int(self.settings["max_chars"]))
        return check_limits(self.display_name, limits, post, self.text_length)

    # -- errors -----------------------------------------------------------------------------
    def retry_after(self, response: httpx.Response) -> float | None:
        reset = seconds_until_epoch(response.headers.get("x-rate-limit-reset"))
        return reset if reset is not None else super().retry_after(response)

    def error_message(self, response: httpx.Response) -> str:
        data = body_json(response)
        if isinstance(data, dict):
            if isinstance(data.get("detail"), str):
                return str(data["detail"])
            errors = data.get("errors")
            if isinstance(errors, list) and errors and isinstance(errors[0], dict):
                return str(errors[0].get("message") or errors[0].get("detail") or "")
        return super().error_message(response)

    def classify(self, response: httpx.Response, what: str) -> ConnectorError:
        if response.status_code == 403 and "duplicate" in self.error_message(response).lower():
            return PermanentError(
                f"X refused {what}: it already has a post with this exact text — change the text"
            )
        return super().classify(response, what)

    # -- session ----------------------------------------------------------------------------
    def authenticate(self) -> None:
        data = self.request("GET", "/2/users/me", what="checking the account").json()["data"]
        if "user_id" not in self.settings:
            self.settings = {**self.settings, "user_id": data["id"]}

    def refresh(self) -> Credentials:
        refresh_token = self.credentials.secrets.get("refresh_token")
        if not refresh_token:
            return super().refresh()
        client_id = self.credentials.get("client_id")
        form = {
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": client_id,
        }
        secret = self.credentials.secrets.get("client_secret")

        def send() -> httpx.Response:
            if secret:  # a confidential client authenticates itself
                return self.http.post(TOKEN_URL, data=form, auth=httpx.BasicAuth(client_id, secret))
            return self.http.post(TOKEN_URL, data=form)

        return self.exchange_refresh_token(send, refresh_token)

    # -- publishing -------------------------------------------------------------------------
    def _upload(self, data: bytes, mime: str, alt: str) -> str:
        response = self.request(
            "POST",
            "/2/media/upload",
            what="uploading an image",
            files={"media": ("image", data, mime)},
            data={"media_category": "tweet_image", "media_type": mime},
        )
        media_id = str(response.json()["data"]["id"])
        if alt:
            self.request(
                "POST",
                "/2/media/metadata",
                what="adding alt text",
                json={"id": media_id, "metadata": {"alt_text": {"text": alt}}},
            )
        return media_id

    def publish(self, post: OutgoingPost, idempotency_key: str) -> Published:
        self.ensure_valid(post)
        body: dict[str, Any] = {"text": compose_text(post)}
        if post.images:
            body["media"] = {
                "media_ids": [self._upload(i.data, i.mime, i.alt) for i in post.images]
            }
        if post.reply_to:
            body["reply"] = {"in_reply_to_tweet_id": post.reply_to}
        data = self.request("POST", "/2/tweets", what="publishing", json=body).json()["data"]
        return Published(
            remote_id=str(data["id"]),
            url=f"https://x.com/i/web/status/{data['id']}",
            published_at=utcnow(),
        )

    def find_published(
        self, idempotency_key: str, since: datetime, post: OutgoingPost
    ) -> Published | None:
        wanted = normalize_for_match(compose_text(post))
        params: dict[str, Any] = {
            "start_time": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "max_results": 100,
            "tweet.fields": "created_at,text",
        }
        while True:
            page = self.request(
                "GET", f"/2/users/{self.user_id}/tweets", what="looking for a post", params=params
            ).json()
            for tweet in page.get("data", []):
                if normalize_for_match(tweet["text"]) == wanted:
                    return Published(
                        remote_id=str(tweet["id"]),
                        url=f"https://x.com/i/web/status/{tweet['id']}",
                        published_at=parse_time(tweet["created_at"]),
                    )
            token = page.get("meta", {}).get("next_token")
            if not token:
                return None
            params["pagination_token"] = token

    def delete(self, remote_id: str) -> None:
        with contextlib.suppress(NotFound):  # already gone
            self.request("DELETE", f"/2/tweets/{remote_id}", what="deleting")

    def gone(self, remote_ids: Sequence[str]) -> set[str]:
        """``GET /2/tweets?ids=``: a resource-not-found problem for an id is definite."""
        # X answers 200 for a deleted post, with a "resource-not-found" problem in
        # ``errors`` and no ``data`` (a 404 only when the route itself is unknown).
        missing = set()
        for start in range(0, len(remote_ids), 100):
            batch = list(remote_ids[start : start + 100])
            page = self.request(
                "GET", "/2/tweets", what="checking posts", params={"ids": ",".join(batch)}
            ).json()
            found = {str(t.get("id")) for t in page.get("data", []) if isinstance(t, dict)}
            for problem in page.get("errors", []):
                if (
                    isinstance(problem, dict)
                    and str(problem.get("type", "")).endswith("/resource-not-found")
                    and str(problem.get("resource_id", problem.get("value"))) in batch
                ):
                    remote_id = str(problem.get("resource_id", problem.get("value")))
                    if remote_id not in found:
                        missing.add(remote_id)
        return missing

    # -- reading ----------------------------------------------------------------------------
    def fetch_inbound(self, since_cursor: str | None) -> tuple[list[InboundItem], str | None]:
        params: dict[str, Any] = {
            "max_results": 100,
            "tweet.fields": "created_at,author_id,in_reply_to_user_id,referenced_tweets",
            "expansions": "author_id",
            "user.fields": "username",
        }
        if since_cursor:
            params["since_id"] = since_cursor
        items: list[InboundItem] = []
        newest = since_cursor
        while True:
            page = self.request(
                "GET", f"/2/users/{self.user_id}/mentions", what="reading mentions", params=params
            ).json()
            users = {u["id"]: u["username"] for u in page.get("includes", {}).get("users", [])}
            for tweet in page.get("data", []):
                parent = next(
                    (
                        ref["id"]
                        for ref in tweet.get("referenced_tweets", [])
                        if ref.get("type") == "replied_to"
                    ),
                    None,
                )
                kind: InboundKind = (
                    "reply" if parent and tweet.get("in_reply_to_user_id") == self.user_id
                    else "mention"
                )  # fmt: skip
                items.append(
                    InboundItem(
                        remote_id=str(tweet["id"]),
                        parent_remote_id=parent,
                        author_handle=users.get(tweet.get("author_id", ""), "unknown"),
                        text=tweet["text"],
                        created_at=parse_time(tweet["created_at"]),
                        kind=kind,
                        url=f"https://x.com/i/web/status/{tweet['id']}",
                    )
                )
            meta = page.get("meta", {})
            if meta.get("newest_id") and (newest is None or int(meta["newest_id"]) > int(newest)):
                newest = str(meta["newest_id"])
            token = meta.get("next_token")
            if not token:
                break
            params["pagination_token"] = token
        items.sort(key=lambda i: i.created_at)
        return items, newest

    def post_metrics(self, remote_ids: Sequence[str]) -> list[PostMetrics]:
        results = []
        for start in range(0, len(remote_ids), 100):
            batch = remote_ids[start : start + 100]
            page = self.request(
                "GET", "/2/tweets", what="reading post metrics",
                params={"ids": ",".join(batch),
                        "tweet.fields": "public_metrics,non_public_metrics"},
            ).json()  # fmt: skip
            for tweet in page.get("data", []):
                public = tweet.get("public_metrics", {})
                private = tweet.get("non_public_metrics", {})
                results.append(
                    PostMetrics(
                        remote_id=str(tweet["id"]),
                        impressions=private.get("impression_count", public.get("impression_count")),
                        likes=public.get("like_count"),
                        comments=public.get("reply_count"),
                        shares=(public.get("retweet_count") or 0)
                        + (public.get("quote_count") or 0),
                        link_clicks=private.get("url_link_clicks"),
                        saves=public.get("bookmark_count"),
                    )
                )
        return results

    def account_metrics(self) -> AccountMetrics:
        data = self.request(
            "GET", "/2/users/me", what="reading the account",
            params={"user.fields": "public_metrics"},
        ).json()["data"]  # fmt: skip
        return AccountMetrics(
            followers=data.get("public_metrics", {}).get("followers_count"), measured_at=utcnow()
        )
