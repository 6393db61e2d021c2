"""The OpenAPI document, fuzzed: schemathesis generates requests for every operation
from the schema (valid and invalid ones) and sends them through Django's WSGI
handler with a token; no answer may be a 5xx, and each must be one the document
lists, with the documented content type and shape. Bounded so it runs in well
under a minute (a few examples per operation, no deadline per example)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from postguard.web.api import api
from postguard.web.orgs import services as orgs

from .conftest import World

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
app = WSGIHandler()


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Any:
    """The WSGI handler closes "old" connections around each request, and a
    connection inside the test's transaction looks old to it: on PostgreSQL that
    would close the test's own connection. Django's test client disconnects the
    same handlers; a bare WSGI handler must be told."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_fails_and_keeps_to_its_schema(case: Any, world: World) -> None:
    token, _ = orgs.create_token(world["chair"], "fuzz")
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
