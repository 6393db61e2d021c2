"""The analyser and redaction: overlaps, placeholders, types, hostile input."""

from __future__ import annotations

import pytest

import postguard
from postguard.entities import analyze, redact


def test_redact_replaces_each_identifying_span_with_its_placeholder() -> None:
    text = (
        "Huge congratulations to Amara Nwosu, in St Mary's Hospital, ward 4. "
        "Call his mum on 07700 900123 or jo.haddad77@example.com; she is 19 years old "
        "and lives at 14 Elm Grove, Leeds LS6 2AB."
    )
    assert redact(text) == (
        "Huge congratulations to [name], in [hospital]. Call his mum on [phone] or [email]; "
        "she is [age] and lives at [address]."
    )


def test_redact_keeps_offsets_right_with_invisible_characters() -> None:
    assert redact("Call his mum on 077\u200f00 900\u200f123 now") == "Call his mum on [phone] now"


def test_redact_merges_overlapping_spans() -> None:
    entities = analyze("Ward 4, bed 2 at St Mary's Hospital")
    assert redact("Ward 4, bed 2 at St Mary's Hospital", entities) == "[hospital]"


def test_redact_leaves_links_and_plain_text_alone() -> None:
    text = "Read https://example.org/guide before the meeting."
    assert redact(text) == text


def test_the_library_exposes_redact_and_entities_on_reports() -> None:
    report = postguard.check("Call his mum on 07700 900123", entities=True)
    assert report.entities is not None
    assert [(e.type, e.text) for e in report.entities] == [("phone", "07700 900123")]
    assert postguard.check("Call his mum on 07700 900123").entities is None
    assert "entities" in report.to_dict()
    assert postguard.redact("Ring 07700 900123") == "Ring [phone]"


def test_analyze_can_be_limited_to_some_types() -> None:
    found = analyze("Amara Nwosu, 07700 900123", types=["phone"])
    assert [e.type for e in found] == ["phone"]


HOSTILE = [
    "St Mary's ward 4, room " * 8700,
    "Anna Bell, Bob Carr and Carl Dunn, " * 5800,
    "0" * 200_000,
    "1 " * 100_000,
    "a@" * 100_000,
    "Aa " * 66_000,
    "12/12/2012 " * 18_000,
    "+(" * 100_000,
    "1.1.1.1." * 25_000,
    "é" * 200_000,
    "07700 900123 " * 15_000,
]


@pytest.mark.parametrize("text", HOSTILE, ids=[h[:12] for h in HOSTILE])
def test_it_completes_on_two_hundred_thousand_characters_of_any_shape(text: str) -> None:
    # linear-time patterns: this would take minutes if any pattern backtracked
    found = analyze(text)
    assert all(0 <= e.start < e.end <= len(text) for e in found)


_SCREENED_TEXTS = (
    "Call his mum on 07700 900123 or jo.haddad77@example.com",
    "IBAN GB82 WEST 1234 5698 7654 32, card 4111 1111 1111 1111, SSN 123-45-6789",
    "born 12 de mayo de 2023 in St Mary's Hospital, ward 4; she is 19 years old",
    "lives at 14 Elm Grove, Leeds LS6 2AB; my IP is 116.119.51.232 @amara_n",
    "see doi:10.1016/S0140-6736(15)01024-7 and ISBN 978-0-306-40615-7 at $1,299.99",
    "Thanks for coming to the 2023 Annual Conference",
)


@pytest.mark.parametrize("text", _SCREENED_TEXTS)
def test_the_pattern_screen_changes_no_recognizer_result(text: str) -> None:
    from postguard.entities.base import EVERY
    from postguard.entities.registry import recognizers, screen

    hits = screen().hits(text)
    lower = text.lower()
    for recognizer in recognizers():
        assert list(recognizer.candidates(text, lower, hits)) == list(
            recognizer.candidates(text, lower, EVERY)
        ), recognizer.name


def test_the_pattern_screen_skips_patterns_absent_from_the_text() -> None:
    from postguard.entities.registry import recognizers, screen

    hits = screen().hits("nothing to see here")
    assert not any(c in hits for r in recognizers() for c in r.screened())


def test_the_pattern_screen_runs_every_pattern_on_a_long_text() -> None:
    from postguard.entities.base import SCREEN_CHARS
    from postguard.entities.registry import recognizers, screen

    hits = screen().hits("x" * (SCREEN_CHARS + 1))
    assert all(c in hits for r in recognizers() for c in r.screened())


def test_an_identifier_wins_over_a_phone_reading_of_the_same_digits() -> None:
    text = "Patient, national insurance number 073-65-6426, seen on ward 34"
    assert [(e.type, e.text) for e in analyze(text) if e.text == "073-65-6426"] == [
        ("id", "073-65-6426")
    ]


def test_a_phone_keeps_its_span_beside_an_unsure_identifier() -> None:
    assert [e.type for e in analyze("ring me on 07700 900123 tonight")] == ["phone"]


def test_a_phone_is_not_cut_into_record_numbers_by_the_word_number() -> None:
    assert [(e.type, e.text) for e in analyze("Her number is 07700 900 255")] == [
        ("phone", "07700 900 255")
    ]
