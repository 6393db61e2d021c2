"""A tiny "does this sentence give advice?" classifier, evaluated in pure Python.

The model is trained by ``scripts/train_advice_model.py`` with scikit-learn
(TF-IDF over word 1-2grams, logistic regression) and exported as plain JSON
(``postguard/data/advice_model.json``). Inference needs neither scikit-learn
nor pickle, so it survives library upgrades and loads in milliseconds.

The tokenizer and the TF-IDF arithmetic are shared with the privacy model
(:mod:`postguard.detectors._linear_model`); the training script imports
them from here, so that training and inference cannot drift apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from postguard.detectors import _linear_model as lm
from postguard.detectors._linear_model import tokens as tokens

#: Bumped when the tokenizer or the JSON layout changes incompatibly.
FORMAT = "postguard-advice-logreg/1"
TOKENIZER = lm.TOKENIZER

#: Where the exported model ships (next to the package's other data files).
MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "advice_model.json"


def features(text: str) -> list[str]:
    """Word unigrams and bigrams (bigrams joined with a space)."""
    return lm.word_features(tokens(text))


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
        z = lm.logits(features(text), self.terms, (self.bias,), self.sublinear_tf)
        return lm.prior(self.bias) if z is None else lm.sigmoid(z[0])

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
