"""Write a synthetic X archive of short posts for benchmarking ``postguard audit-archive``.

    python scripts/make_archive_bench.py OUT_DIR --posts 1000000

OUT_DIR gets ``data/tweets.js``, ``data/tweets-part1.js``, ... (X splits a large
archive the same way, ``window.YTD.tweets.partN = [...]``) and ``data/account.js``.
Posts are short (20-200 characters), made from templates with a fixed seed, so the
same command writes the same archive; about one in six breaks a code (a phone
number, a client's name, formula marketing, individual advice), the rest do not.
Every person and number in them is made up (555-01xx numbers).
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

CLEAN = [
    "Lovely evening at our breastfeeding support group, thank you all for coming! #{tag}",
    "New research on donor milk banks is out this week; worth a read for every IBCLC.",
    "Our association's conference early-bird rate ends Friday. Register on the website.",
    "Reminder: World Breastfeeding Week starts on 1 August. Plan your events now.",
    "Proud of our volunteers who ran {n} drop-in sessions this month across the region.",
    "A good latch takes practice. Our free leaflet explains the basics in six languages.",
    "We are recruiting peer supporters for the {town} group; training starts in {month}.",
    "Thank you to the hospital team for hosting our study day on tongue-tie assessment.",
    "Pumping at work is a right in many countries. Know your rights before you go back.",
    "Our next webinar covers safe formula preparation for families who need it.",
]
FLAGGED = [
    "Call me on 555-01{nn} if your baby is still not feeding well, I'll sort it out.",
    "Saw little {name} and her mum today, the tongue-tie is much better after the clip.",
    "Use code MILK{nn} for 20% off Similac formula this week only!",
    "Your baby should take 120 ml every three hours and you must stop the nipple shield.",
    "{name} {surname} at 12 Oak Street had such a hard time with mastitis, bless her.",
    "DM me your baby's weight and birth date and I'll tell you what to change.",
]
NAMES = ["Amelia", "Sofia", "Priya", "Chloe", "Fatima", "Grace", "Maya", "Zoe"]
SURNAMES = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Brennan", "Haddad"]
TOWNS = ["Leeds", "Cork", "Geelong", "Halifax", "Dunedin", "Tampere"]
MONTHS = ["March", "June", "September", "November"]
PART_SIZE = 100_000


def post_text(rng: random.Random) -> str:
    template = rng.choice(FLAGGED) if rng.random() < 1 / 6 else rng.choice(CLEAN)
    return template.format(
        tag=rng.randrange(1000),
        n=rng.randrange(5, 80),
        nn=f"{rng.randrange(100):02d}",
        town=rng.choice(TOWNS),
        month=rng.choice(MONTHS),
        name=rng.choice(NAMES),
        surname=rng.choice(SURNAMES),
    )


def write_archive(out: Path, posts: int, seed: int = 13) -> list[Path]:
    rng = random.Random(seed)
    data = out / "data"
    data.mkdir(parents=True, exist_ok=True)
    account = [{"account": {"username": "bench_member", "accountId": "1"}}]
    (data / "account.js").write_text(
        "window.YTD.account.part0 = " + json.dumps(account), encoding="utf-8"
    )
    start = datetime(2012, 1, 1, tzinfo=UTC)
    span = (datetime(2026, 1, 1, tzinfo=UTC) - start).total_seconds()
    written = []
    for part, first in enumerate(range(0, posts, PART_SIZE)):
        name = "tweets.js" if part == 0 else f"tweets-part{part}.js"
        tweets = []
        for number in range(first, min(posts, first + PART_SIZE)):
            when = start + timedelta(seconds=span * number / max(1, posts))
            tweet = {
                "id_str": str(10_000_000_000 + number),
                "full_text": post_text(rng),
                "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"),
                "in_reply_to_status_id_str": str(number) if number % 9 == 0 else None,
            }
            tweets.append({"tweet": tweet})
        path = data / name
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(f"window.YTD.tweets.part{part} = ")
            json.dump(tweets, handle, ensure_ascii=False)
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    files = write_archive(args.out, args.posts, args.seed)
    print(f"wrote {args.posts:,} posts in {len(files)} files under {args.out / 'data'}")


if __name__ == "__main__":
    main()
