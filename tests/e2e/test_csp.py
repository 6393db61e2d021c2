"""The Content-Security-Policy in the real browser: the header is on the main pages, no
page reports a single violation (no inline script, style or handler slipped in, htmx adds
no <style>), and the composer's live check (htmx) still works under it. Also: a comment
imported with a javascript: URL is not a link for the chair."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from .conftest import Server, sign_in

#: Collects violations as the page sees them, from before its first script runs.
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""
PAGES = [
    ("demo-chair", "/"),
    ("demo-chair", "/queue/"),
    ("demo-chair", "/inbox/"),
    ("demo-chair", "/inbox/import/"),
    ("demo-chair", "/cases/"),
    ("demo-chair", "/playbooks/"),
    ("demo-chair", "/escalation/"),
    ("demo-chair", "/notifications/"),
    ("demo-chair", "/audit/"),
    ("demo-chair", "/members/"),
    ("demo-chair", "/rules/"),
    ("demo-chair", "/check/"),
    ("demo-author", "/posts/new/"),
]


class Violations:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._console)
        page.add_init_script(LISTEN)

    def _console(self, message: object) -> None:
        text = str(getattr(message, "text", ""))
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def all(self) -> list[str]:
        try:
            seen = self.page.evaluate("() => window.__csp || []")
        except PlaywrightError:  # a page mid-navigation has no window to ask
            seen = []
        return [*self.console, *seen]


@pytest.fixture
def violations(page: Page) -> Iterator[Violations]:
    found = Violations(page)
    yield found
    assert found.all() == [], "the page reported Content-Security-Policy violations"


def _policy(page: Page, url: str) -> str:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    return response.headers.get("content-security-policy", "")


def test_the_sign_in_page_has_the_policy_and_no_violation(
    page: Page, server: Server, violations: Violations
) -> None:
    policy = _policy(page, f"{server.url}/login/")
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    expect(page.get_by_label("User name")).to_be_visible()


@pytest.mark.parametrize(("username", "path"), PAGES, ids=[p for _, p in PAGES])
def test_the_main_pages_have_the_policy_and_load_with_no_violation(
    page: Page, server: Server, violations: Violations, username: str, path: str
) -> None:
    sign_in(page, server, username)
    policy = _policy(page, f"{server.url}{path}")
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in policy, (path, directive)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # The stylesheet applies (a blocked one would leave the page unstyled).
    assert page.evaluate("() => document.styleSheets.length") >= 1
    assert page.evaluate("() => typeof htmx") == "object", "htmx did not load"


def test_the_composer_checks_as_one_types_under_the_policy(
    page: Page, server: Server, violations: Violations
) -> None:
    sign_in(page, server, "demo-author")
    _policy(page, f"{server.url}/posts/new/")
    page.locator("#id_text").fill("Call her on 07700 900123 to hear her story.")
    expect(page.locator("#findings mark", has_text="07700 900123")).to_be_visible()
    page.locator("#id_text").fill("Our drop-in is open on Thursday at the library.")
    expect(page.locator("#verdict")).to_contain_text("pass — nothing flagged")
    # htmx kept to the policy: no <style> of its own in the page.
    assert page.locator("head style").count() == 0


def test_the_api_docs_load_under_their_own_policy(
    page: Page, server: Server, violations: Violations
) -> None:
    policy = _policy(page, f"{server.url}/api/docs")
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    expect(page.locator("#swagger-ui .info")).to_be_visible()


def test_an_imported_javascript_url_is_not_a_link_for_the_chair(
    page: Page, server: Server, violations: Violations, tmp_path: object
) -> None:
    sign_in(page, server, "demo-chair")
    page.goto(f"{server.url}/inbox/import/")
    export = [
        {
            "id": "e2e-js-url",
            "author": "@attacker",
            "text": "Have a look at this lovely video of a latch",
            "created_at": "2026-01-05T10:00:00Z",
            "url": "javascript:fetch('/members/').then(r => r.text()).then(alert)",
        }
    ]
    page.get_by_label("File").set_input_files(
        files=[
            {
                "name": "export.json",
                "mimeType": "application/json",
                "buffer": json.dumps(export).encode(),
            }
        ]
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("Imported 1 new item(s)")
    expect(page.locator("main")).to_contain_text("only http and https")
    page.goto(f"{server.url}/inbox/?q=lovely")
    page.locator("tbody a[href*='/inbox/']").first.click()
    expect(page.locator("main")).to_contain_text("lovely video")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.locator("a[href^='javascript' i]").count() == 0
    expect(page.get_by_role("link", name="on the network")).to_have_count(0)


def test_the_check_itself_catches_a_violation(page: Page, server: Server) -> None:
    found = Violations(page)
    page.goto(f"{server.url}/login/")
    page.evaluate(
        """() => {
        const s = document.createElement('script');
        s.textContent = 'window.__ran = 1';
        document.head.appendChild(s);
        document.body.setAttribute('style', 'color: red');
    }"""
    )
    page.wait_for_function("() => window.__csp.length >= 2")
    assert page.evaluate("() => window.__ran") is None, "the inline script ran"
    assert any("script-src" in v for v in found.all())
    assert any("style-src" in v for v in found.all())
