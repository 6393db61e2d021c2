"""The audit app's periodic job (run by `postguard worker`, also inside `serve`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from postguard.web.jobs import periodic


@periodic(
    "audit.checkpoint",
    timedelta(hours=float(getattr(settings, "POSTGUARD_AUDIT_CHECKPOINT_HOURS", 24))),
)
def write_checkpoint() -> str:
    """A signed checkpoint of the head, written and mailed to the chairs when the record
    moved since the last one; when the record does not verify, the chairs get the
    problems instead (and the job's error is kept on its row)."""
    from postguard.web.audit.services import checkpoint

    done = checkpoint(mail=True, only_if_moved=True)
    return str(done.path or "unchanged")
