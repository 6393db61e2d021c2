"""A word diff of two revisions of a post, as escaped HTML (<ins>, <del>)."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: Words, runs of spaces, and single other characters: a change shows as the words
#: it touches, not as the whole line.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def _pieces(old: str, new: str) -> list[tuple[bool, str, str]]:
    """(unchanged?, old text, new text) runs; a space alone between two changes joins
    them, so "town library" → "Central Library" reads as one change, not two."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    runs: list[tuple[bool, str, str]] = []
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for index, (op, i1, i2, j1, j2) in enumerate(opcodes):
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        between = 0 < index < len(opcodes) - 1
        same = op == "equal" and not (between and removed.isspace())
        if not same and runs and not runs[-1][0]:
            _, was, now = runs.pop()
            removed, added = was + removed, now + added
        runs.append((same, removed, added))
    return runs


def word_diff(old: str, new: str) -> SafeString:
    parts: list[str] = []
    for same, removed, added in _pieces(old, new):
        if same:
            parts.append(escape(added))
            continue
        if removed:
            parts.append(f"<del>{escape(removed)}</del>")
        if added:
            parts.append(f"<ins>{escape(added)}</ins>")
    # Every piece of the texts above went through escape().
    return mark_safe("".join(parts))
