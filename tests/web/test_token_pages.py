"""The person's own API tokens in the web (issue 14): create (shown once), list, revoke."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from postguard.web.audit.models import AuditEntry
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import ApiToken

from .conftest import World

pytestmark = pytest.mark.django_db

INLINE = re.compile(r"<script(?![^>]*\bsrc=)|\sstyle=|\son[a-z]+=", re.I)
TOKEN = re.compile(r'value="(pg_[^"]+)"')


def _created(client: Client, name: str) -> str:
    response = client.post("/account/tokens/new/", {"name": name})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    found = TOKEN.search(response.content.decode())
    assert found, response.content[:500]
    return found.group(1)


def test_a_token_made_on_the_page_is_shown_once_and_works_on_the_api(world: World) -> None:
    client = world.client("author")
    token = _created(client, "laptop script")
    assert orgs.user_for_token(token) == world["author"]
    assert AuditEntry.objects.filter(action="token.create", actor_name="author").exists()
    listing = client.get("/account/tokens/").content.decode()
    assert "laptop script" in listing and token[:10] in listing
    assert token not in listing  # only the answer to the creation shows it
    me = Client().get("/api/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["username"] == "author"


def test_the_list_shows_only_ones_own_tokens_with_last_use_and_revocation(world: World) -> None:
    orgs.create_token(world["chair"], "the chair's secret script")
    _, mine = orgs.create_token(world["author"], "mine")
    orgs.revoke_token(world["author"], mine.pk)
    page = world.client("author").get("/account/tokens/").content.decode()
    assert "mine" in page and "revoked" in page
    assert "the chair&#x27;s secret script" not in page and "chair's secret" not in page


def test_revoking_on_the_page_stops_the_token_and_is_recorded(world: World) -> None:
    client = world.client("author")
    token = _created(client, "to revoke")
    found = ApiToken.objects.get(name="to revoke")
    response = client.post(f"/account/tokens/{found.pk}/revoke/")
    assert response.status_code == 302 and response["Location"] == "/account/tokens/"
    assert orgs.user_for_token(token) is None
    assert AuditEntry.objects.filter(action="token.revoke", actor_name="author").exists()
    assert Client().get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_another_persons_token_cannot_be_revoked(world: World) -> None:
    token, theirs = orgs.create_token(world["chair"], "the chair's")
    response = world.client("admin").post(f"/account/tokens/{theirs.pk}/revoke/")
    assert response.status_code == 404
    assert orgs.user_for_token(token) == world["chair"]
    assert not AuditEntry.objects.filter(action="token.revoke").exists()


def test_the_forms_need_their_csrf_token(world: World) -> None:
    _, mine = orgs.create_token(world["author"], "mine")
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["author"])
    assert client.post("/account/tokens/new/", {"name": "x"}).status_code == 403
    assert client.post(f"/account/tokens/{mine.pk}/revoke/").status_code == 403
    assert not ApiToken.objects.filter(name="x").exists()
    mine.refresh_from_db()
    assert mine.revoked_at is None


def test_a_name_too_long_is_refused_with_a_message_not_a_crash(world: World) -> None:
    response = world.client("author").post("/account/tokens/new/", {"name": "n" * 101})
    assert response.status_code == 400
    assert not ApiToken.objects.filter(user=world["author"]).exists()


def test_the_page_carries_no_inline_script_or_style_and_is_in_the_users_menu(
    world: World,
) -> None:
    client = world.client("member")
    page = client.post("/account/tokens/new/", {"name": "x"}).content.decode()
    assert not INLINE.search(page)
    assert 'href="/account/tokens/"' in client.get("/").content.decode()
