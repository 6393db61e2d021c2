"""Discourse, against request and response shapes from Discourse's API documentation
(docs.discourse.org; sample bodies trimmed from discourse_api_docs), with respx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx

from postguard.communities.base import Unsupported
from postguard.communities.discourse import DiscourseCommunity
from postguard.connectors.base import AuthError, PermanentError, RateLimited, TransientError

SITE = "https://forum.example.org"
KEY = "714552c6148e1617aeab526d0606184b94a80ec048fc09894ff1a72b740c5f19"


def post(
    post_id: int, *, category_id: int = 5, topic_id: int = 8, raw: str = "hello", **extra: Any
) -> dict[str, Any]:
    """One entry of GET /posts.json ``latest_posts``, as documented."""
    return {
        "id": post_id,
        "name": "Leah",
        "username": "leah_ibclc",
        "avatar_template": "/letter_avatar_proxy/v2/letter/l/439d5e/{size}.png",
        "created_at": "2026-05-24T21:16:02.287Z",
        "cooked": f"<p>{raw}</p>",
        "post_number": post_id - 10,
        "post_type": 1,
        "updated_at": "2026-05-24T21:16:02.287Z",
        "reply_count": 0,
        "reply_to_post_number": None,
        "topic_id": topic_id,
        "topic_slug": "peer-support",
        "topic_title": "Peer support",
        "category_id": category_id,
        "display_username": "leah_ibclc",
        "raw": raw,
        "user_id": 20,
        "hidden": False,
        "trust_level": 1,
        "deleted_at": None,
        "user_deleted": False,
        **extra,
    }


def flagged(
    reviewable_id: int,
    post_id: int,
    score_ids: list[int],
    *,
    category_id: int = 5,
    topic_id: int = 8,
) -> dict[str, Any]:
    """One entry of GET /review.json ``reviewables`` (ReviewableFlaggedPost), as Discourse's
    ReviewableSerializer sends it: associations as ids, sideloaded at the root."""
    return {
        "id": reviewable_id,
        "status": 0,
        "type": "ReviewableFlaggedPost",
        "topic_id": topic_id,
        "topic_url": f"{SITE}/t/peer-support/{topic_id}",
        "target_url": f"{SITE}/t/peer-support/{topic_id}/{post_id - 10}",
        "category_id": category_id,
        "created_at": "2026-05-25T08:00:00.000Z",
        "can_edit": True,
        "score": 4.0,
        "version": 0,
        "target_created_by_trust_level": 1,
        "post_id": post_id,
        "created_by_id": 31,
        "target_created_by_id": 20,
        "reviewable_score_ids": score_ids,
        "bundled_action_ids": [f"{reviewable_id}-agree", f"{reviewable_id}-disagree"],
        "cooked": "<p>flagged words</p>",
        "raw": "flagged words",
    }


def score(
    score_id: int, user_id: int, score_type_id: int, reason: str | None = None
) -> dict[str, Any]:
    """One entry of the sideloaded ``reviewable_scores`` (ReviewableScoreSerializer)."""
    return {
        "id": score_id,
        "score": 2.0,
        "agree_stats": {"agreed": 1, "disagreed": 0, "ignored": 0},
        "reason": reason,
        "created_at": f"2026-05-25T08:{score_id % 60:02d}:00.000Z",
        "reviewed_at": None,
        "status": 0,
        "user_id": user_id,
        "score_type_id": score_type_id,
        "reviewed_by_id": None,
    }


SCORE_TYPES = [
    {"id": 4, "title": "Inappropriate", "reviewable_priority": 0, "type": "inappropriate"},
    {"id": 8, "title": "Spam", "reviewable_priority": 0, "type": "spam"},
    {"id": 7, "title": "Something Else", "reviewable_priority": 0, "type": "notify_moderators"},
]


def review_queue(
    reviewables: list[dict[str, Any]],
    scores: list[dict[str, Any]] | None = None,
    *,
    more: bool = False,
) -> dict[str, Any]:
    """A GET /review.json body: reviewables, sideloaded users/scores/score types, and meta."""
    meta: dict[str, Any] = {
        "status": "pending",
        "type": "ReviewableFlaggedPost",
        "total_rows_reviewables": len(reviewables),
        "types": {"created_by": "user", "target_created_by": "user", "reviewed_by": "user"},
        "reviewable_count": len(reviewables),
    }
    if more:
        meta["load_more_reviewables"] = "/review?offset=10&status=pending"
    body: dict[str, Any] = {"reviewables": reviewables, "meta": meta}
    if reviewables:
        body.update(
            users=[{"id": 31, "username": "gail"}, {"id": 20, "username": "leah_ibclc"}],
            reviewable_scores=scores or [],
            score_types=SCORE_TYPES,
            bundled_actions=[],
        )
    return body


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=SITE, assert_all_called=False) as router:
        # Every read also looks at the review queue; a test about flags replaces this route.
        router.get("/review.json").respond(json=review_queue([]))
        yield router


@pytest.fixture
def forum() -> Iterator[DiscourseCommunity]:
    with DiscourseCommunity(SITE, KEY, "postguard_bot", category_id=5) as connector:
        yield connector


def test_it_sends_the_api_key_and_username_as_headers(
    api: respx.MockRouter, forum: DiscourseCommunity
) -> None:
    route = api.get("/posts.json").respond(json={"latest_posts": []})
    forum.read()
    request = route.calls.last.request
    assert request.headers["Api-Key"] == KEY
    assert request.headers["Api-Username"] == "postguard_bot"
    assert KEY not in str(request.url)
    assert KEY not in repr(forum)


def test_it_reads_the_categorys_posts_since_the_cursor_oldest_first(
    api: respx.MockRouter, forum: DiscourseCommunity
) -> None:
    api.get("/posts.json").respond(
        json={
            "latest_posts": [
                post(33, raw="newest in our category", reply_to_post_number=2),
                post(32, category_id=9, raw="another category"),
                post(31, raw="older in our category"),
                post(30, raw="already read"),
            ]
        }
    )
    page = forum.read("30")
    assert [m.text for m in page.messages] == ["older in our category", "newest in our category"]
    assert page.cursor == "33"
    newest = page.messages[1]
    assert newest.remote_id == "33"
    assert newest.author_id == "20"
    assert newest.author_name == "leah_ibclc"
    assert newest.created_at == datetime(2026, 5, 24, 21, 16, 2, 287000, tzinfo=UTC)
    assert newest.url == f"{SITE}/t/peer-support/8/23"
    assert newest.reply_to == "8#2"


def test_it_pages_back_with_before_until_it_reaches_the_cursor(
    api: respx.MockRouter, forum: DiscourseCommunity
) -> None:
    def pages(request: httpx.Request) -> httpx.Response:
        before = request.url.params.get("before")
        if before is None:
            return httpx.Response(200, json={"latest_posts": [post(52), post(51)]})
        assert before == "51"
        return httpx.Response(200, json={"latest_posts": [post(50), post(49)]})

    api.get("/posts.json").mock(side_effect=pages)
    page = forum.read("49")
    assert [m.remote_id for m in page.messages] == ["50", "51", "52"]
    assert page.cursor == "52"


def test_a_busy_site_is_read_over_several_calls_not_one_unbounded_walk(
    api: respx.MockRouter, forum: DiscourseCommunity
) -> None:
    counter = iter(range(10_000, 0, -2))

    def endless(request: httpx.Request) -> httpx.Response:
        n = next(counter)
        return httpx.Response(200, json={"latest_posts": [post(n), post(n - 1)]})

    route = api.get("/posts.json").mock(side_effect=endless)
    forum.read("1")
    assert route.call_count == 5


def test_it_returns_each_pending_flag_on_the_categorys_posts_as_a_platform_report(
    api: respx.MockRouter, forum: DiscourseCommunity
) -> None:
    api.get("/posts.json").respond(json={"latest_posts": [post(31)]})
    queue = api.get("/review.json").respond(
        json=review_queue(
            [
                flagged(70, 31, [2, 3]),
                flagged(71, 44, [5], category_id=9),
                {**flagged(72, 31, [6]), "status": "approved"},
            ],
            [
                score(2, 31, 4),
                score(3, 32, 7, reason="<a href='/admin/site_settings'>watched word</a> matched"),
                score(5, 33, 8),
                score(6, 34, 8),
            ],
        )
    )
    page = forum.read("30")
    params = queue.calls.last.request.url.params
    assert params["type"] == "ReviewableFlaggedPost"
    assert params["status"] == "pending"
    assert params["category_id"] == "5"
    # One report per member who flagged; the other category's flag and a flag a moderator
    # already dealt with are left out.
    assert [(r.remote_id, r.message_id, r.reporter_id) for r in page.reports] == [
        ("70:2", "31", "31"),
        ("70:3", "31", "32"),
    ]
    assert page.reports[0].reason == "Inappropriate"
    assert page.reports[1].reason == "Something Else: watched word matched"
    assert page.reports[0].created_at == datetime(2026, 5, 25, 8, 2, tzinfo=UTC)
    assert DiscourseCommunity.capabilities.reports


def test_a_flag_with_an_unreadable_time_still_reaches_the_queue(
    api: respx.MockRouter, forum: DiscourseCommunity
) -> None:
    api.get("/posts.json").respond(json={"latest_posts": []})
    broken = {**score(2, 31, 8), "created_at": "yesterday"}
    api.get("/review.json").respond(json=review_queue([flagged(70, 31, [2])], [broken]))
    [report] = forum.read("30").reports
    assert report.created_at == datetime(2026, 5, 25, 8, tzinfo=UTC)  # the reviewable's time


def test_a_topic_community_asks_for_that_topics_flags(api: respx.MockRouter) -> None:
    api.get("/posts.json").respond(json={"latest_posts": []})
    queue = api.get("/review.json").respond(
        json=review_queue(
            [flagged(70, 31, [2], topic_id=77), flagged(71, 32, [3], topic_id=8)],
            [score(2, 31, 8), score(3, 31, 8)],
        )
    )
    with DiscourseCommunity(SITE, KEY, "bot", topic_id=77) as topic:
        reports = topic.read("10").reports
    assert queue.calls.last.request.url.params["topic_id"] == "77"
    assert "category_id" not in queue.calls.last.request.url.params
    assert [r.remote_id for r in reports] == ["70:2"]


def test_it_pages_through_the_review_queue_a_bounded_number_of_times(
    api: respx.MockRouter, forum: DiscourseCommunity
) -> None:
    api.get("/posts.json").respond(json={"latest_posts": []})

    def pages(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        reviewable = 100 - 10 * offset  # one reviewable a page: the offset moves on by one
        return httpx.Response(
            200,
            json=review_queue(
                [flagged(reviewable, 31, [reviewable])],
                [score(reviewable, 31, 8)],
                more=True,  # a queue that claims to go on for ever
            ),
        )

    queue = api.get("/review.json").mock(side_effect=pages)
    reports = forum.read("1").reports
    assert [c.request.url.params["offset"] for c in queue.calls] == ["0", "1", "2"]
    assert {r.remote_id for r in reports} == {"100:100", "90:90", "80:80"}


def test_an_empty_review_queue_gives_no_reports_and_one_request(
    api: respx.MockRouter, forum: DiscourseCommunity
) -> None:
    api.get("/posts.json").respond(json={"latest_posts": [post(31)]})
    queue = api.get("/review.json").respond(json=review_queue([]))
    assert forum.read("30").reports == []
    assert queue.call_count == 1


def test_a_key_that_cannot_see_the_review_queue_is_an_auth_error(
    api: respx.MockRouter, forum: DiscourseCommunity
) -> None:
    api.get("/posts.json").respond(json={"latest_posts": [post(31)]})
    api.get("/review.json").respond(
        403,
        json={
            "errors": ["You are not permitted to view the requested resource."],
            "error_type": "invalid_access",
        },
    )
    with pytest.raises(AuthError, match="moderator"):
        forum.read("30")


def test_a_topic_community_keeps_only_that_topics_posts(api: respx.MockRouter) -> None:
    api.get("/posts.json").respond(
        json={"latest_posts": [post(12, topic_id=77, raw="ours"), post(11, raw="not ours")]}
    )
    with DiscourseCommunity(SITE, KEY, "bot", topic_id=77) as topic:
        assert [m.text for m in topic.read("10").messages] == ["ours"]


def test_it_deletes_a_post_and_an_already_deleted_post_is_not_an_error(
    api: respx.MockRouter, forum: DiscourseCommunity
) -> None:
    route = api.delete("/posts/31.json").mock(
        side_effect=[
            httpx.Response(200),
            httpx.Response(
                404,
                json={
                    "errors": ["The requested URL or resource could not be found."],
                    "error_type": "not_found",
                },
            ),
        ]
    )
    forum.remove("31", "Community Policy 3.1")
    forum.remove("31", "retried")
    assert route.call_count == 2


def test_it_silences_until_the_end_of_the_suspension_and_unsilences(
    api: respx.MockRouter, forum: DiscourseCommunity
) -> None:
    silence = api.put("/admin/users/20/silence.json").respond(
        json={
            "silence": {
                "silenced": True,
                "silence_reason": "Community Policy 4.2",
                "silenced_till": "2026-06-01T08:00:00.000Z",
                "silenced_at": "2026-05-25T08:00:00.000Z",
            }
        }
    )
    unsilence = api.put("/admin/users/20/unsilence.json").respond(json={"success": "OK"})
    forum.mute("20", datetime(2026, 6, 1, 8, tzinfo=UTC), "Community Policy 4.2")
    body = json.loads(silence.calls.last.request.content)
    assert body == {"silenced_till": "2026-06-01T08:00:00+00:00", "reason": "Community Policy 4.2"}
    forum.unmute("20")
    assert unsilence.called


def test_it_bans_by_suspending_with_no_end_in_practice(
    api: respx.MockRouter, forum: DiscourseCommunity
) -> None:
    route = api.put("/admin/users/20/suspend.json").respond(
        json={
            "suspension": {
                "suspend_reason": "4.4",
                "full_suspend_reason": "4.4",
                "suspended_till": "3000-01-01T00:00:00.000Z",
            }
        }
    )
    forum.ban("20", "Community Policy 4.4: repeated breaches")
    body = json.loads(route.calls.last.request.content)
    assert body["suspend_until"] == "3000-01-01"
    assert body["reason"] == "Community Policy 4.4: repeated breaches"


def test_kick_is_unsupported_with_the_steps_to_do_it_by_hand(forum: DiscourseCommunity) -> None:
    with pytest.raises(Unsupported) as caught:
        forum.kick("20", "4.3")
    assert caught.value.action == "kick"
    assert "Groups" in caught.value.instructions
    assert "Remove" in caught.value.instructions
    assert not DiscourseCommunity.capabilities.kick


def test_it_sends_a_notice_as_a_private_message_to_the_members_username(
    api: respx.MockRouter, forum: DiscourseCommunity
) -> None:
    api.get("/admin/users/20.json").respond(json={"id": 20, "username": "leah_ibclc"})
    route = api.post("/posts.json").respond(json={"id": 90, "topic_id": 40, "post_number": 1})
    forum.notice("20", "You were warned under provision 3.1.")
    body = json.loads(route.calls.last.request.content)
    assert body["archetype"] == "private_message"
    assert body["target_recipients"] == "leah_ibclc"
    assert body["raw"] == "You were warned under provision 3.1."
    assert len(body["title"]) >= 15  # Discourse's default minimum title length


def test_it_pins_the_policy_as_a_topic_in_the_category(
    api: respx.MockRouter, forum: DiscourseCommunity
) -> None:
    create = api.post("/posts.json").respond(
        json={"id": 20, "topic_id": 17, "post_number": 1, "topic_slug": "community-policy"}
    )
    status = api.put("/t/17/status.json").respond(
        json={"success": "OK", "topic_status_update": None}
    )
    assert forum.pin("Community Policy v1: https://example.org/p/1") == "20"
    assert json.loads(create.calls.last.request.content)["category"] == 5
    body = json.loads(status.calls.last.request.content)
    assert body["status"] == "pinned" and body["enabled"] == "true"
    assert body["until"] > datetime.now(UTC).date().isoformat()


@pytest.mark.parametrize(
    ("status", "body", "headers", "error"),
    [
        (
            429,
            {
                "errors": ["You’ve performed this action too many times."],
                "error_type": "rate_limit",
                "extras": {"wait_seconds": 30, "time_left": "30 seconds"},
            },
            {},
            RateLimited,
        ),
        (
            403,
            {
                "errors": [
                    "You are not permitted to view the requested resource. "
                    "The API username or key is invalid."
                ],
                "error_type": "invalid_access",
            },
            {},
            AuthError,
        ),
        (422, {"errors": ["Title is too short"], "error_type": None}, {}, PermanentError),
        (502, {}, {}, TransientError),
    ],
)
def test_it_classifies_discourse_errors(
    api: respx.MockRouter,
    forum: DiscourseCommunity,
    status: int,
    body: dict[str, Any],
    headers: dict[str, str],
    error: type[Exception],
) -> None:
    api.get("/posts.json").respond(status, json=body, headers=headers)
    with pytest.raises(error) as caught:
        forum.read()
    assert type(caught.value) is error
    if error is RateLimited:
        assert caught.value.retry_after == 30  # type: ignore[attr-defined]
    assert KEY not in str(caught.value)


def test_a_timeout_is_transient(api: respx.MockRouter, forum: DiscourseCommunity) -> None:
    api.get("/posts.json").mock(side_effect=httpx.ReadTimeout("slow"))
    with pytest.raises(TransientError, match="did not answer in time"):
        forum.read()


def test_it_needs_one_category_or_one_topic() -> None:
    with pytest.raises(PermanentError):
        DiscourseCommunity(SITE, KEY, "bot")
    with pytest.raises(PermanentError):
        DiscourseCommunity(SITE, KEY, "bot", category_id=1, topic_id=2)
