"""Matrix: one room on a homeserver, moderated by a bot account (client-server API v3).

The bot is a member of the room with a power level high enough to redact,
kick, ban and change power levels (a room moderator, 50, in the usual
presets; muting a member needs the ``m.room.power_levels`` level, 100 by
default).

* **read** pages ``/rooms/{id}/messages`` forward from the cursor (the
  ``end`` token of the previous page); without a cursor it reads the latest
  messages backwards and returns the token of "now".
* **mute** lowers the member's power level below what sending a message
  needs. Matrix has no timed mute, so the member's previous level is kept in
  the bot's room account data (``org.postguard.mutes``) and :meth:`unmute`
  puts it back: postguard calls it when the suspension ends, and a postguard
  restart loses nothing.
* Every event the bot sends uses a transaction id derived from the action,
  so a retried request is not applied twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
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
    bounded_limit,
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
)

API = "/_matrix/client/v3"
MUTES = "org.postguard.mutes"
#: Message types whose ``body`` is text a member wrote (images carry a caption or file name).
TEXT_TYPES = frozenset({"m.text", "m.notice", "m.emote", "m.image", "m.file", "m.video"})


def _q(value: str) -> str:
    return quote(value, safe="")


def _txn(*parts: str) -> str:
    """A transaction id from the action and its target: the same action sent twice (a retry)
    carries the same id, which the homeserver deduplicates."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]
    return f"pg{digest}"


def _level(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class MatrixCommunity(HttpCommunityConnector):
    platform: ClassVar[str] = "matrix"
    capabilities: ClassVar[CommunityCapabilities] = CommunityCapabilities(
        read=True,
        remove=True,
        mute=True,
        kick=True,
        ban=True,
        notice=True,
        pin=True,
        # Matrix reports (/rooms/{id}/report) go to the homeserver's administrators,
        # and no client API lets a room moderator read them.
        reports=False,
    )

    def __init__(
        self,
        homeserver: str,
        access_token: str,
        room_id: str,
        *,
        transport: httpx.BaseTransport | None = None,
        **_: Any,
    ) -> None:
        if not room_id.startswith("!"):
            raise PermanentError(
                f"a Matrix room id starts with '!' (got {room_id[:80]!r}): use the room's "
                "internal id from its settings, not its alias"
            )
        self.homeserver = homeserver.rstrip("/")
        self.room_id = room_id
        self.http = CommunityHttp(
            self.homeserver,
            {"Authorization": f"Bearer {access_token}"},
            platform="Matrix",
            classify=classify,
            transport=transport,
        )
        self._user_id: str | None = None

    def __repr__(self) -> str:
        return f"<MatrixCommunity {self.homeserver} {self.room_id}>"

    # -- plumbing ---------------------------------------------------------------------------

    @property
    def room(self) -> str:
        return f"{API}/rooms/{_q(self.room_id)}"

    def user_id(self) -> str:
        """The bot's own user id (``/account/whoami``), asked once."""
        if self._user_id is None:
            data = self.http.call("GET", f"{API}/account/whoami", what="checking the token").json()
            user = data.get("user_id") if isinstance(data, dict) else None
            if not isinstance(user, str):
                raise TransientError("Matrix answered /account/whoami without a user id")
            self._user_id = user
        return self._user_id

    def _state(self, room: str, event_type: str, state_key: str = "", *, what: str) -> Any:
        """A state event's content, or ``None`` when the room has none."""
        url = f"{room}/state/{_q(event_type)}/{_q(state_key)}"
        try:
            return self.http.call("GET", url, what=what).json()
        except NotFound:
            return None

    def _put_state(
        self, event_type: str, content: Mapping[str, Any], *, what: str, state_key: str = ""
    ) -> None:
        url = f"{self.room}/state/{_q(event_type)}/{_q(state_key)}"
        self.http.call("PUT", url, json=dict(content), what=what)

    def _send(self, room: str, content: Mapping[str, Any], txn: str, *, what: str) -> str:
        url = f"{room}/send/m.room.message/{_q(txn)}"
        data = self.http.call("PUT", url, json=dict(content), what=what).json()
        event_id = data.get("event_id") if isinstance(data, dict) else None
        if not isinstance(event_id, str):
            raise TransientError(f"Matrix accepted {what} but returned no event id")
        return event_id

    def _membership(self, room: str, member_id: str, *, what: str) -> str | None:
        content = self._state(room, "m.room.member", member_id, what=what)
        value = content.get("membership") if isinstance(content, dict) else None
        return value if isinstance(value, str) else None

    # -- reading ----------------------------------------------------------------------------

    def read(self, cursor: str | None = None, *, limit: int = 100) -> MessagePage:
        params: dict[str, str | int] = {
            "limit": bounded_limit(limit),
            "filter": '{"types":["m.room.message"],"lazy_load_members":true}',
        }
        if cursor:
            params.update({"dir": "f", "from": cursor})
        else:
            params["dir"] = "b"
        data = self.http.call(
            "GET", f"{self.room}/messages", params=params, what="reading the room"
        ).json()
        if not isinstance(data, dict):
            raise TransientError("Matrix answered /messages without a JSON object")
        chunk = [e for e in data.get("chunk") or [] if isinstance(e, dict)]
        if cursor:
            # Forward pages end without ``end`` when nothing newer exists: stay put.
            next_cursor = data.get("end") or cursor
        else:
            chunk.reverse()
            next_cursor = data.get("start")
        names = _display_names(data.get("state") or [])
        me = self.user_id()
        messages = [
            m for e in chunk if e.get("sender") != me and (m := self._message(e, names)) is not None
        ]
        return MessagePage(
            messages=messages, cursor=next_cursor if isinstance(next_cursor, str) else None
        )

    def _message(
        self, event: Mapping[str, Any], names: Mapping[str, str]
    ) -> CommunityMessage | None:
        content = event.get("content")
        if event.get("type") != "m.room.message" or not isinstance(content, dict):
            return None
        # An edit carries the new text in m.new_content: that is what members now see.
        new = content.get("m.new_content")
        shown = new if isinstance(new, dict) else content
        body = shown.get("body")
        if not isinstance(body, str) or shown.get("msgtype") not in TEXT_TYPES:
            return None  # redacted (empty content) or not a message a person wrote
        sender = str(event.get("sender", ""))
        relates = content.get("m.relates_to")
        reply_to = None
        if isinstance(relates, dict):
            in_reply = relates.get("m.in_reply_to")
            if isinstance(in_reply, dict) and isinstance(in_reply.get("event_id"), str):
                reply_to = in_reply["event_id"]
            elif relates.get("rel_type") == "m.replace" and isinstance(
                relates.get("event_id"), str
            ):
                reply_to = relates["event_id"]
        media = tuple(
            url for url in (shown.get("url"),) if isinstance(url, str) and url.startswith("mxc://")
        )
        event_id = str(event.get("event_id", ""))
        ts = _level(event.get("origin_server_ts"), 0)
        return CommunityMessage(
            remote_id=event_id,
            author_id=sender,
            author_name=names.get(sender) or sender.removeprefix("@").split(":", 1)[0],
            text=body,
            created_at=datetime.fromtimestamp(ts / 1000, tz=UTC),
            url=f"https://matrix.to/#/{_q(self.room_id)}/{_q(event_id)}",
            reply_to=reply_to,
            media_urls=media,
        )

    def fetch_media(self, mxc_url: str, *, max_bytes: int = 20_000_000) -> bytes:
        """The bytes of an ``mxc://`` image a member posted (authenticated media API), up to
        ``max_bytes``: for checking images for faces and location metadata."""
        server, _, media_id = mxc_url.removeprefix("mxc://").partition("/")
        if not mxc_url.startswith("mxc://") or not server or not media_id:
            raise PermanentError(f"not a Matrix media URL: {mxc_url[:80]!r}")
        url = f"/_matrix/client/v1/media/download/{_q(server)}/{_q(media_id)}"
        previous = self.http.max_bytes
        self.http.max_bytes = max_bytes
        try:
            return self.http.call("GET", url, what="downloading an image").content
        finally:
            self.http.max_bytes = previous

    # -- moderation -------------------------------------------------------------------------

    def remove(self, message_id: str, reason: str) -> None:
        url = f"{self.room}/redact/{_q(message_id)}/{_q(_txn('redact', self.room_id, message_id))}"
        self.http.call("PUT", url, json={"reason": reason}, what="redacting the message")

    def _power_levels(self) -> dict[str, Any]:
        content = self._state(self.room, "m.room.power_levels", what="reading power levels")
        if not isinstance(content, dict):
            raise PermanentError("this Matrix room has no power levels: it cannot be moderated")
        return content

    @staticmethod
    def _muted_level(levels: Mapping[str, Any]) -> int:
        events_default = _level(levels.get("events_default"), 0)
        events = levels.get("events") if isinstance(levels.get("events"), dict) else {}
        assert isinstance(events, dict)
        send = _level(events.get("m.room.message"), events_default)
        return min(events_default, send) - 1

    def _mutes(self) -> dict[str, Any]:
        url = f"{API}/user/{_q(self.user_id())}/rooms/{_q(self.room_id)}/account_data/{MUTES}"
        try:
            data = self.http.call("GET", url, what="reading the mute records").json()
        except NotFound:
            return {}
        users = data.get("users") if isinstance(data, dict) else None
        return dict(users) if isinstance(users, dict) else {}

    def _save_mutes(self, users: Mapping[str, Any]) -> None:
        url = f"{API}/user/{_q(self.user_id())}/rooms/{_q(self.room_id)}/account_data/{MUTES}"
        self.http.call("PUT", url, json={"users": dict(users)}, what="saving the mute records")

    def mute(self, member_id: str, until: datetime, reason: str) -> None:
        levels = self._power_levels()
        users = dict(levels.get("users") or {})
        muted = self._muted_level(levels)
        mutes = self._mutes()
        current = users.get(member_id)
        if member_id not in mutes:
            # Saved before the level changes, so a crash in between still lets unmute restore.
            mutes[member_id] = {"previous": current, "until": until.astimezone(UTC).isoformat()}
        else:
            mutes[member_id] = {**mutes[member_id], "until": until.astimezone(UTC).isoformat()}
        self._save_mutes(mutes)
        if _level(current, _level(levels.get("users_default"), 0)) <= muted:
            return  # already unable to send
        users[member_id] = muted
        self._put_state("m.room.power_levels", {**levels, "users": users}, what="muting the member")

    def unmute(self, member_id: str) -> None:
        levels = self._power_levels()
        users = dict(levels.get("users") or {})
        mutes = self._mutes()
        record = mutes.pop(member_id, None)
        current = users.get(member_id)
        still_muted = _level(current, _level(levels.get("users_default"), 0)) <= self._muted_level(
            levels
        )
        # Restore only while the member is still at the muted level: an administrator who
        # changed it meanwhile has decided, and the previous level may itself be a hand mute.
        if still_muted:
            previous = record.get("previous") if isinstance(record, dict) else None
            if previous is None:
                users.pop(member_id, None)
            else:
                users[member_id] = _level(previous, 0)
            if users.get(member_id) != current:
                self._put_state(
                    "m.room.power_levels", {**levels, "users": users}, what="unmuting the member"
                )
        if record is not None:
            self._save_mutes(mutes)

    def _remove_member(self, action: str, member_id: str, reason: str) -> None:
        what = "kicking the member" if action == "kick" else "banning the member"
        try:
            self.http.call(
                "POST",
                f"{self.room}/{action}",
                json={"user_id": member_id, "reason": reason},
                what=what,
            )
        except PermanentError:
            # Kicking someone who already left (or was banned) is refused by the server;
            # for postguard the member is out, which is what was asked.
            membership = self._membership(self.room, member_id, what="checking the member")
            if action == "kick" and membership in (None, "leave", "ban"):
                return
            if action == "ban" and membership == "ban":
                return
            raise

    def kick(self, member_id: str, reason: str) -> None:
        self._remove_member("kick", member_id, reason)

    def ban(self, member_id: str, reason: str) -> None:
        self._remove_member("ban", member_id, reason)

    def _direct_room(self, member_id: str) -> str:
        """A direct-message room with the member: the one in the bot's ``m.direct`` where
        the member is still joined or invited, or a new one."""
        me = self.user_id()
        url = f"{API}/user/{_q(me)}/account_data/m.direct"
        try:
            direct = self.http.call("GET", url, what="reading direct rooms").json()
        except NotFound:
            direct = None
        direct = dict(direct) if isinstance(direct, dict) else {}
        for room_id in direct.get(member_id) or []:
            if not isinstance(room_id, str):
                continue
            room = f"{API}/rooms/{_q(room_id)}"
            try:
                if self._membership(room, member_id, what="checking the direct room") in (
                    "join",
                    "invite",
                ):
                    return room_id
            except (PermanentError, AuthError):
                continue  # the bot left that room, or it is gone
        data = self.http.call(
            "POST",
            f"{API}/createRoom",
            json={
                "preset": "trusted_private_chat",
                "is_direct": True,
                "invite": [member_id],
                "name": "Moderators",
            },
            what="opening a direct room",
        ).json()
        room_id = data.get("room_id") if isinstance(data, dict) else None
        if not isinstance(room_id, str):
            raise TransientError("Matrix created a room but returned no room id")
        rooms = [r for r in direct.get(member_id) or [] if isinstance(r, str)]
        direct[member_id] = [room_id, *rooms]
        self.http.call("PUT", url, json=direct, what="recording the direct room")
        return room_id

    def notice(self, member_id: str, text: str) -> None:
        room_id = self._direct_room(member_id)
        self._send(
            f"{API}/rooms/{_q(room_id)}",
            {"msgtype": "m.notice", "body": text},
            _txn("notice", room_id, member_id, text),
            what="sending the notice",
        )

    def pin(self, text: str) -> str:
        event_id = self._send(
            self.room,
            {"msgtype": "m.text", "body": text},
            _txn("pin", self.room_id, text),
            what="posting the message to pin",
        )
        content = self._state(self.room, "m.room.pinned_events", what="reading pinned messages")
        pinned = content.get("pinned") if isinstance(content, dict) else None
        pinned = [p for p in pinned or [] if isinstance(p, str)]
        if event_id not in pinned:
            self._put_state(
                "m.room.pinned_events", {"pinned": [event_id, *pinned]}, what="pinning the message"
            )
        return event_id


def _display_names(state: Any) -> dict[str, str]:
    names: dict[str, str] = {}
    for event in state if isinstance(state, list) else []:
        if not isinstance(event, dict) or event.get("type") != "m.room.member":
            continue
        content = event.get("content")
        name = content.get("displayname") if isinstance(content, dict) else None
        if isinstance(name, str) and name and isinstance(event.get("state_key"), str):
            names[event["state_key"]] = name
    return names


def classify(response: Response, what: str) -> ConnectorError:
    """Matrix errors by ``errcode`` first (the spec's vocabulary), then by status."""
    data = response.json()
    code = data.get("errcode") if isinstance(data, dict) else None
    message = error_text("Matrix", what, response, platform_words(data, "error"))
    if code == "M_LIMIT_EXCEEDED" or response.status == 429:
        retry_ms = data.get("retry_after_ms") if isinstance(data, dict) else None
        retry = _level(retry_ms, -1) / 1000 if retry_ms is not None else None
        if retry is None or retry < 0:
            header = response.headers.get("retry-after")
            retry = float(header) if header and header.isdigit() else None
        return RateLimited(message, retry_after=retry)
    if response.status == 401 or code in ("M_UNKNOWN_TOKEN", "M_MISSING_TOKEN"):
        return AuthError(f"{message} — the bot's access token no longer works: reconnect")
    if response.status >= 500:
        return TransientError(message)
    if code == "M_NOT_FOUND" or response.status == 404:
        return NotFound(message)
    if code == "M_FORBIDDEN":
        return PermanentError(
            f"{message} — check that the bot is in the room with enough power to do this"
        )
    return PermanentError(message)
