"""Identifiers with checksums or fixed formats, validated by ``python-stdnum``.

One row per scheme: the entity type, an RE2 pattern for its written shape,
the stdnum validator (or a small one here where stdnum has none), a base
score, and whether the scheme is reported only with a context word (a
nine-digit number is a Canadian SIN only if someone says so; a Luhn-valid
16-digit card number speaks for itself).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from stdnum import iban, luhn
from stdnum.br import cpf
from stdnum.ca import sin
from stdnum.es import dni, nie
from stdnum.fi import hetu
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.ie import pps
from stdnum.in_ import aadhaar
from stdnum.iso7064 import mod_97_10
from stdnum.it import codicefiscale
from stdnum.mx import curp
from stdnum.nl import bsn
from stdnum.us import ssn
from stdnum.za import idnr

from postguard.entities.base import EVERY, Candidate, Hits, Recognizer, is_boundary, rx, words_of


def _medicare_au(number: str) -> bool:
    # Medicare card: 10 digits (+ optional issue digit); first digit 2-6; the
    # ninth digit is a weighted checksum of the first eight.
    digits = "".join(c for c in number if c.isdigit())
    if len(digits) not in (10, 11) or digits[0] not in "23456":
        return False
    weights = (1, 3, 7, 9, 1, 3, 7, 9)
    return sum(int(d) * w for d, w in zip(digits[:8], weights, strict=True)) % 10 == int(digits[8])


def _card(number: str) -> bool:
    digits = "".join(c for c in number if c.isdigit())
    return 12 <= len(digits) <= 19 and digits[0] in "123456" and luhn.is_valid(digits)


def _iban_checksum(number: str) -> bool:
    """The ISO 13616 check digits alone, for IBANs of a length the country does not use."""
    compact = number.replace(" ", "").upper()
    rearranged = compact[4:] + compact[:4]
    return mod_97_10.is_valid("".join(str(int(c, 36)) for c in rearranged))


def _iban(number: str) -> bool:
    """An IBAN, also when folding look-alikes turned a letter of it into a digit.

    The text is normalised before recognizers see it, so the bank code ``O767``
    of an Italian IBAN reads ``0767``; one 0 or 1 read back as O, I or L that
    makes the country's format and the check digits agree is the IBAN written.
    """
    if iban.is_valid(number):
        return True
    compact = number.replace(" ", "").upper()
    for i in range(4, len(compact)):
        for letter in {"0": "O", "1": "IL"}.get(compact[i], ""):
            if iban.is_valid(compact[:i] + letter + compact[i + 1 :]):
                return True
    return False


def _ssn_shape(number: str) -> bool:
    # ddd-dd-dddd is written only for SSNs and ITINs; stdnum refuses unassigned areas
    return not number.startswith(("000", "666")) and number[4:6] != "00"


def _any(number: str) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Scheme:
    name: str
    entity_type: str
    regex: str
    valid: Callable[[str], bool]
    score: float
    #: words one of which must be near (before) the number for it to count
    context: tuple[str, ...] = ()
    #: score when a context word is present although not required
    boosted: float = 0.95


_SSN_WORDS = ("ssn", "social security", "ss", "itin", "tin")
SCHEMES: tuple[Scheme, ...] = (
    Scheme("card", "card", r"\d{4}(?:[ -]?\d{3,4}){2}[ -]?\d{1,7}", _card, 0.9),
    Scheme("iban", "iban", r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}", _iban, 0.95),
    # check digits right, length not the country's (or a country without IBANs), grouped or not
    Scheme("iban_checksum", "iban", r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]){10,30}", _iban_checksum, 0.8),
    Scheme("us_ssn", "id", r"\d{3}-\d{2}-\d{4}", ssn.is_valid, 0.8),
    Scheme("us_ssn_shape", "id", r"\d{3}-\d{2}-\d{4}", _ssn_shape, 0.7),
    # Philippines: SSS 12-3456789-0, PhilHealth 12-345678901-2, UMID 1234-5678901-2, TIN
    Scheme("ph_ids", "id", r"\d{2}-\d{7}-\d|\d{2}-\d{9}-\d|\d{4}-\d{7}-\d", _any, 0.7),
    Scheme("us_ssn_plain", "id", r"\d{3} ?\d{2} ?\d{4}", ssn.is_valid, 0.0, _SSN_WORDS),
    Scheme("gb_nhs", "id", r"\d{3}[ -]?\d{3}[ -]?\d{4}", nhs.is_valid, 0.5, boosted=0.95),
    Scheme("gb_nino", "id", r"[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-Z]", _any, 0.7),
    Scheme("in_aadhaar", "id", r"\d{4}[ -]?\d{4}[ -]?\d{4}", aadhaar.is_valid, 0.7),
    Scheme("ca_sin", "id", r"\d{3}[ -]?\d{3}[ -]?\d{3}", sin.is_valid, 0.45),
    Scheme("au_medicare", "id", r"\d{4} ?\d{5} ?\d(?:[ /-]?\d)?", _medicare_au, 0.45),
    Scheme("fi_hetu", "id", r"\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]", hetu.is_valid, 0.95),
    Scheme("es_dni", "id", r"\d{8}-?[A-Z]", dni.is_valid, 0.9),
    Scheme("es_nie", "id", r"[XYZ]-?\d{7}-?[A-Z]", nie.is_valid, 0.9),
    Scheme("fr_nir", "id", r"[12] ?\d{2} ?\d{2} ?\d{2} ?\d{3} ?\d{3} ?\d{2}", nir.is_valid, 0.85),
    Scheme("br_cpf", "id", r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}", cpf.is_valid, 0.6),
    Scheme(
        "it_codice_fiscale",
        "id",
        r"[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]",
        codicefiscale.is_valid,
        0.95,
    ),
    Scheme("mx_curp", "id", r"[A-Z]{4}\d{6}[HM][A-Z]{5}[A-Z0-9]\d", curp.is_valid, 0.95),
    Scheme("ie_pps", "id", r"\d{7}[A-W][A-IW]?", pps.is_valid, 0.6),
    Scheme("za_id", "id", r"\d{13}", idnr.is_valid, 0.6),
    Scheme(
        "nl_bsn", "id", r"\d{4}\.?\d{2}\.?\d{3}", bsn.is_valid, 0.0, ("bsn", "burgerservicenummer")
    ),
    # record and card numbers written in groups, said to be one: "OHIP 4536-210-987-XY"
    Scheme(
        "grouped_record_number",
        "id",
        r"[A-Z]{0,3}\d{2,5}(?:[ \-]\d{2,5}){1,4}(?:-[A-Z]{1,3})?",
        _any,
        0.0,
        (
            "mrn",
            "nhs",
            "chi",
            "ohip",
            "record",
            "patient",
            "pt",
            "hospital number",
            "medicare",
            "medicaid",
            "member id",
            "insurance",
            "policy",
            "passport",
            "licence",
            "license",
            "id",
        ),
        boosted=0.85,
    ),
    Scheme(
        "record_number",
        "id",
        r"[A-Z]{0,3}\d{5,12}",
        _any,
        0.0,
        (
            "mrn",
            "nhs",
            "chi",
            "record",
            "patient",
            "hospital number",
            "case",
            "passport",
            "licence",
            "license",
            "medicare",
            "medicaid",
            "member id",
            "insurance",
            "policy",
            "aadhaar",
            "pps",
            "dni",
            "nie",
            "cpf",
            "bsn",
            "hetu",
            "henkilötunnus",
            "sozialversicherung",
            "steuer",
            "personnummer",
            "id",
            "no",
            "number",
            "numéro",
            "número",
            "numero",
        ),
        boosted=0.85,
    ),
)


class IdRecognizer(Recognizer):
    """Every scheme in :data:`SCHEMES`, validated."""

    name = "id"
    entity_type = "id"
    needs_digit = True
    negative_context = ("isbn", "issn", "doi", "pmid", "order", "invoice", "tracking", "ref")
    examples = (
        ("card 4111 1111 1111 1111 expires", "4111 1111 1111 1111"),
        ("IBAN GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32"),
        ("pay to IT50 O767 1032 3451 9257 4307 143", "IT50 O767 1032 3451 9257 4307 143"),
        ("IBAN GB97 NRJM 1683 3815 5654 2", "GB97 NRJM 1683 3815 5654 2"),
        ("to PH81 9238 6702 9524 9981 please", "PH81 9238 6702 9524 9981"),
        ("IBAN GB82 WEST 1234 5698 7654 33", None),
        ("her SSN is 123-45-6789", "123-45-6789"),
        ("NHS number 943 476 5919", "943 476 5919"),
        ("Aadhaar 2341 2341 2346", "2341 2341 2346"),
        ("henkilötunnus 131052-308T", "131052-308T"),
        ("MRN 4471902", "4471902"),
        ("card 4111 1111 1111 1112 is wrong", None),
        ("ISBN 978-0-306-40615-7", None),
    )

    def __init__(self) -> None:
        super().__init__()
        self._schemes = [(s, rx(s.regex)) for s in SCHEMES]

    def screened(self) -> list[Any]:
        return [compiled for _, compiled in self._schemes]

    def candidates(self, text: str, lower: str, hits: Hits = EVERY) -> Iterator[Candidate]:
        for scheme, compiled in self._schemes:
            for m in hits.finditer(compiled, text):
                start, end = m.span()
                raw = text[start:end].rstrip(" -")
                end = start + len(raw)
                if not is_boundary(text, start, end) or (start and text[start - 1] in "+-/.:"):
                    continue
                before = words_of(lower[max(0, start - 30) : start])
                if any(f" {w} " in before for w in self.negative_context):
                    continue
                has_context = scheme.context and any(f" {w} " in before for w in scheme.context)
                if scheme.context and not has_context:
                    continue
                try:
                    ok = scheme.valid(raw)
                except Exception:  # stdnum raises on odd shapes; odd shape = not this scheme
                    ok = False
                if not ok:
                    continue
                score = scheme.score
                if has_context or _named(before, scheme.name):
                    score = max(score, scheme.boosted)
                if score > 0:
                    yield Candidate(scheme.entity_type, start, end, score, scheme.name)


_SCHEME_WORDS = {
    "gb_nhs": ("nhs",),
    "ca_sin": ("sin", "social insurance"),
    "au_medicare": ("medicare",),
    "in_aadhaar": ("aadhaar", "aadhar", "uid"),
    "gb_nino": ("ni", "nino", "national insurance"),
    "br_cpf": ("cpf",),
    "ie_pps": ("pps", "ppsn"),
    "za_id": ("id",),
    "card": ("card", "visa", "mastercard", "amex", "tarjeta", "carte", "karte", "cartão"),
}


def _named(before: str, scheme: str) -> bool:
    return any(f" {w} " in before for w in _SCHEME_WORDS.get(scheme, ()))
