"""Seeded snapshots for the evaluation tests, with every figure small enough to compute by
hand (the expected values are worked out in test_evaluation.py next to each assertion).

November 2026 on two channels of the test world:

* Bluesky (no impressions): a1 (links the campaign; measured twice in November and once
  after it), a2 (deleted from the network after one snapshot), a4 (never measured), and a3
  in October; followers 100 before the month, 110, 120 at its end, 999 after it.
* Members' group (Facebook): b1 with impressions, b2 whose insights failed (no
  impressions, no clicks); followers 50 on the first snapshot inside the month, 47 at its end;
  a plan of one post a week.
* Three inbox items (answered after 2 h, after 48 h, not at all), three cases, one post the
  check held, one chair override, and a campaign with sign-ups imported from CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from postguard.web.evaluation.models import Campaign, PostingPlan
from postguard.web.inbox.models import Case, InboxItem, Source
from postguard.web.orgs.models import Channel
from postguard.web.publishing.models import MetricSnapshot
from postguard.web.workflow.models import Kind, OutboxItem, Post, Review, State

from .conftest import World

#: What no report may ever show: the inbox's authors and texts.
SECRET_HANDLE = "@private-parent.example"
SECRET_TEXT = "My daughter Zelda-Quince was born on 3 November and I am struggling"
LINK = "https://ipala.example/wbw"


def at(day: int, hour: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def published(
    world: World,
    channel: Channel,
    text: str,
    when: datetime,
    *,
    kind: str = Kind.POST,
    in_reply_to: str = "",
    deleted: datetime | None = None,
    remote: str = "",
) -> OutboxItem:
    post = Post.objects.create(
        org=world.org,
        channel=channel,
        author=world["author"],
        kind=kind,
        in_reply_to=in_reply_to,
        text=text,
        state=State.PUBLISHED,
    )
    return OutboxItem.objects.create(
        post=post,
        channel=channel,
        text=text,
        revision=1,
        due_at=when,
        published_at=when,
        remote_id=remote or f"remote-{post.pk}",
        deleted_at=deleted,
    )


def snap(channel: Channel, item: OutboxItem | None, when: datetime, **counts: Any) -> None:
    MetricSnapshot.objects.create(channel=channel, outbox=item, captured_at=when, **counts)


@dataclass
class Seeded:
    a1: OutboxItem
    a2: OutboxItem
    b1: OutboxItem
    b2: OutboxItem
    campaign: Campaign
    held: Post


def seed(world: World) -> Seeded:
    a, b = world.channel, world.closed_channel
    a1 = published(world, a, f"World Breastfeeding Week: join us! {LINK}", at(3, 10))
    snap(a, a1, at(3, 11), likes=2, comments=1, shares=0)
    snap(a, a1, at(5), likes=5, comments=2, shares=1)
    snap(a, a1, at(2, 0, 12), likes=50, comments=9, shares=9)  # after the period
    a2 = published(world, a, "A post deleted later.", at(20), deleted=at(22))
    snap(a, a2, at(21), likes=3, comments=0, shares=1)
    published(world, a, "Never measured.", at(25))
    a3 = published(world, a, "October's post.", at(30, 12, 10))
    snap(a, a3, at(31, 0, 10), likes=10, comments=0, shares=0)
    for when, followers in ((at(31, 23, 10), 100), (at(10), 110), (at(30, 22), 120)):
        snap(a, None, when, followers=followers)
    snap(a, None, at(1, 5, 12), followers=999)

    b1 = published(world, b, f"Sign up for the walk: {LINK}", at(10))
    snap(b, b1, at(11), impressions=200, reach=150, likes=10, comments=4, shares=2, link_clicks=4)
    b2 = published(world, b, "Insights failed for this one.", at(15))
    snap(b, b2, at(16), likes=6, comments=0, shares=0)
    snap(b, None, at(2), followers=50)
    snap(b, None, at(29), followers=47)
    PostingPlan.objects.create(channel=b, posts_per_week=Decimal("1"))

    items = []
    for n, created in enumerate((at(4, 10), at(6), at(7)), start=1):
        items.append(
            InboxItem.objects.create(
                org=world.org,
                channel=a,
                remote_id=f"in-{n}",
                author_handle=SECRET_HANDLE,
                text=SECRET_TEXT,
                created_at=created,
                source=Source.PULL,
            )
        )
    published(world, a, "Thank you!", at(4, 12), kind=Kind.REPLY, in_reply_to="in-1")
    published(world, a, "Sorry for the wait.", at(8), kind=Kind.REPLY, in_reply_to="in-2")

    crisis = Case.objects.create(
        org=world.org, situation="crisis", title="Crisis", item=items[0], channel=a
    )
    complaint = Case.objects.create(org=world.org, situation="complaint", title="C", channel=a)
    negative = Case.objects.create(org=world.org, situation="negative", title="N", channel=a)
    Case.objects.filter(pk=crisis.pk).update(opened_at=at(5), closed_at=at(6), state="closed")
    Case.objects.filter(pk=complaint.pk).update(opened_at=at(20, 0, 10))
    Case.objects.filter(pk=negative.pk).update(
        opened_at=at(10), closed_at=at(3, 0, 12), state="closed"
    )

    held = Post.objects.create(
        org=world.org,
        channel=a,
        author=world["author"],
        text="Call Sarah on 07700 900123.",
        state=State.REJECTED,
        decision="block",
        submitted_at=at(12),
        findings=[
            {"category": "privacy", "rule_id": "r1"},
            {"category": "privacy", "rule_id": "r2"},
            {"category": "medical_advice", "rule_id": "r3"},
        ],
    )
    overridden = Post.objects.filter(pk=b1.post_id).first()
    assert overridden is not None
    Post.objects.filter(pk=overridden.pk).update(submitted_at=at(9), decision="block")
    review = Review.objects.create(
        post=overridden,
        reviewer=world["chair"],
        revision=1,
        decision="approve",
        override_justification="The walk's organiser consented in writing.",
        reviewer_role="chair",
    )
    Review.objects.filter(pk=review.pk).update(created_at=at(9, 12))

    campaign = Campaign.objects.create(
        org=world.org,
        name="World Breastfeeding Week",
        starts_on=at(1).date(),
        ends_on=at(30).date(),
        tracked_link=LINK,
        goal_link_clicks=20,
        goal_signups=10,
    )
    return Seeded(a1, a2, b1, b2, campaign, held)


SIGNUPS_CSV = (
    b"Name,Email,Signed up at\n"
    b"Ann,ann@example.org,2026-11-05T10:00:00\n"
    b"Bea,bea@example.org,2026-11-05 12:00\n"
    b"Cy,cy@example.org,12/11/2026\n"
    b"Dee,dee@example.org,2026-12-05\n"
)
