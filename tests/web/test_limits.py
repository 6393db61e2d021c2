"""Caps on request size and findings per answer; the API token lookup; gunicorn's settings."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from postguard.cli import main
from postguard.web import commands, serving
from postguard.web.limits import CHECK_MAX_BODY_BYTES, MAX_FINDINGS, cap_findings
from postguard.web.orgs import services as orgs
from postguard.web.orgs.clients import parse_networks
from postguard.web.orgs.models import ApiToken

from .conftest import COMPLIANT, World

#: 100 phone numbers: three findings each (IBLCE and IPALA provisions).
MANY_NUMBERS = " ".join(f"Call 07700 900{i:03d} now." for i in range(100))


def _api(world: World, role: str = "author") -> tuple[Client, str]:
    token, _ = orgs.create_token(world[role])
    return Client(HTTP_HOST="127.0.0.1"), token


def _check(client: Client, token: str, text: str) -> Any:
    return client.post(
        "/api/check",
        data=json.dumps({"text": text}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


# --- findings per answer ------------------------------------------------------------------


def _finding(severity: str, n: int) -> dict[str, Any]:
    return {"rule_id": f"R{n}", "severity": severity, "start": n}


def test_the_cap_keeps_the_most_severe_findings_in_their_order_in_the_text() -> None:
    findings = [_finding("advise" if n % 3 else "block", n) for n in range(9)]
    kept, note = cap_findings(findings, limit=4)
    # The three block findings (0, 3, 6) and the first advice (1), in text order.
    assert [f["start"] for f in kept] == [0, 1, 3, 6]
    assert note is not None and note.startswith("9 findings; only the 4 most severe are listed.")


def test_few_findings_are_left_as_they_are() -> None:
    findings = [_finding("review", n) for n in range(3)]
    assert cap_findings(findings, limit=3) == (findings, None)


def test_a_check_with_hundreds_of_findings_lists_200_and_says_it_is_truncated(
    world: World,
) -> None:
    client, token = _api(world)
    response = _check(client, token, MANY_NUMBERS)
    assert response.status_code == 200
    body = response.json()
    assert body["truncated"] is True
    assert len(body["findings"]) == MAX_FINDINGS
    assert body["decision"] == "block"
    assert {f["severity"] for f in body["findings"]} == {"block"}
    total = int(body["notes"][-1].split(" ")[0].replace(",", ""))
    assert total > MAX_FINDINGS
    assert "The decision counts them all" in body["notes"][-1]


def test_a_short_check_is_not_truncated(world: World) -> None:
    client, token = _api(world)
    body = _check(client, token, COMPLIANT).json()
    assert body["truncated"] is False
    assert body["decision"] == "pass"


def test_the_live_check_shows_at_most_200_findings_and_says_so(world: World) -> None:
    client = world.client("author")
    response = client.post(
        "/check/live/", {"text": MANY_NUMBERS, "account": "personal", "kind": "post"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "only the 200 most severe are listed" in html
    assert 'role="note"' in html


# --- request size ------------------------------------------------------------------------


def test_a_check_body_over_the_cap_is_refused_with_413_in_json(world: World) -> None:
    client, token = _api(world)
    response = _check(client, token, "a" * CHECK_MAX_BODY_BYTES)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "detail": "The request is too large: at most 262,144 bytes here "
        "(a post is at most 20,000 characters)."
    }
    assert "Content-Security-Policy" in response


def test_the_longest_post_fits_under_the_cap_however_it_is_escaped(world: World) -> None:
    # 20,000 characters outside the BMP, each sent as a \\uXXXX\\uXXXX pair.
    body = json.dumps({"text": "😀" * 20_000})
    assert len(body) < CHECK_MAX_BODY_BYTES
    client, token = _api(world)
    response = client.post(
        "/api/check",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code != 413


def test_any_api_body_over_djangos_limit_is_413_not_400(world: World, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client, token = _api(world)
    response = client.post(
        "/api/posts",
        data=json.dumps({"text": "x" * 2000, "channel": world.channel.pk}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 413
    assert response.json()["detail"].startswith("The request is too large: at most 1,000 bytes")


def test_the_live_check_refuses_an_oversized_form_with_413(world: World) -> None:
    client = world.client("author")
    response = client.post("/check/live/", {"text": "a" * CHECK_MAX_BODY_BYTES})
    assert response.status_code == 413
    assert response.content.decode().startswith("The request is too large")


# --- the token lookup --------------------------------------------------------------------


def test_a_token_of_a_deactivated_user_is_refused_at_once(world: World) -> None:
    client, token = _api(world)
    assert _check(client, token, COMPLIANT).status_code == 200
    world["author"].is_active = False
    world["author"].save(update_fields=["is_active"])
    assert _check(client, token, COMPLIANT).status_code == 401
    assert orgs.user_for_token(token) is None


def test_a_revoked_token_is_refused_on_the_next_request(world: World) -> None:
    client, token = _api(world)
    assert _check(client, token, COMPLIANT).status_code == 200
    api_token = ApiToken.objects.get(user=world["author"])
    orgs.revoke_token(world["author"], api_token.pk)
    assert _check(client, token, COMPLIANT).status_code == 401


def test_a_tokens_use_is_noted_at_most_every_five_minutes(world: World) -> None:
    client, token = _api(world)
    api_token = ApiToken.objects.get(user=world["author"])
    assert api_token.last_used_at is None
    _check(client, token, COMPLIANT)
    api_token.refresh_from_db()
    first = api_token.last_used_at
    assert first is not None
    _check(client, token, COMPLIANT)
    api_token.refresh_from_db()
    assert api_token.last_used_at == first
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=first - timedelta(minutes=6))
    _check(client, token, COMPLIANT)
    api_token.refresh_from_db()
    assert api_token.last_used_at is not None and api_token.last_used_at > first - timedelta(
        minutes=1
    )
    assert api_token.last_used_at <= timezone.now()


def test_a_token_request_still_acts_as_its_user(world: World) -> None:
    client, token = _api(world, "chair")
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["username"] == world["chair"].get_username()


# --- gunicorn's settings -------------------------------------------------------------------


def test_gunicorn_trusts_no_proxy_unless_told() -> None:
    options = serving.gunicorn_options(
        host="127.0.0.1", port=8000, workers=2, threads=1, proxies=()
    )
    # gunicorn's own default would trust 127.0.0.1's X-Forwarded-Proto.
    assert options["forwarded_allow_ips"] == ""
    assert options["worker_class"] == "gthread" and options["threads"] == 1
    assert options["preload_app"] is True
    assert options["bind"] == ["127.0.0.1:8000"]


def test_gunicorn_trusts_the_configured_proxies() -> None:
    options = serving.gunicorn_options(
        host="::1",
        port=8001,
        workers=3,
        threads=4,
        proxies=parse_networks("10.0.0.5, 192.0.2.0/24"),
    )
    assert options["forwarded_allow_ips"] == "10.0.0.5/32,192.0.2.0/24"
    assert options["worker_class"] == "gthread" and options["threads"] == 4
    assert options["bind"] == ["[::1]:8001"]


def test_serve_runs_gunicorn_with_the_workers_and_proxies_asked_for(
    settings: Any, monkeypatch: pytest.MonkeyPatch, db: None
) -> None:
    settings.TRUSTED_PROXIES = parse_networks("10.0.0.0/8")
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(
        serving, "run_gunicorn", lambda app, options, **hooks: started.append(options)
    )
    monkeypatch.setattr(commands, "_worker_loop", lambda stop, interval: None)
    with pytest.raises(SystemExit) as done:
        main(["serve", "--no-demo", "--port", "8766", "--server", "gunicorn", "--workers", "3"])
    assert done.value.code in (0, None)
    assert started[0]["workers"] == 3
    assert started[0]["forwarded_allow_ips"] == "10.0.0.0/8"
    assert started[0]["bind"] == ["127.0.0.1:8766"]
    assert started[0]["worker_class"] == "gthread"


def test_waitress_cannot_have_workers(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["serve", "--no-demo", "--server", "waitress", "--workers", "2"])
    assert done.value.code == 2
    assert "--workers needs gunicorn" in capsys.readouterr().err
