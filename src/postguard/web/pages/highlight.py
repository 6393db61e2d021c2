"""Marking the spans the engine flagged, safely escaped."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_RANK = {"advise": 1, "review": 2, "block": 3}


def highlight(text: str, findings: Sequence[dict[str, Any]]) -> SafeString:
    """The text as HTML with each flagged span in a <mark> naming its rules."""
    spans = [
        f
        for f in findings
        if isinstance(f.get("start"), int)
        and isinstance(f.get("end"), int)
        and 0 <= f["start"] < f["end"] <= len(text)
    ]
    cuts = sorted({0, len(text), *(f["start"] for f in spans), *(f["end"] for f in spans)})
    parts: list[str] = []
    for start, end in pairwise(cuts):
        piece = escape(text[start:end])
        covering = [f for f in spans if f["start"] <= start and end <= f["end"]]
        if not covering:
            parts.append(piece)
            continue
        worst = max(covering, key=lambda f: _RANK.get(str(f.get("severity")), 0))
        label = "; ".join(dict.fromkeys(f"{f['rule_id']}: {f['message']}" for f in covering))
        parts.append(
            f'<mark class="sev-{escape(worst["severity"])}" title="{escape(label)}">{piece}</mark>'
        )
    # Every piece of user text above went through escape().
    return mark_safe("".join(parts))
