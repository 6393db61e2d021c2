"""The evaluation's measures: each one's definition, written once, and how it is computed.

The README's "Monitoring and evaluation" section and the report's glossary are made from
:data:`DEFINITIONS`; the functions below compute exactly what those sentences say. Every
figure is aggregated in the database (one query per measure family), never by looping over
snapshots in Python.

=====================  =====================================================================
measure                definition
=====================  =====================================================================
posts                  Posts (not replies) published on the channel in the period,
                       including those later deleted from the network.
impressions            Sum over those posts of the impressions in each post's last snapshot
                       taken before the period ends. Empty (not 0) when the network gives no
                       impressions (Bluesky, Mastodon).
reach                  The same for unique reach (a sum of per-post reach, so a person who
                       saw two posts counts twice).
engagement             Reactions + comments + shares/reposts + saves + link clicks, from the
                       same snapshots. A figure the network does not give counts as 0 and is
                       shown as "not given".
engagement rate        Per impression: engagement / impressions over the posts that have
                       impressions. Where no post of the channel has impressions: per
                       follower, engagement / (posts with figures x followers at the end of
                       the period). The basis is always shown next to the rate.
follower growth        Followers in the last account snapshot before the period ends, minus
                       those in the last one before it starts (or the first one inside it,
                       said so, when there is none before).
snapshot coverage      Hours of the period with an account snapshot / hours of the period
                       (since the channel's first snapshot); a gap means figures are as of
                       the last snapshot before it.
cadence                Posts published / (planned posts per week x days of the period / 7).
time to first reply    For each inbox item received in the period: the time until the first
                       reply on that channel to it was published (at any time up to when the
                       report is made). The median is shown.
answered in target     Inbox items received in the period whose first reply went out within
                       the target (24 hours unless the committee sets another) / items.
cases                  Crisis, complaint and other cases opened in the period, closed in the
                       period, and open when it ended.
held by the check      Posts submitted in the period that the check marked review or block
                       and that were not published, counted by finding category.
chair overrides        Approvals in the period that overrode a block finding, with the
                       written justification.
campaign progress      From the campaign's start to the end of the period (or of the
                       campaign): clicks on its tracked link (link clicks of posts whose
                       text contains it, plus imported clicks), imported event sign-ups and
                       new members, each against the committee's goal.
=====================  =====================================================================

Only counts come from the inbox: no author, handle or text of an inbox item is ever read
here.
"""

from __future__ import annotations

import calendar
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Count, Func, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum

from postguard.web.errors import Invalid
from postguard.web.inbox.models import Case, InboxItem, Situation
from postguard.web.orgs.models import Channel, Organization
from postguard.web.publishing.models import MetricSnapshot
from postguard.web.workflow.models import Kind, OutboxItem, Post, Review, State


@dataclass(frozen=True, slots=True)
class Definition:
    key: str
    label: str
    definition: str


DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "posts",
        "Posts",
        "Posts (not replies) published on the channel in the period, including those later "
        "deleted from the network.",
    ),
    Definition(
        "impressions",
        "Impressions",
        "Sum over those posts of the impressions in each post's last snapshot taken before "
        "the period ends; empty, not 0, when the network gives no impressions (Bluesky, "
        "Mastodon).",
    ),
    Definition(
        "reach",
        "Reach",
        "The same for unique reach (a sum of per-post reach: someone who saw two posts "
        "counts twice).",
    ),
    Definition(
        "engagement",
        "Engagement",
        "Reactions + comments + shares/reposts + saves + link clicks from the same "
        "snapshots; a figure the network does not give counts as 0 and is shown as "
        "'not given'.",
    ),
    Definition(
        "engagement_rate",
        "Engagement rate",
        "Per impression: engagement / impressions over the posts that have impressions. "
        "Where no post of the channel has impressions, per follower: engagement / (posts "
        "with figures x followers at the end of the period). The basis is shown with it.",
    ),
    Definition(
        "follower_growth",
        "Follower growth",
        "Followers in the last account snapshot before the period ends minus those in the "
        "last one before it starts (or in the first one inside it, said so).",
    ),
    Definition(
        "coverage",
        "Snapshot coverage",
        "Hours of the period with an account snapshot / hours of the period since the "
        "channel's first snapshot; during a gap, figures are as of the last snapshot.",
    ),
    Definition(
        "cadence",
        "Cadence",
        "Posts published / (the committee's planned posts per week x days of the period / 7).",
    ),
    Definition(
        "time_to_first_reply",
        "Time to first reply",
        "For each inbox item received in the period, the time until the first reply to it "
        "on that channel was published (up to when the report is made); the median.",
    ),
    Definition(
        "answered_in_target",
        "Answered within target",
        "Inbox items received in the period whose first reply went out within the target "
        "(24 hours unless the committee sets another) / items received.",
    ),
    Definition(
        "cases",
        "Cases",
        "Crisis, complaint and other cases opened in the period, closed in it, and open "
        "when it ended.",
    ),
    Definition(
        "held",
        "Held by the check",
        "Posts submitted in the period that the check marked review or block and that were "
        "not published, counted by finding category.",
    ),
    Definition(
        "overrides",
        "Chair overrides",
        "Approvals in the period that overrode a block finding, with their written justification.",
    ),
    Definition(
        "campaign",
        "Campaign progress",
        "From the campaign's start to the end of the period (or campaign): clicks on its "
        "tracked link (link clicks of posts containing it, plus imported clicks), imported "
        "event sign-ups and new members, each against the committee's goal.",
    ),
)

ENGAGEMENT_PARTS = ("likes", "comments", "shares", "saves", "link_clicks")
POST_FIELDS = ("impressions", "reach", *ENGAGEMENT_PARTS)
#: Not published, so "held": what the check stopped (or the committee did after it).
UNPUBLISHED = (
    State.DRAFT,
    State.SUBMITTED,
    State.IN_REVIEW,
    State.CHANGES_REQUESTED,
    State.REJECTED,
    State.ARCHIVED,
    State.EXPIRED,
)
DEFAULT_REPLY_TARGET = timedelta(hours=24)
TOP_POSTS = 10


# --- periods --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """[start, end) in UTC, with the name it was asked by."""

    key: str
    start: datetime
    end: datetime

    @property
    def days(self) -> float:
        return (self.end - self.start).total_seconds() / 86400

    @property
    def label(self) -> str:
        last = self.end - timedelta(days=1)
        if re.fullmatch(r"\d{4}-\d{2}", self.key):
            return f"{self.start:%B %Y}"
        if re.fullmatch(r"\d{4}", self.key):
            return self.key
        if "Q" in self.key:
            return f"{self.key[5:]} {self.key[:4]} ({self.start:%b}-{last:%b})"
        return f"{self.start:%Y-%m-%d} to {last:%Y-%m-%d}"

    def previous(self) -> Period:
        if re.fullmatch(r"\d{4}-\d{2}", self.key):
            before = self.start - timedelta(days=1)
            return parse_period(f"{before:%Y-%m}")
        if re.fullmatch(r"\d{4}-Q[1-4]", self.key):
            year, quarter = int(self.key[:4]), int(self.key[-1])
            year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
            return parse_period(f"{year}-Q{quarter}")
        if re.fullmatch(r"\d{4}", self.key):
            return parse_period(str(int(self.key) - 1))
        length = self.end - self.start
        start, end = self.start - length, self.start
        return Period(f"{start:%Y-%m-%d}..{end - timedelta(days=1):%Y-%m-%d}", start, end)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{text!r} is not a date (2026-11-30).") from None


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def parse_period(text: str) -> Period:
    """A month (2026-11), a quarter (2026-Q4), a year (2026) or days (2026-11-01..2026-11-30,
    both included)."""
    text = (text or "").strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12 or year < 2000:
            raise Invalid(f"{text!r} is not a month (2026-11).")
        last = calendar.monthrange(year, month)[1]
        return Period(text, _at(date(year, month, 1)), _at(date(year, month, last)) + timedelta(1))
    if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", text):
        year, quarter = int(m[1]), int(m[2])
        if year < 2000:
            raise Invalid(f"{text!r} is not a quarter (2026-Q4).")
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return Period(f"{year}-Q{quarter}", _at(start), _at(end))
    if re.fullmatch(r"\d{4}", text) and int(text) >= 2000:
        year = int(text)
        return Period(text, _at(date(year, 1, 1)), _at(date(year + 1, 1, 1)))
    if m := re.fullmatch(r"(\S+)\.\.(\S+)", text):
        begin, finish = _day(m[1]), _day(m[2])
        if finish < begin:
            raise Invalid(f"{text!r}: the period ends before it starts.")
        if (finish - begin).days > 3 * 366:
            raise Invalid(f"{text!r}: a report covers at most three years.")
        return Period(text, _at(begin), _at(finish) + timedelta(days=1))
    raise Invalid(
        f"{text[:40]!r} is not a period: use a month (2026-11), a quarter (2026-Q4), "
        "a year (2026) or days (2026-11-01..2026-11-30)."
    )


def last_complete(frequency: str, now: datetime) -> Period:
    """The last whole month or quarter before ``now``."""
    month_start = date(now.year, now.month, 1)
    if frequency == "monthly":
        return parse_period(f"{month_start - timedelta(days=1):%Y-%m}")
    quarter = (now.month - 1) // 3 + 1
    year, quarter = (now.year - 1, 4) if quarter == 1 else (now.year, quarter - 1)
    return parse_period(f"{year}-Q{quarter}")


class EpochBucket(Func):
    """Which ``seconds``-long slice of time since 1970 a moment falls in, in the database's
    own arithmetic: Django's Trunc functions call back into Python once per row on SQLite,
    a second for a year of hourly snapshots."""

    output_field = IntegerField()

    def __init__(self, expression: str, seconds: int) -> None:
        super().__init__(expression)
        self.seconds = int(seconds)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template=f"(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) / {self.seconds})",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template=f"(FLOOR(EXTRACT(EPOCH FROM %(expressions)s) / {self.seconds})::bigint)",
            **extra,
        )


HOUR, DAY = 3600, 86400


# --- per post -------------------------------------------------------------------------------


@dataclass(slots=True)
class PostFigures:
    outbox_id: int
    post_id: int
    channel_id: int
    published_at: datetime
    deleted: bool
    text: str
    captured_at: datetime | None = None
    impressions: int | None = None
    reach: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    link_clicks: int | None = None

    @property
    def engagement(self) -> int:
        return sum(getattr(self, part) or 0 for part in ENGAGEMENT_PARTS)

    @property
    def rate(self) -> float | None:
        return self.engagement / self.impressions if self.impressions else None


def post_figures(channel_ids: Sequence[int], start: datetime, end: datetime) -> list[PostFigures]:
    """Each post published in [start, end) with its last snapshot taken before ``end``."""
    last = (
        MetricSnapshot.objects.filter(
            channel_id=OuterRef("channel_id"), outbox_id=OuterRef("pk"), captured_at__lt=end
        )
        .order_by("-captured_at", "-id")
        .values("id")[:1]
    )
    rows = list(
        OutboxItem.objects.filter(
            channel_id__in=channel_ids,
            post__kind=Kind.POST,
            published_at__gte=start,
            published_at__lt=end,
        )
        .annotate(last=Subquery(last))
        .values_list("pk", "post_id", "channel_id", "published_at", "deleted_at", "text", "last")
    )
    found = [
        PostFigures(pk, post, channel, published, deleted is not None, text)
        for pk, post, channel, published, deleted, text, _ in rows
        if published is not None
    ]
    rows = [row for row in rows if row[3] is not None]
    wanted = {last: figures for figures, (*_, last) in zip(found, rows, strict=True) if last}
    ids = list(wanted)
    for chunk in range(0, len(ids), 900):
        for values in MetricSnapshot.objects.filter(pk__in=ids[chunk : chunk + 900]).values(
            "pk", "captured_at", *POST_FIELDS
        ):
            figures = wanted[values.pop("pk")]
            for name, value in values.items():
                setattr(figures, name, value)
    return found


def _sum_known(posts: Iterable[PostFigures], name: str) -> int | None:
    known = [getattr(p, name) for p in posts if getattr(p, name) is not None]
    return sum(known) if known else None


# --- per channel ----------------------------------------------------------------------------


@dataclass(slots=True)
class ChannelMeasures:
    channel_id: int
    name: str
    network: str
    posts: int = 0
    posts_with_figures: int = 0
    deleted_posts: int = 0
    impressions: int | None = None
    posts_with_impressions: int = 0
    reach: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    link_clicks: int | None = None
    engagement: int = 0
    engagement_rate: float | None = None
    #: "impression", "follower", or "" when there is nothing to divide by.
    rate_basis: str = ""
    followers_start: int | None = None
    followers_end: int | None = None
    follower_growth: int | None = None
    #: True when there was no snapshot before the period and growth counts from the first
    #: one inside it.
    growth_from_first_snapshot: bool = False
    coverage: float | None = None
    planned_posts: float | None = None
    cadence: float | None = None
    not_given: list[str] = field(default_factory=list)


def _followers(
    channel_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, tuple[int | None, int | None, bool]]:
    """(followers at start, at end, start taken from the first snapshot inside) per channel."""
    account = MetricSnapshot.objects.filter(
        channel_id=OuterRef("pk"), outbox__isnull=True, followers__isnull=False
    )

    def value(qs: object) -> Subquery:
        return Subquery(qs.values("followers")[:1])  # type: ignore[attr-defined]

    rows = Channel.objects.filter(pk__in=channel_ids).annotate(
        before=value(account.filter(captured_at__lt=start).order_by("-captured_at", "-id")),
        first=value(
            account.filter(captured_at__gte=start, captured_at__lt=end).order_by(
                "captured_at", "id"
            )
        ),
        last=value(account.filter(captured_at__lt=end).order_by("-captured_at", "-id")),
    )
    found = {}
    for c in rows.values("pk", "before", "first", "last"):
        from_first = c["before"] is None and c["first"] is not None
        found[c["pk"]] = (c["first"] if from_first else c["before"], c["last"], from_first)
    return found


def _coverage(channel_ids: Sequence[int], start: datetime, end: datetime) -> dict[int, float]:
    account = MetricSnapshot.objects.filter(channel_id__in=channel_ids, outbox__isnull=True)
    first = {
        row["channel_id"]: row["first"]
        for row in account.values("channel_id").annotate(first=Min("captured_at"))
    }
    hours = {
        row["channel_id"]: row["hours"]
        for row in account.filter(captured_at__gte=start, captured_at__lt=end)
        .annotate(hour=EpochBucket("captured_at", HOUR))
        .values("channel_id")
        .annotate(hours=Count("hour", distinct=True))
    }
    found = {}
    for channel_id, since in first.items():
        begin = max(start, since.replace(minute=0, second=0, microsecond=0))
        expected = (end - begin).total_seconds() / 3600
        if expected > 0:
            found[channel_id] = min(1.0, hours.get(channel_id, 0) / expected)
    return found


def channel_measures(
    channels: Sequence[Channel], posts: Sequence[PostFigures], period: Period
) -> list[ChannelMeasures]:
    ids = [c.pk for c in channels]
    followers = _followers(ids, period.start, period.end)
    coverage = _coverage(ids, period.start, period.end)
    plans = {
        c.pk: float(c.posting_plan.posts_per_week) for c in channels if hasattr(c, "posting_plan")
    }
    by_channel: dict[int, list[PostFigures]] = defaultdict(list)
    for p in posts:
        by_channel[p.channel_id].append(p)
    found = []
    for channel in channels:
        mine = by_channel.get(channel.pk, [])
        measured = [p for p in mine if p.captured_at is not None]
        m = ChannelMeasures(channel.pk, channel.name, channel.get_network_display())
        m.posts = len(mine)
        m.posts_with_figures = len(measured)
        m.deleted_posts = sum(p.deleted for p in mine)
        for name in POST_FIELDS:
            setattr(m, name, _sum_known(measured, name))
        m.not_given = [name for name in POST_FIELDS if measured and getattr(m, name) is None]
        m.engagement = sum(p.engagement for p in measured)
        with_impressions = [p for p in measured if p.impressions is not None]
        m.posts_with_impressions = len(with_impressions)
        start, end, from_first = followers.get(channel.pk, (None, None, False))
        m.followers_start, m.followers_end = start, end
        m.growth_from_first_snapshot = from_first
        if start is not None and end is not None:
            m.follower_growth = end - start
        impressions = sum(p.impressions or 0 for p in with_impressions)
        if impressions:
            m.engagement_rate = sum(p.engagement for p in with_impressions) / impressions
            m.rate_basis = "impression"
        elif measured and end:
            m.engagement_rate = m.engagement / (len(measured) * end)
            m.rate_basis = "follower"
        m.coverage = coverage.get(channel.pk)
        if channel.pk in plans:
            m.planned_posts = plans[channel.pk] * period.days / 7
            m.cadence = m.posts / m.planned_posts if m.planned_posts else None
        found.append(m)
    return found


# --- the trend lines ------------------------------------------------------------------------


def followers_by_day(
    channel_ids: Sequence[int], start: datetime, end: datetime
) -> dict[int, list[tuple[date, int]]]:
    """The highest follower count of each day that has an account snapshot, per channel."""
    rows = (
        MetricSnapshot.objects.filter(
            channel_id__in=channel_ids,
            outbox__isnull=True,
            followers__isnull=False,
            captured_at__gte=start,
            captured_at__lt=end,
        )
        .annotate(day=EpochBucket("captured_at", DAY))
        .values("channel_id", "day")
        .annotate(followers=Max("followers"))
        .order_by("channel_id", "day")
    )
    epoch = date(1970, 1, 1)
    found: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for row in rows:
        found[row["channel_id"]].append((epoch + timedelta(days=row["day"]), row["followers"]))
    return dict(found)


def engagement_by_week(posts: Sequence[PostFigures], period: Period) -> list[tuple[date, int]]:
    """Engagement of the posts published in each week (weeks counted from the period's start)."""
    weeks = max(1, -(-int(period.days) // 7))
    totals = [0] * weeks
    for p in posts:
        index = min(weeks - 1, int((p.published_at - period.start).days // 7))
        totals[index] += p.engagement
    return [((period.start + timedelta(weeks=i)).date(), t) for i, t in enumerate(totals)]


# --- the inbox, only counted ----------------------------------------------------------------


@dataclass(slots=True)
class Responsiveness:
    items: int = 0
    answered: int = 0
    answered_in_target: int = 0
    median_hours: float | None = None
    target_hours: float = DEFAULT_REPLY_TARGET.total_seconds() / 3600

    @property
    def share_in_target(self) -> float | None:
        return self.answered_in_target / self.items if self.items else None


def responsiveness(
    org: Organization, channel_ids: Sequence[int], period: Period, target: timedelta
) -> Responsiveness:
    first_reply = (
        OutboxItem.objects.filter(
            channel_id=OuterRef("channel_id"),
            post__kind=Kind.REPLY,
            post__in_reply_to=OuterRef("remote_id"),
            published_at__isnull=False,
        )
        .order_by("published_at")
        .values("published_at")[:1]
    )
    rows = (
        InboxItem.objects.filter(
            org=org,
            channel_id__in=channel_ids,
            created_at__gte=period.start,
            created_at__lt=period.end,
        )
        .annotate(first=Subquery(first_reply))
        .values_list("created_at", "first")
    )
    found = Responsiveness(target_hours=target.total_seconds() / 3600)
    waits = []
    for created, first in rows:
        found.items += 1
        if first is not None:
            wait = max(timedelta(0), first - created)
            waits.append(wait.total_seconds() / 3600)
            found.answered_in_target += wait <= target
    found.answered = len(waits)
    found.median_hours = statistics.median(waits) if waits else None
    return found


@dataclass(slots=True)
class Cases:
    opened: dict[str, int] = field(default_factory=dict)
    closed: dict[str, int] = field(default_factory=dict)
    open_at_end: int = 0

    @property
    def opened_total(self) -> int:
        return sum(self.opened.values())

    @property
    def closed_total(self) -> int:
        return sum(self.closed.values())


def _case_group(situation: str) -> str:
    return situation if situation in (Situation.CRISIS, Situation.COMPLAINT) else "other"


def cases(
    org: Organization, channel_ids: Sequence[int], period: Period, all_channels: bool
) -> Cases:
    scope = Q(channel_id__in=channel_ids) | Q(item__channel_id__in=channel_ids)
    if all_channels:
        scope |= Q(channel__isnull=True, item__isnull=True)
    mine = Case.objects.filter(scope, org=org)
    found = Cases()
    start, end = period.start, period.end
    for which, qs in (
        (found.opened, mine.filter(opened_at__gte=start, opened_at__lt=end)),
        (found.closed, mine.filter(closed_at__gte=start, closed_at__lt=end)),
    ):
        for row in qs.values("situation").annotate(n=Count("id")):
            group = _case_group(row["situation"])
            which[group] = which.get(group, 0) + row["n"]
    found.open_at_end = (
        mine.filter(opened_at__lt=end).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    ).count()
    return found


# --- compliance -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Override:
    post_id: int
    channel: str
    at: datetime
    reviewer: str
    rules: tuple[str, ...]
    justification: str


@dataclass(slots=True)
class Compliance:
    submitted: int = 0
    held: int = 0
    held_by_category: dict[str, int] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)


def compliance(channel_ids: Sequence[int], period: Period) -> Compliance:
    submitted = Post.objects.filter(
        channel_id__in=channel_ids,
        submitted_at__gte=period.start,
        submitted_at__lt=period.end,
    )
    found = Compliance(submitted=submitted.count())
    held = submitted.filter(decision__in=("review", "block"), state__in=UNPUBLISHED)
    categories: dict[str, int] = defaultdict(int)
    for findings in held.values_list("findings", flat=True):
        found.held += 1
        for category in sorted({f.get("category", "") for f in findings or [] if f}):
            categories[category or "other"] += 1
    found.held_by_category = dict(sorted(categories.items(), key=lambda kv: (-kv[1], kv[0])))
    overrides = (
        Review.objects.filter(
            post__channel_id__in=channel_ids,
            created_at__gte=period.start,
            created_at__lt=period.end,
        )
        .exclude(override_justification="", override_justifications={})
        .select_related("reviewer", "post__channel")
        .order_by("created_at", "id")
    )
    for r in overrides:
        per_rule = r.override_justifications or {}
        text = r.override_justification or "; ".join(f"{k}: {v}" for k, v in per_rule.items())
        found.overrides.append(
            Override(
                r.post_id,
                r.post.channel.name,
                r.created_at,
                r.reviewer.get_full_name() or r.reviewer.get_username(),
                tuple(sorted(per_rule)),
                text,
            )
        )
    return found


# --- campaigns ------------------------------------------------------------------------------


@dataclass(slots=True)
class CampaignProgress:
    campaign_id: int
    name: str
    starts_on: date
    ends_on: date
    tracked_link: str
    link_clicks: int | None
    signups: int
    new_members: int
    goal_link_clicks: int | None
    goal_signups: int | None
    goal_new_members: int | None
    #: True when some posts with the link come from a network that gives no link clicks.
    clicks_partly_unknown: bool = False

    def share(self, measure: str) -> float | None:
        goal = getattr(self, f"goal_{measure}")
        value = getattr(self, measure)
        return value / goal if goal and value is not None else None


def campaign_progress(
    org: Organization, channel_ids: Sequence[int], period: Period
) -> list[CampaignProgress]:
    from postguard.web.evaluation.models import Campaign, CountKind

    found = []
    campaigns = Campaign.objects.filter(
        org=org, starts_on__lt=period.end.date(), ends_on__gte=period.start.date()
    ).order_by("starts_on", "name")
    for c in campaigns:
        start = _at(c.starts_on)
        end = min(period.end, _at(c.ends_on) + timedelta(days=1))
        imported = {
            row["kind"]: row["n"]
            for row in c.counts.filter(day__gte=c.starts_on, day__lt=end.date())
            .values("kind")
            .annotate(n=Sum("count"))
        }
        clicks: int | None = imported.get(CountKind.LINK_CLICKS)
        partly_unknown = False
        if c.tracked_link:
            with_link = [
                p for p in post_figures(channel_ids, start, end) if c.tracked_link in p.text
            ]
            known = [p.link_clicks for p in with_link if p.link_clicks is not None]
            partly_unknown = len(known) < len(with_link)
            if known:
                clicks = (clicks or 0) + sum(known)
        found.append(
            CampaignProgress(
                c.pk,
                c.name,
                c.starts_on,
                c.ends_on,
                c.tracked_link,
                clicks,
                imported.get(CountKind.SIGNUPS, 0),
                imported.get(CountKind.NEW_MEMBERS, 0),
                c.goal_link_clicks,
                c.goal_signups,
                c.goal_new_members,
                partly_unknown,
            )
        )
    return found
