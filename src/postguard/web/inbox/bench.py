"""`postguard bench-inbox`: how well the inbox's triage classifies inbound comments.

Runs the triage (the engine's signal, clinical, harassment and privacy
categories, as the inbox uses them) on the labelled comments in
``corpus/comments-*.jsonl`` (``comments-dev`` for tuning, ``comments-test`` held
out) and prints precision and recall per category, the
ordinary comments left alone, and how often the priority is right. With
``--write`` the figures go into ``docs/benchmarks.md`` between the
``inbox-benchmark`` markers. No Django needed.
"""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from postguard.bench import Rates
from postguard.web.inbox import triage

START = "<!-- inbox-benchmark:start -->"
END = "<!-- inbox-benchmark:end -->"
CORPUS_GLOB = "comments-*.jsonl"
DEFAULT_DOC = Path("docs/benchmarks.md")
#: The issue's target on the project's set.
TARGETS = {triage.CRISIS: 0.90, triage.CONSULT: 0.90}


@dataclass(frozen=True, slots=True)
class Row(Rates):
    name: str
    support: int
    tp: int
    fp: int
    fn: int


@dataclass(frozen=True, slots=True)
class Result:
    items: int
    rows: list[Row]
    priority_exact: float
    priority_under: int
    seconds: float
    misses: dict[str, list[str]]


def load(path: Path) -> list[dict[str, object]]:
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"{path}:{number}: not JSON: {exc}") from None
        if not isinstance(row, dict) or "text" not in row or "labels" not in row:
            raise click.ClickException(f"{path}:{number}: needs text and labels")
        rows.append(row)
    return rows


def load_routing(path: Path) -> list[dict[str, object]]:
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"{path}:{number}: not JSON: {exc}") from None
        if not isinstance(row, dict) or "text" not in row or "route" not in row:
            raise click.ClickException(f"{path}:{number}: needs text and route")
        rows.append(row)
    return rows


def _triage_labels(labels: object) -> set[str]:
    """The corpus's labels in the inbox's vocabulary: any ``privacy.*`` category is a
    privacy breach by the commenter; labels the inbox does not triage are ignored."""
    if not isinstance(labels, list):
        raise click.ClickException("labels must be a list")
    mapped = {"privacy" if str(label).startswith("privacy.") else str(label) for label in labels}
    return mapped & set(triage.CATEGORIES)


def run(rows: list[dict[str, object]]) -> Result:
    started = time.perf_counter()
    verdicts = triage.triage_many([str(r["text"]) for r in rows])
    seconds = time.perf_counter() - started
    expected = [_triage_labels(r["labels"]) for r in rows]
    got = [set(v.categories) for v in verdicts]
    out = []
    misses: dict[str, list[str]] = {}
    for category in (*triage.CATEGORIES, "ordinary"):
        tp = fp = fn = 0
        for row, want, have in zip(rows, expected, got, strict=True):
            w = not want if category == "ordinary" else category in want
            h = not have if category == "ordinary" else category in have
            tp += w and h
            fp += h and not w
            fn += w and not h
            if w and not h:
                misses.setdefault(category, []).append(str(row["id"]))
        out.append(
            Row(
                category,
                sum(1 for w in expected if (not w if category == "ordinary" else category in w)),
                tp,
                fp,
                fn,
            )
        )
    want_priority = [triage.priority_of(w) for w in expected]
    have_priority = [v.priority for v in verdicts]
    exact = sum(a == b for a, b in zip(want_priority, have_priority, strict=True)) / len(rows)
    under = sum(b < a for a, b in zip(want_priority, have_priority, strict=True))
    return Result(len(rows), out, exact, under, seconds, misses)


ROUTING_GLOB = "community-reports-*.jsonl"


def run_routing(rows: list[dict[str, object]]) -> tuple[list[Row], float, dict[str, list[str]]]:
    """Precision and recall of the communities' routing (peer dispute, complaint about the
    care of a client, crisis, ordinary) on reports labelled with ``route``."""
    from postguard.web.communities import routing

    for row in rows:
        if row.get("route") not in routing.ROUTES:
            raise click.ClickException(f"{row.get('id')}: route must be one of {routing.ROUTES}")
    started = time.perf_counter()
    got = [r.route for r in routing.route_many([str(row["text"]) for row in rows])]
    seconds = time.perf_counter() - started
    out = []
    misses: dict[str, list[str]] = {}
    for name in routing.ROUTES:
        tp = sum(1 for row, g in zip(rows, got, strict=True) if row["route"] == name == g)
        fp = sum(1 for row, g in zip(rows, got, strict=True) if g == name != row["route"])
        fn = sum(1 for row, g in zip(rows, got, strict=True) if row["route"] == name != g)
        misses[name] = [
            str(row["id"]) for row, g in zip(rows, got, strict=True) if row["route"] == name != g
        ]
        out.append(Row(name, sum(1 for row in rows if row["route"] == name), tp, fp, fn))
    return out, seconds, {k: v for k, v in misses.items() if v}


def render_routing(rows: list[Row], seconds: float, items: int, corpus: str) -> str:
    lines = [
        f"Command: `postguard bench-inbox` (routing part) on `{corpus}` — {items} reports to "
        "a community, written for the project (so the figures flatter the cues they were "
        "written beside; a held-out set is still to come).",
        "",
        "| route | support | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| `{row.name}` | {row.support} | {row.precision:.2f} | {row.recall:.2f} | "
            f"{row.f1:.2f} |"
        )
    lines += ["", f"Routing time: {seconds * 1000 / max(items, 1):.2f} ms per report (batched)."]
    return "\n".join(lines)


def render(result: Result, corpus: str) -> str:
    label = {**triage.CATEGORY_LABELS, "ordinary": "Ordinary (no category)"}
    lines = [
        f"Command: `postguard bench-inbox --corpus {corpus}` — {result.items} labelled inbound "
        "comments written for the project (crisis, consultation requests, a commenter's own "
        "private details, complaints, negative feedback, harassment, and ordinary comments "
        "with many hard negatives). A comment may carry several labels.",
        "",
        "| category | support | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in result.rows:
        target = TARGETS.get(row.name)
        mark = ""
        if target is not None:
            mark = " ✔" if row.recall >= target else f" ✘ (target ≥ {target:.2f})"
        lines.append(
            f"| {label[row.name]} (`{row.name}`) | {row.support} | {row.precision:.2f} | "
            f"{row.recall:.2f}{mark} | {row.f1:.2f} |"
        )
    lines += [
        "",
        f"Priority (urgent / high / normal / low, from the labels) exactly right: "
        f"{result.priority_exact:.1%}; under-prioritised: {result.priority_under} of "
        f"{result.items}. Triage time: {result.seconds * 1000 / max(result.items, 1):.2f} ms "
        "per comment (batched).",
    ]
    return "\n".join(lines)


def write(doc: Path, text: str) -> None:
    current = doc.read_text("utf-8") if doc.exists() else ""
    block = f"{START}\n## Inbox triage\n\n{text}\n{END}"
    if START in current and END in current:
        updated = re.sub(
            re.escape(START) + r".*?" + re.escape(END), lambda _: block, current, flags=re.S
        )
    else:
        updated = current.rstrip() + "\n\n" + block + "\n"
    doc.write_text(updated, "utf-8")


@click.command("bench-inbox")
@click.option(
    "--corpus",
    "corpora",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Labelled comments (repeatable; default: every corpus/comments-*.jsonl).",
)
@click.option(
    "--write",
    "doc",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the figures into this file (e.g. docs/benchmarks.md) between the markers.",
)
@click.option("--show-misses", is_flag=True, help="List the ids each category missed.")
def bench_inbox(corpora: tuple[Path, ...], doc: Path | None, show_misses: bool) -> None:
    """Measure the inbox triage on the labelled comments (precision and recall per category)."""
    paths = list(corpora) or sorted(Path("corpus").glob(CORPUS_GLOB))
    if not paths:
        raise click.ClickException(
            f"no corpus given and none in corpus/{CORPUS_GLOB} (run it from the repository root)"
        )
    texts = []
    below: list[str] = []
    for corpus in paths:
        result = run(load(corpus))
        texts.append(render(result, str(corpus)))
        if show_misses:
            for category, ids in result.misses.items():
                click.echo(f"{corpus}: missed {category}: {', '.join(ids)}", err=True)
        below += [
            f"{r.name} ({corpus.name})"
            for r in result.rows
            if r.name in TARGETS and r.recall < TARGETS[r.name]
        ]
    if not corpora:
        for corpus in sorted(Path("corpus").glob(ROUTING_GLOB)):
            rows = load_routing(corpus)
            routed, seconds, routing_misses = run_routing(rows)
            texts.append(render_routing(routed, seconds, len(rows), str(corpus)))
            if show_misses:
                for name, ids in routing_misses.items():
                    click.echo(f"{corpus}: missed route {name}: {', '.join(ids)}", err=True)
    text = "\n\n".join(texts)
    click.echo(text)
    if doc is not None:
        write(doc, text)
        click.echo(f"wrote {doc}", err=True)
    if below:
        click.echo(f"below the recall target: {', '.join(below)}", err=True)
    sys.stdout.flush()
