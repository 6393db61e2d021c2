"""Every recognizer's declared examples, and tables per family with negatives beside positives."""

from __future__ import annotations

import pytest

from postguard.entities import analyze, recognizers
from postguard.entities.base import Recognizer


def _examples() -> list[object]:
    cases = []
    for recognizer in recognizers():
        for index, (text, expected) in enumerate(recognizer.examples):
            cases.append(pytest.param(recognizer, text, expected, id=f"{recognizer.name}-{index}"))
    return cases


@pytest.mark.parametrize(("recognizer", "text", "expected"), _examples())
def test_every_recognizer_example_behaves_as_declared(
    recognizer: Recognizer, text: str, expected: str | None
) -> None:
    found = analyze(text)
    if expected is None:
        mine = [e for e in found if e.type == recognizer.entity_type]
        assert not mine, f"{recognizer.name} should not find anything in {text!r}: {mine}"
    else:
        assert expected in [e.text for e in found], f"{recognizer.name}: {text!r} -> {found}"


def test_every_recognizer_declares_a_positive_and_a_negative_example() -> None:
    for recognizer in recognizers():
        if recognizer.name in ("url",):
            continue
        labels = {expected is None for _, expected in recognizer.examples}
        assert labels == {True, False}, recognizer.name


# (text, [(type, span text)]) — what must be found; negatives list nothing of those types
TABLE = [
    # phones in national and international formats
    ("Ring me on +44 20 7946 0958", [("phone", "+44 20 7946 0958")]),
    ("Her mobile: (555) 123-4567", [("phone", "(555) 123-4567")]),
    ("Soita 040 1234567", [("phone", "040 1234567")]),
    ("Appelle-moi au 06 12 34 56 78", [("phone", "06 12 34 56 78")]),
    ("Tawagan mo ako sa 0917 123 4567", [("phone", "0917 123 4567")]),
    ("Meu celular é (11) 91234-5678", [("phone", "(11) 91234-5678")]),
    ("an Australian mobile 0412 555 019", [("phone", "0412 555 019")]),
    ("We saw 1,200 families in 2023 and 2024.", []),
    ("The 2019-2023 report, pages 112-130.", []),
    ("Lancet 2016; 387: 475-90. doi:10.1016/S0140-6736(15)01024-7", []),
    # ids with checksums
    ("Pay to DE89 3704 0044 0532 0130 00", [("iban", "DE89 3704 0044 0532 0130 00")]),
    ("Visa 4012 8888 8888 1881", [("card", "4012 8888 8888 1881")]),
    ("SIN 130 692 544", [("id", "130 692 544")]),
    ("Medicare 2123 45670 1", [("id", "2123 45670 1")]),
    ("order 4012 8888 8888 1882 shipped", []),
    # contact
    ("mail me: zoë.müller@beispiel.de", [("email", "zoë.müller@beispiel.de")]),
    ("from 192.168.1.20 at 10:30", [("ip", "192.168.1.20")]),
    # addresses in many countries
    ("at 221B Baker Street, London NW1 6XE", [("address", "221B Baker Street, London NW1 6XE")]),
    ("Calle de Alcalá 45, 28014 Madrid", [("address", "Calle de Alcalá 45, 28014 Madrid")]),
    ("Rua Augusta, 274", [("address", "Rua Augusta, 274")]),
    ("wohnt in der Hauptstraße 5", [("address", "Hauptstraße 5")]),
    ("Mannerheimintie 12 B, 00100 Helsinki", [("address", "Mannerheimintie 12 B, 00100 Helsinki")]),
    # street types that begin like a shorter one ("Greens", "Plaza", "Locks")
    ("visit at 6660 Hayes Greens, East Kathryn", [("address", "6660 Hayes Greens")]),
    ("Contact: Amy, 1 Wells-Carter Plaza, 848 1957", [("address", "1 Wells-Carter Plaza")]),
    ("Studio 99, Briggs Locks", [("address", "Studio 99, Briggs Locks")]),
    ("we live on Unit 28 11 Cordova Basin", [("address", "Unit 28 11 Cordova Basin")]),
    # Philippine, Indian, Italian, Brazilian, Dutch, Finnish and New Zealand shapes
    ("we live on 3934 E Thompson Drive", [("address", "3934 E Thompson Drive")]),
    ("nakatira sa 8162 38th Road, Pasig", [("address", "8162 38th Road")]),
    ("at H.No. 643, Purohit Chowk", [("address", "H.No. 643, Purohit Chowk")]),
    ("registered at 463, Bahl Nagar", [("address", "463, Bahl Nagar")]),
    ("send it to Stretto Badoglio, 62 Piano 2", [("address", "Stretto Badoglio, 62 Piano 2")]),
    ("mora na Praia Benjamim Sampaio, 34", [("address", "Praia Benjamim Sampaio, 34")]),
    ("Contact: Elisa, Noraboulevard 046", [("address", "Noraboulevard 046")]),
    ("Home visit at Eino Leinon tie 5, Kaavi", [("address", "Eino Leinon tie 5")]),
    ("post to PO Box 2, Rangirangiwhitu 9786", [("address", "PO Box 2")]),
    ("Top 10 Tips for the 3 Best Weeks", []),
    # licences and IBANs a look-alike fold or an odd length would hide
    ("Driving licence BARKE266267BM2AG please", [("id", "BARKE266267BM2AG")]),
    ("Pay to IT50 O767 1032 3451 9257 4307 143", [("iban", "IT50 O767 1032 3451 9257 4307 143")]),
    ("We walked 10000 steps and fed 3 More Babies", []),
    # dates and ages
    ("Née le 3 mars 2021", [("birth_date", "3 mars 2021")]),
    ("nació el 12 de mayo", [("birth_date", "12 de mayo")]),
    ("Our AGM is on 14 June 2025", [("date", "14 June 2025")]),
    ("mein Sohn ist 3 Monate alt", [("age", "3 Monate alt")]),
    ("ang anak ko ay 2 taong gulang", [("age", "2 taong gulang")]),
    ("hace 19 años que trabajo aquí", []),
    # places of care
    (
        "nasa NICU ng Philippine General Hospital, bed 12",
        [("care_place", "NICU ng Philippine General Hospital, bed 12")],
    ),
    ("im Krankenhaus Nord, Zimmer 12", [("care_place", "Krankenhaus Nord, Zimmer 12")]),
    ("à l'hôpital Necker, chambre 4", [("care_place", "hôpital Necker, chambre 4")]),
    ("hospital policies vary by trust", []),
    # people
    (
        "Huge congratulations to Amara Nwosu, who finally got her twins latching",
        [("person", "Amara Nwosu")],
    ),
    ("Thanks to Dr. Rolf-Peter Faust", [("person", "Rolf-Peter Faust")]),
    ("Great news from the group today!", []),
    ("She is 19 and will be fine. Will you come?", []),
]


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[t[0][:40] for t in TABLE])
def test_it_finds_exactly_the_entities_in_the_table(
    text: str, expected: list[tuple[str, str]]
) -> None:
    found = [(e.type, e.text) for e in analyze(text)]
    for item in expected:
        assert item in found, f"{item} not in {found}"
    if not expected:
        hard = [f for f in found if f[0] not in ("date", "place")]
        assert not hard, f"nothing identifying expected in {text!r}, got {hard}"
