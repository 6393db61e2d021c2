"""Person names: a multilingual first-name and surname gazetteer, capitals and context.

A run of capitalised words is a name when its first word is a known first
name (names-dataset, 105 countries) and the rest are capitalised (a
surname need not be known: "Amara Nwosu"), when an honorific opens it
("Mrs Okafor", "Sra. Pérez", "Frau Müller"), or, for one word alone, when
it is a known first name not at the start of a sentence, or is said to be
a person ("her baby Kai", "named Zuri"). Sentence-opening words are
dropped unless the gazetteer or the context vouches for them.

The decision between this and spaCy's statistical NER was measured (see
the report in ``data/entity_data.md``): spaCy's official pipelines are not
on the package index this project installs from, and the gazetteer reaches
the recall target on Faker-made text at a fraction of the cost.
"""

from __future__ import annotations

from collections.abc import Iterator

from postguard.entities.base import EVERY, Candidate, Hits, Recognizer, words_of
from postguard.entities.gazetteer import (
    Words,
    capitalised_runs,
    first_names,
    place_names,
    sentence_initial,
    surnames,
)

HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "doctor",
        "prof",
        "professor",
        "sr",
        "sra",
        "srta",
        "don",
        "doña",
        "dña",
        "mme",
        "mlle",
        "m",
        "monsieur",
        "madame",
        "herr",
        "frau",
        "fr",
        "hr",
        "señor",
        "señora",
        "senhor",
        "senhora",
        "dona",
        "gng",
        "ginang",
        "g",
        "bb",
        "aling",
        "mang",
        "ate",
        "kuya",
        "lola",
        "lolo",
        "tita",
        "tito",
        "sister",
        "nurse",
        "midwife",
    ]
)
#: Words just before a single capitalised word that say it is a person.
PERSON_CUES = frozenset(
    [
        "mum",
        "mom",
        "mama",
        "mother",
        "dad",
        "father",
        "papa",
        "baby",
        "babies",
        "son",
        "daughter",
        "client",
        "patient",
        "named",
        "called",
        "dear",
        "hi",
        "hello",
        "hey",
        "thanks",
        "thank",
        "congratulations",
        "congrats",
        "welcome",
        "husband",
        "wife",
        "partner",
        "sister",
        "brother",
        "grandma",
        "granny",
        "nan",
        "aunt",
        "auntie",
        "uncle",
        "twin",
        "twins",
        "friend",
        "colleague",
        "neighbour",
        "neighbor",
        "meet",
        "little",
        "nanay",
        "tatay",
        "anak",
        "apo",
        "kuya",
        "ate",
        "hija",
        "hijo",
        "mamá",
        "papá",
        "bebé",
        "bebê",
        "filha",
        "filho",
        "hija",
        "madre",
        "padre",
        "amiga",
        "amigo",
        "tochter",
        "sohn",
        "mutter",
        "vater",
        "fille",
        "fils",
        "mère",
        "père",
        "amie",
        "ami",
        "und",
        "and",
        "with",
        "con",
        "avec",
        "mit",
        "com",
        "kasama",
    ]
)
#: Capitalised words that are never names even when the gazetteer lists them.
NOT_NAMES = frozenset(
    [
        "I",
        "I'm",
        "I've",
        "I'd",
        "I'll",
        "OK",
        "Okay",
        "God",
        "Lord",
        "Jesus",
        "Christ",
        "Mother",
        "Father",
        "Baby",
        "Mum",
        "Mom",
        "Dad",
        "Nurse",
        "Doctor",
        "Midwife",
        "Dr",
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Hospital",
        "Clinic",
        "Ward",
        "Room",
        "Bed",
        "NICU",
        "NHS",
        "IBCLC",
        "IBCLCs",
        "WHO",
        "UNICEF",
        "Instagram",
        "Facebook",
        "Twitter",
        "TikTok",
        "WhatsApp",
        "Zoom",
        "Google",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Christmas",
        "Easter",
        "Ramadan",
        "Diwali",
        "Eid",
        "Street",
        "Road",
        "Avenue",
        "Lane",
        "Drive",
    ]
)


#: Last words that make a run of capitals a street, not a person ("Harbour Rd").
_STREET_ENDINGS = frozenset(
    [
        "Rd",
        "Road",
        "St",
        "Street",
        "Ave",
        "Avenue",
        "Ln",
        "Drive",
        "Cres",
        "Crescent",
        "Tce",
        "Terrace",
        "Blvd",
        "Boulevard",
        "Gdns",
        "Sq",
        "Pl",
        "Cl",
        "Ct",
        "Hwy",
        "Highway",
    ]
)


class PersonRecognizer(Recognizer):
    name = "person"
    entity_type = "person"
    examples = (
        (
            "Huge congratulations to Amara Nwosu, who finally got her twins latching",
            "Amara Nwosu",
        ),
        ("Mrs Okafor's little girl finally latched today!", "Mrs Okafor"),
        ("La señora María da Silva llegó ayer", "María da Silva"),
        ("her baby Kai is thriving", "Kai"),
        ("Thanks everyone for coming", None),
        ("Breastfeeding Week starts Monday", None),
    )

    def wanted(self, text: str, lower: str, has_digit: bool) -> bool:
        return True

    def candidates(self, text: str, lower: str, hits: Hits = EVERY) -> Iterator[Candidate]:
        first = first_names()
        last = surnames()
        for run_start, run_end in capitalised_runs(text):
            words = _words(text, run_start, run_end)
            for c in self._score_run(text, lower, words, first, last):
                if text[c.start : c.end].rsplit(None, 1)[-1].rstrip(".") in _STREET_ENDINGS:
                    continue  # "Harbour Rd", "Mill Road": a street, read by the address recognizer
                yield c

    def _score_run(
        self,
        text: str,
        lower: str,
        words: list[tuple[int, int]],
        first: Words,
        last: Words,
    ) -> Iterator[Candidate]:
        tokens = [text[s:e] for s, e in words]
        # an honorific opens a name: "Mrs Okafor", "Sra. Pérez"; it is part of the span
        honorific = tokens[0].lower().rstrip(".") in HONORIFICS
        if not honorific:
            # "Dr. Rolf-Peter Faust": the dot ends the run, so look at the word before it
            prev = _previous_word(lower, words[0][0])
            if (
                prev in HONORIFICS
                and prev not in ("sister", "nurse")
                and tokens[0] not in NOT_NAMES
            ):
                while len(words) > 1 and tokens[-1].isupper():  # "MBA", "PhD"
                    words, tokens = words[:-1], tokens[:-1]
                yield Candidate("person", words[0][0], words[-1][1], 0.85, self.name)
                return
        # drop leading words that are not names (sentence openers: "Huge", "Thanks")
        i = 1 if honorific else 0
        while i < len(tokens) and not honorific and not _first_name(tokens, i, first, last):
            if _clean(tokens[i]) in last and i + 1 == len(tokens) and i > 0:
                break
            i += 1
        if honorific:
            if len(tokens) > 1 and _clean(tokens[1]) not in NOT_NAMES:
                yield Candidate("person", words[0][0], words[-1][1], 0.9, self.name)
            return
        if i >= len(tokens):
            return
        rest = tokens[i:]
        span_words = words[i:]
        # trailing words that are not names ("Amara Nwosu Foundation" keeps only the name)
        while len(rest) > 1 and _clean(rest[-1]) in NOT_NAMES:
            rest, span_words = rest[:-1], span_words[:-1]
        if any(_clean(t) in ORG_WORDS for t in tokens):
            return  # "Scottish Lactation Network", "Black Breastfeeding Week": not a person
        name = _clean(rest[0])
        if name in NOT_NAMES and not (len(rest) > 1 and name in AMBIGUOUS_FIRST):
            return
        start, end = span_words[0][0], span_words[-1][1]
        initial = sentence_initial(text, start)
        prev = _previous_word(lower, start)
        cue = prev in PERSON_CUES
        if len(rest) >= 2:
            tail = _clean(rest[-1])
            score = 0.85 if (tail in last or tail in first) else 0.75
            if text[start:end] in place_names() and not cue:
                score -= 0.2
            yield Candidate("person", start, end, score, self.name)
            return
        # one word alone: the gazetteer holds many words that are also names
        # ("Black", "Open"), so a single word needs the context to say it is a person
        said = cue or _two_word_cue(lower, start) or _person_after(lower, end)
        if said:
            score = 0.8
        elif _vocative(text, end) or text[end : end + 2] in ("'s", "’s"):
            score = 0.6
        else:
            score = 0.3 if initial else 0.45
        if name in place_names() and not cue:
            score -= 0.15
        yield Candidate("person", start, end, score, self.name)


#: First names that are also months or words; a name only when a surname follows.
AMBIGUOUS_FIRST = frozenset(
    [
        "April",
        "May",
        "June",
        "August",
        "Summer",
        "Hope",
        "Faith",
        "Joy",
        "Grace",
        "Will",
        "Bill",
        "Mark",
        "Rose",
        "Sunny",
        "Angel",
        "Star",
        "Honey",
        "Dawn",
        "Autumn",
        "Winter",
        "Art",
        "Rich",
        "Guy",
        "Jack",
    ]
)


def _first_name(tokens: list[str], i: int, first: Words, last: Words) -> bool:
    token = _clean(tokens[i])
    if token in first:
        return True
    if "-" in token and all(part in first for part in token.split("-") if part):
        return True  # "Klaus-Michael"
    if token in AMBIGUOUS_FIRST and i + 1 < len(tokens):
        nxt = _clean(tokens[i + 1])
        return nxt in last or "-" in nxt
    return False


def _clean(token: str) -> str:
    for suffix in ("'s", "’s"):
        if token.endswith(suffix):
            return token[: -len(suffix)]
    return token


def _words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    i = start
    while i < end:
        while i < end and text[i] in " \t":
            i += 1
        j = i
        while j < end and text[j] not in " \t":
            j += 1
        if j > i:
            token = text[i:j]
            # lower-case particles ("da", "van") stay inside a name but never start or end one
            if token[0].isupper():
                out.append((i, j))
            elif out:
                pass
        i = j
    # a possessive "'s" belongs to the sentence, not the name
    if out:
        s, e = out[-1]
        if text[s:e].endswith(("'s", "’s")):
            out[-1] = (s, e - 2)
    return out


def _previous_word(lower: str, start: int) -> str:
    chunk = words_of(lower[max(0, start - 25) : start]).split()
    return chunk[-1] if chunk else ""


#: Words that make a run of capitalised words an organisation, event or venue.
ORG_WORDS = frozenset(
    [
        "College",
        "Network",
        "Centre",
        "Center",
        "Hub",
        "Week",
        "Month",
        "Day",
        "Code",
        "Families",
        "Medicine",
        "Nursery",
        "Courier",
        "Hospital",
        "Trust",
        "Foundation",
        "Association",
        "Society",
        "Group",
        "Council",
        "Service",
        "Services",
        "University",
        "School",
        "Clinic",
        "Team",
        "Club",
        "Café",
        "Cafe",
        "Library",
        "Church",
        "Hall",
        "Park",
        "Metropole",
        "Hotel",
        "Press",
        "News",
        "Times",
        "Post",
        "Journal",
        "Institute",
        "Alliance",
        "Coalition",
        "Project",
        "Partnership",
        "Company",
        "Ltd",
        "Inc",
        "LLC",
        "Photography",
        "Studio",
        "Studios",
        "Consulting",
        "Lactation",
        "Breastfeeding",
        "Feeding",
        "Milk",
        "Awards",
        "Conference",
        "Summit",
        "Festival",
        "Campaign",
        "Initiative",
        "Programme",
        "Program",
        "Unit",
        "Ward",
        "Department",
        "Ministry",
        "Board",
        "Committee",
        "Office",
        "Agency",
        "Commission",
        "Federation",
        "Union",
        "Support",
        "Line",
        "Helpline",
        "Collective",
    ]
)

#: Two words before a name that introduce a person: "ask for Kai", "pregunta por Ana".
TWO_WORD_CUES = frozenset(
    [
        "ask for", "asked for", "speak to", "talk to", "spoke to", "talked to", "pregunta por",
        "preguntar por", "demandez à", "fragen nach", "hablar con", "falar com", "this is",
        "sa akin", "si ate", "si kuya", "kay ate",
    ]
)  # fmt: skip
#: Words after a single name that show it is someone's: "Maria here", "Kai and I".
_PERSON_AFTER = ("here", "and i", "said", "says", "asked", "is my", "was born", "aquí", "ici")


def _two_word_cue(lower: str, start: int) -> bool:
    chunk = words_of(lower[max(0, start - 30) : start]).split()
    return " ".join(chunk[-2:]) in TWO_WORD_CUES


def _person_after(lower: str, end: int) -> bool:
    after = words_of(lower[end : end + 15])
    return any(after.startswith(f" {w} ") for w in _PERSON_AFTER)


def _vocative(text: str, end: int) -> bool:
    """ "Anna, ..." / "Anna!" at the start of a message: addressed to a person."""
    rest = text[end : end + 2]
    return rest[:1] in (",", "!") or rest[:2] in (" —", " -")
