"""The privacy detectors in Spanish, French, Portuguese, German and Tagalog.

The entity layer already reads ages ("19 años", "19 ans", "19 anos",
"19 Jahre", "19 taong gulang"), places of care ("habitación 12", "chambre
12", "quarto 12", "Zimmer 12") and dates ("3 de mayo", "3 mai", "ika-3 ng
Mayo") in these languages; the English detectors tie them to a client
through English cue phrases only. Here the tie is made in the post's own
language: an age, a place of care, a birth date or a health detail in the
same sentence as a phrase about a particular client, patient, parent or
infant ("mi clienta", "ma patiente", "a mãe", "meine Klientin", "ang
sanggol"), read from ``data/privacy_languages.txt``. Posts mixing English
and one of these languages get both.

Only outbound text: a parent asking about their own baby in a comment is
not a disclosure.
"""

from __future__ import annotations

import bisect
import itertools

import re2

from postguard.detectors.base import Document, Hit
from postguard.detectors.entities import document_entities
from postguard.detectors.privacy.analysis import _Analysis, _hit
from postguard.detectors.privacy.vocab import read_sections
from postguard.lazy_re2 import lazy

WORDS: dict[str, list[str]] = read_sections("privacy_languages.txt")

_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False


def _phrases(section: str) -> object:
    # Whole phrases: no letter or digit glued on either side (RE2's \b is ASCII only).
    body = "|".join(re2.escape(w) for w in sorted(WORDS[section], key=len, reverse=True))
    return lazy(rf"(?:^|[^\pL\pN_])({body})(?:$|[^\pL\pN_])", _OPTIONS)


_TIE = _phrases("tie")
_BIRTH = _phrases("birth")
_HEALTH = _phrases("health")


def _starts(rx: object, lower: str) -> list[tuple[int, int]]:
    return [m.span(1) for m in rx.finditer(lower)]  # type: ignore[attr-defined]


def tie_sentences(a: _Analysis) -> set[int]:
    """Sentences (indexes) holding a tie phrase of one of these languages."""
    cached: set[int] | None = a.__dict__.get("_language_ties")
    if cached is None:
        cached = set()
        if a.direction == "outbound" and (not a.lower.isascii() or _has_ascii_tie(a.lower)):
            cached = {a.sentence_of(s) for s, _ in _starts(_TIE, a.lower)}
        a.__dict__["_language_ties"] = cached
    return cached


#: The tie phrases written in ASCII ("mi clienta", "ang sanggol"): an all-ASCII
#: text is looked at by the pattern only when one of them occurs.
_ASCII_TIES = tuple(w.lower() for w in WORDS["tie"] if w.isascii())


def _has_ascii_tie(lower: str) -> bool:
    return any(w in lower for w in _ASCII_TIES)


def _near_tie(a: _Analysis, ties: set[int], pos: int) -> bool:
    i = a.sentence_of(pos)
    return i in ties or i - 1 in ties


def tied_entities(doc: Document, a: _Analysis, types: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of the entity layer's ``types`` in or just after a sentence with a tie phrase."""
    if a.direction != "outbound":
        return []
    ties = tie_sentences(a)
    if not ties:
        return []
    return [
        (e.start, e.end)
        for e in document_entities(doc)
        if e.type in types and _near_tie(a, ties, e.start)
    ]


def birth_dates(doc: Document, a: _Analysis) -> list[tuple[int, int]]:
    """Dates in a sentence that says someone was born, tied to a client."""
    spans = tied_entities(doc, a, ("date", "birth_date"))
    if not spans:
        return []
    births = sorted(s for s, _ in _starts(_BIRTH, a.lower))
    # a birth word near the date, by characters: "am 3. Mai 2024 in der 32. Woche
    # geboren" is one sentence, though its dots split it for the sentence splitter
    out = []
    for s, e in spans:
        i = bisect.bisect_left(births, s - _BIRTH_REACH)
        if i < len(births) and births[i] <= e + _BIRTH_REACH:
            out.append((s, e))
    return out


#: How far (characters) a birth word may be from the date it dates.
_BIRTH_REACH = 60


def health_details(a: _Analysis, english: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Health words of these languages, and the English lexicon's, in a tied sentence."""
    if a.direction != "outbound":
        return []
    ties = tie_sentences(a)
    if not ties:
        return []
    found = _starts(_HEALTH, a.lower) + [(s, e) for s, e, _f in english]
    return sorted({(s, e) for s, e in found if _near_tie(a, ties, s)})


def extra_hits(
    category: str, note: str, spans: list[tuple[int, int]], a: _Analysis, taken: list[Hit]
) -> list[Hit]:
    """Hits for ``spans`` that overlap none of the English detectors' ``taken``."""
    # taken spans by start, with the furthest end so far: an overlap test is a bisection
    used = sorted((h.start or 0, h.end or 0) for h in taken)
    starts = [s for s, _e in used]
    reach = list(itertools.accumulate((e for _s, e in used), max))
    out: list[Hit] = []
    last_end = -1
    for s, e in sorted(spans):
        i = bisect.bisect_left(starts, e)  # taken spans starting before this one ends
        if (i and reach[i - 1] > s) or s < last_end:
            continue
        last_end = e
        out.append(_hit(category, a.text, s, e, 0.8, note))
    return out
