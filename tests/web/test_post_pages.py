"""The post page's review form and the composer, for issue 10's findings 1 and 2."""

from __future__ import annotations

import re

import pytest

from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import Post, Review, State

from .conftest import COMPLIANT, World

pytestmark = pytest.mark.django_db


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', page)
    assert found, f"no hidden {name} in the review form"
    return found.group(1)


def _loaded_form(world: World, post: Post, reviewer: str = "reviewer") -> dict[str, str]:
    page = world.client(reviewer).get(f"/posts/{post.pk}/").content.decode()
    return {
        "decision": "approve",
        "revision": _hidden(page, "revision"),
        "content_hash": _hidden(page, "content_hash"),
    }


def test_the_review_form_carries_what_the_page_shows(world: World) -> None:
    post = world.submitted()
    form = _loaded_form(world, post)
    assert form["revision"] == "1"
    assert form["content_hash"] == workflow.content_hash_of(post)


def test_a_review_form_loaded_before_the_text_changed_is_refused_with_409(world: World) -> None:
    post = world.submitted()
    form = _loaded_form(world, post)
    workflow.edit_post(world["author"], post, text=COMPLIANT + " Buy any formula you like.")
    response = world.client("reviewer").post(f"/posts/{post.pk}/review/", form)
    assert response.status_code == 409
    page = response.content.decode()
    assert "The post changed since you opened it (revision 1 → 2)" in page
    # The page shows the post as it is now, with a form for what it now says.
    assert "Buy any formula you like." in page
    assert _hidden(page, "revision") == "2"
    post.refresh_from_db()
    assert post.state == State.SUBMITTED and not Review.objects.filter(post=post).exists()


def test_a_review_form_without_the_revision_is_refused(world: World) -> None:
    post = world.submitted()
    response = world.client("reviewer").post(f"/posts/{post.pk}/review/", {"decision": "approve"})
    assert response.status_code == 409
    assert "does not say which revision" in response.content.decode()
    assert not Review.objects.filter(post=post).exists()


def test_a_review_form_sent_twice_is_recorded_once(world: World) -> None:
    post = world.submitted()
    form = _loaded_form(world, post)
    client = world.client("reviewer")
    assert client.post(f"/posts/{post.pk}/review/", form).status_code == 302
    assert client.post(f"/posts/{post.pk}/review/", form).status_code == 302
    assert Review.objects.filter(post=post).count() == 1


def test_the_composer_refuses_a_reply_without_a_parent(world: World) -> None:
    response = world.client("author").post(
        "/posts/new/", {"channel": world.channel.pk, "kind": "reply", "text": COMPLIANT}
    )
    assert response.status_code == 200
    assert "A reply needs what it answers" in response.content.decode()
    assert not Post.objects.exists()


def test_the_composer_refuses_a_schedule_years_ahead(world: World) -> None:
    response = world.client("author").post(
        "/posts/new/",
        {
            "channel": world.channel.pk,
            "kind": "post",
            "text": COMPLIANT,
            "scheduled_at": "9999-12-31T23:59",
        },
    )
    assert response.status_code == 200
    assert "more than 2 years ahead" in response.content.decode()
    assert not Post.objects.exists()
