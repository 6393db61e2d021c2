"""Every error under /api/ is JSON, even those the API itself never sees.

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
