"""Discord: one text channel of a guild (server), moderated by a bot (HTTP API v10).

The bot is invited to the server with the permissions View Channel, Read
Message History, Send Messages, Manage Messages, Pin Messages, Moderate Members
(timeouts), Kick Members and Ban Members, and with the *Message Content*
privileged intent switched on in the Developer Portal (without it Discord
returns messages with empty text, and postguard would check nothing).

* **read** asks for messages ``after`` the cursor (the highest message id,
  a snowflake, already read); Discord answers newest first, postguard sorts
  them oldest first.
* **mute** is a timeout (``communication_disabled_until``), which Discord lifts
  by itself. Discord allows at most 28 days: a longer suspension is applied as
  28 days (:attr:`DiscordCommunity.max_mute`) and must be renewed by the caller.
* Messages the bot sends carry a nonce derived from the action with
  ``enforce_nonce``, so a retried send returns the first message instead of
  posting twice.
* Rate limits: a 429 becomes :class:`RateLimited` with Discord's
  ``retry_after``; when a response says the bucket is empty
  (``X-RateLimit-Remaining: 0``) the next call waits for ``X-RateLimit-Reset-After``
  (briefly) or is refused with :class:`RateLimited` (when the wait is long).
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from postguard.communities.base import (
    CommunityCapabilities,
    CommunityMessage,
    MessagePage,
)
from postguard.communities.http import (
    CommunityHttp,
    HttpCommunityConnector,
    Response,
    error_text,
    platform_words,
)
from postguard.connectors.base import (
    AuthError,
    ConnectorError,
    NotFound,
    PermanentError,
    RateLimited,
    TransientError,
    parse_time,
)

API = "https://discord.com/api/v10"
MAX_CONTENT = 2000
#: Discord's page size for channel messages.
MAX_PAGE = 100
#: Wait this long at most, in process, for an emptied rate-limit bucket; longer: RateLimited.
MAX_INLINE_WAIT = 2.0
#: Message types a member writes (default and reply).
MEMBER_MESSAGE_TYPES = frozenset({0, 19})
UNKNOWN_MESSAGE, UNKNOWN_MEMBER, UNKNOWN_BAN = 10008, 10007, 10026
CANNOT_MESSAGE_USER = 50007


def _snowflake(value: str, what: str) -> str:
    if not value.isdigit():
        raise PermanentError(f"a Discord {what} id is a number (got {value[:40]!r})")
    return value


def _nonce(*parts: str) -> str:
    # Discord nonces are at most 25 characters.
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:25]


class DiscordCommunity(HttpCommunityConnector):
    platform: ClassVar[str] = "discord"
    capabilities: ClassVar[CommunityCapabilities] = CommunityCapabilities(
        read=True,
        remove=True,
        mute=True,
        kick=True,
        ban=True,
        notice=True,
        pin=True,
        # Discord's in-app reports go to Discord Trust & Safety, not to the bot.
        reports=False,
    )
    max_mute: ClassVar[timedelta] = timedelta(days=28)

    def __init__(
        self,
        bot_token: str,
        guild_id: str,
        channel_id: str,
        *,
        base_url: str = API,
        transport: httpx.BaseTransport | None = None,
        sleep: Any = time.sleep,
        **_: Any,
    ) -> None:
        self.guild_id = _snowflake(str(guild_id), "server")
        self.channel_id = _snowflake(str(channel_id), "channel")
        self.http = CommunityHttp(
            base_url.rstrip("/"),
            {"Authorization": f"Bot {bot_token}"},
            platform="Discord",
            classify=classify,
            transport=transport,
        )
        self._sleep = sleep
        self._wait_until = 0.0
        self._me: str | None = None

    def __repr__(self) -> str:
        return f"<DiscordCommunity guild={self.guild_id} channel={self.channel_id}>"

    # -- plumbing ---------------------------------------------------------------------------

    def _call(self, method: str, url: str, *, what: str, reason: str = "", **kwargs: Any) -> Any:
        wait = self._wait_until - time.monotonic()
        if wait > MAX_INLINE_WAIT:
            raise RateLimited(f"Discord rate limit: wait before {what}", retry_after=wait)
        if wait > 0:
            self._sleep(wait)
        headers = dict(kwargs.pop("headers", None) or {})
        if reason:
            # Shown in the server's audit log; Discord wants it URL-encoded.
            headers["X-Audit-Log-Reason"] = quote(reason[:512], safe=" ")
        response = self.http.send(method, url, what=what, headers=headers, **kwargs)
        if response.headers.get("x-ratelimit-remaining") == "0":
            try:
                reset = float(response.headers.get("x-ratelimit-reset-after", "0"))
            except ValueError:
                reset = 0.0
            self._wait_until = time.monotonic() + max(0.0, reset)
        if not response.ok:
            raise classify(response, what)
        return response.json()

    def me(self) -> str:
        """The bot's own user id, asked once (its messages are not read back)."""
        if self._me is None:
            data = self._call("GET", "/users/@me", what="checking the token")
            if not isinstance(data, dict) or not isinstance(data.get("id"), str):
                raise TransientError("Discord answered /users/@me without an id")
            self._me = data["id"]
        return self._me

    # -- reading ----------------------------------------------------------------------------

    def read(self, cursor: str | None = None, *, limit: int = 100) -> MessagePage:
        params: dict[str, str | int] = {"limit": max(1, min(int(limit), MAX_PAGE))}
        if cursor:
            params["after"] = _snowflake(cursor, "message")
        data = self._call(
            "GET", f"/channels/{self.channel_id}/messages", params=params, what="reading messages"
        )
        items = [m for m in data or [] if isinstance(m, dict) and str(m.get("id", "")).isdigit()]
        items.sort(key=lambda m: int(m["id"]))
        me = self.me()
        messages = [
            self._message(m)
            for m in items
            if m.get("type", 0) in MEMBER_MESSAGE_TYPES
            and isinstance(m.get("author"), dict)
            and m["author"].get("id") != me
        ]
        next_cursor = items[-1]["id"] if items else cursor
        return MessagePage(messages=messages, cursor=next_cursor)

    def _message(self, data: dict[str, Any]) -> CommunityMessage:
        author = data["author"]
        reference = data.get("message_reference")
        attachments = data.get("attachments") or []
        return CommunityMessage(
            remote_id=data["id"],
            author_id=str(author.get("id", "")),
            author_name=str(author.get("global_name") or author.get("username") or ""),
            text=str(data.get("content") or ""),
            created_at=parse_time(str(data.get("timestamp") or "1970-01-01T00:00:00Z")),
            url=f"https://discord.com/channels/{self.guild_id}/{self.channel_id}/{data['id']}",
            reply_to=str(reference["message_id"])
            if isinstance(reference, dict) and reference.get("message_id")
            else None,
            media_urls=tuple(
                str(a["url"]) for a in attachments if isinstance(a, dict) and a.get("url")
            ),
        )

    # -- moderation -------------------------------------------------------------------------

    def remove(self, message_id: str, reason: str) -> None:
        message = _snowflake(message_id, "message")
        try:
            self._call(
                "DELETE",
                f"/channels/{self.channel_id}/messages/{message}",
                what="deleting the message",
                reason=reason,
            )
        except NotFound:
            return  # already deleted

    def _member(self, member_id: str) -> str:
        return f"/guilds/{self.guild_id}/members/{_snowflake(member_id, 'member')}"

    def mute(self, member_id: str, until: datetime, reason: str) -> None:
        # A minute's margin: Discord refuses a timeout even slightly over 28 days.
        latest = datetime.now(UTC) + self.max_mute - timedelta(minutes=1)
        end = min(until.astimezone(UTC), latest)
        self._call(
            "PATCH",
            self._member(member_id),
            json={"communication_disabled_until": end.isoformat()},
            what="timing out the member",
            reason=reason,
        )

    def unmute(self, member_id: str) -> None:
        try:
            self._call(
                "PATCH",
                self._member(member_id),
                json={"communication_disabled_until": None},
                what="ending the member's timeout",
            )
        except NotFound:
            return  # left the server: nothing to lift

    def kick(self, member_id: str, reason: str) -> None:
        try:
            self._call("DELETE", self._member(member_id), what="kicking the member", reason=reason)
        except NotFound:
            return  # already gone

    def ban(self, member_id: str, reason: str) -> None:
        member = _snowflake(member_id, "member")
        self._call(
            "PUT",
            f"/guilds/{self.guild_id}/bans/{member}",
            json={"delete_message_seconds": 0},
            what="banning the member",
            reason=reason,
        )

    def _post(self, channel_id: str, text: str, nonce: str, what: str) -> str:
        if len(text) > MAX_CONTENT:
            raise PermanentError(
                f"Discord messages hold {MAX_CONTENT} characters; this one has {len(text)}: "
                "send a link to the full text instead"
            )
        data = self._call(
            "POST",
            f"/channels/{channel_id}/messages",
            json={"content": text, "nonce": nonce, "enforce_nonce": True},
            what=what,
        )
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            raise TransientError(f"Discord accepted {what} but returned no message id")
        return str(data["id"])

    def notice(self, member_id: str, text: str) -> None:
        member = _snowflake(member_id, "member")
        channel = self._call(
            "POST",
            "/users/@me/channels",
            json={"recipient_id": member},
            what="opening a direct message",
        )
        if not isinstance(channel, dict) or not isinstance(channel.get("id"), str):
            raise TransientError("Discord opened a direct message but returned no channel id")
        self._post(channel["id"], text, _nonce("notice", member, text), "sending the notice")

    def pin(self, text: str) -> str:
        message = self._post(
            self.channel_id, text, _nonce("pin", self.channel_id, text), "posting the policy"
        )
        self._call(
            "PUT",
            f"/channels/{self.channel_id}/messages/pins/{message}",
            what="pinning the policy",
            reason="Community Policy",
        )
        return str(message)


def classify(response: Response, what: str) -> ConnectorError:
    data = response.json()
    message = error_text("Discord", what, response, platform_words(data, "message"))
    code = data.get("code") if isinstance(data, dict) else None
    if response.status == 429:
        retry = data.get("retry_after") if isinstance(data, dict) else None
        if not isinstance(retry, int | float):
            header = response.headers.get("retry-after", "")
            retry = float(header) if header.replace(".", "", 1).isdigit() else None
        return RateLimited(message, retry_after=retry)
    if response.status == 401:
        return AuthError(f"{message} — the bot token no longer works: reset it and reconnect")
    if response.status >= 500:
        return TransientError(message)
    if response.status == 404 or code in (UNKNOWN_MESSAGE, UNKNOWN_MEMBER, UNKNOWN_BAN):
        return NotFound(message)
    if code == CANNOT_MESSAGE_USER:
        return PermanentError(
            f"{message} — the member does not accept direct messages from this server: "
            "tell them another way"
        )
    if response.status == 403:
        return PermanentError(
            f"{message} — check the bot's role: it needs the permission for this and must be "
            "above the member's highest role"
        )
    return PermanentError(message)
