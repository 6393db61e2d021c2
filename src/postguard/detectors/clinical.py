"""Clinical detectors: individual advice given in public, and requests for it.

IBLCE's advisory opinion ("Provision of Care") warns that clients seek
consultation online, that an IBCLC cannot examine a breast or observe a latch
there, and that "when more than general information is being sought" the
client should be steered to a call, a consultation or a closed forum. Two
detectors serve that clause:

- :class:`IndividualAdviceDetector` flags sentences that give one person
  advice about their own or their baby's care ("give him 30ml top-ups after
  each feed"), as opposed to general education ("skin-to-skin helps establish
  feeding") or signposting ("please DM us so we can arrange a consultation").
- :class:`ConsultRequestDetector` flags inbound text asking for that kind of
  individual help ("my 3 week old won't latch, what do I do??").

Both start with a cheap lexical prefilter (a lactation/clinical vocabulary):
text without it costs one regex scan. The advice model
(:mod:`postguard.detectors._advice_model`, trained on Reddit advice threads)
is only consulted for sentences that pass the prefilter, and only as one
signal beside second-person and imperative cues, because its training
domain is general parenting and life advice, not lactation care.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

import re2

from postguard.detectors import _advice_model
from postguard.detectors.base import Detector, DetectorConfigError, Document, Hit, take_params
from postguard.detectors.frames import frame_hits
from postguard.detectors.signals import CRISIS_PATTERNS, load_signal_model
from postguard.detectors.text import sentences
from postguard.lazy_re2 import lazy

# --- vocabularies -----------------------------------------------------------------
# Stems end with \w* where inflections matter ("pump", "pumping", "pumped").

_CLINICAL_TERMS = (
    r"breast\w*|chest\s?feed\w*|feed|feeds|feeding|feedings|feeder|feeders|fed|nursed|nursing|"
    r"pump|pumps|pumped|pumping|pumper|latch\w*|supply|oversupply|undersupply|milk|colostrum|hindmilk|foremilk|"
    r"let[- ]?downs?|formula|bottles?|teats?|top[- ]?ups?|supplement\w*|"
    r"nipples?|shields?|areola\w*|engorg\w*|mastitis|abscess|thrush|blocked ducts?|"
    r"clogged ducts?|ducts?|blebs?|milk blisters?|lanolin|haakaa|syringe|cup[- ]feed\w*|sns|"
    r"expressing|expressed milk|express milk|expressed breast ?milk|hand[- ]express\w*|"
    r"wean\w*|solids|cluster[- ]feed\w*|"
    r"tongue[- ]?ties?|lip[- ]?ties?|tie|frenotomy|frenulotomy|snip|snipped|snipping|reflux|"
    r"colic\w*|jaundice\w*|wet nappies|wet nappy|wet diapers?|nappies|nappy|diapers?|"
    r"poo|poos|poop|poops|pooing|pooping|stools?|weight|weight gain|gaining|gained|"
    r"burp\w*|windy|gassy|"
    r"positions?|cradle hold|rugby hold|football hold|laid[- ]back|side[- ]lying|"
    r"skin[- ]to[- ]skin|"
    r"dummy|dummies|pacifiers?|paci|"
    r"dos(?:e|es|age)|mg|ml|mls|oz|ounces?|medications?|medicines?|meds|tablets?|pills?|"
    r"ibuprofen|paracetamol|acetaminophen|tylenol|advil|nurofen|domperidone|motilium|"
    r"metoclopramide|reglan|fenugreek|galactagogues?|lecithin|moringa|brewer'?s yeast|"
    r"lactation cookies|antibiotics?|flucloxacillin|cephalexin|fluconazole|diflucan|"
    r"nystatin|miconazole|daktarin|sertraline|antidepressants?|ssris?|contracepti\w*|"
    r"mini[- ]pill|cabbage leaves|cabbage|vitamin d|probiotics?|gripe water|infacol|"
    r"simethicone|gaviscon|omeprazole|ranitidine|fluclox|nifedipine|vasospasm|raynaud'?s|"
    r"gatas|pagpapasuso|padede|magpadede|dumede|"
    r"lactat\w*|re-?lactat\w*|induced lactation|wake (?:him|her|them|baby|the baby)|"
    r"waking (?:him|her|them|baby|the baby)|night[- ]?feeds?|dream[- ]?feed\w*"
)
_OPTIONS = re2.Options()
_OPTIONS.case_sensitive = False


def _rx(pattern: str) -> Any:
    """A case-insensitive RE2 pattern: linear time on hostile input, and fast."""
    return lazy(pattern, _OPTIONS)


_CLINICAL_RX = _rx(rf"\b(?:{_CLINICAL_TERMS})\b|\b\d+(?:[.,]\d+)?\s*(?:ml|mls|oz|mg|kg|g)\b")


def _clinical(text: str) -> Any:
    """The first clinical term in ``text`` (an RE2 match), or None."""
    for match in _CLINICAL_RX.finditer(text):
        if match.group(0).lower() == "fed" and text[match.end() : match.end() + 3] == " up":
            continue  # "fed up" is a mood, not a feed
        return match
    return None


_NUM = r"(?:\d+(?:[.,]\d+)?|one|two|three|four|five|six|eight|ten|twelve|a couple of|a few)"
_SPECIFIC_SRC = (
    rf"\b{_NUM}\s*(?:-\s*{_NUM}\s*)?(?:ml|mls|oz|ounces?|mg|g|grams?|hours?|hrs?|h|"
    rf"minutes?|mins?|times|x)\b"
    r"|\b(?:every|each|after each|before each|after every|before every|per|a)\s+"
    r"(?:feeds?|feeding|sessions?|day|night|hours?|\d+\s*(?:hours?|hrs?|h|minutes?|mins?))\b"
    r"|\b(?:once|twice|three times)\s+(?:a|per)\s+(?:day|night|feed)\b"
    r"|\b(?:times|once|twice) daily\b"
    r"|\b(?:left|right) (?:side|breast|boob)\b|\bboth sides\b|\bswitch sides\b"
)

# Verbs that, at the head of a clause, give a care instruction.
_CARE_VERBS = (
    "give|take|try|pump|stop|start|feed|offer|use|switch|avoid|keep|put|apply|express|"
    "hand express|supplement|cut|cut back|increase|decrease|reduce|drink|eat|get|add|"
    "drop|skip|wake|let|hold|massage|nurse|breastfeed|latch|wean|introduce|limit|"
    "ditch|swap|change|alternate|top him up|top her up|top up|block feed|power pump|"
    "lean|tilt|aim|compress|squeeze|rub|cool|ice|heat|warm|soak|dangle|rest|sleep|"
    "co-sleep|bring|let him|let her|don't|do not|never|always|definitely|just"
)
_CLAUSE_HEAD_SRC = (
    r"(?:^|@\w+[\s,:]+|[.!?…\n,;:(—–]\s*|\s-\s+|\b(?:and|then|but|or|so|also|otherwise|maybe|perhaps|honestly|"
    r"please|pls|plz|definitely|just|ok|okay)\s+)"
    rf"(?:please\s+|just\s+|definitely\s+|also\s+|maybe\s+|then\s+)*(?P<verb>{_CARE_VERBS})\b"
)
_CARE_VERB_START = _rx(rf"^(?:{_CARE_VERBS})\b")
_MODAL_SRC = (
    r"\b(?:you|u|ya)\s*(?:really\s+|definitely\s+|probably\s+|just\s+)?"
    r"(?:should(?:n'?t)?|must(?:n'?t)?|need to|needs to|have to|has to|ought to|"
    r"could(?: always)?(?: try)?|might(?: want to| try)?|may want to|want to|can try|can|"
    r"'?ll need to|'?ll need|will need|'?d better|'?d be better)\s+(?:not\s+)?(?P<verb>\w+)"
    r"(?:\s+(?P<after>\w+))?"
    r"|\b(?:i|we)\s*(?:'d|would|\s+would|'d strongly|really|strongly|always)?\s*"
    r"(?:suggest|recommend|advise)(?:s|ed)?\s+(?:that\s+)?(?:you\s+)?(?P<verb2>\w+)"
    r"|\b(?:i'?d|i would)\s+(?:just\s+|definitely\s+)?(?P<verb3>\w+)"
    r"|\b(?:my advice|my suggestion|my tip)\b(?P<verb4>)"
    r"|\bmake sure (?:you|to|he|she|baby|they)\b(?P<verb5>)"
    r"|\b(?:have you tried|why not try|why don'?t you|you could always|worth trying|"
    r"it'?s worth (?:trying|giving)|try to|try and)\b(?P<verb6>)"
)
_DIAGNOSIS_SRC = (
    r"\b(?:your (?:baby|son|daughter|lo|little one|boy|girl)|(?:he|she|baby)|it)\s+"
    r"(?:definitely\s+|probably\s+|clearly\s+|obviously\s+)?(?:has|'s got|has got|'s)\s+"
    r"(?:a\s+|an\s+)?(?:(?:posterior|anterior|bad|severe)\s+)?"
    r"(?:tongue[- ]?tie|lip[- ]?tie|tie|reflux|thrush|colic|cmpa|jaundice|an allergy|allergy|"
    r"a?\s*(?:cow'?s milk protein|dairy) (?:allergy|intolerance)|silent reflux|"
    r"mastitis|oral thrush)"
    r"|\b(?:you|you'?ve|you have)\s+(?:definitely\s+|probably\s+|clearly\s+)?(?:got\s+)?"
    r"(?:mastitis|thrush|a blocked duct|a clogged duct|an? (?:oversupply|undersupply)|"
    r"low supply|oversupply|raynaud'?s|vasospasm|an abscess)"
    r"|\b(?:sounds|looks|seems) (?:(?:very|a lot|quite|to me) )?like (?:a |an )?"
    r"(?:(?:classic|typical|posterior|anterior|mild|bad|severe|nasty|slight|small|"
    r"bit of (?:a )?)\s*)?"
    r"(?:tongue[- ]?tie|lip[- ]?tie|tie|thrush|mastitis|reflux|silent reflux|"
    r"blocked duct|clogged duct|oversupply|low supply|colic|cmpa|vasospasm|an? allergy|allergy|"
    r"intolerance|engorgement|nipple damage|a bleb|bleb|milk blister|abscess|jaundice)"
    r"|\b(?:thrush|mastitis|vasospasm|tongue[- ]?tie|reflux)\s+(?:for sure|definitely|100%)"
    # "your baby needs about 150ml a day": a volume or regimen for one baby
    r"|\b(?:your (?:baby|son|daughter|lo|little one|boy|girl)|(?:he|she)) "
    r"(?:needs|should (?:get|have|be getting|be having)|wants) "
    r"(?:about |around |roughly |at least |no more than )?"
    r"\d+(?:[.,]\d+)?\s*(?:ml|mls|oz|ounces|feeds|times)"
)
# A diagnosis stated outright ("from what you're saying it's thrush"); the
# leading words let the scorer drop a conditional ("if it's mastitis").
_STATED_SRC = (
    r"(?P<lead>\b(?:if|whether|unless|or)\s+)?\b(?:it'?s|that'?s|this is|you'?ve got)\s+"
    r"(?:definitely\s+|probably\s+|classic\s+)?(?:thrush|mastitis|vasospasm|raynaud'?s"
    r"|an? (?:blocked|clogged) duct|a bleb|an abscess)\b"
)
_STATED = _rx(_STATED_SRC)
# "they're open 9-4 and take self-referrals": a verb joined to a clause about
# someone else continues that clause; it is not an instruction.
_THIRD_PERSON_CLAUSE = _rx(
    r"\b(?:they|they'?re|she|she'?s|he|he'?s|it|it'?s|we|we'?re|who|which)\b[^.!?;:]*$"
)
_SPECIFIC = _rx(_SPECIFIC_SRC)
_CLAUSE_HEAD = _rx(_CLAUSE_HEAD_SRC)
_MODAL = _rx(_MODAL_SRC)
_DIAGNOSIS = _rx(_DIAGNOSIS_SRC)
# One search that says whether a text could contain advice at all (group
# names stripped so the four patterns can share one expression).
_ANY_CUE = _rx(
    "|".join(
        re.sub(r"\(\?P<\w+>", "(?:", f"(?:{src})")
        for src in (_SPECIFIC_SRC, _CLAUSE_HEAD_SRC, _MODAL_SRC, _DIAGNOSIS_SRC, _STATED_SRC)
    )
)

# Referral, not care: seeing someone, contacting us, booking a consultation.
_SIGNPOST_VERBS = frozenset(
    {
        *("see", "ask", "call", "contact", "message", "dm", "email", "inbox", "book", "speak"),
        *("talk", "chat", "visit", "seek", "consult", "reach", "phone", "ring", "find", "join"),
        *("attend", "check", "contacting", "seeing", "speaking", "talking", "booking"),
        *("calling", "asking", "getting", "reaching", "go"),
    }
)
_SIGNPOST = _rx(
    r"\b(?:ibclcs?|lactation consultants?|lactation specialists?|consultant|consultations?|"
    r"helplines?|hotline|gp|doctors?|dr|midwi(?:fe|ves)|health visitors?|hv|"
    r"p(?:a)?ediatricians?|pharmacists?|nurse practitioner|private(?:ly)?|in person|"
    r"dms?|direct message|inbox|get in touch|contact us|message us|reach out|appointment|"
    r"book|booking|support group|la leche|breastfeeding counsell?ors?|peer supporters?|"
    r"infant feeding team|feeding clinic|assessment|assess|examine|examined)\b",
)
_ADDRESS = _rx(
    r"\b(?:you|your|yours|you'?re|you'?ve|you'?ll|u|ur|him|his|he|she|her|hers|"
    r"bub|lo|little one|mama|mum|mom|hun|hon|babe|hunny|lovely|sis)\b",
)
# "you should be proud", "you should know": not care instructions.
_SOFT_VERBS = frozenset(
    {"be", "feel", "know", "remember", "trust", "proud", "worry", "worried", "do", "find"}
    | {"read", "join", "think", "say", "guess", "imagine", "love", "like", "n", "not", "have"}
)


class IndividualAdviceDetector(Detector):
    """Individual clinical advice: care instructions addressed to one person."""

    name: ClassVar[str] = "clinical.individual_advice"
    categories: ClassVar[frozenset[str]] = frozenset({"clinical.individual_advice"})
    summary: ClassVar[str] = (
        "sentences giving one person care instructions (feeding, pumping, doses, "
        "medication, a diagnosis) rather than general information or signposting"
    )

    def __init__(self, **params: Any) -> None:
        opts = take_params(self.name, params, {"threshold": (float, int)})
        self.threshold = float(opts.get("threshold", 0.5))
        if not 0.0 < self.threshold <= 1.0:
            raise DetectorConfigError(f"detector {self.name!r}: threshold must be in (0, 1]")
        self.model = _advice_model.load()

    def detect(self, doc: Document) -> list[Hit]:
        text = doc.text
        if not _clinical(text) or not _ANY_CUE.search(text):
            # a diagnosis from a photo or a description needs no care term
            return frame_hits("clinical.individual_advice", text)
        hits: list[Hit] = []
        for start, end in sentences(text):
            sentence = text[start:end]
            clinical = _clinical(sentence)
            if clinical is None or not _ANY_CUE.search(sentence):
                continue
            score, cue = self.score_sentence(sentence)
            if score >= self.threshold:
                lead = len(sentence) - len(sentence.lstrip())
                trail = len(sentence.rstrip())
                hits.append(
                    Hit(
                        category="clinical.individual_advice",
                        start=start + lead,
                        end=start + trail,
                        evidence=sentence.strip(),
                        score=round(score, 3),
                        note=f"{cue}; clinical term {clinical.group(0)!r}",
                    )
                )
        if not hits:
            hits = frame_hits("clinical.individual_advice", text)
        return hits

    def score_sentence(self, sentence: str) -> tuple[float, str]:
        """How strongly one sentence (already known to be clinical) gives advice."""
        cues: list[str] = []
        directive = 0.0
        diagnosis = _DIAGNOSIS.search(sentence)
        if diagnosis is None:
            diagnosis = next(
                (m for m in _STATED.finditer(sentence) if m.group("lead") is None), None
            )
        if diagnosis:
            cues.append(f"diagnosis {diagnosis.group(0)!r}")
        for match in _CLAUSE_HEAD.finditer(sentence):
            verb = match.group("verb").lower()
            if verb in ("definitely", "just", "always", "never", "don't", "do not"):
                # Adverbs and negations only count when a care verb follows.
                rest = sentence[match.end() :].lstrip().lower()
                nxt = rest.split(" ", 1)[0] if rest else ""
                if not nxt or nxt in _SIGNPOST_VERBS or not _CARE_VERB_START.search(nxt):
                    continue
            if verb == "get" and _SIGNPOST.search(sentence[match.end() : match.end() + 30]):
                continue  # "get in touch", "get her seen by the GP"
            head = match.group(0).lstrip(" ,;:(").lower()
            if head.startswith(("and ", "or ")) and _THIRD_PERSON_CLAUSE.search(
                sentence[: match.start()]
            ):
                continue
            directive = 1.0
            cues.append(f"instruction {match.group(0).strip(' ,;:(')!r}")
            break
        if not directive:
            for match in _MODAL.finditer(sentence):
                verb = next((v for v in match.groups() if v is not None), "").lower()
                if verb == "be":
                    # "you should be pumping ..." instructs; "you should be proud" does not.
                    after = (match.group("after") or "").lower()
                    if not after.endswith("ing"):
                        continue
                if verb in _SIGNPOST_VERBS or verb in _SOFT_VERBS:
                    continue
                directive = 1.0
                cues.append(f"advice {match.group(0)!r}")
                break
        specific = _SPECIFIC.search(sentence)
        if specific:
            cues.append(f"specific {specific.group(0)!r}")
        addressed = bool(_ADDRESS.search(sentence)) or bool(directive)
        if not (directive or diagnosis or specific):
            # Neither an instruction, a diagnosis nor a specific regimen:
            # at most general information.
            return 0.0, "no instruction"
        prob = self.model.score(sentence)
        score = (
            0.4 * prob
            + 0.35 * directive
            + (0.45 if diagnosis else 0.0)
            + (0.15 if specific else 0.0)
            + (0.1 if addressed else 0.0)
        )
        return min(score, 1.0), "; ".join(cues) + f"; model {prob:.2f}"


# --- consultation requests ---------------------------------------------------------

_HELP = _rx(
    r"\bwhat (?:do|should|can|would|could) (?:i|we) (?:do|try|give|use)\b"
    r"|\bwhat (?:should|can|could) (?:i|we)\b|\bwhat am i doing wrong\b"
    r"|\bany (?:advice|tips|ideas|suggestions|help|thoughts|recommendations)\b"
    r"|\b(?:need|needing|want|looking for|desperate for) (?:some |any )?(?:advice|help|tips)\b"
    r"|(?:^|[.!?\n])\W*help\b|\bhelp\s*!|\bplease help\b|\bhelp me\b|\bhelp pls\b|\bhelp please\b"
    r"|\b(?:can|could|would|will) (?:someone|somebody|anyone|any ?one|you|an ibclc|"
    r"a consultant|a volunteer|one of you|someone from your team|someone from your \w+) "
    r"(?:please )?(?:help|look|check|tell|advise|explain|have a look|take a look|watch|see|"
    r"assess|recommend|suggest|come|visit|call|ring|phone|text|message|dm|contact|get back|"
    r"get in touch)\b"
    r"|\bis (?:it|this|that) (?:a |an )?[\w' -]{1,30}\?"
    r"|\b(?:please|pls|plz|kindly) advi[cs]e\b"
    r"|\b(?:can|could|would|will) (?:an? |the |your |one of your )?(?:lactation |breastfeeding "
    r"|feeding )?(?:person|lady|nurse|midwife|consultant|counsell?or|specialist|expert|lc|ibclc"
    r"|volunteer|somebody|someone) (?:please )?(?:come|visit|help|call|see|check)\b"
    r"|\b(?:ano|paano) (?:po )?(?:ang )?(?:dapat|gagawin|gawin)\b|\b(?:patulong|tulong) po\b"
    r"|\b(?:do|would|will) (?:i|we|he|she|baby) need\b"
    r"|\bis (?:it|this|that) (?:normal|ok|okay|safe|fine|common|bad|dangerous|"
    r"a problem|a concern|a sign|something to worry|too much|too little|enough|"
    r"true|possible)\b"
    r"|\b(?:is|are|does|do) (?:my|his|her|the baby'?s?|baby'?s?) \w+"
    r"|\bcan i (?:still |safely |ever )?(?:take|give|use|drink|eat|have|breastfeed|feed|pump|"
    r"nurse|mix|combine|switch|go back|keep|continue|stop|express|get|help|try|start|make|"
    r"increase|boost|fix|relactate)\b"
    r"|\b(?:what'?s|what is|which'?s|which is) the (?:right|best|correct|normal|ideal|safest) "
    r"(?:\w+ ){0,2}?for (?:me|my|him|"
    r"her|us|a)\b"
    r"|\b(?:needs?|needing|would like|could use) (?:some )?(?:help|advice|support) (?:with|for|"
    r"on)\b"
    r"|\bshould i (?:be )?\w+|\bwhen should i\b|\bhow (?:do|can|should|"
    r"would|could) i\b|\bhow (?:much|often|long|many) (?:should|do|does|is|can)\b"
    r"|\bwhy (?:is|does|do|won'?t|isn'?t|can'?t|doesn'?t|would|has) (?:my|he|she|baby|the baby|"
    r"it|i)\b|\b(?:anyone|anybody|has anyone|does anyone|did anyone)\b.*\?"
    r"|\b(?:look|check|see) (?:at )?my (?:latch|nipples?|baby|breasts?)\b"
    r"|\bi don'?t know what (?:to do|else to do)\b|\bat my wits'? end\b|\bi'?m (?:so |really )?"
    r"(?:lost|desperate|struggling)\b|\bi can'?t (?:get|figure)\b"
    r"|\bdoes (?:this|that) (?:look|sound|mean)\b|\bam i (?:doing|producing|making|"
    r"feeding|pumping)\b"
    # asks without a question mark: "wondering if", "advice please", "not sure what to do"
    r"|\bwondering (?:if|whether|what|how|why|when)\b|\b(?:not sure|unsure|no idea|don'?t know) "
    r"(?:if|whether|what to|how to|what (?:is|i|he|she)|why (?:he|she|my|baby|the baby)|"
    r"what'?s (?:wrong|normal|going on))\b"
    r"|\b(?:advice|tips|help|suggestions) (?:needed|please|pls|plz|wanted|welcome|appreciated)\b"
    r"|\b(?:does|do|would|can|could) (?:anyone|anybody|someone|you) (?:know|recommend|suggest|"
    r"advise|tell me)\b|\bi need (?:help|advice|support|someone)\b"
    r"|\b(?:any|is there a|is there any|best) ways? to\b|\banything (?:i|we) can (?:do|try|take)\b"
    r"|\bhow to (?:boost|increase|get|stop|fix|help|treat|ease|cope|manage|make)\b"
    r"|\b(?:i'?m|i am|we'?re|we are) (?:really |so |very )?(?:worried|concerned|scared|panicking)"
    r"\b|\b(?:really |so |very )?worried (?:about|that|because|he|she)\b"
    r"|\b(?:i'?m|i am) (?:so |really |very )?(?:terrified|frightened|anxious|petrified) "
    r"(?:of|about|that|by) (?:his|her|my|the|our)\b"
    r"|\b(?:is|are) there (?:any|an|a|anyone|someone|somebody)\b[^.?!]{0,40}\b(?:who|that) "
    r"(?:can|could|would|will)\b"
    # understated and formal asks: "I wonder whether", "I'd welcome a view",
    # "is it worth pursuing", "would that be a recognised thing", "ok to wait?"
    r"|\b(?:i )?wonder(?:ed)? (?:if|whether)\b"
    r"|\b(?:i'?d|i would|we'?d|we would) (?:welcome|appreciate|value|be grateful for) (?:a|an|any|"
    r"your|some)\b"
    r"|\bworth (?:pursuing|acting on|worrying about|getting (?:checked|looked at)|mentioning)\b"
    r"|\b(?:would|could|might|is) (?:that|this|it) (?:be )?(?:a |an )?(?:recogni[sz]ed|known|"
    r"normal|common|real|usual)\b"
    r"|\b(?:ok|okay|safe|fine|alright) to wait\b|\b(?:it )?is (?:ok|okay|safe|fine) to\b"
    r"|\b(?:tell me|am i) (?:i'?m )?(?:not )?(?:overreacting|being paranoid|"
    r"worrying over nothing)\b"
    r"|\b(?:so )?what now\s*\?|\bnow what\s*\?"
    r"|\bany (?:actual|real|other|practical|further|more) (?:advice|tips|ideas|suggestions)\b"
    r"|\b(?:i'?m|i am|we'?re|we are) (?:a (?:little|bit|touch)|slightly|somewhat|rather|a little "
    r"bit) (?:concerned|worried|anxious)\b",
)
# Pain or a worrying sign described about oneself or one's baby, with no thanks
# or praise around it, is a request for help even when nothing is asked.
_DISTRESS = _rx(
    r"\b(?:agony|agonising|agonizing|excruciating|unbearable|bleeding|bleed|cracked|blistered|"
    r"lump|lumps|fever|feverish|shivering|chills|red and hot|hot and red|pus|"
    r"(?:so|really|very|extremely) (?:painful|sore)|screams? (?:at|during|after|through)|"
    r"won'?t (?:latch|feed|take|stop|breastfeed|nurse|suck)|can'?t (?:latch|feed|get him|get her)|"
    r"losing weight|(?:milk|supply) (?:still )?(?:hasn'?t|has not|didn'?t|never) (?:come|came) in|"
    r"not gaining|dropped (?:to|below)|(?:struggling|desperate|at my wits)|"
    r"(?:i'?m|i am) (?:so |really )?(?:worried|scared|panicking|lost))\b",
)
_THANKS = _rx(
    r"\b(?:thank|thanks|thank you|ty|so helpful|love this|loved|great post|reassuring|"
    r"relatable|brilliant|amazing)\b|[😂🤣❤💕💛🙌🥰]",
)
# A question mark in a text about one's own baby or body: a request for help
# however it is phrased ("Thrush?", "but is it??", "can I refuse?").
_QUESTION = _rx(r"\?")
# A press enquiry mentions clinical topics and asks questions too.
_PRESS = _rx(CRISIS_PATTERNS["press"])
_PERSONAL = _rx(
    r"\b(?:my|our) (?:\d+\s*(?:-\s*)?(?:week|wk|month|mo|day|m|w)s?(?:[- ]old)?\s*)?"
    r"(?:baby|babies|lo|son|"
    r"daughter|newborn|little one|boy|girl|twins?|infant|bub|babe|toddler)\b"
    r"|\b\d+\s*(?:-\s*)?(?:week|wk|month|mo|day)s?[- ]old\b"
    r"|\b(?:his|her) (?:weight|latch|poos?|nappies|tongue|feeds|feeding|intake|jaundice|"
    r"breathing|suck|sucking)\b"
    r"|\bmy (?:\w+ )?(?:nipples?|breasts?|boobs?|supply|milk|latch|letdown|pump|ducts?)\b"
    r"|\b(?:he|she|baby|lo)\s+(?:is\s+|keeps\s+)?(?:screaming|crying|fussing|arching|choking)\b"
    r"|\b(?:he|she|baby|lo)\s+(?:won'?t|will not|refuses|keeps|is|isn'?t|has|hasn'?t|can'?t|"
    r"doesn'?t|only|screams|cries)\b"
    r"|\bi'?m (?:breastfeeding|pumping|nursing|exclusively|ebf|combi|combination)\b"
    r"|\bi (?:am|have been|'ve been) (?:breastfeeding|pumping|nursing|feeding)\b"
    r"|\b(?:while|whilst|when) (?:breastfeeding|nursing|pumping|bf|ebf)\b",
)
# Symptoms that make "help!" clinical even without feeding vocabulary.
_SYMPTOM = _rx(
    r"\b(?:screaming|screams|crying|cries|fussy|fussing|arching|choking|gagging|vomit\w*|"
    r"sick|spit(?:ting)? up|bleeding|bleed|blood|cracked|sore|pain|painful|hurts?|lump|"
    r"red|hot|fever|temperature|rash|sleepy|lethargic|not gaining|losing weight|"
    r"weight loss|dehydrated|clicking|biting|pinched|lipstick|white patches|itchy|burning)\b",
)
# "Call me", "DM me": a request for help only from someone describing their own
# baby or body (a journalist says "DM me" too).
_CONTACT_ME = _rx(
    r"\b(?:call|ring|phone|text|message|dm|pm|contact|email|e-mail|inbox) me\b"
    r"|\bget back to me\b|\bget in touch with me\b"
    r"|\b(?:please|pls|plz|can you|could you|can someone|could someone|can anyone|could anyone)"
    r"\s+(?:\w+\s+)?(?:call|ring|phone|text|message|email|e-mail|contact|dm|pm|visit|come|"
    r"see (?:me|us|her|him))\b"
)
# A baby in danger is a request for help even when nothing is asked.
_DANGER = _rx(CRISIS_PATTERNS["baby-danger"])
# Questions about the association itself, not care.
_ORG_TOPIC = _rx(
    r"\b(?:conference|webinar|event|membership|member|renew\w*|tickets?|register\w*|"
    r"registration|course|cerps?|exam|certification|recertif\w*|volunteering|job|jobs|"
    r"vacanc\w*|donat\w*|newsletter|website|link|slides|recording|zoom|venue|parking|"
    r"sponsor\w*|award|committee|meeting|agm|fees?|discount|invoice|receipt|meet-?ups?|"
    r"charger|lost property|leaflets?|study day|bursary|"
    r"if (?:anyone|anybody|someone) finds|if found)\b",
)


# The model's consultation requests need an anchor in the writer's own care:
# first person, their own baby, or a relative's baby they are asking about.
_ANCHOR = _rx(
    r"\b(?:i|i'?m|i'?ve|i'?d|me|my|we|we'?re|our|us|mera|meri|mujhe|ako|ko|si baby|"
    r"my pikin|mi pikin)\b|\b\d+\s*(?:-\s*)?(?:days?|d|weeks?|wks?|w|months?|mo)\b"
)


# Something asked or wanted, however informally ("hw much", "kya karna chahiye").
_MODEL_ASK = _rx(
    r"\?|\b(?:how|hw|what|wat|wetin|why|y|when|wen|which|where|should|could|can|would|safe|"
    r"realistic|anything|any|anyone|someone|somebody|help|pls|plz|please|advi[cs]e|wondering|"
    r"need|needs|kya|kaise|kyun|chahiye|paano|ano|pwede|ba|po|abeg|biko|ideas?|tips?)\b"
)


def _model_consult(doc: Document) -> list[Hit]:
    """A request the rules missed but the model reads, with a first-person anchor."""
    if doc.context.direction != "inbound":
        return []
    loaded = load_signal_model()
    if loaded is None:
        return []
    text = doc.text
    if _PRESS.search(text) or (_THANKS.search(text) and "?" not in text):
        return []
    anchor = _PERSONAL.search(text) or _ANCHOR.search(text)
    if anchor is None:
        return []
    if not (_MODEL_ASK.search(text) or _DISTRESS.search(text) or _SYMPTOM.search(text)):
        return []  # "my baby is 3 weeks old and feeding well": news, not a request
    score, above, _confident = loaded.says(text, "consult")
    if not above:
        return []
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    return [
        Hit(
            category="clinical.consult_request",
            start=start,
            end=end,
            evidence=text[start:end][:200],
            score=round(min(0.8, score), 3),
            note=f"model {score:.2f} about {anchor.group(0)!r}",
        )
    ]


class ConsultRequestDetector(Detector):
    """A request for individual help with one's own or one's baby's feeding or care."""

    name: ClassVar[str] = "clinical.consult_request"
    categories: ClassVar[frozenset[str]] = frozenset({"clinical.consult_request"})
    summary: ClassVar[str] = (
        "text asking for individual help with feeding or care (a question about "
        "one's own baby, body or medication)"
    )

    def detect(self, doc: Document) -> list[Hit]:
        return self._rules(doc) or _model_consult(doc)

    def _rules(self, doc: Document) -> list[Hit]:
        text = doc.text
        clinical = _clinical(text)
        symptom = None if clinical is not None else _SYMPTOM.search(text)
        if clinical is None and symptom is None:
            return []
        personal = _PERSONAL.search(text)
        # A baby in danger is the request, whatever else the comment asks about
        # (a long comment may end on an events question).
        danger = list(_DANGER.finditer(text)) if personal is not None else []
        asks = danger + list(_HELP.finditer(text))
        if not asks and personal is not None:
            # "call me pls, my baby won't stop screaming"; "my 2 week old has
            # gone blue around the lips"; "... my nipples are itchy. Thrush?";
            # "my nipple is cracked and it's agony when he latches".
            asks = (
                list(_CONTACT_ME.finditer(text))
                or list(_DANGER.finditer(text))
                or list(_QUESTION.finditer(text))
                or ([] if _THANKS.search(text) else list(_DISTRESS.finditer(text)))
            )
        if not asks:
            return []
        if personal is None and _PRESS.search(text):
            return []  # "is anyone available to comment on tongue-tie clinics?"
        if clinical is None and personal is None:
            return []  # "help, I'm in pain" with no care context
        spans = list(sentences(text))
        for ask in asks:
            # The sentence holding the question (a leading "." belongs to the one before).
            at = ask.end() - 1
            index = next((i for i, (_, e) in enumerate(spans) if at < e), len(spans) - 1)
            start, end = spans[index]
            sentence = text[start:end]
            if personal is None:
                # "help! baby screaming at the breast": the care context may sit
                # in the next (or previous) sentence.
                near = text[spans[max(0, index - 1)][0] : spans[min(len(spans) - 1, index + 1)][1]]
                if not (_clinical(near) or _SYMPTOM.search(near)):
                    continue
            weak = ask.re is not _HELP  # a bare "?" or "please call", not a request word
            if ask.re is _DANGER:
                pass
            elif _ORG_TOPIC.search(sentence) and (not _PERSONAL.search(sentence) or weak):
                continue  # "can I still register for the breastfeeding course?"
            lead = len(sentence) - len(sentence.lstrip())
            context = personal or clinical or symptom
            assert context is not None  # clinical or symptom matched above
            return [
                Hit(
                    category="clinical.consult_request",
                    start=start + lead,
                    end=start + len(sentence.rstrip()),
                    evidence=sentence.strip(),
                    score=0.9 if personal else 0.7,
                    note=f"asks {ask.group(0).strip(' .!?')!r} about {context.group(0)!r}",
                )
            ]
        return []
