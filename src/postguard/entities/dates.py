"""Dates (birth dates when said so) and ages, in en/es/fr/pt/de/fi/tl."""

from __future__ import annotations

import datetime
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

_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "setiembre",
    "octubre",
    "noviembre",
    "diciembre",
    "ene",
    "abr",
    "ago",
    "dic",
    "janvier",
    "février",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "decembre",
    "janv",
    "févr",
    "avr",
    "juil",
    "déc",
    "janeiro",
    "fevereiro",
    "março",
    "marco",
    "maio",
    "junho",
    "julho",
    "setembro",
    "outubro",
    "dezembro",
    "fev",
    "out",
    "dez",
    "januar",
    "februar",
    "märz",
    "maerz",
    "juni",
    "juli",
    "oktober",
    "dezember",
    "okt",
    "tammikuuta",
    "helmikuuta",
    "maaliskuuta",
    "huhtikuuta",
    "toukokuuta",
    "kesäkuuta",
    "heinäkuuta",
    "elokuuta",
    "syyskuuta",
    "lokakuuta",
    "marraskuuta",
    "joulukuuta",
    "enero",
    "pebrero",
    "marso",
    "abril",
    "mayo",
    "hunyo",
    "hulyo",
    "agosto",
    "setyembre",
    "oktubre",
    "nobyembre",
    "disyembre",
]
_MONTH = "(?:" + "|".join(sorted(set(_MONTHS), key=len, reverse=True)) + r")\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|er|º|\.)?"
_YEAR = r"(?:1[89]|20)\d\d"

_PATTERNS = (
    # 12/05/2023, 12.05.23, 2023-05-12
    ("numeric", r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2}", 0.6),
    # 12 May 2023, 12th of May, 12 de mayo de 2023, 12. Mai 2023, le 1er mai, ika-12 ng Mayo
    (
        "day_month",
        rf"(?:ika-)?{_DAY}\s+(?:of\s+|de\s+|ng\s+)?{_MONTH}"
        rf"(?:,?\s+(?:de\s+|del\s+)?{_YEAR})?",
        0.6,
    ),
    # May 12, 2023; Mayo 12, 2023; May 12th
    ("month_day", rf"{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?", 0.55),
    # May 2023 (a month of a year: still a date)
    ("month_year", rf"{_MONTH}\s+(?:de\s+)?{_YEAR}", 0.45),
)
_DOB_WORDS = (
    "born",
    "dob",
    "d.o.b",
    "birth",
    "birthday",
    "bday",
    "b",
    "geboren",
    "geb",
    "né",
    "née",
    "nee",
    "nacido",
    "nacida",
    "nació",
    "nacimiento",
    "nasceu",
    "nascido",
    "nascida",
    "nascimento",
    "naissance",
    "syntynyt",
    "syntyi",
    "ipinanganak",
    "kaarawan",
    "arrived",
    "geburtsdatum",
    "geburtstag",
    "cumpleaños",
    "aniversário",
    "anniversaire",
    "syntymäpäivä",
)
_NUMERIC = rx(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{2,4})$")


def _real_date(raw: str) -> bool:
    m = _NUMERIC.search(raw)
    if m is None:
        return True
    a, b, c = (int(x) for x in m.groups())
    if a > 31:  # ISO year-month-day
        year, month, day = a, b, c
    else:
        day, month, year = a, b, c
        if month > 12 and day <= 12:
            day, month = month, day
        if year < 100:
            year += 2000 if year < 50 else 1900
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return 1850 <= year <= 2100


class DateRecognizer(Recognizer):
    name = "date"
    entity_type = "date"
    examples = (
        ("born on 12/05/2023 at home", "12/05/2023"),
        ("she arrived 12 de mayo de 2023", "12 de mayo de 2023"),
        ("geboren am 12. Mai 2023", "12. Mai 2023"),
        ("DOB: March 3, 1990", "March 3, 1990"),
        ("version 1.2.3 released", None),
        ("due 31/02/2023 or 45/13/2020", None),
    )

    def __init__(self) -> None:
        super().__init__()
        self._patterns = [(n, rx(r, ignore_case=True), s) for n, r, s in _PATTERNS]

    def screened(self) -> list[Any]:
        return [compiled for _, compiled, _ in self._patterns]

    def candidates(self, text: str, lower: str, hits: Hits = EVERY) -> Iterator[Candidate]:
        has_digit = any(c.isdigit() for c in text)
        if not has_digit:
            return
        for name, compiled, score in self._patterns:
            for m in hits.finditer(compiled, text):
                start, end = m.span()
                raw = text[start:end]
                if not is_boundary(text, start, end) or (start and text[start - 1] in "./-"):
                    continue
                if name == "numeric" and not _real_date(raw):
                    continue
                # "may 2 people" / "mar 3": the English modal and the abbreviation need a year
                if (
                    name == "month_day"
                    and raw.split()[0].lower().rstrip(".") in ("may", "mar")
                    and not any(c.isdigit() for c in raw[raw.find(" ") + 3 :])
                ):
                    continue
                before = words_of(lower[max(0, start - 40) : start])
                kind = "date"
                if any(f" {w} " in before for w in _DOB_WORDS):
                    kind, score = "birth_date", 0.9
                yield Candidate(kind, start, end, score, self.name)


_NUM_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
]
_N = r"(?:\d{1,3}|" + "|".join(_NUM_WORDS) + ")"
_AGE_PATTERNS = (
    # 19 years old, 19-year-old, 3 weeks old, 19yo, 19 y/o, 19yrs old
    ("en_old", rf"{_N}[\s\-]?(?:years?|yrs?|months?|weeks?|days?)[\s\-]?old", 0.85),
    ("en_yo", r"\d{1,3}\s?(?:yo|y/o|y\.o\.)", 0.85),
    ("en_aged", rf"(?:aged|age|ages)\s+{_N}", 0.8),
    # tiene 19 años, 19 ans, 19 anos, 19 Jahre alt, 19-jährige, 19 taong gulang, 19-vuotias
    ("es_fr_pt", r"\d{1,3}\s+(?:años|ans|anos|meses|mois|semanas|semaines)", 0.7),
    ("de", r"\d{1,3}(?:\s+(?:Jahre|Monate|Wochen)\s+alt|-j[äa]hrig\w*)", 0.85),
    ("tl", r"\d{1,3}\s+(?:na\s+)?(?:taong|buwang)\s+gulang|edad\s+\d{1,3}", 0.85),
    ("fi", r"\d{1,3}-vuotia\w*|\d{1,3}\s+vuotta\s+vanha", 0.85),
)
#: Before "19 años": "hace 19 años" (19 years ago) is not an age.
_AGO_BEFORE = (
    "hace",
    "depuis",
    "il y a",
    "há",
    "ha",
    "durante",
    "pendant",
    "for",
    "en",
    "em",
    "since",
    "por",
    "après",
    "após",
    "despues",
    "después",
    "dans",
)


class AgeRecognizer(Recognizer):
    name = "age"
    entity_type = "age"
    examples = (
        ("my 19-year-old daughter", "19-year-old"),
        ("tiene 19 años y su bebé", "19 años"),
        ("elle a 19 ans", "19 ans"),
        ("sie ist 19 Jahre alt", "19 Jahre alt"),
        ("siya ay 19 taong gulang", "19 taong gulang"),
        ("hace 19 años que trabajo", None),
        ("A minha cliente, 19 anos, teve mastite", "19 anos"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._patterns = [(n, rx(r, ignore_case=True), s) for n, r, s in _AGE_PATTERNS]

    def wanted(self, text: str, lower: str, has_digit: bool) -> bool:
        return has_digit or "old" in lower or "aged" in lower

    def screened(self) -> list[Any]:
        return [compiled for _, compiled, _ in self._patterns]

    def candidates(self, text: str, lower: str, hits: Hits = EVERY) -> Iterator[Candidate]:
        for name, compiled, score in self._patterns:
            for m in hits.finditer(compiled, text):
                start, end = m.span()
                if not is_boundary(text, start, end):
                    continue
                if name == "es_fr_pt":
                    at = max(0, start - 12)
                    chunk = lower[at:start]
                    if at and lower[at - 1].isalnum():  # a cut word ("min|ha cliente")
                        chunk = chunk.partition(" ")[2]
                    before = words_of(chunk)
                    if any(f" {w} " in before for w in _AGO_BEFORE):
                        continue
                yield Candidate("age", start, end, score, self.name)
