"""Presence monitoring's periodic job, run by the worker (postguard.web.jobs).

The job wakes every 30 seconds and polls the sources whose own interval (5 minutes
by default, set per source) has passed, so a new mention reaches the inbox within
the source's interval plus at most 30 seconds."""

from __future__ import annotations

from datetime import timedelta

from postguard.web.jobs import periodic


@periodic("presence.poll", timedelta(seconds=30))
def poll_sources() -> int:
    from postguard.web.presence.services import poll_due

    return poll_due()
