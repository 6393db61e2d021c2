"""The evaluation report leaving postguard: mailed on schedule to a real SMTP server, made
by the CLI, served by the API; and measures that reflect real engagement on the local
Bluesky PDS (tests/conftest.py starts it; under CI=true a missing PDS fails)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.utils import timezone

from postguard.cli import main
from postguard.web.audit.models import AuditEntry
from postguard.web.evaluation import measures, services
from postguard.web.evaluation.models import ReportSchedule
from postguard.web.jobs import registered
from postguard.web.publishing import services as publishing
from postguard.web.publishing.models import MetricSnapshot
from tests.conftest import PdsAccount, PdsServer, create_account

from .conftest import World
from .evaluation_seed import SECRET_HANDLE, at, published, seed
from .test_inbox import Mailbox, smtp  # noqa: F401  (the real SMTP server fixture)
from .test_publishing_pds import create_record

pytestmark = pytest.mark.django_db

DECEMBER_2ND = at(2, 9, 12)


@pytest.fixture
def mailbox(request: pytest.FixtureRequest) -> Mailbox:
    """test_inbox's real SMTP server (aiosmtpd on 127.0.0.1), which Django's SMTP backend
    sends to."""
    found: Mailbox = request.getfixturevalue("smtp")
    return found


def _attachments(message: Message) -> dict[str, bytes]:
    found = {}
    for part in message.walk():
        name = part.get_filename()
        if name:
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found[name] = payload
    return found


def test_the_monthly_report_is_mailed_once_to_the_council_with_pdf_and_csv(
    world: World, mailbox: Mailbox
) -> None:
    seed(world)
    services.set_schedule(
        world["chair"], world.org, "monthly", "council@example.org\ntreasurer@example.org", True
    )
    sent = services.send_due_reports(now=DECEMBER_2ND)
    assert [s.frequency for s in sent] == ["monthly"]
    (message,) = mailbox.to("council@example.org")
    assert "treasurer@example.org" in message["X-Rcpt"]
    assert "November 2026" in message["Subject"]
    files = _attachments(message)
    pdf = files["evaluation-ipala-test-2026-11.pdf"]
    assert pdf.startswith(b"%PDF")
    rows = list(csv.DictReader(io.StringIO(files["evaluation-ipala-test-2026-11.csv"].decode())))
    assert {"section": "total", "measure": "engagement", "value": "38"}.items() <= next(
        r for r in rows if r["measure"] == "engagement"
    ).items()
    body = message.get_payload()[0].get_payload(decode=True).decode()  # type: ignore[index, union-attr]
    assert "5 posts went out" in body and SECRET_HANDLE not in body
    assert AuditEntry.objects.filter(action="evaluation.report.sent").count() == 1

    assert services.send_due_reports(now=DECEMBER_2ND + timedelta(hours=1)) == []
    assert len(mailbox.messages) == 1, "each period is sent once"


def test_a_failed_delivery_is_kept_and_retried_at_the_next_run(
    world: World, mailbox: Mailbox, settings: Any
) -> None:
    services.set_schedule(world["chair"], world.org, "quarterly", "council@example.org", True)
    real_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens there
    assert services.send_due_reports(now=DECEMBER_2ND) == []
    schedule = ReportSchedule.objects.get(org=world.org, frequency="quarterly")
    assert schedule.last_error and schedule.last_sent_period == ""
    settings.EMAIL_PORT = real_port
    assert len(services.send_due_reports(now=DECEMBER_2ND)) == 1
    (message,) = mailbox.messages
    assert "Q3 2026" in message["Subject"]
    schedule.refresh_from_db()
    assert (schedule.last_sent_period, schedule.last_error) == ("2026-Q3", "")


def test_a_schedule_without_addresses_or_switched_off_sends_nothing(
    world: World, mailbox: Mailbox
) -> None:
    services.set_schedule(world["chair"], world.org, "monthly", "council@example.org", False)
    assert services.send_due_reports(now=DECEMBER_2ND) == []
    assert mailbox.messages == []
    assert "evaluation.send_reports" in {job.name for job in registered()}


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(args)
    out, err = capsys.readouterr()
    return (0 if done.value.code is None else int(done.value.code)), out, err


def test_the_cli_writes_the_same_report_as_pdf_and_csv(
    world: World, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    seed(world)
    target = tmp_path / "november.pdf"
    code, _, err = _cli(
        [
            "report",
            "--period",
            "2026-11",
            "--format",
            "pdf",
            "--org",
            "ipala-test",
            "-o",
            str(target),
        ],
        capsys,
    )
    assert code == 0 and "November 2026" in err
    assert target.read_bytes().startswith(b"%PDF")
    code, out, _ = _cli(
        ["report", "--period", "2026-11", "--format", "csv", "--org", "ipala-test",
         "--channel", "Bluesky"],
        capsys,
    )  # fmt: skip
    assert code == 0
    expected = services.render_csv(
        services.build_report(world.org, measures.parse_period("2026-11"), [world.channel.pk])
    )
    assert out == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2026-13"], "is not a month"),
        (["--period", "2026-11"], "several organizations"),
        (["--period", "2026-11", "--org", "nope"], "no organization 'nope'"),
        (["--period", "2026-11", "--org", "ipala-test", "--channel", "Nope"], "no channel"),
    ],
)
def test_the_cli_says_what_is_wrong_in_one_line(
    world: World, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = _cli(["report", *args], capsys)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_the_api_gives_the_measures_and_the_report_in_three_formats(world: World) -> None:
    seed(world)
    client = world.client("reviewer")
    data = client.get("/api/evaluation/measures?period=2026-11").json()
    bluesky = next(c for c in data["measures"] if c["name"] == "Bluesky")
    assert (bluesky["engagement"], bluesky["rate_basis"]) == (12, "follower")
    assert data["totals"]["engagement"] == 38 and data["previous"]["engagement"] == 10
    report = client.get("/api/evaluation/report?period=2026-11").json()
    assert report["summary"][0].startswith("In November 2026, 5 posts")
    assert SECRET_HANDLE not in str(report)
    pdf = client.get("/api/evaluation/report?period=2026-11&format=pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    got = client.get(f"/api/evaluation/report?period=2026-11&format=csv&channel={world.channel.pk}")
    assert got.content.decode() == services.render_csv(
        services.build_report(world.org, measures.parse_period("2026-11"), [world.channel.pk])
    )
    bad = client.get("/api/evaluation/measures?period=soon")
    assert bad.status_code == 422 and "is not a period" in bad.json()["detail"]


# --- the real Bluesky PDS ---------------------------------------------------------------------


def test_the_measures_reflect_real_likes_reposts_replies_and_followers_on_the_pds(
    world: World,
    pds: PdsServer,
    association: PdsAccount,
    app_password: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("POSTGUARD_SECRETS_KEY_FILE", raising=False)
    monkeypatch.setenv("POSTGUARD_SECRETS_KEY", Fernet.generate_key().decode())
    fan = create_account(pds, "evalfan")
    publishing.connect_bluesky(
        world["admin"],
        world.channel,
        handle=association.handle,
        app_password=app_password,
        service=pds.url,
        watch=fan.handle,
    )
    text = f"Our breastfeeding café reopens on Monday ({uuid.uuid4().hex[:8]})."
    record = create_record(pds, association, "app.bsky.feed.post", {"text": text})
    now = timezone.now()
    published(world, world.channel, text, now - timedelta(minutes=5), remote=record["uri"])
    subject = {"uri": record["uri"], "cid": record["cid"]}
    create_record(pds, fan, "app.bsky.feed.like", {"subject": subject})
    create_record(pds, fan, "app.bsky.feed.repost", {"subject": subject})
    create_record(
        pds, fan, "app.bsky.feed.post",
        {"text": "See you there!", "reply": {"root": subject, "parent": subject}},
    )  # fmt: skip
    create_record(pds, fan, "app.bsky.graph.follow", {"subject": association.did})

    publishing.pull_metrics(world.channel)
    assert MetricSnapshot.objects.filter(channel=world.channel).count() == 2

    today = now.date()
    period = measures.parse_period(f"{today}..{today + timedelta(days=1)}")
    report = services.build_report(world.org, period, [world.channel.pk])
    (bluesky,) = report.channel_measures
    assert (bluesky.likes, bluesky.shares, bluesky.comments) == (1, 1, 1)
    assert bluesky.engagement == 3
    assert bluesky.impressions is None and "impressions" in bluesky.not_given
    # Only the watched fan's repository is read: one follower, so 3 / (1 post x 1 follower).
    assert bluesky.followers_end == 1
    assert (bluesky.rate_basis, bluesky.engagement_rate) == ("follower", 3.0)
    (top,) = report.top_posts
    assert top.text == text and top.engagement == 3


def test_the_openapi_document_lists_the_reports_formats_once(world: World) -> None:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), f"duplicated keys: {keys}"
        return dict(pairs)

    import json

    text = world.client("chair").get("/api/openapi.json").content
    document = json.loads(text, object_pairs_hook=no_duplicates)
    ok = document["paths"]["/api/evaluation/report"]["get"]["responses"]["200"]
    assert {"application/json", "application/pdf", "text/csv"} <= set(ok["content"])
