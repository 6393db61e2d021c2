"""Per-language figures of the multilingual detector and language identification.

Usage (from the project root)::

    .venv/bin/python scripts/eval_multilingual.py [--file tests/data/multilingual_eval.jsonl]

Reads a JSONL of ``{"lang", "text", "direction", "expected"}`` items
(``expected``: the category the item must get, or null for a compliant
item), checks each through the default engine (a comment for inbound items,
a post for outbound ones) and prints, per language:

- language identification: the share of items identified as their language
  (``tl-en`` counts for ``tl``);
- precision: of the items with a finding in the multilingual families
  (``language.profanity``, ``language.harassment``, ``signal.*``), the share
  that should have one in the family found;
- recall: of the violating items, the share with a finding in their family.

The default table is self-written by the project and small (12 items a
language): figures with wide margins, not a benchmark.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict

from _training import ROOT

from postguard.content import Content, Context
from postguard.engine import Report, default_engine

FAMILIES = {
    "language.profanity",
    "language.harassment",
    "signal.negative",
    "signal.complaint",
    "signal.crisis",
}
#: Categories close enough to count for one another (a complaint is negative feedback).
KIN = {
    "signal.negative": {"signal.negative", "signal.complaint"},
    "signal.complaint": {"signal.complaint", "signal.negative"},
    "language.profanity": {"language.profanity", "language.harassment"},
    "language.harassment": {"language.harassment", "language.profanity"},
    "signal.crisis": {"signal.crisis"},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--file", default=str(ROOT / "tests" / "data" / "multilingual_eval.jsonl"))
    args = parser.parse_args()
    with open(args.file, encoding="utf-8") as handle:
        items = [json.loads(line) for line in handle if line.strip()]
    contents = [
        Content(
            text=item["text"],
            context=Context(
                "official",
                "comment" if item["direction"] == "inbound" else "post",
                "public",
                item["direction"],
            ),
        )
        for item in items
    ]
    reports = default_engine().check_many(contents)
    stats: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item, report in zip(items, reports, strict=True):
        assert isinstance(report, Report)
        lang = item["lang"]
        s = stats[lang]
        s["items"] += 1
        code = report.language.code if report.language else "und"
        s["identified"] += code == lang or (lang == "tl" and code == "tl-en")
        found = report.categories & FAMILIES
        expected = item["expected"]
        if expected:
            s["violating"] += 1
            s["caught"] += bool(found & KIN[expected])
        if found:
            s["flagged"] += 1
            s["right"] += bool(expected and found & KIN[expected])
    print("| language | items | identified | precision | recall |")
    print("|---|---:|---:|---:|---:|")
    total: dict[str, int] = defaultdict(int)
    for lang, s in stats.items():
        for key, value in s.items():
            total[key] += value
        print(_row(lang, s))
    print(_row("**all**", total))
    return 0


def _row(lang: str, s: dict[str, int]) -> str:
    precision = f"{s['right'] / s['flagged']:.2f}" if s["flagged"] else "-"
    recall = f"{s['caught'] / s['violating']:.2f} ({s['caught']}/{s['violating']})"
    identified = f"{s['identified']}/{s['items']}"
    return (
        f"| {lang} | {s['items']} | {identified} | {precision} "
        f"({s['right']}/{s['flagged']}) | {recall} |"
    )


if __name__ == "__main__":
    raise SystemExit(main())
