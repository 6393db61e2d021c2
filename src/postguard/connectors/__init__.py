"""Connectors to social networks: plain Python, no Django.

:mod:`postguard.connectors.base` defines the contract; each network has its
own module. The registry maps a network's name to its connector class,
imported on first use so that using one network does not load every SDK.
"""

from __future__ import annotations

import importlib
from typing import Any

from postguard.connectors.base import (
    AccountMetrics,
    AuthError,
    Capabilities,
    Connector,
    ConnectorError,
    Credentials,
    Image,
    InboundItem,
    Limits,
    NotFound,
    OutgoingPost,
    PermanentError,
    PostDraft,
    PostMetrics,
    Published,
    RateLimited,
    TokenExpired,
    TransientError,
    ValidationError,
)

#: network name -> (module, class). Names are stable: they are stored with each channel.
REGISTRY: dict[str, tuple[str, str]] = {
    "bluesky": ("postguard.connectors.bluesky", "BlueskyConnector"),
    "mastodon": ("postguard.connectors.mastodon", "MastodonConnector"),
    "facebook": ("postguard.connectors.facebook", "FacebookConnector"),
    "instagram": ("postguard.connectors.instagram", "InstagramConnector"),
    "linkedin": ("postguard.connectors.linkedin", "LinkedInConnector"),
    "x": ("postguard.connectors.x", "XConnector"),
}


class UnknownNetwork(LookupError):
    pass


def connector_class(network: str) -> type[Connector]:
    try:
        module_name, class_name = REGISTRY[network]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise UnknownNetwork(f"no connector for {network!r}; known networks: {known}") from None
    cls: type[Connector] = getattr(importlib.import_module(module_name), class_name)
    return cls


def make_connector(network: str, credentials: Credentials, settings: dict[str, Any]) -> Connector:
    return connector_class(network)(credentials, settings)


__all__ = [
    "REGISTRY",
    "AccountMetrics",
    "AuthError",
    "Capabilities",
    "Connector",
    "ConnectorError",
    "Credentials",
    "Image",
    "InboundItem",
    "Limits",
    "NotFound",
    "OutgoingPost",
    "PermanentError",
    "PostDraft",
    "PostMetrics",
    "Published",
    "RateLimited",
    "TokenExpired",
    "TransientError",
    "UnknownNetwork",
    "ValidationError",
    "connector_class",
    "make_connector",
]
