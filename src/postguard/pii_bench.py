"""The PII benchmark: posts made by Faker from templates written for the purpose.

Each sample is a short social post (a lactation consultant's case story, a
member's question, a generic post) with its personal data labelled as spans
(type, start, end) in DESIGN.md's entity vocabulary: ``person``, ``phone``,
``email``, ``address``, ``date``, ``age``, ``location`` and ``id_number``, with a
sub-type where it helps (``card``, ``iban``, ``ssn``, ``ip``, ``licence`` for
identifiers; ``care`` or ``place`` for locations; ``dob`` for dates of birth).
About a fifth of the samples carry no personal data at all, and many of those
carry look-alikes that are not personal data: a cited paper's DOI, an ISBN,
prices, a conference's dates, the association's own helpline.

The set is generated, not stored: Faker (a test dependency, pinned) is seeded
with the split's seed, so the same command gives the same samples. ``dev``
(seed :data:`DEV_SEED`) is for looking at; ``held-out`` (seed
:data:`HELD_OUT_SEED`) is printed by ``postguard bench --final`` only. Values
come from the seventeen locales in :data:`LOCALES`; the templates are in
English, and in Spanish, French, Portuguese, German and Tagalog for the
locales that speak them. The templates were written once from the kinds of
posts the project sees and were not tuned against any detector.
"""

from __future__ import annotations

import contextlib
import io
import logging
import random
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

DEV_SEED = 8001
HELD_OUT_SEED = 8002
DEFAULT_SIZE = 1000
SPLITS = {"dev": DEV_SEED, "held-out": HELD_OUT_SEED}
#: Faker locale -> (phone region for international formatting, template language).
LOCALES: dict[str, tuple[str, str]] = {
    "en_GB": ("GB", "en"),
    "en_US": ("US", "en"),
    "en_AU": ("AU", "en"),
    "en_IE": ("IE", "en"),
    "en_NZ": ("NZ", "en"),
    "en_IN": ("IN", "en"),
    "en_PH": ("PH", "en"),
    "fil_PH": ("PH", "tl"),
    "fi_FI": ("FI", "en"),
    "de_DE": ("DE", "de"),
    "fr_FR": ("FR", "fr"),
    "es_ES": ("ES", "es"),
    "es_MX": ("MX", "es"),
    "pt_BR": ("BR", "pt"),
    "pt_PT": ("PT", "pt"),
    "nl_NL": ("NL", "en"),
    "it_IT": ("IT", "en"),
}
#: Entity types (DESIGN.md's privacy categories without ``privacy.``).
TYPES = ("person", "phone", "email", "address", "date", "age", "location", "id_number")
#: Identifiers that single out a person on their own ("hard identifiers").
HARD_TYPES = frozenset({"phone", "email", "address", "id_number"})
#: Share of samples drawn from the templates with no personal data.
NEGATIVE_SHARE = 0.2


class FakerMissing(RuntimeError):
    """Faker is not installed (it is a test dependency, not a runtime one)."""


@dataclass(frozen=True, slots=True)
class Span:
    type: str
    start: int
    end: int
    subtype: str = ""

    @property
    def hard(self) -> bool:
        return self.type in HARD_TYPES


@dataclass(frozen=True, slots=True)
class Sample:
    id: str
    locale: str
    template: str
    text: str
    spans: tuple[Span, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "locale": self.locale,
            "template": self.template,
            "text": self.text,
            "spans": [
                {"type": s.type, "subtype": s.subtype, "start": s.start, "end": s.end}
                for s in self.spans
            ],
        }


# --- templates -------------------------------------------------------------------
# Placeholders: {person} full name, {first} given name, {last} family name,
# {phone}, {email}, {street} street address, {address} full address, {card},
# {iban}, {ssn}, {ip}, {licence}, {dob}, {age}, {infant_age}, {hospital},
# {ward}, {town}. Literal braces are not used.

TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        "Huge congratulations to {person}, who finally got her twins latching after 3 weeks "
        "in the NICU",
        "Visited {first} and her baby on {ward} at {hospital} today, feeding is going so much "
        "better",
        "call {person} on {phone} if you can cover the Tuesday drop-in",
        "Can someone ring {first} back? Her number is {phone}, she's struggling with engorgement",
        "{person} ({age}) is exclusively pumping for her {infant_age} son at {hospital}",
        "Client update: {person}, DOB {dob}, referred for tongue-tie assessment",
        "Home visit today at {street}, {town}. Mum is doing brilliantly",
        "Please send the loan pump to {address} for {person}",
        "My email is {email}, message me about the donor milk",
        "Her card number {card} was charged twice for the class, can you refund it?",
        "Refund for {person}: IBAN {iban}",
        "For the hospital grant form I need your SSN: {ssn}",
        "Patient {person}, national insurance number {ssn}, seen on {ward}",
        "Login attempts from {ip} on {first}'s account this morning",
        "Driving licence {licence} for the volunteer driver scheme, thanks {person}",
        "Baby born {dob} at {hospital}, {infant_age} now and gaining well",
        "{first} is {age} and a first-time mum living in {town}, she'd love a peer supporter",
        "So proud of {person} from {town}, exclusively breastfed her preemie for 6 months",
        "Shout out to {first} in {ward} who fed her triplets with a supply line",
        "Reach me on {phone} or {email} after 6pm",
        "Contact: {person}, {street}, {phone}",
        "Anyone know a good IBCLC near {town}? DM {email}",
        "{person} was discharged from {hospital} yesterday with her {infant_age} daughter",
        "Transfer to {hospital}, {ward}, for {person} (born {dob})",
        "My son {first} is {infant_age} and still not latching, we live on {street}",
        "{person} is {age} and lives at {address}",
        "Happy birthday {first}! Cannot believe you were in {ward} {infant_age} ago",
        "Sending love to {person} and baby at {hospital}",
        "Pay the course fee to {iban} and quote {person}",
        "Card on file ends {card}, name {person}",
        "Our new volunteer {person} can be reached at {email} or {phone}",
        "Server log: user {email} signed in from {ip}",
        "The {age} mum in {ward} at {hospital} asked about donor milk",
        "Met {first} at the {town} baby cafe, she's {age} and her baby is {infant_age}",
        "New referral: {person}, {address}, tel {phone}, DOB {dob}",
        "I'm {person}, {age}, and my baby is {infant_age}. Anyone else in {town}?",
        "Licence number {licence}, registered to {person} at {street}",
        "Please update my bank details to {iban}. Thanks, {first}",
        "The hospital ID for {first} is {ssn}",
        "Text {first} on {phone} about the breast pump rental",
    ),
    "es": (
        "Muchas felicidades a {person}, que por fin logró amamantar a sus gemelos",
        "Llama a {person} al {phone} para la consulta de lactancia",
        "Visité a {first} en {ward} del {hospital}, el bebé ya se engancha",
        "{person} tiene {age} y vive en {street}, {town}",
        "Mi correo es {email}, escríbeme sobre el banco de leche",
        "Bebé nacido el {dob} en el {hospital}",
        "Transferencia a la cuenta {iban} a nombre de {person}",
        "Mi número de documento es {ssn}",
    ),
    "fr": (
        "Bravo à {person} qui allaite enfin ses jumeaux après 3 semaines en néonatologie",
        "Appelez {person} au {phone} pour la consultation",
        "J'ai vu {first} en {ward} à l'{hospital}, le bébé tète bien",
        "{person}, {age}, habite au {street}, {town}",
        "Mon adresse e-mail est {email}",
        "Bébé né le {dob} à l'{hospital}",
        "Virement sur le compte {iban} au nom de {person}",
        "Mon numéro de sécurité sociale est {ssn}",
    ),
    "pt": (
        "Parabéns à {person}, que finalmente conseguiu amamentar os gêmeos",
        "Liga para a {person} no {phone} sobre a consulta",
        "Visitei a {first} na {ward} do {hospital}, o bebé já mama bem",
        "{person} tem {age} e mora na {street}, {town}",
        "O meu e-mail é {email}",
        "Bebê nascido em {dob} no {hospital}",
        "Transferência para o IBAN {iban} em nome de {person}",
        "O meu número de contribuinte é {ssn}",
    ),
    "de": (
        "Herzlichen Glückwunsch an {person}, die ihre Zwillinge endlich stillen kann",
        "Ruf {person} unter {phone} wegen der Stillberatung an",
        "Habe {first} auf {ward} im {hospital} besucht, das Baby trinkt gut",
        "{person} ist {age} und wohnt in der {street}, {town}",
        "Meine E-Mail ist {email}",
        "Baby geboren am {dob} im {hospital}",
        "Überweisung auf {iban}, Kontoinhaberin {person}",
        "Meine Steuer-ID ist {ssn}",
    ),
    "tl": (
        "Congrats kay {person}, sa wakas nakapag-breastfeed na siya sa kambal niya",
        "Tawagan si {person} sa {phone} para sa lactation consult",
        "Binisita ko si {first} sa {ward} ng {hospital}, okay na ang latch ni baby",
        "Si {person} ay {age} at nakatira sa {street}, {town}",
        "Ang email ko ay {email}, mag-message po kayo",
        "Ipinanganak si baby noong {dob} sa {hospital}",
    ),
}

#: No personal data, often with look-alikes that a careless detector takes for some.
NEGATIVE_TEMPLATES: tuple[str, ...] = (
    "Victora et al. Lancet 2016;387:475-90, doi:10.1016/S0140-6736(15)01024-7",
    "New review out: https://doi.org/10.1542/peds.2011-3552 on breastfeeding and health",
    "The WHO recommends exclusive breastfeeding for the first 6 months",
    "Conference registration closes 14 March 2025; the conference runs 2-4 June 2025",
    "Early bird tickets are £{price} until Friday, members £{price2}",
    "Questions about the course? Call the IPALA helpline on 0300 330 0811 or email "
    "helpline@ipala.example.org",
    "Read more in 'Breastfeeding and Human Lactation', ISBN 978-1-284-15663-8",
    "PMID 26869575 is the Lancet series everyone cites",
    "Feeds of 60-90 ml every 3 hours are typical at 2 weeks",
    "Our webinar starts at 7.30pm GMT, 20 minutes of Q&A at the end",
    "Only 1 in 3 babies are exclusively breastfed at 6 months (n = 12,043)",
    "Version 2.4.1 of the app fixes the feeding timer",
    "The pump costs ${price} and the spare valves ${price2}",
    "World Breastfeeding Week is 1-7 August every year",
    "Room 101 is booked for the committee meeting on Tuesday",
    "Course code IBLCE-2025-07, 45 CERPs, fee €{price}",
    "We reached 10,000 members this year, thank you all",
    "Tongue-tie is found in 4-11% of newborns (Cochrane 2017)",
    "Save 20% with code LATCH20 at checkout",
    "Milk supply usually settles between 6 and 12 weeks",
    "Our office is closed 24-26 December",
    "Page 3 of the leaflet explains paced bottle feeding",
    "Call 999 in an emergency, or 111 for advice",
    "Patients are seen in order of need, not arrival",
    "Ward rounds start at 9am; visitors welcome from 2pm",
)


# --- values ----------------------------------------------------------------------

_GROUPS = re.compile(r"(\w{4})(?=\w)")


def _grouped(value: str) -> str:
    return _GROUPS.sub(r"\1 ", value)


class _Values:
    """Faker-made values for one locale, in the shapes people type them."""

    def __init__(self, fake: Any, rng: random.Random, region: str, lang: str) -> None:
        self.fake = fake
        self.rng = rng
        self.region = region
        self.lang = lang

    def person(self) -> str:
        return str(self.fake.first_name() + " " + self.fake.last_name())

    def first(self) -> str:
        return str(self.fake.first_name())

    def last(self) -> str:
        return str(self.fake.last_name())

    def phone(self) -> str:
        fake = self.fake
        number = str(fake.phone_number() if hasattr(fake, "phone_number") else fake.mobile_number())
        if self.rng.random() < 0.3:
            import phonenumbers

            try:
                parsed = phonenumbers.parse(number, self.region)
            except phonenumbers.NumberParseException:
                return number
            if phonenumbers.is_valid_number(parsed):
                style = self.rng.choice(
                    [
                        phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                        phonenumbers.PhoneNumberFormat.NATIONAL,
                    ]
                )
                return str(phonenumbers.format_number(parsed, style))
        return number

    def email(self) -> str:
        return str(self.fake.free_email() if self.rng.random() < 0.5 else self.fake.email())

    def street(self) -> str:
        return str(self.fake.street_address()).replace("\n", ", ")

    def address(self) -> str:
        return ", ".join(p.strip() for p in str(self.fake.address()).splitlines() if p.strip())

    def card(self) -> str:
        number = str(self.fake.credit_card_number())
        return _grouped(number) if self.rng.random() < 0.5 else number

    def iban(self) -> str:
        number = str(self.fake.iban())
        return _grouped(number) if self.rng.random() < 0.5 else number

    def ssn(self) -> str:
        return str(self.fake.ssn())

    def ip(self) -> str:
        return str(self.fake.ipv6() if self.rng.random() < 0.15 else self.fake.ipv4())

    def licence(self) -> str:
        rng = self.rng
        style = rng.randrange(3)
        if style == 0:
            # The shape of a British licence: surname, birth digits, initials, check letters.
            surname = re.sub(r"[^A-Z]", "", self.fake.last_name().upper())[:5].ljust(5, "9")
            digits = "".join(str(rng.randrange(10)) for _ in range(6))
            initials = "".join(rng.choice("ABCDEFGHJKLMNPRSTW") for _ in range(2))
            check = f"{rng.randrange(10)}{rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}"
            return f"{surname}{digits}{initials}{check}"
        if style == 1:
            return rng.choice("ABDFGKLMNPRSW") + "".join(str(rng.randrange(10)) for _ in range(7))
        return " ".join("".join(str(rng.randrange(10)) for _ in range(4)) for _ in range(2))

    def dob(self) -> str:
        day = self.fake.date_of_birth(minimum_age=0, maximum_age=45)
        formats = ["%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%m/%d/%Y"]
        if self.lang == "en":
            formats += ["%d %B %Y", "%B %d, %Y", "%d %b %Y"]
        return str(day.strftime(self.rng.choice(formats)))

    def age(self) -> str:
        years = self.rng.randrange(16, 46)
        shapes = {
            "en": [
                f"{years}",
                f"{years}-year-old",
                f"{years}yo",
                f"aged {years}",
                f"{years} years old",
            ],
            "es": [f"{years} años"],
            "fr": [f"{years} ans"],
            "pt": [f"{years} anos"],
            "de": [f"{years} Jahre alt", f"{years}"],
            "tl": [f"{years} taong gulang", f"{years} years old"],
        }[self.lang]
        return self.rng.choice(shapes)

    def infant_age(self) -> str:
        n = self.rng.randrange(2, 12)
        return self.rng.choice([f"{n} weeks old", f"{n} months old", f"{n} weeks", f"{n}-week-old"])

    def hospital(self) -> str:
        city, last = self.fake.city(), self.fake.last_name()
        shapes = {
            "en": [
                f"{city} General Hospital",
                f"St {last}'s Hospital",
                f"Royal {city} Infirmary",
                f"{city} Women's Hospital",
                f"{city} Medical Center",
            ],
            "es": [f"Hospital {last}", f"Hospital General de {city}"],
            "fr": [f"hôpital {last}", f"hôpital de {city}"],
            "pt": [f"Hospital {last}", f"Hospital de {city}"],
            "de": [f"Klinikum {city}", f"St.-{last}-Krankenhaus"],
            "tl": [f"{city} General Hospital", f"{last} Medical Center"],
        }[self.lang]
        return self.rng.choice(shapes)

    def ward(self) -> str:
        n = self.rng.randrange(1, 40)
        shapes = {
            "en": [
                f"ward {n}",
                f"room {n}",
                f"bay {n}",
                f"bed {n}",
                f"the {self.fake.last_name()} Ward",
            ],
            "es": [f"la habitación {n}", f"la planta {n}"],
            "fr": [f"chambre {n}", f"salle {n}"],
            "pt": [f"enfermaria {n}", f"quarto {n}"],
            "de": [f"Station {n}", f"Zimmer {n}"],
            "tl": [f"ward {n}", f"room {n}"],
        }[self.lang]
        return self.rng.choice(shapes)

    def town(self) -> str:
        return str(self.fake.city())

    def price(self) -> str:
        return f"{self.rng.randrange(5, 400)}.{self.rng.choice(['00', '50', '99'])}"

    price2 = price


#: Placeholder -> (type, sub-type); None for values that are not personal data.
_KINDS: dict[str, tuple[str, str] | None] = {
    "person": ("person", ""),
    "first": ("person", ""),
    "last": ("person", ""),
    "phone": ("phone", ""),
    "email": ("email", ""),
    "street": ("address", ""),
    "address": ("address", ""),
    "card": ("id_number", "card"),
    "iban": ("id_number", "iban"),
    "ssn": ("id_number", "ssn"),
    "ip": ("id_number", "ip"),
    "licence": ("id_number", "licence"),
    "dob": ("date", "dob"),
    "age": ("age", ""),
    "infant_age": ("age", "infant"),
    "hospital": ("location", "care"),
    "ward": ("location", "care"),
    "town": ("location", "place"),
    "price": None,
    "price2": None,
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _render(template: str, values: _Values) -> tuple[str, tuple[Span, ...]]:
    parts: list[str] = []
    spans: list[Span] = []
    length = 0
    cursor = 0
    for m in _PLACEHOLDER.finditer(template):
        literal = template[cursor : m.start()]
        parts.append(literal)
        length += len(literal)
        make: Callable[[], str] = getattr(values, m.group(1))
        value = make().strip()
        kind = _KINDS[m.group(1)]
        if kind is not None:
            spans.append(Span(kind[0], length, length + len(value), kind[1]))
        parts.append(value)
        length += len(value)
        cursor = m.end()
    parts.append(template[cursor:])
    return "".join(parts), tuple(spans)


@contextlib.contextmanager
def _quiet_faker() -> Iterator[None]:
    """Some Faker providers warn, log or print that their numbers are made up; we know."""
    log = logging.getLogger("faker")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        log.setLevel(level)


def generate(seed: int = DEV_SEED, size: int = DEFAULT_SIZE) -> list[Sample]:
    """``size`` samples, the same ones for the same seed (and the pinned Faker)."""
    try:
        from faker import Faker
    except ImportError:
        raise FakerMissing(
            "the PII benchmark needs Faker: pip install 'postguard[test]' (or faker==40.63.0)"
        ) from None
    rng = random.Random(seed)
    locales = list(LOCALES)
    fakers: dict[str, Any] = {}
    values: dict[str, _Values] = {}
    for number, locale in enumerate(locales):
        fake = Faker(locale)
        fake.seed_instance(seed * 100 + number)
        fakers[locale] = fake
        region, lang = LOCALES[locale]
        values[locale] = _Values(fake, random.Random(seed * 100 + number), region, lang)
    samples: list[Sample] = []
    # Some Faker providers warn (or log) that their numbers are made up; we know.
    with _quiet_faker():
        for index in range(size):
            locale = locales[index % len(locales)]
            v = values[locale]
            if rng.random() < NEGATIVE_SHARE:
                number = rng.randrange(len(NEGATIVE_TEMPLATES))
                name = f"none-{number:02d}"
                text, spans = _render(NEGATIVE_TEMPLATES[number], v)
            else:
                lang = v.lang if v.lang != "en" and rng.random() < 0.6 else "en"
                number = rng.randrange(len(TEMPLATES[lang]))
                name = f"{lang}-{number:02d}"
                text, spans = _render(TEMPLATES[lang][number], v)
            samples.append(Sample(f"pii-{seed}-{index:05d}", locale, name, text, spans))
    return samples
