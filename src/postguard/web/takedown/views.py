"""Pages for taking down past posts: the archive of a channel (import a report, choose
posts, say why), the take-downs and their approval, and a published post's take-down.
Each view validates its input, calls one service and renders or redirects."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from postguard.web.errors import Invalid
from postguard.web.pages.views import _org, service_errors
from postguard.web.takedown import services
from postguard.web.takedown.models import ArchiveItem, TakeDown, TakeDownState

PAGE_SIZE = 50


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 19]


def _year(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) != 4:
        raise Invalid("The year is four digits, such as 2019.")
    return int(value)


@require_GET
@login_required
@service_errors
def archive_index(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    return render(
        request,
        "takedown/index.html",
        {"channels": services.archive_channels(request.user, org)},
    )


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def archive_page(request: HttpRequest, channel_id: int) -> HttpResponse:
    if request.method == "POST":
        result = services.request_takedown(
            request.user,
            channel_id,
            _ids(request.POST.getlist("items")),
            request.POST.get("reason", ""),
        )
        pending = sum(1 for td in result.created if td.state == TakeDownState.PENDING)
        asked = len(result.created) - pending
        parts = []
        if pending:
            parts.append(f"{pending} post(s) will be deleted by the worker")
        if asked:
            parts.append(f"{asked} post(s) wait for the chair or an administrator")
        if result.skipped:
            parts.append(f"{result.skipped} already asked for or done")
        messages.success(request, "; ".join(parts) + ".")
        return redirect("takedowns")
    channel, rights = services.archive_channel(request.user, channel_id)
    rule = request.GET.get("rule", "")[:200]
    year = _year(request.GET.get("year"))
    items = services.items_of(request.user, channel, rule=rule, year=year)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rules, years = services.rules_and_years(channel)
    return render(
        request,
        "takedown/archive.html",
        {
            "channel": channel,
            "rights": rights,
            "page": page,
            "rows": _rows(list(page.object_list)),
            "rules": rules,
            "years": years,
            "rule": rule,
            "year": year,
            "imports": channel.archive_imports.all()[:5],
            "max_bytes": services.max_import_bytes(),
        },
    )


def _rows(items: list[ArchiveItem]) -> list[tuple[ArchiveItem, TakeDown | None]]:
    states = services.states_of(items)
    return [(item, states.get(item.pk)) for item in items]


@require_POST
@login_required
@service_errors
def archive_import(request: HttpRequest, channel_id: int) -> HttpResponse:
    # Refused from its announced length, before Django reads the body into a file.
    services.require_upload_size(request.user, channel_id, request.META.get("CONTENT_LENGTH"))
    result = services.import_upload(request.user, channel_id, request.FILES.get("report"))
    messages.success(request, f"Imported: {result.summary()}.")
    for problem in result.errors[:20]:
        messages.warning(request, problem)
    if result.error_count > 20:
        messages.warning(request, f"… and {result.error_count - 20} more refused line(s).")
    return redirect("archive", channel_id=channel_id)


@require_GET
@login_required
@service_errors
def takedown_list(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    query = services.visible_takedowns(request.user, org)
    page = Paginator(query, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "takedown/takedowns.html",
        {
            "page": page,
            "approvable": services.approvable(request.user, list(page.object_list)),
        },
    )


@require_POST
@login_required
@service_errors
def takedown_decide(request: HttpRequest, takedown_id: int) -> HttpResponse:
    td = services.decide(
        request.user, takedown_id, request.POST.get("decision", ""), request.POST.get("note", "")
    )
    messages.success(request, f"Take-down of {td.remote_id}: {td.get_state_display().lower()}.")
    return redirect("takedowns")


@require_POST
@login_required
@service_errors
def post_takedown(request: HttpRequest, post_id: int) -> HttpResponse:
    services.takedown_publication(request.user, post_id, request.POST.get("reason", ""))
    messages.success(request, "The post will be deleted from its network by the worker.")
    return redirect("post", post_id=post_id)
