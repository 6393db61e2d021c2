"""Moving a post to another time, without touching what was approved.

An approval binds to what goes out (text, channel, kind, what it answers, images:
workflow.services.content_hash_of); when it goes out is a separate decision. The
author or any member of the committee (those who could approve it) may move a post
that is not yet out; each move is recorded with the old and the new time and who
made it, and when the post was already approved its author and approvers are told.
Nothing is re-reviewed, and an edit of the text still is a new revision that needs
new reviews (and a review of older content is still refused with 409).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from postguard.web.audit.services import record
from postguard.web.errors import Conflict, NotAllowed
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import COMMITTEE_ROLES
from postguard.web.orgs.timezones import local_time
from postguard.web.workflow.models import OutboxItem, Post, State

AnyUser = User | AnonymousUser

#: A post in these states can be moved (afterwards it is out, or refused, or archived).
RESCHEDULABLE = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.IN_REVIEW,
        State.CHANGES_REQUESTED,
        State.APPROVED,
        State.SCHEDULED,
        State.READY,
        State.EXPIRED,
    }
)
_APPROVED = frozenset({State.APPROVED, State.SCHEDULED, State.READY})


def can_reschedule(user: AnyUser, post: Post) -> bool:
    """Whether this person may move the post: its author (still authorized on the
    channel) or a member of the committee, before it is published."""
    if not user.is_authenticated or post.state not in RESCHEDULABLE:
        return False
    if post.author_id == user.pk:
        return orgs.can_draft(user, post.channel)
    return orgs.has_role(user, post.org, COMMITTEE_ROLES)


@transaction.atomic
def reschedule(user: AnyUser, post: Post, when: datetime | None) -> Post:
    """Move the post to ``when`` (an aware datetime, or None for "as soon as it is
    approved"). Recorded as ``post.reschedule``; approvals stand."""
    from postguard.web.workflow import services as workflow

    post = workflow._locked(post)
    workflow.get_post(user, post.pk)  # 404 for whoever may not see it
    if not can_reschedule(user, post):
        if post.state not in RESCHEDULABLE:
            raise Conflict(f"A {post.get_state_display().lower()} post cannot be moved.")
        raise NotAllowed(
            "Only the author of a post or a member of the committee can change when it "
            "is published."
        )
    when = workflow._check_schedule(when)
    if when == post.scheduled_at:
        return post
    apply_reschedule(user, post, when)
    return post


def apply_reschedule(user: AnyUser, post: Post, when: datetime | None) -> None:
    """Move a locked post whose mover was allowed (also called by edit_post when only
    the time changes)."""
    from postguard.web.publishing.models import PublicationState
    from postguard.web.workflow import services as workflow

    if post.publications.filter(
        state__in=(PublicationState.PENDING, PublicationState.PUBLISHED)
    ).exists():
        raise Conflict("The post is already being published; it can no longer be moved.")
    before: dict[str, Any] = {"scheduled_at": post.scheduled_at, "state": post.state}
    post.scheduled_at = when
    if post.state in _APPROVED:
        now = timezone.now()
        due = when or now
        OutboxItem.objects.filter(post=post).update(due_at=due)
        post.state = State.SCHEDULED if due > now else State.READY
    elif post.state == State.EXPIRED:
        # It expired waiting for approval; with a new time it starts again as a draft.
        post.state = State.DRAFT
    post.save()
    record(
        "post.reschedule",
        actor=user,
        org=post.org,
        obj=post,
        before=before,
        after={
            "scheduled_at": post.scheduled_at,
            "state": post.state,
            "revision": post.revision,
            "content_hash": workflow.content_hash_of(post),
            "time_zone": post.org.time_zone,
        },
    )
    if before["state"] in _APPROVED:
        old = local_time(before["scheduled_at"], post.org) or "as soon as approved"
        new = local_time(post.scheduled_at, post.org) or "as soon as possible"
        mover = user.get_username() if user.is_authenticated else "postguard"
        body = (
            f"{mover} moved post #{post.pk} on {post.channel.name} from {old} to {new}. "
            "Its text is unchanged, so its approvals stand."
        )
        people = {post.author_id: post.author}
        for r in workflow._current_verdicts(post):
            people.setdefault(r.reviewer_id, r.reviewer)
        for person in people.values():
            if person.pk != user.pk:
                workflow._notify(person, f"Post #{post.pk} moved to {new}", body)
