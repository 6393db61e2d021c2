"""Run a command and print its wall time and the peak memory of its whole process tree.

    python scripts/peak_rss.py -- postguard audit-archive ...

CPU time is user + system time of every process of the tree that was waited
for (the worker processes of a local Dask cluster are). The peak is the largest
sum of resident memory over the command and all its children (Dask's worker
processes included), sampled every 0.2 s.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time

import psutil


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    started = time.perf_counter()
    process = subprocess.Popen(args)
    parent = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"peak_rss: exit {process.returncode}, {elapsed:.1f} s wall, "
        f"{usage.ru_utime + usage.ru_stime:.1f} s CPU (all processes), "
        f"peak memory of the process tree {peak / 2**20:,.0f} MiB",
        file=sys.stderr,
    )
    sys.exit(process.returncode)


if __name__ == "__main__":
    main()
