"""Places of care (hospital, ward, room, bed) and towns tied to a client."""

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
    _analyse,
    _Analysis,
    _hit,
)
from postguard.detectors.privacy.contact import (
    _VENUE_BEFORE,
)
from postguard.detectors.privacy.vocab import (
    _MONTHS,
    _WEEKDAYS,
    GIVEN_NAMES,
    _words,
)

# Places of care
# --------------------------------------------------------------------------

_FACILITY = (
    r"(?:(?:St\.?|Saint)\s+[A-Z][a-z'’]+(?:[’']s)?(?:\s+[A-Z][a-z'’]+){0,3}"
    r"|(?:[A-Z][a-z'’]+\s+){1,4}(?:Hospital|Infirmary|Medical\s+Cent(?:re|er)"
    r"|Health\s+Cent(?:re|er)|Birth(?:ing)?\s+(?:Cent(?:re|er)|Suite|Unit)|Maternity(?:\s+Unit)?"
    r"|Clinic|General|Memorial|Wing|Cent(?:re|er))\b"
    r"|(?:Royal|General|County|University|Memorial|Princess|Queen|King's)\s+[A-Z][a-z'’]+"
    r"(?:\s+[A-Z][a-z'’]+){0,3})"
)
_ROOM = (
    r"(?i:ward|room|rm|bed|bay|cot|incubator|pod|side\s+room|cubicle|nursery|suite)\s*#?\s?"
    r"(?:\d{1,3}[A-Za-z]?|[A-Z]\d?)\b"
)
_UNIT = (
    r"(?i:nicu|scbu|picu|neonatal\s+(?:unit|intensive\s+care)|special\s+care(?:\s+baby\s+unit)?"
    r"|maternity\s+(?:unit|ward)|postnatal\s+ward|post-natal\s+ward|labou?r\s+ward"
    r"|delivery\s+suite|birth(?:ing)?\s+(?:centre|center|unit)|transitional\s+care|a&e"
    r"|emergency\s+department|children's\s+ward|paediatric\s+ward|pediatric\s+ward"
    r"|antenatal\s+ward|birth(?:ing)?\s+suite|high[- ]dependency(?:\s+(?:room|unit))?"
    r"|(?-i:(?:[A-Z][a-z'’]+\s+){1,2}(?:Ward|Wing|Suite)))"
)
_ON = r"(?i:on|of|in|at)\s+(?i:the\s+)?"
_CAPS = r"[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+){0,3}"
_CARE_LOCATION = re.compile(
    # "St Mary's ward 4", "room 12 on the maternity unit", "bay 3 of the NICU at Royal Infirmary"
    rf"(?<![\w'’])(?=[A-Za-z])(?:{_FACILITY}[’']?s?,?\s+(?:[^.!?\n]{{0,25}}?\s)?(?:{_ROOM}|{_UNIT})(?:,?\s+{_ROOM})?"
    rf"|{_ROOM}(?:\s*,?\s*{_ON}(?:(?:{_CAPS}\s+)?{_UNIT}|{_FACILITY}))"
    rf"(?:,?\s+{_ROOM})?(?:\s+{_ON}{_FACILITY})?"
    rf"|{_UNIT}\s+{_ON}(?:{_FACILITY}|{_CAPS})(?:,?\s+{_ROOM})?"
    rf"|{_UNIT}\s*,?\s*{_ROOM})"
)
#: "born ... at Royal Infirmary", "had IVF twins at the Portland"
_BORN_AT = re.compile(
    rf"(?<![\w'’])(?i:born|delivered|admitted|transferred|discharged|birthed|gave\s+birth|welcomed"
    rf"|had\s+(?:her|their|a|the)?\s*(?:\w+\s+)?(?:baby|twins|triplets|son|daughter))\b"
    rf"[^.!?\n]{{0,40}}?\b(?i:at|in|to|from)\s+(?:(?i:the\s+)?{_FACILITY}"
    r"|(?i:the)\s+(?!(?:NICU|SCBU|NHS|A&E)\b)[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+){0,2})"
)
_BORN_KEYS = re.compile(
    r"born|deliver|admit|transfer|discharg|birthed|gave\s+birth"
    r"|(?:welcomed|had)\s[^.!?]{0,30}\b(?:baby|twins|triplets|son|daughter)"
)
#: "bay 4", "pod C", "room 2": a numbered place in a sentence about someone.
_ROOM_BARE = re.compile(_ROOM)
#: "the family in the end bay", "the mum in the high-dependency room"
_PERSON_IN_ROOM = re.compile(
    r"\b(?:mum|mom|mother|family|couple|lady|woman|baby|twins|parents|whānau|whanau|client"
    r"|patient|dad)\s+(?:in|on)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:room|bay|suite|cubicle|pod"
    r"|side\s+room|incubator|cot)\b",
    re.IGNORECASE,
)
#: "the Truro neonatal unit"
_TOWN_BEFORE = re.compile(r"\b(?i:the)\s+[A-Z][a-z'’]+\s+$")
_UNIT_AT = re.compile(_UNIT)
_SOMEONE = re.compile(
    r"\b(?:she|he|her|his|baby|mum|mom|mother|family|couple|twins|triplets|client|patient|i'm"
    r"|i\s+am|we're|you're|you|son|daughter|newborn|whānau|whanau|parents|lady|woman)\b",
    re.IGNORECASE,
)
_FACILITY_ONLY = re.compile(_FACILITY)
_CAPS_PLACE = re.compile(r"(?<=\bat\s)[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+){1,3}")
_PERSON_FROM_TOWN = re.compile(
    r"(?i:\b(?:a|an|one|this|that|the|my|our)\s+(?:young\s+|first-time\s+|new\s+|local\s+"
    r"|single\s+|teen(?:age)?\s+|lovely\s+)?(?:mum|mom|mother|mama|dad|father|family|couple|woman"
    r"|lady|client|patient|parent|girl|teen|baby|newborn|grandmother|grandma)\s+(?:who\s+lives\s+in"
    r"|living\s+in|from|in|of|near|out\s+in|up\s+in|at)\s+)"
    r"((?:[A-Z][a-z'’]+|[A-Z]{2,})(?:[ -](?:on|upon|le|by|under|in|the|[A-Z][a-z'’]+)){0,3}"
    r"|(?i:the)\s+[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+){0,2}\s+(?i:clinic|hospital|group|centre"
    r"|center|unit|ward|practice|surgery|maternity))"
)
_NOT_A_TOWN = frozenset(
    _words(
        """facebook instagram twitter tiktok whatsapp zoom the our my a an nicu scbu ibclc nhs
        clinic hospital group week labour labor a&e covid christmas easter ramadan"""
    )
    + _MONTHS
    + _WEEKDAYS
)
_PERSON_AT_FACILITY = re.compile(
    r"\b(?:she|he|they|baby|mum|mom|her\s+baby|his\s+baby|client|patient|family|twins|triplets"
    r"|quads|i|we|i'm|i’m|you|caller|wife|husband|partner|son|daughter|newborn)\b"
    r"[^!?\n]{0,50}\b(?:at|in|to|from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_ORG_VENUE_BEFORE = re.compile(
    r"\b(?:our\s+(?:clinic|office|group|caf[eé]|drop[-\s]in|team|service|base)|venue|held\s+at"
    r"|hosted\s+(?:at|by)|join\s+us|visit\s+us|conference|workshop|training|event|session"
    r"|drop[-\s]in|welcome\s+to|congratulations\s+to|well\s+done|proud|award|accreditation"
    r"|baby\s+friendly|partnership|thank(?:s|\s+you)\s+to|team\s+at|staff\s+at|colleagues\s+at"
    r"|works?\s+at|working\s+at)\b[^.!?\n]{0,60}$",
    re.IGNORECASE,
)


def _person_sentences(a: _Analysis) -> set[int]:
    """Sentences that mention a particular person (a baby, a mum, twins ...).

    UNICEF's "Baby Friendly" accreditation names units, not babies.
    """
    lower = a.lower
    return {
        a.sentence_of(p)
        for p, _ in a.cues.get("anchor", ())
        if not lower.startswith("baby friendly", p)
        and not lower.endswith(("every ", "each ", "all ", "any "), max(0, p - 6), p)
    }


class CareLocationDetector(Detector):
    """Places of care tied to a patient: named wards, rooms, bays, NICUs; home towns."""

    name = "privacy.location"
    categories = frozenset({"privacy.location"})
    summary = "Where a particular person is or was cared for, or the town they live in."

    def __init__(self, **params: Any) -> None:
        take_params(self.name, params, {})

    def detect(self, doc: Document) -> list[Hit]:
        hits = self._detect_english(doc)
        a = _analyse(doc)
        # the same, tied to a client in Spanish, French, Portuguese, German or Tagalog
        return hits + languages.extra_hits(
            "privacy.location",
            "place of care of a person",
            languages.tied_entities(doc, a, ("care_place",)),
            a,
            hits,
        )

    def _detect_english(self, doc: Document) -> list[Hit]:
        return list(_analyse(doc).care_locations)


def _find_care_locations(a: _Analysis) -> list[Hit]:
    """Places of care tied to a person: named wards, rooms, bays, NICUs; home towns."""
    text = a.text
    found: list[tuple[int, int, float, str]] = []
    lower = a.lower
    patterns: list[re.Pattern[str]] = []
    if a.has("room"):
        patterns.append(_CARE_LOCATION)
    if _BORN_KEYS.search(lower):
        patterns.append(_BORN_AT)
    for rx in patterns:
        for m in rx.finditer(text):
            if _ORG_VENUE_BEFORE.search(text, max(0, m.start() - 80), m.start()):
                continue
            # "ward 4" or "room 12" points at one bed; an unnumbered unit
            # ("St Mary's maternity unit") only matters in a story about someone.
            numbered = any(ch.isdigit() for ch in m.group(0))
            if not numbered and not (
                a.sentence_of(m.start()) in a.tie_sentences
                or a.sentence_of(m.start()) in a.person_sentences
                or _PERSON_AT_FACILITY.search(text, max(0, m.start() - 70), m.start())
            ):
                continue
            found.append((m.start(), m.end(), 0.85, "ward, room or unit of a place of care"))
    if a.has("facility"):
        for m in _FACILITY_ONLY.finditer(text):
            i = a.sentence_of(m.start())
            if not (
                _PERSON_AT_FACILITY.search(text, max(0, m.start() - 70), m.start())
                or (i in a._sentences_with("tie1") and i in a.person_sentences)
            ):
                continue
            if _ORG_VENUE_BEFORE.search(text, max(0, m.start() - 80), m.start()):
                continue
            found.append((m.start(), m.end(), 0.7, "named place of care of a person"))
    # "the conjoined twins at Great Ormond Street": a multi-word place in a
    # sentence about someone's care.
    if a.health and " at " in text:
        health_sents = {a.sentence_of(h.start) for h in a.health}
        for m in _CAPS_PLACE.finditer(text):
            if a.sentence_of(m.start()) not in health_sents:
                continue
            if not _PERSON_AT_FACILITY.search(text, max(0, m.start() - 70), m.start()):
                continue
            if _ORG_VENUE_BEFORE.search(text, max(0, m.start() - 80), m.start()):
                continue
            found.append((m.start(), m.end(), 0.6, "named place in a care story"))
    for start, _end in a.cues.get("room", ()):
        # "the Truro neonatal unit": a town's unit in a story about someone.
        if start < 5 or not text[start - 1].isspace():
            continue
        before = _TOWN_BEFORE.search(text, max(0, start - 30), start)
        if before is None:
            continue
        unit = _UNIT_AT.match(text, start)
        if unit is None:
            continue
        i = a.sentence_of(start)
        if (i in a.tie_sentences or i in a.person_sentences) and not _ORG_VENUE_BEFORE.search(
            text, max(0, before.start() - 80), before.start()
        ):
            found.append((before.start(), unit.end(), 0.8, "unit of a place of care"))
    for start, _end in a.cues.get("berth", ()):
        room = _ROOM_BARE.match(text, start) or _PERSON_IN_ROOM.search(
            text, max(0, start - 50), _end
        )
        if room is None:
            continue
        if not a.sentence_has(_SOMEONE, room.start()):
            continue
        if _ORG_VENUE_BEFORE.search(text, max(0, room.start() - 80), room.start()):
            continue
        if _VENUE_BEFORE.search(text, max(0, room.start() - 80), room.start()):
            continue
        found.append((room.start(), room.end(), 0.7, "room, bay or bed of a person"))
    if a.has("from_town"):
        for m in _PERSON_FROM_TOWN.finditer(text):
            town = m.group(1)
            first_word = town.split()[1] if town[:4].lower() == "the " else town.split()[0]
            if first_word.lower() in _NOT_A_TOWN or town.lower() in GIVEN_NAMES:
                continue
            found.append((m.start(), m.end(1), 0.75, "home town of a person"))
    hits: list[Hit] = []
    last_end = -1
    for start, end, score, note in sorted(found, key=lambda f: (f[0], -f[1])):
        if start < last_end:
            continue
        last_end = end
        hits.append(_hit("privacy.location", text, start, end, score, note))
    return hits
