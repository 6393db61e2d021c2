"""Communities for the tests: one in the test organization with its staff, and a second
whose moderator is therefore "a moderator of another community" to the first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest

from postguard.communities.base import CommunityMessage
from postguard.web.communities import platforms
from postguard.web.communities import services as communities
from postguard.web.communities.models import Community

from .community_memory import EVERYTHING, MemoryCommunity, Room

if TYPE_CHECKING:
    from .conftest import World

#: A member posts a client's name and details in the closed group.
CLIENT_DETAILS = (
    "My client Sarah Jones from Leeds had her tongue tie released at St Mary's today, "
    "call her on 07700 900123 if you want the story."
)
ORDINARY = "Does anyone have a good handout on paced bottle feeding for grandparents?"


@dataclass
class Communities:
    world: World
    group: Community
    other: Community

    @property
    def room(self) -> Room:
        return MemoryCommunity.rooms[self.group.room_id]

    def post(
        self, remote_id: str, author: str, text: str, media: dict[str, bytes] | None = None
    ) -> CommunityMessage:
        self.room.media.update(media or {})
        message = CommunityMessage(
            remote_id=remote_id,
            author_id=f"@{author}:example.org",
            author_name=author.title(),
            text=text,
            created_at=datetime.now(UTC),
            media_urls=tuple(media or ()),
        )
        self.room.messages.append(message)
        return message


@pytest.fixture
def memory_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(platforms.PLATFORMS, "matrix", "tests.web.community_memory:MemoryCommunity")
    monkeypatch.setattr(MemoryCommunity, "rooms", {})
    monkeypatch.setattr(MemoryCommunity, "capabilities", EVERYTHING)


def make_communities(world: World) -> Communities:
    group = communities.create_community(
        world["admin"],
        world.org,
        name="Lactation colleagues",
        platform="matrix",
        room_id="!group:example.org",
        config={"homeserver": "http://127.0.0.1:8008"},
    )
    communities.set_staff(world["admin"], group, world["reviewer"], "admin")
    communities.set_staff(world["reviewer"], group, world["author"], "moderator")
    communities.set_staff(world["reviewer"], group, world["author2"], "moderator")
    communities.connect(world["reviewer"], group, {"access_token": MemoryCommunity.token}, {})
    MemoryCommunity.rooms.setdefault(group.room_id, Room())
    communities.publish_policy(world["reviewer"], group)
    other = communities.create_community(
        world["admin"],
        world.org,
        name="Students",
        platform="matrix",
        room_id="!students:example.org",
    )
    communities.set_staff(world["admin"], other, world["member"], "moderator")
    group.refresh_from_db()
    return Communities(world, group, other)


@pytest.fixture
def comm(world: World, memory_platform: None) -> Communities:
    return make_communities(world)
