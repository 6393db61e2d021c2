"""Signing in with a password: the canonical user name, and django-axes' throttling.

Two limits, so that strangers cannot lock an organization out:

- a name from one address: after ``AXES_FAILURE_LIMIT`` failures for a name from an
  address, that name is refused from that address for the cool-off time (the same
  name from elsewhere is not affected, so one stranger cannot lock out the chair);
- an address: after ``SIGNIN_FAILURES_PER_ADDRESS`` failures from an address, whatever
  the names, it is refused for every name that has not signed in successfully from
  there before. That stops one address trying many names (made-up or real) while the
  colleagues who already work from the same address (an office, a proxy) carry on.
  Made-up and real names are treated alike, so the refusal says nothing about which
  names exist.

API tokens are not passwords: only Django's ``authenticate`` goes through axes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.models import AccessAttempt, AccessBase, AccessLog
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from postguard.web.orgs.clients import client_address
from postguard.web.orgs.names import MAX_USERNAME_CHARS, canonical_username

PER_NAME_AND_ADDRESS: list[str | list[str]] = [["username", "ip_address"]]
PER_ADDRESS: list[str | list[str]] = ["ip_address"]


class CanonicalNameBackend(ModelBackend):
    """Django's password check, looking the person up by the canonical user name."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is not None:
            username = canonical_username(username)
            if len(username) > MAX_USERNAME_CHARS:
                return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def throttled_name(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the canonical name, so that spellings share one count."""
    raw = None
    if credentials:
        raw = credentials.get("username")
    elif request is not None:
        raw = request.POST.get("username")
    if raw is None:
        return None
    # Longer names belong to no one; the cut keeps them within axes' column.
    return canonical_username(str(raw))[:MAX_USERNAME_CHARS]


def _address(request: HttpRequest) -> str | None:
    return getattr(request, "axes_ip_address", None) or client_address(request)


def _signed_in_from(name: str | None, address: str) -> bool:
    since = timezone.now() - timedelta(days=settings.SIGNIN_KNOWN_ADDRESS_DAYS)
    return bool(
        name
        and AccessLog.objects.filter(
            username=name, ip_address=address, attempt_time__gte=since
        ).exists()
    )


def _failures_from(address: str, request: HttpRequest) -> int:
    recent = AccessAttempt.objects.filter(
        ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
    )
    return int(recent.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def lockout_parameters(
    request: HttpRequest | AccessBase, credentials: dict[str, Any] | None = None
) -> list[str | list[str]]:
    """AXES_LOCKOUT_PARAMETERS: which failures count against this attempt.

    Normally the name from this address. Once the address has failed too often, the
    address as a whole, except for names that signed in from it before. axes compares
    either count with AXES_FAILURE_LIMIT; the address count is only chosen when it is
    past SIGNIN_FAILURES_PER_ADDRESS, which is higher, so it locks."""
    if isinstance(request, AccessBase):
        return PER_NAME_AND_ADDRESS
    address = _address(request)
    if address is None:
        return PER_NAME_AND_ADDRESS
    if _failures_from(address, request) < settings.SIGNIN_FAILURES_PER_ADDRESS:
        return PER_NAME_AND_ADDRESS
    if _signed_in_from(throttled_name(request, credentials), address):
        return PER_NAME_AND_ADDRESS
    return PER_ADDRESS


def cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the site's error page, saying what to do."""
    message = (
        f"Too many failed sign-ins from your address. Wait {cool_off_minutes()} minutes "
        f"and try again, or reset your password (“Forgot your password?” on the sign-in "
        f"page) to sign in now."
    )
    return render(
        request,
        "pages/error.html",
        {"message": message, "status": settings.AXES_HTTP_RESPONSE_CODE},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
