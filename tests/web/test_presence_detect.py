"""The presence detectors on tables of examples, negatives beside positives: term
matching, impersonation, claimed endorsements and misinformation."""

from __future__ import annotations

import pytest

from postguard.web.presence import detect

ORG = ["IPALA", "@ipala.org", "International Peer Lactation Association"]
GENUINE = ["ipala.org", "@ipala@social.example"]


@pytest.mark.parametrize(
    ("text", "term", "expected"),
    [
        ("Great talk by IPALA today", "IPALA", True),
        ("great talk by ipala today", "IPALA", True),
        ("Join #WBW2026 this week", "#wbw2026", True),
        ("Join WBW2026 this week", "#WBW2026", True),
        ("Thanks @ipala.org!", "@ipala.org", True),
        ("The Dana  Smith practice", "Dana Smith", True),
        ("IPALAS is another group", "IPALA", False),
        ("#WBW20267 is not ours", "#WBW2026", False),
        ("Danas Smithers", "Dana Smith", False),
        ("anything", "#", False),
    ],
)
def test_a_term_matches_whole_words_only(text: str, term: str, expected: bool) -> None:
    assert detect.matches(text, term) is expected


@pytest.mark.parametrize(
    ("author", "display", "flagged"),
    [
        ("lPALA_official", "", True),  # l for I, plus "official"
        ("ipala-real.bsky.social", "", True),
        ("someone.bsky.social", "ΙΡΑLΑ", True),  # Greek capitals that read as IPALA
        ("ipa1a", "", True),
        ("theipala", "", True),
        ("ipala.org", "IPALA", False),  # the association's own account
        ("ipala@social.example", "IPALA", False),
        ("paula.bsky.social", "Paula", False),
        ("ipalafan", "Big fan", False),
        ("news.example", "Local news", False),
        ("", "", False),
    ],
)
def test_an_author_reading_like_the_association_is_impersonation(
    author: str, display: str, flagged: bool
) -> None:
    found = detect.impersonation(author, display, ORG, GENUINE)
    assert (found is not None) is flagged
    if found:
        assert found.category == detect.IMPERSONATION


def test_a_member_can_be_impersonated_too() -> None:
    assert detect.impersonation("dana_smlth", "", ["Dana Smith"], ()) is not None
    assert detect.impersonation("dana_jones", "", ["Dana Smith"], ()) is None


def test_short_names_are_never_impersonated() -> None:
    # Three letters read like too many handles to say anything (precision first).
    assert detect.impersonation("ab_c", "", ["ABC"], ()) is None


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("IPALA endorses SuperMilk formula!", True),
        ("IPALA officially recommends this bottle", True),
        ("Endorsed by IPALA: the Milky app", True),
        ("This pump is IPALA-approved", True),
        ("Brought to you in partnership with the International Peer Lactation Association", True),
        ("IPALA's recommends list", True),
        ("IPALA says to buy BabyBest", True),
        ("IPALA does not endorse any product", False),
        ("IPALA held its meeting today", False),
        ("I recommend IPALA's support groups", False),
        ("SuperMilk is endorsed by celebrities", False),
    ],
)
def test_a_claim_that_the_association_endorses_something(text: str, flagged: bool) -> None:
    assert (detect.endorsement_claim(text, ORG) is not None) is flagged


MYTHS = [
    "Formula is just as good as breast milk, honestly.",
    "Breastmilk has no real benefits after six months.",
    "The WHO Code is not binding on anyone any more.",
    "You must stop breastfeeding if you have a cold.",
    "Small breasts can't make enough milk.",
]
FACTS = [
    "Formula is not the same as breast milk.",
    "Breast milk has antibodies that protect babies.",
    "The WHO Code protects families from marketing.",
    "You can keep breastfeeding when you have a cold.",
    "Breast size does not limit supply.",
]


@pytest.mark.parametrize("text", MYTHS)
def test_a_known_false_claim_is_misinformation(text: str) -> None:
    found = detect.misinformation(text)
    assert found is not None and found.category == detect.MISINFORMATION


@pytest.mark.parametrize("text", FACTS)
def test_the_facts_are_not_misinformation(text: str) -> None:
    assert detect.misinformation(text) is None


def test_every_misinformation_pattern_has_an_example() -> None:
    matched = set()
    for text in MYTHS:
        folded = detect.fold(text)
        for i, (pattern, _reason) in enumerate(detect._MYTH_PATTERNS):
            if pattern.search(folded):
                matched.add(i)
    assert matched == set(range(detect.pattern_count()))


def test_the_detectors_are_bounded_on_hostile_text() -> None:
    text = ("IPALA " * 20_000) + "endorsed by " * 5_000
    assert detect.endorsement_claim(text, ORG) is not None
    assert detect.misinformation("formula is " * 20_000) is None
