"""Posts and comments written by outsiders (issue 9) through the whole engine.

Each case is the issue's example, paraphrases a different writer might post,
and near misses: compliant text that shares the example's words. A violating
text must get a finding in the right family; a near miss must get none in it.
Every frame in postguard.detectors.frames must match at least one of the
violating examples of its family here, so no frame is dead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

import postguard
from postguard.detectors.frames import FRAMES


@dataclass(frozen=True)
class Case:
    name: str
    family: str  # a category, or a category prefix ending in "."
    violating: tuple[str, ...]
    compliant: tuple[str, ...]
    context: dict[str, Any] = field(default_factory=dict)


INBOUND = {"account": "official", "kind": "comment", "direction": "inbound"}

CASES = (
    Case(
        "a threat against whoever reported the writer",
        "language.harassment",
        (
            "Whoever reported my page to IBLCE, I know who you are and I will make sure every"
            " parent in this town knows what you did.",
            "To the coward who complained about me to the association: I know exactly who you"
            " are, and soon everyone at the school gates will too.",
            "Whoever filed that complaint against me, watch your back.",
            "I know who reported me. You'll regret it.",
            "We know who did this. Everybody in the village will hear about it, I promise.",
        ),
        (
            "I will make sure every parent in this town knows about our free breastfeeding"
            " drop-in on Tuesdays.",
            "Thank you to whoever reported the broken link on my page, it's fixed now.",
            "If you know who runs the local baby café, please let them know we have new leaflets.",
            "Whoever reported the typo, thanks! We'll make sure everyone gets the corrected"
            " leaflet.",
            "I know who you are talking about, she's lovely and I'll make sure everyone says hi.",
        ),
    ),
    Case(
        "contempt for a group of clients (CPC 6.3)",
        "language.bias",
        (
            "Teen mums on benefits are the worst clients. I've stopped taking referrals from"
            " that estate.",
            "Honestly, single mothers from the council estates are the most hopeless clients"
            " I've ever had.",
            "I won't take referrals from travellers any more, they're a nightmare to work with.",
            "Older mothers are a nightmare. I no longer accept bookings from them.",
            "Muslim families are the most difficult clients, I've stopped seeing them.",
        ),
        (
            "Teen mums on benefits can get free vitamins through the Healthy Start scheme,"
            " ask us how.",
            "We've started taking referrals from the Riverside estate, welcome to all families"
            " there.",
            "Our support group for young mothers meets every Thursday; the worst weeks are"
            " easier with company.",
            "Teen mums are the worst served group in maternity care; we're working to change that.",
        ),
    ),
    Case(
        "a breast-milk substitute promoted, idealised or thanked as a sponsor",
        "commercial.bms_marketing",
        (
            "Thank you to our friends at NutriStart for sponsoring this year's conference! Their"
            " new HMO-enriched Stage 1 formula is the closest thing yet to breastmilk.",
            "Aptamil follow-on milk is a great choice after 6 months.",
            "Huge thanks to BabyBest for supporting our study day. Their infant formula is"
            " nearly as good as mother's milk!",
            "Big shout-out to our sponsor MilkCo. Their new toddler milk is perfect for when you"
            " stop breastfeeding.",
            "Little Oak first infant milk is the best start we know of.",
            "Honestly this formula is just like breastmilk, my twins loved it.",
        ),
        (
            "IPALA complies with the WHO International Code of Marketing of Breast-milk"
            " Substitutes: we accept no sponsorship from manufacturers of formula, bottles or"
            " teats.",
            "Thank you to our friends at the city library for hosting this year's conference!"
            " Their new family reading room is lovely.",
            "If you use infant formula, follow the preparation instructions on the tin carefully"
            " and ask your health visitor if unsure.",
            "Seen a follow-on formula advertised as nearly as good as breastmilk? Report it to us.",
        ),
        {"account": "official"},
    ),
    Case(
        "a diagnosis from a photo or a description, in a public reply",
        "clinical.individual_advice",
        (
            "From your pic that looks like a classic posterior tie + high palate. Def get it"
            " revised.",
            "Looking at your photo, your baby definitely has a tongue tie, you should get it"
            " snipped.",
            "From what you describe that sounds like thrush on your nipples, get some nystatin"
            " for the baby too.",
            "Judging by the picture your little one has a lip tie. Get it cut asap.",
            "Based on your video it looks like reflux to me.",
        ),
        (
            "Tongue tie is one of many things an IBCLC may assess in a private consultation;"
            " please book an appointment.",
            "Our free webinar on posterior tongue tie and high palate, with a paediatric"
            " dentist, is on Monday.",
            "From your pic that looks like a lovely deep latch, well done!",
        ),
        {"kind": "reply"},
    ),
    Case(
        "leaked or inside information about the association",
        "information.confidential",
        (
            "Leaked from today's IPALA council meeting: fees up 30%, two council members under"
            " investigation",
            "Inside info from the council: the treasurer is being investigated and membership"
            " fees will rise next year.",
            "Not supposed to share this yet, but the board voted last night to close the Leeds"
            " branch.",
            "Heard from a board member that IPALA are about to cut the regional budgets in half.",
        ),
        (
            "The minutes of today's IPALA council meeting are now published on the members'"
            " website.",
            "IPALA council has announced membership fees will rise by 3% next year; see the"
            " official notice.",
            "Our annual report is out: read about the council's work this year.",
        ),
    ),
    Case(
        "a personal account speaking in an office of the association",
        "voice.",
        (
            "Speaking as IPALA's Vice-President: nipple shields are massively overused.",
            "As IPALA's president I can tell you dummies ruin breastfeeding.",
            "Wearing my IPALA treasurer hat here: most lactation cookies are a total scam.",
            "Writing as IPALA secretary, I think the new guidance is nonsense.",
        ),
        (
            "IPALA's Vice-President will speak about nipple shields at the conference on Friday.",
            "My personal view, not IPALA's: I love the new conference venue.",
            "Congratulations to our new Vice-President, elected at today's AGM.",
            "As IPALA's president said at the AGM, volunteers are our strength.",
        ),
    ),
    Case(
        "a named colleague disparaged",
        "language.harassment",
        (
            "Dr Patel at the Leeds clinic is a useless quack. Avoid her like the plague.",
            "Nurse Evans is a total fraud, steer clear of her.",
            "Mr Okafor at the baby clinic is a complete cowboy.",
            "Honestly Mrs Brown? Stay away from her.",
        ),
        (
            "Dr Patel at the Leeds clinic is a wonderful colleague; I can't recommend her highly"
            " enough.",
            "Avoid dummies in the first weeks, says Dr Patel, as they can affect latch.",
            "Sarah Jones will present our quack-remedy myth-busting session on Friday.",
        ),
    ),
    Case(
        "a third party's perinatal mental health crisis, inbound",
        "signal.crisis",
        (
            "my sister hasn't left her room since the baby came 3 wks ago and says she doesn't"
            " want him",
            "My wife keeps crying all day since our daughter was born and says we'd be better"
            " off without her",
            "my friend had her baby a month ago and she won't hold him, says she feels nothing"
            " for him",
            "my daughter in law has stopped eating since the birth and says the baby would be"
            " better off with someone else",
        ),
        (
            "my sister hasn't left the house much since the baby came but she's loving the"
            " newborn cuddles",
            "my sister doesn't want a second baby, she says one is enough!",
            "the baby came 3 weeks ago and we are all doing well, thanks for the advice",
        ),
        INBOUND,
    ),
    Case(
        "commenters who wish the association's members jailed, inbound",
        "language.harassment",
        (
            "You lactivist cows should be locked up, you're killing babies",
            "you lot should be jailed, starving babies for your ideology",
            "You people deserve to be in prison",
            "you are literally murdering babies with this advice",
        ),
        (
            "Thank you for the support, you're saving babies' lives",
            "Should babies be locked into a feeding schedule? Asking for a friend",
            "I felt like a cow being milked with that pump lol",
        ),
        INBOUND,
    ),
    Case(
        "clients connected or watched on personal social media (IPALA 2(e))",
        "clinical.boundaries",
        (
            "Added all my clients on FB so I can keep an eye on them",
            "I follow all my clients on Instagram so I can check how they're getting on.",
            "I've friended every mum I've seen this year on Facebook, easier to keep tabs on them.",
            "I DM my clients from my personal account to check on their feeds.",
        ),
        (
            "Added all my recipes to the FB page so you can keep an eye out for new ones",
            "Follow our official Instagram account for updates on drop-in sessions.",
            "I keep an eye on my clients' progress through follow-up appointments at the clinic.",
        ),
    ),
)


def _in_family(category: str, family: str) -> bool:
    return category.startswith(family) if family.endswith(".") else category == family


def _rows(violating: bool) -> list[Any]:
    return [
        pytest.param(case, text, id=f"{case.name[:40]}-{i}")
        for case in CASES
        for i, text in enumerate(case.violating if violating else case.compliant)
    ]


@pytest.mark.parametrize(("case", "text"), _rows(True))
def test_an_outsiders_violating_text_gets_a_finding_in_its_family(case: Case, text: str) -> None:
    report = postguard.check(text, **case.context)
    found = sorted(report.categories)
    assert any(_in_family(c, case.family) for c in found), (case.family, found)


@pytest.mark.parametrize(("case", "text"), _rows(False))
def test_a_near_miss_sharing_the_words_gets_no_finding_in_that_family(
    case: Case, text: str
) -> None:
    report = postguard.check(text, **case.context)
    found = sorted(report.categories)
    assert not any(_in_family(c, case.family) for c in found), (case.family, found)


def test_every_case_has_the_example_three_paraphrases_and_two_near_misses() -> None:
    assert all(len(c.violating) >= 4 and len(c.compliant) >= 2 for c in CASES)


@pytest.mark.parametrize("frame", FRAMES, ids=[f.name for f in FRAMES])
def test_every_frame_matches_one_of_its_familys_examples(frame: Any) -> None:
    examples = [
        text for case in CASES if _in_family(frame.category, case.family) for text in case.violating
    ]
    assert any(frame.find(text) is not None for text in examples), frame.name


@pytest.mark.parametrize("frame", FRAMES, ids=[f.name for f in FRAMES])
def test_no_frame_matches_a_near_miss_of_its_family(frame: Any) -> None:
    near = [
        text for case in CASES if _in_family(frame.category, case.family) for text in case.compliant
    ]
    assert all(frame.find(text) is None for text in near), frame.name


def test_a_frames_veto_is_exercised_by_a_near_miss_its_parts_match() -> None:
    for frame in (f for f in FRAMES if f.unless is not None):
        near = [t for c in CASES if _in_family(frame.category, c.family) for t in c.compliant]
        vetoed = [t for t in near if frame.unless.search(t) and frame.parts[0].search(t)]
        assert vetoed, frame.name


@pytest.mark.parametrize(
    "text",
    [
        "As a WHO Code compliant association, we never accept sponsorship or collaboration from"
        " formula companies.",
        "IPALA complies with the International Code: we do not accept sponsorship, partnership"
        " or funding from companies that market formula, bottles or teats.",
    ],
)
def test_the_associations_own_who_code_statement_is_not_an_unapproved_topic(text: str) -> None:
    report = postguard.check(text, account="official")
    assert "information.unapproved" not in report.categories, report.categories


def test_a_sponsorship_announcement_is_still_an_unapproved_topic() -> None:
    text = "Big news: we've agreed a sponsorship and partnership deal with a new funder!"
    assert "information.unapproved" in postguard.check(text, account="official").categories
