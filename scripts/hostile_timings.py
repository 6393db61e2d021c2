"""Time the engine on each hostile shape (postguard.hostile) at 200,000 characters.

    python scripts/hostile_timings.py [--size 200000] [--budget 1.5]

Prints a Markdown table: shape, CPU and wall seconds for one check (engine
built and warmed first), findings, and any note the engine added (work skipped
by the hit cap or the time budget). Wall time grows with the machine's load;
CPU time (of the checking thread) much less so.
"""

from __future__ import annotations

import argparse
import time

from postguard.engine import TEXT_BUDGET_S, Engine, make_content
from postguard.hostile import SEEDS, shape
from postguard.policy.loader import load_policy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--budget", type=float, default=TEXT_BUDGET_S)
    parser.add_argument("--direction", choices=("outbound", "inbound"), default="outbound")
    parser.add_argument("shapes", nargs="*", default=list(SEEDS))
    args = parser.parse_args()
    engine = Engine(load_policy(), budget=args.budget)
    engine.check(make_content("warm-up post about feeding"))
    kind = "comment" if args.direction == "inbound" else "post"
    print(
        f"| shape ({args.size:,} chars, {args.direction}) | CPU seconds | wall seconds "
        "| findings | notes |"
    )
    print("|---|---:|---:|---:|---|")
    worst = 0.0
    for name in args.shapes:
        content = make_content(shape(name, args.size), direction=args.direction, kind=kind)
        wall, cpu = time.perf_counter(), time.thread_time()
        report = engine.check(content)
        cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
        worst = max(worst, cpu)
        notes = "; ".join(report.notes) or "—"
        print(f"| {name} | {cpu:.2f} | {wall:.2f} | {len(report.findings)} | {notes} |", flush=True)
    print(f"\nslowest: {worst:.2f} CPU seconds")


if __name__ == "__main__":
    main()
