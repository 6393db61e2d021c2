"""Birth dates and ages of clients and infants."""

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
    _DATE_RE,
    _GEST_RE,
    _RELDAY_RE,
    _TIME_RE,
    _analyse,
    _hit,
)

# Birth dates, ages
# --------------------------------------------------------------------------

_BIRTH_DATE = re.compile(
    rf"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|birthday)\s*(?:is|was|:|-|=)?\s*"
    rf"(?:{_DATE_RE}|\d{{1,2}}/\d{{1,2}})"
    r"|\bdob\b"
    r"|(?<![\w-])(?:born|arrived|delivered|came\s+into\s+the\s+world|gave\s+birth|birthed"
    r"|went\s+into\s+labou?r|welcomed\s+(?:their|her|his|a|baby)(?:\s+\w+){0,2}?\s+(?:baby"
    r"|son|daughter|boy|girl|twins|triplets))\s+"
    r"(?:(?:at|in|on)\s+(?:the\s+)?[\w'’]+(?:\s+[\w'’()]+){0,7}?\s*\(?(?=(?:on|last|this"
    r"|yesterday|today)\b|\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3}))?"
    rf"(?:(?:on\s+|at\s+|in\s+the\s+)?(?:{_DATE_RE}|{_RELDAY_RE}|{_TIME_RE})"
    rf"(?:\s*(?:,|at|on|by|via|in|after)?\s*(?:{_TIME_RE}|{_GEST_RE}|{_DATE_RE}|{_RELDAY_RE}))*)"
    rf"|\bdue\s+(?:date\s+(?:is|was|of)\s+|on\s+)(?:{_DATE_RE})"
)


class BirthDateDetector(Detector):
    """Dates of birth and birth details ("born on 3 April at 3:42am", "DOB 3/4/25")."""

    name = "privacy.date"
    categories = frozenset({"privacy.date"})
    summary = "Dates of birth and birth times of a person."

    def __init__(self, **params: Any) -> None:
        take_params(self.name, params, {})

    def detect(self, doc: Document) -> list[Hit]:
        hits = self._detect_english(doc)
        a = _analyse(doc)
        # the same, tied to a client in Spanish, French, Portuguese, German or Tagalog
        return hits + languages.extra_hits(
            "privacy.date", "birth date", languages.birth_dates(doc, a), a, hits
        )

    def _detect_english(self, doc: Document) -> list[Hit]:
        a = _analyse(doc)
        if not a.has("birth"):
            return []
        text = a.text
        hits: list[Hit] = []
        for m in _BIRTH_DATE.finditer(a.lower):
            start, end = m.span()
            while end > start and text[end - 1] in " ,":
                end -= 1
            hits.append(_hit("privacy.date", text, start, end, 0.85, "birth date or time"))
        return hits


_NUM_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty)(?:[- ][a-z]+)?"
)
_AGE_OLD = re.compile(
    rf"(?:\b(my|her|his|their|our|this|that|a|an|the|your)\s+)?\b(?:\d{{1,2}}|{_NUM_WORDS})"
    r"[- ](?:year|yr|month|mth|week|wk|day|hour|hr)s?[- ]old\b"
)
#: "my client (23)", "mum (19)"
_AGE_PAREN = re.compile(
    r"\b(?:client|patient|mum|mom|mother|dad|father|she|he|girl|woman|lady)\s*\(\s*(?:1[3-9]|[2-5]\d)"
    r"\s*\)"
)
_AGE_YO = re.compile(r"\b\d{1,2}\s?yo\b")
_AGE_PERSON_AFTER = re.compile(
    r"\s+(?:client|patient|mum|mom|mother|dad|father|son|daughter|baby|girl|boy|twins|triplets"
    r"|lady|woman|first-time|first\s+time|primip|multip)"
)
_AGE_SHE_IS = re.compile(
    r"\b(?:she|he)(?:'s|’s|\s+is|\s+was|\s+turned|\s+turns|\s+will\s+be)\s+(?:only\s+|just\s+"
    r"|now\s+|nearly\s+|almost\s+)?\d{1,2}\b(?!\s*(?:%|percent|kg|g|lbs?|ml|oz|cm|mm|mg"
    r"|minutes|mins|hours|hrs|times|feeds|nappies|of|:|\.\d|/|-"
    r"|(?:weeks?|days?|months?)\s+(?:postpartum|post-partum|pp|postnatal|pregnant|post-op)))"
    r"(?:\s*(?:years?|yrs?|weeks?|days?|months?)(?:\s+old)?)?"
)
_AGE_AGED = re.compile(
    r"\baged?\s+\d{1,2}\b(?!\s*(?:[-–]|to\s+\d|and\s+(?:over|under|up|above|below|older|younger)"
    r"|or\s+(?:over|under|older|younger)|\+|months?\s+(?:and|to|[-–])))"
    r"(?:\s*(?:years?|weeks?|days?|months?))?"
)
_AGE_MUM_OF = re.compile(
    r"\b(?:a|the|this)\s+(?:mum|mom|mother|dad|father)\s+of\s+(?:1[4-9]|[2-5]\d)\b"
    r"(?!\s*(?:kids|children|babies))"
)
_AGE_DECADE = re.compile(
    r"\b(?:in\s+)?(?:her|his)\s+(?:early\s+|mid\s+|mid-|late\s+)?(?:teens|twenties|thirties"
    r"|forties|fifties|[1-5]0s)\b"
)
_GROUP_BEFORE_AGE = re.compile(
    r"\b(?:babies|infants|children|kids|toddlers|mothers|mums|moms|women|parents|people|those"
    r"|anyone|families|girls|boys|teens|adults|patients|clients|members|under|over|from|until"
    r"|till|up\s+to|between|by|at|around|about|before|after|most|all|every)\s*$"
)


class AgeDetector(Detector):
    """An age tied to a specific person ("my 19-year-old client", "she's 42")."""

    name = "privacy.age"
    categories = frozenset({"privacy.age"})
    summary = "Ages of specific people (not age groups in general advice)."

    def __init__(self, **params: Any) -> None:
        take_params(self.name, params, {})

    def detect(self, doc: Document) -> list[Hit]:
        hits = self._detect_english(doc)
        a = _analyse(doc)
        # the same, tied to a client in Spanish, French, Portuguese, German or Tagalog
        return hits + languages.extra_hits(
            "privacy.age", "age of a person", languages.tied_entities(doc, a, ("age",)), a, hits
        )

    def _detect_english(self, doc: Document) -> list[Hit]:
        a = _analyse(doc)
        if not a.has("age") and not (a.has_digit and ("yo" in a.lower or "(" in a.lower)):
            return []
        text, lower = a.text, a.lower
        spans: list[tuple[int, int]] = []
        if "old" in lower:
            for m in _AGE_OLD.finditer(lower):
                det = m.group(1) or ""
                if a.direction == "inbound" and det not in ("her", "his", "their"):
                    # A parent giving their own baby's age to ask for help.
                    continue
                if det in ("a", "an", "the", "your", ""):
                    person_after = _AGE_PERSON_AFTER.match(lower, m.end()) is not None
                    generic = a.sentence_of(m.start()) in a.generic_sentences
                    opens = det == "" and a.sentence_span(m.start())[0] == m.start()
                    if (not person_after or generic) and not (opens and a.direction == "outbound"):
                        if not a.tied(m.start()) or det == "your":
                            continue
                    elif not (a.tied(m.start()) or "narrative" in a.cues):
                        continue
                    if det == "your" and a.kind == "post":
                        continue
                spans.append(m.span())
        if a.has_digit:
            spans.extend(m.span() for m in _AGE_YO.finditer(lower))
            she_is = a.direction == "outbound" and ("she" in lower or "he" in lower)
            for m in _AGE_SHE_IS.finditer(lower) if she_is else ():
                s, _ = a.sentence_span(m.start())
                if lower[s : m.start()].rstrip().endswith(("if", "when", "until", "once")):
                    continue
                spans.append(m.span())
            for m in _AGE_AGED.finditer(lower) if "age" in lower else ():
                if _GROUP_BEFORE_AGE.search(lower, max(0, m.start() - 30), m.start()):
                    continue
                if not a.tied(m.start()) and a.sentence_of(m.start()) in a.generic_sentences:
                    continue
                spans.append(m.span())
            if " of " in lower:
                spans.extend(m.span() for m in _AGE_MUM_OF.finditer(lower))
            if "(" in lower and a.direction == "outbound":
                spans.extend(m.span() for m in _AGE_PAREN.finditer(lower))
        decade = "her " in lower or "his " in lower
        for m in _AGE_DECADE.finditer(lower) if decade else ():
            if a.tied(m.start()):
                spans.append(m.span())
        return [
            _hit("privacy.age", text, s, e, 0.8, "age of a person") for s, e in _merge_spans(spans)
        ]


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
