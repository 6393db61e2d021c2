"""Voice: speaking for the association, implied endorsement, personal opinion."""

from __future__ import annotations

import pytest

from postguard.content import Content, Context
from postguard.detectors.base import DetectorConfigError, Document
from postguard.detectors.registry import detector_class
from postguard.detectors.voice import (
    ImpliedEndorsementDetector,
    OrgVoiceDetector,
    PersonalOpinionDetector,
)

ORG_VOICE = OrgVoiceDetector()
ENDORSEMENT = ImpliedEndorsementDetector()
OPINION = PersonalOpinionDetector()


def doc(text: str, account: str) -> Document:
    return Document(Content(text, context=Context(account=account)))  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# a personal account speaking for the association

ORG_VOICE_CASES = [
    (
        "it_flags_a_personal_account_speaking_for_ipala",
        "As IPALA we believe formula ads should be banned.",
        ["As IPALA we believe"],
    ),
    (
        "it_flags_a_personal_account_stating_ipalas_position",
        "IPALA's position is clear: no sponsorship.",
        ["IPALA's position is"],
    ),
    ("it_flags_we_at_ipala", "We at IPALA oppose this bill", ["We at IPALA"]),
    ("it_flags_ipala_endorses", "IPALA endorses this new pump!", ["IPALA endorses"]),
    (
        "it_flags_ipala_officially_recommending",
        "IPALA officially recommends the LatchRight app",
        ["IPALA officially"],
    ),
    (
        "it_flags_speaking_for_the_association",
        "Speaking for the association, this policy is a disgrace.",
        ["Speaking for the association"],
    ),
    (
        "it_flags_our_association_believes",
        "Our association believes in choice.",
        ["Our association believes"],
    ),
    (
        "it_passes_the_same_view_with_a_disclaimer",
        "IPALA supports paid leave. Views my own.",
        [],
    ),
    (
        "it_flags_an_adverb_before_the_verb",
        "IPALA firmly opposes the levy",
        ["IPALA firmly opposes"],
    ),
    (
        "it_flags_an_official_role",
        "Writing as an IPALA trustee: we will reject the proposal.",
        ["Writing as an IPALA trustee"],
    ),
    (
        "it_flags_a_role_when_the_post_names_ipala",
        "As a board member I can confirm IPALA will not renew.",
        ["As a board member"],
    ),
    (
        "it_passes_a_role_in_another_organisation",
        "As a board member of our running club, I'm so proud of everyone.",
        [],
    ),
    (
        "it_passes_a_member_who_is_not_speaking_for_ipala",
        "Not speaking for IPALA, but this bill is wrong",
        [],
    ),
    ("it_passes_pride_in_membership", "Proud to be an IPALA member!", []),
    (
        "it_passes_a_curly_apostrophe_disclaimer",
        "IPALA’s position is clear. Opinions are my own.",
        [],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in ORG_VOICE_CASES], ids=[c[0] for c in ORG_VOICE_CASES]
)
def test_org_voice_table(text: str, expected: list[str]) -> None:
    assert [h.evidence for h in ORG_VOICE.detect(doc(text, "personal"))] == expected


def test_it_leaves_official_accounts_speaking_as_ipala_alone() -> None:
    assert (
        ORG_VOICE.detect(doc("As IPALA we believe every family deserves support.", "official"))
        == []
    )


def test_it_uses_the_organizations_own_names() -> None:
    detector = OrgVoiceDetector(org_names=["LLL", "the league"])
    assert detector.detect(doc("We at LLL oppose this", "personal"))
    assert detector.detect(doc("Our league believes in choice", "personal"))
    assert detector.detect(doc("We at IPALA oppose this", "personal")) == []


@pytest.mark.parametrize("params", [{"org_names": []}, {"org_names": "IPALA"}, {"orgs": ["x"]}])
def test_the_org_voice_detector_refuses_bad_parameters(params: dict[str, object]) -> None:
    with pytest.raises(DetectorConfigError):
        OrgVoiceDetector(**params)


# --------------------------------------------------------------------------
# implied endorsement

ENDORSEMENT_CASES = [
    ("it_flags_totally_agreeing_with_someone", "Totally agree with @DrJane on this", True),
    ("it_flags_a_retweet", "RT @lactnews: formula is just as good", True),
    ("it_flags_reposting_a_take", "Reposting @amy's brilliant take on night weaning", True),
    ("it_flags_100_percent_this", "100% this 👇 @X", True),
    ("it_flags_so_true_to_a_brand", "so true @brand", True),
    ("it_flags_agreeing_with_a_thread", "Couldn't agree more with this thread", True),
    (
        "it_passes_neutral_sharing_with_credit",
        "@WHO published new guidance: https://who.int/news",
        False,
    ),
    ("it_passes_thanks_for_attending", "Thank you @DrJane for attending our webinar!", False),
    ("it_passes_asking_whether_people_agree", "Do you agree with the new guidance?", False),
    ("it_passes_disagreeing", "We don't agree with this thread at all.", False),
    (
        "it_flags_promoting_our_friends_at_a_brand",
        "Our friends at CozyNest make the comfiest chairs, check them out",
        True,
    ),
    ("it_passes_a_plain_repost_of_an_article", "Reposting this article on night feeds", False),
]

# On an official account, praise next to another account's handle endorses it.
HANDLE_PRAISE_CASES = [
    ("obsessed_with_a_brand", "Obsessed with @MamaGlow's new nursing bras", True),
    ("a_tea_we_trust", "Thanks @LeafLatch, the only lactation tea we trust", True),
    ("wisdom_from_a_coach", "So much wisdom in @HolisticHannah's latest reel", True),
    ("follow_her", "@SleepSarah knows her stuff, follow her for more", True),
    ("thanks_to_a_speaker", "Thank you @DrOkafor for speaking at our conference", False),
    ("praise_in_another_sentence", "Photo: @jo_snaps. The best turnout we have ever had!", False),
]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [c[1:] for c in HANDLE_PRAISE_CASES],
    ids=[c[0] for c in HANDLE_PRAISE_CASES],
)
def test_praise_beside_a_handle_endorses_on_official_accounts(text: str, flagged: bool) -> None:
    assert bool(ENDORSEMENT.detect(doc(text, "official"))) is flagged
    # A member praising an account on her own page is not the association's endorsement.
    assert ENDORSEMENT.detect(doc(text, "personal")) == []


@pytest.mark.parametrize(
    ("text", "flagged"),
    [c[1:] for c in ENDORSEMENT_CASES],
    ids=[c[0] for c in ENDORSEMENT_CASES],
)
@pytest.mark.parametrize("account", ["official", "personal"])
def test_endorsement_table(text: str, flagged: bool, account: str) -> None:
    hits = ENDORSEMENT.detect(doc(text, account))
    assert bool(hits) is flagged
    assert {h.category for h in hits} <= {"voice.org_endorsement"}


def test_implied_endorsement_reports_the_org_endorsement_category() -> None:
    assert ImpliedEndorsementDetector.categories == frozenset({"voice.org_endorsement"})


# --------------------------------------------------------------------------
# an official account voicing a personal opinion

OPINION_CASES = [
    ("it_flags_i_think_on_an_official_account", "I think pacifiers are overrated", ["I think"]),
    ("it_flags_imo", "IMO this guidance is great", ["IMO"]),
    ("it_flags_in_my_opinion", "In my opinion, pumps are overpriced.", ["In my opinion"]),
    ("it_flags_i_cant_stand", "I can’t stand these formula ads", ["I can’t stand"]),
    ("it_flags_if_you_ask_me", "If you ask me, it's a scandal", ["If you ask me"]),
    ("it_passes_we_believe", "We believe every parent deserves support", []),
    ("it_flags_tbh", "tbh the word 'exclusive' feels judgy", ["tbh"]),
    ("it_passes_replying_personally", "We'll reply personally to every message.", []),
    (
        "it_passes_quoted_speech_from_a_named_speaker",
        "'I think this matters,' said Dr Ade at the conference",
        [],
    ),
    ("it_passes_i_inside_a_quotation", '"I believe in you," she told the graduates', []),
    ("it_passes_a_labelled_interview_answer", "Q: Why IBCLC?\nDr Ade: I think it matters", []),
    ("it_passes_a_word_containing_imo", "Join us in Timor for the summit", []),
    ("it_passes_someone_elses_hot_take", "Sharing @amy's hot take on dummies", []),
]


@pytest.mark.parametrize(
    ("text", "expected"), [c[1:] for c in OPINION_CASES], ids=[c[0] for c in OPINION_CASES]
)
def test_opinion_table(text: str, expected: list[str]) -> None:
    assert [h.evidence for h in OPINION.detect(doc(text, "official"))] == expected


def test_it_leaves_personal_accounts_free_to_give_opinions() -> None:
    assert OPINION.detect(doc("I think pacifiers are overrated", "personal")) == []


def test_it_still_flags_an_opinion_outside_a_quotation() -> None:
    text = '"Feeding is hard," said Dr Ade. I think she is wrong.'
    assert [h.evidence for h in OPINION.detect(doc(text, "official"))] == ["I think"]


def test_the_voice_detectors_are_registered() -> None:
    assert detector_class("voice.org_endorsement") is OrgVoiceDetector
    assert detector_class("voice.implied_endorsement") is ImpliedEndorsementDetector
    assert detector_class("voice.personal_opinion") is PersonalOpinionDetector
