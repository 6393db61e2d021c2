"""Human-readable report: the post with flagged spans marked, then each finding.

Findings that share a span (the same phone number breaks an IPALA and an
IBLCE rule) are shown under one marker so the post stays readable.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from textwrap import indent, wrap
from typing import TypeVar

from postguard.content import Content
from postguard.engine import Finding, Report

Style = Callable[..., str]
T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

_SEVERITY_COLOUR = {"block": "red", "review": "yellow", "advise": "cyan"}
_DECISION_COLOUR = {"block": "red", "review": "yellow", "pass": "green"}
#: Longer posts are shown as excerpts around each flagged span.
FULL_TEXT_LIMIT = 1200
EXCERPT_CONTEXT = 60


def _plain(text: str, **_: object) -> str:
    return text


def group_by_span(findings: Iterable[T], where: Callable[[T], K]) -> list[tuple[K, list[T]]]:
    """Findings that concern the same thing (``where``: their span, or the media item),
    together, in the order they first appear. The CLI and the pages both show one
    group per span, whatever the number of codes it breaks."""
    groups: dict[K, list[T]] = {}
    for finding in findings:
        groups.setdefault(where(finding), []).append(finding)
    return list(groups.items())


def _groups(
    findings: tuple[Finding, ...],
) -> list[tuple[tuple[int | None, int | None, int | None], list[Finding]]]:
    return group_by_span(findings, lambda f: (f.start, f.end, f.media))


def _mark(text: str, spans: list[tuple[int, int, int]], style: Style) -> str:
    """Insert [ ]ⁿ markers around non-overlapping spans (overlaps keep the first)."""
    out: list[str] = []
    cursor = 0
    for start, end, number in sorted(spans):
        if start < cursor:
            continue
        out.append(text[cursor:start])
        out.append(style(f"[{text[start:end]}]", bold=True, underline=True) + f"({number})")
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _excerpts(text: str, spans: list[tuple[int, int, int]], style: Style) -> str:
    pieces = []
    for start, end, number in sorted(spans):
        lo = max(0, start - EXCERPT_CONTEXT)
        hi = min(len(text), end + EXCERPT_CONTEXT)
        shifted = [(start - lo, end - lo, number)]
        snippet = _mark(text[lo:hi], shifted, style).replace("\n", " ")
        pieces.append(("…" if lo else "") + snippet + ("…" if hi < len(text) else ""))
    return "\n".join(pieces)


def render_text(content: Content, report: Report, *, style: Style | None = None) -> str:
    style = style or _plain
    lines: list[str] = []
    decision = report.decision.upper()
    counts = {
        s: sum(1 for f in report.findings if f.severity == s) for s in ("block", "review", "advise")
    }
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "no findings"
    lines.append(
        style(decision, fg=_DECISION_COLOUR[report.decision], bold=True) + f"  ({summary})"
    )
    groups = _groups(report.findings)
    spans = [
        (start, end, number)
        for number, ((start, end, _media), _) in enumerate(groups, 1)
        if start is not None and end is not None
    ]
    if report.findings:
        lines.append("")
        body = (
            _mark(content.text, spans, style)
            if len(content.text) <= FULL_TEXT_LIMIT
            else _excerpts(content.text, spans, style)
        )
        lines.append(indent(body, "  "))
    for number, ((start, _end, media), findings) in enumerate(groups, 1):
        lines.append("")
        if media is not None and media < len(content.media):
            where = f"media {media + 1} ({content.media[media].label})"
        elif start is not None:
            where = repr(findings[0].evidence)
        else:
            where = "the whole post"
        lines.append(style(f"({number}) {where}", bold=True))
        for finding in findings:
            colour = _SEVERITY_COLOUR[finding.severity]
            head = (
                f"  {style(finding.severity.upper(), fg=colour, bold=True)} {finding.category}"
                f"  {finding.rule_id} [{finding.pack} {finding.clause}]"
            )
            lines.append(head)
            note = f" ({finding.note})" if finding.note else ""
            lines.extend("      " + w for w in wrap(finding.message + note, 86))
            lines.extend("      " + w for w in wrap(f'Clause: "{finding.quote}"', 86))
            lines.extend("      " + w for w in wrap(f"Fix: {finding.fix}", 86))
    if report.notes:
        # Work the engine skipped on a very long post: why the decision is at least review.
        lines.append("")
        lines.append(style("Not fully checked", bold=True))
        lines.extend("  " + w for note in report.notes for w in wrap(note, 90))
    return "\n".join(lines)
