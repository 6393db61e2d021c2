"""Person names: the gazetteer of given names, capitals and context."""

from __future__ import annotations

import re
from typing import Any

from postguard.detectors.base import (
    Detector,
    DetectorConfigError,
    Document,
    Hit,
    take_params,
)
from postguard.detectors.privacy.analysis import (
    _WORD_AFTER,
    _WORD_BEFORE,
    _analyse,
    _Analysis,
    _hit,
    _word_before,
)
from postguard.detectors.privacy.vocab import (
    _CUES,
    _MONTHS,
    _WEEKDAYS,
    AMBIGUOUS_NAMES,
    GIVEN_NAMES,
    _words,
)

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
