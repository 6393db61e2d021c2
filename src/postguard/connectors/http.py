"""What the connectors that speak HTTP themselves (httpx) share: one client per
connector, bearer authentication, and the mapping from HTTP failures to the
connector errors.

The default mapping: 401 → :class:`TokenExpired`; 403 → :class:`AuthError`;
429 → :class:`RateLimited` with the network's ``Retry-After``; 5xx, timeouts and
connection failures → :class:`TransientError`; other 4xx →
:class:`PermanentError`. Each network refines it in ``classify``.

Error messages quote the network's own message and never a request header,
a URL query string or a body we sent: that is where tokens travel.
"""

from __future__ import annotations

import email.utils
import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from postguard.connectors.base import (
    AuthError,
    Connector,
    ConnectorError,
    Credentials,
    NotFound,
    PermanentError,
    RateLimited,
    TokenExpired,
    TransientError,
)

TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """``Retry-After`` as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def seconds_until_epoch(value: str | None, now: datetime | None = None) -> float | None:
    """A reset time given as Unix seconds (X's ``x-rate-limit-reset``) as seconds from now."""
    if not value:
        return None
    try:
        reset = float(value)
    except ValueError:
        return None
    return max(0.0, reset - (now or datetime.now(UTC)).timestamp())


def body_json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


class HttpConnector(Connector):
    """A connector on top of one ``httpx.Client``.

    Pass ``transport`` to route requests elsewhere (the tests use respx).
    """

    base_url: str = ""

    def __init__(
        self,
        credentials: Credentials,
        settings: Mapping[str, Any] | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(credentials, settings)
        self.http = httpx.Client(
            base_url=str(self.settings.get("base_url", self.base_url)),
            timeout=TIMEOUT,
            transport=transport,
            headers={"User-Agent": "postguard (+https://github.com/postguard)"},
        )

    def close(self) -> None:
        self.http.close()

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credentials.get('access_token')}"}

    def request(
        self,
        method: str,
        url: str,
        *,
        what: str,
        auth: bool = True,
        **kwargs: Any,
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if auth:
            headers.update(self.auth_headers())
        try:
            response = self.http.request(method, url, headers=headers, **kwargs)
        except httpx.TimeoutException:
            raise TransientError(f"{self.display_name} did not answer in time ({what})") from None
        except httpx.TransportError as exc:
            raise TransientError(
                f"{self.display_name} could not be reached ({what}): {type(exc).__name__}"
            ) from None
        if response.is_success:
            return response
        raise self.classify(response, what)

    def error_message(self, response: httpx.Response) -> str:
        """The network's own words for the failure, from the response body."""
        data = body_json(response)
        if isinstance(data, dict):
            for key in ("message", "detail", "error_description", "error", "title"):
                value = data.get(key)
                if isinstance(value, str) and value:
                    return value
                if isinstance(value, dict) and isinstance(value.get("message"), str):
                    return str(value["message"])
        return response.reason_phrase or f"HTTP {response.status_code}"

    def classify(self, response: httpx.Response, what: str) -> ConnectorError:
        status = response.status_code
        message = f"{self.display_name} refused {what}: {self.error_message(response)}"
        if status == 401:
            return TokenExpired(
                f"{message} — the access token has expired or was revoked: reconnect the channel"
            )
        if status == 403:
            return AuthError(f"{message} — check the channel's permissions, then reconnect it")
        if status == 429:
            return RateLimited(message, retry_after=self.retry_after(response))
        if status >= 500:
            return TransientError(message, retry_after=self.retry_after(response))
        if status == 404:
            return NotFound(message)
        return PermanentError(message)

    def retry_after(self, response: httpx.Response) -> float | None:
        return retry_after_seconds(response.headers.get("retry-after"))

    def exchange_refresh_token(
        self, send: Callable[[], httpx.Response], refresh_token: str
    ) -> Credentials:
        """Finish an OAuth 2 refresh: ``send`` posts the form to the token endpoint.

        A 400 or 401 means the refresh token itself is no longer accepted
        (:class:`TokenExpired`: the channel must be reconnected); other failures
        map as usual. The new tokens replace the old ones in ``credentials``; a
        network that does not rotate the refresh token keeps the old one.
        """
        try:
            response = send()
        except httpx.TransportError:
            raise TransientError(
                f"{self.display_name} could not be reached to refresh the token"
            ) from None
        if response.status_code in (400, 401):
            raise TokenExpired(
                f"{self.display_name} no longer accepts this channel's refresh token: "
                "reconnect the channel"
            )
        if not response.is_success:
            raise self.classify(response, "refreshing the token")
        data = response.json()
        self.credentials = Credentials(
            secrets={
                **self.credentials.secrets,
                "access_token": data["access_token"],
                "refresh_token": data.get("refresh_token", refresh_token),
            },
            expires_at=self.expiry_from(data.get("expires_in")),
        )
        return self.credentials

    def expiry_from(self, expires_in: Any, now: datetime | None = None) -> datetime | None:
        try:
            seconds = int(expires_in)
        except (TypeError, ValueError):
            return None
        return (now or datetime.now(UTC)) + timedelta(seconds=seconds)
