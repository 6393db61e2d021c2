"""Street addresses and postcodes, in the formats of many countries.

Parts are found separately (a number and a street in English or
continental order, a postcode in its country's format, a flat or suite)
and the parts of one address that follow each other ("14 Elm Grove,
Leeds LS6 2AB") are joined into one span.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from postguard.entities.base import EVERY, Candidate, Hits, Recognizer, is_boundary, rx
from postguard.entities.gazetteer import place_names

_DATA = Path(__file__).resolve().parent.parent / "data"


def _vocabulary(name: str) -> list[str]:
    """A word list from ``data/`` in file order, without comments and blank lines."""
    lines = (_DATA / name).read_text(encoding="utf-8").splitlines()
    return [w for w in map(str.strip, lines) if w and not w.startswith("#")]


#: English street types (after the name), capitalised; the first 40 are the common ones.
_EN_TYPES = _vocabulary("street_types_en.txt")
#: Street-type words that come *before* the name (es, fr, pt, it, tl).
_ROMANCE_TYPES = _vocabulary("street_types_before.txt")
#: Street-name endings written as one word with the name (fi, de, nl, sv).
_SUFFIXES = _vocabulary("street_suffixes.txt")


def _alternation(words: list[str]) -> str:
    """``words`` as an RE2 alternation, longest first: RE2 takes the first alternative
    that matches, so "Green" listed before "Greens" would stop "6660 Hayes Greens" short."""
    return "|".join(sorted(set(words), key=lambda w: (-len(w), w)))


_UNIT = (
    r"(?:Apt\.?|APT|Apartment|Suite|Ste\.?|Unit|Flat|Studio|Piso|Puerta|Appartamento|Piano"
    r"|Apto\.?|Bloco|Casa|Andar|Etage|Wohnung|Bâtiment|Bât\.?|Escalier|Porte|Room|Rm\.?"
    r"|Interior|Int\.?|Depto\.?|Departamento|Edificio|Edif\.?|Lote|Manzana|Mz\.?"
    r"|H\.\s?No\.?|House\s+No\.?|Block|Lot)"
    r"\s?#?\d{1,4}[A-Za-z]?"
)
_WORD = r"\p{Lu}[\p{L}\p{M}'’.\-]+"
_NUMBER = r"\d{1,5}(?:[A-Za-z]|\s[A-H]\b)?(?:\s?[-/]\s?\d{1,4}[A-Za-z]?)?"
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ"
    "|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR|AA|AE|AP"
)

_PARTS = (
    # "14 Elm Grove", "3529 Mejia Neck Suite 488", "7/3 Briggs Cross"
    # (and "8162 38th Road")
    (
        "street_en",
        rf"{_NUMBER},?\s+(?:(?:{_WORD}|\d{{1,3}}(?:st|nd|rd|th))\s+){{1,3}}"
        rf"(?:{_alternation(_EN_TYPES)})\.?",
        0.8,
    ),
    (
        "street_en_lower",
        r"\d{1,5}[a-z]?\s+[a-z]{3,20}\s+(?:street|road|avenue|lane|drive|close"
        r"|crescent|terrace|grove|gardens|way|place)",
        0.6,
    ),
    # "Kukkaniitynkuja 678", "Jähnallee 5-4", "Mariadreef 47"
    (
        "street_suffix",
        rf"\p{{Lu}}[\p{{L}}\p{{M}}\-]+(?i:{_alternation(_SUFFIXES)})\.?"
        rf",?\s+{_NUMBER}",
        0.8,
    ),
    # Finnish names of two words: "Eino Leinon tie 5", "Ylä-Fallin tie 037"
    (
        "street_fi_spaced",
        rf"(?:{_WORD}\s+){{1,2}}(?:tie|katu|kuja|polku|väylä|puisto|aukio|tori|rinne|kaari)"
        rf"\s+{_NUMBER}",
        0.8,
    ),
    # "PO Box 2", "P.O. Box 1234", "Private Bag 3", "Postfach 12 34", "Apartado 45"
    (
        "po_box",
        r"(?:P\.?\s?O\.?\s?Box|Private\s+Bag|Postfach|Apartado(?:\s+de\s+Correos)?"
        r"|Caixa\s+Postal|Casilla)\s+\d{1,6}(?:\s\d{2,4})?",
        0.8,
    ),
    # "Berliner Straße 12", "Am Markt 5"
    (
        "street_de",
        rf"(?:{_WORD}\s+){{1,3}}(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Gasse|Ring"
        rf"|Damm|Ufer|Chaussee|Markt)\s+{_NUMBER}",
        0.8,
    ),
    # "12 rue des Lilas", "Calle de Alcalá 45", "Rodovia de Novais, 789", "Via Roma 3"
    (
        "street_romance",
        rf"(?:{_NUMBER},?\s+)?(?i:{_alternation(_ROMANCE_TYPES)})\.?\s+"
        r"(?:(?:de|del|de la|de los|de las|des|du|de l'|da|do|dos|das|di|della|delle|dei|ng|sa)"
        rf"\s+)?(?:{_WORD}\s*){{1,4}}(?:,?\s*(?:n\.?º?\s*)?{_NUMBER})?",
        0.75,
    ),
    ("unit", _UNIT, 0.4),
    # UK "SW1A 1AA", Canada "H2X 1Y4"
    ("postcode_gb", r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}", 0.7),
    ("postcode_ca", r"[A-Z]\d[A-Z]\s?\d[A-Z]\d", 0.7),
    # Netherlands "1012 AB", "6717TQ" (alone it could be many things; joined it is an address)
    ("postcode_nl", r"\d{4}\s?[A-Z]{2}", 0.45),
    # "Collinsborough, NM 67595", "TX 78701-1234"
    ("postcode_us", rf"(?:{_STATES}),?\s+\d{{5}}(?:-\d{{4}})?", 0.7),
    # "SA, 2938", "VIC 3121"
    ("postcode_au", r"(?:NSW|VIC|QLD|TAS|ACT|SA|WA|NT),?\s+\d{4}", 0.7),
    # "75987 Kuopio", "28245 LAPPEENRANTA", "D-10115 Berlin", "1012 AB Amsterdam", "8000 Aarhus"
    (
        "postcode_town",
        r"(?:[A-Z]-)?\d{4,5}\s+(?:[A-Z]{2}\s+)?\p{Lu}[\p{L}\p{M}\-]+"
        r"(?:[\-\s]\p{Lu}[\p{L}\p{M}]+)?",
        0.6,
    ),
    # Brazil "01310-100", "CEP 78591503"
    ("postcode_br", r"(?:CEP:?\s?)\d{5}-?\d{3}|\d{5}-\d{3}", 0.6),
    # India "Bijapur-785915", "PIN 560001"
    ("postcode_in", r"\p{Lu}\p{Ll}{2,30}\s?-\s?\d{6}|PIN:?\s?\d{6}", 0.6),
)
#: Joinable gaps between parts of one address: commas, line breaks, a town's name.
_GAP = rx(r"^[\s,]*(?:\p{Lu}[\p{L}\p{M}'’.\-]+[\s,]*){0,3}$")
#: Words that make a street (without a number) someone's whereabouts.
_LIVING = (
    "live",
    "lives",
    "living",
    "lived",
    "moved",
    "stays",
    "staying",
    "house",
    "home",
    "behind",
    "flat",
    "vive",
    "vit",
    "wohnt",
    "mora",
    "nakatira",
    "asuu",
)
_NAMED_STREET = rx(
    rf"(?:on|at|in|en|à|em|na|sa|auf)\s+(?:the\s+)?(?:{_WORD}\s+){{1,3}}"
    rf"(?:{_alternation(_EN_TYPES[:40])})\.?"
)
#: Words that never name a street after a number ("3 More Days" is not an address).
_NOT_STREET_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "my",
        "our",
        "your",
        "her",
        "his",
        "their",
        "this",
        "that",
        "these",
        "those",
        "more",
        "most",
        "new",
        "old",
        "first",
        "last",
        "next",
        "best",
        "top",
        "big",
    ]
)


class AddressRecognizer(Recognizer):
    name = "address"
    entity_type = "address"
    examples = (
        ("dropping milk at 14 Elm Grove, Leeds LS6 2AB today", "14 Elm Grove, Leeds LS6 2AB"),
        ("she lives at Puruntie 82 Apt. 595", "Puruntie 82 Apt. 595"),
        ("address: Jähnallee 5-4\n85915 Erkelenz", "Jähnallee 5-4\n85915 Erkelenz"),
        ("477, rue Laetitia Royer", "477, rue Laetitia Royer"),
        (
            "3529 Mejia Neck Suite 488\nCollinsborough, NM 67595",
            "3529 Mejia Neck Suite 488\nCollinsborough, NM 67595",
        ),
        ("we fed 3 More Babies this week", None),
        ("the 2023 Annual Conference", None),
    )

    def __init__(self) -> None:
        super().__init__()
        self._parts = [(name, rx(regex), score) for name, regex, score in _PARTS]

    def screened(self) -> list[Any]:
        return [compiled for _, compiled, _ in self._parts] + [_NAMED_STREET]

    def candidates(self, text: str, lower: str, hits: Hits = EVERY) -> Iterator[Candidate]:
        parts: list[tuple[int, int, float]] = []
        has_digit = any(c.isdigit() for c in text)
        if has_digit:
            for name, compiled, score in self._parts:
                for m in hits.finditer(compiled, text):
                    start, end = m.span()
                    while end > start and text[end - 1] in " ,\n\t":
                        end -= 1
                    if not is_boundary(text, start, end) or not self._plausible(
                        name, text, start, end
                    ):
                        continue
                    parts.append((start, end, score))
        if any(w in lower for w in _LIVING):
            for m in hits.finditer(_NAMED_STREET, text):
                start = m.start() + text[m.start() : m.end()].index(" ") + 1
                before = lower[max(0, start - 50) : start]
                if any(w in before for w in _LIVING):
                    parts.append((start, m.end(), 0.6))
        yield from self._join(text, parts)

    @staticmethod
    def _plausible(name: str, text: str, start: int, end: int) -> bool:
        span = text[start:end]
        if name in ("street_en", "street_en_lower"):
            words = span.split()
            if len(words) > 1 and words[1].lower().strip(",") in _NOT_STREET_WORDS:
                return False
            # "2023 Annual Conference Centre": a year is not a house number
            num = words[0].strip(",")
            if len(num) == 4 and num[:2] in ("19", "20"):
                return False
        if name == "street_romance":
            return any(c.isdigit() for c in span)
        if name == "postcode_town":
            digits, town = span.split(None, 1)
            if len(digits) == 4 and digits[:2] in ("19", "20"):
                return False
            # "10000 Steps" is not a town: the town must be known, or written as on an envelope
            return (
                town.isupper()
                or town.split()[-1] in place_names()
                or end == len(text)
                or text[end] in "\n,"
            )
        return True

    def _join(self, text: str, parts: list[tuple[int, int, float]]) -> Iterator[Candidate]:
        parts.sort()
        block: list[int] | None = None
        best = 0.0
        count = 0
        for start, end, score in parts:
            if block is not None and (
                start <= block[1]
                or (start - block[1] <= 45 and _GAP.search(text[block[1] : start]) is not None)
            ):
                block[1] = max(block[1], end)
                best = max(best, score)
                count += 1
                continue
            if block is not None:
                yield self._block(block, best, count)
            block, best, count = [start, end], score, 1
        if block is not None:
            yield self._block(block, best, count)

    def _block(self, block: list[int], best: float, count: int) -> Candidate:
        # an address of several parts (street + town + postcode) is surer than any part
        score = min(0.95, best + 0.1 * (count - 1))
        return Candidate("address", block[0], block[1], score, self.name)
