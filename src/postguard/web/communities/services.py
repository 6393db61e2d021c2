"""Communities under their Community Policy: staff, policy, watching, the moderation
queue, the ladder, appeals, routing, member records and retention.

Every function that shows or changes something checks who is asking
(``actor=None`` is postguard itself: the periodic jobs, the CLI, the demo) and
records changes in the audit chain in the same transaction. The record keeps ids,
steps and provisions, never a member's message text, so that purging moderation
records after the retention period leaves nothing of them behind.

Who may do what, per community:

- the organization's administrators: everything, on every community of the organization;
- a community administrator: the policy, the settings, the connection, the staff, and
  everything a moderator does;
- a moderator: the queue, flags, the ladder, appeals, member records;
- anyone else, including staff of another community: nothing (404, as if it did not exist).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import secrets as secrets_module
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from postguard.communities.base import CommunityConnector, MessagePage, Unsupported
from postguard.connectors.base import ConnectorError, Credentials, TransientError
from postguard.connectors.crypto import DecryptionError, SecretBox, SecretsKeyError
from postguard.content import MAX_MEDIA, ContentError, Media
from postguard.engine import Engine, decide, make_content
from postguard.policy.loader import PolicyError
from postguard.policy.schema import CATEGORIES, SEVERITIES
from postguard.web.audit.models import AuditEntry
from postguard.web.audit.services import record
from postguard.web.communities import pack as policy_pack
from postguard.web.communities import packs, platforms, routing, template
from postguard.web.communities.models import (
    LADDER,
    Appeal,
    AppealOutcome,
    Community,
    CommunityPolicy,
    CommunityStaff,
    Detect,
    ItemState,
    Member,
    Message,
    Platform,
    PolicyState,
    Provision,
    QueueItem,
    Route,
    Sanction,
    SkipTo,
    Source,
    StaffRole,
    Step,
)
from postguard.web.errors import Conflict, Invalid, NotAllowed, NotFound
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Membership, Organization, Role

log = logging.getLogger(__name__)

AnyUser = User | AnonymousUser
#: Organization roles that manage every community of the organization.
ORG_MANAGERS = frozenset({Role.ADMIN})
MAX_TEXT = 20_000
MAX_REASON = 2_000
MAX_PROVISIONS = 100
#: The public report form: reports from one address per community in the window, and
#: from everyone per community (a flood from many addresses stops too).
REPORTS_PER_ADDRESS = 5
REPORTS_PER_COMMUNITY = 200
REPORT_WINDOW = timedelta(hours=1)
#: The longest suspension, and the longest clocks the ladder may be configured with.
MAX_DAYS = 3650


# --- who is who -------------------------------------------------------------------------


def staff_role(user: AnyUser, community: Community) -> str | None:
    """``admin``, ``moderator`` or None for this person on this community."""
    if not user.is_authenticated:
        return None
    if orgs.has_role(user, community.org, ORG_MANAGERS):
        return StaffRole.ADMIN
    found = CommunityStaff.objects.filter(community=community, user_id=user.pk).first()
    if found is None or orgs.membership(user, community.org) is None:
        return None
    return found.role


def visible_communities(user: AnyUser, org: Organization) -> QuerySet[Community]:
    if not user.is_authenticated or orgs.membership(user, org) is None:
        return Community.objects.none()
    found = Community.objects.filter(org=org)
    if orgs.has_role(user, org, ORG_MANAGERS):
        return found
    return found.filter(staff__user_id=user.pk).distinct()


def get_community(user: AnyUser, community_id: int) -> Community:
    """A community this person administers or moderates (404 for anyone else)."""
    found = Community.objects.filter(pk=community_id).select_related("org").first()
    if found is None or staff_role(user, found) is None:
        raise NotFound(f"No community {community_id}.")
    return found


def require_admin(user: AnyUser, community: Community, doing: str) -> None:
    role = staff_role(user, community)
    if role is None:
        # Staff of another community (and everyone else) must not learn it exists.
        raise NotFound(f"No community {community.pk}.")
    if role != StaffRole.ADMIN:
        raise NotAllowed(f"Only the community's administrators can {doing}.")


def is_admin(user: AnyUser, community: Community) -> bool:
    return staff_role(user, community) == StaffRole.ADMIN


def _person(user: AnyUser | None) -> User | None:
    return user if isinstance(user, User) else None


def _clean(text: str, what: str, limit: int = MAX_TEXT, *, required: bool = True) -> str:
    if not isinstance(text, str):
        raise Invalid(f"The {what} must be text.")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(f"The {what} contains an invalid character (a lone surrogate).") from None
    text = text.replace("\x00", "").strip()
    if required and not text:
        raise Invalid(f"Give the {what}.")
    if len(text) > limit:
        raise Invalid(f"The {what} is {len(text):,} characters; the limit is {limit:,}.")
    return text


def _days(value: int, what: str, low: int = 1) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= MAX_DAYS:
        raise Invalid(f"The {what} is a whole number of days from {low} to {MAX_DAYS}.")
    return value


# --- communities ------------------------------------------------------------------------


@transaction.atomic
def create_community(
    actor: AnyUser | None,
    org: Organization,
    *,
    name: str,
    platform: str,
    room_id: str,
    config: dict[str, Any] | None = None,
) -> Community:
    """A community with the template Community Policy as its first (draft) version."""
    if actor is not None:
        orgs.require_role(actor, org, ORG_MANAGERS, "add a community")
    name = _clean(name, "community's name", 120)
    room_id = _clean(room_id, "room or group id", 500)
    if platform not in Platform.values:
        raise Invalid(f"The platform is one of {', '.join(Platform.values)}.")
    if Community.objects.filter(org=org, name=name).exists():
        raise Conflict(f"There is already a community called {name}.")
    community = Community.objects.create(
        org=org,
        name=name,
        platform=platform,
        room_id=room_id,
        config=_config(config or {}),
        public_token=secrets_module.token_urlsafe(24),
        complaint_template=template.COMPLAINT_TEMPLATE,
    )
    record(
        "community.create",
        actor=_person(actor),
        org=org,
        obj=community,
        after={"name": name, "platform": platform, "room_id": room_id},
    )
    policy = CommunityPolicy.objects.create(
        community=community,
        version=1,
        title=template.TITLE,
        preamble=template.PREAMBLE,
        created_by=_person(actor),
    )
    Provision.objects.bulk_create(
        Provision(policy=policy, **_provision_fields(p)) for p in template.PROVISIONS
    )
    record(
        "community.policy_draft",
        actor=_person(actor),
        org=org,
        obj=policy,
        after={"community": community.pk, "version": 1, "from": "template (IBLCE addendum)"},
    )
    return community


def _config(config: dict[str, Any]) -> dict[str, str]:
    clean: dict[str, str] = {}
    for key, value in config.items():
        if not isinstance(key, str) or not key.isidentifier() or len(key) > 60:
            raise Invalid("Connection settings are names (letters, digits, _) with text values.")
        clean[key] = _clean(str(value), f"setting {key}", 1000, required=False)
    return clean


@transaction.atomic
def update_settings(
    actor: AnyUser,
    community: Community,
    *,
    warning_days: int,
    suspension_days: int,
    appeal_days: int,
    retention_days: int,
    complaint_template: str,
    watched: bool,
) -> Community:
    require_admin(actor, community, "change its settings")
    before = _settings(community)
    community.warning_days = _days(warning_days, "time a warning counts")
    community.suspension_days = _days(suspension_days, "length of a suspension")
    community.appeal_days = _days(appeal_days, "time to appeal")
    community.retention_days = _days(retention_days, "retention of moderation records", 30)
    community.complaint_template = _clean(
        complaint_template, "IBLCE complaint route for reporters", 5000
    )
    community.watched = bool(watched)
    community.save()
    record(
        "community.settings",
        actor=actor,
        org=community.org,
        obj=community,
        before=before,
        after=_settings(community),
    )
    return community


def _settings(c: Community) -> dict[str, Any]:
    return {
        "warning_days": c.warning_days,
        "suspension_days": c.suspension_days,
        "appeal_days": c.appeal_days,
        "retention_days": c.retention_days,
        "watched": c.watched,
        "complaint_template": c.complaint_template,
    }


@transaction.atomic
def set_staff(actor: AnyUser | None, community: Community, user: User, role: str) -> None:
    """Make ``user`` an administrator or moderator of the community (``""``: neither)."""
    if actor is not None:
        require_admin(actor, community, "choose its administrators and moderators")
    if role and role not in StaffRole.values:
        raise Invalid("The role is admin, moderator or none.")
    if orgs.membership(user, community.org) is None:
        raise Invalid(f"{user.get_username()} is not a member of {community.org.name}.")
    before = CommunityStaff.objects.filter(community=community, user=user).first()
    if role:
        CommunityStaff.objects.update_or_create(
            community=community, user=user, defaults={"role": role}
        )
    else:
        CommunityStaff.objects.filter(community=community, user=user).delete()
    record(
        "community.staff",
        actor=_person(actor),
        org=community.org,
        obj=community,
        object_id=community.pk,
        before={"user": user.get_username(), "role": before.role if before else None},
        after={"user": user.get_username(), "role": role or None},
    )


def eligible_staff(community: Community) -> QuerySet[Membership]:
    """The organization's members, who may be made staff of the community."""
    return Membership.objects.filter(org=community.org).select_related("user")


def staff_of(community: Community) -> QuerySet[CommunityStaff]:
    return CommunityStaff.objects.filter(community=community).select_related("user")


def _box() -> SecretBox:
    try:
        return SecretBox.from_env()
    except SecretsKeyError as exc:
        raise Conflict(str(exc)) from None


@transaction.atomic
def connect(
    actor: AnyUser, community: Community, secrets: dict[str, str], config: dict[str, Any]
) -> Community:
    """Store the moderator bot's credentials (encrypted) and the connection's settings."""
    require_admin(actor, community, "connect it")
    clean = {k: _clean(str(v), f"secret {k}", 5000) for k, v in secrets.items() if str(v)}
    if not clean and _platform_acts(community.platform):
        raise Invalid("Give the moderator bot's credentials (for example its access token).")
    community.secret = _box().encrypt(Credentials(secrets=clean))
    community.config = _config(config)
    community.last_error = ""
    community.save(update_fields=["secret", "config", "last_error"])
    # The secrets never enter the record; their names and the settings do.
    record(
        "community.connect",
        actor=actor,
        org=community.org,
        obj=community,
        after={"secrets": sorted(clean), "settings": community.config},
    )
    return community


def _platform_acts(platform: str) -> bool:
    """Whether the platform's API does anything for postguard, and so needs credentials.
    A Facebook group's does nothing: it is connected without any, and every action is
    recorded with the steps to do it by hand."""
    try:
        capabilities = platforms.connector_class(platform).capabilities
    except platforms.NoConnector:
        return True
    return any(getattr(capabilities, f.name) for f in dataclasses.fields(capabilities))


def connector(community: Community) -> CommunityConnector:
    """The platform's connector for this community, signed in with its stored credentials."""
    if not community.secret:
        raise Conflict(f"{community.name} is not connected: an administrator must connect it.")
    try:
        plain = _box().decrypt(community.secret).secrets
    except DecryptionError:
        raise Conflict(
            f"{community.name}'s stored credentials cannot be decrypted with the configured key "
            "(POSTGUARD_SECRETS_KEY); restore that key or connect the community again."
        ) from None
    try:
        return platforms.make(community.platform, community.room_id, dict(community.config), plain)  # type: ignore[no-any-return]
    except platforms.NoConnector as exc:
        raise Conflict(str(exc)) from None


@transaction.atomic
def rotate_public_token(actor: AnyUser, community: Community) -> Community:
    require_admin(actor, community, "change its public links")
    community.public_token = secrets_module.token_urlsafe(24)
    community.save(update_fields=["public_token"])
    record("community.public_link", actor=actor, org=community.org, obj=community, after={})
    return community


def by_token(token: str) -> Community:
    if not isinstance(token, str) or not 10 <= len(token) <= 64:
        raise NotFound("No such community.")
    found = Community.objects.filter(public_token=token).select_related("org").first()
    if found is None:
        raise NotFound("No such community.")
    return found


# --- the Community Policy ---------------------------------------------------------------


def published_policy(community: Community) -> CommunityPolicy | None:
    return (
        CommunityPolicy.objects.filter(community=community, state=PolicyState.PUBLISHED)
        .order_by("-version")
        .first()
    )


def draft_policy(community: Community) -> CommunityPolicy | None:
    return (
        CommunityPolicy.objects.filter(community=community, state=PolicyState.DRAFT)
        .order_by("-version")
        .first()
    )


def policy_versions(actor: AnyUser, community: Community) -> QuerySet[CommunityPolicy]:
    if staff_role(actor, community) is None:
        raise NotFound(f"No community {community.pk}.")
    return CommunityPolicy.objects.filter(community=community).prefetch_related("provisions")


def _provision_fields(p: template.ProvisionData) -> dict[str, Any]:
    return {
        "number": p.number,
        "title": p.title,
        "text": p.text,
        "category": p.category,
        "detect": p.detect,
        "terms": list(p.terms),
        "severity": p.severity,
        "skip_to": p.skip_to,
        "example_violating": p.example_violating,
        "example_compliant": p.example_compliant,
    }


def _check_provisions(provisions: Sequence[template.ProvisionData]) -> list[template.ProvisionData]:
    if not provisions:
        raise Invalid("A Community Policy needs at least one provision.")
    if len(provisions) > MAX_PROVISIONS:
        raise Invalid(f"A Community Policy has at most {MAX_PROVISIONS} provisions.")
    clean = []
    seen: set[int] = set()
    for p in provisions:
        where = f"provision {p.number}"
        if not isinstance(p.number, int) or not 1 <= p.number <= 999 or p.number in seen:
            raise Invalid("Provisions are numbered 1 to 999, each number once.")
        seen.add(p.number)
        title = _clean(p.title, f"title of {where}", 200)
        text = _clean(p.text, f"text of {where}", 5000)
        if len(text) < 10:
            raise Invalid(f"The text of {where} is too short to cite (10 characters or more).")
        if p.detect not in Detect.values:
            raise Invalid(f"{where}: checking is builtin, lexicon, pattern or none.")
        if p.detect and p.category not in CATEGORIES:
            raise Invalid(f"{where}: a checked provision needs a category from the vocabulary.")
        if p.severity not in SEVERITIES:
            raise Invalid(f"{where}: the severity is one of {', '.join(SEVERITIES)}.")
        if p.skip_to not in SkipTo.values:
            raise Invalid(f"{where}: skipping goes to suspend or ban.")
        terms = [_clean(str(t), f"term of {where}", 500) for t in (p.terms or []) if str(t).strip()]
        if p.detect in (Detect.LEXICON, Detect.PATTERN) and not terms:
            raise Invalid(f"{where}: give the words or patterns it looks for.")
        clean.append(
            template.ProvisionData(
                p.number,
                title,
                text,
                p.category if p.detect else "",
                p.detect,
                terms if p.detect in (Detect.LEXICON, Detect.PATTERN) else [],
                p.severity,
                p.skip_to,
                _clean(p.example_violating, "example", 2000, required=False),
                _clean(p.example_compliant, "example", 2000, required=False),
            )
        )
    return sorted(clean, key=lambda p: p.number)


@transaction.atomic
def save_policy(
    actor: AnyUser,
    community: Community,
    *,
    title: str,
    preamble: str,
    provisions: Sequence[template.ProvisionData],
) -> CommunityPolicy:
    """Save the draft (a new version after the published one). A provision the engine
    cannot use is refused with the loader's ``file:line: reason``."""
    require_admin(actor, community, "edit the Community Policy")
    title = _clean(title, "policy's title", 200)
    preamble = _clean(preamble, "preamble", MAX_TEXT, required=False)
    clean = _check_provisions(provisions)
    draft = draft_policy(community)
    version = draft.version if draft else _next_version(community)
    try:
        policy_pack.build(community.pk, community.name, version, clean)
    except PolicyError as exc:
        raise Invalid(str(exc)) from None
    if draft is None:
        draft = CommunityPolicy.objects.create(
            community=community, version=version, title=title, created_by=_person(actor)
        )
    before = _policy_data(draft)
    draft.title, draft.preamble = title, preamble
    draft.save(update_fields=["title", "preamble"])
    draft.provisions.all().delete()
    Provision.objects.bulk_create(Provision(policy=draft, **_provision_fields(p)) for p in clean)
    record(
        "community.policy_edit",
        actor=actor,
        org=community.org,
        obj=draft,
        before=before,
        after=_policy_data(draft),
    )
    return draft


def _next_version(community: Community) -> int:
    last = CommunityPolicy.objects.filter(community=community).order_by("-version").first()
    return (last.version if last else 0) + 1


def _policy_data(policy: CommunityPolicy) -> dict[str, Any]:
    return {
        "version": policy.version,
        "title": policy.title,
        "provisions": [
            {
                "number": p.number,
                "title": p.title,
                "text": p.text,
                "detect": p.detect,
                "category": p.category,
                "skip_to": p.skip_to,
            }
            for p in policy.provisions.all()
        ],
    }


def public_url(community: Community) -> str:
    from postguard.web.inbox.notify import base_url

    return f"{base_url()}/c/{community.public_token}/"


@transaction.atomic
def publish_policy(actor: AnyUser, community: Community) -> CommunityPolicy:
    """Publish the draft: it becomes the policy the engine and the ladder cite, its link
    page goes live, and it is pinned in the room where the platform allows."""
    require_admin(actor, community, "publish the Community Policy")
    draft = draft_policy(community)
    if draft is None:
        raise Conflict("There is no draft to publish; edit the policy first.")
    now = timezone.now()
    CommunityPolicy.objects.filter(community=community, state=PolicyState.PUBLISHED).update(
        state=PolicyState.SUPERSEDED
    )
    draft.state = PolicyState.PUBLISHED
    draft.published_at = now
    draft.published_by = _person(actor)
    text = (
        f"{draft.title} (version {draft.version}) of {community.name}: {public_url(community)} "
        f"— report a message: {public_url(community)}report/"
    )
    outcome = _platform(community, "pin", lambda c: c.pin(text))
    draft.pinned_id = str(outcome.get("result") or "")
    draft.pin_instructions = "" if outcome["done"] else outcome["detail"]
    draft.save()
    record(
        "community.policy_publish",
        actor=actor,
        org=community.org,
        obj=draft,
        after={"version": draft.version, "pin": _public(outcome)},
    )
    return draft


def policy_pack_text(community: Community) -> tuple[tuple[str, str], ...]:
    import yaml

    policy = published_policy(community)
    if policy is None:
        return ()
    provisions = list(policy.provisions.all())
    data = policy_pack.pack_dict(community.pk, community.name, policy.version, provisions)
    if not data["rules"]:
        return ()
    return ((f"community-{community.pk}-v{policy.version}.yaml", yaml.safe_dump(data)),)


def engine_for(community: Community) -> Engine:
    """The built-in packs, the packs enabled on the community, and its published policy."""
    return packs.engine_with(community, policy_pack_text(community))


# --- the platform -----------------------------------------------------------------------


def _public(outcome: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in outcome.items() if k != "result"}


def _platform(
    community: Community, action: str, call: Callable[[CommunityConnector], Any]
) -> dict[str, Any]:
    """Do ``action`` on the platform; what happened, or what a person must do by hand."""
    try:
        conn = connector(community)
    except Conflict as exc:
        return {
            "action": action,
            "done": False,
            "detail": f"Not connected ({exc}). Do it by hand on the platform.",
        }
    try:
        result = call(conn)
    except Unsupported as exc:
        return {"action": action, "done": False, "detail": exc.instructions}
    except ConnectorError as exc:
        log.warning("community %s: %s failed: %s", community.pk, action, exc)
        return {
            "action": action,
            "done": False,
            "transient": isinstance(exc, TransientError),
            "detail": f"The platform refused or failed ({exc}). Do it by hand, or try again.",
        }
    finally:
        close = getattr(conn, "close", None)
        if callable(close):
            close()
    return {"action": action, "done": True, "detail": "", "result": result}


# --- watching ---------------------------------------------------------------------------


def _member(community: Community, remote_id: str, name: str = "") -> Member:
    remote_id = remote_id[:500]
    member, created = Member.objects.get_or_create(
        community=community, remote_id=remote_id, defaults={"name": name[:200]}
    )
    if not created and name and member.name != name[:200]:
        member.name = name[:200]
        member.save(update_fields=["name"])
    return member


#: Categories the engine reports on inbound text that are not breaches by a member: in a
#: group of professionals, asking for a handout is not a consultation request to the
#: association, and a complaint or negative remark is routed (below), not sanctioned.
NOT_BREACHES = frozenset({"clinical.consult_request", "signal.negative", "signal.complaint"})


def _check(
    community: Community, engine: Engine, text: str, media: Sequence[Media] = ()
) -> tuple[list[dict[str, Any]], str]:
    """A member's message is their own post in a closed group (the codes bind them on
    personal accounts: outbound) and something the moderators receive (a crisis signal
    is only read inbound); both readings count, each finding once. Images posted with it
    are checked on the outbound reading (faces, consent, location metadata)."""
    contents = [
        make_content(
            text,
            media=media if d == "outbound" else (),
            account="personal",
            kind="comment",
            audience="closed",
            direction=d,
        )
        for d in ("outbound", "inbound")
    ]
    seen: set[tuple[str, int | None, int | None]] = set()
    findings = []
    for report in engine.check_many(contents):
        if isinstance(report, ContentError):
            if media:
                # An attachment that is not a readable image must not hide what the text says.
                log.warning("community %s: an image could not be checked: %s", community.pk, report)
                return _check(community, engine, text)
            return [], "pass"
        for f in report.findings:
            key = (f.rule_id, f.start, f.end)
            if f.category in NOT_BREACHES or key in seen:
                continue
            seen.add(key)
            findings.append(f)
    return [f.to_dict() for f in findings], decide(findings)


def ingest(
    community: Community,
    page: MessagePage,
    media: dict[str, tuple[Media, ...]] | None = None,
) -> list[QueueItem]:
    """Store what a read returned; put flagged messages and platform reports in the queue.
    ``media``: the images fetched for a message (by its remote id), checked with its text."""
    engine = engine_for(community)
    media = media or {}
    created: list[QueueItem] = []
    with transaction.atomic():
        for m in page.messages:
            if Message.objects.filter(community=community, remote_id=m.remote_id[:500]).exists():
                continue
            text = (m.text or "")[:MAX_TEXT]
            findings, decision = _check(community, engine, text, media.get(m.remote_id, ()))
            message = Message.objects.create(
                community=community,
                member=_member(community, m.author_id, m.author_name),
                remote_id=m.remote_id[:500],
                text=text,
                url=m.url[:1000] if m.url.startswith(("https://", "http://")) else "",
                created_at=m.created_at,
                findings=findings,
                decision=decision,
            )
            if decision != "pass":
                item = QueueItem.objects.create(
                    community=community,
                    source=Source.ENGINE,
                    message=message,
                    member=message.member,
                    remote_id=message.remote_id,
                    findings=findings,
                    route=Route.BREACH,
                )
                _route(item, text, notify_reporter=False)
                created.append(item)
        for r in page.reports:
            if QueueItem.objects.filter(
                community=community, source=Source.PLATFORM, remote_id=r.remote_id[:500]
            ).exists():
                continue
            reported = Message.objects.filter(community=community, remote_id=r.message_id).first()
            item = QueueItem.objects.create(
                community=community,
                source=Source.PLATFORM,
                message=reported,
                member=reported.member if reported else None,
                reporter=r.reporter_id[:200],
                reason=(r.reason or "")[:MAX_REASON],
                remote_id=r.remote_id[:500],
                findings=reported.findings if reported else [],
            )
            _route(item, r.reason or "", notify_reporter=False)
            created.append(item)
        community.cursor = page.cursor or community.cursor
        community.read_at = timezone.now()
        community.last_error = ""
        community.save(update_fields=["cursor", "read_at", "last_error"])
        for item in created:
            record(
                "community.queue",
                org=community.org,
                obj=item,
                after={
                    "community": community.pk,
                    "source": item.source,
                    "route": item.route,
                    "member": item.member_id,
                    "rules": sorted({f["rule_id"] for f in item.findings}),
                },
            )
    return created


#: The largest image postguard downloads from a community to check (bytes).
MAX_IMAGE_BYTES = 10_000_000


def _fetch_media(
    community: Community, conn: CommunityConnector, page: MessagePage
) -> dict[str, tuple[Media, ...]]:
    """The images of new messages, from connectors that can download them (``fetch_media``),
    each bounded in size. Held in memory, never written to disk: a client's photo is exactly
    what must not be copied around. An image that cannot be fetched is left out (logged);
    the message's text is still checked."""
    fetch = getattr(conn, "fetch_media", None)
    wanted = [m for m in page.messages if m.media_urls]
    if not callable(fetch) or not wanted:
        return {}
    known = set(
        Message.objects.filter(
            community=community, remote_id__in=[m.remote_id[:500] for m in wanted]
        ).values_list("remote_id", flat=True)
    )
    fetched: dict[str, tuple[Media, ...]] = {}
    for m in wanted:
        if m.remote_id[:500] in known:
            continue
        images = []
        for url in m.media_urls[:MAX_MEDIA]:
            try:
                data = fetch(url, max_bytes=MAX_IMAGE_BYTES)
            except ConnectorError as exc:
                log.warning("community %s: an image was not fetched: %s", community.pk, exc)
                continue
            if isinstance(data, bytes) and data:
                images.append(Media(data=data, alt=m.text[:1000]))
        if images:
            fetched[m.remote_id] = tuple(images)
    return fetched


def read_community(community: Community) -> list[QueueItem]:
    """One read of a watched community through its connector (from the stored cursor)."""
    try:
        conn = connector(community)
        try:
            page = conn.read(community.cursor or None)
            media = _fetch_media(community, conn, page)
        finally:
            close = getattr(conn, "close", None)
            if callable(close):
                close()
    except (Conflict, ConnectorError) as exc:
        Community.objects.filter(pk=community.pk).update(last_error=str(exc)[:2000])
        log.warning("community %s: reading failed: %s", community.pk, exc)
        return []
    return ingest(community, page, media)


def watch_all() -> int:
    """The periodic job: read every watched, connected community."""
    total = 0
    for community in Community.objects.filter(watched=True).exclude(secret=""):
        total += len(read_community(community))
    return total


# --- reports and flags ------------------------------------------------------------------


PEER_STEPS = (
    "Acknowledge the report and point both members to provision 6 (good-faith resolution)",
    "Invite the members to settle it directly and privately",
    "If it is not settled, a moderator who is not involved mediates",
    "If a provision was breached, act on the ladder; otherwise close with the outcome",
)
CLIENT_STEPS = (
    "The reporter is given IBLCE's complaint route (sent by postguard)",
    "The committee chair is told (sent by postguard)",
    "Close: the community does not decide complaints about the care of clients",
)
CRISIS_STEPS = ("Follow the crisis playbook in the inbox case",)
BREACH_STEPS = ("Decide whether a provision was breached; act on the ladder or dismiss",)
_STEPS: dict[str, tuple[str, ...]] = {
    Route.PEER_DISPUTE: PEER_STEPS,
    Route.CLIENT_COMPLAINT: CLIENT_STEPS,
    Route.CRISIS: CRISIS_STEPS,
    Route.BREACH: BREACH_STEPS,
    Route.ORDINARY: BREACH_STEPS,
}
PEER_REPLY = (
    "Thank you for your report. Disagreements between members are handled under our "
    "Community Policy (provision 6): members are asked to resolve them in good faith, first "
    "directly, then with a moderator's help. A moderator will be in touch."
)
CRISIS_REPLY = (
    "Thank you for telling us; the moderators and the committee chair have been alerted. "
    "If you or someone else is in danger now, please call your local emergency number. "
    "You can also talk to someone at a crisis line at any time, day or night."
)
BREACH_REPLY = (
    "Thank you for your report. The moderators will look at it under the Community Policy."
)


def _route(item: QueueItem, text: str, *, notify_reporter: bool) -> str:
    """Classify the item and start its route's procedure; the text to answer the reporter."""
    from postguard.web.inbox import notify
    from postguard.web.inbox.services import open_case_for

    community = item.community
    text = text.strip()
    if item.message is not None and item.message.text not in text:
        text = f"{text}\n{item.message.text}".strip()
    routed = routing.route(text) if text else routing.Routing(routing.ORDINARY, ())
    item.route = routed.route if routed.route != routing.ORDINARY else Route.BREACH
    item.cues = list(routed.cues)
    item.steps = [{"title": t, "done_at": None, "done_by": None} for t in _STEPS[item.route]]
    reply = BREACH_REPLY
    if item.route == Route.CRISIS:
        item.case = open_case_for(
            community.org, "crisis", f"Crisis reported in the community {community.name}"
        )
        notify.queue(
            community.org,
            reason="community.crisis",
            subject=f"Crisis reported in {community.name}",
            body=(
                "Someone may be in danger. Open the case: "
                f"{notify.base_url()}/cases/{item.case.pk}/"
            ),
            roles=[Role.CHAIR],
            case=item.case,
        )
        reply = CRISIS_REPLY
    elif item.route == Route.CLIENT_COMPLAINT:
        reply = community.complaint_template
        notify.queue(
            community.org,
            reason="community.client_complaint",
            subject=f"A complaint about the care of a client, reported in {community.name}",
            body=(
                "A report in the community concerns an IBCLC's treatment of a client. postguard "
                "does not adjudicate it: the reporter was given IBLCE's complaint route. "
                f"The record: {notify.base_url()}/communities/items/{item.pk}/"
            ),
            roles=[Role.CHAIR],
        )
        if notify_reporter and item.reporter_contact:
            address, body = item.reporter_contact, reply
            transaction.on_commit(
                lambda: send_mail(
                    f"Your report to {community.name}",
                    body,
                    settings.DEFAULT_FROM_EMAIL,
                    [address],
                    fail_silently=True,
                )
            )
    elif item.route == Route.PEER_DISPUTE:
        reply = PEER_REPLY
    if item.route in (Route.CRISIS, Route.CLIENT_COMPLAINT):
        item.state = ItemState.ROUTED
        for step in item.steps[:2] if item.route == Route.CLIENT_COMPLAINT else []:
            step["done_at"] = timezone.now().isoformat()
            step["done_by"] = "postguard"
    item.save()
    return reply


def _address_digest(address: str) -> str:
    return (
        hashlib.sha256(f"{settings.SECRET_KEY}:{address}".encode()).hexdigest() if address else ""
    )


@dataclass(frozen=True, slots=True)
class Received:
    item: QueueItem
    reply: str


@transaction.atomic
def report_by_member(
    token: str,
    *,
    text: str,
    message_ref: str = "",
    reporter: str = "",
    contact: str = "",
    address: str = "",
) -> Received:
    """A report through the community's public form (no sign-in; rate-limited)."""
    community = by_token(token)
    text = _clean(text, "report", 5000)
    message_ref = _clean(message_ref, "link or id of the message", 500, required=False)
    reporter = _clean(reporter, "name", 200, required=False)
    contact = _clean(contact, "e-mail address", 254, required=False)
    if contact and ("@" not in contact or " " in contact):
        raise Invalid("The e-mail address does not look like one.")
    since = timezone.now() - REPORT_WINDOW
    recent = QueueItem.objects.filter(
        community=community, source=Source.MEMBER, created_at__gte=since
    )
    digest = _address_digest(address)
    if recent.count() >= REPORTS_PER_COMMUNITY or (
        digest and recent.filter(reporter_address=digest).count() >= REPORTS_PER_ADDRESS
    ):
        raise TooMany("Too many reports from here just now; please try again in an hour.")
    message = _find_message(community, message_ref)
    item = QueueItem.objects.create(
        community=community,
        source=Source.MEMBER,
        message=message,
        member=message.member if message else None,
        reporter=reporter,
        reporter_contact=contact,
        reporter_address=digest,
        reason=text,
        findings=message.findings if message else [],
    )
    reply = _route(item, text, notify_reporter=True)
    record(
        "community.report",
        org=community.org,
        obj=item,
        after={"community": community.pk, "route": item.route, "message": item.message_id},
    )
    return Received(item, reply)


class TooMany(Conflict):
    status = 429


def _find_message(community: Community, ref: str) -> Message | None:
    if not ref:
        return None
    return (
        Message.objects.filter(community=community)
        .filter(Q(remote_id=ref) | Q(url=ref))
        .select_related("member")
        .first()
    )


@transaction.atomic
def flag(
    actor: AnyUser,
    community: Community,
    *,
    reason: str,
    message_ref: str = "",
    member_id: str = "",
    member_name: str = "",
    text: str = "",
) -> QueueItem:
    """A moderator's flag: a message (by id or link), or a member and what they wrote."""
    if staff_role(actor, community) is None:
        raise NotFound(f"No community {community.pk}.")
    reason = _clean(reason, "reason", MAX_REASON)
    message = _find_message(community, _clean(message_ref, "message", 500, required=False))
    member = message.member if message else None
    if member is None and member_id.strip():
        member = _member(community, _clean(member_id, "member's id", 500), member_name.strip())
    if message is None and member is not None and text.strip():
        text = _clean(text, "message text", MAX_TEXT)
        engine = engine_for(community)
        findings, decision = _check(community, engine, text)
        message = Message.objects.create(
            community=community,
            member=member,
            remote_id=message_ref.strip()[:500] or f"flag-{secrets_module.token_hex(8)}",
            text=text,
            created_at=timezone.now(),
            findings=findings,
            decision=decision,
        )
    if message is None and member is None:
        raise Invalid("Name the message (its id or link), or the member and what they wrote.")
    item = QueueItem.objects.create(
        community=community,
        source=Source.MODERATOR,
        message=message,
        member=member,
        flagged_by=_person(actor),
        reporter=actor.get_username(),
        reason=reason,
        findings=message.findings if message else [],
    )
    _route(item, reason, notify_reporter=False)
    record(
        "community.flag",
        actor=actor,
        org=community.org,
        obj=item,
        after={"community": community.pk, "route": item.route, "member": item.member_id},
    )
    return item


def queue(actor: AnyUser, community: Community, state: str = "open") -> QuerySet[QueueItem]:
    if staff_role(actor, community) is None:
        raise NotFound(f"No community {community.pk}.")
    found = QueueItem.objects.filter(community=community).select_related("message", "member")
    if state in ItemState.values:
        found = found.filter(state=state)
    return found


def get_item(actor: AnyUser, item_id: int) -> QueueItem:
    item = QueueItem.objects.filter(pk=item_id).select_related("community__org").first()
    if item is None or staff_role(actor, item.community) is None:
        raise NotFound(f"No item {item_id}.")
    return item


@transaction.atomic
def close_item(actor: AnyUser, item_id: int, outcome: str) -> QueueItem:
    """Dismiss an item, or close a routed one, with the outcome."""
    item = get_item(actor, item_id)
    QueueItem.objects.select_for_update().filter(pk=item.pk).first()
    outcome = _clean(outcome, "outcome", MAX_REASON)
    if item.closed_at is not None:
        raise Conflict("This item is already closed.")
    before = item.state
    if item.state == ItemState.OPEN:
        item.state = ItemState.DISMISSED
    item.outcome = outcome
    item.closed_at = timezone.now()
    item.closed_by = _person(actor)
    item.save()
    record(
        "community.close",
        actor=actor,
        org=item.community.org,
        obj=item,
        before={"state": before},
        after={"state": item.state, "outcome": outcome},
    )
    return item


@transaction.atomic
def complete_step(actor: AnyUser, item_id: int, index: int) -> QueueItem:
    item = get_item(actor, item_id)
    if not 0 <= index < len(item.steps):
        raise NotFound("No such step.")
    step = item.steps[index]
    if step.get("done_at"):
        raise Conflict("That step is done already.")
    step["done_at"] = timezone.now().isoformat()
    step["done_by"] = actor.get_username()
    item.save(update_fields=["steps"])
    record(
        "community.step",
        actor=actor,
        org=item.community.org,
        obj=item,
        after={"step": step["title"]},
    )
    return item


# --- the ladder -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Standing:
    """What counts on a member's record now."""

    warnings: int
    suspensions: int
    kicks: int
    bans: int
    suspended_until: datetime | None


def standing(member: Member, now: datetime | None = None) -> Standing:
    now = now or timezone.now()
    community = member.community
    counted = Sanction.objects.filter(member=member, overturned_at__isnull=True)
    fresh = now - timedelta(days=community.warning_days)
    active = counted.filter(step=Step.SUSPEND, ends_at__gt=now, restored_at__isnull=True).first()
    return Standing(
        warnings=counted.filter(step=Step.WARN, created_at__gte=fresh).count(),
        suspensions=counted.filter(step=Step.SUSPEND).count(),
        kicks=counted.filter(step=Step.KICK).count(),
        bans=counted.filter(step=Step.BAN).count(),
        suspended_until=active.ends_at if active else None,
    )


def propose(member: Member, provision: Provision | None, now: datetime | None = None) -> str:
    """The ladder's next step for this member: a warning, then a suspension, then a ban.
    A warning counts for the community's ``warning_days``; a provision may skip steps."""
    s = standing(member, now)
    if s.bans or s.suspensions or s.kicks:
        step = Step.BAN
    elif s.warnings:
        step = Step.SUSPEND
    else:
        step = Step.WARN
    skip = provision.skip_to if provision is not None else ""
    if skip and LADDER.index(Step(skip)) > LADDER.index(Step(step)):
        step = Step(skip)
    return str(step)


def _following(step: str) -> str:
    if step == Step.WARN:
        return "A further breach while this warning counts leads to a suspension."
    if step in (Step.SUSPEND, Step.KICK):
        return "A further breach leads to a ban from the community."
    if step == Step.BAN:
        return "You can no longer take part in the community."
    return "A further breach leads to a warning."


def _notice(
    community: Community, step: str, provision: Provision, reason: str, sanction: Sanction
) -> str:
    from postguard.web.inbox.notify import base_url

    did = {
        Step.REMOVE: "removed your message",
        Step.WARN: "warned you",
        Step.SUSPEND: f"suspended you until {sanction.ends_at:%Y-%m-%d %H:%M} UTC"
        if sanction.ends_at
        else "suspended you",
        Step.KICK: "removed you from the community",
        Step.BAN: "banned you from the community",
    }[Step(step)]
    deadline = sanction.created_at + timedelta(days=community.appeal_days)
    return (
        f"The moderators of {community.name} have {did}. Reason: {reason} "
        f"This breaks provision {provision.number} of the Community Policy "
        f'("{provision.title}"): {provision.text} '
        f"{_following(step)} "
        f"You may appeal until {deadline:%Y-%m-%d} at "
        f"{base_url()}/c/appeal/{sanction.appeal_token}/ "
        "— a moderator who did not take this decision will decide. "
        f"The Community Policy: {public_url(community)}"
    )


def provision_of(community: Community, number: int) -> Provision:
    policy = published_policy(community)
    if policy is None:
        raise Conflict(
            "Publish the Community Policy first: every action cites one of its provisions."
        )
    found = policy.provisions.filter(number=number).first()
    if found is None:
        raise Invalid(f"The Community Policy (version {policy.version}) has no provision {number}.")
    return found


@transaction.atomic
def act(
    actor: AnyUser,
    community: Community,
    *,
    step: str,
    provision_number: int,
    reason: str,
    member: Member | None = None,
    item: QueueItem | None = None,
    remove_message: bool = False,
    days: int | None = None,
) -> Sanction:
    """One step of the ladder, citing a provision, applied on the platform where its API
    allows and recorded with instructions otherwise; the member is told."""
    if staff_role(actor, community) is None:
        raise NotFound(f"No community {community.pk}.")
    if step not in Step.values:
        raise Invalid(f"The step is one of {', '.join(Step.values)}.")
    reason = _clean(reason, "reason", MAX_REASON)
    if len(reason) < 5:
        raise Invalid("Say why (it goes to the member and into the record).")
    provision = provision_of(community, provision_number)
    message = item.message if item is not None else None
    member = member or (item.member if item is not None else None)
    if member is None:
        raise Invalid("This item names no member to act on.")
    if member.community_id != community.pk:
        raise NotFound("No such member.")
    if item is not None and item.closed_at is not None:
        raise Conflict("This item is already closed.")
    if (step == Step.REMOVE or remove_message) and message is None:
        raise Invalid("There is no message to remove.")
    if step == Step.REMOVE and message is not None and message.removed_at:
        raise Conflict("This message is already removed.")
    proposed = propose(member, provision)
    now = timezone.now()
    ends_at = None
    if step == Step.SUSPEND:
        ends_at = now + timedelta(days=_days(days or community.suspension_days, "suspension"))
    sanction = Sanction.objects.create(
        community=community,
        member=member,
        step=step,
        provision=provision,
        provision_number=provision.number,
        provision_title=provision.title,
        policy_version=provision.policy.version,
        reason=reason,
        proposed=proposed,
        actor=_person(actor),
        item=item,
        message=message,
        ends_at=ends_at,
        appeal_token=secrets_module.token_urlsafe(24),
    )
    applied: list[dict[str, Any]] = []
    why = f"Community Policy provision {provision.number}: {reason}"
    if message is not None and (step == Step.REMOVE or remove_message) and not message.removed_at:
        outcome = _platform(community, "remove", lambda c: c.remove(message.remote_id, why))
        applied.append(_public(outcome))
        message.removed_at = now
        message.save(update_fields=["removed_at"])
    if step == Step.SUSPEND and ends_at is not None:
        until = ends_at
        applied.append(
            _public(_platform(community, "mute", lambda c: c.mute(member.remote_id, until, why)))
        )
    elif step == Step.KICK:
        applied.append(
            _public(_platform(community, "kick", lambda c: c.kick(member.remote_id, why)))
        )
    elif step == Step.BAN:
        applied.append(_public(_platform(community, "ban", lambda c: c.ban(member.remote_id, why))))
    text = _notice(community, step, provision, reason, sanction)
    applied.append(
        _public(_platform(community, "notice", lambda c: c.notice(member.remote_id, text)))
    )
    sanction.applied = applied
    sanction.notice = text
    sanction.save(update_fields=["applied", "notice"])
    if item is not None:
        item.state = ItemState.ACTIONED
        item.closed_at = now
        item.closed_by = _person(actor)
        item.outcome = f"{Step(step).label}, provision {provision.number}"
        item.save()
    record(
        "community.sanction",
        actor=actor,
        org=community.org,
        obj=sanction,
        after={
            "community": community.pk,
            "member": member.pk,
            "step": step,
            "proposed": proposed,
            "provision": provision.number,
            "policy_version": provision.policy.version,
            "message": message.pk if message else None,
            "ends_at": ends_at,
            "applied": applied,
        },
    )
    return sanction


def restore_due(now: datetime | None = None) -> int:
    """The periodic job: let members whose suspension ended post again."""
    now = now or timezone.now()
    restored = 0
    due = Sanction.objects.filter(
        step=Step.SUSPEND, ends_at__lte=now, restored_at__isnull=True, overturned_at__isnull=True
    ).select_related("community__org", "member")
    for sanction in due:
        if _restore(sanction, None, "the suspension ended"):
            restored += 1
    return restored


def _restore(sanction: Sanction, actor: AnyUser | None, why: str) -> bool:
    member = sanction.member
    outcome = _platform(sanction.community, "unmute", lambda c: c.unmute(member.remote_id))
    if outcome.get("transient"):
        # The platform may answer next time: try again at the next run rather than leave
        # the member muted with the record saying they were restored.
        return False
    with transaction.atomic():
        sanction.restored_at = timezone.now()
        sanction.applied = [*sanction.applied, _public(outcome)]
        sanction.save(update_fields=["restored_at", "applied"])
        record(
            "community.restore",
            actor=_person(actor),
            org=sanction.community.org,
            obj=sanction,
            after={"member": member.pk, "why": why, "applied": _public(outcome)},
        )
    return True


# --- appeals ----------------------------------------------------------------------------


def sanction_by_token(token: str) -> Sanction:
    if not isinstance(token, str) or not 10 <= len(token) <= 64:
        raise NotFound("No such decision.")
    found = Sanction.objects.filter(appeal_token=token).select_related("community__org").first()
    if found is None:
        raise NotFound("No such decision.")
    return found


def appeal_deadline(sanction: Sanction) -> datetime:
    return sanction.created_at + timedelta(days=sanction.community.appeal_days)


def _new_appeal(sanction: Sanction, text: str, recorded_by: User | None) -> Appeal:
    text = _clean(text, "appeal", 5000)
    if timezone.now() > appeal_deadline(sanction):
        raise Conflict(
            f"The time to appeal ended on {appeal_deadline(sanction):%Y-%m-%d} "
            f"({sanction.community.appeal_days} days after the decision)."
        )
    if sanction.overturned_at:
        raise Conflict("This decision was already overturned.")
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(sanction=sanction, text=text, recorded_by=recorded_by)
    except IntegrityError:
        raise Conflict("This decision has already been appealed.") from None
    record(
        "community.appeal",
        actor=recorded_by,
        org=sanction.community.org,
        obj=appeal,
        after={"sanction": sanction.pk, "member": sanction.member_id},
    )
    return appeal


@transaction.atomic
def appeal_by_member(token: str, text: str) -> Appeal:
    """The member's appeal through the link in the notice (no sign-in)."""
    return _new_appeal(sanction_by_token(token), text, None)


@transaction.atomic
def record_appeal(actor: AnyUser, sanction_id: int, text: str) -> Appeal:
    """An appeal a moderator received another way (e-mail, a message)."""
    sanction = get_sanction(actor, sanction_id)
    return _new_appeal(sanction, text, _person(actor))


def get_sanction(actor: AnyUser, sanction_id: int) -> Sanction:
    found = Sanction.objects.filter(pk=sanction_id).select_related("community__org").first()
    if found is None or staff_role(actor, found.community) is None:
        raise NotFound(f"No sanction {sanction_id}.")
    return found


def get_appeal(actor: AnyUser, appeal_id: int) -> Appeal:
    found = (
        Appeal.objects.filter(pk=appeal_id)
        .select_related("sanction__community__org", "sanction__member")
        .first()
    )
    if found is None or staff_role(actor, found.sanction.community) is None:
        raise NotFound(f"No appeal {appeal_id}.")
    return found


@transaction.atomic
def decide_appeal(actor: AnyUser, appeal_id: int, outcome: str, reasons: str) -> Appeal:
    """A different moderator (never the one who acted) upholds or overturns; the member is told."""
    appeal = get_appeal(actor, appeal_id)
    Appeal.objects.select_for_update().filter(pk=appeal.pk).first()
    sanction = appeal.sanction
    if appeal.decided_at is not None:
        raise Conflict("This appeal has been decided.")
    if sanction.actor_id is not None and sanction.actor_id == actor.pk:
        raise NotAllowed("You took this decision: a different moderator must decide the appeal.")
    if outcome not in AppealOutcome.values:
        raise Invalid("The outcome is upheld or overturned.")
    reasons = _clean(reasons, "reasons", MAX_REASON)
    community = sanction.community
    member = sanction.member
    applied: list[dict[str, Any]] = []
    now = timezone.now()
    if outcome == AppealOutcome.OVERTURNED:
        sanction.overturned_at = now
        sanction.save(update_fields=["overturned_at"])
        if sanction.step == Step.SUSPEND and sanction.restored_at is None:
            _restore(sanction, actor, "the appeal was upheld")
        elif sanction.step == Step.BAN:
            applied.append(
                {
                    "action": "unban",
                    "done": False,
                    "detail": f"Lift the ban on {member} by hand on the platform "
                    "(postguard's connectors do not lift bans).",
                }
            )
    text = (
        f"Your appeal against the {Step(sanction.step).label.lower()} of "
        f"{sanction.created_at:%Y-%m-%d} in {community.name} was decided by a moderator who "
        f"did not take the decision: {AppealOutcome(outcome).label.lower()}. Reasons: {reasons}"
    )
    applied.append(
        _public(_platform(community, "notice", lambda c: c.notice(member.remote_id, text)))
    )
    appeal.decided_by = _person(actor)
    appeal.decided_at = now
    appeal.outcome = outcome
    appeal.reasons = reasons
    appeal.save()
    record(
        "community.appeal_decided",
        actor=actor,
        org=community.org,
        obj=appeal,
        after={
            "sanction": sanction.pk,
            "outcome": outcome,
            "reasons": reasons,
            "sanction_actor": sanction.actor_id,
            "applied": applied,
        },
    )
    return appeal


def open_appeals(actor: AnyUser, community: Community) -> QuerySet[Appeal]:
    if staff_role(actor, community) is None:
        raise NotFound(f"No community {community.pk}.")
    return Appeal.objects.filter(
        sanction__community=community, decided_at__isnull=True
    ).select_related("sanction__member", "sanction__actor")


# --- member records ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberRecord:
    member: Member
    standing: Standing
    proposed: str
    messages: list[Message]
    reports: list[QueueItem]
    sanctions: list[Sanction]
    appeals: list[Appeal]


def get_member(actor: AnyUser, community: Community, member_id: int) -> Member:
    if staff_role(actor, community) is None:
        raise NotFound(f"No community {community.pk}.")
    found = Member.objects.filter(pk=member_id, community=community).first()
    if found is None:
        raise NotFound(f"No member {member_id}.")
    return found


def member_record(actor: AnyUser, community: Community, member_id: int) -> MemberRecord:
    member = get_member(actor, community, member_id)
    return MemberRecord(
        member=member,
        standing=standing(member),
        proposed=propose(member, None),
        messages=list(
            member.messages.filter(Q(removed_at__isnull=False) | ~Q(decision="pass"))[:100]
        ),
        reports=list(member.queue_items.all()[:100]),
        sanctions=list(member.sanctions.select_related("actor").all()),
        appeals=list(Appeal.objects.filter(sanction__member=member).select_related("decided_by")),
    )


def history(community: Community) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        org_id=community.org_id, action__startswith="community."
    ).order_by("-seq")


# --- retention --------------------------------------------------------------------------


def purge(now: datetime | None = None) -> int:
    """The periodic job: delete moderation records older than each community's retention
    (closed items, messages, sanctions no longer running, their appeals; then members with
    nothing left). The audit chain keeps the ids and provisions, never the texts."""
    now = now or timezone.now()
    removed = 0
    for community in Community.objects.all():
        cutoff = now - timedelta(days=community.retention_days)
        with transaction.atomic():
            items = QueueItem.objects.filter(community=community, closed_at__lt=cutoff)
            sanctions = (
                Sanction.objects.filter(community=community, created_at__lt=cutoff)
                .filter(Q(ends_at__isnull=True) | Q(ends_at__lt=cutoff))
                .exclude(step=Step.BAN, overturned_at__isnull=True)
            )
            appeals = Appeal.objects.filter(sanction__in=sanctions)
            messages = Message.objects.filter(community=community, created_at__lt=cutoff).exclude(
                queue_items__closed_at__isnull=True, queue_items__isnull=False
            )
            counts = {
                "items": items.count(),
                "sanctions": sanctions.count(),
                "appeals": appeals.count(),
                "messages": messages.count(),
            }
            if not any(counts.values()):
                continue
            appeals.delete()
            sanctions.delete()
            items.delete()
            messages.delete()
            Member.objects.filter(
                community=community,
                messages__isnull=True,
                sanctions__isnull=True,
                queue_items__isnull=True,
            ).delete()
            record(
                "community.purge",
                org=community.org,
                obj=community,
                after={"older_than": cutoff, **counts},
            )
            removed += sum(counts.values())
    return removed
