"""How the communities app builds each platform's connector from a community's stored room id,
settings and secrets (src/postguard/web/communities/platforms.py)."""

from __future__ import annotations

import pytest
import respx

from postguard.communities.discord import DiscordCommunity
from postguard.communities.discourse import DiscourseCommunity
from postguard.communities.facebook_group import FacebookGroupCommunity
from postguard.communities.matrix import MatrixCommunity
from postguard.web.communities import platforms
from postguard.web.communities import services as communities
from postguard.web.communities.models import Community, QueueItem, Source
from postguard.web.errors import Invalid
from tests.communities.test_discourse import SITE, flagged, post, review_queue, score

from .conftest import World


@pytest.mark.parametrize(
    ("platform", "room_id", "config", "secrets", "cls"),
    [
        (
            "matrix",
            "!group:example.org",
            {"homeserver": "https://matrix.example.org"},
            {"access_token": "syt_x"},
            MatrixCommunity,
        ),
        (
            "discord",
            "223344556677889900",
            {"guild_id": "112233445566778899"},
            {"bot_token": "token"},
            DiscordCommunity,
        ),
        (
            "discourse",
            "12",
            {"base_url": "https://forum.example.org", "api_username": "modbot"},
            {"api_key": "key"},
            DiscourseCommunity,
        ),
        ("facebook", "https://www.facebook.com/groups/ibclc", {}, {}, FacebookGroupCommunity),
    ],
)
def test_each_platform_builds_its_connector_from_the_communitys_room_and_settings(
    platform: str, room_id: str, config: dict[str, str], secrets: dict[str, str], cls: type
) -> None:
    conn = platforms.make(platform, room_id, config, secrets)
    try:
        assert isinstance(conn, cls)
    finally:
        close = getattr(conn, "close", None)
        if callable(close):
            close()


def test_the_room_id_is_the_discord_channel_and_the_discourse_category_unless_set() -> None:
    discord = platforms.make(
        "discord", "223344556677889900", {"guild_id": "112233445566778899"}, {"bot_token": "t"}
    )
    discourse = platforms.make(
        "discourse",
        "12",
        {"base_url": "https://forum.example.org", "api_username": "m", "topic_id": "7"},
        {"api_key": "k"},
    )
    try:
        assert discord.channel_id == "223344556677889900"
        assert (discourse.category_id, discourse.topic_id) == (None, 7)
    finally:
        discord.close()
        discourse.close()


@pytest.mark.parametrize(
    ("platform", "room_id", "config", "secrets", "words"),
    [
        (
            "matrix",
            "#group:example.org",
            {"homeserver": "https://m.example.org"},
            {"access_token": "t"},
            "alias",
        ),
        (
            "discord",
            "not-a-channel",
            {"guild_id": "112233445566778899"},
            {"bot_token": "t"},
            "channel",
        ),
    ],
)
def test_settings_a_platform_refuses_are_a_clear_refusal(
    platform: str, room_id: str, config: dict[str, str], secrets: dict[str, str], words: str
) -> None:
    with pytest.raises(platforms.NoConnector, match=words):
        platforms.make(platform, room_id, config, secrets)


@pytest.mark.django_db
def test_an_action_on_a_community_whose_settings_are_refused_is_recorded_to_do_by_hand(
    world: World,
) -> None:
    group = communities.create_community(
        world["admin"],
        world.org,
        name="Aliased room",
        platform="matrix",
        room_id="#group:example.org",  # an alias, not the room id the connector needs
    )
    communities.set_staff(world["admin"], group, world["author"], "admin")
    communities.connect(
        world["author"], group, {"access_token": "syt_x"}, {"homeserver": "https://m.example.org"}
    )
    policy = communities.publish_policy(world["author"], group)
    assert "alias" in policy.pin_instructions
    group = Community.objects.get(pk=group.pk)
    member = communities._member(group, "@dana:example.org", "Dana")
    sanction = communities.act(
        world["author"],
        group,
        step="warn",
        provision_number=4,
        reason="Client details",
        member=member,
    )
    ((notice,),) = [sanction.applied]
    assert notice["action"] == "notice" and notice["done"] is False
    assert "alias" in notice["detail"] and "by hand" in notice["detail"]


@pytest.mark.django_db
def test_a_facebook_group_connects_without_credentials_and_gets_hand_instructions(
    world: World,
) -> None:
    group = communities.create_community(
        world["admin"],
        world.org,
        name="Facebook group",
        platform="facebook",
        room_id="https://www.facebook.com/groups/ibclc",
    )
    communities.connect(world["admin"], group, {}, {})
    group = Community.objects.get(pk=group.pk)
    assert isinstance(communities.connector(group), FacebookGroupCommunity)
    policy = communities.publish_policy(world["admin"], group)
    assert "Facebook" in policy.pin_instructions
    member = communities._member(group, "dana", "Dana")
    sanction = communities.act(
        world["admin"],
        group,
        step="warn",
        provision_number=4,
        reason="Client details",
        member=member,
    )
    ((notice,),) = [sanction.applied]
    assert notice["done"] is False and "Not connected" not in notice["detail"]


@pytest.mark.django_db
def test_a_platform_that_acts_still_needs_its_credentials(world: World) -> None:
    group = communities.create_community(
        world["admin"], world.org, name="Room", platform="matrix", room_id="!r:example.org"
    )
    with pytest.raises(Invalid, match="credentials"):
        communities.connect(world["admin"], group, {}, {"homeserver": "https://m.example.org"})


@pytest.mark.django_db
def test_a_discourse_flag_lands_in_the_moderation_queue_once_when_read_twice(
    world: World,
) -> None:
    group = communities.create_community(
        world["admin"], world.org, name="Forum category", platform="discourse", room_id="5"
    )
    communities.connect(
        world["admin"], group, {"api_key": "key"}, {"base_url": SITE, "api_username": "modbot"}
    )
    with respx.mock(base_url=SITE) as api:
        api.get("/posts.json").respond(json={"latest_posts": [post(31, raw="Ordinary words")]})
        api.get("/review.json").respond(
            json=review_queue([flagged(70, 31, [2])], [score(2, 33, 8)])
        )
        first = communities.read_community(Community.objects.get(pk=group.pk))
        # The flag is still pending on Discourse, so the next read returns it again.
        second = communities.read_community(Community.objects.get(pk=group.pk))
    assert Community.objects.get(pk=group.pk).last_error == ""
    [item] = first
    assert second == []
    assert item.source == Source.PLATFORM and item.remote_id == "70:2"
    assert item.reporter == "33" and item.reason == "Spam"
    assert item.message is not None and item.message.remote_id == "31"
    assert item.member is not None and item.member.remote_id == "20"
    assert QueueItem.objects.filter(community=group, source=Source.PLATFORM).count() == 1
