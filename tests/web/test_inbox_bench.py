"""`postguard bench-inbox` is honest: held-out figures only with --final, an interval on every
figure, and the public validation split beside the corpus when the data is there."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from postguard.web.inbox import bench
from postguard.web.inbox.bench import bench_inbox

COMMENTS = [
    {"id": "c1", "text": "I don't want to be here anymore, nobody would notice.", "labels": []},
    {"id": "c2", "text": "Thanks for the lovely workshop yesterday!", "labels": []},
    {"id": "c3", "text": "Your helpline never answered, this is a disgrace.", "labels": []},
]
#: A figure with its interval, as the tables print it: "0.50 (0.00–1.00)".
FIGURE = r"\d\.\d\d \(\d\.\d\d–\d\.\d\d\)"


def _project(root: Path, *, test_split: bool = True) -> Path:
    """A project root with a tiny corpus: a dev split, a held-out split, routing reports."""
    corpus = root / "corpus"
    corpus.mkdir()
    lines = "\n".join(json.dumps(c) for c in COMMENTS)
    (corpus / "comments-dev.jsonl").write_text(lines.replace('"c', '"dev-c'), "utf-8")
    if test_split:
        (corpus / "comments-test.jsonl").write_text(lines.replace('"c', '"test-c'), "utf-8")
    (corpus / "community-reports-dev.jsonl").write_text(
        json.dumps({"id": "r1", "text": "Where are the exam dates?", "route": "ordinary"}), "utf-8"
    )
    return root


def _shared(root: Path) -> Path:
    """A stand-in for TweetEval sentiment val: 0 is negative, 1 neutral, 2 positive."""
    folder = root / "shared" / "data" / "tweeteval" / "sentiment"
    folder.mkdir(parents=True)
    (folder / "val_text.txt").write_text(
        "this airline lost my bag again, worst service ever\n"
        "watching the game tonight\n"
        "love this song so much\n",
        "utf-8",
    )
    (folder / "val_labels.txt").write_text("0\n1\n2\n", "utf-8")
    return root / "shared" / "data"


def _invoke(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.chdir(root)
    monkeypatch.delenv(bench.SHARED_DATA_ENV, raising=False)
    return CliRunner().invoke(bench_inbox, list(args))


def test_it_leaves_the_held_out_split_out_without_final(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _invoke(_project(tmp_path), monkeypatch)
    assert result.exit_code == 0, result.output
    assert "corpus/comments-dev.jsonl" in result.stdout
    assert "comments-test.jsonl` (" not in result.stdout
    assert "corpus/comments-test.jsonl is a held-out split" in result.stderr


def test_it_leaves_out_a_held_out_split_named_with_corpus_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    result = _invoke(root, monkeypatch, "--corpus", "corpus/comments-test.jsonl")
    assert result.exit_code == 0, result.output
    assert "| category |" not in result.stdout
    assert "held-out split" in result.stderr


def test_it_prints_the_held_out_split_with_final(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _invoke(_project(tmp_path), monkeypatch, "--final")
    assert result.exit_code == 0, result.output
    assert "### `corpus/comments-test.jsonl` (held out; 3 comments)" in result.stdout
    assert "### `corpus/comments-dev.jsonl` (tuning split, in-sample; 3 comments)" in result.stdout
    assert "held-out split" not in result.stderr
    assert "`postguard bench-inbox --final`" in result.stdout


def test_every_precision_recall_and_f1_has_an_interval(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    result = _invoke(root, monkeypatch, "--final", "--shared-data", str(_shared(root)))
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ")]
    table_rows = [r for r in rows if not r.startswith(("| category", "| route", "| class"))]
    # six categories and "ordinary" per split, four routes, one public row
    assert len(table_rows) == 2 * 7 + 4 + 1
    for row in table_rows:
        assert len(re.findall(FIGURE, row)) == 3, row
    assert re.search(r"exactly right: \d\.\d{3} \(\d\.\d{3}–\d\.\d{3}\)", result.stdout)


def test_the_interval_is_a_bootstrap_over_items() -> None:
    # 8 of 10 found, no false positives: recall 0.8 with an interval around it, precision 1.
    row = bench._row("x", [(True, True)] * 8 + [(True, False)] * 2)
    recall = row.interval("recall")
    assert recall.value == pytest.approx(0.8)
    assert recall.low < 0.8 < recall.high
    assert row.interval("precision").fmt(2) == "1.00 (1.00–1.00)"
    assert row.interval("f1").value == pytest.approx(row.f1)


def test_it_reports_the_public_negative_split_as_inbound_comments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    result = _invoke(root, monkeypatch, "--shared-data", str(_shared(root)))
    assert result.exit_code == 0, result.output
    assert "### Public validation: negative comments (TweetEval sentiment `val`, 3 tweets)" in (
        result.stdout
    )
    line = next(x for x in result.stdout.splitlines() if x.startswith("| negative ("))
    assert "| 1 |" in line  # one negative tweet of three


def test_it_finds_the_public_data_through_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    data = _shared(root)
    monkeypatch.chdir(root)
    monkeypatch.setenv(bench.SHARED_DATA_ENV, str(data))
    result = CliRunner().invoke(bench_inbox, [])
    assert result.exit_code == 0, result.output
    assert "Public validation" in result.stdout


def test_it_finds_the_public_data_beside_the_project_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _shared(tmp_path)  # tmp_path/shared/data, i.e. ../shared/data from tmp_path/project
    project = tmp_path / "project"
    project.mkdir()
    result = _invoke(_project(project), monkeypatch)
    assert result.exit_code == 0, result.output
    assert "Public validation" in result.stdout


def test_it_skips_the_public_split_with_one_line_when_the_data_is_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    result = _invoke(root, monkeypatch, "--shared-data", str(tmp_path / "nowhere"))
    assert result.exit_code == 0, result.output
    assert "Public validation" not in result.stdout
    skipped = [x for x in result.stderr.splitlines() if "public validation skipped" in x]
    assert len(skipped) == 1


def test_it_refuses_mismatched_public_labels_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    data = _shared(root)
    (data / "tweeteval" / "sentiment" / "val_labels.txt").write_text("0\n1\n", "utf-8")
    result = _invoke(root, monkeypatch, "--shared-data", str(data))
    assert result.exit_code == 1
    assert "3 texts but 2 labels" in result.stderr
    assert "Traceback" not in result.output


def test_write_replaces_only_its_own_section(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    doc = root / "benchmarks.md"
    doc.write_text(
        f"# Benchmarks\n\nengine figures\n\n{bench.START}\nold inbox figures\n{bench.END}\n\n"
        "## PII benchmark\n\npii figures\n",
        "utf-8",
    )
    result = _invoke(root, monkeypatch, "--final", "--write", str(doc))
    assert result.exit_code == 0, result.output
    text = doc.read_text("utf-8")
    assert "old inbox figures" not in text
    assert text.startswith("# Benchmarks\n\nengine figures\n\n")
    assert text.endswith(f"{bench.END}\n\n## PII benchmark\n\npii figures\n")
    assert "(held out; 3 comments)" in text
