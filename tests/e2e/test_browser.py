"""The issue's browser flow, end to end on the real app: an authorized member writes a
post with a patient's phone number, sees the finding, fixes it and submits; the
committee approves; the post is ready to publish and the audit log shows it. Plus:
hostile text stays text, the phone layout does not scroll sideways, sign-in works
with the keyboard alone, and an unauthorized member cannot draft."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import SCREENSHOTS, Server, no_horizontal_scroll, sign_in, sign_out

PHONE = "07700 900123"
WITH_PHONE = (
    "Our drop-in is open on Thursday. A mother we helped last week is happy to share "
    f"her story: call her on {PHONE}."
)
FIXED = (
    "Our drop-in is open on Thursday. A mother we helped last week is happy to share "
    "her story at the session."
)


def choose_channel(page: Page, name: str) -> None:
    select = page.get_by_label("Channel")
    value = select.locator("option", has_text=name).first.get_attribute("value")
    assert value, f"no channel {name} to choose"
    select.select_option(value)


def _post_id(page: Page) -> int:
    found = re.search(r"/posts/(\d+)/$", page.url)
    assert found, page.url
    return int(found.group(1))


def _approve_as(page: Page, server: Server, username: str, post_id: int) -> None:
    sign_in(page, server, username)
    page.get_by_role("link", name="Review queue", exact=True).click()
    page.get_by_role("link", name=f"#{post_id}", exact=True).click()
    page.get_by_label("Approve").check()
    page.get_by_label("Review comment").fill("Reads well, and no personal details.")
    page.get_by_role("button", name="Record review").click()
    expect(page.get_by_role("status")).to_contain_text("Review recorded.")


def test_the_demo_details_are_printed_and_a_post_goes_from_draft_to_ready(
    page: Page, server: Server
) -> None:
    assert {"demo-author", "demo-reviewer", "demo-chair"} <= set(server.usernames)
    sign_in(page, server, "demo-author")

    # Write the post: the composer checks as one types and marks the phone number.
    page.get_by_role("link", name="New post", exact=True).click()
    choose_channel(page, "IPALA on Bluesky")
    page.get_by_role("textbox", name="Text").fill(WITH_PHONE)
    findings = page.locator("#findings")
    expect(findings.locator("mark", has_text=PHONE)).to_be_visible()
    expect(findings).to_contain_text("IPALA-2a-phone")
    expect(findings).to_contain_text("block")
    page.get_by_role("button", name="Save draft").click()

    # The saved draft keeps the finding, with its clause and fix.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Post #")
    post_id = _post_id(page)
    expect(page.locator(".post-text mark", has_text=PHONE)).to_be_visible()
    expect(page.locator(".finding").first).to_contain_text("Fix:")

    # Fix it: the live check clears as the number goes.
    page.get_by_role("link", name="Edit").click()
    page.get_by_role("textbox", name="Text").fill(FIXED)
    expect(page.locator("#verdict")).to_contain_text("pass — nothing flagged")
    expect(page.locator("#findings mark")).to_have_count(0)
    page.get_by_role("button", name="Save and check").click()
    expect(page.locator(".post-text mark")).to_have_count(0)
    expect(page.locator(".decision-pass")).to_be_visible()

    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("status")).to_contain_text("Submitted to the committee.")
    expect(page.locator("p .state")).to_have_text("Submitted")
    sign_out(page)

    # The committee: the demo asks for two approvals of a post.
    _approve_as(page, server, "demo-reviewer", post_id)
    expect(page.locator("p .state")).to_have_text("In review")
    expect(page.get_by_text("1 of 2 approval(s)")).to_be_visible()
    sign_out(page)
    _approve_as(page, server, "demo-reviewer2", post_id)
    expect(page.locator("p .state")).to_have_text("Ready to publish")
    sign_out(page)

    # The author sees it ready to publish on the dashboard.
    sign_in(page, server, "demo-author")
    ready = page.locator("section", has=page.get_by_role("heading", name=re.compile("^Scheduled")))
    row = ready.get_by_role("row", name=re.compile(rf"#{post_id}\b"))
    expect(row).to_contain_text("Ready to publish")
    sign_out(page)

    # The chair finds every step in the audit log.
    sign_in(page, server, "demo-chair")
    page.get_by_role("link", name="Audit log", exact=True).click()
    page.get_by_label("Post number").fill(str(post_id))
    page.get_by_role("button", name="Filter").click()
    log = page.locator("table")
    for action in ("post.create", "post.edit", "post.submit", "post.review.approve"):
        expect(log).to_contain_text(action)
    expect(log).to_contain_text("in_review → ready")
    expect(log).to_contain_text("demo-reviewer2")


HOSTILE = (
    '<script>window.__pwned = 1; alert("script")</script>'
    '<img src="x" onerror="window.__pwned = 2; alert(\'img\')">'
    "<b>bold?</b> <a href=\"javascript:alert('a')\">link</a> "
    "{{ 7|add:7 }} call 07700 900123 " + "W" * 4000
)


def test_hostile_text_is_shown_as_text_everywhere(page: Page, server: Server) -> None:
    sign_in(page, server, "demo-author")
    page.goto(f"{server.url}/posts/new/")
    # Too long for Bluesky (which would refuse to submit it): the Facebook group takes it.
    choose_channel(page, "IPALA members' group")
    page.get_by_role("textbox", name="Text").fill(HOSTILE)
    expect(page.locator("#findings mark").first).to_be_visible()
    marked = page.get_by_role("group", name="Your text with the flagged passages marked")
    expect(marked).to_contain_text("<script>window.__pwned")
    # The suggested rewrite (the phone number replaced) shows the markup as text too.
    expect(page.locator("#suggested-rewrite")).to_contain_text("<script>window.__pwned")
    page.get_by_role("button", name="Save draft").click()
    post_id = _post_id(page)
    text = page.locator(".post-text").first
    expect(text).to_contain_text('<script>window.__pwned = 1; alert("script")</script>')
    expect(text).to_contain_text("<b>bold?</b>")
    expect(text).to_contain_text("{{ 7|add:7 }}")
    assert text.locator("script, img, b, a").count() == 0
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("status")).to_contain_text("Submitted to the committee.")
    assert no_horizontal_scroll(page), "a very long line widened the post page"
    page.set_viewport_size({"width": 375, "height": 740})
    assert no_horizontal_scroll(page), "a very long line widened the post page on a phone"
    page.goto(f"{server.url}/")
    expect(page.get_by_role("link", name=f"#{post_id}", exact=True)).to_be_visible()
    assert no_horizontal_scroll(page)
    sign_out(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(page, server, "demo-chair")
    for path in ("/queue/", f"/posts/{post_id}/", "/audit/"):
        page.goto(f"{server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("() => window.__pwned") is None
    # The page fixture also fails the test if any alert or other dialog opened.


@pytest.mark.parametrize("path", ["/", "/posts/new/", "/check/", "/queue/"])
def test_the_phone_layout_does_not_scroll_sideways(page: Page, server: Server, path: str) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, server, "demo-chair")
    page.goto(f"{server.url}{path}")
    if path in ("/posts/new/", "/check/"):
        page.locator("#id_text").fill(WITH_PHONE)
        expect(page.locator("#findings mark").first).to_be_visible()
    assert no_horizontal_scroll(page), f"{path} scrolls sideways at 375px"
    name = {"/": "dashboard", "/posts/new/": "composer", "/check/": "check", "/queue/": "queue"}
    page.screenshot(path=str(SCREENSHOTS / f"postguard-{name[path]}-phone.png"), full_page=True)


def test_desktop_screenshots_of_the_dashboard_and_composer(page: Page, server: Server) -> None:
    sign_in(page, server, "demo-chair")
    page.screenshot(path=str(SCREENSHOTS / "postguard-dashboard.png"), full_page=True)
    page.goto(f"{server.url}/posts/new/")
    choose_channel(page, "IPALA on Bluesky")
    page.get_by_role("textbox", name="Text").fill(WITH_PHONE)
    expect(page.locator("#findings mark").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "postguard-composer.png"), full_page=True)


def test_signing_in_works_with_the_keyboard_alone(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/login/")
    # The user name field has the focus from the start (Django's autofocus).
    expect(page.get_by_label("User name")).to_be_focused()
    page.keyboard.type("demo-author")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(server.password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server.url}/")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    # The first Tab reaches the skip link, which shows itself and skips to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the skip link stays hidden"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "the focused link shows no outline"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # From the content, Tab reaches the dashboard's own links.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.getElementById('main').contains(document.activeElement)")


def test_a_member_who_is_not_authorized_cannot_draft(page: Page, server: Server) -> None:
    sign_in(page, server, "demo-member")
    expect(page.get_by_role("link", name="New post", exact=True)).to_have_count(0)
    page.goto(f"{server.url}/posts/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("not authorized to draft")
    expect(alert).to_contain_text("the committee chair (Chidi Chair)")
