"""Tests for the commercial detectors: undisclosed interests and the WHO Code."""

from __future__ import annotations

import pytest

from postguard.content import Content, Context
from postguard.detectors.base import DetectorConfigError, Document
from postguard.detectors.commercial import BmsMarketingDetector, UndisclosedInterestDetector


def doc(text: str) -> Document:
    return Document(Content(text))


# --------------------------------------------------------------------------
# undisclosed interest

UNDISCLOSED = [
    ("Love this nursing bra! Get yours here: amzn.to/3xYz12", "affiliate link"),
    ("My go-to cream https://shop.example.com/p/123?tag=lactmum-21", "affiliate link"),
    ("Use code MILK20 for 20% off nipple cream", "discount code"),
    ("Thanks to Lansinoh for sending me this nursing pillow!", "gift"),
    ("This post is in collaboration with Medela.", "sponsorship"),
    # "Gifted:" as a label is a disclosure (corpus guidelines), so the gift
    # row here is one told without it.
    ("Elvie kindly sent me their new pump, obsessed!", "gift"),
    ("Been using the nipple balm the lovely team at Balmy sent over, obsessed", "gift"),
    ("Proud SnugBub ambassador! my link: snugbub.example.com/r/jo", "sponsorship"),
    ("My booking link gives you a free bottle of tincture worth $30 😉", "link promotion"),
    (
        "Just back from the PumpCo factory tour in Malmö, they flew six of us out. "
        "Their new hands-free is 🔥",
        "paid trip",
    ),
    ("Grab my favourite nursing tops, link in bio!", "link promotion"),
    (
        "The breast shells I give every client - get yours here: shop.example.net/r/amy",
        "shopping link",
    ),
    ("Best nursing cami ever, buy one 👉 example.org/p/cami-22", "shopping link"),
    ("Link in bio, and type MUMMA25 at checkout! Or use MUMMA25 for money off", "discount code"),
    ("Happy mail today: a parcel from SnugBub with their new sling 😍", "parcel"),
    (
        "Flew out to Oslo with the NordPump crew, spa day included. Their new pump is ace.",
        "paid trip",
    ),
    ("Grab these nursing pads at softie.example.com, honestly the best", "shopping link"),
]

DISCLOSED_OR_NONE = [
    "Nipple cream I use: https://shop.example.com/p?tag=abc-21 #ad",
    "Gifted product — #gifted. Loving this pump.",
    "Conflict of interest: I am a paid consultant for Medela. Their new pump is great.",
    "Use code MILK20 for 20% off nipple cream (affiliate link, I earn a commission).",
    "In partnership with the NHS we run a drop-in clinic.",
    "Thanks to everyone who came to our support group today!",
    "Our course handouts are linked in our profile.",
    "Get your free place here: example.org/events/cafe",
    "Buy one now: example.com/p/cami-22 (affiliate link)",
    "Look what came in the post today: my recertification letter!",
    "Just back from a week in Cornwall with the family, back to clinic Monday.",
    "Our summer picnic is kindly sponsored by the corner bakery.",
    "Our study day lanyards are sponsored by PebbleCo this year.",
    "Gifted: new pump from Elvie, obsessed!",
    "New nursing pillow from Snuggo, honest review in stories (Sponsored)",
    "Our helpline is sponsored by the county council's public health fund this year.",
    "The lovely mum I've been seeing sent me a card and a box of tray bakes.",
    "The health workers gave us a banner they'd painted on the last day.",
]


@pytest.mark.parametrize(("text", "kind"), UNDISCLOSED)
def test_it_flags_a_commercial_interest_without_a_disclosure(text: str, kind: str) -> None:
    hits = UndisclosedInterestDetector().detect(doc(text))
    assert kind in [h.note for h in hits]
    for hit in hits:
        assert text[hit.start : hit.end] == hit.evidence


@pytest.mark.parametrize("text", DISCLOSED_OR_NONE)
def test_it_passes_a_disclosed_or_non_commercial_post(text: str) -> None:
    assert UndisclosedInterestDetector().detect(doc(text)) == []


def test_praise_for_a_brands_products_is_an_interest_on_the_official_account() -> None:
    text = "Can't get enough of the new nursing tops from @MumWear, our volunteers are fans"
    official = Document(Content(text, context=Context(account="official")))
    assert [h.note for h in UndisclosedInterestDetector().detect(official)] == ["brand promotion"]
    assert UndisclosedInterestDetector().detect(doc(text)) == []
    for other in (
        "Huge thanks to @UNICEF_UK for the best guidance out there.",
        "We love this post from @FeedTalk on cluster feeding, give it a read!",
    ):
        assert (
            UndisclosedInterestDetector().detect(
                Document(Content(other, context=Context(account="official")))
            )
            == []
        )


def test_a_brand_shout_out_is_an_interest_only_on_the_official_account() -> None:
    text = "Our friends at WrapNest make gorgeous slings, check them out!"
    official = Document(Content(text, context=Context(account="official")))
    assert [h.note for h in UndisclosedInterestDetector().detect(official)] == ["brand promotion"]
    assert UndisclosedInterestDetector().detect(doc(text)) == []
    for other in (
        "Our friends at La Leche League run a helpline, check them out!",
        "Our friends at Brightwell Uni published a new study on donor milk.",
        "#ad Our friends at WrapNest make gorgeous slings, check them out!",
    ):
        assert (
            UndisclosedInterestDetector().detect(
                Document(Content(other, context=Context(account="official")))
            )
            == []
        )


# --------------------------------------------------------------------------
# WHO Code

MARKETING = [
    ("Our favourite formula is Aptamil First Milk!", "promotion"),
    ("Win a free tin of Kendamil - enter below", "samples"),
    ("Use code BABY10 for 10% off Similac", "discount"),
    ("Aptamil is closest to breast milk", "idealising"),
    ("Proudly sponsored by Nestlé", "sponsorship"),
    ("Tommee Tippee bottles are the best bottle for breastfed babies #ad", "promotion"),
    ("Try the SMA First Infant Milk, we love it", "promotion"),
    ("Bottles inspired by the breast with a natural latch!", "idealising"),
    ("Thanks to BrightBaby Infant Milks for the gift bags!", "samples"),
    ("Meadow Farm Goat Formula is the one I trust", "promotion"),
    ("The TinySup Natural teat is the best match for a breastfed baby", "idealising"),
    ("Honestly CloudyBay Stage 2 is better than breast milk for some", "idealising"),
    ("Our study day is supported by PebbleCo Follow-On Milk", "sponsorship"),
    ("Toddler milk is the best way to give your child everything they need", "idealising"),
    ("Back from their summit and honestly their new formula is incredible", "promotion"),
]

NOT_MARKETING = [
    "If you use formula, follow safe preparation: boil water, cool to 70°C.",
    "Nestlé breached the WHO Code again, reports Baby Milk Action.",
    "Formula ads claiming to be 'inspired by breast milk' are misleading.",
    "Don't forget your water bottle at the class - we love hydrated mums!",
    "Check out our new leaflet on responsive bottle feeding.",
    "SMA is a genetic condition; we love supporting these families.",
    "Use code CONF24 for 20% off conference tickets.",
    "A cow's teat and a baby's latch are not the same thing.",
    "The best way to hold a bottle is nearly level, so baby can pace the feed.",
    "Breast milk really is liquid gold for premature babies.",
    "Should I switch to formula at night? I'm so tired.",
    "Join our WhatsApp first-time parents group, we love hearing from you!",
    "Safe Infant Formula Preparation: check out our new leaflet.",
    "Seen a formula marketed as 'closest to breast milk'? Tell us where.",
    "If you use infant formula, first infant milk is the only formula needed; others are not.",
    "Get one free from nhs.uk or grab a copy at ipala.example.org",
]


@pytest.mark.parametrize(("text", "aspect"), MARKETING)
def test_it_flags_marketing_of_a_breast_milk_substitute(text: str, aspect: str) -> None:
    hits = BmsMarketingDetector().detect(doc(text))
    assert aspect in [h.note.split(":")[0] for h in hits]


@pytest.mark.parametrize("text", NOT_MARKETING)
def test_it_passes_factual_or_critical_talk_about_formula(text: str) -> None:
    assert BmsMarketingDetector().detect(doc(text)) == []


def test_a_disclosure_does_not_excuse_promoting_formula() -> None:
    text = "#ad Our favourite formula is Kendamil, use code MUM15 for 15% off"
    assert UndisclosedInterestDetector().detect(doc(text)) == []
    notes = [h.note.split(":")[0] for h in BmsMarketingDetector().detect(doc(text))]
    assert {"promotion", "discount"} <= set(notes)


def test_it_reports_only_the_aspects_a_rule_selects() -> None:
    text = "Win a free tin of Kendamil - enter below"
    assert BmsMarketingDetector(aspects=["idealising"]).detect(doc(text)) == []
    with pytest.raises(DetectorConfigError):
        BmsMarketingDetector(aspects=["cheapness"])


def test_batched_detection_gives_the_same_hits_as_one_document_at_a_time() -> None:
    texts = [t for t, _ in MARKETING] + NOT_MARKETING + [t for t, _ in UNDISCLOSED]
    docs = [doc(t) for t in texts]
    for detector in (BmsMarketingDetector(), UndisclosedInterestDetector()):
        assert detector.detect_many(docs) == [detector.detect(d) for d in docs]
