"""Commercial detectors: undisclosed interests and marketing of breast-milk substitutes.

IBLCE's advisory opinion encourages IBCLCs "to clearly identify potential
conflicts of interest related to materials posted on social media, including
financial or commercial dealings"; the IBCLC Scope of Practice requires
compliance with the WHO International Code of Marketing of Breast-milk
Substitutes, which forbids promoting formula, bottles and teats at all -- a
disclosed advert for formula is still a breach.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import ahocorasick

from postguard.detectors.base import (
    Detector,
    DetectorConfigError,
    Document,
    Hit,
    span_hit,
    take_params,
)
from postguard.detectors.frames import frame_hits
from postguard.detectors.language import load_lexicon
from postguard.detectors.text import PhraseMatch, PhraseMatcher, sentences

__all__ = ["BmsMarketingDetector", "UndisclosedInterestDetector"]

# --------------------------------------------------------------------------
# undisclosed interest

_DISCLOSURE = re.compile(
    r"(?:#(?:ad|ads|advert|advertisement|sponsored|spon|paidpartnership|paidpartner|paid"
    r"|affiliate|affiliatelink|gifted|giftedproduct|prsample|partner|brandpartner)\b"
    r"|\bpaid partnership\b|\bpaid promotion\b|\badvertisement\b|\badvertising feature\b"
    r"|(?:^|[\[(|])\s*(?:ad|sponsored|gifted|advert|paid\s+partnership|affiliate)\s*"
    r"(?:[:|\])-]|$)|\bad\s*[:|]"
    r"|\baffiliate links?\b|\b(?:i|we)\s+(?:may\s+|might\s+|will\s+)?(?:earn|receive|get|make)"
    r"\s+(?:a\s+)?(?:small\s+)?(?:commission|a\s+cut|a\s+fee)"
    r"|\bdisclosure\s*:|\bgifted product\b|\bfinancial interest\b|\bconflicts? of interest\b"
    r"|\bsponsored (?:post|content)\b|\bthis (?:post|video|reel) is sponsored\b"
    r"|\b(?:i|we) (?:was|were|am|are|have been) paid\b|\bpaid by\b"
    r"|\b(?:i|we) (?:own|co-own|founded|work for|am employed by|receive funding from)\b"
    r"|\bdeclaration of interest\b|\bdeclare (?:an|my|our) interest\b)",
    re.IGNORECASE | re.MULTILINE,
)

# Partners that are not commercial ("in partnership with the NHS").
_PUBLIC_PARTNER = (
    r"(?:the\s+)?(?:nhs|who|world health organi[sz]ation|unicef|baby friendly|la leche"
    r"|lll|nct|abm|iblce|ilca|ipala|university|hospital|council|charity|association"
    r"|department|ministry|public health|trust|local authority|our members|members"
    r"|volunteers|families|parents|mums|moms|local|community)"
)
_PUBLIC_AFTER = re.compile(rf"\s+{_PUBLIC_PARTNER}\b", re.IGNORECASE)

_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "affiliate link",
        re.compile(
            r"(?:\bamzn\.(?:to|eu)/\S+|\bamazon\.[a-z.]+/\S*[?&]tag=\S+"
            r"|\S+[?&](?:tag|ref|aff|affid|aff_id|affiliate|affiliate_id|ref_id|refid"
            r"|irgwc|clickid|partner|partner_id)=\S*|\S+/ref/\S*"
            r"|\b(?:\S+\.)?(?:shareasale\.com|rstyle\.me|go\.skimresources\.com|shopstyle\.it"
            r"|liketk\.it|howl\.me|linksynergy\.com|awin1\.com|tidd\.ly|shopmy\.us)\S*)",
            re.IGNORECASE,
        ),
    ),
    (
        "discount code",
        re.compile(
            r"(?:\b(?i:(?:(?:use|with|enter|apply)\s+(?:my\s+|the\s+|our\s+)?)?"
            r"(?:(?:discount|promo|coupon|voucher)\s+)?code)\s*:?\s*[\"']?"
            r"(?=[A-Za-z]*\d|[A-Z]{3})[A-Za-z0-9]{3,}\b"
            r"|\b(?i:(?:discount|promo|coupon)\s+code)\b|\b\d{1,2}\s*%\s*(?i:off)\b"
            # "use BREASTIE10 for money off": a capitalised token with digits after "use"
            r"|\b(?i:use|enter|apply|with)\s+[A-Z][A-Z]*\d+[A-Z0-9]*\b"
            r"|\b(?i:money\s+off|off\s+your\s+(?:first\s+)?order))",
        ),
    ),
    (
        "sponsorship",
        re.compile(
            r"\b(?:sponsored\s+by|sponsoring|sponsored|partnered\s+with|partnering\s+with"
            r"|in\s+partnership\s+with|in\s+collaboration\s+with|collab(?:oration)?\s+with"
            r"|brand\s+ambassador|ambassador\s+for|proud\s+(?:partner|ambassador)\s+of"
            r"|(?-i:[A-Z][a-z]+(?:[A-Z][a-z]+)*)\s+ambassador)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "gift",
        re.compile(
            r"(?:\b(?i:gifted)\b|\bPR\s+(?:package|parcel|sample|samples|box|gift|haul)\b|(?<!#)\bPR\b"
            r"|(?i:\b(?:thanks|thank\s+you)\s+(?:so\s+much\s+)?to\s+@?[\w&.'-]+"
            r"(?:\s+[\w&.'-]+){0,3}\s+for\s+(?:sending|gifting|the\s+free)"
            r"|\bkindly\s+(?:sent|gifted)\b|\b(?:sent|gave)\s+(?:me|us)\s+(?:this|these|some|a)\b"
            r"|\b(?:team|folks|people|brand)\s+(?:at\s+\S+\s+)?sent\s+(?:me\s+|us\s+)?(?:over|through)\b"
            r"|\bfor\s+(?:sending|gifting)\s+(?:me|us)\b))",
        ),
    ),
    (
        # "look what came in the post ... the new X balm set": an unannounced
        # parcel counts when the post names a product or a brand
        "parcel",
        re.compile(
            r"\blook\s+what\s+(?:came|arrived|landed|turned\s+up)\b"
            r"|\b(?:came|arrived|landed|turned\s+up)\s+(?:in\s+the\s+(?:post|mail)|today"
            r"|on\s+(?:my|our)\s+doorstep)|\bhappy\s+mail\b|\bunboxing\b"
            r"|\b(?:package|parcel|box|goodies)\s+from\s+(?:the\s+(?:lovely\s+)?(?:team|folks)"
            r"\s+at\s+)?@?[A-Z]",
            re.IGNORECASE,
        ),
    ),
    (
        "shopping link",
        re.compile(
            r"\b(?:grab|get|buy|order|shop|snag|pick\s+up)\s+(?:one|yours|it|them|these|this"
            r"|some|a\s+pair)(?:\s+[\w-]+){0,3}?"
            r"(?:\s+(?:for\s+yourself|here|now|today|below|via|at|from)){0,2}"
            r"\s*[^\w\s]{0,4}\s*(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/\S+|\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "brand promotion",
        re.compile(r"\bour\s+(?:friends|pals|partners|mates)\s+(?:at|from)(?=\s+@?[A-Z])", re.I),
    ),
    (
        "link promotion",
        re.compile(
            r"(?:\bbit\.ly/\S+|\blink\s+in\s+(?:my\s+)?bio\b|\buse\s+my\s+link\b"
            r"|\bmy\s+(?:[\w-]+\s+)?link\s*(?::|gives|gets|will\s+get)"
            r"|\bshop\s+(?:my|the)\s+(?:link|favourites|favorites|faves|picks)\b)",
            re.IGNORECASE,
        ),
    ),
)
_LINK_PROMO = re.compile(
    r"\b(?:shop|buy|grab|order|get\s+yours|discount|code|%\s*off|favourite|favorite|obsessed"
    r"|must-have|deal|sale|affiliate|money\s+off|use\s+[A-Z]+\d+|free|worth|ambassador"
    r"|look\s+after\s+me)\b",
    re.IGNORECASE,
)
# Cheap substring gates (on the lower-cased text) that a cue of each kind
# needs, so that most posts never reach the regexes.
_GATES: dict[str, tuple[str, ...]] = {
    "affiliate link": (
        "amzn.",
        "tag=",
        "ref=",
        "aff=",
        "affid",
        "affiliate",
        "/ref/",
        "refid=",
        "clickid=",
        "irgwc=",
        "partner=",
        "partner_id=",
        "shareasale",
        "rstyle.me",
        "skimresources",
        "shopstyle.it",
        "liketk.it",
        "howl.me",
        "linksynergy",
        "awin1",
        "tidd.ly",
        "shopmy.us",
    ),
    "discount code": (
        "code",
        "% off",
        "%off",
        "money off",
        "off your",
    ),
    "sponsorship": ("sponsor", "partner", "collab", "ambassador"),
    "gift": (
        "gift",
        "thank",
        "sent ",
        "gave ",
        "sending",
        "pr package",
        "pr sample",
        "pr ",
    ),
    "parcel": (
        "look what",
        "came in",
        "arrived",
        "landed",
        "turned up",
        "happy mail",
        "unboxing",
        "package from",
        "parcel from",
        "box from",
        "goodies from",
    ),
    "link promotion": ("bit.ly", "bio", "link", "shop my", "shop the"),
    "shopping link": ("grab ", "get ", "buy ", "order ", "shop ", "snag ", "pick up"),
    "brand promotion": ("friends at", "friends from", "pals at", "partners at", "mates at"),
}
# Kinds that only an official account's post makes a commercial interest: the
# association promoting a brand ("our friends at CozyNest ... check them out").
_OFFICIAL_ONLY = frozenset({"brand promotion"})
# A thank-you from a family or a community ("the lovely mum ... sent me a
# card", "the health workers ... gave us a banner") is no commercial gift.
_PERSONAL_GIVER = re.compile(
    r"\b(?:mum|mom|mother|mama|dad|father|parents?|client|patient|family|families|grandma|nan"
    r"|granny|workers|volunteers|kids|children|students|colleagues?|friends?|neighbou?rs?"
    r"|sister|brother|auntie|aunt|who)\b[^.!?\n]{0,30}\Z",
    re.IGNORECASE,
)
_BRAND_CTA = re.compile(
    r"\b(?:check\s+(?:them|it|this|these|her|him)\s+out|shop|buy|order|grab|get\s+yours"
    r"|head\s+(?:over\s+)?to|available\s+(?:at|from|now)|use\s+code)\b"
    r"|\b[\w-]+\.(?:com|co\.uk|net|shop|store|io)\b",
    re.IGNORECASE,
)


# An event or item of the poster's own organisation named as sponsored ("our
# parent café", "this year's conference lanyards"): the sponsor is stated in
# the open, so it is not a hidden interest (the WHO Code detector still
# judges a formula sponsor).
_OWN_EVENT = re.compile(
    r"\b(?:our|this\s+year['’]s|the)\s+(?:[\w'’-]+\s+){0,2}(?:conference|event|caf[eé]|study\s+day"
    r"|lanyards?|webinar|awards?|raffle|prizes?|group|meeting|summit|evening|session|workshop"
    r"|picnic|party|festival|fun\s+day|day\s+out|bake\s+sale|quiz|coffee\s+morning|drop-in"
    r"|course|fundraiser|stand|walk|run|tote\s+bags?|goody\s+bags?|refreshments|lunch|breakfast"
    r"|programme|program|helpline|help\s+line|service|newsletter|podcast|clinic|website|app"
    r"|training|campaign|peer\s+support)\b",
    re.IGNORECASE,
)
_OWN_EVENT_CHARS = 60
# The official account praising a brand's products: a brand handle or
# invented-looking name, an endorsement, and a product word.
_BRAND_NAME = re.compile(r"@[A-Za-z][\w.]{2,}|\b[A-Z][a-z]+[A-Z]\w+")
_ENDORSE = re.compile(
    r"\b(?:loving|love|big\s+love|obsessed|the\s+best|best|(?:we|i)\s+trust|recommend|give\s+it\s+a"
    r"\s+(?:go|try)|give\s+them\s+a\s+(?:go|try)|favourite|favorite|swear\s+by|shout[-\s]?out"
    r"|can['’]t\s+get\s+enough|game[-\s]changer|must[-\s]have|grab|check\s+(?:them|it)\s+out"
    r"|fan\s+of|fans\s+of)\b",
    re.IGNORECASE,
)
_PRODUCT_WORD = re.compile(
    r"\b(?:range|box(?:es)?|blend|teas?|pads|balms?|creams?|pillows?|bras?|pumps?|products?"
    r"|collection|smoothies?|snacks|cookies|bars|wear|subscriptions?|shop|store|kit|slings?"
    r"|carriers?|tops|leggings|supplements?|capsules|gummies|drinks?|set|bundle)\b",
    re.IGNORECASE,
)
# A maker's trip: travel or hospitality together with the maker's product or
# the perks ("Just back from a week in Lisbon with the team from X ... their
# new pump", "five-star hotel, flights, the works").
_TRIP = re.compile(
    r"\b(?:just\s+(?:got\s+)?back\s+from|flew\s+(?:out\s+)?to|(?:week|weekend|few\s+days"
    r"|trip|retreat|summit|launch)\s+(?:in|to|at)\s+(?:(?:your|their|the)\s+)?(?-i:[A-Z])"
    r"|hosted\s+(?:me|us)|thanks\s+for\s+having"
    r"\s+(?:me|us)|(?:invited|flown)\s+(?:me|us)?\s*(?:out|over)\s+to)",
    re.IGNORECASE,
)
# A bare public or organisational site ("get one from nhs.uk") is no shop.
_PUBLIC_SITE = re.compile(
    r"(?:\.org|\.gov|\.nhs|\.ac|\.edu|\.int)(?:\.[a-z]{2})?$|\bnhs\.|\bipala\.|\bwho\.int",
    re.IGNORECASE,
)
# "use BREASTIE10": a bare code needs a verb before a capital and a digit after.
_BARE_CODE_GATE = re.compile(r"(?i:use|enter|apply|with) [A-Z]+\d")
_TRY = re.compile(r"\b(?:try|trying|test|testing|review)\b")
_TRIP_GATES = (
    "back from",
    "flew",
    "flown",
    "hosted",
    "having me",
    "having us",
    "week in",
    "weekend in",
    "days in",
    "trip ",
    "retreat",
    "summit",
    "launch",
)
_TRIP_PAYOFF = re.compile(
    r"\btheir\s+(?:new|latest)\s+[\w-]+|\byour\s+(?:new\s+|latest\s+)?(?:[\w-]+\s+)?"
    r"(?:formula|pumps?|range|products?|bottles?|milk)\b"
    r"|\b(?:their|the)\s+(?:new\s+|latest\s+)?(?:wearable|pumps?|formula|range|products?|bottles?"
    r"|teats?|milk|collection|line|bras?|creams?|balms?|app|device|kit|launch)\b"
    r"|\bfive[-\s]star\b|\ball[-\s]expenses\b|\bexpenses[-\s]paid\b|\bbusiness\s+class\b"
    r"|\bthe\s+works\b|\b(?:flew|put)\s+(?:me|us|(?:\w+\s+){1,2}of\s+us(?:\s+\w+)?)\s+(?:out|up)\b"
    r"|\bspa\s+day\b",
    re.IGNORECASE,
)


@cache
def _gate_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    by_gate: dict[str, set[str]] = {}
    for kind, gates in (*_GATES.items(), ("paid trip", _TRIP_GATES)):
        for gate in gates:
            by_gate.setdefault(gate, set()).add(kind)
    for gate, kinds in by_gate.items():
        automaton.add_word(gate, frozenset(kinds))
    automaton.make_automaton()
    return automaton


def _gated_kinds(lower: str) -> set[str]:
    """The cue kinds whose substring gates occur in the text (one pass)."""
    kinds: set[str] = set()
    for _, found in _gate_automaton().iter(lower):
        kinds.update(found)
    return kinds


class UndisclosedInterestDetector(Detector):
    """Commercial interests (affiliate links, codes, gifts, sponsorship) not disclosed.

    A post with a clear disclosure (#ad, "paid partnership", "affiliate
    link", "disclosure:", "conflict of interest: ...") gives no hit: a
    disclosed advert for an ordinary product is allowed. Each undisclosed
    cue is a hit whose note says what it is.
    """

    name = "commercial.undisclosed_interest"
    categories = frozenset({"commercial.undisclosed_interest"})
    summary = "Affiliate links, discount codes, gifts or sponsorship without a disclosure."

    def detect(self, doc: Document) -> list[Hit]:
        text, lower = doc.text, doc.lower
        official = doc.context.account == "official"
        gated = _gated_kinds(lower)
        if "discount code" not in gated and _BARE_CODE_GATE.search(text) is not None:
            gated.add("discount code")
        kinds = [
            (kind, pattern)
            for kind, pattern in _CUES
            if kind in gated
            and (official or kind not in _OFFICIAL_ONLY)
            and (kind != "shopping link" or "." in lower)
        ]
        hits: list[Hit] = []
        taken: list[tuple[int, int]] = []
        if "paid trip" in gated:
            trip = self._trip(text)
            if trip is not None:
                hits.append(trip)
                taken.append((trip.start or 0, trip.end or 0))
        for kind, pattern in kinds:
            for found in pattern.finditer(text):
                start, end = found.start(), found.end()
                if any(s < end and start < e for s, e in taken):
                    continue
                if kind in ("sponsorship", "brand promotion") and _PUBLIC_AFTER.match(text, end):
                    continue
                if kind == "sponsorship" and _OWN_EVENT.search(
                    text, max(0, start - _OWN_EVENT_CHARS), end + _OWN_EVENT_CHARS
                ):
                    continue
                if kind == "brand promotion" and not _BRAND_CTA.search(text, end):
                    continue
                if kind == "gift" and _PERSONAL_GIVER.search(text, max(0, start - 40), start):
                    continue
                if kind == "shopping link" and _PUBLIC_SITE.search(found.group()):
                    continue
                if kind == "link promotion" and not _LINK_PROMO.search(text):
                    continue
                if kind == "parcel" and not (
                    _PRODUCT_WORD.search(text) or _BRAND_NAME.search(text) or _TRY.search(lower)
                ):
                    continue
                taken.append((start, end))
                hits.append(
                    Hit(
                        category="commercial.undisclosed_interest",
                        start=start,
                        end=end,
                        evidence=found.group(),
                        note=kind,
                    )
                )
        if not hits and official:
            shout_out = self._shout_out(text)
            if shout_out is not None:
                hits.append(shout_out)
        if not hits or _DISCLOSURE.search(text):
            return []
        hits.sort(key=lambda h: h.start or 0)
        return hits

    @staticmethod
    def _shout_out(text: str) -> Hit | None:
        """The official account praising a brand's products, with no code or link."""
        for brand in _BRAND_NAME.finditer(text):
            if _PUBLIC_AFTER.match(" " + brand.group().lstrip("@")):
                continue
            endorse = _ENDORSE.search(text)
            if endorse is None or _PRODUCT_WORD.search(text) is None:
                return None
            start, end = min(brand.start(), endorse.start()), max(brand.end(), endorse.end())
            return span_hit(
                "commercial.undisclosed_interest", text, start, end, note="brand promotion"
            )
        return None

    @staticmethod
    def _trip(text: str) -> Hit | None:
        """A trip or hospitality from a maker, told with its product or perks."""
        trip = _TRIP.search(text)
        if trip is None or _TRIP_PAYOFF.search(text) is None:
            return None
        return Hit(
            category="commercial.undisclosed_interest",
            start=trip.start(),
            end=trip.end(),
            evidence=trip.group(),
            note="paid trip",
        )


# --------------------------------------------------------------------------
# WHO Code: marketing of breast-milk substitutes

ASPECTS: tuple[str, ...] = ("promotion", "samples", "discount", "idealising", "sponsorship")
# Aspects that concern the whole post, not the sentence: a code at the end
# of a post discounts the formula named at its start.
_POST_WIDE = frozenset({"discount", "samples", "sponsorship"})
# A generic product ("formula", "bottles") needs its promotional cue close by;
# a brand anywhere in the sentence will do.
_NEAR = 40
_NOT_FEEDING_BOTTLE = re.compile(
    r"(?:water|hot[\s-]water|wine|spray|squeeze|glass|beer|gin|vodka|perfume|shampoo|sauce"
    r"|milk|medicine|plastic|ketchup|pop|soda|oil|lotion|sports|drinks?|wash)\s*\Z",
    re.IGNORECASE,
)
_EXACT_CONTEXT = re.compile(
    r"\s+(?i:pro|gold|first|infant|follow|growing|little|optipro|supreme|comfort|anti|lactose"
    r"|hungry|advanced|formula|milk|bottles?|teats?|dumm(?:y|ies)|soothers?|baby|toddler|stage)",
)
_BOTTLEISH = frozenset({"bottle", "bottles", "teat", "teats", "dummy", "dummies"})
# Brands the lexicon cannot list: an invented-looking name ("NutriCare",
# "LittleOak") or a capitalised name before a capitalised product noun
# ("Sunny Valley Infant Milk"), followed by a word that makes it a product of
# the Code's scope ("... Follow-On Milk", "... Stage 1", "... Natural teat").
_PRODUCT_AFTER = (
    r"(?=(?:\s+[A-Z][\w'-]*){0,2}\s+(?i:formulas?|infant\s+milks?|baby\s+milks?"
    r"|follow[-\s]on(?:\s+milks?|\s+formula)?|growing[-\s]up\s+milks?|toddler\s+milks?"
    r"|first\s+(?:infant\s+)?milks?|(?:infant|baby)\s+nutrition|stage\s+\d|gold|comfort|hydrolysed|hydrolyzed"
    r"|hypoallergenic|anti[-\s]colic|bottles?|teats?|dumm(?:y|ies)|pacifiers?|soothers?)\b)"
)
_NOT_A_BRAND = (
    r"(?!(?:Our|The|This|That|These|Your|My|Free|Best|New|Any|Safe|About|Why|How|When|What"
    r"|Making|Make|Preparing|Prepare|Using|Use|Choosing|Choose|Responsive|Paced|Combination"
    r"|Powdered|Powder|Liquid|Ready|Special|Specialist|Soya|Soy|Prepared|Standard|Hydrolysed"
    r"|Hydrolyzed|Donor|Breast|Human|Cow|Cows|Formula|Free|Cheap|Expensive|Sponsored|Proud"
    r"|Feeding|Introducing|Stage|Infant|Baby|Toddler|First|Follow|Growing|Formula|Bottle)\b)"
)
_UNLISTED_BRAND = re.compile(
    rf"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b{_PRODUCT_AFTER}"
    rf"|\b{_NOT_A_BRAND}[A-Z][a-z]+(?:\s+{_NOT_A_BRAND}[A-Z][a-z]+)?(?=(?:\s+[A-Z][\w-]*)?"
    r"\s+(?:Infant|Baby|Follow-On|Follow\s+On|Growing-Up|Growing\s+Up|Toddler|First|Goat"
    r"|Organic|Comfort|Hungry)\s+(?:Milks?|Formulas?)\b)"
    rf"|\b{_NOT_A_BRAND}[A-Z][a-z]{{2,}}(?=\s+Formulas?\b)"
)
_CUE_LABELS = frozenset({*ASPECTS, "claim"})
_NOT_MILK = re.compile(r"bottle|teat|dumm|pacifier|soother")
# "Check out our new leaflet on formula preparation" points to our own material.
_OWN_MATERIAL = re.compile(
    r"\s+(?:our|my)\s+(?:new\s+|free\s+|latest\s+)?(?:leaflets?|guides?|videos?|webinars?|blog"
    r"|posts?|page|course|class(?:es)?|workshops?|handouts?|resources?|website|podcast|group"
    r"|factsheets?|infographics?|article|session)\b",
    re.IGNORECASE,
)
# "Should I switch to formula?": a parent's question is not promotion.
_OWN_QUESTION = re.compile(r"\b(?:should|can|could|shall|do|would|must)\s+(?:i|we)\b", re.I)
_CODE = re.compile(
    r"\b(?:use|with|enter|apply)\s+(?:my\s+|the\s+|our\s+)?(?:(?:discount|promo|coupon)\s+)?"
    r"code\s*:?\s*[A-Za-z0-9]{3,}\b|\bcode\s*:?\s*[A-Z][A-Z0-9]{2,}\b|\b\d{1,2}\s*%\s*off\b",
)


# A maker's trip whose payoff is a breast-milk substitute ("a fab weekend at
# your Lisbon summit ... your new HMO formula"): sponsorship by the maker.
_BMS_TRIP_PAYOFF = re.compile(
    r"\b(?:their|the|your)\s+(?:new\s+|latest\s+)?(?:[\w-]+\s+){0,2}?(?:formulas?|infant\s+milks?"
    r"|follow[-\s]on\s+milks?|growing[-\s]up\s+milks?|toddler\s+milks?|bottles?|teats?)\b",
    re.IGNORECASE,
)


def _bms_trip(doc: Document) -> Hit | None:
    if not any(gate in doc.lower for gate in _TRIP_GATES):
        return None
    trip = _TRIP.search(doc.text)
    if trip is None:
        return None
    payoff = _BMS_TRIP_PAYOFF.search(doc.text)
    if payoff is None:
        return None
    start, end = min(trip.start(), payoff.start()), max(trip.end(), payoff.end())
    return span_hit(
        "commercial.bms_marketing", doc.text, start, end, note="sponsorship: a maker's trip"
    )


class BmsMarketingDetector(Detector):
    """Promotion of breast-milk substitutes, bottles and teats (WHO Code).

    A product, brand or maker of breast-milk substitutes with a promotional
    aspect: ``promotion``, ``samples``, ``discount``, ``idealising`` or
    ``sponsorship`` (the hit's note names it). A disclosure does not help:
    the Code forbids the promotion itself. Factual information (safe
    preparation), criticism of marketing and news of breaches pass.

    Params: ``aspects`` (which of the five to report, default all).
    """

    name = "commercial.bms_marketing"
    categories = frozenset({"commercial.bms_marketing"})
    summary = (
        "Marketing of formula, bottles or teats: promotion, samples, discounts,"
        " idealising claims or sponsorship."
    )

    def __init__(self, **params: Any) -> None:
        p = take_params(self.name, params, {"aspects": list})
        aspects = p.get("aspects", list(ASPECTS))
        unknown = sorted({str(a) for a in aspects} - set(ASPECTS))
        if unknown or not aspects:
            raise DetectorConfigError(
                f"detector {self.name!r}: aspects must be a non-empty list of"
                f" {', '.join(ASPECTS)} (got {', '.join(unknown) or 'nothing'})"
            )
        self.aspects = frozenset(str(a) for a in aspects)
        products = load_lexicon("bms_products.txt")
        phrases: dict[str, str] = {}
        cues = load_lexicon("bms_cues.txt")
        for section in (*ASPECTS, "claim", "context"):
            for phrase in cues[section]:
                phrases[phrase] = section
        for section in ("product", "brand", "company"):
            for phrase in products[section]:
                phrases[phrase] = section
        self._matcher = PhraseMatcher(phrases)
        exact = products.get("brand-exact-case", ())
        self._exact = (
            re.compile(r"\b(?:" + "|".join(re.escape(w.upper()) for w in exact) + r")\b")
            if exact
            else None
        )

    def detect(self, doc: Document) -> list[Hit]:
        hits = self._rules(doc)
        if not hits:
            hits = frame_hits("commercial.bms_marketing", doc.text, aspects=self.aspects)
        if not hits and "sponsorship" in self.aspects:
            trip = _bms_trip(doc)
            if trip is not None:
                hits.append(trip)
        return hits

    def _rules(self, doc: Document) -> list[Hit]:
        found = self._matcher.find(doc.lower)
        if not any(m.label in _CUE_LABELS for m in found) and not _CODE.search(doc.text):
            return []
        mentions = [m for m in found if m.label in ("product", "brand", "company")]
        if self._exact is not None:
            for hit in self._exact.finditer(doc.text):
                # "SMA" is also spinal muscular atrophy, "NAN" a grandmother:
                # count them only beside another formula or bottle word.
                if not any(m.start <= hit.start() < m.end for m in found) and (
                    _EXACT_CONTEXT.match(doc.text, hit.end())
                    or any(m.label == "product" for m in mentions)
                ):
                    mentions.append(PhraseMatch(hit.start(), hit.end(), hit.group(), "brand"))
        if doc.text != doc.lower:
            for hit in _UNLISTED_BRAND.finditer(doc.text):
                if not any(m.start <= hit.start() < m.end for m in mentions):
                    mentions.append(PhraseMatch(hit.start(), hit.end(), hit.group(), "brand"))
        mentions = [m for m in mentions if self._is_bms(doc.text, m)]
        if not mentions:
            return []
        cues = [m for m in found if m.label in ASPECTS]
        if any(m.label != "product" or not _NOT_MILK.search(m.phrase) for m in mentions):
            # A superiority claim idealises a milk or a brand, not a plain bottle.
            cues.extend(
                PhraseMatch(m.start, m.end, m.phrase, "idealising")
                for m in found
                if m.label == "claim"
            )
        if not cues and not _CODE.search(doc.text):
            return []
        bounds = list(sentences(doc.text))

        starts = [start for start, _ in bounds]

        def sentence(pos: int) -> int:
            index = bisect.bisect_right(starts, pos) - 1
            return index if index >= 0 and pos < bounds[index][1] else -1

        context_sentences = {sentence(m.start) for m in found if m.label == "context"}
        mention_sentences = {sentence(m.start) for m in mentions}
        branded = any(m.label != "product" for m in mentions)
        short_post = len(bounds) <= 4
        for code in _CODE.finditer(doc.text):
            cues.append(PhraseMatch(code.start(), code.end(), code.group(), "discount"))

        hits: list[Hit] = []
        seen: set[str] = set()
        for cue in sorted(cues, key=lambda m: m.start):
            aspect = cue.label
            if aspect not in self.aspects or aspect in seen:
                continue
            where = sentence(cue.start)
            if where in context_sentences:
                continue
            if aspect == "promotion" and (
                (where >= 0 and self._own_question(doc.text, bounds[where]))
                or (cue.phrase == "check out" and _OWN_MATERIAL.match(doc.text, cue.end))
            ):
                continue
            if not self._cue_applies(cue, where, mentions, mention_sentences, branded, short_post):
                continue
            seen.add(aspect)
            mention = min(mentions, key=lambda m: abs(m.start - cue.start))
            start, end = min(mention.start, cue.start), max(mention.end, cue.end)
            hits.append(
                span_hit(
                    "commercial.bms_marketing",
                    doc.text,
                    start,
                    end,
                    note=f"{aspect}: {mention.phrase}",
                )
            )
        return hits

    @staticmethod
    def _own_question(text: str, bounds: tuple[int, int]) -> bool:
        sentence = text[bounds[0] : bounds[1]].rstrip()
        return sentence.endswith("?") and _OWN_QUESTION.search(sentence) is not None

    @staticmethod
    def _is_bms(text: str, mention: PhraseMatch) -> bool:
        if mention.phrase in _BOTTLEISH:
            return (
                _NOT_FEEDING_BOTTLE.search(text[max(0, mention.start - 20) : mention.start]) is None
            )
        return True

    @staticmethod
    def _cue_applies(
        cue: PhraseMatch,
        where: int,
        mentions: Sequence[PhraseMatch],
        mention_sentences: set[int],
        branded: bool,
        short_post: bool,
    ) -> bool:
        if cue.label == "sponsorship":
            # Sponsorship is about a maker or brand, never the word "formula".
            return any(m.label != "product" for m in mentions) and (
                short_post or where in mention_sentences
            )
        if cue.label in _POST_WIDE and short_post:
            return True
        if cue.label == "idealising" and short_post:
            return True
        if where not in mention_sentences:
            return False
        if branded:
            return True
        return any(
            m.label == "product"
            and (abs(m.start - cue.end) <= _NEAR or abs(cue.start - m.end) <= _NEAR)
            for m in mentions
        )
