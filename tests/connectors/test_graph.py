"""Facebook Pages and Instagram, against the Graph API's documented shapes (respx)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
import respx
from PIL import Image as PILImage

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
from postguard.connectors.facebook import FacebookConnector
from postguard.connectors.instagram import InstagramConnector

GRAPH = "https://graph.facebook.com/v24.0"
PAGE = "104223456789"
IG = "17841405822304914"


def jpeg(width: int = 80, height: int = 80) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (250, 240, 230)).save(buffer, format="JPEG")
    return buffer.getvalue()


def graph_error(code: int, message: str, subcode: int | None = None, **extra: object) -> dict:
    error: dict[str, object] = {"message": message, "type": "OAuthException", "code": code,
                                "fbtrace_id": "AbCdEfGh", **extra}  # fmt: skip
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": error}


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=GRAPH, assert_all_called=False) as router:
        yield router


@pytest.fixture
def facebook() -> Iterator[FacebookConnector]:
    with FacebookConnector(Credentials({"access_token": "page-token"}), {"page_id": PAGE}) as fb:
        yield fb


@pytest.fixture
def instagram() -> Iterator[InstagramConnector]:
    hosted: list[str] = []

    def host(image: Image) -> str:
        hosted.append(image.alt)
        return f"https://media.example.org/{len(hosted)}.jpg"

    with InstagramConnector(
        Credentials({"access_token": "ig-token"}), {"ig_user_id": IG}, image_host=host
    ) as ig:
        yield ig


# -- Facebook --------------------------------------------------------------------------------


def test_facebook_publishes_a_link_post(api: respx.MockRouter, facebook: FacebookConnector) -> None:
    feed = api.post(f"/{PAGE}/feed").mock(
        return_value=httpx.Response(200, json={"id": f"{PAGE}_5550001"})
    )
    published = facebook.publish(OutgoingPost("Our guide", link="https://e.org/g"), "k")

    assert published.remote_id == f"{PAGE}_5550001"
    assert published.url == f"https://www.facebook.com/{PAGE}_5550001"
    form = dict(httpx.QueryParams(feed.calls.last.request.content.decode()))
    assert form == {"message": "Our guide", "link": "https://e.org/g"}
    assert feed.calls.last.request.headers["authorization"] == "Bearer page-token"


def test_facebook_attaches_unpublished_photos_to_one_post(
    api: respx.MockRouter, facebook: FacebookConnector
) -> None:
    photos = api.post(f"/{PAGE}/photos").mock(
        side_effect=[httpx.Response(200, json={"id": "901"}),
                     httpx.Response(200, json={"id": "902"})]
    )  # fmt: skip
    feed = api.post(f"/{PAGE}/feed").mock(
        return_value=httpx.Response(200, json={"id": f"{PAGE}_5550002"})
    )
    facebook.publish(
        OutgoingPost("Two photos", images=(Image(jpeg(), "a"), Image(jpeg(), "b"))), "k"
    )

    assert photos.call_count == 2
    assert b'name="published"' in photos.calls[0].request.content
    form = dict(httpx.QueryParams(feed.calls.last.request.content.decode()))
    assert json.loads(form["attached_media[0]"]) == {"media_fbid": "901"}
    assert json.loads(form["attached_media[1]"]) == {"media_fbid": "902"}


def test_facebook_reply_is_a_comment(api: respx.MockRouter, facebook: FacebookConnector) -> None:
    comment = api.post("/5550001_777/comments").mock(
        return_value=httpx.Response(200, json={"id": "5550001_888"})
    )
    published = facebook.publish(OutgoingPost("Yes, on Tuesdays", reply_to="5550001_777"), "k")
    assert published.remote_id == "5550001_888"
    assert dict(httpx.QueryParams(comment.calls.last.request.content.decode())) == {
        "message": "Yes, on Tuesdays"
    }


def test_facebook_finds_a_published_post_by_its_message(
    api: respx.MockRouter, facebook: FacebookConnector
) -> None:
    api.get(f"/{PAGE}/posts").mock(
        return_value=httpx.Response(
            200,
            json={"data": [
                {"id": f"{PAGE}_2", "message": "Something else",
                 "created_time": "2026-11-21T10:00:09+0000"},
                {"id": f"{PAGE}_1", "message": "Our guide",
                 "created_time": "2026-11-21T10:00:01+0000"},
            ], "paging": {"cursors": {"before": "b", "after": "a"}}},
        )
    )  # fmt: skip
    since = datetime(2026, 11, 21, 9, 55, tzinfo=UTC)
    found = facebook.find_published("k", since, OutgoingPost("Our  guide"))
    assert found is not None and found.remote_id == f"{PAGE}_1"
    assert facebook.find_published("k", since, OutgoingPost("never")) is None


def test_facebook_pulls_comments_and_tags_newer_than_the_cursor(
    api: respx.MockRouter, facebook: FacebookConnector
) -> None:
    api.get(f"/{PAGE}/posts").mock(
        return_value=httpx.Response(200, json={"data": [{"id": f"{PAGE}_1"}]})
    )
    api.get(f"/{PAGE}_1/comments").mock(
        return_value=httpx.Response(
            200,
            json={"data": [
                {"id": "1_old", "message": "old", "created_time": "2026-11-20T08:00:00+0000",
                 "from": {"name": "Ann", "id": "11"}},
                {"id": "1_new", "message": "Is this free?",
                 "created_time": "2026-11-21T08:00:00+0000", "from": {"name": "Ann", "id": "11"}},
                {"id": "1_ours", "message": "Yes!", "created_time": "2026-11-21T09:00:00+0000",
                 "from": {"name": "Association", "id": PAGE}, "parent": {"id": "1_new"}},
            ]},
        )
    )  # fmt: skip
    api.get(f"/{PAGE}/tagged").mock(
        return_value=httpx.Response(
            200,
            json={"data": [{"id": "77_1", "message": "Thanks to the association",
                            "created_time": "2026-11-21T07:00:00+0000",
                            "from": {"name": "Bob", "id": "77"}}]},
        )
    )  # fmt: skip

    items, cursor = facebook.fetch_inbound("2026-11-21T00:00:00+00:00")

    assert [(i.kind, i.remote_id, i.parent_remote_id, i.author_handle) for i in items] == [
        ("mention", "77_1", None, "Bob"),
        ("comment", "1_new", f"{PAGE}_1", "Ann"),
    ]
    assert cursor == "2026-11-21T08:00:00+00:00"


def test_facebook_metrics_use_views_and_reactions(
    api: respx.MockRouter, facebook: FacebookConnector
) -> None:
    post = f"{PAGE}_1"
    api.get(f"/{post}").mock(
        return_value=httpx.Response(
            200,
            json={"id": post, "reactions": {"data": [], "summary": {"total_count": 12}},
                  "comments": {"data": [], "summary": {"total_count": 4}},
                  "shares": {"count": 2}},
        )
    )  # fmt: skip
    insights = api.get(f"/{post}/insights").mock(
        return_value=httpx.Response(
            200,
            json={"data": [
                {"name": "post_media_view", "period": "lifetime", "values": [{"value": 900}]},
                {"name": "post_total_media_view_unique", "period": "lifetime",
                 "values": [{"value": 640}]},
                {"name": "post_clicks_by_type", "period": "lifetime",
                 "values": [{"value": {"link clicks": 31, "other clicks": 5}}]},
            ]},
        )
    )  # fmt: skip
    api.get(f"/{PAGE}").mock(
        return_value=httpx.Response(200, json={"followers_count": 2048, "id": PAGE})
    )

    (m,) = facebook.post_metrics([post])
    assert (m.impressions, m.reach, m.likes, m.comments, m.shares, m.link_clicks) == (
        900, 640, 12, 4, 2, 31,
    )  # fmt: skip
    assert "post_media_view" in insights.calls.last.request.url.params["metric"]
    assert facebook.account_metrics().followers == 2048


@pytest.mark.parametrize(
    ("status", "body", "headers", "error", "message"),
    [
        (400, graph_error(190, "Error validating access token: Session has expired on "
                          "Friday, 20-Nov-26 10:00:00 PST.", 463), {},
         TokenExpired, "reconnect the channel"),
        (403, graph_error(200, "(#200) The user hasn't authorized the application to perform "
                          "this action"), {}, AuthError, "lacks a permission"),
        (400, graph_error(32, "Page request limit reached"),
         {"x-business-use-case-usage": json.dumps({PAGE: [{
             "type": "pages", "call_count": 100, "total_cputime": 10, "total_time": 10,
             "estimated_time_to_regain_access": 5}]})},
         RateLimited, "Page request limit reached"),
        (500, graph_error(2, "An unexpected error has occurred. Please retry your request "
                          "later.", is_transient=True), {}, TransientError, "retry"),
        (400, graph_error(100, "Invalid parameter"), {}, PermanentError, "Invalid parameter"),
    ],
)  # fmt: skip
def test_facebook_errors_are_classified(
    api: respx.MockRouter,
    facebook: FacebookConnector,
    status: int,
    body: dict[str, object],
    headers: dict[str, str],
    error: type[Exception],
    message: str,
) -> None:
    api.post(f"/{PAGE}/feed").mock(return_value=httpx.Response(status, json=body, headers=headers))
    with pytest.raises(error, match=message) as raised:
        facebook.publish(OutgoingPost("hi"), "k")
    assert "page-token" not in str(raised.value)
    if error is RateLimited:
        assert raised.value.retry_after == 300  # type: ignore[attr-defined]


def test_facebook_deleting_a_missing_post_is_fine(
    api: respx.MockRouter, facebook: FacebookConnector
) -> None:
    api.delete(f"/{PAGE}_1").mock(return_value=httpx.Response(200, json={"success": True}))
    api.delete(f"/{PAGE}_2").mock(
        return_value=httpx.Response(
            400, json=graph_error(100, "Unsupported delete request. Object with ID "
                                  f"'{PAGE}_2' does not exist", 33)
        )
    )  # fmt: skip
    facebook.delete(f"{PAGE}_1")
    facebook.delete(f"{PAGE}_2")


# -- Instagram -------------------------------------------------------------------------------


def test_instagram_needs_a_jpeg_in_a_supported_shape(instagram: InstagramConnector) -> None:
    assert instagram.validate(OutgoingPost("Just words")) == [
        "Instagram posts need at least one image: add one"
    ]
    tall = Image(jpeg(100, 300), "a tall poster")
    assert instagram.validate(OutgoingPost("Poster", images=(tall,))) == [
        "image 1 is 0.33:1 (width:height); Instagram takes 0.80:1 (portrait 4:5) to 1.91:1 "
        "(landscape) — crop it"
    ]
    png = Image(b"\x89PNG", "logo", "image/png")
    assert "image 1 is image/png; Instagram takes JPEG — convert it" in instagram.validate(
        OutgoingPost("Logo", images=(png,))
    )
    tags = " ".join(f"#tag{i}" for i in range(31))
    assert "Instagram allows 30 hashtags; this post has 31 — remove 1" in instagram.validate(
        OutgoingPost(tags, images=(Image(jpeg(), "x"),))
    )


def test_instagram_publishes_a_container_with_alt_text(
    api: respx.MockRouter, instagram: InstagramConnector
) -> None:
    container = api.post(f"/{IG}/media").mock(
        return_value=httpx.Response(200, json={"id": "17889455560051444"})
    )
    publish = api.post(f"/{IG}/media_publish").mock(
        return_value=httpx.Response(200, json={"id": "17920238422030506"})
    )
    api.get("/17920238422030506").mock(
        return_value=httpx.Response(
            200,
            json={"permalink": "https://www.instagram.com/p/Cabc123/",
                  "timestamp": "2026-11-21T10:00:00+0000", "id": "17920238422030506"},
        )
    )  # fmt: skip

    published = instagram.publish(
        OutgoingPost("World Breastfeeding Week", images=(Image(jpeg(), "Volunteers at a stall"),)),
        "k",
    )

    assert published.remote_id == "17920238422030506"
    assert published.url == "https://www.instagram.com/p/Cabc123/"
    form = dict(httpx.QueryParams(container.calls.last.request.content.decode()))
    assert form == {
        "image_url": "https://media.example.org/1.jpg",
        "alt_text": "Volunteers at a stall",
        "caption": "World Breastfeeding Week",
    }
    assert dict(httpx.QueryParams(publish.calls.last.request.content.decode())) == {
        "creation_id": "17889455560051444"
    }


def test_instagram_carousel_uses_child_containers(
    api: respx.MockRouter, instagram: InstagramConnector
) -> None:
    media = api.post(f"/{IG}/media").mock(
        side_effect=[httpx.Response(200, json={"id": "c1"}), httpx.Response(200, json={"id": "c2"}),
                     httpx.Response(200, json={"id": "parent"})]
    )  # fmt: skip
    api.post(f"/{IG}/media_publish").mock(return_value=httpx.Response(200, json={"id": "m1"}))
    api.get("/m1").mock(return_value=httpx.Response(200, json={"id": "m1"}))

    instagram.publish(OutgoingPost("Two", images=(Image(jpeg(), "a"), Image(jpeg(), "b"))), "k")

    parent = dict(httpx.QueryParams(media.calls[2].request.content.decode()))
    assert parent == {"media_type": "CAROUSEL", "children": "c1,c2", "caption": "Two"}
    child = dict(httpx.QueryParams(media.calls[0].request.content.decode()))
    assert child["is_carousel_item"] == "true"


def test_instagram_without_an_image_host_says_so() -> None:
    with (
        InstagramConnector(Credentials({"access_token": "t"}), {"ig_user_id": IG}) as ig,
        pytest.raises(PermanentError, match="no image host is configured"),
    ):
        ig.publish(OutgoingPost("x", images=(Image(jpeg(), "alt"),)), "k")


def test_instagram_pulls_comments_and_replies(
    api: respx.MockRouter, instagram: InstagramConnector
) -> None:
    api.get(f"/{IG}/media").mock(
        return_value=httpx.Response(
            200, json={"data": [{"id": "m1", "timestamp": "2099-01-01T00:00:00+0000"}]}
        )
    )
    api.get("/m1/comments").mock(
        return_value=httpx.Response(
            200,
            json={"data": [{
                "id": "c1", "text": "Lovely", "username": "ann",
                "timestamp": "2099-01-01T01:00:00+0000",
                "replies": {"data": [{"id": "c2", "text": "Agreed", "username": "bob",
                                      "timestamp": "2099-01-01T02:00:00+0000"}]},
            }]},
        )
    )  # fmt: skip
    api.get(f"/{IG}/tags").mock(return_value=httpx.Response(200, json={"data": []}))

    items, cursor = instagram.fetch_inbound(None)

    assert [(i.remote_id, i.parent_remote_id, i.author_handle) for i in items] == [
        ("c1", "m1", "ann"),
        ("c2", "c1", "bob"),
    ]
    assert cursor == "2099-01-01T02:00:00+00:00"


def test_instagram_metrics_use_views_and_reach(
    api: respx.MockRouter, instagram: InstagramConnector
) -> None:
    api.get("/m1/insights").mock(
        return_value=httpx.Response(
            200,
            json={"data": [
                {"name": name, "period": "lifetime", "values": [{"value": value}],
                 "title": name, "id": f"m1/insights/{name}/lifetime"}
                for name, value in (("views", 1500), ("reach", 900), ("likes", 80),
                                    ("comments", 6), ("shares", 3))
            ]},
        )
    )  # fmt: skip
    (m,) = instagram.post_metrics(["m1"])
    assert (m.impressions, m.reach, m.likes, m.comments, m.shares, m.link_clicks) == (
        1500, 900, 80, 6, 3, None,
    )  # fmt: skip


def test_instagram_publishing_limit_is_a_rate_limit(
    api: respx.MockRouter, instagram: InstagramConnector
) -> None:
    api.post(f"/{IG}/media").mock(return_value=httpx.Response(200, json={"id": "c1"}))
    api.post(f"/{IG}/media_publish").mock(
        return_value=httpx.Response(
            400, json=graph_error(4, "Application request limit reached", 2207051)
        )
    )
    with pytest.raises(RateLimited):
        instagram.publish(OutgoingPost("x", images=(Image(jpeg(), "alt"),)), "k")
