#!/usr/bin/env python
"""Measure gunicorn with the engine preloaded in the master against loaded in each worker:
time until both workers are ready, their memory (PSS), and how soon a SIGKILLed worker is
replaced. Usage (Linux; a data directory with a migrated database in POSTGUARD_DATA_DIR):

    PYTHONPATH=src python scripts/measure_preload.py preload|perworker PORT

Figures: docs/benchmarks.md, "Preloading the engine in the master or loading it in each worker".
"""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from typing import Any


def child(mode: str, port: int, marks: str) -> None:
    """The measured server: gunicorn with two workers, preloaded or not."""
    t0 = time.time()
    from gunicorn.app.base import BaseApplication

    from postguard.web import serving
    from postguard.web.commands import _setup

    _setup(None)
    opts = serving.gunicorn_options(host="127.0.0.1", port=port, workers=2, threads=2, proxies=())
    opts["preload_app"] = mode == "preload"

    def post_worker_init(worker: Any) -> None:
        with open(marks, "a") as f:
            f.write(f"{os.getpid()} {time.time()}\n")

    class App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in opts.items():
                self.cfg.set(key, value)
            self.cfg.set("post_worker_init", post_worker_init)

        def load(self) -> Any:
            from postguard.web.wsgi import application

            serving.warm_up()
            if mode == "preload":
                serving._close_database_connections()
                gc.collect()
                gc.freeze()
            return application

    with open(marks, "w") as f:
        f.write(f"start {t0}\n")
    App().run()


def _ready(marks: str) -> list[float]:
    try:
        with open(marks) as f:
            return [float(line.split()[1]) for line in f if not line.startswith("start")]
    except OSError:
        return []


def _smaps(pid: int, field: str) -> float:
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    mode, port = sys.argv[1], int(sys.argv[2])  # mode: preload | perworker
    marks = f"/tmp/postguard-preload-marks-{mode}.txt"
    if sys.argv[3:] == ["child"]:
        child(mode, port, marks)
        return
    server = subprocess.Popen([sys.executable, __file__, mode, str(port), "child"])
    while len(_ready(marks)) < 2:
        time.sleep(0.05)
    with open(marks) as f:
        start = float(f.readline().split()[1])
    ready = max(_ready(marks)) - start
    print(f"{mode}: both workers ready {ready:.2f} s after the process started")
    out = subprocess.run(
        ["ps", "--ppid", str(server.pid), "-o", "pid="], capture_output=True, text=True
    ).stdout.split()
    workers = [int(x) for x in out]
    time.sleep(1)
    pss = [_smaps(w, "Pss") for w in workers]
    rss = [_smaps(w, "Rss") for w in workers]
    master = _smaps(server.pid, "Pss")
    print(
        f"{mode}: master PSS {master:.0f} MiB; workers PSS "
        + ", ".join(f"{v:.0f}" for v in pss)
        + " MiB; RSS "
        + ", ".join(f"{v:.0f}" for v in rss)
        + f" MiB; total PSS {master + sum(pss):.0f} MiB"
    )
    seen = len(_ready(marks))
    killed_at = time.time()
    os.kill(workers[0], signal.SIGKILL)
    while len(_ready(marks)) <= seen:
        time.sleep(0.01)
    print(f"{mode}: a killed worker's replacement ready after {time.time() - killed_at:.2f} s")
    server.send_signal(signal.SIGTERM)
    server.wait()


if __name__ == "__main__":
    main()
