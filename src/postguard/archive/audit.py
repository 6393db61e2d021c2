"""Check every item of some archives with the engine, resumably, in-process or on Dask.

The items are cut into partitions of a fixed number of entries, in the order the
readers yield them (a fixed order), so partition *k* is the same on every run of
the same inputs. Each partition is checked in one task, by an engine built once
per worker process (:func:`engine_for` caches it, keyed by the policy options),
and its result is written to ``DIR/partitions/NNNNNNNN.json`` atomically (a
temporary file, then a rename). A run with ``resume=True`` skips the partitions
whose file exists, so an interrupted audit finishes without checking anything
twice or losing anything. When every partition is done, the report is assembled
from the partition files in partition order: ``findings.jsonl``,
``errors.jsonl``, ``stats.json`` and ``summary.html``. The same inputs give the
same report whether the partitions ran in-process or on a cluster, in any order.

Memory stays bounded: the driver holds the partitions in flight (a few per
worker), never the whole archive; the report is assembled by streaming the
partition files.
"""

from __future__ import annotations

import contextlib
import heapq
import json
import os
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from postguard.archive.items import ArchiveItem, Entry, ReadProblem
from postguard.archive.readers import read_archives
from postguard.content import ContentError
from postguard.policy.schema import SEVERITY_RANK

DEFAULT_PARTITION_SIZE = 10_000
#: Items per engine call inside a partition (the engine batches detectors by call).
CHECK_BATCH = 256
#: The worst items shown in summary.html.
SUMMARY_TOP = 200
#: Test hook: the driver exits abruptly (as if killed) after this many partitions were saved.
FAULT_ENV = "POSTGUARD_ARCHIVE_STOP_AFTER"
FORMAT_VERSION = 1
_DECISION_RANK = {"pass": 0, "review": 1, "block": 2}


class AuditError(ValueError):
    """An audit that cannot start (a folder holding another audit, bad options)."""


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """What the engine is built from and how items are framed: as for ``postguard check``."""

    policy_dirs: tuple[str, ...] = ()
    no_builtin: bool = False
    severities: tuple[str, ...] = ()
    account: str = "personal"
    audience: str = "public"

    def key(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


# -- on the worker -----------------------------------------------------------------------------

_ENGINES: dict[str, Any] = {}
_ENGINE_LOCK = threading.Lock()
#: How many engines this process has built (read by the tests through ``Client.run``).
ENGINE_BUILDS = 0


def engine_for(options: AuditOptions) -> Any:
    """The engine for ``options``, built once per process (one per Dask worker process)."""
    global ENGINE_BUILDS
    key = options.key()
    engine = _ENGINES.get(key)
    if engine is None:
        with _ENGINE_LOCK:
            engine = _ENGINES.get(key)
            if engine is None:
                from postguard.engine import Engine
                from postguard.policy.loader import load_policy

                overrides = dict(s.split("=", 1) for s in options.severities)
                policy = load_policy(
                    list(options.policy_dirs),
                    builtin=not options.no_builtin,
                    severity_overrides=overrides,
                )
                engine = Engine(policy)
                _ENGINES[key] = engine
                ENGINE_BUILDS += 1
    return engine


def engine_builds() -> int:
    return ENGINE_BUILDS


def _item_entry(item: ArchiveItem) -> tuple[Any, ...]:
    return ("i", item.network, item.remote_id, item.url, item.date, item.text, item.kind)


def _problem_entry(problem: ReadProblem) -> tuple[Any, ...]:
    return ("p", problem.source, problem.message, problem.item)


def _label(entry: tuple[Any, ...]) -> str:
    return f"{entry[1]}:{entry[2]}" if entry[0] == "i" else f"{entry[1]}#{entry[3] or ''}"


def check_partition(
    number: int, entries: Sequence[tuple[Any, ...]], options: AuditOptions
) -> dict[str, Any]:
    """Check one partition: the record of what it held, found and could not read or check.

    Runs on a Dask worker (or in-process); deterministic for the same entries.
    """
    from postguard.engine import make_content

    engine = engine_for(options)
    errors: list[dict[str, Any]] = []
    findings: list[dict[str, Any]] = []
    by_rule: Counter[str] = Counter()
    by_year_items: Counter[str] = Counter()
    by_year_flagged: Counter[str] = Counter()
    by_decision: Counter[str] = Counter()
    read = checked = empty = 0
    pending: list[tuple[ArchiveItem, Any]] = []

    def flush() -> None:
        nonlocal checked
        if not pending:
            return
        contents = [c for _, c in pending]
        try:
            results = engine.check_many(contents)
        except Exception:
            # A bug tripped by one item must not lose its batch: check one by one.
            results = []
            for content in contents:
                try:
                    results.extend(engine.check_many([content]))
                except Exception as exc:
                    results.append(
                        ContentError(f"internal error while checking ({type(exc).__name__}: {exc})")
                    )
        for (item, _), report in zip(pending, results, strict=True):
            if isinstance(report, ContentError):
                errors.append(_error(item, "check", str(report)))
                continue
            checked += 1
            by_decision[report.decision] += 1
            if report.findings:
                record = item.to_dict()
                record["decision"] = report.decision
                record["findings"] = [f.to_dict() for f in report.findings]
                findings.append(record)
                by_year_flagged[item.year] += 1
                for rule in dict.fromkeys(f.rule_id for f in report.findings):
                    by_rule[rule] += 1
        pending.clear()

    for entry in entries:
        if entry[0] == "p":
            errors.append(
                {
                    "id": None,
                    "source": entry[1],
                    "item": entry[3],
                    "stage": "read",
                    "error": entry[2],
                }
            )
            continue
        item = ArchiveItem(*entry[1:])
        read += 1
        by_year_items[item.year] += 1
        if not item.text.strip():
            empty += 1  # a photo without a caption, a bare link: no text to check
            continue
        try:
            kind = item.kind if item.kind in ("post", "reply", "comment") else "post"
            content = make_content(
                item.text, kind=kind, account=options.account, audience=options.audience
            )
        except ContentError as exc:
            errors.append(_error(item, "check", str(exc)))
            continue
        pending.append((item, content))
        if len(pending) >= CHECK_BATCH:
            flush()
    flush()
    return {
        "version": FORMAT_VERSION,
        "partition": number,
        "entries": len(entries),
        "first": _label(entries[0]) if entries else None,
        "last": _label(entries[-1]) if entries else None,
        "read": read,
        "checked": checked,
        "empty": empty,
        "flagged": len(findings),
        "by_rule": dict(by_rule),
        "by_year": {
            year: {"items": n, "flagged": by_year_flagged.get(year, 0)}
            for year, n in by_year_items.items()
        },
        "by_decision": dict(by_decision),
        "findings": findings,
        "errors": errors,
    }


def _error(item: ArchiveItem, stage: str, message: str) -> dict[str, Any]:
    return {
        "id": item.id,
        "source": item.network,
        "item": item.remote_id,
        "stage": stage,
        "error": message,
    }


# -- on the driver -----------------------------------------------------------------------------


def partitions(entries: Iterable[Entry], size: int) -> Iterator[tuple[int, list[tuple[Any, ...]]]]:
    """(number, entries) in groups of ``size``, numbered from 0, in the order read."""
    batch: list[tuple[Any, ...]] = []
    number = 0
    for entry in entries:
        batch.append(
            _item_entry(entry) if isinstance(entry, ArchiveItem) else _problem_entry(entry)
        )
        if len(batch) >= size:
            yield number, batch
            number += 1
            batch = []
    if batch:
        yield number, batch


def partition_path(out: Path, number: int) -> Path:
    return out / "partitions" / f"{number:08d}.json"


def write_atomic(path: Path, data: str) -> None:
    """Write ``data`` to ``path`` so that a reader sees all of it or nothing (temp + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _manifest(paths: Sequence[str], size: int, options: AuditOptions) -> dict[str, Any]:
    inputs = []
    for path in paths:
        p = Path(path)
        try:
            st = p.stat()
            inputs.append(
                {"path": str(p.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
            )
        except OSError:
            inputs.append({"path": str(p.resolve()), "size": None, "mtime_ns": None})
    return {
        "version": FORMAT_VERSION,
        "inputs": inputs,
        "partition_size": size,
        "options": json.loads(options.key()),
    }


def _prepare(out: Path, manifest: dict[str, Any], resume: bool) -> set[int]:
    """Check ``out`` fits this audit; the partitions already done there (when resuming)."""
    out.mkdir(parents=True, exist_ok=True)
    existing = out / "manifest.json"
    done: set[int] = set()
    if existing.exists():
        if not resume:
            raise AuditError(
                f"{out} already holds an audit: pass --resume to finish it, or choose another --out"
            )
        try:
            previous = json.loads(existing.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise AuditError(f"{existing} is damaged: start again in another --out") from None
        if previous != manifest:
            raise AuditError(
                f"{out} holds an audit of other inputs or options (or the archives changed): "
                "rerun with the same archives and options, or choose another --out"
            )
        for file in (out / "partitions").glob("*.json"):
            if file.stem.isdigit():
                done.add(int(file.stem))
    else:
        if (out / "partitions").exists() and any((out / "partitions").iterdir()):
            raise AuditError(f"{out} holds partitions but no manifest.json: choose another --out")
        write_atomic(existing, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return done


@dataclass
class RunInfo:
    """What one run did (the report's figures are in stats.json)."""

    partitions_total: int = 0
    partitions_skipped: int = 0
    partitions_checked: int = 0
    checked_this_run: int = 0
    stats: dict[str, Any] = field(default_factory=dict)


Progress = Callable[[int], None]


def audit(
    paths: Sequence[str],
    out: str | Path,
    *,
    options: AuditOptions | None = None,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    resume: bool = False,
    client: Any = None,
    in_flight: int | None = None,
    progress: Progress | None = None,
) -> RunInfo:
    """Audit the archives at ``paths`` into the folder ``out``; see the module's docstring.

    ``client`` is a ``distributed.Client``; without one, partitions are checked
    in this process. ``progress`` is called with the entries of each partition
    done (checked now or earlier).
    """
    if partition_size < 1:
        raise AuditError("the partition size must be at least 1")
    options = options or AuditOptions()
    out = Path(out)
    done = _prepare(out, _manifest(paths, partition_size, options), resume)
    info = RunInfo()
    stop_after = int(os.environ.get(FAULT_ENV, "0") or 0)
    saved = 0

    def save(result: dict[str, Any]) -> None:
        nonlocal saved
        write_atomic(
            partition_path(out, result["partition"]), json.dumps(result, ensure_ascii=False)
        )
        info.partitions_checked += 1
        info.checked_this_run += result["checked"]
        saved += 1
        if progress is not None:
            progress(result["entries"])
        if stop_after and saved >= stop_after:
            os._exit(75)  # the test of resuming: die as a killed process would, mid-run

    todo = _todo(partitions(read_archives(paths), partition_size), done, info, progress)
    if client is None:
        for number, entries in todo:
            save(check_partition(number, entries, options))
    else:
        _run_on_dask(client, todo, options, save, in_flight)
    info.stats = finish(out, info)
    return info


def _todo(
    parts: Iterator[tuple[int, list[tuple[Any, ...]]]],
    done: set[int],
    info: RunInfo,
    progress: Progress | None,
) -> Iterator[tuple[int, list[tuple[Any, ...]]]]:
    for number, entries in parts:
        info.partitions_total += 1
        if number in done:
            info.partitions_skipped += 1
            if progress is not None:
                progress(len(entries))
            continue
        yield number, entries


def _run_on_dask(
    client: Any,
    todo: Iterator[tuple[int, list[tuple[Any, ...]]]],
    options: AuditOptions,
    save: Callable[[dict[str, Any]], None],
    in_flight: int | None,
) -> None:
    from distributed import as_completed

    if in_flight is None:
        workers = max(1, sum(client.nthreads().values()))
        in_flight = 2 * workers + 1
    queue = as_completed()  # type: ignore[no-untyped-call]

    def submit() -> bool:
        nxt = next(todo, None)
        if nxt is None:
            return False
        number, entries = nxt
        queue.add(  # type: ignore[no-untyped-call]
            client.submit(
                check_partition, number, entries, options, pure=False, key=f"audit-part-{number}"
            )
        )
        return True

    for _ in range(in_flight):
        if not submit():
            break
    for future in queue:
        result = future.result()
        future.release()
        save(result)
        submit()


# -- the report --------------------------------------------------------------------------------


def _worst_key(record: dict[str, Any]) -> tuple[int, int, int, int]:
    ranks = [SEVERITY_RANK.get(f["severity"], 0) for f in record["findings"]]
    return (
        _DECISION_RANK.get(record["decision"], 0),
        max(ranks, default=0),
        sum(1 for r in ranks if r == max(ranks, default=0)),
        len(ranks),
    )


def _done_partitions(out: Path) -> list[Path]:
    files = [f for f in (out / "partitions").glob("*.json") if f.stem.isdigit()]
    return sorted(files, key=lambda f: int(f.stem))


def finish(out: Path, info: RunInfo | None = None) -> dict[str, Any]:
    """Assemble findings.jsonl, errors.jsonl, stats.json and summary.html from the partitions."""
    from postguard.archive.summary import render_summary

    totals: Counter[str] = Counter()
    by_rule: Counter[str] = Counter()
    by_decision: Counter[str] = Counter()
    by_year: dict[str, Counter[str]] = {}
    rule_info: dict[str, dict[str, str]] = {}
    worst: list[tuple[tuple[int, int, int, int], int, str]] = []
    ordinal = 0
    parts = _done_partitions(out)
    findings_tmp = out / ".findings.jsonl.tmp"
    errors_tmp = out / ".errors.jsonl.tmp"
    with (
        open(findings_tmp, "w", encoding="utf-8") as findings_out,
        open(errors_tmp, "w", encoding="utf-8") as errors_out,
    ):
        for file in parts:
            result = json.loads(file.read_text(encoding="utf-8"))
            for name in ("entries", "read", "checked", "empty", "flagged"):
                totals[name] += result[name]
            by_rule.update(result["by_rule"])
            by_decision.update(result["by_decision"])
            for year, counts in result["by_year"].items():
                by_year.setdefault(year, Counter()).update(counts)
            for record in result["findings"]:
                line = json.dumps(record, ensure_ascii=False)
                findings_out.write(line + "\n")
                for finding in record["findings"]:
                    rule_info.setdefault(
                        finding["rule_id"],
                        {"clause": finding["clause"], "pack": finding["pack"]},
                    )
                ordinal += 1
                entry = (_worst_key(record), -ordinal, line)
                if len(worst) < SUMMARY_TOP:
                    heapq.heappush(worst, entry)
                else:
                    heapq.heappushpop(worst, entry)
            for error in result["errors"]:
                errors_out.write(json.dumps(error, ensure_ascii=False) + "\n")
                totals["errors"] += 1
                totals["read_errors" if error["stage"] == "read" else "check_errors"] += 1
    os.replace(findings_tmp, out / "findings.jsonl")
    os.replace(errors_tmp, out / "errors.jsonl")
    stats: dict[str, Any] = {
        "partitions": len(parts),
        "items_read": totals["read"],
        "checked": totals["checked"],
        "empty": totals["empty"],
        "flagged": totals["flagged"],
        "errors": totals["errors"],
        "read_errors": totals["read_errors"],
        "check_errors": totals["check_errors"],
        "by_decision": dict(sorted(by_decision.items())),
        "by_rule": dict(sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))),
        "by_year": {y: dict(sorted(c.items())) for y, c in sorted(by_year.items())},
    }
    if info is not None:
        stats["run"] = {
            "partitions_total": info.partitions_total,
            "partitions_skipped": info.partitions_skipped,
            "partitions_checked": info.partitions_checked,
            "checked_this_run": info.checked_this_run,
        }
    write_atomic(out / "stats.json", json.dumps(stats, indent=2, ensure_ascii=False) + "\n")
    top = [json.loads(line) for _, _, line in sorted(worst, reverse=True)]
    write_atomic(out / "summary.html", render_summary(stats, top, rule_info))
    return stats


def close_client(client: Any) -> None:
    """Close a client and the local cluster it started, if any."""
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()
