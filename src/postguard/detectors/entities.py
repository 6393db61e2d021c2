"""The entity layer as a detector: hard identifiers as privacy hits, whatever the context.

The privacy detectors decide by context whether a name or a number belongs
to a client; this detector reports the identifiers that point to one
person on their own (a phone number, an e-mail address, a card, an IBAN, a
national or health id, an IP address, a street address) so that a rule can
ask for at least a review wherever they appear. What is not a person's:

- the association's own published contact details, listed in the rule's
  ``published`` parameter (compared by digits for numbers, case-blind for
  addresses);
- organisation lines and role addresses ("call our helpline on …",
  ``info@``, a venue "held at …"), by the same context tests the privacy
  detectors use;
- a DOI, an ISBN, a price or a conference date never becomes one of these
  types in the first place (the recognizers veto those shapes).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from postguard.detectors.base import (
    Detector,
    DetectorConfigError,
    Document,
    Hit,
    take_params,
)
from postguard.entities import HARD_IDENTIFIERS, Entity, analyze, redact
from postguard.entities.base import rx

#: Entity type -> the privacy category its hit carries.
CATEGORY = {
    "phone": "privacy.phone",
    "email": "privacy.email",
    "address": "privacy.address",
    "card": "privacy.id_number",
    "iban": "privacy.id_number",
    "id": "privacy.id_number",
    "ip": "privacy.id_number",
    "person": "privacy.person",
    "handle": "privacy.person",
    "date": "privacy.date",
    "birth_date": "privacy.date",
    "age": "privacy.age",
    "care_place": "privacy.location",
    "place": "privacy.location",
}
_KEY = "_postguard_entities"
#: A post about the writer's own practice, where their contact details are a work line.
_PRACTICE = rx(
    r"(?i)\b(?:book(?:ing|ings|ed)?|consult(?:s|ation|ations)?|ibclc|(?:my|private)\s+practice"
    r"|home\s+visits?|appointments?|my\s+business|business\s+line|clients?)\b"
)


def document_entities(doc: Document) -> tuple[Entity, ...]:
    """The entities of ``doc``, computed once per document and shared."""
    cached: tuple[Entity, ...] | None = doc.__dict__.get(_KEY)
    if cached is None:
        cached = analyze(doc.text)
        doc.__dict__[_KEY] = cached
    return cached


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


class EntityDetector(Detector):
    """Hard identifiers from the entity layer, minus the organisation's own contacts."""

    name = "entities"
    categories = frozenset(
        {"privacy.phone", "privacy.email", "privacy.address", "privacy.id_number"}
    )
    summary = (
        "Phone numbers, e-mail and street addresses, cards, IBANs, national and health ids and"
        " IP addresses found by the entity layer in any context (the organisation's published"
        " contacts, helplines and role addresses are not flagged)."
    )

    def __init__(self, **params: Any) -> None:
        p = take_params(self.name, params, {"types": list, "published": list, "min_score": float})
        types = p.get("types", sorted(HARD_IDENTIFIERS))
        unknown = sorted(set(types) - set(CATEGORY))
        if unknown:
            raise DetectorConfigError(
                f"detector 'entities': unknown entity type {', '.join(map(str, unknown))}"
            )
        self.types = frozenset(types)
        published = [str(x) for x in p.get("published", [])]
        self.published_numbers = frozenset(_digits(x) for x in published if len(_digits(x)) >= 6)
        self.published_text = frozenset(x.strip().lower() for x in published)
        self.min_score: float = p.get("min_score", 0.5)

    def detect(self, doc: Document) -> list[Hit]:
        from postguard.detectors import privacy

        text = doc.text
        outbound = doc.context.direction == "outbound"
        # "Reach me on ..." from the association's account is a staff line, and so is
        # a member's in a post about their practice ("book with me", "private
        # consults"); otherwise it is the member's personal number, published.
        own_is_work = outbound and (
            doc.context.account == "official" or _PRACTICE.search(text) is not None
        )
        hits: list[Hit] = []
        for entity in document_entities(doc):
            if entity.type not in self.types or entity.score < self.min_score:
                continue
            if self._published(entity):
                continue
            if entity.type in ("phone", "email", "address") and privacy.is_org_contact(
                entity.type, text, entity.start, entity.end, outbound, own_is_work
            ):
                continue
            hits.append(
                Hit(
                    CATEGORY[entity.type],
                    entity.start,
                    entity.end,
                    text[entity.start : entity.end],
                    entity.score,
                    note=f"{entity.type} ({entity.recognizer})",
                )
            )
        return hits

    def _published(self, entity: Entity) -> bool:
        raw = entity.text.strip().lower()
        if raw in self.published_text:
            return True
        if entity.type == "email" and any(
            p.startswith("@") and raw.endswith(p) for p in self.published_text
        ):
            return True  # any address at the association's own domain
        digits = _digits(raw)
        if len(digits) < 6:
            return False
        # "+44 300 100 0212" and "0300 100 0212" are the same line
        return any(
            digits == p or digits.endswith(p.lstrip("0")) or p.endswith(digits.lstrip("0"))
            for p in self.published_numbers
        )


#: Privacy findings a suggested rewrite replaces, with the entity type whose placeholder
#: they take: a name the privacy rules found in context but the entity layer did not.
REWRITE_TYPES = {
    "privacy.person": "person",
    "privacy.phone": "phone",
    "privacy.email": "email",
    "privacy.address": "address",
    "privacy.id_number": "id",
    "privacy.date": "date",
    "privacy.age": "age",
    "privacy.location": "place",
}


def suggested_rewrite(
    text: str,
    findings: Iterable[tuple[str, int | None, int | None]],
    entities: Iterable[Entity],
) -> str | None:
    """``text`` with its entities and the spans of its privacy findings replaced by
    placeholders, given (category, start, end) findings; None without a privacy
    finding or when nothing would change (the finding was about health, say)."""
    spans = [
        Entity(REWRITE_TYPES[category], start, end, 1.0, "finding", text[start:end])
        for category, start, end in findings
        if category in REWRITE_TYPES and start is not None and end is not None and end > start
    ]
    if not spans:
        return None
    rewritten = redact(text, [*entities, *spans])
    return rewritten if rewritten != text else None
