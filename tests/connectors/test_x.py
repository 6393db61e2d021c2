"""X API v2, against the request and response shapes in X's API reference (respx)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
import respx

from postguard.connectors.base import (
    AuthError,
    Credentials,
    Image,
    OutgoingPost,
    PermanentError,
    RateLimited,
    TokenExpired,
    TransientError,
)
from postguard.connectors.x import XConnector, weighted_length

API = "https://api.x.com"


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=API, assert_all_called=False) as router:
        yield router


@pytest.fixture
def x() -> Iterator[XConnector]:
    creds = Credentials({"access_token": "at-1", "refresh_token": "rt-1", "client_id": "cid"})
    with XConnector(creds, {"user_id": "2244994945"}) as connector:
        yield connector


def test_length_counts_links_as_23_and_wide_characters_as_2() -> None:
    assert weighted_length("hello") == 5
    assert weighted_length("see https://example.org/a/very/long/path/indeed") == 4 + 23
    assert weighted_length("日本") == 4
    assert weighted_length("\U0001f469\u200d\U0001f393") == 2  # one emoji sequence
    assert weighted_length("café") == 4


def test_validation_says_what_to_change(x: XConnector) -> None:
    post = OutgoingPost("é" * 290, images=(Image(b"x", "y" * 1001, "image/png"),) * 5)
    assert x.validate(post) == [
        "X allows 280 characters (links count as 23, emoji and CJK as 2); this post has 290 — "
        "shorten it by 10",
        "X allows 4 images per post; this post has 5 — remove 1",
        *[
            f"the alt text of image {i} has 1001 characters; X allows 1000 — shorten it by 1"
            for i in range(1, 6)
        ],
    ]


def test_it_publishes_text_images_with_alt_text_and_replies(
    api: respx.MockRouter, x: XConnector
) -> None:
    upload = api.post("/2/media/upload").mock(
        return_value=httpx.Response(
            200,
            json={"data": {"id": "1146654567674912769", "media_key": "3_1146654567674912769",
                           "size": 3, "expires_after_secs": 86400}},
        )
    )  # fmt: skip
    metadata = api.post("/2/media/metadata").mock(
        return_value=httpx.Response(200, json={"data": {"associated_metadata": {}}})
    )
    tweet = api.post("/2/tweets").mock(
        return_value=httpx.Response(
            201, json={"data": {"id": "1445880548472328192", "text": "Hello"}}
        )
    )

    published = x.publish(
        OutgoingPost("Hello", images=(Image(b"\xff\xd8\xff", "A leaflet", "image/jpeg"),),
                     reply_to="1445880548472320000"),
        "key-1",
    )  # fmt: skip

    assert published.remote_id == "1445880548472328192"
    assert published.url == "https://x.com/i/web/status/1445880548472328192"
    assert upload.calls.last.request.headers["authorization"] == "Bearer at-1"
    assert b'name="media_category"' in upload.calls.last.request.content
    assert json.loads(metadata.calls.last.request.content) == {
        "id": "1146654567674912769",
        "metadata": {"alt_text": {"text": "A leaflet"}},
    }
    assert json.loads(tweet.calls.last.request.content) == {
        "text": "Hello",
        "media": {"media_ids": ["1146654567674912769"]},
        "reply": {"in_reply_to_tweet_id": "1445880548472320000"},
    }


def test_find_published_matches_text_even_with_shortened_links(
    api: respx.MockRouter, x: XConnector
) -> None:
    timeline = api.get("/2/users/2244994945/tweets").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [
                    {"id": "2", "text": "Other", "created_at": "2026-11-21T10:00:05.000Z"},
                    {"id": "1", "text": "Read this\n\nhttps://t.co/abc",
                     "created_at": "2026-11-21T10:00:01.000Z"},
                ],
                "meta": {"result_count": 2, "newest_id": "2", "oldest_id": "1"},
            },
        )
    )  # fmt: skip
    since = datetime(2026, 11, 21, 9, 55, tzinfo=UTC)
    post = OutgoingPost("Read this", link="https://example.org/guide")

    found = x.find_published("key", since, post)

    assert found is not None and found.remote_id == "1"
    assert timeline.calls.last.request.url.params["start_time"] == "2026-11-21T09:55:00Z"
    assert x.find_published("key", since, OutgoingPost("Never posted")) is None


def test_mentions_and_replies_are_fetched_since_the_cursor(
    api: respx.MockRouter, x: XConnector
) -> None:
    route = api.get("/2/users/2244994945/mentions").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [
                    {"id": "1003", "text": "@assoc thanks!", "author_id": "9",
                     "created_at": "2026-11-21T10:02:00.000Z"},
                    {"id": "1002", "text": "@assoc is there a group on Tuesdays?",
                     "author_id": "9", "in_reply_to_user_id": "2244994945",
                     "created_at": "2026-11-21T10:01:00.000Z",
                     "referenced_tweets": [{"type": "replied_to", "id": "1000"}]},
                ],
                "includes": {"users": [{"id": "9", "name": "Sam", "username": "sam_parent"}]},
                "meta": {"result_count": 2, "newest_id": "1003", "oldest_id": "1002"},
            },
        )
    )  # fmt: skip

    items, cursor = x.fetch_inbound("999")

    assert route.calls.last.request.url.params["since_id"] == "999"
    assert cursor == "1003"
    assert [(i.kind, i.remote_id, i.parent_remote_id, i.author_handle) for i in items] == [
        ("reply", "1002", "1000", "sam_parent"),
        ("mention", "1003", None, "sam_parent"),
    ]


def test_metrics_combine_public_and_owner_only_figures(
    api: respx.MockRouter, x: XConnector
) -> None:
    api.get("/2/tweets").mock(
        return_value=httpx.Response(
            200,
            json={"data": [{
                "id": "1", "text": "t",
                "public_metrics": {"retweet_count": 2, "reply_count": 3, "like_count": 10,
                                   "quote_count": 1, "bookmark_count": 0,
                                   "impression_count": 500},
                "non_public_metrics": {"impression_count": 512, "url_link_clicks": 7,
                                       "user_profile_clicks": 1},
            }]},
        )
    )  # fmt: skip
    api.get("/2/users/me").mock(
        return_value=httpx.Response(
            200,
            json={"data": {"id": "2244994945", "username": "assoc",
                           "public_metrics": {"followers_count": 1234, "following_count": 5,
                                              "tweet_count": 99, "listed_count": 1}}},
        )
    )  # fmt: skip

    (metrics,) = x.post_metrics(["1"])
    assert (metrics.impressions, metrics.likes, metrics.comments, metrics.shares) == (
        512, 10, 3, 3,
    )  # fmt: skip
    assert (metrics.link_clicks, metrics.reach) == (7, None)
    assert x.account_metrics().followers == 1234


def test_a_rate_limit_says_when_to_come_back(api: respx.MockRouter, x: XConnector) -> None:
    reset = int(time.time()) + 120
    api.post("/2/tweets").mock(
        return_value=httpx.Response(
            429,
            headers={"x-rate-limit-limit": "200", "x-rate-limit-remaining": "0",
                     "x-rate-limit-reset": str(reset)},
            json={"title": "Too Many Requests", "detail": "Too Many Requests",
                  "type": "about:blank", "status": 429},
        )
    )  # fmt: skip
    with pytest.raises(RateLimited) as limited:
        x.publish(OutgoingPost("hi"), "k")
    assert limited.value.retry_after is not None
    assert 100 <= limited.value.retry_after <= 121


@pytest.mark.parametrize(
    ("status", "body", "error", "message"),
    [
        (401, {"title": "Unauthorized", "type": "about:blank", "status": 401,
               "detail": "Unauthorized"}, TokenExpired, "reconnect the channel"),
        (403, {"detail": "You are not allowed to create a Tweet with duplicate content.",
               "type": "about:blank", "title": "Forbidden", "status": 403},
         PermanentError, "already has a post with this exact text"),
        (403, {"detail": "You are not permitted to perform this action.", "status": 403,
               "title": "Forbidden", "type": "about:blank"}, AuthError, "permissions"),
        (400, {"errors": [{"message": "text is too long"}], "title": "Invalid Request",
               "detail": "One or more parameters to your request was invalid.",
               "type": "https://api.twitter.com/2/problems/invalid-request"},
         PermanentError, "parameters to your request was invalid"),
        (503, {"title": "Service Unavailable", "detail": "Service Unavailable",
               "type": "about:blank", "status": 503}, TransientError, "Service Unavailable"),
    ],
)  # fmt: skip
def test_errors_are_classified(
    api: respx.MockRouter,
    x: XConnector,
    status: int,
    body: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    api.post("/2/tweets").mock(return_value=httpx.Response(status, json=body))
    with pytest.raises(error, match=message) as raised:
        x.publish(OutgoingPost("hi"), "k")
    assert "at-1" not in str(raised.value)


def test_a_timeout_is_transient(api: respx.MockRouter, x: XConnector) -> None:
    api.post("/2/tweets").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(TransientError, match="did not answer in time"):
        x.publish(OutgoingPost("hi"), "k")


def test_refresh_rotates_the_single_use_refresh_token(api: respx.MockRouter, x: XConnector) -> None:
    token = api.post("/2/oauth2/token").mock(
        return_value=httpx.Response(
            200,
            json={"token_type": "bearer", "expires_in": 7200, "access_token": "at-2",
                  "scope": "tweet.read tweet.write users.read offline.access",
                  "refresh_token": "rt-2"},
        )
    )  # fmt: skip
    creds = x.refresh()
    assert (creds.secrets["access_token"], creds.secrets["refresh_token"]) == ("at-2", "rt-2")
    assert creds.expires_at is not None
    form = dict(httpx.QueryParams(token.calls.last.request.content.decode()))
    assert form == {"grant_type": "refresh_token", "refresh_token": "rt-1", "client_id": "cid"}

    api.post("/2/oauth2/token").mock(
        return_value=httpx.Response(
            400, json={"error": "invalid_request",
                       "error_description": "Value passed for the token was invalid."}
        )
    )  # fmt: skip
    with pytest.raises(TokenExpired, match="reconnect"):
        x.refresh()


def test_deleting_a_post_that_is_gone_is_fine(api: respx.MockRouter, x: XConnector) -> None:
    api.delete("/2/tweets/1").mock(
        return_value=httpx.Response(200, json={"data": {"deleted": True}})
    )
    api.delete("/2/tweets/2").mock(
        return_value=httpx.Response(
            404, json={"title": "Not Found Error", "detail": "Could not find tweet with id: [2].",
                       "type": "https://api.twitter.com/2/problems/resource-not-found"}
        )
    )  # fmt: skip
    x.delete("1")
    x.delete("2")
