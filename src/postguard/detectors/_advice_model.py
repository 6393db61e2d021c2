"""The "does this sentence give advice?" model of the clinical detectors.

The model is trained by ``scripts/train_advice_model.py`` with scikit-learn
(TF-IDF over word 1-2grams, logistic regression), exported as plain JSON
(``postguard/data/advice_model.json``) and evaluated by the shared
:mod:`postguard.detectors._linear_model` (one single-head
:class:`~postguard.detectors._linear_model.LinearModel`). This module only
names the file and its format.
"""

from __future__ import annotations

import json
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

#: Word unigrams and bigrams (bigrams joined with a space).
features = lm.analyzer(0, 0)


def from_json(data: dict[str, Any]) -> lm.LinearModel:
    """Build the model from the exported JSON object, checking its format."""
    return lm.linear_model_from_json(data, FORMAT)


@cache
def load() -> lm.LinearModel:
    """The shipped model (loaded once per process)."""
    return from_json(json.loads(MODEL_PATH.read_text("utf-8")))
