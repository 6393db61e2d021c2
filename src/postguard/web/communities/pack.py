"""A Community Policy as a policy pack, so that the engine's findings cite its provisions.

Each provision that is checked automatically becomes one rule: the built-in detector
for its category, or the generic ``lexicon``/``pattern`` detectors with the
administrators' terms. The pack is written as YAML and loaded through the same loader
as every other pack, so a provision the engine cannot use is refused with the same
``file:line: reason`` error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import yaml

from postguard.detectors.registry import DETECTORS
from postguard.policy.loader import Pack, PolicyError, parse_pack


class ProvisionLike(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def detect(self) -> str: ...
    @property
    def terms(self) -> Any: ...
    @property
    def severity(self) -> str: ...
    @property
    def example_violating(self) -> str: ...
    @property
    def example_compliant(self) -> str: ...


def pack_id(community_id: int) -> str:
    return f"community-{community_id}"


def rule_id(community_id: int, number: int) -> str:
    return f"CP{community_id}-{number}"


def _detector(p: ProvisionLike) -> dict[str, Any]:
    if p.detect == "builtin":
        if p.category not in DETECTORS:
            raise ValueError(
                f"provision {p.number}: postguard has no detector for the category "
                f"{p.category!r}; choose words or patterns instead"
            )
        return {"name": p.category}
    key = "phrases" if p.detect == "lexicon" else "patterns"
    return {"name": p.detect, "params": {key: list(p.terms or []), "category": p.category}}


def pack_dict(
    community_id: int, name: str, version: int, provisions: Sequence[ProvisionLike]
) -> dict[str, Any]:
    rules = []
    for p in provisions:
        if not p.detect:
            continue
        rules.append(
            {
                "id": rule_id(community_id, p.number),
                "title": p.title,
                "category": p.category,
                "clause": {"section": f"Community Policy, provision {p.number}", "quote": p.text},
                "detectors": [_detector(p)],
                "severity": p.severity,
                # Members' messages in the group: read inbound, but the group is closed.
                "applies_to": {"direction": ["inbound", "outbound"]},
                "message": f"This breaks provision {p.number} of the Community Policy: {p.title}.",
                "fix": f"Edit or remove the message so that it keeps provision {p.number}.",
                "examples": [
                    {"text": p.example_violating or p.title, "violates": True},
                    {"text": p.example_compliant or "Thank you all.", "violates": False},
                ],
            }
        )
    return {
        "pack": pack_id(community_id),
        "title": f"Community Policy of {name}",
        "source": f"Community Policy of {name}, version {version}",
        "edition": f"version {version}",
        "rules": rules,
    }


def build(community_id: int, name: str, version: int, provisions: Sequence[ProvisionLike]) -> Pack:
    """The loaded pack; PolicyError (``file:line: reason``) when a provision cannot be used."""
    filename = f"community-{community_id}-v{version}.yaml"
    try:
        data = pack_dict(community_id, name, version, provisions)
    except ValueError as exc:
        raise PolicyError(filename, None, str(exc)) from None
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return parse_pack(text, filename)
