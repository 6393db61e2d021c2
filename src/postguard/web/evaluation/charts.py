"""Charts as SVG made on the server: no script, no inline style (the strict CSP), so the same
markup serves the page and the PDF. Colours and strokes come from classes in report.css;
presentation attributes repeat them for readers that do not load the stylesheet (an
e-mailed SVG, a PDF viewer). Every label is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
#: One colour per series, cycled (classes series-0 .. series-5 in report.css).
PALETTE = ("#1f5f8b", "#b3541e", "#2e7d32", "#6a1b9a", "#8d6e00", "#00695c")


def _number(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    if abs(value) >= 1000:
        return f"{value / 1000:.1f}k"
    if value == int(value) or abs(value) >= 10:
        return f"{value:.0f}"
    return f"{value:.2f}"


def _scale(low: float, high: float) -> tuple[float, float]:
    if high == low:
        return (low - 1, high + 1) if low else (0, 1)
    pad = (high - low) * 0.05
    return (max(0.0, low - pad) if low >= 0 else low - pad, high + pad)


def _open(title: str, description: str, css: str) -> list[str]:
    return [
        f'<svg class="chart {css}" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" aria-labelledby="{css}-t {css}-d" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{css}-t">{escape(title)}</title>',
        f'<desc id="{css}-d">{escape(description)}</desc>',
    ]


def _axis(low: float, high: float, parts: list[str]) -> None:
    inner = HEIGHT - TOP - BOTTOM
    for step in range(5):
        value = low + (high - low) * step / 4
        y = TOP + inner - inner * step / 4
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#dddddd" stroke-width="1"/>'
        )
        parts.append(
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="#333333">{_number(value)}</text>'
        )


def line_chart(
    css: str, title: str, series: Sequence[tuple[str, Sequence[tuple[date, float]]]]
) -> SafeString:
    """A trend line per series over shared dates."""
    points = [p for _, values in series for p in values]
    description = "; ".join(
        f"{name}: {_number(values[0][1])} on {values[0][0]:%Y-%m-%d} to "
        f"{_number(values[-1][1])} on {values[-1][0]:%Y-%m-%d}"
        for name, values in series
        if values
    )
    parts = _open(title, description or "No data in this period.", css)
    if not points:
        parts.append(
            f'<text class="empty" x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" '
            'font-size="14" fill="#555555">No data in this period</text></svg>'
        )
        return mark_safe("".join(parts))
    first = min(d for d, _ in points)
    last = max(d for d, _ in points)
    span = max(1, (last - first).days)
    low, high = _scale(min(v for _, v in points), max(v for _, v in points))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    _axis(low, high, parts)

    def xy(day: date, value: float) -> str:
        x = LEFT + inner_w * (day - first).days / span
        y = TOP + inner_h - inner_h * (value - low) / (high - low)
        return f"{x:.1f},{y:.1f}"

    for index, (name, values) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        if not values:
            continue
        path = " ".join(xy(d, v) for d, v in values)
        parts.append(
            f'<polyline class="line series-{index % len(PALETTE)}" points="{path}" fill="none" '
            f'stroke="{colour}" stroke-width="2"><title>{escape(name)}</title></polyline>'
        )
    for x, day in ((float(LEFT), first), (float(WIDTH - RIGHT), last)):
        anchor = "start" if x == LEFT else "end"
        parts.append(
            f'<text class="tick" x="{x}" y="{HEIGHT - BOTTOM + 16}" text-anchor="{anchor}" '
            f'font-size="11" fill="#333333">{day:%Y-%m-%d}</text>'
        )
    for index, (name, _) in enumerate(series[:6]):
        x = float(LEFT + index * (inner_w / min(6, len(series))))
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect class="key series-{index}" x="{x:.1f}" y="{HEIGHT - 14}" width="10" '
            f'height="10" fill="{colour}"/><text class="legend" x="{x + 14:.1f}" '
            f'y="{HEIGHT - 5}" font-size="11" fill="#333333">{escape(name[:28])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def bar_chart(css: str, title: str, bars: Sequence[tuple[str, float, float | None]]) -> SafeString:
    """One bar per label; a goal (third value) is drawn as a mark across the bar."""
    description = "; ".join(
        f"{label}: {_number(value)}" + (f" (goal {_number(goal)})" if goal is not None else "")
        for label, value, goal in bars
    )
    parts = _open(title, description or "No data in this period.", css)
    values = [v for _, v, _ in bars] + [g for _, _, g in bars if g is not None]
    if not bars:
        parts.append(
            f'<text class="empty" x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" '
            'font-size="14" fill="#555555">No data in this period</text></svg>'
        )
        return mark_safe("".join(parts))
    high = _scale(0, max(values) if max(values) > 0 else 1)[1]
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    _axis(0, high, parts)
    slot = inner_w / len(bars)
    width = min(60.0, slot * 0.6)
    for index, (label, value, goal) in enumerate(bars):
        x = LEFT + slot * index + (slot - width) / 2
        h = inner_h * value / high
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect class="bar series-{index % len(PALETTE)}" x="{x:.1f}" '
            f'y="{TOP + inner_h - h:.1f}" width="{width:.1f}" height="{h:.1f}" fill="{colour}">'
            f"<title>{escape(label)}: {_number(value)}</title></rect>"
        )
        if goal is not None:
            y = TOP + inner_h - inner_h * goal / high
            parts.append(
                f'<line class="goal" x1="{x - 4:.1f}" x2="{x + width + 4:.1f}" y1="{y:.1f}" '
                f'y2="{y:.1f}" stroke="#000000" stroke-width="2" stroke-dasharray="4 2"/>'
            )
        parts.append(
            f'<text class="tick" x="{x + width / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle" font-size="11" fill="#333333">{escape(label[:18])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
