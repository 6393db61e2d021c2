"""Serving the workspace under load: gunicorn worker processes, one engine per worker.

``postguard serve`` runs gunicorn (on Linux and macOS) with ``--workers`` processes,
default one per usable core. The application and the engine (rules, models, the entity
gazetteers) are loaded once in the master and the workers are forked from it
("preload"): their memory is shared copy-on-write, a worker starts in milliseconds, and
one killed by the kernel or an operator is replaced at once by an identical one. The
master does not answer requests and holds no database connection when it forks.

Measured on the 2-core machine (docs/benchmarks.md): preloading beats loading in each
worker (``post_fork``): half the memory (182 against 365 MiB PSS for two workers), a
killed worker replaced in 0.04 s instead of 5 s. gunicorn's threaded workers (``gthread``)
keep connections alive; its sync workers close each one and served half as many checks.
Two threads per worker measured best: ``POST /api/check`` is CPU-bound (the GIL lets one
thread of a process check at a time), but a second thread covers the moments the first
waits on the network or the database.

The background worker (publishing, reading inboxes, periodic jobs) runs as its own
process (``postguard worker``), started and stopped with the server.

waitress (``--server waitress``, one process with threads) stays for Windows, where
gunicorn does not run, and for anyone who prefers it.
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from postguard.web.orgs.clients import Network

#: Seconds a worker may spend on one request before the master replaces it.
WORKER_TIMEOUT_SECONDS = 60
#: Seconds workers get to finish their requests after SIGTERM (a graceful stop).
GRACEFUL_TIMEOUT_SECONDS = 20
#: Seconds an idle keep-alive connection is kept (threaded workers only).
KEEPALIVE_SECONDS = 5
#: Threads per gunicorn worker by default: two, so that a worker keeps connections alive
#: and a slow client does not hold the whole process (measured in docs/benchmarks.md).
DEFAULT_THREADS = 2
#: A ceiling on --workers: each worker holds the engine's working memory.
MAX_WORKERS = 64


def usable_cores() -> int:
    """The cores this process may run on (a container's or taskset's limit included)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def gunicorn_available() -> bool:
    """gunicorn runs on POSIX systems only (it is not installed on Windows)."""
    if sys.platform == "win32":  # pragma: no cover
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:  # pragma: no cover
        return False
    return True


def bind_address(host: str, port: int) -> str:
    """gunicorn's ``bind``: an IPv6 address in brackets."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def gunicorn_options(
    *, host: str, port: int, workers: int, threads: int, proxies: tuple[Network, ...]
) -> dict[str, Any]:
    """gunicorn's settings for ``postguard serve``.

    ``forwarded_allow_ips`` is ``POSTGUARD_TRUSTED_PROXIES`` (empty, so nobody, by
    default: gunicorn's own default trusts 127.0.0.1). gunicorn then takes the scheme
    (X-Forwarded-Proto) only from those proxies; the client address is decided by
    postguard itself (postguard.web.orgs.clients), as under waitress."""
    return {
        "bind": [bind_address(host, port)],
        "workers": workers,
        # Threaded workers even with one thread: they keep connections alive (a sync
        # worker closes each one, and measured half the throughput) and a slow client
        # does not hold the process.
        "worker_class": "gthread",
        "threads": threads,
        "preload_app": True,
        "forwarded_allow_ips": ",".join(str(network) for network in proxies),
        "timeout": WORKER_TIMEOUT_SECONDS,
        "graceful_timeout": GRACEFUL_TIMEOUT_SECONDS,
        "keepalive": KEEPALIVE_SECONDS,
        "proc_name": "postguard",
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        # A control socket at a fixed path ($HOME/.gunicorn) would be shared by every
        # server on the machine (the tests run several).
        "control_socket_disable": True,
    }


def warm_up() -> None:
    """Load what every check needs (rules, models, gazetteers) before the workers fork,
    so that they share it and the first request of each is as fast as the rest."""
    from postguard.web.workflow import services as workflow

    workflow.check_text_with_rewrite(
        "Warm-up: call Sarah on 07700 900123 at St Mary's ward 4.", account="official"
    )
    workflow.redact_text("Warm-up: Sarah, 07700 900123.")


def _close_database_connections() -> None:
    # Nothing opened by the master may be shared with the workers it forks.
    from django.db import connections

    connections.close_all()


@dataclass
class BackgroundWorker:
    """``postguard worker`` as a child process of the server."""

    command: Sequence[str]
    process: subprocess.Popen[bytes] | None = field(default=None)
    #: The process that started it: gunicorn's workers are forked from the master and
    #: unwind through the same code when they exit; only the master stops the worker.
    owner: int = field(default_factory=os.getpid)

    def start(self) -> None:
        if self.process is None:
            self.owner = os.getpid()
            self.process = subprocess.Popen(list(self.command), stdin=subprocess.DEVNULL)

    def stop(self, timeout: float = 15.0) -> None:
        if os.getpid() != self.owner:
            return
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        # SIGINT is what Ctrl-C sends: the worker stops its loop.
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


def background_worker_command(interval: float) -> list[str]:
    return [sys.executable, "-m", "postguard.cli", "worker", "--interval", str(interval)]


def run_gunicorn(
    application: Callable[..., Any],
    options: dict[str, Any],
    *,
    on_ready: Callable[[], None] = lambda: None,
    on_exit: Callable[[], None] = lambda: None,
) -> None:
    """Serve ``application`` (already loaded, engine warm) with gunicorn until stopped."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            self.cfg.set("when_ready", lambda arbiter: on_ready())
            self.cfg.set("on_exit", lambda arbiter: on_exit())

        def load(self) -> Callable[..., Any]:
            # Called once, in the master (preload): close what loading opened and
            # freeze the loaded objects so the collector does not copy their pages
            # into every worker.
            _close_database_connections()
            gc.collect()
            gc.freeze()
            return application

    Server().run()
