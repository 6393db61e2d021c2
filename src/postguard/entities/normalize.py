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


# a digit next to a look-alike letter, or one separator away from it (linear: no nesting)
_LOOKALIKE_NEAR_DIGIT = re.compile(r"\d[ .\-/]?[Ool|I]|[Ool|I][ .\-/]?\d")


def _has_lookalike_group(text: str) -> bool:
    # Plain ASCII needs folding only when a digit sits near a look-alike letter.
    if not any(c in text for c in _LOOKALIKE):
        return False
    return _LOOKALIKE_NEAR_DIGIT.search(text) is not None


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
    """Fold O/o/l/I/| to digits inside digit groups.

    A run is a maximal stretch of digits and look-alikes. It is folded when
    it is not glued to other letters ("Oil", "I0S" and "l0l" are left
    alone) and either holds at least two real digits ("O77OO"), or belongs
    to a number: runs joined by single separators (space, dot, dash, slash)
    holding at least five real digits together, where a run with one real
    digit ("9OO" in "07700 9OO 123") is folded, and a run of look-alikes
    alone ("OO" in "0 7 7 O O 9 ...") when real digits stand on both sides.
    """
    runs = _runs(chars)
    for number in _numbers(chars, runs):
        total = sum(r[2] for r in number)
        for k, (i, j, digits, glued) in enumerate(number):
            if glued or digits == j - i:
                continue
            if digits >= 2:
                fold = True
            elif total < _NUMBER_DIGITS:
                fold = False
            elif digits == 1:
                fold = True
            else:
                fold = any(r[2] for r in number[:k]) and any(r[2] for r in number[k + 1 :])
            if fold:
                for m in range(i, j):
                    chars[m] = _LOOKALIKE.get(chars[m], chars[m])


#: Real digits a number of several groups needs before its look-alikes fold.
_NUMBER_DIGITS = 5
_SEPARATORS = frozenset(" .-/")

Run = tuple[int, int, int, bool]  # start, end, real digits, glued to letters


def _runs(chars: list[str]) -> list[Run]:
    n = len(chars)
    out: list[Run] = []
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
        out.append((i, j, digits, glued))
        i = j
    return out


def _numbers(chars: list[str], runs: list[Run]) -> list[list[Run]]:
    """Runs grouped into numbers: neighbours joined by exactly one separator."""
    out: list[list[Run]] = []
    for run in runs:
        if out and run[0] == out[-1][-1][1] + 1 and chars[run[0] - 1] in _SEPARATORS:
            out[-1].append(run)
        else:
            out.append([run])
    return out
