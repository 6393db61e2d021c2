"""Voice: whose view a post expresses.

Three ways a post can speak in the wrong voice:

- :class:`OrgVoiceDetector`: a member's personal post presents its view as
  the association's (IPALA 2(f): members "should not indicate or imply that
  their views are those of IPALA when making personal public comments").
- :class:`ImpliedEndorsementDetector`: agreeing with or amplifying someone
  else's post (IBLCE: "Acknowledgement of someone else's post could be an
  implied endorsement or support of the poster's point of view").
- :class:`PersonalOpinionDetector`: an official account voicing one person's
  opinion ("I think", "IMO") instead of the association's approved position
  (IPALA 1 and 2(b)).

Each detector makes one Aho-Corasick pass over the lower-cased text.
"""

from __future__ import annotations

import re
from typing import Any

from postguard.detectors.base import (
    Detector,
    DetectorConfigError,
    Document,
    Hit,
    span_hit,
    take_params,
)
from postguard.detectors.text import PhraseMatcher

# --------------------------------------------------------------------------
# a personal account speaking for the association

# "{org}" is replaced by each organization name (lower-cased).
_ORG_TEMPLATES = (
    "as {org} we", "as {org}, we", "as {org} we believe", "at {org} we", "at {org}, we",
    "we at {org}", "us at {org}", "here at {org}", "we in {org}", "we as {org}", "we, {org},",
    "{org}'s position", "{org}'s official position", "{org}'s view", "{org}'s official view",
    "{org}'s stance", "{org}'s official stance", "{org}'s opinion", "{org}'s official",
    "{org} position is", "{org}'s position is", "the official {org} view",
    "the official {org} position", "the official {org} line", "official {org} position",
    "the {org} position", "the {org} view", "{org} believes", "{org} thinks", "{org} endorses",
    "{org} supports", "{org} fully supports", "{org} opposes", "{org} condemns",
    "{org} rejects", "{org} recommends", "{org} stands with", "{org} stands against",
    "{org} is against", "{org} is in favour of", "{org} is in favor of", "{org} backs",
    "{org} does not support", "{org} doesn't support", "{org} would never", "{org} agrees",
    "{org} disagrees", "{org} welcomes", "{org} calls on", "{org} demands",
    "on behalf of {org}", "speaking for {org}", "speaking on behalf of {org}",
    "i speak for {org}", "i'm speaking for {org}", "i am speaking for {org}",
    "as {org} chair", "as {org} president", "as chair of {org}", "as president of {org}",
    "as an {org} council member", "as a {org} council member", "as {org} spokesperson",
    "as a spokesperson for {org}", "{org} wants you to know", "{org} has decided",
    "{org} will not tolerate", "{org} officially", "{org} has officially", "{org} formally",
    "{org} strongly",
)  # fmt: skip

_DISCLAIMER_TEMPLATES = (
    "not speaking for {org}", "not speaking on behalf of {org}", "i don't speak for {org}",
    "i do not speak for {org}", "not the views of {org}", "not the view of {org}",
    "not an official {org}", "not {org}'s", "not necessarily {org}'s",
    "not necessarily those of {org}", "not endorsed by {org}", "don't represent {org}",
    "do not represent {org}", "does not represent {org}", "doesn't represent {org}",
    "not representing {org}", "not on behalf of {org}",
)  # fmt: skip

_DISCLAIMERS = (
    "views my own", "views are my own", "views mine", "views are mine", "my own views",
    "my own view", "my own opinion", "my own opinions", "personal views", "personal view",
    "personal opinion", "personal opinions", "opinions are my own", "opinions are mine",
    "opinions my own", "opinions mine", "opinion is my own", "thoughts my own",
    "thoughts are my own", "all views my own", "views expressed are my own",
    "in a personal capacity", "in my personal capacity", "personal capacity",
    "speaking personally", "speaking for myself", "i speak only for myself",
    "not speaking officially", "not an official position", "not an official statement",
    "not official policy", "does not represent the views", "do not represent the views",
    "don't represent the views", "not the views of my employer",
)  # fmt: skip


# "IPALA fully backs ...": an adverb between the name and the verb.
# ("officially", "formally" and "strongly" have templates of their own.)
_ORG_ADVERBS = (
    "fully", "firmly", "wholeheartedly", "totally", "completely", "publicly", "absolutely",
    "unreservedly", "proudly", "100%",
)  # fmt: skip
_ORG_VERBS = (
    "backs", "supports", "endorses", "opposes", "condemns", "rejects", "recommends",
    "stands with", "stands against", "is against", "agrees", "disagrees", "welcomes",
    "believes", "thinks", "is fully behind", "is backing", "is supporting", "is opposing",
)  # fmt: skip
# An official role claimed on a personal post ("as an IPALA board member").
_ROLES = (
    "council member", "board member", "committee member", "trustee", "director", "officer",
    "spokesperson", "representative", "rep", "chair", "vice chair", "vice-chair", "president",
    "treasurer", "secretary", "ambassador", "vice president", "vice-president",
)  # fmt: skip


_REPORTED_AFTER = re.compile(
    r"\s*,?\s*(?:has\s+|had\s+|once\s+)?(?:said|says|put\s+it|noted|notes|explained|explains|"
    r"announced|announces|wrote|writes|pointed\s+out|reminded|told|reported|mentioned)\b"
)


def _org_variants(org_names: list[str]) -> list[str]:
    variants: list[str] = []
    for name in org_names:
        key = " ".join(name.lower().replace("’", "'").split())
        variants.append(key)
        # "the association" is also "our association" in a member's mouth.
        if key.startswith("the "):
            variants.append("our " + key[4:])
    return variants


class OrgVoiceDetector(Detector):
    """A personal account presenting its views as the association's."""

    name = "voice.org_endorsement"
    categories = frozenset({"voice.org_endorsement"})
    summary = "On a personal account, views presented as the association's without a disclaimer."

    def __init__(self, **params: Any) -> None:
        opts = take_params(self.name, params, {"org_names": list})
        org_names = opts.get("org_names", ["IPALA", "the association"])
        if not org_names or not all(isinstance(n, str) and n.strip() for n in org_names):
            raise DetectorConfigError(
                f"detector {self.name!r}: org_names must be a non-empty list of names"
            )
        phrases: dict[str, str] = {}
        for org in _org_variants(org_names):
            for template in _ORG_TEMPLATES:
                phrases[template.format(org=org)] = "voice"
            for adverb in _ORG_ADVERBS:
                for verb in _ORG_VERBS:
                    phrases[f"{org} {adverb} {verb}"] = "voice"
            for verb in _ORG_VERBS:
                phrases[f"{org} {verb}"] = "voice"
            for role in _ROLES:
                for lead in ("as", "posting this as", "speaking as", "writing as"):
                    for det in ("a", "an", "the", "your", "their"):
                        phrases[f"{lead} {det} {org} {role}"] = "voice"
                        phrases[f"{lead} {det} {role} of {org}"] = "voice"
                        # "As a Council member I can tell you IPALA ..." names
                        # the org elsewhere: see _ROLE_ONLY below.
                        phrases[f"{lead} {det} {role}"] = "role"
                # "Speaking as IPALA's Vice-President", "wearing my IPALA treasurer hat"
                for lead in ("as", "speaking as", "writing as", "posting as"):
                    phrases[f"{lead} {org}'s {role}"] = "voice"
                    phrases[f"{lead} {org} {role}"] = "voice"
                phrases[f"my {org} {role} hat"] = "voice"
            phrases[f"my {org} hat"] = "voice"
            for template in _DISCLAIMER_TEMPLATES:
                phrases[template.format(org=org)] = "disclaimer"
        for phrase in _DISCLAIMERS:
            phrases[phrase] = "disclaimer"
        self._matcher = PhraseMatcher(phrases)
        self._orgs = PhraseMatcher(_org_variants(org_names))

    def _org_named(self, lower: str) -> bool:
        return self._orgs.contains_any(lower)

    def detect(self, doc: Document) -> list[Hit]:
        if doc.context.account != "personal":
            return []
        matches = self._matcher.find(doc.plain)
        if not matches or any(m.label == "disclaimer" for m in matches):
            return []
        if any(m.label == "role" for m in matches):
            # A bare role ("as a board member") speaks for the association only
            # when the post names the association.
            named = self._org_named(doc.plain)
            matches = [m for m in matches if m.label != "role" or named]
        # "as IPALA's president said": reported speech, not a claim of office
        matches = [
            m
            for m in matches
            if not (m.phrase.startswith("as ") and _REPORTED_AFTER.match(doc.plain, m.end))
        ]
        text = doc.text
        return [
            span_hit(
                "voice.org_endorsement",
                text,
                m.start,
                m.end,
                score=0.85,
                note="a personal post speaking for the association",
            )
            for m in matches
        ]


# --------------------------------------------------------------------------
# implied endorsement of someone else's post

# Agreement that endorses on its own ("couldn't agree more").
_ENDORSE_STRONG = (
    "rt @", "rt:", "couldn't agree more", "could not agree more", "totally agree",
    "completely agree", "fully agree", "strongly agree", "wholeheartedly agree",
    "100% agree", "agree 100%", "100% this", "so much this", "this 100%", "this!!",
    "this!!!", "this 👆", "this 👇", "this. 👇", "this 👏", "preach!", "preach 🙌",
    "preach 👏", "preach 🔥", "hear hear", "hear, hear", "well said",
    "couldn't have said it better", "could not have said it better",
    "said it better than i could", "nailed it",
    "co-sign", "cosign", "fully endorse", "endorse this",
    "amen to this", "amen to that", "yes to all of this", "yes to this",
    "everything @", "exactly this", "exactly what @", "spot on @", "spot on,",
    "brilliant take", "great take", "excellent take", "best take", "important take",
    "great thread", "brilliant thread", "excellent thread", "important thread",
    "must-read thread", "must read thread", "fantastic thread", "this thread 👇",
    "reposting @", "boosting this", "signal boosting", "signal boost",
    "amplifying @", "amplifying this", "standing with @", "we stand with @",
    "i stand with @", "agree with @", "agree with this", "agree with every word",
    "so true @", "so true!", "so true,", "truth 👏", "facts 👏", "this is so true",
    "this is spot on", "this is everything", "love this take", "love this thread",
    "love this from @", "love this post from @", "loved this from @",
    "great point @", "great points @", "good point @", "brilliant point @",
    "great post @", "brilliant post @", "great piece by @", "brilliant piece by @",
    "well put @", "beautifully put", "nobody says it better", "no one says it better",
    "our friends at", "check them out", "check out their", "big fans of", "huge fans of",
    "we're fans of", "love what @", "we're behind you",
)  # fmt: skip

# Neutral framings that override an agreement word nearby ("thanks @x for joining").
_ENDORSE_NEUTRAL = (
    "thank you for attending", "thanks for attending", "thank you for joining",
    "thanks for joining", "thank you for coming", "thanks for coming",
    "do you agree", "agree or disagree", "we don't agree", "we do not agree",
    "i don't agree", "i do not agree", "don't agree with", "do not agree with",
)  # fmt: skip


# On an official account, praise beside another account's handle endorses it
# ("loving @brand's new range", "so much wisdom here @coach").
_HANDLE = re.compile(r"(?<![\w.])@\w")
_HANDLE_PRAISE = re.compile(
    r"\b(?:loving|obsessed|big love|so much love|(?:we|i) trust|trusted|wisdom|wise words|"
    r"give (?:it|them|her|him|these|this) a (?:go|try)|grab (?:them|it|yours|one|some)|"
    r"must[- ](?:read|have|watch|follow)|game[- ]?changer|the best|best ever|"
    r"follow (?:her|him|them)|"
    r"go follow|highly recommend|we recommend|swear by|fave|favourite|favorite|genius|"
    r"everyone should|you need (?:this|these)|can'?t recommend|spot on|nailed it|preach|"
    r"so right|100% right|absolutely right)\b",
    re.IGNORECASE,
)
_SENTENCE_STOP = re.compile(r"[.!?\n]\s")


class ImpliedEndorsementDetector(Detector):
    """Agreeing with or amplifying someone else's post in a way that endorses it."""

    name = "voice.implied_endorsement"
    categories = frozenset({"voice.org_endorsement"})
    summary = "Acknowledging someone else's post in a way that implies endorsement of their view."

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        phrases = dict.fromkeys(_ENDORSE_STRONG, "endorse")
        phrases.update(dict.fromkeys(_ENDORSE_NEUTRAL, "neutral"))
        self._matcher = PhraseMatcher(phrases)

    def detect(self, doc: Document) -> list[Hit]:
        matches = self._matcher.find(doc.plain)
        text = doc.text
        hits = [
            span_hit(
                "voice.org_endorsement",
                text,
                m.start,
                m.end,
                score=0.7,
                note="acknowledging someone else's post implies endorsing it",
            )
            for m in matches
            if m.label == "endorse"
        ]
        if hits or any(m.label == "neutral" for m in matches):
            return hits
        if doc.context.account == "official" and "@" in text:
            hits.extend(self._praised_handles(text))
        return hits

    @staticmethod
    def _praised_handles(text: str) -> list[Hit]:
        """Praise in the same sentence as another account's handle."""
        hits: list[Hit] = []
        for handle in _HANDLE.finditer(text):
            stops = [m.end() for m in _SENTENCE_STOP.finditer(text, 0, handle.start())]
            lo = stops[-1] if stops else 0
            after = _SENTENCE_STOP.search(text, handle.end())
            hi = after.start() + 1 if after else len(text)
            praise = _HANDLE_PRAISE.search(text, lo, hi)
            if praise is not None:
                hits.append(
                    Hit(
                        category="voice.org_endorsement",
                        start=praise.start(),
                        end=praise.end(),
                        evidence=text[praise.start() : praise.end()],
                        score=0.7,
                        note="praising another account implies endorsing it",
                    )
                )
                break
        return hits


# --------------------------------------------------------------------------
# an official account voicing a personal opinion

_OPINIONS = (
    "i think", "i personally", "personally i", "personally, i", "in my opinion",
    "in my view", "in my humble opinion", "my view", "my opinion", "my personal view",
    "my personal opinion", "imo", "imho", "i believe", "i can't stand", "i cannot stand",
    "i hate", "if you ask me", "i reckon", "i'm convinced", "i am convinced", "i'd argue",
    "i would argue", "my two cents", "my 2 cents", "my 2c", "i don't think", "i do not think",
    "i don't believe", "i do not believe", "i disagree", "i strongly believe",
    "i strongly feel", "i feel strongly", "i'm sick of", "i am sick of", "i'm tired of",
    "i am tired of", "i'm not a fan", "i am not a fan", "i can't believe", "i cannot believe",
    "i find it", "i'm fed up", "i am fed up", "unpopular opinion", "hot take", "i'd say",
    "i would say", "i suspect", "i doubt", "i feel like", "i'm not convinced",
    "i am not convinced", "frankly, i", "honestly, i", "honestly i",
    "i dislike", "i despise", "tbh", "to be honest", "i've never liked", "i have never liked",
    "i never liked", "i've always thought", "i've always felt", "i always thought",
    "i don't like", "i do not like", "i find", "speaking for myself", "speaking personally",
    "i'm no fan", "i've never been a fan", "i'm disgusted", "i am disgusted", "i love how",
    "i hate how",
)  # fmt: skip

# A quotation: "..." or “...”, or '...' opened after a space (so apostrophes in
# "can't" and "parents'" do not open one).
# The length bounds keep a long text full of unclosed quotes linear.
_QUOTATION = re.compile(
    r"[\"“«„]([^\"“”«»„]{0,800})[\"”»]|(?:^|(?<=[\s(\[]))['‘](?=\S)(.{0,800}?\S)['’](?!\w)"
)
# "Dr Ade: I think ..." names the speaker of what follows.
_SPEAKER_LABEL = re.compile(
    r"^\s*(?:Q|A|[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})\s*:\s*$", re.MULTILINE
)


_THEIR_OPINION = re.compile(r"(?:['’]s?|\b(?:her|his|their|your))\s+$", re.IGNORECASE)


class PersonalOpinionDetector(Detector):
    """An official account stating a first-person-singular opinion."""

    name = "voice.personal_opinion"
    categories = frozenset({"voice.personal_opinion"})
    summary = "On an official account, a personal opinion in the first person singular."

    def __init__(self, **params: Any) -> None:
        super().__init__(**params)
        self._matcher = PhraseMatcher(_OPINIONS)

    def detect(self, doc: Document) -> list[Hit]:
        if doc.context.account != "official":
            return []
        matches = self._matcher.find(doc.plain)
        if not matches:
            return []
        text = doc.text
        quoted: list[tuple[int, int]] = []
        if '"' in text or "“" in text or "'" in text or "‘" in text or "«" in text:
            quoted = [q.span() for q in _QUOTATION.finditer(text)]
        hits: list[Hit] = []
        for m in matches:
            if any(lo < m.start and m.end < hi for lo, hi in quoted):
                continue
            if _THEIR_OPINION.search(text, max(0, m.start - 12), m.start):
                continue  # "@x's hot take", "her unpopular opinion": not ours
            # A speaker label is short, so look back only a little way.
            newline = text.rfind("\n", max(0, m.start - 60), m.start)
            if (newline >= 0 or m.start <= 60) and _SPEAKER_LABEL.search(
                text, newline + 1, m.start
            ):
                continue
            hits.append(
                span_hit(
                    "voice.personal_opinion",
                    text,
                    m.start,
                    m.end,
                    score=0.75,
                    note="a personal opinion on an official account",
                )
            )
        return hits
