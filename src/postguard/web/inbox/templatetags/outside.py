"""``{% load outside %}``: links to addresses that came from outside (see postguard.web.links)."""

from __future__ import annotations

from django import template

from postguard.web.links import http_url as _http_url

register = template.Library()


@register.filter
def http_url(value: object) -> str:
    """The URL when it is http(s), else "" (so ``{% if url|http_url %}`` links nothing)."""
    return _http_url(value) or ""
