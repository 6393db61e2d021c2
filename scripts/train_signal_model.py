"""Train the inbound signal model (crisis, consultation request, complaint) and export JSON.

Data: the project's own labelled corpus, TUNING splits only: the inbound
comments of ``corpus/comments-dev.jsonl``, ``comments-dev2.jsonl`` and
``comments-dev3.jsonl`` and the
inbound items of ``corpus/posts-dev*.jsonl``. The held-out test splits are
never read: the script refuses any path whose name mentions "test". Labels
are item-level: an item is positive for a head when the corpus gives it that
category (``signal.crisis``, ``clinical.consult_request``,
``signal.complaint``).

Features: word 1-2grams and character 3-5-grams of the tokens of
``postguard.detectors._linear_model`` (TF-IDF, sublinear tf, l2), one
logistic regression per head; inference reuses that module's ``LinearModel``.
C and each head's threshold are chosen by stratified 5-fold cross-validation
grouped by item (every item sits in exactly one fold). For crisis the
threshold maximises recall subject to out-of-fold precision >= 0.85 (a missed
crisis is the worst error); a second, higher "confident" crisis threshold is
the lowest one whose out-of-fold precision reaches 0.95 (a score above it may
flag a crisis on its own). For the other heads the threshold maximises F1.
A leave-one-split-out estimate (train on two comment splits, test on the
third, for each) is reported as the honest generalisation figure.

scikit-learn is used here only. The script checks that the exported JSON's
pure-Python and batched scorers agree with scikit-learn on every training
text (max abs difference < 1e-6).

Usage (from the project root)::

    .venv/bin/python scripts/train_signal_model.py [--corpus FILE ...] [--out FILE]

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

FORMAT = "postguard-signal-logreg/1"
DEFAULT_CORPUS = (
    *(ROOT / "corpus" / f"comments-{name}.jsonl" for name in ("dev", "dev2", "dev3")),
    *(ROOT / "corpus" / f"posts-{name}.jsonl" for name in ("dev", "dev2", "dev3")),
)
DEFAULT_OUT = ROOT / "src" / "postguard" / "data" / "signal_model.json"
HEADS = {
    "crisis": "signal.crisis",
    "consult": "clinical.consult_request",
    "complaint": "signal.complaint",
}
CHAR_NGRAMS = (3, 5)
#: The feature spec exported with the model (and given to scikit-learn).
SPEC: dict[str, Any] = {"tokenizer": lm.TOKENIZER, "char_ngrams": list(CHAR_NGRAMS)}
MIN_DF = 2
MAX_FEATURES = 30_000
C_GRID = (1.0, 4.0, 16.0, 64.0)
FOLDS = 5
MIN_PRECISION = 0.85  # crisis: maximise recall at this precision
CONFIDENT_PRECISION = 0.95  # crisis: a score this sure may flag alone
SEED = 20261121
LOSO = ("comments-dev", "comments-dev2", "comments-dev3")


def read_items(paths: Sequence[Path]) -> list[tuple[str, str, dict[str, int]]]:
    """(split name, text, {head: 0/1}) for every inbound item."""
    out: list[tuple[str, str, dict[str, int]]] = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                obj = json.loads(line)
                if obj.get("direction", "inbound") != "inbound":
                    continue
                labels = set(obj.get("labels", []))
                heads = {h: int(cat in labels) for h, cat in HEADS.items()}
                out.append((path.stem, str(obj["text"]), heads))
    return out


def best_threshold(head: str, labels: Sequence[int], probs: Sequence[float]) -> tuple[float, float]:
    """The threshold (0.01 grid, 0.05-0.95) and its objective.

    Crisis: the largest recall with precision >= MIN_PRECISION (ties: the
    higher threshold); other heads: F1.
    """

    def objective(p: float, r: float, f1: float) -> float:
        return (r if p >= MIN_PRECISION else -1.0) if head == "crisis" else f1

    return tr.best_threshold(labels, probs, objective, ties_to_higher=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, nargs="+", default=list(DEFAULT_CORPUS))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    paths: list[Path] = args.corpus
    if any("test" in str(p).lower() for p in [*paths, args.out]):
        print("refused: a held-out test split is never used for training.", file=sys.stderr)
        return 2
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print(
            f"skipped: the tuning corpus is not available ({missing[0]} is missing).\n"
            "The signal model is trained on corpus/comments-dev*.jsonl and the inbound "
            "items of corpus/posts-dev*.jsonl.",
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
        f"{len(items)} inbound items from {', '.join(p.name for p in paths)}; "
        + ", ".join(f"{h}: {int(y.sum())} positive" for h, y in ys.items())
    )
    vectorizer = tr.vectorizer_factory(lm.feature_spec(SPEC).features, MIN_DF)
    classifier = tr.classifier_factory(SEED, balanced=True)

    chosen: dict[str, tuple[float, float]] = {}
    confident: dict[str, float] = {}
    cv_figures: dict[str, dict[str, Any]] = {}
    for head in HEADS:
        y = ys[head]
        # Each item is one group and sits in exactly one fold (grouped by item).
        folds = tr.stratified_folds(texts, y, FOLDS, SEED)
        c_best, t_best, oof = tr.select_c(
            texts,
            y,
            folds,
            C_GRID,
            vectorizer,
            classifier,
            partial(best_threshold, head),
            f"{head} ",
            "objective",
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
        if head == "crisis":
            # The lowest threshold >= t_best whose precision reaches CONFIDENT_PRECISION.
            tc = tr.lowest_threshold(
                y.tolist(), oof.tolist(), CONFIDENT_PRECISION, start=round(t_best * 100)
            )
            cp, cr, _cf = tr.prf(y.tolist(), [v >= tc for v in oof.tolist()])
            confident[head] = tc
            cv_figures[head]["confident"] = {
                "threshold": tc,
                "precision": round(cp, 3),
                "recall": round(cr, 3),
            }
        per_split: dict[str, dict[str, float]] = {}
        for name in LOSO:
            fit_idx = [i for i, s in enumerate(splits) if s != name and s in LOSO]
            val_idx = [i for i, s in enumerate(splits) if s == name]
            if not fit_idx or not val_idx:
                continue
            prob = tr.fit_predict(
                texts, y, fit_idx, val_idx, vectorizer, partial(classifier, c_best)
            )
            per_split[name] = tr.rounded_prf(
                [int(y[i]) for i in val_idx], [v >= t_best for v in prob]
            )
        cv_figures[head]["leave_one_split_out"] = per_split
        print(f"  {head}: C={c_best}, threshold {t_best:.2f}; CV P {p:.3f} R {r:.3f} F1 {f1:.3f}")
        if head in confident:
            fig = cv_figures[head]["confident"]
            print(
                f"    confident at {fig['threshold']:.2f}: P {fig['precision']} R {fig['recall']}"
            )
        for name, fig in per_split.items():
            print(
                f"    tested on {name} (trained on the other comment splits): "
                f"P {fig['precision']:.3f} R {fig['recall']:.3f} F1 {fig['f1']:.3f}"
            )

    vec, kept, final, sk_prob = tr.prune_and_refit_heads(
        texts, ys, {h: c for h, (c, _t) in chosen.items()}, vectorizer, classifier, MAX_FEATURES
    )
    heads = list(HEADS)
    blob: dict[str, Any] = {
        "format": FORMAT,
        "tokenizer": SPEC["tokenizer"],
        "features": "word 1-2grams + char 3-5-grams of postguard.detectors._linear_model.tokens",
        "char_ngrams": SPEC["char_ngrams"],
        "sublinear_tf": True,
        "norm": "l2",
        "heads": heads,
        "biases": [tr.sig(float(final[h].intercept_[0])) for h in heads],
        "thresholds": {h: chosen[h][1] for h in heads},
        "confident_thresholds": confident,
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
        "dataset": "postguard's own labelled corpus, tuning splits only (test splits never read)",
        "files": [p.name for p in paths],
        "items": len(items),
        "unit": "item (inbound items only); labels from the item's labels",
        "heads": {h: HEADS[h] for h in heads},
        "model": "TF-IDF (sublinear tf, l2) + LogisticRegression(class_weight='balanced')",
        "selection": (
            f"C and threshold by stratified {FOLDS}-fold CV grouped by item; crisis: max recall "
            f"at precision >= {MIN_PRECISION}, confident threshold at precision >= "
            f"{CONFIDENT_PRECISION}; other heads: max F1"
        ),
        "cv": cv_figures,
        "features_kept": len(kept),
        "trained": dt.date.today().isoformat(),
        "trained_with": f"scikit-learn {sklearn.__version__}",
        "command": "python scripts/train_signal_model.py",
    }
    out: Path = args.out
    note = tr.write_model(out, blob, render_note(blob["provenance"], max_diff, per_item_us))
    size = out.stat().st_size
    print(f"{len(kept)} features; {size:,} bytes")
    tr.report_written(out, note, max_diff, f"pure-Python scoring: {per_item_us:.1f} µs per item")
    return 0


def render_note(prov: dict[str, Any], max_diff: float, us: float) -> str:
    conf = prov["cv"].get("crisis", {}).get("confident")
    conf_line = (
        f'Crisis "confident" threshold {conf["threshold"]:.2f}: out-of-fold precision '
        f"{conf['precision']:.3f}, recall {conf['recall']:.3f}."
        if conf
        else ""
    )
    table = tr.cv_table(prov)
    loso_table = tr.leave_one_split_out_table(prov)
    return f"""# signal_model.json: inbound crisis, consultation request and complaint

A small TF-IDF + logistic-regression model with three heads, used by
`postguard.detectors.signals` (crisis) and `postguard.detectors.clinical`
(consultation requests) as a complement to the rules, on inbound text only.
A crisis score at or above the confident threshold may flag a crisis on its
own; a score between the threshold and the confident threshold needs a weak
rule cue; the rules' negation and recovered-story guards apply to model hits
too. A consultation request from the model also needs a first-person or
own-baby anchor. The complaint head is exported for measurement but not used
by the detectors. It is evaluated in pure Python by
`postguard.detectors._linear_model` (shared with the other models): no
scikit-learn and no pickle at run time.

| | |
|---|---|
| data | {prov["dataset"]} |
| files | {", ".join(prov["files"])} ({prov["items"]} inbound items) |
| unit | {prov["unit"]} |
| model | {prov["model"]}, word 1-2grams + char 3-5-grams, {prov["features_kept"]} features kept |
| selection | {prov["selection"]} |
| trained | {prov["trained"]} with {prov["trained_with"]} |

These files are also the splits the rules were tuned on, so the
cross-validation figures are within-tuning estimates. The held-out test
splits (`corpus/comments-test.jsonl`, `corpus/posts-test.jsonl`) were never
read.

Cross-validation (out-of-fold, item level, at the chosen threshold):

| head | positives | C | threshold | precision | recall | F1 |
|---|---:|---:|---:|---:|---:|---:|
{table}

{conf_line}

Leave one split out (trained on the other two comment splits only, same C
and threshold; the honest generalisation estimate, as the three comment
splits differ in register):

| head | held split | precision | recall | F1 |
|---|---|---:|---:|---:|
{loso_table}

The exported JSON reproduces scikit-learn's probabilities on every training
text (max abs difference {max_diff:.1e}); scoring takes about {us:.0f} µs per
item in pure Python. The texts are invented; no name, number or case in them
is real.

Retrain (from the project root):

    .venv/bin/python scripts/train_signal_model.py
"""


if __name__ == "__main__":
    raise SystemExit(main())
