"""Frames: a subject, a verb class and a target, possibly across sentences.

Phrase lists fitted to one corpus miss the next writer ("Whoever reported my
page ..., I know who you are and I will make sure every parent in this town
knows"). A frame names the *parts* of a violation instead: each part is a
small RE2 pattern for a class of words (a retaliation target, an exposure
promise), and the frame fires when every part is found within ``window``
characters of the first, whatever sentence each part sits in. A single part
is never enough, so the words a frame shares with compliant text ("I will
make sure every parent knows about our drop-in") do not fire on their own.

Patterns are RE2 (linear time on hostile input) with bounded gaps. Every
frame is exercised by examples in tests/detectors/test_outsider_examples.py;
a frame that matches none of them fails the test suite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import re2

from postguard.detectors.base import Hit
from postguard.lazy_re2 import lazy

_CASED = re2.Options()
_CASED.case_sensitive = True


def _rx(pattern: str) -> Any:
    # case-sensitive options; parts that ignore case say so with (?i:...)
    return lazy(pattern, _CASED)


@dataclass(frozen=True)
class Frame:
    """Every part within ``window`` characters of the first part's match."""

    name: str
    category: str
    parts: tuple[Any, ...]
    note: str
    window: int = 240
    aspect: str = ""
    #: a pattern that, inside the found span, shows the frame is reported or
    #: rebutted ("marketed as 'closest to breast milk'"), not meant
    unless: Any = None

    def find(self, text: str) -> tuple[int, int] | None:
        first, *rest = self.parts
        for match in first.finditer(text):
            lo, hi = match.start(), match.end()
            start, end = lo, hi
            ok = True
            for part in rest:
                found = part.search(
                    text, max(0, lo - self.window), min(len(text), hi + self.window)
                )
                if found is None:
                    ok = False
                    break
                start, end = min(start, found.start()), max(end, found.end())
            if ok and (self.unless is None or self.unless.search(text, start, end) is None):
                return start, end
        return None


_YOU = r"(?:you|u|ya)"
# a named person: a title and a capitalised name, or two capitalised words
_NAMED = (
    r"(?:\b(?:Dr|Doctor|Mrs|Mr|Ms|Miss|Prof|Nurse|Midwife)\.?\s+[A-Z][a-z]+"
    r"|\b[A-Z][a-z]+\s+[A-Z][a-z]+)"
)
_HIM_HER = r"(?:her|him|them|this\s+woman|this\s+man)"

FRAMES: tuple[Frame, ...] = (
    # -- threats: a retaliation target and a promise to expose or harm ------
    Frame(
        "threat.retaliation",
        "language.harassment",
        (
            _rx(
                r"(?i:\b(?:i|we)\s+know\s+(?:exactly\s+|full\s+well\s+)?who\s+"
                r"(?:you\s+are(?:\s*[,.!;:—-]|\s+and\b|\s*$)|reported|complained|grassed|"
                r"did\s+(?:it|this|that))"
                r"|\b(?:whoever|the\s+(?:coward|person|one|people|snake|rat)\s+who)\s+"
                r"(?:\w+\s+){0,2}(?:reported|complained|grassed|snitched|dobbed|filed))"
            ),
            _rx(
                r"(?i:\b(?:make\s+sure|promise|guarantee|see\s+to\s+it)\s+(?:that\s+)?"
                r"(?:every|all|the\s+whole|everyone|everybody)[^.!?\n]{0,40}?\b(?:knows?|hears?|"
                r"finds?\s+out|sees?)\b"
                r"|\b(?:every(?:one|body)?|the\s+whole\s+(?:town|village|area|school|world|internet))"
                r"\b[^.!?\n]{0,50}\bwill\s+(?:know|hear|find\s+out|too)\b"
                r"|\bwatch\s+your\s+back|\b" + _YOU + r"(?:'ll|’ll|\s+will)\s+regret)"
            ),
        ),
        "a threat to expose or punish whoever reported or complained",
        unless=_rx(r"(?i:\bthanks?\b|\bgrateful\b)"),
    ),
    # -- a named person disparaged ------------------------------------------
    Frame(
        "insult.named_person",
        "language.harassment",
        (
            _rx(_NAMED),
            _rx(
                r"(?i:\b(?:is|she's|he's|she’s|he’s)\s+(?:(?:a|an|such\s+a|the|total|complete|"
                r"utter|absolute|right)\s+){0,2}(?:\w+\s+)?(?:quack|fraud|charlatan|cowboy|menace|"
                r"disgrace|liability|hack|butcher|danger\s+to\s+\w+)\b"
                r"|\bavoid\s+" + _HIM_HER + r"\s+like\s+the\s+plague"
                r"|\b(?:steer|stay|keep)\s+(?:well\s+)?(?:clear|away)\s+(?:of|from)\s+"
                + _HIM_HER
                + r")"
            ),
        ),
        "a named person disparaged",
        window=160,
    ),
    # -- commenters told they belong in prison, or accused of killing babies --
    Frame(
        "hostile.punitive",
        "language.harassment",
        (
            _rx(
                r"(?i:\b"
                + _YOU
                + r"(?:\s+[\w'-]+){0,3}?\s+(?:should|ought\s+to|deserve\s+to|need\s+to)"
                r"\s+be\s+(?:locked\s+up|jailed|arrested|struck\s+off|put\s+away|prosecuted|"
                r"in\s+(?:jail|prison)|banned\s+from)"
                r"|\b" + _YOU + r"(?:'re|’re|\s+are)\s+(?:\w+\s+)?(?:killing|murdering|starving|"
                r"poisoning)\s+(?:babies|infants|children|kids))"
            ),
        ),
        "punishment wished on, or killing imputed to, the people addressed",
    ),
    # -- CPC 6.3: a group and a contempt or exclusion frame ---------------
    # (the group itself comes from bias_groups.txt: see BiasDetector)
    Frame(
        "bias.contempt",
        "language.bias",
        (
            _rx(
                r"(?i:\b(?:are|r|make)\s+(?:the\s+|my\s+)?worst(?:\s+(?:clients|patients|parents|"
                r"mothers|mums|moms|people|families|ones|kind|ever)\b|\s*[,.!;:]|\s*$)"
                r"|\b(?:are|r|make)\s+(?:the\s+|my\s+)?(?:most\s+(?:hopeless|useless|"
                r"difficult|annoying|ignorant|feckless|entitled)|a\s+(?:nightmare|waste|"
                r"drain|lost\s+cause)|hopeless|useless|feckless)\b"
                r"|\b(?:stopped|stop|refuse\s+to|won't|will\s+not|don't|do\s+not|no\s+longer)\s+"
                r"(?:\w+\s+){0,2}(?:taking|take|accepting|accept|seeing|see|booking|book|"
                r"working\s+with|work\s+with)\s+(?:\w+\s+){0,3}?(?:referrals|clients|them|"
                r"patients|bookings|anyone)(?:\s*[,.!;:]|\s*$|\s+(?:from|any\s*more|on|in)\b))"
            ),
        ),
        "contempt for, or refusal to serve, a group",
    ),
    # -- WHO Code: idealising a breast-milk substitute ----------------------
    Frame(
        "bms.idealising",
        "commercial.bms_marketing",
        (
            _rx(
                r"(?i:\b(?:formula|infant\s+milk|follow[- ]on\s+(?:milk|formula)|toddler\s+milk|"
                r"growing[- ]up\s+milk|first\s+milk|baby\s+milk)\b[^.!?\n]{0,40}?"
                r"(?:closest\s+(?:thing\s+)?(?:yet\s+)?to|(?:nearly|almost|just)\s+as\s+good\s+as|"
                r"as\s+good\s+as|just\s+like|identical\s+to|mimics?|same\s+as)\s+"
                r"(?:breast\s*-?\s*milk|mother'?s\s+milk|mum'?s\s+milk|breastfeeding))"
            ),
        ),
        "a breast-milk substitute idealised as close to breastmilk",
        aspect="idealising",
        unless=_rx(
            r"(?i:\b(?:marketed|advertised|claim(?:s|ed|ing)?|billed|labell?ed|myth|sold|not|"
            r"never|nothing)\b|n't\b|n’t\b|[\"‘“])"
        ),
    ),
    Frame(
        "bms.brand_promotion",
        "commercial.bms_marketing",
        (
            _rx(
                r"\b[A-Z][\w&'-]+(?:\s+[A-Z&][\w'-]*){0,2}\s+(?i:(?:first\s+|infant\s+|"
                r"follow[- ]on\s+|toddler\s+|growing[- ]up\s+|baby\s+|hungry\s+baby\s+)"
                r"(?:milk|formula))\s+(?i:is|are)\s+(?i:(?:a|an|the|so|really)\s+)?"
                r"(?i:great|perfect|brilliant|best|ideal|excellent|fantastic|amazing|top)\b"
            ),
        ),
        "a brand of breast-milk substitute praised",
        aspect="promotion",
    ),
    Frame(
        "bms.sponsor_product",
        "commercial.bms_marketing",
        (
            _rx(
                r"(?i:\b(?:thank(?:s|\s+you)|shout[- ]?out|grateful|huge\s+thanks)\b[^.!?\n]{0,80}?"
                r"\b(?:sponsor\w*|supporting|funding|for\s+support))"
            ),
            _rx(
                r"(?i:\b(?:their|its)\s+(?:new\s+)?[^.!?\n]{0,40}?(?:formula|follow[- ]on|"
                r"infant\s+milk|toddler\s+milk|growing[- ]up\s+milk|bottles?|teats?)\b)"
            ),
        ),
        "thanks to a sponsor beside its breast-milk substitute",
        window=200,
        aspect="sponsorship",
    ),
    # -- a diagnosis from a photo or a description -----------------------
    Frame(
        "clinical.diagnosis",
        "clinical.individual_advice",
        (
            _rx(
                r"(?i:\b(?:from|looking\s+at|judging\s+(?:by|from)|based\s+on)\s+"
                r"(?:your|the|this|that|ur)\s+(?:pics?|photos?|pictures?|videos?|vids?|"
                r"descriptions?|symptoms)|\bfrom\s+what\s+" + _YOU + r"(?:'ve)?\s+"
                r"(?:describe|described|said|wrote|say))"
            ),
            _rx(
                r"(?i:\b(?:looks|sounds|seems)\s+like|\bdefinitely|\bclearly|\bclassic|"
                r"\btextbook|\bdef\b|\b(?:has|have)\s+(?:got\s+)?(?:a|an)\b)"
            ),
            _rx(
                r"(?i:\b(?:tongue|lip|posterior|anterior|buccal)\s*-?\s*ties?\b|\bpalate|\bthrush|"
                r"\bmastitis|\breflux|\bcmpa\b|\bjaundice|\babscess|\bbleb|\bvasospasm|"
                r"\binfection|\ballergy|"
                r"\b(?:get|have)\s+(?:it|that|them|her|him|those)\s+(?:revised|snipped|cut|"
                r"lasered|released|clipped|treated))"
            ),
        ),
        "a diagnosis from a photo or a description",
        window=160,
    ),
    # -- perinatal mental health: a birth and a sign of withdrawal or rejection --
    Frame(
        "crisis.perinatal",
        "signal.crisis",
        (
            _rx(
                r"(?i:\b(?:since|after)\s+(?:the|our|her|my|their)\s+(?:baby|son|daughter|"
                r"little\s+one|bub|newborn)\s+(?:came|arrived|was\s+born)|\b(?:since|after)\s+"
                r"(?:the|her|giving)\s+birth|\bpost\s*-?\s*(?:partum|natal)|\bhad\s+(?:her|the)\s+"
                r"baby\b)"
            ),
            _rx(
                r"(?i:\b(?:hasn'?t|has\s+not|won'?t|will\s+not|doesn'?t|does\s+not|can'?t|"
                r"refuses\s+to)\s+(?:(?:left|leave|get\s+out\s+of)\s+(?:her|the)\s+(?:room|bed|"
                r"bedroom)|(?:hold|look\s+at|touch|feed|want|bond\s+with)\s+(?:him|her|them|"
                r"the\s+baby))|"
                r"\b(?:feels?|feeling)\s+nothing\s+for|\bcrying\s+all\s+(?:day|the\s+time)|"
                r"\bstopped\s+eating|\bbetter\s+off\s+without|\bbetter\s+off\s+with\s+"
                r"(?:someone|somebody)\s+else)"
            ),
        ),
        "a new mother withdrawn from or rejecting her baby (perinatal mental health)",
        window=200,
    ),
    # -- blurred boundaries (IPALA 2(e)): clients connected on personal social media --
    Frame(
        "boundaries.client_contact",
        "clinical.boundaries",
        (
            _rx(
                r"(?i:\b(?:added|add|friended|friend|befriended|follow|followed|following|"
                r"connected\s+with|connect\s+with|dm|dms|dm'd|message|messaged|text|texted|"
                r"keep\s+tabs\s+on|keep\s+an\s+eye\s+on|check\s+up\s+on|stalk)\s+"
                r"(?:\w+\s+){0,3}?(?:clients?|patients?|mums?\s+I(?:'ve|\s+have)?\s+(?:seen|"
                r"helped|supported)|mums?\s+I\s+(?:see|support|work\s+with)|families\s+I\s+"
                r"(?:see|support|work\s+with))\b)"
            ),
            _rx(
                r"(?i:\b(?:fb|facebook|insta|instagram|ig|tiktok|snapchat|whatsapp|twitter|"
                r"personal\s+(?:account|profile|page|number|phone))\b|\bkeep\s+(?:an\s+eye|"
                r"tabs)\s+on\s+(?:them|her|him|their)|\bcheck\s+(?:up\s+)?on\s+(?:them|her|"
                r"him|how\s+they))"
            ),
        ),
        "clients connected, watched or messaged from a personal social media account",
        window=160,
    ),
    # -- leaked or inside information about the association -----------------
    Frame(
        "information.leak",
        "information.confidential",
        (
            _rx(
                r"(?i:\bleak(?:ed|s)?\s+(?:from|out\s+of|by)\b|\binside\s+(?:info|information|"
                r"scoop|word|source)|\bnot\s+supposed\s+to\s+(?:share|say|tell|post)|"
                r"\byou\s+didn'?t\s+hear\s+(?:it|this)\s+from\s+me|\boff\s+the\s+record|"
                r"\bheard\s+from\s+(?:a|one\s+of\s+the)\s+"
                r"(?:board|council|committee)\s+member)"
            ),
            _rx(
                r"(?i:\b(?:council|board|committee|trustees|executive|exec|IPALA|association|"
                r"management|treasurer|chair)\b)"
            ),
        ),
        "leaked or inside information about the association",
        window=200,
    ),
)


def frame_hits(category: str, text: str, *, aspects: frozenset[str] | None = None) -> list[Hit]:
    """A hit per frame of ``category`` found in ``text``."""
    hits: list[Hit] = []
    for frame in FRAMES:
        if frame.category != category:
            continue
        if aspects is not None and frame.aspect and frame.aspect not in aspects:
            continue
        span = frame.find(text)
        if span is not None:
            start, end = span
            hits.append(
                Hit(
                    category,
                    start,
                    end,
                    text[start:end],
                    0.8,
                    note=f"frame {frame.name}: {frame.note}",
                )
            )
    return hits
