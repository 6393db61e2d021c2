"""Information: confidential material and unapproved topics (IPALA 2(b))."""

from __future__ import annotations

import pytest

from postguard.content import Content, Context
from postguard.detectors.base import DetectorConfigError, Document
from postguard.detectors.information import ConfidentialDetector, UnapprovedTopicDetector
from postguard.detectors.registry import detector_class

CONFIDENTIAL = ConfidentialDetector()
TOPICS = UnapprovedTopicDetector()


def doc(text: str, account: str = "official") -> Document:
    return Document(Content(text, context=Context(account=account)))  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# confidential material

CONFIDENTIAL_CASES = [
    (
        "it_flags_material_marked_confidential",
        "CONFIDENTIAL: council minutes attached",
        ["CONFIDENTIAL:", "council minutes"],
    ),
    ("it_passes_a_privacy_promise", "We keep your information confidential.", []),
    ("it_passes_a_confidential_helpline", "Call our free, confidential helpline on 0800 123", []),
    (
        "it_passes_a_promise_that_conversations_stay_confidential",
        "Everything you tell our peer supporters stays confidential.",
        [],
    ),
    (
        "it_flags_the_word_confidential_describing_figures",
        "The membership figures are confidential but they are worse than last year.",
        ["confidential"],
    ),
    ("it_flags_an_embargo", "Embargoed until 9am Monday: new survey results", ["Embargoed until"]),
    ("it_passes_a_lifted_embargo", "The embargo has lifted, so here are the results!", []),
    (
        "it_flags_an_unapproved_draft",
        "Draft – not approved: position statement on donor milk",
        ["Draft – not approved"],
    ),
    (
        "it_flags_a_draft_statement",
        "Sneak peek at our draft statement on donor milk",
        ["draft statement"],
    ),
    (
        "it_passes_a_draft_open_for_public_consultation",
        "Please comment on the draft guidelines, consultation open until May",
        [],
    ),
    (
        "it_flags_a_leaked_email",
        "Leaked email from the board says membership is dropping",
        ["Leaked email"],
    ),
    ("it_passes_leaking_breasts", "My breasts leaked all night, is that normal?", []),
    ("it_flags_between_us", "Just between us, the chair is resigning", ["Just between us"]),
    ("it_passes_the_bond_between_us", "The bond between us grows with every feed.", []),
    ("it_flags_off_the_record", "Off the record, the AGM vote was rigged", ["Off the record"]),
    (
        "it_flags_a_request_not_to_share_this",
        "Here are the figures. Do not share.",
        ["Do not share"],
    ),
    (
        "it_passes_advice_not_to_share_photos",
        "Do not share photos of other people's babies without consent.",
        [],
    ),
    ("it_flags_internal_only_material", "Internal only: new fee structure", ["Internal only"]),
    (
        "it_flags_members_private_data",
        "Attached is the member list with phone numbers",
        ["member list"],
    ),
    (
        "it_flags_a_password",
        "Portal for the webinar, password: Hunter22!",
        ["password: Hunter22!"],
    ),
    ("it_passes_advice_about_passwords", "Never share your password with anyone.", []),
    (
        "it_flags_an_api_key",
        "our bot uses sk-abcdefghijklmnopqrstuvwxyz123456",
        ["sk-abcdefghijklmnopqrstuvwxyz123456"],
    ),
    (
        "it_flags_minutes_of_a_closed_committee",
        "Sharing the minutes from yesterday's closed Ethics Committee meeting",
        ["minutes"],
    ),
    ("it_passes_minutes_as_a_duration", "Our committee meets for 20 minutes after the group", []),
    (
        "it_passes_published_agm_minutes",
        "The AGM minutes are now available to members on the website",
        [],
    ),
    (
        "it_flags_a_deal_still_being_negotiated",
        "We're about to sign with NorthStar (still being negotiated, shhh 🤫)",
        ["still being negotiated", "shhh", "🤫"],
    ),
    (
        "it_flags_between_us_opening_a_sentence",
        "Why now? Between us, the grant is being cut",
        ["Between us"],
    ),
    (
        "it_passes_a_helpline_that_says_calls_are_confidential",
        "Your calls are confidential: the helpline never records calls.",
        [],
    ),
    ("it_passes_an_ordinary_post", "Join our drop-in group every Tuesday at 10am.", []),
    ("it_flags_a_leaked_document", "Leaked: the board's notes on the fee review", ["Leaked:"]),
    (
        "it_flags_an_internal_summary",
        "Attached is the internal review of the helpline rota.",
        ["internal review"],
    ),
    (
        "it_passes_a_promise_to_clients",
        "Whatever you share with our peer supporters stays between us.",
        [],
    ),
    (
        "it_passes_approved_council_minutes",
        "Minutes of the council meeting are approved and available to members.",
        [],
    ),
    (
        "it_passes_talking_it_through_confidentially",
        "Send us a message and we can talk it through confidentially.",
        [],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [c[1:] for c in CONFIDENTIAL_CASES],
    ids=[c[0] for c in CONFIDENTIAL_CASES],
)
def test_confidential_table(text: str, expected: list[str]) -> None:
    assert [h.evidence for h in CONFIDENTIAL.detect(doc(text))] == expected


def test_it_flags_confidential_material_on_a_personal_account_too() -> None:
    hits = CONFIDENTIAL.detect(doc("Council minutes: not for circulation", account="personal"))
    assert {h.category for h in hits} == {"information.confidential"}


def test_it_spans_the_confidential_phrase_in_the_original_text() -> None:
    text = "Update — UNDER EMBARGO until Friday"
    [hit] = CONFIDENTIAL.detect(doc(text))
    assert hit.start is not None and hit.end is not None
    assert text[hit.start : hit.end] == "UNDER EMBARGO"


def test_the_confidential_detector_takes_no_parameters() -> None:
    with pytest.raises(DetectorConfigError):
        ConfidentialDetector(words=["secret"])


# --------------------------------------------------------------------------
# unapproved topics

TOPIC_CASES = [
    (
        "it_flags_telling_people_how_to_vote",
        "Vote for Jane Smith MP on Thursday, she backs breastfeeding!",
        {"politics"},
    ),
    ("it_passes_a_photo_contest_vote", "Vote for your favourite photo in our contest!", set()),
    ("it_passes_exam_candidates", "Good luck to all IBCLC exam candidates this week!", set()),
    (
        "it_flags_prayers",
        "Please pray for our members affected by the floods. God bless.",
        {"religion"},
    ),
    (
        "it_passes_a_group_meeting_in_a_church_hall",
        "Our drop-in group meets at St Mary's church hall every Tuesday",
        set(),
    ),
    ("it_flags_a_lawsuit", "We are suing the formula company for defamation.", {"litigation"}),
    ("it_passes_a_name_that_is_sue", "Sue Brown, IBCLC, joins us for the webinar", set()),
    (
        "it_flags_an_unannounced_fee_rise",
        "Membership fees will go up by 20% next year.",
        {"finances"},
    ),
    (
        "it_passes_a_calorie_deficit",
        "Breastfeeding and a calorie deficit: what you need to know",
        set(),
    ),
    (
        "it_flags_a_resignation",
        "Our treasurer has resigned after the audit.",
        {"personnel", "finances"},
    ),
    (
        "it_flags_a_partnership_before_approval",
        "Exciting news: we'll be partnering with BabyCo!",
        {"partnerships"},
    ),
    ("it_passes_a_partner_at_home", "Ask your partner to help with night feeds.", set()),
    ("it_flags_a_rumour", "Rumour has it the Leeds clinic is closing.", {"rumours"}),
    (
        "it_passes_busting_a_myth",
        "Myth: you can't breastfeed with a cold. This rumour is false!",
        set(),
    ),
    (
        "it_flags_an_election_hashtag",
        "The Prime Minister must resign. #GeneralElection",
        {"politics"},
    ),
    (
        "it_passes_a_disclosed_paid_partnership",
        "#ad Paid partnership with HushBaby: free safe-sleep guides for 5,000 families.",
        set(),
    ),
    (
        "it_flags_a_complaint_against_a_member",
        "Please do not discuss the pending complaint against a member.",
        {"personnel"},
    ),
    ("it_passes_an_ordinary_post", "Join our drop-in group every Tuesday at 10am.", set()),
    ("it_flags_a_referendum", "Vote no in next month's referendum!", {"politics"}),
    ("it_flags_a_politicians_handle", "We're right behind @CllrOkoro on this", {"politics"}),
    ("it_flags_hustings", "See you at the hustings tonight, friends!", {"politics"}),
    ("it_flags_a_blessing_from_a_deity", "Happy Holi! May Krishna bless your homes", {"religion"}),
    ("it_passes_a_person_with_a_deitys_name", "Thanks to Krishna for running our stall!", set()),
    (
        "it_flags_letting_staff_go",
        "We had to let three of our staff go this month.",
        {"personnel"},
    ),
    ("it_flags_sick_leave", "Our director is on sick leave, so replies are slow.", {"personnel"}),
    (
        "it_flags_merger_talks",
        "Big news soon: we're in talks to join forces with a sister charity",
        {"partnerships"},
    ),
    (
        "it_passes_an_announced_partnership",
        "Delighted to announce our new partnership with the Milk Bank Alliance.",
        set(),
    ),
    (
        "it_passes_published_accounts",
        "Our annual accounts have been published on the Charity Commission website.",
        set(),
    ),
    (
        "it_passes_a_partner_taking_over_feeds",
        "Let your partner take over a night feed so you can sleep.",
        set(),
    ),
]


def topics(hits_notes: list[str]) -> set[str]:
    return {note.removeprefix("topic: ") for note in hits_notes}


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in TOPIC_CASES], ids=[c[0] for c in TOPIC_CASES]
)
def test_topic_table(text: str, expected: set[str]) -> None:
    hits = TOPICS.detect(doc(text))
    assert {h.category for h in hits} <= {"information.unapproved"}
    assert topics([h.note for h in hits]) == expected


def test_it_names_the_topic_in_the_note() -> None:
    [hit] = TOPICS.detect(doc("Rumour has it they are merging."))
    assert hit.note == "topic: rumours"


def test_it_leaves_personal_accounts_alone() -> None:
    assert TOPICS.detect(doc("We are suing the formula company.", account="personal")) == []


def test_it_passes_a_topic_the_organization_approved() -> None:
    approving = UnapprovedTopicDetector(approved_topics=["partnerships"])
    text = "Exciting news: we'll be partnering with BabyCo!"
    assert approving.detect(doc(text)) == []


def test_it_flags_an_organizations_own_topic() -> None:
    detector = UnapprovedTopicDetector(extra_topics={"restructure": ["regional branches", "merge"]})
    hits = detector.detect(doc("The regional branches will merge next year."))
    assert [(h.evidence, h.note) for h in hits] == [
        ("regional branches", "topic: restructure"),
        ("merge", "topic: restructure"),
    ]


def test_an_organization_may_approve_its_own_topic() -> None:
    detector = UnapprovedTopicDetector(
        extra_topics={"restructure": ["regional branches"]}, approved_topics=["restructure"]
    )
    assert detector.detect(doc("The regional branches will merge next year.")) == []


@pytest.mark.parametrize(
    "params",
    [
        {"approved_topics": ["astrology"]},
        {"approved_topics": "politics"},
        {"extra_topics": {"x": "word"}},
        {"extra_topics": {"x": []}},
        {"topics": []},
    ],
)
def test_it_refuses_bad_parameters(params: dict[str, object]) -> None:
    with pytest.raises(DetectorConfigError):
        UnapprovedTopicDetector(**params)


def test_both_detectors_are_registered() -> None:
    assert detector_class("information.confidential") is ConfidentialDetector
    assert detector_class("information.unapproved") is UnapprovedTopicDetector
