"""Scoring the engine on the PII benchmark (:mod:`postguard.pii_bench`).

Matching rule: a predicted span and a gold span *match* when they overlap by
at least half of the shorter of the two (so "ward 4" matches "St Mary's ward
4", and "+44 7700 900123" matches "7700 900123", but a name inside an e-mail
address does not match the address). A gold span is *found* when some
prediction matches it; a prediction is *right* when it matches some gold span.
Recall = found / gold spans, precision = right / predictions, F2 weighs
recall four times as much as precision (a missed identifier costs more than a
second look). Per type, only predictions and gold spans of that type count;
type-agnostic, every prediction against every gold span.

Two things are measured:

- the engine's **privacy findings**: each ``privacy.<type>`` finding is a
  prediction of ``<type>`` (``privacy.health``, ``privacy.quasi_identifier``
  and ``privacy.solicitation`` are not entities and are left out of precision);
  *hard identifiers in privacy findings* is the share of gold phones, e-mails,
  street addresses and identifiers (card, IBAN, SSN and national ids, IP,
  driving licence) that some ``privacy.*`` finding of any category matches;
- the **entity layer** (``report.entities``), when the engine has one.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from postguard.bench_stats import (
    Estimate,
    bootstrap_statistic,
    bootstrap_sums,
    ratio,
    span_rates,
)
from postguard.engine import Engine, Report, make_content
from postguard.pii_bench import TYPES, Sample

#: The entity layer's type names in DESIGN.md's vocabulary (sub-types fold into their type);
#: a name not here (``url``, ``handle``) is kept: it counts type-agnostic, and against no type.
ENTITY_TYPES: dict[str, str] = {
    **{t: t for t in TYPES},
    "birth_date": "date",
    "date_of_birth": "date",
    "dob": "date",
    "care_place": "location",
    "place": "location",
    "hospital": "location",
    "id": "id_number",
    "card": "id_number",
    "iban": "id_number",
    "ssn": "id_number",
    "ip": "id_number",
    "licence": "id_number",
    "license": "id_number",
    "driving_licence": "id_number",
    "nhs": "id_number",
    "medicare": "id_number",
}
Pred = tuple[str, int, int]


def matches(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """The matching rule above: overlap of at least half the shorter span."""
    overlap = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return overlap > 0 and 2 * overlap >= shorter


def _count(gold: Sequence[Pred], predicted: Sequence[Pred]) -> list[float]:
    found = sum(any(matches(g[1:], p[1:]) for p in predicted) for g in gold)
    right = sum(any(matches(p[1:], g[1:]) for g in gold) for p in predicted)
    return [found, len(gold), right, len(predicted)]


def item_counts(sample: Sample, predicted: Sequence[Pred]) -> list[float]:
    """One row per sample: (found, gold, right, predicted) for each type, then type-agnostic."""
    gold = [(s.type, s.start, s.end) for s in sample.spans]
    row: list[float] = []
    for kind in TYPES:
        row += _count([g for g in gold if g[0] == kind], [p for p in predicted if p[0] == kind])
    row += _count(gold, predicted)
    return row


def hard_counts(sample: Sample, covering: Sequence[tuple[int, int]]) -> list[float]:
    """(hard identifiers found by any privacy finding, hard identifiers) for one sample."""
    hard = [(s.start, s.end) for s in sample.spans if s.hard]
    return [sum(any(matches(h, c) for c in covering) for h in hard), len(hard)]


def finding_predictions(report: Report) -> list[Pred]:
    out = []
    for f in report.findings:
        kind = f.category.removeprefix("privacy.")
        if f.category.startswith("privacy.") and kind in TYPES and f.start is not None:
            assert f.end is not None
            out.append((kind, f.start, f.end))
    return out


def privacy_spans(report: Report) -> list[tuple[int, int]]:
    return [
        (f.start, f.end)
        for f in report.findings
        if f.category.startswith("privacy.") and f.start is not None and f.end is not None
    ]


def entity_predictions(report: Report) -> list[Pred] | None:
    """The entity layer's spans, or None when the report has no entity layer."""
    entities = getattr(report, "entities", None)
    if entities is None:
        return None
    return [
        (ENTITY_TYPES.get(str(e.type), str(e.type)), int(e.start), int(e.end)) for e in entities
    ]


def _checker(engine: Engine) -> Callable[[Sequence[Any]], list[Any]]:
    """``check_many`` with the entity layer's findings on every report."""
    return lambda contents: engine.check_many(contents, entities=True)


@dataclass(frozen=True, slots=True)
class PiiResult:
    split: str
    samples: int
    gold_spans: int
    findings: dict[str, dict[str, Estimate]]
    hard_recall: Estimate
    hard_recall_by_type: dict[str, Estimate]
    entities: dict[str, dict[str, Estimate]] | None
    entity_hard_recall: Estimate | None
    texts_per_second: float
    cli_command: str
    p50_ms: float
    p99_ms: Estimate
    misses: list[tuple[str, str, str]]


def _table(rows: list[list[float]]) -> dict[str, dict[str, Estimate]]:
    out: dict[str, dict[str, Estimate]] = {}
    for index, kind in enumerate((*TYPES, "any type")):
        columns = (4 * index, 4 * index + 1, 4 * index + 2, 4 * index + 3)
        if not any(r[columns[1]] or r[columns[3]] for r in rows):
            continue
        out[kind] = {
            name: bootstrap_sums(rows, metric) for name, metric in span_rates(columns).items()
        }
        out[kind]["support"] = Estimate(*(sum(r[columns[1]] for r in rows),) * 3)
    return out


def _recall(rows: list[list[float]]) -> Estimate:
    return bootstrap_sums(rows, lambda s: ratio(s[:, 0], s[:, 1]))


def cli_throughput(samples: Sequence[Sample]) -> tuple[float, str]:
    """Posts per second through ``postguard check --format jsonl`` in a new process,
    start-up included (with ``--entities`` when the command has it), and the command."""
    from postguard.cli import cli

    check = cli.get_command(click.Context(cli), "check")
    options = {opt for p in (check.params if check else ()) for opt in p.opts}
    args = ["check", "--format", "jsonl", "--file"]
    extra = ["--entities"] if "--entities" in options else []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pii.jsonl"
        path.write_text(
            "".join(json.dumps({"id": s.id, "text": s.text}) + "\n" for s in samples), "utf-8"
        )
        started = time.perf_counter()
        command = [sys.executable, "-c", "from postguard.cli import main; main()"]
        done = subprocess.run(
            [*command, *args, str(path), *extra],
            capture_output=True,
            check=False,
        )
        seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"postguard check failed: {done.stderr.decode()[-500:]}")
    return len(samples) / seconds, " ".join(["postguard", *args, "FILE", *extra])


def run(
    split: str,
    samples: Sequence[Sample],
    engine_factory: Callable[[], Engine],
    *,
    cli: bool = True,
) -> PiiResult:
    """Check every sample as a member's public post and score it (see the module's docstring).

    Throughput is measured through the CLI in a new process (``cli=False``: in
    this process, engine construction included)."""
    started = time.perf_counter()
    engine = engine_factory()
    check = _checker(engine)
    contents = [make_content(s.text) for s in samples]
    reports: list[Report] = []
    for offset in range(0, len(contents), 256):
        for result in check(contents[offset : offset + 256]):
            if not isinstance(result, Report):
                raise RuntimeError(f"the engine refused a benchmark sample: {result}")
            reports.append(result)
    rate, command = len(samples) / (time.perf_counter() - started), "in process"
    if cli:
        rate, command = cli_throughput(samples)
    latencies = []
    for content in contents:
        t0 = time.perf_counter()
        check([content])
        latencies.append((time.perf_counter() - t0) * 1000)

    finding_rows, hard_rows, entity_rows, entity_hard = [], [], [], []
    hard_by_type: dict[str, list[list[float]]] = {}
    misses: list[tuple[str, str, str]] = []
    have_entities = True
    for sample, report in zip(samples, reports, strict=True):
        finding_rows.append(item_counts(sample, finding_predictions(report)))
        covering = privacy_spans(report)
        hard_rows.append(hard_counts(sample, covering))
        for span in sample.spans:
            if not span.hard:
                continue
            key = span.subtype or span.type
            hit = any(matches((span.start, span.end), c) for c in covering)
            hard_by_type.setdefault(key, []).append([float(hit), 1.0])
            if not hit:
                misses.append((sample.id, key, sample.text[span.start : span.end]))
        predicted = entity_predictions(report)
        if predicted is None:
            have_entities = False
            continue
        entity_rows.append(item_counts(sample, predicted))
        entity_hard.append(hard_counts(sample, [(p[1], p[2]) for p in predicted]))
    return PiiResult(
        split=split,
        samples=len(samples),
        gold_spans=sum(len(s.spans) for s in samples),
        findings=_table(finding_rows),
        hard_recall=_recall(hard_rows),
        hard_recall_by_type={k: _recall(v) for k, v in sorted(hard_by_type.items())},
        entities=_table(entity_rows) if have_entities and entity_rows else None,
        entity_hard_recall=_recall(entity_hard) if have_entities and entity_hard else None,
        texts_per_second=rate,
        cli_command=command,
        p50_ms=statistics.median(latencies),
        p99_ms=bootstrap_statistic(latencies, lambda a: float(_percentile(a, 99))),
        misses=misses,
    )


def _percentile(values: Any, q: float) -> float:
    import numpy as np

    return float(np.percentile(values, q))


def _rate_table(title: str, table: dict[str, dict[str, Estimate]]) -> list[str]:
    lines = [
        f"| {title} | gold spans | precision | recall | F2 |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, row in table.items():
        name = f"**{kind}**" if kind == "any type" else f"`{kind}`"
        lines.append(
            f"| {name} | {row['support'].value:.0f} | {row['precision'].fmt()} | "
            f"{row['recall'].fmt()} | {row['f2'].fmt()} |"
        )
    return lines


def render(result: PiiResult) -> list[str]:
    out = [
        f"### PII benchmark, {result.split} split ({result.samples} posts, "
        f"{result.gold_spans} labelled spans)",
        "",
        f"Hard identifiers in privacy findings: recall **{result.hard_recall.fmt()}**.",
        "",
        "| hard identifier | recall |",
        "|---|---:|",
        *(f"| `{k}` | {v.fmt()} |" for k, v in result.hard_recall_by_type.items()),
        "",
        *_rate_table("privacy findings, by type", result.findings),
        "",
    ]
    if result.entities is not None and result.entity_hard_recall is not None:
        out += [
            f"Entity layer (`report.entities`): hard identifiers recall "
            f"{result.entity_hard_recall.fmt()}.",
            "",
            *_rate_table("entity layer, by type", result.entities),
            "",
        ]
    else:
        out += ["Entity layer: not in this engine (no `report.entities`).", ""]
    out += [
        f"Speed: {result.texts_per_second:,.0f} posts/s through `{result.cli_command}` "
        "(a new process, start-up included); one post at a time in a warm engine: "
        f"p50 {result.p50_ms:.2f} ms, p99 {result.p99_ms.fmt(2)} ms.",
        "",
    ]
    return out
