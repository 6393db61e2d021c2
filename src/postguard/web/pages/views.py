"""Server-rendered pages. Each view validates its form, calls one service and renders."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView, PasswordResetConfirmView, PasswordResetView
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from postguard.entities.base import Entity
from postguard.policy.labels import category_label
from postguard.web.audit import services as audit
from postguard.web.demo import DEMO_PASSWORD, demo_exists, demo_logins
from postguard.web.errors import Conflict, Invalid, NotAllowed, NotFound, ServiceError
from postguard.web.limits import cap_findings
from postguard.web.orgs import services as orgs
from postguard.web.orgs import timezones
from postguard.web.orgs.clients import address_or_blank
from postguard.web.orgs.models import Channel, Membership, Organization, Role
from postguard.web.pages import forms
from postguard.web.pages.current import choose, current_membership
from postguard.web.pages.diff import word_diff
from postguard.web.pages.findings import block_rules, cards, has_privacy_finding, personal_data
from postguard.web.pages.highlight import highlight
from postguard.web.publishing import pause as pausing
from postguard.web.publishing import services as publishing
from postguard.web.publishing.status import publishing_status
from postguard.web.workflow import media, schedule
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import Post

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
    member = current_membership(request)
    if member is None:
        raise NotFound("You are not a member of any organization yet.")
    return member.org


def _invalid(request: HttpRequest, form: Form) -> HttpResponse:
    """A form that cannot be used, shown as a 400 page with what is wrong."""
    problems = [str(m) for errors in form.errors.values() for m in errors]
    return render(
        request,
        "pages/error.html",
        {"message": " ".join(problems) or "Invalid request.", "status": 400},
        status=400,
    )


class SignInView(LoginView):
    """Django's sign-in; django-axes throttles it (orgs/signin.py) and answers a
    lockout with the error page."""

    template_name = "pages/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if demo_exists():
            # `postguard serve` printed these too; a visitor should not need the console.
            context["demo_logins"] = demo_logins()
            context["demo_password"] = "" if settings.PRODUCTION else DEMO_PASSWORD
        return context


class RequestResetView(PasswordResetView):
    """Django's reset request, throttled per e-mail and per client address; a refused
    request gets the same neutral page as any other (whether or not the account exists)."""

    template_name = "pages/password_reset.html"
    email_template_name = "pages/password_reset_email.txt"
    subject_template_name = "pages/password_reset_subject.txt"

    def form_valid(self, form: Any) -> HttpResponse:
        email = str(form.cleaned_data.get("email", ""))
        address = address_or_blank(self.request)
        if not orgs.password_reset_allowed(email, address):
            return redirect(self.get_success_url())
        return super().form_valid(form)


class ResetPasswordView(PasswordResetConfirmView):
    """Django's reset by mailed link; the record notes it and the throttle forgets."""

    template_name = "pages/password_reset_confirm.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        orgs.password_was_reset(form.user, address_or_blank(self.request))
        return response


@require_POST
@login_required
@service_errors
def switch_org(request: HttpRequest) -> HttpResponse:
    """Work in another of one's organizations (people in several)."""
    org_id = request.POST.get("org", "")
    if not org_id.isdigit():
        raise NotFound("You are not a member of that organization.")
    found = choose(request, int(org_id))
    messages.success(request, f"Now working in {found.org.name}.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    return redirect(target or "dashboard")


# --- dashboard, queue ---------------------------------------------------------------


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    member = current_membership(request)
    context: dict[str, Any] = {"member": member}
    if member is not None:
        context["board"] = workflow.dashboard(request.user, member.org)
        context["channels"] = orgs.channels_for(request.user, member.org)
    return render(request, "pages/dashboard.html", context)


@require_GET
@login_required
@service_errors
def queue(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    if not orgs.is_committee(request.user, org):
        raise NotAllowed(
            "The review queue is for the Communications & Technical Standing Committee."
        )
    return render(request, "pages/queue.html", {"posts": workflow.review_queue(request.user, org)})


# --- composing ------------------------------------------------------------------------


def _findings_context(
    text: str,
    findings: list[dict[str, Any]],
    decision: str,
    *,
    personal: bool = False,
    network: publishing.NetworkFit | None = None,
    entities: Sequence[Entity] = (),
    rewrite: str | None = None,
) -> dict[str, Any]:
    """What the findings partial and the verdict show: the marked text, one card per
    flagged span, the decision, for an official channel its network's limits, and with
    privacy findings the personal data found and the suggested rewrite."""
    privacy = has_privacy_finding(findings)
    return {
        "marked": highlight(text, findings),
        "findings": findings,
        "cards": cards(findings),
        "decision": decision,
        "personal": personal,
        "network": network,
        "personal_data": personal_data(entities) if privacy else [],
        "rewrite": rewrite if privacy else None,
    }


def _rewrite_context(post: Post) -> dict[str, Any]:
    """The personal data and the suggested rewrite for a saved post, for a page shown
    before the live check takes over; nothing when the text cannot be checked."""
    try:
        report, rewrite = workflow.check_text_with_rewrite(
            post.text, account="official", kind=post.kind, audience=post.channel.audience
        )
    except ServiceError:
        return {}
    return {"entities": report.entities or (), "rewrite": rewrite}


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def compose(request: HttpRequest) -> HttpResponse:
    member = current_membership(request)
    form = forms.ComposeForm(request.user, member.org if member else None, request.POST or None)
    if not form.fields["channel"].queryset.exists():  # type: ignore[attr-defined]
        where = f" of {member.org.name}" if member else ""
        who = orgs.who_can_authorize(member.org) if member else "an administrator"
        elsewhere = (
            " You may draft in another of your organizations: switch to it first."
            if orgs.channels_for(request.user).exists()
            else ""
        )
        raise NotAllowed(
            f"You are not authorized to draft for any official channel{where}. Only "
            f"authorized members may use them (IPALA policy section 1); ask {who} to "
            f"authorize you.{elsewhere}"
        )
    image_form = forms.ImageFields(request.POST or None, request.FILES or None)
    if request.method == "POST" and image_form.is_valid() and form.is_valid():
        try:
            wall = form.cleaned_data["scheduled_at"]
            channel = form.cleaned_data["channel"]
            upload = image_form.upload()
            post = workflow.create_post(
                request.user,
                channel,
                form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
                in_reply_to=form.cleaned_data["in_reply_to"],
                # Typed in the organization's time zone, kept in UTC.
                scheduled_at=timezones.from_local(wall, channel.org) if wall else None,
                images=[upload] if upload is not None else [],
            )
        except ServiceError as exc:
            if exc.status >= 403:
                raise
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Draft #{post.pk} saved and checked.")
            return redirect("post", post_id=post.pk)
    return render(request, "pages/compose.html", {"form": form, "image_form": image_form})


@require_POST
@login_required
def live_check(request: HttpRequest) -> HttpResponse:
    """The composer's check-as-you-type (htmx): findings for the text, nothing stored."""
    text = request.POST.get("text", "")
    account = "official" if request.POST.get("account", "official") == "official" else "personal"
    kind = request.POST.get("kind", "post")
    audience = request.POST.get("audience", "public")
    channel_id = request.POST.get("channel", "")
    channel = None
    if account == "official" and channel_id.isdigit():
        channel = Channel.objects.filter(pk=int(channel_id)).first()
        if channel is not None and orgs.can_draft(request.user, channel):
            audience = channel.audience
        else:
            channel = None
    if kind not in {"post", "reply", "comment"}:
        kind = "post"
    if audience not in {"public", "closed"}:
        audience = "public"
    personal = account == "personal"
    if not text.strip():
        return render(request, "pages/_findings.html", {"empty": True, "oob": True})
    try:
        report, rewrite = workflow.check_text_with_rewrite(
            text, account=account, kind=kind, audience=audience
        )
    except ServiceError as exc:
        return render(request, "pages/_findings.html", {"error": str(exc), "oob": True})
    # Only whether it is a reply matters to the limits (an Instagram reply is a comment).
    reply_to = "reply" if kind == "reply" else ""
    network = publishing.network_fit(channel, text, reply_to=reply_to) if channel else None
    findings, findings_note = cap_findings([f.to_dict() for f in report.findings])
    context = _findings_context(
        text,
        findings,
        report.decision,
        personal=personal,
        network=network,
        entities=report.entities or (),
        rewrite=rewrite,
    )
    return render(
        request, "pages/_findings.html", {**context, "oob": True, "findings_note": findings_note}
    )


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def personal_check(request: HttpRequest) -> HttpResponse:
    """Any member checks a post for their personal account; nothing is stored unless
    they tick the box to keep it."""
    org = _org(request)  # any member of an organization
    form = forms.CheckForm(request.POST or None)
    context: dict[str, Any] = {
        "form": form,
        "saved_checks": workflow.personal_checks(request.user)[:20],
    }
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        kind, audience = form.cleaned_data["kind"], form.cleaned_data["audience"]
        try:
            if form.cleaned_data["save"]:
                saved = workflow.save_personal_check(
                    request.user, org, text, kind=kind, audience=audience
                )
                messages.success(request, "Checked and saved. Only you can see this check.")
                return redirect("saved_check", check_id=saved.pk)
            report, rewrite = workflow.check_text_with_rewrite(
                text, account="personal", kind=kind, audience=audience
            )
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            form.add_error("text", str(exc))
        else:
            findings = [f.to_dict() for f in report.findings]
            context.update(
                {
                    "checked": True,
                    **_findings_context(
                        text,
                        findings,
                        report.decision,
                        personal=True,
                        entities=report.entities or (),
                        rewrite=rewrite,
                    ),
                }
            )
    return render(request, "pages/check.html", context)


@require_GET
@login_required
@service_errors
def saved_check(request: HttpRequest, check_id: int) -> HttpResponse:
    """One of the person's own saved personal checks."""
    found = workflow.get_personal_check(request.user, check_id)
    return render(
        request,
        "pages/saved_check.html",
        {
            "check": found,
            "marked": highlight(found.text, found.findings),
            "cards": cards(found.findings),
        },
    )


@require_POST
@login_required
@service_errors
def delete_saved_check(request: HttpRequest, check_id: int) -> HttpResponse:
    workflow.delete_personal_check(request.user, check_id)
    messages.success(request, "The saved check is deleted.")
    return redirect("check")


# --- a post --------------------------------------------------------------------------------


@require_GET
@login_required
@service_errors
def post_page(request: HttpRequest, post_id: int) -> HttpResponse:
    return _post_page(request, workflow.get_post(request.user, post_id))


def _crisis_deputy_name(org: Organization) -> str:
    deputy = orgs.approval_policy(org).crisis_deputy
    return deputy.get_username() if deputy is not None else ""


def _post_page(
    request: HttpRequest,
    post: Post,
    review_form: forms.ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = _user(request)
    is_author = post.author_id == user.pk
    role = orgs.role_of(user, post.org)
    # The form carries what this page shows, so that the review counts for exactly that.
    seen = {"revision": post.revision, "content_hash": workflow.content_hash_of(post)}
    if review_form is None:
        review_form = forms.ReviewForm(initial=seen)
    approval = workflow.approval_status(post)
    return render(
        request,
        "pages/post.html",
        {
            "post": post,
            "marked": highlight(post.text, post.findings),
            "cards": cards(post.findings, approval.overrides),
            "block_rules": block_rules(post.findings),
            "changes": _changes(request, post),
            "network": publishing.post_fit(post),
            "connection_problem": publishing.connection_problem(post.channel)
            if post.state not in {"published", "archived", "rejected"}
            else "",
            "approval": approval,
            "crisis_deputy": _crisis_deputy_name(post.org) if approval.crisis else "",
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
            "review_form": review_form,
            "comment_form": forms.CommentForm(),
            "publication": publishing.publication_of(request.user, post),
            "pub_status": publishing_status(post),
            "images": media.images_of(post),
            "can_reschedule": schedule.can_reschedule(user, post),
            "reschedule_value": timezones.local_input(post.scheduled_at, post.org),
            "time_zone": post.org.time_zone,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = workflow.get_post(request.user, post_id)
    if post.author_id != request.user.pk:
        raise NotAllowed("Only the author of a post can edit it.")
    local = timezones.local_input(post.scheduled_at, post.org)
    initial = {"text": post.text, "scheduled_at": local}
    form = forms.EditForm(request.POST or None, initial=initial)
    forms.label_zone(form, post.org.time_zone)
    if request.method == "POST" and form.is_valid():
        try:
            wall = form.cleaned_data["scheduled_at"]
            workflow.edit_post(
                request.user,
                post,
                text=form.cleaned_data["text"],
                scheduled_at=timezones.from_local(wall, post.org) if wall else None,
            )
        except ServiceError as exc:
            if exc.status >= 403:
                raise
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Saved and checked.")
            return redirect("post", post_id=post.pk)
    return render(
        request,
        "pages/edit.html",
        {
            "form": form,
            "post": post,
            "images": media.images_of(post),
            "image_form": forms.ImageFields(),
            # What the codes say about the saved text, until the live check takes over.
            **_findings_context(
                post.text,
                post.findings,
                post.decision,
                network=publishing.network_fit(post.channel, post.text),
                **(_rewrite_context(post) if has_privacy_finding(post.findings) else {}),
            ),
        },
    )


def _changes(request: HttpRequest, post: Post) -> dict[str, Any] | None:
    """What changed since an earlier revision (by default the last one reviewed, else the
    one before), as a word diff for the reviewers; None for a first revision."""
    if post.revision < 2:
        return None
    texts = workflow.revision_texts(post)
    asked = request.GET.get("since", "")
    since = int(asked) if asked.isdigit() and int(asked) in texts else None
    if since is None or since >= post.revision:
        since = workflow.last_reviewed_revision(post) or post.revision - 1
    if since not in texts:
        return None
    return {
        "since": since,
        "diff": word_diff(texts[since], post.text),
        "same": texts[since] == post.text,
        "revisions": sorted(r for r in texts if r < post.revision),
    }


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
    post = workflow.get_post(request.user, post_id)
    form = forms.ReviewForm(request.POST)
    if not form.is_valid():
        if "revision" in form.errors or "content_hash" in form.errors:
            raise Conflict(
                "This review form does not say which revision of the post you read; "
                "reload the post and review again."
            )
        messages.error(request, "Choose a decision.")
        return redirect("post", post_id=post_id)
    data = form.cleaned_data
    # One reason per blocking rule, from the fields named after the rules.
    per_rule = {
        key.removeprefix("justification."): str(request.POST.get(key, ""))
        for key in request.POST
        if key.startswith("justification.")
    }
    try:
        workflow.review(
            request.user,
            post,
            data["decision"],
            data["comment"],
            data["justification"],
            justifications=per_rule,
            revision=data["revision"],
            content_hash=data["content_hash"],
        )
    except workflow.Stale as exc:
        # Show the post as it is now, with the reason, so the reviewer reads it again.
        messages.error(request, str(exc))
        return _post_page(request, workflow.get_post(request.user, post_id), status=exc.status)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, str(exc))
    else:
        messages.success(request, "Review recorded.")
    return redirect("post", post_id=post_id)


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
    """The codes, each grouped by provision (clause), searchable on the server."""
    query = request.GET.get("q", "").strip()[:200]
    words = query.lower().split()

    def matches(item: dict[str, Any]) -> bool:
        haystack = " ".join(str(v) for v in item.values()).lower()
        return all(word in haystack for word in words)

    catalogue = [r for r in workflow.rules_catalogue() if matches(r)]
    provisions = [p for p in workflow.provisions_catalogue() if matches(p)]
    codes: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for rule in catalogue:
        rule["label"] = category_label(rule["category"])
        codes.setdefault(rule["pack_title"], {}).setdefault(rule["clause"], []).append(rule)
    return render(
        request,
        "pages/rules.html",
        {
            "codes": codes,
            "q": query,
            "count": len(catalogue),
            "provisions": provisions,
        },
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
    status = audit.chain_status(request.user, org)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    today = timezone.now().date()
    export_form = forms.AuditExportForm(
        initial={"since": today - timedelta(days=30), "until": today, "format": "csv"},
        # Its fields share names with the filter's, on the same page: not their ids.
        auto_id="export-%s",
    )
    return render(
        request,
        "pages/audit.html",
        {"form": form, "page": page, "org": org, "export_form": export_form, "status": status},
    )


@require_POST
@login_required
@service_errors
def audit_export(request: HttpRequest) -> HttpResponse:
    """The current organization's record for a period, as a CSV or JSON download. A POST:
    the export is itself recorded, and a GET must not write (nor be triggered by a link)."""
    org = _org(request)
    if not audit.can_read(request.user, org):
        raise NotAllowed(
            "Only the organization's administrators and the committee chair can export its record."
        )
    form = forms.AuditExportForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form)
    since, until, fmt = (form.cleaned_data[k] for k in ("since", "until", "format"))
    start = datetime.combine(since, time.min, tzinfo=UTC)
    # The end date is included: the period runs to the start of the next day.
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC)
    buffer = io.StringIO()
    audit.export_for(request.user, org, buffer, fmt, start, end)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="text/csv; charset=utf-8" if fmt == "csv" else "application/json",
    )
    name = f"audit-{org.slug}-{since:%Y-%m-%d}-to-{until:%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


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
            "channels": orgs.org_channels(request.user, org),
            "policy": orgs.approval_policy(org),
            "roles": Role.choices,
            "invite_form": forms.InviteForm(),
            "can_manage": orgs.has_role(request.user, org, {Role.ADMIN}),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def channel_new(request: HttpRequest) -> HttpResponse:
    """An administrator adds an official channel; who may use it is set on its page."""
    org = _org(request)
    orgs.require_role(request.user, org, orgs.MANAGERS, "create channels")
    form = forms.ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            channel = orgs.create_channel(
                request.user,
                org,
                name=data["name"],
                network=data["network"],
                handle=data["handle"],
                audience=data["audience"],
            )
            if not data["active"]:
                orgs.update_channel(
                    request.user,
                    channel,
                    name=channel.name,
                    network=channel.network,
                    handle=channel.handle,
                    audience=channel.audience,
                    active=False,
                )
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Channel {channel.name} created. Now choose who may draft for it."
            )
            return redirect("channel", channel_id=channel.pk)
    return render(request, "pages/channel_new.html", {"form": form, "org": org})


def _channel_page(
    request: HttpRequest,
    channel: Channel,
    details: forms.ChannelForm | None = None,
    members: forms.ChannelMembersForm | None = None,
    status: int = 200,
) -> HttpResponse:
    initial = {
        "name": channel.name,
        "network": channel.network,
        "handle": channel.handle,
        "audience": channel.audience,
        "active": channel.active,
    }
    authorized = list(channel.authorized.select_related("user"))
    return render(
        request,
        "pages/channel.html",
        {
            "channel": channel,
            "details": details or forms.ChannelForm(initial=initial),
            "members_form": members
            or forms.ChannelMembersForm(channel.org, initial={"members": authorized}),
            "authorized": authorized,
            "can_edit": orgs.has_role(request.user, channel.org, orgs.MANAGERS),
            "connection": publishing.channel_status(request.user, channel),
            "pause": pausing.pause_state(channel),
            "can_pause": pausing.can_pause(request.user, channel),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def channel_page(request: HttpRequest, channel_id: int) -> HttpResponse:
    """A channel's settings (administrators change them) and its authorized members."""
    channel = orgs.managed_channel(request.user, channel_id)
    if request.method != "POST":
        return _channel_page(request, channel)
    form = forms.ChannelForm(request.POST)
    if form.is_valid():
        try:
            orgs.update_channel(request.user, channel, **form.cleaned_data)
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Channel saved.")
            return redirect("channel", channel_id=channel.pk)
    else:
        orgs.require_role(request.user, channel.org, orgs.MANAGERS, "change channels")
    return _channel_page(request, channel, details=form, status=400)


@require_POST
@login_required
@service_errors
def channel_members(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Set exactly who may draft for and respond on a channel (IPALA policy section 1)."""
    channel = orgs.managed_channel(request.user, channel_id)
    form = forms.ChannelMembersForm(channel.org, request.POST)
    if form.is_valid():
        try:
            orgs.set_channel_members(request.user, channel, form.cleaned_data["members"])
        except ServiceError as exc:
            if exc.status in (403, 404):
                raise
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Saved who may draft for {channel.name}.")
            return redirect("channel", channel_id=channel.pk)
    return _channel_page(request, channel, members=form, status=400)


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def approval_settings(request: HttpRequest) -> HttpResponse:
    """How many approvals posts and replies need, and whether the chair must be one."""
    org = _org(request)
    orgs.require_role(request.user, org, orgs.AUTHORIZERS, "change how posts are approved")
    policy = orgs.approval_policy(org)
    initial = {
        "required_approvals": policy.required_approvals,
        "chair_required": policy.chair_required,
        "reply_required_approvals": policy.reply_required_approvals,
        "reply_chair_required": policy.reply_chair_required,
        "override_min_chars": policy.override_min_chars,
        "crisis_deputy": policy.crisis_deputy.get_username() if policy.crisis_deputy else "",
    }
    deputies = [m.user.get_username() for m in orgs.crisis_deputy_candidates(org)]
    form = forms.ApprovalForm(request.POST or None, initial=initial, deputies=deputies)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                orgs.update_approval_policy(request.user, org, **form.cleaned_data)
            except ServiceError as exc:
                if exc.status in (403, 404):
                    raise
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Approval settings saved.")
                return redirect("approval_settings")
        status = 400
    return render(
        request,
        "pages/approval_settings.html",
        {"form": form, "org": org, "reviewers": orgs.committee_size(org)},
        status=status,
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
            login(request, found.user, backend="postguard.web.orgs.signin.CanonicalNameBackend")
            return redirect("dashboard")
    return render(request, "pages/invitation.html", {"form": form, "invitation": invitation})
