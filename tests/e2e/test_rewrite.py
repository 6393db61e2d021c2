"""Issues 8 and 14 in the real browser: the composer shows the personal data in a post
and a suggested rewrite; "Apply suggested rewrite" puts it in the draft, which is then
checked again, all under the Content-Security-Policy."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import SCREENSHOTS, Server, no_horizontal_scroll, sign_in
from .test_csp import Violations, violations  # noqa: F401  (the fixture)

TEXT = "Lovely to meet Sarah Jones at the drop-in today. Call her on 07700 900123 for a chat."
REWRITE = "Lovely to meet [name] at the drop-in today. Call her on [phone] for a chat."


def test_applying_the_suggested_rewrite_replaces_the_draft_text(
    page: Page,
    server: Server,
    violations: Violations,  # noqa: F811
) -> None:
    sign_in(page, server, "demo-author")
    page.goto(f"{server.url}/posts/new/")
    text = page.get_by_role("textbox", name="Text")
    text.fill(TEXT)
    found = page.locator("#findings .rewrite")
    expect(found).to_contain_text("Phone number: 07700 900123")
    expect(found).to_contain_text("Name: Sarah Jones")
    expect(found.locator("#suggested-rewrite")).to_have_text(REWRITE)
    page.screenshot(path=str(SCREENSHOTS / "postguard-composer-rewrite.png"), full_page=True)

    page.get_by_role("button", name="Apply suggested rewrite").click()
    expect(text).to_have_value(REWRITE)
    expect(text).to_be_focused()
    # The rewritten draft is checked again like any typing: the personal data is gone.
    expect(page.locator("#findings mark", has_text="07700")).to_have_count(0)
    expect(page.locator("#findings")).not_to_contain_text("Apply suggested rewrite")
    # Still only a draft: saving it works as usual.
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(REWRITE).first).to_be_visible()


def test_the_personal_check_applies_the_rewrite_on_a_phone(
    page: Page,
    server: Server,
    violations: Violations,  # noqa: F811
) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, server, "demo-member")
    page.goto(f"{server.url}/check/")
    text = page.locator("#id_text")
    text.fill(TEXT)
    expect(page.locator("#suggested-rewrite")).to_have_text(REWRITE)
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(SCREENSHOTS / "postguard-check-rewrite-phone.png"), full_page=True)
    page.get_by_role("button", name="Apply suggested rewrite").click()
    expect(text).to_have_value(REWRITE)
    expect(page.locator("#findings")).not_to_contain_text("Personal data found")
