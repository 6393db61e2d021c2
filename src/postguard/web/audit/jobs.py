"""The audit app's periodic job (run by `postguard worker`, also inside `serve`)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings

from postguard.web.errors import Conflict
from postguard.web.jobs import periodic

log = logging.getLogger(__name__)


@periodic(
    "audit.checkpoint",
    timedelta(hours=float(getattr(settings, "POSTGUARD_AUDIT_CHECKPOINT_HOURS", 24))),
)
def write_checkpoint() -> str:
    """A signed checkpoint of the head, written and mailed to the chairs when the record
    moved since the last one. When the record does not verify, the chairs get the problems
    instead, and the log says why in one line (a refusal, not a crash: no traceback)."""
    from postguard.web.audit.services import checkpoint

    try:
        done = checkpoint(mail=True, only_if_moved=True)
    except Conflict as exc:
        log.error("audit: %s", exc)
        return f"refused: {exc}"
    return str(done.path or "unchanged")
