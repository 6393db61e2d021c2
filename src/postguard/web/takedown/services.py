"""Taking down past posts: import an archive report, choose what to delete, delete it
through the channel's connector exactly once, and notice deletions made on the network.

Who decides
    A channel a member claimed as their own account (:class:`PersonalChannel`): that
    member alone sees its archive and takes posts down from it. An official channel:
    the committee and the administrators see its archive and ask for take-downs
    (:data:`VIEWERS`); the chair or an administrator (:data:`APPROVERS`) approves them,
    and theirs need no second approval.

At most once (the outbox protocol of publishing, applied to deletions)
    A :class:`TakeDown` is recorded (the intent, with the text as it was) before any
    call. :func:`run_takedown` claims it with a lease and counts the attempt *before*
    calling ``Connector.delete``; an attempt that may have reached the network
    (``attempts > 0``) first asks the network whether the post is still there, and a
    post that is gone is recorded as done instead of deleted again. A post already
    gone before the first attempt is recorded as such (``already_gone``).

Read-back
    :func:`notice_deleted` (called by the metrics read-back) asks the network which
    published posts it definitely no longer has; those are recorded as deleted on the
    network. A failure to ask is never taken for a deletion.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from postguard.connectors.base import (
    AuthError,
    Connector,
    ConnectorError,
    PermanentError,
    TransientError,
)
from postguard.connectors.base import NotFound as RemoteNotFound
from postguard.connectors.outbox import default_owner, new_idempotency_key
from postguard.connectors.retry import Backoff, GaveUp, retry_read
from postguard.policy.schema import SEVERITIES
from postguard.web.audit.services import record
from postguard.web.errors import Conflict, Invalid, NotAllowed, NotFound
from postguard.web.links import http_url
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel, Organization, Role
from postguard.web.publishing.models import Publication, PublicationState
from postguard.web.takedown.models import (
    ArchiveFinding,
    ArchiveImport,
    ArchiveItem,
    PersonalChannel,
    TakeDown,
    TakeDownState,
)
from postguard.web.workflow.models import OutboxItem, Post

log = logging.getLogger(__name__)
AnyUser = User | AnonymousUser

#: Who sees an official channel's archive and asks for take-downs.
VIEWERS = frozenset({Role.ADMIN, Role.CHAIR, Role.REVIEWER})
#: Who approves the take-down of an official channel's post.
APPROVERS = orgs.AUTHORIZERS
#: The severities, worst first, and the rank the list sorts by.
RANK = {severity: len(SEVERITIES) - i for i, severity in enumerate(SEVERITIES)}
DECISIONS = frozenset({"pass", *SEVERITIES})
MAX_LINE_BYTES = 1_000_000
MAX_TEXT_CHARS = 100_000
MAX_FINDINGS = 200
MAX_FIELD_CHARS = 4000
#: Problems kept per import (all are counted).
MAX_KEPT_ERRORS = 200
BATCH = 500
MIN_REASON_CHARS = 10
MAX_REASON_CHARS = 2000
MAX_ITEMS_PER_REQUEST = 500
BACKOFF = Backoff(attempts=3, base=2.0, max_delay=30.0, max_wait=60.0)
MAX_RETRY_DELAY = timedelta(hours=1)
QUEUE_STALE = timedelta(minutes=10)
#: Fault injection for the crash tests: "claimed:PATH" or "deleted:PATH" (never in production).
PAUSE_ENV = "POSTGUARD_TEST_TAKEDOWN_PAUSE"
_FINDING_FIELDS = (
    "rule_id",
    "pack",
    "clause",
    "quote",
    "category",
    "severity",
    "message",
    "fix",
    "evidence",
    "note",
)


def max_import_bytes() -> int:
    return int(getattr(settings, "POSTGUARD_TAKEDOWN_MAX_IMPORT_BYTES", 20 * 1024 * 1024))


def lease_length() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "POSTGUARD_PUBLISH_LEASE_SECONDS", 600)))


# --- who may do what -----------------------------------------------------------------------


def owner_of(channel: Channel) -> int | None:
    """The id of the member whose own account the channel is, or None (official)."""
    found = PersonalChannel.objects.filter(channel=channel).values_list("owner_id", flat=True)
    return found.first()


@dataclass(frozen=True, slots=True)
class Access:
    personal: bool
    can_request: bool
    can_approve: bool


def access(user: AnyUser, channel: Channel) -> Access:
    """What this person may do with the channel's archive (NotFound / NotAllowed if nothing)."""
    if not user.is_authenticated:
        raise NotFound("No such channel.")
    owner = owner_of(channel)
    if owner is not None:
        if user.pk != owner or orgs.membership(user, channel.org) is None:
            raise NotFound("No such channel.")
        return Access(personal=True, can_request=True, can_approve=True)
    orgs.require_role(user, channel.org, VIEWERS, "see an official channel's archive")
    return Access(
        personal=False,
        can_request=True,
        can_approve=orgs.has_role(user, channel.org, APPROVERS),
    )


def archive_channel(user: AnyUser, channel_id: int) -> tuple[Channel, Access]:
    channel = orgs.get_channel(user, channel_id)
    return channel, access(user, channel)


def archive_channels(user: AnyUser, org: Organization) -> list[tuple[Channel, int, int]]:
    """The channels whose archive this person sees in ``org``, with their item counts
    and how many items are waiting for a decision or being deleted."""
    if not user.is_authenticated or orgs.membership(user, org) is None:
        return []
    official = orgs.has_role(user, org, VIEWERS)
    query = Channel.objects.filter(org=org).filter(
        Q(personal__owner_id=user.pk) | Q(personal__isnull=True)
        if official
        else Q(personal__owner_id=user.pk)
    )
    rows: list[tuple[Channel, int, int]] = []
    for channel in query.annotate(n=Count("archive_items")).order_by("name"):
        waiting = TakeDown.objects.filter(
            channel=channel, state__in=(TakeDownState.REQUESTED, TakeDownState.PENDING)
        ).count()
        rows.append((channel, int(getattr(channel, "n", 0)), waiting))
    return rows


def claim_personal(actor: AnyUser | None, channel: Channel, owner: User) -> PersonalChannel:
    """Mark a channel as a member's own account (an administrator, or the CLI)."""
    if actor is not None:
        orgs.require_role(actor, channel.org, orgs.MANAGERS, "mark a channel as a member's own")
    if orgs.membership(owner, channel.org) is None:
        raise Invalid(f"{owner.get_username()} is not a member of {channel.org.name}.")
    with transaction.atomic():
        claim, _ = PersonalChannel.objects.update_or_create(
            channel=channel, defaults={"owner": owner, "claimed_at": timezone.now()}
        )
        record(
            "channel.personal",
            actor=actor,
            org=channel.org,
            obj=channel,
            after={"owner": owner.get_username()},
        )
    return claim


# --- importing an archive report -----------------------------------------------------------


class LineError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Parsed:
    key: str
    network: str
    remote_id: str
    url: str
    date: datetime | None
    kind: str
    text: str
    decision: str
    findings: list[dict[str, Any]]
    worst: int


def _string(obj: dict[str, Any], name: str, *, limit: int, required: bool = True) -> str:
    value = obj.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise LineError(f'"{name}" must be a non-empty string')
    if len(value) > limit:
        raise LineError(f'"{name}" is longer than {limit} characters')
    return value


def _date(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise LineError('"date" must be an ISO 8601 date or null')
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise LineError(f'"date" is not an ISO 8601 date: {value[:40]!r}') from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _finding(value: Any, number: int) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LineError(f"finding {number} is not an object")
    rule = value.get("rule_id", value.get("rule"))
    if not isinstance(rule, str) or not rule.strip() or len(rule) > 200:
        raise LineError(f'finding {number} has no "rule_id" (or "rule")')
    severity = value.get("severity")
    if severity not in RANK:
        raise LineError(f"finding {number} has a severity other than {', '.join(SEVERITIES)}")
    kept: dict[str, Any] = {"rule_id": rule}
    for name in _FINDING_FIELDS[1:]:
        item = value.get(name, value.get("citation") if name == "clause" else None)
        if isinstance(item, str):
            kept[name] = item[:MAX_FIELD_CHARS]
    for name in ("start", "end"):
        if isinstance(value.get(name), int) and not isinstance(value.get(name), bool):
            kept[name] = value[name]
    return kept


def parse_line(raw: bytes | str, network: str) -> Parsed:
    """One line of DIR/findings.jsonl, checked; LineError says what is wrong."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_LINE_BYTES:
            raise LineError(f"longer than {MAX_LINE_BYTES} bytes")
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise LineError(f"not UTF-8 (byte {exc.start})") from None
    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise LineError(f"not JSON ({str(exc).split(':')[0]})") from None
    if not isinstance(obj, dict):
        raise LineError("not a JSON object")
    item_network = _string(obj, "network", limit=20)
    remote_id = _string(obj, "remote_id", limit=500)
    key = _string(obj, "id", limit=600, required=False) or f"{item_network}:{remote_id}"
    if item_network != network:
        raise LineError(f"the item is from {item_network}, the channel is on {network}")
    text = _string(obj, "text", limit=MAX_TEXT_CHARS, required=False)
    decision = obj.get("decision", "pass")
    if decision not in DECISIONS:
        raise LineError(f'"decision" must be one of {", ".join(sorted(DECISIONS))}')
    raw_findings = obj.get("findings", [])
    if not isinstance(raw_findings, list):
        raise LineError('"findings" must be a list')
    if len(raw_findings) > MAX_FINDINGS:
        raise LineError(f"more than {MAX_FINDINGS} findings")
    findings = [_finding(f, i) for i, f in enumerate(raw_findings, 1)]
    kind = obj.get("kind") or "post"
    if not isinstance(kind, str) or len(kind) > 20:
        raise LineError('"kind" must be a short string')
    return Parsed(
        key=key,
        network=item_network,
        remote_id=remote_id,
        url=http_url(obj.get("url")) or "",
        date=_date(obj.get("date")),
        kind=kind,
        text=text,
        decision=str(decision),
        findings=findings,
        worst=max((RANK[f["severity"]] for f in findings), default=0),
    )


@dataclass
class ImportResult:
    import_id: int = 0
    lines: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    passed: int = 0
    error_count: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{self.lines} line(s): {self.added} item(s) added, {self.updated} updated, "
            f"{self.unchanged} unchanged, "
            f"{self.passed} without findings not kept"
        )
        if self.error_count:
            text += f", {self.error_count} line(s) refused"
        return text


def iter_lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Lines of a stream of byte chunks (a file, an upload), without the newline."""
    rest = b""
    for chunk in chunks:
        rest += chunk
        *lines, rest = rest.split(b"\n")
        yield from lines
    if rest:
        yield rest


#: What makes a stored item different from the report's line (else it is left alone).
_COMPARED = ("network", "remote_id", "url", "date", "kind", "text", "decision", "findings")


def _store(
    channel: Channel, source: ArchiveImport, batch: dict[str, Parsed]
) -> tuple[int, int, int]:
    now = timezone.now()
    with transaction.atomic():
        existing = {
            i.key: i
            for i in ArchiveItem.objects.select_for_update().filter(
                channel=channel, key__in=list(batch)
            )
        }
        fresh: list[ArchiveItem] = []
        changed: list[ArchiveItem] = []
        for key, parsed in batch.items():
            fields = {
                "network": parsed.network,
                "remote_id": parsed.remote_id,
                "url": parsed.url,
                "date": parsed.date,
                "year": parsed.date.year if parsed.date else None,
                "kind": parsed.kind,
                "text": parsed.text,
                "decision": parsed.decision,
                "findings": parsed.findings,
                "worst": parsed.worst,
                "finding_count": len(parsed.findings),
                "imported_at": now,
                "source": source,
            }
            item = existing.get(key)
            if item is None:
                fresh.append(ArchiveItem(channel=channel, key=key, **fields))
            elif any(getattr(item, name) != fields[name] for name in _COMPARED):
                for name, value in fields.items():
                    setattr(item, name, value)
                changed.append(item)
        ArchiveItem.objects.bulk_create(fresh)
        if changed:
            ArchiveItem.objects.bulk_update(
                changed,
                [
                    "network",
                    "remote_id",
                    "url",
                    "date",
                    "year",
                    "kind",
                    "text",
                    "decision",
                    "findings",
                    "worst",
                    "finding_count",
                    "imported_at",
                    "source",
                ],
            )
            ArchiveFinding.objects.filter(item__in=changed).delete()
        renewed = {i.key for i in fresh} | {i.key for i in changed}
        items = {
            i.key: i
            for i in ArchiveItem.objects.filter(channel=channel, key__in=list(renewed)).only(
                "id", "key"
            )
        }
        ArchiveFinding.objects.bulk_create(
            ArchiveFinding(item=items[key], rule=rule, severity=severity)
            for key, parsed in batch.items()
            if key in renewed
            for rule, severity in sorted({(f["rule_id"], f["severity"]) for f in parsed.findings})
        )
    return len(fresh), len(changed), len(existing) - len(changed)


def _count(result: ImportResult, stored: tuple[int, int, int]) -> None:
    result.added += stored[0]
    result.updated += stored[1]
    result.unchanged += stored[2]


def import_report(
    user: AnyUser | None, channel: Channel, lines: Iterable[bytes], source: str = ""
) -> ImportResult:
    """Store the items of an archive report (DIR/findings.jsonl) that have findings.

    Every line is checked on its own: a bad line is refused with its number and why,
    and the good ones are kept. Importing the same report again updates the items
    instead of doubling them. ``user`` None is the command line (the operator)."""
    if user is not None:
        access(user, channel)
    result = ImportResult()
    with transaction.atomic():
        imported = ArchiveImport.objects.create(
            channel=channel,
            imported_by=user if isinstance(user, User) else None,
            imported_at=timezone.now(),
            source=source[:300],
        )
    batch: dict[str, Parsed] = {}
    for number, raw in enumerate(lines, 1):
        result.lines = number
        if not raw.strip():
            continue
        try:
            parsed = parse_line(raw.rstrip(b"\r"), channel.network)
        except LineError as exc:
            result.error_count += 1
            if len(result.errors) < MAX_KEPT_ERRORS:
                result.errors.append(f"line {number}: {exc}")
            continue
        if not parsed.findings:
            result.passed += 1
            continue
        batch[parsed.key] = parsed
        if len(batch) >= BATCH:
            _count(result, _store(channel, imported, batch))
            batch = {}
    if batch:
        _count(result, _store(channel, imported, batch))
    with transaction.atomic():
        ArchiveImport.objects.filter(pk=imported.pk).update(
            lines=result.lines,
            added=result.added,
            updated=result.updated,
            passed=result.passed,
            errors=result.errors,
            error_count=result.error_count,
        )
        record(
            "archive.import",
            actor=user,
            org=channel.org,
            obj=imported,
            after={
                "channel": channel.pk,
                "source": source[:300],
                "lines": result.lines,
                "added": result.added,
                "updated": result.updated,
                "passed": result.passed,
                "refused": result.error_count,
            },
        )
    result.import_id = imported.pk
    return result


#: Room for the form's other fields and the multipart framing around the file.
_FORM_OVERHEAD = 64 * 1024


def require_upload_size(user: AnyUser, channel_id: int, content_length: str | None) -> None:
    """Refuse an upload whose request is larger than the cap allows (checked first:
    who may import, then the size)."""
    archive_channel(user, channel_id)
    try:
        length = int(content_length or 0)
    except ValueError:
        length = 0
    limit = max_import_bytes()
    if length > limit + _FORM_OVERHEAD:
        raise Invalid(
            f"The upload is {length:,} bytes; the limit is {limit:,} bytes. Import a "
            "larger report with `postguard takedown import`."
        )


def import_upload(user: AnyUser, channel_id: int, upload: Any) -> ImportResult:
    """A report uploaded on the archive page (size-capped before anything is read)."""
    channel, _ = archive_channel(user, channel_id)
    if upload is None:
        raise Invalid("Choose the findings.jsonl file of an archive report.")
    limit = max_import_bytes()
    if upload.size > limit:
        raise Invalid(
            f"The file is {upload.size:,} bytes; the limit is {limit:,} bytes. Import a "
            "larger report with `postguard takedown import`."
        )
    return import_report(user, channel, iter_lines(upload.chunks()), str(upload.name or ""))


# --- the list ------------------------------------------------------------------------------


def items_of(
    user: AnyUser, channel: Channel, *, rule: str = "", year: int | None = None
) -> QuerySet[ArchiveItem]:
    """The channel's archive items, worst first, filtered by rule and year."""
    access(user, channel)
    query = ArchiveItem.objects.filter(channel=channel)
    if rule:
        query = query.filter(rules__rule=rule)
    if year is not None:
        query = query.filter(year=year)
    return query.distinct().order_by("-worst", "-finding_count", "-id")


def rules_and_years(channel: Channel) -> tuple[list[tuple[str, int]], list[int]]:
    rules = list(
        ArchiveFinding.objects.filter(item__channel=channel)
        .values_list("rule")
        .annotate(n=Count("item", distinct=True))
        .order_by("-n", "rule")
    )
    years = sorted(
        {
            int(y)
            for y in ArchiveItem.objects.filter(channel=channel, year__isnull=False)
            .values_list("year", flat=True)
            .distinct()
            if y is not None
        },
        reverse=True,
    )
    return [(r, int(n)) for r, n in rules], years


def states_of(items: Sequence[ArchiveItem]) -> dict[int, TakeDown]:
    """The latest take-down of each item, if any."""
    found: dict[int, TakeDown] = {}
    for td in TakeDown.objects.filter(item__in=list(items)).order_by("requested_at", "id"):
        assert td.item_id is not None
        found[td.item_id] = td
    return found


# --- asking for and approving take-downs ---------------------------------------------------


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_CHARS:
        raise Invalid(f"Say why these posts are taken down (at least {MIN_REASON_CHARS} letters).")
    if len(reason) > MAX_REASON_CHARS:
        raise Invalid(f"The reason is longer than {MAX_REASON_CHARS} characters.")
    return reason


def _snapshot(td: TakeDown) -> dict[str, Any]:
    return {
        "state": td.state,
        "channel": td.channel_id,
        "remote_id": td.remote_id,
        "url": td.url,
        "text": td.text,
        "reason": td.reason,
        "item": td.item.key if td.item is not None else None,
        "post": td.publication.post_id if td.publication is not None else None,
        "attempts": td.attempts,
    }


def _queue(td: TakeDown) -> None:
    """Queue the task in the caller's transaction: it exists exactly when the intent does."""
    from postguard.web.takedown.tasks import takedown_task

    TakeDown.objects.filter(pk=td.pk).update(queued_at=timezone.now())
    takedown_task.enqueue(td.pk)


def _create(
    user: User,
    channel: Channel,
    *,
    remote_id: str,
    url: str,
    text: str,
    reason: str,
    approved: bool,
    item: ArchiveItem | None = None,
    publication: Publication | None = None,
) -> TakeDown | None:
    now = timezone.now()
    try:
        with transaction.atomic():
            td = TakeDown.objects.create(
                key=new_idempotency_key(),
                org=channel.org,
                channel=channel,
                item=item,
                publication=publication,
                remote_id=remote_id,
                url=url,
                text=text,
                reason=reason,
                state=TakeDownState.PENDING if approved else TakeDownState.REQUESTED,
                requested_by=user,
                requested_at=now,
                approved_by=user if approved else None,
                approved_at=now if approved else None,
            )
            record("takedown.request", actor=user, org=channel.org, obj=td, after=_snapshot(td))
            if approved:
                record("takedown.approve", actor=user, org=channel.org, obj=td, after=_snapshot(td))
                _queue(td)
    except IntegrityError:
        return None  # one is already asked for, under way or done
    return td


@dataclass(frozen=True, slots=True)
class RequestResult:
    created: list[TakeDown]
    skipped: int


def request_takedown(
    user: AnyUser, channel_id: int, item_ids: Sequence[int], reason: str
) -> RequestResult:
    """Ask for the chosen archive items to be deleted; approved at once when the person
    may approve (the chair, an administrator, a personal channel's owner)."""
    channel, rights = archive_channel(user, channel_id)
    assert isinstance(user, User)
    reason = _reason(reason)
    ids = sorted({int(i) for i in item_ids})
    if not ids:
        raise Invalid("Choose at least one post to take down.")
    if len(ids) > MAX_ITEMS_PER_REQUEST:
        raise Invalid(f"Choose at most {MAX_ITEMS_PER_REQUEST} posts at a time.")
    items = list(ArchiveItem.objects.filter(channel=channel, pk__in=ids))
    if len(items) != len(ids):
        raise NotFound("Some of the chosen posts are not in this channel's archive.")
    created = []
    for item in items:
        td = _create(
            user,
            channel,
            remote_id=item.remote_id,
            url=item.url,
            text=item.text,
            reason=reason,
            approved=rights.can_approve,
            item=item,
        )
        if td is not None:
            created.append(td)
    return RequestResult(created, len(items) - len(created))


def takedown_for(user: AnyUser, takedown_id: int) -> tuple[TakeDown, Access]:
    td = (
        TakeDown.objects.select_related("channel", "channel__org", "item")
        .filter(pk=takedown_id)
        .first()
    )
    if td is None or not user.is_authenticated or orgs.membership(user, td.org) is None:
        raise NotFound("No such take-down.")
    try:
        rights = access(user, td.channel)
    except NotAllowed:
        if td.requested_by_id != user.pk:
            raise
        rights = Access(personal=False, can_request=False, can_approve=False)
    return td, rights


def decide(user: AnyUser, takedown_id: int, decision: str, note: str = "") -> TakeDown:
    """The chair or an administrator approves (queues it) or declines a request."""
    td, rights = takedown_for(user, takedown_id)
    if not rights.can_approve:
        raise NotAllowed("Only the chair or an administrator can approve a take-down.")
    if decision not in ("approve", "decline"):
        raise Invalid("Approve or decline.")
    with transaction.atomic():
        td = TakeDown.objects.select_for_update(of=("self",)).get(pk=td.pk)
        if td.state != TakeDownState.REQUESTED:
            raise Conflict(f"This take-down is {td.get_state_display().lower()} already.")
        before = _snapshot(td)
        td.approved_by = user if isinstance(user, User) else None
        td.approved_at = timezone.now()
        if decision == "approve":
            td.state = TakeDownState.PENDING
        else:
            td.state = TakeDownState.DECLINED
            td.last_error = (note or "").strip()[:MAX_REASON_CHARS]
        td.save()
        record(f"takedown.{decision}", actor=user, org=td.org, obj=td, before=before,
               after=_snapshot(td))  # fmt: skip
        if decision == "approve":
            _queue(td)
    return td


def takedown_publication(user: AnyUser, post_id: int, reason: str) -> TakeDown:
    """Take down one of the association's own published posts (chair or administrator)."""
    from postguard.web.workflow import services as workflow

    post = workflow.get_post(user, post_id)
    orgs.require_role(user, post.org, APPROVERS, "take down a published post")
    assert isinstance(user, User)
    reason = _reason(reason)
    pub = (
        Publication.objects.filter(post=post, state=PublicationState.PUBLISHED)
        .exclude(remote_id="")
        .order_by("-created_at", "-id")
        .first()
    )
    if pub is None:
        raise Conflict("This post is not on its network (it was never published, or is gone).")
    item = OutboxItem.objects.filter(post=post).first()
    td = _create(
        user,
        pub.channel,
        remote_id=pub.remote_id,
        url=pub.remote_url,
        text=item.text if item is not None else post.text,
        reason=reason,
        approved=True,
        publication=pub,
    )
    if td is None:
        raise Conflict("This post is already being taken down (or was).")
    return td


def visible_takedowns(user: AnyUser, org: Organization) -> QuerySet[TakeDown]:
    """The take-downs of channels whose archive this person sees, and their own requests."""
    if not user.is_authenticated or orgs.membership(user, org) is None:
        return TakeDown.objects.none()
    query = TakeDown.objects.filter(org=org).select_related("channel", "requested_by", "item")
    mine = Q(channel__personal__owner_id=user.pk) | Q(requested_by_id=user.pk)
    if orgs.has_role(user, org, VIEWERS):
        return query.filter(mine | Q(channel__personal__isnull=True))
    return query.filter(mine)


def approvable(user: AnyUser, takedowns: Sequence[TakeDown]) -> set[int]:
    """Those of the requests this person may approve or decline."""
    found = set()
    for td in takedowns:
        if td.state != TakeDownState.REQUESTED:
            continue
        try:
            if access(user, td.channel).can_approve:
                found.add(td.pk)
        except (NotFound, NotAllowed):
            continue
    return found


def takedown_of_post(post: Post) -> TakeDown | None:
    return TakeDown.objects.filter(publication__post=post).order_by("-requested_at", "-id").first()


# --- deleting, at most once ----------------------------------------------------------------


def _pause(point: str, remote_id: str) -> None:
    """The crash tests stop the worker here (never in production)."""
    spec = os.environ.get(PAUSE_ENV, "")
    if not spec or getattr(settings, "PRODUCTION", False):
        return
    wanted, _, path = spec.partition(":")
    if wanted != point or not path:
        return
    Path(path + ".reached").write_text(remote_id, encoding="utf-8")
    time.sleep(300)  # the test kills the worker here


def _claim(td: TakeDown, owner: str) -> bool:
    """Take the lease and count the attempt, before any call (one transaction)."""
    now = timezone.now()
    taken = (
        TakeDown.objects.filter(pk=td.pk, state=TakeDownState.PENDING)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner))
        .update(
            attempts=F("attempts") + 1,
            lease_owner=owner[:200],
            lease_until=now + lease_length(),
        )
    )
    return taken == 1


def _finish(td_id: int, state: str, note: str = "") -> None:
    """Record the outcome, the audit entry (with the text as it was) and, for one of our
    own posts, the publication's new state."""
    with transaction.atomic():
        td = (
            TakeDown.objects.select_for_update(of=("self",))
            .select_related("item", "publication", "org")
            .get(pk=td_id)
        )
        if td.state != TakeDownState.PENDING:
            return
        before = _snapshot(td)
        now = timezone.now()
        td.state = state
        td.finished_at = now
        td.lease_owner, td.lease_until, td.next_attempt_at = "", None, None
        td.last_error = note[:2000]
        td.save()
        if state in (TakeDownState.DELETED, TakeDownState.ALREADY_GONE) and td.publication:
            Publication.objects.filter(pk=td.publication.pk).update(state=PublicationState.DELETED)
            OutboxItem.objects.filter(publications=td.publication, deleted_at__isnull=True).update(
                deleted_at=now
            )
        record(
            f"takedown.{state}",
            org=td.org,
            obj=td,
            before=before,
            after={**_snapshot(td), "note": note},
        )


def _retry_later(td: TakeDown, message: str, retry_after: float | None) -> None:
    td.refresh_from_db()
    delay = timedelta(minutes=2) * (2 ** min(max(td.attempts - 1, 0), 5))
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    delay = min(delay, MAX_RETRY_DELAY)
    TakeDown.objects.filter(pk=td.pk, state=TakeDownState.PENDING).update(
        next_attempt_at=timezone.now() + delay,
        last_error=message[:2000],
        lease_owner="",
        lease_until=None,
    )


def _connector(channel: Channel) -> Connector:
    from postguard.web.publishing.services import connector_for

    return connector_for(channel)


def _gone(connector: Connector, remote_id: str) -> bool:
    found = retry_read(
        lambda: connector.gone([remote_id]),
        what=f"{connector.display_name} lookup",
        backoff=BACKOFF,
    )
    return remote_id in found


def run_takedown(td_id: int) -> str:
    """Delete one approved post, at most once. Returns the outcome: ``deleted``,
    ``already_gone``, ``failed``, ``retry``, ``waiting``, ``busy`` or ``done``."""
    from postguard.web.publishing.services import _keep_session, credentials_refused

    TakeDown.objects.filter(pk=td_id).update(queued_at=None)
    td = TakeDown.objects.select_related("channel", "channel__org").filter(pk=td_id).first()
    if td is None or td.state != TakeDownState.PENDING:
        return "done"
    now = timezone.now()
    owner = default_owner()
    if td.lease_until is not None and td.lease_until > now and td.lease_owner != owner:
        return "busy"
    channel = td.channel
    try:
        connector = _connector(channel)
    except AuthError as exc:
        _retry_later(td, str(exc), None)
        credentials_refused(channel, exc)
        return "waiting"
    except PermanentError as exc:
        _fail(td, str(exc))
        return "failed"
    try:
        if _gone(connector, td.remote_id):
            if td.attempts > 0:
                # An earlier attempt may have deleted it: it is not deleted again.
                _finish(td.pk, TakeDownState.DELETED, "gone when checked after an earlier attempt")
                return "deleted"
            _finish(td.pk, TakeDownState.ALREADY_GONE, "the network no longer had it")
            return "already_gone"
        if not _claim(td, owner):
            return "busy"
        _pause("claimed", td.remote_id)
        try:
            connector.delete(td.remote_id)
        except RemoteNotFound:
            _finish(td.pk, TakeDownState.ALREADY_GONE, "the network answered not found")
            return "already_gone"
        _pause("deleted", td.remote_id)
        _finish(td.pk, TakeDownState.DELETED)
        return "deleted"
    except AuthError as exc:
        _retry_later(td, str(exc), None)
        credentials_refused(channel, exc)
        return "waiting"
    except GaveUp as exc:
        _retry_later(td, str(exc), exc.retry_after)
        return "retry"
    except TransientError as exc:
        _retry_later(td, str(exc), exc.retry_after)
        return "retry"
    except ConnectorError as exc:
        _fail(td, str(exc))
        return "failed"
    finally:
        _keep_session(channel, connector)
        connector.close()


def _fail(td: TakeDown, message: str) -> None:
    """The network refused the deletion for good: recorded, not tried again."""
    _finish(td.pk, TakeDownState.FAILED, message)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def free_dead_leases() -> int:
    """A lease held by a process of this machine that no longer exists is freed at once."""
    host = socket.gethostname()
    freed = 0
    for td_id, owner in TakeDown.objects.filter(
        state=TakeDownState.PENDING, lease_owner__startswith=f"{host}:"
    ).values_list("pk", "lease_owner"):
        try:
            pid = int(owner.split(":")[1])
        except (IndexError, ValueError):
            continue
        if pid != os.getpid() and not _pid_alive(pid):
            freed += TakeDown.objects.filter(pk=td_id, lease_owner=owner).update(
                lease_owner="", lease_until=None
            )
    return freed


def _due(now: datetime) -> QuerySet[TakeDown]:
    return (
        TakeDown.objects.filter(state=TakeDownState.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    )


def enqueue_pending(now: datetime | None = None) -> int:
    """Queue again the approved take-downs whose task was lost or whose retry is due."""
    now = now or timezone.now()
    free_dead_leases()
    queued = 0
    stale = Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUE_STALE)
    for td_id in list(_due(now).filter(stale).values_list("pk", flat=True)[:200]):
        with transaction.atomic():
            if (
                TakeDown.objects.filter(pk=td_id, state=TakeDownState.PENDING)
                .filter(stale)
                .update(queued_at=now)
            ):
                from postguard.web.takedown.tasks import takedown_task

                takedown_task.enqueue(td_id)
                queued += 1
    return queued


def resume_interrupted() -> dict[str, int]:
    """At worker start: finish what a dead worker left (each looked up before any call)."""
    free_dead_leases()
    outcomes: dict[str, int] = {}
    for td_id in list(_due(timezone.now()).values_list("pk", flat=True)):
        outcome = run_takedown(td_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def run_pending() -> dict[str, int]:
    """`postguard takedown run`: every approved take-down that is due, now."""
    return resume_interrupted()


# --- read-back: deletions made on the network ----------------------------------------------


def notice_deleted(
    channel: Channel, connector: Connector, items: dict[str, OutboxItem]
) -> set[str]:
    """Of the channel's published posts (remote id → outbox item), record those that the
    network definitely no longer has, and return their ids. A failure to ask is logged
    and taken for nothing: only a definite not-found is a deletion."""
    if not items:
        return set()
    # A post being taken down by postguard is recorded by its take-down, not here.
    ours = set(
        TakeDown.objects.filter(
            channel=channel, state=TakeDownState.PENDING, remote_id__in=list(items)
        ).values_list("remote_id", flat=True)
    )
    items = {r: i for r, i in items.items() if r not in ours}
    if not items:
        return set()
    try:
        gone = connector.gone(list(items)) & set(items)
    except ConnectorError as exc:
        log.warning("could not check %s for deleted posts: %s", channel.name, exc)
        return set()
    now = timezone.now()
    for remote_id in sorted(gone):
        with transaction.atomic():
            item = (
                OutboxItem.objects.select_for_update(of=("self",))
                .select_related("post")
                .filter(pk=items[remote_id].pk, deleted_at__isnull=True)
                .first()
            )
            if item is None:
                continue
            item.deleted_at = now
            item.save(update_fields=["deleted_at"])
            Publication.objects.filter(outbox=item, state=PublicationState.PUBLISHED).update(
                state=PublicationState.DELETED_ON_NETWORK
            )
            record(
                "post.deleted_on_network",
                org=channel.org,
                obj=item.post,
                after={
                    "channel": channel.pk,
                    "remote_id": remote_id,
                    "url": item.remote_url,
                    "text": item.text,
                    "published_at": item.published_at,
                    "noticed_at": now,
                },
            )
    return gone
