"""Discord, against request and response shapes from the Discord HTTP API documentation
(discord.com/developers/docs, API v10), with respx."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import respx

from postguard.communities.discord import API, DiscordCommunity
from postguard.connectors.base import AuthError, PermanentError, RateLimited, TransientError

TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.not-a-real-bot-token-0123456789"
GUILD, CHANNEL, BOT, MEMBER = (
    "1100000000000000001",
    "1100000000000000002",
    "999",
    "80351110224678912",
)


def message(
    message_id: str, *, author_id: str = MEMBER, content: str = "hi", **extra: Any
) -> dict[str, Any]:
    """A message object as documented (fields postguard reads, plus some it ignores)."""
    return {
        "id": message_id,
        "type": 0,
        "channel_id": CHANNEL,
        "author": {
            "id": author_id,
            "username": "leah_ibclc",
            "global_name": "Leah",
            "discriminator": "0",
            "avatar": None,
        },
        "content": content,
        "timestamp": "2026-05-24T21:16:02.287000+00:00",
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "attachments": [],
        "embeds": [],
        "pinned": False,
        **extra,
    }


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=API, assert_all_called=False) as router:
        router.get("/users/@me").respond(json={"id": BOT, "username": "postguard", "bot": True})
        yield router


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def discord(sleeps: list[float]) -> Iterator[DiscordCommunity]:
    with DiscordCommunity(TOKEN, GUILD, CHANNEL, sleep=sleeps.append) as connector:
        yield connector


def test_it_reads_messages_after_the_cursor_oldest_first_without_its_own(
    api: respx.MockRouter, discord: DiscordCommunity
) -> None:
    route = api.get(f"/channels/{CHANNEL}/messages").respond(
        json=[
            message("1300", content="third"),
            message("1250", author_id=BOT, content="the bot's own notice"),
            message(
                "1200",
                content="a reply with a photo",
                message_reference={"message_id": "1100", "channel_id": CHANNEL},
                attachments=[
                    {
                        "id": "5",
                        "filename": "photo.jpg",
                        "content_type": "image/jpeg",
                        "url": "https://cdn.discordapp.com/attachments/1/5/photo.jpg",
                    }
                ],
            ),
            message("1150", type=7, content=""),  # a member joined: not a message they wrote
        ]
    )
    page = discord.read("1100", limit=500)
    request = route.calls.last.request
    assert request.url.params["after"] == "1100"
    assert request.url.params["limit"] == "100"  # Discord's maximum page
    assert request.headers["Authorization"] == f"Bot {TOKEN}"
    assert [m.text for m in page.messages] == ["a reply with a photo", "third"]
    assert page.cursor == "1300"
    reply = page.messages[0]
    assert reply.reply_to == "1100"
    assert reply.author_name == "Leah"
    assert reply.media_urls == ("https://cdn.discordapp.com/attachments/1/5/photo.jpg",)
    assert reply.url == f"https://discord.com/channels/{GUILD}/{CHANNEL}/1200"
    assert reply.created_at == datetime(2026, 5, 24, 21, 16, 2, 287000, tzinfo=UTC)


def test_an_empty_page_keeps_the_cursor(api: respx.MockRouter, discord: DiscordCommunity) -> None:
    api.get(f"/channels/{CHANNEL}/messages").respond(json=[])
    assert discord.read("1300").cursor == "1300"


def test_it_deletes_a_message_with_the_reason_in_the_audit_log(
    api: respx.MockRouter, discord: DiscordCommunity
) -> None:
    route = api.delete(f"/channels/{CHANNEL}/messages/1200").mock(
        side_effect=[
            httpx.Response(204),
            httpx.Response(404, json={"message": "Unknown Message", "code": 10008}),
        ]
    )
    discord.remove("1200", "Community Policy 3.1: a client's identity")
    discord.remove("1200", "retried")  # already gone: not an error
    reason = route.calls[0].request.headers["X-Audit-Log-Reason"]
    assert reason == "Community Policy 3.1%3A a client%27s identity"


def test_it_times_a_member_out_for_at_most_28_days_and_lifts_it(
    api: respx.MockRouter, discord: DiscordCommunity
) -> None:
    route = api.patch(f"/guilds/{GUILD}/members/{MEMBER}").respond(
        json={"user": {"id": MEMBER}, "communication_disabled_until": None}
    )
    until = datetime.now(UTC) + timedelta(days=3)
    discord.mute(MEMBER, until, "Community Policy 4.2")
    sent = json.loads(route.calls.last.request.content)["communication_disabled_until"]
    assert datetime.fromisoformat(sent) == until

    discord.mute(MEMBER, datetime.now(UTC) + timedelta(days=60), "4.2")
    sent = json.loads(route.calls.last.request.content)["communication_disabled_until"]
    assert datetime.fromisoformat(sent) <= datetime.now(UTC) + timedelta(days=28)

    discord.unmute(MEMBER)
    assert json.loads(route.calls.last.request.content) == {"communication_disabled_until": None}


def test_it_kicks_and_a_member_already_gone_is_not_an_error(
    api: respx.MockRouter, discord: DiscordCommunity
) -> None:
    route = api.delete(f"/guilds/{GUILD}/members/{MEMBER}").mock(
        side_effect=[
            httpx.Response(204),
            httpx.Response(404, json={"message": "Unknown Member", "code": 10007}),
        ]
    )
    discord.kick(MEMBER, "4.3")
    discord.kick(MEMBER, "4.3")
    assert route.call_count == 2


def test_it_bans_without_deleting_the_members_history(
    api: respx.MockRouter, discord: DiscordCommunity
) -> None:
    route = api.put(f"/guilds/{GUILD}/bans/{MEMBER}").respond(204)
    discord.ban(MEMBER, "Community Policy 4.4")
    assert json.loads(route.calls.last.request.content) == {"delete_message_seconds": 0}
    assert route.calls.last.request.headers["X-Audit-Log-Reason"] == "Community Policy 4.4"


def test_it_sends_a_notice_in_a_direct_message_with_a_stable_nonce(
    api: respx.MockRouter, discord: DiscordCommunity
) -> None:
    dm = api.post("/users/@me/channels").respond(json={"id": "3300", "type": 1, "recipients": []})
    send = api.post("/channels/3300/messages").respond(json=message("3400", author_id=BOT))
    discord.notice(MEMBER, "You were warned under provision 3.1.")
    discord.notice(MEMBER, "You were warned under provision 3.1.")
    assert json.loads(dm.calls.last.request.content) == {"recipient_id": MEMBER}
    first, second = (json.loads(c.request.content) for c in send.calls)
    assert first["content"] == "You were warned under provision 3.1."
    assert first["enforce_nonce"] is True
    assert first["nonce"] == second["nonce"] and len(first["nonce"]) <= 25


def test_a_member_who_refuses_direct_messages_is_a_clear_permanent_error(
    api: respx.MockRouter, discord: DiscordCommunity
) -> None:
    api.post("/users/@me/channels").respond(json={"id": "3300", "type": 1})
    api.post("/channels/3300/messages").respond(
        403, json={"message": "Cannot send messages to this user", "code": 50007}
    )
    with pytest.raises(PermanentError, match="does not accept direct messages"):
        discord.notice(MEMBER, "text")


def test_it_pins_the_policy_message(api: respx.MockRouter, discord: DiscordCommunity) -> None:
    api.post(f"/channels/{CHANNEL}/messages").respond(json=message("5000", author_id=BOT))
    pin = api.put(f"/channels/{CHANNEL}/messages/pins/5000").respond(204)
    assert discord.pin("Community Policy v1: https://example.org/p/1") == "5000"
    assert pin.called


def test_it_refuses_a_message_longer_than_discord_allows(discord: DiscordCommunity) -> None:
    with pytest.raises(PermanentError, match="2000 characters"):
        discord.pin("x" * 2001)


def test_a_429_is_rate_limited_with_discords_retry_after(
    api: respx.MockRouter, discord: DiscordCommunity
) -> None:
    api.get(f"/channels/{CHANNEL}/messages").respond(
        429,
        json={"message": "You are being rate limited.", "retry_after": 64.57, "global": False},
        headers={"Retry-After": "65", "X-RateLimit-Scope": "user"},
    )
    with pytest.raises(RateLimited) as caught:
        discord.read()
    assert caught.value.retry_after == 64.57


def test_an_emptied_bucket_makes_the_next_call_wait_briefly(
    api: respx.MockRouter, discord: DiscordCommunity, sleeps: list[float]
) -> None:
    api.delete(f"/channels/{CHANNEL}/messages/1").respond(
        204, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "1.5"}
    )
    api.delete(f"/channels/{CHANNEL}/messages/2").respond(204)
    discord.remove("1", "r")
    discord.remove("2", "r")
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 1.5


def test_an_emptied_bucket_with_a_long_reset_refuses_the_next_call(
    api: respx.MockRouter, discord: DiscordCommunity, sleeps: list[float]
) -> None:
    api.delete(f"/channels/{CHANNEL}/messages/1").respond(
        204, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "30"}
    )
    second = api.delete(f"/channels/{CHANNEL}/messages/2").respond(204)
    discord.remove("1", "r")
    with pytest.raises(RateLimited) as caught:
        discord.remove("2", "r")
    assert caught.value.retry_after is not None and 25 < caught.value.retry_after <= 30
    assert not second.called and sleeps == []


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (401, {"message": "401: Unauthorized", "code": 0}, AuthError),
        (403, {"message": "Missing Permissions", "code": 50013}, PermanentError),
        (500, {"message": "Internal Server Error"}, TransientError),
    ],
)
def test_it_classifies_discord_errors(
    api: respx.MockRouter,
    discord: DiscordCommunity,
    status: int,
    body: dict[str, Any],
    error: type[Exception],
) -> None:
    api.put(f"/guilds/{GUILD}/bans/{MEMBER}").respond(status, json=body)
    with pytest.raises(error) as caught:
        discord.ban(MEMBER, "4.4")
    assert type(caught.value) is error
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(discord)


def test_an_oversized_response_is_refused(api: respx.MockRouter, discord: DiscordCommunity) -> None:
    api.get(f"/channels/{CHANNEL}/messages").respond(200, content=b"[" + b" " * 5_000_000 + b"]")
    with pytest.raises(PermanentError, match="more than"):
        discord.read()


def test_ids_must_be_snowflakes(discord: DiscordCommunity) -> None:
    with pytest.raises(PermanentError):
        discord.kick("../../guilds/1", "x")
