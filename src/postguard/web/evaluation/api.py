"""The evaluation's API (mounted on the site's API at /api/evaluation): the measures as JSON
and the report as JSON, PDF or CSV. Same authentication and errors as the rest of the API;
who may read is decided by the service (administrators, the chair and reviewers: 403 for
other members, 404 for an organization you are not in)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from postguard.web.evaluation import services

router = Router(tags=["evaluation"])

Period = Annotated[
    str,
    Query(
        max_length=40,
        description="2026-11 (a month), 2026-Q4, 2026, or 2026-11-01..2026-11-30; "
        "default: the last complete month.",
    ),
]
ChannelId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Channels = Annotated[
    list[ChannelId],
    Query(max_length=100, description="Only these channels (repeat the parameter); default: all."),
]
OrgId = Annotated[
    int | None,
    Query(ge=1, le=2**63 - 1, description="The organization; default: your first."),
]


class ErrorOut(Schema):
    detail: str


def _report(request: HttpRequest, org: int | None, period: str, channel: list[int]) -> Any:
    from django.utils import timezone

    from postguard.web.evaluation.measures import last_complete

    found = services.org_for(request.user, org)
    chosen = period or last_complete("monthly", timezone.now()).key
    return services.report_for(request.user, found, chosen, channel)


@router.get("/measures", response={200: dict[str, Any], frozenset({401, 403, 404, 422}): ErrorOut})
def measures(
    request: HttpRequest,
    period: Period = "",
    channel: Channels = [],  # noqa: B006 - ninja reads the default, never mutates it
    org: OrgId = None,
) -> dict[str, Any]:
    """Every measure of the period per channel and in total, with the previous period's
    totals and each measure's definition."""
    data = services.report_json(_report(request, org, period, channel))
    keep = (
        "org", "period", "previous_period", "channels", "totals", "previous", "measures",
        "responsiveness", "cases", "compliance", "campaigns", "definitions",
    )  # fmt: skip
    return {key: data[key] for key in keep}


@router.get(
    "/report",
    response={200: dict[str, Any], frozenset({401, 403, 404, 422}): ErrorOut},
    openapi_extra={
        "responses": {
            200: {
                "description": "OK",
                "content": {
                    "application/json": {},
                    "application/pdf": {},
                    "text/csv": {},
                },
            }
        }
    },
)
def report(
    request: HttpRequest,
    period: Period = "",
    channel: Channels = [],  # noqa: B006 - ninja reads the default, never mutates it
    org: OrgId = None,
    format: Literal["json", "pdf", "csv"] = "json",
) -> Any:
    """The whole report (summary, charts' data, top posts) as JSON, or the PDF or CSV."""
    found = _report(request, org, period, channel)
    if format == "json":
        return services.report_json(found)
    content, content_type, name = services.export(found, format)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
