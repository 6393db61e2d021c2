"""The issue's end-to-end test on a real Matrix homeserver (Synapse, tests/synapse_server.py):
a member posts a client's details in the closed room → the watch job flags it → a moderator
removes it and warns → a second breach → suspension (muted on Synapse) → restored when it
ends → an appeal decided by a second moderator → every step in an intact audit chain.

Nothing here stands in for the platform: the room, the redaction, the power levels and the
direct messages are Synapse's own. Under ``CI=true`` a missing homeserver fails the test.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from postguard.web.audit.models import AuditEntry
from postguard.web.audit.services import verify
from postguard.web.communities import jobs
from postguard.web.communities import services as communities
from postguard.web.communities.models import Community, ItemState, Step
from postguard.web.errors import NotAllowed
from tests.images import face_jpeg, plain_jpeg
from tests.synapse_server import MatrixRoom, MatrixUser, SynapseServer, q

from .conftest import World

pytestmark = pytest.mark.django_db

FIRST_BREACH = (
    "My client Sarah Jones from Leeds had her tongue tie released at St Mary's today, "
    "call her on 07700 900123 if you want the story."
)
SECOND_BREACH = (
    "Update on my client Sarah Jones: she is at 14 Elm Road, Leeds, phone 07700 900123, "
    "do drop in on her."
)
HARMLESS = "Does anyone have a good handout on paced bottle feeding for grandparents?"


def _connected_community(world: World, synapse: SynapseServer, room: MatrixRoom) -> Community:
    group = communities.create_community(
        world["admin"],
        world.org,
        name="Lactation colleagues",
        platform="matrix",
        room_id=room.room_id,
    )
    communities.set_staff(world["admin"], group, world["reviewer"], "admin")
    communities.set_staff(world["reviewer"], group, world["author"], "moderator")
    communities.set_staff(world["reviewer"], group, world["author2"], "moderator")
    communities.connect(
        world["reviewer"],
        group,
        {"access_token": room.bot.access_token},
        {"homeserver": synapse.url},
    )
    communities.publish_policy(world["reviewer"], group)
    communities.update_settings(
        world["reviewer"],
        group,
        warning_days=group.warning_days,
        suspension_days=group.suspension_days,
        appeal_days=group.appeal_days,
        retention_days=group.retention_days,
        complaint_template=group.complaint_template,
        watched=True,
    )
    group.refresh_from_db()
    return group


def _event(user: MatrixUser, room_id: str, event_id: str) -> dict[str, Any]:
    data: dict[str, Any] = user.ok("GET", f"/rooms/{q(room_id)}/event/{q(event_id)}")
    return data


def _direct_notices(member: MatrixUser, bot: MatrixUser) -> list[str]:
    """The notices the bot sent the member in their direct room (joined on first sight)."""
    synced = member.ok("GET", "/sync", params={"timeout": 0})
    rooms = synced.get("rooms", {})
    for room_id in rooms.get("invite", {}):
        assert member.join(room_id).is_success
    bodies: list[str] = []
    joined = member.ok("GET", "/joined_rooms")["joined_rooms"]
    for room_id in joined:
        members = member.ok("GET", f"/rooms/{q(room_id)}/joined_members")["joined"]
        if set(members) != {member.user_id, bot.user_id}:
            continue  # the community room itself has more members
        chunk = member.ok("GET", f"/rooms/{q(room_id)}/messages", params={"dir": "f", "limit": 50})
        bodies += [
            e["content"]["body"]
            for e in chunk["chunk"]
            if e["type"] == "m.room.message" and e["content"].get("msgtype") == "m.notice"
        ]
    return bodies


def _send_level(bot: MatrixUser, room_id: str, user_id: str) -> tuple[int, int]:
    """The member's power level and the level sending a message needs."""
    levels = bot.ok("GET", f"/rooms/{q(room_id)}/state/m.room.power_levels/")
    mine = int(levels.get("users", {}).get(user_id, levels.get("users_default", 0)))
    needed = int(levels.get("events", {}).get("m.room.message", levels.get("events_default", 0)))
    return mine, needed


def test_a_breach_in_a_matrix_room_goes_up_the_ladder_and_every_step_is_audited(
    world: World, synapse: SynapseServer, matrix_room: MatrixRoom
) -> None:
    room = matrix_room.room_id
    alice, bot = matrix_room.alice, matrix_room.bot
    group = _connected_community(world, synapse, matrix_room)

    # The Community Policy is pinned in the room where members see it.
    pinned = alice.ok("GET", f"/rooms/{q(room)}/state/m.room.pinned_events/")["pinned"]
    assert len(pinned) == 1
    assert "Community Policy" in _event(alice, room, pinned[0])["content"]["body"]

    # 1. A member posts a client's details; the watch job reads the room and flags it.
    breach = alice.say(room, FIRST_BREACH)
    assert breach.is_success, breach.text
    breach_id = breach.json()["event_id"]
    assert matrix_room.bob.say(room, HARMLESS).is_success
    assert jobs.watch() == 1
    (item,) = communities.queue(world["author"], group)
    assert item.message is not None and item.message.remote_id == breach_id
    assert item.member is not None and item.member.remote_id == alice.user_id
    assert {f["category"] for f in item.findings} & {"privacy.person", "privacy.contact"}
    assert jobs.watch() == 0  # the stored cursor: nothing is read twice

    # 2. A moderator removes it (redacted on Synapse) and warns the member citing provision 4.
    warning = communities.act(
        world["author"],
        group,
        item=item,
        step="warn",
        provision_number=4,
        reason="You posted a client's name, hospital and phone number.",
        remove_message=True,
    )
    assert [(a["action"], a["done"]) for a in warning.applied] == [
        ("remove", True),
        ("notice", True),
    ]
    redacted = _event(alice, room, breach_id)
    assert redacted["content"] == {}
    assert "redacted_because" in redacted.get("unsigned", {})
    (notice,) = _direct_notices(alice, bot)
    assert "warned you" in notice and "provision 4" in notice and "/c/appeal/" in notice
    item.refresh_from_db()
    assert item.state == ItemState.ACTIONED

    # 3. A second breach while the warning counts: the ladder proposes a suspension.
    assert alice.say(room, SECOND_BREACH).is_success
    assert jobs.watch() == 1
    (second,) = communities.queue(world["author"], group)
    assert second.member is not None
    assert communities.propose(second.member, communities.provision_of(group, 4)) == Step.SUSPEND
    suspension = communities.act(
        world["author"],
        group,
        item=second,
        step="suspend",
        provision_number=4,
        reason="A second client's address and phone number after a warning.",
        remove_message=True,
        days=1,
    )
    assert suspension.ends_at is not None
    assert all(a["done"] for a in suspension.applied), suspension.applied
    mine, needed = _send_level(bot, room, alice.user_id)
    assert mine < needed
    refused = alice.say(room, "can I still post?")
    assert refused.status_code == 403, refused.text
    assert "suspended you until" in _direct_notices(alice, bot)[-1]

    # 4. The restore job lets her post again once the suspension has ended, not before.
    assert jobs.restore() == 0
    assert alice.say(room, "still muted?").status_code == 403
    assert communities.restore_due(suspension.ends_at + timedelta(minutes=1)) == 1
    mine, needed = _send_level(bot, room, alice.user_id)
    assert mine >= needed
    assert alice.say(room, "Thank you, I understand the policy now.").is_success
    suspension.refresh_from_db()
    assert suspension.restored_at is not None

    # 5. She appeals; the moderator who acted is refused, a second moderator decides.
    appeal = communities.appeal_by_member(
        suspension.appeal_token, "I did not realise the group was not private."
    )
    with pytest.raises(NotAllowed, match="different moderator"):
        communities.decide_appeal(world["author"], appeal.pk, "overturned", "She apologised")
    decided = communities.decide_appeal(
        world["author2"], appeal.pk, "upheld", "A second breach of provision 4 after a warning."
    )
    assert decided.decided_by == world["author2"]
    assert decided.outcome == "upheld"
    assert "upheld" in _direct_notices(alice, bot)[-1]

    # 6. Every step is in the audit chain, without the client's details, and it verifies.
    actions = list(
        AuditEntry.objects.filter(action__startswith="community.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    for expected in (
        "community.create",
        "community.connect",
        "community.policy_publish",
        "community.queue",
        "community.sanction",
        "community.restore",
        "community.appeal",
        "community.appeal_decided",
    ):
        assert expected in actions
    assert actions.count("community.queue") == 2
    assert actions.count("community.sanction") == 2
    assert not AuditEntry.objects.filter(after__icontains="07700").exists()
    assert not AuditEntry.objects.filter(after__icontains=matrix_room.bot.access_token).exists()
    assert verify().ok


def _upload(synapse: SynapseServer, user: MatrixUser, picture: bytes, name: str) -> str:
    with httpx.Client(base_url=synapse.url, timeout=30) as client:
        response = client.post(
            "/_matrix/media/v3/upload",
            params={"filename": name},
            content=picture,
            headers={
                "Authorization": f"Bearer {user.access_token}",
                "Content-Type": "image/jpeg",
            },
        )
    assert response.is_success, response.text
    uri: str = response.json()["content_uri"]
    return uri


def test_a_photo_of_a_person_posted_in_the_room_is_checked_for_faces_and_consent(
    world: World, synapse: SynapseServer, matrix_room: MatrixRoom
) -> None:
    room = matrix_room.room_id
    alice, bob = matrix_room.alice, matrix_room.bob
    group = _connected_community(world, synapse, matrix_room)
    assert jobs.watch() == 0  # start from "now"
    face = alice.say(
        room,
        "baby_latching.jpg",
        msgtype="m.image",
        url=_upload(synapse, alice, face_jpeg(), "baby_latching.jpg"),
    )
    assert face.is_success, face.text
    assert bob.say(
        room,
        "sunset.jpg",
        msgtype="m.image",
        url=_upload(synapse, bob, plain_jpeg(), "sunset.jpg"),
    ).is_success
    assert jobs.watch() == 1
    (item,) = communities.queue(world["author"], group)
    assert item.message is not None and item.message.remote_id == face.json()["event_id"]
    categories = {f["category"] for f in item.findings}
    assert {"imagery.face", "imagery.no_consent"} <= categories
