"""Fetching feeds and pages from outside, safely.

Every address is someone else's: the fetch has a time budget, a size cap, a limit on
redirects (each hop checked again), conditional GET, and -- unless
``POSTGUARD_PRESENCE_ALLOW_PRIVATE`` is on, which only the tests do -- refuses to
connect to loopback, private, link-local and other non-public addresses (SSRF). The
check is made where the connection is opened, on the address actually connected to,
so a name that resolves to a public address when checked and a private one when used
(DNS rebinding) is refused too.

Errors are :class:`FetchError` with one line that is safe to show.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings

USER_AGENT = "postguard-presence/1 (+https://github.com/postguard)"


class FetchError(Exception):
    """A fetch that failed; ``str()`` is one line to show on the sources page."""


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    status: int
    body: bytes
    etag: str
    last_modified: str
    content_type: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def allow_private() -> bool:
    return bool(getattr(settings, "POSTGUARD_PRESENCE_ALLOW_PRIVATE", False))


def max_bytes() -> int:
    return int(getattr(settings, "POSTGUARD_PRESENCE_MAX_BYTES", 5_000_000))


def timeout_seconds() -> float:
    return float(getattr(settings, "POSTGUARD_PRESENCE_TIMEOUT", 15.0))


def max_redirects() -> int:
    return int(getattr(settings, "POSTGUARD_PRESENCE_MAX_REDIRECTS", 5))


def public_address(address: str) -> bool:
    """Whether ``address`` (an IP) is one on the public internet."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return bool(ip.is_global) and not ip.is_multicast


class _Refused(httpcore.ConnectError):
    """The address is not a public one."""


class GuardedBackend(httpcore.SyncBackend):
    """Resolves the host itself and connects only to a permitted address."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise httpcore.ConnectError(f"the name {host} does not resolve") from None
        addresses = [str(info[4][0]) for info in infos]
        if not self.allow_private:
            addresses = [a for a in addresses if public_address(a)]
            if not addresses:
                raise _Refused(
                    f"{host} is a private, loopback or reserved address; postguard only "
                    "fetches public addresses"
                )
        last: Exception | None = None
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:
                last = exc
        raise httpcore.ConnectError(f"could not connect to {host}") from last


def _client(timeout: float) -> httpx.Client:
    transport = httpx.HTTPTransport(retries=0)
    # httpx has no public hook for the network backend; the pool keeps it here.
    pool = transport._pool
    if not hasattr(pool, "_network_backend"):
        raise RuntimeError("httpcore changed: the SSRF guard cannot be installed")
    pool._network_backend = GuardedBackend(allow_private())
    return httpx.Client(
        transport=transport,
        timeout=httpx.Timeout(timeout),
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        trust_env=False,
    )


def check_url(url: str) -> str:
    """The address if it is one postguard may fetch (http or https, with a host)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL):
        raise FetchError("the address is not a valid URL") from None
    if any(ord(c) < 33 or 0xD800 <= ord(c) <= 0xDFFF or ord(c) == 0x7F for c in url):
        raise FetchError("an address cannot contain spaces or control characters")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise FetchError("the address has a port that is not a number") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("only http:// and https:// addresses can be watched")
    if parts.username or parts.password:
        raise FetchError("an address with a user name or password cannot be watched")
    if len(url) > 1000:
        raise FetchError("the address is longer than 1000 characters")
    if not allow_private():
        host = parts.hostname
        try:
            literal = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            literal = None
        if literal is not None and not public_address(str(literal)):
            raise FetchError(
                f"{host} is a private, loopback or reserved address; postguard only "
                "fetches public addresses"
            )
        if host == "localhost" or host.endswith(".localhost"):
            raise FetchError(f"{host} is a loopback address; postguard only fetches public ones")
    return url


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET ``url`` within the time budget and size cap, following at most the allowed
    number of redirects. A 304 answer to the conditional GET comes back with an empty body."""
    budget = timeout_seconds()
    cap = max_bytes()
    deadline = time.monotonic() + budget
    headers = {"Accept": "*/*"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = check_url(url)
    try:
        with _client(budget) as client:
            for _hop in range(max_redirects() + 1):
                with client.stream("GET", current, headers=headers) as response:
                    if response.status_code == 304:
                        return Fetched(current, 304, b"", etag, last_modified, "")
                    if response.status_code in (301, 302, 303, 307, 308):
                        target = response.headers.get("Location", "")
                        if not target:
                            raise FetchError(f"HTTP {response.status_code} without a Location")
                        current = check_url(urljoin(current, target))
                        continue
                    if response.status_code >= 400:
                        raise FetchError(f"HTTP {response.status_code} from {_host(current)}")
                    declared = response.headers.get("Content-Length", "")
                    if declared.isdigit() and int(declared) > cap:
                        raise FetchError(_too_big(cap))
                    chunks: list[bytes] = []
                    size = 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > cap:
                            raise FetchError(_too_big(cap))
                        if time.monotonic() > deadline:
                            raise FetchError(f"no complete answer within {budget:g} seconds")
                        chunks.append(chunk)
                    return Fetched(
                        current,
                        response.status_code,
                        b"".join(chunks),
                        response.headers.get("ETag", "")[:500],
                        response.headers.get("Last-Modified", "")[:100],
                        response.headers.get("Content-Type", "")[:200],
                    )
            raise FetchError(f"more than {max_redirects()} redirects")
    except _Refused as exc:
        raise FetchError(str(exc)) from None
    except httpx.InvalidURL:
        raise FetchError("the address is not a valid URL") from None
    except httpx.TimeoutException:
        raise FetchError(f"no answer within {budget:g} seconds from {_host(current)}") from None
    except httpx.HTTPError as exc:
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, _Refused):
            raise FetchError(str(cause)) from None
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise FetchError(f"could not fetch from {_host(current)}: {reason}") from None


def _host(url: str) -> str:
    return urlsplit(url).hostname or url[:100]


def _too_big(cap: int) -> str:
    return f"the answer is larger than {cap / 1_000_000:g} MB (POSTGUARD_PRESENCE_MAX_BYTES)"
