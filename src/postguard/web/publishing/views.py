"""Connecting channels. Each view validates its input, calls one service and redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from postguard.web.pages.views import service_errors
from postguard.web.publishing import pause as pausing
from postguard.web.publishing import services


@require_POST
@login_required
@service_errors
def connect(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Connect a Bluesky channel with its handle and an app password."""
    channel = services.require_channel(request.user, channel_id)
    services.connect_bluesky(
        request.user,
        channel,
        handle=request.POST.get("handle", ""),
        app_password=request.POST.get("app_password", ""),
        service=request.POST.get("service", ""),
        watch=request.POST.get("watch", ""),
    )
    messages.success(request, f"{channel.name} is connected.")
    return redirect("channel", channel_id=channel.pk)


@require_POST
@login_required
@service_errors
def disconnect(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = services.require_channel(request.user, channel_id)
    services.disconnect(request.user, channel)
    messages.success(request, f"{channel.name} is disconnected; its credentials are erased.")
    return redirect("channel", channel_id=channel.pk)


@require_POST
@login_required
@service_errors
def oauth_start(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = services.require_channel(request.user, channel_id)
    url = services.oauth_start(
        request.user,
        channel,
        request.session,
        request.build_absolute_uri(reverse("oauth_callback")),
        instance=request.POST.get("instance", "").strip().rstrip("/"),
    )
    # A page with a link, not a redirect: the Content-Security-Policy's form-action 'self'
    # makes browsers block a form whose answer redirects to another site.
    return render(
        request,
        "publishing/oauth_continue.html",
        {"channel": channel, "url": url, "host": urlsplit(url).hostname or url},
    )


@require_GET
@login_required
@service_errors
def oauth_callback(request: HttpRequest) -> HttpResponse:
    channel = services.oauth_callback(
        request.user,
        request.session,
        state=request.GET.get("state", ""),
        code=request.GET.get("code", ""),
    )
    messages.success(request, f"{channel.name} is connected.")
    return redirect("channel", channel_id=channel.pk)


# --- pausing a channel's scheduled posts (the crisis playbook) -----------------------


def _back(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Back where the button was (the channel page, or a crisis case's page)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("channel", channel_id=channel_id)


@require_POST
@login_required
@service_errors
def pause(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = pausing.pause(request.user, channel_id)
    messages.success(
        request,
        f"Scheduled posts on {channel.name} are paused: none goes out until someone resumes it.",
    )
    return _back(request, channel.pk)


@require_POST
@login_required
@service_errors
def resume(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = pausing.resume(request.user, channel_id)
    messages.success(
        request, f"{channel.name} is resumed: its scheduled posts go out when they are due."
    )
    return _back(request, channel.pk)
