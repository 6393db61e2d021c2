"""Presence monitoring's pages and endpoints, called as every role and anonymously (the
authorization matrix of tests/web/test_authorization.py, for this app's routes; that
file's route-coverage test lists them). Rows that change something check the database
too, so a redirect cannot hide a refusal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from postguard.web.presence import services as presence
from postguard.web.presence.models import WatchSource, WatchTerm

from .conftest import ROLES, World

pytestmark = pytest.mark.django_db


def E(*statuses: int) -> dict[str, int]:  # admin, chair, reviewer, author, member, outsider, anon
    return dict(zip(ROLES, statuses, strict=True))


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    path: str
    expect: dict[str, int]
    data: dict[str, Any] | None = None
    api: bool = False
    took_effect: Callable[[World, dict[str, int]], bool] | None = None
    #: Roles whose success changes their own organization, not the world's.
    elsewhere: frozenset[str] = frozenset()


OUTSIDER = frozenset({"outsider"})


def _term(ids: dict[str, int], key: str) -> WatchTerm | None:
    return WatchTerm.objects.filter(pk=ids[key]).first()


def _source(ids: dict[str, int]) -> WatchSource | None:
    return WatchSource.objects.filter(pk=ids["source"]).first()


ROWS = [
    # --- pages -----------------------------------------------------------------------------
    Row("watch page", "get", "/presence/", E(200, 200, 200, 403, 403, 200, 302)),
    Row(
        "add an association term",
        "post",
        "/presence/",
        E(302, 302, 302, 403, 403, 302, 302),
        data={"text": "Matrix Term", "kind": "name"},
        took_effect=lambda w, ids: WatchTerm.objects.filter(org=w.org, text="Matrix Term").exists(),
        elsewhere=OUTSIDER,
    ),
    Row(
        "add a source",
        "post",
        "/presence/",
        E(302, 302, 403, 403, 403, 302, 302),
        data={
            "form": "source",
            "name": "Matrix feed",
            "kind": "feed",
            "url": "https://news.example/feed.rss",
            "every_minutes": "5",
        },
        took_effect=lambda w, ids: WatchSource.objects.filter(
            org=w.org, name="Matrix feed"
        ).exists(),
        elsewhere=OUTSIDER,
    ),
    Row(
        "pause an association term",
        "post",
        "/presence/terms/{org_term}/",
        E(302, 302, 302, 403, 403, 404, 302),
        data={"action": "pause"},
        took_effect=lambda w, ids: not _term(ids, "org_term").active,  # type: ignore[union-attr]
    ),
    Row(
        "remove a member's own term",
        "post",
        "/presence/terms/{own_term}/",
        E(404, 404, 404, 404, 302, 404, 302),
        data={"action": "remove"},
        took_effect=lambda w, ids: _term(ids, "own_term") is None,
    ),
    Row(
        "change a source",
        "post",
        "/presence/sources/{source}/",
        E(302, 302, 403, 403, 403, 404, 302),
        data={"action": "change", "every_minutes": "10", "active": "on"},
        took_effect=lambda w, ids: _source(ids).every_minutes == 10,  # type: ignore[union-attr]
    ),
    Row(
        "check a source now",
        "post",
        "/presence/sources/{source}/",
        E(302, 302, 403, 403, 403, 404, 302),
        data={"action": "check"},
        took_effect=lambda w, ids: _source(ids).last_checked_at is not None,  # type: ignore[union-attr]
    ),
    Row(
        "remove a source",
        "post",
        "/presence/sources/{source}/",
        E(302, 302, 403, 403, 403, 404, 302),
        data={"action": "remove"},
        took_effect=lambda w, ids: _source(ids) is None,
    ),
    Row("mentions page", "get", "/presence/mentions/", E(200, 200, 200, 403, 403, 200, 302)),
    Row("my presence page", "get", "/presence/mine/", E(200, 200, 200, 200, 200, 200, 302)),
    Row(
        "add my own term",
        "post",
        "/presence/mine/",
        E(302, 302, 302, 302, 302, 302, 302),
        data={"text": "My Matrix Name"},
        took_effect=lambda w, ids: WatchTerm.objects.filter(
            org=w.org, text="My Matrix Name"
        ).exists(),
        elsewhere=OUTSIDER,
    ),
    # --- API -------------------------------------------------------------------------------
    Row("api terms", "get", "/api/presence/terms", E(200, 200, 200, 200, 200, 200, 401), api=True),
    Row(
        "api add an association term",
        "post",
        "/api/presence/terms",
        E(201, 201, 201, 403, 403, 404, 401),
        data={"org": "{org}", "text": "Api Term", "kind": "name"},
        api=True,
        took_effect=lambda w, ids: WatchTerm.objects.filter(text="Api Term").exists(),
    ),
    Row(
        "api add my own term",
        "post",
        "/api/presence/terms",
        E(201, 201, 201, 201, 201, 404, 401),
        data={"org": "{org}", "text": "Api Own", "kind": "personal"},
        api=True,
        took_effect=lambda w, ids: WatchTerm.objects.filter(text="Api Own").exists(),
    ),
    Row(
        "api pause an association term",
        "patch",
        "/api/presence/terms/{org_term}",
        E(200, 200, 200, 403, 403, 404, 401),
        data={"active": False},
        api=True,
        took_effect=lambda w, ids: not _term(ids, "org_term").active,  # type: ignore[union-attr]
    ),
    Row(
        "api pause a member's own term",
        "patch",
        "/api/presence/terms/{own_term}",
        E(404, 404, 404, 404, 200, 404, 401),
        data={"active": False},
        api=True,
        took_effect=lambda w, ids: not _term(ids, "own_term").active,  # type: ignore[union-attr]
    ),
    Row(
        "api remove an association term",
        "delete",
        "/api/presence/terms/{org_term}",
        E(200, 200, 200, 403, 403, 404, 401),
        api=True,
        took_effect=lambda w, ids: _term(ids, "org_term") is None,
    ),
    Row(
        "api sources",
        "get",
        "/api/presence/sources",
        E(200, 200, 200, 200, 200, 200, 401),
        api=True,
    ),
    Row(
        "api add a source",
        "post",
        "/api/presence/sources",
        E(201, 201, 403, 403, 403, 404, 401),
        data={
            "org": "{org}",
            "name": "Api feed",
            "kind": "feed",
            "url": "https://news.example/api.rss",
        },
        api=True,
        took_effect=lambda w, ids: WatchSource.objects.filter(name="Api feed").exists(),
    ),
    Row(
        "api change a source",
        "patch",
        "/api/presence/sources/{source}",
        E(200, 200, 403, 403, 403, 404, 401),
        data={"every_minutes": 30},
        api=True,
        took_effect=lambda w, ids: _source(ids).every_minutes == 30,  # type: ignore[union-attr]
    ),
    Row(
        "api remove a source",
        "delete",
        "/api/presence/sources/{source}",
        E(200, 200, 403, 403, 403, 404, 401),
        api=True,
        took_effect=lambda w, ids: _source(ids) is None,
    ),
    Row(
        "api the association's mentions",
        "get",
        "/api/presence/mentions",
        E(200, 200, 200, 403, 403, 200, 401),
        api=True,
    ),
    Row(
        "api my mentions",
        "get",
        "/api/presence/mentions?mine=true",
        E(200, 200, 200, 200, 200, 200, 401),
        api=True,
    ),
]
SUCCESS = {200, 201, 302}


def _ids(world: World) -> dict[str, int]:
    org_term = presence.add_term(world["chair"], world.org, text="IPALA test", kind="name")
    own = presence.add_term(world["member"], world.org, text="Member Own", kind="personal")
    # Added directly: a loopback address, refused when read (production settings), so
    # "check now" records an error without any network.
    source = WatchSource.objects.create(
        org=world.org, name="Local", kind="feed", url="http://127.0.0.1:9/feed.rss"
    )
    return {"org_term": org_term.pk, "own_term": own.pk, "source": source.pk, "org": world.org.pk}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.name)
def test_presence_authorization_matrix(world: World, row: Row, role: str) -> None:
    ids = _ids(world)
    client = world.client(role)
    path = row.path.format(**ids)
    data = {k: (ids["org"] if v == "{org}" else v) for k, v in (row.data or {}).items()}
    call = getattr(client, row.method)
    if row.api:
        response = (
            call(path, data=data, content_type="application/json")
            if row.method in ("post", "patch")
            else call(path)
        )
    else:
        response = call(path, data=data) if row.method == "post" else call(path)
    assert response.status_code == row.expect[role], (
        f"{row.name} as {role}: {response.status_code} {_message(response)}"
    )
    if row.api and response.status_code >= 400:
        assert "detail" in response.json()
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith("/login/")
    if row.took_effect is not None:
        succeeded = (
            response.status_code in SUCCESS
            and not (role == "anonymous" and response.status_code == 302)
            and role not in row.elsewhere
        )
        assert row.took_effect(world, ids) == succeeded, f"{row.name} as {role}: effect mismatch"


def _message(response: Any) -> str:
    text = response.content.decode(errors="replace")
    start = text.find('role="alert"')
    return text[start : start + 300] if start >= 0 else text[:300]
