"""The take-down app's periodic jobs (run by `postguard worker`)."""

from __future__ import annotations

from datetime import timedelta

from postguard.web.jobs import periodic


@periodic("takedown.requeue", timedelta(minutes=1))
def requeue() -> int:
    from postguard.web.takedown.services import enqueue_pending

    return enqueue_pending()
