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


def seen(api: Api, post_id: int) -> dict[str, Any]:
    """What a reviewer read: the revision and content hash the API shows them."""
    body = api.get(f"/posts/{post_id}").json()
    return {"revision": body["revision"], "content_hash": body["content_hash"]}


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
        f"/posts/{post['id']}/reviews",
        {"decision": "approve", "comment": "Fine", **seen(reviewer, post["id"])},
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
    refused = chair.post(
        f"/posts/{post['id']}/reviews", {"decision": "approve", **seen(chair, post["id"])}
    )
    assert refused.status_code == 422
    assert "justification" in refused.json()["detail"]
    done = chair.post(
        f"/posts/{post['id']}/reviews",
        {
            "decision": "approve",
            "justifications": {
                f["rule_id"]: "Written consent on file, form 2024-113."
                for f in post["findings"]
                if f["severity"] == "block"
            },
            **seen(chair, post["id"]),
        },
    )
    assert done.status_code == 201 and done.json()["state"] == "ready"
    review = done.json()["reviews"][-1]
    assert set(review["override_justifications"]) == {
        f["rule_id"] for f in post["findings"] if f["severity"] == "block"
    }


def test_check_stores_nothing_and_rules_lists_clauses(world: World) -> None:
    api = api_for(world, "member")
    response = api.post("/check", {"text": PRIVACY, "account": "personal"})
    assert response.status_code == 200
    assert response.json()["decision"] == "block"
    assert api.get("/posts").json() == {"items": [], "next_cursor": None}
    rules = api.get("/rules").json()
    assert any(r["id"] == "IPALA-2a-phone" and r["clause"].startswith("2(a)") for r in rules)


def test_check_suggests_a_rewrite_without_the_personal_data(world: World) -> None:
    api = api_for(world, "member")
    report = api.post("/check", {"text": PRIVACY, "account": "personal"}).json()
    assert report["suggested_rewrite"] == (
        "So proud of our client [name], who finally got her baby latching! "
        "Call her on [phone] to hear her story."
    )
    assert api.post("/check", {"text": COMPLIANT}).json()["suggested_rewrite"] is None


def test_redact_returns_the_text_with_placeholders_and_the_entities(world: World) -> None:
    api = api_for(world, "member")
    text = "Call h\u200fis mum Amara Nwosu on 077\u200f00 900\u200f123 tonight"
    response = api.post("/redact", {"text": text})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["text"] == "Call h\u200fis mum [name] on [phone] tonight"
    assert [(e["type"], text[e["start"] : e["end"]]) for e in body["entities"]] == [
        ("person", "Amara Nwosu"),
        ("phone", "077\u200f00 900\u200f123"),
    ]
    assert api.get("/posts").json() == {"items": [], "next_cursor": None}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"text": ""}, 422),
        ({"text": "   "}, 422),
        ({"text": "x" * 20_001}, 422),
        ({"text": 12}, 422),
        ({"text": "Hi", "account": "personal"}, 422),
        ({}, 422),
    ],
)
def test_redact_refuses_what_check_refuses(world: World, body: Any, status: int) -> None:
    response = api_for(world, "member").post("/redact", body)
    assert response.status_code == status, response.json()
    assert response.json()["detail"]


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
    reviewer = api_for(world, "reviewer")
    reviewer.post(
        f"/posts/{post['id']}/reviews", {"decision": "approve", **seen(reviewer, post["id"])}
    )
    edited = author.patch(f"/posts/{post['id']}", {"text": COMPLIANT + " All welcome."})
    assert edited.status_code == 200
    assert edited.json()["state"] == "submitted" and edited.json()["revision"] == 2


@pytest.mark.parametrize(
    ("path", "payload", "status", "words"),
    [
        ("/posts", {"channel": 1}, 422, "text"),
        ("/posts", {"text": "   ", "channel": "CHANNEL"}, 422, "empty"),
        ("/posts", {"text": "Hello", "channel": 999999}, 404, "No channel"),
        ("/posts", {"text": "Hello", "channel": "CHANNEL", "kind": "essay"}, 422, "kind"),
        (
            "/posts",
            {"text": "Hello", "channel": "CHANNEL", "scheduled_at": "2001-01-01T00:00:00Z"},
            422,
            "past",
        ),
        ("/posts/999999/submit", None, 404, "No post"),
        ("/check", {"text": " "}, 422, "empty"),
        ("/check", {"text": ""}, 422, "at least 1 character"),
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


# --- issue 10: reviews bound to what was read, the reply lane, API polish ----------------


def _submitted(world: World) -> int:
    author = api_for(world, "author")
    post = author.post("/posts", {"text": COMPLIANT, "channel": world.channel.pk}).json()
    assert author.post(f"/posts/{post['id']}/submit").status_code == 200
    return int(post["id"])


def test_a_post_shows_the_revision_and_content_hash_a_review_must_name(world: World) -> None:
    post_id = _submitted(world)
    body = api_for(world, "reviewer").get(f"/posts/{post_id}").json()
    assert body["revision"] == 1 and len(body["content_hash"]) == 64
    listed = api_for(world, "reviewer").get("/posts").json()["items"]
    assert listed[0]["content_hash"] == body["content_hash"]


def test_approvals_loaded_before_the_author_changed_the_text_are_refused(world: World) -> None:
    orgs.update_approval_policy(world["admin"], world.org, required_approvals=2)
    author = api_for(world, "author")
    post_id = _submitted(world)
    reviewers = [api_for(world, "reviewer"), api_for(world, "reviewer2")]
    loaded = [seen(r, post_id) for r in reviewers]
    changed = author.patch(
        f"/posts/{post_id}",
        {"text": "Our AGM is cancelled. We no longer support the Code; buy any formula."},
    )
    assert changed.status_code == 200 and changed.json()["revision"] == 2
    for reviewer, form in zip(reviewers, loaded, strict=True):
        response = reviewer.post(f"/posts/{post_id}/reviews", {"decision": "approve", **form})
        assert response.status_code == 409, response.content
        assert response.json()["detail"] == (
            "The post changed since you opened it (revision 1 → 2); reload it and review again."
        )
    detail = author.get(f"/posts/{post_id}").json()
    assert detail["state"] == "submitted" and detail["reviews"] == []


@pytest.mark.parametrize("missing", ["revision", "content_hash"])
def test_a_review_must_name_what_was_read(world: World, missing: str) -> None:
    post_id = _submitted(world)
    reviewer = api_for(world, "reviewer")
    body = {"decision": "approve", **seen(reviewer, post_id)}
    del body[missing]
    response = reviewer.post(f"/posts/{post_id}/reviews", body)
    assert response.status_code == 422
    assert missing in response.json()["detail"]


def test_approving_twice_is_recorded_once(world: World) -> None:
    post_id = _submitted(world)
    reviewer = api_for(world, "reviewer")
    body = {"decision": "approve", "comment": "Fine", **seen(reviewer, post_id)}
    first = reviewer.post(f"/posts/{post_id}/reviews", body)
    again = reviewer.post(f"/posts/{post_id}/reviews", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert len(again.json()["reviews"]) == 1
    actions = [h["action"] for h in again.json()["history"]]
    assert actions.count("post.review.approve") == 1


def test_the_author_reviewing_their_own_post_is_told_why(world: World) -> None:
    post_id = _submitted(world)
    author = api_for(world, "author")
    response = author.post(
        f"/posts/{post_id}/reviews", {"decision": "approve", **seen(author, post_id)}
    )
    assert response.status_code == 403
    assert response.json()["detail"].startswith("You wrote this post; someone else")


def test_a_reply_with_nothing_to_answer_is_refused(world: World) -> None:
    author = api_for(world, "author")
    before = author.get("/posts").json()
    response = author.post(
        "/posts",
        {"text": COMPLIANT, "channel": world.channel.pk, "kind": "reply", "in_reply_to": ""},
    )
    assert response.status_code == 422
    assert "A reply needs what it answers" in response.json()["detail"]
    assert author.get("/posts").json() == before


def test_a_missing_or_revoked_token_on_a_change_is_401_not_a_csrf_refusal(world: World) -> None:
    token, record = orgs.create_token(world["author"])
    orgs.revoke_token(world["author"], record.pk)
    client = Client(enforce_csrf_checks=True)
    for headers in ({}, {"Authorization": f"Bearer {token}"}, {"Authorization": "Bearer x"}):
        response = client.post(
            "/api/check", data={"text": "Hi"}, content_type="application/json", headers=headers
        )
        assert response.status_code == 401, (headers, response.content)
        assert response["WWW-Authenticate"] == "Bearer"


def test_a_session_request_with_its_csrf_token_is_accepted(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["author"])
    client.get("/")  # the page sets the CSRF cookie
    response = client.post(
        "/api/check",
        data={"text": "Hello"},
        content_type="application/json",
        headers={"X-CSRFToken": client.cookies["csrftoken"].value},
    )
    assert response.status_code == 200, response.content
    refused = client.post("/api/check", data={"text": "Hello"}, content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]


def test_the_openapi_document_lists_only_responses_that_happen(world: World) -> None:
    schema = Client().get("/api/openapi.json").json()
    possible = {"200", "201", "400", "401", "403", "404", "409", "422"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert codes <= possible, (method, path, codes - possible)
            assert "401" in codes, (method, path)
    reviews = schema["paths"]["/api/posts/{post_id}/reviews"]["post"]["responses"]
    assert set(reviews) == {"200", "201", "400", "401", "403", "404", "409", "422"}


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "3", "null", "true"])
def test_a_patch_whose_body_is_not_an_object_is_422_and_changes_nothing(
    world: World, body: str
) -> None:
    author = api_for(world, "author")
    post = author.post("/posts", {"text": COMPLIANT, "channel": world.channel.pk}).json()
    response = author.client.patch(
        f"/api/posts/{post['id']}",
        data=body,
        content_type="application/json",
        headers=author.headers,
    )
    assert response.status_code == 422, response.content
    assert "must be a JSON object" in response.json()["detail"]
    assert author.get(f"/posts/{post['id']}").json()["updated_at"] == post["updated_at"]
