"""Private messages, where the network's API allows one to be sent on a person's behalf.

- **Mastodon**: a direct message is a status with ``visibility=direct`` that mentions the
  account (``POST /api/v1/statuses``, documented at docs.joinmastodon.org/methods/statuses);
  only the mentioned accounts see it. It carries our ``Idempotency-Key`` like any post.
- **Bluesky**: direct messages are the chat service's (``chat.bsky.convo.*``), reached
  through the account's PDS with the header ``atproto-proxy: did:web:api.bsky.chat#bsky_chat``
  (docs.bsky.app, "Direct messages"): ``getConvoForMembers`` finds or opens the
  conversation, ``sendMessage`` sends. The app password must be allowed to reach direct
  messages (Bluesky → Settings → App passwords → "Allow access to your direct
  messages"), and the person must accept messages from the association. A bare PDS
  (like the one the tests run) has no chat service, so postguard's tests check these
  calls against the documented shapes with a mock transport (respx).

Other networks' APIs let an organization's page answer messages only inside windows the
person opened (Facebook, Instagram) or not at all for this kind of app (LinkedIn, X):
postguard does not offer private messages there (validate() says so).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import httpx

from postguard.connectors.base import (
    AuthError,
    PermanentError,
    Published,
    RateLimited,
    TransientError,
    grapheme_length,
    parse_time,
)

#: Bluesky's chat takes up to 1000 graphemes (and 10,000 bytes) per message.
BLUESKY_MESSAGE_GRAPHEMES = 1000
BLUESKY_MESSAGE_BYTES = 10_000
CHAT_PROXY = "did:web:api.bsky.chat#bsky_chat"
TIMEOUT = 30.0


def _raise_for(response: httpx.Response, what: str) -> None:
    if response.status_code < 400:
        return
    try:
        body: Any = response.json()
    except ValueError:
        body = {}
    detail = ""
    if isinstance(body, dict):
        detail = str(body.get("message") or body.get("error") or "")[:300]
    reason = f"{what}: {response.status_code}" + (f" ({detail})" if detail else "")
    if response.status_code in (401, 403):
        raise AuthError(reason)
    if response.status_code == 429:
        wait = response.headers.get("Retry-After", "")
        raise RateLimited(reason, retry_after=float(wait) if wait.isdigit() else None)
    if response.status_code >= 500:
        raise TransientError(reason)
    raise PermanentError(reason)


@contextmanager
def _transport(what: str) -> Iterator[None]:
    """Network failures (timeouts, refused connections) are transient."""
    try:
        yield
    except (httpx.TimeoutException, httpx.TransportError) as exc:
        raise TransientError(f"{what}: {exc}") from exc


# --- Mastodon ---------------------------------------------------------------------------


def mastodon_text(recipient: str, text: str) -> str:
    """The status text of a direct message: it must mention the account."""
    acct = recipient.strip().lstrip("@")
    return f"@{acct} {text}"


def mastodon_send(
    instance: str,
    access_token: str,
    recipient: str,
    text: str,
    idempotency_key: str,
    *,
    client: httpx.Client | None = None,
) -> Published:
    """Send a Mastodon direct message (a status with visibility "direct")."""
    own = client is None
    http = client or httpx.Client(timeout=TIMEOUT)
    try:
        with _transport("Mastodon direct message"):
            response = http.post(
                f"{instance.rstrip('/')}/api/v1/statuses",
                headers={
                    "Authorization": f"Bearer {access_token}",
                    "Idempotency-Key": idempotency_key,
                },
                json={"status": mastodon_text(recipient, text), "visibility": "direct"},
            )
        _raise_for(response, "Mastodon refused the direct message")
        status = response.json()
        if status.get("visibility") != "direct":
            raise PermanentError("Mastodon did not keep the message private; it was not sent")
        return Published(
            str(status["id"]), status.get("url"), parse_time(str(status["created_at"]))
        )
    finally:
        if own:
            http.close()


# --- Bluesky ----------------------------------------------------------------------------


def bluesky_problems(text: str) -> list[str]:
    problems = []
    n = grapheme_length(text)
    if n > BLUESKY_MESSAGE_GRAPHEMES:
        problems.append(
            f"Bluesky messages allow {BLUESKY_MESSAGE_GRAPHEMES} characters; this one has {n} "
            f"— remove {n - BLUESKY_MESSAGE_GRAPHEMES}"
        )
    if len(text.encode("utf-8")) > BLUESKY_MESSAGE_BYTES:
        problems.append(f"Bluesky messages allow {BLUESKY_MESSAGE_BYTES} bytes; shorten it")
    return problems


class BlueskyChat:
    """The chat calls, through the account's PDS (service) with its access token."""

    def __init__(
        self, service: str, access_jwt: str, *, client: httpx.Client | None = None
    ) -> None:
        self.service = service.rstrip("/")
        self._own = client is None
        self.http = client or httpx.Client(timeout=TIMEOUT)
        self.headers = {"Authorization": f"Bearer {access_jwt}", "atproto-proxy": CHAT_PROXY}

    def close(self) -> None:
        if self._own:
            self.http.close()

    def _get(self, nsid: str, params: Any, what: str) -> Any:
        with _transport(what):
            response = self.http.get(
                f"{self.service}/xrpc/{nsid}", params=params, headers=self.headers
            )
        _raise_for(response, what)
        return response.json()

    def convo_for(self, member_did: str) -> str:
        body = self._get(
            "chat.bsky.convo.getConvoForMembers",
            {"members": [member_did]},
            "Bluesky could not open a conversation",
        )
        return str(body["convo"]["id"])

    def send(self, convo_id: str, text: str) -> dict[str, Any]:
        with _transport("Bluesky direct message"):
            response = self.http.post(
                f"{self.service}/xrpc/chat.bsky.convo.sendMessage",
                headers=self.headers,
                json={"convoId": convo_id, "message": {"text": text}},
            )
        _raise_for(response, "Bluesky refused the direct message")
        sent: dict[str, Any] = response.json()
        return sent

    def find(self, convo_id: str, sender_did: str, text: str, since: datetime) -> Any:
        """A message we sent in the conversation with exactly this text, at or after
        ``since`` (newest first, one page), or None."""
        body = self._get(
            "chat.bsky.convo.getMessages",
            {"convoId": convo_id, "limit": 100},
            "Bluesky could not list the conversation",
        )
        for message in body.get("messages", []):
            sent_at = parse_time(str(message.get("sentAt", "1970-01-01T00:00:00Z")))
            if sent_at < since:
                return None
            if (message.get("sender") or {}).get("did") == sender_did and message.get(
                "text"
            ) == text:
                return message
        return None


def chat_published(convo_id: str, message: dict[str, Any]) -> Published:
    return Published(
        remote_id=f"{convo_id}/{message['id']}",
        url=None,
        published_at=parse_time(str(message["sentAt"])),
        extra={"convo": convo_id},
    )
