"""Every main page passes axe-core with no serious or critical violation (contrast,
labels, landmarks, names of controls...), checked in the real browser on the real app."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server, sign_in

PRIVACY = (
    "So proud of our client Sarah Jones, who finally got her baby latching! "
    "Call her on 07700 900123 to hear her story."
)
FAILING_IMPACTS = {"serious", "critical"}
#: Results axe could not decide ("incomplete") fail too, except contrast over
#: backgrounds it cannot measure, which a person judges from the screenshots.
UNDECIDABLE = {"color-contrast"}


def _compose_with_findings(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/posts/new/")
    page.locator("#id_text").fill(PRIVACY)
    expect(page.locator("#findings mark").first).to_be_visible()
    # The personal data found and the suggested rewrite are checked with the rest.
    expect(page.get_by_role("button", name="Apply suggested rewrite")).to_be_visible()


def _personal_check_result(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/check/")
    page.locator("#id_text").fill(PRIVACY)
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#findings mark").first).to_be_visible()
    expect(page.get_by_role("button", name="Apply suggested rewrite")).to_be_visible()


def _post_with_findings(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/queue/")
    page.get_by_role("row", name=re.compile("Sarah Jones")).get_by_role("link").first.click()
    expect(page.locator(".finding").first).to_be_visible()


def _first_channel(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/members/")
    page.get_by_role("link", name="IPALA on Bluesky").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("IPALA on Bluesky")


def _inbox_item(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/inbox/")
    page.get_by_role("row", name=re.compile("clicking while feeding")).get_by_role(
        "link"
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("new-mum.example")


def _first_case(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/cases/")
    page.get_by_role("row", name=re.compile("Complaint")).get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Steps")).to_be_visible()


def _revised_post(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/posts/new/")
    page.locator("#id_text").fill("Join us on Saturday at the town library.")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("link", name="Edit").click()
    page.locator("#id_text").fill("Join us on Sunday at the Central Library.")
    page.get_by_role("button", name="Save and check").click()
    expect(page.locator("section.changes ins").first).to_be_visible()


def _new_token(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/account/tokens/")
    page.get_by_label("Name").fill("A script")
    page.get_by_role("button", name="Create a token").click()
    expect(page.get_by_role("heading", name="Your new token")).to_be_visible()


def _go(path: str) -> Callable[[Page, Server], None]:
    def go(page: Page, server: Server) -> None:
        page.goto(f"{server.url}{path}")

    return go


#: (name, who is signed in (None: nobody), how to get there)
PAGES: list[tuple[str, str | None, Callable[[Page, Server], None]]] = [
    ("sign-in", None, _go("/login/")),
    ("password reset", None, _go("/password-reset/")),
    ("dashboard", "demo-chair", _go("/")),
    ("composer with findings", "demo-chair", _compose_with_findings),
    ("review queue", "demo-chair", _go("/queue/")),
    ("post page", "demo-chair", _post_with_findings),
    ("personal check with findings", "demo-member", _personal_check_result),
    ("policy browser", "demo-member", _go("/rules/")),
    ("policy browser search", "demo-member", _go("/rules/?q=phone")),
    ("post page with a revision diff", "demo-author", _revised_post),
    ("audit log", "demo-chair", _go("/audit/")),
    ("members and channels", "demo-admin", _go("/members/")),
    ("channel", "demo-admin", _first_channel),
    ("approval settings", "demo-admin", _go("/settings/approval/")),
    ("new channel", "demo-admin", _go("/channels/new/")),
    ("refusal", "demo-member", _go("/posts/new/")),
    ("inbox", "demo-chair", _go("/inbox/")),
    ("inbox item", "demo-author", _inbox_item),
    ("cases", "demo-chair", _go("/cases/")),
    ("case", "demo-chair", _first_case),
    ("playbooks", "demo-chair", _go("/playbooks/")),
    ("playbook editor", "demo-chair", _go("/playbooks/consult_request/")),
    ("escalation rules", "demo-chair", _go("/escalation/")),
    ("notification log", "demo-chair", _go("/notifications/")),
    ("api tokens", "demo-member", _go("/account/tokens/")),
    ("api token just created", "demo-member", _new_token),
]


def _violations(page: Page, axe: Path) -> list[dict[str, Any]]:
    # Evaluated through the browser's debugging protocol: a <script> tag with axe's code
    # inline would be (rightly) blocked by the Content-Security-Policy.
    page.evaluate(axe.read_text(encoding="utf-8"))
    results: dict[str, Any] = page.evaluate("async () => await axe.run(document)")
    undecided = [v for v in results["incomplete"] if v["id"] not in UNDECIDABLE]
    return [v for v in results["violations"] + undecided if v.get("impact") in FAILING_IMPACTS]


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"][:5]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {json.dumps(node['target'])}: {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize(("name", "who", "reach"), PAGES, ids=[name for name, _, _ in PAGES])
def test_the_page_has_no_serious_accessibility_violation(
    axe_script: Path,
    page: Page,
    server: Server,
    name: str,
    who: str | None,
    reach: Callable[[Page, Server], None],
) -> None:
    if who is not None:
        sign_in(page, server, who)
    reach(page, server)
    violations = _violations(page, axe_script)
    assert not violations, f"axe-core on the {name} page:\n{_describe(violations)}"


def test_the_phone_sized_dashboard_has_no_serious_accessibility_violation(
    axe_script: Path, page: Page, server: Server
) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, server, "demo-chair")
    violations = _violations(page, axe_script)
    assert not violations, f"axe-core on the phone-sized dashboard:\n{_describe(violations)}"


def test_the_check_itself_catches_a_bad_page(axe_script: Path, page: Page, server: Server) -> None:
    """Guards against a check that passes because it checks nothing."""
    # A blank page: the app's Content-Security-Policy would (rightly) drop the style
    # attribute that makes the text faint.
    page.goto("about:blank")
    page.set_content(
        '<html><body><main><p style="color:#bbb;background:#fff">faint text</p>'
        '<input type="text"><button></button></main></body></html>'
    )
    found = {v["id"] for v in _violations(page, axe_script)}
    assert {"color-contrast", "label", "button-name"} <= found, found
