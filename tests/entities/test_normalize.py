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


#: Look-alikes in groups with fewer than two real digits ("9OO"), found once the
#: groups of one number are judged together.
LOOKALIKE_GROUPS = [
    ("O for 0 in a group of three", "07700 9OO 123"),
    ("O for 0 in a dashed group", "07700-9OO-l23"),
    ("a group of look-alikes alone", "077 00 9 OO 123"),
    ("spaced digits with look-alikes", "0 7 7 O O 9 O O l 2 3"),
    ("look-alikes in every group", "O77OO.9OO.l23"),
    ("a group of one digit and a look-alike", "07700 90O 123"),
]


@pytest.mark.parametrize(
    ("how", "number"),
    OBFUSCATED + LOOKALIKE_GROUPS,
    ids=[o[0] for o in OBFUSCATED + LOOKALIKE_GROUPS],
)
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


@pytest.mark.parametrize(
    "text",
    ["I 100% agree", "I 2 3 times a day", "feeds 8 to 12 o clock", "ward 4 I think 12", "O 12345"],
)
def test_it_leaves_a_look_alike_beside_a_short_number_alone(text: str) -> None:
    assert normalize(text).text == text


def test_it_folds_a_group_with_one_real_digit_only_inside_a_longer_number() -> None:
    assert normalize("ring 07700 9OO 123").text == "ring 07700 900 123"
    assert normalize("size 9O").text == "size 9O"


def test_it_drops_emoji_only_between_digits() -> None:
    assert normalize("great 🎉 news").text == "great 🎉 news"
    assert normalize("07700 📞 900123").text == "07700 900123"
