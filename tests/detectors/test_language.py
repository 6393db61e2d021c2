"""Tests for the language detectors: profanity, harassment and bias."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from profanity_check import predict_prob

from postguard.content import Content, Context
from postguard.detectors import _linear_model, language
from postguard.detectors.base import DetectorConfigError, Document, Hit
from postguard.detectors.language import (
    BiasDetector,
    HarassmentDetector,
    ProfanityDetector,
    profanity_scores,
)


def doc(text: str) -> Document:
    return Document(Content(text))


def inbound(text: str) -> Document:
    return Document(Content(text, context=Context(kind="comment", direction="inbound")))


def evidence(hits: list[Hit]) -> list[str]:
    return [h.evidence.lower() for h in hits]


# --------------------------------------------------------------------------
# profanity

PROFANE = [
    ("who the fook designed this pump", "fook"),
    ("This is shit.", "shit"),
    ("What the f*ck is this", "f*ck"),
    ("f**king hell, what a week", "f**king"),
    ("sh!t happens", "sh!t"),
    ("honestly fcking exhausted", "fcking"),
    ("Go to hell you wanker", "wanker"),
    ("What a load of bollocks", "bollocks"),
    ("the new guidance is total bullshit", "bullshit"),
    ("that advice is pure horsesh*t", "horsesh*t"),
    ("s.h.i.t week on the ward", "s.h.i.t"),
    ("who the f wrote this leaflet", "who the f"),
]

CLINICAL = [
    "Breastfeeding latch and nipple pain: what to do.",
    "My boobs hurt so much when engorged",
    "Baby sucking at the breast, a good deep latch",
    "Boob feeding a toddler is normal.",
    "Check the areola and lips for a wide gape.",
    "Tongue-tie can make sucking less effective.",
    "Five wet and dirty nappies a day, yellow poo by day 5.",
    "Perineal tears and vaginal birth: how they affect feeding.",
    "The heel prick test is done at day 5.",
    "Chest-feeding parents deserve the same support.",
    "Baby's bottom is sore from frequent poos.",
]


@pytest.mark.parametrize(("text", "word"), PROFANE)
def test_it_flags_a_profanity_with_its_span(text: str, word: str) -> None:
    hits = ProfanityDetector().detect(doc(text))
    assert word in evidence(hits)
    hit = next(h for h in hits if h.evidence.lower() == word)
    assert text[hit.start : hit.end].lower() == word
    assert hit.category == "language.profanity"


@pytest.mark.parametrize("text", CLINICAL)
def test_it_does_not_treat_lactation_vocabulary_as_vulgar(text: str) -> None:
    assert ProfanityDetector().detect(doc(text)) == []


def test_it_lets_a_mild_exclamation_in_inbound_praise_through() -> None:
    detector = ProfanityDetector()
    assert detector.detect(inbound("Hell yeah, what a fabulous webinar!")) == []
    # Outbound, or with no praise, or beside another profanity, it is reported.
    assert detector.detect(doc("Hell yeah, what a fabulous webinar!"))
    assert detector.detect(inbound("Damn it, the link is broken again."))
    assert detector.detect(inbound("Damn, this shit is brilliant"))
    # Praise can be a superlative or an emoji, not only a praise word.
    assert detector.detect(inbound("Damn, clearest post on cluster feeding I've read 👏")) == []


def test_it_does_not_report_political_name_calling_as_profanity() -> None:
    assert ProfanityDetector().detect(inbound("You are all boob nazis.")) == []


def test_it_does_not_send_insults_to_the_model_as_profanity() -> None:
    assert ProfanityDetector().detect(inbound("You lot are a pack of bullies.")) == []


def test_it_reports_an_insult_as_harassment_not_profanity() -> None:
    assert ProfanityDetector().detect(doc("you idiot")) == []


def test_it_honours_allow_words_and_extra_words() -> None:
    allowing = ProfanityDetector(allow_words=["bloody hell"])
    assert allowing.detect(doc("Bloody hell, that was a long shift")) == []
    extra = ProfanityDetector(extra_words=["frick"])
    assert evidence(extra.detect(doc("oh frick"))) == ["frick"]


def test_it_refuses_a_threshold_outside_zero_to_one() -> None:
    with pytest.raises(DetectorConfigError):
        ProfanityDetector(threshold=1.5)


def test_it_refuses_unknown_parameters() -> None:
    with pytest.raises(DetectorConfigError):
        ProfanityDetector(words=["x"])


def _corpus_texts() -> list[str]:
    path = Path(__file__).resolve().parents[2] / "corpus" / "posts-dev.jsonl"
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines][:300]


PROFANITY_MODEL_TEXTS = [
    "you are a complete arse",
    "lovely sunny day at the clinic",
    "this is crap",
    "",
    " ",
    "!!! ??? ...",
    "a",
    "the and of is",  # stop words only
    "FUCK this shit shit SHIT",
    "Café crème, naïve résumé — ÉCOLE Straße",
    "Ｆｕｃｋ ｙｏｕ (full width)",
    "𝐟𝐮𝐜𝐤 math bold",
    "бля пиздец cyrillic",
    "你他妈的 混蛋",
    "idiot 🙄🙄 stupid_cow b1tch a$$hole",
    "e\u0301 combining and\u200bzero width",
    "x" * 5000,
]


def test_its_model_scores_match_the_packages_predict_prob() -> None:
    # The shipped export (no scikit-learn at run time) must score exactly as
    # the package it came from, on corpus posts and on awkward inputs.
    texts = [*PROFANITY_MODEL_TEXTS, *_corpus_texts()]
    ours = profanity_scores(texts)
    theirs = [float(x) for x in predict_prob(texts)]
    assert ours == pytest.approx(theirs, abs=1e-9, rel=0)


def test_the_model_flags_a_sentence_with_profanity_not_in_the_lexicon() -> None:
    detector = ProfanityDetector(threshold=0.8)
    hits = detector.detect(doc("Stop your bitching about it."))
    assert hits and hits[0].category == "language.profanity"


BATCH = [
    *(text for text, _ in PROFANE),
    *CLINICAL,
    "Stop your bitching about it. Also the pump is crap.",
    "Nothing to see here.",
    "that was hell",
]


def test_batched_detection_gives_the_same_hits_as_one_document_at_a_time() -> None:
    detector = ProfanityDetector()
    docs = [doc(t) for t in BATCH]
    assert detector.detect_many(docs) == [detector.detect(d) for d in docs]


# --------------------------------------------------------------------------
# harassment

HARASSING = [
    ("I know where the Hull volunteer lives.", "i know where the hull volunteer lives"),
    ("you idiot", "you idiot"),
    ("She's clueless.", "she's clueless"),
    ("Honestly these lazy mothers.", "these lazy mothers"),
    ("that midwife is a joke", "that midwife is a joke"),
    ("Just shut up.", "shut up"),
    ("Nobody wants you here", "nobody wants you here"),
    ("I'll make sure you never work again", "i'll make sure you"),
    ("What a pathetic excuse for a consultant", "what a pathetic excuse for a consultant"),
    ("this mum was too thick to get it", "this mum was too thick"),
    ("You are a moron and a fraud", "you are a moron"),
    (
        "The 'specialist' from the radio phone-in last night is an idiot",
        "the 'specialist' from the radio phone-in last night is an idiot",
    ),
    ("That clinic's new feeding lead is useless", "that clinic's new feeding lead is useless"),
    (
        "Anybody who still tapes dummies in is frankly clueless",
        "anybody who still tapes dummies in is frankly clueless",
    ),
    ("You lot are a pack of smug amateurs", "you lot are a pack of smug"),
    ("Our secretary? Their president is a bitter old hag.", "their president is a bitter old hag"),
    ("Saw the most entitled dad at clinic today", "the most entitled dad"),
    ("Some people should never have had kids tbh", "should never have had kids"),
    ("okay boomer, the research moved on", "okay boomer"),
    ("Stay in your lane and leave the science to the professionals", "stay in your lane"),
    ("Anyone who shares this deserves a slap", "deserves a slap"),
    ("I know where your manager works.", "i know where your manager works"),
    # name-calling nouns after a demonstrative, "you're ... a", or as a fragment
    ("Had to listen to that grumpy old dragon lecture us again", "that grumpy old dragon"),
    ("You're honestly just a sponsored shill for the bottle brands", "shill"),
    ("Whoever approved this leaflet should resign. Clowns.", "clowns"),
    # shapes that are harassment on their own
    ("Some mums really shouldn't be allowed to reproduce", "some mums really shouldn't be allowed"),
    ("I hope your laptop crashes before the webinar", "hope your laptop crashes"),
    ("Let's all go and report his latest video, lads", "let's all go and report his latest video"),
    ("Share this so we can laugh at her together", "laugh at her"),
    (
        "You're the reason parents don't trust health visitors",
        "you're the reason parents don't trust",
    ),
    ("We tracked down her home address, just so you know", "tracked down her home address"),
    ("You lot are going to pay for that post", "are going to pay"),
    ("Somebody ought to set fire to their clinic one night.", "set fire to their clinic"),
    ("Say that again and I'll smash your teeth in.", "smash your teeth"),
    ("Tell your moderator to watch her back at the AGM.", "watch her back"),
    ("She will regret it, mark my words.", "she will regret it"),
    ("I know which school her son goes to.", "which school her son goes"),
    ("That midwife is a scheming fraud.", "fraud"),
    (
        "Whoever moderates this group is a sanctimonious prig.",
        "whoever moderates this group is a sanctimonious",
    ),
]

# Mockery without an insult word: two weighed cues and a person in view.
MOCKING = [
    "Right, all of you go to her page and leave a comment about her 'training'",
    "Our new registrar wouldn't know a latch if it bit her 🙄 honestly.",
    "Lovely of Dr Price to finally read a paper from this century. Only took him twenty years.",
    "She's very nice but I wouldn't send my dog to her, clinically a disaster.",
    "Says the woman who skipped every antenatal class 🙄 Sure Jan.",
    "My colleague thinks colostrum is optional. Lord help us 🤡",
    "Look at these two pretending they know more than the midwives 🤣",
    "Oh look, another 'sleep expert' selling a course. Sit down, Kayleigh.",
    "@Ruth_W the attention span of a gnat, clearly. Did you read the post?",
    "Your midwife sounds about as clued-up as a chocolate teapot, and as useful as my kettle.",
    "Your reply reads like it was typed by a sleepy toddler.",
    "Bless you, sweetie. Do try to keep up.",
    "Maybe leave the science to the grown-ups, pal.",
    "Oh look, she's back again with her hot takes. Nobody asked, hun.",
    "Wow, what a genius idea. Stick to what you know, honey.",
    "@DadOfTwo you are exactly why nobody takes this group seriously. Pipe down.",
]

# Eye-rolls and sarcasm words alone, or aimed at things, are not harassment.
NOT_MOCKING = [
    "The pharmacist said to stop feeding again 🙄 it is compatible, everyone.",
    "Sit down with your baby, get comfy, and go home when you feel ready.",
    "Who knew a cabbage leaf could cause such a debate 😂",
    "Nobody cares how you feed your baby here, you're welcome as you are.",
    "This 'expert' advice about night weaning is outdated 🙄",
    "I hope your baby settles tonight and you both get some rest.",
    "Everyone go and leave a comment on the consultation before Friday.",
    "She's the reason people don't give up: a brilliant peer supporter.",
    "My toddler is a little dinosaur at bedtime 😂",
    "Bless you, love, I hope the next feed goes better.",
    "Wow, what a brilliant idea for the summer picnic!",
    "I'm sure your husband is thrilled to have you both home again.",
    "Stick to the plan the midwife gave you, it does get easier.",
    "Do try to keep up with the evening feeds during a growth spurt.",
    "We leave the tongue-tie checks to the professionals at the clinic.",
]

RESPECTFUL = [
    "See a doctor if the lump doesn't go away after a day or two.",
    "In Ireland you're entitled to paid breastfeeding breaks.",
    "I disagree with this guidance.",
    "I respectfully disagree with the new policy on pacifiers.",
    "This pump is rubbish, the motor died in a week.",
    "The milk was thick and creamy.",
    "It's a myth that teen mums are lazy.",
    "This study is useless for clinical practice.",
    "Thanks for the clear advice, you are a star!",
    "Our new chair is a gifted teacher and a kind listener.",
    "Anyone who is finding the night feeds hard is welcome at the café.",
    "The speaker from the milk bank last week is a real expert.",
    "I felt so stupid for forgetting the flange.",
    "Shame on you NHSE for cutting the infant feeding budget.",
    "Try a different hold and see what happens.",
    "That so-called expert advice about formula top-ups came from an ad.",
    "Shame on you for cancelling the Tuesday drop-in.",
    "The new membership fees are a joke.",
    "What a pointless update, the newsletter said nothing new.",
    "Everyone thought I was crazy for feeding him on the bus.",
    "The smoke alarm went off and we had to leave the clinic building in a hurry.",
    "The old office burnt down years ago, so we moved to the library.",
]


@pytest.mark.parametrize(("text", "span"), HARASSING)
def test_it_flags_harassment_aimed_at_a_person(text: str, span: str) -> None:
    hits = HarassmentDetector().detect(doc(text))
    assert span in evidence(hits)


@pytest.mark.parametrize("text", RESPECTFUL)
def test_it_lets_criticism_of_things_and_ideas_through(text: str) -> None:
    assert HarassmentDetector().detect(doc(text)) == []


@pytest.mark.parametrize("text", MOCKING)
def test_it_flags_mockery_that_adds_up_to_contempt(text: str) -> None:
    hits = HarassmentDetector().detect(doc(text))
    assert hits and all(h.category == "language.harassment" for h in hits)


@pytest.mark.parametrize("text", NOT_MOCKING)
def test_a_single_sarcastic_cue_or_a_friendly_phrase_passes(text: str) -> None:
    assert HarassmentDetector().detect(doc(text)) == []


# --------------------------------------------------------------------------
# bias

BIASED = [
    ("Single dads never have a support network, why bother", "marital status"),
    ("people from the villages don't understand basic hygiene", "geographic location"),
    ("immigrant mums never bother to breastfeed", "national origin"),
    ("Single mothers are irresponsible.", "marital status"),
    ("I won't visit those people from the estates", "socioeconomic status"),
    ("trans parents shouldn't chestfeed", "gender identity"),
    ("teen mums are too stupid to follow advice", "age"),
    ("Muslims always refuse help", "religion"),
    ("Blind parents can't really manage a sling safely.", "ability"),
    ("Bisexual women who co-parent are only doing it for themselves", "sexual orientation"),
    ("Catholic families are the hardest to work with.", "religion"),
    ("Non-binary parents who want to nurse are attention-seeking", "gender identity"),
    ("Welsh families are stuck in the past about feeding", "national origin"),
    ("Fathers just get in the way at night feeds, it's a woman's job.", "sex"),
    ("Anyone who votes for those clowns doesn't care about children.", "political persuasion"),
    ("Somali mums never follow the plan 🙄", "national origin"),
    # generalising predicates the cue list does not hold
    ("Older mothers today are just too set in their ways to listen", "age"),
    ("Bisexual dads who co-sleep are so irresponsible about it", "sexual orientation"),
    ("Deaf parents shouldn't really be left alone with a newborn", "ability"),
    ("Single dads never have the support, so I don't waste my time on them", "marital status"),
    ("Catholic in-laws are always interfering at feeds", "religion"),
]

NEUTRAL = [
    "Support for single parents every Tuesday.",
    "Resources in Urdu for Pakistani families.",
    "LGBTQ+ families welcome!",
    "It's a myth that teen mums can't breastfeed; never assume they are too young to.",
    "Breastfeeding during Ramadan: tips for Muslim mums.",
    "Our peer supporters speak Polish and Romanian.",
    "Deaf mothers can book a BSL interpreter for any of our groups.",
    "Low-income families can't really afford pumps, so our loan scheme is free.",
    "Rural families face more barriers, so they are always offered a video call.",
    "My 17-year-old client latched her baby herself today!",
    "Typical questions from new dads: how can I help at night?",
    "Trans dads who want to chestfeed: our next group is on Monday.",
    "Young mums are so often judged in public, and that has to change.",
    "Fathers are just as able to do night feeds with expressed milk.",
    "Disabled parents shouldn't be left without accessible information.",
    "Women over 40 can breastfeed; supply is not about age.",
]


@pytest.mark.parametrize(("text", "characteristic"), BIASED)
def test_it_flags_a_generalisation_about_a_protected_group(text: str, characteristic: str) -> None:
    hits = BiasDetector().detect(doc(text))
    assert [h.note for h in hits] == [characteristic]


@pytest.mark.parametrize("text", NEUTRAL)
def test_it_passes_neutral_and_supportive_mentions_of_a_group(text: str) -> None:
    assert BiasDetector().detect(doc(text)) == []


def test_it_reports_only_the_characteristics_a_rule_selects() -> None:
    detector = BiasDetector(characteristics=["age"])
    assert detector.detect(doc("Single mothers are irresponsible.")) == []
    with pytest.raises(DetectorConfigError):
        BiasDetector(characteristics=["star sign"])


# --------------------------------------------------------------------------
# the learned harassment/bias model


def test_the_shipped_language_model_loads_with_provenance() -> None:
    model = language.load_language_model()
    assert len(model.vocabulary) > 1000
    assert 0.0 < model.threshold < 1.0
    assert model.provenance["trained_with"].startswith("scikit-learn")
    assert "cv" in model.provenance


def test_the_language_model_file_is_plain_json_and_small() -> None:
    blob = language.LANGUAGE_MODEL_PATH.read_text("utf-8")
    assert blob.startswith("{")
    assert len(blob.encode()) < 3_000_000


def test_the_language_model_scores_contempt_above_kindness() -> None:
    model = language.load_language_model()
    hostile = model.score("You lot are pathetic, a disgrace to the profession. Sit down.")
    kind = model.score("Thank you to our volunteers for a lovely picnic on Saturday.")
    assert 0.0 <= kind < 0.5 < hostile <= 1.0


def test_the_batched_scorer_agrees_with_the_single_scorer() -> None:
    model = language.load_language_model()
    texts = [
        "What an absolute joke of a midwife, honestly.",
        "Feeding cues: rooting, hands to mouth, lip smacking.",
        "",
        "🙄🙄",
        "Typical of them, they never listen 2 anyone",
    ]
    batched = model.score_many(texts)
    for text, score in zip(texts, batched, strict=True):
        assert abs(model.score(text) - score) < 1e-9


def test_a_language_model_of_another_format_is_refused() -> None:
    with pytest.raises(ValueError, match="format"):
        _linear_model.linear_model_from_json(
            {"format": "something-else/9"}, language.LANGUAGE_MODEL_FORMAT
        )


def test_long_texts_are_scored_in_spans_that_cover_them() -> None:
    text = " ".join(["A sentence about feeding cues that goes on for a while."] * 20)
    spans = language.units(text)
    assert len(spans) > 1
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(end - start <= language.UNIT_CHARS for start, end in spans)


def _confident_model(monkeypatch: pytest.MonkeyPatch, score: float) -> None:
    def fake(requests: list[tuple[Document, int, int]]) -> list[float]:
        return [score] * len(requests)

    monkeypatch.setattr(language, "score_spans", fake)


def test_a_confident_model_adds_harassment_only_with_a_weak_cue_and_a_person(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _confident_model(monkeypatch, 0.99)
    detector = HarassmentDetector()
    # One weak cue (an eye-roll phrase) about a person: too little for the
    # rules alone, enough with a confident model.
    hits = detector.detect(doc("Bless her, the new locum thinks every baby needs a bottle."))
    assert [h.note for h in hits] == ["model: contempt aimed at a person"]
    # No cue at all: the model is not trusted on its own.
    assert detector.detect(doc("The new locum thinks every baby needs a bottle.")) == []
    # Switched off by the rule.
    quiet = HarassmentDetector(model=False)
    assert quiet.detect(doc("Bless her, the new locum thinks every baby needs a bottle.")) == []


def test_an_unsure_model_adds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    _confident_model(monkeypatch, 0.1)
    assert HarassmentDetector().detect(doc("Bless her, the new locum has no idea.")) == []
    assert BiasDetector().detect(doc("Refugee mums there just don't engage, sadly.")) == []


def test_a_confident_model_adds_bias_for_a_group_with_a_set_aside_cue(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sentence = "The refugee families there just don't see feeding as important."
    assert BiasDetector(model=False).detect(doc(sentence)) == []
    _confident_model(monkeypatch, 0.99)
    hits = BiasDetector().detect(doc(sentence))
    assert [h.note for h in hits] == ["model: national origin"]
    # A supportive mention has no cue, so the model cannot flag it.
    assert BiasDetector().detect(doc("Refugee families are welcome at every group.")) == []


def test_the_model_threshold_is_checked() -> None:
    with pytest.raises(DetectorConfigError, match="model_threshold"):
        HarassmentDetector(model_threshold=1.5)
    with pytest.raises(DetectorConfigError, match="model_threshold"):
        BiasDetector(model_threshold=0)
