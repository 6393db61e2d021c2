"""Health details tied to a person."""

from __future__ import annotations

import re
from typing import Any

from postguard.detectors.base import (
    Detector,
    Document,
    Hit,
    take_params,
)
from postguard.detectors.privacy import languages
from postguard.detectors.privacy.analysis import (
    _PREDICATED,
    _SHORTHAND,
    _analyse,
    _Analysis,
    _hit,
)

# Health details
# --------------------------------------------------------------------------

# The lookahead makes the scan fail fast at every position that is not a digit.
_MEASURE = re.compile(
    r"(?=\d)(?<![\w.])(?:\d+(?:\.\d+)?\s*(?:mg|mcg|µg|micrograms?|milligrams?|iu)\b"
    r"|\d+(?:\.\d+)?\s*%\s*(?:weight\s+loss|of\s+(?:his|her|their|the)?\s*birth\s*weight|down"
    r"|below|loss)"
    r"|\d+\s?(?:ml|oz)\b|\d+\s?g\s*(?:/|a\s+|per\s+)(?:wk|week|day)\b|\d+\s?g\s+since\b"
    r"|\d(?:\.\d{1,2})?\s?kg\b|\d{1,2}\s?lbs?\s?\d{1,2}\s?oz\b"
    r"|(?:2[3-9]|3\d|4[0-2])\s?(?:weeks?|wks?)\b(?!\s+(?:old|postpartum|pp|ago|after|later|of\s+age)))"
)
_MEASURE_WORDS = re.compile(
    r"\b(?:(?:lost|dropped|down)\s+\d+(?:\.\d+)?\s*%"
    r"|weigh(?:ed|s|ing)?\s+(?:in\s+at\s+)?\d+(?:\.\d+)?\s*(?:kg|g|grams|lbs?|pounds)"
    r"(?:\s*\d+\s*oz)?"
    r"|born\s+at\s+(?:\d{2}\s*\+\s*\d|\d{2}\s+weeks)|up\s+\d+\s?g\b"
    r"|(?:is|was|at)\s+\d{1,2}\s?cm\b(?!\s+(?:long|wide|tall)))"
)


#: "the infant feeding team", "feeding your baby": a service or a topic, not a detail.
_SERVICE_AFTER = re.compile(
    r"\s+(?:team|teams|clinic|clinics|lead|leads|support|supporters?|group|groups|service|services"
    r"|helpline|specialists?|caf[eé]|class|classes|network|policy|policies|week|awareness|peer"
    r"|counsellors?|advice|information|friendly|your|a\s+baby|babies|journey\s+resources)\b"
)
#: "the Big Latch On": a health word inside a title-case name is not a detail.
_TITLE_BEFORE = re.compile(r"[A-Z][a-z]+\s+$")


def _health_items(a: _Analysis) -> list[tuple[int, int, str]]:
    items = [(m.start, m.end, m.label.partition(":")[2]) for m in a.health]
    if a.has_digit:
        lower = a.lower
        items.extend((m.start(), m.end(), "measure") for m in _MEASURE.finditer(lower))
        if any(k in lower for k in ("lost", "dropped", "down", "weigh", "born", "up ", "cm")):
            items.extend((m.start(), m.end(), "measure") for m in _MEASURE_WORDS.finditer(lower))
        items.extend((m.start(), m.end(), "measure") for m in _SHORTHAND.finditer(lower))
        items.sort()
    return items


#: An outbound reply that tells the reader what to do: advice, not a case history.
_ADVICE = re.compile(
    r"^\W*(?:at\s+[\w ]{1,12},\s*)?(?:offer|give|drop|try|take|stop|start|switch|split|keep|wake"
    r"|pump|ask|get|put|use|add|avoid|let)\b|\b(?:you\s+(?:can|could|should|need|must|might|may)"
    r"|needs\s+(?:at\s+least|about|to)|should|is\s+fine|(?:it'?s|is)\s+normal)\b",
    re.IGNORECASE,
)


def _health_tied(a: _Analysis, start: int) -> bool:
    i = a.sentence_of(start)
    reach = 2 if a.direction == "inbound" else 1
    if any(abs(i - j) <= reach for j in a.identified_sentences):
        return True
    if a.kind == "reply" and a.direction == "outbound":
        s, e = a.sents[i] if a.sents else (0, len(a.text))
        if _ADVICE.search(a.text[s:e]) and i not in a._sentences_with("tie1"):
            return False
    if a.tied(start) or i in a.case_sentences:
        return True
    return (
        a.direction == "outbound"
        and i not in a.generic_sentences
        and _PREDICATED.search(a.lower, max(0, start - 60), start) is not None
    )


class HealthDetailDetector(Detector):
    """Diagnoses, medicines, procedures and feeding details tied to a particular person."""

    name = "privacy.health"
    categories = frozenset({"privacy.health"})
    summary = "Health details of a particular client, infant or family (not general education)."

    def __init__(self, **params: Any) -> None:
        take_params(self.name, params, {})

    def detect(self, doc: Document) -> list[Hit]:
        hits = self._detect_english(doc)
        a = _analyse(doc)
        # the same, tied to a client in Spanish, French, Portuguese, German or Tagalog
        return hits + languages.extra_hits(
            "privacy.health",
            "health detail of a person",
            languages.health_details(a, a.health_items),
            a,
            hits,
        )

    def _detect_english(self, doc: Document) -> list[Hit]:
        a = _analyse(doc)
        hits: list[Hit] = []
        text = a.text
        inbound = a.direction == "inbound"
        places = [(h.start or 0, h.end or 0) for h in a.care_locations] if a.has("room") else []
        untied: list[tuple[int, int, str]] = []
        for start, end, facet in a.health_items:
            if any(s <= start < e for s, e in places):
                # "the NICU at St Aidan's" is where the baby is: a place, not a diagnosis.
                continue
            if facet == "feeding" and inbound:
                # The feeding difficulty a commenter asks about is not a disclosure.
                continue
            if text[start].isupper() and _TITLE_BEFORE.search(text, max(0, start - 20), start):
                continue
            if facet == "feeding" and _SERVICE_AFTER.match(a.lower, end):
                continue
            if _health_tied(a, start):
                hits.append(
                    _hit("privacy.health", a.text, start, end, 0.8, f"{facet} detail of a person")
                )
            elif not hits:
                untied.append((start, end, facet))
        if hits or not untied or inbound:
            return hits
        return _model_health(a, untied)


def _case_anchor(a: _Analysis) -> bool:
    """A minimal sign that the text is about someone: a person word, name, tie or story cue."""
    return bool(a.has("anchor") or a.people or a.has("narrative") or a.tie_sentences)


def _model_health(a: _Analysis, untied: list[tuple[int, int, str]]) -> list[Hit]:
    """Rescue health details the rules could not tie, when the model reads a case story.

    Only outbound texts with a person anchor qualify, and only details outside
    sentences worded as general education ("if", "research", "many mums").
    """
    strong = a.strong_generic_sentences
    candidates = [c for c in untied if a.sentence_of(c[0]) not in strong]
    if not candidates or not _case_anchor(a) or not a.model_says("health"):
        return []
    start, end, facet = candidates[0]
    note = f"{facet} detail in what reads as a case story (model)"
    return [_hit("privacy.health", a.text, start, end, 0.7, note)]
