"""Pausing a channel's scheduled posts while a crisis is handled (issue 14).

A paused channel keeps its approved posts, but the worker neither releases nor
publishes any of them until someone resumes it: what was cheerful yesterday can
be wrong today. Only the chair and administrators pause and resume, and both
are recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.utils import timezone

from postguard.web.audit.services import record
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel
from postguard.web.workflow.models import Post, State

AnyUser = User | AnonymousUser
#: Who pauses and resumes a channel: those who lead the response to a crisis.
PAUSERS = orgs.AUTHORIZERS
#: Posts that a pause holds back.
HELD_STATES = (State.SCHEDULED, State.READY)


@dataclass(frozen=True, slots=True)
class PauseState:
    paused: bool
    by: str = ""
    at: datetime | None = None
    #: Approved posts waiting on the channel (what the pause holds back).
    held: int = 0


def can_pause(user: AnyUser, channel: Channel) -> bool:
    return orgs.has_role(user, channel.org, PAUSERS)


def pause_state(channel: Channel) -> PauseState:
    held = Post.objects.filter(channel=channel, state__in=HELD_STATES).count()
    if channel.paused_at is None:
        return PauseState(False, held=held)
    by = channel.paused_by.get_username() if channel.paused_by else "postguard"
    return PauseState(True, by=by, at=channel.paused_at, held=held)


def _pausable(user: AnyUser, channel_id: int, doing: str) -> Channel:
    found = orgs.get_channel(user, channel_id)  # 404 outside the organization
    orgs.require_role(user, found.org, PAUSERS, doing)
    return (
        Channel.objects.select_for_update(of=("self",))
        .select_related("org", "paused_by")
        .get(pk=found.pk)
    )


@transaction.atomic
def pause(user: AnyUser, channel_id: int) -> Channel:
    """Hold back every scheduled post of the channel until it is resumed."""
    channel = _pausable(user, channel_id, "pause a channel's scheduled posts")
    if channel.paused_at is not None:
        return channel  # already paused: the first pause (and who made it) stands
    assert isinstance(user, User)
    channel.paused_at = timezone.now()
    channel.paused_by = user
    channel.save(update_fields=["paused_at", "paused_by"])
    record(
        "channel.pause",
        actor=user,
        org=channel.org,
        obj=channel,
        after={"channel": channel.name, "held": pause_state(channel).held},
    )
    return channel


@transaction.atomic
def resume(user: AnyUser, channel_id: int) -> Channel:
    """Let the channel's scheduled posts go out again (those already due go out now)."""
    channel = _pausable(user, channel_id, "resume a channel's scheduled posts")
    if channel.paused_at is None:
        return channel
    before = {
        "channel": channel.name,
        "paused_at": channel.paused_at,
        "paused_by": channel.paused_by.get_username() if channel.paused_by else None,
    }
    channel.paused_at = None
    channel.paused_by = None
    channel.save(update_fields=["paused_at", "paused_by"])
    record(
        "channel.resume",
        actor=user,
        org=channel.org,
        obj=channel,
        before=before,
        after={"channel": channel.name, "held": pause_state(channel).held},
    )
    return channel
