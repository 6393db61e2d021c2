"""The evaluation report: who may read it, what it holds, how it is rendered (HTML, PDF,
CSV, JSON) and mailed on a schedule; and what the committee sets for it (the posting plan,
the reply target, campaigns and their imported counts, the schedule).

Who may see reports: the organization's administrators, committee chair and reviewers.
Who may change what the report measures against (plan, target, campaigns, schedule): the
administrators and the chair. Members and authorized members are refused (403); people
outside the organization are told it does not exist (404). The CLI and the scheduled mail
act as the operator (``user=None``), like ``postguard audit export``.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from postguard.web.audit.services import record
from postguard.web.errors import Invalid, NotFound
from postguard.web.evaluation import charts
from postguard.web.evaluation import measures as m
from postguard.web.evaluation.models import (
    Campaign,
    CampaignCount,
    CountKind,
    EvaluationSettings,
    Frequency,
    PostingPlan,
    ReportSchedule,
)
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel, Organization, Role

log = logging.getLogger(__name__)

AnyUser = User | AnonymousUser
READERS = frozenset({Role.ADMIN, Role.CHAIR, Role.REVIEWER})
MANAGERS = frozenset({Role.ADMIN, Role.CHAIR})
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 200_000


def can_read(user: AnyUser, org: Organization) -> bool:
    return orgs.has_role(user, org, READERS)


def can_manage(user: AnyUser, org: Organization) -> bool:
    return orgs.has_role(user, org, MANAGERS)


def require_reader(user: AnyUser | None, org: Organization) -> None:
    if user is not None:
        orgs.require_role(user, org, READERS, "read the evaluation report")


def require_manager(user: AnyUser | None, org: Organization) -> None:
    if user is not None:
        orgs.require_role(user, org, MANAGERS, "set the evaluation's plan, goals and schedule")


# --- the report -----------------------------------------------------------------------------


@dataclass(slots=True)
class Totals:
    posts: int = 0
    impressions: int | None = None
    reach: int | None = None
    engagement: int = 0
    engagement_rate: float | None = None
    rate_basis: str = ""
    followers: int | None = None
    follower_growth: int | None = None
    inbox_items: int = 0
    answered_in_target: float | None = None
    median_reply_hours: float | None = None
    cases_opened: int = 0
    held: int = 0


@dataclass(slots=True)
class Report:
    org: Organization
    period: m.Period
    previous_period: m.Period
    channels: list[Channel]
    all_channels: bool
    generated_at: datetime
    channel_measures: list[m.ChannelMeasures]
    totals: Totals
    previous: Totals
    responsiveness: m.Responsiveness
    cases: m.Cases
    compliance: m.Compliance
    campaigns: list[m.CampaignProgress]
    top_posts: list[m.PostFigures]
    followers_trend: dict[int, list[tuple[date, int]]]
    engagement_trend: list[tuple[date, int]]
    summary: list[str] = field(default_factory=list)


def _totals(
    measured: list[m.ChannelMeasures],
    posts: list[m.PostFigures],
    reply: m.Responsiveness,
    cases: m.Cases,
    compliance: m.Compliance,
) -> Totals:
    t = Totals(posts=sum(c.posts for c in measured))
    t.impressions = m._sum_known(posts, "impressions")
    t.reach = m._sum_known(posts, "reach")
    t.engagement = sum(p.engagement for p in posts if p.captured_at is not None)
    with_impressions = [p for p in posts if p.impressions]
    if with_impressions:
        t.engagement_rate = sum(p.engagement for p in with_impressions) / sum(
            p.impressions or 0 for p in with_impressions
        )
        t.rate_basis = "impression"
    elif measured and all(c.rate_basis == "follower" for c in measured if c.posts_with_figures):
        figures = sum(c.posts_with_figures * (c.followers_end or 0) for c in measured)
        if figures:
            t.engagement_rate = t.engagement / figures
            t.rate_basis = "follower"
    known = [c.followers_end for c in measured if c.followers_end is not None]
    t.followers = sum(known) if known else None
    growth = [c.follower_growth for c in measured if c.follower_growth is not None]
    t.follower_growth = sum(growth) if growth else None
    t.inbox_items = reply.items
    t.answered_in_target = reply.share_in_target
    t.median_reply_hours = reply.median_hours
    t.cases_opened = cases.opened_total
    t.held = compliance.held
    return t


def _channels(org: Organization, channel_ids: list[int] | None) -> tuple[list[Channel], bool]:
    every = list(Channel.objects.filter(org=org).select_related("posting_plan").order_by("name"))
    if not channel_ids:
        return every, True
    wanted = set(channel_ids)
    chosen = [c for c in every if c.pk in wanted]
    missing = wanted - {c.pk for c in chosen}
    if missing:
        raise Invalid(f"No channel {sorted(missing)[0]} in {org.name}.")
    return chosen, len(chosen) == len(every)


def _reply_target(org: Organization) -> timedelta:
    found = EvaluationSettings.objects.filter(org=org).first()
    return timedelta(hours=found.reply_target_hours) if found else m.DEFAULT_REPLY_TARGET


def _measure(
    org: Organization, channels: list[Channel], all_channels: bool, period: m.Period
) -> tuple[list[m.PostFigures], list[m.ChannelMeasures], m.Responsiveness, m.Cases, m.Compliance]:
    ids = [c.pk for c in channels]
    posts = m.post_figures(ids, period.start, period.end)
    measured = m.channel_measures(channels, posts, period)
    reply = m.responsiveness(org, ids, period, _reply_target(org))
    case_counts = m.cases(org, ids, period, all_channels)
    checks = m.compliance(ids, period)
    return posts, measured, reply, case_counts, checks


def build_report(
    org: Organization, period: m.Period, channel_ids: list[int] | None = None
) -> Report:
    """The report, unchecked: callers check who asks (``report_for``) or are the operator."""
    channels, all_channels = _channels(org, channel_ids)
    ids = [c.pk for c in channels]
    posts, measured, reply, case_counts, checks = _measure(org, channels, all_channels, period)
    before = period.previous()
    p_posts, p_measured, p_reply, p_cases, p_checks = _measure(org, channels, all_channels, before)
    top = sorted(
        (p for p in posts if p.captured_at is not None),
        key=lambda p: (-p.engagement, p.published_at),
    )[: m.TOP_POSTS]
    report = Report(
        org=org,
        period=period,
        previous_period=before,
        channels=channels,
        all_channels=all_channels,
        generated_at=timezone.now(),
        channel_measures=measured,
        totals=_totals(measured, posts, reply, case_counts, checks),
        previous=_totals(p_measured, p_posts, p_reply, p_cases, p_checks),
        responsiveness=reply,
        cases=case_counts,
        compliance=checks,
        campaigns=m.campaign_progress(org, ids, period),
        top_posts=top,
        followers_trend=m.followers_by_day(ids, period.start, period.end),
        engagement_trend=m.engagement_by_week(posts, period),
    )
    report.summary = summarize(report)
    return report


def report_for(
    user: AnyUser, org: Organization, period: str, channel_ids: list[int] | None = None
) -> Report:
    require_reader(user, org)
    return build_report(org, m.parse_period(period), channel_ids)


def org_for(user: AnyUser, org_id: int | None) -> Organization:
    """The organization asked for (default: the person's first) that they belong to."""
    if org_id is not None:
        return orgs.membership_in(user, org_id).org
    found = orgs.primary_membership(user)
    if found is None:
        raise NotFound("You are not a member of any organization.")
    return found.org


# --- the written summary --------------------------------------------------------------------


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _change(now: float | None, before: float | None, unit: str = "") -> str:
    if now is None or before is None:
        return ""
    if before == 0:
        return " (none the period before)" if now else " (the same as the period before)"
    delta = (now - before) / before
    if abs(delta) < 0.005:
        return " (the same as the period before)"
    return f" ({'up' if delta > 0 else 'down'} {abs(delta) * 100:.0f}% on the period before)"


def summarize(r: Report) -> list[str]:
    """Sentences made from the figures only (nothing a person typed into the inbox)."""
    t, p = r.totals, r.previous
    lines = [
        f"In {r.period.label}, {t.posts} post{'s' if t.posts != 1 else ''} went out on "
        f"{len(r.channels)} channel{'s' if len(r.channels) != 1 else ''}"
        f"{_change(t.posts, p.posts)}."
    ]
    if t.posts:
        sentence = f"They drew {t.engagement} engagements{_change(t.engagement, p.engagement)}"
        if t.impressions is not None:
            sentence += f" from {t.impressions} impressions"
        if t.engagement_rate is not None:
            sentence += f", an engagement rate of {percent(t.engagement_rate)} per {t.rate_basis}"
        lines.append(sentence + ".")
        best = r.top_posts[0] if r.top_posts else None
        if best is not None:
            name = next(c.name for c in r.channels if c.pk == best.channel_id)
            lines.append(
                f"The most engaging post (#{best.post_id} on {name}) drew {best.engagement}."
            )
    if t.follower_growth is not None:
        verb = "gained" if t.follower_growth >= 0 else "lost"
        lines.append(
            f"The channels {verb} {abs(t.follower_growth)} followers, "
            f"{t.followers} at the end of the period."
        )
    behind = [c.name for c in r.channel_measures if c.cadence is not None and c.cadence < 0.8]
    if behind:
        lines.append("Posting fell short of the plan on " + ", ".join(behind) + ".")
    elif any(c.cadence is not None for c in r.channel_measures):
        lines.append("Every channel with a plan posted at least 80% of what was planned.")
    if t.inbox_items:
        lines.append(
            f"{t.inbox_items} inbox item{'s' if t.inbox_items != 1 else ''} came in; "
            f"{percent(t.answered_in_target)} were answered within "
            f"{r.responsiveness.target_hours:g} hours"
            + (
                f" (median first reply {t.median_reply_hours:.1f} h)."
                if t.median_reply_hours is not None
                else "."
            )
        )
    crisis = r.cases.opened.get("crisis", 0)
    complaint = r.cases.opened.get("complaint", 0)
    if r.cases.opened_total:
        lines.append(
            f"{r.cases.opened_total} case(s) opened ({crisis} crisis, {complaint} complaint), "
            f"{r.cases.closed_total} closed, {r.cases.open_at_end} open at the end."
        )
    if r.compliance.held or r.compliance.overrides:
        lines.append(
            f"The check held {r.compliance.held} of {r.compliance.submitted} submitted posts "
            f"before publication; the chair overrode a block finding "
            f"{len(r.compliance.overrides)} time(s)."
        )
    for c in r.campaigns:
        goals = []
        for measure, label in (
            ("link_clicks", "link clicks"),
            ("signups", "sign-ups"),
            ("new_members", "new members"),
        ):
            goal = getattr(c, f"goal_{measure}")
            if goal:
                goals.append(f"{getattr(c, measure) or 0} of {goal} {label}")
        if goals:
            lines.append(f"Campaign {c.name}: " + ", ".join(goals) + ".")
    return lines


# --- rendering ------------------------------------------------------------------------------


def _charts(r: Report) -> dict[str, Any]:
    names = {c.pk: c.name for c in r.channels}
    followers = [
        (names[cid], [(d, float(v)) for d, v in values])
        for cid, values in sorted(r.followers_trend.items(), key=lambda kv: names[kv[0]])
    ]
    return {
        "followers": charts.line_chart("followers-chart", "Followers per day", followers),
        "engagement": charts.line_chart(
            "engagement-chart",
            "Engagement of the posts published each week",
            [("Engagement", [(d, float(v)) for d, v in r.engagement_trend])],
        ),
        "by_channel": charts.bar_chart(
            "channel-chart",
            "Engagement per channel",
            [(c.name, float(c.engagement), None) for c in r.channel_measures],
        ),
        "cadence": charts.bar_chart(
            "cadence-chart",
            "Posts per channel against the plan (dashed line)",
            [(c.name, float(c.posts), c.planned_posts) for c in r.channel_measures],
        ),
    }


def context(r: Report) -> dict[str, Any]:
    names = {c.pk: c.name for c in r.channels}
    comparison = [
        (label, getattr(r.totals, key), getattr(r.previous, key), kind)
        for key, label, kind in (
            ("posts", "Posts", "n"),
            ("impressions", "Impressions", "n"),
            ("engagement", "Engagement", "n"),
            ("engagement_rate", "Engagement rate", "%"),
            ("follower_growth", "Follower growth", "n"),
            ("inbox_items", "Inbox items", "n"),
            ("answered_in_target", "Answered within target", "%"),
            ("median_reply_hours", "Median first reply (hours)", "h"),
            ("cases_opened", "Cases opened", "n"),
            ("held", "Posts held by the check", "n"),
        )
    ]
    return {
        "report": r,
        "charts": _charts(r),
        "comparison": comparison,
        "top_posts": [(p, names[p.channel_id]) for p in r.top_posts],
        "definitions": m.DEFINITIONS,
    }


def render_html(r: Report, *, inline_css: bool = False) -> str:
    """The report as a standalone HTML document: the PDF's source (its stylesheet given to
    WeasyPrint) and, with ``inline_css``, the CLI's file that opens anywhere (never served:
    the site's pages link their stylesheets under the strict CSP)."""
    extra = {}
    if inline_css:
        extra["inline_css"] = Path(_stylesheet()).read_text(encoding="utf-8") + Path(
            _stylesheet("report-charts.css")
        ).read_text(encoding="utf-8")
    return render_to_string("evaluation/report_document.html", {**context(r), **extra})


def _stylesheet(name: str = "report.css") -> str:
    from django.contrib.staticfiles import finders

    found = finders.find(f"postguard/{name}")
    assert isinstance(found, str), f"postguard/{name} is missing from the static files"
    return found


def render_pdf(r: Report) -> bytes:
    """The same template as the page, laid out by WeasyPrint (needs Pango on the system)."""
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as exc:  # OSError: the Pango library is missing
        raise Invalid(f"PDF export is not available here: {exc}") from None
    # Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, which would
    # let a truncated photo through the image checks of every later post in this process.
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    html = render_html(r)
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=_stylesheet())]
    )
    assert isinstance(pdf, bytes)
    return pdf


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def render_csv(r: Report) -> str:
    """One row per figure: section, channel, measure, value, previous period's value, note."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "channel", "measure", "value", "previous", "note"])
    for key, value in asdict(r.totals).items():
        w.writerow(["total", "", key, _cell(value), _cell(getattr(r.previous, key)), ""])
    for c in r.channel_measures:
        for key, value in asdict(c).items():
            if key in ("channel_id", "name", "network"):
                continue
            note = ""
            if key == "engagement_rate" and c.rate_basis:
                note = f"per {c.rate_basis}"
            elif key == "follower_growth" and c.growth_from_first_snapshot:
                note = "from the first snapshot in the period"
            elif key in c.not_given:
                note = "not given by the network"
            if key == "not_given":
                value = " ".join(value)
            w.writerow(["channel", c.name, key, _cell(value), "", note])
    for group, n in sorted(r.cases.opened.items()):
        w.writerow(["cases", "", f"opened_{group}", n, "", ""])
    for group, n in sorted(r.cases.closed.items()):
        w.writerow(["cases", "", f"closed_{group}", n, "", ""])
    w.writerow(["cases", "", "open_at_end", r.cases.open_at_end, "", ""])
    for category, n in r.compliance.held_by_category.items():
        w.writerow(["compliance", "", f"held_{category}", n, "", ""])
    for o in r.compliance.overrides:
        w.writerow(["override", o.channel, f"post_{o.post_id}", o.reviewer, "", o.justification])
    for progress in r.campaigns:
        for key in ("link_clicks", "signups", "new_members"):
            goal = getattr(progress, f"goal_{key}")
            note = f"goal {goal}" if goal else ""
            w.writerow(["campaign", progress.name, key, _cell(getattr(progress, key)), "", note])
    for p in r.top_posts:
        name = next(c.name for c in r.channels if c.pk == p.channel_id)
        w.writerow(["top_post", name, f"post_{p.post_id}", p.engagement, "", p.text[:80]])
    return out.getvalue()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def report_json(r: Report) -> dict[str, Any]:
    found: dict[str, Any] = _jsonable(
        {
            "org": r.org.slug,
            "period": {"key": r.period.key, "start": r.period.start, "end": r.period.end},
            "previous_period": {
                "key": r.previous_period.key,
                "start": r.previous_period.start,
                "end": r.previous_period.end,
            },
            "channels": [{"id": c.pk, "name": c.name, "network": c.network} for c in r.channels],
            "generated_at": r.generated_at,
            "totals": asdict(r.totals),
            "previous": asdict(r.previous),
            "measures": [asdict(c) for c in r.channel_measures],
            "responsiveness": asdict(r.responsiveness),
            "cases": {
                "opened": r.cases.opened,
                "closed": r.cases.closed,
                "open_at_end": r.cases.open_at_end,
            },
            "compliance": asdict(r.compliance),
            "campaigns": [asdict(c) for c in r.campaigns],
            "top_posts": [
                {
                    "post_id": p.post_id,
                    "channel_id": p.channel_id,
                    "published_at": p.published_at,
                    "deleted": p.deleted,
                    "text": p.text[:200],
                    "engagement": p.engagement,
                    "impressions": p.impressions,
                }
                for p in r.top_posts
            ],
            "followers_trend": {
                str(k): [[d, v] for d, v in vs] for k, vs in r.followers_trend.items()
            },
            "engagement_trend": [[d, v] for d, v in r.engagement_trend],
            "summary": r.summary,
            "definitions": [asdict(d) for d in m.DEFINITIONS],
        }
    )
    return found


def export(r: Report, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report in ``fmt``."""
    name = f"evaluation-{r.org.slug}-{r.period.key.replace('..', '_')}"
    if fmt == "pdf":
        return render_pdf(r), "application/pdf", f"{name}.pdf"
    if fmt == "csv":
        return render_csv(r).encode(), "text/csv; charset=utf-8", f"{name}.csv"
    if fmt == "html":
        return render_html(r).encode(), "text/html; charset=utf-8", f"{name}.html"
    raise Invalid(f"{fmt[:20]!r} is not a report format: pdf, csv or html.")


# --- what the committee sets ----------------------------------------------------------------


@dataclass(slots=True)
class Setup:
    target_hours: int
    plans: list[tuple[Channel, Decimal | None]]
    campaigns: list[Campaign]
    schedules: list[ReportSchedule]


def ensure_schedules(org: Organization) -> list[ReportSchedule]:
    """Monthly and quarterly schedules exist for every organization (mailed to nobody until
    the council's addresses are set, or POSTGUARD_REPORT_RECIPIENTS gives defaults)."""
    import os

    default = os.environ.get("POSTGUARD_REPORT_RECIPIENTS", "")
    for frequency in Frequency.values:
        ReportSchedule.objects.get_or_create(
            org=org, frequency=frequency, defaults={"recipients": default.replace(",", "\n")}
        )
    return list(ReportSchedule.objects.filter(org=org).order_by("frequency"))


def setup_for(user: AnyUser, org: Organization) -> Setup:
    require_reader(user, org)
    plans = {p.channel_id: p.posts_per_week for p in PostingPlan.objects.filter(channel__org=org)}
    return Setup(
        target_hours=int(_reply_target(org).total_seconds() // 3600),
        plans=[(c, plans.get(c.pk)) for c in Channel.objects.filter(org=org).order_by("name")],
        campaigns=list(Campaign.objects.filter(org=org)),
        schedules=ensure_schedules(org),
    )


def set_plan(user: AnyUser | None, channel: Channel, posts_per_week: str) -> PostingPlan | None:
    require_manager(user, channel.org)
    text = (posts_per_week or "").strip()
    before = PostingPlan.objects.filter(channel=channel).first()
    with transaction.atomic():
        if not text:
            if before is not None:
                before.delete()
                record("evaluation.plan.clear", actor=user, org=channel.org, obj=channel)
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise Invalid(f"{text[:20]!r} is not a number of posts per week.") from None
        if not value.is_finite() or not Decimal(0) <= value <= Decimal(500):
            raise Invalid("Posts per week must be between 0 and 500.")
        plan, _ = PostingPlan.objects.update_or_create(
            channel=channel, defaults={"posts_per_week": value.quantize(Decimal("0.01"))}
        )
        record(
            "evaluation.plan.set",
            actor=user,
            org=channel.org,
            obj=channel,
            before={"posts_per_week": str(before.posts_per_week)} if before else None,
            after={"posts_per_week": str(plan.posts_per_week)},
        )
    return plan


def set_reply_target(user: AnyUser | None, org: Organization, hours: str) -> int:
    require_manager(user, org)
    try:
        value = int(str(hours).strip())
    except ValueError:
        raise Invalid(f"{str(hours)[:20]!r} is not a number of hours.") from None
    if not 1 <= value <= 24 * 30:
        raise Invalid("The reply target must be between 1 and 720 hours.")
    with transaction.atomic():
        found, _ = EvaluationSettings.objects.get_or_create(org=org)
        before = found.reply_target_hours
        found.reply_target_hours = value
        found.save(update_fields=["reply_target_hours"])
        record(
            "evaluation.reply_target.set",
            actor=user,
            org=org,
            obj=found,
            before={"hours": before},
            after={"hours": value},
        )
    return value


def _goal(value: Any, label: str) -> int | None:
    text = str(value or "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) > 10**9:
        raise Invalid(f"The {label} goal must be a whole number.")
    return int(text)


def create_campaign(
    user: AnyUser | None,
    org: Organization,
    *,
    name: str,
    starts_on: str,
    ends_on: str,
    tracked_link: str = "",
    goal_link_clicks: Any = None,
    goal_signups: Any = None,
    goal_new_members: Any = None,
) -> Campaign:
    from postguard.web.links import http_url

    require_manager(user, org)
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise Invalid("A campaign needs a name of at most 120 characters.")
    start, end = m._day(starts_on or ""), m._day(ends_on or "")
    if end < start:
        raise Invalid("The campaign ends before it starts.")
    link = (tracked_link or "").strip()
    if link:
        link = http_url(link) or ""
        if not link:
            raise Invalid("The tracked link must be an http or https address.")
    if Campaign.objects.filter(org=org, name=name).exists():
        raise Invalid(f"There is already a campaign called {name!r}.")
    with transaction.atomic():
        campaign = Campaign.objects.create(
            org=org,
            name=name,
            starts_on=start,
            ends_on=end,
            tracked_link=link[:500],
            goal_link_clicks=_goal(goal_link_clicks, "link clicks"),
            goal_signups=_goal(goal_signups, "sign-ups"),
            goal_new_members=_goal(goal_new_members, "new members"),
        )
        record(
            "evaluation.campaign.create",
            actor=user,
            org=org,
            obj=campaign,
            after={"name": name, "starts_on": str(start), "ends_on": str(end), "link": link},
        )
    return campaign


def get_campaign(user: AnyUser, campaign_id: int) -> Campaign:
    found = Campaign.objects.filter(pk=campaign_id).select_related("org").first()
    if found is None or orgs.membership(user, found.org) is None:
        raise NotFound("No such campaign.")
    return found


#: Column names that say "this is when it happened".
DATE_WORDS = ("date", "time", "day", "when", "created", "joined", "signed", " at")


def _date_of(text: str) -> date | None:
    text = text.strip()
    for candidate in (text[:10], text):
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            continue
    for fmt in ("%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    return None


def import_counts(
    user: AnyUser | None, campaign: Campaign, kind: str, data: bytes, source: str = ""
) -> int:
    """Count a CSV export's rows per day (one row = one sign-up, new member or click) and
    keep only the counts: the rows themselves (names, addresses) are never stored. The
    day is read from the first column named like a date ("Date", "Signed up at", ...)
    whose first row holds one, else the first column that holds one. Importing again
    replaces that kind's counts."""
    require_manager(user, campaign.org)
    if kind not in CountKind.values:
        raise Invalid(f"{kind[:20]!r} is not what to import: signups, new_members or link_clicks.")
    if len(data) > MAX_IMPORT_BYTES:
        raise Invalid("The file is larger than 5 MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid("The file is not UTF-8 text (save the CSV as UTF-8).") from None
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if not header:
        raise Invalid("The file is empty.")
    names = [h.strip().lower() for h in header]
    lines = list(rows)
    first = next((row for row in lines if any(cell.strip() for cell in row)), [])
    named = [i for i, n in enumerate(names) if any(w in n for w in DATE_WORDS)]
    parsed = [i for i, cell in enumerate(first) if _date_of(cell) is not None]
    column = next((i for i in named if i in parsed), (named or parsed or [0])[0])
    per_day: dict[date, int] = {}
    for number, row in enumerate(lines, start=2):
        if number > MAX_IMPORT_ROWS:
            raise Invalid(f"The file has more than {MAX_IMPORT_ROWS} rows.")
        if not any(cell.strip() for cell in row):
            continue
        day = _date_of(row[column]) if column < len(row) else None
        if day is None:
            raise Invalid(f"Line {number}: no date in the column {header[column][:40]!r}.")
        per_day[day] = per_day.get(day, 0) + 1
    with transaction.atomic():
        CampaignCount.objects.filter(campaign=campaign, kind=kind).delete()
        CampaignCount.objects.bulk_create(
            CampaignCount(campaign=campaign, kind=kind, day=d, count=n, source=source[:200])
            for d, n in sorted(per_day.items())
        )
        record(
            "evaluation.campaign.import",
            actor=user,
            org=campaign.org,
            obj=campaign,
            after={"kind": kind, "rows": sum(per_day.values()), "days": len(per_day)},
        )
    return sum(per_day.values())


def set_schedule(
    user: AnyUser | None, org: Organization, frequency: str, recipients: str, active: bool
) -> ReportSchedule:
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    require_manager(user, org)
    if frequency not in Frequency.values:
        raise Invalid(f"{frequency[:20]!r} is not a schedule: monthly or quarterly.")
    addresses = [a.strip() for a in (recipients or "").replace(",", "\n").splitlines() if a.strip()]
    if len(addresses) > 50:
        raise Invalid("At most 50 addresses.")
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise Invalid(f"{address[:60]!r} is not an e-mail address.") from None
    ensure_schedules(org)
    with transaction.atomic():
        schedule = ReportSchedule.objects.select_for_update().get(org=org, frequency=frequency)
        before = {"recipients": schedule.addresses(), "active": schedule.active}
        schedule.recipients = "\n".join(addresses)
        schedule.active = active
        schedule.save(update_fields=["recipients", "active"])
        record(
            "evaluation.schedule.set",
            actor=user,
            org=org,
            obj=schedule,
            before=before,
            after={"recipients": addresses, "active": active},
        )
    return schedule


# --- the schedule ---------------------------------------------------------------------------


def send_report(schedule: ReportSchedule, period: m.Period) -> list[str]:
    """Mail the report of ``period`` (PDF and CSV attached) to the schedule's addresses."""
    report = build_report(schedule.org, period)
    pdf = render_pdf(report)
    body = (
        f"The {schedule.get_frequency_display().lower()} evaluation report of "
        f"{schedule.org.name} for {period.label}.\n\n"
        + "\n".join(report.summary)
        + "\n\nThe full report is attached as PDF, its figures as CSV.\n"
    )
    message = EmailMessage(
        f"[postguard] Evaluation report {period.label} - {schedule.org.name}",
        body,
        None,
        schedule.addresses(),
    )
    base = f"evaluation-{schedule.org.slug}-{period.key}"
    message.attach(f"{base}.pdf", pdf, "application/pdf")
    message.attach(f"{base}.csv", render_csv(report), "text/csv")
    message.send(fail_silently=False)
    return schedule.addresses()


def send_due_reports(now: datetime | None = None) -> list[ReportSchedule]:
    """Send each active schedule's last complete period once. A failure is kept on the
    schedule and retried at the next run; a schedule without addresses waits."""
    now = now or timezone.now()
    sent = []
    for org in Organization.objects.filter(is_demo=False):
        ensure_schedules(org)
    for schedule in ReportSchedule.objects.filter(active=True).select_related("org"):
        period = m.last_complete(schedule.frequency, now)
        if schedule.last_sent_period == period.key or not schedule.addresses():
            continue
        try:
            to = send_report(schedule, period)
        except Exception as exc:
            log.warning("sending the %s failed: %s", schedule, exc)
            ReportSchedule.objects.filter(pk=schedule.pk).update(last_error=str(exc)[:500])
            continue
        with transaction.atomic():
            ReportSchedule.objects.filter(pk=schedule.pk).update(
                last_sent_period=period.key, last_sent_at=now, last_error=""
            )
            record(
                "evaluation.report.sent",
                org=schedule.org,
                obj=schedule,
                after={"period": period.key, "to": to},
            )
        sent.append(schedule)
    return sent
