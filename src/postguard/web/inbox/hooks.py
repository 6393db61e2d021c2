"""The inbound webhook: a network (or a bridge in front of it) posts comments to
``/hooks/inbox/<channel id>/``, signed with the channel's own secret.

Signature: ``X-Postguard-Signature: sha256=<hex HMAC-SHA256(secret,
"<timestamp>.<nonce>.<body>")>`` with ``X-Postguard-Timestamp`` (Unix
seconds) and ``X-Postguard-Nonce`` (unique per request). Refused: a missing
or wrong signature, a timestamp more than :data:`TOLERANCE` away from now,
and a nonce already used on the channel (a replay).

Body: one item or ``{"items": [...]}``, each ``{"id", "parent_id"?, "author",
"text", "created_at", "kind"?, "url"?}`` (the export format of
:func:`services.parse_export`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime, timedelta

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


class Unsigned(ServiceError):
    status = 401


class Replayed(ServiceError):
    status = 409


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


def receive(channel_id: int, body: bytes, meta: dict[str, str]) -> list[InboxItem]:
    """Verify a webhook request and ingest its items."""
    hook = (
        WebhookSecret.objects.select_related("channel", "channel__org")
        .filter(channel_id=channel_id, channel__active=True)
        .first()
    )
    if hook is None:
        raise NotFound("No webhook for this channel.")
    if len(body) > MAX_BODY:
        raise Invalid("The request is too large.")
    signature, timestamp, nonce = meta.get(SIGNATURE), meta.get(TIMESTAMP), meta.get(NONCE)
    if not (signature and timestamp and nonce):
        raise Unsigned("Unsigned request: X-Postguard-Signature, -Timestamp and -Nonce are needed.")
    if not timestamp.isdigit() or len(nonce) > 100:
        raise Unsigned("Bad timestamp or nonce.")
    if not hmac.compare_digest(sign(hook.plain(), timestamp, nonce, body), signature):
        raise Unsigned("Bad signature.")
    now = timezone.now()
    sent = datetime.fromtimestamp(int(timestamp), tz=UTC)
    if abs(now - sent) > TOLERANCE:
        raise Unsigned("The timestamp is too old or in the future; the request is refused.")
    channel = hook.channel
    try:
        with transaction.atomic():
            WebhookNonce.objects.create(channel=channel, nonce=nonce, at=now)
    except IntegrityError:
        raise Replayed("This request was already received (replayed nonce).") from None
    # Nonces older than the tolerance can go: their timestamps are refused anyway.
    WebhookNonce.objects.filter(channel=channel, at__lt=now - 2 * TOLERANCE).delete()
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise Invalid("The body is not JSON.") from None
    rows = data.get("items") if isinstance(data, dict) and "items" in data else data
    if isinstance(rows, dict):
        rows = [rows]
    parsed = services.parse_export(json.dumps(rows), "hook.json")
    return services.ingest(channel, parsed, source=Source.WEBHOOK)
