"""Normalisation: obfuscated numbers are seen through, spans index the original text."""

from __future__ import annotations

import pytest

from postguard.entities import analyze
from postguard.entities.normalize import normalize

PLAIN = "Call his mum on 07700 900123"

#: The 21 ways of hiding the number from issue 8 and beyond: each must be found.
OBFUSCATED = [
    ("right-to-left mark", "077\u200f00 900\u200f123"),
    ("zero-width joiner", "07700\u200d 900\u200d123"),
    ("soft hyphen", "077\u00ad00 900\u00ad123"),
    ("zero-width space", "077\u200b00\u200b900\u200b123"),
    ("word joiner", "07700\u2060900\u2060123"),
    ("byte order mark", "\ufeff07700 \ufeff900123"),
    ("bidi embedding", "\u202a07700 900123\u202c"),
    ("emoji between groups", "07700 📞 900123"),
    ("emoji glued between groups", "07700📞900📞123"),
    ("O for 0", "O77OO 9OO123"),
    ("l for 1", "07700 900l23"),
    ("I for 1", "07700 900I23"),
    ("superscript digits", "⁰⁷⁷⁰⁰ ⁹⁰⁰¹²³"),
    ("circled digits", "⓪⑦⑦⓪⓪ ⑨⓪⓪①②③"),
    ("full-width digits", "０７７００ ９００１２３"),
    ("mathematical bold digits", "𝟎𝟕𝟕𝟎𝟎 𝟗𝟎𝟎𝟏𝟐𝟑"),
    ("no-break space", "07700\u00a0900123"),
    ("thin space", "07700\u2009900\u2009123"),
    ("dots", "07700.900.123"),
    ("a space between every digit", "0 7 7 0 0 9 0 0 1 2 3"),
    ("several at once", "O77OO\u200f 📞 9OO\u00adl23"),
]


@pytest.mark.parametrize(("how", "number"), OBFUSCATED, ids=[o[0] for o in OBFUSCATED])
def test_it_finds_an_obfuscated_phone_number(how: str, number: str) -> None:
    text = f"Call his mum on {number} tonight"
    phones = [e for e in analyze(text) if e.type == "phone"]
    assert phones, f"{how}: {number!r} not found"
    # the span indexes the original text and covers the whole number
    start = text.index(number)
    assert phones[0].start <= start + 1
    assert phones[0].end >= start + len(number) - 1
    assert phones[0].text == text[phones[0].start : phones[0].end]


def test_there_are_twenty_one_obfuscations() -> None:
    assert len(OBFUSCATED) == 21


def test_plain_ascii_is_left_as_it_is() -> None:
    norm = normalize(PLAIN)
    assert norm.text == PLAIN
    assert norm.span(16, 28) == (16, 28)


def test_spans_map_back_across_removed_and_expanded_characters() -> None:
    text = "a\u200bb ﬁ ①② x"
    norm = normalize(text)
    assert norm.text == "ab fi 12 x"
    start = norm.text.index("12")
    assert norm.span(start, start + 2) == (text.index("①"), text.index("②") + 1)
    assert norm.span(norm.text.index("fi"), norm.text.index("fi") + 2) == (4, 5)


@pytest.mark.parametrize("word", ["Oil", "lol", "I0S", "Olive", "l0l"])
def test_it_does_not_fold_letters_outside_digit_groups(word: str) -> None:
    assert normalize(f"{word} 12").text == f"{word} 12"


def test_it_drops_emoji_only_between_digits() -> None:
    assert normalize("great 🎉 news").text == "great 🎉 news"
    assert normalize("07700 📞 900123").text == "07700 900123"
