"""Bluesky: a repository export (CAR) from the real local PDS, and a channel's history fetch."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from postguard.archive import ArchiveItem, ReadProblem, read_archive
from postguard.archive.readers import read_history
from postguard.connectors.base import Credentials
from postguard.connectors.bluesky import BlueskyConnector
from tests.conftest import PdsAccount, PdsServer, create_account

POSTS = [
    ("2019-02-03T04:05:06.000Z", "Call me on 555-0123 about the latch"),
    ("2021-07-08T09:10:11.000Z", "Our study day was a success ✨"),
    ("2023-12-24T18:00:00.000Z", "Happy holidays from the association"),
]


def create(pds: PdsServer, who: PdsAccount, collection: str, record: dict[str, Any]) -> Any:
    return pds.xrpc(
        "POST",
        "com.atproto.repo.createRecord",
        json={"repo": who.did, "collection": collection, "record": {"$type": collection, **record}},
        headers=who.auth(),
    )


@pytest.fixture(scope="module")
def archivist(pds: PdsServer) -> tuple[PdsAccount, list[Any]]:
    """An account with three posts, a reply to the first, and a like (not a post)."""
    who = create_account(pds, "archivist")
    made = [create(pds, who, "app.bsky.feed.post", {"text": t, "createdAt": d}) for d, t in POSTS]
    root = {"uri": made[0]["uri"], "cid": made[0]["cid"]}
    made.append(
        create(pds, who, "app.bsky.feed.post", {
            "text": "Replying to myself", "createdAt": "2024-01-02T03:04:05.000Z",
            "reply": {"root": root, "parent": root}})
    )  # fmt: skip
    create(pds, who, "app.bsky.feed.like", {"subject": root, "createdAt": "2024-01-03T00:00:00Z"})
    return who, made


def export_car(pds: PdsServer, who: PdsAccount, target: Path) -> Path:
    response = httpx.get(
        f"{pds.url}/xrpc/com.atproto.sync.getRepo", params={"did": who.did}, timeout=30
    )
    response.raise_for_status()
    target.write_bytes(response.content)
    return target


def test_it_reads_every_post_of_a_real_repository_export(
    pds: PdsServer, archivist: tuple[PdsAccount, list[Any]], tmp_path: Path
) -> None:
    who, made = archivist
    car = export_car(pds, who, tmp_path / "repo.car")
    entries = list(read_archive(str(car)))
    assert not [e for e in entries if isinstance(e, ReadProblem)]
    items = {e.remote_id: e for e in entries if isinstance(e, ArchiveItem)}
    assert set(items) == {m["uri"] for m in made}  # the like is not a post
    first = items[made[0]["uri"]]
    assert (first.text, first.date, first.kind) == (POSTS[0][1], "2019-02-03T04:05:06Z", "post")
    rkey = made[0]["uri"].rsplit("/", 1)[1]
    assert first.url == f"https://bsky.app/profile/{who.did}/post/{rkey}"
    assert items[made[3]["uri"]].kind == "reply"


def test_a_truncated_repository_export_is_one_problem(
    pds: PdsServer, archivist: tuple[PdsAccount, list[Any]], tmp_path: Path
) -> None:
    who, _ = archivist
    car = export_car(pds, who, tmp_path / "repo.car")
    car.write_bytes(car.read_bytes()[:200])
    entries = list(read_archive(str(car)))
    assert len(entries) == 1 and isinstance(entries[0], ReadProblem)
    assert "repo.car" in entries[0].source


def test_a_channels_history_is_read_through_the_connector_newest_first_since_a_date(
    pds: PdsServer, archivist: tuple[PdsAccount, list[Any]]
) -> None:
    who, made = archivist
    settings = {"service": pds.url, "handle": who.handle, "read_via": "repos"}
    with BlueskyConnector(Credentials({"app_password": who.password}), settings) as connector:
        everything = list(read_history(connector))
        recent = list(read_history(connector, datetime(2021, 1, 1, tzinfo=UTC)))
    assert all(isinstance(e, ArchiveItem) for e in everything)
    assert {e.remote_id for e in everything if isinstance(e, ArchiveItem)} == {
        m["uri"] for m in made
    }
    assert [e.text for e in recent if isinstance(e, ArchiveItem)] == [
        "Replying to myself",
        POSTS[2][1],
        POSTS[1][1],
    ]
