"""Issue 14 in the real browser: the composer's findings one card per passage with the
verdict in sight while typing (on a phone too), the network's limits as one types, and
the revision diff a reviewer reads. Screenshots at desktop and phone widths."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import SCREENSHOTS, Server, no_horizontal_scroll, sign_in, sign_out

PRIVACY = (
    "So proud of our client Sarah Jones, who finally got her baby latching! "
    "Call her on 07700 900123 to hear her story."
)
LONG = "Breastfeeding week is coming to the town library. " * 7
PHONE = {"width": 375, "height": 740}


def _compose(page: Page, server: Server) -> None:
    sign_in(page, server, "demo-author")
    page.goto(f"{server.url}/posts/new/")


def test_the_composer_groups_findings_per_passage_in_words(page: Page, server: Server) -> None:
    _compose(page, server)
    page.get_by_role("textbox", name="Text").fill(PRIVACY)
    cards = page.locator("#findings .finding.card")
    expect(cards).to_have_count(3)
    name = cards.filter(has_text="Sarah")
    expect(name).to_contain_text("Client privacy: a name")
    expect(name).to_contain_text("IBLCE")
    expect(name).to_contain_text("IPALA")
    expect(name).to_contain_text("Fix:")
    expect(page.locator("#findings")).not_to_contain_text("privacy.person")
    expect(page.locator("#verdict")).to_contain_text("block — must not be published")
    page.screenshot(path=str(SCREENSHOTS / "postguard-composer-cards.png"), full_page=True)


def test_the_verdict_stays_in_sight_while_typing_on_a_phone(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    _compose(page, server)
    text = page.get_by_role("textbox", name="Text")
    text.fill(PRIVACY)
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text("block")
    # Typing further down the form: the Save button in view, the verdict still on screen.
    page.get_by_role("button", name="Save draft").scroll_into_view_if_needed()
    text.press("End")
    text.type(" Thanks!")
    expect(verdict).to_contain_text("block")
    box = verdict.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "postguard-composer-verdict-phone.png"))


def test_the_composer_counts_the_text_as_the_network_does(page: Page, server: Server) -> None:
    _compose(page, server)
    select = page.get_by_label("Channel")
    value = select.locator("option", has_text="IPALA on Bluesky").first.get_attribute("value")
    assert value
    select.select_option(value)
    page.get_by_role("textbox", name="Text").fill(LONG)
    verdict = page.locator("#verdict")
    expect(verdict).to_contain_text(f"Bluesky: {len(LONG)} of 300")
    expect(verdict).to_contain_text(f"shorten it by {len(LONG) - 300}")
    page.screenshot(path=str(SCREENSHOTS / "postguard-composer-limits.png"), full_page=True)


def test_a_reviewer_sees_what_changed_since_the_last_revision(page: Page, server: Server) -> None:
    _compose(page, server)
    page.get_by_role("textbox", name="Text").fill(
        "Join us on Saturday at the town library for our support group."
    )
    page.get_by_role("button", name="Save draft").click()
    post_id = re.search(r"/posts/(\d+)/$", page.url)
    assert post_id
    page.get_by_role("link", name="Edit").click()
    page.get_by_role("textbox", name="Text").fill(
        "Join us on Sunday at the Central Library for our support group."
    )
    page.get_by_role("button", name="Save and check").click()
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.locator("p .state")).to_have_text("Submitted")
    sign_out(page)
    sign_in(page, server, "demo-reviewer")
    page.goto(f"{server.url}/posts/{post_id.group(1)}/")
    changes = page.locator("section.changes")
    expect(changes.get_by_role("heading")).to_have_text("What changed since revision 1")
    expect(changes.locator("del", has_text="Saturday")).to_be_visible()
    expect(changes.locator("ins", has_text="Sunday")).to_be_visible()
    expect(changes.locator("ins", has_text="Central Library")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "postguard-review-diff.png"), full_page=True)
    page.set_viewport_size(PHONE)
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "postguard-review-diff-phone.png"), full_page=True)


def test_mails_link_to_the_port_the_server_runs_on(server: Server) -> None:
    log = server.log.read_text(encoding="utf-8", errors="replace")
    assert f"links in mails lead to {server.url}/" in log


def test_the_audit_log_and_the_policies_read_on_a_phone(page: Page, server: Server) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page, server, "demo-chair")
    page.goto(f"{server.url}/audit/")
    assert no_horizontal_scroll(page), "the audit page scrolls sideways"
    region = page.get_by_role("region", name=re.compile("Audit entries"))
    widths = region.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] > widths[1], "the audit table is squeezed instead of scrolling in its box"
    page.screenshot(path=str(SCREENSHOTS / "postguard-audit-phone.png"), full_page=True)
    page.goto(f"{server.url}/rules/")
    assert no_horizontal_scroll(page)
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 12_000, f"the policy browser is {height}px long on a phone"
    page.screenshot(path=str(SCREENSHOTS / "postguard-policies-phone.png"), full_page=True)
    page.goto(f"{server.url}/inbox/")
    page.screenshot(path=str(SCREENSHOTS / "postguard-inbox-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.url}/escalation/")
    page.screenshot(path=str(SCREENSHOTS / "postguard-escalation.png"), full_page=True)
    page.goto(f"{server.url}/rules/?q=phone")
    expect(page.locator("details.provision[open]").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "postguard-policies-search.png"), full_page=True)
