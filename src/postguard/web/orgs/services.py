"""Who belongs where, in which role, and who may speak on which channel.

Every function that changes something checks that the actor may do it
(``actor=None`` means the system itself: the CLI or the demo loader) and
records the change in the audit chain within the same transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from axes.models import AccessLog
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from postguard.web.audit.services import record
from postguard.web.errors import Conflict, Invalid, NotAllowed, NotFound
from postguard.web.orgs.models import (
    CHANNEL_ROLES,
    COMMITTEE_ROLES,
    ApiToken,
    ApprovalPolicy,
    Audience,
    Channel,
    Invitation,
    Membership,
    Network,
    Organization,
    PasswordResetRequest,
    Role,
)
from postguard.web.orgs.names import (
    MAX_USERNAME_CHARS,
    canonical_username,
    skeleton,
    username_problem,
)

AnyUser = User | AnonymousUser
#: Who may change members, roles and channels.
MANAGERS = frozenset({Role.ADMIN})
#: Who may authorize a member on a channel and change approval settings.
AUTHORIZERS = frozenset({Role.ADMIN, Role.CHAIR})
TOKEN_PREFIX = "pg_"
#: More approvals than this would stall every post.
MAX_REQUIRED_APPROVALS = 10


# --- looking up -----------------------------------------------------------


def membership(user: AnyUser, org: Organization) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user_id=user.pk, org=org).first()


def role_of(user: AnyUser, org: Organization) -> str | None:
    found = membership(user, org)
    return found.role if found else None


def memberships_of(user: AnyUser) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user_id=user.pk).select_related("org").order_by("org__name")


def primary_membership(user: AnyUser) -> Membership | None:
    """The organization a signed-in person works in by default (their first)."""
    return memberships_of(user).order_by("id").first()


def membership_in(user: AnyUser, org_id: int) -> Membership:
    """The person's membership of the organization ``org_id`` (404 when not a member)."""
    found = memberships_of(user).filter(org_id=org_id).first()
    if found is None:
        raise NotFound("You are not a member of that organization.")
    return found


def has_role(user: AnyUser, org: Organization, roles: Iterable[str]) -> bool:
    return role_of(user, org) in set(roles)


def is_committee(user: AnyUser, org: Organization) -> bool:
    return has_role(user, org, COMMITTEE_ROLES)


def _names(memberships: Iterable[Membership]) -> str:
    people = [m.user.get_full_name() or m.user.get_username() for m in memberships]
    if not people:
        return ""
    return people[0] if len(people) == 1 else ", ".join(people[:-1]) + " or " + people[-1]


def who_can_authorize(org: Organization) -> str:
    """A sentence naming the people who can authorize someone on a channel."""
    chair = Membership.objects.filter(org=org, role=Role.CHAIR).select_related("user")
    admins = Membership.objects.filter(org=org, role=Role.ADMIN).select_related("user")
    parts = []
    if chair:
        parts.append(f"the committee chair ({_names(chair)})")
    if admins:
        parts.append(f"an administrator ({_names(admins)})")
    if not parts:
        return "the Communications & Technical Standing Committee"
    return " or ".join(parts)


def require_member(user: AnyUser, org: Organization) -> Membership:
    found = membership(user, org)
    if found is None:
        raise NotFound("No such organization.")
    return found


def require_role(user: AnyUser, org: Organization, roles: Iterable[str], doing: str) -> Membership:
    found = require_member(user, org)
    allowed = set(roles)
    if found.role not in allowed:
        labels = ", ".join(sorted(Role(r).label.lower() for r in allowed))
        raise NotAllowed(f"Only a {labels} can {doing}.")
    return found


def _require_manager(
    actor: AnyUser | None, org: Organization, roles: Iterable[str], doing: str
) -> None:
    if actor is not None:
        require_role(actor, org, roles, doing)


def channels_for(user: AnyUser, org: Organization | None = None) -> QuerySet[Channel]:
    """The active channels this person is authorized to draft for (in ``org`` if given)."""
    if not user.is_authenticated:
        return Channel.objects.none()
    query = Channel.objects.filter(active=True, authorized__user_id=user.pk)
    if org is not None:
        query = query.filter(org=org)
    return query.select_related("org").distinct()


def can_draft(user: AnyUser, channel: Channel) -> bool:
    if not user.is_authenticated or not channel.active:
        return False
    return channel.authorized.filter(user_id=user.pk, role__in=CHANNEL_ROLES).exists()


def require_can_draft(user: AnyUser, channel: Channel) -> Membership:
    """IPALA policy section 1: only authorized members speak for the organization."""
    found = require_member(user, channel.org)
    if not channel.active:
        raise Conflict(f"The channel {channel.name} is not active.")
    if not can_draft(user, channel):
        raise NotAllowed(
            f"You are not authorized to draft for or respond on {channel.name}. "
            f"Only authorized members may use official channels (IPALA policy section 1); "
            f"ask {who_can_authorize(channel.org)} to authorize you."
        )
    return found


def org_channels(user: AnyUser, org: Organization) -> QuerySet[Channel]:
    """Every channel of an organization with its authorized members, for its administrators
    and chair."""
    require_role(user, org, AUTHORIZERS, "see the channels' settings")
    return Channel.objects.filter(org=org).prefetch_related("authorized__user")


def managed_channel(user: AnyUser, channel_id: int) -> Channel:
    """A channel whose settings this person may see: an administrator's or the chair's
    (404 for a channel of an organization they are not in)."""
    channel = get_channel(user, channel_id)
    require_role(user, channel.org, AUTHORIZERS, "see the channels' settings")
    return channel


def committee_size(org: Organization) -> int:
    """How many reviewers and chairs the organization has (who can approve)."""
    return Membership.objects.filter(org=org, role__in=COMMITTEE_ROLES).count()


def eligible_for_channels(org: Organization) -> QuerySet[Membership]:
    """The members who may be authorized on a channel: those with a posting role."""
    return (
        Membership.objects.filter(org=org, role__in=CHANNEL_ROLES)
        .select_related("user")
        .order_by("user__username")
    )


def get_channel(user: AnyUser, channel_id: int) -> Channel:
    """A channel of one of the person's organizations (404 otherwise)."""
    channel = Channel.objects.select_related("org").filter(pk=channel_id).first()
    if channel is None or membership(user, channel.org) is None:
        raise NotFound(f"No channel {channel_id}.")
    return channel


# --- snapshots for the record ----------------------------------------------


def _membership_data(m: Membership) -> dict[str, Any]:
    return {"user": m.user.get_username(), "org": m.org_id, "role": m.role}


def _channel_data(c: Channel) -> dict[str, Any]:
    return {
        "name": c.name,
        "network": c.network,
        "handle": c.handle,
        "audience": c.audience,
        "active": c.active,
        "authorized": sorted(m.user.get_username() for m in c.authorized.select_related("user")),
    }


def _policy_data(p: ApprovalPolicy) -> dict[str, Any]:
    return {
        "required_approvals": p.required_approvals,
        "chair_required": p.chair_required,
        "reply_required_approvals": p.reply_required_approvals,
        "reply_chair_required": p.reply_chair_required,
        "override_min_chars": p.override_min_chars,
        "crisis_deputy": p.crisis_deputy.get_username() if p.crisis_deputy else None,
    }


# --- changing ----------------------------------------------------------------


@transaction.atomic
def create_organization(
    name: str, *, slug: str = "", is_demo: bool = False, actor: AnyUser | None = None
) -> Organization:
    name = name.strip()
    if not name:
        raise Invalid("An organization needs a name.")
    slug = slug or slugify(name)[:60] or "org"
    if Organization.objects.filter(slug=slug).exists():
        raise Conflict(f"An organization with the short name {slug!r} exists already.")
    org = Organization.objects.create(name=name, slug=slug, is_demo=is_demo)
    policy = ApprovalPolicy.objects.create(org=org)
    record(
        "org.create",
        actor=actor,
        org=org,
        obj=org,
        after={"name": name, "slug": slug, "demo": is_demo, "approval": _policy_data(policy)},
    )
    return org


def crisis_deputy_candidates(org: Organization) -> QuerySet[Membership]:
    """Who may be named crisis deputy: the committee's reviewers (the chair has the
    crisis lane already)."""
    return (
        Membership.objects.filter(org=org, role=Role.REVIEWER)
        .select_related("user")
        .order_by("user__username")
    )


def _crisis_deputy(org: Organization, value: Any) -> User | None:
    """The deputy named by a user, a username or nothing ("" or None clears it)."""
    if value is None or value == "":
        return None
    username = value.get_username() if isinstance(value, User) else value
    if not isinstance(username, str):
        raise Invalid("The crisis deputy is named by their username.")
    found = crisis_deputy_candidates(org).filter(user__username=username).first()
    if found is None:
        raise Invalid(
            f"{username[:100]!r} is not a reviewer of {org.name}: the crisis deputy must be "
            "a committee reviewer (the chair approves crisis replies already)."
        )
    return found.user


def approval_policy(org: Organization) -> ApprovalPolicy:
    policy, _ = ApprovalPolicy.objects.get_or_create(org=org)
    return policy


@transaction.atomic
def update_approval_policy(
    actor: AnyUser | None, org: Organization, **changes: Any
) -> ApprovalPolicy:
    _require_manager(actor, org, AUTHORIZERS, "change how posts are approved")
    policy = approval_policy(org)
    before = _policy_data(policy)
    for key, value in changes.items():
        if key not in before:
            raise Invalid(f"Unknown approval setting {key!r}.")
        if key == "crisis_deputy":
            policy.crisis_deputy = _crisis_deputy(org, value)
            continue
        setattr(policy, key, value)
    if policy.required_approvals < 1 or policy.reply_required_approvals < 1:
        raise Invalid("At least one approval is required for every post and reply.")
    if max(policy.required_approvals, policy.reply_required_approvals) > MAX_REQUIRED_APPROVALS:
        raise Invalid(f"At most {MAX_REQUIRED_APPROVALS} approvals can be required.")
    if not 1 <= policy.override_min_chars <= 1000:
        raise Invalid("An override's justification must be between 1 and 1,000 characters long.")
    policy.save()
    record(
        "org.approval_policy",
        actor=actor,
        org=org,
        obj=policy,
        before=before,
        after=_policy_data(policy),
    )
    return policy


@transaction.atomic
def add_member(
    actor: AnyUser | None, org: Organization, user: User, role: str = Role.MEMBER
) -> Membership:
    _require_manager(actor, org, MANAGERS, "add members")
    if role not in Role.values:
        raise Invalid(f"Unknown role {role!r}; roles: {', '.join(Role.values)}.")
    try:
        with transaction.atomic():
            found = Membership.objects.create(user=user, org=org, role=role)
    except IntegrityError:
        raise Conflict(f"{user.get_username()} is already a member of {org.name}.") from None
    record("member.add", actor=actor, org=org, obj=found, after=_membership_data(found))
    return found


@transaction.atomic
def set_role(actor: AnyUser | None, target: Membership, role: str) -> Membership:
    _require_manager(actor, target.org, MANAGERS, "change roles")
    if role not in Role.values:
        raise Invalid(f"Unknown role {role!r}; roles: {', '.join(Role.values)}.")
    if (
        target.role == Role.ADMIN
        and role != Role.ADMIN
        and not Membership.objects.filter(org=target.org, role=Role.ADMIN)
        .exclude(pk=target.pk)
        .exists()
    ):
        raise Conflict("This is the organization's last administrator; appoint another first.")
    before = _membership_data(target)
    target.role = role
    target.save(update_fields=["role"])
    if role not in CHANNEL_ROLES:
        # A plain member speaks for nobody: drop their channel authorizations.
        for channel in target.channels.all():
            channel.authorized.remove(target)
    record(
        "member.role",
        actor=actor,
        org=target.org,
        obj=target,
        before=before,
        after=_membership_data(target),
    )
    return target


@transaction.atomic
def create_channel(
    actor: AnyUser | None,
    org: Organization,
    *,
    name: str,
    network: str,
    handle: str = "",
    audience: str = Audience.PUBLIC,
) -> Channel:
    _require_manager(actor, org, MANAGERS, "create channels")
    name, handle = _channel_fields(name, network, handle, audience)
    if Channel.objects.filter(org=org, name=name).exists():
        raise Conflict(f"{org.name} already has a channel called {name}.")
    channel = Channel.objects.create(
        org=org, name=name, network=network, handle=handle, audience=audience
    )
    record("channel.create", actor=actor, org=org, obj=channel, after=_channel_data(channel))
    return channel


def _channel_fields(name: str, network: str, handle: str, audience: str) -> tuple[str, str]:
    name = name.strip()
    handle = handle.strip()
    if not name:
        raise Invalid("A channel needs a name.")
    if len(name) > 120 or len(handle) > 200:
        raise Invalid("A channel's name is at most 120 characters and its handle 200.")
    if network not in Network.values:
        raise Invalid(f"Unknown network {network!r}; networks: {', '.join(Network.values)}.")
    if audience not in Audience.values:
        raise Invalid("The audience is public or closed.")
    return name, handle


@transaction.atomic
def update_channel(
    actor: AnyUser | None,
    channel: Channel,
    *,
    name: str,
    network: str,
    handle: str,
    audience: str,
    active: bool,
) -> Channel:
    """Change a channel's name, network, handle, audience, or switch it off."""
    _require_manager(actor, channel.org, MANAGERS, "change channels")
    channel = Channel.objects.select_for_update().select_related("org").get(pk=channel.pk)
    name, handle = _channel_fields(name, network, handle, audience)
    if Channel.objects.filter(org=channel.org, name=name).exclude(pk=channel.pk).exists():
        raise Conflict(f"{channel.org.name} already has a channel called {name}.")
    before = _channel_data(channel)
    channel.name, channel.network, channel.handle = name, network, handle
    channel.audience, channel.active = audience, active
    channel.save()
    after = _channel_data(channel)
    if after != before:
        record(
            "channel.update", actor=actor, org=channel.org, obj=channel, before=before, after=after
        )
    return channel


@transaction.atomic
def set_channel_members(
    actor: AnyUser | None, channel: Channel, members: Iterable[Membership]
) -> Channel:
    """Make ``members`` exactly the people authorized to draft and respond on the channel
    (IPALA policy section 1)."""
    _require_manager(actor, channel.org, AUTHORIZERS, "authorize members on a channel")
    wanted = {m.pk: m for m in members}
    for m in wanted.values():
        if m.org_id != channel.org_id:
            raise Invalid("That person is not a member of the channel's organization.")
        if m.role not in CHANNEL_ROLES:
            raise Conflict(
                f"{m.user.get_username()} is a member without a posting role; "
                "make them an authorized member first."
            )
    before = _channel_data(channel)
    current = set(channel.authorized.values_list("pk", flat=True))
    channel.authorized.remove(*[pk for pk in current if pk not in wanted])
    channel.authorized.add(*[m for pk, m in wanted.items() if pk not in current])
    after = _channel_data(channel)
    if after != before:
        record(
            "channel.authorized",
            actor=actor,
            org=channel.org,
            obj=channel,
            before=before,
            after=after,
        )
    return channel


@transaction.atomic
def set_channel_authorization(
    actor: AnyUser | None, channel: Channel, target: Membership, authorized: bool
) -> Channel:
    _require_manager(actor, channel.org, AUTHORIZERS, "authorize members on a channel")
    if target.org_id != channel.org_id:
        raise Invalid("That person is not a member of the channel's organization.")
    if authorized and target.role not in CHANNEL_ROLES:
        raise Conflict(
            f"{target.user.get_username()} is a member without a posting role; "
            "make them an authorized member first."
        )
    before = _channel_data(channel)
    if authorized:
        channel.authorized.add(target)
    else:
        channel.authorized.remove(target)
    record(
        "channel.authorize" if authorized else "channel.deauthorize",
        actor=actor,
        org=channel.org,
        obj=channel,
        before=before,
        after=_channel_data(channel),
    )
    return channel


# --- people, invitations ----------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_new_username(username: str) -> str:
    """The canonical form of a wanted user name, refused when it is taken, looks like
    a name that is taken, or uses characters outside the safe set."""
    name = canonical_username(username)
    problem = username_problem(name)
    if problem is not None and not 0 < len(name) <= MAX_USERNAME_CHARS:
        raise Invalid(problem)
    model = get_user_model()
    if model.objects.filter(username=name).exists():
        raise Conflict(f"The user name {name!r} is taken.")
    wanted = skeleton(name)
    # Few people per installation: comparing with every name is cheap, and it also
    # catches names made before the character set was restricted.
    for existing in model.objects.values_list("username", flat=True).iterator():
        if skeleton(existing) == wanted:
            raise Conflict(
                f"The user name {name!r} looks too much like the existing user name "
                f"{existing!r}; choose one that cannot be mistaken for it."
            )
    if problem is not None:
        raise Invalid(problem)
    return name


@transaction.atomic
def create_user(
    username: str,
    *,
    email: str = "",
    password: str | None = None,
    full_name: str = "",
    validate: bool = True,
) -> User:
    """A new person. The user name is stored in its canonical form (what sign-in
    looks up) and must pass :func:`check_new_username`."""
    model = get_user_model()
    username = check_new_username(username)
    first, _, last = full_name.strip().partition(" ")
    user = model(username=username, email=email.strip(), first_name=first, last_name=last)
    if password is None:
        user.set_unusable_password()
    else:
        if validate:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise Invalid(" ".join(exc.messages)) from None
        user.set_password(password)
    user.save()
    record("user.create", actor=None, obj=user, after={"username": username, "email": user.email})
    return user


@transaction.atomic
def invite(
    actor: AnyUser | None,
    org: Organization,
    email: str,
    role: str = Role.MEMBER,
    *,
    accept_url: str = "",
) -> tuple[str, Invitation]:
    """Create an invitation and mail its link; returns (token, invitation)."""
    _require_manager(actor, org, MANAGERS, "invite people")
    if role not in Role.values:
        raise Invalid(f"Unknown role {role!r}.")
    email = email.strip()
    if "@" not in email:
        raise Invalid("An invitation needs an email address.")
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        org=org,
        email=email,
        role=role,
        digest=_digest(token),
        invited_by=actor if isinstance(actor, User) else None,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    record(
        "invitation.create",
        actor=actor,
        org=org,
        obj=invitation,
        after={"email": email, "role": role},
    )
    link = (accept_url or "/invitations/") + token
    send_mail(
        f"You are invited to {org.name} on postguard",
        f"You have been invited to join {org.name} as {Role(role).label.lower()}.\n\n"
        f"Accept within {settings.INVITATION_DAYS} days: {link}\n",
        None,
        [email],
    )
    return token, invitation


def find_invitation(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("org").filter(digest=_digest(token)).first()
    if invitation is None or invitation.accepted_at is not None:
        raise NotFound("This invitation link is not valid (it may have been used already).")
    if invitation.expires_at <= timezone.now():
        raise Conflict("This invitation has expired; ask for a new one.")
    return invitation


@transaction.atomic
def accept_invitation(
    token: str, *, username: str, password: str, full_name: str = ""
) -> Membership:
    invitation = find_invitation(token)
    user = create_user(username, email=invitation.email, password=password, full_name=full_name)
    found = Membership.objects.create(user=user, org=invitation.org, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        "invitation.accept",
        actor=user,
        org=invitation.org,
        obj=found,
        after=_membership_data(found),
    )
    return found


# --- API tokens ----------------------------------------------------------------


@transaction.atomic
def create_token(
    user: User, name: str = "", *, actor: AnyUser | None = None
) -> tuple[str, ApiToken]:
    """A new personal API token; the plain token is returned once and never stored."""
    if actor is not None and actor.is_authenticated and actor.pk != user.pk:
        raise NotAllowed("You can only create API tokens for yourself.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(
        user=user, name=name, prefix=token[:10], digest=_digest(token)
    )
    record(
        "token.create",
        actor=actor or user,
        obj=api_token,
        after={"user": user.get_username(), "name": name, "prefix": api_token.prefix},
    )
    return token, api_token


def user_id_for_token(token: str) -> int | None:
    """The id of the active user whose unrevoked token this is, or None (one query)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    from postguard.web.orgs.token_lookup import user_id_for_digest

    return user_id_for_digest(_digest(token))


def user_for_token(token: str) -> User | None:
    user_id = user_id_for_token(token)
    if user_id is None:
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def tokens_of(user: AnyUser) -> QuerySet[ApiToken]:
    """A person's own API tokens, revoked ones too (newest first); never anyone else's."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


@transaction.atomic
def revoke_token(actor: User, token_id: int) -> ApiToken:
    found = ApiToken.objects.filter(pk=token_id, user_id=actor.pk, revoked_at__isnull=True).first()
    if found is None:
        raise NotFound(f"No active token {token_id}.")
    found.revoked_at = timezone.now()
    found.save(update_fields=["revoked_at"])
    record("token.revoke", actor=actor, obj=found, after={"prefix": found.prefix})
    return found


# --- password resets -------------------------------------------------------------


@transaction.atomic
def password_was_reset(user: User, address: str = "") -> None:
    """After a reset by mailed link: the record notes it, and the sign-in throttle
    forgets the failures under that name (the lockout page offers the reset). Having
    read the mail, the person counts as known at ``address``, so a lockout of that
    address as a whole does not keep them out either."""
    name = user.get_username()
    reset_sign_in_failures(name)
    if address:
        AccessLog.objects.create(
            username=name,
            ip_address=address,
            user_agent="(password reset)",
            http_accept="",
            path_info="",
        )
    record("auth.password_reset", actor=user, obj=user)


def reset_sign_in_failures(username: str) -> int:
    """Lift the sign-in lockouts of a name (from every address)."""
    return int(axes_reset(username=canonical_username(username)))


@transaction.atomic
def password_reset_allowed(email: str, address: str) -> bool:
    """Whether a password-reset mail may be sent for ``email`` asked from ``address``
    (the same answer whether or not the address belongs to anyone). Allowed requests
    count towards the limits; refused ones go into the record."""
    email = email.strip().lower()[:254]
    address = address[:64]
    now = timezone.now()
    since = now - timedelta(seconds=settings.PASSWORD_RESET_WINDOW_SECONDS)
    PasswordResetRequest.objects.filter(at__lt=since).delete()
    recent = PasswordResetRequest.objects.filter(at__gte=since)
    if (
        recent.filter(email=email).count() >= settings.PASSWORD_RESETS_PER_EMAIL
        or recent.filter(address=address).count() >= settings.PASSWORD_RESETS_PER_ADDRESS
    ):
        record("auth.password_reset_throttled", after={"email": email, "address": address})
        return False
    PasswordResetRequest.objects.create(email=email, address=address, at=now)
    return True


# --- administrators ----------------------------------------------------------------


@transaction.atomic
def create_admin(
    username: str, *, email: str, password: str, org_name: str = "", validate: bool = True
) -> Membership:
    """An administrator for the given organization (created if new), for real use."""
    orgs = Organization.objects.filter(is_demo=False)
    org = None
    if org_name:
        org = orgs.filter(name=org_name).first() or orgs.filter(slug=slugify(org_name)).first()
    elif orgs.count() == 1:
        org = orgs.first()
    elif orgs.count() > 1:
        raise Invalid("There are several organizations; say which with --org.")
    if org is None:
        org = create_organization(org_name or "IPALA")
    user = create_user(username, email=email, password=password, validate=validate)
    return add_member(None, org, user, Role.ADMIN)
