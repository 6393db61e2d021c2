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


def negative(text: str, **params: float | bool) -> list[Hit]:
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
    ("an_insult_noun_for_the_team", "What a bunch of clowns running this page."),
    ("mocking_their_expertise", "A few hippies pretending they know everything about babies"),
    ("a_representation_jibe", "Yet again only skinny white mums in the picture. Inclusion who?"),
    ("a_soft_service_complaint", "Your drop-in closed early and I was left with nowhere to go."),
    ("a_threat_is_hostile", "Delete this or you'll regret it."),
    ("mild_disappointment_at_a_post", "What a disappointing campaign from you this month."),
    ("frustration_with_the_association", "I'm fed-up and frustrated with this association lately."),
    ("low_regard_for_content", "Meh. The same tired tips again and again."),
    ("a_price_jibe", "Overpriced study day and the handouts were full of typos."),
    ("an_insult_noun", "The woman who runs this page is an old hag."),
    ("lip_service", "Lots of lip service about equity, nothing changes."),
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
    (
        "despair_is_not_hostility",
        "I feel so useless and worthless, I keep thinking about ending it all",
    ),
    (
        "a_hard_time_aimed_at_nobody",
        "I had three rounds of mastitis and a drained abscess last winter.",
    ),
    ("praise_in_hostile_words", "You're absolutely killing it with these explainers."),
    ("a_killer_talk", "Killer keynote on milk biology this morning."),
    (
        "frustration_asking_for_care",
        "So frustrating, he won't latch on the left. Can your team help?",
    ),
    (
        "thanks_with_dramatic_words",
        "Dreaded pumping at work and your guide killed that dread. Thanks!",
    ),
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


def test_a_sentiment_hit_reports_the_compound_score_without_the_model() -> None:
    (hit,) = negative("This is awful, terrible and harmful.", public_model=False)
    assert hit.note.startswith("sentiment compound -")
    assert 0.0 < hit.score <= 1.0


def test_a_model_hit_reports_the_model_score() -> None:
    (hit,) = negative("This is awful, terrible and harmful.")
    assert hit.note.startswith("model: negative sentiment")
    assert 0.5 < hit.score <= 1.0


def test_the_model_reads_negative_comments_the_rules_miss() -> None:
    text = "honestly what is the point of this page anymore"
    assert negative(text, public_model=False) == []
    assert [h.note.split(":")[0] for h in negative(text)] == ["model"]


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
    (
        "a_wasted_home_visit",
        "The peer supporter who visited spent the whole hour on her phone. I learned nothing.",
    ),
    (
        "a_member_reported_to_the_press",
        "Your counsellor told me to stop feeding. Calling the papers.",
    ),
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
    ("still_no_answer", "Paid for the course in May and still no certificate."),
    ("weeks_since_i_wrote", "Six weeks since I emailed about my booking. Poor communication."),
    ("hung_up_on", "The person on your helpline hung up on me."),
    ("humiliated_by_a_volunteer", "Your facilitator laughed at me in front of the whole group."),
    ("a_no_show_visit", "The consultant from your directory never turned up or rebooked."),
    ("a_request_ignored", "The supporter you sent couldn't help with twins even though I asked."),
    ("a_member_threatened_with_law", "My lawyer will be contacting you about your member's post."),
    ("wants_to_report_a_member", "I'd like to report one of your IBCLCs for selling me pills."),
    ("late_and_left_early", "Your peer supporter turned up an hour late and left without a word."),
    ("demands_a_response", "Your handout gave wrong storage times. I demand an explanation."),
    ("cancelled_without_notice", "Your office cancelled my membership with no notice."),
    ("slow_to_respond", "Shocking how long it takes your admin team to reply to anything."),
    ("nobody_answers", "Paid for the course on Monday and nobody answers the phone."),
    ("pushed_to_buy", "Your consultant kept pressuring me into buying her tea blend."),
    ("fix_this", "Two renewal emails, zero access to the portal. Fix this."),
]

NOT_COMPLAINTS = [
    ("a_baby_who_never_took_a_bottle", "My baby never got the hang of the bottle"),
    ("research_that_reported_findings", "Studies have reported lower rates of mastitis"),
    ("praise_for_a_consultant", "The consultant was wonderful, thank you"),
    ("a_question_about_reports", "Where can I find the annual report?"),
    ("a_hospital_story_with_thanks", "On the ward nobody helped, but your helpline was lovely."),
    (
        "kindness_in_front_of_others",
        "Your volunteer was so kind to me in front of the whole group.",
    ),
    ("a_legal_threat_about_a_post", "Our lawyers will be in touch about this post."),
    ("no_complaints", "No complaints at all, the class was lovely."),
    ("not_complaining", "Not complaining, only asking: is the venue changing?"),
    ("a_common_complaint", "A common complaint we hear from parents is lack of weekend help."),
    ("a_call_to_mass_report", "That account is spreading lies, everyone report it."),
    ("feelings_about_a_post", "This graphic is really unhelpful and made me feel guilty."),
    ("despair_not_a_missed_visit", "Some days I want to walk away and never come back."),
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
    (
        "a_threat_about_where_a_volunteer_lives",
        "I know where the Leeds volunteer lives.",
        "violence",
    ),
    ("going_to_the_newspapers", "Your helper was useless and I'm ringing the papers.", "press"),
    ("a_call_to_flood_a_page", "All of you head over to their page and flood it", "viral"),
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
    ("thinking_of_ending_it", "Lately I keep thinking about simply ending it all", "self-harm"),
    ("not_wanting_to_be_here", "I really don't want to be alive some days", "self-harm"),
    ("family_better_off", "My kids would be better off with someone else", "self-harm"),
    ("intrusive_harm_images", "I can't stop imagining hurting him, I'm scared", "self-harm"),
    ("afraid_of_what_i_might_do", "I'm frightened of what I might do", "self-harm"),
    ("no_way_out", "I can't see any way out of this", "self-harm"),
    (
        "make_sure_you_regret",
        "Carry on like this and I'll make sure your chair regrets it",
        "violence",
    ),
    ("you_will_pay", "You people are going to pay for this.", "violence"),
    ("a_visit_threat", "Keep it up and I might pay your office a visit", "violence"),
    ("knows_where_the_office_is", "I know where your office is.", "violence"),
    ("has_a_home_address", "Got the home address of every trustee now.", "violence"),
    ("a_claim_for_damages", "We are preparing a claim for damages against you", "legal"),
    ("taking_it_to_court", "I'm taking this to small claims", "legal"),
    ("lawyers_in_touch", "Our solicitors will be in touch shortly", "legal"),
    ("a_researcher_for_a_programme", "Researcher for ITV here, could we film?", "press"),
    ("an_interview_request", "Could your CEO do a quick interview on Friday?", "press"),
    ("writing_for_a_paper", "I'm writing for the Dunmore Echo about clinic waits", "press"),
    ("a_deadline", "Can you give us a statement by 3pm?", "press"),
    ("share_counts", "Over 25k shares now and people are furious with you", "viral"),
    ("calls_to_respond", "Everyone is talking about this, you need to respond publicly", "viral"),
    ("a_partner_hurting_the_baby", "My partner hits the baby when he cries", "safeguarding"),
    ("not_safe_at_home", "I don't feel safe at home with him", "safeguarding"),
    ("stopped_breathing_briefly", "She keeps stopping breathing in her sleep", "baby-danger"),
    ("a_fall", "He rolled off the bed and hit his head", "baby-danger"),
    # baby danger: colour, tone, breathing, responsiveness, hydration
    ("mottled_skin", "Her skin has gone mottled and she feels cold", "baby-danger"),
    ("pale_and_floppy", "he went pale and floppy in the car seat", "baby-danger"),
    ("chest_sucking_in", "Every breath his ribs are sucking in, is that ok?", "baby-danger"),
    ("cannot_rouse", "She won't rouse at all even when I undress her", "baby-danger"),
    ("no_wees", "No wees since this morning and she's refusing the breast", "baby-danger"),
    ("hours_without_a_feed", "It's been 9 hours without a feed and he's limp", "baby-danger"),
    ("fever_in_a_young_baby", "My 4 week old has a temperature of 38.3", "baby-danger"),
    ("fever_in_a_newborn", "Newborn feels hot to the touch tonight, should I wait?", "baby-danger"),
    ("jaundice_too_sleepy", "She's yellow and too sleepy to feed, day five", "baby-danger"),
    ("jaundice_pale_poo", "He's jaundiced and his poo has gone chalky white", "baby-danger"),
    # third-party framing
    (
        "a_cousins_baby",
        "My cousin's baby is floppy and not feeding, what should she do",
        "baby-danger",
    ),
    ("a_partner_who_wants_to_die", "My wife keeps saying she wants to die.", "self-harm"),
    (
        "a_friends_farewell",
        "A friend just texted that she's saying goodbye to her kids.",
        "self-harm",
    ),
    # safeguarding
    (
        "coercive_control",
        "My husband controls all our money and won't let me see my mum",
        "safeguarding",
    ),
    ("a_neighbour_hitting_a_baby", "I can hear the man next door hitting the baby", "safeguarding"),
    ("afraid_for_my_life", "I'm afraid for my life if I tell him I'm leaving", "safeguarding"),
    (
        "drunk_with_the_baby",
        "Her boyfriend gets drunk while looking after the baby",
        "safeguarding",
    ),
    # indirect self-harm and harm to the baby
    ("a_plan_and_a_date", "I've made a plan and a date. Please tell my kids I tried.", "self-harm"),
    ("stockpiling_tablets", "I have been saving up my tablets for weeks", "self-harm"),
    ("happier_without_me", "They'd honestly be happier without me.", "self-harm"),
    ("live_or_die", "No one cares if I live or die", "self-harm"),
    ("never_wake_up", "I pray I don't wake up tomorrow", "self-harm"),
    ("not_trusting_myself", "I can't trust myself around the baby anymore", "self-harm"),
    ("afraid_of_dropping_her", "I'm terrified I'll drop her on purpose", "self-harm"),
    ("afraid_of_hurting_him", "I'm so scared I'll hurt him when he screams", "self-harm"),
    ("a_voice", "A voice keeps telling me to leave the baby somewhere", "psychosis"),
    ("a_swapped_baby", "I'm sure they swapped my baby at the hospital", "psychosis"),
    # understated, formal or second-language wording
    (
        "a_calm_thought_of_going",
        "Some evenings I think how peaceful it would be to just disappear, then I feel daft.",
        "self-harm",
    ),
    ("a_stash_of_pills", "I have been stockpiling my tramadol for a while now.", "self-harm"),
    ("plain_words_about_life", "Sometimes I think to finish my life, it is too hard.", "self-harm"),
    (
        "a_long_note_with_the_flag_inside",
        "Loved the webinar last week, the slides were great. Between us, I've been reading up on"
        " ways to end things lately. Anyway, when is the next one?",
        "self-harm",
    ),
    ("a_veiled_brake_threat", "Your volunteer should check her tyres before driving.", "violence"),
    ("a_broken_face", "Say that again and I will smash your face, I promise.", "violence"),
    ("a_formal_solicitor", "I have now instructed a solicitor about the use of my image.", "legal"),
    (
        "no_option_but_law",
        "Unless this is corrected I will have no option but to take legal advice.",
        "legal",
    ),
    ("a_picture_desk", "Picture desk here, could we send a photographer on Friday?", "press"),
    (
        "a_stepfather_hitting_mum",
        "my step-dad punches my mum when the baby cries, what do i do",
        "safeguarding",
    ),
    ("a_locked_door", "My husband locks the door when he leaves, I can't go out.", "safeguarding"),
    (
        "an_adult_and_a_minor",
        "My niece is 14 and is expecting with a man who is 30. Nobody says anything.",
        "safeguarding",
    ),
    ("a_sunken_soft_spot", "The soft spot on his head looks sunken today", "baby-danger"),
    ("a_swallowed_battery", "I think he swallowed a little battery from the remote", "baby-danger"),
    ("a_fever_number_first", "My 4 week old has 39.1 temperature since lunch", "baby-danger"),
    (
        "everyone_angry_elsewhere",
        "This post is all over the school WhatsApp, the parents are furious.",
        "viral",
    ),
]

NOT_CRISES = [
    ("legal_advice_not_needed", "No legal advice needed, just a thank you from me."),
    ("a_soft_spot_that_is_fine", "Is it normal to see the soft spot pulse? It isn't sunken."),
    ("a_school_question", "Which school does your volunteer training run from?"),
    ("a_documentary_watched", "We watched a documentary about milk banks last night, fascinating."),
    (
        "worn_out_by_feeding_and_asking_for_tips",
        "pumping every 2 hours and I can't do this anymore, any tips before I stop?",
    ),
    ("thanks_for_a_conference", "Great conference, see you next year!"),
    ("a_birth_in_hospital", "My baby was born in hospital"),
    ("a_screenshot_of_a_latch", "Can I send a screenshot of the latch?"),
    ("a_wet_nappy_count_question", "How many wet nappies should a 5 day old have?"),
    ("a_story_about_feeding", "Our feeding story: six months and counting!"),
    ("a_tired_parent", "So tired today, but we're getting there."),
    ("a_well_fitting_flange", "A well-fitting flange matters more than suction."),
    ("no_intent_to_sue", "I'm not going to sue you, I just want an apology."),
    ("no_legal_action", "To be clear, we're not considering legal action."),
    ("not_a_journalist", "Not a journalist, just a curious mum!"),
    ("empathy_not_a_threat", "I know where you're coming from, it's hard."),
    ("a_visit_invitation", "Could someone pay us a visit at the Tuesday group?"),
    ("a_conditional_or_else", "Wake her for a feed or else she'll sleep through."),
    ("engorgement_not_virality", "My boobs are blowing up like balloons"),
    ("trending_topic_as_praise", "Tongue-tie is a trending topic, great timing for this post!"),
    ("a_university_researcher", "I'm a researcher at a university studying feeding rates"),
    ("a_nipple_turning_blue", "My nipple turns blue and then red after feeds. Raynaud's?"),
    ("blue_hands_and_feet", "His feet went a bit blue in the bath, is that normal?"),
    ("signs_ruled_out", "She's not floppy or blue, just grizzly all evening"),
    ("no_fever", "No fever and plenty of wet nappies, but he fusses at night"),
    ("the_mothers_fever", "I have a fever and a sore wedge, my 2 week old feeds fine"),
    ("mild_jaundice_question", "Tips for a slightly jaundiced baby who's sleepy at feeds?"),
    ("yellow_poo", "Her poo is mustard yellow and seedy, normal?"),
    (
        "jaundice_advice_in_a_post",
        "If your baby is yellow in the first 24 hours, call your midwife.",
    ),
    ("fever_after_the_birth", "Fever on day 9 after the birth, my breast is red and hot"),
    ("a_recovered_baby_story", "Years ago she went blue during a feed. She's thriving now!"),
    (
        "a_recovered_self_harm_story",
        "I was suicidal after my first. Looking back, I'm in a much better place now.",
    ),
    ("ending_breastfeeding", "I'm thinking about ending breastfeeding at a year"),
    ("goodbye_to_a_shield", "We said goodbye to the nipple shield!"),
    ("a_drive_into_town", "I'll drive into town for the drop-in"),
    ("any_point_in_pumping", "Is there any point in carrying on pumping for 20ml?"),
    ("a_baby_hitting_mum", "She keeps hitting me in the face while she feeds lol"),
    ("a_supply_that_does_not_respond", "My supply doesn't respond to anything I try"),
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


# --- varied registers and the learned complement -------------------------------------

REGISTER_CRISES = [
    ("texting_euphemism", "ngl been thinking about how to unalive myself since the birth"),
    ("abbreviation", "3 wks of no sleep. kms fr, i mean it"),
    ("tired_of_existing", "so tired of being alive, every feed feels like a year"),
    ("cutting", "I've been cutting myself again where my partner can't see."),
    ("means_at_hand", "Keep counting how many of my sleeping pills it would take. Just counting."),
    ("third_party_bleach", "My cousin says she will drink the bleach, her baby cries all day."),
    ("stairs_let_go", "Was on the landing by the stairs for ages wondering about just letting go."),
    ("taglish_despair", "Pagod na ako. Sana mawala na lang ako, ayoko na talaga."),
    ("hinglish_despair", "Kabhi kabhi lagta hai sab khatam kar doon, kuch samajh nahi aata."),
    ("pidgin_despair", "I don tire for this life. I wan comot for this world."),
    ("seizure_signs", "Her legs were jerking for ages and now she's really sleepy."),
    ("dropped_baby", "I dropped him on the tiles this morning, he's 3 weeks."),
    ("green_vomit", "He keeps vomiting dark green after feeds, 6 days old."),
    ("non_fading_spots", "Little red dots on his tummy that don't fade when I press a glass."),
    (
        "coercive_control",
        "He checks my phone every night. Can I get help without my husband knowing?",
    ),
    ("brick_threat", "Someone will put a brick through your clinic window soon."),
    ("walk_to_car", "Your chair would be wise to have someone walk her to her car."),
    ("consumer_court", "We will see you in consumer court over the course fees."),
    ("blog_statement", "I run a parenting blog in Accra and would like an official statement."),
    ("radio", "Our radio station wants someone from IPALA on the breakfast show."),
    ("protest", "We're organising a protest outside your AGM next week."),
    ("forum_pile_on", "People are furious, the Mumsnet thread about this post is 30 pages long."),
]


@pytest.mark.parametrize(("case", "text"), REGISTER_CRISES, ids=[c for c, _ in REGISTER_CRISES])
def test_it_reads_crises_in_other_registers(case: str, text: str) -> None:
    assert CrisisDetector().detect(doc(text)), case


REGISTER_COMPLAINTS = [
    ("escalate", "Your helpline ignored three emails about my invoice. Please escalate."),
    ("auto_replies", "Paid for your course last month and still no access. Only get auto-replies."),
    ("time_passed", "Your office promised a call back on Monday. That was 12 days ago."),
    ("taglish", "Hindi po maayos ang serbisyo ng volunteer niyo, sana maaksyunan."),
]


@pytest.mark.parametrize(
    ("case", "text"), REGISTER_COMPLAINTS, ids=[c for c, _ in REGISTER_COMPLAINTS]
)
def test_it_reads_complaints_in_plain_words(case: str, text: str) -> None:
    assert ComplaintDetector().detect(doc(text)), case


def test_the_shipped_signal_model_loads_and_scores_sensibly() -> None:
    from postguard.detectors.signals import load_signal_model

    loaded = load_signal_model()
    assert loaded is not None
    assert set(loaded.model.heads) >= {"crisis", "consult"}
    assert loaded.confident["crisis"] >= loaded.model.thresholds["crisis"]
    alarming = "i can't keep going like this, nobody would notice if i was gone tonight"
    happy = "Loved the webinar on Tuesday, thank you to all the speakers!"
    assert loaded.says(alarming, "crisis")[0] > loaded.says(happy, "crisis")[0]
    assert loaded.says(happy, "crisis")[1] is False
    asking = "my 4 week old keeps falling asleep at the breast, how do I keep her awake?"
    assert loaded.says(asking, "consult")[1] is True


def test_the_model_stays_out_of_outbound_text() -> None:
    from postguard.detectors.signals import model_crisis

    outbound = Document(Content("nobody would notice if I was gone", context=Context()))
    assert model_crisis(outbound) is None


MODEL_GUARDED = [
    ("recovered_story", "Two years ago I felt so alone and scared every night. Now I'm thriving."),
    ("laughter", "this thread has me dead, I'm so done lol 😂"),
    ("ruled_out_phrase", "I'm not going to sue anyone, just sharing how scared I felt."),
]


@pytest.mark.parametrize(("case", "text"), MODEL_GUARDED, ids=[c for c, _ in MODEL_GUARDED])
def test_the_rule_guards_apply_to_model_hits(case: str, text: str) -> None:
    from postguard.detectors.signals import model_crisis

    assert model_crisis(doc(text)) is None, case
    assert CrisisDetector().detect(doc(text)) == [], case
