"""Surge detection: a possible crisis when negative items on a channel outrun
its own baseline (IPALA policy section 3: crises go to the chair at once).

The count of negative items (negative, complaint, crisis, harassment) in the
last hour is compared with the channel's hourly counts over the past
:data:`BASELINE_DAYS` days. A surge is declared when the count reaches
``max(MIN_COUNT, mean + SIGMAS * stdev, FACTOR * mean)``: the floor keeps a
quiet channel's third complaint from being a "crisis", the deviation term
adapts to how bursty the channel usually is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from postguard.web.audit.services import record
from postguard.web.inbox import notify
from postguard.web.inbox.models import EscalationRule, InboxItem, Situation, SurgeAlert
from postguard.web.orgs.models import Channel, Role

BASELINE_DAYS = 28
WINDOW = timedelta(hours=1)
MIN_COUNT = 5
SIGMAS = 4.0
FACTOR = 3.0


@dataclass(frozen=True, slots=True)
class Baseline:
    mean: float
    stdev: float

    @property
    def threshold(self) -> float:
        return max(MIN_COUNT, self.mean + SIGMAS * self.stdev, FACTOR * self.mean)


def baseline(channel: Channel, now: datetime) -> Baseline:
    """Mean and standard deviation of the channel's hourly negative counts before the window."""
    start = now - WINDOW - timedelta(days=BASELINE_DAYS)
    end = now - WINDOW
    # The channel's history may be shorter than the period: average over what exists.
    first = (
        InboxItem.objects.filter(channel=channel, created_at__gte=start)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if first is None or first >= end:
        return Baseline(0.0, 0.0)
    hours = max(1, math.ceil((end - max(start, first)).total_seconds() / 3600))
    counts = [0] * hours
    times = InboxItem.objects.filter(
        channel=channel, negative=True, created_at__gte=start, created_at__lt=end
    ).values_list("created_at", flat=True)
    origin = end - timedelta(hours=hours)
    for moment in times:
        index = int((moment - origin).total_seconds() // 3600)
        if 0 <= index < hours:
            counts[index] += 1
    mean = sum(counts) / hours
    variance = sum((c - mean) ** 2 for c in counts) / hours
    return Baseline(mean, math.sqrt(variance))


def detect(now: datetime | None = None) -> list[SurgeAlert]:
    """Check every active channel; declare (once per channel and hour) and tell the chair."""
    now = now or timezone.now()
    declared = []
    for channel in Channel.objects.filter(active=True).select_related("org"):
        count = InboxItem.objects.filter(
            channel=channel, negative=True, created_at__gt=now - WINDOW, created_at__lte=now
        ).count()
        if count < MIN_COUNT:
            continue
        base = baseline(channel, now)
        if count < base.threshold:
            continue
        alert = _declare(channel, now, count, base)
        if alert is not None:
            declared.append(alert)
    return declared


def _declare(channel: Channel, now: datetime, count: int, base: Baseline) -> SurgeAlert | None:
    from postguard.web.inbox.services import _open_case

    hour = now.replace(minute=0, second=0, microsecond=0)
    try:
        with transaction.atomic():
            alert = SurgeAlert.objects.create(
                channel=channel,
                hour=hour,
                count=count,
                baseline=round(base.mean, 3),
                threshold=round(base.threshold, 3),
            )
            case = _open_case(None, None, Situation.CRISIS, channel=channel)
            case.title = f"Possible crisis: surge of negative comments on {channel.name}"
            case.save(update_fields=["title"])
            alert.case = case
            alert.save(update_fields=["case"])
            endpoints = {
                e.pk: e
                for rule in EscalationRule.objects.filter(org=channel.org, active=True)
                for e in rule.endpoints.all()
                if not rule.categories or "signal.crisis" in rule.categories
            }
            notify.queue(
                channel.org,
                reason="surge",
                subject=f"Possible crisis: {count} negative comments in an hour on {channel.name}",
                body=(
                    f"{count} negative comments, complaints or worse arrived on {channel.name} "
                    f"in the hour to {now:%Y-%m-%d %H:%M} UTC. The channel usually has "
                    f"{base.mean:.1f} an hour (over the past {BASELINE_DAYS} days); the alarm "
                    f"threshold is {base.threshold:.1f}.\n\n"
                    "IPALA social media policy, section 3: the chair handles crises. A crisis "
                    f"case is open: {notify.base_url()}/cases/{case.pk}/\n"
                    f"Inbox: {notify.base_url()}/inbox/?channel={channel.pk}&priority=1"
                ),
                roles={Role.CHAIR},
                endpoints=endpoints.values(),
                case=case,
            )
            record(
                "inbox.surge",
                org=channel.org,
                obj=alert,
                after={
                    "channel": channel.pk,
                    "count": count,
                    "baseline": alert.baseline,
                    "threshold": alert.threshold,
                    "case": case.pk,
                },
            )
    except IntegrityError:
        return None  # already declared for this hour
    return alert
