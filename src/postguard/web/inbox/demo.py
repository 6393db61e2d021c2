"""The inbox part of the demo organization: default playbooks (with the IBLCE
consultation-request template), the rules to the chair, a few inbound comments
on the demo channels and the case they open. Made-up data."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from postguard.connectors.base import InboundItem
from postguard.web.inbox import defaults, services
from postguard.web.inbox.models import Source
from postguard.web.orgs.models import Channel, Organization

COMMENTS = (
    (
        "demo-negative-1",
        "@unhappy-parent.example",
        "I want to make a formal complaint. The consultant from your directory never turned up "
        "to our appointment and nobody answers my emails. Disgraceful.",
        90,
    ),
    (
        "demo-consult-1",
        "@new-mum.example",
        "My 3 week old keeps clicking while feeding and my nipples are cracked. Can someone "
        "tell me what's wrong with her latch?",
        45,
    ),
    (
        "demo-ordinary-1",
        "@midwife.example",
        "Thank you for this! Sharing with my antenatal group.",
        30,
    ),
)


def create_inbox_demo(org: Organization, channel: Channel) -> None:
    defaults.install_defaults(org)
    now = timezone.now()
    services.ingest(
        channel,
        [
            InboundItem(
                remote_id=remote_id,
                parent_remote_id=None,
                author_handle=author,
                text=text,
                created_at=now - timedelta(minutes=minutes),
                kind="comment",
            )
            for remote_id, author, text, minutes in COMMENTS
        ],
        source=Source.DEMO,
    )
