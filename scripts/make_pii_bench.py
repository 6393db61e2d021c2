"""Write a split of the PII benchmark as JSONL (one post a line, with its labelled spans).

    python scripts/make_pii_bench.py --split dev --out pii-dev.jsonl

For comparing other tools on the same posts; `postguard bench` generates the
set itself and needs no file. The output is the same for the same split and
size (Faker is seeded and pinned).
"""

from __future__ import annotations

import argparse
import json
import sys

from postguard.pii_bench import DEFAULT_SIZE, SPLITS, FakerMissing, generate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=sorted(SPLITS), default="dev")
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE)
    parser.add_argument("--out", default="-", help="output file (default: standard output)")
    args = parser.parse_args()
    try:
        samples = generate(SPLITS[args.split], args.size)
    except FakerMissing as exc:
        print(f"make_pii_bench: {exc}", file=sys.stderr)
        return 2
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")  # noqa: SIM115
    try:
        with out:
            for sample in samples:
                out.write(json.dumps(sample.to_dict(), ensure_ascii=False) + "\n")
    except BrokenPipeError:
        pass  # the reader stopped early (| head)
    return 0


if __name__ == "__main__":
    sys.exit(main())
