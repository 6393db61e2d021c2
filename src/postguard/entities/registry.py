"""The recognizer registry, the analyser that runs it, and redaction.

``analyze(text)`` normalises the text, runs every recognizer whose cheap
cue is present, resolves overlaps (higher score, then longer span wins) and
maps spans back to the original text. ``redact(text)`` replaces the
identifying spans with placeholders.
"""

from __future__ import annotations

import bisect
import importlib
import itertools
from collections.abc import Iterable, Sequence
from functools import cache

from postguard.entities.base import Candidate, Entity, Recognizer, Screen
from postguard.entities.normalize import normalize

#: Import strings, so that a newcomer adds a recognizer with one line here.
RECOGNIZERS: tuple[str, ...] = (
    "postguard.entities.phones:PhoneRecognizer",
    "postguard.entities.ids:IdRecognizer",
    "postguard.entities.licences:DrivingLicenceRecognizer",
    "postguard.entities.contact:EmailRecognizer",
    "postguard.entities.contact:UrlRecognizer",
    "postguard.entities.contact:HandleRecognizer",
    "postguard.entities.contact:IpRecognizer",
    "postguard.entities.addresses:AddressRecognizer",
    "postguard.entities.dates:DateRecognizer",
    "postguard.entities.dates:AgeRecognizer",
    "postguard.entities.places:CarePlaceRecognizer",
    "postguard.entities.places:PlaceRecognizer",
    "postguard.entities.names:PersonRecognizer",
)

#: Every entity type, with its redaction placeholder (None: not redacted).
TYPES: dict[str, str | None] = {
    "person": "[name]",
    "handle": "[name]",
    "phone": "[phone]",
    "email": "[email]",
    "address": "[address]",
    "date": "[date]",
    "birth_date": "[date]",
    "age": "[age]",
    "care_place": "[hospital]",
    "place": "[place]",
    "card": "[id]",
    "iban": "[id]",
    "id": "[id]",
    "ip": "[id]",
    "url": None,
}
#: Identifiers that point to one person whatever is said around them.
HARD_IDENTIFIERS = frozenset({"phone", "email", "card", "iban", "id", "ip", "address"})

MIN_SCORE = 0.5


@cache
def recognizers() -> tuple[Recognizer, ...]:
    out = []
    for target in RECOGNIZERS:
        module_name, _, attr = target.partition(":")
        out.append(getattr(importlib.import_module(module_name), attr)())
    return tuple(out)


@cache
def screen() -> Screen:
    return Screen(c for r in recognizers() for c in r.screened())


def analyze(
    text: str, *, types: Iterable[str] | None = None, min_score: float = MIN_SCORE
) -> tuple[Entity, ...]:
    """Every entity in ``text`` at or above ``min_score``, spans in ``text``'s offsets."""
    wanted = frozenset(types) if types is not None else None
    norm = normalize(text)
    ntext = norm.text
    lower = ntext.lower()
    if len(lower) != len(ntext):  # a few characters change length when lower-cased
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in ntext)
    has_digit = any(c.isdigit() for c in ntext)
    hits = screen().hits(ntext)
    found: list[Candidate] = []
    for recognizer in recognizers():
        if wanted is not None and recognizer.entity_type not in wanted and recognizer.name != "id":
            continue
        if not recognizer.wanted(ntext, lower, has_digit):
            continue
        found.extend(
            c
            for c in recognizer.candidates(ntext, lower, hits)
            if c.score >= min_score and (wanted is None or c.type in wanted)
        )
    out = []
    for c in resolve(_ids_over_phones(found)):
        start, end = norm.span(c.start, c.end)
        out.append(Entity(c.type, start, end, c.score, c.recognizer, text[start:end]))
    return tuple(out)


#: Identifier types that take a span from a phone reading of the same digits.
_ID_TYPES = frozenset({"card", "iban", "id"})
#: ... when the identifier is at least this sure: a bare shape with a checksum that
#: one number in ten passes (a Canadian SIN, an NHS number without "NHS") is not,
_ID_OVER_PHONE = 0.7
#: ... nor a digit run that is an id only because a word before it says "number".
_CONTEXT_ONLY_IDS = frozenset({"record_number", "grouped_record_number"})


def _ids_over_phones(found: list[Candidate]) -> list[Candidate]:
    """Drop phones lying inside a firm identifier.

    "national insurance number 073-65-6426" is an SSN whose context word
    ("number") also lifts the phone reading above it; a written shape that a
    scheme validates (SSN, card by Luhn, IBAN, NINO) is the better reading.
    """
    ids = sorted(
        (c.start, c.end)
        for c in found
        if c.type in _ID_TYPES
        and c.score >= _ID_OVER_PHONE
        and c.recognizer not in _CONTEXT_ONLY_IDS
    )
    if not ids or not any(c.type == "phone" for c in found):
        return found
    starts = [s for s, _ in ids]
    reach = list(itertools.accumulate((e for _, e in ids), max))  # furthest end so far
    out = []
    for c in found:
        if c.type == "phone":
            i = bisect.bisect_right(starts, c.start)  # ids starting at or before the phone
            if i and reach[i - 1] >= c.end:
                continue
        out.append(c)
    return out


def resolve(found: Sequence[Candidate]) -> list[Candidate]:
    """Drop overlapping candidates: the higher score wins, then the longer span."""
    ranked = sorted(found, key=lambda c: (-round(c.score, 1), c.start - c.end, c.start))
    taken: list[Candidate] = []
    # accepted spans never overlap, so sorted starts and ends bisect together
    starts: list[int] = []
    ends: list[int] = []
    for c in ranked:
        i = bisect.bisect_right(starts, c.start)
        if (i > 0 and ends[i - 1] > c.start) or (i < len(starts) and starts[i] < c.end):
            continue
        starts.insert(i, c.start)
        ends.insert(i, c.end)
        taken.append(c)
    return sorted(taken, key=lambda c: c.start)


def redact(
    text: str,
    entities: Iterable[Entity] | None = None,
    *,
    types: Iterable[str] | None = None,
) -> str:
    """``text`` with every identifying span replaced by its placeholder ("[phone]").

    Overlapping and touching spans of the same placeholder are merged.
    """
    if entities is None:
        entities = analyze(text)
    allowed = frozenset(types) if types is not None else None
    spans: list[tuple[int, int, str]] = []
    for e in sorted(entities, key=lambda e: (e.start, -e.end)):
        placeholder = TYPES.get(e.type)
        if placeholder is None or (allowed is not None and e.type not in allowed):
            continue
        if spans and e.start < spans[-1][1]:
            s, end, p = spans[-1]
            spans[-1] = (s, max(end, e.end), p)
            continue
        if spans and spans[-1][2] == placeholder and not text[spans[-1][1] : e.start].strip():
            s, _, p = spans[-1]
            spans[-1] = (s, e.end, p)
            continue
        spans.append((e.start, e.end, placeholder))
    parts: list[str] = []
    last = 0
    for start, end, placeholder in spans:
        parts.append(text[last:start])
        parts.append(placeholder)
        last = end
    parts.append(text[last:])
    return "".join(parts)
