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

import math
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from postguard.detectors.base import Detector, DetectorConfigError, Document, Hit, take_params
from postguard.detectors.text import PhraseMatch, PhraseMatcher, sentences, word_regex

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
    starting with ``#`` and blank lines are ignored.
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
        current.append(line.lower())
    return {name: tuple(phrases) for name, phrases in sections.items()}


def _str_list(name: str, key: str, value: Any) -> tuple[str, ...]:
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise DetectorConfigError(f"detector {name!r}: {key} must be a list of non-empty strings")
    return tuple(item.strip().lower() for item in value)


def _sentence_of(bounds: list[tuple[int, int]], pos: int) -> int:
    """Index of the sentence containing ``pos`` (bounds are few and sorted)."""
    for index, (start, end) in enumerate(bounds):
        if start <= pos < end:
            return index
    return len(bounds) - 1 if bounds else 0


# --------------------------------------------------------------------------
# the profanity model


class _Model:
    """alt-profanity-check's model, folded for fast batched scoring.

    The package's model is a TF-IDF vectorizer and a CalibratedClassifierCV
    over five LinearSVCs with sigmoid calibration. ``predict_prob`` computes
    the mean calibrated probability; calling it costs about 2 ms of fixed
    overhead per call (scikit-learn's per-estimator validation) and a
    per-row ``apply_along_axis``. We compute the same numbers from the same
    fitted parameters with one vectorizer call and one sparse matrix product
    per batch (a test checks they agree with ``predict_prob``).
    """

    def __init__(self) -> None:
        from profanity_check import profanity_check as package

        self.vectorizer = package.vectorizer
        classifiers = package.model.calibrated_classifiers_
        self.weights: NDArray[np.float64] = np.stack(
            [np.asarray(c.estimator.coef_[0], dtype=np.float64) for c in classifiers], axis=1
        )
        self.intercepts = np.array([float(c.estimator.intercept_[0]) for c in classifiers])
        self.slopes = np.array([float(c.calibrators[0].a_) for c in classifiers])
        self.offsets = np.array([float(c.calibrators[0].b_) for c in classifiers])
        self.vocabulary: dict[str, int] = dict(self.vectorizer.vocabulary_)

    def scores(self, texts: Sequence[str]) -> NDArray[np.float64]:
        if not texts:
            return np.zeros(0)
        features = self.vectorizer.transform(list(texts))
        decision = np.asarray(features @ self.weights) + self.intercepts
        probs = 1.0 / (1.0 + np.exp(decision * self.slopes + self.offsets))
        out: NDArray[np.float64] = probs.mean(axis=1)
        return out

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
    r"|sh[\W_]{0,2}[i1!*][\W_]{0,2}t(?:ty|s|e)?"
    r"|b[\W_]{0,2}[i1!*][\W_]{0,2}[t*][\W_]{0,2}c?h(?:es|ing|y)?"
    r"|a[\W_]{0,2}[s$*]{2}(?:hole)?"
    r"|c[\W_]{0,2}[u*][\W_]{0,2}[n*][\W_]{0,2}t"
    r")(?![\w*@#$!])",
    re.IGNORECASE,
)
_SYMBOL = re.compile(r"[*@#$!%]")
_ALPHA_WORD = re.compile(r"[a-z]+")


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
            {"threshold": (float, int), "extra_words": list, "allow_words": list},
        )
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
            if any(c in lower for c in "*@#$!%"):
                for found in _OBFUSCATED.finditer(lower):
                    if _SYMBOL.search(found.group()) and not _covered(hits, found.start()):
                        hits.append(self._hit(doc, found.start(), found.end(), "obfuscated"))
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
            for index, found_triggers in by_sentence.items():
                start, end = bounds[index]
                if any(start <= h.start < end for h in hits if h.start is not None) or any(
                    start <= pos < end for pos in excused
                ):
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
        for hits in results:
            hits.sort(key=lambda h: (h.start or 0, h.end or 0))
        return results

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
        for match in exclamations:
            start, end = bounds[_sentence_of(bounds, match.start)]
            if any(h.start is not None and start <= h.start < end for h in hits):
                continue
            if self._praise.search(doc.lower, start, end):
                excused.add(match.start)
        return excused

    def _hit(self, doc: Document, start: int, end: int, how: str, score: float = 1.0) -> Hit:
        return Hit(
            category="language.profanity",
            start=start,
            end=end,
            evidence=doc.text[start:end],
            score=score,
            note=how,
        )


def _covered(hits: list[Hit], pos: int) -> bool:
    return any(h.start is not None and h.end is not None and h.start <= pos < h.end for h in hits)


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
    rf"|\b(?:anyone|anybody|everyone|everybody|whoever|someone|somebody|people|those)"
    rf"\s+(?:who|that)\s+(?:[^\s.!?;:]+\s+){{0,10}}?{_COPULA}\s*(?:{_MOD}\s+){{0,3}}"
    rf"|\bwhat\s+(?:an?\s+)?(?:{_MOD}\s+){{0,2}}"
    rf"|\b(?:call(?:ed|ing)?|calls)\s+(?:her|him|them|you|me)\s+(?:an?\s+)?(?:{_MOD}\s+){{0,2}}"
    rf"|\b(?:she|he|they)\s+(?:'s|’s|is|are|was|were)\s+(?:just\s+)?(?:an?\s+)?"
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
    r"\bi\s+know\s+where\s+(?:you|she|he|they|(?:your|her|his|their)\s+[\w-]+)"
    r"\s+(?:live|lives|work|works|sleep|sleeps|stay|stays|park|parks)\b",
    re.IGNORECASE,
)
# "Shame on you IPALA": reproach aimed at an organisation is criticism, not harassment.
_AT_ORGANISATION = re.compile(r"\s*,?\s*@?[A-Z]{3,}\b")
_REPROACH = frozenset({"shame on you", "you should be ashamed"})
# "It's a myth that teen mums are lazy" reports a stereotype, it does not insult.
_REBUTTAL = re.compile(
    r"\b(?:myth|not true|stereotypes?|assume|assumption|claim|claims|says|said|(?<!-)called)\b"
    r"[^.!?\n]*\Z",
    re.IGNORECASE,
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
        p = take_params(self.name, params, {"extra_words": list, "allow_words": list})
        extra = _str_list(self.name, "extra_words", p.get("extra_words", []))
        allow = _str_list(self.name, "allow_words", p.get("allow_words", []))
        lexicon = load_lexicon("insults.txt")
        phrases: dict[str, str] = {}
        for section in ("insult", "directive", "threat"):
            for phrase in lexicon[section]:
                phrases[phrase] = section
        for phrase in extra:
            phrases[phrase] = "insult"
        for phrase in allow:
            phrases.pop(phrase, None)
        self._matcher = PhraseMatcher(phrases)

    def detect(self, doc: Document) -> list[Hit]:
        found = self._matcher.find(doc.lower)
        if "know where" in doc.lower:
            for threat in _KNOW_WHERE.finditer(doc.text):
                found.append(PhraseMatch(threat.start(), threat.end(), threat.group(), "threat"))
        if not found:
            return []
        hits: list[Hit] = []
        text = doc.text
        for match in found:
            start, end = match.start, match.end
            note = match.label
            if match.label == "insult" and not self._aimed(text, match):
                continue
            if match.phrase in _REPROACH and _AT_ORGANISATION.match(text, end):
                continue
            if match.label == "insult":
                start, note = self._extend_left(text, start), "insult aimed at a person"
                after = _EXCUSE_AFTER.match(text, end) if "excuse" in match.phrase else None
                if after is not None:
                    end = after.end()
                after = _PERSON_AFTER.match(text, end)
                if after is not None and start == match.start:
                    det = _DET_BEFORE.search(text[max(0, start - 40) : start])
                    start -= (
                        0 if det is None else len(text[max(0, start - 40) : start]) - det.start()
                    )
                    end = after.end()
            hits.append(
                Hit(
                    category="language.harassment",
                    start=start,
                    end=end,
                    evidence=text[start:end],
                    note=note,
                )
            )
        return hits

    @staticmethod
    def _aimed(text: str, match: PhraseMatch) -> bool:
        before = text[max(0, match.start - _LOOK_BACK) : match.start]
        after = text[match.end : match.end + 60]
        if _REBUTTAL.search(before):
            return False
        if match.phrase.startswith(("excuse for", "pathetic excuse", "poor excuse", "sad excuse")):
            return _EXCUSE_AFTER.match(after) is not None
        if _TARGET_BEFORE.search(before) or _NAME_BEFORE.search(before):
            if match.phrase in _NEEDS_COPULA and _TOO_TO.search(before):
                return _TO_AFTER.match(after) is not None
            return True
        if match.phrase in _NEEDS_COPULA:
            return False
        return _PERSON_AFTER.match(after) is not None and _DET_BEFORE.search(before) is not None

    @staticmethod
    def _extend_left(text: str, start: int) -> int:
        """Start the span at the target ("you", "that midwife") when it is close."""
        before = text[max(0, start - _LOOK_BACK) : start]
        found = _TARGET_BEFORE.search(before) or _NAME_BEFORE.search(before)
        if found is None:
            return start
        return start - len(before) + found.start()


# --------------------------------------------------------------------------
# bias


# Sweeping quantifiers count only right after the group ("Muslims always ...",
# "immigrant mums never ..."); elsewhere they are too common to mean bias.
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
)


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
        p = take_params(self.name, params, {"characteristics": list, "extra_groups": list})
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
        for section in ("derogatory", "guard"):
            for phrase in cues[section]:
                phrases.setdefault(phrase, section)
        self._matcher = PhraseMatcher(phrases)

    def detect(self, doc: Document) -> list[Hit]:
        found = self._matcher.find(doc.lower)
        if not any(m.label.startswith("group:") for m in found) or not any(
            m.label == "derogatory" for m in found
        ):
            return []
        bounds = list(sentences(doc.text))
        per_sentence: dict[int, list[PhraseMatch]] = {}
        for match in found:
            per_sentence.setdefault(_sentence_of(bounds, match.start), []).append(match)
        hits: list[Hit] = []
        for matches in per_sentence.values():
            groups = [m for m in matches if m.label.startswith("group:")]
            cues = [m for m in matches if m.label == "derogatory"]
            if not groups or not cues:
                continue
            guards = [m for m in matches if m.label == "guard"]
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
            ]
            weak = [
                c
                for c in cues
                if c.phrase in _WEAK_CUES
                and any(_ADJACENT.fullmatch(doc.lower[g.end : c.start]) for g in groups)
            ]
            if strong and not any(g.start < strong[0].start for g in guards):
                cue = strong[0]
            elif weak and not guards:
                cue = weak[0]
            else:
                continue
            group = groups[0]
            start, end = min(group.start, cue.start), max(group.end, cue.end)
            hits.append(
                Hit(
                    category="language.bias",
                    start=start,
                    end=end,
                    evidence=doc.text[start:end],
                    note=group.label.removeprefix("group:"),
                )
            )
        return hits
