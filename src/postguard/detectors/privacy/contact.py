"""Contact details (phones, e-mails, street addresses) and identifying numbers,
and whether they are an organisation's own."""

from __future__ import annotations

import re
from typing import Any

from postguard.detectors.base import (
    Detector,
    Document,
    Hit,
    take_params,
)
from postguard.detectors.entities import document_entities
from postguard.detectors.privacy.analysis import (
    _DIGITS,
    _analyse,
    _hit,
)
from postguard.detectors.privacy.vocab import (
    _words,
)

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
