"""postguard audit-archive: in-process, on a real Dask LocalCluster, interrupted and resumed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distributed import Client, LocalCluster

from postguard.archive import audit as audit_module
from postguard.archive.audit import FAULT_ENV, AuditOptions, audit
from postguard.archive.summary import render_summary
from postguard.engine import default_engine, make_content
from tests.archive import builders

ROOT = Path(__file__).resolve().parents[2]
STAMP = 1_500_000_000

CLEAN = "Lovely workshop on breastfeeding support, thank you all"
FLAGGED = [
    "Call me on 555-0123 if your baby is still not feeding well",
    "Use code MILK20 for 20% off Similac formula this week only!",
    "Saw little Amelia and her mum today, the tongue-tie is much better",
]


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    """Four networks, a few posts each, one broken item and one post without text."""
    root = tmp_path / "archive"
    tweets = [(str(100 + n), FLAGGED[n % 3] if n % 2 else CLEAN, None) for n in range(7)]
    builders.x_archive(root, tweets)
    builders.mastodon(root, [("1", "<p>&lt;script&gt;alert(1)&lt;/script&gt; call 555-0199</p>",
                              None), ("2", f"<p>{CLEAN}</p>", None)])  # fmt: skip
    builders.facebook(root, [(STAMP, FLAGGED[1]), (STAMP + 1, ""), (STAMP + 2, CLEAN)])
    (root / "Shares.csv").write_text(
        builders.linkedin_shares(
            [["2020-01-02 03:04:05", "", FLAGGED[0], "", "", "PUBLIC"], ["bad date", "", "x"]]
        ),
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as dask_client,
    ):
        yield dask_client


def report(out: Path) -> dict[str, Any]:
    stats = json.loads((out / "stats.json").read_text())
    stats.pop("run")
    return {
        "findings": (out / "findings.jsonl").read_text(),
        "errors": (out / "errors.jsonl").read_text(),
        "stats": stats,
        "summary": (out / "summary.html").read_text(),
    }


def test_findings_follow_the_shared_line_format_and_match_the_engine(
    archive: Path, tmp_path: Path
) -> None:
    info = audit([str(archive)], tmp_path / "out", partition_size=4)
    lines = [json.loads(x) for x in (tmp_path / "out" / "findings.jsonl").read_text().splitlines()]
    assert lines, "the archive holds posts that break the codes"
    keys = ["id", "network", "remote_id", "url", "date", "kind", "text", "decision", "findings"]
    for line in lines:
        assert list(line) == keys
        assert line["id"] == f"{line['network']}:{line['remote_id']}"
        assert line["findings"]
        expected = default_engine().check(make_content(line["text"], kind=line["kind"]))
        assert line["findings"] == expected.to_dict()["findings"]
        assert line["decision"] == expected.decision
    flagged_texts = {line["text"] for line in lines}
    assert CLEAN not in flagged_texts
    assert {FLAGGED[0], FLAGGED[1]} <= flagged_texts
    stats = info.stats
    assert stats["items_read"] == 7 + 2 + 3 + 1
    assert stats["empty"] == 1
    assert stats["checked"] == stats["items_read"] - 1
    assert stats["flagged"] == len(lines)
    assert stats["read_errors"] == 1 and stats["errors"] == 1
    assert sum(y["items"] for y in stats["by_year"].values()) == stats["items_read"]
    assert stats["by_year"]["2018"]["items"] == 7
    errors = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert errors[0]["source"].endswith("Shares.csv") and errors[0]["item"] == "row 3"


def test_the_dask_cluster_gives_the_same_report_as_the_in_process_run(
    archive: Path, tmp_path: Path, client: Client
) -> None:
    audit([str(archive)], tmp_path / "alone", partition_size=3)
    on_dask = audit([str(archive)], tmp_path / "dask", partition_size=3, client=client)
    assert on_dask.partitions_checked == on_dask.partitions_total >= 4
    assert report(tmp_path / "dask") == report(tmp_path / "alone")


def test_the_engine_is_built_once_per_worker_not_once_per_task(
    archive: Path, tmp_path: Path, client: Client
) -> None:
    # Options no other test uses, so that this run has to build its engine.
    options = AuditOptions(account="official", audience="closed")
    before = sum(client.run(audit_module.engine_builds).values()) // len(client.nthreads())
    info = audit([str(archive)], tmp_path / "out", partition_size=2, client=client, options=options)
    after = sum(client.run(audit_module.engine_builds).values()) // len(client.nthreads())
    # The workers are threads of this process here: one engine, shared, for 7 tasks.
    assert info.partitions_checked >= 7
    assert after - before == 1


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from postguard.cli import main; main()", "audit-archive", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src"), **(env or {})},
        timeout=300,
        check=False,
    )


def partition_records(out: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted((out / "partitions").glob("*.json"))]


def test_an_interrupted_audit_resumes_on_dask_and_checks_every_item_exactly_once(
    archive: Path, tmp_path: Path, client: Client
) -> None:
    out = tmp_path / "out"
    killed = run_cli(
        str(archive), "--out", str(out), "--workers", "0", "--partition-size", "2",
        env={FAULT_ENV: "3"},
    )  # fmt: skip
    assert killed.returncode == 75, killed.stderr
    first = partition_records(out)
    assert [r["partition"] for r in first] == [0, 1, 2]
    assert not (out / "findings.jsonl").exists()

    # Without --resume the folder is refused, and nothing in it is touched.
    refused = run_cli(str(archive), "--out", str(out), "--workers", "0", "--partition-size", "2")
    assert refused.returncode == 2
    assert refused.stderr.startswith("postguard: error: ") and "--resume" in refused.stderr
    assert refused.stderr.count("\n") == 1

    resumed = audit([str(archive)], out, partition_size=2, resume=True, client=client)
    records = partition_records(out)
    assert [r["partition"] for r in records] == list(range(resumed.partitions_total))
    assert resumed.partitions_skipped == 3
    # The resumed run checked exactly the items the first run had not checkpointed.
    assert resumed.checked_this_run == sum(r["checked"] for r in records[3:])
    assert resumed.checked_this_run + sum(r["checked"] for r in first) == resumed.stats["checked"]
    # Every entry of the archive is in exactly one partition, in order.
    assert sum(r["entries"] for r in records) == 7 + 2 + 3 + 2
    assert records[:3] == first  # finished partitions were not rewritten

    audit([str(archive)], tmp_path / "clean", partition_size=2)
    assert report(out) == report(tmp_path / "clean")


def test_resuming_with_other_options_is_refused(archive: Path, tmp_path: Path) -> None:
    audit([str(archive)], tmp_path / "out", partition_size=4)
    result = run_cli(
        str(archive), "--out", str(tmp_path / "out"), "--workers", "0", "--resume",
        "--partition-size", "5",
    )  # fmt: skip
    assert result.returncode == 2
    assert "other inputs or options" in result.stderr


def test_the_command_prints_one_line_and_writes_the_report(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli(str(archive), "--out", str(out), "--no-dask")
    assert result.returncode == 0, result.stderr
    assert "13 items read" in result.stdout and "with findings" in result.stdout
    assert {p.name for p in out.iterdir()} >= {
        "findings.jsonl", "errors.jsonl", "stats.json", "summary.html", "manifest.json",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["/nonexistent/archive.zip"], "does not exist"),
        (["{archive}", "--severity", "nonsense"], "--severity takes RULE=SEVERITY"),
        (["{archive}", "--workers", "0", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler"),
        (["{archive}", "--scheduler", "http://127.0.0.1:1"], "tcp://HOST:PORT"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(
    archive: Path, tmp_path: Path, args: list[str], reason: str
) -> None:
    result = run_cli(*[a.format(archive=archive) for a in args], "--out", str(tmp_path / "o"))
    assert result.returncode == 2
    assert result.stderr.startswith("postguard: error: ")
    assert reason in result.stderr
    assert "Traceback" not in result.stderr


def test_the_summary_escapes_archive_text_and_links_only_to_web_addresses(
    archive: Path, tmp_path: Path
) -> None:
    audit([str(archive)], tmp_path / "out")
    page = (tmp_path / "out" / "summary.html").read_text()
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="https://x.com/jane/status/' in page
    record = {
        "id": "x:1", "network": "x", "remote_id": "1", "url": "javascript:alert(1)",
        "date": None, "kind": "post", "text": "<b>hi</b>", "decision": "block",
        "findings": [{"rule_id": "R", "severity": "block", "message": "m", "clause": "2(a)",
                      "pack": "p", "quote": "\"q\" <i>", "evidence": "<e>"}],
    }  # fmt: skip
    stats = {"items_read": 1, "checked": 1, "flagged": 1, "empty": 0, "errors": 0,
             "by_rule": {"R": 1}, "by_year": {"unknown": {"items": 1, "flagged": 1}}}  # fmt: skip
    html = render_summary(stats, [record], {"R": {"clause": "2(a)", "pack": "p"}})
    assert "javascript:" not in html
    assert "<b>hi</b>" not in html and "&lt;b&gt;hi&lt;/b&gt;" in html
    assert "breaks 2(a)" in html


def test_the_worst_items_come_first_in_the_summary(archive: Path, tmp_path: Path) -> None:
    audit([str(archive)], tmp_path / "out")
    page = (tmp_path / "out" / "summary.html").read_text()
    decisions = [
        d for d in ("block", "review", "pass") for _ in range(page.count(f">{d}</strong>"))
    ]
    order = [page.index(f"<strong class='{d}'>") for d in dict.fromkeys(decisions)]
    assert order == sorted(order)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_it_runs_on_a_separate_scheduler_and_worker_given_with_scheduler(
    archive: Path, tmp_path: Path
) -> None:
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
         "--port", str(port), "--no-dashboard"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
         "--no-dashboard", "--host", "127.0.0.1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        with Client(address, timeout="60s") as probe:
            probe.wait_for_workers(1, timeout=120)
        result = run_cli(
            str(archive), "--out", str(tmp_path / "out"), "--scheduler", address,
            "--partition-size", "3",
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        audit([str(archive)], tmp_path / "alone", partition_size=3)
        assert report(tmp_path / "out") == report(tmp_path / "alone")
    finally:
        for process in (worker, scheduler):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
