"""The REST API (OpenAPI at /api/docs). Handlers validate, call one service, shape the answer.

Authentication: ``Authorization: Bearer <personal token>`` (``postguard token
create USERNAME``), or the web session (with its CSRF token) for the pages'
own scripts. Every error is ``{"detail": "..."}`` with a 4xx status.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.responses import codes_4xx
from ninja.security import HttpBearer, django_auth

from postguard.web.audit.models import AuditEntry
from postguard.web.errors import ServiceError
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import Comment, Post, Review


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = orgs.user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="postguard",
    version="1",
    description="The committee's workspace: drafts, checks, reviews and the record.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


# --- errors ----------------------------------------------------------------------


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(ServiceError)
def _service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return _error(request, exc.status, str(exc))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request,
        401,
        "Authentication required: send 'Authorization: Bearer <token>' "
        "(create one with `postguard token create USERNAME`).",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "payload"))
        problems.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg"))
    return _error(
        request, 422, "Invalid request: " + "; ".join(str(p) for p in problems), errors=exc.errors
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc))


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


class PostIn(Schema):
    text: str
    channel: int
    kind: Literal["post", "reply"] = "post"
    in_reply_to: str = ""
    scheduled_at: datetime | None = None


class PostEdit(Schema):
    text: str | None = None
    scheduled_at: datetime | None = None
    #: Set to true to remove the schedule (null alone means "leave it").
    clear_schedule: bool = False


class ReviewIn(Schema):
    decision: Literal["approve", "request_changes", "reject"]
    comment: str = ""
    #: Only the chair, only to approve a post with a block finding.
    justification: str = ""


class CommentIn(Schema):
    text: str


class CheckIn(Schema):
    text: str
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
    decision: str
    findings: list[FindingOut]
    scheduled_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ReviewOut(Schema):
    id: int
    reviewer: str
    reviewer_role: str
    revision: int
    decision: str
    comment: str
    override_justification: str
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


class PostDetail(PostOut):
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
        "decision": post.decision,
        "findings": post.findings,
        "scheduled_at": post.scheduled_at,
        "created_at": post.created_at,
        "updated_at": post.updated_at,
    }


def _review(review: Review, revision: int) -> dict[str, Any]:
    return {
        "id": review.pk,
        "reviewer": review.reviewer.get_username(),
        "reviewer_role": review.reviewer_role,
        "revision": review.revision,
        "decision": review.decision,
        "comment": review.comment,
        "override_justification": review.override_justification,
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


@api.get("/me", response={200: MeOut, codes_4xx: ErrorOut}, tags=["people"])
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


@api.get("/posts", response={200: list[PostOut], codes_4xx: ErrorOut}, tags=["posts"])
def list_posts(request: HttpRequest, state: str = "", limit: int = 100) -> list[dict[str, Any]]:
    """Posts you can see, newest first (``state`` filters, ``limit`` at most 500)."""
    query = workflow.visible_posts(request.user)
    if state:
        query = query.filter(state=state)
    return [_post(p) for p in query[: max(1, min(limit, 500))]]


@api.post("/posts", response={201: PostDetail, codes_4xx: ErrorOut}, tags=["posts"])
def create_post(request: HttpRequest, payload: PostIn) -> Status[dict[str, Any]]:
    """Draft a post or reply for an official channel; the engine checks it at once."""
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


@api.get("/posts/{post_id}", response={200: PostDetail, codes_4xx: ErrorOut}, tags=["posts"])
def get_post(request: HttpRequest, post_id: int) -> dict[str, Any]:
    """A post with its status, findings, reviews, comments and history."""
    return _detail(workflow.get_post(request.user, post_id))


@api.patch("/posts/{post_id}", response={200: PostDetail, codes_4xx: ErrorOut}, tags=["posts"])
def edit_post(request: HttpRequest, post_id: int, payload: PostEdit) -> dict[str, Any]:
    """Edit the text or schedule (the author only); an approved post goes back to review."""
    post = workflow.get_post(request.user, post_id)
    changes: dict[str, Any] = {}
    if payload.text is not None:
        changes["text"] = payload.text
    if payload.clear_schedule:
        changes["scheduled_at"] = None
    elif payload.scheduled_at is not None:
        changes["scheduled_at"] = payload.scheduled_at
    return _detail(workflow.edit_post(request.user, post, **changes))


@api.post(
    "/posts/{post_id}/submit", response={200: PostDetail, codes_4xx: ErrorOut}, tags=["posts"]
)
def submit_post(request: HttpRequest, post_id: int) -> dict[str, Any]:
    """Send a draft (or a post with changes requested) to the committee."""
    post = workflow.get_post(request.user, post_id)
    return _detail(workflow.submit(request.user, post))


@api.post(
    "/posts/{post_id}/reviews", response={201: PostDetail, codes_4xx: ErrorOut}, tags=["posts"]
)
def review_post(request: HttpRequest, post_id: int, payload: ReviewIn) -> Status[dict[str, Any]]:
    """Approve, request changes or reject (committee reviewers and chair, not the author)."""
    post = workflow.get_post(request.user, post_id)
    post = workflow.review(
        request.user, post, payload.decision, payload.comment, payload.justification
    )
    return Status(201, _detail(post))


@api.post(
    "/posts/{post_id}/comments", response={201: CommentOut, codes_4xx: ErrorOut}, tags=["posts"]
)
def comment_post(request: HttpRequest, post_id: int, payload: CommentIn) -> Status[dict[str, Any]]:
    """A comment between the author and the reviewers."""
    post = workflow.get_post(request.user, post_id)
    return Status(201, _comment(workflow.add_comment(request.user, post, payload.text)))


@api.post("/check", response={200: ReportOut, codes_4xx: ErrorOut}, tags=["codes"])
def check(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    """Check a text against the codes; nothing is stored."""
    report = workflow.check_text(
        payload.text, account=payload.account, kind=payload.kind, audience=payload.audience
    )
    return report.to_dict()


@api.get("/rules", response={200: list[RuleOut], codes_4xx: ErrorOut}, tags=["codes"])
def rules(request: HttpRequest) -> list[dict[str, Any]]:
    """Every rule the workspace enforces, with the clause it comes from."""
    return workflow.rules_catalogue()
