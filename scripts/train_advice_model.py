"""Train the "this sentence gives advice" model and export it as plain JSON.

Data: Govindarajan et al., "Help! Need Advice on Identifying Advice",
EMNLP 2020 (MIT licence), as copied to ``../shared/data/advice-emnlp2020``.
We train on ``askparents_train.tsv`` + ``needadvice_train.tsv`` and report on
the two ``*_dev.tsv`` files. The regularisation strength and the decision
threshold are chosen by 5-fold cross-validation on the training split only,
so the dev figures are an honest estimate.

scikit-learn is used here only. The exported JSON (vocabulary -> idf and
weight, bias, threshold, tokenizer id) is evaluated in pure Python by the
shared ``postguard.detectors._linear_model``, whose feature function for the
exported tokenizer id is also the analyzer given to scikit-learn here; this
script checks that the single and the batched scorer agree with scikit-learn
on every dev sentence (max abs difference < 1e-6) and times the pure-Python
scorer.

Usage (from the project root)::

    .venv/bin/python scripts/train_advice_model.py [--data DIR] [--out FILE]

When the data directory is missing the script says so and exits 0, so it
can sit in a pipeline that runs without the shared data.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import _training as tr
from _training import ROOT

from postguard.detectors import _advice_model as am
from postguard.detectors import _linear_model as lm

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "advice-emnlp2020"
DEFAULT_OUT = ROOT / "src" / "postguard" / "data" / "advice_model.json"
SUBREDDITS = ("askparents", "needadvice")
MAX_FEATURES = 40_000
MIN_DF = 2
C_GRID = (0.5, 1.0, 2.0, 4.0, 8.0)
SEED = 20201116  # EMNLP 2020 opening day; any fixed value would do
#: The feature spec exported with the model (word 1-2grams, no char n-grams).
SPEC: dict[str, Any] = {"tokenizer": lm.TOKENIZER}

# The corpus is PTB-tokenized ("do n't", "I 'd", "it ,"); real posts are not.
# Re-attach clitics so that both split the same way under lm.tokens().
_CLITIC = re.compile(r"(\w) (n't|'(?:s|d|ll|re|ve|m))\b", re.IGNORECASE)


def detokenize(sentence: str) -> str:
    sentence = sentence.replace("’", "'").replace("‘", "'")
    return _CLITIC.sub(r"\1\2", sentence)


def read_split(data: Path, split: str) -> tuple[list[str], list[int]]:
    texts: list[str] = []
    labels: list[int] = []
    for sub in SUBREDDITS:
        path = data / f"{sub}_{split}.tsv"
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader)
            i_label = header.index("Majority_label")
            i_text = header.index("Sentence")
            for row in reader:
                if len(row) <= max(i_label, i_text) or row[i_label] not in ("0", "1"):
                    continue
                texts.append(detokenize(row[i_text]))
                labels.append(int(row[i_label]))
    return texts, labels


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)

    data: Path = args.data
    missing = [
        str(data / f"{s}_{p}.tsv")
        for s in SUBREDDITS
        for p in ("train", "dev")
        if not (data / f"{s}_{p}.tsv").is_file()
    ]
    if missing:
        print(
            f"skipped: the advice data set is not available ({missing[0]} is missing).\n"
            "Get it from github.com/venkatasg/Advice-EMNLP2020 (MIT) and pass --data DIR.",
            file=sys.stderr,
        )
        return 0

    # Imported late: the script must be able to skip without scikit-learn.
    import numpy as np

    train_x, train_y = read_split(data, "train")
    dev_x, dev_y = read_split(data, "dev")
    print(f"train: {len(train_x)} sentences ({sum(train_y)} advice); dev: {len(dev_x)}")
    y = np.array(train_y)
    vectorizer = tr.vectorizer_factory(lm.feature_spec(SPEC).features, MIN_DF)
    classifier = tr.classifier_factory(SEED, balanced=False)

    def choose(labels: Sequence[int], probs: Sequence[float]) -> tuple[float, float]:
        """The threshold (on a 0.01 grid) that maximises F1, and that F1."""
        return tr.best_threshold(labels, probs, tr.f1_objective)

    # Choose C and the threshold by cross-validation on the training split.
    folds = tr.stratified_folds(train_x, y, 5, SEED)
    c_best, threshold, _oof = tr.select_c(
        train_x, y, folds, C_GRID, vectorizer, classifier, choose, "", "F1", "best threshold"
    )

    # Fit on all training data, prune weak features, refit on the kept
    # vocabulary so that the exported model is exactly the evaluated one.
    vec, kept, final, _prob = tr.prune_and_refit_heads(
        train_x, {"advice": y}, {"advice": c_best}, vectorizer, classifier, MAX_FEATURES, 1e-3
    )
    clf = final["advice"]
    dev_prob = clf.predict_proba(vec.transform(dev_x))[:, 1]

    blob: dict[str, Any] = {
        "format": am.FORMAT,
        **SPEC,
        "features": "word 1-2grams of postguard.detectors._linear_model.tokens",
        "sublinear_tf": True,
        "norm": "l2",
        "bias": tr.sig(float(clf.intercept_[0])),
        "threshold": threshold,
        "terms": tr.head_terms(kept, vec.idf_, [clf.coef_[0]]),
    }
    model = tr.load_exported(blob, am.FORMAT)
    max_diff = tr.max_single_diff(model, dev_x, dev_prob.tolist())
    if not tr.reproduces(max_diff):
        return 1

    dev_preds = [model.score(t) >= threshold for t in dev_x]
    precision, recall, f1 = tr.prf(dev_y, dev_preds)
    accuracy = tr.accuracy(dev_y, dev_preds)
    start = time.perf_counter()
    for _ in range(5):
        for text in dev_x:
            model.score(text)
    per_sentence_us = (time.perf_counter() - start) / (5 * len(dev_x)) * 1e6

    dev_figures = {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "accuracy": round(accuracy, 4),
        "sentences": len(dev_x),
        "advice": sum(dev_y),
    }
    import sklearn

    blob["provenance"] = {
        "dataset": "Govindarajan et al., 'Help! Need Advice on Identifying Advice', EMNLP 2020",
        "source": "https://github.com/venkatasg/Advice-EMNLP2020",
        "licence": "MIT",
        "train_files": [f"{s}_train.tsv" for s in SUBREDDITS],
        "dev_files": [f"{s}_dev.tsv" for s in SUBREDDITS],
        "label": "Majority_label",
        "train_sentences": len(train_x),
        "model": f"TF-IDF (sublinear tf, l2) + LogisticRegression(C={c_best})",
        "selection": "C and threshold by 5-fold CV F1 on train only",
        "features_kept": len(kept),
        "dev": dev_figures,
        "trained": dt.date.today().isoformat(),
        "trained_with": f"scikit-learn {sklearn.__version__}",
        "command": "python scripts/train_advice_model.py",
    }
    out: Path = args.out
    note = tr.write_model(
        out, blob, render_note(blob["provenance"], threshold, max_diff, per_sentence_us)
    )

    size = out.stat().st_size
    print(f"chosen C={c_best}, threshold {threshold:.2f}; {len(kept)} features; {size:,} bytes")
    print(f"dev: precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f} accuracy {accuracy:.3f}")
    tr.report_written(
        out, note, max_diff, f"pure-Python scoring: {per_sentence_us:.1f} µs per sentence"
    )
    return 0


def render_note(prov: dict[str, Any], threshold: float, max_diff: float, us: float) -> str:
    d = prov["dev"]
    return f"""# advice_model.json: "does this sentence give advice?"

A small TF-IDF + logistic-regression classifier used by
`postguard.detectors.clinical` as one signal among several (the clinical
lexicon and second-person/imperative cues are the others). It is evaluated
in pure Python by `postguard.detectors._advice_model`: no scikit-learn and no
pickle at run time.

| | |
|---|---|
| data set | {prov["dataset"]} ({prov["source"]}) |
| licence | {prov["licence"]} (the data; the model is derived from it) |
| training split | {", ".join(prov["train_files"])} ({prov["train_sentences"]} sentences) |
| label | `{prov["label"]}` |
| evaluation split | {", ".join(prov["dev_files"])} ({d["sentences"]} sentences) |
| advice in dev | {d["advice"]} |
| model | {prov["model"]}, word 1-2grams, {prov["features_kept"]} features kept |
| selection | {prov["selection"]}; threshold {threshold:.2f} |
| trained | {prov["trained"]} with {prov["trained_with"]} |

Dev figures (threshold {threshold:.2f}):

| precision | recall | F1 | accuracy |
|---|---|---|---|
| {d["precision"]:.3f} | {d["recall"]:.3f} | {d["f1"]:.3f} | {d["accuracy"]:.3f} |

The pure-Python scorer reproduces scikit-learn's probabilities on every dev
sentence (max abs difference {max_diff:.1e}) and takes about {us:.0f} µs per
sentence on the training machine.

The sentences are Reddit advice threads about parenting and life in general,
not lactation care, so the detector never relies on this score alone.

Reproduce, from the project root (needs scikit-learn and the data set in
`../shared/data/advice-emnlp2020`; it skips with a message otherwise):

    .venv/bin/python scripts/train_advice_model.py
"""


if __name__ == "__main__":
    raise SystemExit(main())
