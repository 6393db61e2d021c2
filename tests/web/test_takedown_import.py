"""Importing an archive report (DIR/findings.jsonl of `postguard audit-archive`): each
line checked on its own, nothing lost, the list worst first; and the read-back on
networks other than Bluesky, against their documented answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import responses
import respx
from django.core.files.uploadedfile import SimpleUploadedFile

from postguard.connectors.base import Credentials, TransientError
from postguard.connectors.mastodon import MastodonConnector
from postguard.connectors.x import XConnector
from postguard.web.takedown import services
from postguard.web.takedown.models import ArchiveFinding, ArchiveItem

from .conftest import World
from .takedown_helper import REVIEW_FINDING, report, report_line

ROOT = Path(__file__).resolve().parents[2]
BSKY = "at://did:plc:abc/app.bsky.feed.post/"


def _import(world: World, blob: bytes) -> services.ImportResult:
    return services.import_report(world["chair"], world.channel, services.iter_lines([blob]))


@pytest.mark.django_db
def test_bad_lines_are_refused_one_by_one_and_the_good_ones_kept(world: World) -> None:
    blob = report(
        report_line(BSKY + "1", "Call Sarah on 07700 900123"),
        "{not json",
        report_line("1234", "A tweet", network="x"),
        json.dumps({"network": "bluesky", "remote_id": BSKY + "4", "text": "t",
                    "findings": [{"rule_id": "R", "severity": "fatal"}]}),
        report_line(BSKY + "5", "All fine", findings=[]),
        report_line(BSKY + "6", "Take this dose", findings=[REVIEW_FINDING], date="2021-02-03"),
        report_line(BSKY + "7", "Bad date", date="yesterday"),
    )  # fmt: skip
    result = _import(world, blob)
    assert result.lines == 7 and result.added == 2 and result.passed == 1
    assert result.error_count == 4
    assert result.errors[0].startswith("line 2: not JSON")
    assert result.errors[1] == "line 3: the item is from x, the channel is on bluesky"
    assert result.errors[2].startswith("line 4: finding 1 has a severity other than")
    assert result.errors[3] == "line 7: \"date\" is not an ISO 8601 date: 'yesterday'"
    again = _import(world, blob)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2), "no doubles"
    changed = blob.replace(b"Call Sarah", b"Ring Sarah")
    assert _import(world, changed).updated == 1
    assert ArchiveItem.objects.filter(channel=world.channel).count() == 2


@pytest.mark.django_db
def test_the_list_is_worst_first_and_filters_by_rule_and_year(world: World) -> None:
    _import(
        world,
        report(
            report_line(BSKY + "1", "Review only", findings=[REVIEW_FINDING], date="2020-01-01"),
            report_line(BSKY + "2", "Phone number", date="2019-01-01"),
            report_line(BSKY + "3", "Script", url="javascript:alert(1)", date="2019-06-01"),
        ),
    )
    items = list(services.items_of(world["chair"], world.channel))
    assert [i.remote_id for i in items][-1] == BSKY + "1", "review after block"
    assert {i.worst for i in items[:2]} == {3}
    by_rule = services.items_of(world["chair"], world.channel, rule=REVIEW_FINDING["rule_id"])
    assert [i.remote_id for i in by_rule] == [BSKY + "1"]
    assert {i.remote_id for i in services.items_of(world["chair"], world.channel, year=2019)} == {
        BSKY + "2",
        BSKY + "3",
    }
    assert ArchiveItem.objects.get(remote_id=BSKY + "3").url == "", "only http(s) links kept"
    assert ArchiveFinding.objects.filter(item__channel=world.channel).count() == 3


@pytest.mark.django_db
def test_an_upload_over_the_cap_is_refused_before_it_is_read(world: World, settings: Any) -> None:
    settings.POSTGUARD_TAKEDOWN_MAX_IMPORT_BYTES = 100
    blob = report(report_line(BSKY + "1", "x" * 200))
    page = world.client("chair").post(
        f"/archive/{world.channel.pk}/import/",
        {"report": SimpleUploadedFile("findings.jsonl", blob)},
    )
    assert page.status_code == 400
    assert "the limit is 100 bytes" in page.content.decode()
    assert not ArchiveItem.objects.exists()
    huge = report(report_line(BSKY + "1", "x" * 200_000))
    page = world.client("chair").post(
        f"/archive/{world.channel.pk}/import/",
        {"report": SimpleUploadedFile("findings.jsonl", huge)},
    )
    assert page.status_code == 400 and "The upload is" in page.content.decode()
    assert not ArchiveItem.objects.exists()


@pytest.mark.django_db
def test_the_archive_page_shows_archived_text_as_text(world: World) -> None:
    _import(world, report(report_line(BSKY + "1", "<script>alert('x')</script> 07700 900123")))
    page = world.client("chair").get(f"/archive/{world.channel.pk}/").content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert" not in page


def test_the_command_line_says_what_is_wrong_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env |= {"POSTGUARD_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    run = [sys.executable, "-c", "from postguard.cli import main; main()", "takedown"]
    missing = subprocess.run(
        [*run, "import", str(tmp_path / "nope.jsonl"), "--org", "x", "--channel", "y"],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert missing.returncode == 2
    assert "postguard: error: cannot read" in missing.stderr and "Traceback" not in missing.stderr
    (tmp_path / "findings.jsonl").write_text(report_line(BSKY + "1", "t"), encoding="utf-8")
    unknown = subprocess.run(
        [*run, "import", str(tmp_path / "findings.jsonl"), "--org", "x", "--channel", "y"],
        env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert unknown.returncode == 2
    assert "no channel 'y' in the organization 'x'" in unknown.stderr
    nothing = subprocess.run([*run, "run"], env=env, capture_output=True, text=True,
                             check=False, timeout=120)  # fmt: skip
    assert nothing.returncode == 0 and nothing.stdout.strip() == "nothing to do"


# --- read-back on other networks (documented answers) --------------------------------------

MASTODON = "https://social.example"


def test_mastodon_a_404_is_gone_and_a_server_error_is_not() -> None:
    with (
        responses.RequestsMock(assert_all_requests_are_fired=False) as api,
        MastodonConnector(
            Credentials({"access_token": "t"}), {"instance": MASTODON, "account_id": "1"}
        ) as mastodon,
    ):
        api.get(f"{MASTODON}/api/v1/statuses/1", json={"id": "1", "content": "<p>hi</p>"})
        api.get(f"{MASTODON}/api/v1/statuses/2", status=404, json={"error": "Record not found"})
        assert mastodon.gone(["1", "2"]) == {"2"}
        api.get(f"{MASTODON}/api/v1/statuses/3", status=503, json={"error": "down"})
        with pytest.raises(TransientError):
            mastodon.gone(["3"])


def test_x_a_resource_not_found_problem_is_gone() -> None:
    with (
        respx.mock(base_url="https://api.x.com", assert_all_called=False) as api,
        XConnector(Credentials({"access_token": "t"}), {"user_id": "9"}) as x,
    ):
        api.get("/2/tweets").respond(
            200,
            json={
                "data": [{"id": "1", "text": "still here"}],
                "errors": [{
                    "value": "2", "detail": "Could not find tweet with ids: [2].",
                    "title": "Not Found Error", "resource_type": "tweet", "parameter": "ids",
                    "resource_id": "2",
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                }],
            },
        )  # fmt: skip
        assert x.gone(["1", "2"]) == {"2"}


@pytest.mark.django_db
def test_a_failed_read_back_is_never_taken_for_a_deletion(world: World) -> None:
    from postguard.web.workflow.models import OutboxItem

    class Down:
        display_name = "Down"

        def gone(self, remote_ids: list[str]) -> set[str]:
            raise TransientError("the network is down")

    item = OutboxItem(pk=1, remote_id="r1")
    assert services.notice_deleted(world.channel, Down(), {"r1": item}) == set()  # type: ignore[arg-type]
