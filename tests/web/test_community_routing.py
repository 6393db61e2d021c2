"""Routing of reports to a community: peer dispute, complaint about the care of a
client, crisis, or ordinary (no Django needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from postguard.web.communities import routing
from postguard.web.inbox.bench import bench_inbox

CORPUS = Path(__file__).parents[2] / "corpus" / "community-reports-dev.jsonl"


@pytest.mark.parametrize(
    ("text", "route"),
    [
        # The example: a member "reporting" a colleague to IBLCE over a comment.
        (
            "Reporting @LeahIBCLC to IBLCE… she called me unqualified… CPC violation!!",
            "peer_dispute",
        ),
        (
            "My lactation consultant charged me twice and won't reply. I'm reporting her.",
            "client_complaint",
        ),
        ("I don't want to be here anymore, nobody would notice if I disappeared.", "crisis"),
        ("Where can I find the IBLCE exam dates?", "ordinary"),
        ("Great thread on the CPC update, thanks all.", "ordinary"),
        ("Spam: someone is selling sunglasses in the main thread.", "ordinary"),
    ],
)
def test_it_routes_a_report(text: str, route: str) -> None:
    assert routing.route(text).route == route


def test_the_cues_say_why() -> None:
    routed = routing.route("She examined my baby and laughed at me. I'm reporting her to IBLCE.")
    assert routed.route == "client_complaint"
    assert any(c.startswith("care: ") for c in routed.cues)


@pytest.mark.parametrize(
    "patterns",
    [routing._CARE, routing._COMPLAINT, routing._PEER_CONDUCT, routing._PEER_PLACE],
    ids=["care", "complaint", "peer-conduct", "peer-place"],
)
def test_every_cue_pattern_matches_a_labelled_report(patterns: list[object]) -> None:
    texts = [json.loads(line)["text"] for line in CORPUS.read_text("utf-8").splitlines() if line]
    for regex in patterns:
        assert any(regex.search(t) for t in texts), regex.pattern  # type: ignore[attr-defined]


def test_bench_inbox_reports_the_routing_figures(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(CORPUS.parents[1])
    # Without the public data, so that the test neither depends on it nor waits for it.
    result = CliRunner().invoke(bench_inbox, ["--shared-data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "| `client_complaint` |" in result.output and "| `peer_dispute` |" in result.output
