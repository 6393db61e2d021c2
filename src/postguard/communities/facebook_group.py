"""Facebook groups: record and instruct.

Meta deprecated the Groups API in April 2024: an app can no longer read a
group's posts, remove them, mute, remove or block members, or post as the
group. postguard therefore records every decision and gives the moderator
the steps to carry it out in the group's admin tools; members report
through postguard's report form link, which the Community Policy post
(pinned by hand) carries.

The steps follow Facebook's web interface in 2024–2025 (group → *Manage* in
the left column → *Admin tools*); the mobile app has the same items under
the shield icon.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, NoReturn

from postguard.communities.base import (
    CommunityCapabilities,
    CommunityConnector,
    MessagePage,
    Unsupported,
)

READ = (
    "Facebook no longer lets apps read group posts (the Groups API was deprecated in April "
    "2024). Ask members to report posts with the report form link in the pinned Community "
    "Policy post, or copy a post into postguard's report form yourself."
)
REMOVE = (
    "Open the post in the group, click the ⋯ menu at its top right and choose Remove post "
    "(or, for a comment, ⋯ → Delete). Facebook then offers to note the group rule it broke: "
    "choose the matching rule. Removing also lets you mute, remove or block the member in the "
    "same dialog."
)
MUTE = (
    "In the group, choose Manage → People (or Members), find the member, click ⋯ next to their "
    "name and choose Suspend (up to 28 days) where Facebook offers it, otherwise Mute member "
    "(at most 7 days: mute again when it ends if the suspension is longer); pick the period "
    "that covers the suspension. To let them post again early: the same menu → Unsuspend or "
    "Unmute member."
)
UNMUTE = (
    "In the group, choose Manage → People, find the member (suspended and muted members are "
    "listed apart), click ⋯ next to their name and choose Unsuspend or Unmute member."
)
KICK = (
    "In the group, choose Manage → People, find the member, click ⋯ next to their name and "
    "choose Remove member. Leave 'block' unticked so they may ask to join again."
)
BAN = (
    "In the group, choose Manage → People, find the member, click ⋯ next to their name and "
    "choose Remove member, then tick 'Block' (optionally also removing their recent posts and "
    "comments) and confirm. Blocked members cannot find or rejoin the group."
)
NOTICE = (
    "Send the member the text by Messenger (their profile → Message), or as a comment on their "
    "removed post's notification; keep a copy in postguard as the record."
)
PIN = (
    "Post the text (or its link) in the group as an admin, then click the ⋯ menu on the post "
    "and choose Mark as announcement (or Feature): it stays at the top of the group. Also add "
    "the policy's provisions under Manage → Group rules, so Facebook can cite them when you "
    "remove a post."
)


class FacebookGroupCommunity(CommunityConnector):
    platform: ClassVar[str] = "facebook_group"
    capabilities: ClassVar[CommunityCapabilities] = CommunityCapabilities()

    def __init__(self, **_: Any) -> None:
        pass

    def __repr__(self) -> str:
        return "<FacebookGroupCommunity (record and instruct)>"

    @staticmethod
    def _by_hand(action: str, instructions: str) -> NoReturn:
        raise Unsupported(action, instructions)

    def read(self, cursor: str | None = None, *, limit: int = 100) -> MessagePage:
        self._by_hand("read", READ)

    def remove(self, message_id: str, reason: str) -> None:
        self._by_hand("remove", REMOVE)

    def mute(self, member_id: str, until: datetime, reason: str) -> None:
        self._by_hand("mute", MUTE)

    def unmute(self, member_id: str) -> None:
        self._by_hand("unmute", UNMUTE)

    def kick(self, member_id: str, reason: str) -> None:
        self._by_hand("kick", KICK)

    def ban(self, member_id: str, reason: str) -> None:
        self._by_hand("ban", BAN)

    def notice(self, member_id: str, text: str) -> None:
        self._by_hand("notice", NOTICE)

    def pin(self, text: str) -> str:
        self._by_hand("pin", PIN)
