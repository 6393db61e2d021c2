"""The inbox's periodic jobs, run by the worker (postguard.web.jobs)."""

from __future__ import annotations

from datetime import timedelta

from postguard.web.jobs import periodic


@periodic("inbox.surge", timedelta(minutes=5))
def detect_surges() -> int:
    from postguard.web.inbox.surge import detect

    return len(detect())


@periodic("inbox.overdue_steps", timedelta(minutes=10))
def overdue_steps() -> int:
    from postguard.web.inbox.services import notify_overdue

    return notify_overdue()


@periodic("inbox.retry_notifications", timedelta(minutes=1))
def retry_notifications() -> int:
    from postguard.web.inbox.notify import retry_due

    return retry_due()
