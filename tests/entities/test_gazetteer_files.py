"""The shipped gazetteers are in the shape their bisection lookup needs."""

from __future__ import annotations

import itertools

import pytest

from postguard.entities import gazetteer

FILES = ("entity_first_names.txt", "entity_surnames.txt", "entity_places.txt")


@pytest.mark.parametrize("name", FILES)
def test_each_gazetteer_file_is_sorted_unique_and_stripped(name: str) -> None:
    words = (gazetteer._DATA / name).read_text(encoding="utf-8").split("\n")
    assert words[-1] == "", "the file ends with a newline"
    words.pop()
    assert all(w and w == w.strip() for w in words)
    assert all(a < b for a, b in itertools.pairwise(words))


def test_a_word_list_finds_exactly_its_words() -> None:
    words = gazetteer.Words(["Amara", "Nwosu", "Zoë"])
    assert "Amara" in words and "Zoë" in words
    assert "Amar" not in words and "Amaras" not in words and "" not in words
    assert 3 not in words
    assert len(words) == 3


def test_the_shipped_gazetteers_know_common_names_and_places() -> None:
    assert "Amara" in gazetteer.first_names()
    assert "Nwosu" in gazetteer.surnames()
    assert "Leeds" in gazetteer.place_names()
    assert "Breastfeeding" not in gazetteer.first_names()
