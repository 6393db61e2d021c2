"""Presence monitoring's periodic job, run by the worker (postguard.web.jobs).

The job wakes every ``POLL_TICK`` (30 seconds) and polls the sources whose next check
falls before the next wake-up, so two polls of a source are never more than its own
interval (5 minutes by default, set per source) apart, and a new mention reaches the
inbox within one interval."""

from __future__ import annotations

from postguard.web.jobs import periodic
from postguard.web.presence.services import POLL_TICK


@periodic("presence.poll", POLL_TICK)
def poll_sources() -> int:
    from postguard.web.presence.services import poll_due

    return poll_due()
