"""LinkedIn organization posts, against the versioned REST API's documented shapes (respx)."""

from __future__ import annotations

import json
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
from postguard.connectors.linkedin import (
    LinkedInConnector,
    escape_little_text,
    unescape_little_text,
)

API = "https://api.linkedin.com"
ORG = "urn:li:organization:5515715"


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=API, assert_all_called=False) as router:
        yield router


@pytest.fixture
def linkedin() -> Iterator[LinkedInConnector]:
    creds = Credentials(
        {"access_token": "li-at", "refresh_token": "li-rt", "client_id": "c",
         "client_secret": "s"}
    )  # fmt: skip
    with LinkedInConnector(creds, {"organization": "5515715"}) as connector:
        yield connector


def test_little_text_markup_is_escaped_and_unescaped() -> None:
    text = "Join us (Saturday) @ the library #WBW2026 [free] *all* welcome_ok"
    escaped = escape_little_text(text)
    assert escaped == (
        "Join us \\(Saturday\\) \\@ the library \\#WBW2026 \\[free\\] \\*all\\* welcome\\_ok"
    )
    assert unescape_little_text(escaped) == text


def test_it_publishes_an_image_post_as_the_organization(
    api: respx.MockRouter, linkedin: LinkedInConnector
) -> None:
    init = api.post("/rest/images", params={"action": "initializeUpload"}).mock(
        return_value=httpx.Response(
            200,
            json={"value": {"uploadUrlExpiresAt": 1650567510704,
                            "uploadUrl": "https://www.linkedin.com/dms-uploads/C4E10AQ/upload",
                            "image": "urn:li:image:C4E10AQFoyyAjHPMQuQ"}},
        )
    )  # fmt: skip
    upload = api.put(host="www.linkedin.com", path="/dms-uploads/C4E10AQ/upload").mock(
        return_value=httpx.Response(201)
    )
    posts = api.post("/rest/posts").mock(
        return_value=httpx.Response(
            201, headers={"x-restli-id": "urn:li:share:6844785523593134080"}
        )
    )

    published = linkedin.publish(
        OutgoingPost(
            "Drop-in (Saturday)", images=(Image(b"\xff\xd8", "Volunteers", "image/jpeg"),)
        ),
        "k",
    )

    assert published.remote_id == "urn:li:share:6844785523593134080"
    assert published.url == "https://www.linkedin.com/feed/update/urn:li:share:6844785523593134080/"
    assert json.loads(init.calls.last.request.content) == {
        "initializeUploadRequest": {"owner": ORG}
    }
    assert upload.calls.last.request.content == b"\xff\xd8"
    request = posts.calls.last.request
    assert request.headers["linkedin-version"] == "202510"
    assert request.headers["x-restli-protocol-version"] == "2.0.0"
    assert request.headers["authorization"] == "Bearer li-at"
    body = json.loads(request.content)
    assert body["author"] == ORG
    assert body["commentary"] == "Drop-in \\(Saturday\\)"
    assert body["content"] == {
        "media": {"id": "urn:li:image:C4E10AQFoyyAjHPMQuQ", "altText": "Volunteers"}
    }
    assert body["lifecycleState"] == "PUBLISHED"
    assert body["distribution"]["feedDistribution"] == "MAIN_FEED"


def test_a_reply_is_a_comment_by_the_page(
    api: respx.MockRouter, linkedin: LinkedInConnector
) -> None:
    route = api.post("/rest/socialActions/urn%3Ali%3Aactivity%3A6630/comments").mock(
        return_value=httpx.Response(
            201,
            json={"$URN": "urn:li:comment:(urn:li:activity:6630,6636)",
                  "actor": ORG, "message": {"text": "Thank you!"}},
        )
    )  # fmt: skip
    published = linkedin.publish(
        OutgoingPost("Thank you!", reply_to="urn:li:comment:(urn:li:activity:6630,6631)"), "k"
    )
    assert published.remote_id == "urn:li:comment:(urn:li:activity:6630,6636)"
    assert json.loads(route.calls.last.request.content) == {
        "actor": ORG,
        "message": {"text": "Thank you!"},
        "object": "urn:li:activity:6630",
        "parentComment": "urn:li:comment:(urn:li:activity:6630,6631)",
    }


def test_find_published_reads_the_pages_posts(
    api: respx.MockRouter, linkedin: LinkedInConnector
) -> None:
    route = api.get("/rest/posts").mock(
        return_value=httpx.Response(
            200,
            json={"paging": {"start": 0, "count": 50, "links": []},
                  "elements": [
                      {"id": "urn:li:share:2", "author": ORG, "commentary": "Other",
                       "createdAt": 1795226885000, "lifecycleState": "PUBLISHED"},
                      {"id": "urn:li:share:1", "author": ORG,
                       "commentary": "Drop-in \\(Saturday\\)", "createdAt": 1795226884000,
                       "lifecycleState": "PUBLISHED"},
                  ]},
        )
    )  # fmt: skip
    since = datetime.fromtimestamp(1795226800, tz=UTC)
    found = linkedin.find_published("k", since, OutgoingPost("Drop-in (Saturday)"))
    assert found is not None and found.remote_id == "urn:li:share:1"
    params = route.calls.last.request.url.params
    assert (params["q"], params["author"]) == ("author", ORG)
    assert linkedin.find_published("k", since, OutgoingPost("never")) is None


def test_comments_are_pulled_since_the_cursor(
    api: respx.MockRouter, linkedin: LinkedInConnector
) -> None:
    api.get("/rest/posts").mock(
        return_value=httpx.Response(200, json={"elements": [{"id": "urn:li:share:1"}]})
    )
    api.get("/rest/socialActions/urn%3Ali%3Ashare%3A1/comments").mock(
        return_value=httpx.Response(
            200,
            json={"paging": {"count": 10, "start": 0}, "elements": [
                {"$URN": "urn:li:comment:(urn:li:activity:1,10)", "actor": "urn:li:person:abc",
                 "message": {"text": "Old"}, "created": {"time": 1000}},
                {"$URN": "urn:li:comment:(urn:li:activity:1,11)", "actor": "urn:li:person:abc",
                 "message": {"text": "Where?"}, "created": {"time": 3000}},
                {"$URN": "urn:li:comment:(urn:li:activity:1,12)", "actor": ORG,
                 "message": {"text": "Here"}, "created": {"time": 4000}},
            ]},
        )
    )  # fmt: skip
    items, cursor = linkedin.fetch_inbound("2000")
    assert [(i.remote_id, i.text, i.kind) for i in items] == [
        ("urn:li:comment:(urn:li:activity:1,11)", "Where?", "comment")
    ]
    assert cursor == "3000"


def test_metrics_come_from_share_statistics(
    api: respx.MockRouter, linkedin: LinkedInConnector
) -> None:
    route = api.get(path="/rest/organizationalEntityShareStatistics").mock(
        return_value=httpx.Response(
            200,
            json={"paging": {"count": 10, "start": 0, "links": []}, "elements": [{
                "organizationalEntity": ORG, "share": "urn:li:share:1",
                "totalShareStatistics": {"uniqueImpressionsCount": 310, "shareCount": 4,
                                         "engagement": 0.05, "clickCount": 22, "likeCount": 15,
                                         "impressionCount": 480, "commentCount": 3},
            }]},
        )
    )  # fmt: skip
    api.get("/rest/networkSizes/urn%3Ali%3Aorganization%3A5515715").mock(
        return_value=httpx.Response(200, json={"firstDegreeSize": 4321})
    )

    (m,) = linkedin.post_metrics(["urn:li:share:1"])
    assert (m.impressions, m.reach, m.likes, m.comments, m.shares, m.link_clicks) == (
        480, 310, 15, 3, 4, 22,
    )  # fmt: skip
    assert "shares=List(urn%3Ali%3Ashare%3A1)" in str(route.calls.last.request.url)
    assert linkedin.account_metrics().followers == 4321


@pytest.mark.parametrize(
    ("status", "body", "headers", "error", "message"),
    [
        (401, {"serviceErrorCode": 65601, "code": "REVOKED_ACCESS_TOKEN", "status": 401,
               "message": "The token used in the request has been revoked by the user"}, {},
         TokenExpired, "revoked"),
        (403, {"serviceErrorCode": 100, "code": "ACCESS_DENIED", "status": 403,
               "message": "Not enough permissions to access: partnerApiPostsExternal.CREATE"},
         {}, AuthError, "Not enough permissions"),
        (429, {"status": 429, "serviceErrorCode": 101, "code": "TOO_MANY_REQUESTS",
               "message": "Resource level throttle APPLICATION DAY limit for calls to this "
                          "resource is reached."}, {"Retry-After": "3600"},
         RateLimited, "throttle"),
        (500, {"status": 500, "message": "Internal Server Error"}, {}, TransientError,
         "Internal Server Error"),
        (422, {"status": 422, "message": "ERROR :: /commentary :: length is too long"}, {},
         PermanentError, "too long"),
    ],
)  # fmt: skip
def test_errors_are_classified(
    api: respx.MockRouter,
    linkedin: LinkedInConnector,
    status: int,
    body: dict[str, object],
    headers: dict[str, str],
    error: type[Exception],
    message: str,
) -> None:
    api.post("/rest/posts").mock(return_value=httpx.Response(status, json=body, headers=headers))
    with pytest.raises(error, match=message) as raised:
        linkedin.publish(OutgoingPost("hi"), "k")
    assert "li-at" not in str(raised.value)
    if error is RateLimited:
        assert raised.value.retry_after == 3600  # type: ignore[attr-defined]


def test_a_rate_limit_without_retry_after_waits_for_midnight_utc(
    api: respx.MockRouter, linkedin: LinkedInConnector
) -> None:
    api.post("/rest/posts").mock(
        return_value=httpx.Response(429, json={"status": 429, "message": "Too many requests"})
    )
    with pytest.raises(RateLimited) as limited:
        linkedin.publish(OutgoingPost("hi"), "k")
    assert limited.value.retry_after is not None and 0 < limited.value.retry_after <= 86_400


def test_refresh_uses_the_refresh_token(api: respx.MockRouter, linkedin: LinkedInConnector) -> None:
    api.post(host="www.linkedin.com", path="/oauth/v2/accessToken").mock(
        return_value=httpx.Response(
            200,
            json={"access_token": "li-at-2", "expires_in": 5184000, "refresh_token": "li-rt",
                  "refresh_token_expires_in": 525600},
        )
    )  # fmt: skip
    creds = linkedin.refresh()
    assert creds.secrets["access_token"] == "li-at-2"
    assert creds.expires_at is not None


def test_a_token_without_refresh_that_expired_asks_to_reconnect() -> None:
    creds = Credentials({"access_token": "x"}, expires_at=datetime(2020, 1, 1, tzinfo=UTC))
    with (
        LinkedInConnector(creds, {"organization": "1"}) as linkedin,
        pytest.raises(TokenExpired, match="expired on 2020-01-01: reconnect the channel"),
    ):
        linkedin.refresh()
