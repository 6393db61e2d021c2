"""Train the privacy case-narrative model and export it as plain JSON.

Data: the project's own labelled corpus, TUNING splits only
(``corpus/posts-dev.jsonl``, ``posts-dev2.jsonl``, ``posts-dev3.jsonl``).
The held-out ``posts-test.jsonl`` is never read: the script refuses any path
that names it. Labels are item-level: an outbound item is positive for a
head when the corpus labels it ``privacy.health`` (a specific case's health
details) or ``privacy.quasi_identifier`` (a combination that singles someone
out). Inbound comments follow different labelling rules and are left out;
the detectors use the model on outbound text only.

Features: word 1-2grams and character 4-grams of the tokens of
``postguard.detectors._linear_model`` (TF-IDF, sublinear tf, l2), one
logistic regression per head. The regularisation strength and each head's
threshold are chosen by stratified 5-fold cross-validation over the items
(every item sits in exactly one fold, so the folds are grouped by item).
The threshold maximises F0.5 (precision counts more: the model only adds
findings the rules missed). A leave-one-split-out estimate is reported too.

scikit-learn is used here only. The exported JSON is evaluated in pure Python
by ``postguard.detectors._linear_model.LinearModel``; the script checks that
its single and batched scorers agree with scikit-learn on every training text
(max abs difference < 1e-6).

Usage (from the project root)::

    .venv/bin/python scripts/train_privacy_model.py [--corpus FILE ...] [--out FILE]

When the corpus files are missing the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import _training as tr
from _training import ROOT

from postguard.detectors import _linear_model as lm

FORMAT = "postguard-privacy-logreg/1"
DEFAULT_CORPUS = tuple(ROOT / "corpus" / f"posts-{name}.jsonl" for name in ("dev", "dev2", "dev3"))
DEFAULT_OUT = ROOT / "src" / "postguard" / "data" / "privacy_model.json"
HEADS = {"health": "privacy.health", "quasi": "privacy.quasi_identifier"}
CHAR_NGRAMS = (4, 4)
#: The feature spec exported with the model (and given to scikit-learn).
SPEC: dict[str, Any] = {"tokenizer": lm.TOKENIZER, "char_ngrams": list(CHAR_NGRAMS)}
MIN_DF = 2
MAX_FEATURES = 20_000
C_GRID = (1.0, 4.0, 16.0, 64.0)
FOLDS = 5
BETA = 0.5
SEED = 20261121


def read_items(paths: Sequence[Path]) -> list[tuple[str, str, dict[str, int]]]:
    """(split name, text, {head: 0/1}) for every outbound item."""
    out: list[tuple[str, str, dict[str, int]]] = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                obj = json.loads(line)
                if obj.get("direction", "outbound") != "outbound":
                    continue
                labels = set(obj.get("labels", []))
                heads = {h: int(cat in labels) for h, cat in HEADS.items()}
                out.append((path.stem, str(obj["text"]), heads))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, nargs="+", default=list(DEFAULT_CORPUS))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    paths: list[Path] = args.corpus
    if any("test" in p.name for p in paths):
        print("refused: the held-out test split is never used for training.", file=sys.stderr)
        return 2
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(
            f"skipped: the tuning corpus is not available ({missing[0]} is missing).\n"
            "The privacy model is trained on the project's corpus/posts-dev*.jsonl files.",
            file=sys.stderr,
        )
        return 0

    # Imported late: the script must be able to skip without scikit-learn.
    import numpy as np
    import sklearn

    items = read_items(paths)
    texts = [t for _s, t, _h in items]
    splits = [s for s, _t, _h in items]
    ys = {h: np.array([lab[h] for _s, _t, lab in items]) for h in HEADS}
    print(
        f"{len(items)} outbound items from {', '.join(p.name for p in paths)}; "
        + ", ".join(f"{h}: {int(y.sum())} positive" for h, y in ys.items())
    )
    vectorizer = tr.vectorizer_factory(lm.feature_spec(SPEC).features, MIN_DF)
    classifier = tr.classifier_factory(SEED, balanced=True)
    objective = tr.f_beta_objective(BETA)

    def choose(labels: Sequence[int], probs: Sequence[float]) -> tuple[float, float]:
        """The threshold (0.01 grid, 0.2-0.95) maximising F0.5, and that F0.5."""
        return tr.best_threshold(labels, probs, objective, start=20)

    chosen: dict[str, tuple[float, float]] = {}
    cv_figures: dict[str, dict[str, Any]] = {}
    for head in HEADS:
        y = ys[head]
        folds = tr.stratified_folds(texts, y, FOLDS, SEED)
        c_best, t_best, oof = tr.select_c(
            texts, y, folds, C_GRID, vectorizer, classifier, choose, f"{head} ", "F0.5"
        )
        p, r, f1 = tr.prf(y.tolist(), [v >= t_best for v in oof.tolist()])
        chosen[head] = (c_best, t_best)
        cv_figures[head] = {
            "C": c_best,
            "threshold": t_best,
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f1, 3),
            "positives": int(y.sum()),
        }
        # Leave one split out: train on the others, score the held split at t_best.
        per_split: dict[str, dict[str, float]] = {}
        names = sorted(set(splits))
        if len(names) > 1:
            for name in names:
                fit_idx = [i for i, s in enumerate(splits) if s != name]
                val_idx = [i for i, s in enumerate(splits) if s == name]
                prob = tr.fit_predict(
                    texts, y, fit_idx, val_idx, vectorizer, partial(classifier, c_best)
                )
                per_split[name] = tr.rounded_prf(
                    [int(y[i]) for i in val_idx], [v >= t_best for v in prob]
                )
        cv_figures[head]["leave_one_split_out"] = per_split
        print(f"  {head}: C={c_best}, threshold {t_best:.2f}; CV P {p:.3f} R {r:.3f} F1 {f1:.3f}")
        for name, fig in per_split.items():
            print(
                f"    trained without {name}: P {fig['precision']:.3f} R {fig['recall']:.3f} "
                f"F1 {fig['f1']:.3f}"
            )

    vec, kept, final, sk_prob = tr.prune_and_refit_heads(
        texts, ys, {h: c for h, (c, _t) in chosen.items()}, vectorizer, classifier, MAX_FEATURES
    )
    heads = list(HEADS)
    blob: dict[str, Any] = {
        "format": FORMAT,
        "tokenizer": SPEC["tokenizer"],
        "features": "word 1-2grams + char 4-grams of postguard.detectors._linear_model.tokens",
        "char_ngrams": SPEC["char_ngrams"],
        "sublinear_tf": True,
        "norm": "l2",
        "heads": heads,
        "biases": [tr.sig(float(final[h].intercept_[0])) for h in heads],
        "thresholds": {h: chosen[h][1] for h in heads},
        "terms": tr.head_terms(kept, vec.idf_, [final[h].coef_[0] for h in heads]),
    }
    model = tr.load_exported(blob, FORMAT)
    max_diff = tr.max_head_diff(model, texts, sk_prob)
    if not tr.reproduces(max_diff):
        return 1

    start = time.perf_counter()
    for _ in range(3):
        for text in texts:
            model.scores(text)
    per_item_us = (time.perf_counter() - start) / (3 * len(texts)) * 1e6

    blob["provenance"] = {
        "dataset": "postguard's own labelled corpus, tuning splits only (test split never read)",
        "files": [p.name for p in paths],
        "items": len(items),
        "unit": "item (outbound items only); labels derived from the item's labels",
        "heads": {h: HEADS[h] for h in heads},
        "model": "TF-IDF (sublinear tf, l2) + LogisticRegression(class_weight='balanced')",
        "selection": f"C and threshold (max F{BETA}) by stratified {FOLDS}-fold CV over items",
        "cv": cv_figures,
        "features_kept": len(kept),
        "trained": dt.date.today().isoformat(),
        "trained_with": f"scikit-learn {sklearn.__version__}",
        "command": "python scripts/train_privacy_model.py",
    }
    out: Path = args.out
    note = tr.write_model(out, blob, render_note(blob["provenance"], max_diff, per_item_us))
    size = out.stat().st_size
    print(f"{len(kept)} features; {size:,} bytes")
    tr.report_written(out, note, max_diff, f"pure-Python scoring: {per_item_us:.1f} µs per item")
    return 0


def render_note(prov: dict[str, Any], max_diff: float, us: float) -> str:
    table = tr.cv_table(prov)
    loso_table = tr.leave_one_split_out_table(prov)
    return f"""# privacy_model.json: "is this post a case narrative?"

A small TF-IDF + logistic-regression model with two heads, used by
`postguard.detectors.privacy` as a conservative complement to the rules for
the two most open-ended categories: `privacy.health` (health details of a
specific case, even anonymised) and `privacy.quasi_identifier` (facts that
together single someone out). It never flags on its own: the detectors only
use it when the rules already found a health detail or identifying facets
and a person anchor. It is evaluated in pure Python by
`postguard.detectors._linear_model` (shared with the advice model): no
scikit-learn and no pickle at run time.

| | |
|---|---|
| data | {prov["dataset"]} |
| files | {", ".join(prov["files"])} ({prov["items"]} outbound items) |
| unit | {prov["unit"]} |
| model | {prov["model"]}, word 1-2grams + char 4-grams, {prov["features_kept"]} features kept |
| selection | {prov["selection"]} |
| trained | {prov["trained"]} with {prov["trained_with"]} |

These files are also the splits the rules were tuned on, so every figure
below is a within-tuning estimate, not a held-out one. The held-out test
split (`corpus/posts-test.jsonl`) was never read.

Cross-validation (out-of-fold, item level, at the chosen threshold):

| head | positives | C | threshold | precision | recall | F1 |
|---|---:|---:|---:|---:|---:|---:|
{table}

Leave one split out (trained on the other splits, same C and threshold):

| head | held split | precision | recall | F1 |
|---|---|---:|---:|---:|
{loso_table}

The exported JSON reproduces scikit-learn's probabilities on every training
text (max abs difference {max_diff:.1e}); scoring takes about {us:.0f} µs per
item in pure Python. Items are labelled by the project's corpus guidelines
(`corpus/README.md`); the texts are invented, and no name, number or case in
them is real.

Retrain (from the project root):

    .venv/bin/python scripts/train_privacy_model.py
"""


if __name__ == "__main__":
    raise SystemExit(main())
