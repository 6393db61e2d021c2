"""Inference for the small TF-IDF + logistic-regression models we ship.

Every shipped text model (``advice_model.json`` for the clinical detectors,
``privacy_model.json`` for the privacy detectors, ``language_model.json`` for
the language detectors) is trained by a script in ``scripts/`` with
scikit-learn and exported as plain JSON: for every feature its idf and one
weight per output ("head"). Inference needs neither scikit-learn nor pickle,
so it survives library upgrades and loads in milliseconds.

Each JSON names the feature function it was trained with: ``tokenizer`` (one
of :data:`TOKENIZERS`) and, optionally, ``char_ngrams`` ([low, high]; [0, 0]
for none). :func:`feature_spec` builds that function from the JSON, and the
training scripts pass the same function to scikit-learn as the analyzer, so
training and inference cannot drift apart.

Two scorers share the arithmetic: :meth:`LinearModel.scores` /
:meth:`LinearModel.score` (one text, pure Python; the training scripts check
them against scikit-learn) and :meth:`LinearModel.score_many` (a batch, with
per-token feature ids cached and the sums done by numpy).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})

# --------------------------------------------------------------------------
# "postguard-advice-tokens/1" (advice and privacy models): ASCII words with
# inner apostrophes, numbers collapsed to one token, ? and !; plain word
# 1-2grams, optionally char n-grams like scikit-learn's char_wb.

#: The word tokenizer of the advice and privacy models.
TOKENIZER = "postguard-advice-tokens/1"
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|\d+(?:[.,]\d+)?|[?!]")
_NUMBER = "<num>"


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


def analyzer(char_low: int, char_high: int) -> Callable[[str], list[str]]:
    """Word 1-2grams plus (when ``char_low`` > 0) character n-grams of the tokens."""

    def features(text: str) -> list[str]:
        toks = tokens(text)
        out = word_features(toks)
        if char_low > 0:
            out.extend(char_features(toks, char_low, char_high))
        return out

    return features


# --------------------------------------------------------------------------
# "postguard-language-features/1" (language model): Unicode words and emoji,
# digits folded to 0; ``w:`` words, ``b:`` bigrams and in-word char n-grams
# of words of ``low`` letters or more.

#: The feature function of the language model.
LANGUAGE_TOKENIZER = "postguard-language-features/1"
# Words (letters and digits, apostrophes inside), ! and ?, and emoji.
_LANGUAGE_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[!?]|[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_DIGITS = re.compile(r"\d")


def language_tokens(text: str) -> list[str]:
    """Lower-cased tokens; every digit becomes 0 so numbers share features."""
    lowered = text.lower().translate(_APOSTROPHES)
    return _LANGUAGE_TOKEN.findall(_DIGITS.sub("0", lowered))


def language_token_features(token: str, low: int = 3, high: int = 5) -> list[str]:
    """The features one token contributes on its own: ``w:token`` and, for
    words of ``low`` letters or more, the character ``low``..``high``-grams
    of `` token ``."""
    out = [f"w:{token}"]
    if len(token) < low or not token[0].isalnum():
        return out
    padded = f" {token} "
    size = len(padded)
    for n in range(low, high + 1):
        out.extend(padded[i : i + n] for i in range(size - n + 1))
    return out


# --------------------------------------------------------------------------
# feature specs


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """A model's feature function, split so that a batch can cache per token.

    ``features(text)`` is what scikit-learn saw; it holds exactly the
    ``token_features`` of every token of ``tokens(text)`` plus one
    ``pair_feature`` per adjacent pair (in its own order).
    """

    tokenizer: str
    char_ngrams: tuple[int, int]
    tokens: Callable[[str], list[str]]
    token_features: Callable[[str], list[str]]
    pair_feature: Callable[[str, str], str]
    features: Callable[[str], list[str]]


def _word_spec(low: int, high: int) -> FeatureSpec:
    def token_features(tok: str) -> list[str]:
        return [tok, *char_features((tok,), low, high)] if low > 0 else [tok]

    return FeatureSpec(
        tokenizer=TOKENIZER,
        char_ngrams=(low, high),
        tokens=tokens,
        token_features=token_features,
        pair_feature=lambda a, b: f"{a} {b}",
        features=analyzer(low, high),
    )


def _language_spec(low: int, high: int) -> FeatureSpec:
    def token_features(tok: str) -> list[str]:
        return language_token_features(tok, low, high)

    def features(text: str) -> list[str]:
        toks = language_tokens(text)
        out: list[str] = []
        for tok in toks:
            out.extend(token_features(tok))
        out.extend(f"b:{a} {b}" for a, b in pairwise(toks))
        return out

    return FeatureSpec(
        tokenizer=LANGUAGE_TOKENIZER,
        char_ngrams=(low, high),
        tokens=language_tokens,
        token_features=token_features,
        pair_feature=lambda a, b: f"b:{a} {b}",
        features=features,
    )


#: Tokenizer id -> (spec factory, char n-grams when the JSON names none).
TOKENIZERS: dict[str, tuple[Callable[[int, int], FeatureSpec], tuple[int, int]]] = {
    TOKENIZER: (_word_spec, (0, 0)),
    LANGUAGE_TOKENIZER: (_language_spec, (3, 5)),
}


def feature_spec(data: Mapping[str, Any]) -> FeatureSpec:
    """The feature function an exported model (or a training script) names."""
    tokenizer = data.get("tokenizer")
    if tokenizer not in TOKENIZERS:
        raise ValueError(f"model tokenizer {tokenizer!r}; expected one of {sorted(TOKENIZERS)}")
    factory, default = TOKENIZERS[tokenizer]
    low, high = (int(x) for x in data.get("char_ngrams", default))
    return factory(low, high)


# --------------------------------------------------------------------------
# scoring


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


_CACHE_LIMIT = 200_000


class Terms(Mapping[str, tuple[float, ...]]):
    """feature -> ``(idf, weight per head)``, read from the exported rows on demand.

    Building a dict of 100,000+ tuples for every model cost every new
    process about 0.1 s, while the batch scorer reads only the numpy table.
    """

    __slots__ = ("_columns", "_rows")

    def __init__(self, columns: dict[str, int], rows: Sequence[Sequence[float]]) -> None:
        self._columns = columns
        self._rows = rows

    def __getitem__(self, feature: str) -> tuple[float, ...]:
        return tuple(map(float, self._rows[self._columns[feature]]))

    def __contains__(self, feature: object) -> bool:
        return feature in self._columns

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


@dataclass(frozen=True, slots=True)
class LinearModel:
    """TF-IDF + one logistic regression per head, as exported by a training script.

    The JSON object holds ``format``, ``tokenizer``, optionally
    ``char_ngrams``, ``sublinear_tf``, ``terms`` (feature -> [idf, weight per
    head]) and ``provenance``; a multi-head model holds ``heads`` (names),
    ``biases`` and ``thresholds`` (per head), a single-head one ``bias`` and
    ``threshold``.
    """

    heads: tuple[str, ...]
    terms: Mapping[str, tuple[float, ...]]
    biases: tuple[float, ...]
    thresholds: dict[str, float]
    sublinear_tf: bool
    spec: FeatureSpec = field(repr=False, compare=False)
    provenance: dict[str, Any]
    vocabulary: dict[str, int] = field(repr=False, compare=False)
    _idf: NDArray[np.float64] = field(repr=False, compare=False)
    _weights: NDArray[np.float64] = field(repr=False, compare=False)  # columns x heads
    _token_ids: dict[str, tuple[int, ...]] = field(repr=False, compare=False)

    @property
    def bias(self) -> float:
        """The bias of a single-head model."""
        return self.biases[self._single()]

    @property
    def threshold(self) -> float:
        """The decision threshold of a single-head model."""
        return self.thresholds[self.heads[self._single()]]

    @property
    def char_ngrams(self) -> tuple[int, int]:
        return self.spec.char_ngrams

    def features(self, text: str) -> list[str]:
        """Every feature of ``text`` (the analyzer given to scikit-learn)."""
        return self.spec.features(text)

    def scores(self, text: str) -> dict[str, float]:
        """The probability of every head for ``text`` (pure Python)."""
        z = logits(self.spec.features(text), self.terms, self.biases, self.sublinear_tf)
        if z is None:
            return {h: prior(b) for h, b in zip(self.heads, self.biases, strict=True)}
        return {h: sigmoid(v) for h, v in zip(self.heads, z, strict=True)}

    def score(self, text: str) -> float:
        """The probability of a single-head model for one text (pure Python)."""
        head = self._single()
        z = logits(self.spec.features(text), self.terms, self.biases, self.sublinear_tf)
        return prior(self.biases[head]) if z is None else sigmoid(z[head])

    def score_many(self, texts: Sequence[str], head: str | None = None) -> list[float]:
        """Probabilities of one head (the only one by default) for many texts.

        The same numbers as :meth:`score` up to rounding, computed with numpy
        and a per-token cache of feature ids.
        """
        k = self._single() if head is None else self.heads.index(head)
        if not texts:
            return []
        bias = self.biases[k]
        per_text = [self._ids(text) for text in texts]
        n = len(texts)
        lengths = np.fromiter(map(len, per_text), dtype=np.int64, count=n)
        total = int(lengths.sum())
        if not total:
            return [sigmoid(bias)] * n
        size = len(self._idf)
        columns = np.fromiter(chain.from_iterable(per_text), dtype=np.int64, count=total)
        keys = np.repeat(np.arange(n, dtype=np.int64) * size, lengths) + columns
        unique, counts = np.unique(keys, return_counts=True)
        cols = unique % size
        which = unique // size
        tf = 1.0 + np.log(counts) if self.sublinear_tf else counts.astype(np.float64)
        values = tf * self._idf[cols]
        norms = np.sqrt(np.bincount(which, weights=values * values, minlength=n))
        dots = np.bincount(which, weights=values * self._weights[cols, k], minlength=n)
        safe = np.where(norms > 0.0, norms, 1.0)
        z = bias + np.where(norms > 0.0, dots / safe, 0.0)
        return [float(p) for p in 1.0 / (1.0 + np.exp(-z))]

    def _single(self) -> int:
        if len(self.heads) != 1:
            raise ValueError(f"model has heads {list(self.heads)}; name one")
        return 0

    def _ids(self, text: str) -> list[int]:
        """The model's columns for ``text``, one per occurrence."""
        vocabulary = self.vocabulary
        cache = self._token_ids
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        spec = self.spec
        toks = spec.tokens(text)
        out: list[int] = []
        for tok in toks:
            ids = cache.get(tok)
            if ids is None:
                ids = tuple(
                    column
                    for column in (vocabulary.get(f) for f in spec.token_features(tok))
                    if column is not None
                )
                cache[tok] = ids
            out.extend(ids)
        for a, b in pairwise(toks):
            column = vocabulary.get(spec.pair_feature(a, b))
            if column is not None:
                out.append(column)
        return out


def linear_model_from_json(data: dict[str, Any], fmt: str) -> LinearModel:
    """Build a model from its exported JSON object, checking its format."""
    if data.get("format") != fmt:
        raise ValueError(f"model format {data.get('format')!r}; expected {fmt!r}")
    spec = feature_spec(data)
    if "heads" in data:
        heads = tuple(str(h) for h in data["heads"])
        biases = tuple(float(b) for b in data["biases"])
        thresholds = {str(k): float(v) for k, v in data["thresholds"].items()}
    else:
        heads = ("score",)
        biases = (float(data["bias"]),)
        thresholds = {"score": float(data["threshold"])}
    # Converted by numpy in one go: a per-number generator over the 100,000+
    # terms of the shipped models cost every new process about 0.1 s.
    rows = list(data["terms"].values())
    try:
        table = np.array(rows, dtype=np.float64).reshape(len(rows), len(heads) + 1)
    except ValueError:
        raise ValueError("model terms must hold an idf and one weight per head") from None
    vocabulary = dict(zip(map(str, data["terms"]), range(len(rows)), strict=True))
    terms = Terms(vocabulary, rows)
    return LinearModel(
        heads=heads,
        terms=terms,
        biases=biases,
        thresholds=thresholds,
        sublinear_tf=bool(data["sublinear_tf"]),
        spec=spec,
        provenance=dict(data.get("provenance", {})),
        vocabulary=vocabulary,
        _idf=np.ascontiguousarray(table[:, 0]),
        _weights=np.ascontiguousarray(table[:, 1:]),
        _token_ids={},
    )
