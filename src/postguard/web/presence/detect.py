"""What presence monitoring adds to the engine's triage of a mention found elsewhere:
term matching, and three small high-precision detectors.

* impersonation -- the author's handle or display name reads like the association's
  name or handle, or a member's name, without being it (the look-alike skeleton used
  at sign-up: ``lPALA``, ``IPALA_official``, ``ІРАLА`` in Cyrillic);
* a claimed endorsement -- the text says the association endorses, recommends,
  approves or partners with something ("endorsed by IPALA", "IPALA recommends");
* misinformation -- a short list of claims about breastfeeding and the WHO Code
  that the WHO and UNICEF state are false ("formula is as good as breast milk",
  "the WHO Code is not binding on health workers").

Limits, on purpose: the detectors read English only; the endorsement patterns need
the association's name next to the verb (a claim spread over two sentences is
missed); the misinformation list is short and literal, for precision, not recall --
anything else is left to the engine's findings and to the committee's reading.
Plain Python (no Django) so the tests and the benchmark can call it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from postguard.web.inbox.triage import ENDORSEMENT_CLAIM, IMPERSONATION, MISINFORMATION
from postguard.web.orgs.names import skeleton

__all__ = ["ENDORSEMENT_CLAIM", "IMPERSONATION", "MISINFORMATION", "Signal"]


@dataclass(frozen=True, slots=True)
class Signal:
    category: str
    evidence: str
    message: str

    def to_dict(self) -> dict[str, object]:
        return {
            "rule_id": self.category.replace("signal.", "presence."),
            "pack": "presence",
            "clause": "IPALA social media policy: monitoring; IBLCE advisory opinion: "
            "monitor one's presence online",
            "quote": "",
            "category": self.category,
            "severity": "review",
            "start": None,
            "end": None,
            "evidence": self.evidence[:200],
            "score": 1.0,
            "message": self.message,
            "fix": "Read the mention; answer or report it to the network as the playbook says.",
        }


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


@functools.lru_cache(maxsize=4096)
def _term_pattern(term: str) -> re.Pattern[str]:
    words = fold(term).lstrip("#@").split()
    body = r"[\s_\-]+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w]){body}(?![\w])")


def matches(text: str, term: str) -> bool:
    """Whether ``term`` appears in ``text`` as whole words (case-insensitive; a hashtag
    or handle matches with or without its ``#``/``@``)."""
    if not term.strip().lstrip("#@"):
        return False
    return _term_pattern(term).search(fold(text)) is not None


def find_terms(text: str, terms: Iterable[str]) -> tuple[str, ...]:
    """The terms that appear in ``text`` (the text is folded once for all of them)."""
    folded = fold(text)
    found = []
    for term in terms:
        words = _words(term)
        # A plain substring test first: most texts name no term, and it is far cheaper
        # than the word-boundary pattern.
        if words and words[0] in folded and _term_pattern(term).search(folded):
            found.append(term)
    return tuple(found)


@functools.lru_cache(maxsize=4096)
def _words(term: str) -> tuple[str, ...]:
    return tuple(fold(term).lstrip("#@").split())


_AFFIXES = re.compile(
    r"^(?:the|real|official|team|hq|info|news)+|(?:official|real|team|hq|info|news|org|uk|us)+$"
)


def _core(name: str) -> str:
    """A handle or name as it reads: the domain of a Bluesky handle, ``@`` and a
    Mastodon instance, separators and words an impersonator adds are dropped."""
    name = name.strip().lstrip("@")
    name = name.split("@", 1)[0]
    # alice.bsky.social -> alice; ipala.org -> ipala
    name = name.split(".", 1)[0] if "." in name and " " not in name else name
    plain = re.sub(r"[\s_.\-]+", "", fold(name))
    plain = _AFFIXES.sub("", plain) or plain
    return re.sub(r"[\s_.\-]+", "", skeleton(plain))


def impersonation(
    author: str, display_name: str, protected: Iterable[str], genuine: Iterable[str]
) -> Signal | None:
    """An author whose handle or display name reads as a protected name without being one
    of the genuine accounts. ``protected``: the association's names and handles and the
    members' names; ``genuine``: the association's own handles."""
    own = {fold(g).lstrip("@") for g in genuine if g.strip()}
    if fold(author).lstrip("@") in own:
        return None
    cores = {c: p for p in protected if len(c := _core(p)) >= 4}
    for shown in (author, display_name):
        if not shown or not shown.strip():
            continue
        core = _core(shown)
        if core in cores:
            name = cores[core]
            return Signal(
                IMPERSONATION,
                shown,
                f"The author {shown!r} reads like {name!r} but is not one of the "
                "association's accounts: possible impersonation.",
            )
    return None


_ENDORSE_AFTER = (
    r"(?:officially\s+|fully\s+|now\s+)?"
    r"(?:endorses?|endorsed|recommends?|recommended|approves?|approved|certifies|certified|"
    r"backs|sponsors|is\s+(?:partnering|partnered)\s+with|has\s+(?:endorsed|approved|"
    r"recommended|certified)|(?:says|said)\s+(?:to\s+)?(?:use|buy|try))"
)
_ENDORSE_BEFORE = (
    r"(?:endorsed|recommended|approved|certified|backed|sponsored|vetted)\s+by|"
    r"in\s+partnership\s+with|official\s+partner\s+of|with\s+the\s+(?:endorsement|approval|"
    r"blessing)\s+of"
)


def endorsement_claim(text: str, org_terms: Sequence[str]) -> Signal | None:
    """The text says the association endorses something."""
    folded = fold(text)
    for term in org_terms:
        words = fold(term).lstrip("#@").split()
        if not words:
            continue
        name = r"[\s_\-]+".join(re.escape(w) for w in words)
        after = re.search(rf"(?<!\w){name}(?!\w)[\s,'’s]{{0,4}}{_ENDORSE_AFTER}\b", folded)
        before = re.search(rf"\b(?:{_ENDORSE_BEFORE})\s+(?:the\s+)?{name}(?!\w)", folded)
        hyphen = re.search(rf"(?<!\w){name}[\s\-]+(?:approved|endorsed|certified)\b", folded)
        found = after or before or hyphen
        if found:
            return Signal(
                ENDORSEMENT_CLAIM,
                found[0],
                f"The text says {term} endorses or approves something. Check whether it "
                "did; the association endorses no product (WHO Code).",
            )
    return None


#: Claims the WHO and UNICEF state are false, each with the reason shown.
_MYTHS: tuple[tuple[str, str], ...] = (
    (
        r"\b(?:infant\s+)?formula\s+is\s+(?:just\s+)?(?:as\s+good\s+as|the\s+same\s+as|"
        r"better\s+than|equivalent\s+to|identical\s+to)\s+breast\s?(?:milk|feeding)\b",
        "says formula equals or beats breast milk",
    ),
    (
        r"\bbreast\s?(?:milk|feeding)\s+(?:has|gives|offers)\s+no\s+"
        r"(?:real\s+)?(?:benefits?|advantages?|antibodies)\b",
        "says breast milk has no benefits",
    ),
    (
        r"\b(?:the\s+)?(?:who|international)\s+code(?:\s+of\s+marketing\s+of\s+breast[\s-]?milk"
        r"\s+substitutes)?\s+(?:is|was)\s+(?:not\s+binding|obsolete|outdated|"
        r"no\s+longer\s+(?:valid|in\s+force|relevant)|repealed|withdrawn)\b",
        "says the WHO Code no longer applies",
    ),
    (
        r"\b(?:you\s+)?(?:must|should|have\s+to)\s+stop\s+breastfeeding\s+(?:if|when)\s+"
        r"(?:you\s+)?(?:have\s+)?(?:a\s+)?(?:cold|flu|fever|covid)\b",
        "says a cold or the flu means stopping breastfeeding",
    ),
    (
        r"\bsmall\s+breasts\s+(?:can(?:no|')t|cannot|do\s+not|don'?t)\s+(?:make|produce)\s+"
        r"enough\s+milk\b",
        "says breast size limits milk supply",
    ),
)
_MYTH_PATTERNS = tuple((re.compile(p), reason) for p, reason in _MYTHS)


def misinformation(text: str) -> Signal | None:
    folded = fold(text)
    for pattern, reason in _MYTH_PATTERNS:
        found = pattern.search(folded)
        if found:
            return Signal(
                MISINFORMATION,
                found[0],
                f"The text {reason}, which the WHO and UNICEF state is false: "
                "possible misinformation about breastfeeding or the WHO Code.",
            )
    return None


def pattern_count() -> int:
    """How many misinformation patterns there are (a test gives each an example)."""
    return len(_MYTH_PATTERNS)
