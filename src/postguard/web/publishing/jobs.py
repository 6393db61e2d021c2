"""The publishing app's periodic jobs (run by `postguard worker`)."""

from __future__ import annotations

from datetime import timedelta

from postguard.web.jobs import periodic


@periodic("publishing.pull_inbound", timedelta(minutes=5))
def pull_inbound() -> int:
    from postguard.web.publishing.services import pull_all

    return pull_all("inbound")


@periodic("publishing.pull_metrics", timedelta(hours=1))
def pull_metrics() -> int:
    from postguard.web.publishing.services import pull_all

    return pull_all("metrics")


@periodic("publishing.check_expiry", timedelta(hours=6))
def check_expiry() -> int:
    from postguard.web.publishing.services import check_expiry

    return check_expiry()
