"""The evaluation report in the real browser: the demo's last month (seeded snapshots) with
its charts, on a desktop and a phone, with axe-core and the strict CSP."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import SCREENSHOTS, Server, no_horizontal_scroll, sign_in
from .test_accessibility import _describe, _violations

pytestmark = pytest.mark.e2e


def _csp_reports(page: Page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda m: found.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return found


def test_the_report_page_shows_last_months_figures_and_charts_on_a_desktop(
    page: Page, server: Server, axe_script: Path
) -> None:
    blocked = _csp_reports(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, server, "demo-chair")
    page.get_by_role("link", name="Report", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluation report")
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    summary = page.locator(".summary p").first.inner_text()
    assert "posts went out on 2 channels" in summary
    charts = page.locator("svg.chart[role=img]")
    assert charts.count() == 4
    # The stylesheet coloured the trend line (report-charts.css): not the browser default.
    stroke = page.locator("svg.chart polyline.series-0").first.evaluate(
        "e => getComputedStyle(e).stroke"
    )
    assert stroke == "rgb(31, 95, 139)"
    expect(page.get_by_role("cell", name="per follower").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "postguard-report.png"), full_page=True)
    violations = _violations(page, axe_script)
    assert not violations, f"axe-core on the report:\n{_describe(violations)}"
    assert blocked == []

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    saved = download.value
    assert saved.suggested_filename.endswith(".pdf")
    assert Path(saved.path()).read_bytes().startswith(b"%PDF")


def test_the_report_page_fits_a_phone(page: Page, server: Server, axe_script: Path) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, server, "demo-chair")
    page.goto(f"{server.url}/report/")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert no_horizontal_scroll(page), "the report scrolls sideways at 375px"
    page.screenshot(path=str(SCREENSHOTS / "postguard-report-phone.png"), full_page=True)
    violations = _violations(page, axe_script)
    assert not violations, f"axe-core on the phone-sized report:\n{_describe(violations)}"


def test_the_report_is_not_offered_to_a_member(page: Page, server: Server) -> None:
    sign_in(page, server, "demo-member")
    expect(page.get_by_role("link", name="Report", exact=True)).to_have_count(0)
    response = page.goto(f"{server.url}/report/")
    assert response is not None and response.status == 403
