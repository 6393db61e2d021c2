"""What every privacy detector shares about a document, computed once.

One Aho-Corasick pass over the lexicons and cue phrases, the sentences,
which sentences are about a particular person, the case-narrative model's
scores: :class:`_Analysis`, cached on the :class:`Document`.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from functools import cache, cached_property
from pathlib import Path

import ahocorasick

from postguard.detectors import _linear_model
from postguard.detectors.base import (
    Document,
    Hit,
    span_hit,
)
from postguard.detectors.privacy.vocab import (
    _CUES,
    GIVEN_NAMES,
    HEALTH_TERMS,
    _words,
)
from postguard.detectors.text import PhraseMatch, drop_overlaps, sentences

_DATA = Path(__file__).resolve().parent.parent.parent / "data"

#: The case-narrative model (``scripts/train_privacy_model.py``; see privacy_model.md).
PRIVACY_MODEL_PATH = _DATA / "privacy_model.json"
PRIVACY_MODEL_FORMAT = "postguard-privacy-logreg/1"


@cache
def load_privacy_model() -> _linear_model.LinearModel | None:
    """The shipped case-narrative model, or ``None`` when it is not installed.

    Without it the detectors fall back to the rules alone.
    """
    try:
        blob = PRIVACY_MODEL_PATH.read_text("utf-8")
    except OSError:
        return None
    return _linear_model.linear_model_from_json(json.loads(blob), PRIVACY_MODEL_FORMAT)


def _add_apostrophe_variants(phrases: list[str]) -> list[str]:
    out = list(phrases)
    for p in phrases:
        if "'" in p:
            out.append(p.replace("'", "’"))
        elif "’" in p:
            out.append(p.replace("’", "'"))
    return out


def _build_automaton() -> ahocorasick.Automaton:
    table: dict[str, list[str]] = {}
    for name in GIVEN_NAMES:
        table.setdefault(name, []).append("name")
    for term, facet in HEALTH_TERMS.items():
        table.setdefault(term, []).append("health:" + facet)
    for group, phrases in _CUES.items():
        for phrase in _add_apostrophe_variants(phrases):
            labels = table.setdefault(phrase.lower(), [])
            if "@" + group not in labels:
                labels.append("@" + group)
    automaton = ahocorasick.Automaton()
    for key, labels in table.items():
        cue_groups = tuple(label[1:] for label in labels if label[0] == "@")
        lexical = tuple(label for label in labels if label[0] != "@")
        automaton.add_word(key, (len(key), key, cue_groups, lexical))
    automaton.make_automaton()
    return automaton


_AUTOMATON = _build_automaton()


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# Shared patterns
# --------------------------------------------------------------------------

_MONTH_RE: str = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY_RE: str = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)day"
_ORDINAL_WORDS: str = (
    r"(?:(?:twenty|thirty)[- ])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
    r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth"
    r"|nineteenth|twentieth|thirtieth)"
)
_DATE_RE: str = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    rf"|(?:the\s+)?{_ORDINAL_WORDS}\s+(?:of\s+)?{_MONTH_RE}\b(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}\b(?:,?\s+\d{{4}})?"
    rf"|{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?)"
)
_TIME_RE: str = (
    r"(?:\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?|\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)"
    r"|midnight|noon)"
)
_GEST_RE: str = r"(?:\d{2}\s*\+\s*\d\b|\d{2}\s*weeks?(?:\s*(?:and|\+)\s*\d\s*days?)?)"
_RELDAY_RE: str = (
    rf"(?:(?:last|this\s+past|on|this)\s+{_WEEKDAY_RE}|{_WEEKDAY_RE}|yesterday|today|last\s+night"
    r"|(?:early\s+)?this\s+(?:morning|afternoon|evening)|(?:early\s+)?yesterday\s+morning"
    r"|(?:in\s+the\s+)?early\s+hours(?:\s+of\s+\w+)?|christmas\s+(?:day|eve|morning|night)"
    r"|boxing\s+day|the\s+\d{1,2}(?:st|nd|rd|th)\b"
    r"|new\s+year'?s\s+(?:day|eve)|valentine'?s\s+day|mother'?s\s+day|easter\s+\w+day"
    r"|last\s+night)"
)

_WORD_BEFORE = re.compile(r"([\w'’.&@-]+)[^\w\n]*$")
_WORD_AFTER = re.compile(r"[^\w\n]*([\w'’-]+)")
_ANY_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d")

#: A health term predicated directly of someone: "she has mastitis", "I'm on sertraline".
_PREDICATED = re.compile(
    r"\b(?:i|she|he|baby|bubba|we|they)(?:'ve|’ve|'s|’s|'m|’m|'d|’d|\s+has|\s+have|\s+had"
    r"|\s+is|\s+am|\s+was|\s+were|\s+got|\s+developed|\s+needed|\s+needs)\s+"
    r"(?:got\s+|been\s+|just\s+|now\s+|still\s+|also\s+|recently\s+|then\s+|since\s+)*"
    r"(?:diagnosed\s+with\s+|on\s+|taking\s+|having\s+|had\s+|suffering\s+(?:from|with)\s+"
    r"|recovering\s+from\s+|struggling\s+with\s+|treated\s+for\s+|admitted\s+with\s+)?"
    r"(?:a\s+|an\s+|the\s+)?(?:bad\s+|severe\s+|mild\s+|recurrent\s+|another\s+|really\s+bad\s+"
    r"|suspected\s+|possible\s+|confirmed\s+)?$"
)


#: Generic words a case story uses too ("still some clicking", "a mum whose baby ...").
_WEAK_GENERIC = frozenset(
    [
        *_words("many most some any every always never might remember someone anyone"),
        *["a mother", "a mother's", "a mum", "a mum's", "a mom", "a parent", "a woman"],
        *["need to", "needs to"],
    ]
)
#: Clinical shorthand of one case: "G2P1", "38+4", "6/52", "3/7", "EBL 600", "SBR 280", "Hb 84".
_SHORTHAND = re.compile(
    r"(?=[\dgesdhc])(?<![\w/+])(?:g\d{1,2}\s?p\d{1,2}\b|[23]\d\s?\+\s?[0-6](?![\d%])"
    r"|\d{1,2}/(?:52|40)(?![\d/])|[1-6]/7(?![\d/])|(?:ebl|sbr|hb|crp)\s?\d{2,4}(?:\s?ml)?\b"
    r"|\d{2}[- ]weeker\b|day\s+\d{1,2}(?=\s*[,:;]|\s+(?:now|pp))"
    r"|\d+(?:\.\d+)?\s?kg\s*(?:→|->|to)\s*\d+(?:\.\d+)?\s?kg)"
)
_ACCENTED = re.compile(r"[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f]")
_TOKEN = re.compile(
    r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f]*"
    r"[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"
    r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f]*"
)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _folded_names(text: str) -> list[PhraseMatch]:
    """Gazetteer names written with accents or tone marks ("Oisín", "Adébáyọ̀")."""
    out: list[PhraseMatch] = []
    if _ACCENTED.search(text) is None:
        return out
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        if not word[0].isupper() or (m.start() and text[m.start() - 1].isalnum()):
            continue
        folded = _fold(word)
        if folded in GIVEN_NAMES:
            out.append(PhraseMatch(m.start(), m.end(), folded, "name"))
    return out


class _Analysis:
    """What every privacy detector wants to know about a document, computed once."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.text = doc.text
        self.lower = doc.lower
        self.kind = doc.context.kind
        self.direction = doc.context.direction
        self.sents: list[tuple[int, int]] = list(sentences(self.text))
        self.sent_starts = [s for s, _ in self.sents]
        self.has_digit = _ANY_DIGIT.search(self.text) is not None
        self._with_cache: dict[str, set[int]] = {}
        self._sentence_cache: dict[tuple[str, int], bool] = {}
        lexical: list[PhraseMatch] = []
        cues: dict[str, list[tuple[int, int]]] = {}
        lower = self.lower
        n = len(lower)
        for end_index, (length, key, cue_groups, lexical_labels) in _AUTOMATON.iter(lower):
            end = end_index + 1
            start = end - length
            # Keys start and end with word characters, so only the neighbours matter.
            if start > 0 and (lower[start - 1].isalnum() or lower[start - 1] == "_"):
                continue
            if end < n and (lower[end].isalnum() or lower[end] == "_"):
                continue
            for group in cue_groups:
                if group in cues:
                    cues[group].append((start, end))
                else:
                    cues[group] = [(start, end)]
            for label in lexical_labels:
                lexical.append(PhraseMatch(start, end, key, label))
        if not self.text.isascii():
            lexical.extend(_folded_names(self.text))
        lexical = drop_overlaps(lexical)
        self.cues = cues
        self.names = [m for m in lexical if m.label == "name"]
        self.health = [m for m in lexical if m.label[0] == "h"]

    def has(self, group: str) -> bool:
        return group in self.cues

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def sentence_span(self, pos: int) -> tuple[int, int]:
        if not self.sents:
            return 0, len(self.text)
        return self.sents[self.sentence_of(pos)]

    def _sentences_with(self, group: str) -> set[int]:
        # Cached: callers ask once per match, and a long text has many matches.
        found = self._with_cache.get(group)
        if found is None:
            found = {self.sentence_of(s) for s, _ in self.cues.get(group, ())}
            self._with_cache[group] = found
        return found

    def sentence_has(self, rx: re.Pattern[str], pos: int) -> bool:
        """Whether ``rx`` occurs in the sentence around ``pos``, searched once per sentence:
        a text with no sentence break would otherwise be rescanned for every match in it."""
        index = self.sentence_of(pos)
        key = (rx.pattern, index)
        found = self._sentence_cache.get(key)
        if found is None:
            s, e = self.sentence_span(pos)
            found = rx.search(self.text, s, e) is not None
            self._sentence_cache[key] = found
        return found

    @cached_property
    def generic_sentences(self) -> set[int]:
        return self._sentences_with("generic")

    @cached_property
    def strong_generic_sentences(self) -> set[int]:
        """Generic sentences whose wording a case story would not use ("if", "research")."""
        lower = self.lower
        return {
            self.sentence_of(s)
            for s, e in self.cues.get("generic", ())
            if lower[s:e] not in _WEAK_GENERIC
            and not lower.endswith(("know ", "wonder ", "wondering ", "check "), max(0, s - 10), s)
        }

    @cached_property
    def case_sentences(self) -> set[int]:
        """Sentences of an outbound case story: near a person, an identifier or case shorthand."""
        if self.direction == "inbound":
            return set()
        seeds = set(self.identified_sentences) | self._sentences_with("tie1")
        seeds |= {self.sentence_of(s) for s, _e, _sc, _n in self.people}
        if self.has_digit:
            lower = self.lower
            seeds |= self.age_tie_sentences
            seeds |= {self.sentence_of(m.start()) for m in _SHORTHAND.finditer(lower)}
        if not seeds:
            return set()
        strong = self.strong_generic_sentences
        n = len(self.sents)
        return {
            j
            for i in seeds
            for j in range(max(0, i - 2), min(n, i + 3))
            if j not in strong or j in seeds
        }

    @cached_property
    def client_context(self) -> bool:
        """An outbound text that shows the person it greets is a client."""
        return self.direction == "outbound" and "client" in self.cues

    @cached_property
    def people(self) -> list[tuple[int, int, float, str]]:
        """Person-name candidates with default settings, for the other detectors' ties."""
        return _find_people(self, frozenset(), allow_signature=True)

    @cached_property
    def tie_sentences(self) -> set[int]:
        """Indices of sentences that are about a particular person."""
        tied: set[int] = set()
        for start, _end, _score, _note in self.people:
            tied.add(self.sentence_of(start))
        if self.direction == "inbound":
            # Someone telling us about their own baby to ask for help: their
            # details become a case only when they name or date the baby.
            return tied
        tied |= self._sentences_with("tie1") | self._sentences_with("tie_self")
        tied |= self.age_tie_sentences
        generic = self.generic_sentences
        # In a reply, "he", "her supply" are the reader's own family: advice, not a case.
        weak = self._sentences_with("tie2") if self.kind != "reply" else set()
        if self.kind != "post":
            weak |= self._sentences_with("tie_your")
        tied |= weak - generic
        return tied

    @cached_property
    def identified_sentences(self) -> set[int]:
        """Sentences holding a direct identifier (name, record number, ward, birth date...)."""
        found = {self.sentence_of(s) for s, _e, _sc, _n in self.people}
        text, lower = self.text, self.lower
        if self.has_digit and "birth" in self.cues:
            found |= {self.sentence_of(m.start()) for m in _BIRTH_DATE.finditer(lower)}
        if self.has_digit and "id" in self.cues:
            found |= {self.sentence_of(m.start()) for m in _ID_NUMBER.finditer(lower)}
        found |= {self.sentence_of(h.start or 0) for h in self.care_locations}
        if "@" in text:
            found |= {
                self.sentence_of(start)
                for start, end in _entity_spans(self.doc, "email")
                if text[start:end].split("@", 1)[0].lower() not in _ROLE_LOCALPARTS
            }
        return found

    @cached_property
    def health_items(self) -> list[tuple[int, int, str]]:
        return _health_items(self)

    @cached_property
    def person_sentences(self) -> set[int]:
        return _person_sentences(self)

    @cached_property
    def age_tie_sentences(self) -> set[int]:
        """Sentences with an age that points at one person ("a 41-year-old client")."""
        if not self.has_digit:
            return set()
        lower = self.lower
        found = {self.sentence_of(m.start()) for m in _AGE_YO.finditer(lower)}
        if "old" in lower:
            for m in _AGE_UNIT_OLD.finditer(lower):
                if _AGE_TIE_BEFORE.search(lower, max(0, m.start() - 8), m.start()):
                    found.add(self.sentence_of(m.start()))
        return found

    @cached_property
    def model_scores(self) -> dict[str, float]:
        """The case-narrative model's probabilities (computed on first use only)."""
        model = load_privacy_model()
        return model.scores(self.text) if model is not None else {}

    def model_says(self, head: str) -> bool:
        """Whether the model is confident that the text is a case of kind ``head``."""
        model = load_privacy_model()
        if model is None or self.direction != "outbound":
            return False
        return self.model_scores.get(head, 0.0) >= model.thresholds.get(head, 1.0)

    @cached_property
    def care_locations(self) -> list[Hit]:
        """Places of care tied to a person (shared by the location and health detectors)."""
        return _find_care_locations(self)

    def tied(self, pos: int) -> bool:
        """Whether the sentence at ``pos`` is about a particular person (a case)."""
        i = self.sentence_of(pos)
        ties = self.tie_sentences
        if i in ties:
            return True
        if "narrative" not in self.cues or i in self.generic_sentences:
            return False
        return any(abs(i - j) <= 2 for j in ties)


#: "a 41-year-old client", "34yo mum": an age makes the sentence about one person.
_AGE_UNIT_OLD = re.compile(
    r"(?=\d)(?<![\w.-])\d{1,2}[- ]?(?:year|yr|week|wk|day|month|hour|hr)s?[- ]old\b"
)
#: What comes before an age that points at one person: "a", "my", or the start of a sentence.
_AGE_TIE_BEFORE = re.compile(r"(?:\b(?:a|an|the|my|her|his|our|this)\s+|^\s*|[.!?]\s+)$")
_KEY = "_postguard_privacy"


def _analyse(doc: Document) -> _Analysis:
    cached = doc.__dict__.get(_KEY)
    if not isinstance(cached, _Analysis) or cached.text is not doc.text:
        cached = _Analysis(doc)
        doc.__dict__[_KEY] = cached
    return cached


def _word_before(text: str, pos: int, span: int = 40) -> str:
    m = _WORD_BEFORE.search(text, max(0, pos - span), pos)
    return m.group(1).lower().rstrip(".") if m else ""


def _hit(category: str, text: str, start: int, end: int, score: float, note: str) -> Hit:
    return span_hit(category, text, start, end, score=round(score, 2), note=note)


# The families' own modules use _Analysis, and _Analysis's cached views use
# them: imported last, once everything above is defined (the package's
# __init__ imports this module first).
from postguard.detectors.privacy.contact import (  # noqa: E402
    _ID_NUMBER,
    _ROLE_LOCALPARTS,
    _entity_spans,
)
from postguard.detectors.privacy.dates import (  # noqa: E402
    _AGE_YO,
    _BIRTH_DATE,
)
from postguard.detectors.privacy.health import (  # noqa: E402
    _health_items,
)
from postguard.detectors.privacy.people import (  # noqa: E402
    _find_people,
)
from postguard.detectors.privacy.places import (  # noqa: E402
    _find_care_locations,
    _person_sentences,
)
