"""The platform table and the contract every community connector keeps."""

from __future__ import annotations

import pytest

from postguard.communities.base import CommunityConnector
from postguard.communities.discord import DiscordCommunity
from postguard.communities.matrix import MatrixCommunity
from postguard.communities.registry import PLATFORMS, SETTINGS, connect
from postguard.connectors.base import PermanentError


def test_every_platform_is_registered_with_its_settings() -> None:
    assert set(PLATFORMS) == {"matrix", "discourse", "discord", "facebook_group"} == set(SETTINGS)
    for cls in PLATFORMS.values():
        assert issubclass(cls, CommunityConnector)


def test_it_builds_a_connector_from_stored_settings_ignoring_extras() -> None:
    matrix = connect(
        "matrix",
        homeserver="https://m.example.org",
        access_token="t",
        room_id="!r:example.org",
        display_name="ignored",
    )
    assert isinstance(matrix, MatrixCommunity)
    discord = connect("discord", bot_token="t", guild_id="1", channel_id="2")
    assert isinstance(discord, DiscordCommunity)


def test_it_refuses_an_unknown_platform_or_missing_settings_in_one_line() -> None:
    with pytest.raises(PermanentError, match="unknown community platform 'myspace'"):
        connect("myspace")
    with pytest.raises(PermanentError, match="needs: guild_id, channel_id, bot_token"):
        connect("discord", guild_id="1")
