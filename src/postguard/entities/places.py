"""Places of care (hospitals, wards, rooms, beds) and places (towns, countries)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postguard.entities.base import (
    EVERY,
    Candidate,
    Hits,
    Recognizer,
    is_boundary,
    rx,
    words_of,
)
from postguard.entities.gazetteer import (
    capitalised_runs,
    first_names,
    place_names,
    sentence_initial,
)
from postguard.entities.names import NOT_NAMES

_WORD = r"(?:\p{Lu}[\p{L}\p{M}'’.\-]+|of|the|and|&|de|do|da|del|la|ng|St\.?)"
_FACILITY_AFTER = (
    r"Hospital|Hospitals|Infirmary|Clinic|Medical Cent(?:re|er)|Health Cent(?:re|er)"
    r"|Birth(?:ing)? Cent(?:re|er)|Maternity (?:Unit|Hospital|Home)|Surgery|Hospice"
    r"|Krankenhaus|Klinikum|Klinik|Kinderklinik|Frauenklinik|[Ss]airaala|[Kk]eskussairaala"
    r"|Community Hospital|Women's Hospital|Children's Hospital|Medical College"
)
_FACILITY_BEFORE = (
    r"Hospital|Hôpital|Hopital|Clínica|Clinica|Clinique|Klinikum|Krankenhaus|Ospital"
    r"|Pagamutan|Centre [Hh]ospitalier|CHU|CHRU|Centro de Sa[uú]de|Centro de Salud"
    r"|Maternidad|Maternidade|Maternité|Policlínica|Sanatorio|Hospital Universitario"
)
_UNIT_WORDS = (
    r"ward|room|rm|bed|bay|cubicle|pod|cot|incubator|theatre|sala|habitaci[oó]n|cama|cuarto"
    r"|chambre|salle|lit|box|station|zimmer|bett|quarto|leito|enfermaria|kwarto|silid|kama"
    r"|huone|osasto|vuode|bed space"
)
_NAMED_UNITS = (
    r"NICU|SCBU|PICU|neonatal (?:intensive care )?unit|special care baby unit|maternity ward"
    r"|labou?r ward|delivery ward|postnatal ward|antenatal ward|birth suite|neonatolog[ií]a"
    r"|n[ée]onatologie|Neonatologie|neonatologia|Wochenstation|Kreißsaal|sala de partos"
    r"|maternit[ée]"
)
_CARE_PARTS = (
    ("facility_after", rf"(?:{_WORD}\s+){{1,5}}(?:{_FACILITY_AFTER})", 0.85, False),
    (
        "facility_before",
        rf"(?i:{_FACILITY_BEFORE})\s+(?:(?:de|del|de la|do|da|dos|des|du|ng|of|the)\s+){{0,3}}"
        rf"\p{{Lu}}[\p{{L}}\p{{M}}'’.\-]*(?:\s+{_WORD}){{0,4}}",
        0.85,
        False,
    ),
    (
        "unit_number",
        rf"(?:{_UNIT_WORDS})\.?\s*(?:no\.?\s*|n[º°]\s*|#\s*)?\d{{1,4}}[A-Za-z]?\b",
        0.75,
        True,
    ),
    ("named_unit", rf"(?:{_NAMED_UNITS})", 0.45, True),
)
_JOIN_GAP = rx(r"^(?:[\s,]|on|in|at|en|à|na|sa|im|auf|der|the|de|la|du)*$")


class CarePlaceRecognizer(Recognizer):
    name = "care_place"
    entity_type = "care_place"
    examples = (
        ("she is in St Mary's Hospital, ward 4", "St Mary's Hospital, ward 4"),
        ("está en el Hospital de la Paz, habitación 12", "Hospital de la Paz, habitación 12"),
        ("liegt im Klinikum Nord, Station 3", "Klinikum Nord, Station 3"),
        ("nasa Ospital ng Maynila, kwarto 5", "Ospital ng Maynila, kwarto 5"),
        ("bed 3 in the NICU", "bed 3 in the NICU"),
        ("hospital policies differ", None),
    )

    def __init__(self) -> None:
        super().__init__()
        self._parts = [
            (name, rx(regex, ignore_case=icase), score) for name, regex, score, icase in _CARE_PARTS
        ]

    def wanted(self, text: str, lower: str, has_digit: bool) -> bool:
        return True

    def screened(self) -> list[Any]:
        return [compiled for _, compiled, _ in self._parts]

    def candidates(self, text: str, lower: str, hits: Hits = EVERY) -> Iterator[Candidate]:
        parts: list[tuple[int, int, float]] = []
        for name, compiled, score in self._parts:
            for m in hits.finditer(compiled, text):
                start, end = m.span()
                while end > start and text[end - 1] in " ,\t\n":
                    end -= 1
                if name.startswith("facility"):
                    start, end = _trim_words(text, start, end)
                if end > start and is_boundary(text, start, end):
                    parts.append((start, end, score))
        parts.sort()
        block: list[float] | None = None
        for start, end, score in parts:
            if block is not None and (
                start <= block[1]
                or (start - block[1] <= 12 and _JOIN_GAP.search(lower[int(block[1]) : start]))
            ):
                block[1] = max(block[1], end)
                block[2] = min(0.95, max(block[2], score) + 0.1)
                continue
            if block is not None:
                yield Candidate("care_place", int(block[0]), int(block[1]), block[2], self.name)
            block = [start, end, score]
        if block is not None:
            yield Candidate("care_place", int(block[0]), int(block[1]), block[2], self.name)


_LEADING_NOISE = frozenset(
    [
        "the",
        "and",
        "of",
        "at",
        "in",
        "to",
        "from",
        "our",
        "my",
        "her",
        "his",
        "their",
        "a",
        "an",
        "this",
        "that",
        "visited",
        "visit",
    ]
)


def _trim_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading lower-case joiners and sentence-opening words ("The", "At")."""
    while start < end:
        space = text.find(" ", start, end)
        if space < 0:
            break
        word = text[start:space].lower()
        if word in _LEADING_NOISE:
            start = space + 1
            continue
        break
    # and trailing joiners: "Klinikum Nord and" ends at "Nord"
    while start < end:
        space = text.rfind(" ", start, end)
        if space < 0 or not text[space + 1 : end].islower():
            break
        end = space
    return start, end


#: Words after which an unknown capitalised word is most likely a town.
_FROM_WORDS = frozenset(["from", "near", "outside", "taga", "aus", "desde"])
_PLACE_PREPOSITIONS = (
    "in",
    "from",
    "near",
    "at",
    "to",
    "around",
    "outside",
    "en",
    "à",
    "de",
    "desde",
    "cerca",
    "aus",
    "nach",
    "bei",
    "im",
    "em",
    "no",
    "na",
    "sa",
    "taga",
    "of",
    "visiting",
)


class PlaceRecognizer(Recognizer):
    """Towns, cities, regions and countries by a GeoNames gazetteer."""

    name = "place"
    entity_type = "place"
    examples = (
        ("she moved from Leeds to Kuopio last year", "Leeds"),
        ("we met in Lappeenranta", "Lappeenranta"),
        ("Thanks for coming", None),
    )

    def wanted(self, text: str, lower: str, has_digit: bool) -> bool:
        return True

    def candidates(self, text: str, lower: str, hits: Hits = EVERY) -> Iterator[Candidate]:
        places = place_names()
        for run_start, run_end in capitalised_runs(text):
            words = _split_words(text, run_start, run_end)
            if not any(text[s:e] in places for s, e in words):
                yield from self._after_preposition(text, lower, words)
                continue
            i = 0
            while i < len(words):
                for j in range(min(len(words), i + 3), i, -1):
                    start, end = words[i][0], words[j - 1][1]
                    name = text[start:end]
                    if name in places or (name.isupper() and name.title() in places):
                        yield self._place(text, lower, start, end)
                        i = j
                        break
                else:
                    i += 1

    def _after_preposition(
        self, text: str, lower: str, words: list[tuple[int, int]]
    ) -> Iterator[Candidate]:
        """An unknown town, said to be one: "here from Scottstad", "taga Maynila"."""
        if len(words) > 2:
            return
        start, end = words[0][0], words[-1][1]
        before = words_of(lower[max(0, start - 12) : start]).split()
        if not before or before[-1] not in _FROM_WORDS or sentence_initial(text, start):
            return
        token = text[words[0][0] : words[0][1]]
        if token in first_names() or token in NOT_NAMES or not token[1:].islower():
            return
        yield Candidate("place", start, end, 0.5, self.name)

    def _place(self, text: str, lower: str, start: int, end: int) -> Candidate:
        score = 0.6
        before = words_of(lower[max(0, start - 15) : start])
        if any(f" {w} " == before[-len(w) - 2 :] for w in _PLACE_PREPOSITIONS):
            score = 0.8
        elif sentence_initial(text, start):
            score = 0.45
        return Candidate("place", start, end, score, self.name)


def _split_words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    i = start
    while i < end:
        while i < end and text[i] in " \t":
            i += 1
        j = i
        while j < end and text[j] not in " \t":
            j += 1
        if j > i:
            out.append((i, j))
        i = j
    return out
