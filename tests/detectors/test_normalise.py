"""Tests for the text folding used before classification."""

from __future__ import annotations

import pytest

from postguard.content import Content
from postguard.detectors.base import Document
from postguard.detectors.language import ProfanityDetector
from postguard.detectors.normalise import fold, fold_with_offsets, needs_folding

# (disguised text, the word a reader sees, how it is disguised)
OBFUSCATED = [
    ("what a fսcking mess", "fսcking", "Armenian u"),
    ("this is ѕhіt", "ѕhіt", "Cyrillic s and i"),
    ("you absolute Βιτch", "Βιτch", "Greek capitals and small letters"),
    ("utter bυllshιt from the board", "bυllshιt", "Greek upsilon and iota"),
    ("ｆｕｃｋ this policy", "ｆｕｃｋ", "full-width"),
    ("𝐬𝐡𝐢𝐭 advice", "𝐬𝐡𝐢𝐭", "mathematical bold"),
    ("𝓯𝓾𝓬𝓴 off", "𝓯𝓾𝓬𝓴", "mathematical script"),
    ("total ⓢⓗⓘⓣ", "ⓢⓗⓘⓣ", "circled letters"),
    ("f\u200bu\u200bc\u200bk that", "f\u200bu\u200bc\u200bk", "zero-width spaces"),
    ("sh\u00adit service", "sh\u00adit", "soft hyphen"),
    ("f̶u̶c̶k̶ this", "f̶u̶c̶k̶", "combining long strokes"),
    ("what a fuuuuuck", "fuuuuuck", "repeated letters"),
    ("shiiiiit week", "shiiiiit", "repeated letters"),
    ("what a wankkkker", "wankkkker", "repeated consonant"),
]


@pytest.mark.parametrize(("text", "word", "how"), OBFUSCATED)
def test_it_reports_a_disguised_profanity_on_its_original_span(
    text: str, word: str, how: str
) -> None:
    hits = ProfanityDetector().detect(Document(Content(text)))
    assert [text[h.start or 0 : h.end or 0] for h in hits] == [word], how


@pytest.mark.parametrize(
    "text",
    [
        "Goooood morning, lovely latch today",
        "Cooool, the café is open on Saturday",
        "Está bien: la lactancia es difícil al principio",
        "Naïve question about the café’s opening hours",
        "Ｂｒｅａｓｔｆｅｅｄｉｎｇ ｗｅｅｋ starts Monday",
        "Assess the latch before anything else",
    ],
)
def test_it_leaves_clean_text_with_unusual_characters_alone(text: str) -> None:
    assert ProfanityDetector().detect(Document(Content(text))) == []


def test_it_folds_look_alikes_widths_and_invisible_characters() -> None:
    assert fold("Ｈеllо\u200b 𝐖𝐨𝐫𝐥𝐝") == "hello world"


def test_it_squashes_only_runs_of_three_or_more() -> None:
    assert fold("all good, soooo good") == "all good, soo good"
    assert fold("fuuuuck all", squash=1) == "fuck all"


def test_it_keeps_precomposed_accents() -> None:
    assert fold("Ação, niño, café") == "ação, niño, café"


def test_it_maps_every_folded_character_back_to_its_source() -> None:
    text = "a f\u200bu\u200bck"
    folded, offsets = fold_with_offsets(text)
    assert folded == "a fuck"
    assert [text[i] for i in offsets] == list("a fuck")


def test_it_skips_plain_ascii_without_repeated_letters() -> None:
    assert not needs_folding("Plain text, all good.")
    assert needs_folding("sooo good")
    assert needs_folding("café")


@pytest.mark.parametrize("squash", [1, 2])
def test_the_fast_fold_equals_the_one_with_offsets(squash: int) -> None:
    for text, _word, _how in OBFUSCATED:
        for variant in (text, text.upper(), f"Sooo {text} ŞİŞLİ ß ﬁne 👍🏽"):
            assert fold(variant, squash) == fold_with_offsets(variant, squash)[0], variant
