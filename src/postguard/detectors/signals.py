"""Signals on inbound comments: negative feedback, complaints and crises.

IPALA's policy (section 3, "Crisis management") has members take negative
comments and crises to the Communications & Technical Standing Committee,
which handles complaints, negative comments and crises. These detectors
triage the inbox so that the right items reach the committee quickly:

- :class:`NegativeDetector`: hostile or disappointed feedback (VADER plus a
  lexicon of phrasings VADER scores as neutral or positive, such as
  "unfollowing" or "what a joke").
- :class:`ComplaintDetector`: a complaint about the service, a member or
  conduct.
- :class:`CrisisDetector`: items that need a person now: self-harm, threats,
  legal threats, press enquiries, a baby in danger, safeguarding concerns,
  viral outrage. Threats, legal threats, press and outrage can be negated
  ("I'm not going to sue"); self-harm and a baby in danger never are.

They work on any text; the packs apply them to inbound comments.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import re2

from postguard.detectors import _linear_model, _public_models
from postguard.detectors.base import Detector, DetectorConfigError, Document, Hit, take_params
from postguard.detectors.frames import frame_hits
from postguard.detectors.text import PhraseMatcher, capped, sentences
from postguard.langid import reads_as_other_language
from postguard.lazy_re2 import lazy

_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False


def _rx(pattern: str) -> Any:
    """A case-insensitive RE2 pattern: linear time on hostile input, and fast."""
    return lazy(pattern, _OPTIONS)


# --- negative feedback -------------------------------------------------------------

# Negative feedback that VADER misses or underrates. Each phrase is matched
# as whole words, case-insensitively.
NEGATIVE_PHRASES = (
    "unfollow",
    "unfollowing",
    "unfollowed",
    "unsubscribing",
    "unsubscribed",
    "unliked",
    "shame on you",
    "shame on ipala",
    "you should be ashamed",
    "should be ashamed",
    "ashamed of yourselves",
    "what a joke",
    "absolute joke",
    "complete joke",
    "such a joke",
    "misinformation",
    "disinformation",
    "misleading",
    "fake news",
    "not evidence based",
    "not evidence-based",
    "no evidence",
    "junk science",
    "pseudoscience",
    "dangerous advice",
    "bad advice",
    "terrible advice",
    "irresponsible",
    "do better",
    "you people",
    "so disappointed",
    "very disappointed",
    "really disappointed",
    "disappointed in you",
    "deeply disappointed",
    "let me down",
    "let us down",
    "failed me",
    "failing mothers",
    "failing mums",
    "failing moms",
    "failing women",
    "mum shaming",
    "mom shaming",
    "mum-shaming",
    "mom-shaming",
    "shaming",
    "guilt trip",
    "guilt-tripping",
    "guilt tripping",
    "preachy",
    "breastapo",
    "breastfeeding nazis",
    "boob nazis",
    "militant",
    "cult",
    "embarrassing",
    "tone deaf",
    "tone-deaf",
    "out of touch",
    "clueless",
    "pathetic",
    "useless",
    "worthless",
    "rubbish",
    "garbage",
    "trash",
    "nonsense",
    "bs",
    "bullshit",
    "scam",
    "hypocrite",
    "hypocrites",
    "hypocritical",
    "hypocrisy",
    "gaslighting",
    "fearmongering",
    "fear mongering",
    "fear-mongering",
    "thanks for nothing",
    "never again",
    "stop pushing",
    "stop preaching",
    "how dare you",
    "how dare",
    "sick of",
    "fed up with",
    "give me a break",
    "seriously?",
    "wow just wow",
    "yikes",
    "smh",
    "eye roll",
    "disgusting",
    "disgraceful",
    "appalling",
    "outrageous",
    "ridiculous",
    "unacceptable",
    "insulting",
    "offensive",
    "condescending",
    "patronising",
    "patronizing",
    "judgemental",
    "judgmental",
    "sanctimonious",
    "smug",
    "biased",
    "propaganda",
    # insults aimed at people
    "idiot",
    "idiots",
    "moron",
    "morons",
    "imbeciles",
    "clowns",
    "muppets",
    "hippies",
    "zealots",
    "fanatics",
    "quacks",
    "charlatans",
    "nutters",
    "lunatics",
    "know-it-alls",
    "know it alls",
    "brainwashed",
    "lost the plot",
    "head examined",
    "heads examined",
    "head checked",
    "heads checked",
    "hag",
    "hags",
    "harpy",
    "harpies",
    "losers",
    "liars",
    "frauds",
    "scumbag",
    "scumbags",
    "vile",
    "shut up",
    "stay in your lane",
    "get a real job",
    "go back to where you came from",
    "nobody wants you",
    "no one wants you",
    "nobody wants your",
    "no one wants your",
    "nobody asked you",
    "who asked you",
    # disappointment and low regard that VADER reads as neutral
    "feels like marketing",
    "feels like an advert",
    "feels like a sales pitch",
    "lip service",
    "box ticking",
    "box-ticking",
    "thumbs down",
    "👎",
    "mediocre",
    "overpriced",
    "over-priced",
    "rip off",
    "rip-off",
    "ripoff",
    "cash grab",
    "money grab",
    "sloppy",
    "amateurish",
    "low effort",
    "low-effort",
    "poor effort",
    "half-hearted",
    "half hearted",
    "recycled content",
    "same old",
    "read the room",
    "think before you post",
    "regret joining",
    "regret signing up",
    "regret renewing",
    "regret paying",
    "zero action",
    "all talk",
    "not a fan",
    "such a let down",
    "such a letdown",
    "what a let down",
    "what a letdown",
    "insensitive",
    "cringe",
    "cringey",
    "cringy",
    "cringeworthy",
    "meh",
    "echo chamber",
    "full of errors",
    "full of mistakes",
    "full of typos",
    "misrepresents",
    "misrepresenting",
    "misrepresented",
    "too many posts",
)
# Hostile phrasings with variable words ("shite advice", "typical —").
_HOSTILE = _rx(
    r"^\W*typical\b"
    r"|\b(?:shite|shit|shitty|crap|crappy|bad|terrible|awful|rubbish|dangerous|useless|poor|"
    r"horrible|appalling|pathetic|stupid|dumb|idiotic|harmful|garbage) (?:advice|post|posts|info|"
    r"information|page|service|organisation|organization|take|content|campaign|messaging)\b"
    r"|\b(?:fuck|piss|bugger|sod) off\b|\bcrap\b|\bshite\b|\bbollocks\b"
    r"|\btake (?:it|this|that) down\b|\bfor all the wrong reasons\b|\bbigot(?:s|ed|ry)?\b"
    r"|\bleave (?:mothers|mums|moms|women|parents|us) alone\b|\bbull(?:y|ies|ying)\b"
    r"|\banti[- ]formula\b|\bformula[- ]shaming\b|\bbreast is best crap\b"
    # "pretending they know anything", "think they know better"
    r"|\b(?:pretend(?:s|ing)?|think(?:s|ing)?) (?:they|you|she|he|to) (?:know|are|be) "
    r"(?:anything|everything|better|experts?|so much)\b"
    # representation called out: "all thin white women", "diversity who?"
    r"|\b(?:thin|skinny|perfect|privileged|rich|posh|middle[- ]class|wealthy|only|all)\s+"
    r"(?:\w+\s+)?white\s+(?:wom[ae]n|mums?|moms?|mothers?|people|ladies|girls|faces)\b"
    r"|\b(?:diversity|representation|inclusion|inclusivity|evidence|science|research)\s+who\s*\?"
)
# Gratitude or praise: with it, VADER's reading of dramatic words ("killed that
# fear dead") is not enough on its own.
_GRATEFUL = _rx(
    r"\b(?:thank you|thanks|thank u|thx|ty|so helpful|really helpful|love this|love it|"
    r"loved it|brilliant|amazing|life[- ]?saver|lifesaver|game[- ]?changer)\b"
    r"|[❤💕💖💗🥰😍🙏💛💚💙💜]",
)
# Praise in hostile words ("you're killing it", "a killer talk").
_PRAISE_IDIOM = _rx(
    r"\b(?:killing it|killed it|smashing it|smashed it|nailed it|slay(?:ed|ing|s)?|"
    r"killer (?:talk|presentation|post|session|workshop|webinar|keynote|content|thread|line-?up))\b"
)
# Milder disappointment counts when it is aimed at the association, its people
# or its posts ("I'm frustrated with this association", "your webinar was boring").
_MILD_NEGATIVE = _rx(
    r"\b(?:disappoint\w*|frustrat\w*|annoy\w*|angry|upset|let down|letdown|unhelpful|"
    r"not (?:at all |very |that |really )?(?:helpful|useful|impressed)|useless|boring|"
    r"made me feel (?:terrible|awful|worse|guilty|like a failure|judged|bad|inadequate|stupid|"
    r"small)|felt judged|out of date|outdated|errors|inaccurate|misleading|overpriced|"
    r"expensive|badly (?:organi[sz]ed|designed|written|run|managed)|a mess|confusing|"
    r"one-sided|biased|regret|a waste|waste of|worse|poor|lacking|no longer|used to (?:be|feel)|"
    r"can'?t believe|clearly (?:don'?t|do not|doesn'?t|have no)|no idea (?:how|what)|"
    r"claims? to|only (?:talk|cater|care|post)|not enough|too many|too much|"
    r"where (?:was|were|is|are) (?:the|your|you)|ignor\w*)\b"
)
_TARGET = _rx(
    r"\b(?:your|yours|ipala|you(?:'re| are| guys| lot| people| all)|you (?:clearly|obviously|only|"
    r"never|always|just|don'?t|didn'?t|keep|ignore\w*|cancel\w*|charg\w*|remov\w*|delet\w*|"
    r"advertis\w*|post\w*|promis\w*)|posts like (?:this|these)|posting|infographics?|"
    r"(?:this|that|the|these|those|"
    r"such an?|another|an) (?:\w+ )?(?:post|posts|page|association|organi[sz]ation|charity|"
    r"campaign|message|messaging|video|graphic|infographic|article|statement|content|webinar|"
    r"event|conference|newsletter|website|site|logo|format|survey|workshop|course|membership|"
    r"speakers?|board|committee|helpline|group|session|advice|leaflet|talk|stance|tone|"
    r"caption|reel|thread|update|announcement|policy|member benefits|benefits|service))\b"
)
# Any aim at all, for VADER's reading: a story of one's own hard time
# ("I had mastitis three times") is not feedback about anyone.
_ANY_TARGET = _rx(
    r"\b(?:you|your|yours|u|ur|ipala|this|that|these|those|post|posts|page|association|"
    r"organi[sz]ation|charity|committee|board|webinar|conference|event|course|workshop|"
    r"helpline|volunteers?|consultants?|members?|staff|admin|speakers?|they|them|people|"
    r"everyone|nobody|no one|who|whoever|anyone)\b"
)
_FIRST_PERSON = _rx(r"\b(?:i|i'?m|i'?ve|i'?d|my|me|we|our|us)\b")
#: Crisis kinds that are hostile to the association (a sick baby is not).
_HOSTILE_CRISES = frozenset({"violence", "legal", "viral"})

# Supportive replies use negative words ("so sorry you're struggling"): in
# their presence VADER's score alone does not make a comment negative.
_SUPPORTIVE = _rx(
    r"\b(?:so sorry|sorry to hear|sorry you(?:'re| are)|sorry that you|it gets better|"
    r"it does get better|gets easier|get easier|"
    r"you'?re doing (?:great|amazing|so well|brilliantly)|"
    r"you are doing (?:great|amazing|so well)|you'?ve got this|hang in there|sending (?:hugs|love)|"
    r"big hugs|hugs|be kind to yourself|you'?re not alone|you are not alone|proud of you|well done|"
    r"thank you|thanks|thank u|ty|so helpful|really helpful|love this|great post|"
    r"keep going|you can do (?:it|this)|congratulations|congrats|brilliant|love this|love it|"
    r"so accurate|so true|blew me away|amazing|great post|so good|insanely good|"
    r"(?:sad|sorry|gutted|shame) (?:that )?(?:i|we) missed|(?:sad|sorry|gutted) to have missed)\b"
    r"|[❤💕💖💗🤗🥰😍💪😂🤣👏🙌🔥🙏😆😄]",
)


@dataclass(frozen=True, slots=True)
class _Vader:
    analyzer: Any
    lexicon: dict[str, float]
    emojis: dict[str, str]
    negators: frozenset[str]
    boosters: frozenset[str]
    #: Words that can make VADER's sum negative: negative words and negators.
    triggers: frozenset[str]


@cache
def _vader() -> _Vader:
    """VADER's analyzer, built once per process on first use (it reads its lexicon)."""
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    negators = set(NEGATE) | {w.replace("'", "") for w in NEGATE} | {"least", "no"}
    return _Vader(
        analyzer=analyzer,
        lexicon=dict(analyzer.lexicon),
        emojis=dict(analyzer.emojis),
        negators=frozenset(negators),
        boosters=frozenset(BOOSTER_DICT),
        triggers=frozenset(
            {w for w, v in analyzer.lexicon.items() if v < 0}
            | {_PUNCT.sub("", w) for w, v in analyzer.lexicon.items() if v < 0}
            | negators
        ),
    )


_STRIP = string.punctuation + "“”‘’…"
_PUNCT = re.compile("[" + re.escape(_STRIP) + "]")
# VADER idioms whose valence is set outright, whatever the words around them.
_VADER_IDIOMS = ("yeah right", "kiss of death")


_NON_BMP_OR_SYMBOL = re.compile("[\u2000-\U0010ffff]")


def _vader_could_reach(text: str, vader: _Vader, limit: float) -> bool:
    """False when VADER's compound for ``text`` cannot be at or below ``limit``.

    A cheap upper bound on how negative VADER's sum can get, computed from its
    own lexicon: every negative word at full strength, every positive word
    flipped when a negator is present, plus the largest boosts VADER gives
    for capitals, booster words, "but", "never so" and punctuation. Most
    comments have little negative vocabulary and skip the ~100 µs call.
    """
    lower = text.lower()
    words = lower.split()
    if any(idiom in lower for idiom in _VADER_IDIOMS):
        return True
    emoji = _NON_BMP_OR_SYMBOL.search(text) is not None
    if not emoji and vader.triggers.isdisjoint(words):
        # Fast path: no negative word and no negator, with or without
        # punctuation attached, so VADER's sum cannot go below zero.
        stripped = _PUNCT.sub("", lower).split()
        if vader.triggers.isdisjoint(stripped) and "n't" not in lower:
            return False
    if emoji:
        # VADER reads emoji as their descriptions ("crying face").
        words = words + " ".join(vader.emojis.get(ch, "") for ch in lower).split()
    lexicon = vader.lexicon
    negative = positive = 0.0
    negated = False
    boosters = 0
    for word in words:
        value = lexicon.get(word)
        if value is None:
            word = word.strip(_STRIP)
            value = lexicon.get(word)
            if value is not None and value > 0 and len(word) <= 2:
                value = None  # VADER strips punctuation only from longer words
        if word in vader.negators or word.endswith("n't") or word.endswith("nt"):
            negated = True
        if word in vader.boosters:
            boosters += 1
        if value is None:
            continue
        if value < 0:
            negative -= value
        else:
            positive += value
    if "kind of" in lower or "sort of" in lower:
        boosters += 1
    offset = 0.0
    if negated:
        negative += 0.74 * positive
    elif not boosters:
        # Unnegated, unboosted positive words count at least half (before "but").
        offset = 0.5 * positive
    if negative == 0.0:
        return False
    caps = sum(1 for w in text.split() if w.isupper() and len(w) > 1)
    # A booster (or a capitalised word) lifts each of the next three lexicon words.
    negative += 3 * (0.733 * caps + 0.293 * boosters)
    if "but" in lower:
        negative *= 1.5  # words after "but" weigh 1.5
    negative *= 1.25  # "never so", and VADER's "so"/"this" before a word
    negative -= offset
    negative += min(4, text.count("!")) * 0.292
    questions = text.count("?")
    negative += 0.96 if questions > 3 else (0.18 * questions if questions > 1 else 0.0)
    # VADER's compound is s / sqrt(s^2 + 15); invert it for the limit.
    needed = -limit * (15.0 / (1.0 - limit * limit)) ** 0.5
    return bool(negative >= needed)


#: VADER re-reads the whole text for every sentiment word (quadratic time): a text
#: up to this long is scored whole (every post in the corpus is) ...
VADER_WHOLE_CHARS = 2000
#: ... and a longer one in pieces of about this many characters.
VADER_PIECE_CHARS = 500


def _vader_compound(vader: _Vader, text: str) -> float:
    """VADER's compound for ``text``; above :data:`VADER_WHOLE_CHARS`, the mean of its
    pieces' compounds weighted by length (pieces end at sentence ends)."""
    if len(text) <= VADER_WHOLE_CHARS:
        return float(vader.analyzer.polarity_scores(text)["compound"])
    pieces: list[tuple[int, int]] = []
    spans = (p for s, e in sentences(text) for p in capped(text, s, e, VADER_PIECE_CHARS))
    for start, end in spans:
        if pieces and end - pieces[-1][0] <= VADER_PIECE_CHARS:
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
    total = sum(end - start for start, end in pieces) or 1
    return (
        sum(
            float(vader.analyzer.polarity_scores(text[start:end])["compound"]) * (end - start)
            for start, end in pieces
        )
        / total
    )


@cache
def _consult_detector() -> Detector:
    # Imported late: clinical imports this module's crisis patterns.
    from postguard.detectors.clinical import ConsultRequestDetector

    return ConsultRequestDetector()


def _asks_for_care(doc: Document) -> bool:
    return bool(_consult_detector().detect(doc))


class NegativeDetector(Detector):
    """Negative feedback: VADER compound at or below a threshold, or a known phrasing."""

    name: ClassVar[str] = "signal.negative"
    categories: ClassVar[frozenset[str]] = frozenset({"signal.negative"})
    summary: ClassVar[str] = (
        "negative or hostile feedback (VADER sentiment plus phrasings such as "
        "'unfollowing' or 'what a joke')"
    )

    def __init__(self, **params: Any) -> None:
        opts = take_params(
            self.name,
            params,
            {"threshold": (float, int), "include_complaints": bool, "public_model": bool},
        )
        #: Use the negative-sentiment model trained on public tweets
        #: (negative_model.json) instead of VADER alone.
        #: ``threshold`` is VADER's: setting it alone selects the VADER path.
        self.public_model = bool(opts.get("public_model", "threshold" not in opts))
        self.threshold = float(opts.get("threshold", -0.35))
        #: Also report complaints and hostile crises (threats, legal, outrage).
        self.signals = bool(opts.get("include_complaints", True))
        if not -1.0 <= self.threshold < 0.0:
            raise DetectorConfigError(f"detector {self.name!r}: threshold must be in [-1, 0)")
        self.phrases = PhraseMatcher(NEGATIVE_PHRASES)

    def _mild(self, doc: Document) -> list[Hit]:
        """Milder disappointment aimed at the association, not in praise or a request for care."""
        text = doc.text
        found = _MILD_NEGATIVE.search(text)
        if found is None or not _TARGET.search(text):
            return []
        if _GRATEFUL.search(text) or _PRAISE_IDIOM.search(text) or _asks_for_care(doc):
            return []
        return [
            Hit(
                category="signal.negative",
                start=found.start(),
                end=found.end(),
                evidence=found.group(0),
                score=0.6,
                note="disappointment aimed at the association",
            )
        ]

    def detect(self, doc: Document) -> list[Hit]:
        text = doc.text
        hits = [
            Hit(
                category="signal.negative",
                start=m.start,
                end=m.end,
                evidence=text[m.start : m.end],
                score=0.8,
                note="negative feedback phrase",
            )
            for m in self.phrases.find(doc.lower)
        ]
        if hits and not _TARGET.search(text) and _CRISIS_ANY.search(text):
            kinds = {kind for kind, *_ in crisis_matches(text)}
            if kinds and not kinds & _HOSTILE_CRISES:
                hits = []  # "I feel worthless" in a crisis is about oneself
        hits.extend(
            Hit(
                category="signal.negative",
                start=m.start(),
                end=m.end(),
                evidence=m.group(0),
                score=0.8,
                note="hostile phrasing",
            )
            for m in _HOSTILE.finditer(text)
        )
        if self.signals:
            # Complaints, threats, legal threats and outrage are negative feedback
            # whatever words they use ("still waiting for a refund").
            hits.extend(
                Hit(
                    category="signal.negative",
                    start=start,
                    end=end,
                    evidence=evidence,
                    score=0.8,
                    note="complaint",
                )
                for start, end, evidence in complaint_spans(text)
            )
            for kind, start, end, evidence in crisis_matches(text):
                if kind in _HOSTILE_CRISES:
                    hits.append(
                        Hit(
                            category="signal.negative",
                            start=start,
                            end=end,
                            evidence=evidence,
                            score=0.9,
                            note=kind,
                        )
                    )
        if not hits:
            hits.extend(self._mild(doc))
        if hits:
            hits.sort(key=lambda h: (h.start or 0, h.end or 0))
            return hits
        if _GRATEFUL.search(text) or _PRAISE_IDIOM.search(text):
            return []  # thanks with dramatic words ("killed that fear dead") is praise
        # One's own hard time, aimed at nobody, is not feedback to the rules;
        # the model learned from comments like that (both ways), and this
        # guard cost it recall on public tweets for no gain in precision.
        own_hard_time = not _ANY_TARGET.search(text) and _FIRST_PERSON.search(text)
        if own_hard_time and not self.public_model:
            return []
        if any(kind not in _HOSTILE_CRISES for kind, *_ in crisis_matches(text)):
            return []  # despair or a sick baby is a crisis, not hostility
        if reads_as_other_language(doc):
            return []  # English sentiment models guess on Spanish or German text
        if self.public_model:
            if not self.signals and complaint_spans(text):
                return []  # complaints were switched off, and the model reads them as negative
            return self._model(doc, _OWN_HARD_TIME_FLOOR if own_hard_time else 0.0)
        vader = _vader()
        limit = self.threshold
        if not _vader_could_reach(text, vader, limit):
            return []  # VADER cannot score it that low: skip the slow call
        if _SUPPORTIVE.search(text) or _asks_for_care(doc):
            # Sympathy uses sad words, and so does a parent asking for help
            # ("my baby still can't latch, please help"): neither is hostile,
            # so only a strongly negative text counts.
            limit = max(-0.99, self.threshold - 0.45)
            if not _vader_could_reach(text, vader, limit):
                return []
        compound = _vader_compound(vader, text)
        if compound > limit:
            return []
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        return [
            Hit(
                category="signal.negative",
                start=start,
                end=end,
                evidence=text[start:end][:200],
                score=round(min(1.0, -compound), 3),
                note=f"sentiment compound {compound:.2f}",
            )
        ]

    def _model(self, doc: Document, floor: float) -> list[Hit]:
        """The negative-sentiment model's hit (at least ``floor``), unless the
        text is sympathy or a parent asking for help (sad words, not hostility)."""
        flag = _public_models.flags("negative", [doc])[0]
        if flag is None or flag[0] < floor:
            return []
        if _SUPPORTIVE.search(doc.text) or _asks_for_care(doc):
            return []
        score, start, end = flag
        return [
            Hit(
                category="signal.negative",
                start=start,
                end=end,
                evidence=doc.text[start:end].strip()[:200],
                score=round(score, 3),
                note=f"model: negative sentiment {score:.2f}",
            )
        ]


#: One's own hard time aimed at nobody ("three rounds of mastitis last
#: winter") is negative feedback only when the model is sure.
_OWN_HARD_TIME_FLOOR = 0.5

# --- complaints --------------------------------------------------------------------

# Service failures in plainer or code-switched words ("please escalate", "sort
# your directory out", "that was 10 days ago", "hindi po maayos ang serbisyo").
_COMPLAINT_EXTRA = (
    r"|\bplease (?:escalate|investigate|look into this)\b|\bescalat(?:e|ing) (?:this|it|my)\b"
    r"|\bignored (?:\w+ ){0,2}(?:emails|messages|calls|voicemails|texts|requests|letters)\b"
    r"|\bnever (?:even )?(?:got|received|had) (?:a|an|any) (?:rejection|reply|response|answer|"
    r"acknowledgement|acknowledgment|email|call)\b"
    r"|\bnot (?:even )?(?:a|an|one) (?:acknowledgement|acknowledgment|reply|response|answer|"
    r"apology|word)\b"
    r"|\bsort (?:your|the) (?:\w+ ){0,2}out\b|\bget your act together\b"
    r"|\bthat was (?:\d+|two|three|four|five|six|several|many) (?:days|weeks|months) ago\b"
    r"|\bno thanks to (?:you|your|ipala|them)\b|\bbadly run\b"
    r"|\bnothing (?:happened|was done|has been done|changed)\b"
    r"|\bstill no (?:access|link|login|refund|certificate|recording|reply|response)\b"
    r"|\b(?:only|just) (?:sends?|sent|gives?|get) (?:an? )?auto[- ]?(?:replies|reply|responses?|"
    r"emails?)\b"
    r"|\b(?:i'?d|i would|we'?d|we would) like (?:an|a proper|some) (?:explanation|answer|"
    r"apology|refund)\b|\bno (?:explanation|notice|warning|apology)\b"
    r"|\b(?:members|we|parents|mums|people) (?:are|were) paying for\b"
    r"|\b(?:deleted|removed|hid|hidden|censored) my (?:comment|post|question|review)\b"
    r"|\bcensorship\b|\bmisgender\w*\b"
    r"|\b(?:hindi|di) (?:po )?maayos\b|\bsana (?:po )?(?:maaksyunan|aksyunan)\b|\bpinagalitan\b"
    r"|\b(?:koi|kisi ne) (?:jawab|reply) nahi\b|\bbekaar (?:service|seva)\b"
    r"|\b(?:collect|chop|take|took) my (?:money|moni|cash)\b|\bno show\b"
    r"|\beven though (?:i|we) (?:ticked|asked|booked|requested|paid|told|explained|said)\b"
    r"|\bthat'?s not (?:support|help|ok|okay|good enough|professional|acceptable)\b"
    r"|\bfor a (?:professional|so-called) (?:association|body|organi[sz]ation)\b"
    r"|\b(?:for|in) (?:small claims|court|consumer court|a tribunal)\b"
)


_COMPLAINT = _rx(
    r"\b(?:make|making|made|file|filing|filed|lodge|lodging|lodged|submit|submitted|raise|"
    r"raising|raised|put in|register)\s+(?:a\s+|an\s+|my\s+|official\s+|formal\s+)*complaint\b"
    r"|\bcomplain(?:ing|ed|t|ts)?\b"
    r"|\b(?:was|were|is|are|been|so|very|extremely|incredibly|really)\s+"
    r"(?:rude|dismissive|unprofessional|condescending|patronising|patronizing|judgemental|"
    r"judgmental|unhelpful|incompetent|negligent|aggressive|nasty|abrupt|"
    r"unkind|hostile|racist|sexist|homophobic|inappropriate|disrespectful|belittling)\b"
    r"|\b(?:unprofessional|disgraceful|unacceptable|appalling|negligent|negligence|incompetent|"
    r"malpractice|misconduct|disrespectful)\b"
    r"|\b(?:refund|refunded|reimburse\w*|charged me|overcharged|double charged|"
    r"money back|chargeback|took my money|paid for nothing|still not paid|never paid)\b"
    r"|\b(?:i|we)\s*(?:'ve|have|will|'ll|'m|am|are|'re|'m going to|am going to|will be|"
    r"have been|'ve been|already|just|want to|would like to|'d like to|need to|wish to|"
    r"intend to|plan to)?\s+(?:report|reported|reporting)\b"
    r"|\breport(?:ed|ing)? (?:you|her|him|them|this|"
    r"the consultant|the ibclc|to (?:iblce|the board|the regulator|trading standards|the council|"
    r"the ombudsman|ipala))\b"
    r"|\b(?:never|didn'?t|did not|still haven'?t|haven'?t|has not|hasn'?t|not once)\s+"
    r"(?:got|get|gotten|received|receive|had|heard|hear)\s+(?:back\b|(?:a|any|my|the|our|"
    r"a single)\s+(?:reply|response|refund|call|callback|call back|answer|email|money|"
    r"invoice|receipt|certificate|confirmation|apology|follow[- ]up))"
    r"|\b(?:no one|nobody|never|didn'?t|hasn'?t|haven'?t|still hasn'?t)\s+(?:ever\s+)?"
    r"(?:replied|responded|called (?:me |us )?back|rang (?:me |us )?back|got back|"
    r"gotten back|turned up|showed up|answered|returned my|acknowledged)\b"
    r"|\b(?:still waiting|been waiting|waited (?:for )?(?:\d+|two|three|four|weeks|days|months)|"
    r"no response|no reply|no answer|ignored my|ignoring my|ignored me|ignoring me|"
    r"no-show|didn'?t show|cancelled on me|canceled on me|stood me up)\b"
    r"|\b(?:terrible|awful|horrible|worst|poor|shocking|dreadful|bad|appalling|abysmal|"
    r"useless|rubbish|sloppy|lousy) "
    r"(?:service|treatment|customer service|consultant|ibclc|lactation consultant|"
    r"communication|communications|organisation|organization|response|admin|administration|"
    r"support|experience|follow[- ]up|aftercare|volunteer|helpline|management)\b"
    r"|\b(?:still|yet|and) no (?:acknowledg\w*|reply|response|word|news|refund|update|"
    r"confirmation|call|callback|answer|email|receipt|certificate|apology)\b"
    r"|\b(?:\w+ )?(?:weeks|days|months) since (?:i|we) (?:applied|emailed|booked|paid|wrote|"
    r"called|rang|messaged|contacted|asked|complained|enquired|registered)\b"
    r"|\b(?:i|we) (?:want|demand|expect|deserve|am owed|are owed|need) (?:a|an|my|some|our|"
    r"proper|full) (?:refund|apology|explanation|response|answer|answers|investigation)\b"
    r"|\b(?:i|we) (?:want|demand|would like|need|wish) to (?:speak|talk) (?:to|with) "
    r"(?:someone|somebody|whoever(?:'s| is)?|the person|a manager|your manager|a supervisor|"
    r"the board|your board)(?: (?:senior|in charge|responsible))?\b"
    r"|\b(?:i|we) want (?:this|it) (?:on (?:the )?record|investigated|looked into|escalated)\b"
    r"|\b(?:\d+|an hour|two hours|half an hour|forty|thirty|ninety|twenty) (?:minutes|mins|"
    r"hours?) late\b|\b(?:turned up|arrived|showed up) (?:very |so |really )?late\b"
    r"|\bhow long it (?:takes|took|is taking) (?:you|your(?: \w+){1,2}|them|ipala) to "
    r"(?:respond|reply|answer|get back|process|sort)\b"
    r"|\b(?:took|taken|take) (?:my|our) (?:money|payment|fee|deposit)\b"
    r"|\bsent (?:me|us) the wrong\b"
    r"|\b(?:we were|i was) (?:relying|counting|depending) on (?:you|them|her|him|your \w+)\b"
    r"|\bcaused (?:my baby|my son|my daughter|me|us|him|her) (?:harm|to lose weight|"
    r"distress)\b|\b(?:harmed|hurt) my (?:baby|son|daughter)\b"
    r"|(?:^|[.!?]\s*)(?:please\s+)?(?:fix|sort) (?:this|it)(?: out)?(?: now| asap| immediately)?"
    r"\s*(?:[.!]|$)"
    r"|\bnot good enough\b|\bvery let down\b|\bfeel let down\b"
    r"|\b(?:hung up|put the phone down|slammed the phone down) on (?:me|us)\b"
    r"|\b(?:treated (?:me|us) (?:like|badly|terribly|poorly|awfully|with contempt)|"
    r"made me feel (?:like|stupid|small|awful|terrible|judged|ashamed|guilty|like a failure)|"
    r"felt (?:judged|dismissed|belittled|ignored|humiliated|shamed))\b"
    r"|\b(?:no one|nobody|never)\b[^.?!]{0,40}\b(?:called|rang|phoned|emailed|replied|"
    r"responded|got|get|call|ring|phone|email|came|come|turned|showed)\s+(?:me |us )?"
    r"(?:back|up)\b"
    r"|\b(?:no one|nobody) has (?:replied|responded|answered|got back|called|rang)\b"
    r"|\b(?:no one|nobody) (?:ever )?(?:responds|replies|answers|gets back|calls back|rings back|"
    r"picks up)\b"
    r"|\bleft (?:\d+|two|three|four|several|multiple) (?:messages|voicemails|emails)\b"
    r"|\b(?:waited|waiting|been waiting|on hold for) (?:over |more than |nearly |almost )?"
    r"(?:\d+|an|two|three|forty|thirty) (?:minutes|mins|hours|days|weeks)\b|\bon hold\b"
    r"|\bslow (?:replies|reply|response|responses|service)\b|\bcharged (?:me )?twice\b"
    r"|\bwithout (?:asking|my permission|permission|my consent|consent)\b"
    r"|\bnot what (?:i|we) expected\b|\bexpected better\b|\bso[- ]called (?:professional|expert|"
    r"ibclc|consultant|specialist)s?\b|['‘\"“]professionals?['’\"”]"
    r"|\b(?:was|were|kept|sat) on (?:her|his|their) phones?\b"
    r"|\b(?:put|landed) (?:my|our) (?:baby|son|daughter|child) in hospital\b"
    r"|\b(?:your|the) (?:member|volunteer|consultant|ibclc|helpline)'?s? advice\b"
    r"|\b(?:tried to|trying to) (?:raise|resolve|sort) this\b|\bgot nowhere\b"
    r"|\b(?:ombudsman|trading standards|formal grievance|grievance|escalate this|"
    r"speak to (?:a|your) manager|your manager|who do i complain to|"
    r"not good enough|this is not ok|this isn'?t ok)\b" + _COMPLAINT_EXTRA,
)
# Failures that are complaints only when they concern the association's people
# or services ("in front of everyone", "closed early", "not OK"): the same
# words about a hospital or a partner are not our complaint.
_SOFT_COMPLAINT = _rx(
    r"\bin front of (?:everyone|everybody|the (?:whole )?(?:group|room|class)|other (?:mums|moms|"
    r"parents|people)|my (?:partner|husband|family|mum|mom))\b"
    r"|\b(?:left|leaving|walked out|went home) (?:in tears|crying)\b|\bmade me cry\b"
    r"|\bnot (?:ok|okay|acceptable|on|right|fair)\s*(?:[.!,]|$)"
    r"|\b(?:with no|without (?:any )?|no) (?:notice|warning|explanation)\b"
    r"|\bcancell?ed (?:my|our) (?:membership|booking|appointment|place|registration|visit|"
    r"session|order|subscription)\b"
    r"|\bpressur\w* (?:me|us) (?:to|into)\b|\bpushy\b|\bpush(?:ed|ing)? (?:me|us) (?:to|into) "
    r"(?:buy|pay|sign|book)"
    r"|\b(?:won'?t|will not|doesn'?t|don'?t|never) (?:answer|reply|respond|pick up|get back)\b"
    r"|\b(?:wrong (?:book|item|order|size|product|link|date|time|certificate|invoice)|"
    r"never (?:got|received|arrived) (?:the|my|a) (?:link|book|order|certificate|receipt))\b"
    r"|\bleft without\b|\bpromised\b[^.!?]{0,60}\b(?:cancell?ed|never|didn'?t|did not|then)\b"
    r"|\b(?:very|so|really|totally) let down\b"
    r"|\b(?:closed|shut|finished|ended|hung up) early\b"
    r"|\bleft (?:me )?with no(?: ?one|body|where|thing)\b"
    r"|\b(?:even though|although|despite|when) (?:i|we) (?:had )?(?:asked|requested|booked|paid|"
    r"explained|told (?:her|him|them))\b"
    r"|\basked (?:for (?:one|it|this|that) )?(?:twice|three times|"
    r"several times|repeatedly|again and again)\b|\bdespite (?:asking|requesting|booking|paying)\b"
    r"|\b(?:didn'?t|did not|couldn'?t|could not|wouldn'?t|would not|doesn'?t|does not) "
    r"(?:speak|listen|bother|care|explain|look at|examine|answer|help|know what)\b"
    r"|\b(?:never|didn'?t|did not|failed to) (?:re-?book(?:ed)?|re-?schedul\w*|re-?arrang\w*|"
    r"turn(?:ed)? up|show(?:ed)? up|arrive|arrived|follow(?:ed)? up|come back|came back)\b"
    r"|\bcancell?ed (?:on me|on us|last minute|at the last minute|the (?:morning|day|night) "
    r"(?:of|before)|on the day|without)\b"
    r"|\btold me (?:that )?(?:i|my baby|my son|my daughter|he|she)(?:'m|'s| was| were| am| is| "
    r"should| had| needed| must)\b[^.!?]{0,40}['‘\"“]"
    r"|\b(?:humiliat\w*|embarrass(?:ed|ing) me|shamed me|laughed at me|mocked|dismissed me|"
    r"ignored me|talked down to me|spoke down to me|lectured me|shouted at me)\b"
    # the visit was wasted: "I learned nothing", "a waste of time"
    r"|\b(?:i|we) (?:learned|learnt|got|gained) (?:absolutely )?nothing\b"
    r"|\b(?:complete |total |a )?waste of (?:my |our )?(?:time|money|an hour)\b"
    r"|\bspent the (?:whole|entire) (?:hour|visit|session|time) (?:talking|on her|on his|on the)",
)
# The association's people and services ("your volunteer", "the IBCLC you sent").
_OUR_SERVICE = _rx(
    r"\b(?:your|ipala'?s?|one of your)\s+(?:[\w'’-]+\s+){0,2}?(?:volunteers?|members?|"
    r"peer[- ]supporters?|supporters?|ibclcs?|consultants?|helpline|team|staff|admin|office|"
    r"website|site|course|workshop|class|classes|webinar|events?|group|groups|caf[eé]s?|"
    r"sessions?|counsell?ors?|facilitators?|trainers?|speakers?|directory|service|bursary|"
    r"booking|membership|drop-?in|clinic|visit|shop|store|process|system|portal|app|"
    r"payments?|renewal|newsletter|leaflets?|board|secretary|office|chair|president|"
    r"association|organi[sz]ation|charity|conference|study day|home visits?)\b"
    r"|\b(?:this|the) (?:association|organi[sz]ation|charity)\b|\bipala\b"
    r"|\b(?:volunteer|peer[- ]supporter|ibclc|consultant|counsell?or|facilitator|supporter)s?\s+"
    r"(?:you sent|from your|at your|on your|in your)\b"
    r"|\b(?:through|via|from|on) your\b"
    # "the volunteer who came to my house"
    r"|\bthe (?:volunteer|peer[- ]supporter|ibclc|consultant|counsell?or|facilitator|lc)s?\s+"
    r"(?:who|that)\s+(?:came|visited|saw|rang|called|answered|ran|took|did)\b",
)
# Soft cues beside praise are a story, not a complaint ("so kind to me in front of everyone").
_PRAISE = _rx(
    r"\b(?:kind|kindness|lovely|brilliant|amazing|wonderful|fantastic|helpful|thank|thanks|"
    r"grateful|great|patient|supportive|lifesaver|life-saver)\b",
)
# A legal threat about a member is also a complaint about that member.
_ABOUT_MEMBER = _rx(
    r"\b(?:your|ipala'?s?|one of your)\s+(?:\w+\s+)?(?:members?|volunteers?|ibclcs?|consultants?|"
    r"peer[- ]supporters?|staff|helpline|counsell?ors?)\b",
)


# "No complaints here", "I'm not complaining", "the complaint I hear most":
# the word without a complaint.
_NOT_COMPLAINING = re.compile(
    r"\b(?:no|not|not a|never|can'?t|cannot|nothing to|zero|without|any)\s+(?:\w+\s+)?$"
    r"|\b(?:common|usual|main|biggest|top|most frequent|number one|only|a|one)\s+$"
    r"|^\W*the\s+$",
    re.I,
)
_GENERIC_COMPLAINT = re.compile(
    r"^\s*(?:(?:i|we) (?:hear|get|see)|(?:from|about|among|by) (?:parents|mums|moms|families|"
    r"clients|women|people)|is that|are that)\b",
    re.I,
)
# A call on others to report someone is mass reporting (viral), not a complaint.
_CALL_TO_REPORT = re.compile(
    r"\b(?:everyone|everybody|y'?all|all of you|you all|people|guys|go|pls|please)\s+$", re.I
)
# Feelings about a post ("this post made me feel judged", "really unhelpful")
# are negative feedback; they are a complaint when they concern people or a service.
_FEELING = re.compile(
    r"made me feel|felt |expected better|not what (?:i|we) expected|unhelpful|condescending|"
    r"patronis|patroniz|judg|belittl|dismissive|disrespectful|inappropriate|upset",
    re.I,
)
_CONTENT = re.compile(
    r"\b(?:post|posts|posting|infographics?|graphics?|tone|message|messaging|campaign|video|"
    r"article|caption|content|statement|page|feed|meme|reel|tweet|thread)\b",
    re.I,
)
_PEOPLE = re.compile(
    r"\b(?:consultants?|volunteers?|ibclcs?|lcs?|staff|members?|helpline|counsell?ors?|"
    r"supporters?|facilitators?|she|he|her|him|nurse|midwife|trainers?|speakers?|person|lady|"
    r"woman|man|admin|office|team|service|session|visit|appointment|booking|class|workshop)\b",
    re.I,
)


def _real_complaint(text: str, start: int, end: int, evidence: str) -> bool:
    lower = evidence.lower()
    before = text[max(0, start - 30) : start]
    if "complain" in lower and (
        _NOT_COMPLAINING.search(before) or _GENERIC_COMPLAINT.search(text[end : end + 30])
    ):
        return False
    return not (lower.startswith("report") and _CALL_TO_REPORT.search(before))


def complaint_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, evidence) of each complaint phrasing in ``text``."""
    spans: list[tuple[int, int, str]] = []
    if _COMPLAINT_HINT.search(text):
        spans.extend(
            (m.start(), m.end(), m.group(0))
            for m in _COMPLAINT.finditer(text)
            if _real_complaint(text, m.start(), m.end(), m.group(0))
        )
        if (
            spans
            and all(_FEELING.search(evidence) for _, _, evidence in spans)
            and _CONTENT.search(text)
            and not _PEOPLE.search(text)
        ):
            spans = []  # feelings about a post: negative feedback, not a complaint
    if spans and _CRISIS_ANY.search(text):
        # "run away and never come back" is part of a crisis, not a missed visit.
        crises = [
            (start, end) for kind, start, end, _ in crisis_matches(text) if kind in _STORY_KINDS
        ]
        spans = [
            span for span in spans if not any(s <= span[0] and span[1] <= e for s, e in crises)
        ]
    if not spans and _OUR_SERVICE.search(text) and not _PRAISE.search(text):
        spans.extend((m.start(), m.end(), m.group(0)) for m in _SOFT_COMPLAINT.finditer(text))
        if not spans and _ABOUT_MEMBER.search(text):
            spans.extend(
                (start, end, evidence)
                for kind, start, end, evidence in crisis_matches(text)
                if kind in ("legal", "press")
            )
    return spans


_COMPLAINT_HINT = _rx(
    r"complain|rude|dismiss|unprofession|disgrace|unaccept|appall|neglig|incompet|misconduct|"
    r"refund|reimburs|charge|money|paid|report|never|n'?t|not|no one|nobody|waiting|waited|"
    r"no response|no reply|no answer|ignor|no-show|cancel|stood me up|terrible|awful|horrible|"
    r"worst|poor|shocking|dreadful|bad |treated|made me feel|felt |ombudsman|trading standards|"
    r"grievance|escalate|manager|condescend|patronis|patroniz|judg|unhelpful|useless|nasty|"
    r"cold|abrupt|unkind|hostile|racist|sexist|homophob|inappropriate|disrespect|belittl|"
    r"aggressive|nobody|no one|left|wait|hold|slow|twice|without|take|expected|so.called|"
    r"professional|phone|hospital|advice|privately|nowhere|since|apolog|admin|let down|hung up|"
    r"want|demand|expect|deserve|owed|record|late|how long|took|sent|relying|counting|depend|"
    r"caused|harm|hurt|fix|sort|respond|repl|answer|speak to|talk to|escalat|auto|explanation|"
    r"ago|happened|paying|deleted|removed|hid|censor|misgender|maayos|aksyunan|pinagalitan|"
    r"jawab|bekaar|collect|chop|show|though|support|claims|court|tribunal|notice|apolog",
)


class ComplaintDetector(Detector):
    """A complaint about the service, a member or conduct."""

    name: ClassVar[str] = "signal.complaint"
    categories: ClassVar[frozenset[str]] = frozenset({"signal.complaint"})
    summary: ClassVar[str] = (
        "complaints about the service, a member or conduct (rude, unprofessional, "
        "no refund, reported)"
    )

    def detect(self, doc: Document) -> list[Hit]:
        return [
            Hit(
                category="signal.complaint",
                start=start,
                end=end,
                evidence=evidence,
                score=0.8,
                note="complaint",
            )
            for start, end, evidence in complaint_spans(doc.text)
        ]


# --- crises ------------------------------------------------------------------------

#: kind -> pattern. The kinds are the hit's note, so a reviewer sees at once
#: whether to ring a helpline, a lawyer or the press officer.
CRISIS_PATTERNS: dict[str, str] = {
    "self-harm": (
        r"\b(?:i|i'?m|i am)\s+(?:just\s+|really\s+|honestly\s+)?(?:can'?t|cannot|can not)\s+"
        r"(?:go on|do this anymore|do this any more|cope anymore|cope any more|take (?:it|this) "
        r"any ?more|keep going|carry on|live like this)\b"
        r"|\b(?:want|wanted|wanting|going|planning|thinking about|thought about|"
        r"thinking of|thought of|thoughts of|tempted|close to|considered|considering)\s+"
        r"(?:to\s+)?(?:just\s+|simply\s+|finally\s+)?(?:end|ending)\s+"
        r"(?:it|it all|my life|things|everything)\b"
        r"|\b(?:don'?t|do not|no longer|didn'?t)\s+(?:think i\s+|really\s+|even\s+|honestly\s+)?"
        r"(?:want|wanna|wish)\s+(?:to\s+)?(?:be here|be alive|live|exist|wake up|go on|"
        r"be around)\b"
        r"|\b(?:keep |can'?t stop |cannot stop )?(?:picturing|imagining|visualising|visualizing|"
        r"thoughts? (?:of|about)|thinking (?:of|about)|urges? to|images? of)\s+(?:myself\s+)?"
        r"(?:dropping|hurting|harming|shaking|smothering|suffocating|drowning|throwing|hitting|"
        r"squeezing)\s+(?:him|her|them|the baby|my baby|baby|my son|my daughter|myself)\b"
        r"|\b(?:scared|afraid|terrified|frightened) (?:of myself|of what i (?:might|could|'?ll) do|"
        r"(?:that |)i(?: might| could| will|'ll|ll) (?:hurt|harm|do something|drop|shake|smother|"
        r"suffocate|hit|throw|drown))\b"
        r"|\b(?:if|wish|hope|hoping|pray|praying) (?:that )?i (?:could )?(?:never|didn'?t|"
        r"wouldn'?t|don'?t) (?:woke|wake|waking) up\b"
        r"|\b(?:everyone|everybody|they|my family|my kids|my children|he|she)(?:'d| would) be "
        r"better off\b|\b(?:can'?t|cannot) see (?:a|any) way (?:out|forward)\b|\bno way out\b"
        r"|\b(?:want|need) (?:it all|everything|the pain) to (?:stop|end)\b"
        r"|\b(?:go to sleep|fall asleep) and (?:never|not) wake up\b"
        r"|\b(?:kill|killing|hurt|hurting|harm|harming|cut|cutting)\s+myself\b"
        r"|\b(?:end (?:it all|my life)|take my (?:own )?life|suicid\w*|self[- ]harm\w*|"
        r"better off (?:without me|dead|if i (?:wasn'?t|weren'?t) here)|"
        r"(?:no|no point|no reason) (?:in |to )?(?:living|go on|going on|to live)|"
        r"don'?t want to (?:be here|live|wake up|exist) ?(?:anymore|any more)?|"
        r"wish i (?:was|were) dead|wish i (?:could )?(?:disappear|wasn'?t here|didn'?t exist)|"
        r"wants? to (?:die|disappear)|wanting to die|i want out|nothing to live for|"
        r"overdos(?:e|es|ed|ing)|"
        r"(?:thoughts|thinking) (?:of|about) (?:hurting|harming) (?:myself|my baby|the baby)|"
        r"intrusive thoughts|"
        r"(?:nobody|no one) would (?:even )?(?:notice|care|miss me)|"
        r"if i (?:just )?(?:disappeared|wasn'?t here|was gone|were gone|died))\b"
        # ways and means: a method, or the means at hand ("the pills in my hand",
        # "all my tablets at once", "jumping off the bridge", "driving into a wall")
        r"|\b(?:walk(?:s|ed|ing)?|step(?:s|ped|ping)?|throw(?:ing)? myself) (?:out )?"
        r"(?:into|in front of) (?:the |a |an )?(?:traffic|train|bus|lorry|truck|car|sea|river|"
        r"canal)\b"
        r"|\b(?:driv(?:e|es|ing)|drove|crash(?:ing)?) (?:the car |my car |us |myself )?"
        r"(?:into|off) (?:a|the) (?:wall|tree|river|lake|bridge|cliff|lorry|truck|bus|motorway|"
        r"barrier)\b"
        r"|\bjump(?:s|ed|ing)? (?:off|from|in front of) (?:a|the|that|our|my) "
        r"(?:bridge|building|roof|cliff|balcony|car park|multi-?storey|window|train|platform)\b"
        r"|\b(?:(?:the|my|some|a handful of|a bottle of|a box of|a stash of|all (?:my|the|of my|"
        r"of the|those)) (?:sleeping )?(?:pills|tablets|painkillers|meds) (?:in my hand|at once|"
        r"in one go|lined up|ready|saved up|stockpiled|counted out)|"
        r"(?:sav|hoard|stockpil|collect)(?:ing|ed) (?:up )?(?:my |the |some )?(?:pills|tablets|"
        r"painkillers|meds)|(?:take|taking|took|swallow(?:ing|ed)?) (?:all|every one) of "
        r"(?:my|the|them)|(?:take|taking|took|swallow(?:ing|ed)?) (?:all|a handful of|the whole "
        r"(?:box|bottle|packet) of) (?:my |the )?(?:sleeping )?(?:pills|tablets|painkillers|meds|"
        r"medication|paracetamol))\b"
        r"|\b(?:stairs|balcony|window|bridge|ledge|edge|roof|cliff|railing)\b[^.!?]{0,60}"
        r"\b(?:letting go|let go|drop(?:ping)? (?:her|him|the baby|myself)|jump\w*)\b"
        # indirect wording: a farewell, a plan, "end it", a burden, "live or die"
        r"|\b(?:think|thinks|thinking|thought|dream|dreaming|fantasi[sz]e|fantasi[sz]ing) "
        r"(?:about|of) (?:just )?(?:ending (?:it|it all|my life|things|everything)|dying|"
        r"not (?:being here|waking up|existing)|killing myself|disappearing for good|"
        r"taking my (?:own )?life|overdosing)\b"
        r"|\b(?:i'?ll|i will|i'?m going to|im going to|gonna|i might|i may|i could|i want to|"
        r"going to) (?:just )?end it(?: all)?\s*(?:[.!…]|$|tonight|now|today|for good|soon)"
        r"|\b(?:whether|if) i (?:live|lived) or (?:die|died)\b|\blive or die\b"
        r"|\b(?:happier|better|easier) (?:off )?without me\b"
        r"|\b(?:a|such a|just a) burden (?:to|on) (?:everyone|everybody|my family|them all|"
        r"all of them|the people i love)\b"
        r"|\b(?:there'?s|there is|is there any|what'?s the) (?:no )?point (?:any ?more|in "
        r"(?:anything|any of it|living|me being here|being alive))\b"
        r"|\b(?:written|wrote|writing|left|leaving) (?:a |the )?(?:goodbye |farewell )?"
        r"(?:letters?|notes?) (?:to|for) (?:my|the|her|his) (?:kids|children|family|husband|"
        r"partner|wife|baby|babies|son|daughter|mum|mom|parents)\b"
        r"|\b(?:goodbye|farewell|suicide) (?:letters?|notes?|messages?|posts?)\b"
        r"|\b(?:saying|said|says|say) (?:goodbye|goodbyes|her goodbyes|his goodbyes|my goodbyes) "
        r"(?:to )?(?:everyone|everybody|us all|all of us|the kids|her kids|his kids|my kids|"
        r"her family|his family|my family)\s*(?:[.!…,]|$)"
        r"|\bgiving away (?:all )?(?:my|her|his) (?:things|stuff|belongings|possessions)\b"
        r"|\b(?:i'?ve|i have|i'?ve got|i have got|she'?s got|he'?s got|she has|he has) "
        r"(?:got |made )?(?:a plan and a date|a plan (?:for|to) (?:end|do) it|picked a date|"
        r"chosen a date|set a date to)\b"
        r"|\b(?:talk(?:s|ed|ing)?|spoke|speaks|speaking|post(?:s|ed|ing)?|text(?:s|ed|ing)?) "
        r"about (?:ending (?:it|her life|his life|my life)|killing (?:herself|himself|myself)|"
        r"suicide|dying|not (?:being here|wanting to (?:live|be here)))\b"
        r"|\b(?:kill(?:s|ed|ing)?|harm(?:s|ed|ing)?) "
        r"(?:herself|himself|themselves)\b"
        r"|\b(?:run|ran|running|walk|walking|drive|driving) (?:away|off|out) and (?:never|not) "
        r"(?:come|coming|came) back\b"
        # harm to the baby: a parent afraid of being alone with them
        r"|\b(?:don'?t|do not|can'?t|cannot|no longer) trust (?:myself|me) (?:alone )?(?:with|"
        r"around|near) (?:him|her|them|the baby|my baby|my son|my daughter|the kids|my kids)\b"
    ),
    "violence": (
        r"\b(?:i'?ll|i will|i'?m going to|im going to|gonna|i'?d like to|i want to|"
        r"someone should)\s+"
        r"(?:\w+\s+)?(?:kill|hurt|beat|stab|shoot|punch|smash|burn|find|come for|get|destroy)\s+"
        r"(?:you|u|her|him|them|the consultant|your|all of you|everyone)\b"
        r"|\b(?:make sure|ensure|see to it that)\s+(?:you|u|they|she|he|your \w+|ipala|"
        r"you lot|every one of you)\s+(?:\w+\s+)?(?:regrets? (?:it|this|that)|"
        r"pays? (?:for (?:this|that|it)|dearly)|suffers?|(?:is|are) sorry)\b"
        r"|\b(?:you|u|you lot|y'?all|you people|ipala|your \w+|she|he|they)(?:'re|'s| are| is)?"
        r"\s+(?:all\s+)?(?:going to|gonna|will|'ll)\s+(?:pay (?:for (?:this|that|it|what)|dearly)|"
        r"pay\s*(?:[.!…]|$)|regret (?:it|this|that)|suffer|be sorry|get what (?:you|she|he|they))"
        r"|\b(?:i'?ll|i will|we'?ll|we will|gonna|going to|i'?m going to|might|may)\s+"
        r"(?:\w+\s+)?(?:pay|give)\s+(?:you|her|him|them|your \w+)(?:\s+\w+)?\s+a\s+"
        r"(?:little\s+|personal\s+|proper\s+)?visit\b"
        r"|\bi\s+(?:know|found out|found|'ve found|have found|can find)\s+where\s+"
        r"(?:(?:you|he|she|they) (?:live|lives|work|works|sleep|sleeps|park|parks)|"
        r"(?:your|her|his|their|the|that|this) [\w'’]+(?: [\w'’]+)? (?:is|are|lives?|works?"
        r"|sleeps?))\b"
        r"|\b(?:found|got|have|know|posted|posting|found out)\s+(?:your|her|his|their)\s+"
        r"(?:[\w'’]+\s+){0,3}?(?:home|house|personal)\s+address(?:es)?\b"
        r"|\b(?:home|house|personal) address(?:es)? (?:of|for) (?:your|her|his|their|the|every)\b"
        r"|\b(?:coming for you|i'?ll find you|hunt (?:you|her|him|them) down|"
        r"or else\s*(?:[.!…]|$)|(?:you|you lot|she|he|they|your \w+) (?:won'?t|will not) be safe|"
        r"you'?ve been warned|consider this a warning|last warning)\b"
        r"|\b(?:watch your back|you'?ll regret|you will regret|you'?ll pay|you will pay|"
        r"i know where (?:you|your \w+|he|she|they) (?:live|lives|work|works)|"
        r"see what happens|deserves? to (?:be (?:hurt|attacked|punished|shot|beaten|killed)|die)|"
        r"(?:should|ought to) be (?:hurt|beaten|punished|killed)|"
        r"your days are numbered|should be shot|"
        r"bomb|shoot up|burn (?:it|the place|your \w+) down|kill you|death threat\w*|"
        r"shake the baby|shaking the baby|hurt (?:my|the) baby|harm (?:my|the) baby)\b"
    ),
    "legal": (
        r"\b(?:my|our)\s+(?:lawyers?|solicitors?|attorneys?|legal team|barrister)\b"
        r"|\b(?:i|we)\s*(?:will|'ll|am going to|'m going to|are going to|shall|intend to|"
        r"plan to|could|might)?\s*(?:be\s+)?(?:sue|suing)\b|\bsue (?:you|ipala|the|them|her)\b"
        r"|\b(?:legal action|legal proceedings|lawsuit|law suit|class action|see you in court|"
        r"take you to court|taking you to court|court action|small claims|cease and desist|"
        r"defamation|defamatory|libel|libellous|libelous|slander|litigation|legal advice|"
        r"contacted a lawyer|contacting a lawyer|speaking to a lawyer|get a lawyer|"
        r"hearing from my|hear from my|expect a letter from|letter from (?:my|our) |"
        r"legal (?:claim|proceedings|letter|route|steps|case)|formal (?:claim|proceedings)|"
        r"(?:compensation|negligence|damages) claim|claim (?:for|against) (?:damages|compensation|"
        r"you|ipala|your)|lawyered up|(?:i'?ll|we'?ll|i will|we will) see you in court|"
        r"(?:take|taking|took) (?:this|you|it|ipala|her|them) (?:to|through) (?:the )?"
        r"(?:courts?|tribunal|small claims)|(?:pursue|pursuing) (?:this|it|you) "
        r"(?:legally|through the courts|in court)|"
        r"(?:report|reporting|reported) (?:this|you|her|him|it|them) to the police|"
        r"(?:lawyers?|solicitors?|attorneys?) (?:will be|are|is) (?:in touch|contacting|writing))\b"
    ),
    "press": (
        r"\b(?:i'?m|i am|as)\s+(?:a\s+|an\s+)?(?:freelance\s+|health\s+|investigative\s+|"
        r"senior\s+)?(?:journalist|reporter|producer|editor|correspondent|researcher for)\b"
        r"|\b(?:journalist|reporter|producer|editor|correspondent|researcher|presenter|"
        r"broadcaster|news desk|newsdesk)\s+(?:at|for|with|from|on)\s+(?:the\s+)?"
        r"(?:bbc|itv|sky|channel|cnn|nbc|abc|cbs|npr|fox|radio|tv|the times|daily|evening|"
        r"sunday|morning|weekly|local|national|[A-Z]\w*\s+(?:news|times|post|gazette|herald|"
        r"courier|echo|mail|mirror|express|telegraph|guardian|chronicle|journal|magazine|"
        r"standard|tribune|observer|record|star|sun|today|radio|tv|fm|podcast)\b)"
        r"|\b(?:journalist|reporter|producer|editor|correspondent)\s+(?:at|for|with|from)\b"
        r"|\b(?:bbc|itv|sky news|channel [45]|cnn|npr|radio \d|the guardian|"
        r"the telegraph|the times|daily mail|mail online|huffpost|buzzfeed)\b[^.?!]{0,60}"
        r"\b(?:here|interview|comment|statement|story|piece|segment|programme|program|deadline|"
        r"on air|broadcast|filming|feature)\b"
        r"|\b(?:do|give|record|join us for|available for|available to do)\s+(?:an?\s+)?"
        r"(?:short\s+|quick\s+|brief\s+|live\s+|recorded\s+|phone\s+|radio\s+|tv\s+)?"
        r"(?:interview|on-air interview|statement)\b"
        r"|\b(?:available|able|willing|free) to (?:comment|give a comment|speak to (?:us|me) "
        r"(?:for|on))\b|\bdeadline (?:is |of )?(?:\d|today|tonight|this|tomorrow|noon|midday)"
        r"|\b(?:writing|working|filming|reporting|producing) for (?:the\s+)?(?:[\w'’]+\s+){0,3}?"
        r"(?:news|times|post|gazette|herald|courier|echo|mail|mirror|express|telegraph|guardian|"
        r"chronicle|journal|magazine|standard|tribune|observer|bbc|itv|sky|radio|tv|podcast|"
        r"newspaper|paper|programme|show|documentary)\b"
        r"|\bgive (?:us|me) (?:a|an) (?:quick |short |brief )?"
        r"(?:statement|comment|quote|interview)\b"
        r"|\b(?:statement|comment|quote|response) (?:by|before) (?:\d|today|tonight|tomorrow|noon|"
        r"midday|end of)"
        r"|\b(?:for a (?:story|piece|feature|news story|segment|documentary|podcast)|"
        r"media (?:enquiry|inquiry|request)|press (?:enquiry|inquiry|request|office|release)|"
        r"(?:comment|statement|quote) for (?:our|my|the|an|a) (?:article|story|piece|report|"
        r"readers|feature|programme|program|paper|newspaper|outlet|segment)|"
        r"request for comment|requesting comment|for comment|on the record|off the record|"
        r"our readers|my editor|writing (?:a|an) (?:piece|article|story)|"
        r"(?:working on|researching) (?:a|an) (?:piece|article|story|feature|documentary)|"
        r"(?:interview|speak|talk) (?:with )?(?:someone|a spokesperson|your spokesperson) "
        r"(?:from|at)|spokesperson|going to the press|"
        r"contact(?:ing|ed)? the (?:press|media|papers)|"
        r"(?:tell|telling|call|calling|ring|ringing|phone|phoning|contact|contacting|go to|going to"
        r"|tip off) the (?:papers|press|media|newspapers?)|(?:tell|telling|call|calling|contact"
        r"|contacting|go to|going to) (?:a |the )?journalists?)\b"
    ),
    "baby-danger": (
        r"\b(?:baby|he|she|lo|son|daughter|newborn)\s+(?:is\s+|was\s+|'s\s+)?"
        r"(?:not|isn'?t|stopped|stops|has stopped|wasn'?t)\s+breathing\b"
        r"|\b(?:not breathing|stopped breathing|blue lips|lips (?:are |went |turned |look )?blue|"
        r"turn(?:ed|ing|s)? blue|went blue|going blue|grey and floppy|floppy|limp|unresponsive|"
        r"won'?t wake(?: up)?|can'?t wake (?:him|her|the baby|baby)|not waking|hard to wake|"
        r"seizure|(?:he|she|baby|he'?s|she'?s) (?:is |was )?fitting|convulsi\w*|sunken fontanelle|"
        r"(?:gone|turned|turning|going|went|goes|turns) (?:blue|grey|gray|purple)|"
        r"blue around (?:the|his|her) (?:lips|mouth)|"
        r"breathing (?:really |very |so |too )?(?:fast|quickly|rapidly|strangely|noisily|heavily)|"
        r"struggling to breathe|can'?t breathe|grunting with (?:each|every) breath|"
        r"no wet (?:nappy|nappies|diaper|diapers)|(?:no|not had a|hasn'?t had a|"
        r"hasn'?t had any|not had any|haven'?t seen a) (?:wet|dirty) "
        r"(?:nappy|nappies|diaper|diapers)|"
        r"(?:nappy|nappies|diaper|diapers) (?:has|have) been dry|dry (?:nappy|nappies|diaper|"
        r"diapers) (?:for|since|in|all)|hasn'?t (?:fed|eaten|fed properly|peed|weed|had a wee)|"
        r"(?:not|hasn'?t been) feeding (?:for|since|at all)|"
        r"refus(?:ing|ed|es) (?:all|every) feeds?|"
        r"dehydrated|high fever|fever (?:of|in) (?:a|my)|temperature of (?:3[89]|4\d)|"
        r"blood in (?:his|her|the) (?:vomit|poo|stool|nappy)|projectile vomit\w*|green vomit|"
        r"vomiting (?:blood|green)|(?:call|called|calling|ring|rang) (?:an ambulance|999|911|112)|"
        r"ambulance|emergency room|rushed (?:to|into) hospital|rushed to a&e|"
        r"(?:barely|not properly|keeps stopping|stops) breathing|pauses? in (?:his|her) breathing|"
        r"(?:fell|fallen|rolled) off (?:the|our|my) (?:bed|sofa|couch|changing table)|"
        r"(?:hit|banged|bumped) (?:his|her) head|burning up|won'?t (?:stop|wake for) "
        r"(?:fitting|shaking)|(?:hasn'?t|has not|not) (?:fed|eaten|had a feed|fed properly) "
        r"(?:in|for) (?:\d+|over|more than|nearly|almost|twelve|ten|eight|six)|"
        r"(?:not|isn'?t|is not|wasn'?t) responding|unrousable|can'?t rouse)\b"
        # colour: grey, mottled, dusky or blue skin on the baby (a nipple that
        # turns blue is Raynaud's: see _BENIGN_COLOUR)
        r"|\b(?:baby|he|she|lo|newborn|son|daughter|grandson|granddaughter|nephew|niece|"
        r"skin|face|lips|tongue|body|chest|he'?s|she'?s)\s+(?:is\s+|was\s+|'s\s+|looks?\s+|"
        r"looked\s+|seems?\s+|went\s+|has gone\s+|'s gone\s+|turned\s+|keeps going\s+|goes\s+)"
        r"(?:very\s+|really\s+|so\s+|quite\s+|a bit\s+|all\s+|kind of\s+|sort of\s+)?"
        r"(?:grey|gray|ashen|mottled|blotchy and cold|dusky|blue|purple|pale and floppy|"
        r"white and floppy|pale and limp)\b"
        r"|\b(?:mottled|dusky|ashen|grey|gray|bluish|blue-ish|blue|purple) (?:skin|lips|face|"
        r"colou?r|tinge|patches)\b|\bcolou?r (?:has )?(?:drained|gone|changed) (?:from|out of) "
        r"(?:his|her) face\b|\blost (?:all )?(?:his|her) colou?r\b"
        # tone: floppy, like a rag doll
        r"|\b(?:like a )?rag ?doll\b|\bno (?:muscle )?tone\b|\bfloppier\b|\bgone all floppy\b"
        r"|\b(?:arms|legs|body|head) (?:are |is |just )?(?:flopp\w*|limp)\b"
        # breathing
        r"|\b(?:gasping|fighting for breath|struggling for breath|working hard to breathe|"
        r"labou?red breathing|difficulty breathing|trouble breathing|hard to breathe|"
        r"(?:ribs|chest|tummy|skin between (?:his|her) ribs) (?:is |are )?(?:sucking|pulling|"
        r"caving) in|nostrils (?:are )?flaring|flaring (?:his|her )?nostrils|"
        r"grunting (?:with|on|after) (?:each|every) breath|stops? breathing|"
        r"(?:choked|choking) and (?:went|turned|going|goes) (?:blue|grey|gray|floppy|limp|quiet)|"
        r"can'?t catch (?:his|her) breath)\b"
        # responsiveness
        r"|\b(?:he|she|baby|lo|newborn|he'?s|she'?s|he is|she is)\s+(?:won'?t|will not|"
        r"doesn'?t|didn'?t|can'?t|cannot|couldn'?t|not|isn'?t) "
        r"(?:rouse|wake|respond|react)\w* (?:at all|even when|when i|to (?:anything|touch|"
        r"my voice|me|us))"
        r"|\b(?:difficult|impossible|really hard|very hard|so hard) to (?:wake|rouse)\b"
        r"|\beyes (?:are |keep )?(?:rolling|rolled) (?:back|up)\b|\bglassy[- ]eyed\b"
        r"|\b(?:baby|he|she|lo|newborn|he'?s|she'?s)\s+"
        r"(?:is\s+|seems\s+|has been\s+|'s\s+|looks\s+)?"
        r"(?:very\s+|really\s+|so\s+|extremely\s+|quite\s+)?(?:lethargic|listless)\b"
        r"|\b(?:too|so|very|extremely) (?:sleepy|drowsy) to (?:feed|wake|eat|latch|suck)\b"
        # hydration: no wees, a sunken soft spot, dry for hours
        r"|\bno (?:wees?|pees?|wet ones?|urine)(?: at all)? (?:all day|since|for|today|"
        r"in (?:\d+|over|more than|the last|twelve|twenty|24))"
        r"|\b(?:sunken|dipped|sunk) (?:soft spot|fontanel\w*)\b"
        r"|\b(?:soft spot|fontanel\w*) (?:is |has |looks )?(?:sunken|sunk|dipped|bulging)\b"
        r"|\b(?:dry|no) (?:nappy|nappies|diaper|diapers) (?:since|for) (?:\d+|over|more than|"
        r"yesterday|last night|this morning|twelve|eight|ten|six)"
        # long without a feed
        r"|\b(?:not|hasn'?t|has not|won'?t|isn'?t|refus\w+)\s+(?:been\s+)?(?:fed|feeding|feed|"
        r"eaten|eating|latched|latching|taken (?:a|any) (?:feed|bottle|milk)|"
        r"had (?:a|any) (?:feed|milk))\s+"
        r"(?:at all\s+)?(?:for|in|since)\s+(?:\d+|over|more than|nearly|almost|six|seven|eight|"
        r"nine|ten|eleven|twelve|a whole|the whole|hours|all day|all night|yesterday|last night)"
        r"|\b(?:\d+|six|seven|eight|nine|ten|eleven|twelve)\+? (?:hours|hrs) (?:without|since) "
        r"(?:a|any|his|her|the last|the) (?:feed|feeding|milk|wet nappy|wee)\b"
        # other red flags in a baby
        r"|\b(?:bulging (?:soft spot|fontanel\w*)|non[- ]blanching rash|rash that doesn'?t fade|"
        r"doesn'?t fade (?:under|with) (?:a|the) glass|high[- ]pitched (?:cry|crying|scream\w*)|"
        r"bile|vomiting bile|(?:bright )?green (?:sick|vomit))\b"
        r"|\b(?:he|she|baby|lo) (?:has|had|'s had) (?:a )?(?:fit|seizure)\b"
        # third-party alarm: someone else's baby in danger
        r"|\b(?:my |her |his |their )?(?:sister'?s|friend'?s|neighbou?r'?s|cousin'?s|brother'?s|"
        r"daughter'?s|son'?s) (?:baby|newborn|little one|lo)\b[^.!?]{0,60}\b(?:not breathing|"
        r"floppy|limp|blue|grey|gray|won'?t wake|unresponsive|not feeding|hasn'?t fed|no wet)\b"
    ),
    "viral": (
        r"\b(?:going viral|gone viral|went viral|go viral|viral thread|viral post|"
        r"boycott\w*|#\w*boycott\w*|share this everywhere|share widely|sharing everywhere|"
        r"everyone needs to (?:see|know)|screenshotted|screen shotted|"
        r"flood (?:it|them|their \w+|her \w+|his \w+|the (?:page|comments|post|inbox))|"
        r"(?:everyone|everybody|y'?all|all of you) (?:go|head|get) (?:to|over to|onto|on) "
        r"[\w@'’.-]+ (?:page|post|account|profile|comments)|"
        r"(?:i'?ve|i have|we'?ve|already) screenshot\w*|"
        r"the whole internet|all over (?:twitter|x|facebook|tiktok|instagram|reddit|the internet|"
        r"social media)|pile[- ]?on|cancel(?:led)? culture|#cancel\w*|"
        r"thousands of (?:people|shares|comments)|petition|mass report\w*|report this page|"
        r"everyone report|exposing you|expose you|backlash|public outrage|"
        r"(?:is|are|'s|'re|now|currently|already) trending|trending (?:on|across|everywhere|"
        r"worldwide|nationally)|"
        r"pr (?:disaster|nightmare)|ratioed|ratio'?d|"
        r"(?:post|this|it|thread|page|comments?|video|tweet)(?:'s| is| are| has| have)? "
        r"(?:blowing|blown) up|"
        r"(?:everyone|everybody|people|the whole internet|the internet|twitter|tiktok|mums|moms|"
        r"parents)(?:'s| is| are)? (?:calling|talking about|sharing|slamming|dragging|furious|"
        r"outraged|laughing at) (?:you|ipala|this|it|your)|"
        r"\d+(?:[.,]\d+)?\s*(?:k|m|thousand|million)\+?\s+(?:shares|retweets|reposts|views|"
        r"likes|comments|people|signatures|quote tweets|stitches|duets)|"
        r"(?:hundreds|thousands|millions) of (?:shares|retweets|views|comments|people|signatures)|"
        r"(?:need|needs|have|has) to (?:respond|issue a statement|make a statement|address this|"
        r"comment publicly|respond publicly)|public statement|statement now|respond now)\b"
    ),
    "safeguarding": (
        r"\b(?:safeguarding (?:concern|issue|referral|risk)|child protection|"
        r"domestic (?:abuse|violence)|abusive (?:partner|husband|boyfriend|relationship|ex)|"
        r"child abuse|being abused|abusing (?:me|the baby|my baby|him|her)|"
        r"(?:my|her|the) (?:partner|husband|boyfriend|ex|dad|father) (?:\w+ )?(?:hits|hit|beats|"
        r"beat|chokes|choked|hurts|hurt|shakes|shook|threatens|threatened|kicks|kicked|punched|"
        r"slapped) (?:me|the baby|my baby|our baby|him|her|us)|"
        r"(?:not|don'?t feel) safe at home|(?:scared|afraid|terrified) (?:of|to go home to) "
        r"(?:my|our) (?:partner|husband|boyfriend|ex)|(?:left|leaves) (?:the baby|my baby|"
        r"him|her) alone (?:for|all)|(?:baby|he|she) (?:is being|was|has been) "
        r"(?:neglected|abused|starved)|neglect(?:ed|ing)? (?:the|my|her|his|their) "
        r"(?:baby|child|children|kids))\b"
        # a partner, relative or other adult who hurts, controls or threatens
        r"|\b(?:my|her|his|the|our) (?:partner|husband|hubby|boyfriend|bf|fianc[eé]e?|ex|wife|"
        r"girlfriend|gf|dad|father|stepdad|step-dad|mother-in-law|father-in-law|mil|fil|"
        r"brother-in-law|in-laws|uncle|lodger|flatmate|mum'?s boyfriend|mom'?s boyfriend)'?s? "
        r"(?:\w+ )?(?:hits|hit|beats|beat|chokes|choked|strangles|strangled|punches|punched|"
        r"slaps|slapped|kicks|kicked|pushed|shoved|threw|throws|grabbed|shakes|shook|shouts at|"
        r"screams at|threatens|threatened|locks|locked|controls|won'?t let|doesn'?t let|"
        r"took|takes|smashed|hurts|hurt|bit|bites|burned|burnt) (?:me|us|the baby|my baby|our "
        r"baby|the kids|my kids|the children|my son|my daughter|him|her|my phone|my money|"
        r"our money|all (?:my|the|our) money|my bank|my keys|me in)\b"
        r"|\b(?:he|she|they) (?:\w+ )?(?:beats me|beat me up|choked me|chokes me|strangled me|"
        r"punched me|threatened to (?:kill|hurt|take)|threatens to (?:kill|hurt|take)|"
        r"locks me in|locked me in|won'?t let me (?:leave|see (?:my|anyone)|have (?:any )?money|"
        r"call|go out)|took my phone|takes my phone|controls (?:all )?(?:my|our|the) money)\b"
        r"|\b(?:coercive control|controlling (?:partner|husband|boyfriend|relationship|ex)|"
        r"sexually assaulted|assaulted (?:me|her|us)|(?:was|been|got) assaulted|raped|rape|"
        r"strangulation|"
        r"unexplained (?:bruis\w*|marks|injur\w*)|"
        r"bruis\w* (?:on|all over) (?:the baby|my baby|his|her|the) (?:\w+ )?(?:face|arms?|legs?|"
        r"body|back|cheeks?|chest|ribs|head|ears?|bottom|neck)|"
        r"(?:afraid|scared|terrified|fear) for my (?:life|safety|baby'?s safety|children'?s safety|"
        r"kids'? safety)|(?:scared|afraid|terrified) (?:he|she|they)(?:'ll| will| might| would) "
        r"(?:kill|hurt|harm|take) (?:me|us|the baby|my baby|the kids|her|him)|"
        r"(?:i'?m|i am|we'?re|we are) not safe|(?:i|we) (?:don'?t|do not|no longer) feel safe|"
        r"fled (?:my|our|the) (?:home|house|partner|husband)|(?:in|at|to) a (?:women'?s )?refuge|"
        r"(?:call|ring|calling|ringing|phone|contact|contacting|tell|telling|involve|report "
        r"(?:it|this|them|her|him) to) (?:social services|children'?s services|cps|"
        r"child protective services|child protection)|"
        r"(?:drunk|high|wasted|stoned|off (?:his|her|their) face|passed out)\s+(?:\w+\s+){0,3}?"
        r"(?:with|looking after|holding|in charge of|alone with|caring for|while (?:feeding|"
        r"holding|caring for|looking after)) (?:the|her|his|their|my|our) (?:baby|newborn|kids|"
        r"children|child)|"
        r"(?:hits|hit|hitting|beats|beat|beating|slaps|slapped|slapping|punches|punched|punching|"
        r"kicks|kicked|kicking|shakes|shook|shaking|shaken|smacks|smacked|smacking|hurting) "
        r"(?:the|her|his|their|my|our) (?:baby|newborn|infant|toddler|"
        r"little one)|"
        r"(?:left|leaves|leaving) (?:the|her|his|their|my|our) (?:baby|newborn|kids|children) "
        r"(?:alone|unattended|on (?:her|his|their) own)|"
        r"(?:baby|newborn|child|kids|children) (?:is|are|was|were|being|has been|have been) "
        r"(?:left alone|left unattended|starved|hit|beaten|hurt by))\b"
    ),
    "psychosis": (
        r"\b(?:hearing voices|hear voices|(?:the |a )?voices? (?:in my head )?(?:tell|tells|told|"
        r"telling|say|says|said|are telling|keep telling|keeps telling) me|"
        r"(?:the|my|this) baby (?:isn'?t|is not|wasn'?t|was not) (?:really )?(?:mine|my (?:real )?"
        r"baby)|(?:isn'?t|is not|not) my real baby|"
        r"(?:swapped|switched|replaced) (?:my|the|our) baby|"
        r"(?:god|the devil|a voice|the voice|something|someone) (?:is )?(?:telling|told|tells) me "
        r"to (?:hurt|kill|harm|drown|drop|leave|sacrifice)|"
        r"(?:they|people|the nurses|the midwives|the neighbou?rs|everyone|someone)"
        r"(?:'re| are| is)? (?:trying to (?:poison|take|steal|hurt|kill)|poisoning|"
        r"plotting against) (?:me|us|my baby|the baby|her|him)|"
        r"(?:the )?(?:baby|she|he) is (?:evil|possessed|the devil))\b"
    ),
}
# Shapes the phrase lists above miss, written as general forms: euphemisms and
# texting ("unalive", "kms", "not wake up"), code-switched wording (Taglish,
# Hinglish, Pidgin), someone worried about a third person, regulators, courts
# and tribunals, and media of every kind (blogs, radio, forums, group chats).
_CRISIS_EXTRA: dict[str, str] = {
    "self-harm": (
        r"\b(?:unalive\w*|kms|kys myself|sewer ?slide|self[- ]?delet\w*|"
        r"(?:tired|sick|weary) of (?:being alive|living|life|existing)|"
        r"(?:done|finished) with (?:life|living|being alive|everything)|"
        r"(?:planning|plan for|planned) (?:my|their|her|his) (?:own )?(?:exit|death|way out)|"
        r"exit plan|not long for this world|(?:manage|cope|be fine|be ok|be okay) without me|"
        r"(?:leave|comot (?:for|from)|go from) (?:this|the) (?:world|life)|"
        r"(?:i )?don tire for (?:this )?life|wan (?:just )?die|"
        r"(?:sana )?mawala na (?:lang )?ako|ayoko na(?: mabuhay)?|gusto ko (?:nang )?mamatay|"
        r"(?:sab|sabkuch|sab kuch) khatam kar (?:doon|du|dun|dena|lu|loon)|"
        r"mar (?:jaana|jana|jaun|jaaun|jaoon) (?:chahti|chahta)|jeena nahi|"
        r"(?:started|start|been|am|i'?m) cutting (?:again|myself)|cutting again|"
        r"(?:rope|noose|belt) in the (?:garage|loft|attic|shed|wardrobe|cupboard)|"
        r"how many (?:of )?(?:my |the |these |her )?(?:sleeping )?(?:pills|tablets|painkillers|"
        r"meds|paracetamol|co-?codamol)[^.!?]{0,30}(?:too many|would (?:kill|do it|be enough)|"
        r"it takes|to die)|"
        r"(?:swallow|take|drink|down)(?:ing|s)? (?:the )?(?:whole|entire|full) (?:box|bottle|"
        r"packet|strip|pack) of|"
        r"(?:sav|hoard|stockpil|collect)(?:ing|ed) (?:up )?(?:her|his|their) (?:pills|tablets|"
        r"painkillers|meds)|"
        r"(?:drink|drinking|swallow|swallowing|take|taking) (?:the |some |a bottle of )?"
        r"(?:jik|bleach|poison|rat poison|pesticide|weedkiller|weed killer|dettol|kerosene|"
        r"insecticide|sniper)|"
        r"(?:imagin|pictur|think|dream)\w* (?:about |of )?crash\w* (?:the|my) car|"
        r"(?:don'?t|do not|can'?t|cannot) trust my (?:own )?(?:head|mind|brain|thoughts)|"
        r"(?:i )?(?:can'?t|cannot|cant) do (?:another|one more) (?:night|day)|"
        r"(?:affairs|things|everything) (?:is |are )?(?:all )?(?:in order|sorted) for "
        r"(?:when|after)|"
        r"(?:put|putting|got|get|getting) my affairs in order|life insurance (?:is )?(?:all )?"
        r"(?:sorted|in order|paid up)|whoever (?:has|gets|takes|raises) (?:her|him|them|the baby)|"
        r"(?:everything|all) they'?ll need from me|"
        r"(?:saying|said|says) (?:goodbye|goodbyes|bye) to (?:people|friends|everyone|her friends|"
        r"his friends)|just in case['’\"”]?\s*(?:[.!]|$)[^?]{0,60}goodbye)\b"
        r"|(?:^|[.!?]\s*)goodbye (?:everyone|all|everybody|world)\b"
        r"|\b(?:stairs|balcony|window|bridge|ledge|edge|roof|cliff|railing)\b[^.!?]{0,100}"
        r"\b(?:just let go|letting go|let myself (?:go|fall))\b"
        r"|\bnot (?:to )?wake up\b[^.!?]{0,40}\b(?:tomorrow|again|ever|in the morning)\b"
        r"|\b(?:go to sleep|sleep|fall asleep)\b[^.!?]{0,20}\b(?:not|never) wake up\b"
    ),
    "baby-danger": (
        r"\b(?:won'?t|wont|will not|doesn'?t|can'?t|cannot) rouse\b"
        r"|\beyes (?:\w+ )?(?:roll|rolls|rolled|rolling)\b"
        r"|\b(?:went|goes|gone|going|is) (?:all )?(?:stiff|rigid)\b"
        r"|\b(?:arms?|legs?|body|limbs) (?:was |were |are |is |kept |keep )?"
        r"(?:jerking|twitching|shaking|jerked)\b|\bjerking (?:movements|for)\b"
        r"|\b(?:spots|dots|rash|marks|blotches)\b[^.!?]{0,30}\b(?:don'?t|do not|doesn'?t|won'?t) "
        r"(?:fade|go away|disappear) (?:when|under|with)\b"
        r"|\b(?:i )?dropped (?:him|her|the baby|my baby|baby)\s*(?:[.!,]|on|onto|down)"
        r"|\bhit (?:the|his|her) (?:floor|head)\b"
        r"|\bgrunt\w*\b[^.!?]{0,25}\b(?:each|every) breath\b"
        r"|\bsucking in (?:under|between|below) (?:his|her|the) ribs\b"
        r"|\bvomit\w* (?:bright |dark |all )?green\b|\bgreen (?:bile|puke|spit ?up)\b"
        r"|\bpaus\w* (?:his|her|in (?:his|her)) breath\w*\b"
        r"|\bhigh[- ]pitched (?:squeal\w*|shriek\w*|wail\w*|squeak\w*|noise)\b"
        r"|\b(?:nappies|nappy|diapers?) (?:are|is|have been|has been) (?:all )?(?:still )?dry\b"
        r"|\bbarely (?:opens|open|opening) (?:his|her) eyes\b"
        r"|\btoo weak to (?:suck|feed|cry|latch|nurse|drink)\b|\blike (?:a )?cloth\b"
        r"|\b(?:💙|🥶)+\s*lips\b|\blips\s*(?:💙|🥶)"
        r"|\b(?:grey|gray|blue|purple|ashen|dusky)(?:ish)? colou?r (?:after|when|during)\b"
        r"|\bbreath\w* (?:all )?(?:raspy|rattly|wheezy|funny|weird)\b"
        r"|\bbreathing (?:really |very |so )?fast like panting|panting\b[^.!?]{0,30}\bfeed"
        r"|\b(?:feels?|is|he'?s|she'?s) (?:so |really |very |ice )?cold even\b"
        r"|\b(?:hot|burning) like fire\b|\bbody dey hot\b|\bno gree (?:suck|feed|chop)\b"
        r"|\b(?:feed|doodh) (?:bhi )?nahi (?:le|pee|pi) (?:raha|rahi)\b"
        r"|\b(?:hindi|di) na (?:nagigising|gumigising|dumedede)\b"
        r"|\bstopped breathing for\b|\bfor (?:a|an) (?:while|bit|few seconds)\b[^.!?]{0,20}"
        r"\bnot breathing\b"
    ),
    "safeguarding": (
        r"\bask for angela\b"
        r"|\b(?:without|don'?t want) my (?:partner|husband|hubby|boyfriend|bf|fianc[eé]e?) "
        r"(?:knowing|to know|finding out)\b"
        r"|\b(?:he|she|they) (?:reads|checks|goes through|read|checked|tracks) my "
        r"(?:messages|texts|phone|emails|location)\b"
        r"|\bthings at home (?:aren'?t|are not|arent) (?:good|ok|okay|great|safe)\b"
        r"|\b(?:he|she) (?:comes|goes) (?:with me )?everywhere (?:with me|i go)\b|\bcomes with me "
        r"everywhere\b"
        r"|\bif i stop replying\b"
        r"|\bbruis\w* (?:he|she|they) (?:left|gave)\b"
        r"|\b(?:grab\w*|yank\w*|shook|shak\w*|throw\w*|threw) (?:his|her|their|the|a) "
        r"(?:baby|newborn|son|daughter|kid|child) (?:roughly|hard|by the)\b"
        r"|\bshut (?:her|him|the baby|it) up (?:himself|herself|for good|permanently|properly)\b"
        r"|\b(?:1[0-5]|twelve|thirteen|fourteen|fifteen)[- ]?(?:yr|yrs|year|years)[- ]?old "
        r"(?:\w+ )?(?:just )?(?:had a baby|is pregnant|got pregnant|gave birth|is a mum)\b"
        r"|\b(?:left|leaves|leaving) (?:her|his|their|the|my) (?:\w+ ){0,3}?(?:old|baby|newborn|"
        r"kids|children|toddler) alone\b"
        r"|\b(?:my|her|his) mother[- ]in[- ]law (?:\w+ )?(?:slaps|hits|beats|kicks|slapped|hit|"
        r"beat|kicked) me\b"
        r"|\bnowhere (?:else )?(?:to go|safe)\b"
    ),
    "violence": (
        r"\b(?:burn\w*|set fire to) (?:down )?(?:your|the|her|his|their) "
        r"(?:office|house|home|clinic|building|car|place)"
        r"|\b(?:office|house|home|clinic|building) burn\w* down\b"
        r"|\b(?:brick|rock|stone|bottle|petrol bomb)s? through (?:your|the|her|his|their)\b"
        r"|\b(?:i'?ll|i will|i'?m going to|gonna|i go|we'?ll|we will)\s+(?:\w+\s+)?"
        r"(?:break|batter|deal with|sort out|slap|smack|knock|wreck)\s+(?:you|u|her|him|them|am|"
        r"una|your|all of you|the \w+)\b"
        r"|\b(?:sort|deal with) (?:it|this|you|them|her|him) (?:out )?(?:properly|physically|"
        r"ourselves|myself|outside)\b"
        r"|\bwith (?:a few|some|my|the) (?:of my )?(?:mates|lads|boys|friends)\b[^.!?]{0,40}"
        r"\b(?:sort|deal|settle|see|teach)\b"
        r"|\bsleep with one eye open\b|\bconsider (?:yourselves?|yourself|this|it) warned\b|"
        r"\byou (?:have|'ve) been warned\b|\bdon'?t test me\b"
        r"|\b(?:wise|smart|best|safer) to have someone walk (?:her|him|you|them)\b"
        r"|\bwalk (?:her|him|you|them) to (?:her|his|your|their) car\b"
        r"|\bi know (?:exactly )?(?:which|what|where) (?:clinic|house|street|office|car|school|"
        r"road|estate|building)\b"
        r"|\b(?:lives?|works?) (?:a couple of|a few|two|three|just a few|just) streets? "
        r"(?:from|away from) me\b"
        r"|\byou know what you did\b|\bwhen i catch (?:am|her|him|you|them)\b"
        r"|\b(?:make|let) (?:she|he|them|una) wait\b"
    ),
    "legal": (
        r"\b(?:consumer|small claims|district|county|family|high|magistrates'?) court\b"
        r"|\b(?:explain|see you|answer|meet you) (?:for|in|at) court\b"
        r"|\blegal notice\b|\b(?:is |are )?(?:negligent and )?actionable\b"
        r"|\b(?:talking|speaking|spoken|talked) (?:to|with) (?:a|my|our) (?:lawyer|solicitor|"
        r"attorney|barrister|advocate)\b|\blawyer (?:dey|is|are) (?:come|coming)\b"
        r"|\b(?:take|taking) (?:it|this|things|the matter) (?:further|to (?:a |the )?(?:tribunal|"
        r"court|courts))\b"
        r"|\b(?:tribunal|ombudsman|regulator)\b[^.!?]{0,30}\b(?:claim|complaint|case|hearing)\b"
    ),
    "press": (
        r"\bi (?:write|run|host|produce|edit|present) (?:the |a |an )?(?:[\w'’-]+ ){0,3}?"
        r"(?:blog|podcast|newsletter|column|show|programme|program|channel|vlog|substack)\b"
        r"|\b(?:radio|tv|television) station\b|\b(?:morning|breakfast|evening|talk) show\b"
        r"|\bcurrent affairs\b|\b(?:talk|speak|appear) on (?:camera|air|the show|our show)\b"
        r"|\bwho (?:handles|deals with|looks after|do (?:we|i) (?:contact|speak to) (?:for|about)) "
        r"(?:the )?(?:media|press|interviews|comms)\b"
        r"|\b(?:will|can|may|could) (?:i )?quote you\b|\bofficial (?:statement|comment|response)\b"
        r"|\b(?:going|planning|willing|prepared) to comment on\b"
        r"|\b(?:follow-?up|piece|story|article|feature) (?:for|in|on) (?:an?|our|my|the) "
        r"(?:online |local |national )?(?:outlet|site|paper|magazine|publication|blog|podcast)\b"
        r"|\b(?:online|news) outlet\b"
    ),
    "viral": (
        r"\b(?:organi[sz]ing|planning|holding|staging|there'?ll be|join(?:ing)? (?:the|a|our)) "
        r"(?:a )?(?:protest|demo|demonstration|picket|march|sit-in|rally)\b"
        r"|\bprotest (?:outside|at) (?:your|the)\b|\bcoaches booked\b"
        r"|\b(?:gone|going|went|doing the) rounds?\b[^.!?]{0,40}\b(?:groups?|chats?|whatsapp|"
        r"facebook|forums?|mums|moms|town|city|school gates?)\b"
        r"|\bfront page of (?:reddit|the internet|the paper|mumsnet|tiktok|twitter)\b"
        r"|\b(?:\d+(?:[.,]\d+)?\s*(?:k|m)?\+?|hundreds of|thousands of) (?:upvotes|downvotes|"
        r"duets|stitches|screenshots|quote posts)\b"
        r"|\b(?:mumsnet|reddit|netmums|whatsapp|facebook|tiktok|twitter|instagram|threads|"
        r"forum)\b[^.!?]{0,30}\b(?:thread|post|group|video)\b[^.!?]{0,40}\b(?:\d+ pages|"
        r"about (?:this|you|your|ipala)|calling you out|blowing up)\b"
        r"|\bthread about (?:this|you|your|ipala)\b[^.!?]{0,30}\b\d+ pages\b"
        r"|\bpeople are (?:furious|livid|fuming|outraged|raging|seething)\b"
        r"|\b(?:everyone|everybody|people)(?:'s| is| are) (?:cancell?ing|quitting|leaving|"
        r"unfollowing|boycotting)\b"
        r"|\bcalling you out\b"
    ),
}
for _kind, _extra in _CRISIS_EXTRA.items():
    CRISIS_PATTERNS[_kind] = f"{CRISIS_PATTERNS[_kind]}|{_extra}"

# Understated, formal and second-language shapes: the red flag said calmly
# ("how easy it would be to just go", "I've instructed a solicitor"), veiled
# threats, a minor with an adult, an adult messaging a child, a partner who
# locks the door, a crowd that is angry somewhere else.
_CRISIS_UNDERSTATED: dict[str, str] = {
    "self-harm": (
        r"\b(?:easy|quiet|peaceful|simple|tempting) (?:and \w+ )?it would be to (?:just )?"
        r"(?:go|disappear|end (?:it|things)|stop|let go|not (?:be here|wake up)|step (?:off|out)|"
        r"jump|fall)\b"
        r"|\b(?:saving|hoarding|stockpiling|stashing|collecting) (?:up )?(?:my|her|his) "
        r"(?:[\w-]+ )?(?:co-?codamol|codeine|tramadol|paracetamol|sertraline|diazepam|zopiclone|"
        r"oxycodone|insulin|meds|medication|medicines?|prescriptions?|pills|tablets|painkillers)\b"
        r"|\bworked out (?:exactly )?how many(?: (?:i'?d|i would) need| it would take)?\s*[.!]"
        r"|\b(?:finish|end|stop|take) (?:my|her|his) (?:own )?life\b"
        r"|\b(?:think|thinking|thought) (?:to|of) (?:die|dying|finish (?:my|her|his) life)\b"
        r"|\b(?:car|garage)\b[^.!?]{0,60}\bengine (?:running|on)\b"
        r"|\b(?:search\w*|look\w*|googl\w*|research\w*|read\w*) (?:up )?(?:for |on |about )?"
        r"(?:ways|how) to (?:end (?:it|things|my life|it all|everything)|die|not wake up|"
        r"disappear)\b"
        r"|\b(?:wouldn'?t|won'?t|doesn'?t|don'?t) (?:look|seem) (?:deliberate|intentional|"
        r"like suicide)\b|\blook like an accident\b"
    ),
    "violence": (
        r"\b(?:check|watch) (?:her|his|their|your) (?:brakes|tyres|tires)\b"
        r"|\b(?:she|he|they|you)(?:'ll| will)? (?:won'?t|will not|wouldn'?t) (?:be )?"
        r"(?:walking|walk) away from\b"
        r"|\b(?:shows?|know|knows|found|find|work(?:ed)? out)\b[^.!?]{0,30}\b(?:which|what) "
        r"(?:nursery|school|daycare|creche|childminder|street|road) (?:your|her|his|their)\b"
        r"|\b(?:work|worked|find|found|figure|figured) out (?:someone'?s|your|her|his|their) "
        r"(?:street|address|house|home|school|nursery)\b"
        r"|\b(?:torched|torching|set fire to|firebomb\w*|petrol[- ]bomb\w*)\b"
        r"|\b(?:break|smash|bash|kick|punch|cave) (?:your|her|his|their) (?:stupid |ugly )?"
        r"(?:face|legs?|neck|nose|jaw|head|teeth|skull)\b"
        r"|\b(?:i'?ll|i will|i'?m going to) be (?:waiting )?outside (?:your|the)\b"
    ),
    "legal": (
        r"\b(?:instructed|instructing|engaged|retained) (?:a|my|our) (?:solicitor|lawyer|"
        r"attorney|barrister|legal team)\b"
        r"|\bclaim for (?:infringement|damages|copyright|breach)\b"
        r"|\b(?:copyright|trademark) infringement\b"
        r"|\b(?:defence|defense) union\b"
        r"|\b(?:report\w*|refer\w*)\b[^.!?]{0,60}\bto (?:the )?(?:ico|information commissioner|"
        r"charity commission|data protection (?:authority|commission\w*))\b"
    ),
    "press": (
        r"\b(?:production company|picture desk|photo desk|features desk)\b"
        r"|\b(?:interview|film|photograph) (?:your|one of your) (?:chief executive|ceo|president|"
        r"chair|spokesperson|director)\b"
        r"|\bsend (?:a|our) (?:photographer|camera crew|film crew|reporter)\b"
    ),
    "safeguarding": (
        r"\b(?:stepdad|step-dad|stepfather|dad|father|husband|partner|boyfriend|uncle|brother)\b"
        r"[^.!?]{0,20}\b(?:hits|hit|beats|punches|kicks|slaps|chokes|strangles) (?:my|her|his|our) "
        r"(?:mum|mom|mother|sister|wife|partner|nan|gran)\b"
        r"|\b(?:asking|asked|asks|wants?|wanted) (?:(?:her|him|them|my \w+) )?to "
        r"(?:meet (?:up )?|come (?:round|over) )?(?:alone|in secret|"
        r"without (?:telling|her parents|his parents|us))\b"
        r"|\bsafeguarding (?:lead|team|officer)\b"
        r"|\b(?:he|husband|partner|boyfriend)\b[^.!?]{0,15}\block(?:s|ed)? (?:the (?:front )?door|"
        r"me in|us in)\b"
        r"|\b(?:he|she|husband|partner|boyfriend)\b[^.!?]{0,10}\b(?:take|takes|took|hide|hides|"
        r"hid) (?:away )?my (?:phone|passport|money|keys|documents|bank card)\b"
        r"|\b(?:bed[- ]?shar|co[- ]?sleep)\w*[^.!?]{0,60}\b(?:after|while) (?:\w+ ){0,4}"
        r"(?:drunk|drinking|wine|beers?|vodka|alcohol|high|stoned)\b"
        r"|\b(?:find|found|finding) (?:the|her|his|their) (?:baby|newborn|kids|children) "
        r"(?:on (?:his|her|their) own|alone)\b"
        r"|\b(?:1[0-5]|thirteen|fourteen|fifteen)(?: years old|[- ]year[- ]old)?\b[^.!?]{0,60}"
        r"\b(?:with|by|and) (?:a|an|this|some) (?:man|guy|bloke|boyfriend|adult)\b[^.!?]{0,20}"
        r"\b(?:[2-9]\d|twenty|thirty|forty)\b"
        r"|\b(?:twist\w*|grabb?\w*|yank\w*|pinn\w*|drag\w*) (?:his|her|their) (?:partner|wife|"
        r"girlfriend|husband|boyfriend)'?s? (?:arm|wrist|neck|hair|throat)\b"
    ),
    "baby-danger": (
        r"\b(?:soft spot|fontanel\w*)\b[^.!?]{0,25}\b(?:sunken|sunk|dipped|dipping|sinking|"
        r"bulging)\b"
        r"|\bonly (?:one|1|a single) wet (?:nappy|nappies|diaper|diapers)\b"
        r"|\b(?:swallowed|swallow|eaten|ate)\b[^.!?]{0,60}\b(?:batter(?:y|ies)|magnets?|"
        r"dishwasher tablet|washing (?:pod|tablet)|detergent|bleach)\b"
        r"|\b(?:button|coin|round|lithium) batter(?:y|ies)\b[^.!?]{0,40}\bswallow\w*"
    ),
    "viral": (
        r"\b(?:shared|sharing|posted|reposted|posting) (?:this|it) (?:to|with) (?:my|our|all my) "
        r"(?:\d+(?:[.,]\d+)?\s*(?:k|m)|thousands of|hundreds of|\d{3,}) (?:followers|subscribers)\b"
        r"|\b(?:this|your|the) (?:post|video|statement|page|campaign)(?:'s| is) (?:now )?"
        r"(?:everywhere|all over)\b"
        r"|\b(?:all the|the|so many) (?:\w+ )?(?:groups|mums|moms|parents|followers) (?:are|were) "
        r"(?:all )?(?:angry|furious|livid|fuming|outraged|raging|up in arms)\b"
        r"|\bplacards?\b|\bwe'?ll be outside (?:your|the)\b"
    ),
}
for _kind, _extra in _CRISIS_UNDERSTATED.items():
    CRISIS_PATTERNS[_kind] = f"{CRISIS_PATTERNS[_kind]}|{_extra}"

# One RE2 search over all kinds says whether there is anything to find (the
# common case is nothing); then each kind's own, smaller pattern finds the spans,
# which on a matching text is about twice as fast as one pattern with named groups.
_BIG_OPTIONS = re2.Options()
_BIG_OPTIONS.case_sensitive = False
_BIG_OPTIONS.never_capture = True
_BIG_OPTIONS.max_mem = 64 << 20  # the union is large: room for its DFA
_CRISIS_ANY = lazy("|".join(f"(?:{p})" for p in CRISIS_PATTERNS.values()), _BIG_OPTIONS)
_CRISIS_KINDS = tuple((kind, _rx(p)) for kind, p in CRISIS_PATTERNS.items())


#: Kinds a negation can cancel ("I'm not going to sue", "no legal action"). Self-harm
#: and a baby in danger are never cancelled: a missed one costs far more.
_NEGATABLE = frozenset({"violence", "legal", "press", "viral"})
_NEGATOR = re.compile(
    r"\b(?:not|never|no|won'?t|wouldn'?t|don'?t|didn'?t|isn'?t|aren'?t|nobody|no one|"
    r"without|nothing)\b[^\n]{0,24}$"
)
_NOT_NEGATION = re.compile(
    r"\b(?:if|unless|don'?t make me|or)\b|\bno (?:option|choice|alternative) (?:but|other than)\b"
)
_CLAUSE_BREAK = re.compile(r"[.,;:!?\n—–]")


# "I can't do this anymore, any tips before I give up": exhaustion with
# feeding, not self-harm, when the same breath asks for tips or talks of
# stopping feeding (a self-harm phrase elsewhere still counts).
_FEEDING_EXHAUSTION = re.compile(r"do this any ?more|cope any ?more|keep going", re.IGNORECASE)
_GIVE_UP_FEEDING = re.compile(
    r"\b(?:any|some) (?:tips|advice|ideas|suggestions)\b|\bbefore i (?:give up|stop|quit)\b"
    r"|\b(?:give up|stop|quit) (?:breast|chest)?(?:feeding|pumping|nursing)\b"
    r"|\bswitch(?:ing)? to formula\b",
    re.IGNORECASE,
)


def _negated(text: str, start: int) -> bool:
    """Whether the clause before ``start`` negates what follows ("I'm not going to ...")."""
    before = text[max(0, start - 40) : start].lower().replace("’", "'")
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(before)]
    if breaks:
        before = before[breaks[-1] :]
    if not before.strip() or _NOT_NEGATION.search(before):
        return False
    return _NEGATOR.search(before) is not None


# --- baby danger: context a single phrase cannot carry ------------------------------

# A colour change on the mother's body or on hands and feet is not a danger
# sign ("my nipple turns blue after feeds" is Raynaud's; blue hands and feet are
# common in newborns): the colour must be the baby's face, lips or skin.
_COLOUR = re.compile(r"\b(?:blue|grey|gray|purple|white|pale|dusky|mottled|bluish)\b", re.I)
_BENIGN_COLOUR = re.compile(
    r"\b(?:nipples?|breasts?|boobs?|areolas?|hands?|feet|foot|fingers?|toes?|nails?|milk|"
    r"poo|poos|poop|stools?|veins?|bruises?|pump|flange|bottle|eyes|sky|cardigan|onesie|"
    r"blanket|hat|dress|vest|sleepsuit|babygrow|toy|dummy|monday|mood)\b[^.!?]{0,25}$",
    re.I,
)
# "She's not floppy", "no fever", "he isn't lethargic or grey": a sign the
# parent rules out. Only the clause right before the sign counts, and not when
# it is unsure ("I don't know why she's so floppy").
_STATE_NEGATION = re.compile(
    r"\b(?:not|isn'?t|wasn'?t|aren'?t|no|never|nor|without)\s+(?:(?:very|really|too|at all|"
    r"remotely|particularly|a bit|any|\w+ or|\w+,)\s+){0,2}$",
    re.I,
)
_UNSURE = re.compile(r"\b(?:know|sure|think|tell|if|whether|why|how|what|reckon)\b", re.I)
# Signs that start with their own negation ("not breathing", "no wet nappy").
_SELF_NEGATED = re.compile(
    r"^(?:not|no|isn'?t|hasn'?t|won'?t|can'?t|wasn'?t|doesn'?t|didn'?t|stop)", re.I
)


def _sign_ruled_out(text: str, start: int) -> bool:
    """Whether the words right before ``start`` rule the sign out ("she's not floppy")."""
    before = text[max(0, start - 40) : start].replace("’", "'")
    breaks = [m.end() for m in _CLAUSE_BREAK.finditer(before)]
    if breaks:
        before = before[breaks[-1] :]
    m = _STATE_NEGATION.search(before)
    return m is not None and not _UNSURE.search(before[: m.start()] + before[m.end() :])


# Fever matters by age: any fever in a baby under three months needs a doctor now.
_FEVER = _rx(
    r"\b(?:fever|feverish|high temp(?:erature)?|a temp(?:erature)?|temp(?:erature)?:? ?(?:of |"
    r"is |was |at |reading |of over |over |above |now |up to )?(?:3[89]|4[01]|10[0-5])|"
    r"(?:3[89]|4[01])(?:[.,]\d)?\s*(?:°|degrees|deg)\s*c?|10[0-5](?:\.\d)?\s*(?:°|degrees|deg)"
    r"\s*f?|"
    r"(?:3[89]|4[01])[.,]\d\s*(?:°c?\s*)?(?:temp(?:erature)?|fever)|hot to (?:the )?touch|"
    r"burning up|feels? (?:really |very |so |quite )?(?:hot|feverish|clammy))\b"
)
_YOUNG = _rx(
    r"\b(?:newborn|new-born|neonate|(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|thirteen|fourteen|a few)\s*(?:-\s*)?(?:days?|d)[- ]old|(?:[1-9]|1[0-2]|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s*(?:-\s*)?(?:weeks?|wks?"
    r"|w)[- ]old|(?:he|she|baby|lo)(?:'s| is) (?:only |just )?(?:[1-9]|1[0-2]|one|two|three|"
    r"four|five|six|seven|eight|nine|ten|eleven|twelve) (?:weeks?|wks?)\b|(?:1|2|one|two)\s*"
    r"(?:-\s*)?months?[- ]old|(?:he|she|baby|lo)(?:'s| is) (?:only |just )?(?:a|one|two|\d{1,2}) "
    r"days?\b)"
)
# The mother's own fever ("I have a temperature and a red lump") is a mastitis
# question, not the baby's danger sign.
_MY_FEVER = re.compile(
    r"\b(?:i|i'?ve|i'?m|me|my)\b(?!\s+(?:baby|son|daughter|lo|little|newborn|boy|girl|"
    r"\d))[^.!?]{0,30}$",
    re.I,
)
_THE_BABY = re.compile(r"\b(?:he|she|baby|lo|him|her|son|daughter|newborn|his|they)\b", re.I)
# Jaundice with a baby too sleepy to feed, pale poo or dark wee.
_JAUNDICE = _rx(
    r"\b(?:jaundic\w*|bilirubin|bili|yellow all over|yellow (?:skin|eyes|whites|colou?r|tinge)|"
    r"whites of (?:his|her) eyes (?:are |look )?yellow|(?:skin|face|chest|tummy|belly|legs|"
    r"he|she|baby|he'?s|she'?s|he is|she is) (?:is |are |looks? |has gone |'s gone |went |"
    r"turning |gone |getting )?(?:very |really |so |quite |more |bright |a bit |really quite )?"
    r"(?:yellow|orange)\b)"
)
_JAUNDICE_RED_FLAG = _rx(
    r"\b(?:(?:so|too|very|really|extremely) (?:sleepy|drowsy)\b[^.!?]{0,30}\b(?:won'?t|can'?t|"
    r"isn'?t|not|doesn'?t|hasn'?t|barely|never)\s+(?:\w+\s+)?(?:feed|feeding|fed|wake|waking|"
    r"eat|latch\w*|suck\w*|rouse)|(?:won'?t|can'?t|not|isn'?t|hasn'?t|refus\w+)\s+(?:been\s+)?"
    r"(?:feed|feeding|fed|eat|eating|wake|waking|latch\w*)\s+(?:at all|properly for|for \w+ "
    r"hours)|hard to wake|difficult to wake|won'?t wake (?:up )?(?:for|to) (?:feeds?|eat)|"
    r"(?:sleeping|slept|sleeps) through (?:feeds|every feed|(?:all )?(?:his|her) feeds)|"
    r"lethargic|floppy|limp|(?:pale|white|chalky|grey|gray|clay)(?:[- ]colou?red)? "
    r"(?:poo|poos|poop|stools?)|(?:poo|poos|poop|stools?) (?:is |are |has gone |have gone |"
    r"looks? |went )?(?:very |really |quite )?(?:pale|white|chalky|grey|gray|clay)|"
    r"dark (?:wee|urine|pee)|(?:first|1st) (?:24 hours|day)|"
    r"yellow (?:on|from) (?:day (?:one|1)|the first day))"
)

# A story that ended well is not a live crisis ("she went blue once, that was a
# year ago and she's thriving now"): it needs distance in time or a clear
# recovery, and nothing that sounds live (a question, "right now", "help").
_RECOVERED = _rx(
    r"\b(?:made a (?:full )?recovery|fully recovered|(?:is|'s|are|'re|am|'m) (?:now )?"
    r"(?:thriving|doing (?:brilliantly|amazingly|great|so well|really well)|happy and healthy|"
    r"perfectly healthy|in a (?:much )?better place)|now (?:a )?(?:thriving|healthy|happy|"
    r"cheeky|chunky|bouncing)|(?:is|'s) now (?:\d+|one|two|three|four|five|six|a) (?:months?|"
    r"years?)|(?:\d+|one|two|three|four|five|six|a few|several|many) (?:months|years) (?:ago|"
    r"later|on)|last year|a year ago|back then|looking back|came out the other side|"
    r"got (?:through|past) (?:it|that|those)|(?:so|really) much better now)\b"
)
_LIVE = _rx(
    r"\?|\b(?:right now|tonight|at the moment|currently|still (?:not|isn'?t|hasn'?t|won'?t|"
    r"floppy|blue|limp|grey|having|feel|want|thinking)|please help|help me|help!|what (?:do|"
    r"should|can) (?:i|we) do|emergency|urgent|again (?:now|today|tonight)|this morning|today)\b"
)
#: Kinds whose story can be over: the parent is telling us how it went.
_STORY_KINDS = frozenset({"self-harm", "baby-danger", "safeguarding", "psychosis"})


def _recovered(text: str) -> bool:
    return _RECOVERED.search(text) is not None and _LIVE.search(text) is None


def _baby_danger_sign_ok(text: str, start: int, evidence: str) -> bool:
    """Whether a baby-danger phrase stands once its context is read."""
    if _COLOUR.search(evidence) and not re.search(r"\b(?:lips|face|skin|mouth)\b", evidence, re.I):
        before = text[max(0, start - 40) : start]
        if _BENIGN_COLOUR.search(before + evidence):
            return False
    if _FEVER.search(evidence) and _MY_FEVER.search(text[max(0, start - 40) : start]):
        return False  # the mother's fever
    # a sign ruled out just before it ("not floppy"), unless it carries its own "not"
    return bool(_SELF_NEGATED.match(evidence)) or not _sign_ruled_out(text, start)


def _combined_baby_danger(text: str) -> list[tuple[str, int, int, str]]:
    """Signs that are dangerous only together: fever at a young age, jaundice with sleepiness."""
    out: list[tuple[str, int, int, str]] = []
    young = _YOUNG.search(text)
    if young is not None:
        for m in _FEVER.finditer(text):
            before = text[max(0, m.start() - 40) : m.start()]
            if _MY_FEVER.search(before) and not _THE_BABY.search(before.split(" i")[-1]):
                continue
            if _sign_ruled_out(text, m.start()):
                continue
            out.append(("baby-danger", m.start(), m.end(), m.group(0)))
            break
    jaundice = _JAUNDICE.search(text)
    if jaundice is not None:
        for m in _JAUNDICE_RED_FLAG.finditer(text):
            if _sign_ruled_out(text, m.start()) or abs(m.start() - jaundice.start()) > 120:
                continue
            clause = text[max(0, min(m.start(), jaundice.start()) - 40) : m.start()]
            if _CONDITIONAL.search(clause.split(".")[-1]):
                continue  # "if your baby is yellow in the first 24 hours, call": advice
            start, end = min(jaundice.start(), m.start()), max(jaundice.end(), m.end())
            out.append(("baby-danger", start, end, text[start:end]))
            break
    return out


_CONDITIONAL = re.compile(r"\b(?:if|unless|whether|in case)\b", re.I)
_COMBINED_HINT = _rx(r"fever|temp|hot|burning up|clammy|°|degrees|jaundic|yellow|bili")


_AFRAID_OF_ONESELF = re.compile(
    r"\b(?:scared|afraid|terrified|frightened|worried|fear|panicking|petrified)\s+(?:that\s+)?$",
    re.I,
)


def crisis_matches(text: str) -> list[tuple[str, int, int, str]]:
    """(kind, start, end, evidence) for each crisis phrase that is not negated."""
    combined = _combined_baby_danger(text) if _COMBINED_HINT.search(text) else []
    phrases = _CRISIS_ANY.search(text) is not None
    if not combined and not phrases:
        return []
    out: list[tuple[str, int, int, str]] = []
    for kind, pattern in _CRISIS_KINDS if phrases else ():
        for m in pattern.finditer(text):
            if kind in _NEGATABLE and _negated(text, m.start()):
                continue
            if kind == "self-harm" and _FEEDING_EXHAUSTION.search(m.group(0)):
                after = text[m.end() : m.end() + 60]
                if _GIVE_UP_FEEDING.search(after) and not _CRISIS_ANY.search(after):
                    continue
            if kind == "baby-danger" and not _baby_danger_sign_ok(text, m.start(), m.group(0)):
                continue
            if kind == "violence" and _AFRAID_OF_ONESELF.search(
                text[max(0, m.start() - 30) : m.start()]
            ):
                kind = "self-harm"  # "I'm scared I'll hurt him": a parent's fear, not a threat
            out.append((kind, m.start(), m.end(), m.group(0)))
    seen = {(start, end) for _, start, end, _ in out}
    out.extend(found for found in combined if (found[1], found[2]) not in seen)
    if out and all(kind in _STORY_KINDS for kind, *_ in out) and _recovered(text):
        return []  # a story with a good ending, told in the past
    out.sort(key=lambda found: (found[1], found[2]))
    return out


# --- the learned complement ---------------------------------------------------------

#: The inbound signal model (``scripts/train_signal_model.py``; see signal_model.md).
SIGNAL_MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "signal_model.json"
SIGNAL_MODEL_FORMAT = "postguard-signal-logreg/1"


@dataclass(frozen=True, slots=True)
class SignalModel:
    """The shared linear model plus the crisis head's "confident" threshold."""

    model: _linear_model.LinearModel
    #: head -> a score at or above it may flag on its own (crisis only).
    confident: dict[str, float]

    def says(self, text: str, head: str) -> tuple[float, bool, bool]:
        """(score, at or above the threshold, at or above the confident threshold)."""
        score = self.model.score_many([text], head)[0]
        threshold = self.model.thresholds.get(head, 1.0)
        return score, score >= threshold, score >= self.confident.get(head, 2.0)


@cache
def load_signal_model() -> SignalModel | None:
    """The shipped inbound signal model, or ``None`` when it is not installed.

    Without it the detectors fall back to the rules alone.
    """
    try:
        blob = json.loads(SIGNAL_MODEL_PATH.read_text("utf-8"))
    except OSError:
        return None
    model = _linear_model.linear_model_from_json(blob, SIGNAL_MODEL_FORMAT)
    confident = {str(k): float(v) for k, v in blob.get("confident_thresholds", {}).items()}
    return SignalModel(model=model, confident=confident)


# A borderline crisis score counts only beside one of these weak cues: words of
# despair, danger, threat, law, press or a crowd, none of which is enough alone.
_WEAK_CRISIS_CUE = _rx(
    r"\b(?:scared|afraid|terrified|frightened|panic\w*|alone|exhausted|die|dying|dead|"
    r"death|pills?|tablets|hurt\w*|harm|blood|bruis\w*|safe|unsafe|shout\w*|police|ambulance|"
    r"a&e|999|911|emergency|urgent|tonight|breath\w*|blue|grey|gray|cold|floppy|limp|weak|"
    r"stiff|drowsy|fever|yellow|vomit\w*|rash|lawyer|solicitor|court|legal|sue|compensation|"
    r"journalist|reporter|media|press|interview|statement|viral|thousands|shares|warn\w*|"
    r"regret|mates|deserve|burn\w*|kill\w*)\b"
)
# Words of the negatable kinds (law, press, threats): negated, they rule the
# model out as they rule the phrases out ("I'm not going to sue anyone").
_NEGATABLE_CUE = _rx(
    r"\b(?:sue|suing|lawyers?|solicitors?|court|legal|journalists?|reporters?|press|media|"
    r"interview|statement|viral|threat\w*|hurt|harm|kill|burn|warn\w*)\b"
)
_MODEL_CUE_CHARS = 500
_CRISIS_PRAISE = _rx(r"\b(?:killed me|dead 😂|i'?m dead|lol|lmao|haha\w*)\b|😂|🤣")


def model_crisis(doc: Document) -> Hit | None:
    """A crisis the rules missed but the model reads, on inbound text only.

    A confident score flags alone; a borderline one needs a weak cue. The
    rules' guards still apply: a crisis phrase the rules ruled out (negated,
    a story with a good ending) or a recovered story stays out, and so does
    laughter without anything live.
    """
    if doc.context.direction != "inbound":
        return None
    loaded = load_signal_model()
    if loaded is None:
        return None
    text = doc.text
    if _CRISIS_ANY.search(text) is not None:
        return None  # the rules saw a crisis phrase and ruled it out
    if _recovered(text) or (_CRISIS_PRAISE.search(text) and not _LIVE.search(text)):
        return None
    if any(_negated(text, m.start()) for m in _NEGATABLE_CUE.finditer(text)):
        return None
    score, above, confident = loaded.says(text, "crisis")
    if not above:
        return None
    # A long text (the model learned from short comments) needs a confident score.
    # A negated cue ("not a journalist") is no cue.
    cues = _WEAK_CRISIS_CUE.finditer(text) if len(text) <= _MODEL_CUE_CHARS else iter(())
    cue = next((m for m in cues if not _negated(text, m.start())), None)
    if not confident and cue is None:
        return None
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return Hit(
        category="signal.crisis",
        start=start,
        end=end,
        evidence=text[start:end][:200],
        score=round(min(0.85, score), 3),
        note=f"model {score:.2f}"
        + ("" if confident else f" with cue {cue.group(0)!r}" if cue else ""),
    )


class CrisisDetector(Detector):
    """Items that need a person now; the hit note names the crisis kind."""

    name: ClassVar[str] = "signal.crisis"
    categories: ClassVar[frozenset[str]] = frozenset({"signal.crisis"})
    summary: ClassVar[str] = (
        "self-harm, threats of violence, legal threats, press enquiries, a baby in "
        "danger, viral outrage"
    )

    def detect(self, doc: Document) -> list[Hit]:
        text = doc.text
        found = crisis_matches(text)
        if not found:
            hit = model_crisis(doc)
            return [hit] if hit is not None else frame_hits("signal.crisis", text)
        return [
            Hit(
                category="signal.crisis",
                start=start,
                end=end,
                evidence=evidence,
                score=0.9,
                note=kind,
            )
            for kind, start, end, evidence in found
        ]
