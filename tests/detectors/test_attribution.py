"""Attribution: third-party material needs a credit or a source (IPALA 2(c), IBLCE)."""

from __future__ import annotations

import pytest

from postguard.content import Content, Context, Media
from postguard.detectors.attribution import MissingAttributionDetector
from postguard.detectors.base import DetectorConfigError, Document
from postguard.detectors.registry import detector_class

DETECTOR = MissingAttributionDetector()


def doc(text: str, *media: Media, account: str = "official") -> Document:
    return Document(Content(text, media=media, context=Context(account=account)))  # type: ignore[arg-type]


def evidence(text: str, *media: Media) -> list[str]:
    return [hit.evidence for hit in DETECTOR.detect(doc(text, *media))]


# (name, text, expected evidence): positives and their near misses side by side.
CASES = [
    (
        "it_flags_sharing_someone_elses_photo",
        "Sharing this amazing photo of skin-to-skin, so beautiful!",
        ["Sharing this amazing photo"],
    ),
    (
        "it_passes_the_same_photo_with_a_photo_credit",
        "Sharing this amazing photo of skin-to-skin. Photo by @janedoe",
        [],
    ),
    (
        "it_passes_the_same_photo_with_a_camera_emoji_credit",
        "Sharing this amazing photo of skin-to-skin 📸 @janedoe",
        [],
    ),
    (
        "it_flags_a_video_found_on_instagram",
        "Found this video on Instagram, every parent should watch it",
        ["Found this video"],
    ),
    (
        "it_passes_a_found_video_with_a_link",
        "Found this video on latch, every parent should watch it https://youtu.be/abc123",
        [],
    ),
    ("it_flags_a_bare_repost", "Repost 🙏 so important for new parents", ["Repost"]),
    ("it_passes_a_repost_that_names_the_creator", "Repost from @milkmatters 🙏 so important", []),
    (
        "it_flags_saw_this_on_instagram",
        "Saw this on Instagram and had to share",
        ["Saw this on Instagram"],
    ),
    (
        "it_flags_an_infographic_without_a_source",
        "Check out this infographic about hand expression",
        ["Check out this infographic"],
    ),
    (
        "it_passes_our_own_infographic",
        "Check out our new infographic about hand expression",
        [],
    ),
    (
        "it_passes_an_infographic_we_made",
        "We made this infographic about hand expression for clinic waiting rooms",
        [],
    ),
    (
        "it_passes_an_infographic_with_a_source_line",
        "Check out this infographic about hand expression. Source: UNICEF Baby Friendly",
        [],
    ),
    (
        "it_flags_an_unnamed_study_quoted_as_authority",
        "As the study says, skin to skin improves outcomes.",
        ["As the study says"],
    ),
    (
        "it_passes_a_study_cited_by_author_and_year",
        "As the study says (Moore et al., 2016), skin to skin improves outcomes.",
        [],
    ),
    (
        "it_flags_text_from_an_unnamed_article",
        "From an article I read: pumping at night keeps supply up.",
        ["From an article"],
    ),
    (
        "it_passes_article_text_with_a_doi",
        "From an article I read: pumping at night keeps supply up. doi:10.1186/s13006-020-1",
        [],
    ),
    (
        "it_flags_a_long_quotation_without_a_source",
        '"Breastfeeding is a mother\'s gift to herself, her baby and the earth and all of us"'
        " so true",
        ['"Breastfeeding is a mother\'s gift to herself, her baby and the earth and all of us"'],
    ),
    (
        "it_passes_a_long_quotation_signed_with_a_dash",
        '"Breastfeeding is a mother\'s gift to herself, her baby and the earth and all of us"'
        " — Pamela K. Wiggins",
        [],
    ),
    (
        "it_passes_a_long_quotation_with_a_named_speaker",
        "“Every family deserves skilled lactation support in the first days after birth,”"
        " said Dr Ade at the conference.",
        [],
    ),
    (
        "it_passes_a_short_quotation",
        'Parents tell us the "first week is the hardest" and they are right.',
        [],
    ),
    (
        "it_flags_pasted_article_text",
        "Night feeds matter for supply. Continue reading… All rights reserved.",
        ["Continue reading", "All rights reserved"],
    ),
    (
        "it_passes_read_more_with_a_link",
        "Night feeds matter for supply. Read more: ipala.org/night-feeds",
        [],
    ),
    (
        "it_passes_a_photo_shared_with_permission",
        "Sharing this photo shared with permission from the Okafor family",
        [],
    ),
    (
        "it_passes_a_photo_credited_via_a_handle",
        "Love this photo via @lactationart",
        [],
    ),
    (
        "it_flags_a_photo_credited_to_an_unnamed_owner",
        "Love this photo! Credit to the owner",
        ["Love this photo", "Credit to the owner"],
    ),
    (
        "it_passes_photos_from_our_own_event",
        "Sharing these lovely photos from today's walk, thank you all for coming!",
        [],
    ),
    (
        "it_flags_a_credit_that_names_nobody",
        "Photo from the Big Latch On in Glasgow (credit: unknown)",
        ["credit: unknown"],
    ),
    (
        "it_flags_a_camera_emoji_that_credits_nobody",
        "Sharing this gorgeous photo of a rugby-hold feed 📸",
        ["Sharing this gorgeous photo"],
    ),
    (
        "it_flags_a_quotation_in_straight_single_quotes",
        "Not my words but so true: 'You are not failing. You are feeding a human with your body.'",
        ["Not my words", "'You are not failing. You are feeding a human with your body.'"],
    ),
    (
        "it_flags_text_copied_from_someone_elses_wall",
        "Copying this from a friend's wall: be kind to your body.",
        ["Copying this", "from a friend's wall"],
    ),
    (
        "it_passes_a_wish_that_we_had_made_it",
        "Sharing this brilliant video on laid-back feeding by @milkmatters, wish I'd made it!",
        [],
    ),
    (
        "it_flags_a_wish_that_we_had_made_it_without_a_credit",
        "Sharing this brilliant video on laid-back feeding, wish I'd made it!",
        ["Sharing this brilliant video"],
    ),
    ("it_passes_a_post_with_no_third_party_material", "Our clinic is open Monday to Friday.", []),
    (
        "it_passes_a_post_that_talks_about_itself",
        "In this post we explain how to hand express.",
        [],
    ),
    (
        "it_flags_a_credit_to_whoever_made_it",
        "Credit to whoever made this chart on milk storage 👇",
        ["Credit to whoever", "this chart"],
    ),
    (
        "it_flags_an_unknown_credit_after_a_photo_that_says_it_all",
        "This photo of twins feeding at the NICU says it all. (Credit: unknown)",
        ["This photo", "Credit: unknown"],
    ),
    (
        "it_flags_a_quote_from_an_unnamed_writer",
        "As one writer put it: 'every feed is a conversation between two people who are "
        "still learning each other.'",
        [
            "As one writer",
            "'every feed is a conversation between two people who are still learning each other.'",
        ],
    ),
    (
        "it_passes_a_by_line_that_names_nobody_inside_a_credited_post",
        "Photo by Amara Diallo, shared with permission",
        [],
    ),
    (
        "it_passes_a_quoted_message_from_a_client",
        "A message from a mum this week: 'your volunteer stayed on the phone with me for an "
        "hour at midnight and I will never forget it'",
        [],
    ),
    (
        "it_passes_copyright_as_a_topic",
        "We've had a complaint about breach of copyright over our leaflet.",
        [],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_attribution_table(text: str, expected: list[str]) -> None:
    assert evidence(text) == expected


def test_it_points_at_the_cue_in_the_original_text() -> None:
    text = "Lovely morning. Found this video on TikTok!"
    [hit] = DETECTOR.detect(doc(text))
    assert hit.category == "attribution.missing"
    assert hit.start is not None and hit.end is not None
    assert text[hit.start : hit.end] == "Found this video"


def test_it_flags_attached_media_the_text_presents_as_someone_elses() -> None:
    hits = DETECTOR.detect(doc("Found this photo online, love it", Media(data=b"x")))
    assert [(h.media, h.start) for h in hits] == [(0, None)]


def test_it_passes_attached_media_that_carries_a_credit() -> None:
    assert evidence("Found this photo online, love it", Media(data=b"x", credit="Jo Bloggs")) == []


def test_it_flags_an_unsourced_quotation_in_the_text_even_with_credited_media() -> None:
    text = '"Every drop counts, and every mother deserves support to give it, always" 💛'
    hits = DETECTOR.detect(doc(text, Media(data=b"x", credit="Jo Bloggs")))
    assert [(h.media, h.start) for h in hits] == [(None, 0)]


def test_it_passes_attached_media_the_text_presents_as_our_own() -> None:
    assert evidence("Photos from our clinic open day", Media(data=b"x")) == []


def test_it_checks_personal_accounts_too() -> None:
    assert DETECTOR.detect(doc("Repost, so true", account="personal"))


def test_it_honours_a_higher_quote_threshold() -> None:
    text = '"Feed the baby, protect the milk supply, and keep the family together, always" ok'
    assert evidence(text)
    assert evidence('Parents tell us "feeding gets easier after six weeks" and it does.') == []
    strict = MissingAttributionDetector(min_quote_words=20)
    assert strict.detect(doc(text)) == []


@pytest.mark.parametrize("params", [{"min_quote_words": "12"}, {"min_quote_words": 0}, {"x": 1}])
def test_it_refuses_bad_parameters(params: dict[str, object]) -> None:
    with pytest.raises(DetectorConfigError):
        MissingAttributionDetector(**params)


def test_it_is_registered_under_its_category() -> None:
    assert detector_class("attribution.missing") is MissingAttributionDetector
