"""Signing in: one canonical user name, throttling by django-axes that strangers cannot
turn against an organization, X-Forwarded-For trusted only from configured proxies,
and safe user names with look-alikes refused (issue 10, finding 4)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from postguard.cli import main
from postguard.web import commands
from postguard.web.audit.models import AuditEntry
from postguard.web.errors import Conflict, Invalid
from postguard.web.orgs import services as orgs
from postguard.web.orgs.clients import (
    ForwardedHeaders,
    client_address,
    parse_networks,
    waitress_options,
)
from postguard.web.orgs.models import Membership, Role
from postguard.web.orgs.names import canonical_username, skeleton

from .conftest import World

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-enough-password-7"
STRANGER = "203.0.113.66"
OFFICE = "198.51.100.10"


def _passwords(world: World, *roles: str) -> None:
    for role in roles:
        world[role].set_password(PASSWORD)
        world[role].save()


def _sign_in(username: str, password: str, address: str = "127.0.0.1", **headers: str) -> int:
    client = Client(REMOTE_ADDR=address, **headers)
    return int(client.post("/login/", {"username": username, "password": password}).status_code)


def _fail(username: str, times: int, address: str = "127.0.0.1", **headers: str) -> list[int]:
    return [_sign_in(username, "wrong", address, **headers) for _ in range(times)]


def _limit(settings: Any) -> int:
    return int(settings.AXES_FAILURE_LIMIT)


# --- one canonical user name ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("member", "member"),
        ("Member ", "member"),
        ("  MEMBER\t", "member"),
        ("ｍember", "member"),  # fullwidth m
        ("ＭＥＭＢＥＲ", "member"),
        ("Straße", "strasse"),
    ],
)
def test_user_names_have_one_canonical_form(typed: str, canonical: str) -> None:
    assert canonical_username(typed) == canonical


@pytest.mark.parametrize("typed", ["Member ", "ｍember", " MEMBER"])
def test_other_spellings_of_a_name_sign_in_as_the_same_person(world: World, typed: str) -> None:
    _passwords(world, "member")
    client = Client()
    response = client.post("/login/", {"username": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world["member"].pk)


def test_a_locked_name_stays_locked_under_a_trailing_space_or_fullwidth_letters(
    world: World, settings: Any
) -> None:
    # The finding: after 5 failures for the name, "name " and fullwidth spellings still
    # got password checks, and the right password signed in.
    _passwords(world, "member")
    assert _fail("member", _limit(settings))[-1] == 429
    for spelling in ("member ", "ｍember", "Member", "ＭＥＭＢＥＲ "):
        assert _sign_in(spelling, PASSWORD) == 429, spelling


def test_failures_under_different_spellings_count_against_one_limit(
    world: World, settings: Any
) -> None:
    _passwords(world, "member")
    spellings = ["member", "Member ", "ｍember", "MEMBER", " member"]
    answers = [_sign_in(spellings[i % 5], "wrong") for i in range(_limit(settings))]
    assert answers[:-1] == [200] * (_limit(settings) - 1) and answers[-1] == 429
    assert _sign_in("member", PASSWORD) == 429


def test_the_lockout_is_the_error_page_with_what_to_do(world: World, settings: Any) -> None:
    _fail("member", _limit(settings))
    response = Client().post("/login/", {"username": "member", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "<h1>" in page and "Too many failed sign-ins" in page
    assert "15 minutes" in page and "reset your password" in page


def test_failures_and_lockouts_go_into_the_record(world: World, settings: Any) -> None:
    _fail("Member ", _limit(settings), STRANGER)
    _sign_in("member", PASSWORD, STRANGER)
    failed = AuditEntry.objects.filter(action="auth.login_failed")
    assert failed.count() == _limit(settings) + 1
    assert failed.first() is not None and failed.first().after["address"] == STRANGER  # type: ignore[union-attr]
    locked = AuditEntry.objects.filter(action="auth.login_locked_out")
    assert locked.exists()
    assert {entry.after["username"] for entry in locked} == {"member"}


def test_a_successful_sign_in_forgets_the_earlier_failures(world: World, settings: Any) -> None:
    _passwords(world, "member")
    _fail("member", _limit(settings) - 1)
    assert _sign_in("member", PASSWORD) == 302
    assert _fail("member", _limit(settings) - 1) == [200] * (_limit(settings) - 1)


def test_a_password_reset_lifts_the_lockout_of_the_name(world: World, settings: Any) -> None:
    _passwords(world, "member")
    _fail("member", _limit(settings))
    orgs.password_was_reset(world["member"])
    assert _sign_in("member", PASSWORD) == 302


def test_api_tokens_are_not_throttled_by_password_lockouts(world: World, settings: Any) -> None:
    _fail("author", _limit(settings))
    token, _ = orgs.create_token(world["author"])
    response = Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200 and response.json()["username"] == "author"


# --- strangers cannot lock out an organization ---------------------------------------


def test_made_up_names_from_one_address_do_not_lock_out_the_people_there(world: World) -> None:
    # The finding: 20 failures with made-up names from one address locked out every
    # real user at that address (behind a proxy, everyone).
    _passwords(world, "chair", "reviewer")
    _fail("someone", 1, OFFICE)
    assert [_sign_in(f"made-up-{i}", "guess", OFFICE) for i in range(20)] == [200] * 20
    assert _sign_in("chair", PASSWORD, OFFICE) == 302
    assert _sign_in("reviewer", PASSWORD, OFFICE) == 302


def test_a_stranger_failing_a_real_name_locks_it_only_from_the_stranger_address(
    world: World, settings: Any
) -> None:
    _passwords(world, "chair")
    assert _fail("chair", _limit(settings), STRANGER)[-1] == 429
    assert _sign_in("chair", PASSWORD, STRANGER) == 429
    assert _sign_in("chair", PASSWORD, OFFICE) == 302


def test_an_address_that_fails_too_often_is_refused_except_for_people_known_there(
    world: World, settings: Any
) -> None:
    settings.SIGNIN_FAILURES_PER_ADDRESS = 12
    _passwords(world, "chair", "reviewer")
    assert _sign_in("chair", PASSWORD, OFFICE) == 302  # the chair works from there
    answers = [_sign_in(f"made-up-{i}", "guess", OFFICE) for i in range(12)]
    assert answers == [200] * 11 + [429]
    # Spraying stops, for made-up and real names alike (so it tells nothing about
    # which names exist), but not for the person who signs in from there.
    assert _sign_in("made-up-99", "guess", OFFICE) == 429
    assert _sign_in("reviewer", PASSWORD, OFFICE) == 429
    assert _sign_in("chair", PASSWORD, OFFICE) == 302
    # Elsewhere nothing changed.
    assert _sign_in("reviewer", PASSWORD, STRANGER) == 302


def test_a_password_reset_lets_its_person_in_from_a_locked_address(
    world: World, settings: Any
) -> None:
    settings.SIGNIN_FAILURES_PER_ADDRESS = 6
    _passwords(world, "reviewer")
    for i in range(6):
        _sign_in(f"made-up-{i}", "guess", OFFICE)
    assert _sign_in("reviewer", PASSWORD, OFFICE) == 429
    orgs.password_was_reset(world["reviewer"], OFFICE)
    assert _sign_in("reviewer", PASSWORD, OFFICE) == 302


# --- trusted proxies -----------------------------------------------------------------


def test_a_spoofed_forwarded_for_from_an_untrusted_client_is_ignored(
    world: World, settings: Any
) -> None:
    _passwords(world, "member")
    answers = [
        _sign_in("member", "wrong", STRANGER, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
        for i in range(_limit(settings))
    ]
    assert answers[-1] == 429, "a new X-Forwarded-For per try must not reset the count"
    failed = AuditEntry.objects.filter(action="auth.login_failed")
    assert {entry.after["address"] for entry in failed} == {STRANGER}


def test_behind_a_trusted_proxy_each_client_is_counted_on_its_own(
    world: World, settings: Any
) -> None:
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.0/8")
    _passwords(world, "member")
    proxy = "10.0.0.2"
    assert _fail("member", _limit(settings), proxy, HTTP_X_FORWARDED_FOR=STRANGER)[-1] == 429
    assert _sign_in("member", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=OFFICE) == 302
    entry = AuditEntry.objects.filter(action="auth.login").latest("id")
    assert entry.after == {"address": OFFICE}
    # A client behind the proxy cannot pick its address by prepending one.
    spoofed = f"{OFFICE}, {STRANGER}"
    assert _sign_in("member", PASSWORD, proxy, HTTP_X_FORWARDED_FOR=spoofed) == 429


def _request(remote: str, forwarded: str | None = None) -> HttpRequest:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ("", "203.0.113.5", "192.0.2.1", "203.0.113.5"),
        ("10.0.0.1", "203.0.113.5", "192.0.2.1", "203.0.113.5"),
        ("10.0.0.1", "10.0.0.1", "192.0.2.1", "192.0.2.1"),
        ("10.0.0.1", "10.0.0.1", None, "10.0.0.1"),
        ("10.0.0.1", "10.0.0.1", "garbage", "10.0.0.1"),
        ("10.0.0.0/8", "10.0.0.1", "192.0.2.9, 192.0.2.1, 10.0.0.7", "192.0.2.1"),
        ("10.0.0.0/8", "10.0.0.1", "10.0.0.9, 10.0.0.7", "10.0.0.9"),
        ("10.0.0.1", "10.0.0.1", "192.0.2.1:4711", "192.0.2.1"),
        ("::1", "::1", "[2001:db8::7]:443", "2001:db8::7"),
        ("127.0.0.1", "::ffff:127.0.0.1", "192.0.2.1", "192.0.2.1"),
        ("", "not an address", None, None),
    ],
)
def test_the_client_address_comes_from_forwarded_for_only_through_trusted_proxies(
    settings: Any, trusted: str, remote: str, forwarded: str | None, expected: str | None
) -> None:
    settings.TRUSTED_PROXIES = parse_networks(trusted)
    assert client_address(_request(remote, forwarded)) == expected


def test_proxy_headers_from_untrusted_clients_are_dropped(settings: Any) -> None:
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.1")
    seen: list[dict[str, Any]] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(dict(request.META))
        return HttpResponse()

    middleware = ForwardedHeaders(view)
    for remote in ("203.0.113.5", "10.0.0.1"):
        request = _request(remote, "192.0.2.1")
        request.META["HTTP_X_FORWARDED_PROTO"] = "https"
        middleware(request)
    assert "HTTP_X_FORWARDED_PROTO" not in seen[0] and "HTTP_X_FORWARDED_FOR" not in seen[0]
    assert seen[1]["HTTP_X_FORWARDED_PROTO"] == "https"


def test_a_bad_trusted_proxy_setting_is_refused_with_its_entry() -> None:
    with pytest.raises(ValueError, match=r"'10\.0\.0\.300'"):
        parse_networks("10.0.0.1, 10.0.0.300")


def test_waitress_is_told_which_proxy_to_trust() -> None:
    assert waitress_options(()) == {"clear_untrusted_proxy_headers": True}
    single = waitress_options(parse_networks("10.0.0.5"))
    assert single["trusted_proxy"] == "10.0.0.5"
    assert single["trusted_proxy_headers"] == {"x-forwarded-for", "x-forwarded-proto"}
    assert single["clear_untrusted_proxy_headers"] is True
    # waitress trusts one address only: networks are left to postguard's own check.
    assert waitress_options(parse_networks("10.0.0.0/8")) == {
        "clear_untrusted_proxy_headers": False
    }


def test_serve_passes_the_proxy_settings_to_waitress(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import waitress

    settings.TRUSTED_PROXIES = parse_networks("10.0.0.5")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setattr(commands, "_worker_loop", lambda stop, interval: None)
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: calls.append(kwargs))
    with pytest.raises(SystemExit) as done:
        main(["serve", "--no-demo", "--port", "8765", "--server", "waitress"])
    assert done.value.code in (0, None)
    assert calls[0]["trusted_proxy"] == "10.0.0.5"
    assert calls[0]["clear_untrusted_proxy_headers"] is True


# --- safe user names, look-alikes refused --------------------------------------------


@pytest.mark.parametrize("lookalike", ["сhair", "chaіr", "cha1r", "chalr", "Сhаir"])
def test_a_look_alike_of_an_existing_name_is_refused(world: World, lookalike: str) -> None:
    # The finding: "dеmo-chair" with a Cyrillic е was accepted and shown among the
    # approvers like the real chair. (Cyrillic с and а, Ukrainian і, digit one, l for i.)
    with pytest.raises(Conflict, match="looks too much like the existing user name 'chair'"):
        orgs.create_user(lookalike, email="x@example.org")
    assert User.objects.count() == 8


@pytest.mark.parametrize(
    ("lookalike", "taken"),
    [
        ("rnember", "member"),
        ("auth0r", "author"),
        ("demo_chair", "demo-chair"),
        ("demo.chair", "demo-chair"),
        ("dem0-cha1r", "demo-chair"),
    ],
)
def test_ascii_look_alikes_are_refused_too(world: World, lookalike: str, taken: str) -> None:
    orgs.create_user("demo-chair")
    with pytest.raises(Conflict, match=f"existing user name '{taken}'"):
        orgs.create_user(lookalike)


@pytest.mark.parametrize("spelling", ["CHAIR", " chair ", "ｃｈａｉｒ"])
def test_another_spelling_of_an_existing_name_is_taken(world: World, spelling: str) -> None:
    with pytest.raises(Conflict, match="'chair' is taken"):
        orgs.create_user(spelling)


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("new user", "' ' (space)"),
        ("née", "'é' (latin small letter e with acute)"),
        ("dеmo-chair", "cyrillic small letter ie"),
        ("-dash", "must start with a letter or a digit"),
        ("", "A user name is required"),
        ("x" * 151, "at most 150 characters"),
    ],
)
def test_user_names_outside_the_safe_set_are_refused_clearly(
    world: World, name: str, says: str
) -> None:
    with pytest.raises(Invalid) as refused:
        orgs.create_user(name)
    assert says in str(refused.value)
    assert not User.objects.filter(username=canonical_username(name)).exists()


def test_new_names_are_stored_in_their_canonical_form(world: World) -> None:
    user = orgs.create_user("  New.Person_2 ")
    assert user.username == "new.person_2"


def test_skeletons_match_look_alikes_and_only_them() -> None:
    assert skeleton("dеmo-chair") == skeleton("demo-chair") == skeleton("DEM0_CHAIR")
    assert skeleton("rnember") == skeleton("member")
    assert skeleton("demo-chair") != skeleton("demo-chairs")


def test_an_invitation_with_a_look_alike_name_is_refused_on_the_page(world: World) -> None:
    token, _ = orgs.invite(None, world.org, "new@example.org", Role.REVIEWER)
    response = Client().post(
        f"/invitations/{token}", {"username": "сhair", "password": "correct horse battery 9"}
    )
    assert response.status_code == 200
    assert "looks too much like the existing user name" in response.content.decode()
    assert Membership.objects.filter(org=world.org).count() == 7


def test_an_accepted_invitation_signs_the_new_member_in(world: World) -> None:
    token, _ = orgs.invite(None, world.org, "new@example.org", Role.REVIEWER)
    client = Client()
    response = client.post(
        f"/invitations/{token}", {"username": "New-Reviewer", "password": "correct horse 9 b"}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.session["_auth_user_id"] == str(User.objects.get(username="new-reviewer").pk)


def test_createadmin_refuses_a_look_alike_in_one_line(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(
            [
                "createadmin",
                "сhair",
                "--org",
                world.org.name,
                "--email",
                "c@example.org",
                "--password",
                "long pass 12345",
            ]
        )
    assert done.value.code == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "looks too much like" in err


def test_existing_names_are_made_canonical_by_the_migration(world: World) -> None:
    User.objects.create(username="Legacy-Name")
    User.objects.create(username="CLASH")
    User.objects.create(username="clash")
    migration = importlib.import_module("postguard.web.orgs.migrations.0004_canonical_usernames")
    migration.canonicalise(apps, None)
    names = set(User.objects.values_list("username", flat=True))
    assert "legacy-name" in names and "Legacy-Name" not in names
    assert {"CLASH", "clash"} <= names, "a clash is left for a person to resolve"


def test_token_commands_find_the_user_by_any_spelling_of_the_name(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["token", "create", " Author", "--name", "cron"])
    assert done.value.code in (0, None)
    assert capsys.readouterr().out.strip()
    token_id = world["author"].api_tokens.get(name="cron").pk
    with pytest.raises(SystemExit) as done:
        main(["token", "revoke", "AUTHOR", str(token_id)])
    assert done.value.code in (0, None)
    assert world["author"].api_tokens.get(pk=token_id).revoked_at is not None
