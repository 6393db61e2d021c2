"""Presence monitoring in the real browser on the real app: the committee adds a watch
term on the watch-terms page, a member adds their own name on "My presence", and neither
page has a serious accessibility violation (axe-core) or a Content-Security-Policy
violation. A member's own term is not on the committee's page. Screenshots are left in
SCREENSHOTS for a person to look at."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import SCREENSHOTS, Server, sign_in, sign_out
from .test_accessibility import _describe, _violations
from .test_csp import Violations


def test_the_committee_adds_a_watch_term(axe_script: Path, page: Page, server: Server) -> None:
    csp = Violations(page)
    sign_in(page, server, "demo-chair")
    page.get_by_role("link", name="Presence", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Watch terms and sources")
    terms = page.get_by_role("table", name="Watch terms")
    # The demo's sample terms (no source: the demo fetches nothing from outside).
    expect(terms).to_contain_text("IPALA")
    expect(terms).to_contain_text("#WBW2026")
    page.get_by_label("Word, name, handle or hashtag").fill("MilkMatters")
    page.get_by_label("Kind").first.select_option("hashtag")
    page.get_by_role("button", name="Watch this term").click()
    expect(page.get_by_role("status")).to_contain_text("Now watching #MilkMatters")
    expect(terms).to_contain_text("#MilkMatters")
    page.screenshot(path=str(SCREENSHOTS / "postguard-presence-watch.png"), full_page=True)
    violations = _violations(page, axe_script)
    assert not violations, f"axe-core on the watch-terms page:\n{_describe(violations)}"
    page.goto(f"{server.url}/presence/mentions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentions of the association")
    violations = _violations(page, axe_script)
    assert not violations, f"axe-core on the mentions page:\n{_describe(violations)}"
    assert csp.all() == []


def test_a_member_watches_their_own_name_alone(
    axe_script: Path, page: Page, server: Server
) -> None:
    csp = Violations(page)
    sign_in(page, server, "demo-member")
    page.get_by_role("link", name="Presence", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My presence")
    page.get_by_label("My name or my practice's name").fill("Riverside Lactation Practice")
    page.get_by_role("button", name="Watch it for me").click()
    expect(page.get_by_role("status")).to_contain_text("for you alone")
    expect(page.get_by_role("table", name="My watch terms")).to_contain_text(
        "Riverside Lactation Practice"
    )
    page.screenshot(path=str(SCREENSHOTS / "postguard-my-presence.png"), full_page=True)
    violations = _violations(page, axe_script)
    assert not violations, f"axe-core on My presence:\n{_describe(violations)}"
    assert csp.all() == []
    sign_out(page)

    sign_in(page, server, "demo-chair")
    page.goto(f"{server.url}/presence/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Watch terms and sources")
    expect(page.locator("main")).not_to_contain_text("Riverside Lactation Practice")
