"""Pages of presence monitoring: the association's watch terms and sources, the mentions
found, and each member's own "My presence". Each view validates, calls the services,
renders; who may do what is decided in services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from postguard.web.errors import Invalid
from postguard.web.inbox import triage
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel
from postguard.web.pages.views import _org, service_errors
from postguard.web.presence import services as presence
from postguard.web.presence.models import SourceKind, TermKind

PER_PAGE = 50


def _channel_id(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise Invalid("Choose one of the association's channels.")
    return int(value)


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def watch(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    if request.method == "POST":
        if request.POST.get("form") == "source":
            created = presence.add_source(
                request.user,
                org,
                name=request.POST.get("name", ""),
                kind=request.POST.get("kind", ""),
                url=request.POST.get("url", ""),
                channel_id=_channel_id(request.POST.get("channel")),
                every_minutes=request.POST.get("every_minutes", str(presence.DEFAULT_EVERY)),
            )
            messages.success(request, f"Source {created.name} added; it is read within a minute.")
        else:
            term = presence.add_term(
                request.user,
                org,
                text=request.POST.get("text", ""),
                kind=request.POST.get("kind", ""),
            )
            messages.success(request, f"Now watching {term.text}.")
        return redirect("presence")
    can_manage = orgs.has_role(request.user, org, presence.SOURCE_MANAGERS)
    return render(
        request,
        "presence/watch.html",
        {
            "terms": presence.org_terms(request.user, org),
            "sources": presence.sources_of(request.user, org),
            "personal_watchers": presence.personal_watchers(request.user, org),
            "term_kinds": [(k, v) for k, v in TermKind.choices if k in presence.ORG_KINDS],
            "source_kinds": SourceKind.choices,
            "channels": Channel.objects.filter(org=org, active=True) if can_manage else [],
            "can_manage": can_manage,
            "default_every": presence.DEFAULT_EVERY,
        },
    )


@require_POST
@login_required
@service_errors
def term(request: HttpRequest, term_id: int) -> HttpResponse:
    action = request.POST.get("action", "")
    found = presence.get_term(request.user, term_id)
    back = "my_presence" if found.owner_id else "presence"
    if action == "remove":
        presence.remove_term(request.user, term_id)
        messages.success(request, f"No longer watching {found.text}.")
    elif action in ("pause", "resume"):
        presence.set_term_active(request.user, term_id, action == "resume")
        messages.success(request, f"{found.text}: {'watched' if action == 'resume' else 'paused'}.")
    else:
        raise Invalid("Unknown action.")
    return redirect(back)


@require_POST
@login_required
@service_errors
def source(request: HttpRequest, source_id: int) -> HttpResponse:
    action = request.POST.get("action", "")
    if action == "remove":
        presence.remove_source(request.user, source_id)
        messages.success(request, "Source removed.")
    elif action == "check":
        found = presence.check_now(request.user, source_id)
        checked = presence.get_source(request.user, source_id)
        if checked.last_error and checked.last_error_at == checked.last_checked_at:
            messages.error(request, f"{checked.name}: {checked.last_error}")
        else:
            messages.success(request, f"{checked.name} read: {found} new mention(s).")
    elif action == "change":
        presence.change_source(
            request.user,
            source_id,
            every_minutes=request.POST.get("every_minutes", ""),
            active=request.POST.get("active") == "on",
        )
        messages.success(request, "Source changed.")
    else:
        raise Invalid("Unknown action.")
    return redirect("presence")


@require_GET
@login_required
@service_errors
def mentions(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    page = Paginator(presence.org_mentions(request.user, org), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "presence/mentions.html", {"page": page, "labels": triage.LABELS})


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def mine(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    if request.method == "POST":
        term = presence.add_term(
            request.user, org, text=request.POST.get("text", ""), kind=TermKind.PERSONAL
        )
        messages.success(request, f"Now watching {term.text} for you alone.")
        return redirect("my_presence")
    page = Paginator(presence.my_mentions(request.user, org), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "presence/mine.html",
        {"terms": presence.my_terms(request.user, org), "page": page, "labels": triage.LABELS},
    )
