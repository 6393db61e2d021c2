"""Phone numbers, through ``phonenumbers``' metadata for every region.

A cheap RE2 pass finds phone-shaped digit runs; each is then checked
against the numbering plans of the regions our users live in (and, for
``+``/``00`` numbers, of every region). A number valid somewhere scores
high; one only *possible* (right length, plausible grouping) scores lower
and needs a context word ("call", "tel", "puhelin", "Handy") to be
reported with confidence. Shapes that are not phones are vetoed first:
DOIs and other numbers glued to letters, ISBNs, dates, year ranges, times
and prices.

Leniency, measured on 960 Faker numbers from 16 locales: Faker writes many
numbers outside the allocated ranges (the UK drama range 07700 900xxx, US
555), so ``PhoneNumberMatcher`` with ``Leniency.VALID`` for one region finds
0.36 of them, "valid in any of our regions" 0.75, and "valid, or possible
and written like a phone" 0.91; the last is used, with the shape vetoes
above keeping prices and dates out.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber
from stdnum import isbn

from postguard.entities.base import EVERY, Candidate, Hits, Recognizer, rx

#: Regions whose national formats we read without a "+": where members live.
REGIONS = [
    "GB",
    "IE",
    "US",
    "CA",
    "AU",
    "NZ",
    "ZA",
    "IN",
    "PH",
    "NG",
    "KE",
    "FI",
    "DE",
    "FR",
    "ES",
    "PT",
    "BR",
    "MX",
    "NL",
    "BE",
    "IT",
    "SE",
    "NO",
    "DK",
    "AT",
    "CH",
    "PL",
]
#: Regions whose numbers are written with a trunk prefix "0" (stripped before the check).
_TRUNK_ZERO = frozenset(
    [
        "GB",
        "IE",
        "AU",
        "NZ",
        "ZA",
        "IN",
        "PH",
        "NG",
        "KE",
        "FI",
        "DE",
        "FR",
        "NL",
        "BE",
        "BR",
        "SE",
        "AT",
        "CH",
        "PL",
    ]
)
_CC = {region: phonenumbers.country_code_for_region(region) for region in REGIONS}

_CANDIDATE = rx(
    r"(?:\+|\(\+|00)?\(?\d[\d \t\-.()/\x{00A0}]{4,24}\d"
    r"(?:[ \t]?(?:x|ext\.?|#)[ \t]?\d{1,6})?"
)
_EXTENSION = rx(r"[ \t]?(?:x|ext\.?|#)[ \t]?\d{1,6}$")
_SPLIT = rx(r"\s*/\s*|\s{2,}|\s+-\s+")
_DATE_SHAPE = rx(
    r"^(?:\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}[/.\-]\d{1,2}[/.\-]\d{1,2}"
    r"|(?:19|20)\d\d(?:\s*[\-/]\s*(?:19|20)?\d\d)+|(?:(?:19|20)\d\d\s+)+(?:19|20)\d\d"
    r"|\d{1,2}[.:]\d\d\s*-\s*\d{1,2}[.:]\d\d)$"
)
_CURRENCY = "$£€¥₹₦₱"
_CURRENCY_AFTER = rx(
    r"^\s?(?:€|eur|usd|gbp|aud|kr|zł|chf|dollars?|euros?|pounds?)\b",
)


def _digits(raw: str) -> str:
    return "".join(c for c in raw if c.isdigit())


@lru_cache(maxsize=2048)
def classify(raw: str) -> float:
    """0.9 for a number valid in some region, 0.55 for a possible one, 0 otherwise."""
    digits = _digits(raw)
    if not 7 <= len(digits) <= 15:
        return 0.0
    stripped = raw.lstrip("( ")
    if stripped.startswith("+") or digits.startswith("00"):
        text = "+" + digits[2:] if digits.startswith("00") and not stripped.startswith("+") else raw
        try:
            number = phonenumbers.parse(text.replace("(0)", ""), None)
        except NumberParseException:
            return 0.0
        if phonenumbers.is_valid_number(number):
            return 0.9
        if phonenumbers.is_possible_number(number):
            return 0.6
        if not stripped.startswith("+") and _valid_nationally(digits):
            return 0.85  # "00…" read as an international prefix was wrong
        return 0.0
    if _valid_nationally(digits):
        return 0.85
    return 0.55 if _possible_nationally(digits) else 0.0


def _national_forms(digits: str) -> Iterator[tuple[str, int, bool]]:
    """(region, national number, Italian leading zero) readings of a national number."""
    for region in REGIONS:
        if digits.startswith("0"):
            if region in _TRUNK_ZERO and len(digits) > 6:
                yield region, int(digits[1:]), False
            elif region == "IT":
                yield region, int(digits), True
        elif region in ("US", "CA") and len(digits) == 11 and digits.startswith("1"):
            yield region, int(digits[1:]), False
        elif region not in _TRUNK_ZERO:
            yield region, int(digits), False


def _valid_nationally(digits: str) -> bool:
    for region, national, leading_zero in _national_forms(digits):
        number = PhoneNumber(country_code=_CC[region], national_number=national)
        if leading_zero:
            number.italian_leading_zero = True
        if phonenumbers.is_valid_number(number):
            return True
    return False


def _possible_nationally(digits: str) -> bool:
    for region, national, leading_zero in _national_forms(digits):
        number = PhoneNumber(country_code=_CC[region], national_number=national)
        if leading_zero:
            number.italian_leading_zero = True
        if phonenumbers.is_possible_number(number):
            return True
    return False


def _formatted(raw: str) -> bool:
    """Written as people write phone numbers: grouped, or with a + / trunk 0 / brackets."""
    return raw[0] in "+(0" or any(c in raw for c in " -.\u00a0")


class PhoneRecognizer(Recognizer):
    name = "phone"
    entity_type = "phone"
    needs_digit = True
    context = (
        "call",
        "ring",
        "phone",
        "tel",
        "mobile",
        "mob",
        "cell",
        "text",
        "whatsapp",
        "number",
        "contact",
        "reach",
        "sms",
        "signal",
        "viber",
        "puh",
        "numero",
        "número",
        "numéro",
        "telefon",
        "teléfono",
        "téléphone",
        "telefone",
        "telemóvel",
        "handy",
        "celular",
        "móvil",
        "movil",
        "portable",
        "tawag",
        "tawagan",
        "numer",
        "no",
        "nr",
    )
    negative_context = (
        "doi",
        "isbn",
        "issn",
        "pmid",
        "pmcid",
        "arxiv",
        "order",
        "invoice",
        "tracking",
        "nhs",
        "mrn",
        "ssn",
        "iban",
        "account",
        "card",
        "vol.",
        "pp.",
        "page",
        "ref",
        "medicare",
        "aadhaar",
        "passport",
        "licence",
        "license",
        "serial",
        "sort code",
        "isbn",
        "sin",
        "bsn",
        "cpf",
        "pps",
        "dni",
        "nie",
        "tin",
        "itin",
        "aadhaar",
        "ohip",
        "chi",
        "patient",
        "pt",
        "id",
    )
    examples = (
        ("Call his mum on 07700 900123", "07700 900123"),
        ("her number is 0494 92 82 32", "0494 92 82 32"),
        ("text me on 0412 555 019", "0412 555 019"),
        ("ring +358 40 1234567 tonight", "+358 40 1234567"),
        ("Llámala al 612 34 56 78", "612 34 56 78"),
        ("Ruf an: 030 12345678", "030 12345678"),
        ("see doi:10.1016/S0140-6736(15)01024-7", None),
        ("ISBN 978-0-306-40615-7", None),
        ("we met on 12/05/2023 and 2019-2023", None),
        ("it costs $1,299.99 or €1.234.567", None),
    )

    def screened(self) -> list[Any]:
        return [_CANDIDATE]

    def candidates(self, text: str, lower: str, hits: Hits = EVERY) -> Iterator[Candidate]:
        for m in hits.finditer(_CANDIDATE, text):
            start, end = m.span()
            raw = text[start:end]
            # trailing brackets/separators belong to the sentence, not the number
            while (raw and raw[-1] in " -.(/\t\u00a0") or (
                raw.endswith(")") and raw.count("(") < raw.count(")")
            ):
                raw = raw[:-1]
            while (raw and raw[0] in " )") or (raw.startswith("(") and ")" not in raw):
                raw = raw[1:]
                start += 1
            end = start + len(raw)
            if not raw or not self._free(text, start, end):
                continue
            pieces = [(start, raw)]
            if len(_digits(raw)) > 15:
                pieces = list(self._split(start, raw))
            for piece_start, piece in pieces:
                score = self._score(text, lower, piece_start, piece)
                if score > 0:
                    yield Candidate(
                        "phone", piece_start, piece_start + len(piece), score, self.name
                    )

    @staticmethod
    def _split(start: int, raw: str) -> Iterator[tuple[int, str]]:
        last = 0
        for m in _SPLIT.finditer(raw):
            if m.start() > last:
                yield start + last, raw[last : m.start()]
            last = m.end()
        if last < len(raw):
            yield start + last, raw[last:]

    @staticmethod
    def _free(text: str, start: int, end: int) -> bool:
        """Not glued to a longer token: a DOI ("S0140-…"), a version, a price, a decimal."""
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isalnum() or before in "_/\\:=#@&" or after.isalnum() or after in "_%@/":
            return False
        if before in ".,-" and start > 1 and text[start - 2].isalnum():
            return False
        if after in ".," and end + 1 < len(text) and text[end + 1].isdigit():
            return False
        back = text[max(0, start - 2) : start].strip()
        return not (back and back[-1] in _CURRENCY)

    def _score(self, text: str, lower: str, start: int, raw: str) -> float:
        if not raw:
            return 0.0
        end = start + len(raw)
        core = _EXTENSION.sub("", raw) if any(c in raw for c in "x#e") else raw
        if _DATE_SHAPE.search(core.strip()):
            return 0.0
        digits = _digits(core)
        if len(digits) == 13 and digits.startswith(("978", "979")) and isbn.is_valid(digits):
            return 0.0
        if _CURRENCY_AFTER.search(lower[end : end + 10]):
            return 0.0
        score = classify(core)
        if score == 0.0:
            return 0.0
        if not _formatted(core):
            # a bare digit run is a phone only when valid or said to be one
            score = 0.6 if score >= 0.85 else 0.35
        if digits.count(digits[0]) == len(digits):
            return 0.0
        return self.adjust(lower, start, end, score)
