"""What every page needs to know: the person's current organization and role there."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import COMMITTEE_ROLES, Role
from postguard.web.pages.current import current_membership


def workspace(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    member = current_membership(request)
    role = member.role if member else None
    org = member.org if member else None
    return {
        "membership": member,
        "current_org": org,
        "all_memberships": list(orgs.memberships_of(user)),
        "is_committee": role in COMMITTEE_ROLES,
        "is_admin": role == Role.ADMIN,
        "can_read_audit": role in {Role.ADMIN, Role.CHAIR},
        "can_draft": org is not None and orgs.channels_for(user, org).exists(),
        "is_community_staff": org is not None
        and user.community_roles.filter(community__org=org).exists(),
    }
