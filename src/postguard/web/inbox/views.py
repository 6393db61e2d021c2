"""Pages of the inbox, cases, playbooks, escalation rules and notification log,
and the signed inbound webhook. Each view validates, calls one service, renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from postguard.web.errors import Invalid, ServiceError
from postguard.web.inbox import hooks, services, triage
from postguard.web.inbox.models import (
    Case,
    Endpoint,
    ItemState,
    Notification,
    Priority,
    Situation,
)
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel, Role
from postguard.web.pages.views import _org, service_errors


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# --- inbox ----------------------------------------------------------------------------------


@require_GET
@login_required
@service_errors
def inbox(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    get = request.GET
    priority = _int(get.get("priority"))
    filters = services.Filters(
        channel=_int(get.get("channel")),
        category=get.get("category", "") if get.get("category") in triage.LABELS else "",
        priority=priority if priority in Priority.values else None,
        state=get.get("state", "") if get.get("state") in ItemState.values else "",
        assignee=get.get("assignee", "")[:20],
        q=get.get("q", "")[:200],
    )
    items = services.inbox(request.user, org, filters)
    page = Paginator(items, 50).get_page(get.get("page"))
    return render(
        request,
        "inbox/inbox.html",
        {
            "page": page,
            "filters": filters,
            "channels": Channel.objects.filter(org=org),
            "categories": triage.LABELS.items(),
            "priorities": Priority.choices,
            "states": ItemState.choices,
            "assignable": services.assignable(org),
            "can_import": orgs.has_role(request.user, org, services.MODERATORS)
            or orgs.channels_for(request.user, org).exists(),
        },
    )


@require_GET
@login_required
@service_errors
def item_page(request: HttpRequest, item_id: int) -> HttpResponse:
    item = services.get_item(request.user, item_id)
    return render(
        request,
        "inbox/item.html",
        {
            "item": item,
            "thread": services.thread(item),
            "labels": [triage.LABELS.get(c, c) for c in item.categories],
            "templates": services.templates_for(item),
            "replies": services.replies_to(item),
            "cases": item.cases.all(),
            "history": services.item_history(item),
            "assignable": services.assignable(item.org),
            "states": ItemState.choices,
            "situations": Situation.choices,
            "can_moderate": orgs.has_role(request.user, item.org, services.MODERATORS),
            "can_reply": orgs.can_draft(request.user, item.channel),
            "can_message": services.can_message(item),
        },
    )


@require_POST
@login_required
@service_errors
def item_state(request: HttpRequest, item_id: int) -> HttpResponse:
    services.set_state(request.user, item_id, request.POST.get("state", ""))
    return redirect("inbox_item", item_id=item_id)


@require_POST
@login_required
@service_errors
def item_assign(request: HttpRequest, item_id: int) -> HttpResponse:
    value = request.POST.get("assignee", "")
    assignee = None if value in ("", "none") else _int(value)
    if value not in ("", "none") and assignee is None:
        raise Invalid("Choose a person.")
    services.assign(request.user, item_id, assignee)
    return redirect("inbox_item", item_id=item_id)


@require_POST
@login_required
@service_errors
def item_case(request: HttpRequest, item_id: int) -> HttpResponse:
    case = services.open_case(request.user, item_id, request.POST.get("situation", ""))
    messages.success(request, f"Case #{case.pk} opened.")
    return redirect("case", case_id=case.pk)


@require_POST
@login_required
@service_errors
def item_message(request: HttpRequest, item_id: int) -> HttpResponse:
    """Draft a private message to the item's author (reviewed like a reply)."""
    post = services.draft_message(request.user, item_id, request.POST.get("text", ""))
    messages.success(
        request, f"Private message #{post.pk} drafted and checked; submit it for approval."
    )
    return redirect("post", post_id=post.pk)


@require_POST
@login_required
@service_errors
def item_reply(request: HttpRequest, item_id: int) -> HttpResponse:
    post = services.draft_reply(request.user, item_id, request.POST.get("text", ""))
    messages.success(
        request,
        f"Reply #{post.pk} drafted and checked. Submit it for approval when it is ready.",
    )
    return redirect("post", post_id=post.pk)


@require_POST
@login_required
@service_errors
def item_moderate(request: HttpRequest, item_id: int) -> HttpResponse:
    item = services.moderate(
        request.user, item_id, request.POST.get("action", ""), request.POST.get("reason", "")
    )
    done = "hidden" if item.hidden_at and request.POST.get("action") == "hide" else "deleted"
    messages.success(
        request, f"Marked as {done} and recorded. Do the same on {item.channel.name} itself."
    )
    return redirect("inbox_item", item_id=item_id)


class _BoundedUpload(FileUploadHandler):
    """Stops reading an uploaded file past MAX_UPLOAD instead of spooling it all to disk."""

    too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > services.MAX_UPLOAD:
            self.too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@csrf_exempt  # checked below, once the upload handler is in place (Django's documented order)
@require_http_methods(["GET", "POST"])
@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    bounded = _BoundedUpload(request)
    # Before anything reads request.POST (the handlers become immutable then).
    request.upload_handlers = [bounded, *request.upload_handlers]
    return _import_page(request, bounded)


@csrf_protect
@service_errors
def _import_page(request: HttpRequest, bounded: _BoundedUpload) -> HttpResponse:
    org = _org(request)
    services.require_inbox(request.user, org)
    channels = Channel.objects.filter(org=org, active=True)
    error = ""
    problems: list[str] = []
    if request.method == "POST":
        channel = channels.filter(pk=_int(request.POST.get("channel")) or 0).first()
        upload = request.FILES.get("file")
        if bounded.too_large:
            error = f"The file is larger than {services.MAX_UPLOAD // 1_000_000} MB."
        elif channel is None or upload is None:
            error = "Choose a channel and a file."
        else:
            try:
                imported = services.import_export(
                    request.user, channel, upload.read(), upload.name or ""
                )
            except ServiceError as exc:
                if exc.status >= 403:
                    raise
                error = str(exc)
            else:
                new = len(imported.created)
                summary = f"Imported {new} new item(s) of {imported.rows}."
                if not imported.problems:
                    messages.success(request, summary)
                    return redirect("inbox")
                # Shown here rather than after a redirect: the list can be long.
                problems = imported.problems
                messages.success(request, summary)
    return render(
        request,
        "inbox/import.html",
        {"channels": channels, "error": error, "problems": problems},
        status=400 if error else 200,
    )


# --- the webhook ----------------------------------------------------------------------------


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, channel_id: int) -> HttpResponse:
    meta = {k: str(v) for k, v in request.META.items() if k.startswith("HTTP_X_POSTGUARD_")}
    try:
        body = request.body
    except RequestDataTooBig:
        return JsonResponse({"detail": "The request is too large."}, status=413)
    try:
        received = hooks.receive(channel_id, body, meta)
    except hooks.NothingUsable as exc:
        return JsonResponse({"detail": str(exc), "refused": exc.problems}, status=exc.status)
    except ServiceError as exc:
        return JsonResponse({"detail": str(exc)}, status=exc.status)
    created = received.created
    return JsonResponse(
        {"received": len(created), "ids": [i.pk for i in created], "refused": received.problems},
        status=202,
    )


@require_POST
@login_required
@service_errors
def webhook_secret(request: HttpRequest, channel_id: int) -> HttpResponse:
    secret = hooks.rotate_secret(request.user, channel_id)
    return render(
        request,
        "inbox/webhook_secret.html",
        {
            "secret": secret,
            "channel_id": channel_id,
            "url": request.build_absolute_uri(f"/hooks/inbox/{channel_id}/"),
        },
    )


# --- cases ----------------------------------------------------------------------------------


@require_GET
@login_required
@service_errors
def cases(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    state = request.GET.get("state", "")
    state = state if state in Case.State.values else ""
    found = services.cases(request.user, org, state).prefetch_related("steps")
    return render(
        request,
        "inbox/cases.html",
        {"cases": found[:200], "state": state, "states": Case.State.choices},
    )


@require_GET
@login_required
@service_errors
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    from django.utils import timezone

    from postguard.web.publishing import pause as pausing

    case = services.get_case(request.user, case_id)
    role = orgs.role_of(request.user, case.org)
    steps = list(case.steps.select_related("done_by"))
    channel = case.channel or (case.item.channel if case.item else None)
    # The crisis playbook's step (and any step a committee titled the same way) carries
    # the button that does what it says.
    pause_steps = {s.pk for s in steps if "pause scheduled posts" in s.title.lower()}
    return render(
        request,
        "inbox/case.html",
        {
            "case": case,
            "steps": steps,
            "case_channel": channel,
            "pause_steps": pause_steps if channel is not None else set(),
            "pause": pausing.pause_state(channel) if channel is not None else None,
            "can_pause": channel is not None and pausing.can_pause(request.user, channel),
            "now": timezone.now(),
            "timeline": services.case_timeline(case),
            "replies": services.replies_to(case.item) if case.item else [],
            "templates": services.templates_for(case.item) if case.item else [],
            "can_close": role in (Role.ADMIN, Role.CHAIR),
            "role": role,
        },
    )


@require_POST
@login_required
@service_errors
def case_step_done(request: HttpRequest, case_id: int, step_id: int) -> HttpResponse:
    services.complete_step(request.user, case_id, step_id, request.POST.get("note", ""))
    return redirect("case", case_id=case_id)


@require_POST
@login_required
@service_errors
def case_note(request: HttpRequest, case_id: int) -> HttpResponse:
    services.add_note(request.user, case_id, request.POST.get("text", ""))
    return redirect("case", case_id=case_id)


@require_POST
@login_required
@service_errors
def case_close(request: HttpRequest, case_id: int) -> HttpResponse:
    services.close_case(request.user, case_id, request.POST.get("outcome", ""))
    messages.success(request, f"Case #{case_id} closed.")
    return redirect("case", case_id=case_id)


# --- playbooks ------------------------------------------------------------------------------

BLANK_STEPS = 3


@require_GET
@login_required
@service_errors
def playbooks(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    found = {p.situation: p for p in services.playbooks(request.user, org)}
    rows = [(value, label, found.get(value)) for value, label in Situation.choices]
    return render(
        request,
        "inbox/playbooks.html",
        {
            "rows": rows,
            "can_edit": orgs.has_role(request.user, org, services.PLAYBOOK_EDITORS),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def playbook_edit(request: HttpRequest, situation: str) -> HttpResponse:
    org = _org(request)
    orgs.require_role(request.user, org, services.PLAYBOOK_EDITORS, "edit the playbooks")
    if situation not in Situation.values:
        raise Invalid("Unknown situation.")
    playbook = services.playbooks(request.user, org).filter(situation=situation).first()
    error = ""
    if request.method == "POST":
        post = request.POST
        steps = []
        for title, owner, due, template in zip(
            post.getlist("step_title"),
            post.getlist("step_owner"),
            post.getlist("step_due"),
            post.getlist("step_template"),
            strict=False,
        ):
            if not title.strip():
                continue
            steps.append(
                services.StepData(title, owner, _int(due.strip()) or 0, template.replace("\r", ""))
            )
        try:
            services.save_playbook(
                request.user,
                org,
                situation,
                post.get("name", ""),
                steps,
                post.get("description", ""),
            )
        except ServiceError as exc:
            if exc.status >= 403:
                raise
            error = str(exc)
        else:
            messages.success(request, "Playbook saved.")
            return redirect("playbooks")
    existing = list(playbook.steps.all()) if playbook else []
    return render(
        request,
        "inbox/playbook_edit.html",
        {
            "situation": situation,
            "situation_label": Situation(situation).label,
            "playbook": playbook,
            "steps": existing,
            "blank": range(len(existing) + 1, len(existing) + 1 + BLANK_STEPS),
            "roles": Role.choices,
            "error": error,
        },
        status=400 if error else 200,
    )


# --- escalation rules, endpoints, notifications ----------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def escalation(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    found = services.rules(request.user, org)
    error = ""
    post = request.POST
    if request.method == "POST":
        try:
            if post.get("action") == "delete":
                services.delete_rule(request.user, org, _int(post.get("rule")) or 0)
                messages.success(request, "Rule deleted.")
            elif post.get("action") == "endpoint":
                services.save_endpoint(
                    request.user,
                    org,
                    name=post.get("name", ""),
                    kind=post.get("kind", ""),
                    url=post.get("url", ""),
                    room=post.get("room", ""),
                    token=post.get("token", ""),
                )
                messages.success(request, "Endpoint added.")
            else:
                services.save_rule(
                    request.user,
                    org,
                    name=post.get("name", ""),
                    categories=post.getlist("categories"),
                    min_priority=_int(post.get("min_priority")) or 0,
                    channel_ids=[int(c) for c in post.getlist("channels") if c.isdigit()],
                    keywords=post.get("keywords", ""),
                    notify_roles=post.getlist("notify_roles"),
                    endpoint_ids=[int(e) for e in post.getlist("endpoints") if e.isdigit()],
                    open_case=bool(post.get("open_case")),
                    active=bool(post.get("active")),
                    rule_id=_int(post.get("rule")),
                )
                messages.success(request, "Rule saved.")
        except ServiceError as exc:
            if exc.status >= 403:
                raise
            error = str(exc)
        else:
            return redirect("escalation")
    editing = found.filter(pk=_int(request.GET.get("edit")) or 0).first()
    return render(
        request,
        "inbox/escalation.html",
        {
            "rules": found,
            "editing": editing,
            "endpoints": services.endpoints(request.user, org),
            "channels": Channel.objects.filter(org=org),
            "categories": triage.LABELS.items(),
            "priorities": Priority.choices,
            "roles": Role.choices,
            "kinds": Endpoint.Kind.choices,
            "labels": triage.LABELS,
            "error": error,
        },
        status=400 if error else 200,
    )


@require_GET
@login_required
@service_errors
def notification_log(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    status = request.GET.get("status", "")
    status = status if status in Notification.Status.values else ""
    page = Paginator(services.notifications(request.user, org, status), 100).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "inbox/notifications.html",
        {"page": page, "status": status, "statuses": Notification.Status.choices},
    )


@require_POST
@login_required
@service_errors
def notification_retry(request: HttpRequest, notification_id: int) -> HttpResponse:
    services.retry_notification(request.user, _org(request), notification_id)
    messages.success(request, "Delivery tried again; see its status below.")
    return redirect("notifications")
