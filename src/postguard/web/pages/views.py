"""Server-rendered pages. Each view validates its form, calls one service and renders."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from postguard.web.audit import services as audit
from postguard.web.errors import Invalid, NotAllowed, NotFound, ServiceError
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel, Membership, Organization, Role
from postguard.web.pages import forms
from postguard.web.pages.highlight import highlight
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import Post, State

View = TypeVar("View", bound=Callable[..., HttpResponse])


def service_errors(view: View) -> View:
    """Show a refused request as a page with the service's message and status."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ServiceError as exc:
            return render(
                request,
                "pages/error.html",
                {"message": str(exc), "status": exc.status},
                status=exc.status,
            )

    return cast(View, wrapped)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _org(request: HttpRequest) -> Organization:
    member = orgs.primary_membership(request.user)
    if member is None:
        raise NotFound("You are not a member of any organization yet.")
    return member.org


class SignInView(LoginView):
    template_name = "pages/login.html"
    authentication_form = forms.ThrottledLoginForm
    redirect_authenticated_user = True


# --- dashboard, queue ---------------------------------------------------------------


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    mine = workflow.visible_posts(request.user).filter(author_id=request.user.pk)
    return render(
        request,
        "pages/dashboard.html",
        {
            "memberships": orgs.memberships_of(request.user),
            "my_posts": mine.exclude(state=State.ARCHIVED)[:50],
            "queue": workflow.review_queue(request.user)[:10],
            "queue_count": workflow.review_queue(request.user).count(),
            "channels": orgs.channels_for(request.user),
        },
    )


@require_GET
@login_required
@service_errors
def queue(request: HttpRequest) -> HttpResponse:
    if not any(orgs.is_committee(request.user, m.org) for m in orgs.memberships_of(request.user)):
        raise NotAllowed(
            "The review queue is for the Communications & Technical Standing Committee."
        )
    return render(request, "pages/queue.html", {"posts": workflow.review_queue(request.user)})


# --- composing ------------------------------------------------------------------------


def _findings_partial(
    request: HttpRequest, text: str, findings: list[dict[str, Any]], decision: str
) -> HttpResponse:
    return render(
        request,
        "pages/_findings.html",
        {"marked": highlight(text, findings), "findings": findings, "decision": decision},
    )


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def compose(request: HttpRequest) -> HttpResponse:
    form = forms.ComposeForm(request.user, request.POST or None)
    if not form.fields["channel"].queryset.exists():  # type: ignore[attr-defined]
        raise NotAllowed(
            "You are not authorized to draft for any official channel. Only authorized members "
            "may use them (IPALA policy section 1); ask the committee chair or an administrator."
        )
    if request.method == "POST" and form.is_valid():
        try:
            post = workflow.create_post(
                request.user,
                form.cleaned_data["channel"],
                form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
                in_reply_to=form.cleaned_data["in_reply_to"],
                scheduled_at=form.cleaned_data["scheduled_at"],
            )
        except ServiceError as exc:
            if exc.status >= 403:
                raise
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Draft #{post.pk} saved and checked.")
            return redirect("post", post_id=post.pk)
    return render(request, "pages/compose.html", {"form": form})


@require_POST
@login_required
def live_check(request: HttpRequest) -> HttpResponse:
    """The composer's check-as-you-type (htmx): findings for the text, nothing stored."""
    text = request.POST.get("text", "")
    account = "official" if request.POST.get("account", "official") == "official" else "personal"
    kind = request.POST.get("kind", "post")
    audience = request.POST.get("audience", "public")
    channel_id = request.POST.get("channel", "")
    if account == "official" and channel_id.isdigit():
        channel = Channel.objects.filter(pk=int(channel_id)).first()
        if channel is not None and orgs.can_draft(request.user, channel):
            audience = channel.audience
    if kind not in {"post", "reply", "comment"}:
        kind = "post"
    if audience not in {"public", "closed"}:
        audience = "public"
    if not text.strip():
        return render(request, "pages/_findings.html", {"empty": True})
    try:
        report = workflow.check_text(text, account=account, kind=kind, audience=audience)
    except ServiceError as exc:
        return render(request, "pages/_findings.html", {"error": str(exc)})
    return _findings_partial(request, text, [f.to_dict() for f in report.findings], report.decision)


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def personal_check(request: HttpRequest) -> HttpResponse:
    """Any member checks a post for their personal account; nothing is stored."""
    _org(request)  # any member of an organization
    form = forms.CheckForm(request.POST or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            report = workflow.check_text(
                text,
                account="personal",
                kind=form.cleaned_data["kind"],
                audience=form.cleaned_data["audience"],
            )
        except ServiceError as exc:
            form.add_error("text", str(exc))
        else:
            findings = [f.to_dict() for f in report.findings]
            context.update(
                {
                    "checked": True,
                    "marked": highlight(text, findings),
                    "findings": findings,
                    "decision": report.decision,
                }
            )
    return render(request, "pages/check.html", context)


# --- a post --------------------------------------------------------------------------------


@require_GET
@login_required
@service_errors
def post_page(request: HttpRequest, post_id: int) -> HttpResponse:
    post = workflow.get_post(request.user, post_id)
    user = _user(request)
    is_author = post.author_id == user.pk
    role = orgs.role_of(user, post.org)
    return render(
        request,
        "pages/post.html",
        {
            "post": post,
            "marked": highlight(post.text, post.findings),
            "approval": workflow.approval_status(post),
            "reviews": post.reviews.select_related("reviewer"),
            "comments": post.comments.select_related("author"),
            "history": workflow.history(post),
            "is_author": is_author,
            "can_edit": is_author and post.state in workflow.EDITABLE,
            "can_submit": is_author and post.state in workflow.SUBMITTABLE,
            "can_review": (
                not is_author
                and role in {Role.CHAIR, Role.REVIEWER}
                and post.state in workflow.REVIEWABLE
            ),
            "is_chair": role == Role.CHAIR,
            "can_archive": post.state in workflow.ARCHIVABLE
            and (is_author or role in {Role.ADMIN, Role.CHAIR}),
            "review_form": forms.ReviewForm(),
            "comment_form": forms.CommentForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = workflow.get_post(request.user, post_id)
    if post.author_id != request.user.pk:
        raise NotAllowed("Only the author of a post can edit it.")
    initial = {"text": post.text, "scheduled_at": post.scheduled_at}
    form = forms.EditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.edit_post(
                request.user,
                post,
                text=form.cleaned_data["text"],
                scheduled_at=form.cleaned_data["scheduled_at"],
            )
        except ServiceError as exc:
            if exc.status >= 403:
                raise
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved and checked.")
            return redirect("post", post_id=post.pk)
    return render(request, "pages/edit.html", {"form": form, "post": post})


def _post_action(
    request: HttpRequest, post_id: int, action: Callable[[Post], Any], done: str
) -> HttpResponse:
    post = workflow.get_post(request.user, post_id)
    try:
        action(post)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("post", post_id=post_id)


@require_POST
@login_required
@service_errors
def submit(request: HttpRequest, post_id: int) -> HttpResponse:
    return _post_action(
        request, post_id, lambda p: workflow.submit(request.user, p), "Submitted to the committee."
    )


@require_POST
@login_required
@service_errors
def review(request: HttpRequest, post_id: int) -> HttpResponse:
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        workflow.get_post(request.user, post_id)
        messages.error(request, "Choose a decision.")
        return redirect("post", post_id=post_id)
    data = form.cleaned_data
    return _post_action(
        request,
        post_id,
        lambda p: workflow.review(
            request.user, p, data["decision"], data["comment"], data["justification"]
        ),
        "Review recorded.",
    )


@require_POST
@login_required
@service_errors
def comment(request: HttpRequest, post_id: int) -> HttpResponse:
    form = forms.CommentForm(request.POST)
    text = form.data.get("text", "")
    return _post_action(
        request,
        post_id,
        lambda p: workflow.add_comment(request.user, p, str(text)),
        "Comment added.",
    )


@require_POST
@login_required
@service_errors
def archive(request: HttpRequest, post_id: int) -> HttpResponse:
    return _post_action(request, post_id, lambda p: workflow.archive(request.user, p), "Archived.")


# --- the codes, the record ---------------------------------------------------------------


@require_GET
@login_required
def rules(request: HttpRequest) -> HttpResponse:
    catalogue = workflow.rules_catalogue()
    query = request.GET.get("q", "").strip().lower()
    if query:
        catalogue = [r for r in catalogue if query in " ".join(str(v) for v in r.values()).lower()]
    packs: dict[str, list[dict[str, Any]]] = {}
    for rule in catalogue:
        packs.setdefault(rule["pack_title"], []).append(rule)
    return render(
        request,
        "pages/rules.html",
        {"packs": packs, "q": query, "provisions": workflow.provisions_catalogue()},
    )


@require_GET
@login_required
@service_errors
def audit_log(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    form = forms.AuditFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    entries = audit.list_entries(request.user, org, **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "pages/audit.html", {"form": form, "page": page, "org": org})


# --- members, roles, channels ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def members(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    orgs.require_role(request.user, org, {Role.ADMIN, Role.CHAIR}, "manage members and channels")
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "role":
                target = Membership.objects.get(org=org, pk=int(request.POST["membership"]))
                orgs.set_role(request.user, target, request.POST.get("role", ""))
            elif action in {"authorize", "deauthorize"}:
                target = Membership.objects.get(org=org, pk=int(request.POST["membership"]))
                channel = Channel.objects.get(org=org, pk=int(request.POST["channel"]))
                orgs.set_channel_authorization(request.user, channel, target, action == "authorize")
            elif action == "invite":
                invite_form = forms.InviteForm(request.POST)
                if not invite_form.is_valid():
                    raise Invalid("Give an email address and a role.")
                orgs.invite(
                    request.user,
                    org,
                    invite_form.cleaned_data["email"],
                    invite_form.cleaned_data["role"],
                    accept_url=request.build_absolute_uri("/invitations/"),
                )
            else:
                raise Invalid("Unknown action.")
        except (Membership.DoesNotExist, Channel.DoesNotExist, ValueError, KeyError):
            messages.error(request, "No such member or channel.")
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, str(exc))
        else:
            messages.success(request, "Saved.")
        return redirect("members")
    return render(
        request,
        "pages/members.html",
        {
            "org": org,
            "members": Membership.objects.filter(org=org).select_related("user"),
            "channels": Channel.objects.filter(org=org).prefetch_related("authorized__user"),
            "roles": Role.choices,
            "invite_form": forms.InviteForm(),
            "can_manage": orgs.has_role(request.user, org, {Role.ADMIN}),
        },
    )


@require_http_methods(["GET", "POST"])
@service_errors
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = orgs.find_invitation(token)
    form = forms.AcceptInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = orgs.accept_invitation(
                token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
            )
        except ServiceError as exc:
            if exc.status == 404:
                raise
            form.add_error(None, str(exc))
        else:
            login(request, found.user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("dashboard")
    return render(request, "pages/invitation.html", {"form": form, "invitation": invitation})
