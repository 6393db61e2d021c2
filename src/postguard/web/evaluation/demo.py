"""The demo organization's history for the evaluation report: two months of published posts
with their metric snapshots, hourly follower counts, a posting plan and a campaign, so that
the report of last month (the page's default) is not empty. Made-up, like the rest."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from postguard.web.evaluation.models import Campaign, CampaignCount, CountKind, PostingPlan
from postguard.web.orgs.models import Channel, Organization
from postguard.web.publishing.models import MetricSnapshot
from postguard.web.workflow.models import OutboxItem, Post, State

DAYS = 70
TOPICS = (
    "Drop-in breastfeeding support at the town library this Saturday.",
    "Five questions to ask when choosing an IBCLC.",
    "Our conference programme is out: sessions on returning to work.",
    "Thank you to the volunteers who ran this week's peer support group.",
    "World Breastfeeding Week: find an event near you at https://ipala.example/wbw",
    "New on our blog: supporting families in neonatal units.",
)


def create_evaluation_demo(
    org: Organization, channels: list[Channel], author: User, now: datetime | None = None
) -> int:
    """Seed the report's demo data; returns how many snapshots were made."""
    now = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    rng = random.Random(2026)
    start = now - timedelta(days=DAYS)
    rows: list[MetricSnapshot] = []
    for index, channel in enumerate(channels):
        impressions = channel.network != "bluesky"
        PostingPlan.objects.get_or_create(
            channel=channel, defaults={"posts_per_week": Decimal(3 - index)}
        )
        followers = 1200 if index == 0 else 340
        for hour in range(DAYS * 24):
            if rng.random() < 0.02:
                continue  # the odd missed pull: the report shows the gaps as coverage
            followers += rng.choice((0, 0, 0, 0, 1, 1, -1))
            rows.append(
                MetricSnapshot(
                    channel=channel, captured_at=start + timedelta(hours=hour), followers=followers
                )
            )
        day = start + timedelta(hours=10)
        while day < now - timedelta(days=1):
            text = TOPICS[rng.randrange(len(TOPICS))]
            post = Post.objects.create(
                org=org, channel=channel, author=author, text=text, state=State.PUBLISHED
            )
            item = OutboxItem.objects.create(
                post=post,
                channel=channel,
                text=text,
                revision=1,
                due_at=day,
                published_at=day,
                remote_id=f"demo-published-{post.pk}",
            )
            likes = comments = shares = clicks = seen = 0
            for after in (1, 2, 6, 24, 48, 96):
                at = day + timedelta(hours=after)
                if at >= now:
                    break
                likes += rng.randint(0, 12)
                comments += rng.randint(0, 3)
                shares += rng.randint(0, 2)
                clicks += rng.randint(0, 4) if "https://" in text else 0
                seen += rng.randint(40, 400)
                rows.append(
                    MetricSnapshot(
                        channel=channel,
                        outbox=item,
                        captured_at=at,
                        impressions=seen if impressions else None,
                        reach=int(seen * 0.7) if impressions else None,
                        likes=likes,
                        comments=comments,
                        shares=shares,
                        link_clicks=clicks if impressions else None,
                    )
                )
            day += timedelta(days=rng.choice((2, 3, 4)) + index)
    MetricSnapshot.objects.bulk_create(rows, batch_size=2000)
    campaign = Campaign.objects.create(
        org=org,
        name="World Breastfeeding Week (demo)",
        starts_on=start.date(),
        ends_on=(now + timedelta(days=30)).date(),
        tracked_link="https://ipala.example/wbw",
        goal_link_clicks=150,
        goal_signups=80,
        goal_new_members=20,
    )
    for offset in range(0, DAYS, 3):
        CampaignCount.objects.create(
            campaign=campaign,
            kind=CountKind.SIGNUPS,
            day=(start + timedelta(days=offset)).date(),
            count=rng.randint(0, 4),
            source="demo",
        )
    return len(rows)
