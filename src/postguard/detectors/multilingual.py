"""Offensive language, negative feedback, complaints and crises in other languages.

The English detectors (``language.*``, ``signal.*``) read English. This one
reads Spanish, French, Portuguese, German, Tagalog (and Taglish) and
Hindi-English in Latin script, from the phrase table
``data/multilingual_vocab.txt``: a ``[language category]`` section per
language and category, one ``phrase = example`` a line. A language's
phrases are looked for only in a text that :mod:`postguard.langid` finds in
that language (by its model or by two of the language's cue words), so that
a word harmless in one language and rude in another fires only where it is
rude. Phrases match whole words, ignoring case and accents.

The hits carry the English detectors' categories, so the rules that already
name those categories (IBLCE and IPALA packs) list this detector beside
them: a finding in Spanish has the same rule, clause, severity and fix as
its English counterpart. The table is small and high-precision by design;
its figures per language are in docs/benchmarks.md.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import re2

from postguard.detectors.base import Detector, Document, Hit
from postguard.langid import LANGUAGES, document_language
from postguard.lazy_re2 import lazy

CATEGORIES = {
    "profanity": "language.profanity",
    "harassment": "language.harassment",
    "negative": "signal.negative",
    "complaint": "signal.complaint",
    "crisis": "signal.crisis",
}
_DATA = Path(__file__).resolve().parent.parent / "data" / "multilingual_vocab.txt"
#: The score of a hit: a phrase of a high-precision table, in a text of its language.
SCORE = 0.9


def _fold_table() -> dict[int, str]:
    """Accented Latin letters to their base letter, one character for one (offsets hold)."""
    table = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)
        if len(base) > 1 and base[0].isascii() and base[0].isalpha():
            table[code] = base[0]
    return table


FOLD = _fold_table()


def fold(text: str) -> str:
    """``text`` lower-cased without accents, the same length as ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = text
    return lowered.replace("’", "'").translate(FOLD)


@cache
def table() -> dict[tuple[str, str], list[tuple[str, str]]]:
    """(language, category key) -> [(phrase, example)], as written in the data file."""
    sections: dict[tuple[str, str], list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for number, raw in enumerate(_DATA.read_text("utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            lang, _, key = line[1:-1].partition(" ")
            if lang not in LANGUAGES or key not in CATEGORIES:
                raise ValueError(f"{_DATA.name}:{number}: unknown section {line}")
            current = sections.setdefault((lang, key), [])
            continue
        phrase, sep, example = line.partition(" = ")
        if current is None or not sep or not phrase.strip() or not example.strip():
            raise ValueError(f"{_DATA.name}:{number}: expected 'phrase = example' in a section")
        current.append((phrase.strip(), example.strip()))
    return sections


_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = True  # the text is folded (lower case) first


def phrase_pattern(phrase: str) -> str:
    """The RE2 body for one table phrase (folded; a trailing ``*`` lets the word go on)."""
    stem = fold(phrase.rstrip("*"))
    body = str(re2.escape(stem)).replace("\\ ", r"\s+")
    return body + r"\pL*" if phrase.endswith("*") else body


@cache
def _patterns() -> dict[str, list[tuple[str, Any]]]:
    """language -> [(category, pattern)]."""
    out: dict[str, list[tuple[str, Any]]] = {}
    for (lang, key), entries in table().items():
        body = "|".join(
            phrase_pattern(p) for p, _ in sorted(entries, key=lambda e: len(e[0]), reverse=True)
        )
        rx = lazy(rf"(?:^|[^\pL\pN_])({body})(?:$|[^\pL\pN_])", _OPTIONS)
        out.setdefault(lang, []).append((CATEGORIES[key], rx))
    return out


class MultilingualDetector(Detector):
    name = "multilingual"
    categories: ClassVar[frozenset[str]] = frozenset(CATEGORIES.values())
    summary = (
        "Profanity, harassment, negative feedback, complaints and crises in Spanish, French, "
        "Portuguese, German, Tagalog/Taglish and Hindi-English, from a phrase table read "
        "in texts identified as that language"
    )

    def detect(self, doc: Document) -> list[Hit]:
        present = document_language(doc).present
        if not present:
            return []
        folded = fold(doc.text)
        hits: list[Hit] = []
        seen: set[tuple[str, int, int]] = set()
        patterns = _patterns()
        for lang in sorted(present):
            for category, rx in patterns.get(lang, ()):
                for match in rx.finditer(folded):
                    start, end = match.span(1)
                    if (category, start, end) in seen:
                        continue
                    seen.add((category, start, end))
                    hits.append(
                        Hit(
                            category,
                            start,
                            end,
                            doc.text[start:end],
                            SCORE,
                            note=f"{lang} vocabulary",
                        )
                    )
        hits.sort(key=lambda h: (h.start or 0, h.category))
        return hits
