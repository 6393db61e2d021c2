"""Issues 8 and 14: the composer, the personal check and the edit page show the personal
data a post contains and the suggested rewrite, with a button to apply it."""

from __future__ import annotations

import html
from typing import Any

import pytest

from postguard.entities.registry import TYPES
from postguard.web.pages.findings import ENTITY_LABELS

from .conftest import COMPLIANT, World

pytestmark = pytest.mark.django_db

NAME_AND_PHONE = (
    "So proud of our client Sarah Jones, who finally got her baby latching! "
    "Call her on 07700 900123 to hear her story."
)
REWRITE = (
    "So proud of our client [name], who finally got her baby latching! "
    "Call her on [phone] to hear her story."
)
APPLY = 'data-apply-rewrite="suggested-rewrite" aria-controls="id_text">Apply suggested rewrite'


def _live(world: World, role: str = "author", **data: Any) -> str:
    response = world.client(role).post("/check/live/", data)
    assert response.status_code == 200
    return response.content.decode()


def test_the_live_check_lists_the_personal_data_and_suggests_a_rewrite(world: World) -> None:
    page = _live(world, text=NAME_AND_PHONE, account="official", channel=world.channel.pk)
    assert "Personal data found" in page
    assert '<span class="entity-type">Name</span>: <q>Sarah Jones</q>' in page
    assert '<span class="entity-type">Phone number</span>: <q>07700 900123</q>' in page
    assert '<div id="suggested-rewrite" class="post-text"' in page
    assert f">{REWRITE}</div>" in page
    assert APPLY in page


def test_the_live_check_shows_no_rewrite_for_a_clean_post(world: World) -> None:
    page = _live(world, text=COMPLIANT, account="official", channel=world.channel.pk)
    assert "Personal data found" not in page
    assert "suggested-rewrite" not in page and "Apply suggested rewrite" not in page


def test_a_date_and_a_link_alone_are_not_listed_as_personal_data(world: World) -> None:
    text = "Our drop-in reopens on 12 May 2026, see https://example.org/drop-in for details."
    page = _live(world, text=text, account="official", channel=world.channel.pk)
    assert "Personal data found" not in page


def test_the_personal_data_and_the_rewrite_are_escaped(world: World) -> None:
    text = "Our client <b>Sarah Jones</b> is on 07700 900123 <script>alert(1)</script>"
    page = _live(world, text=text, account="official", channel=world.channel.pk)
    assert "Apply suggested rewrite" in page
    assert "<script>" not in page and "<b>" not in page
    assert html.escape("<script>alert(1)</script>") in page


def test_the_personal_check_suggests_a_rewrite_while_typing_and_on_submit(
    world: World,
) -> None:
    page = _live(world, "member", text=NAME_AND_PHONE, account="personal")
    assert f">{REWRITE}</div>" in page and APPLY in page
    response = world.client("member").post(
        "/check/", {"text": NAME_AND_PHONE, "kind": "post", "audience": "public"}
    )
    assert response.status_code == 200
    submitted = response.content.decode()
    assert '<span class="entity-type">Phone number</span>: <q>07700 900123</q>' in submitted
    assert f">{REWRITE}</div>" in submitted and APPLY in submitted


def test_the_edit_page_suggests_a_rewrite_of_the_saved_text(world: World) -> None:
    post = world.draft(NAME_AND_PHONE)
    page = world.client("author").get(f"/posts/{post.pk}/edit/").content.decode()
    assert '<span class="entity-type">Name</span>: <q>Sarah Jones</q>' in page
    assert f">{REWRITE}</div>" in page and APPLY in page


def test_the_edit_page_of_a_clean_post_suggests_nothing(world: World) -> None:
    post = world.draft(COMPLIANT)
    page = world.client("author").get(f"/posts/{post.pk}/edit/").content.decode()
    assert "Personal data found" not in page and "Apply suggested rewrite" not in page


def test_every_redacted_entity_type_has_a_label() -> None:
    redacted = {kind for kind, placeholder in TYPES.items() if placeholder is not None}
    assert redacted <= ENTITY_LABELS.keys()


def test_the_button_script_is_a_file_the_policy_allows(world: World) -> None:
    page = world.client("author").get("/posts/new/").content.decode()
    assert 'src="/static/postguard/rewrite.js"' in page
    script = world.client("author").get("/static/postguard/rewrite.js")
    try:
        assert script.status_code == 200
        assert b"data-apply-rewrite" in b"".join(script.streaming_content)  # type: ignore[attr-defined]
    finally:
        script.close()
