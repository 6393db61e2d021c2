"""Pure-Python inference for the small TF-IDF + logistic-regression models we ship.

Both shipped models (``advice_model.json`` for the clinical detectors and
``privacy_model.json`` for the privacy detectors) are trained by a script in
``scripts/`` with scikit-learn and exported as plain JSON: for every feature
its idf and one weight per output ("head"). Inference needs neither
scikit-learn nor pickle, so it survives library upgrades and loads in
milliseconds.

The tokenizer and the feature functions live here, and the training scripts
import them, so that training and inference cannot drift apart.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|\d+(?:[.,]\d+)?|[?!]")
_NUMBER = "<num>"
#: The tokenizer's id, stored in every exported model; bumped when it changes.
TOKENIZER = "postguard-advice-tokens/1"


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; numbers collapse to one token, ? and ! are kept.

    Contractions stay whole ("don't", "you'll").
    """
    out = _TOKEN.findall(text.lower().translate(_APOSTROPHES))
    return [_NUMBER if t[0].isdigit() else t for t in out]


def word_features(toks: Sequence[str]) -> list[str]:
    """Word unigrams and bigrams (bigrams joined with a space)."""
    return [*toks, *(f"{a} {b}" for a, b in pairwise(toks))]


def char_features(toks: Iterable[str], low: int, high: int) -> list[str]:
    """Character ``low``..``high``-grams inside each token padded with spaces.

    A token shorter than ``n`` contributes itself, padded, once (as
    scikit-learn's ``char_wb`` does). An inner n-gram can equal a short word
    ("ear"); both then count as one feature, at training and at run time alike.
    """
    out: list[str] = []
    extend = out.extend
    for tok in toks:
        padded = f" {tok} "
        size = len(padded)
        for n in range(low, high + 1):
            if size <= n:
                out.append(padded)
                break
            extend([padded[i : i + n] for i in range(size - n + 1)])
    return out


def sigmoid(z: float) -> float:
    """The logistic function, without overflow for large ``|z|``."""
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def prior(bias: float) -> float:
    """The probability of a text with no known feature: the sigmoid of the bias."""
    return 1.0 / (1.0 + math.exp(-bias))


def logits(
    feats: Iterable[str],
    terms: Mapping[str, Sequence[float]],
    biases: Sequence[float],
    sublinear_tf: bool,
) -> list[float] | None:
    """Decision values of every head for one text's features.

    ``terms`` maps a feature to ``(idf, weight_head_0, weight_head_1, ...)``.
    The TF-IDF vector is L2-normalised over the model's vocabulary exactly as
    scikit-learn's ``TfidfVectorizer(norm="l2")`` does, then each head is a
    logistic-regression dot product plus its bias. ``None`` when no feature
    is in the vocabulary (the caller then uses :func:`prior`).
    """
    counts: dict[str, int] = {}
    for feat in feats:
        if feat in terms:
            counts[feat] = counts.get(feat, 0) + 1
    if not counts:
        return None
    norm = 0.0
    weighted: list[tuple[float, Sequence[float]]] = []
    for feat, count in counts.items():
        row = terms[feat]
        tf = 1.0 + math.log(count) if sublinear_tf else float(count)
        value = tf * row[0]
        norm += value * value
        weighted.append((value, row))
    root = math.sqrt(norm)
    heads = len(biases)
    dots = [sum(value * row[k + 1] for value, row in weighted) for k in range(heads)]
    return [biases[k] + dots[k] / root for k in range(heads)]


def analyzer(char_low: int, char_high: int) -> Callable[[str], list[str]]:
    """Word 1-2grams plus (when ``char_low`` > 0) character n-grams of the tokens."""

    def features(text: str) -> list[str]:
        toks = tokens(text)
        out = word_features(toks)
        if char_low > 0:
            out.extend(char_features(toks, char_low, char_high))
        return out

    return features


@dataclass(frozen=True, slots=True)
class LinearModel:
    """TF-IDF + one logistic regression per head, as exported by a training script.

    The JSON object holds ``format``, ``tokenizer``, ``heads`` (names),
    ``biases``, ``thresholds``, ``sublinear_tf``, ``char_ngrams`` ([low, high],
    or [0, 0] for words only), ``terms`` (feature -> [idf, weight per head])
    and ``provenance``.
    """

    heads: tuple[str, ...]
    terms: dict[str, tuple[float, ...]]
    biases: tuple[float, ...]
    thresholds: dict[str, float]
    sublinear_tf: bool
    char_ngrams: tuple[int, int]
    provenance: dict[str, Any]
    features: Callable[[str], list[str]] = field(repr=False, compare=False)

    def scores(self, text: str) -> dict[str, float]:
        """The probability of every head for ``text``."""
        z = logits(self.features(text), self.terms, self.biases, self.sublinear_tf)
        if z is None:
            return {h: prior(b) for h, b in zip(self.heads, self.biases, strict=True)}
        return {h: sigmoid(v) for h, v in zip(self.heads, z, strict=True)}


def linear_model_from_json(data: dict[str, Any], fmt: str) -> LinearModel:
    """Build a multi-head model from its exported JSON object, checking its format."""
    if data.get("format") != fmt:
        raise ValueError(f"model format {data.get('format')!r}; expected {fmt!r}")
    if data.get("tokenizer") != TOKENIZER:
        raise ValueError(f"model tokenizer {data.get('tokenizer')!r}; expected {TOKENIZER!r}")
    heads = tuple(str(h) for h in data["heads"])
    terms = {str(k): tuple(float(x) for x in v) for k, v in data["terms"].items()}
    if any(len(v) != len(heads) + 1 for v in terms.values()):
        raise ValueError("model terms must hold an idf and one weight per head")
    low, high = (int(x) for x in data["char_ngrams"])
    return LinearModel(
        heads=heads,
        terms=terms,
        biases=tuple(float(b) for b in data["biases"]),
        thresholds={str(k): float(v) for k, v in data["thresholds"].items()},
        sublinear_tf=bool(data["sublinear_tf"]),
        char_ngrams=(low, high),
        provenance=dict(data.get("provenance", {})),
        features=analyzer(low, high),
    )
