"""Filters for the report: percentages, signed changes, figures that may be missing."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def pct(value: Any) -> str:
    return "—" if value is None else f"{float(value) * 100:.1f}%"


@register.filter
def figure(value: Any) -> str:
    """A count or a measured value; "—" (not 0) when there is none."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


@register.filter
def change(pair: tuple[Any, Any]) -> str:
    now, before = pair
    if now is None or before is None:
        return "—"
    if not before:
        return "new" if now else "same"
    delta = (float(now) - float(before)) / float(before)
    return f"{delta * 100:+.0f}%"


@register.filter
def with_previous(now: Any, before: Any) -> tuple[Any, Any]:
    return (now, before)


@register.filter
def shown(value: Any, kind: str) -> str:
    if kind == "%":
        return pct(value)
    if kind == "h":
        return "—" if value is None else f"{float(value):.1f}"
    return figure(value)
