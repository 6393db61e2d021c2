"""The REST API (OpenAPI at /api/docs). Handlers validate, call one service, shape the answer.

Authentication: ``Authorization: Bearer <personal token>`` (made on the page
/account/tokens/ or with ``postguard token create USERNAME``), or the web
session (with its CSRF token) for the pages' own scripts. A request with a token
is judged by the token alone: a missing, wrong or revoked token is 401, never a
CSRF refusal. Lists come a page at a time: ``{"items": [...], "next_cursor"}``,
the cursor sent back as ``?cursor=`` (see postguard.web.pagination). Every error is
``{"detail": "..."}`` with a 4xx status: 400 for a body that is not JSON, 401
without authentication, 403 for a refusal (or a session request without its
CSRF token), 404, 409 for a state conflict or a stale review, 422 for input the
services cannot use.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject
from ninja import NinjaAPI, Path, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import BaseModel, ConfigDict, Field, model_validator

from postguard.web import pagination as pages
from postguard.web.audit import services as audit
from postguard.web.audit.models import AuditEntry
from postguard.web.communities import services as communities
from postguard.web.communities.models import (
    Appeal,
    Community,
    Member,
    Platform,
    QueueItem,
    Sanction,
)
from postguard.web.communities.template import ProvisionData
from postguard.web.errors import Invalid, ServiceError
from postguard.web.inbox import services as inbox
from postguard.web.inbox.models import Case, InboxItem
from postguard.web.limits import capped_report
from postguard.web.links import http_url
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel
from postguard.web.orgs.timezones import local_time
from postguard.web.publishing import services as publishing
from postguard.web.publishing.status import publishing_status
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import Comment, Post, Review


def _load_user(user_id: int) -> User | AnonymousUser:
    return User.objects.filter(pk=user_id).first() or AnonymousUser()


class BearerToken(HttpBearer):
    """The token is checked on every request (one query); the user it names is loaded
    only when the handler needs it (``POST /api/check`` does not)."""

    def authenticate(self, request: HttpRequest, token: str) -> int | None:
        user_id = orgs.user_id_for_token(token)
        if user_id is not None:
            request.user = SimpleLazyObject(lambda: _load_user(user_id))  # type: ignore[assignment]
        return user_id


class SessionWithCsrf(APIKeyCookie):
    """The pages' own session, with its CSRF token on changes.

    ninja's SessionAuth checks CSRF before it knows whether there is a session, so a
    token request whose token failed (missing, wrong, revoked) fell through to it and
    was told "CSRF check Failed" (403) instead of 401. Here a request that carries
    an Authorization header, or has no signed-in session, is simply unauthenticated."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if "HTTP_AUTHORIZATION" in request.META or not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        if key is None or not isinstance(request.user, User):
            return None
        return request.user


api = NinjaAPI(
    title="postguard",
    version="1",
    description="The committee's workspace: drafts, checks, reviews and the record.",
    auth=[BearerToken(), SessionWithCsrf()],
    urls_namespace="api",
)

#: Ids are database keys (64-bit); bounding them keeps nonsense out of queries.
MAX_ID = 2**63 - 1
#: Revisions are stored in a PositiveIntegerField.
MAX_REVISION = 2**31 - 1
PostId = Annotated[int, Path(ge=1, le=MAX_ID, description="The post's number.")]
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Limit = Annotated[
    int, Query(ge=1, le=pages.MAX_LIMIT, description="At most this many items (1 to 500).")
]
Cursor = Annotated[
    str,
    Query(
        max_length=pages.MAX_CURSOR_CHARS,
        description="The previous page's next_cursor (empty for the first page).",
    ),
]


# --- errors ----------------------------------------------------------------------


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    # Input the services cannot use is 422 here, like input the schemas refuse, so
    # that a client has one status to handle for "fix your request".
    return _error(request, 422 if isinstance(exc, Invalid) else exc.status, str(exc))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request,
        401,
        "Authentication required: send 'Authorization: Bearer <token>' "
        "(create one on the page API tokens, /account/tokens/, or with "
        "`postguard token create USERNAME`).",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "payload"))
        message = error.get("msg", "invalid")
        if error.get("type") == "string_unicode":
            message = "contains an invalid character (a lone surrogate such as \\ud800)"
        elif error.get("type") == "missing" and not where:
            message = "the request needs a JSON object body"
        problems.append(f"{where}: {message}" if where else message)
    return _error(
        request, 422, "Invalid request: " + "; ".join(str(p) for p in problems), errors=exc.errors
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if exc.status_code == 403 and message == "CSRF check Failed":
        message = (
            "CSRF check failed: a request with the web session needs the page's CSRF token "
            "(X-CSRFToken header); scripts should use 'Authorization: Bearer <token>'."
        )
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = (
            "The request body is not valid JSON (or is nested too deeply); send a JSON "
            'object such as {"text": "..."} with Content-Type: application/json.'
        )
    return _error(request, exc.status_code, message)


# --- schemas --------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str


class FindingOut(Schema):
    rule_id: str
    pack: str
    clause: str
    quote: str
    category: str
    severity: str
    start: int | None
    end: int | None
    media: int | None = None
    evidence: str
    score: float
    message: str
    fix: str
    note: str = ""


class ReportOut(Schema):
    decision: str
    findings: list[FindingOut]
    #: Work skipped on a very long text (see postguard.engine); absent otherwise.
    notes: list[str] = Field(default_factory=list)


class Body(BaseModel):
    """A request body: a JSON object with only the documented fields, each bounded."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        # Without this an array or a number validated as an empty object: a PATCH
        # with [1, 2] was a 200 that changed nothing.
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data


PostText = Annotated[str, Field(min_length=1, max_length=workflow.MAX_POST_CHARS)]
CommentText = Annotated[str, Field(max_length=workflow.MAX_COMMENT_CHARS)]


class PostIn(Body):
    text: PostText
    channel: int = Field(ge=1, le=MAX_ID)
    #: "message": a private message to the author of the inbox item ``in_reply_to`` names
    #: (Bluesky chat, Mastodon direct messages), approved like a reply.
    kind: Literal["post", "reply", "message"] = "post"
    #: For a reply (required then): the remote id or address of an inbox item or of a
    #: published post on the same channel.
    in_reply_to: str = Field(default="", max_length=workflow.MAX_REFERENCE_CHARS)
    scheduled_at: datetime | None = None


class PostEdit(Body):
    text: PostText | None = None
    scheduled_at: datetime | None = None
    #: Set to true to remove the schedule (null alone means "leave it").
    clear_schedule: bool = False


class ReviewIn(Body):
    decision: Literal["approve", "request_changes", "reject"]
    #: What you read: ``revision`` and ``content_hash`` of GET /api/posts/{id}. A review
    #: of anything else (the post changed since) is refused with 409.
    revision: int = Field(ge=1, le=MAX_REVISION)
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$", min_length=64, max_length=64)
    comment: CommentText = ""
    #: Only the chair, only to approve a post with a block finding: one reason per
    #: blocking rule ({rule id: reason}); ``justification`` alone stands for a single one.
    justification: CommentText = ""
    justifications: Annotated[
        dict[Annotated[str, Field(max_length=200)], CommentText], Field(max_length=100)
    ] = Field(default_factory=dict)


class CommentIn(Body):
    text: Annotated[str, Field(min_length=1, max_length=workflow.MAX_COMMENT_CHARS)]


class CheckIn(Body):
    text: PostText
    account: Literal["official", "personal"] = "personal"
    kind: Literal["post", "reply", "comment"] = "post"
    audience: Literal["public", "closed"] = "public"


class ChannelOut(Schema):
    id: int
    org: str
    name: str
    network: str
    handle: str
    audience: str


class PostOut(Schema):
    id: int
    org: str
    channel: ChannelOut
    author: str
    kind: str
    in_reply_to: str
    text: str
    state: str
    revision: int
    #: Send it back with ``revision`` in a review: it names exactly what you read.
    content_hash: str
    decision: str
    findings: list[FindingOut]
    scheduled_at: datetime | None
    #: The organization's time zone, and the schedule as its people read it.
    time_zone: str
    scheduled_local: str
    created_at: datetime
    updated_at: datetime


class ReviewOut(Schema):
    id: int
    reviewer: str
    reviewer_role: str
    revision: int
    content_hash: str
    decision: str
    comment: str
    override_justification: str
    override_justifications: dict[str, str]
    current: bool
    created_at: datetime


class CommentOut(Schema):
    id: int
    author: str
    text: str
    created_at: datetime


class HistoryOut(Schema):
    seq: int
    at: datetime
    actor: str
    action: str
    before: Any = None
    after: Any = None


class ApprovalOut(Schema):
    approvals: int
    required: int
    chair_required: bool
    chair_approved: bool
    override_needed: bool
    overridden: bool
    approvers: list[str]
    missing: list[str]


class PublicationOut(Schema):
    state: str
    url: str
    remote_id: str
    published_at: datetime | None
    attempts: int
    last_error: str


class StatusOut(Schema):
    #: scheduled, due, waiting_paused, waiting_channel, publishing, retrying, published,
    #: failed, not_published or not_approved (publishing/status.py).
    code: str
    label: str
    at: datetime | None
    url: str


class CrisisOut(Schema):
    #: The reply answers an inbox item triaged as a crisis or marked urgent.
    crisis_lane: bool
    #: That item is marked urgent.
    urgent: bool
    #: "crisis lane" when the chair or the deputy approved it alone, else "normal".
    lane: str
    #: Who approved it alone through the crisis lane ("" when nobody did).
    approver: str
    #: The committee member besides the chair who may approve it alone ("" when none).
    deputy: str


class ImageOut(Schema):
    id: int
    #: Where those who may see the post can fetch it (signed in; never public).
    url: str
    mime: str
    size: int
    width: int
    height: int
    alt: str
    consent: str
    credit: str
    sha256: str


class PostDetail(PostOut):
    #: The attached images, in order (part of what is approved).
    images: list[ImageOut]
    #: Where it stands on its way out, in one sentence.
    status: StatusOut
    crisis: CrisisOut
    approval: ApprovalOut
    reviews: list[ReviewOut]
    comments: list[CommentOut]
    history: list[HistoryOut]
    #: Where and whether it went out (null before an approved post is due).
    publication: PublicationOut | None = None


class RuleOut(Schema):
    id: str
    pack: str
    pack_title: str
    title: str
    category: str
    severity: str
    clause: str
    quote: str
    applies_to: str
    message: str
    fix: str


class MembershipOut(Schema):
    org: str
    org_id: int
    role: str
    demo: bool


class MeOut(Schema):
    username: str
    memberships: list[MembershipOut]
    channels: list[ChannelOut]


# --- shaping ----------------------------------------------------------------------


def _channel(channel: Channel) -> dict[str, Any]:
    return {
        "id": channel.pk,
        "org": channel.org.slug,
        "name": channel.name,
        "network": channel.network,
        "handle": channel.handle,
        "audience": channel.audience,
    }


def _post(post: Post) -> dict[str, Any]:
    return {
        "id": post.pk,
        "org": post.org.slug,
        "channel": _channel(post.channel),
        "author": post.author.get_username(),
        "kind": post.kind,
        "in_reply_to": post.in_reply_to,
        "text": post.text,
        "state": post.state,
        "revision": post.revision,
        "content_hash": workflow.content_hash_of(post),
        "decision": post.decision,
        "findings": post.findings,
        "scheduled_at": post.scheduled_at,
        "time_zone": post.org.time_zone,
        "scheduled_local": local_time(post.scheduled_at, post.org),
        "created_at": post.created_at,
        "updated_at": post.updated_at,
    }


def _review(review: Review, revision: int) -> dict[str, Any]:
    return {
        "id": review.pk,
        "reviewer": review.reviewer.get_username(),
        "reviewer_role": review.reviewer_role,
        "revision": review.revision,
        "content_hash": review.content_hash,
        "decision": review.decision,
        "comment": review.comment,
        "override_justification": review.override_justification,
        "override_justifications": review.override_justifications or {},
        "current": review.revision == revision,
        "created_at": review.created_at,
    }


def _comment(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "author": comment.author.get_username(),
        "text": comment.text,
        "created_at": comment.created_at,
    }


def _history(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at,
        "actor": entry.actor_name or "system",
        "action": entry.action,
        "before": entry.before,
        "after": entry.after,
    }


def _detail(post: Post) -> dict[str, Any]:
    status = workflow.approval_status(post)
    return {
        **_post(post),
        "status": _status(post),
        "crisis": _crisis(post, status),
        "images": [
            {
                "id": i.pk,
                "url": f"/posts/{post.pk}/images/{i.pk}/",
                "mime": i.mime,
                "size": i.size,
                "width": i.width,
                "height": i.height,
                "alt": i.alt,
                "consent": i.consent,
                "credit": i.credit,
                "sha256": i.sha256,
            }
            for i in post.images.all()
        ],
        "approval": {
            "approvals": status.approvals,
            "required": status.required,
            "chair_required": status.chair_required,
            "chair_approved": status.chair_approved,
            "override_needed": status.override_needed,
            "overridden": status.overridden,
            "approvers": list(status.approvers),
            "missing": list(status.missing),
        },
        "reviews": [
            _review(r, post.revision) for r in post.reviews.select_related("reviewer").all()
        ],
        "comments": [_comment(c) for c in post.comments.select_related("author").all()],
        "history": [_history(e) for e in workflow.history(post)],
        "publication": _publication(post),
    }


def _status(post: Post) -> dict[str, Any]:
    found = publishing_status(post)
    return {"code": found.code, "label": found.label, "at": found.at, "url": found.url}


def _crisis(post: Post, status: workflow.ApprovalStatus) -> dict[str, Any]:
    from postguard.web.inbox.models import Priority

    item = workflow.crisis_item_of(post) if status.crisis else None
    deputy = orgs.approval_policy(post.org).crisis_deputy if status.crisis else None
    return {
        "crisis_lane": status.crisis,
        "urgent": item is not None and item.priority >= Priority.URGENT,
        "lane": status.lane,
        "approver": status.crisis_approver,
        "deputy": deputy.get_username() if deputy is not None else "",
    }


def _publication(post: Post) -> dict[str, Any] | None:
    from postguard.web.publishing.services import publication_record

    found = publication_record(post)
    if found is None:
        return None
    return {
        "state": found.state,
        "url": found.url,
        "remote_id": found.remote_id,
        "published_at": found.published_at,
        "attempts": found.attempts,
        "last_error": found.last_error,
    }


# --- endpoints ---------------------------------------------------------------------


def _errors(*codes: int) -> dict[frozenset[int], type[ErrorOut]]:
    """The error statuses an operation really gives, for its OpenAPI entry."""
    return {frozenset(codes): ErrorOut}


#: Every operation: no or a bad token. Changes add 400 (a body that is not JSON), 403
#: (a refusal, or a session request without its CSRF token) and 422 (unusable input).
READ = (401,)
CHANGE = (400, 401, 403, 422)


@api.get("/me", response={200: MeOut, **_errors(*READ)}, tags=["people"])
def me(request: HttpRequest) -> dict[str, Any]:
    """Who the token belongs to, their organizations and the channels they may draft for."""
    return {
        "username": request.user.get_username(),
        "memberships": [
            {"org": m.org.slug, "org_id": m.org_id, "role": m.role, "demo": m.org.is_demo}
            for m in orgs.memberships_of(request.user)
        ],
        "channels": [_channel(c) for c in orgs.channels_for(request.user)],
    }


class PostPage(Schema):
    items: list[PostOut]
    #: Send it back as ``cursor`` for the next page; null on the last one.
    next_cursor: str | None


@api.get("/posts", response={200: PostPage, **_errors(*READ, 422)}, tags=["posts"])
def list_posts(
    request: HttpRequest,
    state: Annotated[str, Query(max_length=20, description="Only posts in this state.")] = "",
    limit: Limit = pages.DEFAULT_LIMIT,
    cursor: Cursor = "",
) -> dict[str, Any]:
    """Posts you can see, newest first, a page at a time (``state`` filters)."""
    query = workflow.visible_posts(request.user)
    if state:
        query = query.filter(state=state)
    page = pages.paginate(query, scope="posts", limit=limit, cursor=cursor)
    return {"items": [_post(p) for p in page.items], "next_cursor": page.next_cursor}


@api.post("/posts", response={201: PostDetail, **_errors(*CHANGE, 404, 409)}, tags=["posts"])
def create_post(request: HttpRequest, payload: PostIn) -> Status[dict[str, Any]]:
    """Draft a post or reply for an official channel; the engine checks it at once.

    A reply (``kind`` reply) takes the reply lane's approvals, so it must answer
    something known on the channel: ``in_reply_to`` is the remote id or address of an
    inbox item or of one of the channel's published posts (422 otherwise)."""
    channel = orgs.get_channel(request.user, payload.channel)
    post = workflow.create_post(
        request.user,
        channel,
        payload.text,
        kind=payload.kind,
        in_reply_to=payload.in_reply_to,
        scheduled_at=payload.scheduled_at,
    )
    return Status(201, _detail(post))


@api.get("/posts/{post_id}", response={200: PostDetail, **_errors(*READ, 404, 422)}, tags=["posts"])
def get_post(request: HttpRequest, post_id: PostId) -> dict[str, Any]:
    """A post with its status, findings, reviews, comments and history, and the
    ``revision`` and ``content_hash`` a review of it must name."""
    return _detail(workflow.get_post(request.user, post_id))


@api.patch(
    "/posts/{post_id}", response={200: PostDetail, **_errors(*CHANGE, 404, 409)}, tags=["posts"]
)
def edit_post(request: HttpRequest, post_id: PostId, payload: PostEdit) -> dict[str, Any]:
    """Edit the text or schedule (the author only). A new text is a new revision, and an
    approved post goes back to review; a new time alone keeps the approvals and is
    recorded as a reschedule (see POST /api/posts/{id}/schedule)."""
    post = workflow.get_post(request.user, post_id)
    changes: dict[str, Any] = {}
    if payload.text is not None:
        changes["text"] = payload.text
    if payload.clear_schedule:
        changes["scheduled_at"] = None
    elif payload.scheduled_at is not None:
        changes["scheduled_at"] = payload.scheduled_at
    return _detail(workflow.edit_post(request.user, post, **changes))


class ScheduleIn(Body):
    #: With a time zone (2030-01-31T09:00:00+01:00); null: as soon as it is approved.
    scheduled_at: datetime | None


@api.post(
    "/posts/{post_id}/schedule",
    response={200: PostDetail, **_errors(*CHANGE, 404, 409)},
    tags=["posts"],
)
def schedule_post(request: HttpRequest, post_id: PostId, payload: ScheduleIn) -> dict[str, Any]:
    """Move a post to another time before it is published (its author or a member of the
    committee). The text is unchanged, so the approvals stand; the move is recorded with
    the old and new time, and the author and approvers are told."""
    from postguard.web.workflow import schedule

    post = workflow.get_post(request.user, post_id)
    return _detail(schedule.reschedule(request.user, post, payload.scheduled_at))


@api.post(
    "/posts/{post_id}/submit",
    response={200: PostDetail, **_errors(*CHANGE, 404, 409)},
    tags=["posts"],
)
def submit_post(request: HttpRequest, post_id: PostId) -> dict[str, Any]:
    """Send a draft (or a post with changes requested) to the committee."""
    post = workflow.get_post(request.user, post_id)
    return _detail(workflow.submit(request.user, post))


@api.post(
    "/posts/{post_id}/reviews",
    response={200: PostDetail, 201: PostDetail, **_errors(*CHANGE, 404, 409)},
    tags=["posts"],
)
def review_post(request: HttpRequest, post_id: PostId, payload: ReviewIn) -> Status[dict[str, Any]]:
    """Approve, request changes or reject (committee reviewers and chair, not the author).

    Name what you read with ``revision`` and ``content_hash`` from GET /api/posts/{id};
    if the post changed since, the review is refused with 409. The same review sent
    again is recorded once: 201 the first time, 200 after."""
    post = workflow.get_post(request.user, post_id)
    done = workflow.record_review(
        request.user,
        post,
        payload.decision,
        payload.comment,
        payload.justification,
        justifications=payload.justifications,
        revision=payload.revision,
        content_hash=payload.content_hash,
    )
    return Status(201 if done.created else 200, _detail(done.post))


@api.post(
    "/posts/{post_id}/comments",
    response={201: CommentOut, **_errors(*CHANGE, 404)},
    tags=["posts"],
)
def comment_post(
    request: HttpRequest, post_id: PostId, payload: CommentIn
) -> Status[dict[str, Any]]:
    """A comment between the author and the reviewers."""
    post = workflow.get_post(request.user, post_id)
    return Status(201, _comment(workflow.add_comment(request.user, post, payload.text)))


# --- publication, channels, inbox, cases, the record (issue 14) -------------------------


class PublicationStatusOut(Schema):
    post: int
    post_state: str
    scheduled_at: datetime | None
    #: "none" before an approved post is due; else the publication's state.
    state: str
    state_label: str
    #: Where it was published (an http(s) address only; empty otherwise).
    url: str
    remote_id: str
    published_at: datetime | None
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    #: Where it stands, in one sentence (the same as on the post's page).
    status: StatusOut


@api.get(
    "/posts/{post_id}/publication",
    response={200: PublicationStatusOut, **_errors(*READ, 404, 422)},
    tags=["posts"],
)
def post_publication(request: HttpRequest, post_id: PostId) -> dict[str, Any]:
    """Whether and where the post went out: the state, the network's id and address,
    when, the last error and the next try."""
    post, found = publishing.publication_for(request.user, post_id)
    return {
        "post": post.pk,
        "post_state": post.state,
        "scheduled_at": post.scheduled_at,
        "state": found.state if found else "none",
        "state_label": found.state_label if found else "Not published",
        "url": (http_url(found.url) or "") if found else "",
        "remote_id": found.remote_id if found else "",
        "published_at": found.published_at if found else None,
        "attempts": found.attempts if found else 0,
        "last_error": found.last_error if found else "",
        "next_attempt_at": found.next_attempt_at if found else None,
        "status": _status(post),
    }


class ChannelStatusOut(ChannelOut):
    active: bool
    #: The connection: "connected", "expired" or "disconnected".
    state: str
    state_label: str
    expires_at: datetime | None
    #: Why approved posts could not go out now and who can fix it; empty when they can.
    problem: str
    #: Whether postguard has a connector for the network.
    supported: bool
    network_name: str
    #: What the connector can do there (publish_images, reply, fetch_comments, ...).
    capabilities: dict[str, bool]
    notes: list[str]
    max_chars: int | None
    char_unit: str
    max_images: int | None


class ChannelPage(Schema):
    items: list[ChannelStatusOut]
    next_cursor: str | None


@api.get("/channels", response={200: ChannelPage, **_errors(*READ, 422)}, tags=["channels"])
def list_channels(
    request: HttpRequest, limit: Limit = pages.DEFAULT_LIMIT, cursor: Cursor = ""
) -> dict[str, Any]:
    """The channels you work with (all of an organization you administer or chair, else
    those you are authorized on), with their connection and what the network supports."""
    page = pages.paginate(
        publishing.visible_channels(request.user),
        scope="channels",
        limit=limit,
        cursor=cursor,
        keys=("id",),
    )
    items = []
    for channel in page.items:
        summary = publishing.channel_summary(channel)
        items.append(
            {
                **_channel(channel),
                "active": channel.active,
                "state": summary.state,
                "state_label": summary.state_label,
                "expires_at": summary.expires_at,
                "problem": summary.problem,
                "supported": summary.supported,
                "network_name": summary.display_name,
                "capabilities": summary.capabilities,
                "notes": list(summary.notes),
                "max_chars": summary.max_chars,
                "char_unit": summary.char_unit,
                "max_images": summary.max_images,
            }
        )
    return {"items": items, "next_cursor": page.next_cursor}


class InboxItemOut(Schema):
    id: int
    org: str
    channel: int
    channel_name: str
    remote_id: str
    parent_remote_id: str
    author_handle: str
    text: str
    kind: str
    #: The item on its network (an http(s) address only; empty otherwise).
    url: str
    source: str
    categories: list[str]
    priority: int
    negative: bool
    state: str
    assignee: str | None
    created_at: datetime
    received_at: datetime
    escalated_at: datetime | None
    hidden_at: datetime | None


class InboxPage(Schema):
    items: list[InboxItemOut]
    next_cursor: str | None


def _inbox_item(item: InboxItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "org": item.org.slug,
        "channel": item.channel_id,
        "channel_name": item.channel.name,
        "remote_id": item.remote_id,
        "parent_remote_id": item.parent_remote_id,
        "author_handle": item.author_handle,
        "text": item.text,
        "kind": item.kind,
        "url": http_url(item.url) or "",
        "source": item.source,
        "categories": [str(c) for c in item.categories or []],
        "priority": item.priority,
        "negative": item.negative,
        "state": item.state,
        "assignee": item.assignee.get_username() if item.assignee else None,
        "created_at": item.created_at,
        "received_at": item.received_at,
        "escalated_at": item.escalated_at,
        "hidden_at": item.hidden_at,
    }


@api.get("/inbox", response={200: InboxPage, **_errors(*READ, 403, 422)}, tags=["inbox"])
def list_inbox(
    request: HttpRequest,
    channel: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this channel.")] = None,
    state: Annotated[
        Literal["", "new", "read", "done"], Query(description="Only items in this state.")
    ] = "",
    category: Annotated[
        str, Query(max_length=60, description="Only items in this category (e.g. signal.crisis).")
    ] = "",
    limit: Limit = pages.DEFAULT_LIMIT,
    cursor: Cursor = "",
) -> dict[str, Any]:
    """The comments, replies and mentions you may see, newest first (403 for members
    who neither sit on the committee nor respond on a channel)."""
    query = inbox.inbox_everywhere(
        request.user, inbox.Filters(channel=channel, state=state, category=category)
    )
    page = pages.paginate(query, scope="inbox", limit=limit, cursor=cursor)
    return {"items": [_inbox_item(i) for i in page.items], "next_cursor": page.next_cursor}


@api.get(
    "/inbox/{item_id}", response={200: InboxItemOut, **_errors(*READ, 404, 422)}, tags=["inbox"]
)
def get_inbox_item(request: HttpRequest, item_id: Id) -> dict[str, Any]:
    return _inbox_item(inbox.get_item(request.user, item_id))


class CaseStepOut(Schema):
    id: int
    order: int
    title: str
    owner_role: str
    due_at: datetime
    done_at: datetime | None
    done_by: str | None


class CaseOut(Schema):
    id: int
    org: str
    situation: str
    title: str
    state: str
    item: int | None
    channel: int | None
    playbook: str | None
    opened_at: datetime
    closed_at: datetime | None


class CaseDetail(CaseOut):
    steps: list[CaseStepOut]


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


def _case(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "org": case.org.slug,
        "situation": case.situation,
        "title": case.title,
        "state": case.state,
        "item": case.item_id,
        "channel": case.channel_id,
        "playbook": case.playbook.name if case.playbook else None,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
    }


@api.get("/cases", response={200: CasePage, **_errors(*READ, 403, 422)}, tags=["inbox"])
def list_cases(
    request: HttpRequest,
    state: Annotated[Literal["", "open", "closed"], Query(description="Only these.")] = "",
    limit: Limit = pages.DEFAULT_LIMIT,
    cursor: Cursor = "",
) -> dict[str, Any]:
    """The cases you may see, most recently opened first."""
    query = inbox.cases_everywhere(request.user, state)
    page = pages.paginate(
        query, scope="cases", limit=limit, cursor=cursor, keys=("opened_at", "id")
    )
    return {"items": [_case(c) for c in page.items], "next_cursor": page.next_cursor}


@api.get("/cases/{case_id}", response={200: CaseDetail, **_errors(*READ, 404, 422)}, tags=["inbox"])
def get_case(request: HttpRequest, case_id: Id) -> dict[str, Any]:
    """A case with its playbook's steps, their owners and deadlines."""
    case = inbox.get_case(request.user, case_id)
    return {
        **_case(case),
        "steps": [
            {
                "id": s.pk,
                "order": s.order,
                "title": s.title,
                "owner_role": s.owner_role,
                "due_at": s.due_at,
                "done_at": s.done_at,
                "done_by": s.done_by.get_username() if s.done_by else None,
            }
            for s in case.steps.select_related("done_by").order_by("order", "id")
        ],
    }


class AuditEntryOut(HistoryOut):
    org_id: int | None
    object_type: str
    object_id: str
    hash: str


class AuditPage(Schema):
    items: list[AuditEntryOut]
    next_cursor: str | None


@api.get("/audit", response={200: AuditPage, **_errors(*READ, 403, 422)}, tags=["audit"])
def list_audit(
    request: HttpRequest,
    since: Annotated[datetime | None, Query(description="Entries at or after.")] = None,
    until: Annotated[datetime | None, Query(description="Entries before.")] = None,
    action: Annotated[
        str, Query(max_length=60, description="Actions starting with this (e.g. post.).")
    ] = "",
    limit: Limit = pages.DEFAULT_LIMIT,
    cursor: Cursor = "",
) -> dict[str, Any]:
    """The record of the organizations you administer or chair, newest first (403 for
    everyone else). Reading it changes nothing; `postguard audit verify` checks it."""
    query = audit.entries_everywhere(request.user, action=action, since=since, until=until)
    page = pages.paginate(query, scope="audit", limit=limit, cursor=cursor, keys=("seq",))
    return {
        "items": [
            {
                **_history(e),
                "org_id": e.org_id,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "hash": e.hash,
            }
            for e in page.items
        ],
        "next_cursor": page.next_cursor,
    }


# --- personal data: check's suggested rewrite, and redact (issue 8) ---------------


class CheckOut(ReportOut):
    #: The text with its personal data replaced by placeholders ("[name]", "[phone]"),
    #: when there are privacy findings and replacing changes the text; null otherwise.
    suggested_rewrite: str | None = None
    #: True when more findings were found than one answer lists (at most 200, the most
    #: severe first; a note in ``notes`` says how many). The decision counts them all.
    truncated: bool = False


class RedactIn(Body):
    text: PostText


class EntityOut(Schema):
    type: str
    start: int
    end: int
    score: float
    recognizer: str


class RedactOut(Schema):
    text: str
    entities: list[EntityOut]


@api.post("/check", response={200: CheckOut, **_errors(*CHANGE)}, tags=["codes"])
def check(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    """Check a text against the codes; nothing is stored. With privacy findings the
    answer suggests a rewrite with the personal data replaced by placeholders."""
    report, rewrite = workflow.check_text_with_rewrite(
        payload.text, account=payload.account, kind=payload.kind, audience=payload.audience
    )
    return {**capped_report(report.to_dict()), "suggested_rewrite": rewrite}


@api.post("/redact", response={200: RedactOut, **_errors(*CHANGE)}, tags=["codes"])
def redact(request: HttpRequest, payload: RedactIn) -> dict[str, Any]:
    """The text with each identifying span (a name, phone, e-mail, address, id, date,
    age, hospital or place) replaced by a placeholder such as "[name]", and the entities
    found, with spans into the text sent; nothing is stored."""
    text, entities = workflow.redact_text(payload.text)
    return {"text": text, "entities": [e.to_dict() for e in entities]}


# --- end of personal data ------------------------------------------------------------


@api.get("/rules", response={200: list[RuleOut], **_errors(*READ)}, tags=["codes"])
def rules(request: HttpRequest) -> list[dict[str, Any]]:
    """Every rule the workspace enforces, with the clause it comes from."""
    return workflow.rules_catalogue()


# --- communities (postguard.web.communities) ----------------------------------------------


Short = Annotated[str, Field(max_length=500)]
Reason = Annotated[str, Field(min_length=1, max_length=communities.MAX_REASON)]


class CommunityIn(Body):
    org: int = Field(ge=1, le=MAX_ID)
    name: Annotated[str, Field(min_length=1, max_length=120)]
    platform: Literal["matrix", "discourse", "discord", "facebook"]
    room_id: Annotated[str, Field(min_length=1, max_length=500)]


class CommunityOut(Schema):
    id: int
    org: str
    name: str
    platform: str
    room_id: str
    watched: bool
    connected: bool
    role: str
    policy_version: int | None
    policy_url: str
    report_url: str
    warning_days: int
    suspension_days: int
    appeal_days: int
    retention_days: int


class ProvisionIO(Schema):
    number: int = Field(ge=1, le=999)
    title: Annotated[str, Field(min_length=1, max_length=200)]
    text: Annotated[str, Field(min_length=1, max_length=5000)]
    category: Annotated[str, Field(max_length=60)] = ""
    detect: Literal["", "builtin", "lexicon", "pattern"] = ""
    terms: list[Annotated[str, Field(max_length=500)]] = Field(default_factory=list, max_length=200)
    severity: Literal["block", "review", "advise"] = "review"
    skip_to: Literal["", "suspend", "ban"] = ""
    example_violating: Annotated[str, Field(max_length=2000)] = ""
    example_compliant: Annotated[str, Field(max_length=2000)] = ""


class PolicyIn(Body):
    title: Annotated[str, Field(min_length=1, max_length=200)]
    preamble: Annotated[str, Field(max_length=communities.MAX_TEXT)] = ""
    provisions: list[ProvisionIO] = Field(min_length=1, max_length=communities.MAX_PROVISIONS)


class PolicyOut(Schema):
    version: int
    state: str
    title: str
    preamble: str
    pinned: bool
    pin_instructions: str
    provisions: list[ProvisionIO]


class QueueItemOut(Schema):
    id: int
    source: str
    route: str
    state: str
    member: int | None
    message: str | None
    reason: str
    cues: list[str]
    findings: list[FindingOut]
    steps: list[dict[str, Any]]
    created_at: datetime


class FlagIn(Body):
    reason: Reason
    message: Short = ""
    member: Short = ""
    text: Annotated[str, Field(max_length=communities.MAX_TEXT)] = ""


class ActionIn(Body):
    step: Literal["remove", "warn", "suspend", "kick", "ban"]
    provision: int = Field(ge=1, le=999)
    reason: Reason
    remove_message: bool = False
    days: int | None = Field(default=None, ge=1, le=communities.MAX_DAYS)


class AppliedOut(Schema):
    action: str
    done: bool
    detail: str


class SanctionOut(Schema):
    id: int
    member: int
    step: str
    proposed: str
    provision: int
    policy_version: int
    reason: str
    actor: str
    created_at: datetime
    ends_at: datetime | None
    restored_at: datetime | None
    overturned_at: datetime | None
    applied: list[AppliedOut]


class AppealIn(Body):
    text: Annotated[str, Field(min_length=1, max_length=5000)]


class DecisionIn(Body):
    outcome: Literal["upheld", "overturned"]
    reasons: Reason


class AppealOut(Schema):
    id: int
    sanction: int
    text: str
    submitted_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    outcome: str
    reasons: str


class MemberOut(Schema):
    id: int
    remote_id: str
    name: str
    warnings: int
    suspensions: int
    bans: int
    suspended_until: datetime | None
    proposed: str
    sanctions: list[SanctionOut]
    appeals: list[AppealOut]
    reports: list[int]


def _community(user: User, c: Community) -> dict[str, Any]:
    policy = communities.published_policy(c)
    url = communities.public_url(c)
    return {
        "id": c.pk,
        "org": c.org.slug,
        "name": c.name,
        "platform": c.platform,
        "room_id": c.room_id,
        "watched": c.watched,
        "connected": bool(c.secret),
        "role": communities.staff_role(user, c) or "",
        "policy_version": policy.version if policy else None,
        "policy_url": url,
        "report_url": f"{url}report/",
        "warning_days": c.warning_days,
        "suspension_days": c.suspension_days,
        "appeal_days": c.appeal_days,
        "retention_days": c.retention_days,
    }


def _policy(policy: Any) -> dict[str, Any]:
    return {
        "version": policy.version,
        "state": policy.state,
        "title": policy.title,
        "preamble": policy.preamble,
        "pinned": bool(policy.pinned_id),
        "pin_instructions": policy.pin_instructions,
        "provisions": [
            {
                "number": p.number,
                "title": p.title,
                "text": p.text,
                "category": p.category,
                "detect": p.detect,
                "terms": list(p.terms),
                "severity": p.severity,
                "skip_to": p.skip_to,
                "example_violating": p.example_violating,
                "example_compliant": p.example_compliant,
            }
            for p in policy.provisions.all()
        ],
    }


def _queue_item(item: QueueItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "source": item.source,
        "route": item.route,
        "state": item.state,
        "member": item.member_id,
        "message": item.message.text if item.message else None,
        "reason": item.reason,
        "cues": list(item.cues),
        "findings": list(item.findings),
        "steps": list(item.steps),
        "created_at": item.created_at,
    }


def _sanction(s: Sanction) -> dict[str, Any]:
    return {
        "id": s.pk,
        "member": s.member_id,
        "step": s.step,
        "proposed": s.proposed,
        "provision": s.provision_number,
        "policy_version": s.policy_version,
        "reason": s.reason,
        "actor": s.actor.get_username() if s.actor else "",
        "created_at": s.created_at,
        "ends_at": s.ends_at,
        "restored_at": s.restored_at,
        "overturned_at": s.overturned_at,
        "applied": [
            {
                "action": a.get("action", ""),
                "done": bool(a.get("done")),
                "detail": a.get("detail", ""),
            }
            for a in s.applied
        ],
    }


def _appeal(a: Appeal) -> dict[str, Any]:
    return {
        "id": a.pk,
        "sanction": a.sanction_id,
        "text": a.text,
        "submitted_at": a.submitted_at,
        "decided_by": a.decided_by.get_username() if a.decided_by else None,
        "decided_at": a.decided_at,
        "outcome": a.outcome,
        "reasons": a.reasons,
    }


def _user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class CommunityPage(Schema):
    items: list[CommunityOut]
    next_cursor: str | None


@api.get("/communities", response={200: CommunityPage, **_errors(*READ, 422)}, tags=["communities"])
def list_communities(
    request: HttpRequest, limit: Limit = pages.DEFAULT_LIMIT, cursor: Cursor = ""
) -> dict[str, Any]:
    """The communities the person administers or moderates, in every organization,
    newest first, a page at a time."""
    user = _user_of(request)
    ids: set[int] = set()
    for m in orgs.memberships_of(user):
        ids |= set(communities.visible_communities(user, m.org).values_list("pk", flat=True))
    query = Community.objects.filter(pk__in=ids).select_related("org")
    page = pages.paginate(query, scope="communities", limit=limit, cursor=cursor)
    return {"items": [_community(user, c) for c in page.items], "next_cursor": page.next_cursor}


@api.post(
    "/communities",
    response={201: CommunityOut, **_errors(*CHANGE, 404, 409)},
    tags=["communities"],
)
def create_community(request: HttpRequest, payload: CommunityIn) -> Status[dict[str, Any]]:
    """Add a community (the organization's administrators); it starts with the template policy."""
    user = _user_of(request)
    member = orgs.membership_in(user, payload.org)
    assert payload.platform in Platform.values
    created = communities.create_community(
        user, member.org, name=payload.name, platform=payload.platform, room_id=payload.room_id
    )
    return Status(201, _community(user, created))


@api.get(
    "/communities/{community_id}",
    response={200: CommunityOut, **_errors(*READ, 404, 422)},
    tags=["communities"],
)
def get_community(request: HttpRequest, community_id: Id) -> dict[str, Any]:
    user = _user_of(request)
    return _community(user, communities.get_community(user, community_id))


@api.get(
    "/communities/{community_id}/policy",
    response={200: PolicyOut, **_errors(*READ, 404, 422)},
    tags=["communities"],
)
def get_policy(request: HttpRequest, community_id: Id) -> dict[str, Any]:
    """The draft if there is one, else the published version."""
    community = communities.get_community(_user_of(request), community_id)
    policy = communities.draft_policy(community) or communities.published_policy(community)
    if policy is None:
        raise Http404
    return _policy(policy)


@api.put(
    "/communities/{community_id}/policy",
    response={200: PolicyOut, **_errors(*CHANGE, 404)},
    tags=["communities"],
)
def save_policy(request: HttpRequest, community_id: Id, payload: PolicyIn) -> dict[str, Any]:
    """Save the draft (the community's administrators); refused with ``file:line: reason``
    when a provision cannot be checked."""
    user = _user_of(request)
    community = communities.get_community(user, community_id)
    policy = communities.save_policy(
        user,
        community,
        title=payload.title,
        preamble=payload.preamble,
        provisions=[ProvisionData(**p.model_dump()) for p in payload.provisions],
    )
    return _policy(policy)


@api.post(
    "/communities/{community_id}/policy/publish",
    response={200: PolicyOut, **_errors(*CHANGE, 404, 409)},
    tags=["communities"],
)
def publish_policy(request: HttpRequest, community_id: Id) -> dict[str, Any]:
    """Publish the draft and pin it where the platform allows."""
    user = _user_of(request)
    return _policy(communities.publish_policy(user, communities.get_community(user, community_id)))


class QueuePage(Schema):
    items: list[QueueItemOut]
    next_cursor: str | None


@api.get(
    "/communities/{community_id}/queue",
    response={200: QueuePage, **_errors(*READ, 404, 422)},
    tags=["communities"],
)
def community_queue(
    request: HttpRequest,
    community_id: Id,
    state: Literal["open", "actioned", "dismissed", "routed", "all"] = "open",
    limit: Limit = pages.DEFAULT_LIMIT,
    cursor: Cursor = "",
) -> dict[str, Any]:
    """The community's moderation queue, newest first, a page at a time."""
    user = _user_of(request)
    community = communities.get_community(user, community_id)
    query = communities.queue(user, community, state)
    page = pages.paginate(query, scope=f"queue-{community.pk}", limit=limit, cursor=cursor)
    return {"items": [_queue_item(i) for i in page.items], "next_cursor": page.next_cursor}


@api.post(
    "/communities/{community_id}/flags",
    response={201: QueueItemOut, **_errors(*CHANGE, 404)},
    tags=["communities"],
)
def flag_message(request: HttpRequest, community_id: Id, payload: FlagIn) -> Status[dict[str, Any]]:
    """A moderator's flag: a message by id or link, or a member and what they wrote."""
    user = _user_of(request)
    community = communities.get_community(user, community_id)
    item = communities.flag(
        user,
        community,
        reason=payload.reason,
        message_ref=payload.message,
        member_id=payload.member,
        text=payload.text,
    )
    return Status(201, _queue_item(item))


@api.post(
    "/communities/items/{item_id}/actions",
    response={201: SanctionOut, **_errors(*CHANGE, 404, 409)},
    tags=["communities"],
)
def act_on_item(request: HttpRequest, item_id: Id, payload: ActionIn) -> Status[dict[str, Any]]:
    """One step of the ladder citing a provision; applied on the platform where it can be,
    with instructions otherwise (``applied``)."""
    user = _user_of(request)
    item = communities.get_item(user, item_id)
    sanction = communities.act(
        user,
        item.community,
        item=item,
        step=payload.step,
        provision_number=payload.provision,
        reason=payload.reason,
        remove_message=payload.remove_message,
        days=payload.days,
    )
    return Status(201, _sanction(sanction))


@api.get(
    "/communities/{community_id}/members/{member_id}",
    response={200: MemberOut, **_errors(*READ, 404, 422)},
    tags=["communities"],
)
def member_record(request: HttpRequest, community_id: Id, member_id: Id) -> dict[str, Any]:
    """A member's record: reports, sanctions, appeals, and the ladder's next step."""
    user = _user_of(request)
    community = communities.get_community(user, community_id)
    found = communities.member_record(user, community, member_id)
    member: Member = found.member
    return {
        "id": member.pk,
        "remote_id": member.remote_id,
        "name": member.name,
        "warnings": found.standing.warnings,
        "suspensions": found.standing.suspensions,
        "bans": found.standing.bans,
        "suspended_until": found.standing.suspended_until,
        "proposed": found.proposed,
        "sanctions": [_sanction(s) for s in found.sanctions],
        "appeals": [_appeal(a) for a in found.appeals],
        "reports": [i.pk for i in found.reports],
    }


@api.post(
    "/communities/sanctions/{sanction_id}/appeals",
    response={201: AppealOut, **_errors(*CHANGE, 404, 409)},
    tags=["communities"],
)
def record_appeal(
    request: HttpRequest, sanction_id: Id, payload: AppealIn
) -> Status[dict[str, Any]]:
    """Record an appeal a moderator received another way (members use their link)."""
    return Status(
        201, _appeal(communities.record_appeal(_user_of(request), sanction_id, payload.text))
    )


@api.post(
    "/communities/appeals/{appeal_id}/decision",
    response={200: AppealOut, **_errors(*CHANGE, 404, 409)},
    tags=["communities"],
)
def decide_appeal(request: HttpRequest, appeal_id: Id, payload: DecisionIn) -> dict[str, Any]:
    """Decide an appeal: by a moderator who did not take the decision (403 otherwise)."""
    appeal = communities.decide_appeal(
        _user_of(request), appeal_id, payload.outcome, payload.reasons
    )
    return _appeal(appeal)


# --- presence monitoring (issue 12): its own module, mounted here ------------------------

from postguard.web.presence.api import router as presence_router  # noqa: E402

api.add_router("/presence", presence_router)

# --- taking down past posts (web.takedown) ---------------------------------------
from postguard.web.takedown.api import router as _takedown_router  # noqa: E402

api.add_router("/", _takedown_router)

# --- monitoring and evaluation (issue 12) -----------------------------------------------------

from postguard.web.evaluation.api import router as evaluation_router  # noqa: E402

api.add_router("/evaluation", evaluation_router)
