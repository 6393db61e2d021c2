"""Issue 14 in the real browser, the second half: an image uploaded in the composer
(alt text, consent, credit; a corrupt file refused with the draft kept; Bluesky's four
images), scheduling in the organization's time zone and moving an approved post
without new reviews, the crisis lane, the pause button and a private message. axe-core
on every new or changed page; screenshots at desktop and phone widths."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from .conftest import SCREENSHOTS, Server, no_horizontal_scroll, sign_in, sign_out
from .test_accessibility import _describe, _violations

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
TEXT = "Our volunteers will be at the town library on Saturday with leaflets."


def _axe(page: Page, axe_script: Path, name: str) -> None:
    violations = _violations(page, axe_script)
    assert not violations, f"axe-core on the {name} page:\n{_describe(violations)}"


def _shots(page: Page, name: str) -> None:
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(SCREENSHOTS / f"postguard-{name}.png"), full_page=True)
    page.set_viewport_size(PHONE)
    assert no_horizontal_scroll(page), f"{name} scrolls sideways on a phone"
    page.screenshot(path=str(SCREENSHOTS / f"postguard-{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def _png(tmp_path: Path, name: str, colour: tuple[int, int, int]) -> Path:
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), colour).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _choose_bluesky(page: Page) -> None:
    select = page.get_by_label("Channel")
    value = select.locator("option", has_text="IPALA on Bluesky").first.get_attribute("value")
    assert value
    select.select_option(value)


def _post_id(page: Page) -> str:
    found = re.search(r"/posts/(\d+)/", page.url)
    assert found, page.url
    return found.group(1)


# --- images -------------------------------------------------------------------------------


def test_an_image_is_uploaded_checked_and_held_to_blueskys_limits(
    page: Page, server: Server, axe_script: Path, tmp_path: Path
) -> None:
    sign_in(page, server, "demo-author")
    page.goto(f"{server.url}/posts/new/")
    _choose_bluesky(page)
    page.get_by_role("textbox", name="Text").fill(TEXT)
    # A corrupt file: one line saying why, and the text is still there.
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    page.locator("#id_image").set_input_files(str(broken))
    page.get_by_label("Image description").fill("A broken picture")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("is not a readable image")).to_be_visible()
    expect(page.get_by_role("textbox", name="Text")).to_have_value(TEXT)
    _axe(page, axe_script, "composer with an image error")
    _shots(page, "composer-image-error")
    # A real image, with alt text, consent and credit.
    page.locator("#id_image").set_input_files(str(_png(tmp_path, "stand.png", (30, 120, 200))))
    page.get_by_label("Image description").fill("Our blue stand at the library")
    page.get_by_label("Consent reference").fill("No people shown")
    page.get_by_label("Credit").fill("IPALA volunteers")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Post #")
    image = page.get_by_role("img", name="Our blue stand at the library")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 120
    _axe(page, axe_script, "post page with an image")
    _shots(page, "post-with-image")
    # Three more on the edit page: four is Bluesky's limit, a fifth is refused.
    page.get_by_role("link", name="Edit").click()
    for n, colour in enumerate(((200, 30, 30), (30, 200, 30), (200, 200, 30), (90, 90, 90))):
        page.locator("#id_image").set_input_files(str(_png(tmp_path, f"extra{n}.png", colour)))
        page.get_by_label("Image description").fill(f"Extra picture {n + 1}")
        page.get_by_role("button", name="Add and check").click()
    expect(page.get_by_text("Bluesky would refuse this image")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Remove image"))).to_have_count(4)
    _axe(page, axe_script, "edit page with images")
    _shots(page, "edit-images")


# --- time ---------------------------------------------------------------------------------


@pytest.fixture
def new_york(page: Page, server: Server, axe_script: Path) -> Iterator[str]:
    """The demo organization in America/New_York for the test, UTC again after it."""
    sign_in(page, server, "demo-admin")
    page.goto(f"{server.url}/settings/time-zone/")
    _axe(page, axe_script, "time zone settings")
    _shots(page, "time-zone")
    page.get_by_label("Time zone").select_option("America/New_York")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Times are now shown in America/New_York")).to_be_visible()
    sign_out(page)
    try:
        yield "America/New_York"
    finally:
        page.context.clear_cookies()
        sign_in(page, server, "demo-admin")
        page.goto(f"{server.url}/settings/time-zone/")
        page.get_by_label("Time zone").select_option("UTC")
        page.get_by_role("button", name="Save").click()


def test_a_post_is_scheduled_in_local_time_and_moved_without_new_reviews(
    page: Page, server: Server, axe_script: Path, new_york: str
) -> None:
    zone = ZoneInfo(new_york)
    day = (datetime.now(UTC) + timedelta(days=20)).astimezone(zone).date()
    local = datetime(day.year, day.month, day.day, 9, 30, tzinfo=zone)
    sign_in(page, server, "demo-author")
    page.goto(f"{server.url}/posts/new/")
    _choose_bluesky(page)
    page.get_by_role("textbox", name="Text").fill(TEXT)
    when = page.get_by_label(f"Publish at ({new_york})")
    expect(when).to_have_attribute("type", "datetime-local")
    when.fill(f"{day:%Y-%m-%d}T09:30")
    page.get_by_role("button", name="Save draft").click()
    shown = f"{day:%Y-%m-%d} 09:30 {local.tzname()} ({new_york})"
    expect(page.get_by_text(f"to go out {shown}")).to_be_visible()
    page.get_by_role("button", name="Submit for approval").click()
    post_id = _post_id(page)
    sign_out(page)
    for reviewer in ("demo-reviewer", "demo-reviewer2"):
        sign_in(page, server, reviewer)
        page.goto(f"{server.url}/posts/{post_id}/")
        page.get_by_label("Approve").check()
        page.get_by_role("button", name="Record review").click()
        sign_out(page)
    sign_in(page, server, "demo-chair")
    page.goto(f"{server.url}/posts/{post_id}/")
    status = page.locator("#publishing-status")
    expect(status).to_have_text(f"Scheduled for {shown}")
    expect(page.get_by_text("2 of 2 approval(s)")).to_be_visible()
    _axe(page, axe_script, "approved post with its time")
    # The chair moves it a day later, in New York time: no new review is needed.
    later = day + timedelta(days=1)
    page.get_by_label(f"Publish at ({new_york})").fill(f"{later:%Y-%m-%d}T08:00")
    page.get_by_role("button", name="Change the time").click()
    expect(page.get_by_text("the approvals stand")).to_be_visible()
    moved = datetime(later.year, later.month, later.day, 8, 0, tzinfo=zone)
    expect(status).to_have_text(
        f"Scheduled for {later:%Y-%m-%d} 08:00 {moved.tzname()} ({new_york})"
    )
    expect(page.get_by_text("2 of 2 approval(s)")).to_be_visible()
    expect(page.locator("p .state")).to_have_text("Scheduled")
    expect(page.get_by_text("post.reschedule")).to_be_visible()
    _shots(page, "post-rescheduled")


# --- the crisis lane, the pause button and a private message -------------------------------


def test_the_chair_alone_approves_a_crisis_reply_and_pauses_the_channel(
    page: Page, server: Server, axe_script: Path, tmp_path: Path
) -> None:
    sign_in(page, server, "demo-admin")
    page.goto(f"{server.url}/settings/approval/")
    page.get_by_label("Approvals needed for a reply").fill("2")
    page.get_by_role("button", name="Save the approval settings").click()
    export = tmp_path / "crisis.json"
    export.write_text(
        json.dumps(
            [
                {
                    "id": "e2e-crisis-1",
                    "parent_id": None,
                    "author": "@worried.example",
                    "text": "I can't go on anymore, I want to end it all. Nobody can help me.",
                    "created_at": datetime.now(UTC).isoformat(),
                }
            ]
        ),
        encoding="utf-8",
    )
    page.goto(f"{server.url}/inbox/import/")
    page.get_by_label("Channel").select_option(label="IPALA on Bluesky")
    page.get_by_label("File").set_input_files(str(export))
    page.get_by_role("button", name="Import").click()
    sign_out(page)

    sign_in(page, server, "demo-author")
    page.goto(f"{server.url}/inbox/")
    row = page.get_by_role("row", name=re.compile("end it all"))
    expect(row.locator(".urgent-label")).to_have_text("Urgent")
    row.get_by_role("link").first.click()
    expect(page.get_by_role("group", name="Send a private message")).to_be_visible()
    _axe(page, axe_script, "crisis inbox item")
    _shots(page, "inbox-crisis-item")
    page.get_by_role("button", name="Draft reply").click()
    page.get_by_role("button", name="Submit for approval").click()
    post_id = _post_id(page)
    sign_out(page)

    sign_in(page, server, "demo-chair")
    page.goto(f"{server.url}/posts/{post_id}/")
    expect(page.locator(".crisis-lane")).to_contain_text("can approve it alone")
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record review").click()
    expect(page.locator(".crisis-lane")).to_contain_text(
        "Approved through the crisis lane by demo-chair"
    )
    expect(page.locator("#publishing-status")).not_to_contain_text("next try")
    _axe(page, axe_script, "crisis reply approved")
    _shots(page, "crisis-lane")

    # The playbook's "Pause scheduled posts", as a button on the channel page.
    page.goto(f"{server.url}/members/")
    page.get_by_role("link", name="IPALA on Bluesky").click()
    page.get_by_role("button", name="Pause all scheduled posts on IPALA on Bluesky").click()
    expect(page.get_by_text(re.compile(r"Paused\s+by demo-chair"))).to_be_visible()
    _axe(page, axe_script, "paused channel")
    _shots(page, "channel-paused")
    page.goto(f"{server.url}/posts/{post_id}/")
    expect(page.locator("#publishing-status")).to_contain_text(
        "Waiting: IPALA on Bluesky is paused"
    )
    page.goto(f"{server.url}/members/")
    page.get_by_role("link", name="IPALA on Bluesky").click()
    page.get_by_role("button", name="Resume scheduled posts on IPALA on Bluesky").click()
    expect(
        page.get_by_role("button", name="Pause all scheduled posts on IPALA on Bluesky")
    ).to_be_visible()
    sign_out(page)

    # A private message to the same person, drafted from the item.
    sign_in(page, server, "demo-author")
    page.goto(f"{server.url}/inbox/")
    page.get_by_role("row", name=re.compile("end it all")).get_by_role("link").first.click()
    page.get_by_label("Message").fill(
        "We read your message and we are worried. Please call your local emergency number now."
    )
    page.get_by_role("button", name="Draft private message").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Private message #")
    _axe(page, axe_script, "private message draft")

    sign_out(page)
    sign_in(page, server, "demo-admin")
    page.goto(f"{server.url}/settings/approval/")
    page.get_by_label("Approvals needed for a reply").fill("1")
    page.get_by_role("button", name="Save the approval settings").click()
