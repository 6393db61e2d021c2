"""Data for `postguard bench-report`: a year of hourly account snapshots on every channel
and a decaying series of snapshots on every post (hourly for two days, then daily for three
weeks), as the hourly metrics job leaves them. Bulk-inserted; only for a throw-away
database."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from postguard.web.evaluation.measures import Period, parse_period
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Network, Organization, Role
from postguard.web.publishing.models import MetricSnapshot
from postguard.web.workflow.models import OutboxItem, Post, State

NETWORKS = (Network.BLUESKY, Network.FACEBOOK, Network.LINKEDIN, Network.MASTODON, Network.X)
BATCH = 20_000


def seed(*, channels: int, posts: int, days: int) -> tuple[Organization, Period, int]:
    from django.db import connection

    if connection.vendor == "sqlite":
        # A throw-away database: nothing to keep safe from a power cut while it fills.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    rng = random.Random(12)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    period = (
        parse_period("2025")
        if days == 365
        else parse_period(f"2025-01-01..{(start + timedelta(days=days - 1)).date()}")
    )
    org = orgs.create_organization("Bench association", slug="bench")
    author = orgs.create_user("bench-author", email="bench@example.org")
    orgs.add_member(None, org, author, Role.CHAIR)
    made = [
        orgs.create_channel(None, org, name=f"Channel {n}", network=NETWORKS[n % len(NETWORKS)])
        for n in range(channels)
    ]
    hours = days * 24
    rows = 0
    buffer: list[MetricSnapshot] = []

    def add(snapshot: MetricSnapshot) -> None:
        nonlocal rows
        buffer.append(snapshot)
        rows += 1
        if len(buffer) >= BATCH:
            MetricSnapshot.objects.bulk_create(buffer)
            buffer.clear()

    for channel in made:
        followers = rng.randint(500, 5000)
        for hour in range(hours):
            followers += rng.choice((0, 0, 0, 1, 1, -1))
            add(
                MetricSnapshot(
                    channel=channel, captured_at=start + timedelta(hours=hour), followers=followers
                )
            )
    due = [start + timedelta(minutes=rng.randrange(hours * 60)) for _ in range(posts)]
    post_rows = Post.objects.bulk_create(
        Post(
            org=org,
            channel=made[n % channels],
            author=author,
            text=f"Bench post {n}",
            state=State.PUBLISHED,
        )
        for n in range(posts)
    )
    items = OutboxItem.objects.bulk_create(
        OutboxItem(
            post=post,
            channel=post.channel,
            text=post.text,
            revision=1,
            due_at=when,
            published_at=when,
            remote_id=f"bench-{post.pk}",
        )
        for post, when in zip(post_rows, due, strict=True)
    )
    offsets = [timedelta(hours=h) for h in range(1, 49)] + [timedelta(days=d) for d in range(3, 25)]
    for item in items:
        impressions = item.channel.network in (Network.FACEBOOK, Network.LINKEDIN, Network.X)
        likes = comments = shares = 0
        seen = 0
        assert item.published_at is not None
        for offset in offsets:
            likes += rng.randint(0, 3)
            comments += rng.randint(0, 1)
            shares += rng.randint(0, 1)
            seen += rng.randint(10, 60)
            add(
                MetricSnapshot(
                    channel=item.channel,
                    outbox=item,
                    captured_at=item.published_at + offset,
                    impressions=seen if impressions else None,
                    likes=likes,
                    comments=comments,
                    shares=shares,
                )
            )
    MetricSnapshot.objects.bulk_create(buffer)
    return org, period, rows
