"""The pages: sign-in and its throttling, the live check, escaping, CSRF, settings."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from postguard.cli import main
from postguard.web import settings as web_settings
from postguard.web.audit.models import AuditEntry
from postguard.web.demo import DEMO_PASSWORD, create_demo
from postguard.web.orgs.models import Membership, Organization, Role
from postguard.web.workflow.models import Post, State

from .conftest import PRIVACY, World

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, username: str, password: str) -> int:
    response = client.post("/login/", {"username": username, "password": password})
    return int(response.status_code)


def test_sign_in_works_and_is_throttled_after_repeated_failures(world: World) -> None:
    user = world["author"]
    user.set_password("a-long-enough-password")
    user.save()
    assert _sign_in(Client(), "author", "a-long-enough-password") == 302
    client = Client()
    for _ in range(web_settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, "author", "wrong") == 200
    assert _sign_in(client, "author", "wrong") == 429
    response = client.post("/login/", {"username": "author", "password": "a-long-enough-password"})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


def test_passwords_are_hashed_with_argon2_by_default() -> None:
    assert web_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_the_live_check_marks_the_flagged_spans(world: World) -> None:
    client = world.client("author")
    response = client.post(
        "/check/live/", {"text": PRIVACY, "account": "official", "channel": world.channel.pk}
    )
    html = response.content.decode()
    assert '<mark class="sev-block"' in html and ">07700 900123</mark>" in html
    assert "2(a) Respect privacy and confidentiality" in html


def test_user_text_is_escaped_everywhere(world: World) -> None:
    evil = '<script>alert("x")</script> Call 07700 900123'
    post = world.submitted(evil)
    client = world.client("reviewer")
    for path in (f"/posts/{post.pk}/", "/queue/"):
        html = client.get(path).content.decode()
        assert "<script>alert" not in html
        assert "&lt;script&gt;" in html
    html = client.post("/check/live/", {"text": evil}).content.decode()
    assert "<script>alert" not in html


def test_pages_enforce_csrf(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["author"])
    assert client.post(f"/posts/{world.draft().pk}/submit/").status_code == 403


def test_a_refused_page_says_who_can_authorize(world: World) -> None:
    html = world.client("reviewer").get("/posts/new/").content.decode()
    assert "not authorized" in html


def test_the_composer_saves_a_checked_draft(world: World) -> None:
    client = world.client("author")
    response = client.post(
        "/posts/new/", {"channel": world.channel.pk, "kind": "post", "text": PRIVACY}
    )
    assert response.status_code == 302
    post = Post.objects.get(author=world["author"])
    assert post.decision == "block"
    page = client.get(response["Location"]).content.decode()
    assert "IPALA-2a-phone" in page and "Fix:" in page


def test_an_invitation_link_creates_the_member(world: World) -> None:
    client = world.client("admin")
    response = client.post(
        "/members/", {"action": "invite", "email": "new@example.org", "role": Role.AUTHORIZED}
    )
    assert response.status_code == 302
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/invitations/" in line)
    path = link[link.index("/invitations/") :]
    fresh = Client()
    assert fresh.get(path).status_code == 200
    response = fresh.post(path, {"username": "newbie", "password": "correct horse battery 9"})
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="newbie")
    assert membership.role == Role.AUTHORIZED and membership.org == world.org
    assert fresh.get(path).status_code == 404


def test_the_demo_has_people_in_every_role_and_posts_in_each_state() -> None:
    org = create_demo()
    assert org.is_demo and "demo" in str(org)
    roles = set(Membership.objects.filter(org=org).values_list("role", flat=True))
    assert roles == set(Role.values)
    states = set(Post.objects.filter(org=org).values_list("state", flat=True))
    assert {
        State.DRAFT,
        State.SUBMITTED,
        State.IN_REVIEW,
        State.CHANGES_REQUESTED,
        State.REJECTED,
        State.SCHEDULED,
        State.READY,
        State.EXPIRED,
        State.ARCHIVED,
    } <= states
    assert Post.objects.filter(org=org, decision="block").exists()
    client = Client()
    assert _sign_in(client, "demo-chair", DEMO_PASSWORD) == 302
    assert "Demo organization" in client.get("/").content.decode()


def test_createadmin_creates_an_administrator(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(
            [
                "createadmin",
                "boss",
                "--email",
                "boss@example.org",
                "--org",
                "IPALA",
                "--password",
                "a sufficiently long passphrase",
            ]
        )
    assert done.value.code in (0, None), capsys.readouterr().err
    membership = Membership.objects.get(user__username="boss")
    assert membership.role == Role.ADMIN
    assert Organization.objects.get(pk=membership.org_id).name == "IPALA"
    assert User.objects.get(username="boss").check_password("a sufficiently long passphrase")


def _import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "SECRET_KEY_FILE"}}
    return subprocess.run(
        [sys.executable, "-c", "import postguard.web.settings"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_the_default_secret_key() -> None:
    refused = _import_settings(POSTGUARD_PRODUCTION="1")
    assert refused.returncode != 0 and "SECRET_KEY" in refused.stderr
    accepted = _import_settings(POSTGUARD_PRODUCTION="1", SECRET_KEY="k" * 50)
    assert accepted.returncode == 0, accepted.stderr


def test_the_engine_cli_does_not_need_django() -> None:
    code = (
        "import sys; import postguard.cli; "
        "assert 'django.conf' not in sys.modules or "
        "not __import__('django.conf').conf.settings.configured"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_committed_migrations_match_the_models() -> None:
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _link_in_last_mail(marker: str) -> str:
    body = mail.outbox[-1].body
    line = next(line for line in body.splitlines() if marker in line)
    return line[line.index(marker) :].strip()


def test_a_forgotten_password_is_reset_through_the_mailed_link(world: World) -> None:
    user = world["author"]
    user.set_password("the-old-password-1")
    user.save()
    client = Client()
    # Locked out by failures first: the refusal offers the reset, which must lift it.
    for _ in range(web_settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "author", "wrong")
    mail.outbox.clear()

    response = client.post("/password-reset/", {"email": "author@example.org"})
    assert response.status_code == 302 and response["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["author@example.org"]
    assert "postguard password" in mail.outbox[0].subject
    link = _link_in_last_mail("/password-reset/")

    # Django swaps the token in the link for a session-held one, then shows the form.
    response = client.get(link, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a new password" in page and 'name="new_password1"' in page
    form_address = response.redirect_chain[-1][0]
    response = client.post(
        form_address,
        {"new_password1": "a-brand-new-passphrase-7", "new_password2": "a-brand-new-passphrase-7"},
    )
    assert response.status_code == 302 and response["Location"] == "/password-reset/done/"
    assert "Password changed" in client.get("/password-reset/done/").content.decode()

    fresh = Client()
    assert _sign_in(fresh, "author", "the-old-password-1") == 200
    assert _sign_in(fresh, "author", "a-brand-new-passphrase-7") == 302
    assert "Dashboard" in fresh.get("/").content.decode()
    # The link works once.
    assert "no longer valid" in Client().get(link, follow=True).content.decode()
    assert AuditEntry.objects.filter(action="auth.password_reset", actor_name="author").exists()


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(world: World) -> None:
    mail.outbox.clear()
    response = Client().post("/password-reset/", {"email": "nobody@example.org"}, follow=True)
    assert response.status_code == 200
    assert "If an account has that address" in response.content.decode()
    assert mail.outbox == []
