"""Connecting channels with OAuth 2.0: authorization URLs and code exchange (respx)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx

from postguard.connectors.base import AuthError, TransientError
from postguard.connectors.oauth import (
    PROVIDERS,
    authorization_url,
    exchange_code,
    facebook_long_lived_token,
    mastodon_provider,
    new_state,
    pkce_pair,
)


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


def test_x_authorization_uses_pkce() -> None:
    verifier, challenge = pkce_pair()
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    assert challenge == expected.decode()
    state = new_state()
    url = authorization_url(PROVIDERS["x"], "cid", "https://pg.example/cb", state, challenge)
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://x.com/i/oauth2/authorize"
    assert query["code_challenge_method"] == "S256"
    assert query["state"] == state
    assert "offline.access" in query["scope"].split(" ")
    with pytest.raises(ValueError, match="PKCE"):
        authorization_url(PROVIDERS["x"], "cid", "https://pg.example/cb", state)


def test_facebook_scopes_are_comma_separated() -> None:
    url = authorization_url(PROVIDERS["facebook"], "app", "https://pg.example/cb", "s")
    scope = parse_qs(urlsplit(url).query)["scope"][0]
    assert "pages_manage_posts" in scope.split(",")


def test_linkedin_code_exchange_records_expiry_and_refresh(api: respx.MockRouter) -> None:
    token = api.post("https://www.linkedin.com/oauth/v2/accessToken").mock(
        return_value=httpx.Response(
            200,
            json={"access_token": "AQX", "expires_in": 5184000, "refresh_token": "AQR",
                  "refresh_token_expires_in": 31536000, "scope": "w_organization_social"},
        )
    )  # fmt: skip
    now = datetime(2026, 11, 21, tzinfo=UTC)
    creds = exchange_code(
        PROVIDERS["linkedin"], "code-1", client_id="cid", client_secret="csecret",
        redirect_uri="https://pg.example/cb", now=now,
    )  # fmt: skip
    assert creds.secrets == {
        "access_token": "AQX",
        "refresh_token": "AQR",
        "client_id": "cid",
        "client_secret": "csecret",
    }
    assert creds.expires_at == now + timedelta(days=60)
    form = dict(httpx.QueryParams(token.calls.last.request.content.decode()))
    assert form["grant_type"] == "authorization_code" and form["code"] == "code-1"


def test_x_confidential_client_authenticates_with_basic(api: respx.MockRouter) -> None:
    token = api.post("https://api.x.com/2/oauth2/token").mock(
        return_value=httpx.Response(
            200, json={"token_type": "bearer", "expires_in": 7200, "access_token": "a",
                       "refresh_token": "r", "scope": "tweet.read"}
        )
    )  # fmt: skip
    exchange_code(
        PROVIDERS["x"], "c", client_id="cid", client_secret="sec",
        redirect_uri="https://pg.example/cb", code_verifier="v" * 50,
    )  # fmt: skip
    request = token.calls.last.request
    assert request.headers["authorization"].startswith("Basic ")
    form = dict(httpx.QueryParams(request.content.decode()))
    assert form["code_verifier"] == "v" * 50
    assert "client_secret" not in form


def test_a_refused_or_failed_exchange_is_explained(api: respx.MockRouter) -> None:
    provider = mastodon_provider("https://social.example/")
    route = api.post("https://social.example/oauth/token")
    route.mock(
        return_value=httpx.Response(
            400, json={"error": "invalid_grant", "error_description": "The provided "
                       "authorization grant is invalid, expired, revoked"}
        )
    )  # fmt: skip
    with pytest.raises(AuthError, match="authorization grant is invalid"):
        exchange_code(provider, "c", client_id="a", redirect_uri="urn:ietf:wg:oauth:2.0:oob")
    route.mock(return_value=httpx.Response(503))
    with pytest.raises(TransientError):
        exchange_code(provider, "c", client_id="a", redirect_uri="urn:ietf:wg:oauth:2.0:oob")


def test_facebook_short_lived_token_is_extended(api: respx.MockRouter) -> None:
    route = api.get("https://graph.facebook.com/v24.0/oauth/access_token").mock(
        return_value=httpx.Response(
            200, json={"access_token": "long", "token_type": "bearer", "expires_in": 5183944}
        )
    )
    assert facebook_long_lived_token("short", client_id="app", client_secret="s") == "long"
    assert route.calls.last.request.url.params["grant_type"] == "fb_exchange_token"
