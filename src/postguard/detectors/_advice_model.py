"""A tiny "does this sentence give advice?" classifier, evaluated in pure Python.

The model is trained by ``scripts/train_advice_model.py`` with scikit-learn
(TF-IDF over word 1-2grams, logistic regression) and exported as plain JSON
(``postguard/data/advice_model.json``). Inference needs neither scikit-learn
nor pickle, so it survives library upgrades and loads in milliseconds.

The tokenizer lives here, and the training script imports it, so that
training and inference cannot drift apart.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

#: Bumped when the tokenizer or the JSON layout changes incompatibly.
FORMAT = "postguard-advice-logreg/1"
TOKENIZER = "postguard-advice-tokens/1"

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*|\d+(?:[.,]\d+)?|[?!]")
_NUMBER = "<num>"

#: Where the exported model ships (next to the package's other data files).
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "advice_model.json"


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; numbers collapse to one token, ? and ! are kept.

    Contractions stay whole ("don't", "you'll") so that the Reddit training
    text, once detokenized, and real posts split the same way.
    """
    out = _TOKEN.findall(text.lower().translate(_APOSTROPHES))
    return [_NUMBER if t[0].isdigit() else t for t in out]


def features(text: str) -> list[str]:
    """Word unigrams and bigrams (bigrams joined with a space)."""
    toks = tokens(text)
    return toks + [f"{a} {b}" for a, b in pairwise(toks)]


@dataclass(frozen=True, slots=True)
class AdviceModel:
    """TF-IDF + logistic regression, as exported by the training script.

    ``terms`` maps a feature to ``(idf, weight)``; the TF-IDF vector is
    L2-normalised over the model's vocabulary exactly as scikit-learn does.
    """

    terms: dict[str, tuple[float, float]]
    bias: float
    threshold: float
    sublinear_tf: bool
    provenance: dict[str, Any]

    def score(self, text: str) -> float:
        """Probability that ``text`` (one sentence) gives advice."""
        counts: dict[str, int] = {}
        terms = self.terms
        for feat in features(text):
            if feat in terms:
                counts[feat] = counts.get(feat, 0) + 1
        if not counts:
            return 1.0 / (1.0 + math.exp(-self.bias))
        norm = 0.0
        dot = 0.0
        sublinear = self.sublinear_tf
        for feat, count in counts.items():
            idf, weight = terms[feat]
            tf = 1.0 + math.log(count) if sublinear else float(count)
            value = tf * idf
            norm += value * value
            dot += value * weight
        z = self.bias + dot / math.sqrt(norm)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        ez = math.exp(z)
        return ez / (1.0 + ez)

    def is_advice(self, text: str) -> bool:
        return self.score(text) >= self.threshold


def from_json(data: dict[str, Any]) -> AdviceModel:
    """Build a model from the exported JSON object, checking its format."""
    if data.get("format") != FORMAT:
        raise ValueError(f"advice model format {data.get('format')!r}; expected {FORMAT!r}")
    if data.get("tokenizer") != TOKENIZER:
        raise ValueError(
            f"advice model tokenizer {data.get('tokenizer')!r}; expected {TOKENIZER!r}"
        )
    terms = {str(k): (float(v[0]), float(v[1])) for k, v in data["terms"].items()}
    return AdviceModel(
        terms=terms,
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        sublinear_tf=bool(data["sublinear_tf"]),
        provenance=dict(data.get("provenance", {})),
    )


@cache
def load() -> AdviceModel:
    """The shipped model (loaded once per process)."""
    blob = MODEL_PATH.read_text("utf-8")
    return from_json(json.loads(blob))
