"""The evaluation's periodic job: mail the scheduled reports once each period has ended."""

from __future__ import annotations

from datetime import timedelta

from postguard.web.jobs import periodic


@periodic("evaluation.send_reports", timedelta(hours=1))
def send_reports() -> int:
    from postguard.web.evaluation.services import send_due_reports

    return len(send_due_reports())
