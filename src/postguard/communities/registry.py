"""Which connector serves which platform: the one table the workspace looks platforms up in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from postguard.communities.base import CommunityConnector
from postguard.communities.discord import DiscordCommunity
from postguard.communities.discourse import DiscourseCommunity
from postguard.communities.facebook_group import FacebookGroupCommunity
from postguard.communities.matrix import MatrixCommunity
from postguard.connectors.base import PermanentError

PLATFORMS: Mapping[str, type[CommunityConnector]] = {
    cls.platform: cls
    for cls in (MatrixCommunity, DiscourseCommunity, DiscordCommunity, FacebookGroupCommunity)
}

#: The settings each platform needs, in the order a form asks for them (secrets marked).
SETTINGS: Mapping[str, tuple[tuple[str, bool], ...]] = {
    "matrix": (("homeserver", False), ("room_id", False), ("access_token", True)),
    "discourse": (
        ("base_url", False),
        ("category_id", False),
        ("topic_id", False),
        ("api_username", False),
        ("api_key", True),
    ),
    "discord": (("guild_id", False), ("channel_id", False), ("bot_token", True)),
    "facebook_group": (("group_url", False),),
}


def connect(platform: str, **settings: Any) -> CommunityConnector:
    """The connector for ``platform`` built from its stored settings and secrets."""
    try:
        cls = PLATFORMS[platform]
    except KeyError:
        known = ", ".join(sorted(PLATFORMS))
        raise PermanentError(f"unknown community platform {platform!r} (known: {known})") from None
    try:
        return cls(**settings)
    except TypeError:
        needed = ", ".join(name for name, _ in SETTINGS.get(platform, ()))
        raise PermanentError(f"a {platform} community needs: {needed}") from None
