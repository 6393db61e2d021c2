"""Quasi-identifiers: facts that together single a person out."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import Any

import re2

from postguard.detectors.base import (
    Detector,
    DetectorConfigError,
    Document,
    Hit,
    take_params,
)
from postguard.detectors.entities import document_entities
from postguard.detectors.privacy.analysis import (
    _DATE_RE,
    _MONTH_RE,
    _WEEKDAY_RE,
    _analyse,
    _Analysis,
    _hit,
)
from postguard.detectors.privacy.vocab import VOCAB
from postguard.lazy_re2 import lazy

# Quasi-identifiers
# --------------------------------------------------------------------------

_PLACE = re.compile(
    r"\b(?i:in|from|at|near|outside|around|on)\s+(?:the\s+|our\s+)?(?:village\s+of\s+|town\s+of\s+)?"
    r"(?!(?:I|NICU|SCBU|NHS|IBCLC|A&E|Facebook|Instagram|Twitter|TikTok|WhatsApp|Zoom|Covid"
    r"|Christmas|Easter|Ramadan|Diwali|English|Mum|Mom)\b)"
    rf"(?!{_MONTH_RE.replace('(?:', '(?i:', 1)}\b|(?i:{_WEEKDAY_RE})\b)"
    r"[A-Z][a-z'’]+(?:[ -][A-Z][a-z'’]+)*"
)
_NUMERIC_FACETS: dict[str, re.Pattern[str]] = {
    "time": re.compile(rf"\bon\s+{_DATE_RE}|\b{_DATE_RE}\b"),
    "age": re.compile(
        r"\b\d{1,2}[- ](?:year|yr|week|day|month)s?[- ]old\b|\b\d{1,2}\s?yo\b|\baged\s+\d{1,2}\b"
        r"|\b(?:she|he)(?:'s|’s|\s+is"
        r"|\s+was)\s+\d{1,2}\b(?!\s*(?:weeks|days|months|%|kg|ml))|\b(?:1[3-9]|[2-5]\d)[- ]?"
        r"(?:year|yr)s?\b"
    ),
}
_CUE_FACETS = {
    "f_time": "time",
    "f_occupation": "occupation",
    "f_family": "family",
    "f_ethnicity": "ethnicity",
    "f_age": "age",
    "f_place": "place",
    "f_unique": "unique",
    "f_public": "public",
}
#: Facets that are rare enough to single someone out; place, time, age and a
#: common condition together describe too many people without one of these.
_RARE_FACETS = frozenset({"unique", "occupation", "ethnicity", "family", "public"})


class QuasiIdentifierDetector(Detector):
    """Facts that together single out a person even without a name."""

    name = "privacy.quasi_identifier"
    categories = frozenset({"privacy.quasi_identifier"})
    summary = "Combinations of place, time, age, condition, family or occupation about one person."

    def __init__(self, **params: Any) -> None:
        p = take_params(self.name, params, {"threshold": int})
        self.threshold: int = p.get("threshold", 3)
        if self.threshold < 2:
            raise DetectorConfigError(f"detector {self.name!r}: threshold must be at least 2")

    def detect(self, doc: Document) -> list[Hit]:
        hits = self._detect_cues(doc)
        a = _analyse(doc)
        taken = [(h.start or 0, h.end or 0) for h in hits]
        for ws, we, kinds in entity_combinations(doc, a):
            if not any(ws < e and s < we for s, e in taken):
                note = _quasi_note(kinds, False)
                hits.append(_hit("privacy.quasi_identifier", a.text, ws, we, 0.8, note))
        return hits

    def _detect_cues(self, doc: Document) -> list[Hit]:
        a = _analyse(doc)
        if not a.sents or not a.has("anchor") or a.direction == "inbound":
            return []
        # Facet positions over the whole text; the place pattern is the dearest,
        # so it runs only when the other facets could reach the threshold.
        facets: list[tuple[int, str]] = [(s, "condition") for s, _e, _f in a.health_items]
        # A rare condition ("conjoined twins") singles a family out like a rare attribute.
        facets.extend((s, "unique") for s, _e, f in a.health_items if f == "rare")
        for group, facet in _CUE_FACETS.items():
            facets.extend((s, facet) for s, _e in a.cues.get(group, ()))
        if a.has_digit:
            for facet, rx in _NUMERIC_FACETS.items():
                facets.extend((m.start(), facet) for m in rx.finditer(a.lower))
        present = {f for _s, f in facets} | {"place"}
        if not present & _RARE_FACETS or len(present) < self.threshold - 1:
            return []
        # One facet short of the rules' threshold: the model must read the text
        # as singling someone out before the dearer place pattern even runs.
        rules_reach = len(present) >= self.threshold
        if not rules_reach and not a.model_says("quasi"):
            return []
        facets.extend((m.start(), "place") for m in _PLACE.finditer(a.text))
        anchors = {a.sentence_of(s) for s, _e in a.cues["anchor"]}
        windows: list[tuple[int, int, set[str]]] = []
        near: list[tuple[int, int, set[str]]] = []
        n = len(a.sents)
        for i in sorted(anchors):
            if i in a.generic_sentences and i not in a.tie_sentences:
                continue
            # The window starts one sentence early: "The mayor's daughter! Her baby ..."
            ws, we = a.sents[max(0, i - 1)][0], a.sents[min(n, i + 3) - 1][1]
            kinds = {f for s, f in facets if ws <= s < we}
            # A tie to a public figure ("the mayor's daughter") counts twice.
            weight = len(kinds) + ("public" in kinds)
            if not kinds & _RARE_FACETS:
                continue
            if weight >= self.threshold and rules_reach:
                windows.append((ws, we, kinds))
            elif weight >= self.threshold - 1:
                near.append((ws, we, kinds))
        if not windows and near and a.model_says("quasi"):
            # One facet short, but the model reads the text as singling someone out.
            return [
                _hit("privacy.quasi_identifier", a.text, ws, we, 0.6, _quasi_note(kinds, True))
                for ws, we, kinds in _merge_windows(near)
            ]
        hits: list[Hit] = []
        for ws, we, kinds in _merge_windows(windows):
            score = min(1.0, 0.5 + 0.1 * len(kinds))
            note = _quasi_note(kinds, False)
            hits.append(_hit("privacy.quasi_identifier", a.text, ws, we, score, note))
        return hits


def _quasi_note(kinds: set[str], model: bool) -> str:
    note = "identifying combination: " + ", ".join(sorted(kinds))
    return note + " (with the model)" if model else note


def _merge_windows(
    windows: Iterable[tuple[int, int, set[str]]],
) -> list[tuple[int, int, set[str]]]:
    merged: list[tuple[int, int, set[str]]] = []
    for s, e, f in sorted(windows, key=lambda w: w[0]):
        if merged and s <= merged[-1][1]:
            ps, pe, pf = merged[-1]
            merged[-1] = (ps, max(pe, e), pf | f)
        else:
            merged.append((s, e, set(f)))
    return merged


# --------------------------------------------------------------------------
# Combinations of the entity layer's spans
# --------------------------------------------------------------------------

_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False
#: A client's situation ("living in her car", "sofa surfing"), from privacy_vocab.txt.
_SITUATION = lazy(
    r"(?:^|[^\pL\pN_])("
    + "|".join(re2.escape(w) for w in sorted(VOCAB["situation"], key=len, reverse=True))
    + r")(?:$|[^\pL\pN_])",
    _OPTIONS,
)
#: Where someone is found: a named street ("on Harbour Rd") or a landmark ("behind the Lidl").
_STREET_OR_LANDMARK = lazy(
    r"\b(?i:on|off|in|at|behind|near|outside|by|next to|opposite)\s+(?:the\s+)?"
    r"\p{Lu}[\pL'’]+(?:\s+\p{Lu}[\pL'’]+){0,3}"
    r"(?:\s+(?:Rd|Road|St|Street|Lane|Ln|Ave|Avenue|Drive|Dr|Way|Close|Crescent|Terrace"
    r"|Parade|Estate|Park|Car Park|Station)\b|\b)",
    re2.Options(),
)
#: Birth order or family size: "3rd bub", "second baby", "mum of 4".
_FAMILY_ORDER = lazy(
    r"\b(?:\d(?:st|nd|rd|th)|second|third|fourth|fifth|sixth)\s+(?:bub|bubba|baby|child|kid"
    r"|pregnancy)\b|\b(?:mum|mom|mother)\s+of\s+(?:\d|three|four|five|six)\b",
    _OPTIONS,
)


def _any_in(sorted_starts: list[int], lo: int, hi: int) -> bool:
    """Whether some start lies in ``[lo, hi)``."""
    i = bisect.bisect_left(sorted_starts, lo)
    return i < len(sorted_starts) and sorted_starts[i] < hi


#: Characters on either side of an age that the other facts must fall within.
_REACH = 160
_PLACE_TYPES = frozenset({"place", "address", "care_place"})


def entity_combinations(doc: Document, a: _Analysis) -> list[tuple[int, int, set[str]]]:
    """Windows where an age, a place or street and a situation or family fact meet.

    "19yo, 3rd bub, living in her car behind the Lidl on Harbour Rd" names no
    one, yet the age, the street and the situation together point to one
    young woman. Each fact alone is common; the rule needs the age, a place
    and one more fact of a person (situation, birth order), near a word
    about a person, in an outbound text that is not general education.
    A conference date and a city, a price, the association's own address
    or a cited DOI hold no age of a person and no situation.
    """
    if a.direction == "inbound" or not a.has_digit:
        return []
    ages = [e for e in document_entities(doc) if e.type == "age"]
    if not ages:
        return []
    lower = a.lower
    places = [(e.start, e.end) for e in document_entities(doc) if e.type in _PLACE_TYPES]
    places.extend(m.span() for m in _STREET_OR_LANDMARK.finditer(a.text))
    places.sort()
    place_starts = [s for s, _e in places]
    facts = {
        "situation": [m.start(1) for m in _SITUATION.finditer(lower)],
        "family": [m.start() for m in _FAMILY_ORDER.finditer(lower)],
    }
    anchors = sorted(s for s, _e in a.cues.get("anchor", ()))
    generic = sorted(s for s, _e in a.cues.get("generic", ()))
    out: list[tuple[int, int, set[str]]] = []
    # Every look below is a bisection, so a hostile text of thousands of ages
    # and places costs n log n, not n squared.
    for age in ages:
        # general wording ("women", "many mums") unless a person word leads to the
        # age with no general word between ("She is 23", not "Teen mums aged 16")
        k = bisect.bisect_right(anchors, age.start)
        lead = anchors[k - 1] if k else -1
        own = lead >= age.start - 40 and not _any_in(generic, lead + 1, age.start)
        if a.sentence_of(age.start) in a.strong_generic_sentences and not own:
            continue
        lo, hi = age.start - _REACH, age.end + _REACH
        first = bisect.bisect_left(place_starts, lo)
        last = bisect.bisect_left(place_starts, hi)
        if first == last or not _any_in(anchors, lo, hi):
            continue
        kinds = {"age", "place"} | {f for f, at in facts.items() if _any_in(at, lo, hi)}
        if len(kinds) < 3:
            continue
        fact_starts = [
            at[bisect.bisect_left(at, lo)] for at in facts.values() if _any_in(at, lo, hi)
        ]
        ws = a.sentence_span(min(age.start, place_starts[first], *fact_starts))[0]
        we = a.sentence_span(max(age.end - 1, places[last - 1][1] - 1, *fact_starts))[1]
        out.append((ws, we, kinds))
    return _merge_windows(out)
