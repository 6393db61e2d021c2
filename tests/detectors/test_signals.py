"""Inbound signals: negative feedback, complaints, crises."""

from __future__ import annotations

import pytest

from postguard.content import Content, Context
from postguard.detectors.base import DetectorConfigError, Document, Hit
from postguard.detectors.registry import detector_class
from postguard.detectors.signals import (
    ComplaintDetector,
    CrisisDetector,
    NegativeDetector,
    _vader,
    _vader_could_reach,
)

INBOUND = Context(account="official", kind="comment", audience="public", direction="inbound")


def doc(text: str) -> Document:
    return Document(Content(text, context=INBOUND))


def negative(text: str, **params: float) -> list[Hit]:
    return NegativeDetector(**params).detect(doc(text))


# --- negative feedback --------------------------------------------------------------

NEGATIVE = [
    ("an_unfollow_vader_scores_positive", "Unfollowing. What a joke."),
    ("an_accusation_of_misinformation", "Shame on you for spreading misinformation"),
    ("you_should_be_ashamed", "You should be ashamed"),
    ("strongly_negative_sentiment", "This is the worst page I have ever seen, awful and harmful"),
    ("hostile_even_with_thanks", "Thanks for nothing, this is useless."),
    ("a_rude_consultant", "The consultant was rude and horrible to me"),
    ("a_service_complaint_in_neutral_words", "Charged twice and still waiting for a refund."),
    ("a_legal_threat", "Expect a letter from our lawyers about this post."),
    ("vulgar_dismissal", "this is shite advice"),
    ("sarcastic_typical", "Typical — another post written for the same people."),
]

NOT_NEGATIVE = [
    ("sympathy_with_sad_words", "so sorry you're struggling, it gets better!"),
    ("condolences", "I'm so sorry for your loss, sending love"),
    ("warm_thanks", "Thank you, this was so helpful!"),
    ("a_neutral_question", "When is the next webinar?"),
    ("encouragement_about_a_hard_start", "The first weeks were hard for me too. You've got this!"),
    ("negative_words_as_praise", "This is killing me 😂😂 so accurate"),
    ("a_parent_in_distress_asking_for_help", "my baby still can't latch, it's awful, please help"),
    ("a_baby_in_danger_is_not_hostility", "My baby is limp and won't wake up"),
]


@pytest.mark.parametrize(("case", "text"), NEGATIVE, ids=[c for c, _ in NEGATIVE])
def test_it_flags_negative_feedback(case: str, text: str) -> None:
    hits = negative(text)
    assert hits, f"{case}: expected negative feedback in {text!r}"
    assert {h.category for h in hits} == {"signal.negative"}


@pytest.mark.parametrize(("case", "text"), NOT_NEGATIVE, ids=[c for c, _ in NOT_NEGATIVE])
def test_it_passes_supportive_and_neutral_comments(case: str, text: str) -> None:
    assert negative(text) == [], f"{case}: nothing negative expected in {text!r}"


def test_a_phrase_hit_spans_the_phrase() -> None:
    text = "Honestly? Unfollowing."
    (hit,) = negative(text)
    assert text[hit.start : hit.end] == "Unfollowing"


def test_a_sentiment_hit_reports_the_compound_score() -> None:
    (hit,) = negative("This is awful, terrible and harmful.")
    assert hit.note.startswith("sentiment compound -")
    assert 0.0 < hit.score <= 1.0


def test_a_stricter_threshold_flags_less() -> None:
    text = "This was not very helpful, a bit disappointing."
    assert negative(text, threshold=-0.3)
    assert not negative(text, threshold=-0.9)


def test_complaints_count_as_negative_unless_switched_off() -> None:
    text = "Still waiting for a refund."
    assert {h.note for h in negative(text)} == {"complaint"}
    assert NegativeDetector(include_complaints=False).detect(doc(text)) == []


@pytest.mark.parametrize("bad", [0.0, 0.5, -1.5])
def test_it_refuses_a_threshold_outside_minus_one_to_zero(bad: float) -> None:
    with pytest.raises(DetectorConfigError, match="threshold"):
        NegativeDetector(threshold=bad)


@pytest.mark.parametrize(
    "text",
    [
        "This is awful.",
        "Not good. Not good at all!!!",
        "I HATE this but the webinar was fine",
        "Yeah right, like that helps",
        "never so disappointed 😡",
        "kind of a terrible, horrible, no good, very bad day??",
    ],
)
def test_the_vader_shortcut_never_skips_a_text_vader_scores_negative(text: str) -> None:
    vader = _vader()
    compound = vader.analyzer.polarity_scores(text)["compound"]
    for limit in (-0.2, -0.35, -0.8):
        if compound <= limit:
            assert _vader_could_reach(text, vader, limit), (text, limit, compound)


def test_the_vader_shortcut_skips_texts_without_negative_words() -> None:
    vader = _vader()
    assert not _vader_could_reach("Join our webinar on Thursday!", vader, -0.35)


# --- complaints ---------------------------------------------------------------------

COMPLAINTS = [
    ("a_formal_complaint", "I want to make a complaint"),
    ("a_rude_consultant", "The consultant was rude"),
    ("a_missing_refund", "I never got a refund"),
    ("a_report_to_the_platform", "I've reported this page"),
    ("unprofessional_conduct", "Totally unprofessional"),
    ("disgraceful_behaviour", "Disgraceful behaviour from a so-called professional"),
    ("no_reply_from_the_service", "Nobody replied to my emails for three weeks."),
    ("no_call_back", "Why did nobody from your office call me back?"),
    ("a_long_wait_on_hold", "Waited 40 minutes on hold again"),
    ("conduct_in_scare_quotes", "Not what I expected from a 'professional'."),
    ("she_felt_judged", "I felt judged the whole appointment."),
]

NOT_COMPLAINTS = [
    ("a_baby_who_never_took_a_bottle", "My baby never got the hang of the bottle"),
    ("research_that_reported_findings", "Studies have reported lower rates of mastitis"),
    ("praise_for_a_consultant", "The consultant was wonderful, thank you"),
    ("a_question_about_reports", "Where can I find the annual report?"),
]


@pytest.mark.parametrize(("case", "text"), COMPLAINTS, ids=[c for c, _ in COMPLAINTS])
def test_it_flags_complaints(case: str, text: str) -> None:
    hits = ComplaintDetector().detect(doc(text))
    assert hits, f"{case}: expected a complaint in {text!r}"
    assert {h.category for h in hits} == {"signal.complaint"}


@pytest.mark.parametrize(("case", "text"), NOT_COMPLAINTS, ids=[c for c, _ in NOT_COMPLAINTS])
def test_it_passes_comments_that_only_sound_like_complaints(case: str, text: str) -> None:
    assert ComplaintDetector().detect(doc(text)) == [], case


# --- crises -------------------------------------------------------------------------

CRISES = [
    ("i_cant_go_on", "I can't go on", "self-harm"),
    ("wanting_to_end_it", "I just want to end it all", "self-harm"),
    ("better_off_without_me", "They'd be better off without me", "self-harm"),
    ("a_threat_of_violence", "I'll find you and hurt you", "violence"),
    ("a_lawyer", "My lawyer will be in touch", "legal"),
    ("i_will_sue", "I will sue", "legal"),
    ("legal_action", "We are considering legal action", "legal"),
    ("a_journalist", "I'm a journalist at the Guardian", "press"),
    ("a_comment_for_an_article", "Could you give a comment for our article?", "press"),
    ("a_media_enquiry", "Media enquiry: breastfeeding rates", "press"),
    ("a_baby_not_breathing", "My baby is not breathing", "baby-danger"),
    ("no_wet_nappy", "He hasn't had a wet nappy in 24 hours", "baby-danger"),
    ("blue_lips", "her lips are blue", "baby-danger"),
    ("turning_blue_while_feeding", "he has gone blue around the lips while feeding", "baby-danger"),
    ("a_veiled_threat", "I know where your chair lives. See what happens.", "violence"),
    ("nobody_would_notice", "Nobody would even notice if I disappeared", "self-harm"),
    ("going_viral", "This is going viral", "viral"),
    ("a_boycott", "Boycott IPALA", "viral"),
]

NOT_CRISES = [
    ("thanks_for_a_conference", "Great conference, see you next year!"),
    ("a_birth_in_hospital", "My baby was born in hospital"),
    ("a_screenshot_of_a_latch", "Can I send a screenshot of the latch?"),
    ("a_wet_nappy_count_question", "How many wet nappies should a 5 day old have?"),
    ("a_story_about_feeding", "Our feeding story: six months and counting!"),
    ("a_tired_parent", "So tired today, but we're getting there."),
    ("a_well_fitting_flange", "A well-fitting flange matters more than suction."),
]


@pytest.mark.parametrize(("case", "text", "kind"), CRISES, ids=[c for c, _, _ in CRISES])
def test_it_flags_a_crisis_and_names_its_kind(case: str, text: str, kind: str) -> None:
    hits = CrisisDetector().detect(doc(text))
    assert hits, f"{case}: expected a crisis in {text!r}"
    assert {h.category for h in hits} == {"signal.crisis"}
    assert kind in {h.note for h in hits}


@pytest.mark.parametrize(("case", "text"), NOT_CRISES, ids=[c for c, _ in NOT_CRISES])
def test_it_passes_ordinary_comments(case: str, text: str) -> None:
    assert CrisisDetector().detect(doc(text)) == [], case


def test_crisis_spans_index_the_original_text_after_emoji() -> None:
    text = "😡😡 my lawyer will hear about this"
    (hit,) = CrisisDetector().detect(doc(text))
    assert text[hit.start : hit.end].lower() == "my lawyer"


@pytest.mark.parametrize("cls", [ComplaintDetector, CrisisDetector])
def test_signal_detectors_without_parameters_refuse_some(cls: type[ComplaintDetector]) -> None:
    with pytest.raises(DetectorConfigError):
        cls(threshold=0.5)


def test_the_registry_finds_the_signal_detectors() -> None:
    assert detector_class("signal.negative") is NegativeDetector
    assert detector_class("signal.complaint") is ComplaintDetector
    assert detector_class("signal.crisis") is CrisisDetector
