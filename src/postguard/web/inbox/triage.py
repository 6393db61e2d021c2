"""Triage of inbound items by the engine: categories and priority.

Plain Python (no Django) so that the benchmark and the services share it.
The inbox categories are the engine's signal, clinical and harassment
categories, plus ``privacy`` for any ``privacy.*`` finding: a commenter who
posts their own (or their baby's) details publicly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from postguard.engine import Finding, Report, default_engine, make_content

CRISIS = "signal.crisis"
COMPLAINT = "signal.complaint"
NEGATIVE = "signal.negative"
HARASSMENT = "language.harassment"
CONSULT = "clinical.consult_request"
PRIVACY = "privacy"

#: The inbox categories, most pressing first, with the words shown to people.
CATEGORY_LABELS: dict[str, str] = {
    CRISIS: "Crisis",
    COMPLAINT: "Complaint",
    HARASSMENT: "Harassment",
    PRIVACY: "Privacy breach by the commenter",
    CONSULT: "Consultation request",
    NEGATIVE: "Negative",
}
CATEGORIES = tuple(CATEGORY_LABELS)

#: Categories only presence monitoring gives, to mentions found outside the association's
#: channels (postguard.web.presence.detect); they have no playbook situation of their own.
IMPERSONATION = "signal.impersonation"
ENDORSEMENT_CLAIM = "signal.endorsement_claim"
MISINFORMATION = "signal.misinformation"
PRESENCE_LABELS: dict[str, str] = {
    IMPERSONATION: "Impersonation",
    ENDORSEMENT_CLAIM: "Claimed endorsement",
    MISINFORMATION: "Misinformation",
}
#: Every category an inbox item can carry, for filters, escalation rules and labels.
LABELS: dict[str, str] = {**CATEGORY_LABELS, **PRESENCE_LABELS}

#: Categories that count towards a channel's negative surge.
NEGATIVE_FAMILY = frozenset({CRISIS, COMPLAINT, NEGATIVE, HARASSMENT})

URGENT, HIGH, NORMAL, LOW = 3, 2, 1, 0
PRIORITY_NAMES = {URGENT: "urgent", HIGH: "high", NORMAL: "normal", LOW: "low"}
_PRIORITY = {
    CRISIS: URGENT,
    COMPLAINT: HIGH,
    HARASSMENT: HIGH,
    PRIVACY: HIGH,
    CONSULT: HIGH,
    NEGATIVE: NORMAL,
    IMPERSONATION: HIGH,
    ENDORSEMENT_CLAIM: HIGH,
    MISINFORMATION: NORMAL,
}

#: The situation (playbook) an item's categories call for, most pressing first.
SITUATION_OF = {
    CRISIS: "crisis",
    PRIVACY: "privacy",
    COMPLAINT: "complaint",
    HARASSMENT: "harassment",
    CONSULT: "consult_request",
    NEGATIVE: "negative",
}


@dataclass(frozen=True, slots=True)
class Triage:
    categories: tuple[str, ...]
    priority: int
    findings: tuple[Finding, ...]

    @property
    def negative(self) -> bool:
        return bool(NEGATIVE_FAMILY & set(self.categories))

    @property
    def situation(self) -> str | None:
        return situation_for(self.categories)


def inbox_category(engine_category: str) -> str | None:
    if engine_category.startswith("privacy."):
        return PRIVACY
    return engine_category if engine_category in CATEGORY_LABELS else None


def categories_of(findings: Iterable[Finding | dict[str, Any]]) -> tuple[str, ...]:
    found = set()
    for finding in findings:
        category = finding["category"] if isinstance(finding, dict) else finding.category
        mapped = inbox_category(category)
        if mapped:
            found.add(mapped)
    return tuple(c for c in CATEGORIES if c in found)


def priority_of(categories: Iterable[str]) -> int:
    return max((_PRIORITY.get(c, LOW) for c in categories), default=LOW)


def situation_for(categories: Iterable[str]) -> str | None:
    present = set(categories)
    for category in CATEGORIES:
        if category in present:
            return SITUATION_OF[category]
    return None


def _content(text: str, audience: str = "public") -> Any:
    return make_content(
        text, account="official", kind="comment", audience=audience, direction="inbound"
    )


def _from_report(report: Report) -> Triage:
    categories = categories_of(report.findings)
    return Triage(categories, priority_of(categories), report.findings)


def triage(text: str, *, audience: str = "public") -> Triage:
    """Classify one inbound text."""
    return _from_report(default_engine().check(_content(text, audience)))


def triage_many(texts: Sequence[str], *, audience: str = "public") -> list[Triage]:
    """Classify many texts at once (the engine batches; faster than one by one)."""
    reports = default_engine().check_many([_content(t, audience) for t in texts])
    out = []
    for report in reports:
        if isinstance(report, Exception):
            out.append(Triage((), LOW, ()))
        else:
            out.append(_from_report(report))
    return out
