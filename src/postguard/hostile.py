"""Hostile input: text shapes that once made a detector slow, for tests and timings.

Each shape is a short seed repeated to the wanted length: repeated phrases
from each detector family (a care location, a list of names, insults, a
phone-like run of digits ...), long runs of capitals, digits, punctuation,
emoji and whitespace, one enormous word, many short lines, mixed scripts.
``scripts/hostile_timings.py`` times the engine on each at 200,000
characters (the longest post it accepts); ``tests/test_hostile_input.py``
checks that each completes.
"""

from __future__ import annotations

SEEDS: dict[str, str] = {
    "care location": "St Mary's ward 4, room ",
    "list of names": "Anna Bell, Bob Carr and Carl Dunn, ",
    "capitalised names": "Anna Bell ",
    "capitals": "ABCDEFGHIJ ",
    "digits": "0123456789",
    "digit groups": "0412 555 019 ",
    "punctuation": "!?.,;:-()[]'\"",
    "emoji": "😀👶🍼 ",
    "whitespace": " \t x",
    "one long word": "a",
    "short lines": "hi\n",
    "mixed scripts": "Ana Перов 田中 محمد ",
    "e-mail": "a.b@c.d ",
    "links": "http://x.y/ ",
    "hashtags": "#breastfeeding ",
    "infant age": "my baby is 3 weeks old ",
    "dose": "take 200mg ibuprofen every 4 hours ",
    "formula brand": "buy Aptamil formula now ",
    "street address": "12 High Street, London ",
    "date of birth": "born on 12/03/2024 ",
    "quotation": '"She said" ',
    "insult": "The woman in this photo is an ugly fat idiot who shouldn't be allowed near babies. ",
    "obfuscated profanity": "F*ck off with this guilt-trip sh*t, you preachy muppets ",
    "hostile complaint": "You lot are a bunch of breastfeeding nazis. Go to hell. ",
    "crisis": "I can't do this anymore, I want to disappear ",
    "consult request": "Can you DM me, my baby won't latch and I need help ",
    "attribution": "Studies show breast milk cures colic ",
    "staff appositive": "Grace, Tomasz and Nkechi ",
    "born at": "born at Royal Infirmary then transferred to ",
    "negative words": "awful terrible not good bad sad ",
    "quasi-identifiers": "she is 19yo, 3rd bub, living in her car on Harbour Rd in Leeds, ",
    "client in Spanish": "Mi clienta, 19 años, nació el 3 de mayo, sala 4, mastitis. ",
}


def shape(name: str, size: int) -> str:
    """The shape ``name`` at exactly ``size`` characters."""
    seed = SEEDS[name]
    return (seed * (size // len(seed) + 1))[:size]
