"""Which of a person's organizations the pages show: the one they chose, else their first.

The choice lives in the session (an interface matter); whether the person belongs to
the organization is asked of the services every time.
"""

from __future__ import annotations

from django.http import HttpRequest

from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Membership

SESSION_KEY = "postguard_org"
_CACHE = "_postguard_membership"


def current_membership(request: HttpRequest) -> Membership | None:
    if hasattr(request, _CACHE):
        cached: Membership | None = getattr(request, _CACHE)
        return cached
    user = request.user
    found = None
    if user.is_authenticated:
        chosen = request.session.get(SESSION_KEY)
        if isinstance(chosen, int):
            found = orgs.memberships_of(user).filter(org_id=chosen).first()
        if found is None:
            found = orgs.primary_membership(user)
    setattr(request, _CACHE, found)
    return found


def choose(request: HttpRequest, org_id: int) -> Membership:
    """Switch the pages to another of the person's organizations (404 if not theirs)."""
    found = orgs.membership_in(request.user, org_id)
    request.session[SESSION_KEY] = found.org_id
    setattr(request, _CACHE, found)
    return found
