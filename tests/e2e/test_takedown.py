"""Issue 13 in the real browser: the chair imports an archive report for the demo's
Bluesky channel, finds the worst past post first, chooses it, says why and takes it
down; the take-down is recorded with the text as it was. axe-core on the pages, and
screenshots at desktop and phone widths."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import SCREENSHOTS, Server, no_horizontal_scroll, sign_in
from .test_accessibility import _describe, _violations

PHONE = {"width": 375, "height": 740}


def _line(remote_id: str, text: str, severity: str, date: str, url: str | None) -> str:
    return json.dumps(
        {
            "id": f"bluesky:{remote_id}",
            "network": "bluesky",
            "remote_id": remote_id,
            "url": url,
            "date": date,
            "kind": "post",
            "text": text,
            "decision": severity,
            "findings": [
                {
                    "rule_id": "IPALA-2a-phone" if severity == "block" else "IBLCE-advice",
                    "severity": severity,
                    "clause": "2(a) Respect privacy and confidentiality",
                    "message": "The post shares a phone number that belongs to a person.",
                }
            ],
        }
    )


def test_the_chair_imports_a_report_chooses_a_past_post_and_takes_it_down(
    page: Page, server: Server, axe_script: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    worst = f"Call Sarah on 07700 900123 about her latch <b>{tag}</b>"
    milder = f"Try fenugreek for supply ({tag})"
    report = "\n".join(
        [
            _line(f"at://did:plc:demo/app.bsky.feed.post/a{tag}", milder, "review",
                  "2021-03-01T09:00:00Z", "https://bsky.app/profile/ipala/post/a"),
            _line(f"at://did:plc:demo/app.bsky.feed.post/b{tag}", worst, "block",
                  "2019-05-04T10:00:00Z", "javascript:alert(1)"),
            "{broken",
        ]
    )  # fmt: skip
    sign_in(page, server, "demo-chair")
    page.get_by_role("link", name="Past posts").click()
    page.get_by_role("link", name="IPALA on Bluesky").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Past posts on IPALA on Bluesky")
    page.get_by_label(re.compile("findings.jsonl")).set_input_files(
        files=[{"name": "findings.jsonl", "mimeType": "application/jsonl",
                "buffer": report.encode()}]
    )  # fmt: skip
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".messages")).to_contain_text("2 item(s) added")
    expect(page.locator(".messages")).to_contain_text("line 3: not JSON")

    rows = page.get_by_role("row").filter(has_text=tag)
    expect(rows.first).to_contain_text(worst)  # worst first, markup shown as text
    expect(rows.first.get_by_role("link", name="original")).to_have_count(0)
    expect(rows.nth(1).get_by_role("link", name="original")).to_have_attribute(
        "href", "https://bsky.app/profile/ipala/post/a"
    )
    violations = _violations(page, axe_script)
    assert not violations, f"axe-core on the archive page:\n{_describe(violations)}"
    page.screenshot(path=str(SCREENSHOTS / "postguard-archive.png"), full_page=True)

    rows.first.get_by_role("checkbox").check()
    page.get_by_label(re.compile("Why these posts are taken down")).fill(
        "Names a client and gives her phone number (2(a), 2(d))."
    )
    page.get_by_role("button", name="Take down the chosen posts").click()
    page.wait_for_url(re.compile(r"/takedowns/$"))
    expect(page.locator(".messages")).to_contain_text("1 post(s) will be deleted by the worker")
    row = page.get_by_role("row").filter(has_text=tag)
    expect(row).to_contain_text(worst)
    expect(row).to_contain_text("Names a client and gives her phone number")
    violations = _violations(page, axe_script)
    assert not violations, f"axe-core on the take-downs page:\n{_describe(violations)}"
    page.screenshot(path=str(SCREENSHOTS / "postguard-takedowns.png"), full_page=True)

    page.set_viewport_size(PHONE)
    page.goto(f"{server.url}/archive/")
    page.get_by_role("link", name="IPALA on Bluesky").click()
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "postguard-archive-phone.png"), full_page=True)
    page.goto(f"{server.url}/takedowns/")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "postguard-takedowns-phone.png"), full_page=True)
