"""Clinical detectors: individual advice in public replies, and requests for it."""

from __future__ import annotations

import json

import pytest

from postguard.content import Content, Context
from postguard.detectors import _advice_model
from postguard.detectors.base import DetectorConfigError, Document, Hit
from postguard.detectors.clinical import ConsultRequestDetector, IndividualAdviceDetector
from postguard.detectors.registry import detector_class

REPLY = Context(account="official", kind="reply", audience="public", direction="outbound")
INBOUND = Context(account="official", kind="comment", audience="public", direction="inbound")


def advice(text: str, **params: float) -> list[Hit]:
    return IndividualAdviceDetector(**params).detect(Document(Content(text, context=REPLY)))


def request(text: str) -> list[Hit]:
    return ConsultRequestDetector().detect(Document(Content(text, context=INBOUND)))


# --- individual advice ------------------------------------------------------------

ADVICE = [
    ("a_named_diagnosis_and_a_dose", "It's thrush — get miconazole gel and use it 4x daily."),
    ("a_prescription_to_ask_for", "Sounds like vasospasm, hun. Ask for nifedipine 30mg daily."),
    ("a_course_of_antibiotics", "You'll need fluclox 500mg four times a day for a week."),
    ("a_pumping_schedule", "You should pump every 2 hours."),
    ("top_up_volumes_for_her_baby", "Give him 30ml top-ups after each feed."),
    ("a_galactagogue_dose", "Take fenugreek 3 times a day."),
    ("a_device_to_try", "Try nipple shields."),
    ("stopping_breastfeeding_for_a_medication", "Stop breastfeeding while on that medication."),
    ("a_diagnosis_and_a_treatment", "Your baby has a tongue tie, get it snipped."),
    ("a_remote_diagnosis", "Sounds like thrush, you need nystatin."),
    ("a_change_of_routine", "I'd offer the breast more often and skip the bottles at night."),
    ("a_suggested_position", "Have you tried laid-back positions?"),
    ("an_instruction_after_sympathy", "So sorry it hurts! Definitely switch sides every feed."),
    ("a_dose_of_painkiller", "You can take 400mg ibuprofen, it's fine while breastfeeding."),
    ("a_hedged_diagnosis", "Looks like a classic lip tie to me, see if the GP will refer."),
    ("a_daily_volume_for_her_baby", "Your little one needs roughly 700ml a day at this weight."),
    ("dropping_night_waking", "You can stop waking her for night feeds now."),
]

NOT_ADVICE = [
    (
        "a_clinic_that_takes_referrals",
        "The clinic line is 021 555 0100, they're open 9-5 and take referrals.",
    ),
    ("a_conditional_diagnosis", "Send us a photo and we'll tell you if it's thrush."),
    ("general_education", "Skin-to-skin helps establish feeding."),
    ("signposting_to_an_ibclc", "We recommend seeing an IBCLC."),
    ("an_invitation_to_book", "Please DM us to book a consultation."),
    ("the_helpline", "Call our helpline on 0800 123 456."),
    (
        "the_consultation_reply_template",
        "We can't assess a latch online; please contact us privately so we can "
        "arrange a consultation.",
    ),
    ("praise_with_a_modal", "You should be so proud of breastfeeding for a year!"),
    ("a_campaign_post", "Happy World Breastfeeding Week! Feeding is a team effort."),
    ("sympathy_and_a_referral", "Sorry to hear feeding is hard. Please call our helpline."),
    ("a_leaflet_announcement", "Our new leaflet on pumping is out now."),
    ("thanks_for_feedback", "Thanks for the feedback!"),
    ("a_referral_to_the_gp", "Do check with your GP before taking any medication."),
    ("no_clinical_content_at_all", "You should try the new café by the venue, it's lovely."),
]


@pytest.mark.parametrize(("case", "text"), ADVICE, ids=[c for c, _ in ADVICE])
def test_it_flags_individual_advice(case: str, text: str) -> None:
    hits = advice(text)
    assert hits, f"{case}: expected advice in {text!r}"
    assert {h.category for h in hits} == {"clinical.individual_advice"}


@pytest.mark.parametrize(("case", "text"), NOT_ADVICE, ids=[c for c, _ in NOT_ADVICE])
def test_it_passes_education_and_signposting(case: str, text: str) -> None:
    assert advice(text) == [], f"{case}: no advice expected in {text!r}"


def test_the_hit_spans_only_the_advising_sentence() -> None:
    text = "Thanks for asking!  Try nipple shields.  Please DM us for a consultation."
    (hit,) = advice(text)
    assert text[hit.start : hit.end] == "Try nipple shields."
    assert hit.evidence == "Try nipple shields."
    assert "clinical term" in hit.note


def test_each_advising_sentence_gets_its_own_hit() -> None:
    text = "Give him 30ml top-ups after each feed. Then pump for 10 minutes."
    hits = advice(text)
    assert [text[h.start : h.end] for h in hits] == [
        "Give him 30ml top-ups after each feed.",
        "Then pump for 10 minutes.",
    ]


def test_a_higher_threshold_flags_less() -> None:
    text = "Have you tried laid-back positions?"
    assert advice(text, threshold=0.5)
    assert not advice(text, threshold=0.99)


@pytest.mark.parametrize("bad", [0.0, -1.0, 1.5])
def test_it_refuses_a_threshold_outside_zero_to_one(bad: float) -> None:
    with pytest.raises(DetectorConfigError, match="threshold"):
        IndividualAdviceDetector(threshold=bad)


def test_it_refuses_unknown_parameters() -> None:
    with pytest.raises(DetectorConfigError, match="does not take"):
        IndividualAdviceDetector(lexicon="x")


def test_the_registry_finds_both_clinical_detectors() -> None:
    assert detector_class("clinical.individual_advice") is IndividualAdviceDetector
    assert detector_class("clinical.consult_request") is ConsultRequestDetector


# --- the advice model ---------------------------------------------------------------


def test_the_shipped_model_loads_with_provenance() -> None:
    model = _advice_model.load()
    assert len(model.terms) > 1000
    assert 0.0 < model.threshold < 1.0
    assert model.provenance["licence"] == "MIT"
    assert {"precision", "recall", "f1", "accuracy"} <= set(model.provenance["dev"])


def test_the_model_scores_advice_above_statements() -> None:
    model = _advice_model.load()
    pairs = [
        ("Try nipple shields.", "Nipple shields are made of silicone."),
        ("You should talk to your manager.", "I talked to my manager yesterday."),
        ("Take it one day at a time.", "It took one day."),
    ]
    for advising, stating in pairs:
        assert model.score(advising) > model.score(stating), (advising, stating)


def test_model_scores_are_probabilities_and_deterministic() -> None:
    model = _advice_model.load()
    for text in ["", "?!", "Try it.", "x " * 500, "Ünïcödé 😀 text"]:
        score = model.score(text)
        assert 0.0 <= score <= 1.0
        assert model.score(text) == score


def test_the_tokenizer_keeps_contractions_whole_and_collapses_numbers() -> None:
    assert _advice_model.tokens("Don’t give 30ml, OK?") == [
        "don't",
        "give",
        "<num>",
        "ml",
        "ok",
        "?",
    ]
    assert _advice_model.features("try it") == ["try", "it", "try it"]


def test_a_model_file_of_another_format_is_refused() -> None:
    with pytest.raises(ValueError, match="format"):
        _advice_model.from_json({"format": "something-else/9"})


def test_the_model_file_is_plain_json_and_small() -> None:
    path = _advice_model.MODEL_PATH
    assert path.stat().st_size < 3_000_000
    data = json.loads(path.read_text("utf-8"))
    assert data["format"] == _advice_model.FORMAT
    assert all(len(v) == 2 for v in data["terms"].values())


# --- consultation requests ----------------------------------------------------------

REQUESTS = [
    (
        "a_formal_wonder",
        "I wonder whether a weaker let-down on one breast is usual. Our daughter is six weeks.",
    ),
    ("a_view_welcomed", "Midwife and new mum: I'd welcome a view on my son's green stools."),
    ("worth_pursuing", "My eight-week-old clicks at the breast. Is an assessment worth pursuing?"),
    (
        "a_danger_sign_before_an_events_question",
        "Lovely page. My baby hasn't had a wet nappy since last night and is very sleepy. "
        "Also, when is your next webinar?",
    ),
    ("advice_asked_for_politely", "Evening ma, my baby cries after every feed. Please advice"),
    ("a_home_visit_asked_for", "Can a feeding nurse come to us today? Baby not latching at all"),
    ("a_question_in_tagalog", "Mahina daw ang gatas ko sabi ni mama, ano po dapat gawin?"),
    ("a_latch_problem_with_a_question", "my 3 week old won't latch, what do I do??"),
    ("a_request_to_look_at_a_latch", "can someone look at my latch"),
    ("is_it_normal_about_her_body", "is it normal that my nipples bleed?"),
    ("a_cry_for_help_with_the_context_next_door", "help! baby screaming at the breast"),
    ("a_medication_question", "can I take ibuprofen while breastfeeding?"),
    ("a_supply_question", "My supply has dropped since going back to work. Any tips?"),
    ("should_i_about_formula", "Should I give him formula at night? He seems hungry."),
    ("how_much_should_a_baby_take", "How much should a 2 month old take from a bottle?"),
    ("is_it_a_condition", "my baby has white patches in his mouth, is it thrush?"),
    ("call_me_about_her_own_baby", "call me pls, my baby won't stop screaming after feeds"),
    ("a_danger_sign_with_no_question", "My 5 day old is limp and won't wake up to feed"),
    (
        "a_request_for_a_visit",
        "Can a volunteer visit me? Baby won't take the breast since yesterday",
    ),
    ("a_bare_question_word", "My left breast is hot and lumpy and I feel shivery. Mastitis?"),
    ("doubting_a_reassurance", "the midwife says his weight is fine but is it?"),
    (
        "wondering_without_a_question_mark",
        "wondering if I can take hay fever tablets while nursing",
    ),
    ("a_need_for_advice", "Need advice on relactating after a month off"),
    ("any_way_to", "Supply dipped since my period came back, any way to boost it"),
    ("please_call_about_a_partner", "My wife can't get our son to latch. Please ring 07700 900000"),
    ("is_there_someone_who_can", "Is there an IBCLC near Hull who could see us? Nipples shredded."),
    ("pain_described_with_no_ask", "my nipple has a white blister and it's agony when he feeds"),
    ("the_right_size_for_me", "Which is the right shield size for me? Every session pinches."),
    ("help_for_a_partner", "My wife needs some help with pumping after her operation"),
    (
        "can_i_still_get",
        "He was tube fed for a month in special care. Can I still get him latching?",
    ),
    ("milk_not_in", "Day four after the birth and my milk still hasn't come in."),
    ("frightened_about_weight", "I'm really frightened about his weight, he dropped again"),
]

NOT_REQUESTS = [
    ("a_question_about_an_event", "When is the next conference?"),
    ("a_membership_question", "How do I renew my membership?"),
    ("thanks_for_a_workshop", "Thank you so much for the lovely breastfeeding workshop!"),
    ("a_course_registration_question", "Can I still register for the breastfeeding course?"),
    ("a_webinar_question", "Is the webinar recorded?"),
    ("praise_mentioning_pumping", "Great post about pumping, sharing with my group."),
    ("a_statement_without_a_question", "My baby is 3 weeks old today and feeding well."),
    ("help_without_care_context", "Help! I can't find the parking for the venue."),
    ("a_journalist_saying_dm_me", "I'm writing about tongue-tie clinics for a paper. DM me."),
    (
        "an_event_question_mentioning_feeds",
        "Can I bring my baby to the study day? She feeds a lot.",
    ),
    ("a_press_enquiry_about_a_clinical_topic", "Is anyone free to comment on tongue-tie waits?"),
    ("lost_property", "Left my pump bag at the meet-up, please call me if found"),
    ("thanks_mentioning_past_pain", "My nipples were cracked for weeks and your video fixed it 💛"),
    ("a_parenthood_aside", "I don't know why anyone would use this venue for a conference"),
]


@pytest.mark.parametrize(("case", "text"), REQUESTS, ids=[c for c, _ in REQUESTS])
def test_it_flags_a_request_for_individual_help(case: str, text: str) -> None:
    hits = request(text)
    assert len(hits) == 1, f"{case}: expected a consult request in {text!r}"
    assert hits[0].category == "clinical.consult_request"
    assert hits[0].note.startswith("asks ")


@pytest.mark.parametrize(("case", "text"), NOT_REQUESTS, ids=[c for c, _ in NOT_REQUESTS])
def test_it_passes_other_questions_and_thanks(case: str, text: str) -> None:
    assert request(text) == [], f"{case}: no consult request expected in {text!r}"


def test_the_request_span_is_the_asking_sentence() -> None:
    text = "My 3 week old won't latch. What should I do?"
    (hit,) = request(text)
    assert text[hit.start : hit.end] == "What should I do?"


# --- requests in other registers and the learned complement ---------------------------

REGISTER_REQUESTS = [
    ("texting", "wen shud i start pumping b4 going back 2 work? hw much do i need"),
    ("hinglish", "Mera doodh kam ho raha hai since I started office. Kya karna chahiye?"),
    ("taglish", "Pwede po ba mag-breastfeed kahit may lagnat ako? Salamat po"),
    ("no_question_mark", "5 months and he only feeds in a dark room now. How do we get past this"),
    ("medication", "On codeine after my c-section. Safe to keep feeding"),
]


@pytest.mark.parametrize(("case", "text"), REGISTER_REQUESTS, ids=[c for c, _ in REGISTER_REQUESTS])
def test_it_reads_requests_in_other_registers(case: str, text: str) -> None:
    assert request(text), case


def test_a_model_request_needs_an_ask_and_an_anchor() -> None:
    assert request("Our baby turned 3 weeks today and is feeding beautifully.") == []
    assert request("Lovely infographic on paced bottle feeding, thanks!") == []


# Advice given after a spaced hyphen used as a dash (" - give her ..."), with
# and without an @-mention in front: the mention changes nothing.
DASHED_ADVICE = [
    "at 10 days old she should be feeding 8-12 times a day - give her 60 ml of "
    "expressed milk after every feed and take fenugreek 3 times a day",
    "he's 2 weeks old so he needs about 8 feeds a day - offer him 50 ml of formula "
    "after each one and pump every 3 hours",
    "she is 5 days old - top her up with 30 ml of expressed milk after every feed",
    "at 3 weeks he should gain 150 g a week - add 2 extra feeds at night and take "
    "domperidone 10 mg",
]


@pytest.mark.parametrize("text", DASHED_ADVICE)
@pytest.mark.parametrize("mention", ["", "@tired_mum_88 ", "@sam.k: "])
def test_advice_after_a_dash_is_flagged_with_or_without_a_mention(text: str, mention: str) -> None:
    hits = advice(mention + text)
    assert [h.category for h in hits][:1] == ["clinical.individual_advice"]


@pytest.mark.parametrize(
    "text",
    [
        "Our feeding group meets on Tuesdays - come along, everyone is welcome",
        "@tired_mum_88 so sorry you're struggling - please message our helpline on Monday",
        "Latch workshop at 10 am - bring a friend!",
    ],
)
def test_a_dash_before_an_invitation_is_not_advice(text: str) -> None:
    assert advice(text) == []
