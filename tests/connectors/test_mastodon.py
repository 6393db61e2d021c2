"""Mastodon through Mastodon.py (which uses requests), against the documented API
shapes, with the ``responses`` library."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import responses
from responses import matchers

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
from postguard.connectors.mastodon import MastodonConnector, html_to_text, mastodon_length

BASE = "https://social.example"


def status(**fields: Any) -> dict[str, Any]:
    """A status as GET /api/v1/statuses/:id documents it (fields we do not use trimmed)."""
    return {
        "id": "103270115826048975",
        "created_at": "2026-11-21T10:00:01.000Z",
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "uri": f"{BASE}/users/assoc/statuses/103270115826048975",
        "url": f"{BASE}/@assoc/103270115826048975",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
        "content": "<p>Hello</p>",
        "account": {"id": "1", "username": "assoc", "acct": "assoc"},
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
        **fields,
    }


@pytest.fixture
def api() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def mastodon() -> Iterator[MastodonConnector]:
    with MastodonConnector(
        Credentials({"access_token": "m-token"}), {"instance": BASE, "account_id": "1"}
    ) as connector:
        yield connector


def test_length_counts_links_as_23_and_remote_mentions_by_username() -> None:
    assert mastodon_length("see https://example.org/a/very/long/path") == 4 + 23
    assert mastodon_length("thanks @ann@social.example!") == len("thanks @ann!")


def test_html_content_becomes_text() -> None:
    content = (
        '<p>Line one<br />line two</p><p>Read <a href="https://e.org/a"><span class="invisible">'
        'https://</span><span class="">e.org/a</span></a> &amp; share</p>'
    )
    assert html_to_text(content) == "Line one\nline two\n\nRead https://e.org/a & share"


def test_validation_uses_the_instance_limit(mastodon: MastodonConnector) -> None:
    assert mastodon.validate(OutgoingPost("x" * 501)) == [
        "Mastodon allows 500 characters (links count as 23); this post has 501 — shorten it by 1"
    ]
    with MastodonConnector(
        Credentials({"access_token": "t"}), {"instance": BASE, "max_chars": 5000}
    ) as roomy:
        assert roomy.validate(OutgoingPost("x" * 501)) == []


def test_it_publishes_with_media_alt_text_and_the_idempotency_key(
    api: responses.RequestsMock, mastodon: MastodonConnector
) -> None:
    media = api.post(
        f"{BASE}/api/v2/media",
        json={"id": "22348641", "type": "image", "url": f"{BASE}/media/1.png",
              "preview_url": f"{BASE}/media/1s.png", "description": "A leaflet",
              "blurhash": "UFBWY:8_0Jxv"},
    )  # fmt: skip
    post = api.post(
        f"{BASE}/api/v1/statuses",
        json=status(content="<p>Hello</p>"),
        match=[matchers.header_matcher({"Idempotency-Key": "key-1",
                                        "Authorization": "Bearer m-token"})],
    )  # fmt: skip

    published = mastodon.publish(
        OutgoingPost("Hello", images=(Image(b"\x89PNG", "A leaflet", "image/png"),)), "key-1"
    )

    assert published.remote_id == "103270115826048975"
    assert published.url == f"{BASE}/@assoc/103270115826048975"
    assert published.published_at == datetime(2026, 11, 21, 10, 0, 1, tzinfo=UTC)
    assert media.call_count == 1
    assert b"A leaflet" in media.calls[0].request.body
    sent = post.calls[0].request.body
    sent_text = sent.decode() if isinstance(sent, bytes) else str(sent)
    assert "22348641" in sent_text


def test_find_published_compares_text_not_html(
    api: responses.RequestsMock, mastodon: MastodonConnector
) -> None:
    api.get(
        f"{BASE}/api/v1/accounts/1/statuses",
        json=[
            status(id="3", content="<p>Other</p>", created_at="2026-11-21T10:00:09.000Z"),
            status(id="2", created_at="2026-11-21T10:00:05.000Z",
                   content='<p>Read this</p><p><a href="https://e.org/g" rel="nofollow noopener" '
                           'target="_blank"><span class="invisible">https://</span><span class="">'
                           'e.org/g</span><span class="invisible"></span></a></p>'),
            status(id="1", content="<p>Too old</p>", created_at="2026-11-21T09:00:00.000Z"),
        ],
    )  # fmt: skip
    since = datetime(2026, 11, 21, 9, 55, tzinfo=UTC)
    found = mastodon.find_published("k", since, OutgoingPost("Read this", link="https://e.org/g"))
    assert found is not None and found.remote_id == "2"
    assert mastodon.find_published("k", since, OutgoingPost("Too old")) is None


def test_mentions_and_replies_come_from_notifications(
    api: responses.RequestsMock, mastodon: MastodonConnector
) -> None:
    page = [
        {"id": "35", "type": "mention", "created_at": "2026-11-21T10:02:00.000Z",
         "account": {"id": "9", "username": "ann", "acct": "ann@other.example"},
         "status": status(id="500", in_reply_to_id="103", in_reply_to_account_id="1",
                          content="<p>@assoc is it free?</p>",
                          created_at="2026-11-21T10:02:00.000Z")},
        {"id": "34", "type": "mention", "created_at": "2026-11-21T10:01:00.000Z",
         "account": {"id": "9", "username": "ann", "acct": "ann@other.example"},
         "status": status(id="499", content="<p>Thanks @assoc</p>",
                          created_at="2026-11-21T10:01:00.000Z")},
    ]  # fmt: skip
    api.get(f"{BASE}/api/v1/notifications", json=page,
            match=[matchers.query_param_matcher({"types[]": "mention", "min_id": "30",
                                                 "limit": "40"})])  # fmt: skip
    api.get(f"{BASE}/api/v1/notifications", json=[],
            match=[matchers.query_param_matcher({"types[]": "mention", "min_id": "35",
                                                 "limit": "40"})])  # fmt: skip

    items, cursor = mastodon.fetch_inbound("30")

    assert cursor == "35"
    assert [(i.kind, i.remote_id, i.parent_remote_id, i.author_handle, i.text) for i in items] == [
        ("mention", "499", None, "ann@other.example", "Thanks @assoc"),
        ("reply", "500", "103", "ann@other.example", "@assoc is it free?"),
    ]


def test_metrics_are_the_status_counts(
    api: responses.RequestsMock, mastodon: MastodonConnector
) -> None:
    api.get(f"{BASE}/api/v1/statuses/7",
            json=status(id="7", replies_count=2, reblogs_count=3, favourites_count=11))  # fmt: skip
    account = {"id": "1", "username": "assoc", "acct": "assoc", "followers_count": 321}
    api.get(f"{BASE}/api/v1/accounts/1", json=account)
    (m,) = mastodon.post_metrics(["7"])
    assert (m.likes, m.comments, m.shares, m.impressions) == (11, 2, 3, None)
    assert mastodon.account_metrics().followers == 321


@pytest.mark.parametrize(
    ("status_code", "body", "error", "message"),
    [
        (401, {"error": "The access token was revoked"}, TokenExpired, "reconnect"),
        (403, {"error": "This action is outside the authorized scopes"}, AuthError, "scopes"),
        (422, {"error": "Validation failed: Text character limit of 500 exceeded"},
         PermanentError, "character limit"),
        (503, {"error": "Service Unavailable"}, TransientError, "server error"),
    ],
)  # fmt: skip
def test_errors_are_classified(
    api: responses.RequestsMock,
    mastodon: MastodonConnector,
    status_code: int,
    body: dict[str, str],
    error: type[Exception],
    message: str,
) -> None:
    api.post(f"{BASE}/api/v1/statuses", json=body, status=status_code)
    with pytest.raises(error, match=message) as raised:
        mastodon.publish(OutgoingPost("hi"), "k")
    assert "m-token" not in str(raised.value)


def test_a_rate_limit_carries_the_reset_time(
    api: responses.RequestsMock, mastodon: MastodonConnector
) -> None:
    reset = datetime.fromtimestamp(time.time() + 300, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    api.post(
        f"{BASE}/api/v1/statuses",
        json={"error": "Too many requests"},
        status=429,
        headers={"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                 "X-RateLimit-Reset": reset},
    )  # fmt: skip
    with pytest.raises(RateLimited) as limited:
        mastodon.publish(OutgoingPost("hi"), "k")
    assert limited.value.retry_after is not None and 200 < limited.value.retry_after <= 301


def test_deleting_a_missing_status_is_fine(
    api: responses.RequestsMock, mastodon: MastodonConnector
) -> None:
    api.delete(f"{BASE}/api/v1/statuses/9", json={"error": "Record not found"}, status=404)
    api.get(f"{BASE}/api/v1/statuses/9", json={"error": "Record not found"}, status=404)
    mastodon.delete("9")
    body = json.dumps({"error": "Record not found"})
    assert "Record" in body
