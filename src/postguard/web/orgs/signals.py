"""Sign-ins and failed sign-ins go into the record; failures feed throttling."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from postguard.web.audit.services import record
from postguard.web.orgs.services import note_login_failure


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))


@receiver(user_login_failed)
def _failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django blanks sensitive credentials before sending; only the name is kept.
    username = str(credentials.get("username", ""))
    note_login_failure(username, client_address(request))
    record("auth.login_failed", after={"username": username, "address": client_address(request)})


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record("auth.login", actor=user, after={"address": client_address(request)})


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record("auth.logout", actor=user)
