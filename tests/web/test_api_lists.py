"""The API's lists (issue 14): cursor pagination, the inbox, cases, the record, channels
and a post's publication."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from postguard.connectors.base import InboundItem
from postguard.web.audit.models import AuditEntry
from postguard.web.inbox import services as inbox
from postguard.web.orgs import services as orgs
from postguard.web.workflow.models import Post

from .conftest import World
from .test_api import api_for

pytestmark = pytest.mark.django_db


def _walk(api: Any, path: str, limit: int) -> list[int]:
    seen: list[int] = []
    cursor = ""
    for _ in range(100):
        sep = "&" if "?" in path else "?"
        response = api.get(f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else ""))
        assert response.status_code == 200, response.content
        body = response.json()
        assert len(body["items"]) <= limit
        seen += [item.get("id", item.get("seq")) for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("the cursor never ended")


def test_a_cursor_walks_every_post_once_even_with_equal_creation_times(world: World) -> None:
    posts = [
        world.draft(f"Breastfeeding support group number {i} meets on Tuesday.") for i in range(7)
    ]
    # Ties on created_at: the id breaks them, so none repeats or goes missing.
    same = timezone.now() - timedelta(hours=1)
    Post.objects.filter(pk__in=[p.pk for p in posts[2:5]]).update(created_at=same)
    expected = sorted(
        Post.objects.filter(pk__in=[p.pk for p in posts]), key=lambda p: (p.created_at, p.pk)
    )
    walked = _walk(api_for(world, "author"), "/posts", 2)
    assert walked == [p.pk for p in reversed(expected)]


def test_the_last_page_has_no_next_cursor(world: World) -> None:
    world.draft()
    body = api_for(world, "author").get("/posts?limit=500").json()
    assert len(body["items"]) == 1 and body["next_cursor"] is None


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", "WzEsMl0", "", "x" * 501],
    ids=["garbage", "unsigned", "empty-is-first-page", "too-long"],
)
def test_a_tampered_cursor_is_refused_with_422(world: World, cursor: str) -> None:
    for i in range(3):
        world.draft(f"Breastfeeding support group number {i} meets on Tuesday.")
    api = api_for(world, "author")
    response = api.get(f"/posts?cursor={cursor}")
    if cursor == "":
        assert response.status_code == 200
        return
    assert response.status_code == 422, response.content
    assert "detail" in response.json()


def test_a_cursor_altered_by_one_character_or_from_another_list_is_refused(world: World) -> None:
    for i in range(3):
        world.draft(f"Breastfeeding support group number {i} meets on Tuesday.")
    api = api_for(world, "chair")
    cursor = api.get("/posts?limit=1").json()["next_cursor"]
    assert cursor
    flipped = cursor[:5] + ("A" if cursor[5] != "A" else "B") + cursor[6:]
    assert api.get(f"/posts?limit=1&cursor={flipped}").status_code == 422
    assert api.get(f"/cases?limit=1&cursor={cursor}").status_code == 422


def _items(world: World, n: int) -> None:
    now = timezone.now()
    inbox.ingest(
        world.channel,
        [
            InboundItem(
                remote_id=f"r{i}",
                parent_remote_id=None,
                author_handle=f"parent{i}.example",
                text=f"Thank you for the lovely post number {i}!",
                created_at=now - timedelta(minutes=i),
                kind="reply",
            )
            for i in range(n)
        ],
        source="pull",
    )


def test_the_inbox_pages_through_the_items_the_person_may_see(world: World) -> None:
    _items(world, 5)
    ids = _walk(api_for(world, "author"), "/inbox", 2)
    assert len(ids) == len(set(ids)) == 5
    assert _walk(api_for(world, "outsider"), "/inbox", 2) == []
    first = api_for(world, "reviewer").get(f"/inbox/{ids[0]}").json()
    assert first["channel"] == world.channel.pk and first["text"].startswith("Thank you")


def test_the_inbox_filters_by_state_and_refuses_an_unknown_category(world: World) -> None:
    _items(world, 3)
    api = api_for(world, "chair")
    assert len(api.get("/inbox?state=done").json()["items"]) == 0
    assert len(api.get("/inbox?state=new").json()["items"]) == 3
    assert api.get("/inbox?category=no.such").status_code == 422


def test_reading_the_record_through_the_api_writes_nothing(world: World) -> None:
    world.submitted()
    api = api_for(world, "admin")
    before = AuditEntry.objects.count()
    body = api.get("/audit?action=post.&limit=1").json()
    assert body["items"] and all(e["action"].startswith("post.") for e in body["items"])
    seqs = _walk(api, "/audit", 3)
    assert seqs == sorted(seqs, reverse=True) and len(seqs) == len(set(seqs))
    assert AuditEntry.objects.count() == before
    ours = AuditEntry.objects.filter(org_id=world.org.pk).values_list("seq", flat=True)
    assert set(seqs) == set(ours)
    other = AuditEntry.objects.filter(org_id=world.other_org.pk).values_list("seq", flat=True)
    assert other and not set(other) & set(seqs)


def test_the_record_refuses_a_period_that_ends_before_it_starts(world: World) -> None:
    response = api_for(world, "chair").get(
        "/audit?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z"
    )
    assert response.status_code == 422


def test_channels_show_the_connection_and_what_the_network_supports(world: World) -> None:
    body = api_for(world, "author").get("/channels").json()
    by_name = {c["name"]: c for c in body["items"]}
    assert set(by_name) == {"Bluesky", "Members' group"}
    bluesky = by_name["Bluesky"]
    assert bluesky["state"] == "disconnected" and bluesky["supported"] is True
    assert bluesky["max_chars"] == 300 and bluesky["capabilities"]["reply"] is True
    assert [c["name"] for c in api_for(world, "outsider").get("/channels").json()["items"]] == [
        "Other Bluesky"
    ]


def test_a_draft_has_no_publication_yet(world: World) -> None:
    post = world.draft()
    body = api_for(world, "author").get(f"/posts/{post.pk}/publication").json()
    assert body["state"] == "none" and body["post_state"] == "draft" and body["url"] == ""


def test_cases_page_through_and_show_their_steps(world: World) -> None:
    for i in range(3):
        inbox.open_case_for(world.org, "negative", f"Case {i}")
    api = api_for(world, "reviewer")
    ids = _walk(api, "/cases", 2)
    assert len(ids) == len(set(ids)) == 3
    detail = api.get(f"/cases/{ids[0]}").json()
    assert detail["title"].startswith("Case") and isinstance(detail["steps"], list)
    assert api_for(world, "member").get("/cases").status_code == 403
    assert orgs.memberships_of(world["member"]).exists()


def test_a_moment_without_a_zone_is_read_as_utc(world: World) -> None:
    world.submitted()
    api = api_for(world, "chair")
    response = api.get("/audit?since=2000-01-01T00:00:00&until=2100-01-01T00:00:00")
    assert response.status_code == 200 and response.json()["items"]


def _published(world: World, url: str, **fields: Any) -> Post:
    from postguard.web.publishing.models import Publication

    post = world.submitted()
    Publication.objects.create(
        key=f"k{post.pk}",
        post=post,
        channel=post.channel,
        revision=post.revision,
        payload="{}",
        created_at=timezone.now(),
        remote_url=url,
        **fields,
    )
    return post


def test_the_publication_shows_where_it_went_and_when(world: World) -> None:
    moment = timezone.now()
    post = _published(
        world,
        "https://bsky.app/profile/association.test/post/3k",
        state="published",
        remote_id="at://did:plc:x/app.bsky.feed.post/3k",
        published_at=moment,
        attempts=1,
    )
    body = api_for(world, "reviewer").get(f"/posts/{post.pk}/publication").json()
    assert body["state"] == "published" and body["state_label"] == "Published"
    assert body["url"] == "https://bsky.app/profile/association.test/post/3k"
    assert body["remote_id"].startswith("at://") and body["published_at"] is not None


def test_a_failed_publication_shows_its_error_and_next_try(world: World) -> None:
    later = timezone.now() + timedelta(minutes=5)
    post = _published(
        world,
        "",
        state="pending",
        attempts=2,
        last_error="503 from the network",
        next_attempt_at=later,
    )
    body = api_for(world, "author").get(f"/posts/{post.pk}/publication").json()
    assert body["last_error"] == "503 from the network" and body["attempts"] == 2
    assert body["next_attempt_at"] is not None


def test_the_publication_address_is_given_only_when_it_is_http(world: World) -> None:
    post = _published(world, "javascript:alert(1)", state="published")
    body = api_for(world, "author").get(f"/posts/{post.pk}/publication").json()
    assert body["url"] == ""


def test_another_organizations_post_has_no_publication_to_show(world: World) -> None:
    post = world.submitted()
    assert api_for(world, "outsider").get(f"/posts/{post.pk}/publication").status_code == 404
