"""Words for people: what each category means and what each code is called.

The category ids (DESIGN.md) are a stable vocabulary for programs; a person reading
a finding needs "Client privacy: a name", not ``privacy.person``. One table, used by
the pages (and by anything else that shows findings to people)."""

from __future__ import annotations

from collections.abc import Mapping

from postguard.policy.schema import CATEGORIES

CATEGORY_LABELS: Mapping[str, str] = {
    "privacy.person": "Client privacy: a name",
    "privacy.phone": "Client privacy: a phone number",
    "privacy.email": "Client privacy: an e-mail address",
    "privacy.address": "Client privacy: an address",
    "privacy.date": "Client privacy: a date that identifies",
    "privacy.age": "Client privacy: an age",
    "privacy.location": "Client privacy: a place",
    "privacy.id_number": "Client privacy: an identity or account number",
    "privacy.health": "Client privacy: health details",
    "privacy.quasi_identifier": "Client privacy: details that together identify someone",
    "privacy.solicitation": "Client privacy: asking people to share private details",
    "imagery.face": "Image: a recognisable face",
    "imagery.location_metadata": "Image: location data in the file",
    "imagery.no_consent": "Image: no recorded consent",
    "language.profanity": "Language: profanity",
    "language.harassment": "Language: harassment or insult",
    "language.bias": "Language: bias against a group",
    "commercial.undisclosed_interest": "Commercial: an interest not disclosed",
    "commercial.bms_marketing": "Commercial: marketing breast-milk substitutes",
    "attribution.missing": "Attribution: source or credit missing",
    "clinical.individual_advice": "Clinical: advice to one person online",
    "clinical.consult_request": "Clinical: a request for a consultation",
    "clinical.boundaries": "Clinical: blurred boundaries with clients",
    "information.confidential": "Information: confidential",
    "information.unapproved": "Information: not approved for release",
    "voice.org_endorsement": "Voice: speaking for or endorsing in the association's name",
    "voice.personal_opinion": "Voice: a personal opinion as the association's",
    "signal.negative": "Signal: a negative message",
    "signal.complaint": "Signal: a complaint",
    "signal.crisis": "Signal: a person may be at risk",
}

#: Short names of the codes postguard ships; an organization's own packs are
#: called by their title.
PACK_LABELS: Mapping[str, str] = {
    "iblce-social-media-2022": "IBLCE",
    "ipala-social-media-2023": "IPALA",
    "who-code": "WHO Code",
}

SEVERITY_LABELS: Mapping[str, str] = {
    "block": "Must change",
    "review": "Committee looks closely",
    "advise": "Advice",
}


def category_label(category: str) -> str:
    """The category in words; an id without a label (a newer vocabulary) as itself."""
    return CATEGORY_LABELS.get(category, category)


def pack_label(pack: str, title: str = "") -> str:
    return PACK_LABELS.get(pack) or title or pack


def unlabelled_categories() -> set[str]:
    return set(CATEGORIES) - set(CATEGORY_LABELS)
