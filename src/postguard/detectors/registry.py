"""The one table that maps detector names (as used in policy packs) to classes.

Entries are import strings so that a detector's heavy dependencies (OpenCV,
the profanity model) load only when a rule that uses it is loaded.
"""

from __future__ import annotations

import importlib
from functools import cache

from postguard.detectors.base import Detector

DETECTORS: dict[str, str] = {
    # privacy
    "privacy.person": "postguard.detectors.privacy:PersonNameDetector",
    "privacy.phone": "postguard.detectors.privacy:PhoneDetector",
    "privacy.email": "postguard.detectors.privacy:EmailDetector",
    "privacy.address": "postguard.detectors.privacy:AddressDetector",
    "privacy.date": "postguard.detectors.privacy:BirthDateDetector",
    "privacy.age": "postguard.detectors.privacy:AgeDetector",
    "privacy.location": "postguard.detectors.privacy:CareLocationDetector",
    "privacy.id_number": "postguard.detectors.privacy:IdNumberDetector",
    "privacy.health": "postguard.detectors.privacy:HealthDetailDetector",
    "privacy.quasi_identifier": "postguard.detectors.privacy:QuasiIdentifierDetector",
    "privacy.solicitation": "postguard.detectors.privacy:DetailSolicitationDetector",
    # the entity layer's hard identifiers, in any context
    "entities": "postguard.detectors.entities:EntityDetector",
    # imagery
    "imagery.face": "postguard.detectors.imagery:FaceDetector",
    "imagery.location_metadata": "postguard.detectors.imagery:LocationMetadataDetector",
    "imagery.no_consent": "postguard.detectors.imagery:ConsentDetector",
    # language
    "language.profanity": "postguard.detectors.language:ProfanityDetector",
    "language.harassment": "postguard.detectors.language:HarassmentDetector",
    "language.bias": "postguard.detectors.language:BiasDetector",
    # commercial
    "commercial.undisclosed_interest": "postguard.detectors.commercial:UndisclosedInterestDetector",
    "commercial.bms_marketing": "postguard.detectors.commercial:BmsMarketingDetector",
    # attribution
    "attribution.missing": "postguard.detectors.attribution:MissingAttributionDetector",
    # clinical
    "clinical.individual_advice": "postguard.detectors.clinical:IndividualAdviceDetector",
    "clinical.consult_request": "postguard.detectors.clinical:ConsultRequestDetector",
    "clinical.boundaries": "postguard.detectors.boundaries:BoundariesDetector",
    # information
    "information.confidential": "postguard.detectors.information:ConfidentialDetector",
    "information.unapproved": "postguard.detectors.information:UnapprovedTopicDetector",
    # voice
    "voice.org_endorsement": "postguard.detectors.voice:OrgVoiceDetector",
    "voice.implied_endorsement": "postguard.detectors.voice:ImpliedEndorsementDetector",
    "voice.personal_opinion": "postguard.detectors.voice:PersonalOpinionDetector",
    # signals (inbound)
    "signal.negative": "postguard.detectors.signals:NegativeDetector",
    "signal.complaint": "postguard.detectors.signals:ComplaintDetector",
    "signal.crisis": "postguard.detectors.signals:CrisisDetector",
    # the language and signal categories in es, fr, pt, de, tl and hi-en
    "multilingual": "postguard.detectors.multilingual:MultilingualDetector",
    # generic, for organizations' own packs
    "pattern": "postguard.detectors.generic:PatternDetector",
    "lexicon": "postguard.detectors.generic:LexiconDetector",
}


class UnknownDetectorError(KeyError):
    def __str__(self) -> str:
        return f"unknown detector {self.args[0]!r}"


@cache
def detector_class(name: str) -> type[Detector]:
    """The class registered under ``name``; imports its module on first use."""
    try:
        target = DETECTORS[name]
    except KeyError:
        raise UnknownDetectorError(name) from None
    module_name, _, attr = target.partition(":")
    cls = getattr(importlib.import_module(module_name), attr)
    if not (isinstance(cls, type) and issubclass(cls, Detector)):
        raise TypeError(f"{target} is not a Detector")
    return cls
