"""Language detectors: profanity, harassment and biased statements.

IBLCE's advisory opinion asks IBCLCs to "express views and opinions in a
respectful manner avoiding the use of vulgar language", says social media "is
not a tool to be used to harass or victimise", and names biased statements
about the characteristics in CPC 6.3 as something community policies govern.

All three detectors share one idea: a cheap Aho-Corasick pass over the
lower-cased text finds candidate words, and only the few documents that have
candidates pay for regexes or the statistical model. Lactation vocabulary
(breast, nipple, latch, suck, boob, vagina ...) is never vulgar here.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np
from numpy.typing import NDArray

from postguard.detectors import _linear_model, _profanity_model, _public_models
from postguard.detectors.base import (
    Detector,
    DetectorConfigError,
    Document,
    Hit,
    span_hit,
    take_params,
)
from postguard.detectors.frames import frame_hits
from postguard.detectors.normalise import fold_with_offsets, needs_folding
from postguard.detectors.text import (
    MAX_SENTENCE_CHARS,
    PhraseMatch,
    PhraseMatcher,
    sentences,
    word_regex,
)

__all__ = [
    "BiasDetector",
    "HarassmentDetector",
    "ProfanityDetector",
    "load_lexicon",
    "profanity_scores",
]


# --------------------------------------------------------------------------
# lexicon files


@cache
def load_lexicon(filename: str) -> dict[str, tuple[str, ...]]:
    """Read a ``[section]``-grouped lexicon from ``postguard/data``.

    Returns section name -> phrases (lower-cased, in file order). Lines
    starting with ``#`` and blank lines are ignored; a phrase that starts
    with ``#`` (a hashtag) is written with a backslash before it: ``\\#ad``.
    """
    text = resources.files("postguard.data").joinpath(filename).read_text(encoding="utf-8")
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1].strip(), [])
            continue
        if current is None:
            raise ValueError(f"{filename}:{number}: phrase before any [section]")
        current.append(line.removeprefix("\\").lower())
    return {name: tuple(phrases) for name, phrases in sections.items()}


def _str_list(name: str, key: str, value: Any) -> tuple[str, ...]:
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise DetectorConfigError(f"detector {name!r}: {key} must be a list of non-empty strings")
    return tuple(item.strip().lower() for item in value)


def _sentence_of(bounds: list[tuple[int, int]], pos: int) -> int:
    """Index of the sentence containing ``pos`` (bounds are sorted; a position
    between sentences belongs to the last one)."""
    index = bisect.bisect_right(bounds, (pos, math.inf)) - 1
    if index >= 0 and pos < bounds[index][1]:
        return index
    return len(bounds) - 1 if bounds else 0


# --------------------------------------------------------------------------
# the profanity model


class _Model:
    """alt-profanity-check's model (``_profanity_model``: its exported
    parameters, scored with numpy and no scikit-learn), batched: one
    vectorisation and one product per batch instead of ``predict_prob``'s
    per-call validation and per-row ``apply_along_axis`` (a test checks the
    scores agree with ``predict_prob``).
    """

    def __init__(self) -> None:
        self.exported = _profanity_model.ProfanityModel()
        self.weights: NDArray[np.float64] = self.exported.weights
        self.intercepts = self.exported.intercepts
        self.slopes = self.exported.slopes
        self.offsets = self.exported.offsets
        self.vocabulary: dict[str, int] = self.exported.vocabulary

    def scores(self, texts: Sequence[str]) -> NDArray[np.float64]:
        return self.exported.scores(texts)

    def probability(self, summed_decision: float) -> float:
        """The probability if every classifier's w·x equalled ``summed_decision``."""
        decision = summed_decision + self.intercepts
        return float(np.mean(1.0 / (1.0 + np.exp(decision * self.slopes + self.offsets))))

    def trigger_words(self, threshold: float, max_tokens: int = 4) -> dict[str, float]:
        """Vocabulary words that can lift a sentence to ``threshold``.

        With L2-normalised TF-IDF features, a sentence of ``n`` distinct
        vocabulary words whose weights are all at most ``t`` has
        w·x <= t·sqrt(n). So a sentence without any word weighing more than
        S/sqrt(max_tokens) (S being the w·x the threshold needs) cannot
        reach it unless it has more than ``max_tokens`` such words; the
        prefilter sends only sentences with a trigger word to the model.
        """
        low, high = 0.0, 50.0
        for _ in range(60):
            mid = (low + high) / 2
            if self.probability(mid) >= threshold:
                high = mid
            else:
                low = mid
        floor = high / math.sqrt(max_tokens)
        strongest = self.weights.max(axis=1)
        return {
            word: float(self.weights[index].mean())
            for word, index in self.vocabulary.items()
            if strongest[index] > floor
        }


@cache
def _model() -> _Model:
    return _Model()


def profanity_scores(texts: Sequence[str]) -> list[float]:
    """The profanity model's probability for each text, in one batch."""
    return [float(x) for x in _model().scores(texts)]


# --------------------------------------------------------------------------
# profanity

_PROFANE_SECTIONS = ("vulgar", "mild", "slur", "obfuscated")
_MASK_SECTIONS = ("clinical", "insult")

# Obfuscated spellings the lexicon cannot list one by one: f*ck, f**king,
# sh!t, b!tch, a$$hole ... (symbols standing in for letters).
_OBFUSCATED = re.compile(
    r"(?<![\w*@#$!])(?:"
    r"f[\W_]{0,2}[u*@#!$%v]?[\W_]{0,2}[c*@#!$%k]{1,2}[\W_]{0,2}k?(?:ing|in|ed|er|s)?"
    r"|(?:bull|horse|ape|bat|dip|chicken)?sh[\W_]{0,2}[i1!*][\W_]{0,2}t(?:ty|s|e|e?head)?"
    r"|b[\W_]{0,2}[i1!*][\W_]{0,2}[t*][\W_]{0,2}c?h(?:es|ing|y)?"
    r"|a[\W_]{0,2}[s$*]{2}(?:hole)?"
    r"|c[\W_]{0,2}[u*][\W_]{0,2}[n*][\W_]{0,2}t"
    r")(?![\w*@#$!])",
    re.IGNORECASE,
)
_SYMBOL = re.compile(r"[*@#$!%]")
# Spelled out letter by letter ("f.u.c.k", "F U C K", "s-h-i-t"), and the
# bare initial standing for the word ("what the f", "whatever the f works").
_SPELLED = re.compile(
    r"(?<![\w.])(?:f[\s.*_-]{1,2}u[\s.*_-]{1,2}c[\s.*_-]{1,2}k|s[\s.*_-]{1,2}h[\s.*_-]{1,2}i"
    r"[\s.*_-]{1,2}t|c[\s.*_-]{1,2}u[\s.*_-]{1,2}n[\s.*_-]{1,2}t|b[\s.*_-]{1,2}i[\s.*_-]{1,2}t"
    r"[\s.*_-]{1,2}c[\s.*_-]{1,2}h)(?:[\s.*_-]{1,2}(?:i[\s.*_-]{1,2}n[\s.*_-]{1,2}g|e[\s.*_-]{1,2}d))?"
    r"\.?(?![\w])"
    r"|\b(?:what(?:ever)?|who|how|why|where|when)\s+the\s+f\b(?![-’'.]?\s*word)"
    r"|\bf\s+(?:off|this|that|you|me|it\s+all)\b",
    re.IGNORECASE,
)
_ALPHA_WORD = re.compile(r"[a-z]+")
_SPELLED_GATE_WORDS = (
    *(
        f"{a}{sep}{b}{sep}{c}"
        for a, b, c in ("fuc", "shi", "cun", "bit")
        for sep in (" ", ".", "-", "*", "_", ". ", "  ")
    ),
    "the f",
    "f off",
    "f you",
)


class ProfanityDetector(Detector):
    """Vulgar language: a lexicon for spans, the profanity model for the rest.

    Params: ``threshold`` (model probability for a sentence with no lexicon
    match, default 0.8), ``extra_words`` (more profanities),
    ``allow_words`` (words never reported and hidden from the model).
    """

    name = "language.profanity"
    categories = frozenset({"language.profanity"})
    summary = "Vulgar or profane words, including obfuscated spellings (f*ck, sh!t)."

    def __init__(self, **params: Any) -> None:
        p = take_params(
            self.name,
            params,
            {
                "threshold": (float, int),
                "extra_words": list,
                "allow_words": list,
                "public_model": bool,
            },
        )
        self._public = bool(p.get("public_model", True))
        threshold = float(p.get("threshold", 0.8))
        if not 0.0 < threshold <= 1.0:
            raise DetectorConfigError(f"detector {self.name!r}: threshold must be in (0, 1]")
        self.threshold = threshold
        extra = _str_list(self.name, "extra_words", p.get("extra_words", []))
        allow = set(_str_list(self.name, "allow_words", p.get("allow_words", [])))
        self._matcher, self._masker, self._triggers = _profanity_tables(
            threshold, extra, frozenset(allow)
        )
        self._allow = allow
        lexicon = load_lexicon("profanity.txt")
        self._interjections = frozenset(lexicon["interjection"]) - frozenset(extra)
        self._praise = word_regex(lexicon["praise"])

    def detect(self, doc: Document) -> list[Hit]:
        return self.detect_many([doc])[0]

    def detect_many(self, docs: Sequence[Document]) -> list[list[Hit]]:
        results: list[list[Hit]] = []
        pending: list[tuple[int, int, int, str]] = []  # doc, span of the word, masked sentence
        for doc_index, doc in enumerate(docs):
            lower = doc.lower
            hits: list[Hit] = []
            triggers: list[PhraseMatch] = []
            exclamations: list[PhraseMatch] = []
            excused: set[int] = set()
            for match in self._matcher.find(lower):
                if match.label in _PROFANE_SECTIONS:
                    if match.phrase in self._interjections:
                        exclamations.append(match)
                    else:
                        hits.append(self._hit(doc, match.start, match.end, "lexicon"))
                elif match.label == "trigger":
                    triggers.append(match)
            if exclamations:
                excused = self._in_praise(doc, hits, exclamations)
                for match in exclamations:
                    if match.start not in excused:
                        hits.append(self._hit(doc, match.start, match.end, "lexicon"))
            spelled = next(_spelled_gates().iter(lower), None) is not None
            symbols = any(c in lower for c in "*@#$!%")
            # Covered characters, marked as hits are added: asking the hit list
            # for every candidate would be quadratic in a long text full of them.
            covered = bytearray(len(lower)) if spelled or symbols else bytearray()
            for hit in hits:
                _cover(covered, hit)
            if spelled:
                for found in _SPELLED.finditer(lower):
                    if not covered[found.start()]:
                        hits.append(self._hit(doc, found.start(), found.end(), "obfuscated"))
                        _cover(covered, hits[-1])
            if symbols:
                for found in _OBFUSCATED.finditer(lower):
                    if _SYMBOL.search(found.group()) and not covered[found.start()]:
                        hits.append(self._hit(doc, found.start(), found.end(), "obfuscated"))
                        _cover(covered, hits[-1])
            if needs_folding(doc.text):
                self._disguised(doc, hits)
            results.append(hits)
            if not triggers:
                continue
            # Only sentences that have a trigger word and no lexicon hit go
            # to the model; the lexicon already explains the others.
            masked = [(m.start, m.end) for m in self._masker.find(lower)]
            bounds = list(sentences(doc.text))
            by_sentence: dict[int, list[PhraseMatch]] = {}
            for trig in triggers:
                by_sentence.setdefault(_sentence_of(bounds, trig.start), []).append(trig)
            explained = {_sentence_of(bounds, h.start) for h in hits if h.start is not None}
            explained |= {_sentence_of(bounds, pos) for pos in excused}
            for index, found_triggers in by_sentence.items():
                start, end = bounds[index]
                if index in explained:
                    continue
                text = _mask(lower, start, end, masked)
                best = max(found_triggers, key=lambda m: self._triggers.get(m.phrase, 0.0))
                pending.append((doc_index, best.start, best.end, text))
        if pending:
            scores = _model().scores([item[3] for item in pending])
            for (doc_index, start, end, _text), score in zip(pending, scores, strict=True):
                if score >= self.threshold:
                    hit = self._hit(docs[doc_index], start, end, "model", float(score))
                    results[doc_index].append(hit)
        if self._public:
            _public_hits("language.profanity", docs, results)
        for hits in results:
            hits.sort(key=lambda h: (h.start or 0, h.end or 0))
        return results

    def _disguised(self, doc: Document, hits: list[Hit]) -> None:
        """Profanities disguised by look-alike letters, full-width or bold
        forms, invisible characters, combining strokes or repeated letters
        ("fսck", "ｓｈｉｔ", "f\u200bu\u200bck", "fuuuuck"): the lexicon and the
        symbol pattern on the folded text, reported on the original span."""
        covered = bytearray(len(doc.text))
        for hit in hits:
            _cover(covered, hit)
        for squash in (2, 1):
            folded, offsets = fold_with_offsets(doc.text, squash)
            if folded == doc.lower:
                continue
            spans = [
                (m.start, m.end)
                for m in self._matcher.find(folded)
                if m.label in _PROFANE_SECTIONS and m.phrase not in self._interjections
            ]
            if any(c in folded for c in "*@#$!%"):
                spans.extend(
                    found.span()
                    for found in _OBFUSCATED.finditer(folded)
                    if _SYMBOL.search(found.group())
                )
            for a, b in spans:
                # The span runs to the next kept character: marks and
                # squashed letters after the last one belong to the word.
                start, end = offsets[a], offsets[b] if b < len(offsets) else len(doc.text)
                if not covered[start]:
                    hits.append(self._hit(doc, start, end, "obfuscated"))
                    _cover(covered, hits[-1])

    def _in_praise(
        self, doc: Document, hits: list[Hit], exclamations: list[PhraseMatch]
    ) -> set[int]:
        """Starts of exclamations that sit in praise in an inbound comment.

        "Damn, this is a brilliant explainer" is a compliment: the mild
        exclamation is not reported when its sentence praises and has no
        other profanity. Outbound posts get no such pass.
        """
        if doc.context.direction != "inbound":
            return set()
        bounds = list(sentences(doc.text))
        excused: set[int] = set()
        profane = {_sentence_of(bounds, h.start) for h in hits if h.start is not None}
        for match in exclamations:
            index = _sentence_of(bounds, match.start)
            if index in profane:
                continue
            start, end = bounds[index]
            if self._praise.search(doc.lower, start, end):
                excused.add(match.start)
        return excused

    def _hit(self, doc: Document, start: int, end: int, how: str, score: float = 1.0) -> Hit:
        return span_hit("language.profanity", doc.text, start, end, score=score, note=how)


def _cover(covered: bytearray, hit: Hit) -> None:
    if covered and hit.start is not None and hit.end is not None:
        covered[hit.start : hit.end] = b"\x01" * (hit.end - hit.start)


def _mask(lower: str, start: int, end: int, masked: list[tuple[int, int]]) -> str:
    """The sentence with clinical and insult words blanked out for the model."""
    pieces: list[str] = []
    cursor = start
    for m_start, m_end in masked:
        if m_end <= cursor or m_start >= end:
            continue
        pieces.append(lower[cursor:m_start])
        cursor = m_end
    pieces.append(lower[cursor:end])
    return " ".join(pieces)


@cache
def _spelled_gates() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in _SPELLED_GATE_WORDS:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


@cache
def _profanity_tables(
    threshold: float, extra: tuple[str, ...], allow: frozenset[str]
) -> tuple[PhraseMatcher, PhraseMatcher, dict[str, float]]:
    """The lexicon matcher, the masking matcher and the model's trigger words.

    The lexicon matcher holds profanities, trigger words and the multi-word
    clinical phrases that overlap them ("heel prick", "dirty nappies"), so
    the longest match wins. Single clinical and insult words only matter to
    the model, so they live in a second matcher run only on documents that
    have a trigger word: most posts are full of "breast", "milk" and "mum".
    """
    lexicon = load_lexicon("profanity.txt")
    masks = [phrase for section in _MASK_SECTIONS for phrase in lexicon[section]]
    triggers = _model().trigger_words(threshold)
    phrases: dict[str, str] = {}
    no_trigger = set(masks) | set(allow)
    for word in triggers:
        if word not in no_trigger and _ALPHA_WORD.fullmatch(word):
            phrases[word] = "trigger"
    for phrase in masks:
        if not _ALPHA_WORD.fullmatch(phrase):
            phrases[phrase] = "mask"
    for section in _PROFANE_SECTIONS:
        for phrase in lexicon[section]:
            phrases[phrase] = section
    for phrase in extra:
        phrases[phrase] = "vulgar"
    for phrase in allow:
        phrases[phrase] = "allowed"
    return PhraseMatcher(phrases), PhraseMatcher([*masks, *allow]), triggers


# --------------------------------------------------------------------------
# the learned harassment/bias model

#: The model (``scripts/train_language_model.py``; see language_model.md).
LANGUAGE_MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "language_model.json"
#: Bumped when the feature function or the JSON layout changes incompatibly.
LANGUAGE_MODEL_FORMAT = "postguard-language-logreg/1"


@cache
def load_language_model() -> _linear_model.LinearModel:
    """The shipped harassment/bias model (loaded once per process)."""
    blob = LANGUAGE_MODEL_PATH.read_text("utf-8")
    return _linear_model.linear_model_from_json(json.loads(blob), LANGUAGE_MODEL_FORMAT)


#: Texts up to this long are scored whole; longer ones in windows.
UNIT_CHARS = 300
_WINDOW_STEP = 150


def units(text: str) -> list[tuple[int, int]]:
    """The spans the model scores: the whole text when it is short, else
    each sentence with the one after it (capped at ``UNIT_CHARS``), and
    overlapping windows inside an over-long unpunctuated sentence."""
    if len(text) <= UNIT_CHARS:
        return [(0, len(text))] if text.strip() else []
    bounds = list(sentences(text))
    out: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(bounds):
        if end - start > UNIT_CHARS:
            out.extend(_windows(text, start, end))
            continue
        if index + 1 < len(bounds) and bounds[index + 1][1] - start <= UNIT_CHARS:
            out.append((start, bounds[index + 1][1]))
        elif not out or out[-1][1] < end:
            out.append((start, end))
    return out


def _windows(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    cursor = start
    while cursor < end:
        stop = min(end, cursor + UNIT_CHARS)
        if stop < end:
            space = text.rfind(" ", cursor + _WINDOW_STEP, stop)
            stop = space if space > cursor else stop
        out.append((cursor, stop))
        if stop >= end:
            break
        step = text.find(" ", cursor + _WINDOW_STEP, stop)
        cursor = step + 1 if step > cursor else stop
    return out


_SCORES_KEY = "_language_model_scores"


def score_spans(requests: Sequence[tuple[Document, int, int]]) -> list[float]:
    """The language model's probability for each (document, start, end).

    Spans come from :func:`units` (what the model was trained
    on). Only candidate spans are asked for, so most posts never reach the
    model; scores are kept on the document, so the harassment and bias
    detectors share them, and the missing ones are scored in one batch.
    """
    memos = [vars(doc).setdefault(_SCORES_KEY, {}) for doc, _, _ in requests]
    missing: dict[tuple[int, int, int], str] = {}
    for (doc, start, end), memo in zip(requests, memos, strict=True):
        if (start, end) not in memo:
            missing[(id(doc), start, end)] = doc.text[start:end]
    if missing:
        scored = dict(
            zip(missing, load_language_model().score_many(list(missing.values())), strict=True)
        )
        for (doc, start, end), memo in zip(requests, memos, strict=True):
            if (start, end) not in memo:
                memo[(start, end)] = scored[(id(doc), start, end)]
    return [memo[(start, end)] for (_, start, end), memo in zip(requests, memos, strict=True)]


# --------------------------------------------------------------------------
# harassment

_PERSON_NOUNS = (
    r"(?:mum|mom|mother|mama|midwife|midwives|nurse|consultant|ibclc|lc|lactation consultant"
    r"|doctor|dr|gp|paediatrician|pediatrician|health visitor|hv|colleague|woman|women|lady"
    r"|ladies|girl|guy|man|men|dad|father|parent|family|families|commenter|commentor|poster"
    r"|person|people|client|patient|member|admin|moderator|mod|author|expert|influencer"
    r"|professional|practitioner|counsellor|counselor|peer supporter|volunteer|trainer"
    r"|educator|student|manager|boss|fool|idiot|cow|one|lot|bunch|chair|chairperson|chairwoman"
    r"|chairman|president|director|lead|team|staff|board|committee|ceo|presenter|speaker"
    r"|blogger|host|trustee|officer|coordinator|rep|representative|specialist|advisor|adviser"
    r"|feeding lead|team leader)(?:s|es)?"
)
_DET = r"(?:this|that|the|these|those|our|my|your|some|her|his|their|another|one)"
_MOD = (
    r"(?:such|so|a|an|the|total|complete|utter|absolute|bloody|really|just|truly|totally"
    r"|completely|utterly|clearly|obviously|massive|little|big|real|right|proper|too|very"
    r"|actually|literally|being|a bit|kind of|kinda|sort of|seriously|pretty|quite|an absolute"
    r"|a complete|a total|an utter|nothing but|nothing more than|such an?|more|most|of a"
    r"|frankly|honestly|simply|plain|just plain|a bunch of|a pack of|a load of|a gang of|bunch of)"
)
_COPULA = (
    r"(?:is|was|are|were|'s|’s|'re|’re|seems?|seemed|looks?|looked|sounds?|sounded|must be"
    r"|has to be|is being|are being|acts?|acted|acting|remains?|became|becomes?)"
)
_QUOTE = "['\"‘’“”]?"
# Each pattern must match the text just before an insult word.
_TARGET_BEFORE = re.compile(
    r"(?:"
    rf"\b(?:you|u|ya|ye|youse|y'all)(?:\s+(?:people|lot|guys|two|all))?"
    rf"(?:\s*(?:'re|’re|are|r)|re)?\s+(?:{_MOD}\s+){{0,3}}"
    rf"|\b(?:are|were)\s+(?:you|u)\s+(?:{_MOD}\s+){{0,3}}"
    rf"|\b(?:she|he|they|her|him|them|whoever)\s*{_COPULA}\s*(?:{_MOD}\s+){{0,3}}"
    # "that hospital's feeding lead is", "the 'expert' on TV this morning is"
    rf"|\b{_DET}\s+(?:[\w'’-]+\s+){{0,3}}{_QUOTE}{_PERSON_NOUNS}{_QUOTE}"
    rf"(?:\s+[^\s.!?;:]+){{0,6}}?\s*{_COPULA}\s*(?:{_MOD}\s+){{0,3}}"
    # "anyone who still recommends X is"
    rf"|\bwhoever\s+(?:[^\s.!?;:]+\s+){{1,6}}?{_COPULA}\s*(?:{_MOD}\s+){{0,3}}"
    rf"|\b(?:anyone|anybody|everyone|everybody|whoever|someone|somebody|people|those)"
    rf"\s+(?:who|that)\s+(?:[^\s.!?;:]+\s+){{0,10}}?{_COPULA}\s*(?:{_MOD}\s+){{0,3}}"
    rf"|\bwhat\s+(?:an?\s+)?(?:{_MOD}\s+){{0,2}}"
    rf"|\b(?:call(?:ed|ing)?|calls)\s+(?:her|him|them|you|me)\s+(?:an?\s+)?(?:{_MOD}\s+){{0,2}}"
    rf"|\b(?:she|he|they)\s+(?:'s|’s|is|are|was|were)\s+(?:just\s+)?(?:an?\s+)?"
    # "Hospital infant feeding lead in my area is so lazy"
    rf"|\b{_PERSON_NOUNS}(?:\s+(?:in|at|on|from|of|for)(?:\s+[^\s.!?;:]+){{1,3}})?"
    rf"\s*{_COPULA}\s*(?:{_MOD}\s+){{0,3}}"
    r")\Z",
    re.IGNORECASE,
)
_NAME_BEFORE = re.compile(rf"\b[A-Z][a-z]+\s*{_COPULA}\s*(?:{_MOD}\s+){{0,3}}\Z")
# ... or be followed by a person noun ("these lazy mothers", "that useless midwife").
_PERSON_AFTER = re.compile(rf"\s+(?:[\w-]+\s+)?{_PERSON_NOUNS}\b", re.IGNORECASE)
_DET_BEFORE = re.compile(rf"\b{_DET}\s+(?:[\w-]+\s+)?\Z", re.IGNORECASE)
# ... or, for "excuse for a" and the like, be followed by one.
_EXCUSE_AFTER = re.compile(rf"\s+(?:for\s+)?(?:an?\s+)?(?:[\w-]+\s+)?{_PERSON_NOUNS}\b", re.I)
# Mild words that only insult when clearly aimed ("she's thick", "too thick to").
_NEEDS_COPULA = frozenset({"thick", "dim", "dense", "crazy", "cow", "joke", "fat", "toxic"})
_TOO_TO = re.compile(r"\btoo\s+\Z", re.IGNORECASE)
_TO_AFTER = re.compile(r"\s+to\b", re.IGNORECASE)
_LOOK_BACK = 120
# Threats the lexicon cannot list: "I know where your chair lives / you work".
_KNOW_WHERE = re.compile(
    r"\bi\s+know\s+where\s+(?:you|she|he|they|(?:your|her|his|their|the|that|this)\s+[\w-]+"
    r"(?:\s+[\w-]+)?)"
    r"\s+(?:live|lives|work|works|sleep|sleeps|stay|stays|park|parks|is|are)\b",
    re.IGNORECASE,
)
# Shapes that are harassment on their own, each with a cheap substring gate.
_SUBJECT = (
    r"(?:some\s+(?:of\s+(?:them|these|those|you|us)|people|parents|mums|moms|mothers|women"
    r"|folk|folks|midwives|nurses|doctors|lcs|ibclcs|colleagues)|you|u|she|he|they"
    r"|people\s+like\s+(?:you|her|him|them|that|this)|whoever\b[^.!?\n]{0,60}?"
    r"|(?:anyone|anybody)\s+who\b[^.!?\n]{0,60}?)"
)
_SHAPES: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    (
        # "some parents shouldn't be allowed to breed", "you probably shouldn't
        # be giving advice", "some people shouldn't be in this job"
        "unfit",
        ("shouldn", "should not", "should never", "no business"),
        re.compile(
            rf"\b{_SUBJECT}\s+(?:(?:honestly|really|clearly|just|probably|seriously|frankly"
            r"|truly|genuinely|obviously|simply)\s+){0,2}(?:shouldn'?t|shouldn’t|should\s+not"
            r"|should\s+never|ha(?:s|ve)\s+no\s+business)\s+(?:(?:really|ever|even|still)\s+)?"
            r"(?:be\s+(?:allowed|let|trusted|in\s+(?:this|the|that)\s+(?:job|profession|field|role"
            r"|work|career)|giving\s+advice|advising|practi[cs]ing|working|near|anywhere\s+near"
            r"|in\s+charge|parents|mothers|mums|moms|midwives|nurses|ibclcs)|breed|reproduce"
            r"|procreate|give\s+advice|advise|practi[cs]e|work\s+with)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "I hope you stub your toe", "I hope your controller breaks"
        "ill-wishing",
        ("hope",),
        re.compile(
            r"\bhope\s+(?:that\s+)?(?:you|your|she|he|they|her|his|their|it)\b"
            r"(?:(?!\bn[o']t\b|n't|n’t|\bnever\b|\bno\b|\bdoesn|\bdon)[^.!?\n]){0,40}?"
            r"\b(?:stubs?|breaks?|trips?|choke[sd]?|rots?|burns?|suffers?|dies|die|fails?|gets?"
            r"\s+(?:sacked|fired|struck\s+off|what)|loses?\s+(?:her|his|their|your)\s+(?:job"
            r"|licen[cs]e|pin|registration)|steps?\s+on\s+(?:a\s+)?lego|explodes?|crash(?:es)?"
            r"|(?:falls?|fall)\s+(?:over|down|off))\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "everyone go and leave a 💩 on @someone's video", "let's all report her page"
        "pile-on",
        ("everyone", "everybody", "let's", "lets ", "let’s", "y'all", "all of you", "go and"),
        re.compile(
            r"\b(?:everyone|everybody|y'?all|let['’]?s\s+all|all\s+of\s+you|go\s+and)\b"
            r"[^.!?\n]{0,40}?\b(?:leave|drop|spam|flood|post|send|report|comment|tag|pile|reply"
            r"|dm|message|go\s+to|head\s+to|get\s+on(?:to)?)\b[^.!?\n]{0,40}?(?:@\w+|\b(?:his|her"
            r"|their|[\w-]+['’]s)\s+(?:latest\s+|new\s+)?"
            r"(?:post|video|page|account|profile|reel|tiktok|review|comments?)\b)",
            re.IGNORECASE,
        ),
    ),
    (
        # "so we can all laugh at them", "point and laugh"
        "mockery",
        ("laugh",),
        re.compile(
            r"\b(?:laugh|laughing|laughed)\s+at\s+(?:them|her|him|you|this\s+(?:mum|mom|woman|guy)"
            r"|these|those|people|anyone|someone)\b|\bpoint\s+and\s+laugh\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "you are the reason people don't trust LCs"
        "blame",
        ("reason",),
        re.compile(
            r"\b(?:you|she|he|they)\s*(?:'re|’re|are|is|'s|’s)\s+(?:exactly\s+)?(?:the|why)\s+"
            r"(?:reason\s+)?(?:why\s+)?(?:people|parents|mums|moms|families|nobody|no\s+one"
            r"|everyone|women|lcs|ibclcs|midwives)\s+(?:(?:don't|don’t|do\s+not|can't|can’t|won't"
            r"|won’t|never)\s+(?:trust|believe|respect|listen|like|want|take|bother|come\s+back)"
            r"|hate|distrust|avoid|quit|leave|give\s+up\s+on)\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "found your organiser's home address online": doxxing is a threat
        "threat",
        ("address",),
        re.compile(
            r"\b(?:found|tracked\s+down|dug\s+up|got\s+hold\s+of)\s+(?:your|her|his|their)"
            r"\s+(?:[\w'’-]+\s+){0,3}(?:home\s+)?address\b",
            re.IGNORECASE,
        ),
    ),
    (
        # "Imagine being a paediatrician in 2024 and still ...", "imagine being
        # so rude and so sure of yourself"
        "mockery",
        ("imagine",),
        re.compile(
            r"\bimagine\s+(?:being|thinking|believing|still)\b[^.!?\n]{0,90}?"
            r"\b(?:and\s+still|still\s+(?:think|thinking|believ|telling|saying|recommend)"
            r"|in\s+(?:19|20)\d\d)"
            r"|\bimagine\s+being\s+(?:this|that|so)\s+[a-z]+\s+and\s+(?:this|that|so)\s+[a-z]+",
            re.IGNORECASE,
        ),
    ),
    (
        # Violence against a person or their premises: "I'll smash your
        # teeth in", "someone should set fire to their clinic", "a rock
        # through your window", "she'll go home in an ambulance".
        "threat",
        (
            "break",
            "smash",
            "burn",
            "torch",
            "fire to",
            "brick",
            "rock through",
            "ambulance",
            "body bag",
            "sense into",
        ),
        re.compile(
            r"\b(?:break|breaks|broke|smash|smashes|smashed|snap)\s+(?:your|her|his|their|ya)"
            r"\s+(?:\w+\s+)?(?:face|faces|hands?|legs?|arms?|neck|nose|jaw|teeth|skull|head|fingers)"
            r"\b|\b(?:burn|burns|burned|burnt|burning|torch|torches|torched|set\s+fire\s+to)"
            r"\s+(?:down\s+)?(?:your|her|his|their|that|the|this)\s+(?:\w+\s+)?(?:office|offices"
            r"|house|home|clinic|car|building|premises|place)\b(?!\s+(?:fire|alarm|drill|safety))"
            r"|\b(?:your|her|his|their)\s+(?:\w+\s+)?(?:office|house|home|clinic|car|building"
            r"|premises)\s+(?:\w+\s+){0,3}?burnt\s+down"
            r"|\b(?:brick|rock|stone)s?\s+through\s+(?:your|her|his|their|that|the)\b"
            r"|\b(?:leav\w*|go\w*|end\s+up|carried\s+out|come\s+out|walk\w*\s+out)\s+"
            r"(?:\w+\s+){0,2}in\s+(?:an\s+ambulance|a\s+body\s*bag|a\s+box)"
            r"|\b(?:slap|knock|beat|punch|smack)\w*\s+(?:some\s+)?sense\s+into\b",
            re.IGNORECASE,
        ),
    ),
    (
        # Veiled menace: "watch your back", "sleep with one eye open", "not a
        # threat, a promise", "I'll find you", "when I catch her outside",
        # "have someone walk her to her car", "check her brakes", "(you|she)
        # will regret it", "a conversation she won't walk away from".
        "threat",
        (
            "watch your back",
            "watch her back",
            "watch his back",
            "eye open",
            "a threat",
            "find you",
            "find her",
            "find him",
            "find the",
            "catch",
            "to her car",
            "to his car",
            "to your car",
            "brakes",
            "regret it",
            "regret this",
            "walk away from",
            "walking away from",
            "goes to",
            "go to school",
            "street from",
            "address from",
        ),
        re.compile(
            r"\bwatch\s+(?:your|her|his|their)\s+backs?\b|\bsleep\s+with\s+one\s+eye\s+open"
            r"|\bnot\s+a\s+threat\W+(?:\w+\W+)?(?:a\s+)?promise"
            r"|\bi\s*(?:'ll|’ll|will|go|am\s+going\s+to|'m\s+going\s+to)?\s*(?:find|hunt\s+down"
            r"|track\s+down)\s+(?:you|her|him|them|the\s+(?:woman|man|lady|girl|one|person|nurse"
            r"|midwife|consultant|lc|ibclc))\b(?![^.!?\n]{0,40}\b(?:helpful|useful|informative"
            r"|interesting|online|on\s+\w+book|here)\b)"
            r"|\bwhen\s+i\s+(?:catch|see|find|get)\s+(?:you|her|him|them|am|una)\s+(?:outside"
            r"|alone|on\s+(?:my|her|your|his)\s+own)\b"
            r"|\b(?:walk|escort|accompany)\s+(?:you|her|him|them)\s+to\s+(?:your|her|his|their)"
            r"\s+cars?\b"
            r"|\bcheck\s+(?:your|her|his|their)\s+brakes\b"
            r"|\b(?:you|she|he|they|you\s+lot)\s*(?:'ll|’ll|will|shall|are\s+going\s+to)\s+"
            r"(?:(?:really|truly|so|all)\s+)?regret\s+(?:it|this)\b"
            r"|\b(?:won'?t|won’t|will\s+not|not)\s+(?:be\s+)?walk(?:ing)?\s+away\s+from\b"
            r"|\bwhich\s+(?:nursery|school|creche|daycare|street|house)\s+(?:your|her|his|their)"
            r"\s+(?:\w+\s+)?(?:goes|go|lives?|is|are)\b"
            r"|\b(?:work\s+out|find|figure\s+out)\s+(?:someone'?s|someone’s|your|her|his|their)"
            r"\s+(?:home\s+)?(?:street|address|house)\s+from\b",
            re.IGNORECASE,
        ),
    ),
)
# Gates for the structured weak cues below.
# A person or role in scare quotes: "another 'feeding expert'", "these
# 'gentle parenting' mums", "Grandma was 'helping'".
_SCARE_ROLE = re.compile(
    rf"\b(?:another|these|those|this|that|the|some\s+of\s+these|your|our)\s+['‘\"“][^'’\"”\n]{{2,30}}"
    rf"['’\"”](?:\s+[\w-]+)?\s+{_PERSON_NOUNS}\b"
    r"|['‘\"“][^'’\"”\n]{0,20}?\b(?:expert|professional|specialist|consultant|coach|guru)s?['’\"”]"
    r"(?!\s+(?:advice|tips?|guidance|opinions?|content|posts?|videos?|takes?|claims?|info))"
    r"|\b(?:was|were|is|are|been)\s+['‘\"“](?:helping|help|supporting)['’\"”]",
    re.IGNORECASE,
)
# Dismissals set off as their own clause: "..., sit down.", "go home."
_DISMISSAL = re.compile(
    r"(?:^|[,.!?;:—–-]\s*)(?:(?:do|just|now|go\s+and|please)\s+)?(?:sit\s+down|go\s+home"
    r"|grow\s+up|get\s+a\s+grip|retire\s+already|bye|next|move\s+on|stay\s+mad|keep\s+crying"
    r"|pipe\s+down|nobody\s+asked|no\s+one\s+asked|yawn|stay\s+in\s+your\s+lane)"
    r"\s*(?:,\s*@\w+\s*)?(?:[,.!?]|$)",
    re.IGNORECASE | re.MULTILINE,
)
_VOCATIVE = re.compile(
    r"(?:^|[,.!?;:—–-]\s*)(?:honey|hun|hon|sweetie|sweetheart|darling|dear|love|babe|sunshine"
    r"|princess|mate|pal)\s*(?:[,.!?]|$)",
    re.IGNORECASE | re.MULTILINE,
)
_NAMED_AT_END = re.compile(
    r"(?:,\s*|^|[.!?]\s+)(?:@\w+|(?:Dr|Mr|Mrs|Ms|Miss)\.?\s+[A-Z][a-z]+|[A-Z][a-z]{2,})"
    r"\s*(?:[.!?]+|[😂🤣🙄🙃🤡]|$)"
)
_NOBODY_CARES = re.compile(
    r"\b(?:nobody|no\s+one|no-one)\s+cares\b(?!\s+(?:how|what|if|whether|about|when|where"
    r"|which|who|that|why))",
    re.IGNORECASE,
)
_PERSON_REF = re.compile(
    rf"\b(?:you|your|you're|u|ya|yourself|she|he|they|her|him|them|herself|himself|themselves"
    rf"|someone|whoever|anyone|{_PERSON_NOUNS}|grandma|granny|nan|in-laws?|mil|troll|reviewer"
    rf"|paediatrician|pediatrician|grandmother|husband|partner|wife|hippies)\b|@\w+"
    r"|(?-i:,\s*[A-Z][a-z]{2,}\s*[.!?])",
    re.IGNORECASE,
)
_CONTEMPT_ENOUGH = 2.0
_OPENING_QUOTES = (" '", "‘", '"', "“", "\n'")
# Words that the vocative, dismissal and "nobody cares" cues need.
_STRUCTURED_GATES = (
    "honey",
    "hun",
    "hon",
    "sweetie",
    "sweetheart",
    "darling",
    "dear",
    "love",
    "babe",
    "sunshine",
    "princess",
    "mate",
    "pal",
    "sit down",
    "go home",
    "grow up",
    "get a grip",
    "retire already",
    "bye",
    "next",
    "move on",
    "stay mad",
    "keep crying",
    "cares",
    "pipe down",
    "nobody asked",
    "no one asked",
    "yawn",
    "lane",
    "brain of",
    "brains of",
    "brain cells of",
    "iq of",
    "intellect of",
    "attention span of",
    "common sense of",
    "informed as",
    "clever as",
    "bright as",
    "smart as",
    "sharp as",
    "useful as",
    "qualified as",
    "knowledgeable as",
    "written by",
    "typed by",
    "made up by",
    "put together by",
    "cereal box",
    "cracker",
    "lucky dip",
    "crisp packet",
    "raffle",
    "vending machine",
    "grown-ups",
    "grownups",
    "adults",
    "professionals",
    "experts",
    "people who",
    "those who",
    "big girls",
    "big boys",
    "stick to",
    "sticks to",
    "keep up",
    "oh look",
    "ah yes",
    "oh yes",
    "like yourself",
    "like you",
    "like her",
    "like him",
    "belongs in",
    "belong in",
    "genius",
    "groundbreaking",
    "revolutionary",
    "exactly why",
    "precisely why",
    "literally why",
    "exactly the reason",
    "lot of you",
    "lot of them",
    "pair of you",
    "pair of them",
    "bunch of you",
    "respects you",
    "likes you",
    "wants you",
    "listens to you",
    "takes you",
)
_SHAPE_KEYS = tuple(
    (("shape", str(index)), kind, pattern) for index, (kind, _, pattern) in enumerate(_SHAPES)
)


@cache
def _gates() -> ahocorasick.Automaton:
    """One substring automaton for every gate of the harassment detector.

    Values are ("shape", index) for the shape patterns and ("quote", "") for
    an opening quote.
    """
    automaton = ahocorasick.Automaton()
    values: dict[str, set[tuple[str, str]]] = {}
    for index, (_, gates, _) in enumerate(_SHAPES):
        for gate in gates:
            values.setdefault(gate, set()).add(("shape", str(index)))
    for quote in _OPENING_QUOTES:
        values.setdefault(quote, set()).add(("quote", ""))
    for gate, value in values.items():
        automaton.add_word(gate, frozenset(value))
    automaton.make_automaton()
    return automaton


# "Shame on you IPALA": reproach aimed at an organisation is criticism, not harassment.
_AT_ORGANISATION = re.compile(r"\s*,?\s*@?[A-Z]{3,}\b")
_REPROACH = frozenset({"shame on you", "you should be ashamed"})
# "It's a myth that teen mums are lazy" reports a stereotype, it does not insult.
_REBUTTAL = re.compile(
    r"\b(?:myth|not true|stereotypes?|assume|assumption|claim|claims|says|said|(?<!-)called)\b"
    r"[^.!?\n]*\Z",
    re.IGNORECASE,
)


# The insult's subject is a thing ("the member benefits are a joke").
_THINGS = (
    r"(?:benefits?|posts?|advice|fees?|polic(?:y|ies)|rules?|comments?|stance|statements?"
    r"|content|ideas?|articles?|videos?|service|app|website|guidelines?|resources?|answers?"
    r"|responses?|repl(?:y|ies)|webinars?|conference|events?|course|training|stud(?:y|ies)"
    r"|research|evidence|leaflets?|campaign|survey|update|newsletter|system|process)"
)
_THING_SUBJECT = re.compile(rf"\b{_THINGS}\s*{_COPULA}\s*(?:{_MOD}\s+){{0,3}}\Z", re.I)
_THING_AFTER = re.compile(rf"\s+(?:[\w-]+\s+)?{_THINGS}\b", re.IGNORECASE)
# Others' opinion reported, not the writer's: "everyone thought she was crazy".
_REPORTED_BELIEF = re.compile(
    r"\b(?:everyone|everybody|people|they|others|family|relatives|friends|some)\s+(?:\w+\s+)?"
    r"(?:thought|think|assumed|believed)\b[^.!?\n]*\Z",
    re.IGNORECASE,
)
_ARTICLE_ADJECTIVE = re.compile(r"\ban?\s+(?P<adj>[a-z][\w'’-]*\s+)\Z", re.IGNORECASE)
_CUE_WEIGHTS = {"strong": 2.0, "weak": 1.0}
_NOT_A_COMMAND = re.compile(
    r"(?:\b(?:doesn'?t|doesn’t|don'?t|don’t|didn'?t|didn’t|won'?t|won’t|will|would|not|never"
    r"|to|that|which|it)\s+)\Z",
    re.IGNORECASE,
)
_ALSO_A_RIGHT = frozenset({"entitled"})
_YOU_ARE_CLAUSE = re.compile(
    r"\b(?:you\s*(?:'re|’re|are)|youre|you\s+(?:lot|all|people|guys)\s+are)\b"
    r"(?:(?!\bnot\b|n't|n’t|\bnever\b)[^.!?;\n]){0,50}\Z",
    re.IGNORECASE,
)
_NAME_DET_BEFORE = re.compile(
    r"\b(?:that|this|these|those|another|you|ya|such\s+an?|what\s+an?|right\s+old"
    r"|absolute|total|complete|utter|proper)\s+"
    r"(?:(?!(?:the|a|an|this|that|these|those)\s)[\w'’-]+\s+){0,3}\Z",
    re.IGNORECASE,
)
_CALLED_AFTER = re.compile(r"\s+(?:called|named)\s+[A-Z]")
_SHORT_FRAGMENT = re.compile(r"\W*\w[\w'’-]*(?:\W+[\w'’-]+){0,2}\W*")
_FRAGMENT_WORDS = 8
_LEADING_MOD = re.compile(
    r"^(?:(?:absolutely|utterly|totally|completely|truly|just|so|such|what|an?|honestly)\s+)+"
)
# Veiled insults: comparisons that say someone is stupid without an insult
# word ("the brain of a goldfish", "about as clever as my kettle", "sounds
# like it was written by a toddler", "a degree out of a Christmas cracker").
_VEILED = re.compile(
    r"\b(?:brains?|brain\s+cells?|iq|intellect|attention\s+span|common\s+sense)\s+of\s+an?\s+"
    r"|\b(?:about\s+)?as\s+(?:well[\s-]informed|informed|clever|bright|smart|sharp|useful"
    r"|qualified|knowledgeable)\s+as\s+(?:my|a|an)\s+(?:\w+\s+)?(?:cat|dog|goldfish|hamster"
    r"|toddler|potato|brick|rock|houseplant|teapot|kettle|budgie|parrot)\b"
    r"|\b(?:written|typed|made\s+up|put\s+together)\s+by\s+an?\s+(?:\w+\s+){0,3}(?:toddler"
    r"|child|five-year-old|dog|cat|retriever|labrador|hamster|goldfish|monkey|chimp|potato)\b"
    r"|\b(?:degrees?|qualifications?|licen[cs]es?|certificates?|diplomas?)\s+(?:\w+\s+){0,4}?"
    r"(?:in|from|out\s+of)\s+(?:a\s+)?(?:cereal\s+box|christmas\s+cracker|lucky\s+dip"
    r"|crisp\s+packet|raffle|vending\s+machine)",
    re.IGNORECASE,
)
# Condescension and sarcasm, each weak on its own: "leave this to the
# grown-ups", "stick to selling candles", "do try to keep up", "oh look,
# she's back", "ah yes, another ...", "much like yourself", "belongs in a
# museum", "wow, what a genius idea",
# "you are exactly why ...", "the lot of you.", "nobody likes you".
_CONDESCENSION = re.compile(
    r"\bleaves?\s+(?:this(?:\s+one)?|it|that|medicine|the\s+\w+)\s+to\s+(?:the\s+)?"
    r"(?:grown-?ups|adults|big\s+(?:girls|boys)|professionals|experts|people\s+who|those\s+who)"
    r"|\bsticks?\s+to\s+(?:selling|flogging|your\s+day\s+job|what\s+(?:you|she|he)\s+knows?)"
    r"|\b(?:do\s+)?try\s+(?:to\s+|and\s+)?keep\s+up\b"
    r"|\boh\s+look\W+(?:[\w@]+\W+){0,3}(?:is|are|'s|’s)\s+(?:here|back)\b"
    r"|\b(?:ah|oh)\s+yes\W+(?:another|more)\b"
    r"|\b(?:much|just)\s+like\s+(?:yourself|you|her|him)\s*[.!]"
    r"|\bbelongs?\s+in\s+(?:a\s+museum|the\s+bin|the\s+dark\s+ages|the\s+(?:18|19)\d0s)"
    r"|\b(?:wow|oh\s+wow|well\s+done|bravo)\W+(?:what\s+an?\s+)?(?:genius|groundbreaking"
    r"|revolutionary)\b"
    r"|\b(?:is|are|'re|’re)\s+(?:exactly|precisely|literally)\s+(?:why|the\s+reason)\b"
    r"|\bthe\s+(?:lot|pair|bunch)\s+of\s+(?:you|them)\s*[.!]"
    r"|\b(?:nobody|no\s+one|no-one)\s+(?:here\s+)?(?:respects|likes|wants|listens\s+to"
    r"|takes)\s+you\b",
    re.IGNORECASE,
)
_STRUCTURED_CUES: tuple[tuple[re.Pattern[str], float], ...] = (
    (_SCARE_ROLE, 1.0),
    (_VOCATIVE, 1.0),
    (_NAMED_AT_END, 0.5),
    (_NOBODY_CARES, 1.0),
    (_DISMISSAL, 1.0),
    (_VEILED, 2.0),
    (_CONDESCENSION, 1.0),
)
# "a dinosaur enthusiast", "clown costume": the noun is a modifier, not a name.
_COMPOUND_AFTER = re.compile(
    r"\s+(?:enthusiasts?|fans?|lovers?|costumes?|onesies?|toys?|prints?|books?|themed|party"
    r"|museum|emoji|filter|hats?|nose|noses|makeup)\b",
    re.IGNORECASE,
)


def _sentence_text(text: str, pos: int) -> str:
    # Looks no further than a capped sentence's length either side, so that a
    # text without full stops is not rescanned for every match.
    floor = max(0, pos - MAX_SENTENCE_CHARS)
    ceiling = min(len(text), pos + MAX_SENTENCE_CHARS)
    start = max(text.rfind(c, floor, pos) for c in ".!?\n") + 1 or floor
    ends = [i for i in (text.find(c, pos, ceiling) for c in ".!?\n") if i >= 0]
    return text[start : min(ends) + 1 if ends else ceiling]


def _fragment_weight(text: str, match: PhraseMatch) -> float:
    """An unaimed insult counts 1 in a verbless fragment that starts with it
    ("Clueless, rude, and a bit thick."), else 0.5."""
    sentence = _sentence_text(text, match.start)
    # Only the first few words matter: a long sentence is not a fragment.
    words = sentence.split(maxsplit=_FRAGMENT_WORDS)
    if len(words) > _FRAGMENT_WORDS:
        return 0.5
    first = _LEADING_MOD.sub("", sentence.lstrip(" \t\"'‘“(").lower())
    return 1.0 if first.startswith(match.phrase) else 0.5


# The detectors' default model threshold. It is lower than the model's own
# (cross-validated, precision 0.9 on its own) because a model hit also needs
# a person or a group in the span and, for harassment, a weak rule cue; 0.4
# added no false positive on the out-of-fold scores of the tuning splits.
_MODEL_FLOOR = 0.4
_MODEL_PARAMS: dict[str, type | tuple[type, ...]] = {
    "model": bool,
    "model_threshold": (float, int),
    "public_model": bool,
}
# A named person: "Dr Hallworth", "Mrs Okafor", "@handle", or a capitalised
# name set off by a comma ("..., Brenda.", "Sharon, ...").
_NAMED = re.compile(
    r"\b(?:Dr|Mr|Mrs|Ms|Miss|Prof)\.?\s+[A-Z][a-z]+|@\w+|,\s*[A-Z][a-z]{2,}\b(?=\s*[.!?,:])"
)
# Talking to people rather than about them: "you are ...", "you lot".
_ADDRESSING = re.compile(
    r"\byou(?:\s+(?:lot|people|all|guys|two))?\s*(?:are|'re|’re|were)\b|\byou\s+(?:lot|people)\b",
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you're|youre|u|ya|y'all|yourself)\b", re.I)


def _model_floor(name: str, p: dict[str, Any]) -> float | None:
    """The model threshold a detector uses, or None when the model is off."""
    if not p.get("model", True):
        return None
    if "model_threshold" in p:
        floor = float(p["model_threshold"])
        if not 0.0 < floor <= 1.0:
            raise DetectorConfigError(f"detector {name!r}: model_threshold must be in (0, 1]")
        return floor
    load_language_model()  # fail at configuration time if the model is missing
    return _MODEL_FLOOR


@cache
def _group_matcher() -> PhraseMatcher:
    """Every bias group term and guard (the default bias lexicon)."""
    phrases: dict[str, str] = {}
    for section, terms in load_lexicon("bias_groups.txt").items():
        for phrase in terms:
            for term in _expand_group(phrase):
                phrases[term] = "group:" + section
    for section in ("guard", _SOFT_GUARD):
        for phrase in load_lexicon("bias_cues.txt")[section]:
            phrases.setdefault(phrase, section)
    return PhraseMatcher(phrases)


def _addresses_person(text: str, start: int, end: int) -> bool:
    """Whether a span talks to or about people rather than a thing or an idea.

    A span that names a protected group is the bias detector's business, and
    a rebuttal guard ("it's a myth that") vetoes the span.
    """
    labels = {m.label for m in _group_matcher().find(text[start:end].lower())}
    if labels & {"guard", _SOFT_GUARD}:
        return False
    if any(label.startswith("group:") for label in labels):
        return _ADDRESSING.search(text, start, end) is not None
    return (
        _SECOND_PERSON.search(text, start, end) is not None
        or _NAMED.search(text, start, end) is not None
        or _PERSON_REF.search(text, start, end) is not None
    )


def _names_group(text: str, start: int, end: int) -> PhraseMatch | None:
    """The first bias group term in a span, unless a guard vetoes the span."""
    found = _group_matcher().find(text[start:end].lower())
    if any(m.label in ("guard", _SOFT_GUARD) for m in found):
        return None
    return next((m for m in found if m.label.startswith("group:")), None)


def _evidence(text: str, start: int, end: int, limit: int = 160) -> str:
    piece = text[start:end].strip()
    return piece if len(piece) <= limit else piece[: limit - 1].rstrip() + "…"


def _harassment(text: str, start: int, end: int, note: str) -> Hit:
    return span_hit("language.harassment", text, start, end, note=note)


# --------------------------------------------------------------------------
# the models trained on public data (offensive_model.json, hate_model.json)
#
# They read the whole span, so they catch what no list holds ("go back to
# where you came from", disguised or misspelled insults), at the cost of
# occasional errors; they add hits only to documents the rules left clean.
# An offensive span is reported by exactly one detector: harassment when it
# talks to or about a person, bias when it names a protected group, and
# profanity otherwise (vulgar or abusive language aimed at nobody in
# particular).


def _offence_kind(text: str, start: int, end: int) -> str:
    if _addresses_person(text, start, end):
        return "language.harassment"
    if _names_group(text, start, end) is not None:
        return "language.bias"
    return "language.profanity"


def _offensive_floor(category: str) -> float:
    """The offensive model's score a hit of ``category`` needs (see
    :class:`postguard.detectors._public_models.EngineFloors`): the model's own
    threshold (about 0.4) balances tweets, a third of them offensive; aimed
    spans also count as hate, so they need more."""
    floors = _public_models.engine_floors()
    return floors.unaimed if category == "language.profanity" else floors.aimed


def _public_hits(
    category: str,
    docs: Sequence[Document],
    results: list[list[Hit]],
    reports_group: Callable[[str], bool] | None = None,
) -> None:
    """Add the offensive model's hits of ``category`` (and, for bias, the hate
    model's) to the documents that have none yet. ``reports_group`` (bias)
    says whether a named group is one the detector reports."""
    clean = [i for i, hits in enumerate(results) if not hits]
    if not clean:
        return
    batch = [docs[i] for i in clean]
    offensive: list[tuple[float, int, int] | None] = list(
        _public_models.document_scores("offensive", batch)
    )
    hate = _public_models.flags("hate", batch) if category == "language.bias" else []
    floor = _offensive_floor(category)
    gate = _public_models.engine_floors().hate_gate
    for k, i in enumerate(clean):
        text = docs[i].text
        flag = offensive[k]
        if hate and hate[k] is not None and (flag is None or flag[0] < gate):
            hate[k] = None  # hate is offensive too: nothing offensive, no hate hit
        if category == "language.bias" and reports_group is not None:
            for found in (flag, hate[k]):
                group = found and _names_group(text, found[1], found[2])
                if group and not reports_group(group.phrase):
                    flag, hate[k] = None, None  # a group this rule does not cover
        if (
            flag is not None
            and flag[0] >= floor
            and _offence_kind(text, flag[1], flag[2]) == category
        ):
            note = {
                "language.harassment": "model: offensive language aimed at a person",
                "language.bias": "model: offensive language about a group",
                "language.profanity": "model: offensive language",
            }[category]
        elif hate and hate[k] is not None:
            flag, note = hate[k], "model: hostility towards a group"
        else:
            continue
        assert flag is not None  # both branches above set it
        score, start, end = flag
        results[i].append(
            Hit(
                category=category,
                start=start,
                end=end,
                evidence=_evidence(text, start, end),
                score=round(score, 3),
                note=note,
            )
        )


class HarassmentDetector(Detector):
    """Insults, disparagement and threats aimed at a person or people.

    An insult word needs a person target ("you idiot", "she's clueless",
    "that midwife is a joke", "these lazy mothers"); the same word about a
    thing ("this pump is useless") or an idea is criticism, not harassment.
    Hostile directives ("shut up", "nobody wants you here") and threats
    ("I'll make sure you never work again") are hits on their own.
    """

    name = "language.harassment"
    categories = frozenset({"language.harassment"})
    summary = "Insults, disparagement or threats aimed at colleagues, clients or commenters."

    def __init__(self, **params: Any) -> None:
        p = take_params(
            self.name, params, {"extra_words": list, "allow_words": list, **_MODEL_PARAMS}
        )
        extra = _str_list(self.name, "extra_words", p.get("extra_words", []))
        allow = _str_list(self.name, "allow_words", p.get("allow_words", []))
        self._model_floor = _model_floor(self.name, p)
        self._public = bool(p.get("public_model", True))
        lexicon = load_lexicon("insults.txt")
        contempt = load_lexicon("language_contempt.txt")
        phrases: dict[str, str] = {}
        for section in ("strong", "weak"):
            for phrase in contempt[section]:
                phrases[phrase] = section
        for section in ("insult", "name", "directive", "threat"):
            for phrase in lexicon[section]:
                phrases[phrase] = section
        for phrase in extra:
            phrases[phrase] = "insult"
        for phrase in allow:
            phrases.pop(phrase, None)
        for phrase in _STRUCTURED_GATES:
            phrases.setdefault(phrase, "gate")
        self._matcher = PhraseMatcher(phrases)

    def detect(self, doc: Document) -> list[Hit]:
        return self.detect_many([doc])[0]

    def detect_many(self, docs: Sequence[Document]) -> list[list[Hit]]:
        """The rules on every document, then the model on those without a hit:
        a confident span that addresses or names a person and holds a weak
        cue the rules found but could not act on."""
        ruled = [self._rules(doc) for doc in docs]
        results = [hits for hits, _ in ruled]
        for doc, hits in zip(docs, results, strict=True):
            if not hits:
                hits.extend(frame_hits("language.harassment", doc.text))
        if self._model_floor is not None:
            self._language_model(docs, ruled, results, self._model_floor)
        if self._public:
            _public_hits("language.harassment", docs, results)
        return results

    @staticmethod
    def _language_model(
        docs: Sequence[Document],
        ruled: list[tuple[list[Hit], list[tuple[int, int, float]]]],
        results: list[list[Hit]],
        floor: float,
    ) -> None:
        # The model alone is not trusted: a span needs a weak rule cue too
        # (an unaimed insult, a contempt word, a vocative ...) that was not
        # enough for the rules on their own, and a person in view.
        candidates: list[tuple[int, int, int]] = []
        for i, (hits, cues) in enumerate(ruled):
            weighty = [c[0] for c in cues if c[2] >= 1.0]
            if hits or not weighty:
                continue
            text = docs[i].text
            candidates.extend(
                (i, start, end)
                for start, end in units(text)
                if any(start <= c < end for c in weighty) and _addresses_person(text, start, end)
            )
        scores = score_spans([(docs[i], start, end) for i, start, end in candidates])
        for (i, start, end), score in zip(candidates, scores, strict=True):
            if score >= floor and not results[i]:
                text = docs[i].text
                results[i].append(
                    Hit(
                        category="language.harassment",
                        start=start,
                        end=end,
                        evidence=_evidence(text, start, end),
                        score=score,
                        note="model: contempt aimed at a person",
                    )
                )

    def _rules(self, doc: Document) -> tuple[list[Hit], list[tuple[int, int, float]]]:
        """The rule hits, and the weak cues that were not enough on their own."""
        text, lower = doc.text, doc.lower
        found = self._matcher.find(lower)
        if "know where" in lower:
            for threat in _KNOW_WHERE.finditer(text):
                found.append(PhraseMatch(threat.start(), threat.end(), threat.group(), "threat"))
        hits: list[Hit] = []
        cues: list[tuple[int, int, float]] = []
        present: set[tuple[str, str]] = set()
        for match in found:
            start, end = match.start, match.end
            note = match.label
            if note == "gate":
                present.add(("scorn", match.phrase))
                continue
            if note in _CUE_WEIGHTS:
                cues.append((start, end, _CUE_WEIGHTS[note]))
                continue
            if note in ("insult", "name") and (
                not (self._aimed(text, match) or self._addressed(text, match))
                or (note == "name" and _COMPOUND_AFTER.match(text, end))
            ):
                cues.append((start, end, _fragment_weight(text, match)))
                continue
            if match.phrase in _REPROACH:
                # "Shame on you IPALA" is criticism of an organisation; aimed
                # at a person it still needs a second cue.
                if not _AT_ORGANISATION.match(text, end):
                    cues.append((start, end, 1.0))
                continue
            if note == "directive" and _NOT_A_COMMAND.search(text, max(0, start - 30), start):
                continue  # "a lump that doesn't go away" describes, it does not order
            if note == "insult" and match.phrase in _ALSO_A_RIGHT and _TO_AFTER.match(text, end):
                continue  # "you're entitled to paid breaks"
            if note in ("insult", "name"):
                start, note = self._extend_left(text, start), "insult aimed at a person"
                after = _EXCUSE_AFTER.match(text, end) if "excuse" in match.phrase else None
                if after is not None:
                    end = after.end()
                after = _PERSON_AFTER.match(text, end)
                if after is not None:
                    if start == match.start:
                        det = _DET_BEFORE.search(text[max(0, start - 40) : start])
                        start -= (
                            0
                            if det is None
                            else len(text[max(0, start - 40) : start]) - det.start()
                        )
                    end = after.end()
            hits.append(_harassment(text, start, end, note))
        for _, value in _gates().iter(lower):
            present.update(value)
        for key, kind, pattern in _SHAPE_KEYS if present else ():
            if key in present:
                hits.extend(
                    _harassment(text, m.start(), m.end(), kind) for m in pattern.finditer(text)
                )
        if not hits and self._may_scorn(present, cues):
            hits.extend(self._contempt(text, cues))
        hits.sort(key=lambda h: (h.start or 0, h.end or 0))
        return hits, cues

    @staticmethod
    def _may_scorn(present: set[tuple[str, str]], cues: list[tuple[int, int, float]]) -> bool:
        """Whether the cues found so far, plus the most the structured cues
        could add, can reach the threshold (a cheap upper bound)."""
        total = sum(weight for _, _, weight in cues) + 0.5  # + a name ending a sentence
        total += sum(2.0 for kind, _ in present if kind in ("scorn", "quote"))
        return total >= _CONTEMPT_ENOUGH

    @staticmethod
    def _contempt(text: str, cues: list[tuple[int, int, float]]) -> list[Hit]:
        """Mockery and put-downs: weighed cues in a window of three sentences."""
        for pattern, weight in _STRUCTURED_CUES:
            cues.extend((m.start(), m.end(), weight) for m in pattern.finditer(text))
        if sum(weight for _, _, weight in cues) < _CONTEMPT_ENOUGH:
            return []
        bounds = list(sentences(text))
        per_sentence: dict[int, list[tuple[int, int, float]]] = {}
        for cue in cues:
            per_sentence.setdefault(_sentence_of(bounds, cue[0]), []).append(cue)
        for index in sorted(per_sentence):
            window = [cue for i in (index - 1, index, index + 1) for cue in per_sentence.get(i, ())]
            if sum(weight for _, _, weight in window) < _CONTEMPT_ENOUGH:
                continue
            lo = bounds[max(0, index - 1)][0]
            hi = bounds[min(len(bounds) - 1, index + 1)][1]
            if _PERSON_REF.search(text, lo, hi) is None:
                continue
            start = min(cue[0] for cue in window)
            end = max(cue[1] for cue in window)
            return [_harassment(text, start, end, "mockery or contempt aimed at a person")]
        return []

    @staticmethod
    def _addressed(text: str, match: PhraseMatch) -> bool:
        """Name-calling that the insult rules miss: "that old battleaxe", "you're all ... nazis"."""
        before = text[max(0, match.start - 60) : match.start]
        if _YOU_ARE_CLAUSE.search(before):
            return True
        if match.label != "name":
            return False
        return (
            _NAME_DET_BEFORE.search(before) is not None
            or _CALLED_AFTER.match(text, match.end) is not None
            or (
                _fragment_weight(text, match) >= 1.0
                and _SHORT_FRAGMENT.fullmatch(_sentence_text(text, match.start)) is not None
            )
        )

    @staticmethod
    def _aimed(text: str, match: PhraseMatch) -> bool:
        before = text[max(0, match.start - _LOOK_BACK) : match.start]
        after = text[match.end : match.end + 60]
        return _aimed_at(before, after, match.phrase)

    @staticmethod
    def _extend_left(text: str, start: int) -> int:
        """Start the span at the target ("you", "that midwife") when it is close."""
        before = text[max(0, start - _LOOK_BACK) : start]
        found = (
            _TARGET_BEFORE.search(before)
            or _NAME_BEFORE.search(before)
            or _NAME_DET_BEFORE.search(before)
        )
        if found is None:
            return start
        return start - len(before) + found.start()


# The target patterns are costly (~0.2 ms a call) and are asked once per insult
# word; a text that repeats itself asks the same question thousands of times.
@lru_cache(maxsize=4096)
def _aimed_at(before: str, after: str, phrase: str) -> bool:
    """Whether the insult ``phrase``, between ``before`` and ``after``, is aimed at someone."""
    if _REBUTTAL.search(before) or _THING_SUBJECT.search(before):
        return False
    if _THING_AFTER.match(after) and _PERSON_AFTER.match(after) is None:
        return False  # "what a useless statement"
    if phrase in _NEEDS_COPULA and _REPORTED_BELIEF.search(before):
        return False  # "everyone thought she was crazy"
    if phrase.startswith(("excuse for", "pathetic excuse", "poor excuse", "sad excuse")):
        return _EXCUSE_AFTER.match(after) is not None
    # One free adjective after the article: "is a lying cheat", "a two-faced fraud".
    adjective = _ARTICLE_ADJECTIVE.search(before)
    if adjective is not None and not _TARGET_BEFORE.search(before):
        before = before[: adjective.start("adj")]
    if _TARGET_BEFORE.search(before) or _NAME_BEFORE.search(before):
        if phrase in _NEEDS_COPULA and _TOO_TO.search(before):
            return _TO_AFTER.match(after) is not None
        return True
    if phrase in _NEEDS_COPULA:
        return False
    return _PERSON_AFTER.match(after) is not None and _DET_BEFORE.search(before) is not None


# --------------------------------------------------------------------------
# bias


# Sweeping quantifiers count only right after the group ("Muslims always ...",
# "immigrant mums never ..."); elsewhere they are too common to mean bias.
#: how far from a contempt frame a group may be named (about a sentence)
_FRAME_REACH = 120
_WEAK_CUES = frozenset({"always", "never", "all", "every", "invariably", "just", "only"})
# Cues that often aim at something else in the sentence ("Typical - another
# post by ..."): they count only right beside the group ("typical teen mums").
_NEAR_CUES = frozenset({"typical", "so typical", "typical of"})
_NEAR_CHARS = 12
_ADJACENT = re.compile(r"\s+(?:are\s+|will\s+|would\s+|do\s+|just\s+|nearly\s+|almost\s+)?")


# The people a modifier in bias_groups.txt ("deaf *") is expanded with.
_GROUP_NOUNS = (
    "mums",
    "moms",
    "mothers",
    "mamas",
    "parents",
    "families",
    "women",
    "men",
    "couples",
    "people",
    "dads",
    "fathers",
    "folk",
    "folks",
    "clients",
    "patients",
    "girls",
    "boys",
    "households",
    "communities",
    "mum",
    "mom",
    "mother",
    "parent",
    "family",
    "woman",
    "man",
    "couple",
    "dad",
    "father",
    "client",
    "patient",
    "girl",
    "voters",
    "lot",
    "in-laws",
    "grandmothers",
    "grannies",
    "grandparents",
    "husbands",
    "wives",
    "elders",
    "relatives",
)
# Generalisations the cue lexicon cannot list, read right after a group term
# (past an optional "who ..." clause): "X are so/too/just/naturally ...",
# "X shouldn't really be left to ...", "X can't really manage ...".
_PREDICATE = re.compile(
    r"(?:\s+(?:who|that|with|from|in|on)\b[^,.;:!?\n]{0,60}?)?"
    r"\s+(?:today|nowadays|these\s+days|round\s+here|in\s+general|honestly)?\s*"
    r"(?:(?:are|is|get|seem|act)\s+(?:(?:so|too|all|just|naturally|basically|inherently|simply"
    r"|only|such|always|never|genuinely|literally)\s+)+"
    r"(?!(?:often|many|much|few|likely|as|more|less|welcome|capable|able|entitled|important"
    r"|valued|deserving|brave|strong|resilient|inspiring|amazing|brilliant|lovely|grateful"
    r"|keen|happy|proud|glad|busy|tired|exhausted|overlooked|underserved|excluded|ignored"
    r"|judged|stigmati[sz]ed|unsupported|often|rarely|far|well)\b)[a-z]"
    r"|(?:shouldn'?t|shouldn’t|should\s+not|should\s+never|mustn'?t|can'?t|can’t|cannot"
    r"|can\s+never|will\s+never|won'?t\s+ever|never\s+will)\s+"
    r"(?:(?:really|honestly|even|ever|properly|actually|just|truly)\s+)*"
    r"(?:be\s+(?:left(?!\s+(?:without|out|behind|waiting|to\s+struggle))|allowed|trusted|having|let|parents|mothers|mums|moms)|have\s+(?:babies|kids"
    r"|children)|breastfeed|chestfeed|manage|cope|look\s+after|parent|raise|care\s+for|bond"
    r"|be\s+bothered|understand|learn|follow|feed|nurse|be\s+good))",
    re.IGNORECASE,
)
_SOFT_GUARD = "soft guard"
_CUE_LABELS = frozenset({"derogatory", "severe"})


def _expand_group(phrase: str) -> tuple[str, ...]:
    if not phrase.endswith(" *"):
        return (phrase,)
    stem = phrase[:-2].strip()
    return tuple(f"{stem} {noun}" for noun in _GROUP_NOUNS)


class BiasDetector(Detector):
    """Generalisations and derogation about a group protected by CPC 6.3.

    A group term (bias_groups.txt, by characteristic) and a derogatory or
    generalising cue (bias_cues.txt) in the same sentence make a hit, unless
    a guard before the cue shows the sentence rebuts or discusses the
    stereotype ("it's a myth that ..."). Neutral and supportive mentions of
    a group have no cue and pass.

    Params: ``characteristics`` (list of section names to report, default
    all), ``extra_groups`` (more group terms, characteristic "other").
    """

    name = "language.bias"
    categories = frozenset({"language.bias"})
    summary = (
        "Biased generalisations about age, race, religion, disability"
        " and the other CPC 6.3 characteristics."
    )

    def __init__(self, **params: Any) -> None:
        p = take_params(
            self.name, params, {"characteristics": list, "extra_groups": list, **_MODEL_PARAMS}
        )
        self._model_floor = _model_floor(self.name, p)
        self._public = bool(p.get("public_model", True))
        groups = load_lexicon("bias_groups.txt")
        wanted = _str_list(self.name, "characteristics", p.get("characteristics", list(groups)))
        unknown = sorted(set(wanted) - set(groups))
        if unknown:
            raise DetectorConfigError(
                f"detector {self.name!r}: unknown characteristics {', '.join(unknown)}"
                f" (known: {', '.join(groups)})"
            )
        phrases: dict[str, str] = {}
        for section in wanted:
            for phrase in groups[section]:
                for term in _expand_group(phrase):
                    phrases[term] = "group:" + section
        for phrase in _str_list(self.name, "extra_groups", p.get("extra_groups", [])):
            phrases[phrase] = "group:other"
        cues = load_lexicon("bias_cues.txt")
        for phrase in _WEAK_CUES:
            phrases[phrase] = "derogatory"
        for section in ("severe", "derogatory", "guard", _SOFT_GUARD):
            for phrase in cues[section]:
                phrases.setdefault(phrase, section)
        self._matcher = PhraseMatcher(phrases)

    def detect(self, doc: Document) -> list[Hit]:
        return self.detect_many([doc])[0]

    def detect_many(self, docs: Sequence[Document]) -> list[list[Hit]]:
        """The rules on every document, then the model on those without a hit:
        a confident span that names a group this detector reports and holds
        a generalising cue."""
        ruled = [self._rules(doc) for doc in docs]
        results = [hits for hits, _ in ruled]
        for doc, hits in zip(docs, results, strict=True):
            if not hits:
                hits.extend(self._framed(doc.text))
        if self._model_floor is not None:
            self._language_model(docs, ruled, results, self._model_floor)
        if self._public:
            _public_hits("language.bias", docs, results, self._reports)
        return results

    def _framed(self, text: str) -> list[Hit]:
        """A contempt or exclusion frame (frames.py) with a group this detector
        reports named in the same or the neighbouring sentence."""
        hits: list[Hit] = []
        for hit in frame_hits("language.bias", text):
            assert hit.start is not None and hit.end is not None
            lo, hi = max(0, hit.start - _FRAME_REACH), min(len(text), hit.end + _FRAME_REACH)
            group = _names_group(text, lo, hi)
            if group is not None and self._reports(group.phrase):
                start, end = min(hit.start, lo + group.start), max(hit.end, lo + group.end)
                hits.append(span_hit("language.bias", text, start, end, score=0.8, note=hit.note))
        return hits

    def _language_model(
        self,
        docs: Sequence[Document],
        ruled: list[tuple[list[Hit], bool]],
        results: list[list[Hit]],
        floor: float,
    ) -> None:
        candidates: list[tuple[int, int, int, PhraseMatch]] = []
        for i, (hits, maybe) in enumerate(ruled):
            if hits or not maybe:
                continue
            text = docs[i].text
            for start, end in units(text):
                group = _names_group(text, start, end)
                if (
                    group is not None
                    and self._reports(group.phrase)
                    and _ADDRESSING.search(text, start, end) is None
                    and self._has_cue(docs[i].lower[start:end])
                ):
                    candidates.append((i, start, end, group))
        scores = score_spans([(docs[i], start, end) for i, start, end, _ in candidates])
        for (i, start, end, group), score in zip(candidates, scores, strict=True):
            if score >= floor and not results[i]:
                text = docs[i].text
                results[i].append(
                    Hit(
                        category="language.bias",
                        start=start,
                        end=end,
                        evidence=_evidence(text, start, end),
                        score=score,
                        note="model: " + group.label.removeprefix("group:"),
                    )
                )

    def _has_cue(self, lower: str) -> bool:
        """A generalising or derogatory cue anywhere in the span, even one the
        rules set aside (a quantifier away from the group, a soft guard)."""
        return any(m.label in _CUE_LABELS for m in self._matcher.find(lower))

    def _reports(self, phrase: str) -> bool:
        return any(m.label.startswith("group:") for m in self._matcher.find(phrase))

    def _rules(self, doc: Document) -> tuple[list[Hit], bool]:
        """The rule hits, and whether the text has both a group and a cue
        (only then can the model add a hit)."""
        lower = doc.lower
        found = self._matcher.find(lower)
        groups_found = [m for m in found if m.label.startswith("group:")]
        if not groups_found:
            return [], False
        for group in groups_found:
            predicate = _PREDICATE.match(lower, group.end)
            if predicate is not None:
                found.append(
                    PhraseMatch(group.end, predicate.end(), predicate.group(), "derogatory")
                )
        if not any(m.label in _CUE_LABELS for m in found):
            return [], False
        bounds = list(sentences(doc.text))
        per_sentence: dict[int, list[PhraseMatch]] = {}
        for match in found:
            per_sentence.setdefault(_sentence_of(bounds, match.start), []).append(match)
        hits: list[Hit] = []
        for matches in per_sentence.values():
            matches.sort(key=lambda m: m.start)
            groups = [m for m in matches if m.label.startswith("group:")]
            cues = [m for m in matches if m.label in _CUE_LABELS]
            if not groups or not cues:
                continue
            guards = [m for m in matches if m.label == "guard"]
            soft = [m for m in matches if m.label == _SOFT_GUARD]
            strong = [
                c
                for c in cues
                if c.phrase not in _WEAK_CUES
                and (
                    c.phrase not in _NEAR_CUES
                    or any(
                        g.start - c.end <= _NEAR_CHARS and c.start - g.end <= _NEAR_CHARS
                        for g in groups
                    )
                )
                and not any(g.start < c.start for g in guards)
                and (c.label == "severe" or not any(g.start < c.start for g in soft))
            ]
            weak = [
                c
                for c in cues
                if c.phrase in _WEAK_CUES
                and any(_ADJACENT.fullmatch(lower[g.end : c.start]) for g in groups)
            ]
            if strong:
                cue = strong[0]
            elif weak and not any(g.start < weak[0].start for g in (*guards, *soft)):
                # A guard after the generalisation ("... never have a
                # support network") does not take it back.
                cue = weak[0]
            else:
                continue
            group = groups[0]
            start, end = min(group.start, cue.start), max(group.end, cue.end)
            hits.append(
                span_hit(
                    "language.bias", doc.text, start, end, note=group.label.removeprefix("group:")
                )
            )
        return hits, True
