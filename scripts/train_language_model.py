"""Train the "harassment or bias aimed at people" model and export it as JSON.

Data:

* the project's tuning splits ``corpus/posts-dev.jsonl``, ``posts-dev2.jsonl``
  and ``posts-dev3.jsonl`` (an item is positive when it is labelled
  ``language.harassment`` or ``language.bias``). The held-out test split is
  never opened: the files are named one by one.
* optionally Davidson et al., "Automated Hate Speech Detection and the
  Problem of Offensive Language", ICWSM 2017 (MIT licence), as copied to
  ``../shared/data/davidson-offensive/labeled_data.csv``: a seeded sample of
  tweets (hate and offensive = positive, neither = negative) with a small
  sample weight, so that it widens the vocabulary without swamping the
  domain data. Its weight (0 = not used) is a hyperparameter.

The model scores the same spans the detector scores (``language.units``:
a short post whole, a long one in sentence pairs); an item's score is its
highest span score. Negative items give one training row per span; a
positive item with several spans gives its highest-scoring span (from a
first fit without those items), because the label does not say which span
is the violation.

Hyperparameters (C, the Davidson weight) and the decision threshold are
chosen by 5-fold cross-validation grouped by item, on the training data only:
the best mean average precision of out-of-fold item scores; the threshold is
the lowest whose out-of-fold precision is at least 0.9.

scikit-learn is used here only. The exported JSON is evaluated in pure
Python by ``postguard.detectors._linear_model`` (whose feature function for
the exported tokenizer id is also the analyzer given to scikit-learn here);
this script checks that it
reproduces scikit-learn's probabilities on every training span (max abs
difference < 1e-6), for both the single and the batched scorer.

Usage (from the project root)::

    .venv/bin/python scripts/train_language_model.py [--davidson CSV] [--out FILE]

When the corpus is missing the script says so and exits 0; without the
Davidson file it trains on the corpus alone and says so.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import json
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import _training as tr
from _training import ROOT

from postguard.detectors import _linear_model as lm
from postguard.detectors import language

CORPUS = ROOT / "corpus"
SPLITS = ("posts-dev.jsonl", "posts-dev2.jsonl", "posts-dev3.jsonl")
DEFAULT_DAVIDSON = ROOT.parent / "shared" / "data" / "davidson-offensive" / "labeled_data.csv"
DEFAULT_OUT = ROOT / "src" / "postguard" / "data" / "language_model.json"
POSITIVE = frozenset({"language.harassment", "language.bias"})
C_GRID = (4.0, 16.0)
DAVIDSON_WEIGHTS = (0.0, 0.01, 0.05)
DAVIDSON_SAMPLE = 4000
MIN_DF = 2
MAX_FEATURES = 20_000
TARGET_PRECISION = 0.9
FOLDS = 5
SEED = 20170515  # ICWSM 2017 opening day; any fixed value would do
#: The feature spec exported with the model (w:/b: words, in-word char 3-5grams).
SPEC: dict[str, Any] = {"tokenizer": lm.LANGUAGE_TOKENIZER}


@dataclass
class Item:
    group: str
    text: str
    label: int
    spans: list[str]


def read_corpus() -> list[Item]:
    items: list[Item] = []
    for name in SPLITS:
        for line in (CORPUS / name).read_text("utf-8").splitlines():
            if not line.strip():
                continue
            obj = json.loads(line)
            text = str(obj["text"])
            label = int(bool(POSITIVE & set(obj.get("labels", []))))
            spans = [text[a:b] for a, b in language.units(text)] or [text]
            items.append(Item(f"{name}:{obj['id']}", text, label, spans))
    return items


_MENTION = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+")
_RT = re.compile(r"(?:^|\s)RT\b:?")


def read_davidson(path: Path, count: int, seed: int) -> tuple[list[str], list[int]]:
    """A seeded, class-stratified sample of cleaned tweets and 0/1 labels."""
    by_class: dict[int, list[str]] = {0: [], 1: [], 2: []}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            tweet = html.unescape(row["tweet"])
            tweet = _URL.sub(" ", _MENTION.sub("@user", _RT.sub(" ", tweet)))
            by_class[int(row["class"])].append(" ".join(tweet.split()))
    rng = random.Random(seed)
    # Keep every hate tweet the sample has room for, and as many "neither"
    # as hate and offensive together, so the sample is balanced.
    hate = rng.sample(by_class[0], min(len(by_class[0]), count // 4))
    offensive = rng.sample(by_class[1], min(len(by_class[1]), count // 2 - len(hate)))
    neither = rng.sample(by_class[2], min(len(by_class[2]), count - len(hate) - len(offensive)))
    texts = hate + offensive + neither
    labels = [1] * (len(hate) + len(offensive)) + [0] * len(neither)
    return texts, labels


def prf(labels: Sequence[int], preds: Sequence[bool]) -> tuple[float, float, float]:
    """Precision, recall, F1; precision is 1 when nothing is predicted."""
    return tr.prf(labels, preds, empty_precision=1.0)


def pick_threshold(labels: Sequence[int], scores: Sequence[float]) -> float:
    """The lowest threshold (0.01 grid) whose precision reaches the target."""
    return tr.lowest_threshold(labels, scores, TARGET_PRECISION, empty_precision=1.0)


def sig(x: float) -> float:
    return tr.sig(x, 10)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--davidson", type=Path, default=DEFAULT_DAVIDSON)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--dump-oof", type=Path, help="write out-of-fold span scores here")
    args = parser.parse_args(argv)

    missing = [str(CORPUS / name) for name in SPLITS if not (CORPUS / name).is_file()]
    if missing:
        print(
            f"skipped: the tuning corpus is not available ({missing[0]} is missing).",
            file=sys.stderr,
        )
        return 0
    davidson_path: Path = args.davidson
    use_davidson = davidson_path.is_file()
    if not use_davidson:
        print(
            f"note: {davidson_path} is missing; training on the project corpus only.\n"
            "Davidson et al. 2017 (MIT) is at github.com/t-davidson/"
            "hate-speech-and-offensive-language; pass --davidson FILE.",
            file=sys.stderr,
        )

    # Imported late: the script must be able to skip without scikit-learn.
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score
    from sklearn.model_selection import GroupKFold

    items = read_corpus()
    tweets, tweet_labels = (
        read_davidson(davidson_path, DAVIDSON_SAMPLE, SEED) if use_davidson else ([], [])
    )
    positives = sum(i.label for i in items)
    print(
        f"corpus: {len(items)} items ({positives} harassment/bias), "
        f"{sum(len(i.spans) for i in items)} spans; davidson sample: {len(tweets)} tweets"
    )
    weights_grid = DAVIDSON_WEIGHTS if use_davidson else (0.0,)
    vectorizer = tr.vectorizer_factory(lm.feature_spec(SPEC).features, MIN_DF)
    classifier = tr.classifier_factory(SEED, balanced=True)

    def rows(
        train: Sequence[Item], chosen: dict[str, str], d_weight: float
    ) -> tuple[list[str], list[int], list[float]]:
        texts: list[str] = []
        labels: list[int] = []
        weights: list[float] = []
        for item in train:
            if item.label == 0 or len(item.spans) == 1:
                spans = item.spans
            elif item.group in chosen:
                spans = [chosen[item.group]]
            else:
                continue
            texts.extend(spans)
            labels.extend([item.label] * len(spans))
            weights.extend([1.0] * len(spans))
        if d_weight > 0:
            texts.extend(tweets)
            labels.extend(tweet_labels)
            weights.extend([d_weight] * len(tweets))
        return texts, labels, weights

    def fit(
        train: Sequence[Item], c: float, d_weight: float, vocabulary: dict[str, int] | None = None
    ) -> tuple[TfidfVectorizer, LogisticRegression]:
        """Fit; then pick each multi-span positive's best span and refit."""
        chosen: dict[str, str] = {}
        vec, clf = _fit_rows(rows(train, chosen, d_weight), c, vocabulary)
        multi = [i for i in train if i.label and len(i.spans) > 1]
        if multi:
            for item in multi:
                probs = clf.predict_proba(vec.transform(item.spans))[:, 1]
                chosen[item.group] = item.spans[int(np.argmax(probs))]
            vec, clf = _fit_rows(rows(train, chosen, d_weight), c, vocabulary)
        return vec, clf

    def _fit_rows(
        data: tuple[list[str], list[int], list[float]],
        c: float,
        vocabulary: dict[str, int] | None,
    ) -> tuple[TfidfVectorizer, LogisticRegression]:
        texts, labels, weights = data
        vec = vectorizer(vocabulary)
        x = vec.fit_transform(texts)
        clf = classifier(c).fit(x, np.array(labels), sample_weight=np.array(weights))
        return vec, clf

    def span_scores(
        vec: TfidfVectorizer, clf: LogisticRegression, batch: Sequence[Item]
    ) -> list[list[float]]:
        spans = [s for item in batch for s in item.spans]
        probs = clf.predict_proba(vec.transform(spans))[:, 1].tolist()
        out: list[list[float]] = []
        cursor = 0
        for item in batch:
            out.append(probs[cursor : cursor + len(item.spans)])
            cursor += len(item.spans)
        return out

    labels = [i.label for i in items]
    groups = [i.group for i in items]
    folds = list(GroupKFold(n_splits=FOLDS).split(items, labels, groups))
    results: dict[tuple[float, float], tuple[float, list[float]]] = {}
    oof_spans: dict[tuple[float, float], list[list[float]]] = {}
    started = time.perf_counter()
    for c in C_GRID:
        for d_weight in weights_grid:
            per_span: list[list[float]] = [[] for _ in items]
            for fit_idx, val_idx in folds:
                vec, clf = fit([items[i] for i in fit_idx], c, d_weight)
                scored = span_scores(vec, clf, [items[i] for i in val_idx])
                for i, s in zip(val_idx, scored, strict=True):
                    per_span[int(i)] = s
            oof = [max(s) for s in per_span]
            oof_spans[(c, d_weight)] = per_span
            ap = float(average_precision_score(labels, oof))
            results[(c, d_weight)] = (ap, oof)
            t = pick_threshold(labels, oof)
            p, r, f1 = prf(labels, [s >= t for s in oof])
            print(
                f"  cv C={c:g} davidson={d_weight:g}: AP {ap:.3f}; at {t:.2f}: "
                f"P {p:.3f} R {r:.3f} F1 {f1:.3f}  ({time.perf_counter() - started:.0f}s)"
            )
    c_best, d_best = max(results, key=lambda key: results[key][0])
    ap_best, oof_best = results[(c_best, d_best)]
    threshold = pick_threshold(labels, oof_best)
    cv_p, cv_r, cv_f1 = prf(labels, [s >= threshold for s in oof_best])
    cv_at_half = prf(labels, [s >= 0.5 for s in oof_best])
    if args.dump_oof is not None:
        # Out-of-fold span scores, for tuning how the detector combines the
        # model with its rules without scoring items the model was fitted on.
        dump = {i.group: s for i, s in zip(items, oof_spans[(c_best, d_best)], strict=True)}
        args.dump_oof.write_text(json.dumps(dump), "utf-8")

    # Fit on everything, keep the strongest features, refit on that
    # vocabulary so that the exported model is exactly the evaluated one.
    vec, clf = fit(items, c_best, d_best)
    names = vec.get_feature_names_out()
    coef = clf.coef_[0]
    order = np.argsort(-np.abs(coef))[:MAX_FEATURES]
    kept = sorted(str(names[i]) for i in order if abs(coef[i]) > 1e-4)
    vec, clf = fit(items, c_best, d_best, {term: i for i, term in enumerate(kept)})
    spans = [s for item in items for s in item.spans]
    sk_prob = clf.predict_proba(vec.transform(spans))[:, 1]

    idf = vec.idf_
    coef = clf.coef_[0]
    blob: dict[str, Any] = {
        "format": language.LANGUAGE_MODEL_FORMAT,
        **SPEC,
        "features": "word 1-2grams and in-word char 3-5grams (postguard.detectors."
        "_linear_model, tokenizer postguard-language-features/1)",
        "sublinear_tf": True,
        "norm": "l2",
        "bias": sig(float(clf.intercept_[0])),
        "threshold": threshold,
        "terms": {t: [sig(float(idf[i])), sig(float(coef[i]))] for i, t in enumerate(kept)},
    }
    model = tr.load_exported(blob, language.LANGUAGE_MODEL_FORMAT)
    max_diff = tr.max_single_diff(model, spans, sk_prob.tolist())
    if not tr.reproduces(max_diff):
        return 1
    sample = [s for s in spans if 150 <= len(s) <= 250][:300]
    model.score_many(sample)
    start = time.perf_counter()
    for _ in range(5):
        model.score_many(sample)
    batch_us = (time.perf_counter() - start) / (5 * len(sample)) * 1e6

    import sklearn

    blob["provenance"] = {
        "datasets": [
            "postguard corpus/posts-dev.jsonl, posts-dev2.jsonl, posts-dev3.jsonl "
            "(project-written, labels language.harassment or language.bias = positive)",
            *(
                [
                    "Davidson et al., 'Automated Hate Speech Detection and the Problem of "
                    "Offensive Language', ICWSM 2017 (github.com/t-davidson/"
                    "hate-speech-and-offensive-language), MIT licence: a seeded sample of "
                    f"{len(tweets)} tweets, classes 0+1 positive, 2 negative"
                ]
                if use_davidson and d_best > 0
                else []
            ),
        ],
        "items": len(items),
        "positives": positives,
        "davidson_weight": d_best,
        "model": f"TF-IDF (sublinear tf, l2) + LogisticRegression(C={c_best:g}, "
        "class_weight=balanced)",
        "selection": f"C in {list(C_GRID)}, Davidson weight in {list(weights_grid)} by "
        f"{FOLDS}-fold CV grouped by item (mean AP of item scores); threshold = lowest "
        f"with out-of-fold precision >= {TARGET_PRECISION}",
        "cv": {
            "average_precision": round(ap_best, 4),
            "threshold": threshold,
            "precision": round(cv_p, 4),
            "recall": round(cv_r, 4),
            "f1": round(cv_f1, 4),
            "at_0.5": [round(x, 4) for x in cv_at_half],
        },
        "features_kept": len(kept),
        "trained": dt.date.today().isoformat(),
        "trained_with": f"scikit-learn {sklearn.__version__}",
        "command": "python scripts/train_language_model.py",
    }
    out: Path = args.out
    note = tr.write_model(out, blob, render_note(blob["provenance"], results, max_diff, batch_us))
    size = out.stat().st_size
    print(
        f"chosen C={c_best:g}, davidson weight {d_best:g}, threshold {threshold:.2f}; "
        f"{len(kept)} features; {size:,} bytes"
    )
    print(f"cv (out-of-fold, items): AP {ap_best:.3f} P {cv_p:.3f} R {cv_r:.3f} F1 {cv_f1:.3f}")
    tr.report_written(
        out, note, max_diff, f"batched scoring: {batch_us:.1f} µs per 150-250 char span"
    )
    return 0


def render_note(
    prov: dict[str, Any],
    results: dict[tuple[float, float], tuple[float, list[float]]],
    max_diff: float,
    us: float,
) -> str:
    cv = prov["cv"]
    grid = "\n".join(f"| {c:g} | {w:g} | {ap:.3f} |" for (c, w), (ap, _) in sorted(results.items()))
    data = "\n".join(f"- {d}" for d in prov["datasets"])
    davidson = (
        "\nAlso tried: Davidson et al., 'Automated Hate Speech Detection and the Problem of"
        " Offensive\nLanguage', ICWSM 2017 (MIT licence; github.com/t-davidson/"
        "hate-speech-and-offensive-language),\na seeded class-balanced sample of tweets as"
        " down-weighted extra training rows. Cross-\nvalidation preferred weight 0 (the"
        " tweets' slurs and slang do not transfer to these\nposts), so the shipped model"
        " contains none of it.\n"
        if prov["davidson_weight"] == 0 and len(results) > 1
        else ""
    )
    return f"""# language_model.json: "harassment or bias aimed at people"

A small TF-IDF + logistic-regression classifier used by
`postguard.detectors.language` as a complement to the hand-written
harassment and bias rules. It is evaluated by
`postguard.detectors._linear_model` (pure Python, numpy for batches): no
scikit-learn and no pickle at run time.

How the detectors use it (conservatively): only on a document the rules did
not flag, only on candidate spans, and a span is a hit when the model's
probability is at least the detectors' `model_threshold` (default 0.4, lower
than the model's own threshold below because of the extra conditions) and

- harassment: the span addresses or names a person (you, she, a role,
  a name, an @handle), names no protected group, and holds a weak rule cue
  (an unaimed insult, a contempt word, a vocative) the rules could not act on;
- bias: the span names a protected group the rule reports and holds a
  generalising or derogatory cue the rules set aside, and does not speak to
  someone directly ("you lot are ...", which is harassment).

Data used for the shipped model:

{data}
{davidson}
The held-out split `corpus/posts-test.jsonl` is not used.

| | |
|---|---|
| items | {prov["items"]} ({prov["positives"]} positive) |
| model | {prov["model"]}, {prov["features_kept"]} features kept |
| selection | {prov["selection"]} |
| Davidson weight chosen | {prov["davidson_weight"]} |
| trained | {prov["trained"]} with {prov["trained_with"]} |

Cross-validation (out-of-fold item scores; an item's score is its best span):

| C | Davidson weight | average precision |
|---:|---:|---:|
{grid}

At the chosen threshold {cv["threshold"]:.2f}: precision {cv["precision"]:.3f}, recall
{cv["recall"]:.3f}, F1 {cv["f1"]:.3f}. (At 0.5: P/R/F1 {cv["at_0.5"]}.)

These are the only honest figures: the corpus splits the model is trained on
are also the splits the rules were tuned on, so figures on them measure fit,
not generalisation. The exported model keeps the strongest features and is
refitted on them, so it differs slightly from the cross-validated ones.

The pure-Python scorers reproduce scikit-learn's probabilities on every
training span (max abs difference {max_diff:.1e}); the batched scorer takes
about {us:.0f} µs per 150-250 character span on the training machine.

Reproduce, from the project root (needs scikit-learn; uses
`../shared/data/davidson-offensive/labeled_data.csv` when present):

    .venv/bin/python scripts/train_language_model.py
"""


if __name__ == "__main__":
    raise SystemExit(main())
