"""What the community connectors share: one bounded httpx client per community.

Every request has a timeout, every response body is read up to a cap (a
misbehaving or hostile server cannot make postguard hold gigabytes), and
transport failures become :class:`TransientError`. Each platform classifies
its own error bodies in ``classify``.

Credentials travel only in request headers; error messages quote the
platform's own words and the action, never a header, a query string or a body
we sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Self

import httpx

from postguard.communities.base import CommunityConnector
from postguard.connectors.base import ConnectorError, PermanentError, TransientError

TIMEOUT = httpx.Timeout(20.0, connect=10.0)
#: The largest response body read; message pages and state events are far smaller.
MAX_RESPONSE_BYTES = 4_000_000
#: The most messages one read asks for, whatever the caller passes.
MAX_PAGE = 500


def bounded_limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_PAGE))


class Response:
    """A response read in full (up to the cap): status, headers and JSON body."""

    def __init__(self, status: int, headers: httpx.Headers, content: bytes) -> None:
        self.status = status
        self.headers = headers
        self.content = content

    def json(self) -> Any:
        if not self.content:
            return None
        try:
            return json.loads(self.content)
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class CommunityHttp:
    """A small JSON client: base URL, fixed auth headers, bounded time and size.

    ``transport`` routes requests elsewhere (tests); ``classify`` turns a
    failed response into a connector error.
    """

    def __init__(
        self,
        base_url: str,
        headers: dict[str, str],
        *,
        platform: str,
        classify: Callable[[Response, str], ConnectorError],
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = TIMEOUT,
        max_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self.platform = platform
        self.max_bytes = max_bytes
        self._classify = classify
        self.client = httpx.Client(
            base_url=base_url,
            headers={"User-Agent": "postguard (+https://github.com/postguard)", **headers},
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        # The client's headers hold the token: never show them.
        return f"<CommunityHttp {self.platform} {self.client.base_url}>"

    def close(self) -> None:
        self.client.close()

    def call(self, method: str, url: str, *, what: str, **kwargs: Any) -> Response:
        """Send one request; return the response when it succeeded, raise the classified
        error otherwise."""
        response = self.send(method, url, what=what, **kwargs)
        if response.ok:
            return response
        raise self._classify(response, what)

    def send(self, method: str, url: str, *, what: str, **kwargs: Any) -> Response:
        """Send one request and read its body up to the cap, whatever the status."""
        try:
            with self.client.stream(method, url, **kwargs) as raw:
                body = bytearray()
                for chunk in raw.iter_bytes():
                    body.extend(chunk)
                    if len(body) > self.max_bytes:
                        raise PermanentError(
                            f"{self.platform} sent more than {self.max_bytes} bytes ({what}): "
                            "refused"
                        )
                return Response(raw.status_code, raw.headers, bytes(body))
        except httpx.TimeoutException:
            raise TransientError(f"{self.platform} did not answer in time ({what})") from None
        except httpx.TransportError as exc:
            raise TransientError(
                f"{self.platform} could not be reached ({what}): {type(exc).__name__}"
            ) from None


def platform_words(data: Any, *keys: str) -> str:
    """The platform's own message from an error body, if it gave one."""
    if isinstance(data, dict):
        for key in keys:
            value = data.get(key)
            if isinstance(value, str) and value:
                return value[:300]
            if isinstance(value, list) and value and isinstance(value[0], str):
                return "; ".join(str(v) for v in value)[:300]
    return ""


def error_text(platform: str, what: str, response: Response, words: str) -> str:
    return f"{platform} refused {what}: {words or f'HTTP {response.status}'}"


__all__ = [
    "MAX_PAGE",
    "MAX_RESPONSE_BYTES",
    "TIMEOUT",
    "CommunityHttp",
    "ConnectorError",
    "Response",
    "bounded_limit",
    "error_text",
    "platform_words",
]


class HttpCommunityConnector(CommunityConnector):
    """A community connector that talks to its platform through one :class:`CommunityHttp`.

    Owns the client's life cycle, so each platform module keeps only what is its own:
    usable as a context manager, and ``close()`` releases the connection pool.
    """

    http: CommunityHttp

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
