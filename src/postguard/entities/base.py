"""The recognizer interface, in the manner of Presidio's.

A recognizer finds one family of personal data. It declares its entity
type, its patterns (RE2 syntax, each with a base score), the context words
that make a match more or less likely, and examples; ``validate`` checks a
candidate (a checksum, a real calendar date) and may veto it or change its
score. Recognizers see the *normalised* text; the registry maps spans back.

RE2 gives linear time on any input. Its Python binding re-encodes the whole
text on every ``search(text, pos)`` call, so recognizers call ``finditer``
once over the text and look at context in small slices, never by searching
from an offset.

Most patterns match nothing in most posts, yet each ``finditer`` still costs
an encoding of the text and a pass over it. So the registry first runs every
recognizer's patterns together as one RE2 set (:class:`Screen`: one pass
that says which patterns occur anywhere), and recognizers run ``finditer``
only for those (:meth:`Hits.finditer`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import re2

from postguard.lazy_re2 import lazy

_OPTIONS = re2.Options()
_OPTIONS.max_mem = 64 << 20
_ICASE = re2.Options()
_ICASE.case_sensitive = False
_ICASE.max_mem = 64 << 20


def rx(pattern: str, *, ignore_case: bool = False) -> Any:
    """Compile ``pattern`` with RE2 (linear time whatever the input)."""
    return lazy(pattern, _ICASE if ignore_case else _OPTIONS)


#: Longer texts skip the set pass: RE2's set matcher has no fallback when its
#: DFA runs out of memory (it would report "no match"), and on long texts the
#: patterns' own passes cost little beside everything else.
SCREEN_CHARS = 10_000
#: Patterns per set. A set's DFA is built lazily, state by state, as new
#: texts arrive, and the states of a union multiply: one set of all 50
#: patterns spent about 0.6 s building states over the first 3,000 posts of
#: the corpus and PII splits, sets of 8 about 0.2 s, for some 10
#: microseconds more per post once built.
SET_SIZE = 8


class Hits:
    """Which compiled patterns occur in one text (``None``: not known, run them all)."""

    __slots__ = ("_found",)

    def __init__(self, found: frozenset[int] | None = None) -> None:
        self._found = found

    def __contains__(self, compiled: Any) -> bool:
        return self._found is None or id(compiled) in self._found

    def finditer(self, compiled: Any, text: str) -> Iterator[Any]:
        """``compiled.finditer(text)``, or nothing when the screen saw no match."""
        if self._found is not None and id(compiled) not in self._found:
            return iter(())
        return compiled.finditer(text)  # type: ignore[no-any-return]


#: No screen: every pattern runs.
EVERY = Hits()


class Screen:
    """Many compiled patterns run as one RE2 set: which of them match anywhere in a text.

    A pattern matches somewhere exactly when its ``finditer`` yields at least
    once, so skipping the others changes no result.
    """

    def __init__(self, compiled: Iterable[Any]) -> None:
        by_case: dict[bool, dict[int, Any]] = {}
        for c in compiled:
            by_case.setdefault(bool(c.options.case_sensitive), {})[id(c)] = c
        self._sets: list[tuple[Any, list[int]]] = []
        for case_sensitive, items in by_case.items():
            ids = list(items)
            for at in range(0, len(ids), SET_SIZE):
                group = ids[at : at + SET_SIZE]
                screen = re2.Set.SearchSet(_OPTIONS if case_sensitive else _ICASE)
                for i in group:
                    screen.Add(items[i].pattern)
                screen.Compile()
                self._sets.append((screen, group))

    def hits(self, text: str) -> Hits:
        if len(text) > SCREEN_CHARS:
            return EVERY
        found: set[int] = set()
        for screen, ids in self._sets:
            for i in screen.Match(text) or ():
                found.add(ids[i])
        return Hits(frozenset(found))


@dataclass(frozen=True, slots=True)
class Entity:
    """One piece of personal data: its type, span in the original text, score, recognizer."""

    type: str
    start: int
    end: int
    score: float
    recognizer: str
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 3),
            "recognizer": self.recognizer,
        }


@dataclass(frozen=True, slots=True)
class Pattern:
    name: str
    regex: str
    score: float
    ignore_case: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span a recognizer proposes, in normalised-text offsets."""

    type: str
    start: int
    end: int
    score: float
    recognizer: str


class Recognizer:
    """Base class: subclasses set the class attributes and may override ``validate``
    or ``candidates``.

    ``cue`` is a cheap pre-filter: when set, the recognizer runs only if one
    of these substrings occurs in the lower-cased text.
    """

    name: ClassVar[str]
    entity_type: ClassVar[str]
    patterns: ClassVar[tuple[Pattern, ...]] = ()
    #: Words near a match that make it more likely personal data.
    context: ClassVar[tuple[str, ...]] = ()
    #: Words near a match that make it unlikely (a DOI, a price, an ISBN).
    negative_context: ClassVar[tuple[str, ...]] = ()
    context_boost: ClassVar[float] = 0.2
    context_penalty: ClassVar[float] = 0.4
    #: How many characters before a match are searched for context words.
    window: ClassVar[int] = 40
    cue: ClassVar[tuple[str, ...]] = ()
    needs_digit: ClassVar[bool] = False
    #: (text, matched span text) examples for the tests; ``None`` = must not match.
    examples: ClassVar[tuple[tuple[str, str | None], ...]] = ()

    def __init__(self) -> None:
        self._compiled = [(p, rx(p.regex, ignore_case=p.ignore_case)) for p in self.patterns]

    def screened(self) -> list[Any]:
        """The compiled patterns this recognizer runs over the whole text (for the screen)."""
        return [compiled for _, compiled in self._compiled]

    def wanted(self, text: str, lower: str, has_digit: bool) -> bool:
        if self.needs_digit and not has_digit:
            return False
        return not self.cue or any(c in lower for c in self.cue)

    def validate(self, text: str, start: int, end: int) -> float | None:
        """Check ``text[start:end]``; return a new score, or None to reject it.

        The default keeps every match at its pattern's score (``-1`` = keep).
        """
        return -1.0

    def candidates(self, text: str, lower: str, hits: Hits = EVERY) -> Iterator[Candidate]:
        for pattern, compiled in self._compiled:
            for m in hits.finditer(compiled, text):
                start, end = m.span(m.lastindex or 0) if m.lastindex else m.span()
                if end <= start:
                    continue
                score = self.validate(text, start, end)
                if score is None:
                    continue
                if score < 0:
                    score = pattern.score
                score = self.adjust(lower, start, end, score)
                if score > 0:
                    yield Candidate(self.entity_type, start, end, score, self.name)

    def adjust(self, lower: str, start: int, end: int, score: float) -> float:
        """Raise or lower ``score`` by the context words near the span."""
        if not self.context and not self.negative_context:
            return score
        before = words_of(lower[max(0, start - self.window) : start])
        after = words_of(lower[end : end + 20])
        if _mentions(before, self.negative_context) or _mentions(after, self.negative_context):
            score -= self.context_penalty
        elif _mentions(before, self.context):
            score += self.context_boost
        return min(1.0, max(0.0, score))


def words_of(chunk: str) -> str:
    """``chunk`` with every run of non-alphanumerics turned into one space, padded."""
    return " " + " ".join("".join(c if c.isalnum() else " " for c in chunk).split()) + " "


def _mentions(spaced: str, words: tuple[str, ...]) -> bool:
    # whole words (or phrases) only: "mention" must not count as "on"
    return any(f" {w} " in spaced for w in words)


def word_before(lower: str, start: int, span: int = 30) -> str:
    """The last word before ``start`` (lower-cased), for cheap context checks."""
    chunk = lower[max(0, start - span) : start].rstrip(" ,:;-(\t\n")
    i = len(chunk)
    while i > 0 and (chunk[i - 1].isalnum() or chunk[i - 1] in "'’."):
        i -= 1
    return chunk[i:].strip(".")


def is_boundary(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` is not glued to letters or digits on either side."""
    return (start == 0 or not text[start - 1].isalnum()) and (
        end >= len(text) or not text[end].isalnum()
    )
