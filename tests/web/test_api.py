"""The REST API through Django's test client, authenticated with a personal token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from postguard.cli import main
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import ApiToken

from .conftest import COMPLIANT, PRIVACY, World

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str) -> Any:
        return self.client.get(f"/api{path}", headers=self.headers)

    def post(self, path: str, data: Any = None) -> Any:
        return self.client.post(
            f"/api{path}", data=data or {}, content_type="application/json", headers=self.headers
        )

    def patch(self, path: str, data: Any) -> Any:
        return self.client.patch(
            f"/api{path}", data=data, content_type="application/json", headers=self.headers
        )


def api_for(world: World, role: str) -> Api:
    if role == "anonymous":
        return Api(None)
    token, _ = orgs.create_token(world[role], "tests")
    return Api(token)


def test_a_post_goes_from_draft_to_ready_through_the_api(world: World) -> None:
    author, reviewer = api_for(world, "author"), api_for(world, "reviewer")
    created = author.post("/posts", {"text": COMPLIANT, "channel": world.channel.pk})
    assert created.status_code == 201, created.content
    post = created.json()
    assert post["state"] == "draft" and post["decision"] == "pass"
    assert post["history"][0]["action"] == "post.create"
    submitted = author.post(f"/posts/{post['id']}/submit")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    reviewed = reviewer.post(
        f"/posts/{post['id']}/reviews", {"decision": "approve", "comment": "Fine"}
    )
    assert reviewed.status_code == 201, reviewed.content
    detail = author.get(f"/posts/{post['id']}").json()
    assert detail["state"] == "ready"
    assert detail["approval"]["approvers"] == ["reviewer"]
    assert [r["decision"] for r in detail["reviews"]] == ["approve"]
    assert [h["action"] for h in detail["history"]] == [
        "post.create",
        "post.submit",
        "post.review.approve",
    ]


def test_findings_come_back_with_clause_span_and_fix(world: World) -> None:
    response = api_for(world, "author").post(
        "/posts", {"text": PRIVACY, "channel": world.channel.pk}
    )
    body = response.json()
    assert body["decision"] == "block"
    phone = next(f for f in body["findings"] if f["rule_id"] == "IPALA-2a-phone")
    assert PRIVACY[phone["start"] : phone["end"]] == "07700 900123"
    assert phone["clause"] and phone["quote"] and phone["fix"]


def test_a_chair_override_needs_a_justification(world: World) -> None:
    author, chair = api_for(world, "author"), api_for(world, "chair")
    post = author.post("/posts", {"text": PRIVACY, "channel": world.channel.pk}).json()
    author.post(f"/posts/{post['id']}/submit")
    refused = chair.post(f"/posts/{post['id']}/reviews", {"decision": "approve"})
    assert refused.status_code == 400
    assert "justification" in refused.json()["detail"]
    done = chair.post(
        f"/posts/{post['id']}/reviews",
        {"decision": "approve", "justification": "Written consent on file, form 2024-113."},
    )
    assert done.status_code == 201 and done.json()["state"] == "ready"


def test_check_stores_nothing_and_rules_lists_clauses(world: World) -> None:
    api = api_for(world, "member")
    response = api.post("/check", {"text": PRIVACY, "account": "personal"})
    assert response.status_code == 200
    assert response.json()["decision"] == "block"
    assert api.get("/posts").json() == []
    rules = api.get("/rules").json()
    assert any(r["id"] == "IPALA-2a-phone" and r["clause"].startswith("2(a)") for r in rules)


def test_check_says_when_a_very_long_post_was_not_fully_read(world: World) -> None:
    api = api_for(world, "member")
    text = "St Mary's ward 4, room " * 800  # over the window, under the API limit
    response = api.post("/check", {"text": text, "account": "personal"})
    report = response.json()
    assert response.status_code == 200, report
    assert report["decision"] != "pass"
    assert any("stopped reading at character" in note for note in report["notes"])
    short = api.post("/check", {"text": COMPLIANT, "account": "personal"}).json()
    assert short["notes"] == []


def test_editing_an_approved_post_through_the_api_sends_it_back(world: World) -> None:
    author = api_for(world, "author")
    post = author.post("/posts", {"text": COMPLIANT, "channel": world.channel.pk}).json()
    author.post(f"/posts/{post['id']}/submit")
    api_for(world, "reviewer").post(f"/posts/{post['id']}/reviews", {"decision": "approve"})
    edited = author.patch(f"/posts/{post['id']}", {"text": COMPLIANT + " All welcome."})
    assert edited.status_code == 200
    assert edited.json()["state"] == "submitted" and edited.json()["revision"] == 2


@pytest.mark.parametrize(
    ("path", "payload", "status", "words"),
    [
        ("/posts", {"channel": 1}, 422, "text"),
        ("/posts", {"text": "   ", "channel": "CHANNEL"}, 400, "empty"),
        ("/posts", {"text": "Hello", "channel": 999999}, 404, "No channel"),
        ("/posts", {"text": "Hello", "channel": "CHANNEL", "kind": "essay"}, 422, "kind"),
        (
            "/posts",
            {"text": "Hello", "channel": "CHANNEL", "scheduled_at": "2001-01-01T00:00:00Z"},
            400,
            "past",
        ),
        ("/posts/999999/submit", None, 404, "No post"),
        ("/check", {"text": ""}, 400, "empty"),
    ],
)
def test_errors_are_json_with_a_clear_message_and_the_right_status(
    world: World, path: str, payload: dict[str, Any] | None, status: int, words: str
) -> None:
    if payload and payload.get("channel") == "CHANNEL":
        payload = {**payload, "channel": world.channel.pk}
    response = api_for(world, "author").post(path, payload)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert words in response.json()["detail"]


def test_state_conflicts_are_409(world: World) -> None:
    post = world.submitted()
    response = api_for(world, "author").post(f"/posts/{post.pk}/submit")
    assert response.status_code == 409
    assert "submitted" in response.json()["detail"]


def test_a_bad_or_revoked_token_is_401(world: World) -> None:
    assert Api("pg_not-a-token").get("/me").status_code == 401
    token, record = orgs.create_token(world["author"])
    api = Api(token)
    assert api.get("/me").json()["username"] == "author"
    orgs.revoke_token(world["author"], record.pk)
    response = api.get("/me")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Bearer" in response.json()["detail"]


def test_only_a_hash_of_the_token_is_stored(world: World) -> None:
    token, record = orgs.create_token(world["author"])
    stored = ApiToken.objects.get(pk=record.pk)
    assert token not in (stored.digest, stored.prefix, stored.name)
    assert len(stored.digest) == 64


def test_token_create_command_prints_a_working_token(
    world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["token", "create", "author", "--name", "scheduler"])
    assert done.value.code in (0, None)
    token = capsys.readouterr().out.strip()
    assert Api(token).get("/me").json()["username"] == "author"
    with pytest.raises(SystemExit) as done:
        main(["token", "create", "nobody"])
    assert done.value.code == 2
    assert "no user" in capsys.readouterr().err


def test_session_requests_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["author"])
    response = client.post("/api/check", data={"text": "Hello"}, content_type="application/json")
    assert response.status_code == 403


def test_the_openapi_document_is_served(world: World) -> None:
    client = Client()
    schema = client.get("/api/openapi.json").json()
    assert {"/api/posts", "/api/posts/{post_id}", "/api/check", "/api/rules"} <= set(
        schema["paths"]
    )
    assert client.get("/api/docs").status_code == 200


def test_a_schedule_is_accepted_in_iso_format(world: World) -> None:
    when = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    response = api_for(world, "author").post(
        "/posts", {"text": COMPLIANT, "channel": world.channel.pk, "scheduled_at": when.isoformat()}
    )
    assert response.status_code == 201
    assert response.json()["scheduled_at"].startswith(when.strftime("%Y-%m-%dT%H:%M:%S"))


@pytest.mark.parametrize("path", ["/api/", "/api/nope", "/api/posts/1/nope", "/api/me/"])
def test_an_unknown_api_address_answers_json_not_html(world: World, path: str) -> None:
    response = api_for(world, "author").get(path.removeprefix("/api"))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "/api/docs" in response.json()["detail"]


def test_a_wrong_method_answers_json_with_the_allowed_methods(world: World) -> None:
    api = api_for(world, "author")
    response = api.client.delete("/api/rules", headers=api.headers)
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert "GET" in response["Allow"] and "GET" in response.json()["detail"]


def test_a_crash_in_the_api_answers_json_without_details(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from postguard.web.workflow import services as workflow

    def broken() -> list[dict[str, Any]]:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(workflow, "rules_catalogue", broken)
    token, _ = orgs.create_token(world["author"], "tests")
    client = Client(raise_request_exception=False)
    response = client.get("/api/rules", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error."}


def test_the_api_documentation_stays_a_page(world: World) -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
