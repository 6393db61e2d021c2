"""Driving licence numbers.

A British (DVLA) licence number has a shape nothing else has: five letters of
the surname (padded with 9), six digits that encode the date of birth, two
initials, a digit and two check characters, sixteen in all. When its digits
are a real birth date it is reported on its own; otherwise only beside a
word for a licence.

Most other licences are a letter or two and some digits, or digits alone
(California ``A1234567``, Florida ``A123-456-78-901``, an Australian state's
``1234 5678``): shapes that order, record and phone numbers share, so they
count only after a word for a licence ("driver's license", "DL", "licence
no", "permis de conduire", "Führerschein", ...).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postguard.entities.base import EVERY, Candidate, Hits, Recognizer, is_boundary, rx, words_of

#: Words for a driving licence, in the languages the posts come in (lower case, as
#: :func:`words_of` spells them: "driver's" is "driver s").
LICENCE_WORDS: tuple[str, ...] = (
    "licence",
    "license",
    "licence no",
    "license no",
    "dl",
    "d l",
    "dln",
    "driving licence",
    "driver s license",
    "drivers license",
    "driver license",
    "permis de conduire",
    "permis",
    "führerschein",
    "fuhrerschein",
    "führerscheinnummer",
    "licencia",
    "licencia de conducir",
    "carnet de conducir",
    "carné de conducir",
    "carteira de motorista",
    "cnh",
    "patente",
    "patente di guida",
    "rijbewijs",
    "rijbewijsnummer",
    "ajokortti",
    "lisensya",
)

_DVLA = r"[A-Z9]{5}\d{6}[A-Z9]{2}\d[A-Z0-9]{2}"
#: Shapes other licences take; each is someone's only after a licence word.
_GATED = (
    r"[A-Z]\d{3}-\d{3}-\d{2}-\d{3}-\d"  # Florida, written in groups
    r"|[A-Z]\d{3}-\d{4}-\d{4}"  # Illinois
    r"|[A-Z]{1,2}\d{5,12}"  # California, New York, Florida compact, ...
    r"|\d{3,4}(?:[ -]\d{3,4}){1,2}"  # Australian states, Texas and others in groups
    r"|\d{7,12}"
)


def _dvla_birth_date(number: str) -> bool:
    """Whether the DVLA digits are a real birth date: month (plus 50 for women), day."""
    month, day = int(number[6:8]), int(number[8:10])
    if month > 50:
        month -= 50
    return 1 <= month <= 12 and 1 <= day <= 31


class DrivingLicenceRecognizer(Recognizer):
    """British licences by their shape; other countries' beside a licence word."""

    name = "driving_licence"
    entity_type = "id"
    needs_digit = True
    window = 40
    examples = (
        ("Driving licence MORGA753116SM9IJ for the scheme", "MORGA753116SM9IJ"),
        ("my licence is LEE99196589HN6GG, can you check it", "LEE99196589HN6GG"),
        ("he left MORGA757116SM9IJ on the desk", "MORGA757116SM9IJ"),
        ("Driver's license A1234567 issued in California", "A1234567"),
        ("DL: A123-456-78-901-0", "A123-456-78-901-0"),
        ("Licence number 1234 5678, registered to Ann", "1234 5678"),
        ("Permis de conduire 1203 4567 8901", "1203 4567 8901"),
        ("The bus route is A1234567 on the timetable", None),
        ("he left MORGA797116SM9IJ on the desk", None),  # month 97: not a birth date
        ("Room 1234 5678 is booked", None),
    )

    def __init__(self) -> None:
        super().__init__()
        self._dvla = rx(_DVLA)
        self._gated = rx(_GATED)

    def screened(self) -> list[Any]:
        return [self._dvla, self._gated]

    def candidates(self, text: str, lower: str, hits: Hits = EVERY) -> Iterator[Candidate]:
        for m in hits.finditer(self._dvla, text):
            start, end = m.span()
            if not is_boundary(text, start, end):
                continue
            named = self._named(lower, start)
            if named or _dvla_birth_date(text[start:end]):
                yield Candidate(self.entity_type, start, end, 0.95 if named else 0.85, self.name)
        for m in hits.finditer(self._gated, text):
            start, end = m.span()
            if not is_boundary(text, start, end) or (start and text[start - 1] in "+-/."):
                continue
            if self._named(lower, start):
                yield Candidate(self.entity_type, start, end, 0.85, self.name)

    def _named(self, lower: str, start: int) -> bool:
        before = words_of(lower[max(0, start - self.window) : start])
        return any(f" {w} " in before for w in LICENCE_WORDS)
