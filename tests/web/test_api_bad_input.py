"""Bad input for the API, one row per kind: each is a clear 4xx JSON ``{"detail": ...}``
and nothing is stored (issue 10, findings 6 and 8)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from postguard.web.audit.models import AuditEntry
from postguard.web.orgs import services as orgs
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import Comment, Post, Review

from .conftest import COMPLIANT, World

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Bad:
    kind: str
    method: str
    path: str
    #: A str is sent as it is (not valid JSON, say); anything else is encoded as JSON.
    body: Any
    status: int
    words: str


def nested(depth: int) -> str:
    return '{"text": ' + "[" * depth + "]" * depth + ', "channel": 1}'


POST = {"text": COMPLIANT, "channel": "CHANNEL"}
REVIEW = {"decision": "approve", "revision": "REVISION", "content_hash": "HASH"}
NOT_JSON = "not valid JSON"
NOT_OBJECT = "must be a JSON object"

TABLE = [
    Bad("not JSON", "post", "/posts", "{text: hello", 400, NOT_JSON),
    Bad("not UTF-8", "post", "/posts", b'{"text": "\xff\xfe"}', 400, NOT_JSON),
    Bad("nested 100,000 deep", "post", "/posts", "[" * 100_000 + "]" * 100_000, 400, NOT_JSON),
    Bad("a 5,000-digit number", "post", "/posts", '{"channel": ' + "9" * 5000 + "}", 400, NOT_JSON),
    Bad("no body", "post", "/posts", "", 422, "needs a JSON object body"),
    Bad("an array body", "post", "/posts", [POST], 422, NOT_OBJECT),
    Bad("an array body on PATCH", "patch", "/posts/DRAFT", [{"text": "x"}], 422, NOT_OBJECT),
    Bad("a string body on PATCH", "patch", "/posts/DRAFT", '"text"', 422, NOT_OBJECT),
    Bad("a number body", "post", "/check", "42", 422, NOT_OBJECT),
    Bad("a null body", "post", "/posts/SUBMITTED/reviews", "null", 422, NOT_OBJECT),
    Bad("text of the wrong type", "post", "/posts", {**POST, "text": 42}, 422, "text:"),
    Bad("a list where text goes", "post", "/posts", nested(500), 422, "text:"),
    Bad("channel not a number", "post", "/posts", {**POST, "channel": "one"}, 422, "channel:"),
    Bad("channel a fraction", "post", "/posts", {**POST, "channel": 1.5}, 422, "channel:"),
    Bad("channel NaN", "post", "/posts", '{"text": "x", "channel": NaN}', 422, "channel:"),
    Bad("channel Infinity", "post", "/posts", '{"text": "x", "channel": Infinity}', 422, "channel"),
    Bad("a huge channel id", "post", "/posts", {**POST, "channel": 10**30}, 422, "less than"),
    Bad("a negative channel id", "post", "/posts", {**POST, "channel": -1}, 422, "greater than"),
    Bad("a negative post id", "get", "/posts/-1", None, 422, "post_id"),
    Bad("a huge post id", "post", "/posts/" + "9" * 30 + "/submit", None, 422, "post_id"),
    Bad("a post id that is not a number", "get", "/posts/abc", None, 422, "post_id"),
    Bad("an unknown field", "post", "/posts", {**POST, "state": "ready"}, 422, "state: Extra"),
    Bad("an unknown kind", "post", "/posts", {**POST, "kind": "essay"}, 422, "kind:"),
    Bad("a huge text", "post", "/posts", {**POST, "text": "a" * 20_001}, 422, "at most 20000"),
    Bad("a huge parent", "post", "/posts", {**POST, "in_reply_to": "x" * 501}, 422, "at most 500"),
    Bad("an empty text", "post", "/posts", {**POST, "text": " \n\t"}, 422, "empty"),
    Bad("only NUL characters", "post", "/posts", {**POST, "text": "\x00\x00"}, 422, "empty"),
    Bad("a lone surrogate", "post", "/posts", {**POST, "text": "Hi \ud800"}, 422, "surrogate"),
    Bad(
        "a lone surrogate parent", "post", "/posts", {**POST, "in_reply_to": "\udfff"}, 422, "surr"
    ),
    Bad("a lone surrogate key", "post", "/posts", {**POST, "\ud800": 1}, 422, "surrogate"),
    Bad(
        "a lone surrogate comment",
        "post",
        "/posts/SUBMITTED/comments",
        {"text": "\ud83d"},
        422,
        "surrogate",
    ),
    Bad("a lone surrogate on PATCH", "patch", "/posts/DRAFT", {"text": "\ud800"}, 422, "surrogate"),
    Bad(
        "a reply with no parent", "post", "/posts", {**POST, "kind": "reply"}, 422, "A reply needs"
    ),
    Bad(
        "a reply to nothing known",
        "post",
        "/posts",
        {**POST, "kind": "reply", "in_reply_to": "x"},
        422,
        "Nothing on",
    ),
    Bad(
        "a post with a parent", "post", "/posts", {**POST, "in_reply_to": "x"}, 422, "Only a reply"
    ),
    Bad(
        "a time past year 9999 in UTC",
        "post",
        "/posts",
        {**POST, "scheduled_at": "9999-12-31T23:59:59-14:00"},
        422,
        "out of range",
    ),
    Bad(
        "a time before year 1 in UTC",
        "post",
        "/posts",
        {**POST, "scheduled_at": "0001-01-01T00:00:00+01:00"},
        422,
        "out of range",
    ),
    Bad(
        "a time years ahead",
        "patch",
        "/posts/DRAFT",
        {"scheduled_at": "2999-01-01T00:00:00Z"},
        422,
        "2 years ahead",
    ),
    Bad(
        "a time in the past",
        "post",
        "/posts",
        {**POST, "scheduled_at": "2001-01-01T00:00:00Z"},
        422,
        "past",
    ),
    Bad(
        "a time without a zone",
        "post",
        "/posts",
        {**POST, "scheduled_at": "2030-01-01T09:00:00"},
        422,
        "time zone",
    ),
    Bad(
        "a time that is not a time",
        "post",
        "/posts",
        {**POST, "scheduled_at": "tomorrow"},
        422,
        "scheduled_at:",
    ),
    Bad(
        "a timestamp past 9999",
        "post",
        "/posts",
        {**POST, "scheduled_at": 1e20},
        422,
        "scheduled_at:",
    ),
    Bad(
        "a review without a revision",
        "post",
        "/posts/SUBMITTED/reviews",
        {"decision": "approve"},
        422,
        "revision: Field required",
    ),
    Bad(
        "a review with a malformed hash",
        "post",
        "/posts/SUBMITTED/reviews",
        {**REVIEW, "content_hash": "abc"},
        422,
        "content_hash:",
    ),
    Bad(
        "a review of revision 0",
        "post",
        "/posts/SUBMITTED/reviews",
        {**REVIEW, "revision": 0},
        422,
        "revision:",
    ),
    Bad(
        "a review of a huge revision",
        "post",
        "/posts/SUBMITTED/reviews",
        {**REVIEW, "revision": 2**40},
        422,
        "revision:",
    ),
    Bad(
        "a review of another revision",
        "post",
        "/posts/SUBMITTED/reviews",
        {**REVIEW, "revision": 7},
        409,
        "revision 7 → 1",
    ),
    Bad(
        "an unknown decision",
        "post",
        "/posts/SUBMITTED/reviews",
        {**REVIEW, "decision": "maybe"},
        422,
        "decision:",
    ),
    Bad(
        "a huge review comment",
        "post",
        "/posts/SUBMITTED/reviews",
        {**REVIEW, "comment": "c" * 5001},
        422,
        "at most 5000",
    ),
    Bad(
        "a huge comment",
        "post",
        "/posts/SUBMITTED/comments",
        {"text": "c" * 5001},
        422,
        "at most 5000",
    ),
    Bad("a huge check", "post", "/check", {"text": "t" * 20_001}, 422, "at most 20000"),
    Bad("a limit of 0", "get", "/posts?limit=0", None, 422, "limit:"),
    Bad("a huge limit", "get", "/posts?limit=" + "9" * 40, None, 422, "limit:"),
    Bad("a limit that is not a number", "get", "/posts?limit=many", None, 422, "limit:"),
    Bad("a huge state filter", "get", "/posts?state=" + "s" * 100, None, 422, "state:"),
]


def _stored() -> tuple[int, ...]:
    return (
        Post.objects.count(),
        Review.objects.count(),
        Comment.objects.count(),
        AuditEntry.objects.count(),
        Post.objects.filter(revision__gt=1).count(),
    )


def _fill(value: Any, names: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        return {k: names.get(v, v) if isinstance(v, str) else v for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


def test_the_table_has_at_least_twenty_kinds() -> None:
    assert len({bad.kind for bad in TABLE}) == len(TABLE) >= 20


@pytest.mark.parametrize("bad", TABLE, ids=lambda b: b.kind)
def test_bad_input_gets_a_clear_4xx_and_stores_nothing(world: World, bad: Bad) -> None:
    draft = world.draft()
    submitted = world.submitted()
    names = {
        "CHANNEL": world.channel.pk,
        "REVISION": submitted.revision,
        "HASH": workflow.content_hash_of(submitted),
    }
    token, _ = orgs.create_token(world["chair"], "tests")
    path = "/api" + bad.path.replace("DRAFT", str(draft.pk)).replace("SUBMITTED", str(submitted.pk))
    # The chair may draft on the channel and review the author's post.
    if bad.method == "patch":
        token, _ = orgs.create_token(world["author"], "tests")
    before = _stored()
    body = bad.body
    if body is not None and not isinstance(body, str | bytes):
        body = json.dumps(_fill(body, names))
    client = Client(raise_request_exception=False)
    call = getattr(client, bad.method)
    headers = {"Authorization": f"Bearer {token}"}
    if body is None:
        response = call(path, headers=headers)
    else:
        response = call(path, data=body, content_type="application/json", headers=headers)
    assert response.status_code == bad.status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert isinstance(detail, str) and bad.words in detail, detail
    assert "Traceback" not in detail and "\n" not in detail
    assert _stored() == before
