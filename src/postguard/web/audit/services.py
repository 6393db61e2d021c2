"""Append to, verify, checkpoint and export the hash-chained audit record.

Every service that changes something calls :func:`record` inside the same
transaction as the change, so the record and the data cannot disagree.

Three layers, each catching what the one before cannot: the hash chain catches
an edit made without recomputing; the per-entry MAC (keys.py) catches an edit
whose hashes were recomputed by someone without the key; signed checkpoints
outside the database (checkpoints.py) catch cutting the end off, winding the
head back and wiping, which leave a chain that is consistent in itself.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO
from uuid import UUID

from django.contrib.auth.models import AnonymousUser, User
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from postguard.web.audit import checkpoints, keys
from postguard.web.audit.checkpoints import Checkpoint
from postguard.web.audit.keys import AuditKeys
from postguard.web.audit.models import AuditEntry, AuditHead
from postguard.web.errors import Conflict, Invalid, NotAllowed
from postguard.web.orgs.models import Membership, Organization, Role

log = logging.getLogger(__name__)

GENESIS = "0" * 64
#: What an entry's MAC is for (keys.AuditKey.sign): never interchangeable with a checkpoint's.
ENTRY_PURPOSE = "entry"
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
EXPORT_FIELDS = (*HASHED_FIELDS[:-1], "prev_hash", "hash", "key_id", "mac")
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
    try:
        signer = keys.load().signing
    except keys.AuditKeyError as exc:
        raise Conflict(str(exc)) from None
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
        entry.key_id = signer.key_id
        entry.mac = signer.sign(ENTRY_PURPOSE, entry.hash)
        entry.save(force_insert=True)
        head.seq = entry.seq
        head.hash = entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


@dataclass(frozen=True, slots=True)
class Problem:
    """One way in which the record does not hold; ``seq`` is the first entry it concerns."""

    seq: int | None
    reason: str

    def line(self) -> str:
        if self.seq is None:
            return f"audit record broken: {self.reason}"
        return f"audit record broken at entry {self.seq}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Verification:
    checked: int
    problems: tuple[Problem, ...] = ()
    last_seq: int = 0
    last_hash: str = GENESIS
    #: Entries at the start of the record that predate the audit key: checked by hash only.
    unsealed: int = 0
    #: Authentic checkpoints compared with the record, and the latest of them.
    checkpoints: int = 0
    last_checkpoint: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def broken_seq(self) -> int | None:
        return self.problems[0].seq if self.problems else None

    @property
    def reason(self) -> str:
        return self.problems[0].reason if self.problems else ""

    def describe(self) -> str:
        """The first problem, or what was found intact, on one line."""
        if self.problems:
            return self.problems[0].line()
        text = f"audit chain intact: {self.checked} entries, last hash {self.last_hash}"
        if self.unsealed:
            text += (
                f" ({self.unsealed} entries recorded before the audit key existed are checked "
                "by hash only)"
            )
        if self.last_checkpoint is None:
            return text + "; no checkpoint to compare with"
        return (
            text + f"; matches {self.checkpoints} checkpoint(s), the latest of "
            f"{_when(self.last_checkpoint)}"
        )

    def lines(self) -> list[str]:
        return [p.line() for p in self.problems] if self.problems else [self.describe()]


def _when(point: Checkpoint) -> str:
    return f"{point.at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC ({point.name})"


def _read_checkpoints(
    paths: Iterable[Path], signer: AuditKeys | None, flag: Callable[[str, int | None, str], None]
) -> list[Checkpoint]:
    found = []
    for path in checkpoints.files(paths):
        try:
            point = checkpoints.read(path)
        except checkpoints.UnreadableCheckpoint as exc:
            flag(f"file:{path}", None, f"checkpoint {path} is unusable: {exc}")
            continue
        if signer is None:
            continue  # the missing key is reported once, not per file
        authentic = point.authentic(signer)
        if authentic is None:
            flag(
                f"file:{path}",
                None,
                f"checkpoint {path} is signed with a key that is not configured "
                f"(key id {point.key_id}): forged, or made with another key",
            )
        elif not authentic:
            flag(
                f"file:{path}",
                None,
                f"checkpoint {path} does not match its MAC: forged or altered",
            )
        else:
            found.append(point)
    return found


def _stream() -> Iterator[tuple[dict[str, Any], str, str, str]]:
    """Every entry in order as (hashed fields, hash, key id, MAC), fetched in chunks: plain
    tuples rather than model instances, which halves the time a long record takes."""
    columns = (*HASHED_FIELDS, "hash", "key_id", "mac")
    rows = AuditEntry.objects.order_by("seq").values_list(*columns).iterator(2000)
    width = len(HASHED_FIELDS)
    for row in rows:
        fields = dict(zip(HASHED_FIELDS, row[:width], strict=True))
        fields["at"] = iso(fields["at"])
        yield fields, row[width], row[width + 1], row[width + 2]


def verify(checkpoint_paths: Iterable[Path] | None = None) -> Verification:
    """Walk the chain from the start, checking each entry's link, hash and MAC, then compare
    it with the chain head and with every checkpoint (by default those in the configured
    checkpoint directory). Reports the first entry concerned by each kind of problem.

    Entries are streamed, so memory does not grow with the record."""
    found: dict[str, Problem] = {}

    def flag(kind: str, seq: int | None, reason: str) -> None:
        found.setdefault(kind, Problem(seq, reason))

    try:
        signer: AuditKeys | None = keys.load()
    except keys.AuditKeyError as exc:
        signer = None
        flag("key", None, f"MACs cannot be checked: {exc}")
    paths = [checkpoints.directory()] if checkpoint_paths is None else list(checkpoint_paths)
    points = _read_checkpoints(paths, signer, flag)
    pinned: dict[int, list[Checkpoint]] = {}
    for point in points:
        pinned.setdefault(point.seq, []).append(point)

    expected_prev = GENESIS
    expected_seq = 1
    checked = unsealed = 0
    sealed_seen = False
    for fields, stored_hash, key_id, mac in _stream():
        seq = fields["seq"]
        if seq != expected_seq:
            missing = (
                f"entry {expected_seq} is missing"
                if seq > expected_seq
                else f"entry {seq} appears out of order"
            )
            flag("sequence", seq, f"{missing} (deleted or renumbered)")
        if fields["prev_hash"] != expected_prev:
            flag(
                "link",
                seq,
                f"its previous hash does not match entry {seq - 1}: "
                "an earlier entry was altered, replaced or deleted",
            )
        if entry_hash(fields) != stored_hash:
            flag("content", seq, "its content was altered after it was recorded")
        if mac:
            sealed_seen = True
            if signer is not None:
                authentic = signer.check(key_id, ENTRY_PURPOSE, stored_hash, mac)
                if authentic is None:
                    flag(
                        "mac",
                        seq,
                        f"it is signed with a key that is not configured (key id "
                        f"{key_id or 'none'}): forged outside postguard, or the key changed",
                    )
                elif not authentic:
                    flag(
                        "mac",
                        seq,
                        "its MAC does not match: it was altered (even if the hashes after it "
                        "were recomputed) or written without the audit key",
                    )
        elif sealed_seen:
            flag("mac", seq, "it has no MAC though earlier entries have one: its MAC was removed")
        else:
            unsealed += 1
        for point in pinned.get(seq, ()):
            if point.head != stored_hash:
                flag(
                    "checkpoint",
                    seq,
                    f"its hash differs from the checkpoint of {_when(point)}: "
                    "the record was rewritten up to here",
                )
        expected_prev = stored_hash
        expected_seq = seq + 1
        checked += 1
    last_seq = expected_seq - 1

    head = AuditHead.objects.filter(id=1).first()
    if head is None and checked:
        flag("head", None, "the chain head is missing: it was deleted")
    elif head is not None and (head.seq, head.hash) != (last_seq, expected_prev):
        if head.seq > last_seq and AuditEntry.objects.filter(seq__gt=last_seq).exists():
            # Appended while the walk was reading (the head is read after it, and an entry
            # and its head move in one transaction): the next verification covers them.
            pass
        elif head.seq > last_seq:
            flag(
                "head",
                last_seq + 1,
                f"the record ends at entry {last_seq} but the chain head says {head.seq}: "
                "entries at the end were deleted",
            )
        elif head.seq or checked:
            flag(
                "head",
                head.seq or None,
                f"the chain head (entry {head.seq}) does not match the last entry "
                f"({last_seq}): it was rewritten",
            )
    if points:
        furthest = max(points, key=lambda p: p.seq)
        if furthest.seq > last_seq:
            if checked == 0:
                flag(
                    "checkpoint-end",
                    1,
                    f"the record is empty but the checkpoint of {_when(furthest)} "
                    f"recorded {furthest.entries} entries: it was wiped",
                )
            else:
                flag(
                    "checkpoint-end",
                    last_seq + 1,
                    f"the record ends at entry {last_seq} but the checkpoint of "
                    f"{_when(furthest)} recorded {furthest.entries}: entries at the end were "
                    "deleted and the head wound back",
                )
        fewest = min(points, key=lambda p: p.unsealed)
        if unsealed > fewest.unsealed:
            flag(
                "unsealed",
                fewest.unsealed + 1,
                f"it has no MAC but the checkpoint of {_when(fewest)} says only the first "
                f"{fewest.unsealed} entries predate the audit key: MACs were removed",
            )
    problems = sorted(
        found.values(), key=lambda p: (p.seq is None, p.seq if p.seq is not None else 0)
    )
    return Verification(
        checked,
        tuple(problems),
        last_seq,
        expected_prev,
        unsealed,
        len(points),
        max(points, key=lambda p: p.at) if points else None,
    )


def require_intact(*, force: bool = False) -> Verification:
    """Refuse (409) to pass a record on as genuine when it does not verify, unless forced."""
    result = verify()
    if not result.ok and not force:
        raise Conflict(
            f"The audit record does not verify ({result.problems[0].line()}), so it is not "
            "exported as if it were genuine. Run `postguard audit verify` on the server to see "
            "every problem."
        )
    return result


# --- checkpoints ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckpointResult:
    verification: Verification
    checkpoint: Checkpoint | None = None
    path: Path | None = None
    mailed_to: tuple[str, ...] = ()


def chair_addresses() -> list[str]:
    """Every committee chair's address: the record is shared by the install's organizations."""
    chairs = Membership.objects.filter(role=Role.CHAIR, user__is_active=True).exclude(
        user__email=""
    )
    return sorted(set(chairs.values_list("user__email", flat=True)))


def checkpoint(
    *, mail: bool = True, only_if_moved: bool = False, now: datetime | None = None
) -> CheckpointResult:
    """Verify the record; when it holds, write a signed checkpoint of its head to the
    checkpoint directory and mail it to the chairs. A record that does not verify gets no
    checkpoint (that would vouch for the tampering); the chairs are told instead."""
    result = verify()
    if not result.ok:
        if mail:
            _mail_chairs(
                "the audit record does not verify",
                "postguard checked the audit record and it does not hold:\n\n"
                + "\n".join(result.lines())
                + "\n\nNo checkpoint was written. Ask the server's administrators to run "
                "`postguard audit verify` and compare the record with the checkpoints you "
                "have received.\n",
            )
        raise Conflict(
            f"no checkpoint written: {result.problems[0].line()}; run `postguard audit verify`"
        )
    latest = result.last_checkpoint
    if (
        only_if_moved
        and latest is not None
        and (latest.seq, latest.head) == (result.last_seq, result.last_hash)
    ):
        return CheckpointResult(result)
    try:
        signer = keys.load().signing
    except keys.AuditKeyError as exc:
        raise Conflict(str(exc)) from None
    point = Checkpoint.make(
        signer,
        seq=result.last_seq,
        entries=result.checked,
        head=result.last_hash,
        unsealed=result.unsealed,
        at=now or timezone.now(),
    )
    folder = checkpoints.directory()
    try:
        path = checkpoints.write(point, folder)
    except OSError as exc:
        raise Conflict(
            f"cannot write a checkpoint in {folder} ({exc.strerror}); set "
            f"{checkpoints.ENV_DIR} to a directory postguard may write to"
        ) from None
    sent: tuple[str, ...] = ()
    if mail:
        sent = _mail_chairs(
            f"audit checkpoint: {point.entries} entries",
            _checkpoint_body(point),
            attachment=(point.file_name(), point.text()),
        )
    return CheckpointResult(result, point, path, sent)


def _checkpoint_body(point: Checkpoint) -> str:
    return (
        f"At {iso(point.at)} the audit record held {point.entries} entries; the hash of the "
        f"last one (the head) is\n\n    {point.head}\n\n"
        "Please keep this message and its attachment: it is a copy of the record's state kept "
        "away from the server. If anyone later rewrites, cuts short or wipes the record, it will "
        "no longer match this checkpoint. To check, save the attachment and run\n\n"
        "    postguard audit verify --checkpoint <the saved file>\n\n"
        "on the server (it needs the server's audit key).\n"
    )


def _mail_chairs(
    subject: str, body: str, *, attachment: tuple[str, str] | None = None
) -> tuple[str, ...]:
    addresses = chair_addresses()
    if not addresses:
        log.warning("audit: no committee chair with an e-mail address to send %r to", subject)
        return ()
    message = EmailMessage(f"[postguard] {subject}", body, None, addresses)
    if attachment is not None:
        message.attach(attachment[0], attachment[1], "application/json")
    try:
        message.send()
    except Exception:  # a mail server being down must not stop the checkpoint on disk
        log.exception("audit: mailing %r to the chairs failed", subject)
        return ()
    return tuple(addresses)


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
        row["key_id"] = entry.key_id
        row["mac"] = entry.mac
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
    chair; the export itself goes into the record. Refused (409) when the record does not
    verify. Returns how many entries."""
    if not can_read(user, org):
        raise NotAllowed(
            "Only the organization's administrators and the committee chair can export its record."
        )
    if fmt not in {"csv", "json"}:
        raise Invalid(f"unknown export format {fmt!r}; use csv or json")
    require_intact()
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


def chain_status(user: User | AnonymousUser, org: Organization) -> Verification:
    """Whether the whole record verifies, for the people who read an organization's part of it
    (the chain is shared by the install's organizations, so its status is too)."""
    if not can_read(user, org):
        raise NotAllowed(
            "Only the organization's administrators and the committee chair can read its record."
        )
    return verify()


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


def entries_everywhere(
    user: User | AnonymousUser,
    *,
    action: str = "",
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEntry]:
    """The entries of every organization whose record this person reads (its
    administrators and chair), newest first. Reading is not itself recorded: only an
    export, which takes the record away, is."""
    readable = (
        list(
            Membership.objects.filter(user=user, role__in=AUDIT_READERS).values_list(
                "org_id", flat=True
            )
        )
        if isinstance(user, User)
        else []
    )
    if not readable:
        raise NotAllowed(
            "Only the organization's administrators and the committee chair can read its record."
        )
    # A moment without a zone (2026-01-01T00:00) is read as UTC, the record's own zone.
    since, until = (
        m.replace(tzinfo=UTC) if m is not None and m.tzinfo is None else m for m in (since, until)
    )
    query = _period(since, until).filter(org_id__in=readable).order_by("-seq")
    if action:
        query = query.filter(action__startswith=action)
    return query
