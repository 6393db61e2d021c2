"""The evaluation report's pages: the report, its downloads, and what the committee sets
for it. Each view validates, calls one service, renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from postguard.web.errors import Invalid, NotFound
from postguard.web.evaluation import measures, services
from postguard.web.evaluation.models import CountKind
from postguard.web.orgs.models import Channel
from postguard.web.pages.views import _org, service_errors


def _channel_ids(request: HttpRequest) -> list[int]:
    values = request.GET.getlist("channel")[:100]
    if not all(v.isdigit() and len(v) < 19 for v in values):
        raise Invalid("A channel is given by its number.")
    return [int(v) for v in values]


def _period(request: HttpRequest) -> str:
    asked = request.GET.get("period", "").strip()[:40]
    return asked or measures.last_complete("monthly", timezone.now()).key


@require_GET
@login_required
@service_errors
def report(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    period = _period(request)
    try:
        found = services.report_for(request.user, org, period, _channel_ids(request))
    except Invalid as exc:
        services.require_reader(request.user, org)
        return render(
            request,
            "evaluation/report.html",
            {"error": str(exc), "period": period, "channels": Channel.objects.filter(org=org)},
            status=400,
        )
    query = request.GET.copy()
    query["period"] = found.period.key
    query.pop("format", None)
    return render(
        request,
        "evaluation/report.html",
        {
            **services.context(found),
            "period": found.period.key,
            "channels": Channel.objects.filter(org=org).order_by("name"),
            "chosen": {c.pk for c in found.channels} if not found.all_channels else set(),
            "query": query.urlencode(),
        },
    )


@require_GET
@login_required
@service_errors
def export(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    found = services.report_for(request.user, org, _period(request), _channel_ids(request))
    content, content_type, name = services.export(found, request.GET.get("format", "pdf")[:10])
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
@service_errors
def setup(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    found = services.setup_for(request.user, org)
    return render(
        request,
        "evaluation/setup.html",
        {
            "setup": found,
            "can_manage": services.can_manage(request.user, org),
            "kinds": CountKind.choices,
        },
    )


def _channel(request: HttpRequest) -> Channel:
    value = request.POST.get("channel", "")
    found = Channel.objects.filter(org=_org(request), pk=int(value) if value.isdigit() else 0)
    channel = found.first()
    if channel is None:
        raise NotFound("No such channel.")
    return channel


@require_POST
@login_required
@service_errors
def set_plan(request: HttpRequest) -> HttpResponse:
    channel = _channel(request)
    services.set_plan(request.user, channel, request.POST.get("posts_per_week", "")[:20])
    messages.success(request, f"Saved the posting plan of {channel.name}.")
    return redirect("evaluation_setup")


@require_POST
@login_required
@service_errors
def set_target(request: HttpRequest) -> HttpResponse:
    hours = services.set_reply_target(
        request.user, _org(request), request.POST.get("hours", "")[:10]
    )
    messages.success(request, f"Inbox items now count as answered in time within {hours} hours.")
    return redirect("evaluation_setup")


@require_POST
@login_required
@service_errors
def set_schedule(request: HttpRequest) -> HttpResponse:
    schedule = services.set_schedule(
        request.user,
        _org(request),
        request.POST.get("frequency", "")[:20],
        request.POST.get("recipients", "")[:10_000],
        request.POST.get("active") == "on",
    )
    messages.success(request, f"Saved the {schedule.get_frequency_display().lower()} schedule.")
    return redirect("evaluation_setup")


@require_POST
@login_required
@service_errors
def create_campaign(request: HttpRequest) -> HttpResponse:
    post = request.POST
    campaign = services.create_campaign(
        request.user,
        _org(request),
        name=post.get("name", "")[:200],
        starts_on=post.get("starts_on", "")[:20],
        ends_on=post.get("ends_on", "")[:20],
        tracked_link=post.get("tracked_link", "")[:600],
        goal_link_clicks=post.get("goal_link_clicks", "")[:12],
        goal_signups=post.get("goal_signups", "")[:12],
        goal_new_members=post.get("goal_new_members", "")[:12],
    )
    messages.success(request, f"Created the campaign {campaign.name}.")
    return redirect("evaluation_setup")


@require_POST
@login_required
@service_errors
def import_counts(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = services.get_campaign(request.user, campaign_id)
    upload = request.FILES.get("file")
    if upload is None:
        services.require_manager(request.user, campaign.org)
        raise Invalid("Choose a CSV file.")
    if upload.size is not None and upload.size > services.MAX_IMPORT_BYTES:
        services.require_manager(request.user, campaign.org)
        raise Invalid("The file is larger than 5 MB.")
    rows = services.import_counts(
        request.user,
        campaign,
        request.POST.get("kind", "")[:20],
        upload.read(),
        upload.name or "",
    )
    messages.success(
        request, f"Counted {rows} row(s) for {campaign.name}; only the counts are kept."
    )
    return redirect("evaluation_setup")
