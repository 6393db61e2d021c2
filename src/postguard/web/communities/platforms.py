"""Which connector class speaks for which community platform.

Import strings, so that a platform's client library loads only when one of its
communities is used, and a missing module is a clear refusal rather than an
ImportError at start-up. Tests register an in-memory connector with
:func:`register`.
"""

from __future__ import annotations

import importlib
from typing import Any

from postguard.communities.base import CommunityConnector
from postguard.connectors.base import PermanentError

PLATFORMS: dict[str, str] = {
    "matrix": "postguard.communities.matrix:MatrixCommunity",
    "discourse": "postguard.communities.discourse:DiscourseCommunity",
    "discord": "postguard.communities.discord:DiscordCommunity",
    "facebook": "postguard.communities.facebook_group:FacebookGroupCommunity",
}


#: The connector keyword(s) a community's room id stands for, where the connector does not
#: take ``room_id`` itself: the first is filled from the room id unless one is set.
ROOM_SETTING: dict[str, tuple[str, ...]] = {
    "discord": ("channel_id",),
    "discourse": ("category_id", "topic_id"),
}


class NoConnector(PermanentError):
    """postguard has no usable connector for this platform."""


def register(platform: str, target: str) -> None:
    """Name the class (``"module:Class"``) that speaks for ``platform``."""
    PLATFORMS[platform] = target


def connector_class(platform: str) -> type[CommunityConnector]:
    target = PLATFORMS.get(platform)
    if target is None:
        raise NoConnector(f"postguard has no connector for the platform {platform!r}")
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise NoConnector(
            f"the {platform} connector ({module_name}) cannot be loaded: {exc}"
        ) from None
    cls = getattr(module, attr, None)
    if not (isinstance(cls, type) and issubclass(cls, CommunityConnector)):
        raise NoConnector(f"{target} is not a community connector")
    return cls


def make(platform: str, room_id: str, config: dict[str, Any], secrets: dict[str, str]) -> Any:
    """A connector for one community: its settings and decrypted secrets as keywords."""
    cls = connector_class(platform)
    settings = dict(config)
    names = ROOM_SETTING.get(platform, ())
    if names and not any(settings.get(name) not in (None, "") for name in names):
        settings[names[0]] = room_id
    try:
        return cls(room_id=room_id, **settings, **secrets)  # type: ignore[call-arg]
    except TypeError as exc:
        raise NoConnector(
            f"the {platform} connector does not accept these settings ({exc}); check the "
            "community's connection settings"
        ) from None
    except PermanentError as exc:
        # A room id or setting the platform's connector refuses (a Matrix alias for a room
        # id, a malformed Discord id) is the same kind of problem: the callers turn it into
        # "do it by hand" or a message to the administrators, never an error page.
        raise NoConnector(
            f"the {platform} connection settings are refused: {exc}; check the community's "
            "connection settings"
        ) from None
