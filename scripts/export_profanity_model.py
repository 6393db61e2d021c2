"""Export alt-profanity-check's fitted model to ``src/postguard/data/profanity_model.npz``.

alt-profanity-check ships its model as joblib pickles of scikit-learn objects;
loading them means importing scikit-learn (about 2 s of CPU), which every new
``postguard check`` process paid. Its parameters are plain arrays, so we
export them once and score them with numpy
(``postguard.detectors._profanity_model``), and check the export against the
package's own ``predict_prob`` before writing it.

Run (needs alt-profanity-check and scikit-learn, both in the project's dependencies):

    python scripts/export_profanity_model.py
"""

from __future__ import annotations

import sys
from importlib.metadata import version
from pathlib import Path

import numpy as np
from profanity_check import profanity_check as package
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

OUT = Path(__file__).resolve().parent.parent / "src" / "postguard" / "data" / "profanity_model.npz"

# The vectorizer settings the run-time scorer implements; anything else means
# a new package version whose model the scorer would silently misread.
EXPECTED_PARAMS = {
    "analyzer": "word",
    "binary": False,
    "input": "content",
    "lowercase": True,
    "ngram_range": (1, 1),
    "norm": "l2",
    "preprocessor": None,
    "smooth_idf": True,
    "stop_words": "english",
    "strip_accents": None,
    "sublinear_tf": False,
    "token_pattern": r"(?u)\b\w\w+\b",
    "tokenizer": None,
    "use_idf": True,
}

CHECK_TEXTS = [
    "you are a complete arse",
    "lovely sunny day at the clinic",
    "this is crap",
    "",
    "   ",
    "!!! ???",
    "Fuck this SHIT, honestly",
    "Café crème, naïve résumé — ÉCOLE",
    "Ｆｕｃｋ full width",
    "the and of",
    "stupid stupid stupid idiot",
]


def main() -> int:
    vectorizer = package.vectorizer
    params = vectorizer.get_params()
    for key, expected in EXPECTED_PARAMS.items():
        if params[key] != expected:
            print(f"unexpected vectorizer setting {key}={params[key]!r}", file=sys.stderr)
            return 1
    model = package.model
    if list(model.classes_) != [0, 1] or model.method != "sigmoid":
        print("unexpected classifier layout", file=sys.stderr)
        return 1
    words = [""] * len(vectorizer.vocabulary_)
    for word, index in vectorizer.vocabulary_.items():
        words[index] = word
    # Stop words are dropped before counting; none can be in the vocabulary,
    # so the scorer need not know the list.
    assert not ENGLISH_STOP_WORDS.intersection(words)
    classifiers = model.calibrated_classifiers_
    np.savez_compressed(
        OUT,
        vocabulary=np.array(words, dtype=str),
        idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        weights=np.stack(
            [np.asarray(c.estimator.coef_[0], dtype=np.float64) for c in classifiers], axis=1
        ),
        intercepts=np.array([float(c.estimator.intercept_[0]) for c in classifiers]),
        slopes=np.array([float(c.calibrators[0].a_) for c in classifiers]),
        offsets=np.array([float(c.calibrators[0].b_) for c in classifiers]),
        source=np.array(f"alt-profanity-check {version('alt-profanity-check')}"),
    )

    sys.path.insert(0, str(OUT.parent.parent.parent))
    from postguard.detectors._profanity_model import ProfanityModel

    ours = ProfanityModel(OUT).scores(CHECK_TEXTS)
    theirs = package.predict_prob(CHECK_TEXTS)
    worst = float(np.max(np.abs(ours - theirs)))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes); max |ours - predict_prob| = {worst:.2e}")
    return 0 if worst < 1e-9 else 1


if __name__ == "__main__":
    raise SystemExit(main())
