"""`postguard bench`: accuracy per category and speed, on the labelled corpus,
and span-level accuracy on the generated PII benchmark.

Accuracy on the corpus is item-level: an item counts as positive for a
category when the corpus labels it so, and as predicted when the report has a
finding of that category. Speed is measured in this one process on one
thread: batch throughput (items/s) and single-check latency (p50, p99), for
short posts and for 5,000-character posts. The PII benchmark
(:mod:`postguard.pii_bench`, scored by :mod:`postguard.pii_score`) needs Faker.

Held-out figures (the ``corpus/*-test`` splits and the PII held-out split) are
printed only with ``--final``. Every figure carries a 95 % percentile-bootstrap
interval over items (:mod:`postguard.bench_stats`). Figures are printed as
Markdown and, with --write, put into docs/benchmarks.md between the engine
markers and the PII markers.
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from postguard.bench_stats import Estimate, bootstrap_statistic, bootstrap_sums, item_rates, ratio
from postguard.content import Content, ContentError
from postguard.engine import Engine, Report, make_content
from postguard.policy.loader import load_policy
from postguard.policy.schema import CATEGORIES

START = "<!-- engine-benchmark:start -->"
END = "<!-- engine-benchmark:end -->"
PII_START = "<!-- pii-benchmark:start -->"
PII_END = "<!-- pii-benchmark:end -->"
LONG_CHARS = 5000
SHORT_CHARS = 280


@dataclass
class Item:
    id: str
    content: Content
    labels: frozenset[str]


def load_corpus(path: str) -> list[Item]:
    items = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise click.ClickException(f"cannot read corpus {path}: {exc.strerror or exc}") from None
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
            labels = frozenset(obj.get("labels", []))
            unknown = labels - CATEGORIES
            if unknown:
                raise ValueError(f"unknown label {sorted(unknown)[0]}")
            content = make_content(
                obj["text"],
                account=obj.get("account", "personal"),
                kind=obj.get("kind", "post"),
                audience=obj.get("audience", "public"),
                direction=obj.get("direction", "outbound"),
            )
        except (ValueError, KeyError, ContentError) as exc:
            raise click.ClickException(f"{path}:{number}: {exc}") from None
        items.append(Item(str(obj.get("id", number)), content, labels))
    return items


class Rates:
    """Precision, recall and F1 from ``tp``/``fp``/``fn`` (1.0 when there is nothing to count).

    Shared by the engine's benchmark and the inbox's triage benchmark.
    """

    __slots__ = ()
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Counts(Rates):
    tp: int = 0
    fp: int = 0
    fn: int = 0


@dataclass
class Scored:
    """Counts per category and family, and per item (for the bootstrap intervals)."""

    per_category: dict[str, Counts]
    per_family: dict[str, Counts]
    overall: dict[str, float]
    #: name -> one (tp, fp, fn) row per item
    category_rows: dict[str, list[tuple[int, int, int]]]
    family_rows: dict[str, list[tuple[int, int, int]]]
    #: "violating items flagged" / "compliant items passed" -> one (hit, total) row per item
    overall_rows: dict[str, list[tuple[int, int]]]

    def interval(self, name: str, metric: str, *, family: bool = False) -> Estimate:
        rows = (self.family_rows if family else self.category_rows)[name]
        return bootstrap_sums(rows, item_rates((0, 1, 2))[metric])

    def overall_interval(self, name: str) -> Estimate:
        return bootstrap_sums(self.overall_rows[name], lambda s: ratio(s[:, 0], s[:, 1]))


def _rows(
    pairs: Sequence[tuple[set[str] | frozenset[str], set[str]]],
) -> tuple[dict[str, Counts], dict[str, list[tuple[int, int, int]]]]:
    """Counts per name and one (tp, fp, fn) row per item, from (truth, predicted) pairs."""
    names = sorted({n for truth, predicted in pairs for n in truth | predicted})
    counts: dict[str, Counts] = {}
    rows: dict[str, list[tuple[int, int, int]]] = {}
    for name in names:
        rows[name] = [
            (
                int(name in t and name in p),
                int(name in p and name not in t),
                int(name in t and name not in p),
            )
            for t, p in pairs
        ]
        counts[name] = Counts(*(sum(column) for column in zip(*rows[name], strict=True)))
    return counts, rows


def score(items: Sequence[Item], reports: Sequence[Report]) -> Scored:
    categories: list[tuple[set[str] | frozenset[str], set[str]]] = []
    families: list[tuple[set[str] | frozenset[str], set[str]]] = []
    flagged: list[tuple[int, int]] = []
    passed: list[tuple[int, int]] = []
    for item, report in zip(items, reports, strict=True):
        predicted = report.categories & CATEGORIES
        categories.append((item.labels, predicted))
        families.append(
            ({c.split(".")[0] for c in item.labels}, {c.split(".")[0] for c in predicted})
        )
        if item.labels:
            flagged.append((int(bool(predicted & item.labels)), 1))
            passed.append((0, 0))
        else:
            passed.append((int(report.decision == "pass"), 1))
            flagged.append((0, 0))
    per_category, category_rows = _rows(categories)
    per_family, family_rows = _rows(families)
    violating = sum(t for _, t in flagged)
    compliant = sum(t for _, t in passed)
    overall = {
        "violating items flagged": sum(h for h, _ in flagged) / violating if violating else 1.0,
        "compliant items passed": sum(h for h, _ in passed) / compliant if compliant else 1.0,
    }
    return Scored(
        per_category,
        per_family,
        overall,
        category_rows,
        family_rows,
        {"violating items flagged": flagged, "compliant items passed": passed},
    )


def held_out(path: str) -> bool:
    """Whether a corpus file is a held-out split (``*-test.jsonl``)."""
    return Path(path).name.endswith("-test.jsonl")


def _throughput(engine: Engine, contents: Sequence[Content], seconds: float) -> Estimate:
    """Posts per second, with an interval from the batches' timings."""
    batches: list[tuple[float, float]] = []
    start = time.perf_counter()
    while True:
        for offset in range(0, len(contents), 256):
            t0 = time.perf_counter()
            chunk = contents[offset : offset + 256]
            engine.check_many(chunk)
            batches.append((len(chunk), time.perf_counter() - t0))
        if time.perf_counter() - start >= seconds:
            return bootstrap_sums(batches, lambda s: s[:, 0] / s[:, 1])


def _p99(values: Any) -> float:
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))])


def _latency(engine: Engine, contents: Sequence[Content], calls: int) -> tuple[Estimate, Estimate]:
    samples = []
    for index in range(calls):
        content = contents[index % len(contents)]
        start = time.perf_counter()
        engine.check(content)
        samples.append((time.perf_counter() - start) * 1000)
    return (
        bootstrap_statistic(samples, lambda a: float(statistics.median(a))),
        bootstrap_statistic(samples, _p99),
    )


def _long_posts(items: Sequence[Item], count: int) -> list[Content]:
    texts = [i.content.text for i in items if i.content.context.direction == "outbound"]
    posts = []
    cursor = 0
    for _ in range(count):
        parts: list[str] = []
        length = 0
        while length < LONG_CHARS:
            text = texts[cursor % len(texts)]
            cursor += 1
            parts.append(text)
            length += len(text) + 2
        posts.append(make_content("\n\n".join(parts)[:LONG_CHARS], account="official"))
    return posts


def _table(title: str, counts: dict[str, Counts], scored: Scored, *, family: bool) -> list[str]:
    lines = [
        f"| {title} | support | precision (95 % CI) | recall (95 % CI) | F1 (95 % CI) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in sorted(counts):
        c = counts[name]
        p, r, f = (scored.interval(name, m, family=family) for m in ("precision", "recall", "f1"))
        lines.append(f"| `{name}` | {c.tp + c.fn} | {p.fmt()} | {r.fmt()} | {f.fmt()} |")
    return lines


def run_bench(
    corpora: Sequence[str],
    seconds: float,
    write_to: str | None,
    *,
    final: bool = False,
    pii_samples: int = 1000,
) -> None:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        _run(corpora, seconds, write_to, final, pii_samples)


def _command(write_to: str | None, final: bool) -> str:
    return (
        "postguard bench"
        + (" --final" if final else "")
        + (f" --write {write_to}" if write_to else "")
    )


def _run(
    corpora: Sequence[str], seconds: float, write_to: str | None, final: bool, pii_samples: int
) -> None:
    shown = [c for c in corpora if final or not held_out(c)]
    for path in corpora:
        if path not in shown:
            click.echo(
                f"{path} is a held-out split: its figures are printed with --final", err=True
            )
    t0 = time.perf_counter()
    engine = Engine(load_policy())
    engine.check(make_content("warm-up post about feeding"))
    startup = time.perf_counter() - t0
    out: list[str] = []
    all_items: list[Item] = []
    for path in shown:
        items = load_corpus(path)
        all_items.extend(items)
        results = engine.check_many([i.content for i in items])
        reports = []
        for item, result in zip(items, results, strict=True):
            if isinstance(result, ContentError):
                raise click.ClickException(f"{path}: item {item.id}: {result}")
            reports.append(result)
        scored = score(items, reports)
        flagged = scored.overall_interval("violating items flagged")
        passed = scored.overall_interval("compliant items passed")
        out += [f"### Accuracy on `{path}` ({len(items)} items)", ""]
        out += [
            f"Violating items with at least one correct finding: {flagged.fmt()}; "
            f"compliant items that pass: {passed.fmt()}.",
            "",
        ]
        out += [*_table("family (item-level)", scored.per_family, scored, family=True), ""]
        out += [*_table("category", scored.per_category, scored, family=False), ""]
    if all_items:
        out += _speed(engine, all_items, seconds, startup)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    header = [
        f"Measured {stamp} on {platform.machine()} / Python {platform.python_version()}"
        f" by `{_command(write_to, final)}`. Intervals: 95 % percentile bootstrap over items "
        "(1,000 resamples, fixed seed).",
        "",
    ]
    text = "\n".join(header + out)
    click.echo(text)
    pii = _pii(final, pii_samples)
    if pii is not None:
        pii_text = "\n".join(header + pii)
        click.echo(pii_text)
    if write_to:
        _write(Path(write_to), text)
        if pii is not None:
            _write(Path(write_to), pii_text, PII_START, PII_END, "## PII benchmark")
        click.echo(f"wrote {write_to}")


def _speed(engine: Engine, items: Sequence[Item], seconds: float, startup: float) -> list[str]:
    short = [i.content for i in items if len(i.content.text) <= SHORT_CHARS]
    long = _long_posts(items, 50)
    short_tput = _throughput(engine, short, seconds)
    long_tput = _throughput(engine, long, seconds)
    short_p50, short_p99 = _latency(engine, short, 3000)
    long_p50, long_p99 = _latency(engine, long, 300)
    mean_short = statistics.mean(len(c.text) for c in short)
    return [
        "### Speed (one process, one thread)",
        "",
        "| workload | batch throughput (posts/s) | single-check p50 (ms) | single-check p99 (ms) |",
        "|---|---:|---:|---:|",
        f"| short posts (≤{SHORT_CHARS} chars, mean {mean_short:.0f}; n={len(short)}) | "
        f"{short_tput.fmt(0)} | {short_p50.fmt(2)} | {short_p99.fmt(2)} |",
        f"| long posts ({LONG_CHARS:,} chars) | {long_tput.fmt(0)} | "
        f"{long_p50.fmt(2)} | {long_p99.fmt(2)} |",
        "",
        f"Engine start-up (load packs, build detectors, first check): {startup:.2f} s. "
        f"Rules: {len(list(engine.policy.rules()))}; every default detector on.",
        "",
    ]


def _pii(final: bool, size: int) -> list[str] | None:
    """The PII benchmark's section, or None (with one line on stderr) without Faker."""
    from postguard import pii_score
    from postguard.pii_bench import SPLITS, FakerMissing, generate

    out = [
        "Posts generated by Faker from the project's templates "
        f"(`postguard.pii_bench`, {size} per split, seeds fixed); matching rule and "
        "hard identifiers in `postguard.pii_score`.",
        "",
    ]
    for split, seed in SPLITS.items():
        if split != "dev" and not final:
            click.echo(f"PII {split} split: its figures are printed with --final", err=True)
            continue
        try:
            samples = generate(seed, size)
        except FakerMissing as exc:
            click.echo(f"postguard bench: PII benchmark skipped: {exc}", err=True)
            return None
        result = pii_score.run(split, samples, lambda: Engine(load_policy()))
        out += pii_score.render(result)
    return out


def _write(
    path: Path, text: str, start: str = START, end: str = END, heading: str = "## Policy engine"
) -> None:
    block = f"{start}\n{text}\n{end}"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if start in current and end in current:
        head, _, rest = current.partition(start)
        _, _, tail = rest.partition(end)
        current = head + block + tail
    else:
        current = current.rstrip() + f"\n\n{heading}\n\n" + block + "\n"
    path.write_text(current, encoding="utf-8")
