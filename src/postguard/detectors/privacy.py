"""Privacy detectors: people, contact details, birth and health details of clients.

The IBLCE advisory opinion asks IBCLCs to "preserve confidentiality of
clients and their families" online and warns that anonymised stories can
still identify people. These detectors look for what could identify a
client, an infant or a family: names, contact details, dates of birth, ages,
places of care, record numbers, health details tied to a person,
combinations of facts that single a person out, and public requests for
more such details.

The engine runs every detector on the same document, so the work they share
(sentences, one Aho-Corasick pass over all lexicons and cue phrases, the
person-name candidates, which sentences are about a particular person) is
done once and cached on the :class:`Document`. The cue phrases double as
prefilters: a pattern runs only when the words it needs are present, which
keeps the whole family to tens of microseconds on a typical post.
"""

from __future__ import annotations

import bisect
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import ahocorasick

from postguard.detectors import _linear_model
from postguard.detectors.base import (
    Detector,
    DetectorConfigError,
    Document,
    Hit,
    span_hit,
    take_params,
)
from postguard.detectors.entities import document_entities
from postguard.detectors.text import PhraseMatch, drop_overlaps, sentences

_DATA = Path(__file__).resolve().parent.parent / "data"


def _read_lines(name: str) -> list[str]:
    with open(_DATA / name, encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle if line.strip() and not line.startswith("#")]


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


def _words(block: str) -> list[str]:
    return block.split()


def _product(*parts: Iterable[str]) -> list[str]:
    # "she" + "'s" is written "she's", not "she 's".
    return [" ".join(p).replace(" '", "'").replace(" ’", "’") for p in itertools.product(*parts)]


# --------------------------------------------------------------------------
# Lexicons and cue phrases (one automaton)
# --------------------------------------------------------------------------

GIVEN_NAMES: frozenset[str] = frozenset(_read_lines("given_names.txt"))

HEALTH_TERMS: dict[str, str] = {}
for _line in _read_lines("health_terms.txt"):
    _term, _, _facet = _line.partition("\t")
    HEALTH_TERMS[_term.strip().lower()] = _facet.strip() or "condition"

#: Names that are also everyday words or places: only a strong context
#: ("baby Grace", "Summer's latch") makes them a person.
AMBIGUOUS_NAMES: frozenset[str] = frozenset(
    _words(
        """hope faith grace joy june may april august summer autumn rose dawn will bill mark
        pat sue ray rich chase hunter guy frank max jan jun sunny amber olive carol teddy nick
        angel patience precious blessing mercy comfort gift favour princess miracle honey harmony
        destiny heaven river storm sky star poppy iris violet miles taylor paris sydney adelaide
        india phoenix dallas mercedes victoria florence charlotte chelsea georgia austin jackson
        lincoln madison brooklyn regina santiago milan lourdes jordan eden kennedy reagan holly
        ivy robin nova luna lee jack dale jean bonnie kim li yi yu lan tao hong wen an krishna
        lakshmi jade hazel ruby skye sofia petra devon kai ade ayo olu mai nia liv jia lin kumar
        malik dev raj rana aya dina wei jin hana karen kerry lola lolo nana nanna oma opa nonna
        nonno abuela abuelo tita tito gogo bibi nani dadi ouma oupa mon tue wed thu fri sat sun
        ama mere tui"""
    )
)

_MONTHS = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")

_PERSON_NOUNS = [
    *_words(
        "client patient mum mom mother mama dad father family couple baby babe newborn infant "
        "son daughter twins triplets lady woman parent lo toddler girl boy"
    ),
    "little one",
]
_KIN = [
    *_words(
        "baby babe newborn infant son daughter twins triplets partner husband wife mum mom mother "
        "dad father lo toddler girl boy"
    ),
    "little one",
]
_ONE_PERSON = _words(
    "mum mom mother mama dad father family couple woman lady client patient parent girl teen "
    "baby newborn infant grandmother grandma surrogate"
)

_CUES: dict[str, list[str]] = {
    # A sentence about a particular person, strongly enough to outweigh general wording.
    "tie1": _product(["my", "our"], ["client", "patient"])
    + _product(["this", "that"], _PERSON_NOUNS)
    + _product(
        ["i", "we"],
        [
            *_words("saw visited met helped supported"),
            "spoke to",
            "spoke with",
            "worked with",
            "looked after",
            "cared for",
            "sat with",
        ],
    )
    + _product(
        ["one of my", "one of our"], _words("clients patients mums moms families mamas ladies")
    )
    + _product(
        ["i", "we", "i've", "we've", "i'm", "we're", "i've been", "we've been"],
        [
            *_words("supporting helping seeing visiting"),
            "working with",
            "been supporting",
            "been helping",
            "been seeing",
        ],
    )
    + _product(_words("saw visited supported helped met"), ["a", "the", "this", "an"])
    + _product(["the"], [*_PERSON_NOUNS, "caller"], ["i", "we"])
    + _product(
        ["my", "our"],
        _words("youngest oldest newest latest first last lovely current"),
        _words("client patient mum mom family"),
    )
    + _product(["welcome to the"], ["world"])
    + _product(["the only"], [*_ONE_PERSON, "set of", "female", "male", "twins", "triplets"])
    + _product(["baby", "little", "sweet little"], _words("girl boy guy man lady"))
    + _product(
        ["the", "a", "this"],
        _words("mum mom mother dad couple family lady woman parents client patient newborn"),
        ["whose", "who'd", "who had", "who has", "who was", "who's", "in bed", "in bay", "in room"],
    )
    + _product(["the"], _words("mum mom couple family lady woman"), ["in", "on", "at"])
    + ["case for discussion", "home visit notes", "referral for", "handover notes"],
    # A parent's own family: a case when we write it, their own business when they do.
    "tie_self": _product(
        ["my"],
        [
            *_words(
                "baby babe son daughter lo newborn twins husband partner wife boy girl toddler "
                "youngest eldest oldest"
            ),
            "little one",
        ],
    )
    + _product(["our"], [*_words("son daughter twins newborn"), "little one"]),
    # Weaker ties: general advice uses them too ("if she has mastitis, her baby ...").
    "tie2": _product(
        ["her", "his", "their"],
        _KIN
        + _words(
            "doctor gp midwife consultant paediatrician pediatrician nipples nipple breasts "
            "breast supply milk latch feeds weight labour labor birth delivery surgery diagnosis "
            "meds medication bloods results scan first second third"
        ),
    )
    + _product(
        ["she", "he"],
        [
            "'s",
            "’s",
            "'d",
            "’d",
            *_words(
                "is was has had developed got needed needs took takes lost came started stopped"
            ),
            "ended up",
            "went on",
            "is on",
            "was on",
        ],
    )
    + _product(
        ["baby", "bubba", "mum", "mom", "little one", "lo"],
        [*_words("was had has is on needed went lost came got developed started"), "ended up"],
    ),
    "tie_your": _product(["your"], [*_words("baby son daughter lo newborn twins"), "little one"]),
    "generic": [
        *_words(
            "if when whenever often usually common commonly many most some any every always never "
            "should tend tends typically generally research studies study evidence symptoms signs "
            "learn webinar workshop course session guide factsheet info information awareness myth "
            "mums moms mothers parents babies families women people anyone someone everyone tips "
            "might remember normal expect typical average"
        ),
        "a mother",
        "a mother's",
        "a mum",
        "a mum's",
        "a mom",
        "a parent",
        "a woman",
        "need to",
        "needs to",
        *_product(
            ["can", "may", "could"],
            _words("be cause help also lead make affect take feel happen often sometimes need"),
        ),
        "what is",
        "did you know",
        "is common",
        "are common",
    ],
    "narrative": _product(
        ["i", "we"],
        [
            *_words("saw visited met helped supported"),
            "spoke to",
            "worked with",
            "looked after",
            "cared for",
        ],
    )
    + _product(["one of my", "one of our"], _words("clients patients mums moms families"))
    + _words("today yesterday tonight")
    + ["my client", "my patient", "home visit", "this morning", "last night", "this afternoon"]
    + _product(
        ["a", "this", "one"],
        _words("client patient mum mom mother family couple dad lady woman"),
        _words("i we who today yesterday this"),
    ),
    "relation": _words(
        "baby babe bubba newborn infant little client patient mum mom mummy mommy mama mother "
        "dad daddy father papa son daughter twin twins triplets partner husband wife sister "
        "brother grandma granny nan nana toddler girl boy"
    ),
    "honorific": _words("mr mrs ms miss mx dr doctor prof professor"),
    "named": ["named", "called", "name is", "name's", "name’s", "names are"],
    "birth": [
        *_words("born dob birthday birthdate arrived delivered birthed welcomed"),
        "went into labour",
        "went into labor",
        "d.o.b",
        "date of birth",
        "birth date",
        "gave birth",
        "due date",
        "due on",
    ],
    "age": _words("old aged age yo teens twenties thirties forties fifties 20s 30s 40s 50s")
    + _product(["mum", "mom", "mother", "dad", "father"], ["of"])
    + _product(["she", "he"], ["'s", "’s", "is", "was", "turned", "turns", "will be"]),
    "room": [
        *_words(
            "ward room rm bed bay cot incubator pod cubicle nursery nicu scbu picu neonatal "
            "maternity postnatal post-natal labour labor a&e suite wing birthing"
        ),
        "side room",
        "special care",
        "delivery suite",
        "transitional care",
        "birth centre",
    ],
    # Words that show the person greeted is a client ("great to meet you", "your record").
    "client": [
        *_product(_words("great lovely nice good wonderful"), ["to meet you", "to see you"]),
        *_product(["see you"], _words("and on at next tomorrow then") + _WEEKDAYS),
        *_product(["coming to", "coming into", "at", "at the", "at our", "hospital"], ["clinic"]),
        *_product(
            ["your"],
            [
                *_words("record appointment consult consultation visit booking referral reweigh"),
                *["re-weigh", "weigh-in", "home visit"],
            ],
        ),
        *_product(["having me"], ["round", "over"]),
        *_product(["at your"], ["place", "house", "home"]),
        *_product(["told you"], ["those", "that", "it", "the"]),
        "have you down as",
        *_product(["got your", "have your"], ["number as", "details as", "email as"]),
        # Echoing what someone gave us, or recalling seeing them: a client, not a commenter.
        *_product(
            _words("noted got have received taken"),
            ["your"],
            [
                *_words("number address details email phone mobile postcode aadhaar dob"),
                *["nhs number", "date of birth", "hospital number"],
            ],
        ),
        *_product(["i saw you", "we saw you", "i met you", "we met you"]),
        *_product(["our"], _words("session consult consultation visit call appointment")),
        *_product(["now you're", "now you’re", "you're", "you’re"], ["home from", "back home"]),
    ],
    "surname_kw": _words(
        "family household twins triplets boys girls kids children famille familie familia "
        "família pamilya famiglia"
    ),
    "consult_kw": _product(_words("consult visit session appointment call"), ["with"]),
    # A bed, bay or room that can be numbered ("bay 4", "pod C", "the end bay").
    "berth": _words("ward room rm bed bay cot incubator pod cubicle suite"),
    "facility": [
        *_words(
            "hospital infirmary clinic st st. saint royal general memorial maternity wing centre"
        ),
        "medical centre",
        "health centre",
        "medical center",
        "health center",
    ],
    "from_town": _product(
        _ONE_PERSON, ["from", "in", "of", "near", "living in", "who lives in", "out in", "up in"]
    ),
    "id": [
        *_words("mrn nhs chi chart medicaid medicare insurance ssn aadhaar pps ppsn ohip"),
        "m.r.n",
        "medical record",
        "medical records",
        "hospital number",
        "hospital no",
        "hospital id",
        "patient number",
        "patient no",
        "patient id",
        "case number",
        "case no",
        "case ref",
        "case reference",
        "record number",
        "record no",
        "unit number",
        "member id",
        "policy number",
        "policy no",
        "social security",
        "health card",
        "national insurance",
        "ni number",
        "id number",
        "id no",
        "uhid",
        "ipd no",
        "ip no",
        "reg no",
        "registration number",
        "file number",
        "file no",
        "folder number",
    ],
    "ask": [
        "can you",
        "could you",
        "would you",
        "will you",
        "what's",
        "what’s",
        "what is",
        "what was",
        "what are",
        "what were",
        "which",
        "where do you",
        "where did you",
        "where are you",
        "where were you",
        "how much does",
        "how much did",
        "tell us",
        *_words("post share comment drop put leave write list pop reply tag upload tell dose send"),
    ],
    "detail": [
        *_words(
            "weight weights birthweight hospital ward address postcode zip dob birthday number "
            "mobile surname name names nhs mrn medications medication meds diagnosis results scan "
            "bloods email location town area insurance details gp doctor midwife consultant age "
            "history live pic pics picture photo photos video temperature dose everything more "
            "ones medications hospital midwife"
        ),
        "birth weight",
        "post code",
        "date of birth",
        "d.o.b",
        "due date",
        "phone number",
        "full name",
        "last name",
        "medical records",
        "birth story",
        *_words("close-up closeup nipple nipples latch breast tongue nappy rash"),
        "close up",
    ],
    "f_time": _words("today yesterday tonight")
    + _WEEKDAYS
    + ["this morning", "this afternoon", "this evening", "last night", "last week"]
    + ["last weekend", "last month", "this week", "earlier today", "christmas day"]
    + ["christmas eve", "boxing day", "new year's day", "new year's eve", "this year"]
    + _product(
        ["in", "since", "last", "this", "on", "from"],
        _words("january february march april june july august september october november december"),
    ),
    "f_public": [
        *_product(
            ["the"],
            _words(
                "mayor's mp's minister's councillor's senator's governor's footballer's bishop's "
                "vicar's headteacher's ceo's president's premier's"
            ),
        ),
        *_product(["from", "on"], ["the telly", "the tv", "the papers", "the news", "telly", "tv"]),
        "you'd all recognise",
        "you'd recognise",
        "you would recognise",
        "household name",
        "chief exec",
        "chief executive",
        "press secretary",
        "first minister",
        "prime minister",
        *_words("olympic olympian paralympian famous celebrity ceo mayor"),
    ],
    "f_occupation": [
        *_words("minister baker bakery"),
        *_words(
            "teacher nurse doctor gp lawyer solicitor barrister policewoman policeman firefighter "
            "soldier vet dentist farmer pharmacist accountant councillor mp footballer athlete "
            "olympian professor lecturer pilot chef hairdresser paramedic surgeon engineer "
            "scientist journalist actress actor singer influencer celebrity headteacher vicar "
            "priest rabbi imam judge cleaner carer childminder receptionist anaesthetist physio "
            "presenter model dancer musician rower swimmer runner cyclist boxer olympic paralympic "
        ),
        "police officer",
        "social worker",
        "shop owner",
        "business owner",
        "head teacher",
        # Roles a small community knows by sight.
        *_words(
            "principal curate chaplain pastor newsreader newscaster broadcaster goalie goalkeeper "
            "captain coach shearer fisherman fisherwoman publican magistrate legislator mla "
            "assemblywoman sheriff ranger postmistress postman lifeguard jockey referee"
        ),
        "legislative assembly",
        "member of parliament",
        "county team",
        "national team",
        "ambulance crew",
    ],
    "f_family": _words(
        "triplets quadruplets quads quintuplets surrogate surrogacy adopted adoptive "
        "fostering fostered widowed widow widower same-sex co-parenting"
    )
    + _product(["two"], ["mums", "moms", "dads"])
    + _product(["single", "teen", "teenage"], ["mum", "mom", "mother", "dad", "father", "parent"])
    + _product(["fifth", "sixth", "seventh", "eighth", "5th", "6th", "7th", "8th"], ["baby"])
    + _product(
        ["mum of", "mom of", "mother of"], _words("6 7 8 9 10 11 12 six seven eight nine ten")
    ),
    "f_ethnicity": [
        *_words(
            "somali polish nigerian syrian afghan ukrainian romanian roma traveller gypsy amish "
            "deaf refugee pakistani bangladeshi indian chinese vietnamese eritrean sudanese "
            "ghanaian "
            "kenyan filipina filipino brazilian mexican jamaican hasidic sikh hindu muslim "
            "mennonite aboriginal indigenous maori inuit latina latino hispanic korean japanese "
            "thai turkish kurdish iranian iraqi ethiopian congolese zimbabwean albanian lithuanian "
            "latvian bulgarian portuguese italian spanish french german russian nepali tamil "
            "punjabi gujarati yemeni libyan egyptian moroccan algerian tongan samoan fijian blind "
            "autistic"
        ),
        "asylum seeker",
        "orthodox jewish",
        "first nations",
        "sri lankan",
        "wheelchair user",
    ],
    "f_age": _product(["teen", "teenage"], ["mum", "mom", "mother", "dad"])
    + _product(
        ["in her", "in his"],
        _words("teens twenties thirties forties fifties 20s 30s 40s")
        + _product(["early", "mid", "late"], _words("teens twenties thirties forties 20s 30s 40s")),
    ),
    "f_place": [
        "small town",
        "tiny town",
        "tiny village",
        "little village",
        "rural",
        "remote",
        "village",
        *_words("hamlet island farm estate"),
    ],
    "anchor": _ONE_PERSON + _words("she he her his twins triplets quadruplets quads"),
    "f_unique": [
        "the only",
        "only set of",
        "first ever",
        "the first to",
        "the first in",
        "one and only",
    ],
}


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


# --------------------------------------------------------------------------
# Shared patterns
# --------------------------------------------------------------------------

_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY_RE = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)day"
_ORDINAL_WORDS = (
    r"(?:(?:twenty|thirty)[- ])?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
    r"|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth"
    r"|nineteenth|twentieth|thirtieth)"
)
_DATE_RE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}"
    rf"|(?:the\s+)?{_ORDINAL_WORDS}\s+(?:of\s+)?{_MONTH_RE}\b(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}\b(?:,?\s+\d{{4}})?"
    rf"|{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?)"
)
_TIME_RE = (
    r"(?:\d{1,2}[:.]\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)?|\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.)"
    r"|midnight|noon)"
)
_GEST_RE = r"(?:\d{2}\s*\+\s*\d\b|\d{2}\s*weeks?(?:\s*(?:and|\+)\s*\d\s*days?)?)"
_RELDAY_RE = (
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


# --------------------------------------------------------------------------
# Person names
# --------------------------------------------------------------------------

_RELATION_WORDS = frozenset(_CUES["relation"]) | frozenset(
    _words("named called baby's mum's mom's dad's niece nephew cousin aunt auntie uncle fiancé")
)
#: Words right before a name that make it staff, a speaker or a public figure.
_STAFF_WORDS = frozenset(
    _words(
        """ibclc ibclcs midwife nurse volunteer counsellor counselor consultant supporter chair
        president trustee speaker author colleague coordinator director manager secretary
        treasurer presenter host facilitator educator founder ceo professor prof dr doctor
        researcher paediatrician pediatrician mp senator minister st st. saint lake mount port
        fort king queen prince princess royal by member lead our officer administrator admin
        organiser organizer moderator editor student trainee supervisor mentor vice executive
        chairperson chairwoman chairman ambassador rep representative committee board"""
    )
)
_GREETINGS = frozenset(
    _words("hi hello hey dear thanks thank thx ty congrats congratulations welcome morning")
)
#: Capitalised words after a name that make it part of a place or organisation.
_PLACE_AFTER = frozenset(
    _words(
        """hospital hospitals infirmary street st road rd avenue ave lane drive close court way
        ward unit house centre center clinic trust health university college school park square
        gardens place foundation institute initiative group network hall church bridge station
        airport county city town village maternity medical birth women's children's walk
        crescent mews terrace grove rise row view green hill wing suite photography studio
        studios designs consulting lactation doula doulas media press books ltd llc inc"""
    )
)
_FACILITY_WORDS = frozenset(
    _words("hospital infirmary maternity clinic ward unit centre center trust university")
)
_CARE_AFTER_POSSESSIVE = re.compile(
    r"[’']s\s+(?:latch|latching|feed|feeds|feeding|weight|weights|weigh-in|tongue|tie|frenotomy"
    r"|mum|mom|mother|dad|father|parents|birth|nappy|nappies|diaper|diapers|poo|poos|stools?"
    r"|reflux|jaundice|bilirubin|appointment|check|sleep|bottles?|suck|sucking|jaw|mouth"
    r"|growth|gain|intake|supply|nipples?|breasts?|milk|pumping|first|cry|crying|colic"
    r"|bloods|results|scan|heel\s+prick|hearing|hips|cot|crib|car\s+seat|health|condition"
    r"|diagnosis|medication|meds|surgery|allergy|rash|nursery|christening|naming|birthday"
    r"|due\s+date|delivery|labou?r|section|story|journey|baby|son|daughter|twins|husband"
    r"|partner)\b",
    re.IGNORECASE,
)
_NAME_TOKEN = r"(?:[A-Z][a-z]+(?:['’-][A-Z][a-z]+)?|[A-Z]{3,})"
_HONORIFIC = re.compile(
    rf"\b(Mrs|Mr|Ms|Miss|Mx|Dr|Doctor|Prof|Professor)\.?\s+({_NAME_TOKEN}(?:[- ][A-Z][a-z]+)?)"
)
_NAMED = re.compile(
    r"\b(?:named|called|name\s+is|name's|name’s|names\s+are)\s+([A-Z][a-z]+(?:-[A-Z]?[a-z]+)?"
    r"|[A-Z]{3,})\b"
)
_CAP_AFTER = re.compile(r"\s+(?:named\s+|called\s+)?([A-Z][a-z]{2,}(?:-[A-Z]?[a-z]+)?)\b")
_FULL_NAME_BEFORE = re.compile(r"(?<![\w'’-])(?:(?:[A-Z][^\W\d_]+|[A-Z]\.)\s+){1,3}$")
_VOCATIVE_AFTER = re.compile(r"\s*(?:,|—|–|!|\?|\.\s*$|$)")
_HONORIFICS = frozenset(_words("mr mrs ms miss mx dr doctor prof professor"))
_PLACE_PREPOSITIONS = frozenset(_words("in at near from to of around outside"))
_AND_NEXT = re.compile(r"\s*(?:,|and|&)\s*([A-Z][a-z]{2,}(?:-[A-Z]?[a-z]+)?|[A-Z]{3,})\b")
_POSSESSIVE_CAP = re.compile(r"\b([A-Z][a-z]{2,})[’']s\s+$")
#: Capitalised words that follow relation words without being names.
_NOT_A_NAME = frozenset(
    _words(
        """friendly cafe café group clinic week month day club unit led blues bank box boom
        shark hub network support matters feeding milk care the and or but so if when this that
        my our your his her their it we you they he she is was has had will can also too again
        already just still then now here there today tonight yesterday tomorrow please thanks
        number mums moms dads babies ibclc ibclcs nhs who unicef lll nct abm aap cdc ok okay
        yes no not all any one some"""
    )
    + _MONTHS
    + _WEEKDAYS
)
_CITATION_AFTER = re.compile(
    r"(?:\s+[A-Z][\w'’-]+){0,2}(?:\s*\(\s*(?:19|20)\d\d|\s+et\s+al|\s*,?\s*\(?(?:MD|PhD|IBCLC|FRCPC"
    r"|FABM|RN|RM|MBBS|FRCP|FACOG|MPH|CLC|IBCLCs|RLC|LLLL)\b|\s*,\s*(?:(?:19|20)\d\d\b|\d+(?:st|nd|rd|th)"
    r"\s+ed)|[’']s\s+(?:research|study|studies"
    r"|work|book|books|paper|papers|article|articles|protocol|protocols|website|site|blog"
    r"|video|videos|guidance|guide|team|course|talk|lecture|webinar|method|model|findings"
    r"|recommendations|advice|handouts?|podcast|review|latest|new|classic)|\s+(?:says|writes"
    r"|wrote|explains|recommends|found|showed|shows|argues|suggests|notes|reports|reported"
    r"|published|describes|described|et))"
)
_CITATION_BEFORE = re.compile(
    r"\b(?:according\s+to|by|cites?|cited|quoting|quote|per|author|researcher|expert"
    r"|work\s+of|research\s+of|books?\s+by|as\s+(?:dr|prof)\.?"
    r"|(?:photo(?:graph)?s?|image|picture|pic|artwork|illustration|video|words|poem)\s*(?:by|:|credit:?)"
    r"|credits?\s*:|📸|©)\s*$",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"(?:^|\n|[—–~]\s*|-{1,2}\s*|\b(?:thanks|thank\s+you|cheers|love|best|regards|warmly"
    r"|best\s+wishes|with\s+love|many\s+thanks|kind\s+regards|take\s+care)\s*,?\s*|\bx+\s+)"
    r"([A-Z][a-z'’-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-z'’-]+)?)\s*(?:,?\s*(?:IBCLC|RN|RM|CLC|MD|PhD|LC|RLC"
    r"|BSc|MSc|LLLL)\b[\w ,.]*)?[\s.!x❤️💕🙏😊]*$",
    re.IGNORECASE,
)


def _name_excluded_by_context(text: str, start: int, end: int) -> bool:
    """Staff, public figures, cited authors and place names: not a client."""
    before = _word_before(text, start)
    if before in _STAFF_WORDS or text[max(0, start - 1) : start] in ("@", "#"):
        return True
    if _CITATION_AFTER.match(text, end) or _CITATION_BEFORE.search(text, max(0, start - 30), start):
        return True
    nxt = _WORD_AFTER.match(text, end, end + 40)
    if nxt:
        word = nxt.group(1)
        if word.lower() in _FACILITY_WORDS:
            return True
        if word[:1].isupper():
            if word.lower() in _PLACE_AFTER:
                return True
            # "Mary Seacole House": a name inside a place name.
            nxt2 = _WORD_AFTER.match(text, nxt.end(), nxt.end() + 40)
            if nxt2 and nxt2.group(1)[:1].isupper() and nxt2.group(1).lower() in _PLACE_AFTER:
                return True
    return False


def _is_vocative(a: _Analysis, start: int, end: int) -> bool:
    """Addressing the reader ("Aoife, thanks!", "..., Aoife!"): not a story about them."""
    text = a.text
    s, e = a.sentence_span(start)
    after = _VOCATIVE_AFTER.match(text, end, e)
    if after is None:
        return False
    if not text[s:start].strip() or text[s:start].rstrip().endswith(("—", "–", " -", ":")):
        return text[end : end + 1] in (",", "—", "–", "!") or text[end : end + 2] == " —"
    return (
        text[max(s, start - 2) : start] == ", "
        and (text[end : end + 1] in "!.?" or text[end : end + 2] in (" —", " –"))
    ) or end >= e


#: A closing name line over a role line: "Siobhán Ní Mhurchú\nHonorary Secretary".
_ROLE_SIGNATURE = re.compile(
    r"\n[ \t]*([A-Z][^\W\d_]*(?:[ '’-]+[^\W\d_]+){0,3})[ \t]*,?[ \t]*\n[ \t]*[^\n]{0,40}\b"
    r"(?i:secretary|chair\w*|president|treasurer|coordinator|director|officer|manager|lead"
    r"|trustee|ibclc|founder|editor|administrator|team|volunteer|counsell?or|midwife)\b[^\n]{0,40}\s*$"
)


def _signature_start(text: str) -> int:
    """Where a trailing sign-off ("— Priya, IBCLC") starts, or len(text)."""
    if "\n" in text[-120:]:
        r = _ROLE_SIGNATURE.search(text, max(0, len(text) - 120))
        if r:
            return r.start(1)
    m = _SIGN_OFF.search(text, max(0, len(text) - 60))
    return m.start(1) if m else len(text)


def _find_people(
    a: _Analysis, allow: frozenset[str], allow_signature: bool
) -> list[tuple[int, int, float, str]]:
    """(start, end, score, note) of names that could be a client, infant or family member."""
    text = a.text
    found: dict[tuple[int, int], tuple[float, str]] = {}

    def add(start: int, end: int, score: float, note: str) -> None:
        if text[start:end].lower() in allow:
            return
        old = found.get((start, end))
        if old is None or old[0] < score:
            found[(start, end)] = (score, note)

    upper_share: float | None = None
    # Names seen as staff, speakers or authors somewhere in the text: the same
    # name elsewhere ("Happy birthday, Margaret") is the same person.
    staff_names: set[str] = set()
    for pm in a.names:
        word = text[pm.start : pm.end]
        lw = pm.phrase
        # "Prof. Lisa Amir", "Dr Femi Adebayo": judge a surname by the whole name.
        full = _FULL_NAME_BEFORE.search(text, max(0, pm.start - 30), pm.start)
        first = pm.start
        if full:
            # Skip a leading title or relation word: "Dr Kemi Adeyemi" starts at "Kemi".
            first = full.start()
            for tok in _SPACE_TOKEN.finditer(text, full.start(), pm.start):
                w = tok.group(0).lower().rstrip(".")
                if w in _STAFF_WORDS or w in _RELATION_WORDS or w in _HONORIFICS:
                    first = tok.end()
            while first < pm.start and text[first].isspace():
                first += 1
            if first >= pm.start:
                full = None
                first = pm.start
        before = _word_before(text, first)
        relation = before in _RELATION_WORDS
        if (
            relation
            and before in ("called", "named")
            and _STAFF_NOUN_BEFORE.search(text, max(0, first - 70), first)
        ):
            # "the senior midwife, ... called Pauline": a colleague, not a client.
            continue
        strong = (
            relation
            or _CARE_AFTER_POSSESSIVE.match(text, pm.end) is not None
            or _CLIENT_AFTER.match(text, pm.end) is not None
        )
        is_cap = word[:1].isupper() and not word.isupper()
        is_upper = word.isupper() and len(word) > 1
        if is_upper and upper_share is None:
            letters = sum(c.isalpha() for c in text) or 1
            upper_share = sum(c.isupper() for c in text) / letters
        # A shouted post ("SHOUT OUT TO SIOBHÁN ...") still names people in a care story.
        shouted_ok = len(word) > 4 and (upper_share or 0) >= 0.6 and bool(a.health)
        if lw in AMBIGUOUS_NAMES or (before in _PLACE_PREPOSITIONS and not full):
            if not (strong and (is_cap or is_upper)):
                continue
            score = 0.7
        elif (
            is_cap
            or (is_upper and (upper_share or 0) < 0.6 and len(word) > 3)
            or (is_upper and shouted_ok)
        ):
            if before in _GREETINGS and not strong and not a.client_context:
                continue
            score = 0.9 if strong else 0.75
        elif strong:
            score = 0.7
        else:
            continue
        if before in ("by", "st", "saint") or (
            not relation and _name_excluded_by_context(text, first, pm.end)
        ):
            staff_names.add(lw)
            continue
        if not strong and _not_a_client(a, first, pm.start, pm.end):
            staff_names.add(lw)
            continue
        if not strong and _is_vocative(a, first, pm.end) and not a.client_context:
            continue
        if not strong and _STAFF_APPOSITIVE.match(text, pm.end):
            staff_names.add(lw)
            continue
        add(pm.start, pm.end, score, "given name in a care context" if strong else "given name")

    if staff_names:
        for key in [k for k, (_sc, note) in found.items() if note == "given name"]:
            if text[key[0] : key[1]].lower() in staff_names:
                del found[key]

    _more_people(a, add)

    if a.has("honorific"):
        for m in _HONORIFIC.finditer(text):
            if m.group(2).lower() in _NOT_A_NAME:
                continue
            if _name_excluded_by_context(text, m.start(2), m.end(2)) or _CITATION_BEFORE.search(
                text, max(0, m.start() - 30), m.start()
            ):
                continue
            if m.group(1).lower() in ("dr", "doctor", "prof", "professor"):
                # Usually a clinician rather than a client; worth a look, not a block.
                add(m.start(), m.end(2), 0.6, "titled name (a clinician or a client)")
            else:
                add(m.start(), m.end(2), 0.9, "title and surname")

    if a.has("named"):
        for m in _NAMED.finditer(text):
            lw = m.group(1).lower()
            if lw in _NOT_A_NAME or _STAFF_NOUN_BEFORE.search(
                text, max(0, m.start() - 70), m.start()
            ):
                continue
            add(m.start(1), m.end(1), 0.85, "name after 'named' or 'called'")

    # A capitalised word right after a lower-case relation word: "baby Zephyr".
    for start, end in a.cues.get("relation", ()):
        if not text[start:end].islower() and a.sentence_span(start)[0] != start:
            continue
        cap = _CAP_AFTER.match(text, end)
        if not cap:
            continue
        lw = cap.group(1).lower()
        if lw in GIVEN_NAMES or lw in _NOT_A_NAME:
            continue
        nxt = _WORD_AFTER.match(text, cap.end(), cap.end() + 40)
        if nxt and nxt.group(1)[:1].isupper() and nxt.group(1).lower() in _PLACE_AFTER:
            continue
        add(cap.start(1), cap.end(1), 0.6, "capitalised word after a relation word")

    # A capitalised word mid-sentence with a care possessive: "Zephyr's latch".
    if "'s" in text or "’s" in text:
        for m in _CARE_AFTER_POSSESSIVE_ANY.finditer(text):
            p = _POSSESSIVE_CAP.search(text, max(0, m.start() - 30), m.start() + 3)
            if not p:
                continue
            lw = p.group(1).lower()
            if lw in GIVEN_NAMES or lw in _NOT_A_NAME or lw in _PLACE_AFTER:
                continue
            s, _ = a.sentence_span(p.start(1))
            if not text[s : p.start(1)].strip():
                continue
            add(p.start(1), p.end(1), 0.6, "capitalised word with a care possessive")

    # "twins Amara and Zuri": a name listed with a found one.
    for (_start, end), (score, _note) in sorted(found.items()):
        nxt = _AND_NEXT.match(text, end)
        if nxt and nxt.group(1).lower() not in _NOT_A_NAME and score >= 0.7:
            add(nxt.start(1), nxt.end(1), score - 0.1, "name listed with another")

    if not found:
        return []
    sig_start = _signature_start(text) if allow_signature else len(text)
    return [(s, e, sc, note) for (s, e), (sc, note) in sorted(found.items()) if s < sig_start]


#: "our own volunteers Ama, Wanjiru and Tui", "Staff: Ngaio and Tui", "my mentors — Jean, ..."
_STAFF_LIST_BEFORE = re.compile(
    r"\b(?i:volunteers?|staff|team|mentors?|speakers?|trustees?|organi[sz]ers?|committee|peer"
    r"\s+supporters?|counsel+ors?|colleagues?|midwives|coordinators?|facilitators?|tutors?"
    r"|educators?|helpers?|moderators?|presenters?|panel(?:lists)?|founders?|hosts?|desk"
    r"|office|line|kaiāwhina|kaiawhina)(?:\s+[a-z]+(?=\s*:))?"
    r"\s*(?::|—|–|-|,|\()?\s*(?:(?i:the\s+late\s+)?(?:(?:Dr|Prof)\.?\s+)?[A-Z][\w'’-]*"
    r"(?:\s+[A-Z][\w'’-]*){0,2}\s*(?:,|\band\b|&)\s*)*$"
)
#: "Name (Town) has run our Tuesday group", "Name trained 40 peer counsellors": volunteer work.
_ORG_WORK_AFTER = re.compile(
    r"(?:\s+[A-Z][\w'’-]+){0,3}\s*(?:\([^()\n]{1,30}\))?,?\s+(?:has\s+|have\s+|had\s+|also\s+)?"
    r"(?:run(?!\s+out)|runs|ran|led|leads|set\s+up|sets\s+up|founded|trained|trains|coordinat\w+"
    r"|organi[sz]\w+|answered|rewrote|translated|facilitat\w+|volunteer\w*|hosted|hosts"
    r"|(?:is|was)\s+(?:our|the)\s+(?:\w+\s+){0,3}?(?:volunteer|peer\s+supporter|coordinator"
    r"|lead|chair|founder|counsellor|counselor|trainer|facilitator|ibclc))\b"
)
#: "Name, our kaiāwhina," "Name, our newest peer supporter": a role given in apposition.
_ROLE_APPOSITIVE = re.compile(
    r"(?:\s+[A-Z][\w'’-]+){0,2}\s*,\s*(?:our|my)\s+(?:(?:new|newest|own|lovely|wonderful|amazing"
    r"|local|senior|wise|brilliant|fab|fabulous|first|longest-serving)\s+)*([^\W\d_]+)"
)
_NOT_A_ROLE = frozenset(
    _words(
        """client clients patient patients mum mom mother mama dad father son daughter baby babe
        newborn twins triplets family girl boy little lo friend neighbour neighbor niece nephew
        cousin sister brother wife husband partner grandson granddaughter"""
    )
)
_CITE_LIST_BEFORE = re.compile(
    r"\(\s*(?:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?\s*(?:,|&|\band\b)\s*)*$"
)
_CITE_LIST_AFTER = re.compile(r"[^()\n]{0,80}?\b(?:19|20)\d\d[a-z]?\b[^()\n]{0,20}\)")
_SELF_INTRO_AFTER = re.compile(r"\s+(?:here\b|from\s+the\s+\w+\s+group\b)")
_NEAR_PLACE_BEFORE = re.compile(r"\b(?i:at|in|near|outside|opposite)\s+(?:(?i:the)\s+)?$")


def _not_a_client(a: _Analysis, first: int, start: int, end: int) -> bool:
    """Volunteers and staff listed or described by their work; a name inside a
    place; a commenter introducing themself."""
    text = a.text
    if _STAFF_LIST_BEFORE.search(text, max(0, first - 120), first):
        return True
    if _ORG_WORK_AFTER.match(text, end):
        return True
    role = _ROLE_APPOSITIVE.match(text, end)
    if role and role.group(1).lower() not in _NOT_A_ROLE:
        return True
    # "General Hospital Marina", "Clinic Stanley": a capitalised place word before the name.
    prev = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if prev and prev.group(1)[:1].isupper() and prev.group(1).lower() in _PLACE_AFTER:
        return True
    # "(Nguyen, Okoro & Patel, Breastfeeding Medicine 2024)": an author list.
    if _CITE_LIST_BEFORE.search(text, max(0, first - 80), first) and _CITE_LIST_AFTER.match(
        text, end
    ):
        return True
    # "at the Sarova Stanley", "at Chris Hani Bara": a full name after "at" names a place.
    if (
        first > 0
        and text[first - 1] == " "
        and _NEAR_PLACE_BEFORE.search(text, max(0, first - 12), first)
    ):
        nxt = _WORD_AFTER.match(text, end, end + 40)
        if nxt and nxt.group(1)[:1].isupper():
            return True
        if text[max(0, first - 12) : first].lower().rstrip().endswith("the"):
            return True
    return a.direction == "inbound" and _SELF_INTRO_AFTER.match(text, end) is not None


#: "Grace, Tomasz and Nkechi, the volunteers who ...", "... to the Education Committee".
#: The list is bounded (ten more names): it is tried after every name, and an
#: unbounded one would walk a long list of names once per name.
_STAFF_APPOSITIVE = re.compile(
    r"(?:\s+[^\W\d_][\w'’-]*){0,2}(?:\s*(?:,|and|&)\s*[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}){0,10}\s*,?\s+"
    r"(?:(?i:to|on|onto|join(?:s|ing)?)\s+(?:the|our)\s+(?:[A-Z][\w-]*\s+){0,3}(?i:committee|board|team"
    r"|council|panel|trustees)|(?i:the|our|both|all|who\s+are|as)\s+(?:\w+\s+){0,2}(?i:volunteers?"
    r"|staff|team|speakers?|trustees?|organisers?|organizers?|committee|coordinators?|peer\s+supporters?"
    r"|midwives|ibclcs?|counsellors?|presenters?|officers?|moderators?))\b"
)
#: "the senior midwife on her placement ... called Pauline"
_STAFF_NOUN_BEFORE = re.compile(
    r"\b(?:midwife|nurse|doctor|consultant|colleague|volunteer|student|manager|officer"
    r"|paediatrician|pediatrician|gp|health\s+visitor|receptionist|matron|sister|registrar)\b"
    r"(?![^.!?]*\b(?:baby|mum|mom|mother|son|daughter|boy|girl|client|patient|family)\b)"
    r"[^.!?]{0,60}$",
    re.IGNORECASE,
)
#: "Lakshmi from my 2022 clients", "Ada, one of our mums"
_CLIENT_AFTER = re.compile(
    r"\s*,?\s*(?:from|one\s+of)\s+(?:my|our)\s+(?:[\w-]+\s+)?(?:clients|patients|mums|moms"
    r"|families|caseload)\b",
    re.IGNORECASE,
)
_TITLE_INITIAL = re.compile(r"\b(?:Mrs|Mr|Ms|Miss|Mx)\.?\s+[A-Z]\.?(?:(?=['’]s\b)|(?![\w'’]))")
_INITIALS_POSSESSIVE = re.compile(r"\b([A-Z]\.?[A-Z]\.?(?:[A-Z]\.?)?)[’']s\s+")
_NOT_INITIALS = frozenset(
    _words(
        """nhs gp gps who nct lll abm nicu scbu picu uk us usa eu ipala iblce unicef bfi hv mw
        ibclc lc clc cdc aap nice rcm rcn bbc itv tv a&e icu hdu ae pm am ok"""
    )
)
#: A surname, with the particles of many naming traditions: "Ó Briain", "Mac Giolla", "van Dijk".
_SURNAME = (
    r"(?:(?:Ó|Ní|Nic|Mac|Mc|Ua|O['’]|Van|van|Von|von|De|de|Da|da|Di|Du|Le|La|Al|El|al|el|Bin|bin"
    r"|Abu|Ben|dos|das)[ -]?)?[A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?"
)
_SURNAME_FAMILY = re.compile(
    rf"\b(?i:the)\s+({_SURNAME})\s+(?:family|household|twins|triplets|boys|girls|kids|children)\b"
    # "la famille Martin", "die Familie Weber", "la familia García", "pamilya Santos"
    rf"|\b(?i:la\s+|die\s+|a\s+|ang\s+)?(?i:famille|familie|familia|família|pamilya|famiglia)"
    rf"\s+({_SURNAME})"
    # "the Hendersons' wee boy", "the Okafors' twins"
    r"|\b(?i:the)\s+([A-Z][^\W\d_]+s)['’]\s+(?:(?:wee|little|new|baby|youngest|eldest|newborn)\s+)?"
    r"(?:boy|girl|baby|babe|son|daughter|twins|triplets|newborn|little\s+one|wee\s+one)\b"
)
_NOT_A_SURNAME = frozenset(
    _words(
        """royal whole entire extended new same other blended ipala lll nct big little young
        lovely amazing wonderful beautiful local english british irish welsh scottish first
        last next only whole baby foster adoptive military"""
    )
)
_ETHNIC_WORDS = frozenset(_CUES["f_ethnicity"])
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z][\w.]{2,29}[A-Za-z0-9_])")
_SPACE_TOKEN = re.compile(r"\S+")
_HANDLE_CUE = re.compile(
    r"(?i)\b(?:(?:great|lovely|nice|good|wonderful)\s+to\s+(?:meet|see)\s+you|see\s+you\s+and"
    r"|(?:meet|see|visit)\s+you\s+and\s+(?:the\s+)?(?:little|wee|baby)|having\s+me\s+(?:round|over)"
    r"|at\s+your\s+(?:place|house|home)|the\s+(?:little|wee)\s+one|your\s+(?:son|daughter|twins"
    r"|little\s+one)\s+(?:was|is|did))\b"
)
_CONSULT_WITH = re.compile(
    r"\b(?i:consult|consultation|home\s+visit|visit|session|appointment|call)\s+(?i:with)\s+"
    r"([A-Z][^\W\d_]+(?:\s+[A-Z][^\W\d_]+)?)"
)


def _more_people(a: _Analysis, add: Any) -> None:
    """Names the gazetteer cannot know: initials, surnames, handles, consult partners."""
    text = a.text
    if "Mr" in text or "Ms" in text or "Miss" in text or "Mx" in text:
        for m in _TITLE_INITIAL.finditer(text):
            add(m.start(), m.end(), 0.8, "title and initial")
    if "'s" in text or "’s" in text:
        for m in _INITIALS_POSSESSIVE.finditer(text):
            if m.group(1).replace(".", "").lower() in _NOT_INITIALS:
                continue
            after = m.end()
            if _CARE_AFTER_POSSESSIVE.match(text, after - 3) or any(
                after <= h.start <= after + 25 for h in a.health
            ):
                add(m.start(1), m.end(1), 0.75, "initials with a care detail")
    if " ji" in a.lower or "-san" in a.lower or " sahib" in a.lower:
        for m in _NAME_HONORIFIC_AFTER.finditer(text):
            if m.group(1).lower() not in _NOT_A_NAME:
                add(m.start(1), m.end(0), 0.75, "name with an honorific")
    if a.has("surname_kw") or "s' " in text or "s’ " in text:
        for m in _SURNAME_FAMILY.finditer(text):
            group = next(g for g in (1, 2, 3) if m.group(g))
            word = m.group(group).lower()
            if word in _NOT_A_SURNAME or word in _NOT_A_NAME or word in _PLACE_AFTER:
                continue
            if word in _ETHNIC_WORDS or word.endswith(("ian", "ean", "ese", "ish", "ani")):
                continue
            add(m.start(group), m.end(group), 0.75, "family surname")
    if "@" in text and a.direction == "outbound" and _HANDLE_CUE.search(text):
        for m in _HANDLE.finditer(text):
            add(m.start(), m.end(), 0.7, "handle of someone we cared for")
    if a.direction == "outbound" and a.has("consult_kw"):
        for m in _CONSULT_WITH.finditer(text):
            first = m.group(1).split()[0].lower()
            if first in _HONORIFICS or first in _NOT_A_NAME or first in _STAFF_WORDS:
                continue
            add(m.start(1), m.end(1), 0.75, "name of someone seen in a consult")


#: Honorifics written after the name: "Sharma ji", "Tanaka-san", "Singh sahib".
_NAME_HONORIFIC_AFTER = re.compile(
    r"\b([A-Z][a-z]+)(?:\s+(?:ji|jee|sahib|saheb)|-(?:san|sama|chan|kun))\b"
)
_CARE_AFTER_POSSESSIVE_ANY = re.compile(
    r"[’']s\s+(?:latch|latching|feeds?|feeding|weight|tongue|tie|frenotomy|nappy|nappies|diapers?"
    r"|reflux|jaundice|bilirubin|birth|mum|mom|dad|suck|jaw|supply)\b"
)


class PersonNameDetector(Detector):
    """Names of people who could be clients, patients, infants or their family."""

    name = "privacy.person"
    categories = frozenset({"privacy.person"})
    summary = "Names of clients, infants or family members (gazetteer plus context)."

    def __init__(self, **params: Any) -> None:
        p = take_params(
            self.name,
            params,
            {"allow": (list, tuple), "allow_signature": bool, "spacy_model": str},
        )
        self.allow = frozenset(str(n).lower() for n in p.get("allow", ()))
        self.allow_signature: bool = p.get("allow_signature", True)
        self._nlp = _load_spacy(p["spacy_model"]) if "spacy_model" in p else None

    def detect(self, doc: Document) -> list[Hit]:
        a = _analyse(doc)
        if not self.allow and self.allow_signature:
            people = a.people
        else:
            people = _find_people(a, self.allow, self.allow_signature)
        hits = [_hit("privacy.person", a.text, s, e, sc, note) for s, e, sc, note in people]
        if self._nlp is not None:
            hits = _add_entities(hits, self._nlp(a.text), a.text, self.allow)
        return hits


def _load_spacy(model: str) -> Any:
    """An optional NER backend: a spaCy pipeline the user installed (name or path).

    Nothing is downloaded: a model that is not installed is a configuration
    error, reported when the pack loads.
    """
    try:
        import spacy
    except ImportError:
        raise DetectorConfigError(
            "detector 'privacy.person': spacy_model needs spaCy (pip install 'postguard[spacy]')"
        ) from None
    try:
        return spacy.load(model)
    except OSError:
        raise DetectorConfigError(
            f"detector 'privacy.person': spaCy model {model!r} is not installed"
        ) from None


def _add_entities(hits: list[Hit], parsed: Any, text: str, allow: frozenset[str]) -> list[Hit]:
    """Add PERSON entities the gazetteer missed; the gazetteer's hits win overlaps."""
    taken = [(h.start or 0, h.end or 0) for h in hits]
    for ent in parsed.ents:
        if ent.label_ != "PERSON" or ent.text.lower() in allow:
            continue
        if any(ent.start_char < e and s < ent.end_char for s, e in taken):
            continue
        hits.append(_hit("privacy.person", text, ent.start_char, ent.end_char, 0.6, "spaCy entity"))
        taken.append((ent.start_char, ent.end_char))
    return sorted(hits, key=lambda h: h.start or 0)


# --------------------------------------------------------------------------
# Contact details
# --------------------------------------------------------------------------

_ORG_CONTACT_BEFORE = re.compile(
    r"\b(?:help\s*line|hotline|call\s+us|ring\s+us|phone\s+us|text\s+us|whats\s*app\s+us"
    r"|message\s+us|reach\s+us|contact\s+us|email\s+us|e-mail\s+us|write\s+to\s+us|our\s+office"
    r"|our\s+line|our\s+number|our\s+phone|our\s+(?:main\s+)?(?:email|inbox|address|team)"
    r"|reception|info(?:rmation)?\s+line|support\s+line|advice\s+line|freephone|free\s+phone"
    r"|toll[-\s]free|national\s+\w+\s+line|enquiries|inquiries|switchboard|bookings?"
    r"|registration|membership\s+(?:team|line|secretary)|office\s+hours|lines\s+are\s+open"
    r"|get\s+in\s+touch|press\s+office|newsroom|the\s+office|head\s+office"
    r"|our\s+(?:\w+\s+)?desk|(?:desk|work|office|direct)\s+(?:line|number|phone)"
    r"|informal\s+(?:chat|enquiries|inquiries|discussion)"
    # an organisation's own line: "the clinic's direct line is ..."
    r"|(?:clinic|hospital|service|centre|center|practice|office|unit|ward|charity|group"
    r"|helpline|association|team|surgery|pharmacy)['’]s\s+(?:\w+\s+)?"
    r"(?:line|number|phone|e-?mail|address|inbox))\b[^.!?\n]{0,40}$",
    re.IGNORECASE,
)
#: Anywhere in what the organisation writes: "our helpline ... or text ... WhatsApp: ..."
#: lists the organisation's lines, each of them, however far from the cue.
_ORG_CONTACT_IN_TEXT = re.compile(
    r"\b(?:our\s+(?:help\s*line|hotline|office|line|lines|number|numbers|(?:\w+\s+)?desk"
    r"|press\s+office|switchboard))\b",
    re.IGNORECASE,
)
#: A journalist or researcher writing from work: their contact is a work contact.
_PRESS_SELF = re.compile(
    r"\b(?:i['’]?m|i\s+am|this\s+is)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}"
    r"(?:reporter|journalist|producer|editor|correspondent|researcher)\b",
    re.IGNORECASE,
)
_ORG_CONTACT_AFTER = re.compile(
    r"[^.!?\n]{0,30}\b(?:lines?\s+(?:are\s+)?open|(?:is|are)\s+open|free\s+to\s+call|\(free\)"
    r"|9\s*am|10\s*am|mon(?:day)?\s*[-–]\s*fri(?:day)?|24/7|24\s+hours)",
    re.IGNORECASE,
)
_PHONE_CUE = re.compile(
    r"\b(?:call|ring|phone|tel|telephone|mobile|mob|cell|text|whatsapp|number|no\.?|contact"
    r"|reach|on)\b[^.!?\n]{0,25}$",
    re.IGNORECASE,
)
_ID_CUE_BEFORE = re.compile(
    r"\b(?:mrn|nhs|chi|ohip|record|hospital\s+(?:no|number|id)|patient|chart|case|ref(?:erence)?"
    r"|medicaid|medicare|insurance|policy|member\s+id|ssn|social\s+security|aadhaar|pps|id)\b"
    r"[^!?\n]{0,20}$",
    re.IGNORECASE,
)


_SELF_CONTACT_BEFORE = re.compile(
    r"\b(?:(?:call|ring|text|phone|whats\s*app|reach|email|e-mail|contact)\s+me"
    r"|book\s+(?:in\s+)?with\s+me)\b"
    r"(?:[^.!?\n]{0,40}|\s+(?:at|on)\s+\S+\s+or\s+(?:call|ring|text|phone|whats\s*app)\s+(?:me\s+)?(?:on\s+)?)$",
    re.IGNORECASE,
)
#: "we have you down as ...", "her number is ...": the number is someone's own.
_PERSONAL_CONTACT_BEFORE = re.compile(
    r"\b(?:have\s+you\s+down\s+as|details\s+as|(?:call|ring|text|reach|contact)(?:ed)?\s+you"
    r"\s+(?:on|at)|your\s+(?:number|mobile|phone|email)|(?:her|his"
    r"|their)\s+(?:number|mobile|phone|email|cell)|[’']s\s+(?:number|mobile|phone|email|cell))\b"
    r"[^.!?\n]{0,20}$",
    re.IGNORECASE,
)


#: Non-geographic service numbers (UK 03xx/080x/084x/087x, AU 1300/1800, US toll-free):
#: organisations, not people.
_SERVICE_NUMBER = re.compile(
    r"(?:\+44\s?|0)(?:3\d\d|80[08]|84[345]|87[01])[\s-]?\d|1[38]00[\s-]?\d"
    r"|(?:\+?1[\s.-]?)?\(?8(?:00|88|77|66|55|44|33)\)?[\s.-]?\d"
)


def _is_org_contact(
    text: str, start: int, end: int, outbound: bool = True, own_is_work: bool | None = None
) -> bool:
    if _PERSONAL_CONTACT_BEFORE.search(text, max(0, start - 50), start):
        return False
    if outbound and _SERVICE_NUMBER.match(text, start):
        return True
    if _ORG_CONTACT_BEFORE.search(text, max(0, start - 80), start):
        return True
    if outbound and _ORG_CONTACT_IN_TEXT.search(text):
        return True
    if _PRESS_SELF.search(text):
        return True
    # Our own number in what we write; a commenter's own number is theirs to lose.
    if (outbound if own_is_work is None else own_is_work) and _SELF_CONTACT_BEFORE.search(
        text, max(0, start - 90), start
    ):
        return True
    return _ORG_CONTACT_AFTER.match(text, end, end + 50) is not None


class PhoneDetector(Detector):
    """Phone numbers in international and national formats, except organisation lines."""

    name = "privacy.phone"
    categories = frozenset({"privacy.phone"})
    summary = "Personal phone numbers (organisation helplines and offices are not flagged)."

    def __init__(self, **params: Any) -> None:
        p = take_params(self.name, params, {"exclude_org_contact": bool})
        self.exclude_org_contact: bool = p.get("exclude_org_contact", True)

    def detect(self, doc: Document) -> list[Hit]:
        text = doc.text
        hits: list[Hit] = []
        # The entity layer's phones: every region's numbering plan, obfuscated
        # digits seen through, DOIs, dates and prices vetoed, ids preferred.
        for start, end in _entity_spans(doc, "phone"):
            if _ID_CUE_BEFORE.search(text, max(0, start - 40), start):
                continue
            if self.exclude_org_contact and _is_org_contact(
                text, start, end, doc.context.direction == "outbound"
            ):
                continue
            hits.append(_hit("privacy.phone", text, start, end, 0.9, "phone number"))
        return hits


_ROLE_LOCALPARTS = frozenset(
    _words(
        """info contact hello admin office enquiries enquiry inquiries inquiry membership members
        press media support help events noreply no-reply donotreply do-not-reply team mail
        general secretary chair committee newsletter news bookings booking reception helpline
        comms communications marketing volunteer volunteers training education conference
        webmaster feedback complaints accounts finance partnerships social socialmedia
        volunteering careers jobs recruitment hr shop orders sales privacy dpo safeguarding
        research editor studyday stories story submissions letters appeals fundraising
        donations campaigns"""
    )
)
_ROLE_PREFIXES = tuple(r for r in _ROLE_LOCALPARTS if len(r) >= 6)


class EmailDetector(Detector):
    """Email addresses of people, except role and organisation addresses."""

    name = "privacy.email"
    categories = frozenset({"privacy.email"})
    summary = "Personal email addresses (info@, help@ and 'email us at' are not flagged)."

    def __init__(self, **params: Any) -> None:
        p = take_params(self.name, params, {"exclude_org_contact": bool})
        self.exclude_org_contact: bool = p.get("exclude_org_contact", True)

    def detect(self, doc: Document) -> list[Hit]:
        text = doc.text
        if "@" not in text:
            return []
        hits: list[Hit] = []
        for start, end in _entity_spans(doc, "email"):
            if self.exclude_org_contact and is_org_contact(
                "email", text, start, end, doc.context.direction == "outbound"
            ):
                continue
            hits.append(_hit("privacy.email", text, start, end, 0.95, "email address"))
        return hits


def _entity_spans(doc: Document, kind: str) -> list[tuple[int, int]]:
    """Spans of the entity layer's ``kind`` entities in ``doc`` (computed once per document)."""
    return [(e.start, e.end) for e in document_entities(doc) if e.type == kind]


def _role_address(local: str) -> bool:
    local = local.lower()
    return (
        local in _ROLE_LOCALPARTS
        or local.split(".")[0] in _ROLE_LOCALPARTS
        or local.startswith(_ROLE_PREFIXES)
    )


_STREET_TYPES = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Cl|Court|Ct|Crescent|Cres|Place|Pl"
    r"|Way|Terrace|Tce|Grove|Gardens|Gdns|Boulevard|Blvd|Row|Square|Sq|Mews|Parade|Walk|View"
    r"|Rise|Hill|Green|Park|Circle|Cir|Highway|Hwy|Parkway|Pkwy|Trail|Loop|Crossing)"
)
_ADDRESS_PATTERNS: tuple[re.Pattern[str], ...] = (
    # house number + street name + street type: "14 Acacia Avenue", "14 acacia avenue"
    re.compile(
        rf"(?=\d)(?<!\w)(?:\d{{1,5}}[A-Za-z]?,?\s+(?:[A-Z][a-z'’]+\s+){{1,3}}{_STREET_TYPES}\b"
        r"|(?!(?:19|20)\d\d\b)\d{1,5}[a-z]?\s+"
        r"(?!(?:the|a|an|down|up|minutes?|mins?|miles?|km|hours?|times?)\b)"
        r"[a-z]{3,}\s+(?:street|road|avenue|lane|drive|close|crescent|terrace|grove|gardens)\b)"
    ),
    # UK postcode "SW1A 1AA"; Canadian "H2X 1Y4"; Australian "VIC 3121"; US "TX 78701"
    re.compile(
        r"\b(?=[A-Z])(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d"
        r"|(?:NSW|VIC|QLD|TAS|ACT)\s+\d{4}"
        r"|(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE"
        r"|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC)\s+\d{5}"
        r"(?:-\d{4})?)\b"
    ),
    # "12 Rue des Lilas", "5 Ngong Lane"
    re.compile(
        r"\b\d{1,5}[A-Za-z]?,?\s+(?:Rue|Avenida|Calle|Via|Chemin|Boulevard|Avenue)\s+"
        r"(?:[a-zé]{1,3}\s+)?[A-Z][a-zé'’]+"
    ),
    # flats and apartments: "flat 3", "apt 4B"
    re.compile(r"\b(?:[Ff]lat|FLAT|[Aa]pt\.?|APT|[Aa]partment)\s*#?\s?\d{1,4}[A-Za-z]?\b"),
)
_FOREIGN_STREET_KEYS = ("rue ", "avenida", "calle", "via ", "chemin", "boulevard", "avenue")
_LIVES_ON = re.compile(
    r"\b(?:lives?|living|moved|stays?|staying)\s+(?:on|at|in)\s+(?:[A-Z][a-z'’]+\s+){1,3}"
    rf"{_STREET_TYPES}\b"
)
_VENUE_BEFORE = re.compile(
    r"\b(?:venue|our\s+(?:clinic|office|centre|center|premises|hq|headquarters|base|hub|group"
    r"|caf[eé]|drop[-\s]in|meeting|address)|visit\s+us|held\s+at|hosted\s+at|takes?\s+place"
    r"|taking\s+place|location\s*:|address\s*:|where\s*:|conference|drop[-\s]in|join\s+us"
    r"|meet\s+(?:us|at)|find\s+us|come\s+(?:along|to|and)|clinic\s+(?:at|is\s+at)|group\s+at"
    r"|sessions?\s+at|caf[eé]\s+at|runs?\s+at|running\s+at|open\s+at|based\s+at|new\s+premises"
    r"|event|workshop|meeting|training|library|community\s+(?:centre|center|hall)|church\s+hall"
    r"|registered\s+office|charity|send\s+(?:it|them|donations)\s+to|post\s+(?:it|them)\s+to"
    r"|write\s+to\s+us|every\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b[^.!?\n]{0,110}$",
    re.IGNORECASE,
)
_VENUE_AFTER = re.compile(
    r"[^.!?\n]{0,60}\b(?:no\s+appointment|all\s+welcome|everyone\s+welcome|tickets|book\s+(?:now"
    r"|your\s+place)|free\s+parking|parking|step-free|wheelchair\s+access)",
    re.IGNORECASE,
)


class AddressDetector(Detector):
    """Postal addresses, except published venue and clinic addresses."""

    name = "privacy.address"
    categories = frozenset({"privacy.address"})
    summary = "Postal addresses of people (event venues and 'our clinic at' are not flagged)."

    def __init__(self, **params: Any) -> None:
        p = take_params(self.name, params, {"exclude_org_contact": bool})
        self.exclude_org_contact: bool = p.get("exclude_org_contact", True)

    def detect(self, doc: Document) -> list[Hit]:
        a = _analyse(doc)
        text = a.text
        spans: list[tuple[int, int]] = []
        if a.has_digit:
            lower = a.lower
            street, codes, foreign, flat = _ADDRESS_PATTERNS
            spans.extend(m.span() for m in street.finditer(text))
            spans.extend(m.span() for m in codes.finditer(text))
            if any(w in lower for w in _FOREIGN_STREET_KEYS):
                spans.extend(m.span() for m in foreign.finditer(text))
            if "flat" in lower or "apt" in lower or "apartment" in lower:
                spans.extend(m.span() for m in flat.finditer(text))
        if "liv" in a.lower or "mov" in a.lower or "stay" in a.lower:
            spans.extend(m.span() for m in _LIVES_ON.finditer(text))
        hits: list[Hit] = []
        for start, end in _address_blocks(text, spans):
            if self.exclude_org_contact and (
                _VENUE_BEFORE.search(text, max(0, start - 160), start)
                or _VENUE_AFTER.match(text, end)
                or _is_org_contact(text, start, end)
            ):
                continue
            hits.append(_hit("privacy.address", text, start, end, 0.85, "postal address"))
        return hits


def _address_blocks(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join the parts of one address ("14 Elm Road, Leeds LS1 4AP") into one block."""
    blocks: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if blocks:
            ps, pe = blocks[-1]
            gap = text[pe:s]
            if s <= pe or (len(gap) <= 40 and not any(c in gap for c in ".!?\n")):
                blocks[-1] = (ps, max(pe, e))
                continue
        blocks.append((s, e))
    return blocks


# --------------------------------------------------------------------------
# Birth dates, ages
# --------------------------------------------------------------------------

_BIRTH_DATE = re.compile(
    rf"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|birthday)\s*(?:is|was|:|-|=)?\s*"
    rf"(?:{_DATE_RE}|\d{{1,2}}/\d{{1,2}})"
    r"|\bdob\b"
    r"|(?<![\w-])(?:born|arrived|delivered|came\s+into\s+the\s+world|gave\s+birth|birthed"
    r"|went\s+into\s+labou?r|welcomed\s+(?:their|her|his|a|baby)(?:\s+\w+){0,2}?\s+(?:baby"
    r"|son|daughter|boy|girl|twins|triplets))\s+"
    r"(?:(?:at|in|on)\s+(?:the\s+)?[\w'’]+(?:\s+[\w'’()]+){0,7}?\s*\(?(?=(?:on|last|this"
    r"|yesterday|today)\b|\d{1,2}(?:st|nd|rd|th)?\s+[a-z]{3}))?"
    rf"(?:(?:on\s+|at\s+|in\s+the\s+)?(?:{_DATE_RE}|{_RELDAY_RE}|{_TIME_RE})"
    rf"(?:\s*(?:,|at|on|by|via|in|after)?\s*(?:{_TIME_RE}|{_GEST_RE}|{_DATE_RE}|{_RELDAY_RE}))*)"
    rf"|\bdue\s+(?:date\s+(?:is|was|of)\s+|on\s+)(?:{_DATE_RE})"
)


class BirthDateDetector(Detector):
    """Dates of birth and birth details ("born on 3 April at 3:42am", "DOB 3/4/25")."""

    name = "privacy.date"
    categories = frozenset({"privacy.date"})
    summary = "Dates of birth and birth times of a person."

    def __init__(self, **params: Any) -> None:
        take_params(self.name, params, {})

    def detect(self, doc: Document) -> list[Hit]:
        a = _analyse(doc)
        if not a.has("birth"):
            return []
        text = a.text
        hits: list[Hit] = []
        for m in _BIRTH_DATE.finditer(a.lower):
            start, end = m.span()
            while end > start and text[end - 1] in " ,":
                end -= 1
            hits.append(_hit("privacy.date", text, start, end, 0.85, "birth date or time"))
        return hits


_NUM_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty)(?:[- ][a-z]+)?"
)
_AGE_OLD = re.compile(
    rf"(?:\b(my|her|his|their|our|this|that|a|an|the|your)\s+)?\b(?:\d{{1,2}}|{_NUM_WORDS})"
    r"[- ](?:year|yr|month|mth|week|wk|day|hour|hr)s?[- ]old\b"
)
#: "my client (23)", "mum (19)"
_AGE_PAREN = re.compile(
    r"\b(?:client|patient|mum|mom|mother|dad|father|she|he|girl|woman|lady)\s*\(\s*(?:1[3-9]|[2-5]\d)"
    r"\s*\)"
)
_AGE_YO = re.compile(r"\b\d{1,2}\s?yo\b")
_AGE_PERSON_AFTER = re.compile(
    r"\s+(?:client|patient|mum|mom|mother|dad|father|son|daughter|baby|girl|boy|twins|triplets"
    r"|lady|woman|first-time|first\s+time|primip|multip)"
)
_AGE_SHE_IS = re.compile(
    r"\b(?:she|he)(?:'s|’s|\s+is|\s+was|\s+turned|\s+turns|\s+will\s+be)\s+(?:only\s+|just\s+"
    r"|now\s+|nearly\s+|almost\s+)?\d{1,2}\b(?!\s*(?:%|percent|kg|g|lbs?|ml|oz|cm|mm|mg"
    r"|minutes|mins|hours|hrs|times|feeds|nappies|of|:|\.\d|/|-"
    r"|(?:weeks?|days?|months?)\s+(?:postpartum|post-partum|pp|postnatal|pregnant|post-op)))"
    r"(?:\s*(?:years?|yrs?|weeks?|days?|months?)(?:\s+old)?)?"
)
_AGE_AGED = re.compile(
    r"\baged?\s+\d{1,2}\b(?!\s*(?:[-–]|to\s+\d|and\s+(?:over|under|up|above|below|older|younger)"
    r"|or\s+(?:over|under|older|younger)|\+|months?\s+(?:and|to|[-–])))"
    r"(?:\s*(?:years?|weeks?|days?|months?))?"
)
_AGE_MUM_OF = re.compile(
    r"\b(?:a|the|this)\s+(?:mum|mom|mother|dad|father)\s+of\s+(?:1[4-9]|[2-5]\d)\b"
    r"(?!\s*(?:kids|children|babies))"
)
_AGE_DECADE = re.compile(
    r"\b(?:in\s+)?(?:her|his)\s+(?:early\s+|mid\s+|mid-|late\s+)?(?:teens|twenties|thirties"
    r"|forties|fifties|[1-5]0s)\b"
)
_GROUP_BEFORE_AGE = re.compile(
    r"\b(?:babies|infants|children|kids|toddlers|mothers|mums|moms|women|parents|people|those"
    r"|anyone|families|girls|boys|teens|adults|patients|clients|members|under|over|from|until"
    r"|till|up\s+to|between|by|at|around|about|before|after|most|all|every)\s*$"
)


class AgeDetector(Detector):
    """An age tied to a specific person ("my 19-year-old client", "she's 42")."""

    name = "privacy.age"
    categories = frozenset({"privacy.age"})
    summary = "Ages of specific people (not age groups in general advice)."

    def __init__(self, **params: Any) -> None:
        take_params(self.name, params, {})

    def detect(self, doc: Document) -> list[Hit]:
        a = _analyse(doc)
        if not a.has("age") and not (a.has_digit and ("yo" in a.lower or "(" in a.lower)):
            return []
        text, lower = a.text, a.lower
        spans: list[tuple[int, int]] = []
        if "old" in lower:
            for m in _AGE_OLD.finditer(lower):
                det = m.group(1) or ""
                if a.direction == "inbound" and det not in ("her", "his", "their"):
                    # A parent giving their own baby's age to ask for help.
                    continue
                if det in ("a", "an", "the", "your", ""):
                    person_after = _AGE_PERSON_AFTER.match(lower, m.end()) is not None
                    generic = a.sentence_of(m.start()) in a.generic_sentences
                    opens = det == "" and a.sentence_span(m.start())[0] == m.start()
                    if (not person_after or generic) and not (opens and a.direction == "outbound"):
                        if not a.tied(m.start()) or det == "your":
                            continue
                    elif not (a.tied(m.start()) or "narrative" in a.cues):
                        continue
                    if det == "your" and a.kind == "post":
                        continue
                spans.append(m.span())
        if a.has_digit:
            spans.extend(m.span() for m in _AGE_YO.finditer(lower))
            she_is = a.direction == "outbound" and ("she" in lower or "he" in lower)
            for m in _AGE_SHE_IS.finditer(lower) if she_is else ():
                s, _ = a.sentence_span(m.start())
                if lower[s : m.start()].rstrip().endswith(("if", "when", "until", "once")):
                    continue
                spans.append(m.span())
            for m in _AGE_AGED.finditer(lower) if "age" in lower else ():
                if _GROUP_BEFORE_AGE.search(lower, max(0, m.start() - 30), m.start()):
                    continue
                if not a.tied(m.start()) and a.sentence_of(m.start()) in a.generic_sentences:
                    continue
                spans.append(m.span())
            if " of " in lower:
                spans.extend(m.span() for m in _AGE_MUM_OF.finditer(lower))
            if "(" in lower and a.direction == "outbound":
                spans.extend(m.span() for m in _AGE_PAREN.finditer(lower))
        decade = "her " in lower or "his " in lower
        for m in _AGE_DECADE.finditer(lower) if decade else ():
            if a.tied(m.start()):
                spans.append(m.span())
        return [
            _hit("privacy.age", text, s, e, 0.8, "age of a person") for s, e in _merge_spans(spans)
        ]


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


# --------------------------------------------------------------------------
# Places of care
# --------------------------------------------------------------------------

_FACILITY = (
    r"(?:(?:St\.?|Saint)\s+[A-Z][a-z'’]+(?:[’']s)?(?:\s+[A-Z][a-z'’]+){0,3}"
    r"|(?:[A-Z][a-z'’]+\s+){1,4}(?:Hospital|Infirmary|Medical\s+Cent(?:re|er)"
    r"|Health\s+Cent(?:re|er)|Birth(?:ing)?\s+(?:Cent(?:re|er)|Suite|Unit)|Maternity(?:\s+Unit)?"
    r"|Clinic|General|Memorial|Wing|Cent(?:re|er))\b"
    r"|(?:Royal|General|County|University|Memorial|Princess|Queen|King's)\s+[A-Z][a-z'’]+"
    r"(?:\s+[A-Z][a-z'’]+){0,3})"
)
_ROOM = (
    r"(?i:ward|room|rm|bed|bay|cot|incubator|pod|side\s+room|cubicle|nursery|suite)\s*#?\s?"
    r"(?:\d{1,3}[A-Za-z]?|[A-Z]\d?)\b"
)
_UNIT = (
    r"(?i:nicu|scbu|picu|neonatal\s+(?:unit|intensive\s+care)|special\s+care(?:\s+baby\s+unit)?"
    r"|maternity\s+(?:unit|ward)|postnatal\s+ward|post-natal\s+ward|labou?r\s+ward"
    r"|delivery\s+suite|birth(?:ing)?\s+(?:centre|center|unit)|transitional\s+care|a&e"
    r"|emergency\s+department|children's\s+ward|paediatric\s+ward|pediatric\s+ward"
    r"|antenatal\s+ward|birth(?:ing)?\s+suite|high[- ]dependency(?:\s+(?:room|unit))?"
    r"|(?-i:(?:[A-Z][a-z'’]+\s+){1,2}(?:Ward|Wing|Suite)))"
)
_ON = r"(?i:on|of|in|at)\s+(?i:the\s+)?"
_CAPS = r"[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+){0,3}"
_CARE_LOCATION = re.compile(
    # "St Mary's ward 4", "room 12 on the maternity unit", "bay 3 of the NICU at Royal Infirmary"
    rf"(?<![\w'’])(?=[A-Za-z])(?:{_FACILITY}[’']?s?,?\s+(?:[^.!?\n]{{0,25}}?\s)?(?:{_ROOM}|{_UNIT})(?:,?\s+{_ROOM})?"
    rf"|{_ROOM}(?:\s*,?\s*{_ON}(?:(?:{_CAPS}\s+)?{_UNIT}|{_FACILITY}))"
    rf"(?:,?\s+{_ROOM})?(?:\s+{_ON}{_FACILITY})?"
    rf"|{_UNIT}\s+{_ON}(?:{_FACILITY}|{_CAPS})(?:,?\s+{_ROOM})?"
    rf"|{_UNIT}\s*,?\s*{_ROOM})"
)
#: "born ... at Royal Infirmary", "had IVF twins at the Portland"
_BORN_AT = re.compile(
    rf"(?<![\w'’])(?i:born|delivered|admitted|transferred|discharged|birthed|gave\s+birth|welcomed"
    rf"|had\s+(?:her|their|a|the)?\s*(?:\w+\s+)?(?:baby|twins|triplets|son|daughter))\b"
    rf"[^.!?\n]{{0,40}}?\b(?i:at|in|to|from)\s+(?:(?i:the\s+)?{_FACILITY}"
    r"|(?i:the)\s+(?!(?:NICU|SCBU|NHS|A&E)\b)[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+){0,2})"
)
_BORN_KEYS = re.compile(
    r"born|deliver|admit|transfer|discharg|birthed|gave\s+birth"
    r"|(?:welcomed|had)\s[^.!?]{0,30}\b(?:baby|twins|triplets|son|daughter)"
)
#: "bay 4", "pod C", "room 2": a numbered place in a sentence about someone.
_ROOM_BARE = re.compile(_ROOM)
#: "the family in the end bay", "the mum in the high-dependency room"
_PERSON_IN_ROOM = re.compile(
    r"\b(?:mum|mom|mother|family|couple|lady|woman|baby|twins|parents|whānau|whanau|client"
    r"|patient|dad)\s+(?:in|on)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}(?:room|bay|suite|cubicle|pod"
    r"|side\s+room|incubator|cot)\b",
    re.IGNORECASE,
)
#: "the Truro neonatal unit"
_TOWN_BEFORE = re.compile(r"\b(?i:the)\s+[A-Z][a-z'’]+\s+$")
_UNIT_AT = re.compile(_UNIT)
_SOMEONE = re.compile(
    r"\b(?:she|he|her|his|baby|mum|mom|mother|family|couple|twins|triplets|client|patient|i'm"
    r"|i\s+am|we're|you're|you|son|daughter|newborn|whānau|whanau|parents|lady|woman)\b",
    re.IGNORECASE,
)
_FACILITY_ONLY = re.compile(_FACILITY)
_CAPS_PLACE = re.compile(r"(?<=\bat\s)[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+){1,3}")
_PERSON_FROM_TOWN = re.compile(
    r"(?i:\b(?:a|an|one|this|that|the|my|our)\s+(?:young\s+|first-time\s+|new\s+|local\s+"
    r"|single\s+|teen(?:age)?\s+|lovely\s+)?(?:mum|mom|mother|mama|dad|father|family|couple|woman"
    r"|lady|client|patient|parent|girl|teen|baby|newborn|grandmother|grandma)\s+(?:who\s+lives\s+in"
    r"|living\s+in|from|in|of|near|out\s+in|up\s+in|at)\s+)"
    r"((?:[A-Z][a-z'’]+|[A-Z]{2,})(?:[ -](?:on|upon|le|by|under|in|the|[A-Z][a-z'’]+)){0,3}"
    r"|(?i:the)\s+[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+){0,2}\s+(?i:clinic|hospital|group|centre"
    r"|center|unit|ward|practice|surgery|maternity))"
)
_NOT_A_TOWN = frozenset(
    _words(
        """facebook instagram twitter tiktok whatsapp zoom the our my a an nicu scbu ibclc nhs
        clinic hospital group week labour labor a&e covid christmas easter ramadan"""
    )
    + _MONTHS
    + _WEEKDAYS
)
_PERSON_AT_FACILITY = re.compile(
    r"\b(?:she|he|they|baby|mum|mom|her\s+baby|his\s+baby|client|patient|family|twins|triplets"
    r"|quads|i|we|i'm|i’m|you|caller|wife|husband|partner|son|daughter|newborn)\b"
    r"[^!?\n]{0,50}\b(?:at|in|to|from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_ORG_VENUE_BEFORE = re.compile(
    r"\b(?:our\s+(?:clinic|office|group|caf[eé]|drop[-\s]in|team|service|base)|venue|held\s+at"
    r"|hosted\s+(?:at|by)|join\s+us|visit\s+us|conference|workshop|training|event|session"
    r"|drop[-\s]in|welcome\s+to|congratulations\s+to|well\s+done|proud|award|accreditation"
    r"|baby\s+friendly|partnership|thank(?:s|\s+you)\s+to|team\s+at|staff\s+at|colleagues\s+at"
    r"|works?\s+at|working\s+at)\b[^.!?\n]{0,60}$",
    re.IGNORECASE,
)


def _person_sentences(a: _Analysis) -> set[int]:
    """Sentences that mention a particular person (a baby, a mum, twins ...).

    UNICEF's "Baby Friendly" accreditation names units, not babies.
    """
    lower = a.lower
    return {
        a.sentence_of(p)
        for p, _ in a.cues.get("anchor", ())
        if not lower.startswith("baby friendly", p)
        and not lower.endswith(("every ", "each ", "all ", "any "), max(0, p - 6), p)
    }


class CareLocationDetector(Detector):
    """Places of care tied to a patient: named wards, rooms, bays, NICUs; home towns."""

    name = "privacy.location"
    categories = frozenset({"privacy.location"})
    summary = "Where a particular person is or was cared for, or the town they live in."

    def __init__(self, **params: Any) -> None:
        take_params(self.name, params, {})

    def detect(self, doc: Document) -> list[Hit]:
        return list(_analyse(doc).care_locations)


def _find_care_locations(a: _Analysis) -> list[Hit]:
    """Places of care tied to a person: named wards, rooms, bays, NICUs; home towns."""
    text = a.text
    found: list[tuple[int, int, float, str]] = []
    lower = a.lower
    patterns: list[re.Pattern[str]] = []
    if a.has("room"):
        patterns.append(_CARE_LOCATION)
    if _BORN_KEYS.search(lower):
        patterns.append(_BORN_AT)
    for rx in patterns:
        for m in rx.finditer(text):
            if _ORG_VENUE_BEFORE.search(text, max(0, m.start() - 80), m.start()):
                continue
            # "ward 4" or "room 12" points at one bed; an unnumbered unit
            # ("St Mary's maternity unit") only matters in a story about someone.
            numbered = any(ch.isdigit() for ch in m.group(0))
            if not numbered and not (
                a.sentence_of(m.start()) in a.tie_sentences
                or a.sentence_of(m.start()) in a.person_sentences
                or _PERSON_AT_FACILITY.search(text, max(0, m.start() - 70), m.start())
            ):
                continue
            found.append((m.start(), m.end(), 0.85, "ward, room or unit of a place of care"))
    if a.has("facility"):
        for m in _FACILITY_ONLY.finditer(text):
            i = a.sentence_of(m.start())
            if not (
                _PERSON_AT_FACILITY.search(text, max(0, m.start() - 70), m.start())
                or (i in a._sentences_with("tie1") and i in a.person_sentences)
            ):
                continue
            if _ORG_VENUE_BEFORE.search(text, max(0, m.start() - 80), m.start()):
                continue
            found.append((m.start(), m.end(), 0.7, "named place of care of a person"))
    # "the conjoined twins at Great Ormond Street": a multi-word place in a
    # sentence about someone's care.
    if a.health and " at " in text:
        health_sents = {a.sentence_of(h.start) for h in a.health}
        for m in _CAPS_PLACE.finditer(text):
            if a.sentence_of(m.start()) not in health_sents:
                continue
            if not _PERSON_AT_FACILITY.search(text, max(0, m.start() - 70), m.start()):
                continue
            if _ORG_VENUE_BEFORE.search(text, max(0, m.start() - 80), m.start()):
                continue
            found.append((m.start(), m.end(), 0.6, "named place in a care story"))
    for start, _end in a.cues.get("room", ()):
        # "the Truro neonatal unit": a town's unit in a story about someone.
        if start < 5 or not text[start - 1].isspace():
            continue
        before = _TOWN_BEFORE.search(text, max(0, start - 30), start)
        if before is None:
            continue
        unit = _UNIT_AT.match(text, start)
        if unit is None:
            continue
        i = a.sentence_of(start)
        if (i in a.tie_sentences or i in a.person_sentences) and not _ORG_VENUE_BEFORE.search(
            text, max(0, before.start() - 80), before.start()
        ):
            found.append((before.start(), unit.end(), 0.8, "unit of a place of care"))
    for start, _end in a.cues.get("berth", ()):
        room = _ROOM_BARE.match(text, start) or _PERSON_IN_ROOM.search(
            text, max(0, start - 50), _end
        )
        if room is None:
            continue
        if not a.sentence_has(_SOMEONE, room.start()):
            continue
        if _ORG_VENUE_BEFORE.search(text, max(0, room.start() - 80), room.start()):
            continue
        if _VENUE_BEFORE.search(text, max(0, room.start() - 80), room.start()):
            continue
        found.append((room.start(), room.end(), 0.7, "room, bay or bed of a person"))
    if a.has("from_town"):
        for m in _PERSON_FROM_TOWN.finditer(text):
            town = m.group(1)
            first_word = town.split()[1] if town[:4].lower() == "the " else town.split()[0]
            if first_word.lower() in _NOT_A_TOWN or town.lower() in GIVEN_NAMES:
                continue
            found.append((m.start(), m.end(1), 0.75, "home town of a person"))
    hits: list[Hit] = []
    last_end = -1
    for start, end, score, note in sorted(found, key=lambda f: (f[0], -f[1])):
        if start < last_end:
            continue
        last_end = end
        hits.append(_hit("privacy.location", text, start, end, score, note))
    return hits


# --------------------------------------------------------------------------
# Identifying numbers
# --------------------------------------------------------------------------

_ID_NUMBER = re.compile(
    r"\b(?:mrn|m\.r\.n\.?|medical\s+records?(?:\s+(?:number|no\.?|#|id))?|hospital\s+(?:number"
    r"|no\.?|id|#)|nhs\s*(?:number|no\.?|#|num)?|chi(?:\s+(?:number|no\.?))?|ohip(?:\s+(?:number|no\.?))?|patient\s+(?:number"
    r"|no\.?|id|#)|chart\s+(?:number|no\.?|#)|case\s+(?:number|no\.?|#|ref(?:erence)?)"
    r"|record\s+(?:number|no\.?|#)|unit\s+number|medicaid(?:\s+(?:id|number|no\.?|#))?"
    r"|medicare(?:\s+(?:id|number|no\.?|#))?|insurance\s+(?:id|number|no\.?|#|member\s+id"
    r"|policy\s+number)|member\s+id|policy\s+(?:number|no\.?)|ssn|social\s+security"
    r"(?:\s+number)?|health\s+card(?:\s+number)?|aadhaar(?:\s+number)?|ppsn?(?:\s+number)?"
    r"|national\s+insurance(?:\s+number)?|ni\s+number|id\s+(?:number|no\.?)|uhid|ipd\s+no\.?"
    r"|ip\s+no\.?|reg(?:istration)?\s+(?:no\.?|number)|file\s+(?:no\.?|number)|folder\s+number)"
    r"\s*(?:is|was|=|:|#|-)?\s*(?:is\s+|was\s+)?[:#(]?\s*"
    r"(?P<value>[a-z]{0,4}[- ]?\d[\d/a-z -]{2,18}\d[a-z]?|\d{4,})"
)
_NHS_BARE = re.compile(r"(?<![\d+-])\b(\d{3})[ -](\d{3})[ -](\d{4})\b(?![-\d])")


def _nhs_checksum_ok(digits: str) -> bool:
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return check != 10 and check == int(digits[9])


class IdNumberDetector(Detector):
    """Medical record, NHS, hospital, case and insurance numbers."""

    name = "privacy.id_number"
    categories = frozenset({"privacy.id_number"})
    summary = "Record, NHS, hospital, case and insurance numbers of a person."

    def __init__(self, **params: Any) -> None:
        take_params(self.name, params, {})

    def detect(self, doc: Document) -> list[Hit]:
        a = _analyse(doc)
        if not a.has_digit:
            return []
        text = a.text
        hits: list[Hit] = []
        covered: list[tuple[int, int]] = []
        if a.has("id"):
            for m in _ID_NUMBER.finditer(a.lower):
                value = m.group("value")
                if sum(c.isdigit() for c in value) < 4:
                    continue
                end = m.end("value")
                while end > m.start("value") and not text[end - 1].isalnum():
                    end -= 1
                covered.append((m.start(), end))
                hits.append(
                    _hit("privacy.id_number", text, m.start(), end, 0.95, "record or id number")
                )
        if len(_DIGITS.findall(text)) >= 10:
            for m in _NHS_BARE.finditer(text):
                if any(s <= m.start() < e for s, e in covered):
                    continue
                if not _nhs_checksum_ok("".join(m.groups())):
                    continue
                if _PHONE_CUE.search(text, max(0, m.start() - 40), m.start()):
                    continue
                hits.append(
                    _hit("privacy.id_number", text, m.start(), m.end(), 0.7, "NHS-style number")
                )
        return hits


# --------------------------------------------------------------------------
# Health details
# --------------------------------------------------------------------------

# The lookahead makes the scan fail fast at every position that is not a digit.
_MEASURE = re.compile(
    r"(?=\d)(?<![\w.])(?:\d+(?:\.\d+)?\s*(?:mg|mcg|µg|micrograms?|milligrams?|iu)\b"
    r"|\d+(?:\.\d+)?\s*%\s*(?:weight\s+loss|of\s+(?:his|her|their|the)?\s*birth\s*weight|down"
    r"|below|loss)"
    r"|\d+\s?(?:ml|oz)\b|\d+\s?g\s*(?:/|a\s+|per\s+)(?:wk|week|day)\b|\d+\s?g\s+since\b"
    r"|\d(?:\.\d{1,2})?\s?kg\b|\d{1,2}\s?lbs?\s?\d{1,2}\s?oz\b"
    r"|(?:2[3-9]|3\d|4[0-2])\s?(?:weeks?|wks?)\b(?!\s+(?:old|postpartum|pp|ago|after|later|of\s+age)))"
)
_MEASURE_WORDS = re.compile(
    r"\b(?:(?:lost|dropped|down)\s+\d+(?:\.\d+)?\s*%"
    r"|weigh(?:ed|s|ing)?\s+(?:in\s+at\s+)?\d+(?:\.\d+)?\s*(?:kg|g|grams|lbs?|pounds)"
    r"(?:\s*\d+\s*oz)?"
    r"|born\s+at\s+(?:\d{2}\s*\+\s*\d|\d{2}\s+weeks)|up\s+\d+\s?g\b"
    r"|(?:is|was|at)\s+\d{1,2}\s?cm\b(?!\s+(?:long|wide|tall)))"
)


#: "the infant feeding team", "feeding your baby": a service or a topic, not a detail.
_SERVICE_AFTER = re.compile(
    r"\s+(?:team|teams|clinic|clinics|lead|leads|support|supporters?|group|groups|service|services"
    r"|helpline|specialists?|caf[eé]|class|classes|network|policy|policies|week|awareness|peer"
    r"|counsellors?|advice|information|friendly|your|a\s+baby|babies|journey\s+resources)\b"
)
#: "the Big Latch On": a health word inside a title-case name is not a detail.
_TITLE_BEFORE = re.compile(r"[A-Z][a-z]+\s+$")


def _health_items(a: _Analysis) -> list[tuple[int, int, str]]:
    items = [(m.start, m.end, m.label.partition(":")[2]) for m in a.health]
    if a.has_digit:
        lower = a.lower
        items.extend((m.start(), m.end(), "measure") for m in _MEASURE.finditer(lower))
        if any(k in lower for k in ("lost", "dropped", "down", "weigh", "born", "up ", "cm")):
            items.extend((m.start(), m.end(), "measure") for m in _MEASURE_WORDS.finditer(lower))
        items.extend((m.start(), m.end(), "measure") for m in _SHORTHAND.finditer(lower))
        items.sort()
    return items


#: An outbound reply that tells the reader what to do: advice, not a case history.
_ADVICE = re.compile(
    r"^\W*(?:at\s+[\w ]{1,12},\s*)?(?:offer|give|drop|try|take|stop|start|switch|split|keep|wake"
    r"|pump|ask|get|put|use|add|avoid|let)\b|\b(?:you\s+(?:can|could|should|need|must|might|may)"
    r"|needs\s+(?:at\s+least|about|to)|should|is\s+fine|(?:it'?s|is)\s+normal)\b",
    re.IGNORECASE,
)


def _health_tied(a: _Analysis, start: int) -> bool:
    i = a.sentence_of(start)
    reach = 2 if a.direction == "inbound" else 1
    if any(abs(i - j) <= reach for j in a.identified_sentences):
        return True
    if a.kind == "reply" and a.direction == "outbound":
        s, e = a.sents[i] if a.sents else (0, len(a.text))
        if _ADVICE.search(a.text[s:e]) and i not in a._sentences_with("tie1"):
            return False
    if a.tied(start) or i in a.case_sentences:
        return True
    return (
        a.direction == "outbound"
        and i not in a.generic_sentences
        and _PREDICATED.search(a.lower, max(0, start - 60), start) is not None
    )


class HealthDetailDetector(Detector):
    """Diagnoses, medicines, procedures and feeding details tied to a particular person."""

    name = "privacy.health"
    categories = frozenset({"privacy.health"})
    summary = "Health details of a particular client, infant or family (not general education)."

    def __init__(self, **params: Any) -> None:
        take_params(self.name, params, {})

    def detect(self, doc: Document) -> list[Hit]:
        a = _analyse(doc)
        hits: list[Hit] = []
        text = a.text
        inbound = a.direction == "inbound"
        places = [(h.start or 0, h.end or 0) for h in a.care_locations] if a.has("room") else []
        untied: list[tuple[int, int, str]] = []
        for start, end, facet in a.health_items:
            if any(s <= start < e for s, e in places):
                # "the NICU at St Aidan's" is where the baby is: a place, not a diagnosis.
                continue
            if facet == "feeding" and inbound:
                # The feeding difficulty a commenter asks about is not a disclosure.
                continue
            if text[start].isupper() and _TITLE_BEFORE.search(text, max(0, start - 20), start):
                continue
            if facet == "feeding" and _SERVICE_AFTER.match(a.lower, end):
                continue
            if _health_tied(a, start):
                hits.append(
                    _hit("privacy.health", a.text, start, end, 0.8, f"{facet} detail of a person")
                )
            elif not hits:
                untied.append((start, end, facet))
        if hits or not untied or inbound:
            return hits
        return _model_health(a, untied)


def _case_anchor(a: _Analysis) -> bool:
    """A minimal sign that the text is about someone: a person word, name, tie or story cue."""
    return bool(a.has("anchor") or a.people or a.has("narrative") or a.tie_sentences)


def _model_health(a: _Analysis, untied: list[tuple[int, int, str]]) -> list[Hit]:
    """Rescue health details the rules could not tie, when the model reads a case story.

    Only outbound texts with a person anchor qualify, and only details outside
    sentences worded as general education ("if", "research", "many mums").
    """
    strong = a.strong_generic_sentences
    candidates = [c for c in untied if a.sentence_of(c[0]) not in strong]
    if not candidates or not _case_anchor(a) or not a.model_says("health"):
        return []
    start, end, facet = candidates[0]
    note = f"{facet} detail in what reads as a case story (model)"
    return [_hit("privacy.health", a.text, start, end, 0.7, note)]


# --------------------------------------------------------------------------
# Quasi-identifiers
# --------------------------------------------------------------------------

_PLACE = re.compile(
    r"\b(?i:in|from|at|near|outside|around|on)\s+(?:the\s+|our\s+)?(?:village\s+of\s+|town\s+of\s+)?"
    r"(?!(?:I|NICU|SCBU|NHS|IBCLC|A&E|Facebook|Instagram|Twitter|TikTok|WhatsApp|Zoom|Covid"
    r"|Christmas|Easter|Ramadan|Diwali|English|Mum|Mom)\b)"
    rf"(?!{_MONTH_RE.replace('(?:', '(?i:', 1)}\b|(?i:{_WEEKDAY_RE})\b)"
    r"[A-Z][a-z'’]+(?:[ -][A-Z][a-z'’]+)*"
)
_NUMERIC_FACETS: dict[str, re.Pattern[str]] = {
    "time": re.compile(rf"\bon\s+{_DATE_RE}|\b{_DATE_RE}\b"),
    "age": re.compile(
        r"\b\d{1,2}[- ](?:year|yr|week|day|month)s?[- ]old\b|\b\d{1,2}\s?yo\b|\baged\s+\d{1,2}\b"
        r"|\b(?:she|he)(?:'s|’s|\s+is"
        r"|\s+was)\s+\d{1,2}\b(?!\s*(?:weeks|days|months|%|kg|ml))|\b(?:1[3-9]|[2-5]\d)[- ]?"
        r"(?:year|yr)s?\b"
    ),
}
_CUE_FACETS = {
    "f_time": "time",
    "f_occupation": "occupation",
    "f_family": "family",
    "f_ethnicity": "ethnicity",
    "f_age": "age",
    "f_place": "place",
    "f_unique": "unique",
    "f_public": "public",
}
#: Facets that are rare enough to single someone out; place, time, age and a
#: common condition together describe too many people without one of these.
_RARE_FACETS = frozenset({"unique", "occupation", "ethnicity", "family", "public"})


class QuasiIdentifierDetector(Detector):
    """Facts that together single out a person even without a name."""

    name = "privacy.quasi_identifier"
    categories = frozenset({"privacy.quasi_identifier"})
    summary = "Combinations of place, time, age, condition, family or occupation about one person."

    def __init__(self, **params: Any) -> None:
        p = take_params(self.name, params, {"threshold": int})
        self.threshold: int = p.get("threshold", 3)
        if self.threshold < 2:
            raise DetectorConfigError(f"detector {self.name!r}: threshold must be at least 2")

    def detect(self, doc: Document) -> list[Hit]:
        a = _analyse(doc)
        if not a.sents or not a.has("anchor") or a.direction == "inbound":
            return []
        # Facet positions over the whole text; the place pattern is the dearest,
        # so it runs only when the other facets could reach the threshold.
        facets: list[tuple[int, str]] = [(s, "condition") for s, _e, _f in a.health_items]
        # A rare condition ("conjoined twins") singles a family out like a rare attribute.
        facets.extend((s, "unique") for s, _e, f in a.health_items if f == "rare")
        for group, facet in _CUE_FACETS.items():
            facets.extend((s, facet) for s, _e in a.cues.get(group, ()))
        if a.has_digit:
            for facet, rx in _NUMERIC_FACETS.items():
                facets.extend((m.start(), facet) for m in rx.finditer(a.lower))
        present = {f for _s, f in facets} | {"place"}
        if not present & _RARE_FACETS or len(present) < self.threshold - 1:
            return []
        # One facet short of the rules' threshold: the model must read the text
        # as singling someone out before the dearer place pattern even runs.
        rules_reach = len(present) >= self.threshold
        if not rules_reach and not a.model_says("quasi"):
            return []
        facets.extend((m.start(), "place") for m in _PLACE.finditer(a.text))
        anchors = {a.sentence_of(s) for s, _e in a.cues["anchor"]}
        windows: list[tuple[int, int, set[str]]] = []
        near: list[tuple[int, int, set[str]]] = []
        n = len(a.sents)
        for i in sorted(anchors):
            if i in a.generic_sentences and i not in a.tie_sentences:
                continue
            # The window starts one sentence early: "The mayor's daughter! Her baby ..."
            ws, we = a.sents[max(0, i - 1)][0], a.sents[min(n, i + 3) - 1][1]
            kinds = {f for s, f in facets if ws <= s < we}
            # A tie to a public figure ("the mayor's daughter") counts twice.
            weight = len(kinds) + ("public" in kinds)
            if not kinds & _RARE_FACETS:
                continue
            if weight >= self.threshold and rules_reach:
                windows.append((ws, we, kinds))
            elif weight >= self.threshold - 1:
                near.append((ws, we, kinds))
        if not windows and near and a.model_says("quasi"):
            # One facet short, but the model reads the text as singling someone out.
            return [
                _hit("privacy.quasi_identifier", a.text, ws, we, 0.6, _quasi_note(kinds, True))
                for ws, we, kinds in _merge_windows(near)
            ]
        hits: list[Hit] = []
        for ws, we, kinds in _merge_windows(windows):
            score = min(1.0, 0.5 + 0.1 * len(kinds))
            note = _quasi_note(kinds, False)
            hits.append(_hit("privacy.quasi_identifier", a.text, ws, we, score, note))
        return hits


def _quasi_note(kinds: set[str], model: bool) -> str:
    note = "identifying combination: " + ", ".join(sorted(kinds))
    return note + " (with the model)" if model else note


def _merge_windows(
    windows: Iterable[tuple[int, int, set[str]]],
) -> list[tuple[int, int, set[str]]]:
    merged: list[tuple[int, int, set[str]]] = []
    for s, e, f in sorted(windows, key=lambda w: w[0]):
        if merged and s <= merged[-1][1]:
            ps, pe, pf = merged[-1]
            merged[-1] = (ps, max(pe, e), pf | f)
        else:
            merged.append((s, e, set(f)))
    return merged


# --------------------------------------------------------------------------
# Asking for details in public
# --------------------------------------------------------------------------

_DETAIL = (
    r"(?:(?:baby'?s?|babies|her|his|your|little\s+one'?s|lo'?s)\s+)?(?:full\s+)?(?:birth\s*weight"
    r"|weight|weights|hospital|ward|address|home\s+address|post\s*code|zip(?:\s*code)?"
    r"|date\s+of\s+birth|d\.?o\.?b\.?|birthday|due\s+date|phone\s+number|mobile(?:\s+number)?"
    r"|number|full\s+name|surname|last\s+name|name|names|nhs\s+number|mrn|hospital\s+number"
    r"|medical\s+records?|medications?|meds|diagnosis|test\s+results|results|scan|bloods"
    r"|email(?:\s+address)?|location|town|area|insurance|details|birth\s+story|gp|doctor"
    r"|midwife|consultant|age|feeding\s+history|history|pic|pics|picture|pictures|photo|photos"
    r"|video|temperature|dose|symptoms)"
)
_SOLICIT = re.compile(
    r"\b(?:can|could|would|will)\s+you\s+(?:please\s+|pls\s+|plz\s+)?(?:tell|share|post|give|let"
    r"|list|comment|write|drop|add|include|confirm|provide|pop)\s+(?:us|me|everyone|the\s+group"
    rf"|here|below)?\s*(?:know\s+)?(?:with\s+us\s+)?(?:[\w'’]+\s+){{0,3}}?{_DETAIL}\b"
    r"|\bwhat(?:'s|’s|\s+is|\s+was|\s+were|\s+are)\s+(?:your|her|his|their|the\s+baby'?s|baby'?s"
    rf"|your\s+baby'?s|your\s+lo'?s)\s+(?:[\w'’]+\s+)?{_DETAIL}\b"
    r"|\bwhich\s+(?:hospital|clinic|ward|unit|town|area|city|gp|surgery|doctor|midwife|nicu)"
    r"\s+(?:are|were|was|did|is|do)\s+(?:you|she|he|they|your|her|his)\b"
    r"|\bwhere\s+(?:do|did)\s+you\s+(?:live|give\s+birth|deliver|have\s+(?:your|the)\s+baby)\b"
    r"|\bwhere\s+(?:are|were)\s+you\s+(?:based|living|staying|delivering)\b"
    r"|\bhow\s+much\s+(?:does|did)\s+(?:your|her|his|the)\s+(?:baby|lo|little\s+one)\s+weigh\b"
    r"|\bwhat\s+(?:dose|dosage|strength)\b|\bwhich\s+ones\b"
    r"|\bwhat\s+(?:medications?|meds|medicines?|drugs|antibiotics?|tablets)\s+(?:are|is|were"
    r"|was)\s+(?:you|she|he|they)\b"
    r"|\btell\s+us\s+(?:everything|more|all\s+about)\b"
    r"|\btag\s+the\s+(?:hospital|midwife|doctor|clinic|ward|nurse|gp|consultant)\b"
    r"|\btell\s+us\s+the\s+(?:midwife|doctor|nurse|gp|consultant|hospital)['’]?s?\s+name\b"
    r"|\b(?:reply|comment|respond|answer)\s+(?:below\s+|here\s+)?with\s+(?:your|her|his)\s+"
    r"(?:[\w'’]+\s+)?(?:postcode|address|phone|number|mobile|email|name|details|location|town"
    r"|hospital|due\s+date|date\s+of\s+birth|dob|weight)\b"
    r"|\b(?:post|share|upload|send)\s+(?:a\s+|some\s+)?(?:close[- ]?ups?|pic|pics|picture|pictures"
    r"|photo|photos|video|snap|shot)\s+of\s+(?:your|her|his|the|baby)\b"
    r"|\btag\s+your\s+(?:midwife|doctor|gp|consultant|nurse|health\s+visitor|hospital)\b"
    r"|\btell\s+us\s+which\s+(?:hospital|ward|clinic|unit|town|gp|midwife)\b"
    r"|\b(?:just\s+|please\s+|pls\s+)?(?:post|share|comment|drop|put|leave|write|list|tell\s+us"
    r"|pop)\s+(?:your|her|his|the\s+baby'?s|baby'?s)\s+(?:[\w'’]+\s+)?"
    rf"{_DETAIL}\b(?!\s+(?:privately|in\s+a\s+(?:dm|pm|private)|via\s+(?:dm|pm|email|our)"
    r"|by\s+(?:dm|email)|to\s+our\s+inbox))"
)
_PRIVATE_ROUTE = re.compile(
    r"\b(?:private(?:ly)?|dm|pm|direct\s+message|inbox|email\s+us|message\s+us|in\s+private"
    r"|by\s+email|via\s+email|call\s+us|helpline)\b"
)
_PUBLIC_ROUTE = re.compile(
    r"\b(?:isn'?t\s+needed|is\s+not\s+needed|not\s+needed|no\s+need|just\s+(?:post|share"
    r"|comment|drop|put|tell)|below|here|in\s+the\s+comments|publicly|on\s+this\s+(?:post"
    r"|thread))\b"
)
_NEGATED_BEFORE = re.compile(
    r"\b(?:don'?t|do\s+not|never|please\s+don'?t|avoid|no\s+need\s+to|without|asked\s+me\s+to"
    r"|wants?\s+me\s+to|happy\s+for\s+me\s+to)\s+(?:\w+\s+){0,2}$"
)


class DetailSolicitationDetector(Detector):
    """Publicly asking someone for more private details ("what's your due date and hospital?")."""

    name = "privacy.solicitation"
    categories = frozenset({"privacy.solicitation"})
    summary = "Asking a client or commenter in public for private details."

    def __init__(self, **params: Any) -> None:
        take_params(self.name, params, {})

    def detect(self, doc: Document) -> list[Hit]:
        a = _analyse(doc)
        if not (a.has("ask") and a.has("detail")):
            return []
        text, lower = a.text, a.lower
        hits: list[Hit] = []
        for m in _SOLICIT.finditer(lower):
            start, end = m.span()
            if _NEGATED_BEFORE.search(lower, max(0, start - 30), start):
                continue
            s, e = a.sentence_span(start)
            if _PRIVATE_ROUTE.search(lower, s, e) and not _PUBLIC_ROUTE.search(lower, s, e):
                continue
            hits.append(
                _hit("privacy.solicitation", text, start, end, 0.8, "asks for private details")
            )
        return hits


__all__ = [
    "AddressDetector",
    "AgeDetector",
    "BirthDateDetector",
    "CareLocationDetector",
    "DetailSolicitationDetector",
    "EmailDetector",
    "HealthDetailDetector",
    "IdNumberDetector",
    "PersonNameDetector",
    "PhoneDetector",
    "QuasiIdentifierDetector",
]


def is_org_contact(
    kind: str,
    text: str,
    start: int,
    end: int,
    outbound: bool = True,
    own_is_work: bool | None = None,
) -> bool:
    """Whether the phone, e-mail or address at ``text[start:end]`` is an organisation's.

    Shared with the entity detector so that "our helpline", ``info@`` and a
    venue's address are judged the same way everywhere. ``own_is_work``: whether
    the writer's own contact ("call me on ...") counts as a work line (by
    default, in whatever we publish).
    """
    if kind == "email" and _role_address(text[start:end].split("@", 1)[0]):
        return True
    if kind == "address" and (
        _VENUE_BEFORE.search(text, max(0, start - 160), start) or _VENUE_AFTER.match(text, end)
    ):
        return True
    return _is_org_contact(text, start, end, outbound, own_is_work)
