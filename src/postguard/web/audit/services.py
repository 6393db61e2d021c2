"""Append to, verify and export the hash-chained audit record.

Every service that changes something calls :func:`record` inside the same
transaction as the change, so the record and the data cannot disagree.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TextIO
from uuid import UUID

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from postguard.web.audit.models import AuditEntry, AuditHead
from postguard.web.errors import Invalid, NotAllowed
from postguard.web.orgs.models import Membership, Organization, Role

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "org_id",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "prev_hash",
)
EXPORT_FIELDS = (*HASHED_FIELDS[:-1], "prev_hash", "hash")
#: Who may read an organization's record in the workspace.
AUDIT_READERS = frozenset({Role.ADMIN, Role.CHAIR})


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"cannot record a {type(value).__name__} in the audit log")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(value: Any) -> str:
    """The one serialization that is hashed: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_default,
    )


def _plain(value: Any) -> Any:
    # Stored exactly as hashed: a datetime becomes its string before both.
    return None if value is None else json.loads(canonical(value))


def fields_of(entry: AuditEntry) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(entry, name) for name in HASHED_FIELDS}
    data["at"] = iso(entry.at)
    return data


def entry_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(fields).encode("utf-8")).hexdigest()


def record(
    action: str,
    *,
    actor: User | AnonymousUser | None = None,
    org: Organization | int | None = None,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append one entry to the chain (inside the caller's transaction)."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name or ""
        object_id = object_id or str(obj.pk)
    person = actor if isinstance(actor, User) else None
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(id=1).first()
        if head is None:
            head = AuditHead.objects.create(id=1, seq=0, hash=GENESIS)
        entry = AuditEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=person.pk if person is not None else None,
            actor_name=person.get_username() if person is not None else "",
            org_id=org.pk if isinstance(org, Organization) else org,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            before=_plain(before),
            after=_plain(after),
            prev_hash=head.hash,
        )
        entry.hash = entry_hash(fields_of(entry))
        entry.save(force_insert=True)
        head.seq = entry.seq
        head.hash = entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


@dataclass(frozen=True, slots=True)
class Verification:
    ok: bool
    checked: int
    #: The first entry at which the chain does not hold (None when it holds).
    broken_seq: int | None = None
    reason: str = ""
    last_hash: str = GENESIS

    def describe(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.checked} entries, last hash {self.last_hash}"
        return f"audit chain broken at entry {self.broken_seq}: {self.reason}"


def verify(entries: Iterable[AuditEntry] | None = None) -> Verification:
    """Walk the chain from the start; report the first entry where it breaks."""
    rows = entries if entries is not None else AuditEntry.objects.order_by("seq").iterator(2000)
    expected_prev = GENESIS
    expected_seq = 1
    checked = 0
    for entry in rows:
        if entry.seq != expected_seq:
            missing = (
                f"entry {expected_seq} is missing"
                if entry.seq > expected_seq
                else f"entry {entry.seq} appears out of order"
            )
            return Verification(False, checked, entry.seq, f"{missing} (deleted or renumbered)")
        if entry.prev_hash != expected_prev:
            return Verification(
                False,
                checked,
                entry.seq,
                f"its previous hash does not match entry {entry.seq - 1}: "
                "an earlier entry was altered, replaced or deleted",
            )
        if entry_hash(fields_of(entry)) != entry.hash:
            return Verification(
                False, checked, entry.seq, "its content was altered after it was recorded"
            )
        expected_prev = entry.hash
        expected_seq += 1
        checked += 1
    if entries is None:
        head = AuditHead.objects.filter(id=1).first()
        if (
            head is not None
            and head.seq > 0
            and (head.seq, head.hash)
            != (
                expected_seq - 1,
                expected_prev,
            )
        ):
            return Verification(
                False,
                checked,
                expected_seq,
                f"the record ends at entry {expected_seq - 1} but the chain head says "
                f"{head.seq}: entries at the end were deleted",
            )
    return Verification(True, checked, None, "", expected_prev)


def _period(
    since: datetime | None, until: datetime | None, org_id: int | None = None
) -> QuerySet[AuditEntry]:
    if since and until and since > until:
        raise Invalid("the start of the period is after its end")
    query = AuditEntry.objects.order_by("seq")
    if since is not None:
        query = query.filter(at__gte=since)
    if until is not None:
        query = query.filter(at__lt=until)
    if org_id is not None:
        query = query.filter(org_id=org_id)
    return query


def export_rows(
    since: datetime | None = None, until: datetime | None = None, org_id: int | None = None
) -> Iterator[dict[str, Any]]:
    for entry in _period(since, until, org_id).iterator(2000):
        row = fields_of(entry)
        row["hash"] = entry.hash
        yield row


def export(
    stream: TextIO,
    fmt: str,
    since: datetime | None = None,
    until: datetime | None = None,
    org_id: int | None = None,
) -> int:
    """Write the entries of a period as CSV or JSON; returns how many."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=list(EXPORT_FIELDS), lineterminator="\n")
        writer.writeheader()
        for row in export_rows(since, until, org_id):
            for key in ("before", "after"):
                row[key] = "" if row[key] is None else canonical(row[key])
            writer.writerow(row)
            count += 1
    elif fmt == "json":
        stream.write("[")
        for row in export_rows(since, until, org_id):
            stream.write(("," if count else "") + "\n  " + json.dumps(row, ensure_ascii=False))
            count += 1
        stream.write("\n]\n" if count else "]\n")
    else:
        raise Invalid(f"unknown export format {fmt!r}; use csv or json")
    return count


def export_for(
    user: User | AnonymousUser,
    org: Organization,
    stream: TextIO,
    fmt: str,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """An organization's entries of a period as CSV or JSON, for its administrators and
    chair; the export itself goes into the record. Returns how many entries."""
    if not can_read(user, org):
        raise NotAllowed(
            "Only the organization's administrators and the committee chair can export its record."
        )
    if fmt not in {"csv", "json"}:
        raise Invalid(f"unknown export format {fmt!r}; use csv or json")
    count = export(stream, fmt, since, until, org.pk)
    record(
        "audit.export",
        actor=user,
        org=org,
        after={
            "format": fmt,
            "since": since,
            "until": until,
            "entries": count,
        },
    )
    return count


def can_read(user: User | AnonymousUser, org: Organization) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, org=org, role__in=AUDIT_READERS).exists()


def list_entries(
    user: User | AnonymousUser,
    org: Organization,
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEntry]:
    """An organization's entries, newest first, for its administrators and chair."""
    if not can_read(user, org):
        raise NotAllowed(
            "Only the organization's administrators and the committee chair can read its record."
        )
    query = _period(since, until, org.pk).order_by("-seq")
    if action:
        query = query.filter(action__startswith=action)
    if actor:
        query = query.filter(actor_name=actor)
    if object_type:
        query = query.filter(object_type=object_type)
    if object_id:
        query = query.filter(object_id=object_id)
    return query
