"""The community connector contract: what postguard asks of a community platform.

Plain Python, no Django. A *community* is one room or group on one platform
(a Matrix room, a Discourse category or site, a Discord guild channel, a
Facebook group). The workspace's communities app reads its messages, and
applies the moderation ladder through this interface; what a platform cannot
do through its API is recorded with instructions for a person to do by hand
(:class:`Unsupported` carries them).

Errors reuse the social connectors' classification (``postguard.connectors.base``):
``AuthError`` (credentials no longer work), ``TransientError`` / ``RateLimited``
(try again later), ``PermanentError`` (refused; retrying will not help).
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Literal

Action = Literal["remove", "warn", "mute", "unmute", "kick", "ban", "notice", "pin"]


@dataclass(frozen=True, slots=True)
class CommunityCapabilities:
    """What a platform lets postguard do through its API."""

    read: bool = False
    remove: bool = False
    mute: bool = False  # silence/timeout for a period (restored by postguard or the platform)
    kick: bool = False
    ban: bool = False
    notice: bool = False  # a private message or notice to one member
    pin: bool = False  # publish and pin the Community Policy in the room
    reports: bool = False  # the platform's own report feature is readable


@dataclass(frozen=True, slots=True)
class CommunityMessage:
    """One message read from a community."""

    remote_id: str
    #: The platform's stable id for the member (a Matrix user id, a Discord snowflake).
    author_id: str
    author_name: str
    text: str
    created_at: datetime
    url: str = ""
    reply_to: str | None = None
    media_urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PlatformReport:
    """A report made through the platform's own feature."""

    remote_id: str
    message_id: str
    reporter_id: str
    reason: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MessagePage:
    """Messages since a cursor, oldest first, and the cursor to pass next time."""

    messages: Sequence[CommunityMessage]
    cursor: str | None
    reports: Sequence[PlatformReport] = field(default_factory=tuple)


class Unsupported(Exception):
    """The platform's API cannot do this; ``instructions`` tell a person how to do it by hand."""

    def __init__(self, action: str, instructions: str) -> None:
        super().__init__(f"{action} is not available through this platform's API")
        self.action = action
        self.instructions = instructions


class CommunityConnector(abc.ABC):
    """One community (room/group) on one platform, with the credentials of a moderator bot.

    Every method that changes something on the platform is idempotent where the
    platform allows (removing a removed message, banning a banned member succeed).
    A method the platform does not support raises :class:`Unsupported`.
    """

    platform: ClassVar[str]
    capabilities: ClassVar[CommunityCapabilities]

    @abc.abstractmethod
    def read(self, cursor: str | None = None, *, limit: int = 100) -> MessagePage:
        """Messages (and platform reports) after ``cursor``; ``None``: the latest ``limit``."""

    @abc.abstractmethod
    def remove(self, message_id: str, reason: str) -> None:
        """Remove (redact, delete, hide) one message."""

    @abc.abstractmethod
    def mute(self, member_id: str, until: datetime, reason: str) -> None:
        """Stop the member from posting until ``until`` (postguard calls :meth:`unmute` then
        where the platform does not restore by itself)."""

    @abc.abstractmethod
    def unmute(self, member_id: str) -> None:
        """Let a muted member post again."""

    @abc.abstractmethod
    def kick(self, member_id: str, reason: str) -> None:
        """Remove the member from the community (they may rejoin)."""

    @abc.abstractmethod
    def ban(self, member_id: str, reason: str) -> None:
        """Remove the member and stop them rejoining."""

    @abc.abstractmethod
    def notice(self, member_id: str, text: str) -> None:
        """Tell one member something privately (a direct message or notice)."""

    @abc.abstractmethod
    def pin(self, text: str) -> str:
        """Post ``text`` (the Community Policy, or a link to it) in the community and pin it;
        returns the message id."""
