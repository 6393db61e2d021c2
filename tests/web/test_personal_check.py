"""The personal check: nothing is stored unless the member ticks the box; what is
kept is theirs alone, and the record never holds its text."""

from __future__ import annotations

import pytest

from postguard.web.audit.models import AuditEntry
from postguard.web.workflow.models import PersonalCheck

from .conftest import PRIVACY, World

pytestmark = pytest.mark.django_db


def _check(world: World, role: str, text: str, **extra: str) -> tuple[int, str, str]:
    response = world.client(role).post(
        "/check/", {"text": text, "kind": "post", "audience": "public", **extra}
    )
    return response.status_code, response.get("Location", ""), response.content.decode()


def test_a_personal_check_is_shown_and_not_stored_by_default(world: World) -> None:
    client = world.client("member")
    entries = AuditEntry.objects.count()
    response = client.post("/check/", {"text": PRIVACY, "kind": "post", "audience": "public"})
    status, html = response.status_code, response.content.decode()
    assert status == 200
    assert ">07700 900123</mark>" in html and "Decision:" in html
    assert not PersonalCheck.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_member_who_ticks_the_box_keeps_the_check_and_only_they_see_it(
    world: World,
) -> None:
    status, location, _ = _check(world, "member", PRIVACY, save="on")
    saved = PersonalCheck.objects.get()
    assert status == 302 and location == f"/check/saved/{saved.pk}/"
    assert saved.user == world["member"] and saved.org == world.org
    assert saved.decision == "block" and any(f["rule_id"] for f in saved.findings)

    page = world.client("member").get(location).content.decode()
    assert "only you can see it" in page and ">07700 900123</mark>" in page
    assert f"/check/saved/{saved.pk}/" in world.client("member").get("/check/").content.decode()
    for other in ("admin", "chair", "reviewer", "author", "outsider"):
        assert world.client(other).get(location).status_code == 404
        assert (
            f"/check/saved/{saved.pk}/" not in world.client(other).get("/check/").content.decode()
        )

    # The record notes that a check was saved, never what it said.
    entry = AuditEntry.objects.get(action="check.save")
    assert entry.actor_name == "member" and entry.object_id == str(saved.pk)
    assert "07700" not in str(entry.before) + str(entry.after)


def test_a_member_deletes_a_saved_check(world: World) -> None:
    _check(world, "member", PRIVACY, save="on")
    saved = PersonalCheck.objects.get()
    assert world.client("admin").post(f"/check/saved/{saved.pk}/delete/").status_code == 404
    response = world.client("member").post(f"/check/saved/{saved.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/check/"
    assert not PersonalCheck.objects.exists()
    assert AuditEntry.objects.filter(action="check.delete", actor_name="member").exists()


def test_an_empty_post_is_refused_whether_saved_or_not(world: World) -> None:
    for extra in ({}, {"save": "on"}):
        status, _, html = _check(world, "member", "   ", **extra)
        assert status == 200 and "This field is required" in html
    assert not PersonalCheck.objects.exists()


def test_checking_someone_elses_saved_check_number_tells_nothing(world: World) -> None:
    assert world.client("member").get("/check/saved/999999/").status_code == 404
