"""`postguard bench`: the PII benchmark's generation and scoring, the bootstrap
intervals, held-out figures only with --final, and writing docs/benchmarks.md."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from postguard import bench, pii_score
from postguard.bench_stats import bootstrap_statistic, bootstrap_sums, item_rates, span_rates
from postguard.engine import Engine, Report
from postguard.pii_bench import (
    DEV_SEED,
    HELD_OUT_SEED,
    LOCALES,
    NEGATIVE_TEMPLATES,
    TYPES,
    FakerMissing,
    Sample,
    Span,
    generate,
)
from postguard.policy.loader import load_policy

pytest.importorskip("faker")


@pytest.fixture(scope="module")
def dev() -> list[Sample]:
    return generate(DEV_SEED, 400)


def test_the_same_seed_gives_the_same_posts_and_another_seed_other_posts(
    dev: list[Sample],
) -> None:
    assert generate(DEV_SEED, 400) == dev
    held_out = generate(HELD_OUT_SEED, 400)
    assert {s.text for s in held_out} != {s.text for s in dev}


def test_every_span_points_at_a_trimmed_value_of_a_known_type(dev: list[Sample]) -> None:
    for sample in dev:
        for span in sample.spans:
            value = sample.text[span.start : span.end]
            assert value and value == value.strip(), (sample.id, span)
            assert span.type in TYPES


def test_the_set_covers_every_type_every_locale_and_posts_without_personal_data(
    dev: list[Sample],
) -> None:
    assert {span.type for s in dev for span in s.spans} == set(TYPES)
    assert {s.locale for s in dev} == set(LOCALES)
    negatives = [s for s in dev if s.template.startswith("none-")]
    assert 0.1 * len(dev) < len(negatives) < 0.3 * len(dev)
    assert all(not s.spans for s in negatives)
    assert {s.template.split("-")[0] for s in dev} >= {"en", "es", "fr", "pt", "de", "tl"}


def test_the_look_alikes_include_a_doi_an_isbn_and_the_associations_helpline() -> None:
    joined = " ".join(NEGATIVE_TEMPLATES)
    assert "S0140-6736(15)01024-7" in joined
    assert "ISBN" in joined and "helpline" in joined


def test_generation_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    generate(DEV_SEED, 60)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 10), (0, 10), True),
        ((0, 10), (4, 10), True),  # the shorter is wholly inside
        ((0, 10), (8, 20), False),  # 2 of the shorter's 10 characters
        ((0, 4), (2, 30), True),  # half of the shorter
        ((0, 5), (5, 9), False),  # touching is not overlapping
    ],
)
def test_spans_match_when_they_overlap_by_half_the_shorter(
    a: tuple[int, int], b: tuple[int, int], expected: bool
) -> None:
    assert pii_score.matches(a, b) is expected
    assert pii_score.matches(b, a) is expected


def test_item_counts_score_per_type_and_type_agnostic() -> None:
    sample = Sample(
        "x", "en_GB", "en-00", "call Ann on 0123", (Span("person", 5, 8), Span("phone", 12, 16))
    )
    row = pii_score.item_counts(sample, [("person", 5, 8), ("location", 12, 16)])
    by_type = {t: row[4 * i : 4 * i + 4] for i, t in enumerate((*TYPES, "any"))}
    assert by_type["person"] == [1, 1, 1, 1]
    assert by_type["phone"] == [0, 1, 0, 0]
    assert by_type["location"] == [0, 0, 0, 1]
    assert by_type["any"] == [2, 2, 2, 2]


def test_bootstrap_intervals_are_reproducible_and_contain_the_figure() -> None:
    rows = [(1, 0, 0)] * 80 + [(0, 1, 0)] * 10 + [(0, 0, 1)] * 10
    metric = item_rates((0, 1, 2))["precision"]
    first = bootstrap_sums(rows, metric)
    assert first == bootstrap_sums(rows, metric)
    assert first.value == pytest.approx(80 / 90)
    assert first.low < first.value < first.high
    assert bootstrap_sums(rows * 10, metric).high - bootstrap_sums(rows * 10, metric).low < (
        first.high - first.low
    )


def test_a_perfect_score_has_a_point_interval() -> None:
    est = bootstrap_sums([(1, 1, 1, 1)] * 20, span_rates((0, 1, 2, 3))["f2"])
    assert (est.value, est.low, est.high) == (1.0, 1.0, 1.0)


def test_a_percentile_has_an_interval_too() -> None:
    est = bootstrap_statistic(list(range(100)), lambda a: float(max(a)))
    assert est.value == 99 and est.low <= 99 and est.high == 99


def test_the_bench_scores_privacy_findings_on_the_pii_set(dev: list[Sample]) -> None:
    result = pii_score.run("dev", dev[:60], lambda: Engine(load_policy()), cli=False)
    assert result.samples == 60
    assert "any type" in result.findings
    assert 0.0 <= result.hard_recall.low <= result.hard_recall.value <= result.hard_recall.high
    assert result.texts_per_second > 0
    assert result.entities is not None and "any type" in result.entities
    text = "\n".join(pii_score.render(result))
    assert "Hard identifiers in privacy findings: recall" in text
    assert "Entity layer (`report.entities`): hard identifiers recall" in text


def test_throughput_is_measured_through_the_cli_in_a_new_process(dev: list[Sample]) -> None:
    rate, command = pii_score.cli_throughput(dev[:20])
    assert rate > 0
    assert command.startswith("postguard check --format jsonl --file FILE")


@dataclasses.dataclass(frozen=True, slots=True)
class _Entity:
    type: str
    start: int
    end: int
    score: float = 1.0
    recognizer: str = "test"


@dataclasses.dataclass(frozen=True, slots=True)
class _EntityReport(Report):
    entities: tuple[_Entity, ...] = ()


class _EntityEngine:
    """An engine whose reports carry an entity layer that finds exactly the gold spans."""

    def __init__(self, samples: Sequence[Sample]) -> None:
        self.gold = {s.text: s.spans for s in samples}

    def check_many(self, contents: Sequence[Any], *, entities: bool = False) -> list[Any]:
        assert entities
        names = {"location": "care_place", "id_number": "iban"}
        return [
            _EntityReport(
                (),
                "pass",
                (),
                tuple(
                    _Entity(names.get(s.type, s.type), s.start, s.end) for s in self.gold[c.text]
                ),
            )
            for c in contents
        ]


def test_the_entity_layer_is_measured_when_reports_carry_entities(dev: list[Sample]) -> None:
    samples = dev[:40]
    engine: Any = _EntityEngine(samples)
    result = pii_score.run("dev", samples, lambda: engine, cli=False)
    assert result.entities is not None and result.entity_hard_recall is not None
    assert result.entities["any type"]["f2"].value == 1.0
    assert result.entities["location"]["recall"].value == 1.0  # care_place is a location
    assert result.entity_hard_recall.value == 1.0
    assert "Entity layer (`report.entities`)" in "\n".join(pii_score.render(result))


def test_held_out_splits_are_recognised_by_name() -> None:
    assert bench.held_out("corpus/posts-test.jsonl")
    assert not bench.held_out("corpus/posts-dev2.jsonl")


def test_without_final_the_pii_section_has_the_dev_split_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    lines = bench._pii(final=False, size=30)
    assert lines is not None
    text = "\n".join(lines)
    assert "dev split" in text and "held-out split" not in text
    assert "printed with --final" in capsys.readouterr().err


def test_with_final_the_pii_section_has_the_held_out_split() -> None:
    lines = bench._pii(final=True, size=30)
    assert lines is not None and "held-out split" in "\n".join(lines)


def test_without_faker_the_bench_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def missing(*_: Any) -> list[Sample]:
        raise FakerMissing("the PII benchmark needs Faker: pip install faker==40.63.0")

    monkeypatch.setattr("postguard.pii_bench.generate", missing)
    assert bench._pii(final=False, size=30) is None
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("postguard bench: PII benchmark skipped: ")
    assert "Traceback" not in "\n".join(err)


def test_corpus_scores_give_counts_and_matching_per_item_rows() -> None:
    items = bench.load_corpus("corpus/posts-dev.jsonl")[:80]
    engine = Engine(load_policy())
    reports = [r for r in engine.check_many([i.content for i in items]) if isinstance(r, Report)]
    scored = bench.score(items, reports)
    for name, counts in scored.per_category.items():
        rows = scored.category_rows[name]
        assert len(rows) == len(items)
        assert (counts.tp, counts.fp, counts.fn) == tuple(sum(c) for c in zip(*rows, strict=True))
        est = scored.interval(name, "recall")
        assert est.value == pytest.approx(counts.recall)


def test_writing_replaces_only_its_own_section(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text(
        f"# Benchmarks\n\nintro\n\n{bench.START}\nold engine\n{bench.END}\n\nafter\n", "utf-8"
    )
    bench._write(doc, "new engine")
    bench._write(doc, "pii one", bench.PII_START, bench.PII_END, "## PII benchmark")
    bench._write(doc, "pii two", bench.PII_START, bench.PII_END, "## PII benchmark")
    text = doc.read_text("utf-8")
    assert "old engine" not in text and "new engine" in text and "after" in text
    assert "pii one" not in text and text.count("pii two") == 1
    assert text.count("## PII benchmark") == 1
