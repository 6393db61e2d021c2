"""Tests for the models trained on public tweets and their use by the detectors."""

from __future__ import annotations

import pytest

from postguard.content import Content
from postguard.detectors import _public_models as pm
from postguard.detectors.base import Document
from postguard.detectors.language import BiasDetector, HarassmentDetector, ProfanityDetector


def doc(text: str) -> Document:
    return Document(Content(text))


@pytest.mark.parametrize("name", sorted(pm.MODEL_FILES))
def test_every_shipped_model_loads_with_its_provenance(name: str) -> None:
    model = pm.load_public_model(name)
    assert 0.0 < model.threshold < 1.0
    assert model.provenance["validation"]
    assert len(model.weights) == len(model.inputs) + 1


@pytest.mark.parametrize("name", sorted(pm.MODEL_FILES))
def test_the_cheap_path_decides_like_the_full_one(name: str) -> None:
    texts = [
        "Thank you for the lovely session today",
        "you are a pathetic disgusting liar @user",
        "Send them all back, they are invaders",
        "worst webinar ever, total waste of time",
        "Latch clinic moves to Thursdays from May.",
    ]
    model = pm.load_public_model(name)
    full = model.scores(texts)
    cheap = model.scores(texts, floor=model.threshold)
    assert [p >= model.threshold for p in full] == [p >= model.threshold for p in cheap]
    assert all(c in (0.0, f) for c, f in zip(cheap, full, strict=True))


def test_the_text_is_folded_and_the_lactation_vocabulary_masked() -> None:
    assert pm.prepare("@Jo ｓｅｅ https://x.y/z") == "@user see http"
    assert "boobs" not in pm.prepare("My boobs hurt", mask=True)


def test_an_offensive_reply_to_a_person_is_harassment_by_the_model() -> None:
    text = "@user your opinions are garbage and so is your face"
    hits = HarassmentDetector(model=False).detect(doc(text))
    assert [h.note for h in hits] == ["model: offensive language aimed at a person"]


def test_hostility_towards_a_group_is_bias_by_the_model() -> None:
    text = "Illegal aliens are invading us, build the wall and send them all back"
    hits = BiasDetector(model=False).detect(doc(text))
    assert [h.category for h in hits] == ["language.bias"]
    assert hits[0].note.startswith("model:")


@pytest.mark.parametrize(
    "text",
    [
        "Thank you to everyone who came to the breastfeeding café today!",
        "Nipple shields can help a baby latch; ask your IBCLC how to use them.",
    ],
)
def test_the_models_leave_ordinary_posts_alone(text: str) -> None:
    for detector in (ProfanityDetector(), HarassmentDetector(), BiasDetector()):
        assert detector.detect(doc(text)) == [], detector.name


def test_the_public_models_can_be_switched_off() -> None:
    text = "@user your opinions are garbage and so is your face"
    assert HarassmentDetector(model=False, public_model=False).detect(doc(text)) == []


def test_the_engine_floors_are_probabilities_chosen_by_the_script() -> None:
    floors = pm.engine_floors()
    for value in (floors.aimed, floors.unaimed, floors.hate_gate):
        assert 0.0 <= value < 1.0
    # The hate gate is read below the offensive model's own threshold, so the
    # cheap path must keep those scores.
    offensive = pm.load_public_model("offensive")
    assert pm._score_floor("offensive", offensive) <= floors.hate_gate


def test_a_hate_span_needs_the_offensive_model_to_see_offence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "Illegal aliens are invading us, build the wall and send them all back"
    hate = pm.flags("hate", [doc(text)])[0]
    offensive = pm.document_scores("offensive", [doc(text)])[0][0]
    assert hate is not None
    strict = pm.EngineFloors(aimed=1.0, unaimed=1.0, hate_gate=min(1.0, offensive + 0.01))
    monkeypatch.setattr(pm, "engine_floors", lambda: strict)
    assert BiasDetector(model=False).detect(doc(text)) == []
    lenient = pm.EngineFloors(aimed=1.0, unaimed=1.0, hate_gate=0.0)
    monkeypatch.setattr(pm, "engine_floors", lambda: lenient)
    hits = BiasDetector(model=False).detect(doc(text))
    assert [h.note for h in hits] == ["model: hostility towards a group"]
