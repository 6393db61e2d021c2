"""The communities' periodic jobs, run by the worker (postguard.web.jobs)."""

from __future__ import annotations

from datetime import timedelta

from postguard.web.jobs import periodic


@periodic("communities.watch", timedelta(minutes=2))
def watch() -> int:
    from postguard.web.communities.services import watch_all

    return watch_all()


@periodic("communities.restore", timedelta(minutes=1))
def restore() -> int:
    from postguard.web.communities.services import restore_due

    return restore_due()


@periodic("communities.purge", timedelta(hours=24))
def purge() -> int:
    from postguard.web.communities.services import purge as purge_records

    return purge_records()
