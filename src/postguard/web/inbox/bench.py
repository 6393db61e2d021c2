"""`postguard bench-inbox`: how well the inbox's triage classifies inbound comments.

Runs the triage (the engine's signal, clinical, harassment and privacy
categories, as the inbox uses them) on the labelled comments in
``corpus/comments-*.jsonl`` (``comments-dev*`` for tuning, ``comments-test`` held
out) and prints precision, recall and F1 per category, the ordinary comments
left alone, and how often the priority is right. Beside the corpus it reports
the public validation split that applies to triage: negative comments on
TweetEval sentiment ``val`` (skipped with one line when ``../shared/data`` is
absent). Held-out figures (``*-test``) are printed only with ``--final``, and
every figure carries a 95 % percentile-bootstrap interval over items, from the
same helpers as ``postguard bench`` (:mod:`postguard.bench_stats`). With
``--write`` the figures go into ``docs/benchmarks.md`` between the
``inbox-benchmark`` markers. No Django needed.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import click

from postguard.bench import Rates, held_out
from postguard.bench_stats import Estimate, bootstrap_sums, item_rates, ratio
from postguard.web.inbox import triage

START = "<!-- inbox-benchmark:start -->"
END = "<!-- inbox-benchmark:end -->"
CORPUS_GLOB = "comments-*.jsonl"
DEFAULT_DOC = Path("docs/benchmarks.md")
#: The issue's target on the project's set.
TARGETS = {triage.CRISIS: 0.90, triage.CONSULT: 0.90}


#: Where the public labelled data lives: ``$POSTGUARD_SHARED_DATA``, else ``../shared/data``
#: beside the project (the command runs from the project root, like ``corpus/``).
SHARED_DATA_ENV = "POSTGUARD_SHARED_DATA"
#: The inbox's negative family as the public sentiment split measures it.
NEGATIVE_OR_COMPLAINT = frozenset({triage.NEGATIVE, triage.COMPLAINT})

Cells = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Row(Rates):
    name: str
    support: int
    tp: int
    fp: int
    fn: int
    #: one (tp, fp, fn) row per item, for the bootstrap intervals
    cells: tuple[Cells, ...] = ()

    def interval(self, metric: str) -> Estimate:
        return bootstrap_sums(self.cells, item_rates((0, 1, 2))[metric])

    def figures(self) -> str:
        """``precision | recall | F1`` table cells, each with its interval."""
        return " | ".join(self.interval(m).fmt(2) for m in ("precision", "recall", "f1"))


def _row(name: str, pairs: Sequence[tuple[bool, bool]]) -> Row:
    """A row from (expected, predicted) pairs, one per item."""
    cells = tuple((int(w and h), int(h and not w), int(w and not h)) for w, h in pairs)
    tp, fp, fn = (sum(column) for column in zip(*cells, strict=True)) if cells else (0, 0, 0)
    return Row(name, sum(w for w, _ in pairs), tp, fp, fn, cells)


@dataclass(frozen=True, slots=True)
class Result:
    items: int
    rows: list[Row]
    #: one (exactly right, 1) row per item
    priority_cells: tuple[tuple[int, int], ...]
    priority_under: int
    seconds: float
    misses: dict[str, list[str]]

    @property
    def priority_exact(self) -> Estimate:
        return bootstrap_sums(self.priority_cells, lambda s: ratio(s[:, 0], s[:, 1]))


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
        pairs = [
            (not want, not have) if category == "ordinary" else (category in want, category in have)
            for want, have in zip(expected, got, strict=True)
        ]
        for row, (w, h) in zip(rows, pairs, strict=True):
            if w and not h:
                misses.setdefault(category, []).append(str(row["id"]))
        out.append(_row(category, pairs))
    want_priority = [triage.priority_of(w) for w in expected]
    have_priority = [v.priority for v in verdicts]
    exact = tuple((int(a == b), 1) for a, b in zip(want_priority, have_priority, strict=True))
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
        misses[name] = [
            str(row["id"]) for row, g in zip(rows, got, strict=True) if row["route"] == name != g
        ]
        out.append(
            _row(
                name, [(row["route"] == name, g == name) for row, g in zip(rows, got, strict=True)]
            )
        )
    return out, seconds, {k: v for k, v in misses.items() if v}


def render_routing(rows: list[Row], seconds: float, items: int, corpus: str) -> str:
    lines = [
        f"### Community routing on `{corpus}` ({items} reports)",
        "",
        f"{items} reports to a community, written for the project (so the figures flatter the "
        "cues they were written beside; a held-out set is still to come).",
        "",
        "| route | support | precision (95 % CI) | recall (95 % CI) | F1 (95 % CI) |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(f"| `{row.name}` | {row.support} | {row.figures()} |")
    lines += ["", f"Routing time: {seconds * 1000 / max(items, 1):.2f} ms per report (batched)."]
    return "\n".join(lines)


def render(result: Result, corpus: str) -> str:
    label = {**triage.CATEGORY_LABELS, "ordinary": "Ordinary (no category)"}
    kind = "held out" if held_out(corpus) else "tuning split, in-sample"
    lines = [
        f"### `{corpus}` ({kind}; {result.items} comments)",
        "",
        f"{result.items} labelled inbound comments written for the project (crisis, "
        "consultation requests, a commenter's own private details, complaints, negative "
        "feedback, harassment, and ordinary comments with many hard negatives). A comment may "
        "carry several labels.",
        "",
        "| category | support | precision (95 % CI) | recall (95 % CI) | F1 (95 % CI) |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in result.rows:
        target = TARGETS.get(row.name)
        mark = ""
        if target is not None:
            mark = " ✔" if row.recall >= target else f" ✘ (target ≥ {target:.2f})"
        lines.append(
            f"| {label[row.name]} (`{row.name}`){mark} | {row.support} | {row.figures()} |"
        )
    lines += [
        "",
        f"Priority (urgent / high / normal / low, from the labels) exactly right: "
        f"{result.priority_exact.fmt(3)}; under-prioritised: {result.priority_under} of "
        f"{result.items}. Triage time: {result.seconds * 1000 / max(result.items, 1):.2f} ms "
        "per comment (batched).",
    ]
    return "\n".join(lines)


def shared_data(explicit: Path | None = None) -> Path:
    """The public data folder: ``explicit``, ``$POSTGUARD_SHARED_DATA``, or ``../shared/data``
    beside the project root (the working directory, as for ``corpus/``)."""
    if explicit is not None:
        return explicit
    env = os.environ.get(SHARED_DATA_ENV)
    return Path(env) if env else Path.cwd().parent / "shared" / "data"


def load_tweeteval_negative(data: Path) -> tuple[list[str], list[bool]] | None:
    """TweetEval sentiment ``val`` as (texts, negative?), or None when it is not there.

    Label 0 is negative in TweetEval's ``mapping.txt``; neutral and positive are the rest."""
    folder = data / "tweeteval" / "sentiment"
    text_path, label_path = folder / "val_text.txt", folder / "val_labels.txt"
    if not (text_path.is_file() and label_path.is_file()):
        return None
    texts = text_path.read_text("utf-8").splitlines()
    try:
        labels = [int(x) == 0 for x in label_path.read_text("utf-8").splitlines()]
    except ValueError as exc:
        raise click.ClickException(f"{label_path}: labels must be integers ({exc})") from None
    if len(texts) != len(labels):
        raise click.ClickException(f"{text_path}: {len(texts)} texts but {len(labels)} labels")
    return texts, labels


def run_public_negative(texts: Sequence[str], negative: Sequence[bool]) -> tuple[Row, float]:
    """The triage on public tweets as inbound comments on an official account: positive when
    it files them as negative or complaint."""
    started = time.perf_counter()
    verdicts = triage.triage_many(list(texts))
    seconds = time.perf_counter() - started
    pairs = [
        (want, bool(NEGATIVE_OR_COMPLAINT & set(v.categories)))
        for want, v in zip(negative, verdicts, strict=True)
    ]
    return _row("negative or complaint", pairs), seconds


def render_public(row: Row, items: int, seconds: float) -> str:
    return "\n".join(
        [
            f"### Public validation: negative comments (TweetEval sentiment `val`, {items} tweets)",
            "",
            "`tweeteval/sentiment/val_*` from the shared data (`$POSTGUARD_SHARED_DATA`, else "
            "`../shared/data`): each tweet triaged as an inbound comment on the association's "
            "official account; positive when the triage files it as `signal.negative` or "
            "`signal.complaint`; truth is TweetEval's negative label (neutral and positive are "
            "the rest). Never tuned on; the public test split is kept for the issue's targets.",
            "",
            "| class | support | precision (95 % CI) | recall (95 % CI) | F1 (95 % CI) |",
            "|---|---:|---:|---:|---:|",
            f"| negative (`signal.negative` or `signal.complaint`) | {row.support} | "
            f"{row.figures()} |",
            "",
            f"Triage time: {seconds * 1000 / max(items, 1):.2f} ms per tweet (batched).",
        ]
    )


def _command(corpora: Sequence[Path], final: bool, doc: Path | None) -> str:
    return (
        "postguard bench-inbox"
        + "".join(f" --corpus {c}" for c in corpora)
        + (" --final" if final else "")
        + (f" --write {doc}" if doc else "")
    )


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
@click.option(
    "--final",
    is_flag=True,
    help="Also print the held-out figures (corpus/comments-test.jsonl).",
)
@click.option(
    "--shared-data",
    "data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"The public labelled data (default: ${SHARED_DATA_ENV}, else ../shared/data).",
)
@click.option("--show-misses", is_flag=True, help="List the ids each category missed.")
def bench_inbox(
    corpora: tuple[Path, ...], doc: Path | None, final: bool, data: Path | None, show_misses: bool
) -> None:
    """Measure the inbox triage on the labelled comments and the public validation split
    (precision, recall and F1 per category, each with a 95 % bootstrap interval)."""
    paths = list(corpora) or sorted(Path("corpus").glob(CORPUS_GLOB))
    if not paths:
        raise click.ClickException(
            f"no corpus given and none in corpus/{CORPUS_GLOB} (run it from the repository root)"
        )
    for corpus in paths:
        if held_out(str(corpus)) and not final:
            click.echo(
                f"{corpus} is a held-out split: its figures are printed with --final", err=True
            )
    paths = [c for c in paths if final or not held_out(str(c))]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    texts = [
        f"Measured {stamp} on {platform.machine()} / Python {platform.python_version()} by "
        f"`{_command(corpora, final, doc)}`. Intervals: 95 % percentile bootstrap over items "
        "(1,000 resamples, fixed seed). The `comments-dev*` splits were used for tuning "
        "(in-sample, optimistic); `comments-test` is held out and printed only with `--final`."
    ]
    below: list[str] = []
    # The engine's start-up would otherwise be billed to the first split's triage time.
    triage.triage("warm-up comment")
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
        public = load_tweeteval_negative(shared_data(data))
        if public is None:
            click.echo(
                f"public validation skipped: no tweeteval/sentiment/val_* in {shared_data(data)}",
                err=True,
            )
        else:
            row, seconds = run_public_negative(*public)
            texts.append(render_public(row, len(public[0]), seconds))
        for corpus in sorted(Path("corpus").glob(ROUTING_GLOB)):
            if held_out(str(corpus)) and not final:
                click.echo(
                    f"{corpus} is a held-out split: its figures are printed with --final", err=True
                )
                continue
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
