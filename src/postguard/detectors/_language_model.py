"""A small "is this aimed at people with contempt or prejudice?" classifier.

The model is trained by ``scripts/train_language_model.py`` with
scikit-learn (TF-IDF over word 1-2grams and character 3-5grams within
words, logistic regression) and exported as plain JSON
(``postguard/data/language_model.json``). Inference needs neither
scikit-learn nor pickle.

The feature function lives here and the training script passes it to
scikit-learn as the analyzer, so training and inference cannot drift apart.
Two scorers share it: :meth:`LanguageModel.score` (one text, pure Python;
the training script checks it against scikit-learn) and
:meth:`LanguageModel.scores` (a batch, with per-word feature ids cached and
the sums done by numpy), which the language detectors use.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, pairwise
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

#: Bumped when the feature function or the JSON layout changes incompatibly.
FORMAT = "postguard-language-logreg/1"
TOKENIZER = "postguard-language-features/1"

#: Where the exported model ships (next to the package's other data files).
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "language_model.json"

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
# Words (letters and digits, apostrophes inside), ! and ?, and emoji.
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[!?]|[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_DIGITS = re.compile(r"\d")
_CHAR_MIN, _CHAR_MAX = 3, 5
_CACHE_LIMIT = 200_000


def tokens(text: str) -> list[str]:
    """Lower-cased tokens; every digit becomes 0 so numbers share features."""
    lowered = text.lower().translate(_APOSTROPHES)
    return _TOKEN.findall(_DIGITS.sub("0", lowered))


def word_features(token: str) -> list[str]:
    """The features one token contributes on its own: ``w:token`` and, for
    words of three letters or more, the character 3-5grams of `` token ``."""
    out = [f"w:{token}"]
    if len(token) < _CHAR_MIN or not token[0].isalnum():
        return out
    padded = f" {token} "
    size = len(padded)
    for n in range(_CHAR_MIN, _CHAR_MAX + 1):
        out.extend(padded[i : i + n] for i in range(size - n + 1))
    return out


def features(text: str) -> list[str]:
    """Every feature of ``text`` (the analyzer given to scikit-learn)."""
    toks = tokens(text)
    out: list[str] = []
    for tok in toks:
        out.extend(word_features(tok))
    out.extend(f"b:{a} {b}" for a, b in pairwise(toks))
    return out


@dataclass(slots=True)
class LanguageModel:
    """TF-IDF (l2, optional sublinear tf) + logistic regression.

    ``vocabulary`` maps a feature to its column; ``idf`` and ``weights`` are
    indexed by column.
    """

    vocabulary: dict[str, int]
    idf: list[float]
    weights: list[float]
    bias: float
    threshold: float
    sublinear_tf: bool
    provenance: dict[str, Any]
    _word_ids: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False)
    _idf: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0), repr=False)
    _weights: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0), repr=False)

    def __post_init__(self) -> None:
        self._idf = np.asarray(self.idf, dtype=np.float64)
        self._weights = np.asarray(self.weights, dtype=np.float64)

    def score(self, text: str) -> float:
        """Probability for one text, in pure Python (the reference scorer)."""
        counts: dict[int, int] = {}
        vocabulary = self.vocabulary
        for feat in features(text):
            column = vocabulary.get(feat)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        norm = 0.0
        dot = 0.0
        for column, count in counts.items():
            tf = 1.0 + math.log(count) if self.sublinear_tf else float(count)
            value = tf * self.idf[column]
            norm += value * value
            dot += value * self.weights[column]
        z = self.bias + (dot / math.sqrt(norm) if norm > 0.0 else 0.0)
        return _sigmoid(z)

    def scores(self, texts: Sequence[str]) -> list[float]:
        """Probabilities for many texts at once (same numbers as :meth:`score`)."""
        if not texts:
            return []
        per_text = [self._ids(text) for text in texts]
        n = len(texts)
        lengths = np.fromiter(map(len, per_text), dtype=np.int64, count=n)
        total = int(lengths.sum())
        if not total:
            return [_sigmoid(self.bias)] * n
        size = len(self.idf)
        columns = np.fromiter(chain.from_iterable(per_text), dtype=np.int64, count=total)
        keys = np.repeat(np.arange(n, dtype=np.int64) * size, lengths) + columns
        unique, counts = np.unique(keys, return_counts=True)
        cols = unique % size
        which = unique // size
        tf = 1.0 + np.log(counts) if self.sublinear_tf else counts.astype(np.float64)
        values = tf * self._idf[cols]
        norms = np.sqrt(np.bincount(which, weights=values * values, minlength=n))
        dots = np.bincount(which, weights=values * self._weights[cols], minlength=n)
        safe = np.where(norms > 0.0, norms, 1.0)
        z = self.bias + np.where(norms > 0.0, dots / safe, 0.0)
        return [float(p) for p in 1.0 / (1.0 + np.exp(-z))]

    def _ids(self, text: str) -> list[int]:
        """The model's columns for ``text``, one per occurrence."""
        vocabulary = self.vocabulary
        cache_ = self._word_ids
        if len(cache_) > _CACHE_LIMIT:
            cache_.clear()
        toks = tokens(text)
        out: list[int] = []
        for tok in toks:
            ids = cache_.get(tok)
            if ids is None:
                ids = tuple(
                    column
                    for column in (vocabulary.get(f) for f in word_features(tok))
                    if column is not None
                )
                cache_[tok] = ids
            out.extend(ids)
        for a, b in pairwise(toks):
            column = vocabulary.get(f"b:{a} {b}")
            if column is not None:
                out.append(column)
        return out


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def from_json(data: dict[str, Any]) -> LanguageModel:
    """Build a model from the exported JSON object, checking its format."""
    if data.get("format") != FORMAT:
        raise ValueError(f"language model format {data.get('format')!r}; expected {FORMAT!r}")
    if data.get("tokenizer") != TOKENIZER:
        raise ValueError(
            f"language model tokenizer {data.get('tokenizer')!r}; expected {TOKENIZER!r}"
        )
    terms: dict[str, list[float]] = data["terms"]
    vocabulary: dict[str, int] = {}
    idf: list[float] = []
    weights: list[float] = []
    for term, (term_idf, weight) in terms.items():
        vocabulary[str(term)] = len(idf)
        idf.append(float(term_idf))
        weights.append(float(weight))
    return LanguageModel(
        vocabulary=vocabulary,
        idf=idf,
        weights=weights,
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        sublinear_tf=bool(data["sublinear_tf"]),
        provenance=dict(data.get("provenance", {})),
    )


@cache
def load() -> LanguageModel:
    """The shipped model (loaded once per process)."""
    return from_json(json.loads(MODEL_PATH.read_text("utf-8")))


#: Texts up to this long are scored whole; longer ones in windows.
UNIT_CHARS = 300
_WINDOW_STEP = 150


def units(text: str) -> list[tuple[int, int]]:
    """The spans the model scores: the whole text when it is short, else
    each sentence with the one after it (capped at ``UNIT_CHARS``), and
    overlapping windows inside an over-long unpunctuated sentence."""
    if len(text) <= UNIT_CHARS:
        return [(0, len(text))] if text.strip() else []
    from postguard.detectors.text import sentences

    bounds = list(sentences(text))
    out: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(bounds):
        if end - start > UNIT_CHARS:
            out.extend(_windows(text, start, end))
            continue
        if index + 1 < len(bounds) and bounds[index + 1][1] - start <= UNIT_CHARS:
            out.append((start, bounds[index + 1][1]))
        elif not out or out[-1][1] < end:
            out.append((start, end))
    return out


def _windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    cursor = start
    while cursor < end:
        stop = min(end, cursor + UNIT_CHARS)
        if stop < end:
            space = text.rfind(" ", cursor + _WINDOW_STEP, stop)
            stop = space if space > cursor else stop
        out.append((cursor, stop))
        if stop >= end:
            break
        step = text.find(" ", cursor + _WINDOW_STEP, stop)
        cursor = step + 1 if step > cursor else stop
    return out
