"""Where a post stands on its way out, in one sentence: the single source of the
publishing status shown by the pages, the API and the mails.

- ``scheduled``: approved, its time ahead ("Scheduled for 2026-12-10 09:00 CET (Europe/Paris)");
- ``due``: approved, its time come, the worker about to take it;
- ``waiting_paused`` / ``waiting_channel``: approved but held: the channel is paused, or
  not connected, or its credentials were refused;
- ``publishing``: a try is under way (or about to start);
- ``retrying``: a try failed and the next one is due at a stated time;
- ``published`` (with the address when the network gave one);
- ``taken_down`` / ``deleted_on_network``: it went out and is gone again, taken down
  through postguard or deleted on the network itself (noticed at a read-back);
- ``failed``: it stopped, with the reason;
- ``not_published``: it was held back (too late, no longer approved) and went back
  to the committee;
- ``not_approved``: still on its way to approval (or refused, expired, archived).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from postguard.web.links import http_url
from postguard.web.orgs.timezones import local_time
from postguard.web.publishing.models import Publication, PublicationState
from postguard.web.workflow.models import OutboxItem, Post, State

_APPROVED = frozenset({State.APPROVED, State.SCHEDULED, State.READY})
_GONE = frozenset({PublicationState.DELETED, PublicationState.DELETED_ON_NETWORK})


@dataclass(frozen=True, slots=True)
class PublishingStatus:
    code: str
    #: The sentence pages and mails show ("Scheduled for …", "Failed: …").
    label: str
    #: The moment the label speaks of (the schedule, the next try, the publication).
    at: datetime | None = None
    #: The address on the network, when published (http(s) only).
    url: str = ""
    reason: str = ""


def _waiting(post: Post) -> PublishingStatus | None:
    channel = post.channel
    if channel.paused_at is not None:
        by = channel.paused_by.get_username() if channel.paused_by is not None else "someone"
        return PublishingStatus(
            "waiting_paused",
            f"Waiting: {channel.name} is paused (by {by} since "
            f"{local_time(channel.paused_at, post.org)}); nothing goes out until it is resumed",
            at=channel.paused_at,
            reason="channel paused",
        )
    from postguard.web.publishing.services import connection_problem

    problem = connection_problem(channel)
    if problem:
        return PublishingStatus(
            "waiting_channel",
            f"Waiting: {channel.name} is not connected. {problem}",
            reason=problem,
        )
    return None


def publishing_status(post: Post, now: datetime | None = None) -> PublishingStatus:
    """Where the post stands on its way out (see the module's docstring)."""
    now = now or timezone.now()
    item = OutboxItem.objects.filter(post=post).first()
    pub: Publication | None = post.publications.order_by("-created_at", "-id").first()
    if pub is not None and pub.state in _GONE:
        when = item.deleted_at if item is not None else None
        label = "Taken down" if pub.state == PublicationState.DELETED else "Deleted on the network"
        if when is not None:
            label += f" {local_time(when, post.org)}"
        code = "taken_down" if pub.state == PublicationState.DELETED else "deleted_on_network"
        return PublishingStatus(code, label, at=when)
    if (
        (item is not None and item.remote_id)
        or post.state == State.PUBLISHED
        or (pub is not None and pub.state == PublicationState.PUBLISHED)
    ):
        url = (item.remote_url if item is not None else "") or (pub.remote_url if pub else "")
        when = (item.published_at if item is not None else None) or (
            pub.published_at if pub else None
        )
        href = http_url(url) or ""
        label = "Published"
        if when is not None:
            label += f" {local_time(when, post.org)}"
        return PublishingStatus("published", label, at=when, url=href)
    if pub is not None and pub.state == PublicationState.FAILED:
        reason = pub.last_error or "the network refused it"
        return PublishingStatus("failed", f"Failed: {reason}", reason=reason)
    if pub is not None and pub.state == PublicationState.PENDING:
        waiting = _waiting(post) if post.channel.paused_at is not None else None
        if waiting is not None:
            return waiting
        if pub.last_error and pub.next_attempt_at is not None and pub.next_attempt_at > now:
            return PublishingStatus(
                "retrying",
                f"Publishing · next try at {local_time(pub.next_attempt_at, post.org)} "
                f"(the last try failed: {pub.last_error})",
                at=pub.next_attempt_at,
                reason=pub.last_error,
            )
        return PublishingStatus("publishing", "Publishing now")
    if post.state in _APPROVED:
        waiting = _waiting(post)
        if waiting is not None:
            return waiting
        due = item.due_at if item is not None else post.scheduled_at
        if due is not None and due > now:
            return PublishingStatus(
                "scheduled", f"Scheduled for {local_time(due, post.org)}", at=due
            )
        return PublishingStatus("due", "Due now: the worker publishes it within a minute", at=due)
    if pub is not None and pub.state == PublicationState.CANCELLED:
        reason = pub.last_error or "it was held back"
        return PublishingStatus("not_published", f"Not published: {reason}", reason=reason)
    label = post.get_state_display()
    if post.state == State.EXPIRED:
        label = "Not published: it was not approved by its time"
    elif post.state not in {State.REJECTED, State.ARCHIVED}:
        label = f"Not approved yet ({label.lower()})"
        if post.scheduled_at is not None:
            label += f"; meant for {local_time(post.scheduled_at, post.org)}"
    return PublishingStatus("not_approved", label, at=post.scheduled_at)
