"""A word diff of two revisions of a post, as escaped HTML (<ins>, <del>)."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

#: Words, runs of spaces, and single other characters: a change shows as the words
#: it touches, not as the whole line.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def word_diff(old: str, new: str) -> SafeString:
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            parts.append(added)
            continue
        if removed:
            parts.append(f"<del>{removed}</del>")
        if added:
            parts.append(f"<ins>{added}</ins>")
    # Every piece of the texts above went through escape().
    return mark_safe("".join(parts))
