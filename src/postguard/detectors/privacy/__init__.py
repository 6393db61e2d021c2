"""Privacy detectors: people, contact details, birth and health details of clients.

The IBLCE advisory opinion asks IBCLCs to "preserve confidentiality of
clients and their families" online and warns that anonymised stories can
still identify people. These detectors look for what could identify a
client, an infant or a family: names, contact details, dates of birth, ages,
places of care, record numbers, health details tied to a person,
combinations of facts that single a person out, and public requests for
more such details.

The engine runs every detector on the same document, so the work they share
(sentences, one Aho-Corasick pass over all lexicons and cue phrases, the
person-name candidates, which sentences are about a particular person) is
done once and cached on the :class:`Document` (``analysis``). The cue
phrases double as prefilters: a pattern runs only when the words it needs
are present, which keeps the whole family to tens of microseconds on a
typical post.

One module per family: ``people`` (names), ``contact`` (phones, e-mails,
addresses, identifying numbers), ``dates`` (birth dates, ages), ``places``
(places of care), ``health``, ``quasi`` (quasi-identifiers) and
``solicitation``; ``vocab`` reads the shared vocabularies from
``data/privacy_vocab.txt`` and the cue phrases from ``data/privacy_cues.txt``.

Adding a detector: write one :class:`~postguard.detectors.base.Detector`
subclass in its family's module (or a new module here), taking what it
needs from ``_analyse(doc)`` and its words from ``vocab`` (add new words to
the data files, not to the code), register its name in
``postguard/detectors/registry.py``, and add its examples, positive and
negative, to ``tests/detectors/test_privacy.py``. Identifiers that point to
a person by themselves (a phone number, an IBAN) belong to the entity layer
instead: one :class:`~postguard.entities.base.Recognizer` subclass with its
``examples``, listed in ``postguard/entities/registry.py``.
"""

from __future__ import annotations

# analysis first: the families' modules build on it (see the end of analysis.py)
from postguard.detectors.privacy import vocab
from postguard.detectors.privacy.analysis import (
    PRIVACY_MODEL_FORMAT,
    PRIVACY_MODEL_PATH,
    load_privacy_model,
)
from postguard.detectors.privacy.contact import (
    AddressDetector,
    EmailDetector,
    IdNumberDetector,
    PhoneDetector,
    is_org_contact,
)
from postguard.detectors.privacy.dates import AgeDetector, BirthDateDetector
from postguard.detectors.privacy.health import HealthDetailDetector
from postguard.detectors.privacy.people import PersonNameDetector
from postguard.detectors.privacy.places import CareLocationDetector
from postguard.detectors.privacy.quasi import QuasiIdentifierDetector
from postguard.detectors.privacy.solicitation import DetailSolicitationDetector

__all__ = [
    "PRIVACY_MODEL_FORMAT",
    "PRIVACY_MODEL_PATH",
    "AddressDetector",
    "AgeDetector",
    "BirthDateDetector",
    "CareLocationDetector",
    "DetailSolicitationDetector",
    "EmailDetector",
    "HealthDetailDetector",
    "IdNumberDetector",
    "PersonNameDetector",
    "PhoneDetector",
    "QuasiIdentifierDetector",
    "is_org_contact",
    "load_privacy_model",
    "vocab",
]
