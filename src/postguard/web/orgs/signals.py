"""Sign-ins, failed sign-ins and lockouts go into the record (django-axes counts the
failures and decides lockouts; see signin.py)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from postguard.web.audit.services import record
from postguard.web.orgs.clients import address_or_blank
from postguard.web.orgs.names import MAX_USERNAME_CHARS


@receiver(user_login_failed)
def _failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django blanks sensitive credentials before sending; only the name is kept, as typed
    # (bounded), so that the record shows look-alike attempts for what they were.
    username = str(credentials.get("username", ""))[:MAX_USERNAME_CHARS]
    record("auth.login_failed", after={"username": username, "address": address_or_blank(request)})


@receiver(user_locked_out)
def _locked_out(
    sender: Any,
    request: HttpRequest | None,
    username: str | None,
    ip_address: str | None,
    **kwargs: Any,
) -> None:
    record("auth.login_locked_out", after={"username": username or "", "address": ip_address or ""})


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record("auth.login", actor=user, after={"address": address_or_blank(request)})


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record("auth.logout", actor=user)
