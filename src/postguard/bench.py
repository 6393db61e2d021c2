"""`postguard bench`: accuracy per category and speed, on the labelled corpus.

Accuracy is item-level: an item counts as positive for a category when the
corpus labels it so, and as predicted when the report has a finding of that
category. Speed is measured in this one process on one thread: batch
throughput (items/s) and single-check latency (p50, p99), for short posts
and for 5,000-character posts. Figures are printed as Markdown and, with
--write, put into docs/benchmarks.md between the engine markers.
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

import click

from postguard.content import Content, ContentError
from postguard.engine import Engine, Report, make_content
from postguard.policy.loader import load_policy
from postguard.policy.schema import CATEGORIES

START = "<!-- engine-benchmark:start -->"
END = "<!-- engine-benchmark:end -->"
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


def score(
    items: Sequence[Item], reports: Sequence[Report]
) -> tuple[dict[str, Counts], dict[str, Counts], dict[str, float]]:
    per_category: dict[str, Counts] = {}
    per_family: dict[str, Counts] = {}
    passed_compliant = flagged_violating = compliant = violating = 0
    for item, report in zip(items, reports, strict=True):
        predicted = report.categories & CATEGORIES
        for category in item.labels | predicted:
            counts = per_category.setdefault(category, Counts())
            if category in item.labels and category in predicted:
                counts.tp += 1
            elif category in predicted:
                counts.fp += 1
            else:
                counts.fn += 1
        families_true = {c.split(".")[0] for c in item.labels}
        families_pred = {c.split(".")[0] for c in predicted}
        for family in families_true | families_pred:
            counts = per_family.setdefault(family, Counts())
            if family in families_true and family in families_pred:
                counts.tp += 1
            elif family in families_pred:
                counts.fp += 1
            else:
                counts.fn += 1
        if item.labels:
            violating += 1
            flagged_violating += bool(predicted & item.labels)
        else:
            compliant += 1
            passed_compliant += report.decision == "pass"
    overall = {
        "violating items flagged": flagged_violating / violating if violating else 1.0,
        "compliant items passed": passed_compliant / compliant if compliant else 1.0,
    }
    return per_category, per_family, overall


def _throughput(engine: Engine, contents: Sequence[Content], seconds: float) -> float:
    done = 0
    start = time.perf_counter()
    while True:
        for offset in range(0, len(contents), 256):
            engine.check_many(contents[offset : offset + 256])
        done += len(contents)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def _latency(engine: Engine, contents: Sequence[Content], calls: int) -> tuple[float, float]:
    samples = []
    for index in range(calls):
        content = contents[index % len(contents)]
        start = time.perf_counter()
        engine.check(content)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    return statistics.median(samples), p99


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


def _table(title: str, counts: dict[str, Counts]) -> list[str]:
    lines = [f"| {title} | support | precision | recall | F1 |", "|---|---:|---:|---:|---:|"]
    for name in sorted(counts):
        c = counts[name]
        lines.append(
            f"| `{name}` | {c.tp + c.fn} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} |"
        )
    return lines


def run_bench(corpora: Sequence[str], seconds: float, write_to: str | None) -> None:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        _run(corpora, seconds, write_to)


def _run(corpora: Sequence[str], seconds: float, write_to: str | None) -> None:
    t0 = time.perf_counter()
    engine = Engine(load_policy())
    engine.check(make_content("warm-up post about feeding"))
    startup = time.perf_counter() - t0
    out: list[str] = []
    all_items: list[Item] = []
    for path in corpora:
        items = load_corpus(path)
        all_items.extend(items)
        results = engine.check_many([i.content for i in items])
        reports = []
        for item, result in zip(items, results, strict=True):
            if isinstance(result, ContentError):
                raise click.ClickException(f"{path}: item {item.id}: {result}")
            reports.append(result)
        per_category, per_family, overall = score(items, reports)
        out += [f"### Accuracy on `{path}` ({len(items)} items)", ""]
        out += [
            "Violating items with at least one correct finding: "
            f"{overall['violating items flagged']:.3f}; "
            f"compliant items that pass: {overall['compliant items passed']:.3f}.",
            "",
        ]
        out += [*_table("family (item-level)", per_family), ""]
        out += [*_table("category", per_category), ""]
    short = [i.content for i in all_items if len(i.content.text) <= SHORT_CHARS]
    long = _long_posts(all_items, 50)
    short_tput = _throughput(engine, short, seconds)
    long_tput = _throughput(engine, long, seconds)
    short_p50, short_p99 = _latency(engine, short, 3000)
    long_p50, long_p99 = _latency(engine, long, 300)
    mean_short = statistics.mean(len(c.text) for c in short)
    out += [
        "### Speed (one process, one thread)",
        "",
        "| workload | batch throughput | single-check p50 | single-check p99 |",
        "|---|---:|---:|---:|",
        f"| short posts (≤{SHORT_CHARS} chars, mean {mean_short:.0f}; n={len(short)}) | "
        f"{short_tput:,.0f} posts/s | {short_p50:.2f} ms | {short_p99:.2f} ms |",
        f"| long posts ({LONG_CHARS:,} chars) | {long_tput:,.0f} posts/s | "
        f"{long_p50:.2f} ms | {long_p99:.2f} ms |",
        "",
        f"Engine start-up (load packs, build detectors, first check): {startup:.2f} s. "
        f"Rules: {len(list(engine.policy.rules()))}; every default detector on.",
        "",
    ]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    header = [
        f"Measured {stamp} on {platform.machine()} / Python {platform.python_version()}"
        f" by `postguard bench{' --write ' + write_to if write_to else ''}`.",
        "",
    ]
    text = "\n".join(header + out)
    click.echo(text)
    if write_to:
        _write(Path(write_to), text)
        click.echo(f"wrote {write_to}")


def _write(path: Path, text: str) -> None:
    block = f"{START}\n{text}\n{END}"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if START in current and END in current:
        head, _, rest = current.partition(START)
        _, _, tail = rest.partition(END)
        current = head + block + tail
    else:
        current = current.rstrip() + "\n\n## Policy engine\n\n" + block + "\n"
    path.write_text(current, encoding="utf-8")
