"""Every error under /api/ is JSON, even those the API itself never sees; every
answer carries a strict Content-Security-Policy (ContentSecurityPolicy, below).

django-ninja answers its own errors as ``{"detail": ...}``, but a path it does not
know (``/api/``, ``/api/nope``) gets Django's HTML 404, a wrong method gets a
plain-text 405, and a crash gets Django's HTML 500. A client of the API must not
have to parse HTML, so this rewrites such answers (status and headers kept).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, HttpResponseBase

API_PREFIX = "/api/"
#: The API's own pages for people, which are HTML on purpose.
HTML_PATHS = frozenset({"/api/docs"})

_DETAILS = {
    404: "Not found. The API's endpoints are listed at /api/docs.",
    405: "Method not allowed.",
    500: "Internal server error.",
}


def _is_json(response: HttpResponseBase) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


def _detail(status: int) -> str:
    if status in _DETAILS:
        return _DETAILS[status]
    try:
        return HTTPStatus(status).phrase + "."
    except ValueError:
        return "Error."


class ApiJsonErrors:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        path = request.path_info
        if (
            not (path == API_PREFIX.rstrip("/") or path.startswith(API_PREFIX))
            or path in HTML_PATHS
            or response.status_code < 400
            or _is_json(response)
        ):
            return response
        detail = _detail(response.status_code)
        if response.status_code == 405 and response.has_header("Allow"):
            detail = f"Method not allowed; this endpoint accepts {response['Allow']}."
        replacement = HttpResponse(
            json.dumps({"detail": detail}),
            status=response.status_code,
            content_type="application/json; charset=utf-8",
        )
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if response.has_header(header):
                replacement[header] = response[header]
        return replacement


#: Every page: scripts, styles and everything else from this server only, no plugins, no
#: <base> rewriting, no framing, forms posting only here. With no inline script or style
#: allowed, a script that got into a page (a comment's text, a link from outside) does not
#: run. htmx is a file served from here, configured not to inject its own <style>
#: (base.html's htmx-config meta tag).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)
#: Swagger UI (ninja's /api/docs, all files served from here) sets style attributes and
#: shows data: images: its page alone allows those. Still no inline script.
DOCS_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
).replace("img-src 'self'", "img-src 'self' data:")
#: Pages with a policy of their own.
CSP_EXCEPTIONS = {"/api/docs": DOCS_CONTENT_SECURITY_POLICY}


class ContentSecurityPolicy:
    """Adds the Content-Security-Policy header to every answer that has none
    (Django 5.2 has no built-in one; Referrer-Policy and X-Content-Type-Options come
    from SecurityMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not response.has_header("Content-Security-Policy"):
            response["Content-Security-Policy"] = CSP_EXCEPTIONS.get(
                request.path_info, CONTENT_SECURITY_POLICY
            )
        return response
