"""What every page needs to know: the person's organization and role."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import COMMITTEE_ROLES, Role


def workspace(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    member = orgs.primary_membership(user)
    role = member.role if member else None
    return {
        "membership": member,
        "current_org": member.org if member else None,
        "is_committee": role in COMMITTEE_ROLES,
        "is_admin": role == Role.ADMIN,
        "can_read_audit": role in {Role.ADMIN, Role.CHAIR},
        "can_draft": orgs.channels_for(user).exists(),
    }
