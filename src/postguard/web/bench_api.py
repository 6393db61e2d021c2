"""``postguard bench-api``: a bounded load generator for ``POST /api/check``.

A fixed number of connections, each sending one request at a time (HTTP/1.1, kept alive
when the server allows it), for a warm-up and then a fixed duration (or until a number
of requests). It prints requests per second, p50/p95/p99 latency and the errors.

The client is a few lines of asyncio on raw sockets rather than an HTTP library, so that
it costs the machine as little as possible: on a small machine the load generator
shares the cores with the server it measures, and its own CPU time is printed so that
the figures can be read honestly.

Without ``--url`` it starts a server itself: a fresh data directory in a temporary
folder, an administrator and a token made there, and ``postguard serve --no-demo`` on a
free port of 127.0.0.1 with the workers asked for, stopped (SIGTERM) afterwards.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import os
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import click

#: Short posts like the ones members write; a counter makes each text different.
POSTS = (
    "Join us for World Breastfeeding Week at the town library on Saturday ({n}).",
    "Our drop-in latch clinic is open every Tuesday morning, all welcome! #{n}",
    "New evidence summary on responsive feeding is up on our website, issue {n}.",
    "Thank you to the {n} volunteers who staffed the helpline this month.",
    "Reminder: the members' meeting moves to room {n} next week.",
    "Call his mum Sarah on 07700 900123 about the latch, ref {n}",
)
MAX_RESPONSE_HEADER_BYTES = 64 * 1024
START_TIMEOUT_SECONDS = 180.0


class BenchError(click.ClickException):
    """A clear one-line failure (exit 2 through the CLI)."""


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    #: The server's CPU seconds when the warm-up ended (a server started here, on Linux).
    cpu_before: float | None = None

    def error(self, what: str) -> None:
        self.errors += 1
        self.statuses[what] = self.statuses.get(what, 0) + 1


def percentile(values: Sequence[float], pct: float) -> float:
    """The nearest-rank percentile of ``values`` (sorted or not); 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    path: str
    token: str

    @classmethod
    def from_url(cls, url: str, token: str) -> Target:
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise BenchError(f"--url must be an http:// address, not {url!r}")
        path = parts.path.rstrip("/") or ""
        if not path.endswith("/api/check"):
            path += "/api/check"
        return cls(parts.hostname, parts.port or 80, path, token)

    def request(self, n: int) -> bytes:
        body = json.dumps({"text": POSTS[n % len(POSTS)].format(n=n)}).encode()
        host = f"[{self.host}]" if ":" in self.host else self.host
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: {host}:{self.port}\r\n"
            f"Authorization: Bearer {self.token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: keep-alive\r\n\r\n"
        )
        return head.encode() + body


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """(status, keep the connection) after reading one whole response."""
    head = await reader.readuntil(b"\r\n\r\n")
    if len(head) > MAX_RESPONSE_HEADER_BYTES:
        raise ValueError("response header too large")
    lines = head.decode("latin-1").split("\r\n")
    version, status, *_ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name:
            headers[name.strip().lower()] = value.strip().lower()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.read()
        return int(status), False
    keep = headers.get("connection") != "close" and version == "HTTP/1.1"
    return int(status), keep


async def _connection(
    target: Target,
    counter: Iterator[int],
    deadline: float,
    record_from: float,
    result: Result,
    requests: int | None,
) -> None:
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    loop = asyncio.get_running_loop()
    for n in counter:
        if loop.time() >= deadline:
            break
        if requests is not None and len(result.latencies) + result.errors >= requests:
            break
        started = loop.time()
        try:
            if writer is None or reader is None:
                reader, writer = await asyncio.open_connection(target.host, target.port)
            writer.write(target.request(n))
            await writer.drain()
            status, keep = await _read_response(reader)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            if started >= record_from:
                result.error("connection")
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.01)
            continue
        finished = loop.time()
        if started >= record_from and finished <= deadline:
            if status == 200:
                result.latencies.append(finished - started)
            else:
                result.error(str(status))
        if not keep and writer is not None:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def _load(
    target: Target,
    connections: int,
    seconds: float,
    warmup: float,
    requests: int | None,
    server_pid: int | None,
) -> Result:
    result = Result()
    loop = asyncio.get_running_loop()
    record_from = loop.time() + warmup
    deadline = record_from + seconds
    counter = itertools.count(1)

    def note_server_cpu() -> None:
        if server_pid is not None:
            result.cpu_before = tree_cpu_seconds(server_pid)

    loop.call_at(record_from, note_server_cpu)
    await asyncio.gather(
        *(
            _connection(target, counter, deadline, record_from, result, requests)
            for _ in range(connections)
        )
    )
    result.seconds = min(loop.time(), deadline) - record_from
    return result


def run_load(
    target: Target,
    *,
    connections: int,
    seconds: float,
    warmup: float,
    requests: int | None,
    server_pid: int | None = None,
) -> Result:
    return asyncio.run(_load(target, connections, seconds, warmup, requests, server_pid))


# --- a server of its own ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _postguard(*args: str) -> list[str]:
    return [sys.executable, "-m", "postguard.cli", *args]


def _server_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGUARD_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env["POSTGUARD_DATA_DIR"] = str(data_dir)
    return env


def make_token(data_dir: Path) -> str:
    """An administrator and a token in a fresh data directory."""
    env = _server_env(data_dir)
    env["POSTGUARD_ADMIN_PASSWORD"] = secrets.token_urlsafe(24)
    made = subprocess.run(
        _postguard("createadmin", "bench", "--email", "bench@example.org", "--org", "Bench"),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        raise BenchError(f"could not create the bench user: {made.stderr.strip()}")
    token = subprocess.run(
        _postguard("token", "create", "bench", "--name", "bench-api"),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if token.returncode != 0 or not token.stdout.strip():
        raise BenchError(f"could not create a token: {token.stderr.strip()}")
    return token.stdout.strip().splitlines()[0]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return int(response.status) == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def own_server(
    server: str, workers: int | None, threads: int | None
) -> Iterator[tuple[str, str, int]]:
    """Start ``postguard serve`` on a free port of 127.0.0.1; yield (url, token, pid)."""
    with tempfile.TemporaryDirectory(prefix="postguard-bench-api-") as folder:
        data_dir = Path(folder)
        token = make_token(data_dir)
        port = free_port()
        command = _postguard(
            "serve", "--no-demo", "--host", "127.0.0.1", "--port", str(port), "--server", server
        )
        if workers is not None:
            command += ["--workers", str(workers)]
        if threads is not None:
            command += ["--threads", str(threads)]
        log_path = data_dir / "serve.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command,
                env=_server_env(data_dir),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            while not _answers(f"{url}/login/"):
                if process.poll() is not None or time.monotonic() > deadline:
                    output = log_path.read_text(encoding="utf-8", errors="replace").strip()
                    last = output.splitlines()[-1] if output else "no output"
                    raise BenchError(f"the server did not start (exit {process.poll()}): {last}")
                time.sleep(0.2)
            yield url, token, process.pid
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=30)


def _stat(pid: str) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its reaped children) from /proc."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[1]), sum(int(value) for value in fields[11:15]) / ticks


def tree_cpu_seconds(root: int) -> float | None:
    """CPU seconds used so far by a process and its descendants (Linux), else None."""
    if not Path(f"/proc/{root}/stat").exists():
        return None
    stats = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            found = _stat(entry)
            if found is not None:
                stats[int(entry)] = found
    total = 0.0
    for pid, (_, cpu) in stats.items():
        current = pid
        for _ in range(64):
            if current == root:
                total += cpu
                break
            parent = stats.get(current)
            if parent is None or parent[0] in (0, current):
                break
            current = parent[0]
    return total


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def report(
    result: Result, connections: int, cpu: float, server_cpu: float | None = None
) -> list[str]:
    ms = [value * 1000 for value in result.latencies]
    count = len(ms)
    rate = count / result.seconds if result.seconds > 0 else 0.0
    lines = [
        f"requests: {count} in {result.seconds:.1f} s, errors: {result.errors}"
        + (
            " (" + ", ".join(f"{k}: {v}" for k, v in sorted(result.statuses.items())) + ")"
            if result.statuses
            else ""
        ),
        f"requests/s: {rate:.1f}",
        f"latency ms: p50 {percentile(ms, 50):.1f}  p95 {percentile(ms, 95):.1f}  "
        f"p99 {percentile(ms, 99):.1f}  max {max(ms, default=0.0):.1f}",
        f"load generator CPU: {cpu:.1f} s ({connections} connections, one process, "
        "sharing the machine with the server)",
    ]
    if server_cpu is not None and count:
        lines.append(
            f"server CPU: {server_cpu:.1f} s, {server_cpu / count * 1000:.2f} ms per request "
            f"(all its processes; {os.cpu_count()} cores here)"
        )
    return lines


@click.command("bench-api")
@click.option("--url", help="A running server (http://HOST:PORT); default: start one here.")
@click.option("--token", envvar="POSTGUARD_BENCH_TOKEN", help="A token for --url.")
@click.option("--connections", default=8, show_default=True, type=click.IntRange(1, 256))
@click.option("--seconds", default=10.0, show_default=True, type=click.FloatRange(0.1, 3600))
@click.option("--warmup", default=2.0, show_default=True, type=click.FloatRange(0, 600))
@click.option(
    "--requests",
    type=click.IntRange(1, 10_000_000),
    default=None,
    help="Stop after this many measured requests (default: run for --seconds).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="The server's gunicorn workers (default: its own default, the cores).",
)
@click.option("--threads", type=click.IntRange(1, 64), default=None, help="Per server process.")
@click.option(
    "--server",
    type=click.Choice(["auto", "gunicorn", "waitress"]),
    default="auto",
    show_default=True,
    help="The server to start (without --url).",
)
def bench_api(
    url: str | None,
    token: str | None,
    connections: int,
    seconds: float,
    warmup: float,
    requests: int | None,
    workers: int | None,
    threads: int | None,
    server: str,
) -> None:
    """Measure POST /api/check under load: requests/s and latency at a fixed number of
    connections (a server started here on 127.0.0.1, or --url with --token)."""
    if url is not None and not token:
        raise BenchError("--url needs --token (or POSTGUARD_BENCH_TOKEN)")
    if url is not None and (workers is not None or threads is not None or server != "auto"):
        raise BenchError("--workers, --threads and --server apply to a server started here")

    def measure(base: str, secret: str, started: str, server_pid: int | None = None) -> None:
        target = Target.from_url(base, secret)
        click.echo(
            f"bench-api: POST {base}{target.path.removeprefix(urlsplit(base).path)} "
            f"({started}), {connections} connections, {seconds:g} s after {warmup:g} s warm-up"
        )
        before = _cpu_seconds()
        result = run_load(
            target,
            connections=connections,
            seconds=seconds,
            warmup=warmup,
            requests=requests,
            server_pid=server_pid,
        )
        spent = _cpu_seconds() - before
        server_cpu = None
        if server_pid is not None and result.cpu_before is not None:
            after = tree_cpu_seconds(server_pid)
            server_cpu = None if after is None else after - result.cpu_before
        for line in report(result, connections, spent, server_cpu):
            click.echo(line)
        if not result.latencies:
            sys.exit(1)

    if url is not None:
        measure(url.rstrip("/"), token or "", "given server")
        return
    shape = f"server {server}"
    if workers is not None:
        shape += f", {workers} workers"
    if threads is not None:
        shape += f", {threads} threads"
    with own_server(server, workers, threads) as (base, secret, pid):
        measure(base, secret, f"started here: {shape}", pid)
