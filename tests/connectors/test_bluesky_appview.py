"""The Bluesky connector's AppView mode (bsky.social), which a bare PDS cannot serve:
notifications, post counts and the profile, against the lexicons' response shapes
(respx), plus the mapping of XRPC errors."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator

import httpx
import pytest
import respx

from postguard.connectors.base import (
    AuthError,
    Credentials,
    OutgoingPost,
    PermanentError,
    RateLimited,
    TokenExpired,
    TransientError,
)
from postguard.connectors.bluesky import BlueskyConnector

PDS = "https://pds.example"
DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
OTHER = "did:plc:44ybard66vv44zksje25o7dz"
POST_URI = f"at://{DID}/app.bsky.feed.post/3l6oveex3ii2l"


def jwt(exp: float) -> str:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    claims = {"scope": "com.atproto.appPass", "sub": DID, "exp": int(exp)}
    return f"{part({'typ': 'at+jwt', 'alg': 'ES256K'})}.{part(claims)}.c2ln"


def session() -> dict[str, object]:
    return {
        "did": DID,
        "handle": "assoc.example",
        "accessJwt": jwt(time.time() + 7200),
        "refreshJwt": jwt(time.time() + 86400 * 60),
        "active": True,
    }


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=f"{PDS}/xrpc", assert_all_called=False) as router:
        router.post("/com.atproto.server.createSession").mock(
            return_value=httpx.Response(200, json=session())
        )
        yield router


@pytest.fixture
def bluesky() -> Iterator[BlueskyConnector]:
    with BlueskyConnector(
        Credentials({"app_password": "abcd-efgh-ijkl-mnop"}),
        {"service": PDS, "handle": "assoc.example"},
    ) as connector:
        yield connector


def reply_record(text: str) -> dict[str, object]:
    ref = {"uri": POST_URI, "cid": "bafyreib2rxk3rh6kzwq"}
    return {
        "$type": "app.bsky.feed.post",
        "text": text,
        "createdAt": "2026-11-21T10:01:00.000Z",
        "reply": {"root": ref, "parent": ref},
    }


def test_replies_and_mentions_come_from_notifications(
    api: respx.MockRouter, bluesky: BlueskyConnector
) -> None:
    author = {"did": OTHER, "handle": "ann.example"}
    api.get("/app.bsky.notification.listNotifications").mock(
        return_value=httpx.Response(
            200,
            json={"notifications": [
                {"uri": f"at://{OTHER}/app.bsky.feed.like/3l6a", "cid": "bafyreia1",
                 "author": author, "reason": "like", "isRead": False,
                 "indexedAt": "2026-11-21T10:03:00.000Z",
                 "record": {"$type": "app.bsky.feed.like", "createdAt": "2026-11-21T10:03:00Z",
                            "subject": {"uri": POST_URI, "cid": "bafyreib2rxk3rh6kzwq"}}},
                {"uri": f"at://{OTHER}/app.bsky.feed.post/3l6b", "cid": "bafyreia2",
                 "author": author, "reason": "reply", "isRead": False,
                 "indexedAt": "2026-11-21T10:01:01.000Z",
                 "record": reply_record("Is it free?")},
                {"uri": f"at://{OTHER}/app.bsky.feed.post/3l6c", "cid": "bafyreia3",
                 "author": author, "reason": "mention", "isRead": True,
                 "indexedAt": "2026-11-21T09:00:00.000Z",
                 "record": {"$type": "app.bsky.feed.post", "text": "old",
                            "createdAt": "2026-11-21T09:00:00.000Z"}},
            ]},
        )
    )  # fmt: skip

    items, cursor = bluesky.fetch_inbound("2026-11-21T09:30:00+00:00")

    assert [(i.kind, i.author_handle, i.text, i.parent_remote_id) for i in items] == [
        ("reply", "ann.example", "Is it free?", POST_URI)
    ]
    assert cursor == "2026-11-21T10:03:00+00:00"


def test_counts_come_from_get_posts_and_followers_from_the_profile(
    api: respx.MockRouter, bluesky: BlueskyConnector
) -> None:
    api.get("/app.bsky.feed.getPosts").mock(
        return_value=httpx.Response(
            200,
            json={"posts": [{
                "uri": POST_URI, "cid": "bafyreib2rxk3rh6kzwq",
                "author": {"did": DID, "handle": "assoc.example"},
                "record": {"$type": "app.bsky.feed.post", "text": "hi",
                           "createdAt": "2026-11-21T10:00:00.000Z"},
                "indexedAt": "2026-11-21T10:00:01.000Z",
                "likeCount": 14, "repostCount": 3, "replyCount": 2, "quoteCount": 1,
            }]},
        )
    )  # fmt: skip
    api.get("/app.bsky.actor.getProfile").mock(
        return_value=httpx.Response(
            200, json={"did": DID, "handle": "assoc.example", "followersCount": 812}
        )
    )
    (m,) = bluesky.post_metrics([POST_URI])
    assert (m.likes, m.comments, m.shares, m.impressions, m.reach) == (14, 2, 4, None, None)
    assert bluesky.account_metrics().followers == 812


@pytest.mark.parametrize(
    ("status", "body", "headers", "error", "message"),
    [
        (429, {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
         {"ratelimit-limit": "5000", "ratelimit-remaining": "0",
          "ratelimit-reset": "{in_60_seconds}", "ratelimit-policy": "5000;w=3600"},
         RateLimited, "rate limit"),
        (400, {"error": "ExpiredToken", "message": "Token has expired"}, {}, TokenExpired,
         "reconnect"),
        (401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"},
         {}, AuthError, "app password"),
        (400, {"error": "InvalidRequest", "message": "Record/text must not be longer than 300 "
               "graphemes"}, {}, PermanentError, "300 graphemes"),
        (502, {"error": "UpstreamFailure", "message": "upstream"}, {}, TransientError,
         "unreachable"),
        (500, {"error": "InternalServerError", "message": "Internal Server Error"}, {},
         TransientError, "server error"),
    ],
)  # fmt: skip
def test_xrpc_errors_are_classified(
    api: respx.MockRouter,
    bluesky: BlueskyConnector,
    status: int,
    body: dict[str, str],
    headers: dict[str, str],
    error: type[Exception],
    message: str,
) -> None:
    in_60_seconds = str(int(time.time()) + 60)  # now, not at collection time
    headers = {k: v.format(in_60_seconds=in_60_seconds) for k, v in headers.items()}
    api.post("/com.atproto.repo.createRecord").mock(
        return_value=httpx.Response(status, json=body, headers=headers)
    )
    with pytest.raises(error, match=message) as raised:
        bluesky.publish(OutgoingPost("hi"), "k")
    assert "abcd-efgh" not in str(raised.value)
    if error is RateLimited:
        retry_after = raised.value.retry_after  # type: ignore[attr-defined]
        assert retry_after is not None and 0 < retry_after <= 61
