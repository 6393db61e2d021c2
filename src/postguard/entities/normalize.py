"""Text normalisation with an offset map back to the original text.

Recognizers run on a normalised copy: NFKC (full-width and compatibility
forms folded), invisible and bidi control characters removed, digit
look-alikes folded (superscript, circled, full-width digits; ``O``/``l``/``I``
inside digit groups), and emoji dropped between digit groups. People hide
phone numbers exactly this way ("077‏00 9OO l23"), so detection must see
through it; every span is mapped back so that it indexes the *original*
text.

The pass is one walk over the characters (linear time), with a fast path
for plain ASCII text that has nothing to fold.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Characters that render as nothing (or only reorder text) and split digit groups.
INVISIBLE = frozenset(
    [chr(c) for c in range(0x200B, 0x2010)]  # zero-width space/joiners, LRM, RLM
    + [chr(c) for c in range(0x202A, 0x202F)]  # bidi embeddings and overrides
    + [chr(c) for c in range(0x2060, 0x2065)]  # word joiner, invisible operators
    + [chr(c) for c in range(0x2066, 0x206A)]  # bidi isolates
    + ["\ufeff", "\u00ad", "\u034f", "\u180e", "\ufe0e", "\ufe0f"]
)
#: Letters that stand in for digits inside a digit group.
_LOOKALIKE = {"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"}


@dataclass(frozen=True, slots=True)
class Normalized:
    """A normalised text and, for each of its characters, the original index."""

    original: str
    text: str
    #: ``index[i]`` is the original offset of ``text[i]``; one extra entry at the end.
    index: tuple[int, ...] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``text[start:end]``."""
        if self.index is None:
            return start, end
        if end <= start:
            at = self.index[start]
            return at, at
        return self.index[start], self.index[end - 1] + 1


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in INVISIBLE:
        return ""
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) == 1 and not folded.isascii():
        digit = unicodedata.digit(folded, None)
        if digit is not None:
            return str(digit)
    return folded


def _is_emoji(ch: str) -> bool:
    return ord(ch) >= 0x2190 and unicodedata.category(ch) in ("So", "Sk", "Cn", "Co")


def normalize(text: str) -> Normalized:
    """Normalise ``text`` for recognition, keeping a map back to ``text``."""
    if not _has_lookalike_group(text) and (
        text.isascii() or all(_unchanged(c) for c in set(_NON_ASCII.findall(text)))
    ):
        return Normalized(text, text, None)
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        folded = ch if ch.isascii() else _fold_char(ch)
        for out in folded:
            chars.append(out)
            index.append(i)
    _drop_emoji_between_digits(chars, index)
    _fold_lookalikes(chars)
    index.append(len(text))
    return Normalized(text, "".join(chars), tuple(index))


# stdlib re on a single character class: linear, and finds the few non-ASCII characters fast
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _unchanged(ch: str) -> bool:
    """A character normalisation leaves as it is (curly quotes, accents, dashes)."""
    return _fold_char(ch) == ch and not _is_emoji(ch) and not ch.isdigit()


def _has_lookalike_group(text: str) -> bool:
    # Plain ASCII needs folding only when a digit sits next to a look-alike letter.
    if not any(c in text for c in _LOOKALIKE):
        return False
    return any(
        (a.isdigit() and b in _LOOKALIKE) or (a in _LOOKALIKE and b.isdigit())
        for a, b in itertools.pairwise(text)
    )


def _digitish(ch: str) -> bool:
    return ch.isdigit() or ch in _LOOKALIKE


def _drop_emoji_between_digits(chars: list[str], index: list[int]) -> None:
    """Remove emoji (and the spaces beside them) that sit between two digits."""
    n = len(chars)
    keep = [True] * n
    i = 0
    while i < n:
        if not _is_emoji(chars[i]):
            i += 1
            continue
        j = i
        while j < n and (_is_emoji(chars[j]) or chars[j] == " "):
            j += 1
        k = i - 1
        while k >= 0 and chars[k] == " ":
            k -= 1
        if k >= 0 and j < n and _digitish(chars[k]) and _digitish(chars[j]):
            # keep one space so that digit groups stay groups
            for m in range(k + 1, j):
                keep[m] = False
            keep[k + 1] = True
            chars[k + 1] = " "
        i = j
    if not all(keep):
        chars[:] = [c for c, ok in zip(chars, keep, strict=True) if ok]
        index[:] = [x for x, ok in zip(index, keep, strict=True) if ok]


def _fold_lookalikes(chars: list[str]) -> None:
    """Fold O/o/l/I/| to digits inside runs that are otherwise digits.

    A run is a maximal stretch of digits and look-alikes; it is folded only
    when it holds at least two real digits and is not glued to other letters,
    so "Oil", "I0S" and "l0l" are left alone.
    """
    n = len(chars)
    i = 0
    while i < n:
        if not (chars[i].isdigit() or chars[i] in _LOOKALIKE):
            i += 1
            continue
        j = i
        digits = 0
        while j < n and (chars[j].isdigit() or chars[j] in _LOOKALIKE):
            digits += chars[j].isdigit()
            j += 1
        glued = (i > 0 and chars[i - 1].isalpha()) or (j < n and chars[j].isalpha())
        if digits >= 2 and digits < j - i and not glued:
            for m in range(i, j):
                chars[m] = _LOOKALIKE.get(chars[m], chars[m])
        i = j
