"""Notifications: e-mail (Django's mail) and webhooks to Slack-compatible,
Microsoft Teams and Matrix endpoints.

Every notification is a row first (``pending``), then delivered after the
transaction that created it commits. A failed delivery is kept as
``failed`` with its error and retried with growing delays by the periodic
job; after :data:`MAX_ATTEMPTS` it is ``gave_up`` and stays on the
notification log for someone to act on.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import httpx
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from postguard.web.audit.services import record
from postguard.web.inbox.models import Case, Endpoint, EscalationRule, InboxItem, Notification
from postguard.web.orgs.models import Membership, Organization

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
#: Delays before the 2nd, 3rd, ... attempt.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=4),
)
HTTP_TIMEOUT = 10.0


def base_url() -> str:
    """Where the workspace is reached, for links in notifications."""
    return os.environ.get("POSTGUARD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")


def people_with_roles(org: Organization, roles: Iterable[str]) -> list[tuple[str, str]]:
    """(user name, e-mail) of the organization's members in these roles who have an address."""
    found = (
        Membership.objects.filter(org=org, role__in=list(roles))
        .select_related("user")
        .order_by("user__username")
    )
    return [(m.user.get_username(), m.user.email) for m in found if m.user.email]


def queue(
    org: Organization,
    *,
    reason: str,
    subject: str,
    body: str,
    roles: Iterable[str] = (),
    endpoints: Iterable[Endpoint] = (),
    item: InboxItem | None = None,
    case: Case | None = None,
    rule: EscalationRule | None = None,
) -> list[Notification]:
    """Record one notification per recipient and deliver them after commit."""
    created = []
    for _, email in people_with_roles(org, roles):
        created.append(
            Notification.objects.create(
                org=org,
                reason=reason,
                item=item,
                case=case,
                rule=rule,
                via=Notification.Via.EMAIL,
                recipient=email,
                subject=subject[:300],
                body=body,
            )
        )
    for endpoint in endpoints:
        if not endpoint.active:
            continue
        created.append(
            Notification.objects.create(
                org=org,
                reason=reason,
                item=item,
                case=case,
                rule=rule,
                via=endpoint.kind,
                recipient=endpoint.name,
                endpoint=endpoint,
                subject=subject[:300],
                body=body,
            )
        )
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: deliver_ids(ids))
    return created


def deliver_ids(ids: Iterable[int]) -> None:
    for notification in Notification.objects.filter(pk__in=list(ids)).select_related("endpoint"):
        deliver(notification)


def _send(notification: Notification) -> None:
    subject = f"[postguard] {notification.subject}"
    if notification.via == Notification.Via.EMAIL:
        EmailMessage(subject, notification.body, None, [notification.recipient]).send(
            fail_silently=False
        )
        return
    endpoint = notification.endpoint
    if endpoint is None:
        raise RuntimeError("the endpoint was deleted")
    text = f"{subject}\n\n{notification.body}"
    secrets = endpoint.secrets()
    try:
        _post(endpoint, notification, subject, text, secrets)
    except Exception as exc:
        # The error goes into the log and the page: never with the secret URL or token in it.
        message = scrubbed = str(exc)
        for value in secrets.values():
            if value:
                scrubbed = scrubbed.replace(value, "<secret>")
        if scrubbed == message:
            raise
        raise RuntimeError(f"{type(exc).__name__}: {scrubbed}") from None


def _post(
    endpoint: Endpoint, notification: Notification, subject: str, text: str, secrets: dict[str, str]
) -> None:
    with httpx.Client(timeout=HTTP_TIMEOUT, follow_redirects=False) as client:
        if endpoint.kind == Endpoint.Kind.MATRIX:
            # The client-server API; the transaction id makes a retry idempotent.
            url = (
                f"{endpoint.url.rstrip('/')}/_matrix/client/v3/rooms/"
                f"{quote(endpoint.room, safe='')}/send/m.room.message/postguard-{notification.pk}"
            )
            response = client.put(
                url,
                json={"msgtype": "m.text", "body": text},
                headers={"Authorization": f"Bearer {secrets.get('token', '')}"},
            )
        else:
            response = client.post(
                secrets.get("url", ""), json=payload(endpoint.kind, subject, text)
            )
    if response.status_code >= 300:
        raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")


def payload(kind: str, subject: str, text: str) -> dict[str, Any]:
    """The JSON body each kind of incoming webhook expects."""
    if kind == Endpoint.Kind.TEAMS:
        # A Teams "Workflows" webhook takes an Adaptive Card message.
        return {
            "type": "message",
            "attachments": [
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "content": {
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "type": "AdaptiveCard",
                        "version": "1.4",
                        "body": [
                            {
                                "type": "TextBlock",
                                "text": subject,
                                "weight": "Bolder",
                                "wrap": True,
                            },
                            {"type": "TextBlock", "text": text, "wrap": True},
                        ],
                    },
                }
            ],
        }
    return {"text": text}


def deliver(notification: Notification, now: datetime | None = None) -> bool:
    """Try once; record the outcome. True when delivered."""
    now = now or timezone.now()
    if notification.status == Notification.Status.SENT:
        return True
    notification.attempts += 1
    try:
        _send(notification)
    except Exception as exc:  # any failure is recorded and retried, never lost
        notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.status = Notification.Status.GAVE_UP
            notification.next_attempt_at = None
        else:
            notification.status = Notification.Status.FAILED
            delay = BACKOFF[min(notification.attempts - 1, len(BACKOFF) - 1)]
            notification.next_attempt_at = now + delay
        log.warning("notification %s failed: %s", notification.pk, notification.last_error)
        ok = False
    else:
        notification.status = Notification.Status.SENT
        notification.sent_at = now
        notification.next_attempt_at = None
        notification.last_error = ""
        ok = True
    notification.save()
    record(
        "notification.sent" if ok else "notification.failed",
        org=notification.org_id,
        obj=notification,
        after={
            "via": notification.via,
            "recipient": notification.recipient,
            "attempt": notification.attempts,
            "status": notification.status,
            "error": notification.last_error,
        },
    )
    return ok


def retry_due(now: datetime | None = None) -> int:
    """Deliver pending notifications and retry failed ones whose time has come."""
    now = now or timezone.now()
    due = Notification.objects.filter(
        status__in=(Notification.Status.PENDING, Notification.Status.FAILED)
    ).select_related("endpoint")
    delivered = 0
    for notification in due.order_by("id")[:200]:
        if notification.next_attempt_at is not None and notification.next_attempt_at > now:
            continue
        if notification.status == Notification.Status.PENDING and (
            now - notification.created_at < timedelta(seconds=30)
        ):
            # Just created: its own on-commit delivery is (probably) under way.
            continue
        delivered += deliver(notification, now)
    return delivered
