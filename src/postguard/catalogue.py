"""The rule catalogue (docs/rules.md), generated from the packs.

Every provision of every pack is listed with where it is enforced: the
engine's rules for what can be checked in content, and the part of postguard
(workflow, inbox, monitoring, community, audit, an employer pack) for the
rest. A test regenerates it and fails when docs/rules.md is stale.
"""

from __future__ import annotations

from postguard.detectors.registry import detector_class
from postguard.policy.loader import Pack, Policy
from postguard.policy.schema import Rule

HEADER = """# postguard rule catalogue

Generated from the policy packs by `postguard rules --format markdown > docs/rules.md`;
do not edit by hand (a test fails when this file is stale).

Severities: **block** stops publication (only the committee chair may override it,
with a written justification); **review** needs a reviewer's attention; **advise** is
shown to the author. For inbound comments, block means "escalate now".
"""


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _example_context(example: object) -> str:
    parts = [
        f"{name}={getattr(example, name)}"
        for name in ("account", "kind", "audience", "direction")
        if getattr(example, name) is not None
    ]
    media = getattr(example, "media", ())
    if media:
        parts.append(
            "media=" + "+".join(m.fixture + (" with consent" if m.consent else "") for m in media)
        )
    return f" ({', '.join(parts)})" if parts else ""


def _rule_section(pack: Pack, rule: Rule) -> list[str]:
    out = [f"### {rule.id}: {rule.title}", ""]
    out.append(f"- **Clause**: {rule.clause.section}: “{rule.clause.quote}”")
    out.append(
        f"- **Category**: `{rule.category}` · **severity**: {rule.severity}"
        f" · **applies to**: {rule.applies_to.describe()}"
    )
    detectors = []
    for ref in rule.detectors:
        summary = detector_class(ref.name).summary
        params = f" `{ref.params}`" if ref.params else ""
        detectors.append(f"`{ref.name}`{params}" + (f" ({summary})" if summary else ""))
    out.append(f"- **Detects with**: {'; '.join(detectors)}")
    out.append(f"- **Message**: {rule.message}")
    out.append(f"- **Fix**: {rule.fix}")
    out.append("- **Examples**:")
    for example in rule.examples:
        mark = "✗ violates" if example.violates else "✓ compliant"
        out.append(f"  - {mark}{_example_context(example)}: “{_md(example.text)}”")
    out.append("")
    return out


def render_markdown(policy: Policy) -> str:
    lines = [HEADER]
    for pack in policy.packs:
        model = pack.model
        lines += [f"## {model.title} (`{model.pack}`)", ""]
        lines += [f"Source: {model.source}. Edition: {model.edition}.", ""]
        if model.description:
            lines += [model.description.strip(), ""]
        lines += ["### Every provision and where it is enforced", ""]
        lines += ["| section | provision | enforced by |", "|---|---|---|"]
        sections: dict[tuple[str, str], list[str]] = {}
        for rule in model.rules:
            key = (rule.clause.section, rule.clause.quote)
            sections.setdefault(key, []).append(f"engine: [{rule.id}](#{_anchor(rule)})")
        for provision in model.provisions:
            key = (provision.clause.section, provision.clause.quote)
            sections.setdefault(key, []).append(f"{provision.enforced_by}: {provision.how}")
        for (section, quote), where in sections.items():
            lines.append(f"| {_md(section)} | “{_md(quote)}” | {_md('; '.join(where))} |")
        lines += ["", f"### Rules ({len(model.rules)})", ""]
        for rule in model.rules:
            lines += _rule_section(pack, rule)
    return "\n".join(lines).rstrip() + "\n"


def _anchor(rule: Rule) -> str:
    text = f"{rule.id}: {rule.title}".lower()
    kept = "".join(ch for ch in text if ch.isalnum() or ch in " -_")
    return kept.replace(" ", "-")
