"""The Matrix connector against a real Synapse homeserver (see conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from postguard.communities.matrix import MatrixCommunity
from postguard.connectors.base import AuthError, PermanentError
from tests.synapse_server import MatrixRoom, MatrixUser, SynapseServer, q


@pytest.fixture
def community(synapse: SynapseServer, matrix_room: MatrixRoom) -> Iterator[MatrixCommunity]:
    with MatrixCommunity(
        homeserver=synapse.url,
        access_token=matrix_room.bot.access_token,
        room_id=matrix_room.room_id,
    ) as connector:
        yield connector


def _visible_texts(user: MatrixUser, room_id: str) -> list[str]:
    data = user.ok("GET", f"/rooms/{q(room_id)}/messages", params={"dir": "b", "limit": 50})
    return [e["content"].get("body", "") for e in data["chunk"] if e["type"] == "m.room.message"]


def test_it_reads_members_messages_since_the_cursor(
    community: MatrixCommunity, matrix_room: MatrixRoom
) -> None:
    alice = matrix_room.alice
    alice.ok("PUT", f"/profile/{q(alice.user_id)}/displayname", json={"displayname": "Alice M"})
    assert matrix_room.alice.say(matrix_room.room_id, "first, before we started watching")
    first = community.read()
    assert [m.text for m in first.messages] == ["first, before we started watching"]
    assert first.cursor

    matrix_room.alice.say(matrix_room.room_id, "second")
    matrix_room.bot.say(matrix_room.room_id, "the bot's own message is not read back")
    matrix_room.bob.say(matrix_room.room_id, "third")
    page = community.read(first.cursor)
    assert [(m.author_id, m.text) for m in page.messages] == [
        (matrix_room.alice.user_id, "second"),
        (matrix_room.bob.user_id, "third"),
    ]
    message = page.messages[0]
    assert message.remote_id.startswith("$")
    assert message.author_name == "Alice M"
    assert message.created_at.tzinfo is not None
    assert abs(message.created_at - datetime.now(UTC)) < timedelta(minutes=5)
    assert message.url.startswith("https://matrix.to/#/")

    again = community.read(page.cursor)
    assert list(again.messages) == []
    assert again.cursor


def test_it_reads_a_reply_and_an_image_with_its_media_url(
    community: MatrixCommunity, matrix_room: MatrixRoom
) -> None:
    cursor = community.read().cursor
    original = matrix_room.alice.say(matrix_room.room_id, "who knows a good pump?").json()
    matrix_room.bob.say(
        matrix_room.room_id,
        "> who knows\n\nI do",
        **{"m.relates_to": {"m.in_reply_to": {"event_id": original["event_id"]}}},
    )
    matrix_room.bob.say(
        matrix_room.room_id,
        "client photo.jpg",
        msgtype="m.image",
        url="mxc://localhost/abcdef",
    )
    messages = community.read(cursor).messages
    assert messages[1].reply_to == original["event_id"]
    assert messages[2].media_urls == ("mxc://localhost/abcdef",)
    assert messages[2].text == "client photo.jpg"


def test_it_redacts_a_message_and_a_retry_succeeds(
    community: MatrixCommunity, matrix_room: MatrixRoom
) -> None:
    event_id = matrix_room.alice.say(matrix_room.room_id, "Jane Doe, my client, photo attached")
    event_id = event_id.json()["event_id"]

    community.remove(event_id, "Community Policy 3.1: a client's identity")
    community.remove(event_id, "Community Policy 3.1: a client's identity")

    event = matrix_room.bob.ok("GET", f"/rooms/{q(matrix_room.room_id)}/event/{q(event_id)}")
    assert event["content"] == {}
    assert "redacted_because" in event["unsigned"]
    assert "Jane Doe, my client, photo attached" not in _visible_texts(
        matrix_room.bob, matrix_room.room_id
    )
    assert community.read().messages == []


def test_it_mutes_a_member_who_then_cannot_post_and_unmutes_them(
    community: MatrixCommunity, matrix_room: MatrixRoom
) -> None:
    room, alice = matrix_room.room_id, matrix_room.alice
    until = datetime.now(UTC) + timedelta(days=7)

    community.mute(alice.user_id, until, "Community Policy 4.2: second breach")
    community.mute(alice.user_id, until, "retried")  # idempotent: the saved level is kept

    levels = matrix_room.bot.ok("GET", f"/rooms/{q(room)}/state/m.room.power_levels/")
    assert levels["users"][alice.user_id] < levels.get("events_default", 0)
    refused = alice.say(room, "can I still post?")
    assert refused.status_code == 403
    assert refused.json()["errcode"] == "M_FORBIDDEN"
    assert matrix_room.bob.say(room, "others still can").is_success

    community.unmute(alice.user_id)
    community.unmute(alice.user_id)  # idempotent

    levels = matrix_room.bot.ok("GET", f"/rooms/{q(room)}/state/m.room.power_levels/")
    assert alice.user_id not in levels["users"]
    assert alice.say(room, "back again").is_success


def test_unmute_restores_a_members_raised_level(
    community: MatrixCommunity, matrix_room: MatrixRoom
) -> None:
    room, bob = matrix_room.room_id, matrix_room.bob
    levels = matrix_room.bot.ok("GET", f"/rooms/{q(room)}/state/m.room.power_levels/")
    levels["users"][bob.user_id] = 10
    matrix_room.bot.ok("PUT", f"/rooms/{q(room)}/state/m.room.power_levels/", json=levels)

    community.mute(bob.user_id, datetime.now(UTC) + timedelta(hours=1), "provision 2")
    assert bob.say(room, "muted?").status_code == 403
    community.unmute(bob.user_id)

    levels = matrix_room.bot.ok("GET", f"/rooms/{q(room)}/state/m.room.power_levels/")
    assert levels["users"][bob.user_id] == 10


def test_a_mute_survives_a_new_connector_instance(
    synapse: SynapseServer, community: MatrixCommunity, matrix_room: MatrixRoom
) -> None:
    community.mute(matrix_room.alice.user_id, datetime.now(UTC) + timedelta(hours=1), "4.2")
    with MatrixCommunity(synapse.url, matrix_room.bot.access_token, matrix_room.room_id) as later:
        later.unmute(matrix_room.alice.user_id)
    assert matrix_room.alice.say(matrix_room.room_id, "restored").is_success


def test_it_kicks_a_member_who_may_rejoin(
    community: MatrixCommunity, matrix_room: MatrixRoom
) -> None:
    room, alice = matrix_room.room_id, matrix_room.alice
    community.kick(alice.user_id, "Community Policy 4.3")
    assert matrix_room.bot.membership(room, alice.user_id) == "leave"
    community.kick(alice.user_id, "retried")  # already out: not an error
    assert alice.join(room).is_success


def test_it_bans_a_member_who_cannot_rejoin(
    community: MatrixCommunity, matrix_room: MatrixRoom
) -> None:
    room, alice = matrix_room.room_id, matrix_room.alice
    community.ban(alice.user_id, "Community Policy 4.4: repeated breaches")
    community.ban(alice.user_id, "retried")
    assert matrix_room.bot.membership(room, alice.user_id) == "ban"
    rejoin = alice.join(room)
    assert rejoin.status_code == 403


def _sync_token(user: MatrixUser) -> str:
    return str(user.ok("GET", "/sync", params={"timeout": 0})["next_batch"])


def _invites_since(user: MatrixUser, since: str) -> list[str]:
    sync = user.ok("GET", "/sync", params={"timeout": 5000, "since": since})
    return list(sync.get("rooms", {}).get("invite", {}))


def test_it_sends_the_member_a_notice_in_a_direct_room_and_reuses_it(
    community: MatrixCommunity, matrix_room: MatrixRoom
) -> None:
    bob = matrix_room.bob
    since = _sync_token(bob)
    community.notice(bob.user_id, "You were warned under provision 3.1. You may appeal.")
    invites = _invites_since(bob, since)
    assert len(invites) == 1
    dm = invites[0]
    assert bob.join(dm).is_success

    since = _sync_token(bob)
    community.notice(bob.user_id, "Your appeal was received.")
    # The same room again, no new invitation.
    assert [r for r in _invites_since(bob, since) if r != dm] == []

    chunk = bob.ok("GET", f"/rooms/{q(dm)}/messages", params={"dir": "b", "limit": 20})["chunk"]
    notices = [
        e["content"]["body"]
        for e in reversed(chunk)
        if e["type"] == "m.room.message" and e["content"].get("msgtype") == "m.notice"
    ]
    assert notices == [
        "You were warned under provision 3.1. You may appeal.",
        "Your appeal was received.",
    ]


def test_it_pins_the_community_policy(community: MatrixCommunity, matrix_room: MatrixRoom) -> None:
    room = matrix_room.room_id
    first = community.pin("Community Policy v1: https://example.org/policy/1")
    again = community.pin("Community Policy v1: https://example.org/policy/1")
    assert again == first  # the retry is the same event, not a second message
    pinned = matrix_room.alice.ok("GET", f"/rooms/{q(room)}/state/m.room.pinned_events/")
    assert pinned["pinned"] == [first]
    event = matrix_room.alice.ok("GET", f"/rooms/{q(room)}/event/{q(first)}")
    assert event["content"]["body"] == "Community Policy v1: https://example.org/policy/1"


def test_a_member_cannot_be_muted_by_a_bot_without_the_power(
    synapse: SynapseServer, matrix_room: MatrixRoom
) -> None:
    alice_token = matrix_room.alice.access_token
    with (
        MatrixCommunity(synapse.url, alice_token, matrix_room.room_id) as weak,
        pytest.raises(PermanentError, match="enough power"),
    ):
        weak.mute(matrix_room.bob.user_id, datetime.now(UTC) + timedelta(hours=1), "x")
    assert matrix_room.bob.say(matrix_room.room_id, "unaffected").is_success


def test_a_revoked_token_is_an_auth_error(synapse: SynapseServer, matrix_room: MatrixRoom) -> None:
    with (
        MatrixCommunity(synapse.url, "syt_not_a_real_token", matrix_room.room_id) as bad,
        pytest.raises(AuthError) as caught,
    ):
        bad.read()
    assert "syt_not_a_real_token" not in str(caught.value)


def test_it_fetches_the_image_a_member_posted_within_a_size_bound(
    synapse: SynapseServer, community: MatrixCommunity, matrix_room: MatrixRoom
) -> None:
    picture = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000
    with httpx.Client(base_url=synapse.url, timeout=30) as client:
        upload = client.post(
            "/_matrix/media/v3/upload",
            params={"filename": "client.png"},
            content=picture,
            headers={
                "Authorization": f"Bearer {matrix_room.alice.access_token}",
                "Content-Type": "image/png",
            },
        )
    assert upload.is_success, upload.text
    cursor = community.read().cursor
    matrix_room.alice.say(
        matrix_room.room_id, "client.png", msgtype="m.image", url=upload.json()["content_uri"]
    )
    (message,) = community.read(cursor).messages
    assert community.fetch_media(message.media_urls[0]) == picture
    with pytest.raises(PermanentError, match="more than 100 bytes"):
        community.fetch_media(message.media_urls[0], max_bytes=100)
