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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
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
        if filters.category not in triage.CATEGORY_LABELS:
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
    return (text or "").replace("\x00", "")[:limit]


def ingest(channel: Channel, items: Sequence[InboundItem], *, source: str) -> list[InboxItem]:
    """Store new inbound items of one channel; returns those that were new.

    Deduplicated by (channel, remote id); threaded to the publication it
    answers (OutboxItem.remote_id) and to the inbound item it answers;
    triaged by the engine; escalated by the organization's rules.
    """
    if source not in Source.values:
        raise Invalid(f"Unknown source {source!r}.")
    items = [i for i in items if i.remote_id]
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
    parent_id = (inbound.parent_remote_id or "")[:500]
    created_at = inbound.created_at
    if timezone.is_naive(created_at):
        created_at = created_at.replace(tzinfo=UTC)
    try:
        with transaction.atomic():
            item = InboxItem.objects.create(
                org=channel.org,
                channel=channel,
                remote_id=inbound.remote_id[:500],
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
                url=(inbound.url or "")[:1000],
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
    return ", ".join(triage.CATEGORY_LABELS.get(c, c) for c in categories) or "no category"


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

_FIELDS = {
    "remote_id": ("id", "remote_id", "comment_id", "uri"),
    "parent_remote_id": ("parent_id", "parent_remote_id", "in_reply_to", "post_id", "parent"),
    "author_handle": ("author", "author_handle", "from", "handle", "username", "user"),
    "text": ("text", "message", "comment", "body", "content"),
    "created_at": ("created_at", "created_time", "timestamp", "date"),
    "kind": ("kind", "type"),
    "url": ("url", "permalink", "link"),
}


def _field(row: dict[str, Any], name: str) -> Any:
    for key in _FIELDS[name]:
        value = row.get(key)
        if isinstance(value, dict):  # Graph API style {"from": {"name": ...}}
            value = value.get("name") or value.get("username") or value.get("id")
        if value not in (None, ""):
            return value
    return None


def _moment(value: Any, line: int) -> datetime:
    if value is None:
        raise Invalid(f"Row {line}: no created_at.")
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(float(value), tz=UTC)
    text = str(value).strip()
    if text.isdigit():
        return datetime.fromtimestamp(int(text), tz=UTC)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"Row {line}: {text!r} is not a date and time.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_export(data: bytes | str, filename: str = "") -> list[InboundItem]:
    """Inbound items from a CSV or JSON export (a list, or {"data"/"items"/"comments": [...]})."""
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    rows: list[dict[str, Any]]
    stripped = text.lstrip()
    if filename.lower().endswith(".json") or stripped.startswith(("[", "{")):
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise Invalid(f"The file is not valid JSON: {exc}") from None
        if isinstance(loaded, dict):
            loaded = loaded.get("data") or loaded.get("items") or loaded.get("comments") or []
        if not isinstance(loaded, list) or not all(isinstance(r, dict) for r in loaded):
            raise Invalid("The JSON export must be a list of objects.")
        rows = loaded
    else:
        rows = list(csv.DictReader(io.StringIO(text)))
    if len(rows) > MAX_IMPORT_ITEMS:
        raise Invalid(f"At most {MAX_IMPORT_ITEMS:,} items per import.")
    out = []
    for line, row in enumerate(rows, start=1):
        remote_id = _field(row, "remote_id")
        body = _field(row, "text")
        if remote_id is None or body is None:
            raise Invalid(f"Row {line}: an item needs an id and a text.")
        kind = str(_field(row, "kind") or "comment").lower()
        out.append(
            InboundItem(
                remote_id=str(remote_id),
                parent_remote_id=str(_field(row, "parent_remote_id") or "") or None,
                author_handle=str(_field(row, "author_handle") or "unknown"),
                text=str(body),
                created_at=_moment(_field(row, "created_at"), line),
                kind=kind if kind in ItemKind.values else "comment",  # type: ignore[arg-type]
                url=str(_field(row, "url") or "") or None,
            )
        )
    return out


def import_export(
    user: AnyUser, channel: Channel, data: bytes | str, filename: str = ""
) -> list[InboxItem]:
    """Import a network's export of comments into a channel's inbox."""
    member = orgs.require_member(user, channel.org)
    if member.role not in MODERATORS and not orgs.can_draft(user, channel):
        raise NotAllowed(
            "Only administrators, the chair and the members authorized on this channel "
            "can import its comments."
        )
    parsed = parse_export(data, filename)
    with transaction.atomic():
        created = ingest(channel, parsed, source=Source.IMPORT)
        record(
            "inbox.import",
            actor=user,
            org=channel.org,
            obj=channel,
            after={"file": filename[:200], "rows": len(parsed), "new": len(created)},
        )
    return created


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


def templates_for(item: InboxItem) -> list[dict[str, str]]:
    """Response templates offered for this item: its situations' playbook steps."""
    wanted = [triage.SITUATION_OF[c] for c in item.categories if c in triage.SITUATION_OF]
    out = []
    for situation in dict.fromkeys(wanted):
        playbook = Playbook.objects.filter(org=item.org, situation=situation).first()
        if playbook is None:
            continue
        for step in playbook.steps.all():
            if step.template.strip():
                out.append(
                    {
                        "situation": Situation(situation).label,
                        "title": step.title,
                        "text": fill(step.template, item),
                    }
                )
    return out


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


def get_case(user: AnyUser, case_id: int) -> Case:
    if user.is_authenticated:
        for member in orgs.memberships_of(user):
            found = visible_cases(user, member.org).filter(pk=case_id).first()
            if found is not None:
                return found
    raise NotFound(f"No case {case_id}.")


def _open_case(
    user: AnyUser | None, item: InboxItem | None, situation: str, *, channel: Channel | None = None
) -> Case:
    org = item.org if item else channel.org if channel else None
    assert org is not None
    playbook = Playbook.objects.filter(org=org, situation=situation).first()
    label = Situation(situation).label
    title = f"{label}: {item.author_handle} on {item.channel.name}" if item else label
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
    if any(c not in triage.CATEGORY_LABELS for c in categories):
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
