"""How the Matrix connector classifies homeserver failures (respx; the behaviour on a real
homeserver is in test_matrix_synapse.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from postguard.communities.matrix import MatrixCommunity
from postguard.connectors.base import (
    AuthError,
    NotFound,
    PermanentError,
    RateLimited,
    TransientError,
)

HS = "https://matrix.example.org"
TOKEN = "syt_c2VjcmV0_not_a_real_token_0000"
ROOM = "!abcdef:example.org"


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=HS, assert_all_called=False) as router:
        yield router


@pytest.fixture
def matrix() -> Iterator[MatrixCommunity]:
    with MatrixCommunity(HS, TOKEN, ROOM) as connector:
        yield connector


REDACT = r"/_matrix/client/v3/rooms/.*/redact/.*"


@pytest.mark.parametrize(
    ("status", "body", "headers", "error", "retry"),
    [
        (
            429,
            {"errcode": "M_LIMIT_EXCEEDED", "error": "Too Many Requests", "retry_after_ms": 2500},
            {},
            RateLimited,
            2.5,
        ),
        (
            429,
            {"errcode": "M_LIMIT_EXCEEDED", "error": "Too Many Requests"},
            {"Retry-After": "7"},
            RateLimited,
            7.0,
        ),
        (
            401,
            {
                "errcode": "M_UNKNOWN_TOKEN",
                "error": "Invalid access token passed.",
                "soft_logout": False,
            },
            {},
            AuthError,
            None,
        ),
        (
            403,
            {"errcode": "M_FORBIDDEN", "error": "You don't have permission to redact events"},
            {},
            PermanentError,
            None,
        ),
        (404, {"errcode": "M_NOT_FOUND", "error": "Unknown room"}, {}, NotFound, None),
        (502, {}, {}, TransientError, None),
    ],
)
def test_it_classifies_matrix_errors(
    api: respx.MockRouter,
    matrix: MatrixCommunity,
    status: int,
    body: dict[str, Any],
    headers: dict[str, str],
    error: type[Exception],
    retry: float | None,
) -> None:
    api.put(url__regex=REDACT).respond(status, json=body, headers=headers)
    with pytest.raises(error) as caught:
        matrix.remove("$event", "3.1")
    assert type(caught.value) is error
    if retry is not None:
        assert caught.value.retry_after == retry  # type: ignore[attr-defined]
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(matrix)


def test_a_retried_redaction_reuses_its_transaction_id(
    api: respx.MockRouter, matrix: MatrixCommunity
) -> None:
    route = api.put(url__regex=REDACT).respond(json={"event_id": "$r"})
    matrix.remove("$event", "3.1")
    matrix.remove("$event", "3.1")
    first, second = (str(c.request.url) for c in route.calls)
    assert first == second
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_a_timeout_is_transient(api: respx.MockRouter, matrix: MatrixCommunity) -> None:
    api.put(url__regex=REDACT).mock(side_effect=httpx.ConnectTimeout("no route"))
    with pytest.raises(TransientError, match="did not answer in time"):
        matrix.remove("$event", "3.1")


def test_an_oversized_response_is_refused(api: respx.MockRouter, matrix: MatrixCommunity) -> None:
    api.get("/_matrix/client/v3/account/whoami").respond(json={"user_id": "@bot:example.org"})
    api.get(url__regex=r".*/messages.*").respond(content=b"{" + b" " * 5_000_000 + b"}")
    with pytest.raises(PermanentError, match="more than"):
        matrix.read()


def test_a_room_alias_is_refused_with_what_to_use_instead() -> None:
    with pytest.raises(PermanentError, match="internal id"):
        MatrixCommunity(HS, TOKEN, "#support:example.org")
