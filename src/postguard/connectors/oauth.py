"""Connecting a channel with OAuth 2.0: the authorization URL a person is sent to,
and the exchange of the code they come back with for credentials.

The web workspace owns the redirect view and the ``state`` check (it stores
``state`` and the PKCE verifier in the session); this module only builds URLs
and speaks to the networks' token endpoints. Bluesky needs none of this: it
connects with an app password.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx

from postguard.connectors.base import AuthError, Credentials, TransientError
from postguard.connectors.facebook import GRAPH_VERSION


@dataclass(frozen=True, slots=True)
class Provider:
    network: str
    authorize_url: str
    token_url: str
    scopes: tuple[str, ...]
    pkce: bool = False
    scope_separator: str = " "


PROVIDERS: dict[str, Provider] = {
    "x": Provider(
        "x",
        "https://x.com/i/oauth2/authorize",
        "https://api.x.com/2/oauth2/token",
        ("tweet.read", "tweet.write", "users.read", "media.write", "offline.access"),
        pkce=True,
    ),
    "linkedin": Provider(
        "linkedin",
        "https://www.linkedin.com/oauth/v2/authorization",
        "https://www.linkedin.com/oauth/v2/accessToken",
        ("w_organization_social", "r_organization_social", "rw_organization_admin"),
    ),
    "facebook": Provider(
        "facebook",
        f"https://www.facebook.com/{GRAPH_VERSION}/dialog/oauth",
        f"https://graph.facebook.com/{GRAPH_VERSION}/oauth/access_token",
        (
            "pages_show_list",
            "pages_manage_posts",
            "pages_read_engagement",
            "pages_read_user_content",
            "read_insights",
        ),
        scope_separator=",",
    ),
    "instagram": Provider(
        "instagram",
        f"https://www.facebook.com/{GRAPH_VERSION}/dialog/oauth",
        f"https://graph.facebook.com/{GRAPH_VERSION}/oauth/access_token",
        (
            "instagram_basic",
            "instagram_content_publish",
            "instagram_manage_comments",
            "instagram_manage_insights",
            "pages_show_list",
            "pages_read_engagement",
        ),
        scope_separator=",",
    ),
}


def mastodon_provider(instance: str) -> Provider:
    """Each Mastodon instance is its own provider (register the app there first)."""
    base = instance.rstrip("/")
    return Provider("mastodon", f"{base}/oauth/authorize", f"{base}/oauth/token", ("read", "write"))


def new_state() -> str:
    return secrets.token_urlsafe(24)


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge)."""
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorization_url(
    provider: Provider,
    client_id: str,
    redirect_uri: str,
    state: str,
    code_challenge: str | None = None,
) -> str:
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": provider.scope_separator.join(provider.scopes),
        "state": state,
    }
    if provider.pkce:
        if not code_challenge:
            raise ValueError(f"{provider.network} needs a PKCE code challenge")
        params |= {"code_challenge": code_challenge, "code_challenge_method": "S256"}
    return f"{provider.authorize_url}?{urlencode(params)}"


def exchange_code(
    provider: Provider,
    code: str,
    *,
    client_id: str,
    redirect_uri: str,
    client_secret: str | None = None,
    code_verifier: str | None = None,
    transport: httpx.BaseTransport | None = None,
    now: datetime | None = None,
) -> Credentials:
    """Trade the authorization code for credentials (access token, refresh token when
    the network grants one, expiry). The client id and secret are kept with them when
    a refresh will need them."""
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "client_id": client_id,
    }
    if code_verifier:
        form["code_verifier"] = code_verifier
    auth: httpx.BasicAuth | None = None
    if client_secret and provider.network == "x":
        auth = httpx.BasicAuth(client_id, client_secret)  # X wants confidential clients in Basic
    elif client_secret:
        form["client_secret"] = client_secret
    data = _token_request(provider, form, auth, transport)
    secrets_ = {"access_token": str(data["access_token"]), "client_id": client_id}
    if data.get("refresh_token"):
        secrets_["refresh_token"] = str(data["refresh_token"])
        if client_secret:
            secrets_["client_secret"] = client_secret
    expires_at = None
    if data.get("expires_in"):
        expires_at = (now or datetime.now(UTC)) + timedelta(seconds=int(data["expires_in"]))
    return Credentials(secrets=secrets_, expires_at=expires_at)


def facebook_long_lived_token(
    short_lived: str,
    *,
    client_id: str,
    client_secret: str,
    transport: httpx.BaseTransport | None = None,
) -> str:
    """Exchange a short-lived Facebook user token for a long-lived one (about 60 days);
    Page tokens read with it (``/me/accounts``) do not expire on a timer."""
    params = {
        "grant_type": "fb_exchange_token",
        "client_id": client_id,
        "client_secret": client_secret,
        "fb_exchange_token": short_lived,
    }
    with httpx.Client(transport=transport, timeout=30) as http:
        try:
            response = http.get(PROVIDERS["facebook"].token_url, params=params)
        except httpx.TransportError:
            raise TransientError("Facebook could not be reached") from None
    if not response.is_success:
        raise AuthError("Facebook refused to extend the login: connect the channel again")
    return str(response.json()["access_token"])


def _token_request(
    provider: Provider,
    form: dict[str, str],
    auth: httpx.BasicAuth | None,
    transport: httpx.BaseTransport | None,
) -> Any:
    with httpx.Client(transport=transport, timeout=30) as http:
        try:
            if auth is not None:
                response = http.post(provider.token_url, data=form, auth=auth)
            else:
                response = http.post(provider.token_url, data=form)
        except httpx.TransportError:
            raise TransientError(f"{provider.network} could not be reached") from None
    if response.status_code >= 500:
        raise TransientError(f"{provider.network} failed to issue a token; try again")
    if not response.is_success:
        try:
            reason = response.json().get("error_description") or response.json().get("error")
        except ValueError:
            reason = response.reason_phrase
        raise AuthError(f"{provider.network} refused the authorization ({reason}): try again")
    return response.json()
