"""How long one poll of a large feed takes without the network and the database:
parsing a feed of N entries, matching them against T terms with the presence detectors,
and the engine's triage of the matched ones (the work a poll does besides fetching and
storing). ``python -m postguard.web.presence.bench [--entries 500] [--terms 50]``"""

from __future__ import annotations

import argparse
import random
import time

from postguard.web.inbox import triage
from postguard.web.presence import detect
from postguard.web.presence.sources import parse_feed

WORDS = [
    "breastfeeding",
    "support",
    "group",
    "meeting",
    "library",
    "saturday",
    "latch",
    "clinic",
    "midwife",
    "family",
    "baby",
    "milk",
    "night",
    "feeds",
    "pump",
    "return",
    "work",
    "volunteers",
    "helpline",
    "week",
    "event",
    "talk",
]


def _feed(entries: int, terms: list[str], rng: random.Random) -> bytes:
    items = []
    for i in range(entries):
        words = [rng.choice(WORDS) for _ in range(60)]
        if i % 5 == 0:
            words.insert(rng.randrange(len(words)), rng.choice(terms))
        text = " ".join(words)
        items.append(
            f"<item><guid>g{i}</guid><title>Entry {i}</title><link>https://n.example/{i}</link>"
            f"<description>{text}</description></item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Bench</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--terms", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(12)
    terms = ["IPALA", "#WBW2026", *[f"Member Name{i}" for i in range(args.terms - 2)]]
    body = _feed(args.entries, terms, rng)
    triage.triage("warm-up")

    start = time.perf_counter()
    entries = parse_feed(body, "https://n.example/feed")
    parsed = time.perf_counter()
    matched = []
    for entry in entries:
        hay = f"{entry.title}\n{entry.text}"
        hits = detect.find_terms(hay, terms)
        # As the poller does: the text detectors only on entries that name a term.
        signals = [
            detect.impersonation(entry.author, "", terms[:2], ()),
            detect.endorsement_claim(hay, terms[:1]) if hits else None,
            detect.misinformation(hay) if hits else None,
        ]
        if hits or any(signals):
            matched.append(hay)
    matching = time.perf_counter()
    triage.triage_many(matched)
    done = time.perf_counter()
    print(
        f"{len(body) / 1e6:.2f} MB feed, {len(entries)} entries, {args.terms} terms, "
        f"{len(matched)} matched: parse {1000 * (parsed - start):.0f} ms, "
        f"match {1000 * (matching - parsed):.0f} ms, triage {1000 * (done - matching):.0f} ms, "
        f"total {1000 * (done - start):.0f} ms"
    )


if __name__ == "__main__":
    main()
