"""Which address a request comes from, trusting X-Forwarded-For only from our proxies.

Sign-in throttling, the password-reset throttle and the record all key on the client's
address. Behind a reverse proxy every request arrives from the proxy, so its
X-Forwarded-For must be read; but a client talking to us directly can send any
X-Forwarded-For it likes, so the header counts only when the peer is one of
``settings.TRUSTED_PROXIES`` (``POSTGUARD_TRUSTED_PROXIES``; none by default).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:  # settings.py imports this module: no Django machinery at import
    from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
#: A longer X-Forwarded-For chain than this is not followed (it costs a parse per hop).
MAX_HOPS = 20
#: Headers a proxy sets for us; from anyone else they are dropped.
FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_BY",
    "HTTP_FORWARDED",
)


def parse_networks(value: str) -> tuple[Network, ...]:
    """``"10.0.0.1, 192.0.2.0/24"`` as networks; ValueError names a bad entry."""
    networks = []
    for entry in value.split(","):
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(
                f"{entry!r} is not an IP address or network (e.g. 10.0.0.1 or 10.0.0.0/8)"
            ) from None
    return tuple(networks)


def parse_address(text: str) -> Address | None:
    """An address as proxies write it (``1.2.3.4``, ``1.2.3.4:5678``, ``[::1]:80``,
    ``"[::1]"``), or None."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1 : text.find("]")] if "]" in text else ""
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the peer's, unless the peer is a trusted proxy; then the
    right-most address in X-Forwarded-For that is not a trusted proxy (each proxy
    appends the peer it saw, so everything left of that point is the client's word).
    Also axes' AXES_CLIENT_IP_CALLABLE."""
    peer = parse_address(str(request.META.get("REMOTE_ADDR", "")))
    if peer is None:
        return None
    networks: tuple[Network, ...] = settings.TRUSTED_PROXIES
    if not _trusted(peer, networks):
        return str(peer)
    chain = str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")[-MAX_HOPS:]
    found = peer
    for hop in reversed(chain):
        address = parse_address(hop)
        if address is None:
            break
        found = address
        if not _trusted(address, networks):
            break
    return str(found)


def address_or_blank(request: HttpRequest | None) -> str:
    """For the record and the reset throttle, which store text."""
    if request is None:
        return ""
    return client_address(request) or ""


class ForwardedHeaders:
    """Drop proxy headers from clients that are not trusted proxies, so that nothing
    downstream (Django's SECURE_PROXY_SSL_HEADER, logging) can be fooled by them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        peer = parse_address(str(request.META.get("REMOTE_ADDR", "")))
        if peer is None or not _trusted(peer, settings.TRUSTED_PROXIES):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


def waitress_options(networks: tuple[Network, ...]) -> dict[str, Any]:
    """waitress's proxy settings for ``postguard serve``.

    waitress trusts one proxy address (not a network): with exactly one single-host
    entry it rewrites the client address and scheme itself and clears forwarded
    headers from everyone else. With networks or several proxies it must pass the
    headers on, and :func:`client_address` and :class:`ForwardedHeaders` decide.
    With none, waitress clears the headers from everyone."""
    if not networks:
        return {"clear_untrusted_proxy_headers": True}
    if len(networks) == 1 and networks[0].num_addresses == 1:
        return {
            "trusted_proxy": str(networks[0].network_address),
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
            "clear_untrusted_proxy_headers": True,
        }
    return {"clear_untrusted_proxy_headers": False}
