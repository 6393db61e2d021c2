"""The inbox, escalation and cases (IPALA policy section 3; IBLCE advisory
opinion, "Provision of Care").

Inbound items arrive three ways -- pulled by the connectors (the publishing
worker calls :func:`ingest`), posted to the signed webhook (hooks.py), or
imported from a network's export (:func:`import_export`) -- and all go
through :func:`ingest`: deduplicated by (channel, remote id), threaded with
the publication they answer, triaged by the engine, and escalated by the
organization's rules. Escalated items open a case that follows the
committee's playbook for the situation.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from postguard.connectors.base import InboundItem
from postguard.web.audit.models import AuditEntry
from postguard.web.audit.services import record
from postguard.web.errors import Conflict, Invalid, NotAllowed, NotFound
from postguard.web.inbox import notify, triage, vault
from postguard.web.inbox.models import (
    Case,
    CaseStep,
    Endpoint,
    EscalationRule,
    InboxItem,
    ItemKind,
    ItemState,
    Notification,
    Playbook,
    PlaybookStep,
    Priority,
    Situation,
    Source,
)
from postguard.web.links import MAX_URL, http_url
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel, Membership, Organization, Role
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import Kind, OutboxItem, Post

AnyUser = User | AnonymousUser

#: Who sees every inbound item of an organization and works its cases.
OVERSEERS = frozenset({Role.ADMIN, Role.CHAIR, Role.REVIEWER})
#: Who hides or deletes a comment on the association's behalf.
MODERATORS = frozenset({Role.ADMIN, Role.CHAIR})
#: Who writes the committee's procedures (playbooks).
PLAYBOOK_EDITORS = frozenset({Role.ADMIN, Role.CHAIR, Role.REVIEWER})
#: Who decides who is told (escalation rules, endpoints) and reads the notification log.
RULE_EDITORS = frozenset({Role.ADMIN, Role.CHAIR})
MAX_TEXT = 20_000
MAX_IMPORT_ITEMS = 5_000


# --- seeing -------------------------------------------------------------------------------


def visible_items(user: AnyUser, org: Organization) -> QuerySet[InboxItem]:
    """The committee and administrators see every item of the organization; an
    authorized member sees the items of the channels they respond on."""
    if not user.is_authenticated:
        return InboxItem.objects.none()
    role = orgs.role_of(user, org)
    items = InboxItem.objects.filter(org=org).select_related("channel", "assignee", "outbox")
    if role in OVERSEERS:
        return items
    if role == Role.AUTHORIZED:
        return items.filter(channel__authorized__user_id=user.pk).distinct()
    return InboxItem.objects.none()


def require_inbox(user: AnyUser, org: Organization) -> Membership:
    member = orgs.require_member(user, org)
    if member.role not in OVERSEERS and not (
        member.role == Role.AUTHORIZED and orgs.channels_for(user, org).exists()
    ):
        raise NotAllowed(
            "The inbox is for the committee, administrators and the members authorized "
            "to respond on a channel."
        )
    return member


def get_item(user: AnyUser, item_id: int) -> InboxItem:
    if user.is_authenticated:
        for member in orgs.memberships_of(user):
            found = visible_items(user, member.org).filter(pk=item_id).first()
            if found is not None:
                return found
    raise NotFound(f"No inbox item {item_id}.")


@dataclass(frozen=True, slots=True)
class Filters:
    channel: int | None = None
    category: str = ""
    priority: int | None = None
    state: str = ""
    assignee: str = ""  # "", "me", "none" or a user id
    q: str = ""


def inbox(user: AnyUser, org: Organization, filters: Filters = Filters()) -> QuerySet[InboxItem]:
    """The organization's inbox as this person may see it, filtered, most pressing first."""
    require_inbox(user, org)
    items = visible_items(user, org)
    if filters.channel:
        items = items.filter(channel_id=filters.channel)
    if filters.priority is not None:
        items = items.filter(priority__gte=filters.priority)
    if filters.state:
        items = items.filter(state=filters.state)
    if filters.assignee == "me":
        items = items.filter(assignee_id=user.pk)
    elif filters.assignee == "none":
        items = items.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        items = items.filter(assignee_id=int(filters.assignee))
    if filters.q.strip():
        for word in filters.q.split()[:8]:
            items = items.filter(Q(text__icontains=word) | Q(author_handle__icontains=word))
    if filters.category:
        if filters.category not in triage.LABELS:
            raise Invalid("Unknown category.")
        # JSON containment is not portable to SQLite: filter the ids in Python.
        ids = [
            pk
            for pk, cats in items.values_list("pk", "categories")
            if filters.category in (cats or [])
        ]
        items = items.filter(pk__in=ids)
    return items.order_by(
        # New before read before done, then the most pressing, then the newest.
        "state",
        "-priority",
        "-created_at",
        "-id",
    )


def _inbox_orgs(user: AnyUser) -> list[Organization]:
    """The organizations whose inbox this person may read (refused when there is none)."""
    found = []
    for member in orgs.memberships_of(user):
        try:
            require_inbox(user, member.org)
        except NotAllowed:
            continue
        found.append(member.org)
    if not found:
        raise NotAllowed(
            "The inbox is for the committee, administrators and the members authorized "
            "to respond on a channel."
        )
    return found


def inbox_everywhere(user: AnyUser, filters: Filters = Filters()) -> QuerySet[InboxItem]:
    """Every inbox this person may read, in all their organizations, filtered (the API's
    list: a client pages through it in its own order)."""
    if filters.state and filters.state not in ItemState.values:
        raise Invalid(f"Unknown state {filters.state!r}; one of: {', '.join(ItemState.values)}.")
    which = Q(pk__in=[])
    for org in _inbox_orgs(user):
        which |= Q(pk__in=inbox(user, org, filters).order_by().values("pk"))
    return InboxItem.objects.filter(which).select_related("channel", "assignee", "org")


def thread(item: InboxItem) -> list[InboxItem]:
    """The item's ancestors (oldest first), the item, and its direct answers."""
    chain: list[InboxItem] = []
    seen = {item.pk}
    parent = item.parent
    while parent is not None and parent.pk not in seen and len(chain) < 20:
        chain.insert(0, parent)
        seen.add(parent.pk)
        parent = parent.parent
    children = list(item.children.select_related("channel").order_by("created_at", "id")[:50])
    return [*chain, item, *children]


def replies_to(item: InboxItem) -> QuerySet[Post]:
    """The association's replies drafted to this item (workflow posts)."""
    return Post.objects.filter(
        channel=item.channel, kind=Kind.REPLY, in_reply_to=item.remote_id
    ).order_by("created_at", "id")


def item_history(item: InboxItem) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type="inboxitem", object_id=str(item.pk)).order_by(
        "seq"
    )


# --- ingesting ---------------------------------------------------------------------------


def _clean(text: str, limit: int = MAX_TEXT) -> str:
    return clean_text(text or "")[:limit]


def ingest(channel: Channel, items: Sequence[InboundItem], *, source: str) -> list[InboxItem]:
    """Store new inbound items of one channel; returns those that were new.

    Deduplicated by (channel, remote id); threaded to the publication it
    answers (OutboxItem.remote_id) and to the inbound item it answers;
    triaged by the engine; escalated by the organization's rules.
    """
    if source not in Source.values:
        raise Invalid(f"Unknown source {source!r}.")
    # Ids are compared and stored as they will be kept (a connector's feed is from outside).
    items = [
        replace(i, remote_id=_clean(i.remote_id, MAX_ID))
        for i in items
        if i.remote_id and _clean(i.remote_id, MAX_ID)
    ]
    if not items:
        return []
    ours = set(
        OutboxItem.objects.filter(
            channel=channel, remote_id__in=[i.remote_id for i in items]
        ).values_list("remote_id", flat=True)
    )
    known = set(
        InboxItem.objects.filter(
            channel=channel, remote_id__in=[i.remote_id for i in items]
        ).values_list("remote_id", flat=True)
    )
    fresh: list[InboundItem] = []
    for inbound in items:
        # Our own publications come back in some feeds; they are not inbound.
        if inbound.remote_id in ours or inbound.remote_id in known:
            continue
        known.add(inbound.remote_id)
        fresh.append(inbound)
    if not fresh:
        return []
    verdicts = triage.triage_many([_clean(i.text) or " " for i in fresh], audience=channel.audience)
    created: list[InboxItem] = []
    for inbound, verdict in zip(fresh, verdicts, strict=True):
        stored = _store(channel, inbound, verdict, source)
        if stored is not None:
            created.append(stored)
    return created


def _store(
    channel: Channel, inbound: InboundItem, verdict: triage.Triage, source: str
) -> InboxItem | None:
    parent_id = _clean(inbound.parent_remote_id or "", MAX_ID)
    created_at = inbound.created_at
    if timezone.is_naive(created_at):
        created_at = created_at.replace(tzinfo=UTC)
    try:
        with transaction.atomic():
            item = InboxItem.objects.create(
                org=channel.org,
                channel=channel,
                remote_id=inbound.remote_id,
                parent_remote_id=parent_id,
                outbox=(
                    OutboxItem.objects.filter(channel=channel, remote_id=parent_id).first()
                    if parent_id
                    else None
                ),
                parent=(
                    InboxItem.objects.filter(channel=channel, remote_id=parent_id).first()
                    if parent_id
                    else None
                ),
                author_handle=_clean(inbound.author_handle, 200),
                text=_clean(inbound.text),
                kind=inbound.kind if inbound.kind in ItemKind.values else ItemKind.COMMENT,
                # A connector's URL is from outside too: kept only when http(s).
                url=http_url(inbound.url) or "",
                created_at=created_at,
                source=source,
                categories=list(verdict.categories),
                findings=[f.to_dict() for f in verdict.findings],
                priority=verdict.priority,
                negative=verdict.negative,
            )
            if item.parent and item.outbox is None:
                # An answer to a comment on our post belongs to our post's thread.
                item.outbox = item.parent.outbox
                item.save(update_fields=["outbox"])
            # Answers that arrived before this item now find their parent.
            InboxItem.objects.filter(
                channel=channel, parent_remote_id=item.remote_id, parent__isnull=True
            ).exclude(pk=item.pk).update(parent=item)
            record(
                "inbox.receive",
                org=channel.org,
                obj=item,
                after={
                    "channel": channel.pk,
                    "remote_id": item.remote_id,
                    "source": source,
                    "categories": item.categories,
                    "priority": item.priority,
                },
            )
            escalate(item)
    except IntegrityError:
        # Received twice at once (webhook and pull): the other one stored it.
        return None
    return item


def escalate(item: InboxItem) -> list[Notification]:
    """Apply the organization's rules to an item: notify, and open a case."""
    sent: list[Notification] = []
    open_case_for: EscalationRule | None = None
    for rule in EscalationRule.objects.filter(org=item.org, active=True).prefetch_related(
        "channels", "endpoints"
    ):
        if not rule_matches(rule, item):
            continue
        sent += notify.queue(
            item.org,
            reason="escalation",
            subject=_subject(item),
            body=_body(item, rule),
            roles=rule.notify_roles,
            endpoints=rule.endpoints.all(),
            item=item,
            rule=rule,
        )
        if rule.open_case and open_case_for is None:
            open_case_for = rule
        if item.escalated_at is None:
            item.escalated_at = timezone.now()
            item.save(update_fields=["escalated_at"])
            record(
                "inbox.escalate",
                org=item.org,
                obj=item,
                after={"rule": rule.name, "notifications": len(sent)},
            )
    if open_case_for is not None and not item.cases.exists():
        situation = triage.situation_for(item.categories)
        if situation is not None:
            _open_case(None, item, situation)
    return sent


def rule_matches(rule: EscalationRule, item: InboxItem) -> bool:
    channels = [c.pk for c in rule.channels.all()]
    if channels and item.channel_id not in channels:
        return False
    keywords = [k.strip().lower() for k in rule.keywords.split(",") if k.strip()]
    if keywords and any(k in item.text.lower() for k in keywords):
        return True
    if item.priority < rule.min_priority:
        return False
    wanted = set(rule.categories or [])
    if wanted:
        return bool(wanted & set(item.categories))
    # A rule with keywords only matches by its keywords.
    return not keywords


def _labels(categories: Iterable[str]) -> str:
    return ", ".join(triage.LABELS.get(c, c) for c in categories) or "no category"


def _subject(item: InboxItem) -> str:
    priority = Priority(item.priority).label.lower()
    return (
        f"{_labels(item.categories)} on {item.channel.name} ({priority}) from {item.author_handle}"
    )


def _body(item: InboxItem, rule: EscalationRule | None) -> str:
    clauses = sorted({f"{f['clause']} ({f['rule_id']})" for f in item.findings})
    lines = [
        f"A {item.get_kind_display().lower()} on {item.channel.name} needs the committee's "
        "attention (IPALA social media policy, section 3).",
        "",
        f"From: {item.author_handle}",
        f"When: {item.created_at:%Y-%m-%d %H:%M} UTC",
        f"Categories: {_labels(item.categories)}",
        f"Priority: {Priority(item.priority).label}",
        "",
        "What they wrote:",
        item.text,
        "",
    ]
    if clauses:
        lines += ["Clauses:", *[f"- {c}" for c in clauses], ""]
    if item.url:
        lines.append(f"On the network: {item.url}")
    lines.append(f"In postguard: {notify.base_url()}/inbox/{item.pk}/")
    if rule is not None:
        lines += ["", f"(Escalation rule: {rule.name})"]
    return "\n".join(lines)


# --- importing an export -----------------------------------------------------------------

#: Bounds on an export or a webhook request; beyond them the file, or the one item, is
#: refused with a message (never a 500, never the rest of the file lost).
MAX_UPLOAD = 10_000_000
MAX_ID = 500
MAX_AUTHOR = 200
MAX_DEPTH = 32
#: A comment's time is after this and at most FUTURE_SLACK ahead of the server's clock.
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
#: Unix seconds as text: ASCII digits only (str.isdigit() also takes "²" and "٣").
_UNIX = re.compile(r"-?[0-9]{1,15}(?:\.[0-9]{1,9})?")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
#: Characters an id never has: controls (NUL is refused by PostgreSQL) and lone surrogates
#: (refused by SQLite's UTF-8 encoder).
_NOT_IN_ID = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")

_FIELDS = {
    "remote_id": ("id", "remote_id", "comment_id", "uri"),
    "parent_remote_id": ("parent_id", "parent_remote_id", "in_reply_to", "post_id", "parent"),
    "author_handle": ("author", "author_handle", "from", "handle", "username", "user"),
    "text": ("text", "message", "comment", "body", "content"),
    "created_at": ("created_at", "created_time", "timestamp", "date"),
    "kind": ("kind", "type"),
    "url": ("url", "permalink", "link"),
}


class _Refused(Exception):
    """One item of an export is unusable; the message says why (without the row number)."""


@dataclass(frozen=True, slots=True)
class Parsed:
    """The usable items of an export, and one line for each item refused or changed."""

    items: list[InboundItem]
    problems: list[str]


@dataclass(frozen=True, slots=True)
class Imported:
    created: list[InboxItem]
    #: How many usable items the file held (new or already in the inbox).
    rows: int
    problems: list[str]


def _field(row: dict[str, Any], name: str) -> Any:
    for key in _FIELDS[name]:
        value = row.get(key)
        if isinstance(value, dict):  # Graph API style {"from": {"name": ...}}
            value = value.get("name") or value.get("username") or value.get("id")
        if value not in (None, ""):
            return value
    return None


def _show(value: Any) -> str:
    shown = repr(value) if not isinstance(value, str) else repr(value[:40])
    return shown if len(shown) <= 50 else shown[:47] + "..."


def _as_text(value: Any, what: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _Refused(f"the {what} is {type(value).__name__}, not text.")


def _identifier(value: Any, what: str) -> str:
    text = _as_text(value, what).strip()
    if not text:
        raise _Refused(f"the {what} is empty.")
    if len(text) > MAX_ID:
        raise _Refused(f"the {what} is longer than {MAX_ID} characters.")
    if _NOT_IN_ID.search(text):
        raise _Refused(f"the {what} holds control characters or broken Unicode.")
    return text


def clean_text(text: str) -> str:
    """Text from outside as it can be stored: NULs dropped (PostgreSQL refuses them),
    lone surrogates -- half an emoji, cut by a sender -- shown as U+FFFD (SQLite refuses them)."""
    return _SURROGATES.sub("\ufffd", text.replace("\x00", ""))


def moment(value: Any, now: datetime | None = None) -> datetime:
    """A comment's time from ISO 8601 text or Unix seconds (a number or digits).

    Raises ValueError with a short reason for anything else: NaN, 1e300, -1e15,
    5,000 digits, a date before 1990 or more than a day ahead, a year 9999 that
    overflows when moved to UTC.
    """
    now = now or timezone.now()
    latest = now + FUTURE_SLACK
    seconds: float | None = None
    if isinstance(value, bool) or value is None:
        raise ValueError("not a date and time")
    if isinstance(value, int | float):
        try:
            seconds = float(value)
        except OverflowError:
            raise ValueError("out of range") from None
    elif isinstance(value, str):
        text = value.strip()
        if _UNIX.fullmatch(text):
            seconds = float(text)
        elif len(text) > 64:
            raise ValueError("not a date and time")
        else:
            try:
                found = datetime.fromisoformat(text.replace("Z", "+00:00"))
                found = (found if found.tzinfo else found.replace(tzinfo=UTC)).astimezone(UTC)
            except (ValueError, OverflowError):
                raise ValueError("not a date and time") from None
            if not EARLIEST <= found <= latest:
                raise ValueError("out of range")
            return found
    else:
        raise ValueError("not a date and time")
    if not (math.isfinite(seconds) and EARLIEST.timestamp() <= seconds <= latest.timestamp()):
        raise ValueError("out of range")
    return datetime.fromtimestamp(seconds, tz=UTC)


def _item(row: Any, now: datetime, notes: list[str]) -> InboundItem:
    """One export row as an inbound item; raises _Refused; appends to ``notes`` what
    was left out of an item that is kept."""
    if not isinstance(row, dict):
        raise _Refused("an item is an object with an id, a text and a created_at.")
    remote_id, body = _field(row, "remote_id"), _field(row, "text")
    if remote_id is None or body is None:
        raise _Refused("an item needs an id and a text.")
    remote_id = _identifier(remote_id, "id")
    text = clean_text(_as_text(body, "text"))
    if len(text) > MAX_TEXT:
        raise _Refused(f"the text is longer than {MAX_TEXT:,} characters.")
    parent = _field(row, "parent_remote_id")
    parent_id = _identifier(parent, "parent id") if parent is not None else None
    author = _field(row, "author_handle")
    author_handle = clean_text(_as_text(author, "author"))[:MAX_AUTHOR] if author else "unknown"
    when = _field(row, "created_at")
    if when is None:
        raise _Refused("no created_at.")
    try:
        created_at = moment(when, now)
    except ValueError:
        raise _Refused(
            f"created_at {_show(when)} is not a date and time between {EARLIEST.year} and "
            "now (ISO 8601, or Unix seconds)."
        ) from None
    kind = _field(row, "kind")
    kind = kind.lower() if isinstance(kind, str) else "comment"
    url = _field(row, "url")
    safe = http_url(url)
    if url is not None and safe is None:
        notes.append(
            f"the url {_show(url)} was left out: only http and https addresses of at most "
            f"{MAX_URL} characters are kept."
        )
    return InboundItem(
        remote_id=remote_id,
        parent_remote_id=parent_id,
        author_handle=author_handle.strip() or "unknown",
        text=text,
        created_at=created_at,
        kind=kind if kind in ItemKind.values else "comment",  # type: ignore[arg-type]
        url=safe,
    )


def parse_rows(rows: Any, *, label: str = "Row") -> Parsed:
    """Check each row on its own: a bad row is refused with a line saying why, the
    others are kept. Raises Invalid only when the whole is unusable."""
    if isinstance(rows, dict):
        rows = rows.get("data") or rows.get("items") or rows.get("comments") or []
    if not isinstance(rows, list):
        raise Invalid("The export must be a list of items.")
    if len(rows) > MAX_IMPORT_ITEMS:
        raise Invalid(f"At most {MAX_IMPORT_ITEMS:,} items at once; this has {len(rows):,}.")
    now = timezone.now()
    items: list[InboundItem] = []
    problems: list[str] = []
    for number, row in enumerate(rows, start=1):
        notes: list[str] = []
        try:
            items.append(_item(row, now, notes))
        except _Refused as exc:
            problems.append(f"{label} {number} refused: {exc}")
        problems += [f"{label} {number}: {note}" for note in notes]
    return Parsed(items, problems)


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if isinstance(node, dict):
            stack += [(v, level + 1) for v in node.values() if isinstance(v, dict | list)]
        elif isinstance(node, list):
            stack += [(v, level + 1) for v in node if isinstance(v, dict | list)]
    return deepest


def _big_int(digits: str) -> int | str:
    # Python refuses to convert more than 4,300 digits (and would stop the whole file);
    # such a number stays text, and is refused where a number or a short id is wanted.
    return int(digits) if len(digits) <= 20 else digits


def load_json(data: bytes | str) -> Any:
    """JSON from outside, bounded in depth; Invalid (with the reason) when unusable."""
    try:
        loaded = json.loads(data, parse_int=_big_int)
    except RecursionError:
        raise Invalid(f"The JSON is nested deeper than {MAX_DEPTH} levels.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        # JSONDecodeError is a ValueError; its message says where the file is broken.
        raise Invalid(f"The file is not valid JSON: {str(exc)[:200]}") from None
    if _depth(loaded) > MAX_DEPTH:
        raise Invalid(f"The JSON is nested deeper than {MAX_DEPTH} levels.")
    return loaded


def parse_export(data: bytes | str, filename: str = "") -> Parsed:
    """Inbound items from a CSV or JSON export (a list, or {"data"/"items"/"comments": [...]}).

    Raises Invalid when the file as a whole is unusable (too large, not JSON, nested too
    deep, too many items); otherwise each bad item is refused on its own line of
    ``problems`` and the rest are kept.
    """
    if len(data) > MAX_UPLOAD:
        raise Invalid(f"The file is larger than {MAX_UPLOAD // 1_000_000} MB.")
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    if filename.lower().endswith(".json") or text.lstrip().startswith(("[", "{")):
        return parse_rows(load_json(text))
    try:
        # One row more than allowed, so that a file with too many is told so.
        rows = list(islice(csv.DictReader(io.StringIO(text)), MAX_IMPORT_ITEMS + 1))
    except csv.Error as exc:
        raise Invalid(f"The file is not valid CSV: {exc}") from None
    return parse_rows(rows)


def import_export(
    user: AnyUser, channel: Channel, data: bytes | str, filename: str = ""
) -> Imported:
    """Import a network's export of comments into a channel's inbox.

    Items that cannot be used are refused one by one (``problems``); the others are
    imported. Raises Invalid when the file is unusable or no item in it is.
    """
    member = orgs.require_member(user, channel.org)
    if member.role not in MODERATORS and not orgs.can_draft(user, channel):
        raise NotAllowed(
            "Only administrators, the chair and the members authorized on this channel "
            "can import its comments."
        )
    parsed = parse_export(data, filename)
    if not parsed.items:
        reasons = " ".join(parsed.problems[:3]) if parsed.problems else "The file has no items."
        more = len(parsed.problems) - 3
        raise Invalid(f"Nothing imported. {reasons}" + (f" (and {more} more)" if more > 0 else ""))
    with transaction.atomic():
        created = ingest(channel, parsed.items, source=Source.IMPORT)
        record(
            "inbox.import",
            actor=user,
            org=channel.org,
            obj=channel,
            after={
                "file": filename[:200],
                "rows": len(parsed.items),
                "new": len(created),
                "refused": sum(" refused: " in p for p in parsed.problems),
            },
        )
    return Imported(created, len(parsed.items), parsed.problems)


# --- working an item --------------------------------------------------------------------


def _locked_item(user: AnyUser, item_id: int) -> InboxItem:
    visible = get_item(user, item_id)
    return InboxItem.objects.select_for_update().select_related("channel", "org").get(pk=visible.pk)


@transaction.atomic
def set_state(user: AnyUser, item_id: int, state: str) -> InboxItem:
    item = _locked_item(user, item_id)
    if state not in ItemState.values:
        raise Invalid("The state is new, read or done.")
    if item.state == state:
        return item
    before = item.state
    item.state = state
    item.save(update_fields=["state"])
    record(f"inbox.{state}", actor=user, org=item.org, obj=item, before={"state": before})
    return item


@transaction.atomic
def assign(user: AnyUser, item_id: int, assignee_id: int | None) -> InboxItem:
    item = _locked_item(user, item_id)
    assignee = None
    if assignee_id is not None:
        found = Membership.objects.filter(org=item.org, user_id=assignee_id).first()
        if found is None or found.role not in (*OVERSEERS, Role.AUTHORIZED):
            raise Invalid("Assign to a member of the committee or an authorized member.")
        assignee = found.user
    before = item.assignee.get_username() if item.assignee else None
    item.assignee = assignee
    item.save(update_fields=["assignee"])
    record(
        "inbox.assign",
        actor=user,
        org=item.org,
        obj=item,
        before={"assignee": before},
        after={"assignee": assignee.get_username() if assignee else None},
    )
    return item


def assignable(org: Organization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(org=org, role__in=(*OVERSEERS, Role.AUTHORIZED))
        .select_related("user")
        .order_by("user__username")
    )


@transaction.atomic
def moderate(user: AnyUser, item_id: int, action: str, reason: str) -> InboxItem:
    """Hide or delete a comment on the network: recorded with its reason, never silent.

    postguard marks the item; the network call is made by the channel's owner
    or the connector where the network allows it, and the record says which.
    """
    item = _locked_item(user, item_id)
    orgs.require_role(user, item.org, MODERATORS, "hide or delete a comment")
    reason = reason.strip()
    if action not in {"hide", "delete"}:
        raise Invalid("The action is hide or delete.")
    if len(reason) < 5:
        raise Invalid("Say why (it goes into the record).")
    now = timezone.now()
    if action == "hide":
        if item.hidden_at:
            raise Conflict("This comment is already hidden.")
        item.hidden_at = now
    else:
        if item.deleted_at:
            raise Conflict("This comment is already deleted.")
        item.deleted_at = now
    item.save(update_fields=["hidden_at", "deleted_at"])
    record(
        f"inbox.{action}",
        actor=user,
        org=item.org,
        obj=item,
        before={"text": item.text, "author": item.author_handle},
        after={"reason": reason[:2000], "network": item.channel.network},
    )
    return item


def templates_for(item: InboxItem) -> list[dict[str, Any]]:
    """Response templates offered for this item: its situations' playbook steps, each
    as it fits the channel's network (a default template's shorter variant where the
    long one is over the limit), with what would still stop it there."""
    wanted = [triage.SITUATION_OF[c] for c in item.categories if c in triage.SITUATION_OF]
    out = []
    for situation in dict.fromkeys(wanted):
        playbook = Playbook.objects.filter(org=item.org, situation=situation).first()
        if playbook is None:
            continue
        for step in playbook.steps.all():
            if step.template.strip():
                text, problems = fitted(step.template, item)
                out.append(
                    {
                        "situation": Situation(situation).label,
                        "title": step.title,
                        "text": text,
                        "problems": problems,
                    }
                )
    return out


def fitted(template: str, item: InboxItem) -> tuple[str, tuple[str, ...]]:
    """The template filled in for the item, in its shorter variant when the long one is
    over the channel's limit; and what the network would still refuse (empty: fits)."""
    from postguard.web.inbox.defaults import SHORT_VARIANTS
    from postguard.web.publishing.services import network_fit

    text = fill(template, item)
    fit = network_fit(item.channel, text, reply_to=item.remote_id or "reply")
    short = SHORT_VARIANTS.get(template.strip().replace("\r", ""))
    if fit is not None and fit.problems and short is not None:
        text = fill(short, item)
        fit = network_fit(item.channel, text, reply_to=item.remote_id or "reply")
    return text, (fit.problems if fit is not None else ())


def fill(template: str, item: InboxItem) -> str:
    return template.replace("{author}", item.author_handle).replace("{channel}", item.channel.name)


@transaction.atomic
def draft_reply(user: AnyUser, item_id: int, text: str) -> Post:
    """A reply on behalf of the association: a workflow post of kind reply, which goes
    through the engine's check and the approval path (with the reply fast lane)."""
    item = get_item(user, item_id)
    if item.deleted_at:
        raise Conflict("This comment was deleted; there is nothing to reply to.")
    post = workflow.create_post(
        user, item.channel, text, kind=Kind.REPLY, in_reply_to=item.remote_id
    )
    record("inbox.reply", actor=user, org=item.org, obj=item, after={"post": post.pk})
    if item.state == ItemState.NEW:
        item.state = ItemState.READ
        item.save(update_fields=["state"])
    return post


def can_message(item: InboxItem) -> bool:
    """Whether postguard can send the item's author a private message on its network."""
    from postguard.web.publishing.services import capabilities_of

    capabilities = capabilities_of(item.channel.network)
    return capabilities is not None and capabilities.private_messages


def draft_message(user: AnyUser, item_id: int, text: str) -> Post:
    """A private message to the item's author on behalf of the association: a workflow
    post of kind message, checked by the engine and approved like a reply (the reply
    lane, or the crisis lane for a crisis item), then sent by the worker."""
    item = get_item(user, item_id)
    if item.deleted_at:
        raise Conflict("This comment was deleted; its author cannot be found from it.")
    if not can_message(item):
        raise Conflict(
            f"postguard cannot send private messages on {item.channel.get_network_display()}: "
            "answer in public and invite the person to write to the association."
        )
    post = workflow.create_post(
        user, item.channel, text, kind=Kind.MESSAGE, in_reply_to=item.remote_id
    )
    record("inbox.message", actor=user, org=item.org, obj=item, after={"post": post.pk})
    if item.state == ItemState.NEW:
        item.state = ItemState.READ
        item.save(update_fields=["state"])
    return post


# --- cases ---------------------------------------------------------------------------------


def visible_cases(user: AnyUser, org: Organization) -> QuerySet[Case]:
    if not user.is_authenticated:
        return Case.objects.none()
    role = orgs.role_of(user, org)
    cases = Case.objects.filter(org=org).select_related("item", "channel", "playbook")
    if role in OVERSEERS:
        return cases
    if role == Role.AUTHORIZED:
        return cases.filter(channel__authorized__user_id=user.pk).distinct()
    return Case.objects.none()


def cases(user: AnyUser, org: Organization, state: str = "") -> QuerySet[Case]:
    require_inbox(user, org)
    found = visible_cases(user, org)
    if state:
        found = found.filter(state=state)
    return found.order_by("state", "-opened_at", "-id")


def cases_everywhere(user: AnyUser, state: str = "") -> QuerySet[Case]:
    """Every case this person may see, in all their organizations (the API's list)."""
    if state and state not in Case.State.values:
        raise Invalid(f"Unknown state {state!r}; one of: {', '.join(Case.State.values)}.")
    which = Q(pk__in=[])
    for org in _inbox_orgs(user):
        which |= Q(pk__in=cases(user, org, state).order_by().values("pk"))
    return Case.objects.filter(which).select_related("org", "item", "channel", "playbook")


def get_case(user: AnyUser, case_id: int) -> Case:
    if user.is_authenticated:
        for member in orgs.memberships_of(user):
            found = visible_cases(user, member.org).filter(pk=case_id).first()
            if found is not None:
                return found
    raise NotFound(f"No case {case_id}.")


def _open_case(
    user: AnyUser | None,
    item: InboxItem | None,
    situation: str,
    *,
    channel: Channel | None = None,
    org: Organization | None = None,
    title: str = "",
) -> Case:
    org = item.org if item else channel.org if channel else org
    assert org is not None
    playbook = Playbook.objects.filter(org=org, situation=situation).first()
    label = Situation(situation).label
    title = title or (f"{label}: {item.author_handle} on {item.channel.name}" if item else label)
    now = timezone.now()
    case = Case.objects.create(
        org=org,
        situation=situation,
        playbook=playbook,
        title=title[:200],
        item=item,
        channel=item.channel if item else channel,
        opened_by=user if isinstance(user, User) else None,
    )
    if playbook is not None:
        CaseStep.objects.bulk_create(
            CaseStep(
                case=case,
                order=step.order,
                title=step.title,
                owner_role=step.owner_role,
                due_at=now + timedelta(minutes=step.due_minutes),
                template=step.template,
            )
            for step in playbook.steps.all()
        )
    record(
        "case.open",
        actor=user if isinstance(user, User) else None,
        org=org,
        obj=case,
        after={
            "situation": situation,
            "playbook": playbook.name if playbook else None,
            "item": item.pk if item else None,
            "steps": case.steps.count(),
        },
    )
    return case


@transaction.atomic
def open_case(user: AnyUser, item_id: int, situation: str = "") -> Case:
    item = _locked_item(user, item_id)
    situation = situation or triage.situation_for(item.categories) or Situation.NEGATIVE
    if situation not in Situation.values:
        raise Invalid("Unknown situation.")
    existing = item.cases.filter(state=Case.State.OPEN).first()
    if existing is not None:
        raise Conflict(f"Case #{existing.pk} is already open for this item.")
    return _open_case(user, item, situation)


def open_case_for(org: Organization, situation: str, title: str) -> Case:
    """A case with the organization's playbook for ``situation``, opened by postguard for
    something that did not come through the inbox (a crisis reported in a community)."""
    return _open_case(None, None, situation, org=org, title=title)


def _require_step_owner(user: AnyUser, step: CaseStep) -> None:
    role = orgs.role_of(user, step.case.org)
    if role not in (step.owner_role, Role.CHAIR, Role.ADMIN):
        raise NotAllowed(
            f"This step belongs to the {Role(step.owner_role).label.lower()} "
            "(or the chair, or an administrator)."
        )


@transaction.atomic
def complete_step(user: AnyUser, case_id: int, step_id: int, note: str = "") -> CaseStep:
    case = get_case(user, case_id)
    step = (
        CaseStep.objects.select_for_update()
        .select_related("case")
        .filter(case=case, pk=step_id)
        .first()
    )
    if step is None:
        raise NotFound(f"No step {step_id} in case {case_id}.")
    _require_step_owner(user, step)
    if case.state != Case.State.OPEN:
        raise Conflict("The case is closed.")
    if step.done_at:
        raise Conflict("This step is already done.")
    assert isinstance(user, User)
    step.done_at = timezone.now()
    step.done_by = user
    step.save(update_fields=["done_at", "done_by"])
    record(
        "case.step.done",
        actor=user,
        org=case.org,
        obj=case,
        after={"step": step.title, "order": step.order, "note": note.strip()[:2000]},
    )
    return step


@transaction.atomic
def add_note(user: AnyUser, case_id: int, text: str) -> Case:
    case = get_case(user, case_id)
    text = text.strip()
    if not text:
        raise Invalid("The note is empty.")
    record("case.note", actor=user, org=case.org, obj=case, after={"note": text[:5000]})
    return case


@transaction.atomic
def close_case(user: AnyUser, case_id: int, outcome: str) -> Case:
    case = get_case(user, case_id)
    orgs.require_role(user, case.org, {Role.ADMIN, Role.CHAIR}, "close a case")
    if case.state == Case.State.CLOSED:
        raise Conflict("The case is already closed.")
    if not outcome.strip():
        raise Invalid("Say how it ended (it goes into the record).")
    open_steps = case.steps.filter(done_at__isnull=True).count()
    case.state = Case.State.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["state", "closed_at"])
    record(
        "case.close",
        actor=user,
        org=case.org,
        obj=case,
        after={"outcome": outcome.strip()[:2000], "steps_not_done": open_steps},
    )
    return case


def case_timeline(case: Case) -> list[AuditEntry]:
    """Who did what: the case's own entries and its item's, in order."""
    query = Q(object_type="case", object_id=str(case.pk))
    if case.item_id:
        query |= Q(object_type="inboxitem", object_id=str(case.item_id))
    return list(AuditEntry.objects.filter(query).order_by("seq")[:500])


def overdue_steps(now: datetime | None = None) -> QuerySet[CaseStep]:
    now = now or timezone.now()
    return CaseStep.objects.filter(
        case__state=Case.State.OPEN, done_at__isnull=True, due_at__lt=now
    ).select_related("case", "case__org")


#: An overdue step is notified again after this long.
RENOTIFY_EVERY = timedelta(hours=24)


def notify_overdue(now: datetime | None = None) -> int:
    """Tell each overdue step's owners (and the chair), again every RENOTIFY_EVERY."""
    now = now or timezone.now()
    count = 0
    for step in overdue_steps(now)[:500]:
        if step.overdue_notified_at and now - step.overdue_notified_at < RENOTIFY_EVERY:
            continue
        with transaction.atomic():
            case = step.case
            late = now - step.due_at
            notify.queue(
                case.org,
                reason="overdue",
                subject=f"Overdue: '{step.title}' in case #{case.pk}",
                body=(
                    f"Step {step.order} of case #{case.pk} ({case.title}) was due "
                    f"{step.due_at:%Y-%m-%d %H:%M} UTC, {_ago(late)} ago, and is not done.\n"
                    f"Owner: {Role(step.owner_role).label}\n\n"
                    f"{notify.base_url()}/cases/{case.pk}/"
                ),
                roles={step.owner_role, Role.CHAIR},
                case=case,
            )
            step.overdue_notified_at = now
            step.save(update_fields=["overdue_notified_at"])
            record(
                "case.step.overdue",
                org=case.org,
                obj=case,
                after={"step": step.title, "due_at": step.due_at},
            )
            count += 1
    return count


def _ago(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // 1440} days"


# --- playbooks, rules, endpoints ---------------------------------------------------------


def playbooks(user: AnyUser, org: Organization) -> QuerySet[Playbook]:
    require_inbox(user, org)
    return Playbook.objects.filter(org=org).prefetch_related("steps")


@dataclass(frozen=True, slots=True)
class StepData:
    title: str
    owner_role: str
    due_minutes: int
    template: str = ""


@transaction.atomic
def save_playbook(
    user: AnyUser | None,
    org: Organization,
    situation: str,
    name: str,
    steps: Sequence[StepData],
    description: str = "",
) -> Playbook:
    """Create or replace the playbook for a situation (the committee's procedure)."""
    if user is not None:
        orgs.require_role(user, org, PLAYBOOK_EDITORS, "edit the playbooks")
    if situation not in Situation.values:
        raise Invalid("Unknown situation.")
    name = name.strip()
    if not name:
        raise Invalid("A playbook needs a name.")
    if not steps:
        raise Invalid("A playbook needs at least one step.")
    for step in steps:
        if not step.title.strip():
            raise Invalid("Every step needs a title.")
        if step.owner_role not in Role.values:
            raise Invalid("Unknown owner role.")
        if not 0 < step.due_minutes <= 60 * 24 * 90:
            raise Invalid("A step is due between 1 minute and 90 days after the case opens.")
    playbook = Playbook.objects.filter(org=org, situation=situation).first()
    before = _playbook_data(playbook) if playbook else None
    if playbook is None:
        playbook = Playbook(org=org, situation=situation)
    playbook.name = name[:120]
    playbook.description = description.strip()[:5000]
    playbook.save()
    playbook.steps.all().delete()
    PlaybookStep.objects.bulk_create(
        PlaybookStep(
            playbook=playbook,
            order=n,
            title=s.title.strip()[:200],
            owner_role=s.owner_role,
            due_minutes=s.due_minutes,
            template=s.template.strip()[:5000],
        )
        for n, s in enumerate(steps, start=1)
    )
    record(
        "playbook.save",
        actor=user,
        org=org,
        obj=playbook,
        before=before,
        after=_playbook_data(playbook),
    )
    return playbook


def _playbook_data(playbook: Playbook) -> dict[str, Any]:
    return {
        "situation": playbook.situation,
        "name": playbook.name,
        "steps": [[s.title, s.owner_role, s.due_minutes, s.template] for s in playbook.steps.all()],
    }


def rules(user: AnyUser, org: Organization) -> QuerySet[EscalationRule]:
    orgs.require_role(user, org, RULE_EDITORS, "see the escalation rules")
    return EscalationRule.objects.filter(org=org).prefetch_related("channels", "endpoints")


@transaction.atomic
def save_rule(
    user: AnyUser | None,
    org: Organization,
    *,
    name: str,
    categories: Sequence[str] = (),
    min_priority: int = Priority.HIGH,
    channel_ids: Sequence[int] = (),
    keywords: str = "",
    notify_roles: Sequence[str] = (Role.CHAIR,),
    endpoint_ids: Sequence[int] = (),
    open_case: bool = True,
    active: bool = True,
    rule_id: int | None = None,
) -> EscalationRule:
    if user is not None:
        orgs.require_role(user, org, RULE_EDITORS, "change the escalation rules")
    name = name.strip()
    if not name:
        raise Invalid("A rule needs a name.")
    if any(c not in triage.LABELS for c in categories):
        raise Invalid("Unknown category.")
    if any(r not in Role.values for r in notify_roles):
        raise Invalid("Unknown role.")
    if min_priority not in Priority.values:
        raise Invalid("Unknown priority.")
    channels = list(Channel.objects.filter(org=org, pk__in=list(channel_ids)))
    endpoints = list(Endpoint.objects.filter(org=org, pk__in=list(endpoint_ids)))
    if len(channels) != len(set(channel_ids)) or len(endpoints) != len(set(endpoint_ids)):
        raise Invalid("Unknown channel or endpoint.")
    if rule_id is not None:
        rule = EscalationRule.objects.filter(org=org, pk=rule_id).first()
        if rule is None:
            raise NotFound(f"No rule {rule_id}.")
        before: dict[str, Any] | None = _rule_data(rule)
    else:
        rule, before = EscalationRule(org=org), None
    rule.name = name[:120]
    rule.categories = list(categories)
    rule.min_priority = min_priority
    rule.keywords = keywords.strip()[:500]
    rule.notify_roles = list(dict.fromkeys(notify_roles))
    rule.open_case = open_case
    rule.active = active
    rule.save()
    rule.channels.set(channels)
    rule.endpoints.set(endpoints)
    record(
        "escalation_rule.save", actor=user, org=org, obj=rule, before=before, after=_rule_data(rule)
    )
    return rule


@transaction.atomic
def delete_rule(user: AnyUser, org: Organization, rule_id: int) -> None:
    orgs.require_role(user, org, RULE_EDITORS, "change the escalation rules")
    rule = EscalationRule.objects.filter(org=org, pk=rule_id).first()
    if rule is None:
        raise NotFound(f"No rule {rule_id}.")
    record("escalation_rule.delete", actor=user, org=org, obj=rule, before=_rule_data(rule))
    rule.delete()


def _rule_data(rule: EscalationRule) -> dict[str, Any]:
    return {
        "name": rule.name,
        "categories": rule.categories,
        "min_priority": rule.min_priority,
        "channels": sorted(c.pk for c in rule.channels.all()) if rule.pk else [],
        "keywords": rule.keywords,
        "notify_roles": rule.notify_roles,
        "endpoints": sorted(e.pk for e in rule.endpoints.all()) if rule.pk else [],
        "open_case": rule.open_case,
        "active": rule.active,
    }


def endpoints(user: AnyUser, org: Organization) -> QuerySet[Endpoint]:
    orgs.require_role(user, org, RULE_EDITORS, "see the notification endpoints")
    return Endpoint.objects.filter(org=org)


@transaction.atomic
def save_endpoint(
    user: AnyUser | None,
    org: Organization,
    *,
    name: str,
    kind: str,
    url: str,
    room: str = "",
    token: str = "",
) -> Endpoint:
    if user is not None:
        orgs.require_role(user, org, RULE_EDITORS, "add a notification endpoint")
    if kind not in Endpoint.Kind.values:
        raise Invalid("The kind is slack, teams or matrix.")
    if not url.startswith(("https://", "http://")):
        raise Invalid("The URL starts with https://.")
    if kind == Endpoint.Kind.MATRIX and not (room.strip() and token.strip()):
        raise Invalid("A Matrix endpoint needs the room id and an access token.")
    name = name.strip()
    if not name:
        raise Invalid("An endpoint needs a name.")
    if Endpoint.objects.filter(org=org, name=name).exists():
        raise Conflict(f"There is already an endpoint named {name!r}.")
    url = url.strip()
    # Slack/Teams webhook URLs and Matrix tokens are bearer secrets: stored encrypted.
    if kind == Endpoint.Kind.MATRIX:
        secret = vault.seal({"token": token.strip()})
    else:
        secret, url = vault.seal({"url": url}), ""
    endpoint = Endpoint.objects.create(
        org=org,
        name=name[:120],
        kind=kind,
        url=url,
        room=room.strip(),
        secret=secret,
        secret_set_at=timezone.now(),
    )
    # The URL and token are secrets: the record names the endpoint only.
    record("endpoint.create", actor=user, org=org, obj=endpoint, after={"name": name, "kind": kind})
    return endpoint


def notifications(user: AnyUser, org: Organization, status: str = "") -> QuerySet[Notification]:
    orgs.require_role(user, org, RULE_EDITORS, "read the notification log")
    found = Notification.objects.filter(org=org).select_related("item", "case", "rule")
    if status:
        found = found.filter(status=status)
    return found


@transaction.atomic
def retry_notification(user: AnyUser, org: Organization, notification_id: int) -> Notification:
    orgs.require_role(user, org, RULE_EDITORS, "retry a notification")
    found = Notification.objects.filter(org=org, pk=notification_id).first()
    if found is None:
        raise NotFound(f"No notification {notification_id}.")
    if found.status == Notification.Status.SENT:
        raise Conflict("This notification was delivered.")
    found.status = Notification.Status.PENDING
    found.next_attempt_at = None
    if found.attempts >= notify.MAX_ATTEMPTS:
        found.attempts = notify.MAX_ATTEMPTS - 1
    found.save()
    record("notification.retry", actor=user, org=org, obj=found)
    pk = found.pk
    transaction.on_commit(lambda: notify.deliver_ids([pk]))
    return found
