"""summary.html: a standalone page (opened from disk) summing up an archive audit.

Every piece of archive text is escaped; links go only to http(s) addresses; there
is no script at all. The page carries its own <style>: it is a file on the
reader's disk, outside the workspace and its Content-Security-Policy.
"""

from __future__ import annotations

from html import escape
from typing import Any

TEXT_CHARS = 600

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; color: #1b1b1b; }
h1, h2 { line-height: 1.2; }
table { border-collapse: collapse; margin: 0 0 1.5rem; }
th, td { border-bottom: 1px solid #ccc; padding: .3rem .7rem; text-align: left; }
th, td { vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.item { border: 1px solid #ccc; border-radius: 6px; padding: .7rem 1rem; margin: 0 0 1rem; }
.item p.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.item p.text { background: #f6f6f6; padding: .5rem; }
.block { color: #8a1010; font-weight: 600; }
.review { color: #7a4b00; font-weight: 600; }
.pass, .advise { color: #2d5a2d; }
blockquote { margin: .2rem 0 .4rem 1rem; color: #444; }
"""


def _url(value: Any) -> str | None:
    if isinstance(value, str) and value.lower().startswith(("https://", "http://")):
        return value
    return None


def _rows(pairs: list[tuple[str, str]]) -> str:
    return "".join(f"<tr><td>{a}</td><td class='n'>{b}</td></tr>" for a, b in pairs)


def render_summary(
    stats: dict[str, Any], worst: list[dict[str, Any]], rule_info: dict[str, dict[str, str]]
) -> str:
    e = escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="referrer" content="no-referrer">',
        "<title>postguard archive audit</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Archive audit</h1>",
        "<p>"
        f"{stats['items_read']:,} items read, {stats['checked']:,} checked, "
        f"<strong>{stats['flagged']:,} with findings</strong>, "
        f"{stats['empty']:,} without text, {stats['errors']:,} errors "
        "(listed in errors.jsonl).</p>",
        "<h2>Items with findings, by rule</h2>",
        "<table><thead><tr><th>Rule</th><th>Clause</th><th>Items</th></tr></thead><tbody>",
    ]
    for rule, count in stats["by_rule"].items():
        clause = rule_info.get(rule, {}).get("clause", "")
        parts.append(f"<tr><td>{e(rule)}</td><td>{e(clause)}</td><td class='n'>{count:,}</td></tr>")
    parts.append("</tbody></table>")
    parts.append("<h2>By year</h2>")
    parts.append(
        "<table><thead><tr><th>Year</th><th>Items</th><th>With findings</th></tr></thead><tbody>"
    )
    for year, counts in stats["by_year"].items():
        parts.append(
            f"<tr><td>{e(year)}</td><td class='n'>{counts.get('items', 0):,}</td>"
            f"<td class='n'>{counts.get('flagged', 0):,}</td></tr>"
        )
    parts.append("</tbody></table>")
    parts.append(f"<h2>The worst {len(worst)} items first</h2>")
    for record in worst:
        decision = str(record.get("decision", ""))
        url = _url(record.get("url"))
        head = (
            f"<strong class='{e(decision)}'>{e(decision)}</strong> · {e(str(record['network']))} "
            f"{e(str(record['kind']))} · {e(str(record.get('date') or 'undated'))}"
        )
        if url:
            head += f' · <a href="{e(url)}" rel="noopener noreferrer">the original</a>'
        text = str(record.get("text", ""))
        if len(text) > TEXT_CHARS:
            text = text[:TEXT_CHARS] + "…"
        parts.append(f"<div class='item'><p>{head}<br><small>{e(str(record['id']))}</small></p>")
        parts.append(f"<p class='text'>{e(text)}</p><ul>")
        for finding in record.get("findings", []):
            parts.append(
                f"<li><span class='{e(str(finding['severity']))}'>{e(str(finding['severity']))}"
                f"</span> {e(str(finding['rule_id']))}: {e(str(finding['message']))}"
                f"<br>breaks {e(str(finding['clause']))} ({e(str(finding['pack']))})"
                f"<blockquote>{e(str(finding['quote']))}</blockquote>"
                f"<small>evidence: {e(str(finding['evidence']))}</small></li>"
            )
        parts.append("</ul></div>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
