"""The API of presence monitoring, mounted at /api/presence (see postguard.web.api):
watch terms, sources and mentions. Handlers validate, call one service, shape the answer;
who may do what is decided in services.py (a member's own terms and mentions are theirs
alone)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from postguard.web import pagination as pages

# Imported at the end of postguard.web.api, once these are defined there.
from postguard.web.api import CHANGE, MAX_ID, READ, Body, Cursor, Id, Limit, _errors
from postguard.web.links import http_url
from postguard.web.orgs import services as orgs
from postguard.web.presence import services as presence
from postguard.web.presence.models import Mention, WatchSource, WatchTerm

router: Router = Router(tags=["presence"])


class TermIn(Body):
    org: int = Field(ge=1, le=MAX_ID)
    text: Annotated[str, Field(min_length=1, max_length=100)]
    #: "personal": your own name or practice, seen by you alone.
    kind: Literal["name", "handle", "hashtag", "personal"]


class TermEdit(Body):
    active: bool


class TermOut(Schema):
    id: int
    org: str
    text: str
    kind: str
    personal: bool
    active: bool
    created_at: datetime


class TermPage(Schema):
    items: list[TermOut]
    next_cursor: str | None


class SourceIn(Body):
    org: int = Field(ge=1, le=MAX_ID)
    name: Annotated[str, Field(min_length=1, max_length=120)]
    kind: Literal["feed", "page", "network"]
    url: str = Field(default="", max_length=1000)
    channel: int | None = Field(default=None, ge=1, le=MAX_ID)
    every_minutes: int = Field(default=presence.DEFAULT_EVERY, ge=1, le=presence.MAX_EVERY)


class SourceEdit(Body):
    name: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    every_minutes: int | None = Field(default=None, ge=1, le=presence.MAX_EVERY)
    active: bool | None = None


class SourceOut(Schema):
    id: int
    org: str
    name: str
    kind: str
    url: str
    channel: int | None
    every_minutes: int
    active: bool
    last_checked_at: datetime | None
    last_success_at: datetime | None
    last_error: str
    last_error_at: datetime | None
    created_at: datetime


class SourcePage(Schema):
    items: list[SourceOut]
    next_cursor: str | None


class MentionOut(Schema):
    id: int
    org: str
    source: int
    personal: bool
    url: str
    author: str
    title: str
    text: str
    terms: list[str]
    categories: list[str]
    priority: int
    published_at: datetime | None
    found_at: datetime
    inbox_item: int | None


class MentionPage(Schema):
    items: list[MentionOut]
    next_cursor: str | None


def _term(t: WatchTerm) -> dict[str, Any]:
    return {
        "id": t.pk,
        "org": t.org.slug,
        "text": t.text,
        "kind": t.kind,
        "personal": t.owner_id is not None,
        "active": t.active,
        "created_at": t.created_at,
    }


def _source(s: WatchSource) -> dict[str, Any]:
    return {
        "id": s.pk,
        "org": s.org.slug,
        "name": s.name,
        "kind": s.kind,
        "url": s.url,
        "channel": s.channel_id,
        "every_minutes": s.every_minutes,
        "active": s.active,
        "last_checked_at": s.last_checked_at,
        "last_success_at": s.last_success_at,
        "last_error": s.last_error,
        "last_error_at": s.last_error_at,
        "created_at": s.created_at,
    }


def _mention(m: Mention) -> dict[str, Any]:
    return {
        "id": m.pk,
        "org": m.org.slug,
        "source": m.source_id,
        "personal": m.owner_id is not None,
        "url": http_url(m.url) or "",
        "author": m.author,
        "title": m.title,
        "text": m.text,
        "terms": [str(t) for t in m.terms or []],
        "categories": [str(c) for c in m.categories or []],
        "priority": m.priority,
        "published_at": m.published_at,
        "found_at": m.found_at,
        # A member's own mention never reaches the inbox.
        "inbox_item": m.inbox_item_id if m.owner_id is None else None,
    }


@router.get("/terms", response={200: TermPage, **_errors(*READ, 422)})
def list_terms(
    request: HttpRequest, limit: Limit = pages.DEFAULT_LIMIT, cursor: Cursor = ""
) -> Any:
    """Your own watch terms, and the association's where you sit on the committee or
    administer it; newest first."""
    page = pages.paginate(
        presence.visible_terms(request.user), scope="presence.terms", limit=limit, cursor=cursor
    )
    return {"items": [_term(t) for t in page.items], "next_cursor": page.next_cursor}


@router.post("/terms", response={201: TermOut, **_errors(*CHANGE, 404, 409)})
def create_term(request: HttpRequest, payload: TermIn) -> Status[dict[str, Any]]:
    """Watch a term: the association's (committee, administrators) or, with kind
    "personal", your own (any member; seen by you alone)."""
    member = orgs.membership_in(request.user, payload.org)
    term = presence.add_term(request.user, member.org, text=payload.text, kind=payload.kind)
    return Status(201, _term(term))


@router.patch("/terms/{term_id}", response={200: TermOut, **_errors(*CHANGE, 404)})
def edit_term(request: HttpRequest, term_id: Id, payload: TermEdit) -> Any:
    return _term(presence.set_term_active(request.user, term_id, payload.active))


@router.delete("/terms/{term_id}", response={200: TermOut, **_errors(*CHANGE, 404)})
def delete_term(request: HttpRequest, term_id: Id) -> Any:
    """Stop watching a term; answers with the term as it was."""
    removed = _term(presence.get_term(request.user, term_id))
    presence.remove_term(request.user, term_id)
    return removed


@router.get("/sources", response={200: SourcePage, **_errors(*READ, 422)})
def list_sources(
    request: HttpRequest, limit: Limit = pages.DEFAULT_LIMIT, cursor: Cursor = ""
) -> Any:
    """The sources of the organizations where you sit on the committee or administer,
    with how the last look went (last success, last error); newest first."""
    page = pages.paginate(
        presence.visible_sources(request.user),
        scope="presence.sources",
        limit=limit,
        cursor=cursor,
    )
    return {"items": [_source(s) for s in page.items], "next_cursor": page.next_cursor}


@router.post("/sources", response={201: SourceOut, **_errors(*CHANGE, 404, 409)})
def create_source(request: HttpRequest, payload: SourceIn) -> Status[dict[str, Any]]:
    """Add a feed, a page or a connected channel's search (administrators, the chair)."""
    member = orgs.membership_in(request.user, payload.org)
    source = presence.add_source(
        request.user,
        member.org,
        name=payload.name,
        kind=payload.kind,
        url=payload.url,
        channel_id=payload.channel,
        every_minutes=payload.every_minutes,
    )
    return Status(201, _source(source))


@router.patch("/sources/{source_id}", response={200: SourceOut, **_errors(*CHANGE, 404, 409)})
def edit_source(request: HttpRequest, source_id: Id, payload: SourceEdit) -> Any:
    source = presence.change_source(
        request.user,
        source_id,
        name=payload.name,
        every_minutes=payload.every_minutes,
        active=payload.active,
    )
    return _source(source)


@router.delete("/sources/{source_id}", response={200: SourceOut, **_errors(*CHANGE, 404)})
def delete_source(request: HttpRequest, source_id: Id) -> Any:
    """Remove a source (administrators, the chair); answers with the source as it was."""
    removed = _source(presence.get_source(request.user, source_id))
    presence.remove_source(request.user, source_id)
    return removed


@router.get("/mentions", response={200: MentionPage, **_errors(*READ, 403, 422)})
def list_mentions(
    request: HttpRequest,
    mine: Annotated[
        bool, Query(description="Your own mentions instead of the association's.")
    ] = False,
    limit: Limit = pages.DEFAULT_LIMIT,
    cursor: Cursor = "",
) -> Any:
    """Mentions found outside the association's channels, newest first: the association's
    (committee, administrators; 403 otherwise) or, with ``mine=true``, your own."""
    page = pages.paginate(
        presence.visible_mentions(request.user, mine=mine),
        scope="presence.mentions.mine" if mine else "presence.mentions",
        limit=limit,
        cursor=cursor,
        keys=("found_at", "id"),
    )
    return {"items": [_mention(m) for m in page.items], "next_cursor": page.next_cursor}
