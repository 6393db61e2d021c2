"""Score the engine (every default detector, built-in packs) on the public
validation splits, as the issue's targets are measured on the test splits:

* offensive: TweetEval offensive val, a post (outbound, personal account) is
  positive when it gets any ``language.*`` finding; macro-F1;
* hate: TweetEval hate val, any ``language.bias`` or ``language.harassment``
  finding; macro-F1;
* negative: TweetEval sentiment val (negative versus the rest), an inbound
  comment on an official account is positive when it gets ``signal.negative``
  or ``signal.complaint``; F1 of the negative class.

Each figure has a 95 % bootstrap interval (1,000 resamples). The corpus
tuning splits are also scored (precision and recall of the same finding
families), as a check that the models keep the domain's precision; the
models were trained on those items, so their figures there are optimistic.

Usage (from the project root)::

    .venv/bin/python scripts/eval_public_models.py

Without ``../shared/data`` the script says so and exits 0.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

import _public_data as pdata
import _training as tr

from postguard.content import Content, Context
from postguard.engine import Report, default_engine

LANGUAGE = frozenset({"language.profanity", "language.harassment", "language.bias"})
HATE = frozenset({"language.bias", "language.harassment"})
NEGATIVE = frozenset({"signal.negative", "signal.complaint"})
OUTBOUND = Context("personal", "post", "public", "outbound")
INBOUND = Context("official", "comment", "public", "inbound")


def flagged(texts: Sequence[str], context: Context, family: frozenset[str]) -> list[bool]:
    reports = default_engine().check_many([Content(text=t, context=context) for t in texts])
    out: list[bool] = []
    for report in reports:
        if not isinstance(report, Report):
            out.append(False)
            continue
        out.append(bool(family & {f.category for f in report.findings}))
    return out


def main() -> int:
    needed = (
        pdata.tweeteval_paths("offensive", "val")
        + pdata.tweeteval_paths("hate", "val")
        + pdata.tweeteval_paths("sentiment", "val")
    )
    absent = pdata.missing(needed)
    if absent is not None:
        print(f"skipped: {absent} is not available.", file=sys.stderr)
        return 0
    rows = [
        ("offensive", pdata.tweeteval("offensive", "val"), OUTBOUND, LANGUAGE, "macro_f1"),
        ("hate", pdata.tweeteval("hate", "val"), OUTBOUND, HATE, "macro_f1"),
        ("negative", pdata.tweeteval_negative("val"), INBOUND, NEGATIVE, "f1"),
    ]
    print("| public validation split | n | measure | engine | 95 % interval |")
    print("|---|---:|---|---:|---|")
    for name, data, context, family, metric in rows:
        started = time.perf_counter()
        preds = flagged(data.texts, context, family)
        point, low, high = pdata.bootstrap(data.labels, preds, metric)
        took = time.perf_counter() - started
        print(
            f"| {name} (TweetEval val) | {len(data.texts)} | {metric} of "
            f"{' or '.join(sorted(family))} | {point:.3f} | [{low:.3f}, {high:.3f}] |"
            f"  <!-- {took:.0f}s -->"
        )
    print()
    print("| corpus tuning splits | n | positives | precision | recall | F1 |")
    print("|---|---:|---:|---:|---:|---:|")
    corpus_rows = [
        ("posts-dev*: any language.*", pdata.POST_SPLITS, OUTBOUND, LANGUAGE),
        ("posts-dev*: language.bias", pdata.POST_SPLITS, OUTBOUND, frozenset({"language.bias"})),
        ("comments-dev*: negative or complaint", pdata.COMMENT_SPLITS, INBOUND, NEGATIVE),
    ]
    for name, splits, context, family in corpus_rows:
        data = pdata.corpus(splits, family)
        texts = [t for t in data.texts]
        preds = flagged(texts, context, family)
        p, r, f1 = tr.prf(data.labels, preds)
        print(f"| {name} | {len(texts)} | {sum(data.labels)} | {p:.3f} | {r:.3f} | {f1:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
