"""User names: one canonical form for storing, signing in and throttling, a safe
character set for new names, and a look-alike skeleton so that no one can take a
name that reads like someone else's (``dеmo-chair`` with a Cyrillic е, ``dem0-chair``).

The canonical form is what is stored. Sign-in, throttling and creation all go through
:func:`canonical_username`, so ``"Demo-Member "`` and ``"ｄemo-member"`` (fullwidth)
are the same person and count against the same limit.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from confusable_homoglyphs import confusables

#: Django's ``User.username`` column is this long.
MAX_USERNAME_CHARS = 150
#: New names: ASCII letters (any case; they are stored lower-case), digits, ``.``,
#: ``_`` and ``-``, starting with a letter or digit.
SAFE_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]*", re.ASCII)

#: ASCII characters that read as another one in most fonts (after case-folding).
_ASCII_LOOKALIKES = str.maketrans(
    {"0": "o", "1": "l", "i": "l", "|": "l", "5": "s", "_": "-", ".": "-"}
)
#: Letter pairs that read as one letter.
_ASCII_PAIRS = (("rn", "m"), ("vv", "w"), ("cl", "d"))


def canonical_username(name: str) -> str:
    """The one form of a user name: NFKC, case-folded, without surrounding space.

    NFKC folds compatibility forms (fullwidth letters, ligatures) into plain ones;
    case-folding after it can leave a string that is not NFKC again, hence twice."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


@functools.cache
def _ascii_prototype(char: str) -> str:
    """The ASCII letter or digit that ``char`` is confusable with, or ``char`` itself.

    The Unicode confusables data (shipped by confusable_homoglyphs) lists, for each
    character, those it can be mistaken for."""
    if char.isascii():
        return char
    for homoglyph in confusables.confusables_data.get(char, ()):
        candidate = str(homoglyph.get("c", "")).casefold()
        if len(candidate) == 1 and candidate.isascii() and candidate.isalnum():
            return candidate
    return char


def skeleton(name: str) -> str:
    """What a name looks like: two names with the same skeleton can be mistaken for
    each other. New names are ASCII, but names made before the character set was
    restricted may not be, so other scripts are mapped to the ASCII they imitate."""
    text = "".join(_ascii_prototype(c) for c in canonical_username(name))
    text = text.translate(_ASCII_LOOKALIKES)
    previous = None
    while previous != text:
        previous = text
        for pair, single in _ASCII_PAIRS:
            text = text.replace(pair, single)
    return text


def _describe(char: str) -> str:
    return f"{char!r} ({unicodedata.name(char, 'an unnamed character').lower()})"


def username_problem(name: str) -> str | None:
    """Why ``name`` (already canonical) cannot be a new user name, or None."""
    if not name:
        return "A user name is required."
    if len(name) > MAX_USERNAME_CHARS:
        return f"A user name can be at most {MAX_USERNAME_CHARS} characters long."
    if SAFE_USERNAME.fullmatch(name):
        return None
    rule = (
        "A user name may use only the letters a–z, the digits 0–9, '.', '_' and '-', "
        "and must start with a letter or a digit"
    )
    bad = next((c for c in name if not (c.isascii() and (c.isalnum() or c in "._-"))), None)
    if bad is not None:
        return f"{rule}; {name!r} contains {_describe(bad)}."
    return f"{rule}."
