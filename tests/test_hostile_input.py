"""Hostile input: every shape completes, and a long text is read window by window.

The shapes (``postguard.hostile``) are checked in a child process with a
generous timeout, so that a detector that turns quadratic again fails this
test instead of hanging the suite; no timing is asserted. ``scripts/
hostile_timings.py`` measures the shapes at 200,000 characters.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import postguard
from postguard.detectors.text import MAX_SENTENCE_CHARS, sentences
from postguard.engine import HIT_CAP, WINDOW_CHARS, WINDOW_OVERLAP, Engine, make_content, windows
from postguard.hostile import SEEDS, shape
from postguard.policy.loader import load_policy

ROOT = Path(__file__).resolve().parents[1]
#: Long enough to be cut into windows and to show quadratic growth (the care
#: location shape took 20 s at this size before the fixes), short enough to be quick.
SIZE = 30_000
#: Generous: the whole set takes a few seconds; before the fixes it took minutes.
TIMEOUT_S = 300

_CHILD = """
import json, sys
from postguard.engine import Engine, make_content
from postguard.hostile import SEEDS, shape
from postguard.policy.loader import load_policy

size = int(sys.argv[1])
engine = Engine(load_policy(), budget=float("inf"))
done = {}
for name in SEEDS:
    for direction, kind in (("outbound", "post"), ("inbound", "comment")):
        report = engine.check(make_content(shape(name, size), direction=direction, kind=kind))
        done[f"{name}/{direction}"] = report.decision
print(json.dumps(done))
"""


def test_every_hostile_shape_completes_in_both_directions() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *sys.path])}
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(SIZE)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    decisions = json.loads(result.stdout)
    assert set(decisions) == {f"{n}/{d}" for n in SEEDS for d in ("outbound", "inbound")}
    assert set(decisions.values()) <= {"pass", "review", "block"}


@pytest.mark.parametrize("name", ["care location", "list of names", "one long word", "digits"])
def test_each_shape_is_exactly_the_size_asked_for(name: str) -> None:
    assert len(shape(name, 12_345)) == 12_345


def test_no_sentence_is_longer_than_the_cap_even_without_full_stops() -> None:
    text = shape("list of names", 20_000) + ". Short one. " + shape("one long word", 3_000)
    spans = list(sentences(text))
    assert all(end - start <= MAX_SENTENCE_CHARS for start, end in spans)
    assert (text.index("Short one."), text.index("Short one.") + len("Short one.")) in spans
    # Nothing but whitespace falls between the pieces.
    covered = "".join(text[s:e] for s, e in spans)
    assert covered.replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_a_normal_sentence_is_not_cut() -> None:
    text = "Baby Liam is doing well. His mum Sarah says thanks!"
    assert list(sentences(text)) == [(0, 24), (25, len(text))]


def test_windows_cover_a_long_text_with_overlap_and_stay_within_the_limit() -> None:
    text = shape("infant age", 95_000)
    spans = windows(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (_s1, e1), (s2, _e2) in itertools.pairwise(spans):
        assert s2 < e1, "consecutive windows overlap"
        assert e1 - s2 <= WINDOW_OVERLAP
    assert all(e - s <= WINDOW_CHARS for s, e in spans)


def test_a_short_text_is_one_window() -> None:
    assert windows("hello") == [(0, 5)]


def test_a_phone_number_deep_in_a_long_post_is_found_at_its_exact_span() -> None:
    filler = shape("hashtags", 34_000)
    post = filler + " call his mum Sarah on 07700 900123 " + filler
    report = postguard.check(post)
    phones = [f for f in report.findings if f.category == "privacy.phone"]
    assert phones, [f.category for f in report.findings]
    for finding in phones:
        assert finding.start is not None and finding.end is not None
        assert post[finding.start : finding.end] == finding.evidence == "07700 900123"


def test_a_detector_that_finds_many_things_stops_and_the_report_says_so() -> None:
    report = postguard.check(shape("care location", 60_000))
    assert any("stopped reading at character" in note for note in report.notes), report.notes
    assert report.decision in ("review", "block")
    assert report.to_dict()["notes"] == list(report.notes)
    locations = [f for f in report.findings if f.category == "privacy.location"]
    assert len({(f.start, f.end) for f in locations}) >= HIT_CAP // 2


def test_when_the_time_budget_runs_out_the_rest_is_skipped_and_the_post_is_not_passed() -> None:
    engine = Engine(load_policy(), budget=0.0)
    text = "Lovely to see so many of you at the group today. " * 1_000
    report = engine.check(make_content(text, account="official"))
    assert any("the time budget of 0 s ran out" in note for note in report.notes)
    assert f"of {len(text):,} characters were checked" in report.notes[-1]
    assert report.decision != "pass"


def test_a_short_post_has_no_notes_and_its_json_has_no_notes_key() -> None:
    report = postguard.check("Lovely to see so many of you at the group today.")
    assert report.notes == ()
    assert "notes" not in report.to_dict()


def test_a_long_harmless_post_read_to_the_end_passes() -> None:
    engine = Engine(load_policy(), budget=float("inf"))
    text = "Lovely to see so many of you at the group today. " * 500
    report = engine.check(make_content(text, account="official"))
    assert report.notes == ()
    assert report.decision == "pass", [f.rule_id for f in report.findings]


def test_the_text_report_says_when_a_post_was_not_fully_checked() -> None:
    from postguard.render import render_text

    content = make_content(shape("care location", 30_000))
    report = postguard.check(content)
    text = render_text(content, report)
    assert "Not fully checked" in text and "stopped reading at character" in text
