"""Caps on what one request may send and what one answer may carry.

- **Request size.** A post is at most 20,000 characters (``MAX_POST_CHARS``). Written in
  JSON (``\\ud83d\\ude00``) or a form (``%F0%9F%98%80``) a character takes at most 12
  bytes, so the checks (``POST /api/check``, ``/api/redact``, the composer's live check)
  accept bodies of up to 256 KiB; the rest of the API accepts Django's
  ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MiB). A request that says it is larger
  (``Content-Length``) is refused with 413 before its body is read: ``{"detail": ...}``
  under /api/, a line of text elsewhere.
- **Findings per answer.** A long text can break the codes thousands of times (a list of
  phone numbers); ``/api/check`` and the live check list at most ``MAX_FINDINGS``, the
  most severe first, with ``"truncated": true`` and a note. The decision counts them all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from postguard.web.workflow.services import MAX_POST_CHARS

#: The most bytes one character of a post can take in a JSON or form body.
_BYTES_PER_CHAR = 12
#: Bodies of the checks: a post at its longest, fully escaped, and the other fields.
CHECK_MAX_BODY_BYTES = 256 * 1024
CHECK_PATHS = frozenset({"/api/check", "/api/redact", "/check/live/"})
API_PREFIX = "/api/"
#: Findings listed in one answer of /api/check or the live check.
MAX_FINDINGS = 200

_SEVERITY_ORDER = {"block": 0, "review": 1, "advise": 2}


def body_limit(path: str) -> int | None:
    """The most bytes a request to ``path`` may send, or None for Django's own limit."""
    if path in CHECK_PATHS:
        return CHECK_MAX_BODY_BYTES
    if path.startswith(API_PREFIX):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return int(limit) if limit is not None else None
    return None


def too_large(path: str, limit: int) -> HttpResponse:
    detail = (
        f"The request is too large: at most {limit:,} bytes here "
        f"(a post is at most {MAX_POST_CHARS:,} characters)."
    )
    if path.startswith(API_PREFIX):
        return HttpResponse(
            json.dumps({"detail": detail}),
            status=413,
            content_type="application/json; charset=utf-8",
        )
    return HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")


class RequestSizeLimit:
    """Refuse, before reading it, a body larger than its address accepts (413)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limit = body_limit(request.path_info)
        if limit is not None:
            declared = str(request.META.get("CONTENT_LENGTH") or "0").strip()
            if declared.isdigit() and int(declared) > limit:
                return too_large(request.path_info, limit)
        return self.get_response(request)


def cap_findings(
    findings: list[dict[str, Any]], limit: int = MAX_FINDINGS
) -> tuple[list[dict[str, Any]], str | None]:
    """At most ``limit`` findings, the most severe first (kept in their order in the
    text), and a note saying how many there were; the findings and None when few."""
    if len(findings) <= limit:
        return findings, None
    ranked = sorted(
        range(len(findings)),
        key=lambda i: (_SEVERITY_ORDER.get(str(findings[i].get("severity")), 3), i),
    )
    kept = sorted(ranked[:limit])
    note = (
        f"{len(findings):,} findings; only the {limit} most severe are listed. "
        "The decision counts them all: shorten the text or fix these and check again."
    )
    return [findings[i] for i in kept], note


def capped_report(data: dict[str, Any]) -> dict[str, Any]:
    """A report's dict (``Report.to_dict``) with its findings capped: ``truncated`` says
    whether some were left out, and the note joins ``notes``."""
    findings, note = cap_findings(list(data.get("findings", [])))
    capped = {**data, "findings": findings, "truncated": note is not None}
    if note is not None:
        capped["notes"] = [*data.get("notes", []), note]
    return capped
