"""Attribution: someone else's photo, video, quote or article shared without a credit.

IPALA 2(c) asks members to "attribute the source of any material shared on
social media, including photos, videos, and articles"; the IBLCE opinion asks
that "content be credited to the creator". A post breaches both when it shows
that the material is third-party (a cue) and names no creator or source (a
credit). Cues and credit words share one Aho-Corasick pass; the regexes that
find URLs, citations and by-lines run only on the rare posts with a cue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from postguard.detectors.base import (
    Detector,
    DetectorConfigError,
    Document,
    Hit,
    span_hit,
    take_params,
)
from postguard.detectors.text import PhraseMatcher, sentence_bounds

_NOUNS = (
    "photo", "photos", "photograph", "photographs", "picture", "pictures", "pic", "pics",
    "image", "images", "video", "videos", "vid", "clip", "clips", "reel", "reels",
    "infographic", "infographics", "graphic", "graphics", "chart", "charts", "diagram",
    "diagrams", "illustration", "illustrations", "drawing", "drawings", "artwork", "cartoon",
    "cartoons", "comic", "meme", "memes", "poster", "posters", "quote", "quotes", "article",
    "articles", "excerpt", "passage", "poem", "tiktok", "screenshot", "screenshots", "gif",
    "animation", "slide", "slides", "blog post", "post", "thread", "tweet",
)  # fmt: skip

# Nouns left out of the "this <noun>" cues: "this post" and "this thread"
# usually mean the post being written, not someone else's.
_SELF_REFERENCE = frozenset({"post", "thread", "tweet", "slide", "slides"})

_ADJECTIVES = (
    "amazing", "beautiful", "brilliant", "great", "lovely", "powerful", "gorgeous",
    "wonderful", "fantastic", "incredible", "stunning", "useful", "helpful", "excellent",
    "fab", "cute", "funny", "interesting", "important", "fascinating", "short", "simple",
    "handy", "viral", "sweet", "moving", "inspiring", "perfect", "fabulous", "informative",
    "hilarious", "adorable", "clever", "little", "awesome", "cool",
)  # fmt: skip

# Verbs that introduce found material: "sharing this ...", "found this ...".
_SHARE_VERBS = (
    "sharing", "found", "saw", "seen", "spotted", "love", "loved", "loving", "check out",
    "look at", "watch", "came across", "stumbled across", "stumbled upon", "stumbled on",
    "reposting", "passing on", "passing along", "had to share", "have to share",
    "just had to share", "must share", "couldn't resist sharing", "read",
)  # fmt: skip

_STRONG_CUES = (
    "repost", "#repost", "reposting", "reposted", "regram", "#regram", "re-post",
    "saw this on", "found this on", "seen on instagram", "seen on facebook", "seen on tiktok",
    "saw this on instagram", "saw this on facebook", "saw this on twitter", "saw this on tiktok",
    "from an article", "from a recent article", "from this article", "in an article",
    "an article i read", "article i read", "the article says", "this article says",
    "as the study says", "the study says", "as the article says", "according to an article",
    "according to a study", "according to this study", "according to this article",
    "not my photo", "not my video", "not my image", "not my picture", "not mine",
    "credit to the owner", "credit to owner", "credits to the owner", "credits to owner",
    "credit to the original owner", "no copyright intended", "no infringement intended",
    "copyright belongs to", "rights to the owner", "found online", "found on google",
    "from google", "from google images", "from pinterest", "found on pinterest",
    "from the internet", "off the internet", "going around", "doing the rounds",
    "circulating online", "stolen from", "copied from", "copy and paste", "copy-paste",
    "copied and pasted", "pasting this", "pasted below",
    "screenshotted", "not my words", "not my own words", "copying this", "copied this",
    "copying from", "from a friend's wall", "from a friend's post", "from a friend's page",
    "credit: unknown", "credit unknown", "credits: unknown", "source: unknown", "source unknown",
    "unknown source", "author unknown", "unknown author", "photographer unknown",
    "artist unknown", "words from a",
    # a creator gestured at but not named
    "one writer put it", "how one writer", "as one writer", "as a writer once",
    "someone once said", "someone once wrote", "as someone once", "as someone said",
    "someone wise", "a wise woman once", "a wise person once", "a wise midwife once",
    "a midwife we follow", "an account we follow", "a page we follow", "a mum we follow",
    "credit to whoever", "credits to whoever", "credit to whomever", "whoever made this",
    "whoever made it", "whoever wrote this", "whoever drew this", "whoever created this",
    "original creator unknown", "creator unknown", "don't know who made", "not sure who made",
    "not sure who wrote", "don't know who wrote", "can't find the original",
)  # fmt: skip

# Markers left behind when article text is pasted in whole.
_PASTE_CUES = (
    "read more", "continue reading", "copyright", "all rights reserved", "click here to read",
    "subscribe to read", "this article was originally published", "originally published in",
)  # fmt: skip

_CREDITS = (
    "credit:", "credits:", "credit -", "credit –", "credit @", "credits @", "photo credit",
    "image credit", "video credit", "credit goes to", "credit to", "credits to", "source:",
    "sources:", "source -", "source –", "(source", "[source", "via", "h/t", "ht:", "hat tip",
    "hattip", "photo by", "photos by", "image by", "video by", "picture by", "art by",
    "artwork by", "illustration by", "illustrated by", "drawn by", "designed by",
    "written by", "words by", "filmed by", "taken by", "created by", "made by", "shot by",
    "courtesy of", "with permission", "shared with permission",
    "used with permission", "reposted with permission", "permission from",
    "with kind permission", "original post by", "originally posted by", "ref:", "refs:",
    "reference:", "references:", "doi", "doi:", "published in", "published by",
    "link in bio", "link below", "link in comments", "link in the comments", "(link",
    "full article", "full study", "full paper", "read the full", "cited", "citation",
)  # fmt: skip

# Symbols that credit only when a name follows: "📸 @jo", "© Jo Bloggs 2024";
# a trailing "📸" is decoration.
_CREDIT_MARKS = ("📸", "🎥", "©", "(c)")
_MARK_NAMED = re.compile(r"\s*[:\-–—]?\s*[@\w]")

_SPEECH_VERBS = (
    "said", "says", "wrote", "writes", "explains", "explained", "notes", "noted", "told",
    "asks", "asked", "according to", "in the words of", "puts it", "put it",
)  # fmt: skip

# Phrases that read as credits but are not: "credit to the owner" names nobody.
_NOT_CREDITS = frozenset({"via"})

_OWN = re.compile(
    r"\b(?:our|ours|my\s+own"
    r"|(?:we|i)(?:'ve|\s+have)?\s+(?:just\s+|recently\s+)?(?:made|created|took|taken"
    r"|drew|drawn|designed|filmed|wrote|written|recorded|produced|published|put\s+together"
    r"|developed|snapped|shot|painted|photographed)"
    r"|my\s+(?:new\s+|latest\s+|first\s+)?(?:photos?|videos?|pics?|pictures?|images?"
    r"|infographics?|drawings?|illustrations?|articles?|blog|poster|reels?|artwork)"
    r"|from\s+(?:today|yesterday|tonight|last\s+night|this\s+morning|this\s+week|last\s+week)"
    r"|by\s+me|by\s+us)\b"
)

# Credits that need a shape, not a word: a link, a DOI, a citation, a by-line,
# a tagged creator. Python's re scans fastest from a literal first character,
# so each shape has its own pattern behind a substring test.
_DOMAIN = re.compile(r"\.(?:com|org|net|gov|edu|int|io|co|uk|au|nz|ca|ie|info|ly|gl)(?:/|\b)")
_HANDLE = re.compile(r"@\w")
_DOI = re.compile(r"10\.\d{4,9}/\S")
_CITATION = re.compile(
    r"\(\s*[A-Z][\w'’-]+(?:\s+et\s+al\.?|\s+(?:and|&)\s+[A-Z][\w'’-]+)?,?\s+(?:19|20)\d\d[a-z]?"
)
_QUOTE_SIGNATURE = re.compile(r"[\"”’»]\s*[—–―~-]{1,2}\s*@?[A-Z]")
_DASH_SIGNATURE = re.compile(
    r"^\s*[—–―]{1,2}\s*@?[A-Z]|[—–―]\s*(?:Dr|Prof|Professor)\b", re.MULTILINE
)
_BY_NAME = re.compile(r"by\s+@?[A-Z][a-z]")
# A speaker named beside a speech verb: "said Dr Ade", "WHO says".
_NAMED_AFTER = re.compile(r"\s+(?:the\s+)?(?:@|Dr\b|Prof\b|[A-Z])")
_NAMED_BEFORE = re.compile(r"(?:@\w+|[A-Z][\w'’.-]*)\s+$")


def _after_boundary(text: str, matches: Iterator[re.Match[str]]) -> bool:
    return any(m.start() == 0 or not text[m.start() - 1].isalnum() for m in matches)


def _has_credit_shape(text: str) -> bool:
    if "://" in text or "www." in text or " et al" in text:
        return True
    if "@" in text and _after_boundary(text, _HANDLE.finditer(text)):
        return True
    if any(text[m.start() - 1].isalnum() for m in _DOMAIN.finditer(text) if m.start() > 0):
        return True
    if "10." in text and _DOI.search(text):
        return True
    if "(" in text and _CITATION.search(text):
        return True
    if ("—" in text or "–" in text or "―" in text) and _DASH_SIGNATURE.search(text):
        return True
    if (_has_quote(text) or "’" in text or "»" in text) and _QUOTE_SIGNATURE.search(text):
        return True
    return " by " in text and _after_boundary(text, _BY_NAME.finditer(text))


# Double or curly quotes; or straight single quotes opened after a space or a
# colon and closed before a non-letter, so that "can't" opens nothing. The
# length bound keeps a long text full of unclosed quotes linear.
_QUOTED = re.compile(
    r"[\"“„«‘]((?:[^\"“”„«»‘’\n]|’(?=\w)){20,400})[\"”«»’]"
    r"|(?:^|(?<=[\s(\[:]))'(?=\S)((?:[^'\n]|'(?=\w)){20,400}?)'(?!\w)"
)


def _has_quote(text: str) -> bool:
    # Substring tests run in C; a generator over the characters costs ~5 µs.
    return (
        '"' in text
        or "“" in text
        or "„" in text
        or "«" in text
        or "‘" in text
        or " '" in text
        or ":'" in text
        or "('" in text
        or text.startswith("'")
    )


_NOUN_AFTER = re.compile(
    r"(?:\s+[\w'’#-]+){0,3}?\s+(" + "|".join(sorted(_NOUNS, key=len, reverse=True)) + r")\b"
)


def _lexicon() -> dict[str, str]:
    phrases: dict[str, str] = {}
    for noun in _NOUNS:
        if noun in _SELF_REFERENCE:
            continue
        for det in ("this", "these", "that", "those"):
            phrases[f"{det} {noun}"] = "cue"
            for adjective in _ADJECTIVES:
                phrases[f"{det} {adjective} {noun}"] = "cue"
    for verb in _SHARE_VERBS:
        for det in ("this", "these", "that", "those"):
            phrases[f"{verb} {det}"] = "verb"
    for cue in _STRONG_CUES:
        phrases[cue] = "cue"
    for cue in _PASTE_CUES:
        phrases[cue] = "paste"
    for credit in _CREDITS:
        phrases[credit] = "credit"
    for mark in _CREDIT_MARKS:
        phrases[mark] = "mark"
    for verb in _SPEECH_VERBS:
        phrases[verb] = "speech"
    return phrases


_MATCHER = PhraseMatcher(_lexicon())
# "says it all", "says everything": a photo speaking, not a person quoted.
_SPEECH_IDIOM = re.compile(r"\s+(?:it all|everything|so much|a lot|more than|volumes)\b")
# "© 2024 ...", "copyright 2024 ...": a notice left by pasting.
_COPYRIGHT_NOTICE = re.compile(r"\s*(?:©|\(c\)|\d{4}|[A-Z])")
# Private correspondence quoted ("a text from a client: '...'"): not published material.
_CORRESPONDENCE = re.compile(
    r"\b(?:text|message|email|e-mail|dm|voicemail|note|card|letter|whatsapp) from (?:a|my|one|"
    r"this|our|the) (?:client|mum|mom|parent|dad|family|patient|caller|student|new mum)\b"
    r"|\b(?:client|mum|mom|parent|dad|patient|caller)s? (?:said|told me|asked|texted|messaged|"
    r"wrote to me|emailed)\b",
    re.IGNORECASE,
)
_VIA_NOT_CREDIT = re.compile(
    r"via\s+(?:instagram|insta|facebook|fb|twitter|x|tiktok|google|pinterest|whatsapp"
    r"|the\s+internet|social\s+media|a\s+friend|my\s+feed)\b"
)


class MissingAttributionDetector(Detector):
    """Third-party photos, videos, quotations or article text with no credit or source."""

    name = "attribution.missing"
    categories = frozenset({"attribution.missing"})
    summary = "Shared photos, videos, quotes or article text without a credit or source."

    def __init__(self, **params: Any) -> None:
        opts = take_params(self.name, params, {"min_quote_words": int})
        self.min_quote_words: int = opts.get("min_quote_words", 10)
        if self.min_quote_words < 1:
            raise DetectorConfigError(f"detector {self.name!r}: min_quote_words must be >= 1")

    def detect(self, doc: Document) -> list[Hit]:
        text = doc.text
        lower = doc.plain
        matches = _MATCHER.find(lower)
        cues: list[tuple[int, int, str]] = []
        credited = False
        for match in matches:
            label = match.label
            if label == "credit":
                if match.phrase in _NOT_CREDITS and _VIA_NOT_CREDIT.match(lower, match.start):
                    continue
                if match.phrase.endswith(" by") and not _NAMED_AFTER.match(text, match.end):
                    continue  # "a map drawn by someone": nobody is named
                credited = True
            elif label == "mark":
                if _MARK_NAMED.match(text, match.end):
                    credited = True
            elif label == "speech":
                if _SPEECH_IDIOM.match(lower, match.end):
                    continue  # "this photo says it all"
                if _NAMED_AFTER.match(text, match.end) or _NAMED_BEFORE.search(
                    text, max(0, match.start - 40), match.start
                ):
                    credited = True
            elif label == "verb":
                noun = _NOUN_AFTER.match(lower, match.end)
                if noun is not None:
                    cues.append((match.start, noun.end(), "media"))
            elif label == "cue" or label == "paste":
                if match.phrase == "copyright" and not _COPYRIGHT_NOTICE.match(text, match.end):
                    continue  # "breach of copyright" is a topic, not a pasted notice
                cues.append((match.start, match.end, label))
        if _has_quote(text):
            for quote in _QUOTED.finditer(text):
                if len((quote.group(1) or quote.group(2)).split()) < self.min_quote_words:
                    continue
                if _CORRESPONDENCE.search(text, max(0, quote.start() - 60), quote.start()):
                    continue  # a client's message, not someone's published work
                cues.append((quote.start(), quote.end(), "quote"))
        if not cues or credited:
            return []
        if _has_credit_shape(text):
            return []
        cues = [cue for cue in cues if cue[2] == "paste" or not self._own(lower, cue[0], cue[1])]
        if not cues:
            return []
        hits: list[Hit] = []
        if doc.media:
            # A cue about found material describes the attachment; a quotation
            # or pasted text stays a finding about the text.
            about_media = [cue for cue in cues if cue[2] in ("cue", "media")]
            cues = [cue for cue in cues if cue[2] not in ("cue", "media")]
            if about_media and not any(item.credit for item in doc.media):
                start, end, _ = about_media[0]
                hits.extend(
                    Hit(
                        category="attribution.missing",
                        media=index,
                        evidence=text[start:end],
                        score=0.8,
                        note="the text presents this media as someone else's, with no credit",
                    )
                    for index in range(len(doc.media))
                )
        last_end = -1
        for start, end, kind in sorted(cues):
            if start < last_end:
                continue
            last_end = end
            hits.append(
                span_hit(
                    "attribution.missing", text, start, end, score=_SCORES[kind], note=_NOTES[kind]
                )
            )
        return hits

    @staticmethod
    def _own(lower: str, start: int, end: int) -> bool:
        """Whether the sentence around a cue says the material is the poster's own."""
        left, right = sentence_bounds(lower, start, end, _SENTENCE_REACH)
        return _OWN.search(lower, left, right) is not None


_SENTENCE_REACH = 300
_SCORES = {"cue": 0.8, "media": 0.8, "paste": 0.7, "quote": 0.6}
_NOTES = {
    "cue": "third-party material with no credit or source",
    "media": "someone else's photo or video with no credit",
    "paste": "pasted article text with no source",
    "quote": "a long quotation with no source",
}
