"""The models trained on public tweet data: offensive language, hate against
groups, and negative sentiment.

Each is a TF-IDF + logistic-regression model in the format of
:mod:`postguard.detectors._linear_model` (``offensive_model.json``,
``hate_model.json``, ``negative_model.json``; trained by
``scripts/train_public_models.py``, see the ``.md`` note beside each), plus a
small "stack": a second logistic regression over the model's logit and, when
cross-validation found them useful, alt-profanity-check's logit and VADER's
compound score. The stack is what the threshold applies to.

Texts are prepared the same way at training and at run time
(:func:`prepare`): folded (:mod:`postguard.detectors.normalise`), @handles
as ``@user`` and links as ``http`` (TweetEval's conventions).

alt-profanity-check and VADER cost more than the linear model, so they are
only computed for texts whose model logit could still reach the threshold
given their largest possible contribution; the others score 0.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from postguard.detectors import _linear_model
from postguard.detectors.base import Document
from postguard.detectors.normalise import fold

__all__ = [
    "PUBLIC_MODEL_FORMAT",
    "EngineFloors",
    "PublicModel",
    "document_scores",
    "engine_floors",
    "flags",
    "load_public_model",
    "prepare",
    "stack_inputs",
]

#: Bumped when the feature function, the preparation or the JSON layout changes.
PUBLIC_MODEL_FORMAT = "postguard-public-logreg/1"
_DATA = Path(__file__).resolve().parent.parent / "data"
#: Model name -> file in ``postguard/data``.
MODEL_FILES = {
    "offensive": "offensive_model.json",
    "hate": "hate_model.json",
    "negative": "negative_model.json",
}
#: Logits are clipped to this range before they enter the stack.
LOGIT_CLIP = 8.0

_MENTION = re.compile(r"@\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")


@cache
def _clinical() -> Any:
    # Imported late: the language detectors import this module.
    from postguard.detectors.language import load_lexicon
    from postguard.detectors.text import PhraseMatcher

    return PhraseMatcher(load_lexicon("profanity.txt")["clinical"])


def prepare(text: str, mask: bool = False) -> str:
    """The text a public model sees: folded, @handles and links masked and,
    with ``mask``, the lactation vocabulary of ``profanity.txt [clinical]``
    (breast, nipple, boobs, suck ...) removed: in tweets those words are
    mostly vulgar, in this profession they are the subject."""
    folded = _URL.sub("http", _MENTION.sub("@user", fold(text)))
    if not mask:
        return folded
    pieces: list[str] = []
    cursor = 0
    for match in _clinical().find(folded):
        if match.start >= cursor:
            pieces.append(folded[cursor : match.start])
            cursor = match.end
    pieces.append(folded[cursor:])
    return " ".join(pieces) if len(pieces) > 1 else folded


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1.0 - 1e-6)
    return max(-LOGIT_CLIP, min(LOGIT_CLIP, math.log(p / (1.0 - p))))


def _profanity_logits(texts: Sequence[str]) -> list[float]:
    # Imported late: the language detectors import this module.
    from postguard.detectors.language import profanity_scores

    return [_logit(p) for p in profanity_scores(texts)]


@cache
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _vader_compounds(texts: Sequence[str]) -> list[float]:
    analyzer = _vader()
    return [float(analyzer.polarity_scores(t)["compound"]) for t in texts]


#: Stack input name -> (function of the raw texts, largest absolute value).
#: alt-profanity-check reads the prepared text (so disguised words count);
#: VADER reads the raw one (capitals and "!!!" are part of its signal).
#: Each function takes the raw texts and the prepared ones.
STACK_INPUTS: dict[str, tuple[Callable[[Sequence[str], Sequence[str]], list[float]], float]] = {
    "profanity": (lambda _raw, prepared: _profanity_logits(prepared), LOGIT_CLIP),
    "vader": (lambda raw, _prepared: _vader_compounds(raw), 1.0),
}


def stack_inputs(
    names: Sequence[str], texts: Sequence[str], mask: bool = False
) -> dict[str, list[float]]:
    """The extra stack inputs (``profanity``, ``vader``) of raw ``texts``."""
    prepared = [prepare(t, mask) for t in texts]
    return {name: STACK_INPUTS[name][0](texts, prepared) for name in names}


@dataclass(frozen=True, slots=True)
class PublicModel:
    """A linear model plus its stack (see the module docstring)."""

    name: str
    linear: _linear_model.LinearModel
    inputs: tuple[str, ...]  # extra stack inputs, after the model's own logit
    weights: tuple[float, ...]  # one per stack input, the model's logit first
    bias: float
    threshold: float
    mask: bool  # prepare(text, mask=True): lactation vocabulary removed
    provenance: dict[str, Any]

    def scores(self, texts: Sequence[str], floor: float | None = None) -> list[float]:
        """The stacked probability of each raw text.

        With ``floor``, a text that cannot reach it whatever its extra inputs
        scores 0.0 without computing them (the common, cheap case).
        """
        if not texts:
            return []
        prepared = [prepare(t, self.mask) for t in texts]
        logits = [_logit(p) for p in self.linear.score_many(prepared)]
        z = [self.bias + self.weights[0] * v for v in logits]
        todo = list(range(len(texts)))
        need = _logit(floor) if floor is not None else -math.inf
        reach = [
            abs(w) * STACK_INPUTS[name][1]
            for name, w in zip(self.inputs, self.weights[1:], strict=True)
        ]
        # Inputs are added one at a time (the cheaper alt-profanity-check
        # first when the stack has it), dropping after each the texts that
        # the remaining ones can no longer lift to the floor.
        for k, name in enumerate(self.inputs):
            rest = sum(reach[k:])
            todo = [i for i in todo if z[i] + rest >= need]
            if not todo:
                break
            values = STACK_INPUTS[name][0]([texts[i] for i in todo], [prepared[i] for i in todo])
            for i, value in zip(todo, values, strict=True):
                z[i] += self.weights[k + 1] * value
        todo = [i for i in todo if z[i] >= need]
        out = [0.0] * len(texts)
        for i in todo:
            out[i] = 1.0 / (1.0 + math.exp(-z[i]))
        return out


def public_model_from_json(name: str, data: dict[str, Any]) -> PublicModel:
    """Build a model from its exported JSON object, checking its format."""
    linear = _linear_model.linear_model_from_json(data, PUBLIC_MODEL_FORMAT)
    stack = data["stack"]
    inputs = tuple(str(x) for x in stack["inputs"])
    unknown = set(inputs) - set(STACK_INPUTS)
    if unknown:
        raise ValueError(f"{name} model: unknown stack inputs {sorted(unknown)}")
    weights = tuple(float(w) for w in stack["weights"])
    if len(weights) != len(inputs) + 1:
        raise ValueError(f"{name} model: the stack needs one weight per input plus the model's")
    return PublicModel(
        name=name,
        linear=linear,
        inputs=inputs,
        weights=weights,
        bias=float(stack["bias"]),
        threshold=float(stack["threshold"]),
        mask=bool(data.get("mask_clinical", False)),
        provenance=dict(data.get("provenance", {})),
    )


@dataclass(frozen=True, slots=True)
class EngineFloors:
    """How the language detectors combine the offensive and hate models
    (``public_floors.json``, chosen by ``scripts/choose_public_floors.py`` by
    cross-validation on the training tweets): the offensive score a span
    aimed at a person or naming a group needs, the score language aimed at
    nobody needs, and the offensive score a document needs before a hate-model
    span counts."""

    aimed: float
    unaimed: float
    hate_gate: float


@cache
def engine_floors() -> EngineFloors:
    """The shipped :class:`EngineFloors`."""
    blob = json.loads((_DATA / "public_floors.json").read_text("utf-8"))
    return EngineFloors(
        aimed=float(blob["aimed_floor"]),
        unaimed=float(blob["unaimed_floor"]),
        hate_gate=float(blob["hate_gate"]),
    )


def _score_floor(name: str, model: PublicModel) -> float:
    """The lowest score of ``name`` a caller reads: the model's threshold, or
    for the offensive model the lowest engine floor (the hate gate)."""
    if name != "offensive":
        return model.threshold
    floors = engine_floors()
    return min(model.threshold, floors.aimed, floors.unaimed, floors.hate_gate)


@cache
def load_public_model(name: str) -> PublicModel:
    """A shipped public model by name (loaded once per process)."""
    if name not in MODEL_FILES:
        raise ValueError(f"no public model {name!r}; expected one of {sorted(MODEL_FILES)}")
    blob = json.loads((_DATA / MODEL_FILES[name]).read_text("utf-8"))
    return public_model_from_json(name, blob)


_MEMO_KEY = "_public_model_scores"


def document_scores(name: str, docs: Sequence[Document]) -> list[tuple[float, int, int]]:
    """For each document, the model's best stacked score over its spans and
    that span: ``(score, start, end)``; ``(0.0, 0, 0)`` for an empty text.

    Spans are :func:`postguard.detectors.language.units` (a short text whole,
    a long one in sentence pairs). A score below the model's threshold (for
    the offensive model, below the lowest of :func:`engine_floors`) may be
    reported as 0.0 (see :meth:`PublicModel.scores`). Results are kept on the
    document, so detectors that share a model share the work.
    """
    from postguard.detectors.language import units  # the language detectors import us

    model = load_public_model(name)
    memos: list[dict[str, tuple[float, int, int]]] = [
        vars(doc).setdefault(_MEMO_KEY, {}) for doc in docs
    ]
    todo = [i for i, memo in enumerate(memos) if name not in memo]
    spans = {i: units(docs[i].text) for i in todo}
    texts = [docs[i].text[a:b] for i in todo for a, b in spans[i]]
    scores = iter(model.scores(texts, floor=_score_floor(name, model)))
    for i in todo:
        best = (0.0, 0, 0)
        for a, b in spans[i]:
            score = next(scores)
            if score > best[0] or best == (0.0, 0, 0):
                best = (score, a, b)
        memos[i][name] = best
    return [memo[name] for memo in memos]


def flags(name: str, docs: Sequence[Document]) -> list[tuple[float, int, int] | None]:
    """:func:`document_scores`, with ``None`` for documents below the threshold."""
    threshold = load_public_model(name).threshold
    return [s if s[0] >= threshold else None for s in document_scores(name, docs)]
