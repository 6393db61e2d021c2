"""The communities' lists come a page at a time: the pages (50 rows) and the API
(cursor pagination, as every API list)."""

from __future__ import annotations

from typing import Any

from postguard.web.communities import services as communities
from postguard.web.communities.models import QueueItem

from .community_helper import Communities


def _flag_many(comm: Communities, n: int) -> None:
    for i in range(n):
        communities.flag(
            comm.world["author"],
            comm.group,
            reason=f"Reason {i}",
            member_id=f"@m{i}:example.org",
            text=f"Message number {i}.",
        )


def test_the_moderation_queue_page_shows_fifty_items_a_page(comm: Communities) -> None:
    _flag_many(comm, 55)
    total = QueueItem.objects.filter(community=comm.group, state="open").count()
    client = comm.world.client("author")
    first = client.get(f"/communities/{comm.group.pk}/queue/").content.decode()
    assert first.count('href="/communities/items/') == 50
    assert "Page 1 of 2" in first and "page=2" in first
    second = client.get(f"/communities/{comm.group.pk}/queue/?page=2").content.decode()
    assert second.count('href="/communities/items/') == total - 50


def test_the_api_queue_is_paginated_with_a_cursor(comm: Communities) -> None:
    _flag_many(comm, 7)
    client = comm.world.client("author")
    seen: list[int] = []
    cursor = ""
    pages = 0
    while True:
        url = f"/api/communities/{comm.group.pk}/queue?limit=3" + (
            f"&cursor={cursor}" if cursor else ""
        )
        body: dict[str, Any] = client.get(url).json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        if body["next_cursor"] is None:
            break
        cursor = body["next_cursor"]
    expected = list(
        QueueItem.objects.filter(community=comm.group, state="open")
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)
    )
    assert seen == expected and pages == -(-len(expected) // 3)
    # A cursor of another list is refused.
    other = client.get("/api/communities?limit=1").json()
    if other["next_cursor"]:
        bad = client.get(f"/api/communities/{comm.group.pk}/queue?cursor={other['next_cursor']}")
        assert bad.status_code == 422


def test_the_api_lists_communities_a_page_at_a_time(comm: Communities) -> None:
    client = comm.world.client("admin")
    everything = client.get("/api/communities").json()
    assert everything["next_cursor"] is None
    names = [c["name"] for c in everything["items"]]
    assert len(names) >= 2
    first = client.get("/api/communities?limit=1").json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    rest = client.get(f"/api/communities?limit=500&cursor={first['next_cursor']}").json()
    assert [c["name"] for c in first["items"] + rest["items"]] == names
    # A moderator sees only the communities they moderate.
    mine = comm.world.client("author").get("/api/communities").json()["items"]
    assert {c["id"] for c in mine} == {comm.group.pk}
