"""Quasi-identifiers judged on the combination of the entity layer's spans."""

from __future__ import annotations

import pytest

from postguard.content import Content, Context
from postguard.detectors.base import Document
from postguard.detectors.privacy import QuasiIdentifierDetector
from postguard.engine import check

POST = Context(account="official", kind="post", audience="public", direction="outbound")


def quasi(text: str) -> list[str]:
    hits = QuasiIdentifierDetector().detect(Document(Content(text=text, context=POST)))
    return [h.note for h in hits]


@pytest.mark.parametrize(
    "text",
    [
        "19yo, 3rd bub, living in her car behind the Lidl on Harbour Rd",
        "Supporting a 17-year-old, sofa surfing, mum of 3, who lives on Mill Lane in Leeds.",
        "She is 23 years old, in a women's refuge in Kirkwall, 4th baby due in June.",
    ],
)
def test_an_age_a_place_and_a_situation_together_are_blocked(text: str) -> None:
    notes = quasi(text)
    assert notes and "age" in notes[0] and "place" in notes[0]
    assert check(text, account="official").decision == "block"


@pytest.mark.parametrize(
    "text",
    [
        # a conference date and a city
        "Join us at the IPALA conference on 3 May 2025 in Leeds!",
        # a price
        "Our pump hire is £25 a week from the shop on Harbour Rd.",
        # the association's own contact details
        "IPALA, 12 Mill Lane, Leeds LS1 4AB; helpline 0113 496 0000.",
        # a cited paper
        "Victora et al. 2016, doi:10.1016/S0140-6736(15)01024-7, Lancet 387:475.",
        # an age and a place, nothing that singles anyone out
        "She is 19 years old and lives in Leeds.",
        # general education about a group
        "Teen mums aged 16 to 19 in temporary accommodation in Leeds can get help.",
    ],
)
def test_facts_that_do_not_single_a_person_out_are_not_a_combination(text: str) -> None:
    assert quasi(text) == []


def test_a_street_is_not_read_as_a_person() -> None:
    from postguard.entities import analyze

    found = {(e.type, e.text) for e in analyze("she lives behind the Lidl on Harbour Rd")}
    assert ("person", "Harbour Rd") not in found
    assert ("address", "Harbour Rd") in found
