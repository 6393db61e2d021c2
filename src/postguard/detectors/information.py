"""Information: confidential material, and topics the association has not approved.

IPALA 2(b): "Members should only share information that has been approved for
publication by the Organization. Avoid sharing sensitive or confidential
information." Two detectors:

- :class:`ConfidentialDetector` finds material marked or described as not
  for publication (embargoes, drafts, minutes, leaks, credentials). The word
  "confidential" is also how services describe themselves ("a free,
  confidential helpline"), so it counts only outside such promises.
- :class:`UnapprovedTopicDetector` finds sensitive topics (politics, religion,
  litigation, finances, personnel, partnerships, rumours) that an official
  account should not raise unless the organization has approved them.

Each detector makes one Aho-Corasick pass; context checks run only around
the few matches.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from postguard.detectors.base import (
    Detector,
    DetectorConfigError,
    Document,
    Hit,
    span_hit,
    take_params,
)
from postguard.detectors.frames import frame_hits
from postguard.detectors.text import PhraseMatch, PhraseMatcher, sentence_bounds

# --------------------------------------------------------------------------
# confidential material

_DASHES = ("-", "–", "—", ":", ",", "", " -", " –", " —")

_CONFIDENTIAL_STRONG = (
    "internal only", "for internal use", "internal use only", "for internal use only",
    "internal memo", "internal email", "internal e-mail", "internal document",
    "internal documents", "internal report", "internal discussions", "internal figures",
    "internal data", "internal communication", "internal communications",
    "not for circulation", "not for distribution", "not for publication", "not for release",
    "not to be shared", "not to be circulated", "not to be published", "not to be forwarded",
    "do not forward", "do not distribute", "do not circulate", "please don't forward",
    "embargoed", "embargoed until", "under embargo", "embargo until", "before the embargo",
    "embargo lifts", "in-camera", "in camera session",
    "leaked email", "leaked emails", "leaked memo", "leaked document", "leaked documents",
    "leaked minutes", "leaked report", "leaked draft", "leaked letter", "leaked plans",
    "leaked figures", "leaked news", "leaked list", "leaked screenshot", "leaked screenshots",
    "leaked to", "leaked to the press", "was leaked", "been leaked", "got leaked",
    "a leak from",
    "off the record", "between you and me", "between ourselves", "just between us",
    "keep this between us", "stays between us", "this stays between us", "board-only",
    "board only", "council-only", "council only", "committee-only", "committee only",
    "for board members only", "for council members only", "for council eyes only",
    "eyes only", "for your eyes only", "members' private data", "members' personal data",
    "members private data", "members personal data", "member data", "members' data",
    "member list", "membership list", "members list", "members' list", "member database",
    "membership database", "member spreadsheet", "members' contact details",
    "members' emails", "members' email addresses", "members' addresses",
    "members' phone numbers", "not yet public", "not public yet", "not been announced yet",
    "hasn't been announced", "has not been announced", "before it's announced",
    "before it is announced", "before the official announcement", "not been made public",
    "you didn't hear it from me", "you didn't hear this from me", "don't tell anyone",
    "do not tell anyone", "keep this quiet", "keep it quiet", "under wraps", "hush-hush",
    "hush hush", "not approved yet", "not yet approved", "unapproved draft",
    "draft, unapproved", "strictly confidential", "highly confidential",
    "internal audit", "internal audit report", "internal summary", "internal review",
    "internal notes", "internal briefing", "internal correspondence", "internal minutes",
    "internal findings", "internal assessment", "internal case notes", "leaked:", "leaked -",
    "leaked –", "leaked —", "leaked copy", "leaked version", "leaked report",
    "marked confidential", "this is confidential", "it's confidential", "closed meeting",
    "closed session", "closed-door", "closed door meeting", "behind closed doors",
    "private meeting", "still being negotiated", "being negotiated", "under negotiation",
    "not yet signed", "not signed yet", "not finalised", "not finalized", "not yet final",
    "yet to be announced", "unreleased", "not yet released", "not been released", "shhh",
    "shhhh", "🤫", "don't tell the committee", "don't tell the board", "don't tell the council",
    "do not tell the committee", "do not tell the board", "do not tell the council",
    "don't tell the chair",
)  # fmt: skip

# Shared a draft: confidential unless it is a public consultation draft.
_DRAFTS = (
    "draft minutes", "draft budget", "draft report", "draft statement",
    "draft position statement", "draft policy", "draft guidelines", "draft strategy",
    "draft document", "draft version", "draft plan", "draft accounts", "draft letter",
    "draft press release", "draft announcement", "draft proposal", "draft constitution",
)  # fmt: skip

_NOT_CONFIDENTIAL = (
    "confidential helpline", "confidential support", "confidential service",
    "confidential advice", "confidential line", "confidential chat", "confidential space",
    "confidential counselling", "confidential counseling", "confidential consultation",
    "confidential consultations", "confidential survey", "confidential feedback",
    "confidential and free", "confidential & free", "free and confidential",
    "free & confidential", "free, confidential", "confidential, free",
    "confidential and non-judgmental", "confidential and nonjudgmental", "kept confidential",
    "keep it confidential", "keep your information confidential", "remain confidential",
    "remains confidential", "stay confidential", "stays confidential", "treated as confidential",
    "treated confidentially", "held confidentially", "confidential peer support",
    "anonymous and confidential", "confidential and anonymous", "private and confidential",
    "safe and confidential", "confidential, safe", "embargo lifted", "embargo has lifted",
    "embargo has been lifted", "embargo is lifted", "embargo now lifted", "leaked milk",
    "leaked through", "leaked everywhere", "leaked all over", "leaked onto",
)  # fmt: skip

# "confidential" alone, judged by its sentence.
_PROMISE_CONTEXT = re.compile(
    r"\b(?:your|you|keep|keeps|kept|keeping|helpline|support|service|services|advice|free"
    r"|anonymous|judg(?:e?ment)|enquir|inquir|calls?|privacy|safe|clients?|patients?|families"
    r"|confidentiality|talk(?:ing)?\s+(?:it|this|things|to|with)\b|speak(?:ing)?\s+(?:to|with)\b"
    r"|chat\s+(?:to|with)\b|message\s+us\b)",
)
_DO_NOT_SHARE_NEXT = re.compile(
    r"\s*(?:[.!)\]…]|$|\s*(?:this|it|yet|outside|beyond|further|publicly|widely|until|with\s+anyone"
    r"|before|these|that|the\s+(?:minutes|draft|figures|details|document)))",
)
# "between us" is a confidence at the start of a sentence or before a colon,
# not in "the bond between us".
_BETWEEN_AFTER = re.compile(r"\s*[,:;)—–-]")
_BETWEEN_BEFORE = re.compile(r"(?:^|[.!?(\n]|\bjust|\bstrictly|\bonly)\s*$")
# Minutes of a closed body, not "10 minutes".
_MINUTES_BODY = re.compile(
    r"\b(?:closed|committee|council|board|executive|exec|private|in-camera|trustees?)\b"
)
_MINUTES_DURATION = re.compile(r"(?:\d|\b(?:few|couple\s+of|ten|five|fifteen|thirty|twenty))\s*$")
_MINUTES_PUBLIC = re.compile(
    r"\b(?:agm|annual general meeting|published|(?:now|are|is) available|"
    r"(?<!not )(?<!not yet )(?<!un)approved)\b"
)
# "what you tell me stays between us": a promise to clients, not a confidence.
_CLIENT_PROMISE = re.compile(
    r"\b(?:you tell|you share|you say|what you|anything you|clients?|families|promise|"
    r"your story|your privacy|your details)\b"
)
_DRAFT_PUBLIC = re.compile(r"consultation|have your say|feedback|comment|public", re.IGNORECASE)
_CREDENTIAL = re.compile(
    r"(?:password|passwd|pwd|api[ _-]?key|secret[ _-]?key|access[ _-]?token|auth[ _-]?token"
    r"|private[ _-]?key|client[ _-]?secret|credentials|token)"
    r"\s*(?:is|for\s+\S+\s+is|=|:|-)\s*[\"'`]?[\w@#$%^&*!.+/=~-]{4,}",
    re.IGNORECASE,
)
_KEY_SHAPE = re.compile(
    r"\b(?:sk-[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|ghp_[A-Za-z0-9]{36}|xox[baprs]-[A-Za-z0-9-]{10,}"
    r"|AIza[0-9A-Za-z_-]{35})"
)
_KEY_PREFIXES = ("sk-", "AKIA", "ghp_", "xox", "AIza")


def _confidential_lexicon() -> dict[str, str]:
    phrases: dict[str, str] = {}
    for phrase in _CONFIDENTIAL_STRONG:
        phrases[phrase] = "strong"
    for dash in _DASHES:
        for tail in ("not approved", "not for circulation", "not for publication", "do not share"):
            phrases[f"draft{dash} {tail}".replace("  ", " ")] = "strong"
    for phrase in _DRAFTS:
        phrases[phrase] = "draft"
    for phrase in ("do not share", "don't share", "please do not share", "please don't share"):
        phrases[phrase] = "do_not_share"
    phrases["confidential"] = "confidential"
    phrases["confidential:"] = "confidential"
    phrases["confidentially"] = "confidential"
    for phrase in ("stays between us", "this stays between us", "stay between us",
                   "keep this between us", "just between us"):  # fmt: skip
        phrases[phrase] = "between_strong"
    phrases["between us"] = "between"
    phrases["minutes"] = "minutes"
    # Minutes of a closed body: confidential until approved or published.
    for phrase in (
        "council minutes", "board minutes", "committee minutes", "council meeting minutes",
        "board meeting minutes", "committee meeting minutes", "minutes of the council",
        "minutes of the board", "minutes from the council", "minutes from the board",
        "minutes from council",
    ):  # fmt: skip
        phrases[phrase] = "minutes"
    for phrase in _NOT_CONFIDENTIAL:
        phrases[phrase] = "not"
    for word in (
        "password", "passwd", "pwd", "api key", "api_key", "apikey", "api-key", "secret key",
        "access token", "auth token", "private key", "client secret", "credentials", "token",
    ):  # fmt: skip
        phrases[word] = "credential"
    return phrases


_CONFIDENTIAL = PhraseMatcher(_confidential_lexicon())

_CONFIDENTIAL_NOTES = {
    "strong": "material marked or described as not for publication",
    "draft": "an unapproved draft",
    "do_not_share": "material the author says must not be shared",
    "confidential": "material described as confidential",
    "minutes": "minutes of a closed meeting",
    "credential": "a password or credential",
    "key": "an API key or token",
    "between_strong": "material the author says must stay between them",
}


class ConfidentialDetector(Detector):
    """Confidential, embargoed, internal or draft material, and credentials."""

    name = "information.confidential"
    categories = frozenset({"information.confidential"})
    summary = "Confidential, embargoed, internal or draft material, minutes, leaks, credentials."

    def detect(self, doc: Document) -> list[Hit]:
        text = doc.text
        lower = doc.plain
        hits: list[Hit] = []
        for match in _CONFIDENTIAL.find(lower):
            kind = match.label
            if kind == "not":
                continue
            if kind == "confidential":
                lo, hi = sentence_bounds(lower, match.start, match.end)
                if _PROMISE_CONTEXT.search(lower, lo, hi):
                    continue
            elif kind == "between_strong":
                lo, hi = sentence_bounds(lower, match.start, match.end)
                if _CLIENT_PROMISE.search(lower, lo, hi):
                    continue
                kind = "strong"
            elif kind == "between":
                if not (
                    _BETWEEN_AFTER.match(lower, match.end)
                    or _BETWEEN_BEFORE.search(lower, max(0, match.start - 12), match.start)
                ):
                    continue
                kind = "strong"
            elif kind == "minutes":
                if _MINUTES_DURATION.search(lower, max(0, match.start - 15), match.start):
                    continue
                lo, hi = sentence_bounds(lower, match.start, match.end)
                if not _MINUTES_BODY.search(lower, lo, hi) or _MINUTES_PUBLIC.search(lower, lo, hi):
                    continue
                if match.phrase != "minutes":
                    kind = "strong"
            elif kind == "do_not_share":
                if not _DO_NOT_SHARE_NEXT.match(lower, match.end):
                    continue
            elif kind == "draft":
                lo, hi = sentence_bounds(lower, match.start, match.end)
                if _DRAFT_PUBLIC.search(lower, lo, hi):
                    continue
            elif kind == "credential":
                found = _CREDENTIAL.match(text, match.start)
                if found is None:
                    continue
                hits.append(self._hit(found.start(), found.end(), text, "credential", 0.95))
                continue
            score = 0.9 if kind == "strong" else 0.75
            hits.append(self._hit(match.start, match.end, text, kind, score))
        if any(prefix in text for prefix in _KEY_PREFIXES):
            for key in _KEY_SHAPE.finditer(text):
                hits.append(self._hit(key.start(), key.end(), text, "key", 0.95))
        if not hits:
            hits = frame_hits("information.confidential", text)
        return hits

    @staticmethod
    def _hit(start: int, end: int, text: str, kind: str, score: float) -> Hit:
        return span_hit(
            "information.confidential",
            text,
            start,
            end,
            score=score,
            note=_CONFIDENTIAL_NOTES[kind],
        )


# --------------------------------------------------------------------------
# unapproved topics

# Each topic has phrases that name it on their own ("strong") and words that
# name it only beside a second word of the same topic ("weak"): "candidates"
# alone are exam candidates, "candidates" beside "election" are politics.
_TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "politics": (
        (
            "general election", "election day", "polling day", "polling station",
            "political party", "labour party", "conservative party", "democratic party",
            "republican party", "liberal party", "green party", "liberal democrats",
            "tory", "tories", "democrats", "republicans", "left-wing", "right-wing",
            "left wing", "right wing", "maga", "trump", "biden", "re-elect", "reelect",
            "vote labour", "vote conservative", "vote green", "vote tory", "vote democrat",
            "vote republican", "vote liberal", "vote them out", "ballot box", "politicians",
            "politician", "partisan", "midterms", "presidential", "electoral",
            "campaign trail", "manifesto", "vote for him", "vote for her", "vote them in",
            "political", "politics", "#generalelection", "generalelection",
            "referendum", "referendums", "hustings", "vote yes", "vote no",
            "labour candidate", "conservative candidate", "tory candidate", "green candidate",
            "lib dem", "lib dems", "liberal democrat candidate", "reform uk",
            "independent candidate", "polls open", "polling booth",
        ),
        (
            "vote", "votes", "vote for", "voting", "voted", "election", "elections",
            "candidate", "candidates", "mp", "mps", "senator", "senators", "congressman",
            "congresswoman", "councillor", "minister", "government", "polls", "ballot",
            "elected", "opposition", "prime minister", "parliament", "congress", "that lot",
        ),
    ),
    "religion": (
        (
            "pray for", "praying for", "let us pray", "let's pray", "amen", "god bless",
            "church", "mosque", "synagogue", "jesus", "allah", "bible", "quran", "koran",
            "scripture", "gospel", "worship", "praise the lord", "praise god", "lord jesus",
            "our lord", "the lord", "bible study", "sunday service", "prayer group",
            "prayer meeting", "pastor", "imam", "rabbi", "holy spirit", "christ",
            "he is risen", "our saviour", "our savior", "may god", "may allah", "may lakshmi",
            "may ganesh", "may ganesha", "may krishna", "may shiva", "may vishnu", "may jesus",
            "may the lord", "waheguru", "guru nanak",
            "the prophet", "inshallah", "insha'allah", "god willing", "hallelujah",
        ),
        (
            "god", "prayer", "prayers", "pray", "praying", "blessed", "blessing", "blessings",
            "faith", "christian", "christians", "muslim", "muslims", "jewish", "hindu",
            "buddhist", "sikh", "religious", "religion", "spiritual", "congregation",
            "diwali", "eid", "christmas", "easter", "hanukkah", "passover", "vaisakhi",
            "navratri", "holi", "good friday", "divine", "saviour", "savior",
            # deities are also given names ("Thanks, Lakshmi!"), so only weak
            "lakshmi", "ganesh", "ganesha", "krishna", "shiva", "vishnu",
        ),
    ),
    "litigation": (
        (
            "lawsuit", "lawsuits", "law suit", "tribunal", "court case", "suing", "sued",
            "litigation", "legal action", "class action", "injunction", "defamation",
            "libel", "slander", "cease and desist", "legal proceedings", "take them to court",
            "taking them to court", "took us to court", "taking us to court", "court hearing",
            "plaintiff", "defendant", "subpoena", "our lawyers", "our solicitors",
            "solicitor's letter", "lawyer's letter", "sue them", "sue us", "sue you",
            "going to sue", "settled out of court", "legal dispute", "pressing charges",
        ),
        ("court", "lawyer", "lawyers", "solicitor", "solicitors", "legal", "judge", "settlement",
         "sue", "dispute"),
    ),
    "finances": (
        (
            "budget deficit", "deficit", "salaries", "salary", "financial results",
            "fee increase", "fees increase", "increase in fees", "increase membership fees",
            "raise fees", "raising fees", "raising membership fees", "fees will go up",
            "fees are going up", "fees going up", "fees will rise", "fees will increase",
            "bankrupt", "bankruptcy", "insolvency", "insolvent", "shortfall", "overspent",
            "overspend", "financial trouble", "financial difficulties", "financial difficulty",
            "in the red", "losing money", "lost money", "annual accounts", "audit findings",
            "budget cuts", "cash flow", "cashflow", "running out of money", "in debt",
            "our finances", "the finances", "financial position", "profit and loss",
            "draft budget", "confidential budget", "being cut by", "grant is being cut",
            "funding is being cut", "lost our funding", "losing our funding",
            "funding has been cut", "funding was cut",
        ),
        ("budget", "finances", "financial", "revenue", "losses", "reserves", "treasurer", "debt",
         "audit", "profit", "funding cut", "funding cuts", "cut the helpline"),
    ),
    "personnel": (
        (
            "disciplinary", "disciplined", "resigned", "resignation", "resigning", "fired",
            "sacked", "laid off", "layoffs", "lay-offs", "redundancies", "made redundant",
            "misconduct", "grievance", "hr department", "hr complaint", "human resources",
            "staff member was", "was let go", "were let go", "been let go", "being let go",
            "stepping down", "stepped down", "performance review", "under investigation",
            "gross misconduct", "sacking", "firing", "dismissed from", "complaint against",
            "sick leave", "off sick", "long-term sick", "signed off sick", "stress leave",
            "compassionate leave", "on long-term leave", "burnout leave", "signed off with stress",
        ),
        ("hr", "staff", "employee", "employees", "quit", "suspended", "investigation",
         "replaced", "dismissed", "dismissal", "leaving", "departure"),
    ),
    "partnerships": (
        (
            "partnering with", "we'll be partnering", "we will be partnering",
            "partnership with", "new partnership", "exciting partnership", "teaming up with",
            "team up with", "in talks with", "merger", "merging with", "sponsorship deal",
            "signed a deal", "sign a deal", "joint venture", "announcing our partnership",
            "our new sponsor", "our new partner", "official partner", "strategic partner",
            "memorandum of understanding", "merge with", "merger talks", "amalgamation",
            "in talks to", "in talks about", "talks to merge", "plans to merge",
            "amalgamate with", "takeover bid",
        ),
        ("partnership", "collaboration", "collaborating", "sponsor", "sponsors", "sponsorship",
         "deal", "merge", "merging", "takeover"),
    ),
    "rumours": (
        (
            "rumour has it", "rumor has it", "rumours", "rumors", "rumoured", "rumored",
            "rumour", "rumor", "word on the street", "a little bird told me", "i heard that",
            "i've heard that", "i hear that", "i've heard", "heard through the grapevine",
            "grapevine", "gossip", "unconfirmed reports", "unconfirmed", "allegedly",
            "someone told me", "sources say", "sources tell me", "word is that",
            "is closing down", "are closing down", "is shutting down", "are shutting down",
            "is going under", "going bust",
        ),
        ("apparently", "heard", "closing", "shutting down", "closing down", "going under",
         "word is", "supposedly", "they say"),
    ),
}  # fmt: skip

# Phrases that cancel a topic within their sentence.
_TOPIC_NEGATIVES: dict[str, tuple[str, ...]] = {
    "politics": ("agm", "annual general meeting", "council election", "council elections",
                 "board election", "board elections", "nominations", "vote for your favourite",
                 "vote for your favorite", "people's choice"),
    "religion": ("thoughts and prayers", "oh my god", "feeling blessed", "so blessed",
                 "church hall", "church centre", "church center", "church room", "church halls"),
    "rumours": ("myth", "myths", "debunk", "debunking", "not true", "fact check", "fact-check",
                "busting", "false"),
    "partnerships": ("in partnership with", "partnered with", "paid partnership", "#ad",
                     "pleased to announce", "delighted to announce", "proud to announce",
                     "happy to announce", "thrilled to announce", "formally agreed",
                     "officially launched", "officially announced"),
    "finances": ("free of charge", "no cost", "calorie deficit", "caloric deficit",
                 "calorie deficits", "attention deficit", "been published", "now published",
                 "published on", "published in", "charity commission", "now available",
                 "available on our website", "companies house"),
}  # fmt: skip


def _check_topics(value: object, name: str) -> dict[str, list[str]]:
    if not isinstance(value, Mapping):
        raise DetectorConfigError(f"detector {name!r}: extra_topics must be a mapping")
    out: dict[str, list[str]] = {}
    for topic, words in value.items():
        if not isinstance(topic, str) or not topic.strip():
            raise DetectorConfigError(f"detector {name!r}: extra_topics keys must be topic names")
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise DetectorConfigError(
                f"detector {name!r}: extra_topics[{topic!r}] must be a list of keywords"
            )
        if not words:
            raise DetectorConfigError(f"detector {name!r}: extra_topics[{topic!r}] is empty")
        out[topic] = words
    return out


# Shapes a phrase list cannot hold: a politician's handle ("@CllrPatel",
# "@SenatorRuiz") and letting staff go ("had to let two of our staff go").
_EXTRA_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "politics",
        re.compile(
            r"(?<![\w.])@(?i:councillor|cllr|candidate|senator|mp|minister|mayor|governor|"
            r"congress(?:man|woman)?|president|mla|msp|mep|rep|sen)(?=[A-Z_\d])"
        ),
    ),
    (
        "personnel",
        re.compile(
            r"\blet\s+(?:[\w-]+\s+){0,4}?(?:staff|employees|colleagues|workers|people|"
            r"members of staff|team members|coordinators?|officers?|managers?|administrators?)"
            r"\s+go\b",
            re.IGNORECASE,
        ),
    ),
)


# The association's own WHO Code statement: a refusal of sponsorship or
# partnership, in a post that names the Code.
_CODE_NAMED = re.compile(r"\b(?:WHO|International)\s+Code\b", re.IGNORECASE)
_REFUSAL = re.compile(
    r"\b(?:accepts?\s+no|(?:does|do|will)\s*(?:not|n't)\s+(?:accept|enter|take|seek)|"
    r"never\s+(?:accepts?|takes?|seeks?)|cannot\s+accept|refuses?)\b",
    re.IGNORECASE,
)


class UnapprovedTopicDetector(Detector):
    """Sensitive topics an official account may raise only when the org approves them."""

    name = "information.unapproved"
    categories = frozenset({"information.unapproved"})
    summary = (
        "Topics outside the association's approved list (politics, religion, litigation, "
        "finances, personnel, partnerships, rumours, or the org's own) on official accounts."
    )

    #: The built-in topics, for documentation and for validating ``approved_topics``.
    TOPICS: frozenset[str] = frozenset(_TOPICS)

    def __init__(self, **params: Any) -> None:
        opts = take_params(self.name, params, {"approved_topics": list, "extra_topics": dict})
        extra = _check_topics(opts.get("extra_topics", {}), self.name)
        approved = opts.get("approved_topics", [])
        known = set(_TOPICS) | set(extra)
        for topic in approved:
            if not isinstance(topic, str) or topic not in known:
                raise DetectorConfigError(
                    f"detector {self.name!r}: approved_topics has {topic!r}, which is not a topic"
                    f" (topics: {', '.join(sorted(known))})"
                )
        self.approved: frozenset[str] = frozenset(approved)
        phrases: dict[str, str] = {}
        for topic, (strong, weak) in _TOPICS.items():
            if topic in self.approved:
                continue
            for word in weak:
                phrases[word] = f"weak:{topic}"
            for word in strong:
                phrases[word] = f"strong:{topic}"
            for word in _TOPIC_NEGATIVES.get(topic, ()):
                phrases[word] = f"not:{topic}"
        for topic, words in extra.items():
            if topic in self.approved:
                continue
            for word in words:
                phrases[word] = f"strong:{topic}"
        self._matcher = PhraseMatcher(phrases)

    def detect(self, doc: Document) -> list[Hit]:
        # IPALA 2(b) governs what the association publishes; a member's own
        # account may discuss these topics (other rules cover how), and what
        # others write to us is not ours to approve.
        if doc.context.account != "official":
            return []
        matches = self._matcher.find(doc.plain)
        text = doc.text
        if "@" in text or " go" in text:
            for topic, pattern in _EXTRA_TOPICS:
                if topic in self.approved:
                    continue
                for extra in pattern.finditer(text):
                    label = f"strong:{topic}"
                    matches.append(
                        PhraseMatch(extra.start(), extra.end(), extra.group(0).lower(), label)
                    )
        if not matches:
            return []
        by_topic: dict[str, list[tuple[bool, PhraseMatch]]] = {}
        negated: list[tuple[str, int]] = []
        for match in matches:
            kind, _, topic = match.label.partition(":")
            if kind == "not":
                negated.append((topic, match.start))
            else:
                by_topic.setdefault(topic, []).append((kind == "strong", match))
        hits: list[Hit] = []
        for topic, found in by_topic.items():
            if negated and self._cancelled(doc.lower, topic, found, negated):
                continue
            if topic == "partnerships" and _CODE_NAMED.search(text) and _REFUSAL.search(text):
                continue  # "we accept no sponsorship ..., in line with the WHO Code"
            if not any(strong for strong, _ in found) and len({m.phrase for _, m in found}) < 2:
                continue
            for strong, match in found:
                if match.phrase == "sue" and text[match.start] == "S":
                    continue  # "Sue" is a name far more often than a verb here.
                hits.append(
                    span_hit(
                        "information.unapproved",
                        text,
                        match.start,
                        match.end,
                        score=0.8 if strong else 0.6,
                        note=f"topic: {topic}",
                    )
                )
        return hits

    @staticmethod
    def _cancelled(
        lower: str,
        topic: str,
        found: list[tuple[bool, PhraseMatch]],
        negated: list[tuple[str, int]],
    ) -> bool:
        """A topic is cancelled when a negative phrase shares a sentence with every match."""
        spans = [sentence_bounds(lower, m.start, m.end) for _, m in found]
        for neg_topic, position in negated:
            if neg_topic != topic:
                continue
            if all(lo <= position < hi for lo, hi in spans):
                return True
        return False
