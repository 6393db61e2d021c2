"""Presence monitoring: watch terms, sources, polling, and the mentions found.

Who may do what (checked here, for the pages, the API and the worker alike):

* the association's terms (names, handles, campaign hashtags) -- the committee and
  administrators read and change them;
* sources (feeds, pages, network searches) fetch from outside on the association's
  behalf -- administrators and the chair add, change and remove them; the committee
  reads them, with their last success and last error;
* a member's own terms (their name, their practice) and the mentions they find are
  that member's alone: nobody else -- not an administrator -- reads them, through
  any page or endpoint. Administrators see only how many members watch their own
  names. A member who leaves the organization is no longer watched for.

Polling (:func:`poll_due`, run by the worker every 30 seconds) takes each due source
in turn, reads it, and stores what it found together with the source's new state
(ETag, cursor, page hashes) in one transaction: a failure stores neither, so the next
poll reads the same entries again and nothing is lost. Each failure is recorded on
the source (last error, when) and never stops the other sources.

A mention of the association's terms becomes an inbox item (kind "mention") and goes
through the same escalation rules as a comment; a mention of a member's own terms
stays in that member's "My presence" page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import AnonymousUser, User
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from postguard.connectors.base import ConnectorError
from postguard.web.audit.services import record
from postguard.web.errors import Conflict, Invalid, NotAllowed, NotFound
from postguard.web.inbox import services as inbox
from postguard.web.inbox import triage
from postguard.web.inbox.models import InboxItem, ItemKind, Source
from postguard.web.links import http_url
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel, Membership, Network, Organization, Role
from postguard.web.presence import detect
from postguard.web.presence.fetch import FetchError, check_url
from postguard.web.presence.models import (
    Mention,
    SourceKind,
    TermKind,
    WatchSource,
    WatchTerm,
)
from postguard.web.presence.sources import Entry, State, digest, read_feed, read_page

log = logging.getLogger(__name__)

AnyUser = User | AnonymousUser

#: Who reads and changes the association's terms, reads the sources and the mentions.
WATCHERS = frozenset({Role.ADMIN, Role.CHAIR, Role.REVIEWER})
#: Who adds, changes and removes sources (they fetch from outside on the org's behalf).
SOURCE_MANAGERS = frozenset({Role.ADMIN, Role.CHAIR})
ORG_KINDS = frozenset({TermKind.NAME, TermKind.HANDLE, TermKind.HASHTAG})
MAX_TERMS = 200
MAX_SOURCES = 100
MIN_EVERY, MAX_EVERY = 1, 7 * 24 * 60
DEFAULT_EVERY = 5
PRESENCE_CHANNEL = "Mentions elsewhere"
#: Priority of the presence categories (as triage.py gives the engine's).
_PRIORITY = {
    detect.IMPERSONATION: triage.HIGH,
    detect.ENDORSEMENT_CLAIM: triage.HIGH,
    detect.MISINFORMATION: triage.NORMAL,
}


# --- terms -------------------------------------------------------------------------------


def _term_data(term: WatchTerm) -> dict[str, Any]:
    return {
        "text": term.text,
        "kind": term.kind,
        "active": term.active,
        "personal": bool(term.owner_id),
    }


def _clean_term(text: str, kind: str) -> str:
    text = " ".join((text or "").split())
    if kind not in TermKind.values:
        raise Invalid(f"Unknown kind of term {kind!r}; one of: {', '.join(TermKind.values)}.")
    if len(text.lstrip("#@")) < 2:
        raise Invalid("A watch term needs at least two letters or digits.")
    if len(text) > 100:
        raise Invalid("A watch term is at most 100 characters long.")
    if any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in text):
        raise Invalid("A watch term cannot contain control characters.")
    if kind == TermKind.HASHTAG and not text.startswith("#"):
        text = "#" + text
    return text


def org_terms(user: AnyUser, org: Organization) -> QuerySet[WatchTerm]:
    """The association's terms (the committee and administrators)."""
    orgs.require_role(user, org, WATCHERS, "see the association's watch terms")
    return WatchTerm.objects.filter(org=org, owner__isnull=True)


def my_terms(user: AnyUser, org: Organization) -> QuerySet[WatchTerm]:
    """The person's own terms in this organization (only theirs)."""
    orgs.require_member(user, org)
    return WatchTerm.objects.filter(org=org, owner_id=user.pk)


def visible_terms(user: AnyUser) -> QuerySet[WatchTerm]:
    """Every term this person may read: their own, and the association's where they watch."""
    if not user.is_authenticated:
        return WatchTerm.objects.none()
    watched = Membership.objects.filter(user_id=user.pk, role__in=WATCHERS).values("org_id")
    mine = Membership.objects.filter(user_id=user.pk).values("org_id")
    return WatchTerm.objects.filter(
        Q(owner__isnull=True, org_id__in=watched) | Q(owner_id=user.pk, org_id__in=mine)
    ).select_related("org")


def personal_watchers(user: AnyUser, org: Organization) -> int:
    """How many members watch their own terms (a count only, for administrators)."""
    orgs.require_role(user, org, WATCHERS, "see the watch terms")
    return WatchTerm.objects.filter(org=org, owner__isnull=False).values("owner").distinct().count()


def add_term(user: AnyUser, org: Organization, *, text: str, kind: str) -> WatchTerm:
    """An association term (committee, administrators) or, with kind "personal", the
    person's own term (any member)."""
    text = _clean_term(text, kind)
    if kind == TermKind.PERSONAL:
        orgs.require_member(user, org)
        owner = user if isinstance(user, User) else None
        existing = WatchTerm.objects.filter(org=org, owner_id=user.pk)
    else:
        orgs.require_role(user, org, WATCHERS, "change the association's watch terms")
        owner = None
        existing = WatchTerm.objects.filter(org=org, owner__isnull=True)
    if existing.count() >= MAX_TERMS:
        raise Conflict(f"At most {MAX_TERMS} watch terms.")
    if any(detect.fold(t) == detect.fold(text) for t in existing.values_list("text", flat=True)):
        raise Conflict(f"{text!r} is already watched.")
    with transaction.atomic():
        term = WatchTerm.objects.create(org=org, owner=owner, text=text, kind=kind)
        # A member's own term is theirs: the record says one was added, not what.
        record(
            "presence.term.add",
            actor=user,
            org=org,
            obj=term,
            after=_term_data(term) if owner is None else {"personal": True},
        )
    return term


def _own_or_org_term(user: AnyUser, term_id: int) -> WatchTerm:
    term = WatchTerm.objects.select_related("org").filter(pk=term_id).first()
    if term is None or orgs.membership(user, term.org) is None:
        raise NotFound(f"No watch term {term_id}.")
    if term.owner_id is not None:
        if term.owner_id != user.pk:
            raise NotFound(f"No watch term {term_id}.")
    else:
        orgs.require_role(user, term.org, WATCHERS, "change the association's watch terms")
    return term


def get_term(user: AnyUser, term_id: int) -> WatchTerm:
    return _own_or_org_term(user, term_id)


def set_term_active(user: AnyUser, term_id: int, active: bool) -> WatchTerm:
    term = _own_or_org_term(user, term_id)
    before = _term_data(term)
    with transaction.atomic():
        term.active = bool(active)
        term.save(update_fields=["active"])
        record(
            "presence.term.change",
            actor=user,
            org=term.org,
            obj=term,
            before=before if term.owner_id is None else {"personal": True},
            after=_term_data(term) if term.owner_id is None else {"active": term.active},
        )
    return term


def remove_term(user: AnyUser, term_id: int) -> None:
    term = _own_or_org_term(user, term_id)
    with transaction.atomic():
        record(
            "presence.term.remove",
            actor=user,
            org=term.org,
            obj=term,
            before=_term_data(term) if term.owner_id is None else {"personal": True},
        )
        term.delete()


# --- sources -----------------------------------------------------------------------------


def _source_data(s: WatchSource) -> dict[str, Any]:
    return {
        "name": s.name,
        "kind": s.kind,
        "url": s.url,
        "channel": s.channel_id,
        "every_minutes": s.every_minutes,
        "active": s.active,
    }


def sources_of(user: AnyUser, org: Organization) -> QuerySet[WatchSource]:
    orgs.require_role(user, org, WATCHERS, "see the watched sources")
    return WatchSource.objects.filter(org=org).select_related("channel")


def visible_sources(user: AnyUser) -> QuerySet[WatchSource]:
    if not user.is_authenticated:
        return WatchSource.objects.none()
    watched = Membership.objects.filter(user_id=user.pk, role__in=WATCHERS).values("org_id")
    return WatchSource.objects.filter(org_id__in=watched).select_related("org", "channel")


def get_source(user: AnyUser, source_id: int, *, manage: bool = False) -> WatchSource:
    source = WatchSource.objects.select_related("org", "channel").filter(pk=source_id).first()
    if source is None or orgs.membership(user, source.org) is None:
        raise NotFound(f"No source {source_id}.")
    if manage:
        orgs.require_role(user, source.org, SOURCE_MANAGERS, "change the watched sources")
    else:
        orgs.require_role(user, source.org, WATCHERS, "see the watched sources")
    return source


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise Invalid("A source needs a name of at most 120 characters.")
    if any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in name):
        raise Invalid("A source's name cannot contain control characters.")
    return name


def _every(value: Any) -> int:
    if isinstance(value, str):
        value = value.strip()
        if not value.isdigit() or len(value) > 6:
            raise Invalid("How often is a whole number of minutes.")
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise Invalid("How often is a whole number of minutes.")
    if not MIN_EVERY <= value <= MAX_EVERY:
        raise Invalid(f"How often is between {MIN_EVERY} minute and {MAX_EVERY} minutes.")
    return value


def add_source(
    user: AnyUser,
    org: Organization,
    *,
    name: str,
    kind: str,
    url: str = "",
    channel_id: int | None = None,
    every_minutes: Any = DEFAULT_EVERY,
) -> WatchSource:
    orgs.require_role(user, org, SOURCE_MANAGERS, "add a watched source")
    name = _clean_name(name)
    if kind not in SourceKind.values:
        raise Invalid(f"Unknown kind of source {kind!r}; one of: {', '.join(SourceKind.values)}.")
    every = _every(every_minutes)
    channel = None
    if kind == SourceKind.NETWORK:
        if channel_id is None:
            raise Invalid("A network search needs one of the association's channels.")
        channel = Channel.objects.filter(pk=channel_id, org=org).first()
        if channel is None:
            raise Invalid("No such channel in this organization.")
        url = ""
    else:
        try:
            url = check_url(url)
        except FetchError as exc:
            raise Invalid(f"That address cannot be watched: {exc}.") from None
    if WatchSource.objects.filter(org=org).count() >= MAX_SOURCES:
        raise Conflict(f"At most {MAX_SOURCES} sources.")
    if WatchSource.objects.filter(org=org, name=name).exists():
        raise Conflict(f"There is already a source called {name}.")
    with transaction.atomic():
        source = WatchSource.objects.create(
            org=org, name=name, kind=kind, url=url, channel=channel, every_minutes=every
        )
        record("presence.source.add", actor=user, org=org, obj=source, after=_source_data(source))
    return source


def change_source(
    user: AnyUser,
    source_id: int,
    *,
    every_minutes: Any = None,
    active: bool | None = None,
    name: str | None = None,
) -> WatchSource:
    source = get_source(user, source_id, manage=True)
    before = _source_data(source)
    if every_minutes is not None:
        source.every_minutes = _every(every_minutes)
        source.next_check_at = None
    if active is not None:
        source.active = bool(active)
    if name is not None:
        name = _clean_name(name)
        if WatchSource.objects.filter(org=source.org, name=name).exclude(pk=source.pk).exists():
            raise Conflict(f"There is already a source called {name}.")
        source.name = name
    with transaction.atomic():
        source.save()
        record(
            "presence.source.change",
            actor=user,
            org=source.org,
            obj=source,
            before=before,
            after=_source_data(source),
        )
    return source


def remove_source(user: AnyUser, source_id: int) -> None:
    """Remove a source; the mentions it found stay in the inbox (their items do not
    depend on it) but its own list of mentions goes with it."""
    source = get_source(user, source_id, manage=True)
    with transaction.atomic():
        record(
            "presence.source.remove",
            actor=user,
            org=source.org,
            obj=source,
            before=_source_data(source),
        )
        source.delete()


def check_now(user: AnyUser, source_id: int) -> int:
    """Poll one source at once (a manager's "check now"); returns the mentions found."""
    source = get_source(user, source_id, manage=True)
    record("presence.source.check", actor=user, org=source.org, obj=source)
    return poll_source(source)


# --- mentions ----------------------------------------------------------------------------


def org_mentions(user: AnyUser, org: Organization) -> QuerySet[Mention]:
    """Mentions of the association's terms (the committee and administrators)."""
    orgs.require_role(user, org, WATCHERS, "see the association's mentions")
    return Mention.objects.filter(org=org, owner__isnull=True).select_related(
        "source", "inbox_item"
    )


def my_mentions(user: AnyUser, org: Organization) -> QuerySet[Mention]:
    """Mentions of the person's own terms (only theirs)."""
    orgs.require_member(user, org)
    return Mention.objects.filter(org=org, owner_id=user.pk).select_related("source")


def visible_mentions(user: AnyUser, *, mine: bool = False) -> QuerySet[Mention]:
    """The API's list: the person's own mentions (``mine``) or the association's, in every
    organization where they may read them."""
    if not user.is_authenticated:
        return Mention.objects.none()
    if mine:
        return Mention.objects.filter(owner_id=user.pk).select_related("source", "org")
    watched = Membership.objects.filter(user_id=user.pk, role__in=WATCHERS).values("org_id")
    if not watched.exists():
        raise NotAllowed(
            "The association's mentions are for the committee and administrators; "
            "your own are at ?mine=true."
        )
    return Mention.objects.filter(owner__isnull=True, org_id__in=watched).select_related(
        "source", "org"
    )


# --- polling -----------------------------------------------------------------------------


#: How often the worker's job wakes (presence/jobs.py).
POLL_TICK = timedelta(seconds=30)


def poll_due(now: datetime | None = None, *, limit: int = 200) -> int:
    """Poll every active source whose next check falls before the job's next wake-up
    (``POLL_TICK``), once across all workers (the row is claimed and its next check moved
    forward before it is read), so polls of a source are at most its interval apart.
    Returns mentions found."""
    now = now or timezone.now()
    due = Q(next_check_at__isnull=True) | Q(next_check_at__lte=now + POLL_TICK)
    ids = list(
        WatchSource.objects.filter(due, active=True)
        .order_by("next_check_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    found = 0
    for pk in ids:
        with transaction.atomic():
            source = (
                WatchSource.objects.select_for_update(skip_locked=True)
                .filter(due, pk=pk, active=True)
                .first()
            )
            if source is None:
                continue
            source.next_check_at = now + timedelta(minutes=source.every_minutes)
            source.save(update_fields=["next_check_at"])
        found += poll_source(source, now)
    return found


def _active_terms(org: Organization) -> QuerySet[WatchTerm]:
    """The terms looked for: the association's, and those of people still members (a
    member who leaves stops being watched for)."""
    return WatchTerm.objects.filter(org=org, active=True).filter(
        Q(owner__isnull=True) | Q(owner__memberships__org=org)
    )


def _read(source: WatchSource, state: State) -> tuple[list[Entry], State]:
    if source.kind == SourceKind.FEED:
        return read_feed(source.url, state)
    if source.kind == SourceKind.PAGE:
        return read_page(source.url, state)
    return _read_network(source, state)


def _read_network(source: WatchSource, state: State) -> tuple[list[Entry], State]:
    from postguard.connectors.retry import retry_read
    from postguard.web.publishing import services as publishing

    channel = source.channel
    if channel is None:
        raise FetchError("the channel of this search was removed")
    terms = [t.text for t in _active_terms(source.org)]
    with publishing.connector_for(channel) as connector:
        if not connector.capabilities.search_mentions:
            raise FetchError(f"{connector.display_name}'s API offers no search postguard can use")
        items, cursor = retry_read(
            lambda: connector.search_mentions(terms, state.cursor or None),
            what=f"{connector.display_name} search",
            backoff=publishing.BACKOFF,
        )
    entries = [
        Entry(
            key=digest("network", i.remote_id),
            url=i.url or "",
            author=i.author_handle,
            title="",
            text=i.text,
            published_at=i.created_at,
            author_name=i.author_name or "",
            remote_id=i.remote_id,
        )
        for i in items
    ]
    return entries, State(cursor=cursor or state.cursor)


def _state_of(source: WatchSource) -> State:
    return State(
        etag=source.etag,
        last_modified=source.last_modified,
        cursor=source.cursor,
        page_hash=source.page_hash,
        page_blocks=list(source.page_blocks or []),
    )


def _failed(source: WatchSource, message: str, now: datetime) -> None:
    WatchSource.objects.filter(pk=source.pk).update(
        last_checked_at=now,
        last_error=message[:500],
        last_error_at=now,
        failures=F("failures") + 1,
    )


def poll_source(source: WatchSource, now: datetime | None = None) -> int:
    """Read one source and store what it found. Never raises: a failure is recorded on the
    source, and its state is left as it was so the next poll reads the same entries."""
    now = now or timezone.now()
    try:
        entries, state = _read(source, _state_of(source))
    except (FetchError, ConnectorError) as exc:
        _failed(source, str(exc) or type(exc).__name__, now)
        return 0
    except Exception as exc:
        log.exception("reading source %s failed", source.pk)
        _failed(source, f"unexpected error while reading ({type(exc).__name__})", now)
        return 0
    try:
        with transaction.atomic():
            found = store(source, entries, now)
            WatchSource.objects.filter(pk=source.pk).update(
                etag=state.etag,
                last_modified=state.last_modified,
                cursor=state.cursor,
                page_hash=state.page_hash,
                page_blocks=state.page_blocks,
                last_checked_at=now,
                last_success_at=now,
                last_error="",
                failures=0,
            )
    except Exception as exc:
        log.exception("storing the mentions of source %s failed", source.pk)
        _failed(source, f"unexpected error while storing ({type(exc).__name__})", now)
        return 0
    return found


@dataclass(frozen=True, slots=True)
class _Candidate:
    entry: Entry
    owner_id: int | None
    terms: tuple[str, ...]
    signals: tuple[detect.Signal, ...]


def _genuine_handles(org: Organization) -> list[str]:
    handles = [h for h in Channel.objects.filter(org=org).values_list("handle", flat=True) if h]
    handles += [
        t.text for t in WatchTerm.objects.filter(org=org, owner__isnull=True, kind=TermKind.HANDLE)
    ]
    return handles


def _candidates(source: WatchSource, entries: Sequence[Entry]) -> list[_Candidate]:
    org = source.org
    terms = list(_active_terms(org))
    org_terms = [t.text for t in terms if t.owner_id is None]
    personal: dict[int, list[str]] = {}
    for t in terms:
        if t.owner_id is not None:
            personal.setdefault(t.owner_id, []).append(t.text)
    genuine = _genuine_handles(org)
    protected = [org.name, *[t.text for t in terms if t.owner_id is None and t.kind != "hashtag"]]
    own = {detect.fold(g).lstrip("@") for g in genuine}
    found: list[_Candidate] = []
    for entry in entries:
        if entry.author and detect.fold(entry.author).lstrip("@") in own:
            continue  # the association's own post, found by its own search
        hay = f"{entry.title}\n{entry.text}"
        hits = detect.find_terms(hay, org_terms)
        signals = [
            s
            for s in (
                detect.impersonation(entry.author, entry.author_name, protected, genuine),
                detect.endorsement_claim(hay, [org.name, *org_terms]) if hits else None,
                detect.misinformation(hay) if hits else None,
            )
            if s is not None
        ]
        if hits or signals:
            found.append(_Candidate(entry, None, hits, tuple(signals)))
        for owner_id, mine in personal.items():
            own_hits = detect.find_terms(hay, mine)
            own_signals = [
                s
                for s in (
                    detect.impersonation(entry.author, entry.author_name, mine, ()),
                    detect.misinformation(hay) if own_hits else None,
                )
                if s is not None
            ]
            if own_hits or own_signals:
                found.append(_Candidate(entry, owner_id, own_hits, tuple(own_signals)))
    return found


def _new_only(source: WatchSource, candidates: list[_Candidate]) -> list[_Candidate]:
    keys = {c.entry.key for c in candidates}
    known: set[tuple[str, int | None]] = set(
        Mention.objects.filter(source=source, key__in=keys).values_list("key", "owner_id")
    )
    fresh = []
    for c in candidates:
        if (c.entry.key, c.owner_id) in known:
            continue
        known.add((c.entry.key, c.owner_id))
        fresh.append(c)
    return fresh


def _text(entry: Entry) -> str:
    text = f"{entry.title}\n\n{entry.text}" if entry.title else entry.text
    return inbox.clean_text(text)[: inbox.MAX_TEXT] or " "


def store(source: WatchSource, entries: Sequence[Entry], now: datetime) -> int:
    """Store the new mentions among ``entries`` (inside the caller's transaction)."""
    fresh = _new_only(source, _candidates(source, entries))
    if not fresh:
        return 0
    verdicts = triage.triage_many([_text(c.entry) for c in fresh])
    for candidate, verdict in zip(fresh, verdicts, strict=True):
        categories = list(verdict.categories) + [
            s.category for s in candidate.signals if s.category not in verdict.categories
        ]
        priority = max(
            [verdict.priority, *(_PRIORITY.get(s.category, 0) for s in candidate.signals)]
        )
        findings = [f.to_dict() for f in verdict.findings] + [
            s.to_dict() for s in candidate.signals
        ]
        entry = candidate.entry
        mention = Mention.objects.create(
            org=source.org,
            source=source,
            owner_id=candidate.owner_id,
            key=entry.key,
            url=http_url(entry.url) or "",
            author=inbox.clean_text(entry.author)[:200],
            title=inbox.clean_text(entry.title)[:300],
            text=inbox.clean_text(entry.text)[: inbox.MAX_TEXT],
            terms=list(candidate.terms),
            categories=categories,
            findings=findings,
            priority=priority,
            published_at=entry.published_at,
            found_at=now,
        )
        if candidate.owner_id is None:
            mention.inbox_item = _to_inbox(source, mention, entry, verdict, now)
            mention.save(update_fields=["inbox_item"])
    return len(fresh)


def presence_channel(org: Organization) -> Channel:
    """The channel under which mentions found on feeds and pages sit in the inbox: not a
    network account, never active (nobody drafts for it), created on first use."""
    channel = Channel.objects.filter(org=org, name=PRESENCE_CHANNEL).first()
    if channel is None:
        channel = Channel.objects.create(
            org=org, name=PRESENCE_CHANNEL, network=Network.OTHER, active=False
        )
        record(
            "channel.create",
            org=org,
            obj=channel,
            after={"name": channel.name, "network": channel.network, "presence": True},
        )
    return channel


def _author(mention: Mention) -> str:
    if mention.author:
        return mention.author
    return urlsplit(mention.url).hostname or mention.source.name


def _to_inbox(
    source: WatchSource, mention: Mention, entry: Entry, verdict: triage.Triage, now: datetime
) -> InboxItem | None:
    channel = source.channel if source.kind == SourceKind.NETWORK and source.channel else None
    channel = channel or presence_channel(source.org)
    # A network post keeps the network's id: the same post pulled as a notification is
    # then one item, not two.
    remote_id = (entry.remote_id or f"presence:{mention.key}")[: inbox.MAX_ID]
    existing = InboxItem.objects.filter(channel=channel, remote_id=remote_id).first()
    if existing is not None:
        return existing
    created_at = mention.published_at or now
    if timezone.is_naive(created_at):
        created_at = created_at.replace(tzinfo=UTC)
    try:
        with transaction.atomic():
            item = InboxItem.objects.create(
                org=source.org,
                channel=channel,
                remote_id=remote_id,
                author_handle=_author(mention)[:200],
                text=(f"{mention.title}\n\n{mention.text}" if mention.title else mention.text)[
                    : inbox.MAX_TEXT
                ],
                kind=ItemKind.MENTION,
                url=mention.url,
                created_at=min(created_at, now),
                source=Source.PULL,
                categories=mention.categories,
                findings=mention.findings,
                priority=mention.priority,
                negative=verdict.negative,
            )
            record(
                "inbox.receive",
                org=source.org,
                obj=item,
                after={
                    "channel": channel.pk,
                    "remote_id": item.remote_id,
                    "source": "presence",
                    "watch_source": source.pk,
                    "categories": item.categories,
                    "priority": item.priority,
                },
            )
            inbox.escalate(item)
    except IntegrityError:
        return InboxItem.objects.filter(channel=channel, remote_id=remote_id).first()
    return item


def labels(categories: Iterable[str]) -> list[str]:
    return [triage.LABELS.get(c, c) for c in categories]
