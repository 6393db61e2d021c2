"""The take-down endpoints (mounted on the workspace's API in web/api.py): a channel's
archive items, asking for take-downs, and a take-down's state. Authorization is the
services' (web.takedown.services), as on the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import BaseModel, ConfigDict, Field, model_validator

from postguard.web import pagination as pages
from postguard.web.links import http_url
from postguard.web.takedown import services
from postguard.web.takedown.models import ArchiveItem, TakeDown

MAX_ID = 2**63 - 1
router = Router(tags=["take-down"])


class ErrorOut(Schema):
    detail: str


class ArchiveFindingOut(Schema):
    rule_id: str
    severity: str
    clause: str = ""
    category: str = ""
    message: str = ""
    fix: str = ""


class ArchiveItemOut(Schema):
    id: int
    key: str
    network: str
    remote_id: str
    url: str | None
    date: datetime | None
    kind: str
    text: str
    decision: str
    findings: list[ArchiveFindingOut]
    takedown: int | None
    takedown_state: str | None


class ArchivePage(Schema):
    items: list[ArchiveItemOut]
    next_cursor: str | None


class TakeDownOut(Schema):
    id: int
    channel: int
    remote_id: str
    url: str | None
    text: str
    reason: str
    state: str
    state_label: str
    requested_by: str | None
    requested_at: datetime
    approved_by: str | None
    attempts: int
    finished_at: datetime | None
    last_error: str
    archive_item: int | None
    post: int | None


class TakeDownRequestOut(Schema):
    created: list[TakeDownOut]
    skipped: int


class TakeDownIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data

    #: The archive items' ids (``id`` in the list).
    items: Annotated[
        list[Annotated[int, Field(ge=1, le=MAX_ID)]],
        Field(min_length=1, max_length=services.MAX_ITEMS_PER_REQUEST),
    ]
    reason: str = Field(min_length=services.MIN_REASON_CHARS, max_length=services.MAX_REASON_CHARS)


def _errors(*codes: int) -> dict[frozenset[int], type[ErrorOut]]:
    return {frozenset(codes): ErrorOut}


_FINDING_KEYS = ("rule_id", "severity", "clause", "category", "message", "fix")


def _item(item: ArchiveItem, td: TakeDown | None) -> dict[str, Any]:
    return {
        "id": item.pk,
        "key": item.key,
        "network": item.network,
        "remote_id": item.remote_id,
        "url": http_url(item.url),
        "date": item.date,
        "kind": item.kind,
        "text": item.text,
        "decision": item.decision,
        "findings": [
            {
                k: f.get(k, "")
                for k in ("rule_id", "severity", "clause", "category", "message", "fix")
            }
            for f in item.findings
        ],
        "takedown": td.pk if td else None,
        "takedown_state": td.state if td else None,
    }


def _takedown(td: TakeDown) -> dict[str, Any]:
    return {
        "id": td.pk,
        "channel": td.channel_id,
        "remote_id": td.remote_id,
        "url": http_url(td.url),
        "text": td.text,
        "reason": td.reason,
        "state": td.state,
        "state_label": td.get_state_display(),
        "requested_by": td.requested_by.get_username() if td.requested_by else None,
        "requested_at": td.requested_at,
        "approved_by": td.approved_by.get_username() if td.approved_by else None,
        "attempts": td.attempts,
        "finished_at": td.finished_at,
        "last_error": td.last_error,
        "archive_item": td.item_id,
        "post": td.publication.post_id if td.publication else None,
    }


ChannelId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get(
    "/archive/{channel_id}/items",
    response={200: ArchivePage, **_errors(401, 403, 404, 422)},
)
def archive_items(
    request: HttpRequest,
    channel_id: ChannelId,
    rule: Annotated[str, Query(max_length=200)] = "",
    year: Annotated[int | None, Query(ge=1900, le=2999)] = None,
    limit: Annotated[int, Query(ge=1, le=pages.MAX_LIMIT)] = pages.DEFAULT_LIMIT,
    cursor: Annotated[str, Query(max_length=pages.MAX_CURSOR_CHARS)] = "",
) -> dict[str, Any]:
    """A channel's archive items with their findings, worst first (filter by rule, year)."""
    channel, _ = services.archive_channel(request.user, channel_id)
    query = services.items_of(request.user, channel, rule=rule, year=year)
    page = pages.paginate(
        query,
        scope=f"archive:{channel.pk}",
        limit=limit,
        cursor=cursor,
        keys=("worst", "finding_count", "id"),
    )
    states = services.states_of(page.items)
    return {
        "items": [_item(i, states.get(i.pk)) for i in page.items],
        "next_cursor": page.next_cursor,
    }


@router.post(
    "/archive/{channel_id}/takedowns",
    response={201: TakeDownRequestOut, **_errors(400, 401, 403, 404, 422)},
)
def request_takedowns(
    request: HttpRequest, channel_id: ChannelId, payload: TakeDownIn
) -> Status[dict[str, Any]]:
    """Ask for archive items to be taken down, with the reason. The chair's, an
    administrator's and a personal channel's owner's are approved at once (state
    ``pending``); a reviewer's wait for approval (``requested``)."""
    result = services.request_takedown(request.user, channel_id, payload.items, payload.reason)
    return Status(
        201, {"created": [_takedown(td) for td in result.created], "skipped": result.skipped}
    )


@router.get("/takedowns/{takedown_id}", response={200: TakeDownOut, **_errors(401, 403, 404, 422)})
def takedown_status(
    request: HttpRequest, takedown_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> dict[str, Any]:
    """A take-down's state: requested, pending, deleted, already_gone, failed or declined."""
    td, _ = services.takedown_for(request.user, takedown_id)
    return _takedown(td)
