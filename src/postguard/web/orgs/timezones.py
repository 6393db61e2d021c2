"""An organization's time zone: its people enter and read times in it; the database
keeps UTC.

``from_local`` turns what someone typed in a ``datetime-local`` field (a wall-clock
time without a zone) into UTC, refusing a time the clocks skip (the hour lost when
summer time starts) and taking the first of a time that happens twice (the hour
repeated when it ends). ``local_time`` writes a moment as the organization reads it,
with the zone's abbreviation and name, so nobody has to guess.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime
from functools import lru_cache

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction

from postguard.web.audit.services import record
from postguard.web.errors import Invalid
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Organization, Role, default_time_zone

AnyUser = User | AnonymousUser


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every IANA zone this machine knows, sorted (what the settings page offers)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The zone of that name (Invalid when there is none)."""
    if not isinstance(name, str) or not name or len(name) > 64:
        raise Invalid("Choose a time zone from the list, such as Europe/London.")
    try:
        return zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise Invalid(
            f"{name[:64]!r} is not a time zone; choose one from the list, such as Europe/London."
        ) from None


def zone_of(org: Organization) -> zoneinfo.ZoneInfo:
    """The organization's zone; UTC when what is stored is no longer a zone."""
    try:
        return zone(org.time_zone or default_time_zone())
    except Invalid:
        return zoneinfo.ZoneInfo("UTC")


def from_local(wall: datetime, org: Organization) -> datetime:
    """A wall-clock time in the organization's zone, as an aware UTC datetime.

    A time with a zone already is only converted. A time the clocks skip is refused
    with the reason; of a time that happens twice, the first is taken."""
    if wall.tzinfo is not None:
        return wall.astimezone(UTC)
    tz = zone_of(org)
    first = wall.replace(tzinfo=tz, fold=0)
    try:
        moment = first.astimezone(UTC)
    except (OverflowError, ValueError):
        raise Invalid(
            "That time is out of range; choose a time within the next two years."
        ) from None
    # A skipped time does not survive the round trip: 01:30 becomes 02:30 (or 00:30).
    back = moment.astimezone(tz).replace(tzinfo=None)
    if back != wall.replace(tzinfo=None):
        raise Invalid(
            f"{wall:%Y-%m-%d %H:%M} does not exist in {tz.key}: the clocks go forward then. "
            "Choose another time."
        )
    return moment


def local_time(moment: datetime | None, org: Organization, *, with_zone: bool = True) -> str:
    """``2026-12-10 09:00 CET (Europe/Paris)``: a moment as the organization reads it."""
    if moment is None:
        return ""
    tz = zone_of(org)
    here = moment.astimezone(tz)
    text = f"{here:%Y-%m-%d %H:%M}"
    if not with_zone:
        return text
    abbreviation = here.tzname() or ""
    if tz.key == "UTC" or abbreviation == tz.key:
        return f"{text} {tz.key}"
    return f"{text} {abbreviation} ({tz.key})"


def local_input(moment: datetime | None, org: Organization) -> str:
    """The value of a ``datetime-local`` field for a moment (empty for none)."""
    if moment is None:
        return ""
    return f"{moment.astimezone(zone_of(org)):%Y-%m-%dT%H:%M}"


@transaction.atomic
def set_time_zone(user: AnyUser, org: Organization, name: str) -> Organization:
    """An administrator sets the organization's time zone; recorded."""
    orgs.require_role(user, org, {Role.ADMIN}, "change the organization's time zone")
    name = name.strip() if isinstance(name, str) else name
    tz = zone(name)
    org = Organization.objects.select_for_update().get(pk=org.pk)
    before = org.time_zone
    if before == tz.key:
        return org
    org.time_zone = tz.key
    org.save(update_fields=["time_zone"])
    record(
        "org.time_zone",
        actor=user,
        org=org,
        obj=org,
        before={"time_zone": before},
        after={"time_zone": tz.key},
    )
    return org
