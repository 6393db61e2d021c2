"""Privacy detectors: people, contact details, birth and health details of clients."""

from __future__ import annotations

import json

import pytest

from postguard.content import Content, Context
from postguard.detectors import _linear_model, privacy
from postguard.detectors.base import DetectorConfigError, Document, Hit
from postguard.detectors.privacy import (
    AddressDetector,
    AgeDetector,
    BirthDateDetector,
    CareLocationDetector,
    DetailSolicitationDetector,
    EmailDetector,
    HealthDetailDetector,
    IdNumberDetector,
    PersonNameDetector,
    PhoneDetector,
    QuasiIdentifierDetector,
)
from postguard.detectors.registry import detector_class

POST = Context(account="official", kind="post", audience="public", direction="outbound")
REPLY = Context(account="official", kind="reply", audience="public", direction="outbound")
INBOUND = Context(account="official", kind="comment", audience="public", direction="inbound")

ALL = (
    PersonNameDetector(),
    PhoneDetector(),
    EmailDetector(),
    AddressDetector(),
    BirthDateDetector(),
    AgeDetector(),
    CareLocationDetector(),
    IdNumberDetector(),
    HealthDetailDetector(),
    QuasiIdentifierDetector(),
    DetailSolicitationDetector(),
)


def hits(text: str, context: Context = POST) -> list[Hit]:
    doc = Document(Content(text, context=context))
    return [hit for detector in ALL for hit in detector.detect(doc)]


def found(text: str, context: Context = POST) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for hit in hits(text, context):
        out.setdefault(hit.category, []).append(hit.evidence)
    return out


# --- each category: (text, category, evidence) positives, and negatives beside them --

POSITIVES = [
    # names
    ("So proud of baby Liam's latch today!", "privacy.person", "Liam"),
    ("Mrs Okafor asked me to share her story.", "privacy.person", "Mrs Okafor"),
    ("His mum Sarah was exhausted.", "privacy.person", "Sarah"),
    ("little AMARA is feeding well", "privacy.person", "AMARA"),
    ("client jess has mastitis again", "privacy.person", "jess"),
    ("A baby named Noah came in today.", "privacy.person", "Noah"),
    ("Baby Zephyr is doing great.", "privacy.person", "Zephyr"),
    ("Congratulations to baby Grace on her first feed!", "privacy.person", "Grace"),
    # phones
    ("Her mobile is 07700 900123, please call her.", "privacy.phone", "07700 900123"),
    ("Client's number is (555) 201-4433.", "privacy.phone", "(555) 201-4433"),
    ("Text her on +44 7700 900123 tonight.", "privacy.phone", "+44 7700 900123"),
    # emails
    ("Follow up with jane.doe@example.com today.", "privacy.email", "jane.doe@example.com"),
    # addresses
    ("Drop the pump at 14 Acacia Avenue please.", "privacy.address", "14 Acacia Avenue"),
    ("She lives in flat 3 on the estate.", "privacy.address", "flat 3"),
    ("Meals to 7 Birch Close, Leeds LS1 4AP.", "privacy.address", "7 Birch Close, Leeds LS1 4AP"),
    ("She has moved to Austin, TX 78701.", "privacy.address", "TX 78701"),
    # birth dates
    ("DOB 3/4/25, please help.", "privacy.date", "DOB 3/4/25"),
    ("Little one was born on 3 April!", "privacy.date", "born on 3 April"),
    ("She was born at 3:42am weighing 3.2kg.", "privacy.date", "born at 3:42am"),
    (
        "He arrived on 14th March at 2am.",
        "privacy.date",
        "arrived on 14th March at 2am",
    ),
    (
        "Twins delivered last Tuesday at 39+2.",
        "privacy.date",
        "delivered last Tuesday at 39+2",
    ),
    # ages
    ("My 19-year-old client was so brave.", "privacy.age", "My 19-year-old"),
    ("She's 42 and it's her first baby.", "privacy.age", "She's 42"),
    ("Her 3-week-old son is feeding well.", "privacy.age", "Her 3-week-old"),
    ("Supported a mum of 23 this morning.", "privacy.age", "a mum of 23"),
    # places of care
    ("She was in St Mary's ward 4 all week.", "privacy.location", "St Mary's ward 4"),
    (
        "Baby was in bay 3 of the NICU at Royal Infirmary.",
        "privacy.location",
        "bay 3 of the NICU at Royal Infirmary",
    ),
    ("A mum from Little Snoring came to group.", "privacy.location", "A mum from Little Snoring"),
    # identifying numbers
    ("MRN 0045821 attended today.", "privacy.id_number", "MRN 0045821"),
    ("NHS number 943 476 5919 on file.", "privacy.id_number", "NHS number 943 476 5919"),
    ("Her Medicaid ID: 12345678 is on file.", "privacy.id_number", "Medicaid ID: 12345678"),
    # health details of a person
    ("I saw a mum today whose baby had a tongue tie.", "privacy.health", "tongue tie"),
    ("My client is on sertraline 50mg.", "privacy.health", "sertraline"),
    ("Sarah came to clinic today, her baby had jaundice.", "privacy.health", "jaundice"),
    # asking for details in public
    (
        "Can you tell us your baby's weight and which hospital?",
        "privacy.solicitation",
        "Can you tell us your baby's weight",
    ),
    ("DM isn't needed, just post your address", "privacy.solicitation", "just post your address"),
    ("What's your due date and which hospital?", "privacy.solicitation", "What's your due date"),
    # shapes beyond the gazetteer: accents, initials, surnames, consult partners
    ("Lovely to see Séamus back at the breast today.", "privacy.person", "Séamus"),
    ("Mr K. from the Monday drop-in says the hired pump is helping.", "privacy.person", "Mr K."),
    ("RB's thrush is finally clearing up after the second course.", "privacy.person", "RB"),
    (
        "Thinking of the Adeyinka-Shaw family as they head home from the neonatal unit.",
        "privacy.person",
        "Adeyinka-Shaw",
    ),
    (
        "Video consult with Imelda Okafor tonight went really well.",
        "privacy.person",
        "Imelda Okafor",
    ),
    # case notes in clinical shorthand, and a case told without a name
    ("Thoughts please: G3P2, 39+1, EBL 450ml, baby sleepy since.", "privacy.health", "G3P2"),
    ("A 4-day-old I visited this morning has lost 11% already.", "privacy.health", "lost 11%"),
    ("A 20-hour-old I saw today was struggling to latch.", "privacy.age", "A 20-hour-old"),
    ("My client (19) is doing brilliantly with night feeds.", "privacy.age", "client (19)"),
    # beds, bays and named wards with someone in them
    (
        "The dad in bay 5 on Willow Ward would love a visit.",
        "privacy.location",
        "bay 5 on Willow Ward",
    ),
    (
        "The family in the corner bay asked for help with expressing.",
        "privacy.location",
        "family in the corner bay",
    ),
    # birth dates in words
    (
        "Her little boy arrived on the 3rd at 4.15am.",
        "privacy.date",
        "arrived on the 3rd at 4.15am",
    ),
    ("She was born on the twelfth of May.", "privacy.date", "born on the twelfth of May"),
    # more record numbers
    ("OHIP 1234-567-890 needs a referral.", "privacy.id_number", "OHIP 1234-567-890"),
    ("CHI 0101011234 still needs a feeding review.", "privacy.id_number", "CHI 0101011234"),
    # asking for a photo of the body
    (
        "Send a close-up of the latch so everyone can see.",
        "privacy.solicitation",
        "Send a close-up of the",
    ),
    # family names in other shapes: plural possessives, particles, other languages
    ("The Okonkwos' little girl has finally come off the shields!", "privacy.person", "Okonkwos"),
    ("Home visit with the Ní Bhriain family went well.", "privacy.person", "Ní Bhriain"),
    ("Visite demain chez la famille Moreau, bébé dort mal.", "privacy.person", "Moreau"),
    ("Mrs T's boy is feeding much better since Tuesday.", "privacy.person", "Mrs T"),
    ("Gupta ji's daughter-in-law is struggling with supply.", "privacy.person", "Gupta ji"),
    # a greeting becomes a client once the reply recalls seeing them or echoes their details
    (
        "Hi Wanjiru! Hope the reweigh went fine after I saw you on Monday.",
        "privacy.person",
        "Wanjiru",
    ),
    (
        "Thanks Tadhg, we've noted your number and will ring this evening.",
        "privacy.person",
        "Tadhg",
    ),
]


@pytest.mark.parametrize(("text", "category", "evidence"), POSITIVES)
def test_it_flags_private_details(text: str, category: str, evidence: str) -> None:
    assert evidence in found(text).get(category, [])


NEGATIVES = [
    # names: common words, cited authors, staff, signatures, places
    ("Will you join us? May is a busy month. Grace and hope to all.", "privacy.person"),
    ("Dr Jack Newman's research shows skin to skin helps.", "privacy.person"),
    ("According to Dr Smith (2019), early feeding helps.", "privacy.person"),
    ("Thanks for reading! — Priya, IBCLC", "privacy.person"),
    ("Welcome to our new volunteer Sarah Jones!", "privacy.person"),
    ("St Mary's Hospital has just achieved Baby Friendly accreditation.", "privacy.person"),
    ("Great review by Prof. Mary Renfrew and colleagues.", "privacy.person"),
    ("Thanks so much for your kind words, Aoife!", "privacy.person"),
    ("The Baby Friendly Initiative turns 30 this year.", "privacy.person"),
    # phones: organisation lines, years, dates, quantities
    ("Call our helpline on 0300 100 0212 for support.", "privacy.phone"),
    ("Our office: 020 7946 0000, open Mon-Fri.", "privacy.phone"),
    ("Between 2019-2023 we trained 1,234,567 volunteers.", "privacy.phone"),
    ("Our AGM is on 12/06/2024 at 7:30pm.", "privacy.phone"),
    ("Babies drink around 750 ml a day; 1500 members joined.", "privacy.phone"),
    # emails: role addresses
    ("Email info@ipala.org or membership@ipala.org.", "privacy.email"),
    ("Email us at jane@ipala.org for tickets.", "privacy.email"),
    # addresses: published venues and clinics
    ("Join us at 12 High Street, Leeds LS1 4AP for the drop-in.", "privacy.address"),
    ("Our clinic at 22 Park Road is open Mon-Fri 9am-5pm.", "privacy.address"),
    (
        "Drop-in clinic every Tuesday 10am–12pm at Riverside Family Hub, 3 Wharf Street, "
        "Leeds LS2 7EQ. No appointment needed.",
        "privacy.address",
    ),
    # dates: events and deadlines
    ("World Breastfeeding Week runs 1-7 August 2025.", "privacy.date"),
    ("Applications close on 3 April.", "privacy.date"),
    ("Born in 2019, our charity now supports 3000 families a year.", "privacy.date"),
    # ages: groups in general advice
    ("Babies under 6 months need only milk.", "privacy.age"),
    ("Toddlers aged 1-3 can have cow's milk.", "privacy.age"),
    ("From 6 months, offer solids alongside milk.", "privacy.age"),
    # places: general statements and our own venues
    ("Hospitals should support breastfeeding.", "privacy.location"),
    ("Join us on 4 May at St Mary's Hospital, room 12, for our study day.", "privacy.location"),
    # health: general education
    ("Mastitis is common in the first weeks.", "privacy.health"),
    ("Tongue tie can cause pain and a shallow latch.", "privacy.health"),
    ("If she has mastitis she should keep feeding.", "privacy.health"),
    # solicitation: asking for a private channel
    ("Please send us a private message with the details.", "privacy.solicitation"),
    ("Please don't post your address here; DM us instead.", "privacy.solicitation"),
    # names of volunteers, office-holders and committee members, and nationalities
    ("Thanks for the kind note, Rutendo — we'll share it with the volunteers.", "privacy.person"),
    ("Huge thanks to Ama, Beata and Kwesi, the volunteers who ran our stall.", "privacy.person"),
    ("Our Membership Officer, Deborah, is away until Monday.", "privacy.person"),
    (
        "We welcome Dr Femi Ade, Dr Ruth Lee and Ailbhe Ní Dhuinn to the Ethics Committee.",
        "privacy.person",
    ),
    ("The Polish family who joined our group last month are lovely.", "privacy.person"),
    # office lines, service numbers and a member's own booking number
    ("Call the office on 020 7946 0123 for membership queries.", "privacy.phone"),
    ("Helpline: 0300 123 4567, 8am to 10pm every day.", "privacy.phone"),
    ("Email me at hello.jo@example.com or text 07700 900555 to book.", "privacy.phone"),
    # a year is not a house number; a unit with nobody in it is not a place of care
    ("Entries for the 2026 award close on 1 March.", "privacy.address"),
    (
        "Congratulations to the neonatal unit at Hilltop Hospital on its new rooms.",
        "privacy.health",
    ),
    ("If you're struggling, our helpline is open 24/7.", "privacy.health"),
    # volunteers listed, described by their work, or given a role in apposition
    ("Well done to our peer supporters Kofi, Abena and Sorcha on qualifying!", "privacy.person"),
    ("Staff news: Rangi and Ebo have both passed their exams.", "privacy.person"),
    ("Tomasz (Gdańsk) has run our Friday group for ten years.", "privacy.person"),
    ("Big thanks to Halima Musa, our wonderful coordinator, for the stall.", "privacy.person"),
    (
        "Meet Zanele Dube, our newest counsellor! Zanele will be at the library on Fridays.",
        "privacy.person",
    ),
    # authors, photo credits, places named after people, a sign-off over a role line
    ("A cohort study (Mensah, Lindqvist & Rao, Lancet 2023) found the same.", "privacy.person"),
    ("Photo: Keri Anand Photography, shared with thanks.", "privacy.person"),
    ("Our regional meeting is at the Grand Stanley Hotel, Kisumu.", "privacy.person"),
    (
        "Minutes are on the members' page.\n\nAoibhinn Nic Giolla\nMembership Secretary",
        "privacy.person",
    ),
    # grandparents' names in other languages, weekday abbreviations
    ("Lola's adobo was the best part of the trip.", "privacy.person"),
    ("Our press desk (open Mon to Fri) can help journalists.", "privacy.person"),
]


@pytest.mark.parametrize(("text", "category"), NEGATIVES)
def test_it_leaves_general_or_published_details_alone(text: str, category: str) -> None:
    assert category not in found(text)


# --- context and parameters ----------------------------------------------------------


def test_it_flags_a_phone_number_in_a_reply() -> None:
    text = "Hi! We've passed your wife's number (+234 805 555 0192) to the IBCLC in Lekki."
    assert found(text, REPLY)["privacy.phone"] == ["+234 805 555 0192"]


def test_it_flags_a_commenters_own_number_posted_publicly() -> None:
    assert found("call me pls 0412 345 678 my baby won't stop crying", INBOUND)[
        "privacy.phone"
    ] == ["0412 345 678"]


def test_it_does_not_flag_our_own_number_when_we_ask_to_be_called() -> None:
    assert "privacy.phone" not in found("Call me anytime on 07700 900123 if it hurts!", REPLY)


def test_it_keeps_a_number_we_echo_back_to_a_client() -> None:
    text = "Please call us back, we have you down as 07700 900644."
    assert found(text)["privacy.phone"] == ["07700 900644"]


def test_it_flags_a_named_baby_and_its_health_in_a_commenters_post() -> None:
    result = found("DOB 14.08.2024, 37 weeks, my baby Aria still can't latch", INBOUND)
    assert {"privacy.person", "privacy.date", "privacy.health"} <= set(result)


def test_it_does_not_treat_a_parents_own_question_as_a_case() -> None:
    result = found("my 3 week old won't latch and I think it's thrush, help?", INBOUND)
    assert "privacy.age" not in result
    assert "privacy.health" not in result


def test_it_flags_a_greeted_commenter_when_the_reply_shows_they_are_a_client() -> None:
    assert found("Hi Farah, so lovely to meet you at clinic this morning!", REPLY)[
        "privacy.person"
    ] == ["Farah"]
    assert "privacy.person" not in found("Hi Farah, thanks for the lovely comment!", REPLY)


def test_it_flags_a_handle_when_the_reply_confirms_a_home_visit() -> None:
    text = "@maya.r lovely to see you and the wee one at your place today!"
    assert found(text, REPLY)["privacy.person"] == ["@maya.r"]
    assert "privacy.person" not in found("Great tips from @feeding.facts this week!", POST)


def test_it_reads_a_public_figure_tie_as_identifying() -> None:
    text = "Guess who I'm supporting? The councillor's wife! Her baby has a tongue tie."
    assert "privacy.quasi_identifier" in found(text)


def test_a_reply_giving_advice_is_not_a_case_history() -> None:
    text = "At 3 weeks he needs at least 6 wet nappies a day; offer a feed every 2-3 hours."
    assert "privacy.health" not in found(text, REPLY)


def test_a_commenters_feeding_question_is_not_a_health_disclosure_even_with_a_name() -> None:
    result = found("My daughter Zofia keeps falling asleep at the breast, any tips?", INBOUND)
    assert result.get("privacy.person") == ["Zofia"]
    assert "privacy.health" not in result


def test_it_flags_a_commenters_own_email_asked_to_be_used() -> None:
    result = found("please email me at sam.k@example.net, my baby won't latch", INBOUND)
    assert result["privacy.email"] == ["sam.k@example.net"]


def test_it_does_not_flag_allowed_names() -> None:
    doc = Document(Content("Our lovely client Sarah came today.", context=POST))
    assert PersonNameDetector().detect(doc)
    assert not PersonNameDetector(allow=["Sarah"]).detect(doc)


def test_it_flags_a_signature_when_signatures_are_not_allowed() -> None:
    doc = Document(Content("Thanks for reading!\n— Priya", context=POST))
    assert not PersonNameDetector().detect(doc)
    assert [h.evidence for h in PersonNameDetector(allow_signature=False).detect(doc)] == ["Priya"]


def test_it_can_include_organisation_contacts_when_asked() -> None:
    doc = Document(Content("Call our helpline on 0300 100 0212.", context=POST))
    assert not PhoneDetector().detect(doc)
    assert PhoneDetector(exclude_org_contact=False).detect(doc)


def test_it_flags_an_identifying_combination_without_a_name() -> None:
    text = (
        "A patient from Little Snoring came in last Tuesday with her triplets and a cleft palate."
    )
    (hit,) = [h for h in hits(text) if h.category == "privacy.quasi_identifier"]
    assert hit.evidence == text
    assert "family" in hit.note and "place" in hit.note


def test_it_respects_the_quasi_identifier_threshold() -> None:
    text = "The only mum of triplets in our tiny village came to group today."
    doc = Document(Content(text, context=POST))
    assert QuasiIdentifierDetector(threshold=3).detect(doc)
    assert not QuasiIdentifierDetector(threshold=6).detect(doc)


def test_it_refuses_a_meaningless_threshold() -> None:
    with pytest.raises(DetectorConfigError):
        QuasiIdentifierDetector(threshold=1)


def test_it_refuses_unknown_parameters() -> None:
    with pytest.raises(DetectorConfigError):
        PhoneDetector(regions=["GB"])


# --- the contract ------------------------------------------------------------------

CONTRACT_TEXTS = [
    "Welcome to the world, baby Zara! Born 4:12am on 9 March 2024 at Royal Infirmary, 7lb 2oz.",
    "Visited a family in room 412 at Mercy General this afternoon, jaundice under the lights.",
    "We have your details as Dana Whitfield, 07700 900461 and dana.whitfield@example.com.",
    "Hospital no. RX2290417 — her notes say mastitis x3 and she's been discharged.",
]


@pytest.mark.parametrize("text", CONTRACT_TEXTS)
def test_its_spans_point_at_the_evidence(text: str) -> None:
    result = hits(text)
    assert result
    for hit in result:
        assert hit.start is not None and hit.end is not None
        assert text[hit.start : hit.end] == hit.evidence
        assert 0.0 <= hit.score <= 1.0
        assert hit.note


@pytest.mark.parametrize("text", CONTRACT_TEXTS)
def test_it_is_deterministic(text: str) -> None:
    assert hits(text) == hits(text)


def test_every_detector_is_registered_under_its_name() -> None:
    for detector in ALL:
        assert detector_class(detector.name) is type(detector)
        assert detector.summary
        assert detector.categories == {detector.name}


def test_it_handles_empty_and_odd_text() -> None:
    for text in ("", " ", "😊😊", "ß" * 50, "0" * 400, "a" * 5000):
        assert isinstance(hits(text), list)


# --------------------------------------------------------------------------
# Optional spaCy backend: a real spaCy pipeline (blank English with an entity
# ruler, saved to disk) stands in for a user-installed NER model.
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spacy_pipeline(tmp_path_factory: pytest.TempPathFactory) -> str:
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": [{"LOWER": "zyxwina"}]}])
    path = tmp_path_factory.mktemp("ner")
    nlp.to_disk(path)
    return str(path)


def test_the_spacy_backend_adds_names_the_gazetteer_does_not_know(spacy_pipeline: str) -> None:
    text = "Zyxwina came back to clinic today."
    assert not PersonNameDetector().detect(Document(Content(text)))
    hits = PersonNameDetector(spacy_model=spacy_pipeline).detect(Document(Content(text)))
    assert [(h.evidence, h.note) for h in hits] == [("Zyxwina", "spaCy entity")]


def test_the_spacy_backend_respects_the_allow_list(spacy_pipeline: str) -> None:
    detector = PersonNameDetector(spacy_model=spacy_pipeline, allow=["Zyxwina"])
    assert not detector.detect(Document(Content("Zyxwina came back to clinic today.")))


def test_a_spacy_model_that_is_not_installed_is_a_clear_configuration_error() -> None:
    pytest.importorskip("spacy")
    with pytest.raises(DetectorConfigError, match="'no_such_model' is not installed"):
        PersonNameDetector(spacy_model="no_such_model")


@pytest.mark.parametrize(
    "text",
    [
        "The maternity unit at St Mary's is closed for refurbishment until March.",
        "St Mary's maternity unit has just earned Baby Friendly accreditation!",
    ],
)
def test_an_unnumbered_unit_with_nobody_in_the_story_is_not_a_place_of_care(text: str) -> None:
    context = Context(account="official")
    assert CareLocationDetector().detect(Document(Content(text, context=context))) == []


def test_a_numbered_bay_with_a_baby_in_the_story_is_a_place_of_care() -> None:
    text = "Long day in the NICU at St Bartholomew's, the twins in bay 6 are off CPAP."
    assert CareLocationDetector().detect(Document(Content(text)))


# --- the case-narrative model ---------------------------------------------------------


def test_the_shipped_privacy_model_loads_with_provenance() -> None:
    model = privacy.load_privacy_model()
    assert model is not None
    assert model.heads == ("health", "quasi")
    assert len(model.terms) > 1000
    assert all(0.0 < model.thresholds[h] < 1.0 for h in model.heads)
    files = model.provenance["files"]
    assert files and all("dev" in f and "test" not in f for f in files)
    assert {"precision", "recall", "f1"} <= set(model.provenance["cv"]["health"])


def test_the_privacy_model_file_is_plain_json_and_small() -> None:
    path = privacy.PRIVACY_MODEL_PATH
    assert path.stat().st_size < 3_000_000
    data = json.loads(path.read_text("utf-8"))
    assert data["format"] == privacy.PRIVACY_MODEL_FORMAT
    assert all(len(v) == 1 + len(data["heads"]) for v in data["terms"].values())
    with pytest.raises(ValueError, match="format"):
        _linear_model.linear_model_from_json({**data, "format": "other/1"}, "x/1")


def test_the_privacy_model_reads_a_case_story_above_general_education() -> None:
    model = privacy.load_privacy_model()
    assert model is not None
    pairs = [
        (
            "Saw a lovely mum this morning, her little boy has lost 9% and she's on domperidone.",
            "Weight loss of up to 10% in the first days can be normal; ask your midwife.",
        ),
        (
            "Spent the afternoon with a first-time dad whose wife had a bad tear, baby on top-ups.",
            "Perineal tears are common after a first birth and usually heal well.",
        ),
    ]
    for case, education in pairs:
        assert model.scores(case)["health"] > model.scores(education)["health"], case


def test_privacy_model_scores_are_probabilities_and_deterministic() -> None:
    model = privacy.load_privacy_model()
    assert model is not None
    for text in ["", "?!", "x " * 500, "Ünïcödé 😀 text", "she"]:
        scores = model.scores(text)
        assert set(scores) == {"health", "quasi"}
        assert all(0.0 <= v <= 1.0 for v in scores.values())
        assert model.scores(text) == scores


def test_the_model_never_flags_general_education_on_its_own() -> None:
    text = "Mastitis and thrush are common. Research shows most mums keep feeding through it."
    assert "privacy.health" not in found(text)
    assert "privacy.quasi_identifier" not in found(text)


def test_the_rules_still_work_without_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(privacy, "load_privacy_model", lambda: None)
    assert (
        "jaundice" in found("Sarah came to clinic today, her baby had jaundice.")["privacy.health"]
    )
    assert "privacy.health" not in found("Jaundice is common in newborns.")


def test_char_features_pad_tokens_like_char_wb() -> None:
    assert _linear_model.char_features(["ok"], 4, 4) == [" ok "]
    assert _linear_model.char_features(["milk"], 4, 4) == [" mil", "milk", "ilk "]


# --- phones and e-mails come from the entity layer; the context decides whose they are --


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("the Cork lactation clinic's direct line is 021 555 0177, open 9-4", REPLY),
        ("Our helpline is open 8am-10pm: 0300 330 0811, or text 07700 900 100.", POST),
        ("Journalists: our media desk (Hannah, Mon–Fri) is on 020 7946 0321.", POST),
        ("Hi, I'm a reporter at the Courier. Can someone call me? Ciara, 091 555 0188", INBOUND),
        ("Book with me: Jo Hartley IBCLC, 0491 570 156. Home visits.", POST),
    ],
)
def test_it_leaves_organisation_and_work_lines_alone(text: str, context: Context) -> None:
    assert "privacy.phone" not in found(text, context)


def test_it_still_flags_a_clients_number_beside_our_helpline() -> None:
    text = "Our helpline is busy today; we tried to call you on (555) 201-4433 but no answer."
    assert found(text)["privacy.phone"] == ["(555) 201-4433"]


def test_it_sees_through_an_obfuscated_phone_number() -> None:
    text = "Call his mum on O77OO\u200f \U0001f4de 9OO\u00adl23 tonight"
    assert found(text, INBOUND)["privacy.phone"] == ["O77OO\u200f \U0001f4de 9OO\u00adl23"]


def test_it_does_not_take_a_social_security_number_for_a_phone() -> None:
    text = "Patient Heather Strickland, national insurance number 073-65-6426, seen on ward 34"
    result = found(text)
    assert "privacy.phone" not in result
    assert privacy.is_org_contact("phone", text, 54, 65) is False


def test_it_leaves_a_story_call_address_alone() -> None:
    text = "Reply below or email stories@ipala.example.org (we'll ask before sharing)."
    assert "privacy.email" not in found(text)


def test_the_hand_written_phone_and_email_patterns_are_gone() -> None:
    assert not hasattr(privacy, "_phone_spans")
    assert not hasattr(privacy, "_EMAIL")
