"""The evaluation's measures against figures worked out by hand on seeded snapshots
(evaluation_seed.py), missing data included; the report's exports; who may read it."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client

from postguard.web.audit.models import AuditEntry
from postguard.web.errors import Invalid, NotAllowed, NotFound
from postguard.web.evaluation import measures, services
from postguard.web.evaluation.models import CampaignCount, PostingPlan, ReportSchedule

from .conftest import World
from .evaluation_seed import SECRET_HANDLE, SECRET_TEXT, SIGNUPS_CSV, Seeded, at, seed

pytestmark = pytest.mark.django_db

NOVEMBER = measures.parse_period("2026-11")


@pytest.fixture
def seeded(world: World) -> Seeded:
    return seed(world)


def _report(world: World) -> services.Report:
    return services.build_report(world.org, NOVEMBER)


def _channel(report: services.Report, name: str) -> measures.ChannelMeasures:
    return next(c for c in report.channel_measures if c.name == name)


# --- periods --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end", "previous"),
    [
        ("2026-11", "2026-11-01", "2026-12-01", "2026-10"),
        ("2026-Q1", "2026-01-01", "2026-04-01", "2025-Q4"),
        ("2026", "2026-01-01", "2027-01-01", "2025"),
        ("2026-11-10..2026-11-19", "2026-11-10", "2026-11-20", "2026-10-31..2026-11-09"),
    ],
)
def test_a_period_is_read_as_a_month_quarter_year_or_days(
    text: str, start: str, end: str, previous: str
) -> None:
    period = measures.parse_period(text)
    assert period.start.date().isoformat() == start
    assert period.end.date().isoformat() == end
    assert period.previous().key == previous


@pytest.mark.parametrize("text", ["2026-13", "november", "2026-11-30..2026-11-01", "", "1999"])
def test_a_period_that_is_not_one_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(Invalid) as caught:
        measures.parse_period(text)
    assert "\n" not in str(caught.value)


def test_the_last_complete_month_and_quarter_are_those_before_today() -> None:
    now = at(15, 9, 1).replace(year=2027)
    assert measures.last_complete("monthly", now).key == "2026-12"
    assert measures.last_complete("quarterly", now).key == "2026-Q4"


# --- reach, engagement and rates -----------------------------------------------------------


def test_posts_count_every_post_published_in_the_period_deleted_or_unmeasured(
    world: World, seeded: Seeded
) -> None:
    report = _report(world)
    bluesky = _channel(report, "Bluesky")
    # a1, a2 (deleted), a4 (never measured); a3 is October's; replies are not posts.
    assert (bluesky.posts, bluesky.posts_with_figures, bluesky.deleted_posts) == (3, 2, 1)
    assert report.totals.posts == 5
    assert report.previous.posts == 1


def test_engagement_uses_each_posts_last_snapshot_before_the_period_ends(
    world: World, seeded: Seeded
) -> None:
    bluesky = _channel(_report(world), "Bluesky")
    # a1 on 5 November: 5 + 2 + 1 = 8 (December's 50 likes are after the period);
    # a2, deleted after its snapshot, keeps 3 + 0 + 1 = 4.
    assert bluesky.engagement == 12
    assert (bluesky.likes, bluesky.comments, bluesky.shares) == (8, 2, 2)


def test_a_network_without_impressions_has_none_and_a_rate_per_follower(
    world: World, seeded: Seeded
) -> None:
    bluesky = _channel(_report(world), "Bluesky")
    assert bluesky.impressions is None and bluesky.reach is None
    assert {"impressions", "reach", "link_clicks", "saves"} <= set(bluesky.not_given)
    # 12 engagements / (2 measured posts x 120 followers at the end).
    assert bluesky.rate_basis == "follower"
    assert bluesky.engagement_rate == pytest.approx(12 / 240)


def test_the_rate_per_impression_counts_only_posts_that_have_impressions(
    world: World, seeded: Seeded
) -> None:
    report = _report(world)
    group = _channel(report, "Members' group")
    # b1: 10 + 4 + 2 + 4 clicks = 20 on 200 impressions; b2 (insights failed): 6, no impressions.
    assert group.engagement == 26
    assert (group.impressions, group.reach, group.link_clicks) == (200, 150, 4)
    assert group.rate_basis == "impression"
    assert group.engagement_rate == pytest.approx(20 / 200)
    assert report.totals.impressions == 200
    assert report.totals.engagement == 38
    assert report.totals.rate_basis == "impression"
    assert report.totals.engagement_rate == pytest.approx(0.1)


def test_follower_growth_runs_from_the_snapshot_before_the_period_to_the_last_in_it(
    world: World, seeded: Seeded
) -> None:
    report = _report(world)
    bluesky = _channel(report, "Bluesky")
    assert (bluesky.followers_start, bluesky.followers_end, bluesky.follower_growth) == (
        100,
        120,
        20,
    )
    assert not bluesky.growth_from_first_snapshot
    group = _channel(report, "Members' group")
    # No snapshot before November: from the first inside it, and said so.
    assert (group.follower_growth, group.growth_from_first_snapshot) == (-3, True)
    assert (report.totals.followers, report.totals.follower_growth) == (167, 17)


def test_snapshot_gaps_show_as_coverage_below_one(world: World, seeded: Seeded) -> None:
    bluesky = _channel(_report(world), "Bluesky")
    # Two hours of November's 720 have an account snapshot.
    assert bluesky.coverage == pytest.approx(2 / 720)


def test_a_channel_with_no_snapshots_has_no_figures_rather_than_zeros(world: World) -> None:
    report = _report(world)
    bluesky = _channel(report, "Bluesky")
    assert bluesky.posts == 0
    assert bluesky.follower_growth is None and bluesky.engagement_rate is None
    assert bluesky.coverage is None and bluesky.rate_basis == ""
    assert report.totals.impressions is None


def test_cadence_compares_posts_with_the_plan_for_the_days_of_the_period(
    world: World, seeded: Seeded
) -> None:
    report = _report(world)
    group = _channel(report, "Members' group")
    assert group.planned_posts == pytest.approx(30 / 7)
    assert group.cadence == pytest.approx(2 / (30 / 7))
    assert _channel(report, "Bluesky").cadence is None
    assert any("fell short of the plan on Members' group" in line for line in report.summary)


# --- the inbox, cases and compliance --------------------------------------------------------


def test_responsiveness_is_the_time_to_the_first_published_reply(
    world: World, seeded: Seeded
) -> None:
    reply = _report(world).responsiveness
    # Answered after 2 h and 48 h; one not at all; the target is 24 h.
    assert (reply.items, reply.answered, reply.answered_in_target) == (3, 2, 1)
    assert reply.share_in_target == pytest.approx(1 / 3)
    assert reply.median_hours == pytest.approx(25)


def test_the_reply_target_is_the_committees(world: World, seeded: Seeded) -> None:
    services.set_reply_target(world["chair"], world.org, "48")
    assert _report(world).responsiveness.answered_in_target == 2


def test_cases_are_counted_opened_closed_and_open_at_the_end(world: World, seeded: Seeded) -> None:
    found = _report(world).cases
    assert found.opened == {"crisis": 1, "other": 1}
    assert found.closed == {"crisis": 1}
    # October's complaint is still open; November's negative case closed in December.
    assert found.open_at_end == 2


def test_compliance_counts_held_posts_by_category_and_lists_overrides(
    world: World, seeded: Seeded
) -> None:
    found = _report(world).compliance
    assert (found.submitted, found.held) == (2, 1)
    assert found.held_by_category == {"medical_advice": 1, "privacy": 1}
    (override,) = found.overrides
    assert override.post_id == seeded.b1.post_id
    assert override.justification == "The walk's organiser consented in writing."


# --- campaigns ------------------------------------------------------------------------------


def test_campaign_progress_counts_link_clicks_and_imported_signups_against_goals(
    world: World, seeded: Seeded
) -> None:
    rows = services.import_counts(
        world["chair"], seeded.campaign, "signups", SIGNUPS_CSV, "signups.csv"
    )
    assert rows == 4
    assert not CampaignCount.objects.filter(source__contains="@").exists()
    (progress,) = _report(world).campaigns
    # b1's 4 clicks; a1 (Bluesky) links it too but gives no clicks: said so.
    assert progress.link_clicks == 4 and progress.clicks_partly_unknown
    # Three sign-ups in November; the one on 5 December is after the campaign.
    assert progress.signups == 3
    assert progress.share("signups") == pytest.approx(0.3)
    assert progress.share("new_members") is None


def test_an_import_without_dates_is_refused_and_keeps_the_counts(
    world: World, seeded: Seeded
) -> None:
    services.import_counts(world["chair"], seeded.campaign, "signups", SIGNUPS_CSV)
    with pytest.raises(Invalid, match="Line 2"):
        services.import_counts(
            world["chair"], seeded.campaign, "signups", b"when,name\nyesterday,Ann\n"
        )
    assert sum(c.count for c in CampaignCount.objects.all()) == 4


# --- the report holds no personal data from the inbox ---------------------------------------


def test_no_export_of_the_report_shows_who_wrote_to_the_association_or_what(
    world: World, seeded: Seeded
) -> None:
    report = _report(world)
    texts = [
        services.render_html(report),
        services.render_csv(report),
        json.dumps(services.report_json(report)),
    ]
    for text in texts:
        assert SECRET_HANDLE not in text and "Zelda-Quince" not in text
    assert SECRET_TEXT not in world.client("chair").get("/report/?period=2026-11").content.decode()


# --- exports --------------------------------------------------------------------------------


def test_the_csv_has_one_row_per_figure_with_the_previous_period(
    world: World, seeded: Seeded
) -> None:
    rows = list(csv.DictReader(io.StringIO(services.render_csv(_report(world)))))
    totals = {r["measure"]: r for r in rows if r["section"] == "total"}
    assert totals["engagement"]["value"] == "38" and totals["engagement"]["previous"] == "10"
    rate = next(r for r in rows if r["channel"] == "Bluesky" and r["measure"] == "engagement_rate")
    assert rate["note"] == "per follower" and rate["value"] == "0.0500"


def test_the_pdf_first_page_is_not_blank(world: World, seeded: Seeded, tmp_path: Path) -> None:
    from PIL import Image

    pdf = services.render_pdf(_report(world))
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm (poppler-utils) is missing: run scripts/install-pdf.sh")
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")],
        check=True,
        timeout=60,
    )
    (page,) = tmp_path.glob("p*.png")
    image = Image.open(page).convert("L")
    histogram = image.histogram()
    dark = sum(histogram[:200])
    assert dark > 0.005 * image.width * image.height, "the first page is (almost) blank"
    # The charts are drawn: some pixels are neither white nor black nor grey text.
    colours = Image.open(page).convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert any(abs(r - b) > 60 for _, (r, g, b) in colours), "no coloured chart on page 1"


def test_the_page_shows_the_figures_and_charts_without_inline_script_or_style(
    world: World, seeded: Seeded
) -> None:
    response = world.client("chair").get("/report/?period=2026-11")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'class="line series-0"' in page
    assert "per follower" in page and "Members&#x27; group" in page
    assert "<style" not in page and " style=" not in page and "<script>" not in page


def test_the_page_says_what_is_wrong_with_a_period(world: World) -> None:
    response = world.client("chair").get("/report/?period=someday")
    assert response.status_code == 400
    assert "is not a period" in response.content.decode()


def test_downloads_are_served_as_attachments(world: World, seeded: Seeded) -> None:
    client = world.client("reviewer")
    pdf = client.get("/report/export/?period=2026-11&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    got = client.get(f"/report/export/?period=2026-11&format=csv&channel={world.channel.pk}")
    assert 'filename="evaluation-ipala-test-2026-11.csv"' in got["Content-Disposition"]
    assert "Members' group" not in got.content.decode()


# --- who may read and set ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "outcome"),
    [
        ("admin", None),
        ("chair", None),
        ("reviewer", None),
        ("author", NotAllowed),
        ("member", NotAllowed),
        ("outsider", NotFound),
    ],
)
def test_only_the_committee_and_administrators_read_the_report(
    world: World, role: str, outcome: type[Exception] | None
) -> None:
    if outcome is None:
        assert services.report_for(world[role], world.org, "2026-11").period == NOVEMBER
    else:
        with pytest.raises(outcome):
            services.report_for(world[role], world.org, "2026-11")


@pytest.mark.parametrize(
    ("role", "allowed"), [("admin", True), ("chair", True), ("reviewer", False)]
)
def test_only_the_chair_and_administrators_set_the_plan(
    world: World, role: str, allowed: bool
) -> None:
    if allowed:
        services.set_plan(world[role], world.channel, "3.5")
        assert PostingPlan.objects.get(channel=world.channel).posts_per_week == 3.5
        assert AuditEntry.objects.filter(action="evaluation.plan.set").exists()
    else:
        with pytest.raises(NotAllowed):
            services.set_plan(world[role], world.channel, "3.5")


@pytest.mark.parametrize("value", ["many", "-1", "501", "NaN", "Infinity"])
def test_a_plan_that_is_not_a_number_of_posts_is_refused(world: World, value: str) -> None:
    with pytest.raises(Invalid):
        services.set_plan(world["chair"], world.channel, value)
    assert not PostingPlan.objects.exists()


def test_the_schedule_refuses_an_address_that_is_not_one(world: World) -> None:
    with pytest.raises(Invalid, match="not an e-mail address"):
        services.set_schedule(world["chair"], world.org, "monthly", "council@x.org\nnope", True)
    schedule = services.set_schedule(
        world["chair"], world.org, "monthly", "council@x.org, treasurer@x.org", True
    )
    assert schedule.addresses() == ["council@x.org", "treasurer@x.org"]
    assert ReportSchedule.objects.filter(org=world.org).count() == 2


def test_the_report_page_refuses_the_member_and_hides_from_an_outsider(world: World) -> None:
    assert world.client("member").get("/report/").status_code == 403
    assert Client().get("/report/").status_code == 302
