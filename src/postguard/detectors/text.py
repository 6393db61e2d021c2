"""Text utilities shared by detector families: phrase lexicons, sentences, windows.

Lexicons use an Aho-Corasick automaton (pyahocorasick) over the lower-cased
text, so a lexicon of thousands of phrases costs one pass. Matches are kept
only on word boundaries, so "ass" does not match inside "class".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import ahocorasick


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    start: int
    end: int
    phrase: str
    label: str


class PhraseMatcher:
    """Find whole-word occurrences of many phrases at once.

    ``phrases`` maps each phrase (any case) to a label (e.g. the lexicon it
    came from). Matching is case-insensitive; offsets index the original
    text, provided the caller passes a lower-cased copy of the same length
    (``Document.lower``).
    """

    def __init__(self, phrases: dict[str, str] | Iterable[str]) -> None:
        items = phrases.items() if isinstance(phrases, dict) else ((p, p) for p in phrases)
        self._automaton = ahocorasick.Automaton()
        count = 0
        for phrase, label in items:
            key = phrase.lower().strip()
            if key:
                self._automaton.add_word(key, (key, label))
                count += 1
        self._empty = count == 0
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, lower_text: str) -> list[PhraseMatch]:
        """All whole-word matches, longest first where they overlap."""
        if self._empty:
            return []
        found: list[PhraseMatch] = []
        n = len(lower_text)
        for end_index, (phrase, label) in self._automaton.iter(lower_text):
            start = end_index - len(phrase) + 1
            end = end_index + 1
            if start > 0 and _is_word_char(lower_text[start - 1]) and _is_word_char(phrase[0]):
                continue
            if end < n and _is_word_char(lower_text[end]) and _is_word_char(phrase[-1]):
                continue
            found.append(PhraseMatch(start, end, phrase, label))
        return drop_overlaps(found)

    def contains_any(self, lower_text: str) -> bool:
        return bool(self.find(lower_text))


def drop_overlaps(matches: list[PhraseMatch]) -> list[PhraseMatch]:
    """Keep the longest match among overlapping ones, in text order."""
    matches.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[PhraseMatch] = []
    last_end = -1
    for match in matches:
        if match.start >= last_end:
            kept.append(match)
            last_end = match.end
    return kept


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")
#: Longest "sentence" handed to detectors. Detectors look at the sentence around
#: each match, so a text with no full stop would make every match rescan all of it
#: (quadratic time on a 200,000-character post); a run longer than this is cut at
#: the last space before the limit. Real sentences in posts are far shorter.
MAX_SENTENCE_CHARS = 1000


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of sentences, good enough for social posts; none is longer
    than :data:`MAX_SENTENCE_CHARS`."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        if text[start:end].strip():
            yield from capped(text, start, end)
        start = match.end()
    if text[start:].strip():
        yield from capped(text, start, len(text))


def capped(
    text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS
) -> Iterator[tuple[int, int]]:
    """``text[start:end]`` in pieces of at most ``limit`` characters, cut at spaces."""
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        if cut <= start:
            cut = start + limit
        if text[start:cut].strip():
            yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end and text[start:end].strip():
        yield start, end


def sentence_bounds(text: str, start: int, end: int, reach: int = 300) -> tuple[int, int]:
    """The sentence around a span, capped at ``reach`` characters either side
    so that a long text without full stops stays linear."""
    floor = max(0, start - reach)
    ceiling = min(len(text), end + reach)
    left = max(
        floor - 1,
        text.rfind(". ", floor, start),
        text.rfind("\n", floor, start),
        text.rfind("! ", floor, start),
    )
    rights = [
        i
        for i in (
            text.find(". ", end, ceiling),
            text.find("\n", end, ceiling),
            text.find("! ", end, ceiling),
        )
        if i >= 0
    ]
    return left + 1, min(rights) if rights else ceiling


def window(text: str, start: int, end: int, chars: int = 40) -> str:
    """The text around a span, for context cues ("call our helpline on ...")."""
    return text[max(0, start - chars) : min(len(text), end + chars)]


def word_regex(words: Iterable[str]) -> re.Pattern[str]:
    """One case-insensitive alternation of whole words/phrases, longest first."""
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    body = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)
