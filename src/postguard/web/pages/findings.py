"""Findings as people read them: one card per flagged span, listing every clause of
every code that span breaks (the CLI's grouping, render.group_by_span), in words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from postguard.engine import default_engine
from postguard.entities.base import Entity
from postguard.policy.labels import SEVERITY_LABELS, category_label, pack_label
from postguard.policy.schema import SEVERITY_RANK
from postguard.render import group_by_span


@dataclass(frozen=True, slots=True)
class Clause:
    rule_id: str
    code: str
    clause: str
    quote: str
    severity: str
    label: str
    message: str
    note: str
    #: The chair's justification for overriding this block finding, when given.
    override: str = ""


@dataclass(frozen=True, slots=True)
class Card:
    number: int
    where: str
    severity: str
    severity_label: str
    labels: tuple[str, ...]
    clauses: tuple[Clause, ...]
    fixes: tuple[str, ...]
    codes: tuple[str, ...] = field(default=())


@lru_cache(maxsize=1)
def _pack_titles() -> dict[str, str]:
    return {pack.id: pack.model.title for pack in default_engine().policy.packs}


def code_name(pack: str) -> str:
    return pack_label(pack, _pack_titles().get(pack, ""))


def _where(finding: Mapping[str, Any]) -> tuple[Any, Any, Any]:
    return (finding.get("start"), finding.get("end"), finding.get("media"))


def _position(item: tuple[tuple[Any, Any, Any], list[Mapping[str, Any]]]) -> tuple[int, int]:
    (start, _end, media), _ = item
    if isinstance(start, int):
        return (0, start)
    return (1, media if isinstance(media, int) else -1)


def cards(
    findings: Sequence[Mapping[str, Any]], overrides: Mapping[str, str] | None = None
) -> list[Card]:
    """The findings grouped by what they concern, in reading order; the worst
    severity of a group is the card's."""
    overrides = overrides or {}
    out = []
    groups = sorted(group_by_span(findings, _where), key=_position)
    for number, ((start, _end, media), group) in enumerate(groups, 1):
        if isinstance(media, int):
            where = f"Image {media + 1}"
        elif isinstance(start, int):
            where = f"“{group[0].get('evidence', '')}”"
        else:
            where = "The whole post"
        severities = [str(f.get("severity", "advise")) for f in group]
        worst = max(severities, key=lambda s: SEVERITY_RANK.get(s, 0))
        clauses = tuple(
            Clause(
                rule_id=str(f.get("rule_id", "")),
                code=code_name(str(f.get("pack", ""))),
                clause=str(f.get("clause", "")),
                quote=str(f.get("quote", "")),
                severity=str(f.get("severity", "")),
                label=category_label(str(f.get("category", ""))),
                message=str(f.get("message", "")),
                note=str(f.get("note", "") or ""),
                override=overrides.get(str(f.get("rule_id", "")), ""),
            )
            for f in sorted(group, key=lambda f: -SEVERITY_RANK.get(str(f.get("severity")), 0))
        )
        out.append(
            Card(
                number=number,
                where=where,
                severity=worst,
                severity_label=SEVERITY_LABELS.get(worst, worst),
                labels=tuple(dict.fromkeys(c.label for c in clauses)),
                clauses=clauses,
                fixes=tuple(dict.fromkeys(str(f.get("fix", "")) for f in group if f.get("fix"))),
                codes=tuple(dict.fromkeys(c.code for c in clauses)),
            )
        )
    return out


def block_rules(findings: Sequence[Mapping[str, Any]]) -> list[Clause]:
    """One entry per rule whose finding blocks the post: what a chair's override
    must justify, rule by rule."""
    seen: dict[str, Clause] = {}
    for f in findings:
        rule = str(f.get("rule_id", ""))
        if f.get("severity") == "block" and rule not in seen:
            seen[rule] = Clause(
                rule_id=rule,
                code=code_name(str(f.get("pack", ""))),
                clause=str(f.get("clause", "")),
                quote=str(f.get("quote", "")),
                severity="block",
                label=category_label(str(f.get("category", ""))),
                message=str(f.get("message", "")),
                note="",
            )
    return list(seen.values())


#: Entity types (postguard.entities.registry.TYPES) as a member reads them.
ENTITY_LABELS: dict[str, str] = {
    "person": "Name",
    "handle": "Social media handle",
    "phone": "Phone number",
    "email": "E-mail address",
    "address": "Street address",
    "date": "Date",
    "birth_date": "Date of birth",
    "age": "Age",
    "care_place": "Hospital or ward",
    "place": "Place",
    "card": "Card number",
    "iban": "Bank account (IBAN)",
    "id": "ID number",
    "ip": "IP address",
}


@dataclass(frozen=True, slots=True)
class PersonalData:
    label: str
    text: str


def has_privacy_finding(findings: Sequence[Mapping[str, Any]]) -> bool:
    return any(str(f.get("category", "")).startswith("privacy.") for f in findings)


def personal_data(entities: Iterable[Entity]) -> list[PersonalData]:
    """The personal data found, once per (type, text), in the order of the text; links
    are left out (they are not redacted: most point to the association's own pages)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for entity in sorted(entities, key=lambda e: (e.start, e.end)):
        label = ENTITY_LABELS.get(entity.type)
        if label is None or (entity.type, entity.text) in seen:
            continue
        seen.add((entity.type, entity.text))
        out.append(PersonalData(label, entity.text))
    return out
