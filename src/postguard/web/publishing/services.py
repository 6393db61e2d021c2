"""Publishing approved posts on the networks, exactly once, and reading back what
the networks say about them.

* Channels are connected by an administrator (:func:`connect_bluesky`, or OAuth with
  :func:`oauth_start` / :func:`oauth_callback`); credentials are encrypted with the
  key from ``POSTGUARD_SECRETS_KEY`` and never shown again.
* The worker's scheduler calls :func:`enqueue_due`: each approved post that is due
  gets a :class:`Publication` intent (its idempotency key) and a queued task, in one
  transaction. The task runs :func:`publish_publication`, which checks again that
  the post may go out and then follows ``connectors.outbox.publish_with_intent``
  with :class:`DjangoOutbox` as its store.
* :func:`reconcile_pending` (at worker start) finishes intents that a dead worker
  left after an attempt: it asks the network first, and records what it finds.
* :func:`pull_inbound` hands replies and mentions to the inbox; :func:`pull_metrics`
  stores :class:`MetricSnapshot` rows.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from postguard.connectors import REGISTRY, UnknownNetwork, connector_class, make_connector
from postguard.connectors.base import (
    AuthError,
    Capabilities,
    Connector,
    ConnectorError,
    Credentials,
    Image,
    OutgoingPost,
    PermanentError,
    Published,
    ValidationError,
)
from postguard.connectors.crypto import DecryptionError, SecretBox, SecretsKeyError
from postguard.connectors.outbox import (
    CLOCK_SKEW,
    Intent,
    LeaseHeld,
    default_owner,
    new_idempotency_key,
    post_from_json,
    post_to_json,
    publish_with_intent,
)
from postguard.connectors.retry import Backoff, GaveUp, retry_read
from postguard.web.audit.services import record
from postguard.web.errors import Conflict, Invalid, NotAllowed, NotFound
from postguard.web.jobs import registered
from postguard.web.links import http_url
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel, Membership, Role
from postguard.web.orgs.timezones import local_time
from postguard.web.publishing.models import (
    ChannelCredential,
    ConnectionState,
    JobRun,
    MetricSnapshot,
    Publication,
    PublicationState,
)
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import Kind, OutboxItem, Post, State

log = logging.getLogger(__name__)
AnyUser = User | AnonymousUser

#: Who connects and disconnects channels.
CONNECTORS_ROLES = orgs.MANAGERS
#: In-process retries of one attempt; longer waits go back to the scheduler.
BACKOFF = Backoff(attempts=3, base=2.0, max_delay=30.0, max_wait=60.0)
#: The longest the scheduler waits before trying a transiently failing post again.
MAX_RETRY_DELAY = timedelta(hours=1)
#: A queued task that has not started after this long is queued again.
QUEUE_STALE = timedelta(minutes=10)
#: Posts whose metrics are still read.
METRICS_WINDOW = timedelta(days=30)
#: The test hook: after the network call, before the result is stored (never in production).
CRASH_HOOK_ENV = "POSTGUARD_TEST_PAUSE_AFTER_SEND"


# --- settings ------------------------------------------------------------------------------


def too_late_limit() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "POSTGUARD_PUBLISH_TOO_LATE_MINUTES", 120)))


def lease_length() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "POSTGUARD_PUBLISH_LEASE_SECONDS", 600)))


def expiry_warning() -> timedelta:
    return timedelta(days=int(getattr(settings, "POSTGUARD_TOKEN_EXPIRY_WARNING_DAYS", 7)))


def _box() -> SecretBox:
    try:
        return SecretBox.from_env()
    except SecretsKeyError as exc:
        raise Conflict(str(exc)) from None


# --- notifying -----------------------------------------------------------------------------


def _mail(users: Iterable[User | None], subject: str, body: str) -> None:
    addresses = sorted({u.email for u in users if u is not None and u.email})
    if not addresses:
        return
    # After commit, so that a rolled-back change sends nothing.
    transaction.on_commit(
        lambda: send_mail(f"[postguard] {subject}", body, None, addresses, fail_silently=True)
    )


def _people(channel: Channel, roles: Iterable[str]) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(org_id=channel.org_id, role__in=set(roles))
        .select_related("user")
        .order_by("id")
    ]


def _owners(channel: Channel) -> list[User]:
    """Who looks after a channel's connection: who connected it, and the administrators."""
    people = _people(channel, {Role.ADMIN})
    credential = ChannelCredential.objects.filter(channel=channel).first()
    if credential is not None and credential.connected_by is not None:
        people.insert(0, credential.connected_by)
    return people


# --- channels ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChannelStatus:
    channel: Channel
    display_name: str
    supported: bool
    capabilities: list[tuple[str, bool]]
    notes: tuple[str, ...]
    auth: str
    state: str
    state_label: str
    handle: str
    service: str
    expires_at: datetime | None
    connected_at: datetime | None
    connected_by: str
    last_error: str
    can_connect: bool
    oauth_configured: bool


def capabilities_of(network: str) -> Capabilities | None:
    try:
        return connector_class(network).capabilities
    except UnknownNetwork:
        return None


@dataclass(frozen=True, slots=True)
class NetworkFit:
    """How a text fits its channel's network: its length as the network counts it,
    the limit, and what would stop it there (each saying what to change)."""

    name: str
    length: int
    max_chars: int
    unit: str
    problems: tuple[str, ...]


def _limits_checker(channel: Channel) -> Connector | None:
    try:
        cls = connector_class(channel.network)
    except UnknownNetwork:
        return None
    # validate() needs only the class's limits and the channel's settings (an
    # instance's longer posts); the constructors open sessions, which a check of
    # the text must not do, so the base class alone initialises this one.
    checker = cls.__new__(cls)
    config = ChannelCredential.objects.filter(channel=channel).values_list("config", flat=True)
    Connector.__init__(checker, Credentials(), dict(config.first() or {}))
    return checker


def network_fit(
    channel: Channel,
    text: str,
    *,
    reply_to: str = "",
    images: tuple[Image, ...] = (),
    direct_to: str | None = None,
) -> NetworkFit | None:
    """The channel's network limits (length by its counting rules, number and size of
    images, alt text) applied to the text and images, by the connector's own
    validate(); None for a network without one."""
    checker = _limits_checker(channel)
    if checker is None:
        return None
    outgoing = OutgoingPost(
        text=text, images=images, reply_to=reply_to or None, direct_to=direct_to
    )
    limits = checker.limits
    max_chars = int(checker.settings.get("max_chars", limits.max_chars))
    return NetworkFit(
        name=checker.display_name,
        length=checker.text_length(text),
        max_chars=max_chars,
        unit=limits.char_unit,
        problems=tuple(checker.validate(outgoing)),
    )


def post_fit(post: Post) -> NetworkFit | None:
    """How a saved post (its text, images, and for a message its recipient) fits its
    channel's network."""
    from postguard.web.workflow.media import outgoing_images

    try:
        direct_to = workflow.message_recipient(post) if post.kind == Kind.MESSAGE else None
    except Invalid:
        direct_to = ""
    return network_fit(
        post.channel,
        post.text,
        reply_to=post.in_reply_to if post.kind == Kind.REPLY else "",
        images=outgoing_images(post),
        direct_to=direct_to,
    )


def require_fits_network(post: Post) -> None:
    """Refuse (Invalid) a post its network would refuse, before anyone approves it."""
    from postguard.web.workflow.media import outgoing_images

    reply_to = post.in_reply_to if post.kind == Kind.REPLY else ""
    direct_to = workflow.message_recipient(post) if post.kind == Kind.MESSAGE else None
    fit = network_fit(
        post.channel,
        post.text,
        reply_to=reply_to,
        images=outgoing_images(post),
        direct_to=direct_to,
    )
    if fit is not None and fit.problems:
        raise Invalid(
            f"{post.channel.name} cannot publish this post as it is: "
            + "; ".join(fit.problems)
            + ". Edit it first."
        )


def connection_problem(channel: Channel) -> str:
    """Why approved posts for the channel could not go out, or "" when they can:
    it was never connected, or the network refused its credentials. Only its
    administrators can fix that, so the reason names them."""
    if channel.org.is_demo or not settings.POSTGUARD_REQUIRE_CONNECTED_CHANNELS:
        # The demo's channels are made up: nothing of it is published anywhere.
        return ""
    credential = ChannelCredential.objects.filter(channel=channel).first()
    admins = ", ".join(u.get_username() for u in _people(channel, {Role.ADMIN}))
    who = f"an administrator of {channel.org.name}" + (f" ({admins})" if admins else "")
    if (
        credential is None
        or not credential.secret
        or (credential.state == ConnectionState.DISCONNECTED)
    ):
        return (
            f"{channel.name} is not connected to {channel.get_network_display()}, so an "
            f"approved post could not be published. Only {who} can connect it, on the "
            "channel's page."
        )
    if credential.state == ConnectionState.EXPIRED:
        reason = f" ({credential.last_error})" if credential.last_error else ""
        return (
            f"{channel.get_network_display()} refused postguard's credentials for "
            f"{channel.name}{reason}, so an approved post could not be published. Only "
            f"{who} can reconnect it, on the channel's page."
        )
    return ""


def require_publishable(post: Post) -> None:
    """Refuse (Conflict) to submit or approve what could never go out."""
    problem = connection_problem(post.channel)
    if problem:
        raise Conflict(problem)
    require_fits_network(post)


def _oauth_client(network: str) -> tuple[str, str]:
    prefix = f"POSTGUARD_OAUTH_{network.upper()}"
    return os.environ.get(f"{prefix}_CLIENT_ID", ""), os.environ.get(f"{prefix}_CLIENT_SECRET", "")


def channel_status(user: AnyUser, channel: Channel) -> ChannelStatus:
    """What the channel page shows about the connection (administrators and the chair)."""
    orgs.require_role(user, channel.org, orgs.AUTHORIZERS, "see the channels' settings")
    caps = capabilities_of(channel.network)
    credential = ChannelCredential.objects.filter(channel=channel).first()
    state = credential.state if credential else ConnectionState.DISCONNECTED
    cls = connector_class(channel.network) if caps is not None else None
    return ChannelStatus(
        channel=channel,
        display_name=cls.display_name if cls else channel.get_network_display(),
        supported=caps is not None,
        capabilities=caps.table() if caps else [],
        notes=caps.notes if caps else (),
        auth=caps.auth if caps else "",
        state=state,
        state_label=ConnectionState(state).label,
        handle=str((credential.config if credential else {}).get("handle", channel.handle)),
        service=str((credential.config if credential else {}).get("service", "")),
        expires_at=credential.expires_at if credential else None,
        connected_at=credential.connected_at if credential else None,
        connected_by=(
            credential.connected_by.get_username() if credential and credential.connected_by else ""
        ),
        last_error=credential.last_error if credential else "",
        can_connect=orgs.has_role(user, channel.org, CONNECTORS_ROLES),
        oauth_configured=bool(_oauth_client(channel.network)[0]),
    )


def _save_credentials(
    user: User | None,
    channel: Channel,
    credentials: Credentials,
    connector_settings: dict[str, Any],
) -> ChannelCredential:
    box = _box()
    now = timezone.now()
    with transaction.atomic():
        credential, _ = ChannelCredential.objects.update_or_create(
            channel=channel,
            defaults={
                "network": channel.network,
                "config": connector_settings,
                "secret": box.encrypt(credentials),
                "state": ConnectionState.CONNECTED,
                "expires_at": credentials.expires_at,
                "expiry_notified_for": None,
                "connected_at": now,
                "connected_by": user,
                "last_error": "",
            },
        )
        if connector_settings.get("handle") and channel.handle != connector_settings["handle"]:
            channel.handle = str(connector_settings["handle"])
            channel.save(update_fields=["handle"])
        # Posts held back by the broken connection go out now.
        Publication.objects.filter(channel=channel, state=PublicationState.PENDING).update(
            next_attempt_at=None
        )
        record(
            "channel.connect",
            actor=user,
            org=channel.org,
            obj=channel,
            # The settings are not secret; the credentials never enter the record.
            after={
                "network": channel.network,
                "settings": connector_settings,
                "expires_at": credentials.expires_at,
            },
        )
    return credential


def connect_bluesky(
    user: AnyUser,
    channel: Channel,
    *,
    handle: str,
    app_password: str,
    service: str = "https://bsky.social",
    watch: str = "",
) -> ChannelCredential:
    """Connect a Bluesky channel with an app password, checked by signing in.

    ``watch`` lists accounts (handles or DIDs) whose replies and likes are read
    directly from their repositories, for a PDS without an AppView."""
    orgs.require_role(user, channel.org, CONNECTORS_ROLES, "connect channels")
    assert isinstance(user, User)
    if channel.network != "bluesky":
        raise Invalid(f"{channel.name} is a {channel.get_network_display()} channel, not Bluesky.")
    handle = handle.strip().lstrip("@")
    app_password = app_password.strip()
    service = (service.strip() or "https://bsky.social").rstrip("/")
    if not handle or not app_password:
        raise Invalid("Give the account's handle and an app password.")
    if not service.startswith(("https://", "http://")):
        raise Invalid("The server address starts with https://.")
    watched = [w.strip().lstrip("@") for w in watch.replace("\n", ",").split(",") if w.strip()]
    connector_settings: dict[str, Any] = {"handle": handle, "service": service}
    if watched:
        connector_settings |= {"read_via": "repos", "watch_repos": watched}
    credentials = Credentials({"app_password": app_password})
    connector = make_connector("bluesky", credentials, connector_settings)
    try:
        connector.authenticate()
    except AuthError:
        raise Invalid(
            "Bluesky refused this handle and app password. Check the handle, and create a "
            "new app password (Settings → Privacy and security → App passwords)."
        ) from None
    except ConnectorError as exc:
        raise Conflict(f"Could not reach {service}: {exc}") from None
    finally:
        connector.close()
    return _save_credentials(user, channel, connector.credentials, connector_settings)


def disconnect(user: AnyUser, channel: Channel) -> None:
    orgs.require_role(user, channel.org, CONNECTORS_ROLES, "disconnect channels")
    assert isinstance(user, User)
    with transaction.atomic():
        updated = ChannelCredential.objects.filter(channel=channel).update(
            secret="", state=ConnectionState.DISCONNECTED, expires_at=None
        )
        if updated:
            record("channel.disconnect", actor=user, org=channel.org, obj=channel)


OAUTH_SESSION_KEY = "postguard_oauth"


def oauth_start(
    user: AnyUser, channel: Channel, session: Any, redirect_uri: str, *, instance: str = ""
) -> str:
    """The network's authorization URL; ``state`` (and the PKCE verifier) go in the session."""
    from postguard.connectors import oauth

    orgs.require_role(user, channel.org, CONNECTORS_ROLES, "connect channels")
    if channel.network == "mastodon":
        if not instance.startswith("https://"):
            raise Invalid("Give the Mastodon server's address (https://…).")
        provider = oauth.mastodon_provider(instance)
    elif channel.network in oauth.PROVIDERS:
        provider = oauth.PROVIDERS[channel.network]
    else:
        raise Invalid(f"{channel.get_network_display()} channels do not connect with OAuth.")
    client_id, _ = _oauth_client(channel.network)
    if not client_id:
        raise Conflict(
            f"OAuth for {channel.get_network_display()} is not configured: set "
            f"POSTGUARD_OAUTH_{channel.network.upper()}_CLIENT_ID and _CLIENT_SECRET."
        )
    state = oauth.new_state()
    verifier, challenge = oauth.pkce_pair() if provider.pkce else ("", None)
    session[OAUTH_SESSION_KEY] = {
        "state": state,
        "verifier": verifier,
        "channel": channel.pk,
        "instance": instance,
        "redirect_uri": redirect_uri,
    }
    return oauth.authorization_url(provider, client_id, redirect_uri, state, challenge)


def oauth_callback(user: AnyUser, session: Any, *, state: str, code: str) -> Channel:
    """Check ``state`` against the session, exchange the code, store the credentials."""
    from postguard.connectors import oauth

    pending = session.pop(OAUTH_SESSION_KEY, None)
    if not pending or not state or state != pending.get("state"):
        raise Invalid("This sign-in answer does not match a connection started here; start again.")
    if not code:
        raise Invalid("The network did not authorize the connection.")
    channel = orgs.get_channel(user, int(pending["channel"]))
    orgs.require_role(user, channel.org, CONNECTORS_ROLES, "connect channels")
    assert isinstance(user, User)
    client_id, client_secret = _oauth_client(channel.network)
    provider = (
        oauth.mastodon_provider(pending["instance"])
        if channel.network == "mastodon"
        else oauth.PROVIDERS[channel.network]
    )
    try:
        credentials = oauth.exchange_code(
            provider,
            code,
            client_id=client_id,
            client_secret=client_secret or None,
            redirect_uri=pending["redirect_uri"],
            code_verifier=pending.get("verifier") or None,
        )
    except AuthError as exc:
        raise Invalid(str(exc)) from None
    except ConnectorError as exc:
        raise Conflict(str(exc)) from None
    connector_settings: dict[str, Any] = {"handle": channel.handle}
    if pending.get("instance"):
        connector_settings["instance"] = pending["instance"]
    return _save_credentials(user, channel, credentials, connector_settings).channel


def connector_for(channel: Channel) -> Connector:
    """A connector signed in with the channel's stored credentials."""
    credential = ChannelCredential.objects.filter(channel=channel).first()
    if credential is None or not credential.secret:
        raise AuthError(f"{channel.name} is not connected: an administrator must connect it")
    if credential.state == ConnectionState.EXPIRED:
        raise AuthError(f"{channel.name}'s credentials stopped working: reconnect it")
    try:
        credentials = _box().decrypt(credential.secret)
    except (Conflict, DecryptionError) as exc:
        raise AuthError(str(exc)) from None
    if channel.network not in REGISTRY:
        raise PermanentError(f"postguard has no connector for {channel.get_network_display()}")
    return make_connector(channel.network, credentials, dict(credential.config))


def _keep_session(channel: Channel, connector: Connector) -> None:
    """Store refreshed tokens (a Bluesky session, a refreshed OAuth token)."""
    try:
        encrypted = _box().encrypt(connector.credentials)
    except Conflict:
        return
    ChannelCredential.objects.filter(channel=channel).update(
        secret=encrypted, expires_at=connector.credentials.expires_at
    )


def credentials_refused(channel: Channel, error: Exception) -> None:
    """The network refused the channel's credentials: mark it and tell its owners once."""
    with transaction.atomic():
        credential = ChannelCredential.objects.select_for_update().filter(channel=channel).first()
        if credential is None or credential.state == ConnectionState.EXPIRED:
            return
        credential.state = ConnectionState.EXPIRED
        credential.last_error = str(error)[:1000]
        credential.save(update_fields=["state", "last_error"])
        record(
            "channel.credentials_refused",
            org=channel.org,
            obj=channel,
            after={"error": credential.last_error},
        )
        _mail(
            _owners(channel),
            f"Reconnect the channel {channel.name}",
            f"{channel.get_network_display()} refused postguard's credentials for "
            f"{channel.name}: {error}\n\nPosts for this channel wait until an administrator "
            "connects it again on the channel's page.",
        )


def check_expiry(now: datetime | None = None) -> int:
    """Tell the owners of channels whose token expires soon (or has), once per expiry."""
    now = now or timezone.now()
    told = 0
    due = ChannelCredential.objects.filter(
        state=ConnectionState.CONNECTED, expires_at__lte=now + expiry_warning()
    ).select_related("channel", "channel__org", "connected_by")
    for credential in due:
        if credential.expiry_notified_for == credential.expires_at:
            continue
        channel = credential.channel
        assert credential.expires_at is not None
        expired = credential.expires_at <= now
        with transaction.atomic():
            credential.expiry_notified_for = credential.expires_at
            if expired:
                credential.state = ConnectionState.EXPIRED
            credential.save(update_fields=["expiry_notified_for", "state"])
            record(
                "channel.token_expired" if expired else "channel.token_expiring",
                org=channel.org,
                obj=channel,
                after={"expires_at": credential.expires_at},
            )
            when = f"{credential.expires_at:%Y-%m-%d %H:%M} UTC"
            _mail(
                _owners(channel),
                f"The {channel.name} connection {'has expired' if expired else 'expires soon'}",
                f"The access token of {channel.name} ({channel.get_network_display()}) "
                f"{'expired' if expired else 'expires'} on {when}. Connect the channel again "
                "on its page so that approved posts keep going out.",
            )
        told += 1
    return told


# --- publishing ----------------------------------------------------------------------------


class DjangoOutbox:
    """connectors.outbox.OutboxStore on the Publication model. Every method commits."""

    def _intent(self, pub: Publication) -> Intent:
        return Intent(
            key=pub.key,
            channel=str(pub.channel_id),
            post=post_from_json(pub.payload),
            created_at=pub.created_at,
            # A cancelled intent must never be sent: to the protocol it is a failure.
            state="failed" if pub.state == PublicationState.CANCELLED else pub.state,  # type: ignore[arg-type]
            attempts=pub.attempts,
            remote_id=pub.remote_id or None,
            url=pub.remote_url or None,
            published_at=pub.published_at,
            last_error=pub.last_error or None,
        )

    def add_intent(
        self, key: str, channel: str, post: OutgoingPost, created_at: datetime
    ) -> Intent:
        pub = Publication.objects.filter(key=key).first()
        if pub is None:  # intents are created by enqueue_due, with their post
            raise LookupError(f"no publication {key}")
        return self._intent(pub)

    def get(self, key: str) -> Intent | None:
        pub = Publication.objects.filter(key=key).first()
        return self._intent(pub) if pub else None

    def begin_attempt(self, key: str, owner: str, lease: timedelta) -> bool:
        now = timezone.now()
        taken = (
            Publication.objects.filter(key=key, state=PublicationState.PENDING)
            .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now) | Q(lease_owner=owner))
            .update(attempts=F("attempts") + 1, lease_owner=owner[:200], lease_until=now + lease)
        )
        return taken == 1

    def record_published(self, key: str, published: Published) -> None:
        with transaction.atomic():
            pub = Publication.objects.select_for_update().select_related("post").get(key=key)
            if pub.state == PublicationState.PUBLISHED:
                return
            pub.state = PublicationState.PUBLISHED
            pub.remote_id = published.remote_id
            # The network's answer is from outside: its URL is kept only when http(s).
            pub.remote_url = http_url(published.url) or ""
            pub.published_at = published.published_at
            pub.lease_owner, pub.lease_until, pub.last_error = "", None, ""
            pub.save()
            if pub.outbox_id is not None:
                OutboxItem.objects.filter(pk=pub.outbox_id).update(
                    remote_id=published.remote_id,
                    remote_url=pub.remote_url,
                    published_at=published.published_at,
                )
            post = Post.objects.select_for_update().get(pk=pub.post_id)
            before = workflow.snapshot(post)
            post.state = State.PUBLISHED
            post.save()
            record(
                "post.publish",
                org=post.org_id,
                obj=post,
                before=before,
                after={
                    **workflow.snapshot(post),
                    "remote_id": published.remote_id,
                    "url": published.url,
                    "attempts": pub.attempts,
                },
            )

    def record_failure(self, key: str, message: str, *, permanent: bool) -> None:
        fields: dict[str, Any] = {
            "last_error": message[:2000],
            "lease_owner": "",
            "lease_until": None,
        }
        if permanent:
            fields["state"] = PublicationState.FAILED
        Publication.objects.filter(key=key, state=PublicationState.PENDING).update(**fields)

    def unresolved(self, channel: str | None = None) -> list[Intent]:
        query = Publication.objects.filter(state=PublicationState.PENDING)
        if channel is not None:
            query = query.filter(channel_id=int(channel))
        return [self._intent(p) for p in query]


def _outgoing(item: OutboxItem, post: Post) -> OutgoingPost:
    from postguard.web.workflow.media import outgoing_images

    if post.kind == Kind.MESSAGE:
        return OutgoingPost(text=item.text, direct_to=workflow.message_recipient(post))
    reply_to = post.in_reply_to if post.kind == Kind.REPLY and post.in_reply_to else None
    return OutgoingPost(text=item.text, reply_to=reply_to, images=outgoing_images(post))


def enqueue_due(now: datetime | None = None) -> int:
    """Record an intent and queue a publishing task for every approved post that is due,
    and queue again the intents whose retry time has come. Returns how many were queued."""
    from postguard.web.publishing.tasks import publish_task

    now = now or timezone.now()
    queued = 0
    due = (
        OutboxItem.objects.filter(post__state=State.READY, due_at__lte=now)
        # A paused channel's posts wait for the channel to be resumed (publishing/pause.py).
        .filter(channel__paused_at__isnull=True)
        .exclude(
            publications__state__in=(PublicationState.PENDING, PublicationState.PUBLISHED),
        )
        .values_list("pk", flat=True)
    )
    for item_id in list(due[:200]):
        with transaction.atomic():
            item = (
                OutboxItem.objects.select_for_update()
                .select_related("post", "channel")
                .filter(pk=item_id)
                .first()
            )
            if item is None or item.post.state != State.READY:
                continue
            if item.publications.filter(
                state__in=(PublicationState.PENDING, PublicationState.PUBLISHED)
            ).exists():
                continue
            pub = Publication.objects.create(
                key=new_idempotency_key(),
                post=item.post,
                outbox=item,
                channel=item.channel,
                revision=item.revision,
                payload=post_to_json(_outgoing(item, item.post)),
                created_at=now,
                queued_at=now,
            )
            # Same transaction: the task exists exactly when the intent does.
            publish_task.enqueue(pub.pk)
            queued += 1
    _free_dead_leases()
    retry = (
        Publication.objects.filter(state=PublicationState.PENDING)
        .filter(channel__paused_at__isnull=True)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUE_STALE))
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    )
    for pub_id in list(retry.values_list("pk", flat=True)[:200]):
        with transaction.atomic():
            if (
                Publication.objects.filter(pk=pub_id, state=PublicationState.PENDING)
                .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - QUEUE_STALE))
                .update(queued_at=now)
            ):
                publish_task.enqueue(pub_id)
                queued += 1
    return queued


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _free_dead_leases() -> int:
    """A lease held by a worker process on this machine that no longer exists is freed at
    once, instead of waiting for it to run out."""
    host = socket.gethostname()
    freed = 0
    for pub_id, owner in Publication.objects.filter(
        state=PublicationState.PENDING, lease_owner__startswith=f"{host}:"
    ).values_list("pk", "lease_owner"):
        try:
            pid = int(owner.split(":")[1])
        except (IndexError, ValueError):
            continue
        if pid != os.getpid() and not _pid_alive(pid):
            freed += Publication.objects.filter(pk=pub_id, lease_owner=owner).update(
                lease_owner="", lease_until=None
            )
    return freed


def _recheck(pub: Publication, now: datetime) -> str | None:
    """Why this post must not go out now, or None. Run just before the network call."""
    post = pub.post
    item = pub.outbox
    channel = pub.channel
    if item is None or post.state not in (State.READY, State.SCHEDULED):
        return f"the post is no longer approved (it is {post.get_state_display().lower()})"
    if item.revision != post.revision or item.text != post.text or item.revision != pub.revision:
        return "the post changed after it was approved"
    if not workflow.approval_status(post).satisfied:
        return "the post's approvals do not cover its current revision"
    if not channel.active:
        return f"the channel {channel.name} is not active"
    if Channel.objects.filter(pk=channel.pk, paused_at__isnull=False).exists():
        # Read now, not from the queued row: a pause made after queueing holds it too.
        return "paused"
    if not orgs.can_draft(post.author, channel):
        return f"the author is no longer authorized on {channel.name}"
    if item.due_at > now:
        return "not_due"
    return None


def _too_late(pub: Publication, now: datetime) -> bool:
    return pub.outbox is not None and now - pub.outbox.due_at > too_late_limit()


def _cancel(pub: Publication, reason: str, *, reapprove: bool) -> None:
    with transaction.atomic():
        pub = (
            Publication.objects.select_for_update().select_related("post", "channel").get(pk=pub.pk)
        )
        if pub.state != PublicationState.PENDING:
            return
        pub.state = PublicationState.CANCELLED
        pub.last_error = reason
        pub.lease_owner, pub.lease_until = "", None
        pub.save()
        post = Post.objects.select_for_update().select_related("author", "org").get(pk=pub.post_id)
        before = workflow.snapshot(post)
        if reapprove and post.state in workflow.APPROVED_STATES:
            # Too late: the committee decides again (a new revision, so old approvals lapse).
            post.state = State.SUBMITTED
            post.revision += 1
            post.scheduled_at = None
            post.approved_at = None
            post.save()
        record(
            "post.publish_cancelled",
            org=post.org,
            obj=post,
            before=before,
            after={**workflow.snapshot(post), "reason": reason},
        )
        chairs = _people(pub.channel, {Role.CHAIR})
        _mail(
            [post.author, *chairs],
            f"Post #{post.pk} was not published",
            f"Post #{post.pk} on {pub.channel.name} was not published: {reason}."
            + (
                " It is back with the committee for approval; it goes out as soon as it "
                "is approved again (edit it first to choose a new time)."
                if reapprove
                else ""
            ),
        )


def _fail(pub: Publication, message: str) -> None:
    """A permanent failure: stop, send the post back to its author, tell the chair."""
    with transaction.atomic():
        Publication.objects.filter(pk=pub.pk, state=PublicationState.PENDING).update(
            state=PublicationState.FAILED,
            last_error=message[:2000],
            lease_owner="",
            lease_until=None,
        )
        post = Post.objects.select_for_update().select_related("author", "org").get(pk=pub.post_id)
        before = workflow.snapshot(post)
        if post.state in workflow.APPROVED_STATES:
            post.state = State.CHANGES_REQUESTED
            post.save()
        record(
            "post.publish_failed",
            org=post.org,
            obj=post,
            before=before,
            after={**workflow.snapshot(post), "error": message[:2000]},
        )
        _mail(
            [post.author, *_people(pub.channel, {Role.CHAIR})],
            f"Post #{post.pk} could not be published",
            f"{pub.channel.get_network_display()} refused post #{post.pk} on "
            f"{pub.channel.name}: {message}\n\nIt was not published. Edit it and submit "
            "it again.",
        )


def _retry_later(pub: Publication, message: str, retry_after: float | None) -> None:
    pub.refresh_from_db()
    delay = timedelta(minutes=2) * (2 ** min(max(pub.attempts - 1, 0), 5))
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    delay = min(delay, MAX_RETRY_DELAY)
    Publication.objects.filter(pk=pub.pk, state=PublicationState.PENDING).update(
        next_attempt_at=timezone.now() + delay, last_error=message[:2000]
    )


def _after_send_hook() -> Any:
    """The crash tests stop the worker between the network call and the record."""
    path = os.environ.get(CRASH_HOOK_ENV)
    if not path or getattr(settings, "PRODUCTION", False):
        return None

    def pause(published: Published) -> None:
        Path(path + ".reached").write_text(published.remote_id, encoding="utf-8")
        time.sleep(300)  # the test kills the worker here

    return pause


def publish_publication(pub_id: int, now: datetime | None = None) -> str:
    """Publish one intent, if it still may go out. Returns the outcome
    (``published``, ``failed``, ``cancelled``, ``retry``, ``busy``, ``waiting``)."""
    now = now or timezone.now()
    Publication.objects.filter(pk=pub_id).update(queued_at=None)
    pub = (
        Publication.objects.select_related("post", "post__author", "post__org", "outbox", "channel")
        .filter(pk=pub_id)
        .first()
    )
    if pub is None or pub.state != PublicationState.PENDING:
        return "done"
    if pub.lease_until is not None and pub.lease_until > now:
        return "busy"
    channel = pub.channel
    try:
        connector = connector_for(channel)
    except AuthError as exc:
        _retry_later(pub, str(exc), None)
        credentials_refused(channel, exc)
        return "waiting"
    except PermanentError as exc:
        _fail(pub, str(exc))
        return "failed"
    store = DjangoOutbox()
    try:
        if pub.attempts > 0:
            # An earlier attempt may have reached the network: what it says wins over
            # any check, because the post is already out.
            found = retry_read(
                lambda: connector.find_published(
                    pub.key, pub.created_at - CLOCK_SKEW, post_from_json(pub.payload)
                ),
                what=f"{connector.display_name} lookup",
                backoff=BACKOFF,
            )
            if found is not None:
                store.record_published(pub.key, found)
                return "published"
        refusal = _recheck(pub, now)
        if refusal in ("not_due", "paused"):
            return "waiting"
        if refusal is not None:
            _cancel(pub, refusal, reapprove=False)
            return "cancelled"
        if _too_late(pub, now):
            assert pub.outbox is not None
            _cancel(
                pub,
                f"it was due at {local_time(pub.outbox.due_at, pub.post.org)}, more than "
                f"{int(too_late_limit().total_seconds() // 60)} minutes ago",
                reapprove=True,
            )
            return "cancelled"
        publish_with_intent(
            store,
            connector,
            str(channel.pk),
            post_from_json(pub.payload),
            pub.key,
            owner=default_owner(),
            lease=lease_length(),
            backoff=BACKOFF,
            after_send=_after_send_hook(),
        )
    except LeaseHeld:
        return "busy"
    except (ValidationError, PermanentError) as exc:
        _fail(pub, str(exc))
        return "failed"
    except AuthError as exc:
        _retry_later(pub, str(exc), None)
        credentials_refused(channel, exc)
        return "waiting"
    except GaveUp as exc:
        _retry_later(pub, str(exc), exc.retry_after)
        return "retry"
    except ConnectorError as exc:
        _retry_later(pub, str(exc), getattr(exc, "retry_after", None))
        return "retry"
    finally:
        _keep_session(channel, connector)
        connector.close()
    return "published"


def reconcile_pending() -> dict[str, int]:
    """At worker start: finish every intent a dead worker left after an attempt, by
    looking it up on the network before anything is sent again."""
    _free_dead_leases()
    now = timezone.now()
    outcomes: dict[str, int] = {}
    leftovers = Publication.objects.filter(state=PublicationState.PENDING, attempts__gt=0).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    for pub_id in list(leftovers.values_list("pk", flat=True)):
        outcome = publish_publication(pub_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


# --- what the post page and the API show ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class PublicationView:
    state: str
    state_label: str
    url: str
    remote_id: str
    published_at: datetime | None
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    metrics: list[MetricSnapshot]


def publication_of(user: AnyUser, post: Post) -> PublicationView | None:
    """The publication record of a post the person may see (None before any)."""
    return publication_record(workflow.get_post(user, post.pk))


def publication_record(post: Post) -> PublicationView | None:
    """The publication record of a post the caller has already been allowed to see."""
    pub = post.publications.order_by("-created_at", "-id").first()
    item = OutboxItem.objects.filter(post=post).first()
    if pub is None and (item is None or not item.remote_id):
        return None
    metrics = (
        list(MetricSnapshot.objects.filter(outbox=item).order_by("-captured_at")[:10])
        if item is not None
        else []
    )
    url = (item.remote_url if item is not None and item.remote_url else "") or (
        pub.remote_url if pub else ""
    )
    return PublicationView(
        state=pub.state if pub else PublicationState.PUBLISHED,
        state_label=PublicationState(pub.state).label if pub else "Published",
        url=url,
        remote_id=(item.remote_id if item is not None else "") or (pub.remote_id if pub else ""),
        published_at=(item.published_at if item is not None else None)
        or (pub.published_at if pub else None),
        attempts=pub.attempts if pub else 0,
        last_error=pub.last_error if pub else "",
        next_attempt_at=pub.next_attempt_at if pub else None,
        metrics=metrics,
    )


def publication_for(user: AnyUser, post_id: int) -> tuple[Post, PublicationView | None]:
    """A post the person may see and its publication record (None before any)."""
    post = workflow.get_post(user, post_id)
    return post, publication_record(post)


# --- reading back --------------------------------------------------------------------------


def _connected(channel: Channel) -> bool:
    return (
        ChannelCredential.objects.filter(channel=channel, state=ConnectionState.CONNECTED)
        .exclude(secret="")
        .exists()
    )


#: The agreed seam says source="connector"; the inbox's choices name it "pull".
_INBOUND_SOURCE = "pull"


def pull_inbound(channel: Channel) -> int:
    """Replies, comments and mentions since the last pull, handed to the inbox."""
    try:
        from postguard.web.inbox.services import ingest
    except ImportError:
        log.warning("the inbox is not installed; replies on %s are not pulled", channel.name)
        return 0
    credential = ChannelCredential.objects.get(channel=channel)
    try:
        with connector_for(channel) as connector:
            items, cursor = retry_read(
                lambda: connector.fetch_inbound(credential.inbound_cursor or None),
                what=f"{connector.display_name} replies",
                backoff=BACKOFF,
            )
            _keep_session(channel, connector)
    except AuthError as exc:
        credentials_refused(channel, exc)
        return 0
    with transaction.atomic():
        if items:
            ingest(channel, items, source=_INBOUND_SOURCE)
        ChannelCredential.objects.filter(pk=credential.pk).update(
            inbound_cursor=cursor or "", inbound_pulled_at=timezone.now()
        )
    return len(items)


def pull_metrics(channel: Channel, now: datetime | None = None) -> int:
    """One snapshot per recently published post, and one of the account."""
    now = now or timezone.now()
    items = {
        i.remote_id: i
        for i in OutboxItem.objects.filter(
            channel=channel,
            deleted_at__isnull=True,
            published_at__gte=now - METRICS_WINDOW,
        )
        .exclude(remote_id="")
        # A private message has no public counts (and no post id the network knows).
        .exclude(post__kind=Kind.MESSAGE)
    }
    try:
        with connector_for(channel) as connector:
            # A post deleted on the network itself is recorded as such (web.takedown),
            # and its counts are no longer asked for.
            from postguard.web.takedown.services import notice_deleted

            for remote_id in notice_deleted(channel, connector, items):
                items.pop(remote_id, None)
            counts = (
                retry_read(
                    lambda: connector.post_metrics(list(items)),
                    what=f"{connector.display_name} metrics",
                    backoff=BACKOFF,
                )
                if items
                else []
            )
            account = retry_read(
                connector.account_metrics,
                what=f"{connector.display_name} followers",
                backoff=BACKOFF,
            )
            _keep_session(channel, connector)
    except AuthError as exc:
        credentials_refused(channel, exc)
        return 0
    rows = [
        MetricSnapshot(
            channel=channel,
            outbox=items[m.remote_id],
            captured_at=now,
            impressions=m.impressions,
            reach=m.reach,
            likes=m.likes,
            comments=m.comments,
            shares=m.shares,
            link_clicks=m.link_clicks,
            saves=m.saves,
        )
        for m in counts
        if m.remote_id in items
    ]
    rows.append(MetricSnapshot(channel=channel, captured_at=now, followers=account.followers))
    with transaction.atomic():
        MetricSnapshot.objects.bulk_create(rows)
        ChannelCredential.objects.filter(channel=channel).update(metrics_pulled_at=now)
    return len(rows)


def connected_channels() -> list[Channel]:
    return [
        c
        for c in Channel.objects.filter(active=True, credential__state=ConnectionState.CONNECTED)
        .exclude(credential__secret="")
        .select_related("org")
        if c.network in REGISTRY
    ]


def pull_all(what: str) -> int:
    """Run ``pull_inbound`` or ``pull_metrics`` on every connected channel; one channel's
    failure does not stop the others."""
    total = 0
    for channel in connected_channels():
        try:
            total += pull_inbound(channel) if what == "inbound" else pull_metrics(channel)
        except Exception:
            log.exception("pulling %s from %s failed", what, channel.name)
    return total


# --- periodic jobs -------------------------------------------------------------------------


def run_due_jobs(now: datetime | None = None) -> list[str]:
    """Run every registered periodic job whose time has come, once across all workers:
    the job's row is claimed (locked, skipped when another worker holds it) and its
    last run moved forward before the job runs."""
    now = now or timezone.now()
    ran = []
    for job in registered():
        JobRun.objects.get_or_create(name=job.name)
        with transaction.atomic():
            run = JobRun.objects.select_for_update(skip_locked=True).filter(name=job.name).first()
            if run is None or (run.last_run_at is not None and run.last_run_at + job.every > now):
                continue
            run.last_run_at = now
            run.save(update_fields=["last_run_at"])
        try:
            job.func()
        except Exception as exc:
            log.exception("periodic job %s failed", job.name)
            JobRun.objects.filter(name=job.name).update(last_error=f"{type(exc).__name__}: {exc}")
        else:
            JobRun.objects.filter(name=job.name).update(last_error="")
        ran.append(job.name)
    return ran


def require_channel(user: AnyUser, channel_id: int) -> Channel:
    """A channel whose connection this person may see (404 outside their organization)."""
    channel = orgs.get_channel(user, channel_id)
    if not user.is_authenticated:
        raise NotFound("No such channel.")
    if not orgs.has_role(user, channel.org, orgs.AUTHORIZERS):
        raise NotAllowed("Only an administrator or the committee chair sees channel connections.")
    return channel


# --- the API's channel list ----------------------------------------------------------------


def visible_channels(user: AnyUser) -> QuerySet[Channel]:
    """The channels this person works with: every channel of an organization they
    administer or chair, and elsewhere those they are authorized on."""
    if not user.is_authenticated:
        return Channel.objects.none()
    managed = Membership.objects.filter(user_id=user.pk, role__in=orgs.AUTHORIZERS).values("org_id")
    return (
        Channel.objects.filter(Q(org_id__in=managed) | Q(authorized__user_id=user.pk))
        .select_related("org")
        .distinct()
    )


@dataclass(frozen=True, slots=True)
class ChannelSummary:
    """What any of a channel's people may know about it: whether approved posts can go
    out (and if not why, and who can fix it) and what its network supports."""

    state: str
    state_label: str
    expires_at: datetime | None
    problem: str
    supported: bool
    display_name: str
    capabilities: dict[str, bool]
    notes: tuple[str, ...]
    max_chars: int | None
    char_unit: str
    max_images: int | None


def channel_summary(channel: Channel) -> ChannelSummary:
    """For a channel the caller has already been allowed to see (visible_channels)."""
    credential = ChannelCredential.objects.filter(channel=channel).first()
    state = credential.state if credential else ConnectionState.DISCONNECTED
    caps = capabilities_of(channel.network)
    checker = _limits_checker(channel)
    flags = (
        {
            f.name: bool(getattr(caps, f.name))
            for f in dataclass_fields(caps)
            if isinstance(getattr(caps, f.name), bool)
        }
        if caps
        else {}
    )
    return ChannelSummary(
        state=state,
        state_label=ConnectionState(state).label,
        expires_at=credential.expires_at if credential else None,
        problem=connection_problem(channel),
        supported=caps is not None,
        display_name=checker.display_name if checker else channel.get_network_display(),
        capabilities=flags,
        notes=caps.notes if caps else (),
        max_chars=int(checker.settings.get("max_chars", checker.limits.max_chars))
        if checker
        else None,
        char_unit=checker.limits.char_unit if checker else "",
        max_images=checker.limits.max_images if checker else None,
    )
