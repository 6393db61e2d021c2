"""CPU-time throughput of the default engine on the short corpus tuning posts.

Usage (from the project root)::

    .venv/bin/python scripts/throughput_short_posts.py

Prints posts per second of CPU time (best of three ``check_many`` runs over
every posts-dev* item of at most 280 characters), every default detector on.
"""

from __future__ import annotations

import json
import time

from _training import ROOT

from postguard.content import Content, Context
from postguard.engine import default_engine

SPLITS = ("posts-dev.jsonl", "posts-dev2.jsonl", "posts-dev3.jsonl")


def main() -> int:
    texts: list[str] = []
    for name in SPLITS:
        for line in (ROOT / "corpus" / name).read_text("utf-8").splitlines():
            if line.strip():
                text = str(json.loads(line)["text"])
                if len(text) <= 280:
                    texts.append(text)
    engine = default_engine()
    context = Context("personal", "post", "public", "outbound")
    engine.check_many([Content(text=t, context=context) for t in texts[:50]])
    best = 0.0
    for _ in range(3):
        started = time.process_time()
        engine.check_many([Content(text=t, context=context) for t in texts])
        best = max(best, len(texts) / (time.process_time() - started))
    print(f"{len(texts)} short posts, best of 3: {best:.0f} posts/s of CPU time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
