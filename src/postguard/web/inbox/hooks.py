"""The inbound webhook: a network (or a bridge in front of it) posts comments to
``/hooks/inbox/<channel id>/``, signed with the channel's own secret.

Signature: ``X-Postguard-Signature: sha256=<hex HMAC-SHA256(secret,
"<timestamp>.<nonce>.<body>")>`` with ``X-Postguard-Timestamp`` (Unix
seconds) and ``X-Postguard-Nonce`` (unique per request). Refused: a missing
or wrong signature, a timestamp that is not Unix seconds in ASCII digits or is more
than :data:`TOLERANCE` away from now, a nonce that is not 1 to 100 printable ASCII
characters or was already used on the channel (a replay), a body over
:data:`MAX_BODY` bytes.

Body: one item or ``{"items": [...]}``, each ``{"id", "parent_id"?, "author",
"text", "created_at", "kind"?, "url"?}`` (the export format of
:func:`services.parse_export`). Each item is checked on its own: the answer (202)
lists the ids stored and, under ``refused``, one line per item refused or kept
without its URL; when no item is usable the answer is 400 with the same lines.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.utils import timezone

from postguard.web.audit.services import record
from postguard.web.errors import Invalid, NotFound, ServiceError
from postguard.web.inbox import services, vault
from postguard.web.inbox.models import InboxItem, Source, WebhookNonce, WebhookSecret
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel, Role

AnyUser = User | AnonymousUser
TOLERANCE = timedelta(minutes=5)
MAX_BODY = 1_000_000
SIGNATURE = "HTTP_X_POSTGUARD_SIGNATURE"
TIMESTAMP = "HTTP_X_POSTGUARD_TIMESTAMP"
NONCE = "HTTP_X_POSTGUARD_NONCE"
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_NONCE = re.compile(r"[!-~]{1,100}")
_SIGNATURE = re.compile(r"sha256=[0-9a-f]{64}")


class Unsigned(ServiceError):
    status = 401


class Replayed(ServiceError):
    status = 409


class TooLarge(ServiceError):
    status = 413


def sign(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = timestamp.encode() + b"." + nonce.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(secret: str, body: bytes, *, nonce: str | None = None) -> dict[str, str]:
    """The headers a sender adds (for senders written in Python, and the tests)."""
    timestamp = str(int(timezone.now().timestamp()))
    nonce = nonce or secrets.token_hex(16)
    return {
        "X-Postguard-Timestamp": timestamp,
        "X-Postguard-Nonce": nonce,
        "X-Postguard-Signature": sign(secret, timestamp, nonce, body),
    }


@transaction.atomic
def rotate_secret(user: AnyUser, channel_id: int) -> str:
    """A new secret for a channel's webhook (shown once to the administrator)."""
    channel = orgs.get_channel(user, channel_id)
    orgs.require_role(user, channel.org, {Role.ADMIN}, "set a channel's webhook secret")
    value = secrets.token_urlsafe(32)
    # Stored encrypted; shown once, now, and never again.
    WebhookSecret.objects.update_or_create(
        channel=channel,
        defaults={"secret": vault.seal({"secret": value}), "created_at": timezone.now()},
    )
    # The secret itself never goes into the record.
    record("inbox.webhook_secret", actor=user, org=channel.org, obj=channel)
    return value


def has_secret(channel: Channel) -> bool:
    return WebhookSecret.objects.filter(channel=channel).exists()


@dataclass(frozen=True, slots=True)
class Received:
    created: list[InboxItem]
    #: One line for each item refused (or kept without its URL), for the sender.
    problems: list[str]


class NothingUsable(Invalid):
    """Every item of the request was refused; ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("No item in the request could be used.")
        self.problems = problems


def parse_timestamp(value: str) -> int:
    """``X-Postguard-Timestamp`` as Unix seconds, or Unsigned.

    ASCII digits only and at most 12 of them: ``str.isdigit()`` also accepts "²",
    which ``int()`` then refuses, and 20 digits overflow a datetime.
    """
    if not _TIMESTAMP.fullmatch(value):
        raise Unsigned("Bad timestamp: X-Postguard-Timestamp is Unix seconds (ASCII digits).")
    return int(value)


def verify(secret: str, meta: Mapping[str, str], body: bytes, now: datetime) -> tuple[int, str]:
    """Check a request's signature headers; returns (timestamp, nonce) or raises Unsigned."""
    signature, timestamp, nonce = meta.get(SIGNATURE), meta.get(TIMESTAMP), meta.get(NONCE)
    if not (signature and timestamp and nonce):
        raise Unsigned("Unsigned request: X-Postguard-Signature, -Timestamp and -Nonce are needed.")
    sent = parse_timestamp(timestamp)
    if not _NONCE.fullmatch(nonce):
        raise Unsigned("Bad nonce: 1 to 100 printable ASCII characters.")
    expected = sign(secret, timestamp, nonce, body)
    # Compared as bytes: compare_digest refuses str with non-ASCII characters.
    if not _SIGNATURE.fullmatch(signature) or not hmac.compare_digest(
        expected.encode(), signature.encode()
    ):
        raise Unsigned("Bad signature.")
    if abs(now.timestamp() - sent) > TOLERANCE.total_seconds():
        raise Unsigned("The timestamp is too old or in the future; the request is refused.")
    return sent, nonce


def receive(channel_id: int, body: bytes, meta: Mapping[str, str]) -> Received:
    """Verify a webhook request and ingest its usable items."""
    hook = (
        WebhookSecret.objects.select_related("channel", "channel__org")
        .filter(channel_id=channel_id, channel__active=True)
        .first()
    )
    if hook is None:
        raise NotFound("No webhook for this channel.")
    if len(body) > MAX_BODY:
        raise TooLarge(f"The request is larger than {MAX_BODY:,} bytes.")
    now = timezone.now()
    _, nonce = verify(hook.plain(), meta, body, now)
    channel = hook.channel
    try:
        with transaction.atomic():
            WebhookNonce.objects.create(channel=channel, nonce=nonce, at=now)
    except IntegrityError:
        raise Replayed("This request was already received (replayed nonce).") from None
    # Nonces older than the tolerance can go: their timestamps are refused anyway.
    WebhookNonce.objects.filter(channel=channel, at__lt=now - 2 * TOLERANCE).delete()
    parsed = parse_body(body)
    if not parsed.items:
        raise NothingUsable(parsed.problems or ["The request has no items."])
    return Received(services.ingest(channel, parsed.items, source=Source.WEBHOOK), parsed.problems)


def parse_body(body: bytes) -> services.Parsed:
    """The items of a webhook body: one item, or ``{"items": [...]}``; Invalid when the
    body as a whole is unusable, each bad item refused on its own line."""
    data = services.load_json(body)
    if isinstance(data, dict):
        data = data.get("items", [data])
    return services.parse_rows(data, label="Item")
