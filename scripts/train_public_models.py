"""Train the models on public tweet data and export them as JSON.

Three models, each a TF-IDF (word 1-2grams, in-word char 3-5grams) +
logistic-regression model plus a small stacked logistic regression over its
logit and, when cross-validation prefers them, alt-profanity-check's logit and
VADER's compound score (see ``postguard.detectors._public_models``):

* ``offensive`` (``language.*``): TweetEval offensive (OLID) train, plus the
  corpus tuning posts (positive: any ``language.*`` label);
* ``hate`` (``language.bias`` on groups): TweetEval hate (HatEval 2019:
  immigrants and women) train, optionally Davidson et al. 2017's hate class,
  plus the corpus tuning posts (positive: ``language.bias``);
* ``negative`` (``signal.negative`` on inbound comments): SemEval-2017 task
  4A training tweets (negative versus the rest), without the tweets of
  TweetEval's sentiment validation split, plus the corpus tuning comments
  (positive: ``signal.negative`` or ``signal.complaint``).

Selection uses the training data only: 5-fold cross-validation chooses C,
the Davidson weight and the stack inputs (by the out-of-fold macro-F1, or F1
of the negative class for ``negative``, on the public training tweets), the
stack is fitted on out-of-fold logits and its threshold maximises the same
measure. The TweetEval validation splits are scored once, after everything
is chosen, and reported with 95 % bootstrap intervals; the corpus test
splits are never opened.

Usage (from the project root; scikit-learn needed)::

    .venv/bin/python scripts/train_public_models.py [--only NAME] [--out-dir DIR]

Without ``../shared/data`` the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import _public_data as pdata
import _training as tr
from _training import ROOT

from postguard.detectors import _linear_model as lm
from postguard.detectors import _public_models as pm

OUT_DIR = ROOT / "src" / "postguard" / "data"
SPEC: dict[str, Any] = {"tokenizer": lm.LANGUAGE_TOKENIZER}
C_GRID = (1.0, 4.0)
MIN_DF = 2
MAX_FEATURES = 30_000
FOLDS = 5
SEED = 20200918  # TweetEval's arXiv date; any fixed value would do
STACK_CHOICES: tuple[tuple[str, ...], ...] = (
    (),
    ("vader",),
    ("profanity",),
    ("profanity", "vader"),
)


@dataclass
class Task:
    name: str
    metric: str  # "macro_f1" or "f1"
    what: str
    public_train: str
    public_val: str
    davidson_classes: frozenset[int] = frozenset()
    davidson_weights: tuple[float, ...] = (0.0,)
    corpus_splits: tuple[str, ...] = ()
    corpus_positive: frozenset[str] = frozenset()
    baselines: tuple[str, ...] = ()
    mask_clinical: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


TASKS = {
    "offensive": Task(
        name="offensive",
        metric="macro_f1",
        what="offensive language (OLID: profanity, insults, threats)",
        public_train="TweetEval offensive train (OLID, Zampieri et al. 2019)",
        public_val="TweetEval offensive val",
        corpus_splits=pdata.POST_SPLITS,
        corpus_positive=frozenset({"language.profanity", "language.harassment", "language.bias"}),
        baselines=("alt-profanity-check >= 0.5",),
        mask_clinical=True,
    ),
    "hate": Task(
        name="hate",
        metric="macro_f1",
        what="hate speech against immigrants and women (HatEval 2019)",
        public_train="TweetEval hate train (SemEval-2019 HatEval, Basile et al. 2019)",
        public_val="TweetEval hate val",
        davidson_classes=frozenset({0}),
        davidson_weights=(0.0, 0.3),
        corpus_splits=pdata.POST_SPLITS,
        corpus_positive=frozenset({"language.bias"}),
        baselines=("alt-profanity-check >= 0.5",),
        mask_clinical=True,
    ),
    "negative": Task(
        name="negative",
        metric="f1",
        what="negative sentiment (negative versus neutral or positive)",
        public_train="SemEval-2017 task 4A training tweets 2013-2016, "
        "minus TweetEval sentiment val",
        public_val="TweetEval sentiment val (negative = 1)",
        corpus_splits=pdata.COMMENT_SPLITS,
        corpus_positive=frozenset({"signal.negative", "signal.complaint"}),
        baselines=("VADER compound <= -0.05",),
    ),
}


def needed_paths(task: Task) -> list[Path]:
    if task.name == "negative":
        paths = pdata.semeval_paths() + pdata.tweeteval_paths("sentiment", "val")
    else:
        paths = pdata.tweeteval_paths(task.name, "train") + pdata.tweeteval_paths(task.name, "val")
    if task.davidson_classes:
        paths += pdata.davidson_paths()
    return paths + pdata.corpus_paths(task.corpus_splits)


def load(task: Task) -> tuple[pdata.Labelled, pdata.Labelled, pdata.Labelled, pdata.Labelled]:
    """(public train, Davidson or empty, corpus, public validation)."""
    if task.name == "negative":
        val = pdata.tweeteval_negative("val")
        public = pdata.semeval_negative(val.texts)
    else:
        public = pdata.tweeteval(task.name, "train")
        val = pdata.tweeteval(task.name, "val")
    extra = (
        pdata.davidson(task.davidson_classes) if task.davidson_classes else pdata.Labelled([], [])
    )
    return public, extra, pdata.corpus(task.corpus_splits, task.corpus_positive), val


def measure(metric: str, labels: Sequence[int], preds: Sequence[bool]) -> float:
    _p, _r, f1 = tr.prf(labels, preds)
    if metric == "f1":
        return f1
    neg = tr.prf([1 - y for y in labels], [not x for x in preds])[2]
    return (f1 + neg) / 2


def best_threshold(
    metric: str, labels: Sequence[int], probs: Sequence[float]
) -> tuple[float, float]:
    best = (0.5, -1.0)
    for step in range(5, 96):
        t = step / 100
        score = measure(metric, labels, [p >= t for p in probs])
        if score > best[1]:
            best = (t, score)
    return best


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return max(-pm.LOGIT_CLIP, min(pm.LOGIT_CLIP, math.log(p / (1 - p))))


def train(task: Task, out_dir: Path) -> int:
    import numpy as np
    import sklearn
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    started = time.perf_counter()
    public, extra, domain, val = load(task)
    print(
        f"[{task.name}] public train {len(public.texts)} ({sum(public.labels)} positive), "
        f"davidson {len(extra.texts)}, corpus {len(domain.texts)} ({sum(domain.labels)} "
        f"positive), validation {len(val.texts)} (held out until the end)"
    )
    raw = public.texts + domain.texts + extra.texts
    y = np.array(public.labels + domain.labels + extra.labels)
    n_pub, n_dom = len(public.texts), len(domain.texts)
    source = np.array([0] * n_pub + [1] * n_dom + [2] * len(extra.texts))
    prepared = [pm.prepare(t, task.mask_clinical) for t in raw]
    vectorizer = tr.vectorizer_factory(lm.feature_spec(SPEC).features, MIN_DF)
    vec = vectorizer()
    x = vec.fit_transform(prepared)
    print(f"  {x.shape[1]} features ({time.perf_counter() - started:.0f}s)")
    stack_names = sorted({name for choice in STACK_CHOICES for name in choice})
    inputs = {
        k: np.array(v) for k, v in pm.stack_inputs(stack_names, raw, task.mask_clinical).items()
    }
    folds = list(StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(raw, y * 3 + source))
    tweet_rows = np.where(source == 0)[0]

    def classifier(c: float) -> LogisticRegression:
        return LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=SEED)

    def stack_features(base: Any, choice: tuple[str, ...], rows: Any) -> Any:
        cols = [base] + [inputs[name][rows] for name in choice]
        return np.column_stack(cols)

    grid: dict[tuple[float, float, tuple[str, ...]], tuple[float, float]] = {}
    oof_by: dict[tuple[float, float], Any] = {}
    for c, d_weight in itertools.product(C_GRID, task.davidson_weights):
        rows = np.where(source < 2)[0] if d_weight == 0 else np.arange(len(raw))
        weights = np.where(source == 2, d_weight, 1.0)
        oof = np.full(len(raw), np.nan)
        for fit_idx, val_idx in folds:
            fit_rows = np.intersect1d(fit_idx, rows)
            clf = classifier(c).fit(x[fit_rows], y[fit_rows], sample_weight=weights[fit_rows])
            scored = np.intersect1d(val_idx, np.where(source < 2)[0])
            oof[scored] = clf.predict_proba(x[scored])[:, 1]
        base = np.array([logit(p) if not math.isnan(p) else 0.0 for p in oof])
        oof_by[(c, d_weight)] = base
        for choice in STACK_CHOICES:
            st_rows = np.where(source < 2)[0]
            st = LogisticRegression().fit(
                stack_features(base[st_rows], choice, st_rows), y[st_rows]
            )
            probs = st.predict_proba(stack_features(base[tweet_rows], choice, tweet_rows))[:, 1]
            t, score = best_threshold(task.metric, y[tweet_rows].tolist(), probs.tolist())
            grid[(c, d_weight, choice)] = (t, score)
            print(
                f"  cv C={c:g} davidson={d_weight:g} stack={'+'.join(choice) or '-'}: "
                f"{task.metric} {score:.3f} at {t:.2f}  ({time.perf_counter() - started:.0f}s)"
            )
    # Ties (to 3 decimals) go to the simpler stack, then the smaller C.
    c_best, d_best, choice_best = max(
        grid, key=lambda k: (round(grid[k][1], 3), -len(k[2]), -k[0], -k[1])
    )
    threshold, cv_score = grid[(c_best, d_best, choice_best)]
    base = oof_by[(c_best, d_best)]
    st_rows = np.where(source < 2)[0]
    stack = LogisticRegression().fit(
        stack_features(base[st_rows], choice_best, st_rows), y[st_rows]
    )
    oof_stacked = stack.predict_proba(stack_features(base, choice_best, np.arange(len(raw))))[:, 1]
    dom_rows = np.where(source == 1)[0]
    dom_p, dom_r, dom_f1 = tr.prf(
        y[dom_rows].tolist(), (oof_stacked[dom_rows] >= threshold).tolist()
    )

    # The exported model: fit on every training row, keep the strongest
    # features, refit on them (so the export is exactly the evaluated model).
    rows = np.where(source < 2)[0] if d_best == 0 else np.arange(len(raw))
    weights = np.where(source == 2, d_best, 1.0)[rows]
    fit_texts = [prepared[i] for i in rows]
    _vec, kept, final, sk_prob = tr.prune_and_refit_heads(
        fit_texts,
        {"score": y[rows]},
        {"score": c_best},
        vectorizer,
        lambda c: _Weighted(classifier(c), weights),
        MAX_FEATURES,
    )
    clf = final["score"]
    blob: dict[str, Any] = {
        "format": pm.PUBLIC_MODEL_FORMAT,
        **SPEC,
        "features": "word 1-2grams and in-word char 3-5grams of the prepared text "
        "(postguard.detectors._public_models.prepare, tokenizer postguard-language-features/1)",
        "sublinear_tf": True,
        "norm": "l2",
        "mask_clinical": task.mask_clinical,
        "bias": tr.sig(float(clf.intercept_[0]), 10),
        "threshold": 0.5,
        "terms": tr.head_terms(kept, _vec.idf_, [clf.coef_[0]], 10),
        "stack": {
            "inputs": list(choice_best),
            "weights": [tr.sig(float(w), 10) for w in stack.coef_[0]],
            "bias": tr.sig(float(stack.intercept_[0]), 10),
            "threshold": threshold,
        },
    }
    model = pm.public_model_from_json(task.name, json.loads(json.dumps(blob)))
    sample = list(range(0, len(fit_texts), max(1, len(fit_texts) // 3000)))
    max_diff = tr.max_single_diff(
        model.linear, [fit_texts[i] for i in sample], [float(sk_prob["score"][i]) for i in sample]
    )
    if not tr.reproduces(max_diff):
        return 1

    # Scored once, now that everything is chosen.
    val_probs = model.scores(val.texts)
    val_model_only = model.linear.score_many([pm.prepare(t, model.mask) for t in val.texts])
    figures = {
        "stacked model (shipped)": pdata.bootstrap(
            val.labels, [p >= threshold for p in val_probs], task.metric
        ),
        "linear model alone, at its 0.5": pdata.bootstrap(
            val.labels, [p >= 0.5 for p in val_model_only], task.metric
        ),
    }
    if "alt-profanity-check >= 0.5" in task.baselines:
        apc = pm.stack_inputs(["profanity"], val.texts)["profanity"]
        figures["alt-profanity-check >= 0.5 (baseline)"] = pdata.bootstrap(
            val.labels, [v >= 0.0 for v in apc], task.metric
        )
    if "VADER compound <= -0.05" in task.baselines:
        vader = pm.stack_inputs(["vader"], val.texts)["vader"]
        figures["VADER compound <= -0.05 (baseline)"] = pdata.bootstrap(
            val.labels, [v <= -0.05 for v in vader], task.metric
        )
    blob["provenance"] = {
        "what": task.what,
        "datasets": [
            f"{task.public_train}: {n_pub} tweets ({sum(public.labels)} positive)",
            *(
                [
                    f"Davidson et al. 2017 classes {sorted(task.davidson_classes)} positive, "
                    f"weight {d_best:g}: {len(extra.texts)} tweets"
                ]
                if d_best > 0
                else []
            ),
            f"postguard corpus {', '.join(task.corpus_splits)} (positive: "
            f"{', '.join(sorted(task.corpus_positive))}): {n_dom} items "
            f"({sum(domain.labels)} positive)",
        ],
        "held_out": f"{task.public_val}: {len(val.texts)} tweets ({sum(val.labels)} positive)",
        "model": f"TF-IDF (sublinear tf, l2) + LogisticRegression(C={c_best:g}, "
        "class_weight=balanced); stack: LogisticRegression over the model's logit"
        + "".join(f" + {name}" for name in choice_best),
        "selection": f"C in {list(C_GRID)}, Davidson weight in {list(task.davidson_weights)}, "
        f"stack inputs in {[list(c) for c in STACK_CHOICES]} by {FOLDS}-fold CV "
        f"({task.metric} of out-of-fold scores on the public training tweets); threshold "
        "maximises the same on the out-of-fold stacked scores",
        "cv": {
            task.metric: round(cv_score, 4),
            "threshold": threshold,
            "corpus_out_of_fold": {
                "precision": round(dom_p, 3),
                "recall": round(dom_r, 3),
                "f1": round(dom_f1, 3),
            },
        },
        "validation": {name: [round(v, 3) for v in fig] for name, fig in figures.items()},
        "features_kept": len(kept),
        "trained": dt.date.today().isoformat(),
        "trained_with": f"scikit-learn {sklearn.__version__}",
        "command": "python scripts/train_public_models.py" + f" --only {task.name}",
    }
    out = out_dir / pm.MODEL_FILES[task.name]
    note = tr.write_model(out, blob, render_note(task, blob, grid, max_diff))
    print(
        f"  chosen C={c_best:g}, davidson {d_best:g}, stack {list(choice_best)}, "
        f"threshold {threshold:.2f}; {len(kept)} features; {out.stat().st_size:,} bytes"
    )
    for name, (point, low, high) in figures.items():
        print(f"  validation {task.metric} {name}: {point:.3f} [{low:.3f}, {high:.3f}]")
    tr.report_written(out, note, max_diff, f"  took {time.perf_counter() - started:.0f}s")
    return 0


class _Weighted:
    """A classifier that always fits with the given sample weights."""

    def __init__(self, clf: Any, weights: Any) -> None:
        self.clf = clf
        self.weights = weights

    def fit(self, x: Any, y: Any) -> Any:
        return self.clf.fit(x, y, sample_weight=self.weights)


def render_note(
    task: Task,
    blob: dict[str, Any],
    grid: dict[tuple[float, float, tuple[str, ...]], tuple[float, float]],
    max_diff: float,
) -> str:
    prov = blob["provenance"]
    stack = blob["stack"]
    data = "\n".join(f"- {d}" for d in prov["datasets"])
    rows = "\n".join(
        f"| {c:g} | {d:g} | {'+'.join(choice) or '-'} | {t:.2f} | {score:.3f} |"
        for (c, d, choice), (t, score) in sorted(grid.items())
    )
    val = "\n".join(
        f"| {name} | {point:.3f} | [{low:.3f}, {high:.3f}] |"
        for name, (point, low, high) in prov["validation"].items()
    )
    corpus = prov["cv"]["corpus_out_of_fold"]
    metric = "macro-F1" if task.metric == "macro_f1" else "F1 of the positive class"
    return f"""# {pm.MODEL_FILES[task.name]}: {task.what}

Trained by `scripts/train_public_models.py` on public data and the corpus tuning
splits; scored by `postguard.detectors._public_models` in pure Python and numpy
(no scikit-learn or pickle at run time). How the detectors use it is in the
module docstrings of `postguard.detectors.language` and `.signals`.

Data:

{data}

Held out (scored once, after every choice was made): {prov["held_out"]}.
The corpus test splits are never opened.

| | |
|---|---|
| model | {prov["model"]}, {prov["features_kept"]} features kept |
| stack | inputs {stack["inputs"] or "none"}, weights {stack["weights"]}, \
bias {stack["bias"]}, threshold {stack["threshold"]:.2f} |
| selection | {prov["selection"]} |
| trained | {prov["trained"]} with {prov["trained_with"]} |

Cross-validation on the training tweets ({metric}, out-of-fold):

| C | Davidson weight | stack inputs | threshold | {metric} |
|---:|---:|---|---:|---:|
{rows}

Corpus tuning items, out-of-fold at the chosen threshold: precision
{corpus["precision"]:.3f}, recall {corpus["recall"]:.3f}, F1 {corpus["f1"]:.3f} (the model
alone, not the detector; the rules were tuned on the same items).

Held-out validation ({metric}, 95 % bootstrap interval, 1,000 resamples):

| scorer | {metric} | 95 % interval |
|---|---:|---|
{val}

The pure-Python scorers reproduce scikit-learn's probabilities (max abs
difference {max_diff:.1e}).

Reproduce, from the project root (needs scikit-learn and `../shared/data`):

    .venv/bin/python {prov["command"]}
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--only", choices=sorted(TASKS))
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    status = 0
    for name, task in TASKS.items():
        if args.only and name != args.only:
            continue
        absent = pdata.missing(needed_paths(task))
        if absent is not None:
            print(f"skipped {name}: {absent} is not available.", file=sys.stderr)
            continue
        status = max(status, train(task, args.out_dir))
    return status


if __name__ == "__main__":
    raise SystemExit(main())
