"""`postguard serve` with gunicorn worker processes, as a real subprocess on a free port:
concurrent checks, the request-size cap, a killed worker replaced, and `bench-api`."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import postguard
from postguard.web.bench_api import (
    _server_env,
    free_port,
    make_token,
    own_server,
    percentile,
)
from postguard.web.limits import CHECK_MAX_BODY_BYTES

TEXTS = (
    "Join us for World Breastfeeding Week! Our volunteers will be at the town library.",
    "So proud of our client Sarah Jones! Call her on 07700 900123 to hear her story.",
    "Our drop-in latch clinic is open every Tuesday morning, all welcome.",
    "Baby Liam (DOB 3/4/25) at St Mary's ward 4 still isn't latching, call his mum.",
)


@dataclass
class Served:
    url: str
    host: str
    port: int
    token: str
    pid: int
    log: Path


def _post(
    served: Served, path: str, body: bytes, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    connection = http.client.HTTPConnection(served.host, served.port, timeout=60)
    try:
        connection.request(
            "POST",
            path,
            body=body,
            headers={
                "Authorization": f"Bearer {served.token}",
                "Content-Type": "application/json",
                **(headers or {}),
            },
        )
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"null")
    finally:
        connection.close()


def _check(served: Served, text: str) -> tuple[int, dict[str, Any]]:
    return _post(served, "/api/check", json.dumps({"text": text}).encode())


def _children(pid: int) -> dict[int, str]:
    """The live child processes of ``pid`` and their command lines (Linux /proc)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(entry)] = cmdline.decode(errors="replace")
    return found


def _web_workers(served: Served) -> set[int]:
    # gunicorn's workers are forks of the master (`... serve ...`); the background
    # worker is `postguard.cli worker`.
    return {pid for pid, cmd in _children(served.pid).items() if " serve " in f" {cmd} "}


def _wait_for(condition: Any, what: str, log: Path, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}; server log:\n{log.read_text(errors='replace')}", pytrace=False)
        time.sleep(0.1)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    if not Path("/proc/self/stat").exists():
        pytest.skip("these tests read worker processes from /proc (Linux)")
    data_dir = tmp_path_factory.mktemp("postguard-serve")
    token = make_token(data_dir)
    port = free_port()
    log = data_dir / "serve.log"
    command = [sys.executable, "-m", "postguard.cli", "serve", "--no-demo"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", "2"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            env=_server_env(data_dir),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    served = Served(f"http://127.0.0.1:{port}", "127.0.0.1", port, token, process.pid, log)
    try:
        _wait_for(
            lambda: process.poll() is not None or "serving on" in log.read_text(errors="replace"),
            "`postguard serve` did not start",
            log,
            timeout=180,
        )
        assert process.poll() is None, log.read_text(errors="replace")
        _wait_for(lambda: len(_web_workers(served)) == 2, "two workers did not start", log)
        yield served
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def test_the_production_server_says_how_it_serves(served: Served) -> None:
    printed = served.log.read_text(errors="replace")
    assert "gunicorn, 2 worker processes" in printed
    assert f"serving on http://127.0.0.1:{served.port}/" in printed


def test_concurrent_clients_get_the_same_answers_as_the_engine(served: Served) -> None:
    texts = [f"{TEXTS[i % len(TEXTS)]} ({i})" for i in range(40)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda text: _check(served, text), texts))
    for text, (status, body) in zip(texts, answers, strict=True):
        assert status == 200, body
        expected = postguard.check(text)
        assert body["decision"] == expected.decision
        assert sorted(f["rule_id"] for f in body["findings"]) == sorted(
            f.rule_id for f in expected.findings
        )
        assert body["truncated"] is False
    assert {body["decision"] for _, body in answers} >= {"pass", "block"}


def test_a_wrong_token_is_refused_by_the_production_server(served: Served) -> None:
    status, body = _post(
        served,
        "/api/check",
        json.dumps({"text": TEXTS[0]}).encode(),
        {"Authorization": "Bearer pg_not-a-real-token"},
    )
    assert status == 401
    assert "Authentication required" in body["detail"]


def test_a_body_over_the_cap_is_refused_with_413_and_a_json_reason(served: Served) -> None:
    body = json.dumps({"text": "a" * (CHECK_MAX_BODY_BYTES + 10)}).encode()
    status, answer = _post(served, "/api/check", body)
    assert status == 413
    assert answer["detail"].startswith("The request is too large: at most 262,144 bytes")
    # The server still answers on the next connection.
    status, answer = _check(served, TEXTS[0])
    assert status == 200 and answer["decision"] == "pass"


def test_a_killed_worker_is_replaced_and_the_server_keeps_answering(served: Served) -> None:
    workers = _web_workers(served)
    assert len(workers) == 2
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    for i in range(10):
        status, body = _check(served, f"{TEXTS[1]} after the kill {i}")
        assert status == 200 and body["decision"] == "block"
    _wait_for(
        lambda: len(_web_workers(served)) == 2 and victim not in _web_workers(served),
        "the killed worker was not replaced",
        served.log,
    )
    assert victim not in _web_workers(served)
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda i: _check(served, f"{TEXTS[0]} {i}"), range(8)))
    assert all(status == 200 for status, _ in answers)


BENCH = (sys.executable, "-m", "postguard.cli", "bench-api")
SHORT_RUN = ("--connections", "2", "--seconds", "1", "--warmup", "0.2")
FIGURES = (
    r"requests: \d+ in \d+\.\d s, errors: 0",
    r"requests/s: \d+\.\d",
    r"latency ms: p50 \d+\.\d  p95 \d+\.\d  p99 \d+\.\d  max \d+\.\d",
    r"load generator CPU: \d+\.\d s \(2 connections, one process, sharing the machine with "
    r"the server\)",
)


def test_bench_api_measures_a_running_server_and_prints_its_figures(served: Served) -> None:
    done = subprocess.run(
        [*BENCH, "--url", served.url, "--token", served.token, *SHORT_RUN],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"bench-api: POST {served.url}/api/check (given server)")
    for pattern, line in zip(FIGURES, lines[1:], strict=False):
        assert re.fullmatch(pattern, line), (pattern, line)
    assert int(re.findall(r"requests: (\d+)", done.stdout)[0]) > 0


def test_bench_api_starts_its_own_server_and_reports_its_cpu(tmp_path: Path) -> None:
    done = subprocess.run(
        [*BENCH, "--workers", "1", "--connections", "2", "--seconds", "1", "--warmup", "0.5"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**_server_env(tmp_path), "TMPDIR": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert "started here: server auto, 1 workers" in done.stdout
    for pattern in FIGURES:
        assert re.search(pattern, done.stdout), (pattern, done.stdout)
    assert re.search(r"server CPU: \d+\.\d s, \d+\.\d\d ms per request", done.stdout)
    # Its server and temporary data directory are gone.
    assert not list(tmp_path.glob("postguard-bench-api-*"))


def test_bench_api_refuses_a_url_without_a_token() -> None:
    done = subprocess.run(
        [*BENCH, "--url", "http://127.0.0.1:9"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={k: v for k, v in os.environ.items() if k != "POSTGUARD_BENCH_TOKEN"},
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "postguard: error: --url needs --token (or POSTGUARD_BENCH_TOKEN)"


def test_a_server_that_does_not_answer_is_one_error_line(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    done = subprocess.run(
        [*BENCH, "--url", f"http://127.0.0.1:{port}", "--token", "pg_x", *SHORT_RUN],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert re.search(r"requests: 0 in \d+\.\d s, errors: [1-9]\d* \(connection: \d+\)", done.stdout)


def test_own_server_stops_its_server_when_the_run_ends(tmp_path: Path) -> None:
    with own_server("auto", 1, None) as (url, token, pid):
        assert Path(f"/proc/{pid}").exists()
        assert token.startswith("pg_")
        assert url.startswith("http://127.0.0.1:")
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(list(reversed(values)), 100) == 100.0
    assert percentile([], 99) == 0.0
