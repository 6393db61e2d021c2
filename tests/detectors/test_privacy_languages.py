"""Posts in Spanish, French, Portuguese, German and Tagalog get the privacy rules English gets."""

from __future__ import annotations

import pytest

from postguard.content import Content, Context
from postguard.detectors.base import Document
from postguard.detectors.privacy import (
    AgeDetector,
    BirthDateDetector,
    CareLocationDetector,
    HealthDetailDetector,
)
from postguard.engine import check

POST = Context(account="official", kind="post", audience="public", direction="outbound")
INBOUND = Context(account="official", kind="comment", audience="public", direction="inbound")


def spans(detector: object, text: str, context: Context = POST) -> list[str]:
    doc = Document(Content(text=text, context=context))
    return [text[h.start or 0 : h.end or 0] for h in detector.detect(doc)]  # type: ignore[attr-defined]


CLIENT_AGE_DIAGNOSIS = {
    "en": "My client is 19 years old and has mastitis.",
    "es": "Mi clienta tiene 19 años y tiene mastitis.",
    "fr": "Ma cliente a 19 ans et a une mastite.",
    "pt": "A minha cliente tem 19 anos e tem mastite.",
    "de": "Meine Klientin ist 19 Jahre alt und hat eine Mastitis.",
    "tl": "Ang kliyente ko ay 19 taong gulang at may mastitis.",
    "mixed": "Saw mi paciente today, 19 años, with mastitis.",
}


@pytest.mark.parametrize("language", sorted(CLIENT_AGE_DIAGNOSIS))
def test_a_client_with_her_age_and_diagnosis_is_blocked_in_every_language(language: str) -> None:
    report = check(CLIENT_AGE_DIAGNOSIS[language], account="official")
    assert report.decision == "block"
    categories = {f.category for f in report.findings}
    assert {"privacy.age", "privacy.health"} <= categories


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Mi clienta, de 19 años, fue diagnosticada con mastitis.", "19 años"),
        ("Ma patiente, 19 ans, a une mastite.", "19 ans"),
        ("A minha cliente, 19 anos, teve mastite.", "19 anos"),
        ("Meine Patientin, 19 Jahre alt, hatte eine Mastitis.", "19 Jahre alt"),
        ("Ang pasyente ko, 19 taong gulang, ay may mastitis.", "19 taong gulang"),
    ],
)
def test_the_age_of_a_client_is_found_in_her_language(text: str, age: str) -> None:
    assert spans(AgeDetector(), text) == [age]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Vi a una mamá en la habitación 12 de maternidad hoy.", "habitación 12"),
        ("J'ai vu une maman dans la chambre 12 de la maternité.", "chambre 12 de la maternité"),
        ("Visitei uma mãe no quarto 12 da maternidade.", "quarto 12"),
        ("Heute eine Mutter in Zimmer 12 besucht.", "Zimmer 12"),
        ("La paciente está en la cama 4 del Hospital Clínico.", "cama 4 del Hospital Clínico"),
    ],
)
def test_the_place_of_care_of_a_client_is_found_in_her_language(text: str, place: str) -> None:
    assert any(place in found for found in spans(CareLocationDetector(), text))


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Su bebé nació el 3 de mayo de 2024.", "3 de mayo de 2024"),
        ("Son bébé est né le 3 mai 2024.", "3 mai 2024"),
        ("O bebê nasceu em 3 de maio de 2024.", "3 de maio de 2024"),
        ("Ihr Baby wurde am 3. Mai 2024 in der 32. Woche geboren.", "3. Mai 2024"),
        ("Ipinanganak ang sanggol noong ika-3 ng Mayo 2024.", "ika-3 ng Mayo 2024"),
    ],
)
def test_the_birth_date_of_a_client_s_baby_is_found_in_its_language(text: str, date: str) -> None:
    assert any(date in found for found in spans(BirthDateDetector(), text))


def test_a_health_word_of_another_language_is_tied_to_the_client() -> None:
    assert spans(HealthDetailDetector(), "Mi paciente tiene ictericia desde ayer.") == ["ictericia"]


@pytest.mark.parametrize(
    "text",
    [
        "La conferencia de IPALA será el 3 de mayo de 2025 en Madrid.",
        "Notre atelier coûte 25 € et a lieu le 3 mai à Paris.",
        "A mastite afeta muitas mães nas primeiras semanas; procure ajuda cedo.",
        "Viele Mütter haben in den ersten 6 Wochen Fragen zum Stillen.",
        "Ang pagpapasuso ay mabuti para sa sanggol at sa nanay.",
        "Hace 19 años que trabajo con familias en el hospital.",
    ],
)
def test_general_posts_in_those_languages_pass(text: str) -> None:
    report = check(text, account="official")
    privacy = [f for f in report.findings if f.category.startswith("privacy.")]
    assert privacy == []


def test_a_parent_s_own_comment_in_spanish_is_not_a_disclosure() -> None:
    text = "Mi bebé tiene 3 meses y tengo mastitis, ¿qué hago?"
    assert spans(AgeDetector(), text, INBOUND) == []
    assert spans(HealthDetailDetector(), text, INBOUND) == []
