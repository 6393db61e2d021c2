"""An in-memory community platform for the communities app's tests.

It stands for the platforms (Matrix, Discourse, Discord, Facebook), whose connectors
are tested against the real servers and documented API shapes in tests/communities.
Here it keeps what each room holds and what was done to whom, so that a test can see
that the ladder reached the platform. ``capabilities`` is set per test to exercise the
record-and-instruct path (Facebook groups have no moderation API).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from postguard.communities.base import (
    CommunityCapabilities,
    CommunityConnector,
    CommunityMessage,
    MessagePage,
    PlatformReport,
    Unsupported,
)
from postguard.connectors.base import AuthError, PermanentError, TransientError

EVERYTHING = CommunityCapabilities(
    read=True, remove=True, mute=True, kick=True, ban=True, notice=True, pin=True, reports=True
)
NOTHING = CommunityCapabilities(read=True)


@dataclass
class Room:
    messages: list[CommunityMessage] = field(default_factory=list)
    reports: list[PlatformReport] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    muted: dict[str, datetime] = field(default_factory=dict)
    kicked: set[str] = field(default_factory=set)
    banned: set[str] = field(default_factory=set)
    notices: list[tuple[str, str]] = field(default_factory=list)
    pinned: list[str] = field(default_factory=list)
    #: The bytes behind each media URL members posted, and how often each was fetched.
    media: dict[str, bytes] = field(default_factory=dict)
    fetched: list[str] = field(default_factory=list)
    #: Fail the next unmute with a transient error (the platform is down).
    fail_unmute: int = 0


class MemoryCommunity(CommunityConnector):
    platform = "memory"
    capabilities: ClassVar[CommunityCapabilities] = EVERYTHING
    rooms: ClassVar[dict[str, Room]] = {}
    token: ClassVar[str] = "bot-token"

    def __init__(self, room_id: str, access_token: str = "", **settings: str) -> None:
        if access_token != self.token:
            raise AuthError("the access token is refused")
        self.room = self.rooms.setdefault(room_id, Room())
        self.settings = settings

    def _can(self, action: str, allowed: bool) -> None:
        if not allowed:
            raise Unsupported(action, f"Do {action} by hand in the group's admin tools.")

    def read(self, cursor: str | None = None, *, limit: int = 100) -> MessagePage:
        start = int(cursor) if cursor else 0
        messages = self.room.messages[start : start + limit]
        reports = [r for r in self.room.reports if int(r.remote_id) >= start]
        return MessagePage(messages, str(start + len(messages)), reports)

    def fetch_media(self, url: str, *, max_bytes: int) -> bytes:
        self.room.fetched.append(url)
        data = self.room.media.get(url)
        if data is None:
            raise PermanentError("no such media")
        if len(data) > max_bytes:
            raise PermanentError(f"the image is more than {max_bytes} bytes")
        return data

    def remove(self, message_id: str, reason: str) -> None:
        self._can("remove", self.capabilities.remove)
        self.room.removed.add(message_id)

    def mute(self, member_id: str, until: datetime, reason: str) -> None:
        self._can("mute", self.capabilities.mute)
        self.room.muted[member_id] = until

    def unmute(self, member_id: str) -> None:
        self._can("unmute", self.capabilities.mute)
        if self.room.fail_unmute:
            self.room.fail_unmute -= 1
            raise TransientError("the homeserver is down")
        self.room.muted.pop(member_id, None)

    def kick(self, member_id: str, reason: str) -> None:
        self._can("kick", self.capabilities.kick)
        self.room.kicked.add(member_id)

    def ban(self, member_id: str, reason: str) -> None:
        self._can("ban", self.capabilities.ban)
        self.room.banned.add(member_id)

    def notice(self, member_id: str, text: str) -> None:
        self._can("notice", self.capabilities.notice)
        self.room.notices.append((member_id, text))

    def pin(self, text: str) -> str:
        self._can("pin", self.capabilities.pin)
        self.room.pinned.append(text)
        return f"$pin{len(self.room.pinned)}"
