"""Generic detectors that let an organization write rules without code.

An employer pack or a community policy can say "flag these phrases" or "flag
text matching this pattern" and give the category to report. Patterns are
compiled with RE2 (linear time), so a pack author cannot write a regex that
hangs the engine.
"""

from __future__ import annotations

from typing import Any

import re2

from postguard.detectors.base import Detector, DetectorConfigError, Document, Hit, take_params
from postguard.detectors.text import PhraseMatcher

_KNOWN_FAMILIES = (
    "privacy.",
    "imagery.",
    "language.",
    "commercial.",
    "attribution.",
    "clinical.",
    "information.",
    "voice.",
    "signal.",
    "policy.",
)


def _category(name: str, params: dict[str, Any]) -> str:
    category = params.get("category")
    if not isinstance(category, str) or not category.startswith(_KNOWN_FAMILIES):
        raise DetectorConfigError(
            f"detector {name!r} needs a category from the vocabulary"
            f" (a name starting with one of {', '.join(_KNOWN_FAMILIES)})"
        )
    return category


class PatternDetector(Detector):
    """Flags every match of any of ``patterns`` (RE2 syntax, case-insensitive)."""

    name = "pattern"
    categories = frozenset({"*"})
    summary = "Text matching one of the pack's regular expressions (RE2, case-insensitive)."

    def __init__(self, **params: Any) -> None:
        p = take_params(self.name, params, {"patterns": list, "category": str, "note": str})
        self.category = _category(self.name, p)
        self.note = p.get("note", "")
        patterns = p.get("patterns") or []
        if not patterns or not all(isinstance(x, str) and x for x in patterns):
            raise DetectorConfigError("detector 'pattern' needs patterns: a list of regexes")
        options = re2.Options()
        options.case_sensitive = False
        # RE2 would also log a bad pattern to stderr, breaking the one-line error.
        options.log_errors = False
        self._compiled = []
        for pattern in patterns:
            try:
                self._compiled.append(re2.compile(pattern, options))
            except re2.error as exc:
                reason = exc.args[0] if exc.args else exc
                if isinstance(reason, bytes):
                    reason = reason.decode("utf-8", errors="replace")
                raise DetectorConfigError(f"pattern {pattern!r} is not valid: {reason}") from None

    def detect(self, doc: Document) -> list[Hit]:
        hits: list[Hit] = []
        for regex in self._compiled:
            for match in regex.finditer(doc.text):
                if match.end() > match.start():
                    hits.append(
                        Hit(
                            self.category,
                            match.start(),
                            match.end(),
                            match.group(0),
                            1.0,
                            note=self.note,
                        )
                    )
        return hits


class LexiconDetector(Detector):
    """Flags whole-word occurrences of any of ``phrases``."""

    name = "lexicon"
    categories = frozenset({"*"})
    summary = "Any of the pack's phrases, as whole words, case-insensitive."

    def __init__(self, **params: Any) -> None:
        p = take_params(self.name, params, {"phrases": list, "category": str, "note": str})
        self.category = _category(self.name, p)
        self.note = p.get("note", "")
        phrases = p.get("phrases") or []
        if not phrases or not all(isinstance(x, str) and x.strip() for x in phrases):
            raise DetectorConfigError("detector 'lexicon' needs phrases: a list of words")
        self._matcher = PhraseMatcher(phrases)

    def detect(self, doc: Document) -> list[Hit]:
        return [
            Hit(self.category, m.start, m.end, doc.text[m.start : m.end], 1.0, note=self.note)
            for m in self._matcher.find(doc.lower)
        ]
