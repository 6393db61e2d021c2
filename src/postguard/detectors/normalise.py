"""Text folded for classification: the disguises people use to slip words past a filter.

"ｆｕｃｋ" (full-width), "𝐟𝐮𝐜𝐤" (mathematical bold), "fսck" (Armenian/Cyrillic
look-alikes), "f\u200bu\u200bck" (zero-width spaces), "f̶u̶c̶k̶" (combining
strokes) and "fuuuuck" (repeated letters) all read as "fuck" to a person.
:func:`fold` undoes them so that a lexicon or a model sees the word; it is
for classification only. :func:`fold_with_offsets` also says where each folded
character came from, so that a hit on the folded text can be reported on
the original one.

The folding is per character: NFKC (full-width, bold, circled and other
compatibility forms), then a table of Cyrillic, Greek and other letters that
look like Latin ones, then lower case. Format characters (zero-width spaces
and joiners, direction marks, soft hyphens) and combining marks written as
separate characters (strokes, underlines, "zalgo") are dropped; precomposed
accented letters (é, ñ, ã) are kept, so other languages read as before.
Runs of three or more of the same letter become ``squash`` letters (two by
default: "goooood" is "good", "fuuuuck" is "fuuck"; one for a lexicon
that lists "fuck").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["fold", "fold_with_offsets", "needs_folding"]

# Letters that look like Latin ones in common fonts. Only look-alikes that a
# reader takes for the Latin letter are listed; a Greek or Cyrillic word is
# not Latin text, but it is not what a classifier trained on English sees
# either, so folding it costs nothing.
_LOOKALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
    "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ү": "y", "ӏ": "l", "ɡ": "g",
    "А": "a", "В": "b", "Е": "e", "К": "k", "М": "m", "Н": "h", "О": "o", "Р": "p",
    "С": "c", "Т": "t", "У": "y", "Х": "x", "Ѕ": "s", "І": "i", "Ј": "j",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ς": "s",
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m",
    "Ν": "n", "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
    # Armenian and Latin extensions used the same way
    "ս": "u", "օ": "o", "հ": "h", "ı": "i", "ȷ": "j", "ʋ": "u", "ɑ": "a",
}  # fmt: skip


@cache
def _fold_char(char: str) -> str:
    """What one character folds to ('' for invisible ones and combining marks)."""
    if unicodedata.category(char) in ("Cf", "Mn", "Me"):
        return ""
    out: list[str] = []
    for part in unicodedata.normalize("NFKC", char):
        if unicodedata.category(part) in ("Cf", "Mn", "Me"):
            continue
        out.append(_LOOKALIKES.get(part, part).lower())
    return "".join(out)


def needs_folding(text: str) -> bool:
    """Whether :func:`fold` can change ``text`` beyond lower-casing it.

    Plain ASCII without a run of three equal letters is returned as is, which
    is most text: callers skip the folding then.
    """
    if not text.isascii():
        return True
    previous, run = "", 0
    for char in text:
        if char == previous and char.isalpha():
            run += 1
            if run >= 3:
                return True
        else:
            previous, run = char, 1
    return False


def fold_with_offsets(text: str, squash: int = 2) -> tuple[str, list[int]]:
    """The folded, lower-cased text and, for each of its characters, the
    index in ``text`` of the character it came from.

    A hit spanning folded ``[a, b)`` covers ``text[offsets[a] : offsets[b]]``
    (``len(text)`` when ``b`` is the end): dropped marks and squashed letters
    after its last character belong to it.
    """
    chars: list[str] = []
    offsets: list[int] = []
    run = 0  # how many times the last folded letter repeats so far
    for index, char in enumerate(text):
        for part in _fold_char(char) if not char.isascii() else char.lower():
            if chars and part == chars[-1] and part.isalpha():
                run += 1
                if run == 3 and squash < 2:
                    del chars[-1], offsets[-1]  # "fuuu" -> "fu": drop the second "u"
                if run >= 3:
                    continue  # the third "u" of "fuuuck" onwards
            else:
                run = 1
            chars.append(part)
            offsets.append(index)
    return "".join(chars), offsets


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_RUNS = {1: re.compile(r"([^\W\d_])\1{2,}"), 2: re.compile(r"([^\W\d_])\1{2,}")}


def fold(text: str, squash: int = 2) -> str:
    """``text`` folded for classification (see the module's docstring); the
    same text as :func:`fold_with_offsets` gives, without the offsets."""
    if not needs_folding(text):
        return text.lower()
    # Python code runs only for the non-ASCII characters, which are few.
    folded = _NON_ASCII.sub(lambda m: _fold_char(m.group()), text).lower()
    return _RUNS[1 if squash < 2 else 2].sub(r"\1" if squash < 2 else r"\1\1", folded)
