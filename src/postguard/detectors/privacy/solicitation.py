"""Public requests for a client's private details."""

from __future__ import annotations

import re
from typing import Any

from postguard.detectors.base import (
    Detector,
    Document,
    Hit,
    take_params,
)
from postguard.detectors.privacy.analysis import (
    _analyse,
    _hit,
)

# Asking for details in public
# --------------------------------------------------------------------------

_DETAIL = (
    r"(?:(?:baby'?s?|babies|her|his|your|little\s+one'?s|lo'?s)\s+)?(?:full\s+)?(?:birth\s*weight"
    r"|weight|weights|hospital|ward|address|home\s+address|post\s*code|zip(?:\s*code)?"
    r"|date\s+of\s+birth|d\.?o\.?b\.?|birthday|due\s+date|phone\s+number|mobile(?:\s+number)?"
    r"|number|full\s+name|surname|last\s+name|name|names|nhs\s+number|mrn|hospital\s+number"
    r"|medical\s+records?|medications?|meds|diagnosis|test\s+results|results|scan|bloods"
    r"|email(?:\s+address)?|location|town|area|insurance|details|birth\s+story|gp|doctor"
    r"|midwife|consultant|age|feeding\s+history|history|pic|pics|picture|pictures|photo|photos"
    r"|video|temperature|dose|symptoms)"
)
_SOLICIT = re.compile(
    r"\b(?:can|could|would|will)\s+you\s+(?:please\s+|pls\s+|plz\s+)?(?:tell|share|post|give|let"
    r"|list|comment|write|drop|add|include|confirm|provide|pop)\s+(?:us|me|everyone|the\s+group"
    rf"|here|below)?\s*(?:know\s+)?(?:with\s+us\s+)?(?:[\w'’]+\s+){{0,3}}?{_DETAIL}\b"
    r"|\bwhat(?:'s|’s|\s+is|\s+was|\s+were|\s+are)\s+(?:your|her|his|their|the\s+baby'?s|baby'?s"
    rf"|your\s+baby'?s|your\s+lo'?s)\s+(?:[\w'’]+\s+)?{_DETAIL}\b"
    r"|\bwhich\s+(?:hospital|clinic|ward|unit|town|area|city|gp|surgery|doctor|midwife|nicu)"
    r"\s+(?:are|were|was|did|is|do)\s+(?:you|she|he|they|your|her|his)\b"
    r"|\bwhere\s+(?:do|did)\s+you\s+(?:live|give\s+birth|deliver|have\s+(?:your|the)\s+baby)\b"
    r"|\bwhere\s+(?:are|were)\s+you\s+(?:based|living|staying|delivering)\b"
    r"|\bhow\s+much\s+(?:does|did)\s+(?:your|her|his|the)\s+(?:baby|lo|little\s+one)\s+weigh\b"
    r"|\bwhat\s+(?:dose|dosage|strength)\b|\bwhich\s+ones\b"
    r"|\bwhat\s+(?:medications?|meds|medicines?|drugs|antibiotics?|tablets)\s+(?:are|is|were"
    r"|was)\s+(?:you|she|he|they)\b"
    r"|\btell\s+us\s+(?:everything|more|all\s+about)\b"
    r"|\btag\s+the\s+(?:hospital|midwife|doctor|clinic|ward|nurse|gp|consultant)\b"
    r"|\btell\s+us\s+the\s+(?:midwife|doctor|nurse|gp|consultant|hospital)['’]?s?\s+name\b"
    r"|\b(?:reply|comment|respond|answer)\s+(?:below\s+|here\s+)?with\s+(?:your|her|his)\s+"
    r"(?:[\w'’]+\s+)?(?:postcode|address|phone|number|mobile|email|name|details|location|town"
    r"|hospital|due\s+date|date\s+of\s+birth|dob|weight)\b"
    r"|\b(?:post|share|upload|send)\s+(?:a\s+|some\s+)?(?:close[- ]?ups?|pic|pics|picture|pictures"
    r"|photo|photos|video|snap|shot)\s+of\s+(?:your|her|his|the|baby)\b"
    r"|\btag\s+your\s+(?:midwife|doctor|gp|consultant|nurse|health\s+visitor|hospital)\b"
    r"|\btell\s+us\s+which\s+(?:hospital|ward|clinic|unit|town|gp|midwife)\b"
    r"|\b(?:just\s+|please\s+|pls\s+)?(?:post|share|comment|drop|put|leave|write|list|tell\s+us"
    r"|pop)\s+(?:your|her|his|the\s+baby'?s|baby'?s)\s+(?:[\w'’]+\s+)?"
    rf"{_DETAIL}\b(?!\s+(?:privately|in\s+a\s+(?:dm|pm|private)|via\s+(?:dm|pm|email|our)"
    r"|by\s+(?:dm|email)|to\s+our\s+inbox))"
)
_PRIVATE_ROUTE = re.compile(
    r"\b(?:private(?:ly)?|dm|pm|direct\s+message|inbox|email\s+us|message\s+us|in\s+private"
    r"|by\s+email|via\s+email|call\s+us|helpline)\b"
)
_PUBLIC_ROUTE = re.compile(
    r"\b(?:isn'?t\s+needed|is\s+not\s+needed|not\s+needed|no\s+need|just\s+(?:post|share"
    r"|comment|drop|put|tell)|below|here|in\s+the\s+comments|publicly|on\s+this\s+(?:post"
    r"|thread))\b"
)
_NEGATED_BEFORE = re.compile(
    r"\b(?:don'?t|do\s+not|never|please\s+don'?t|avoid|no\s+need\s+to|without|asked\s+me\s+to"
    r"|wants?\s+me\s+to|happy\s+for\s+me\s+to)\s+(?:\w+\s+){0,2}$"
)


class DetailSolicitationDetector(Detector):
    """Publicly asking someone for more private details ("what's your due date and hospital?")."""

    name = "privacy.solicitation"
    categories = frozenset({"privacy.solicitation"})
    summary = "Asking a client or commenter in public for private details."

    def __init__(self, **params: Any) -> None:
        take_params(self.name, params, {})

    def detect(self, doc: Document) -> list[Hit]:
        a = _analyse(doc)
        if not (a.has("ask") and a.has("detail")):
            return []
        text, lower = a.text, a.lower
        hits: list[Hit] = []
        for m in _SOLICIT.finditer(lower):
            start, end = m.span()
            if _NEGATED_BEFORE.search(lower, max(0, start - 30), start):
                continue
            s, e = a.sentence_span(start)
            if _PRIVATE_ROUTE.search(lower, s, e) and not _PUBLIC_ROUTE.search(lower, s, e):
                continue
            hits.append(
                _hit("privacy.solicitation", text, start, end, 0.8, "asks for private details")
            )
        return hits
