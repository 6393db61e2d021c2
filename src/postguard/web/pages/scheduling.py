"""Pages for time: the organization's time zone (administrators) and moving a post to
another time without new reviews (the author or the committee)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from postguard.web.errors import NotFound, ServiceError
from postguard.web.orgs import services as orgs
from postguard.web.orgs import timezones
from postguard.web.orgs.models import Role
from postguard.web.pages import forms
from postguard.web.pages.current import current_membership
from postguard.web.pages.views import service_errors
from postguard.web.workflow import schedule
from postguard.web.workflow import services as workflow


@require_POST
@login_required
@service_errors
def reschedule(request: HttpRequest, post_id: int) -> HttpResponse:
    post = workflow.get_post(request.user, post_id)
    form = forms.RescheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("scheduled_at", [])))
        return redirect("post", post_id=post.pk)
    try:
        wall = form.cleaned_data["scheduled_at"]
        when = timezones.from_local(wall, post.org) if wall is not None else None
        post = schedule.reschedule(request.user, post, when)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, str(exc))
    else:
        where = timezones.local_time(post.scheduled_at, post.org) or "as soon as possible"
        messages.success(request, f"Moved to {where}; the approvals stand.")
    return redirect("post", post_id=post.pk)


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def time_zone(request: HttpRequest) -> HttpResponse:
    """The organization's time zone (administrators)."""
    member = current_membership(request)
    if member is None:
        raise NotFound("You are not a member of any organization.")
    org = member.org
    orgs.require_role(request.user, org, {Role.ADMIN}, "change the organization's time zone")
    form = forms.TimeZoneForm(request.POST or None, initial={"time_zone": org.time_zone})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                timezones.set_time_zone(request.user, org, form.cleaned_data["time_zone"])
            except ServiceError as exc:
                if exc.status in (403, 404):
                    raise
                form.add_error(None, str(exc))
            else:
                chosen = form.cleaned_data["time_zone"]
                messages.success(request, f"Times are now shown in {chosen}.")
                return redirect("time_zone")
        status = 400
    return render(request, "pages/time_zone.html", {"form": form, "org": org}, status=status)
