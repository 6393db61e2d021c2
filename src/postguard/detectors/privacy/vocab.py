"""The privacy detectors' vocabularies, defined once and read from data files.

``data/privacy_vocab.txt`` holds the shared word lists (person nouns, kin,
names that are also words, months, weekdays); ``data/privacy_cues.txt`` the
cue phrases by group, written compactly: ``{my|our} {client|patient}`` is
four phrases, ``{$person_nouns}`` splices a shared list. ``given_names.txt``
and ``health_terms.txt`` are the lexicons. Every module of the package takes
its words from here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from pathlib import Path

_DATA = Path(__file__).resolve().parent.parent.parent / "data"


def _read_lines(name: str) -> list[str]:
    with open(_DATA / name, encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle if line.strip() and not line.startswith("#")]


def _words(block: str) -> list[str]:
    return block.split()


def _join(parts: Iterable[str]) -> str:
    # "she" + "'s" is written "she's", not "she 's".
    return " ".join(parts).replace(" '", "'").replace(" ’", "’")


def _product(*parts: Iterable[str]) -> list[str]:
    return [_join(p) for p in itertools.product(*parts)]


def read_sections(name: str) -> dict[str, list[str]]:
    """``[section]`` headers and one entry per line below them (``#`` comments)."""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in _read_lines(name):
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], [])
        elif current is None:
            raise ValueError(f"{name}: {line!r} comes before any [section]")
        else:
            current.append(line)
    return sections


_TEMPLATE_PART = re.compile(r"\{([^}]*)\}|(\S+)")


def expand(template: str, shared: dict[str, list[str]]) -> list[str]:
    """Every phrase a cue template stands for, in order.

    >>> expand("{my|our} {$nouns} now", {"nouns": ["client", "baby"]})
    ['my client now', 'my baby now', 'our client now', 'our baby now']
    """
    parts: list[list[str]] = []
    for m in _TEMPLATE_PART.finditer(template):
        if m.group(2) is not None:
            parts.append([m.group(2)])
            continue
        choices: list[str] = []
        for choice in m.group(1).split("|"):
            choices.extend(shared[choice[1:]] if choice.startswith("$") else [choice])
        parts.append(choices)
    return _product(*parts)


VOCAB: dict[str, list[str]] = read_sections("privacy_vocab.txt")

GIVEN_NAMES: frozenset[str] = frozenset(_read_lines("given_names.txt"))

HEALTH_TERMS: dict[str, str] = {}
for _line in _read_lines("health_terms.txt"):
    _term, _, _facet = _line.partition("\t")
    HEALTH_TERMS[_term.strip().lower()] = _facet.strip() or "condition"

#: Names that are also everyday words or places: only a strong context
#: ("baby Grace", "Summer's latch") makes them a person.
AMBIGUOUS_NAMES: frozenset[str] = frozenset(VOCAB["ambiguous_names"])

_MONTHS = VOCAB["months"]
_WEEKDAYS = VOCAB["weekdays"]
_PERSON_NOUNS = VOCAB["person_nouns"]
_KIN = VOCAB["kin"]
_ONE_PERSON = VOCAB["one_person"]

#: Cue phrases by group: what makes a sentence about a particular person, a
#: relation, a place, a facet of a person ... (``data/privacy_cues.txt``).
_CUES: dict[str, list[str]] = {
    group: [phrase for template in templates for phrase in expand(template, VOCAB)]
    for group, templates in read_sections("privacy_cues.txt").items()
}
