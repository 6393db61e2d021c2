"""Channel credentials, publication intents (the outbox protocol's store), metrics
snapshots and the periodic jobs' last runs. Logic lives in services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from postguard.web.orgs.models import Channel
from postguard.web.workflow.models import OutboxItem, Post


class ConnectionState(models.TextChoices):
    CONNECTED = "connected", "Connected"
    EXPIRED = "expired", "Credentials expired or refused"
    DISCONNECTED = "disconnected", "Disconnected"


class ChannelCredential(models.Model):
    """How postguard signs in to a channel's account. ``secret`` is encrypted with the
    key from POSTGUARD_SECRETS_KEY; nothing else here is secret."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="credential")
    network = models.CharField(max_length=20)
    #: The connector's settings (service URL, handle, read mode, ...); never a secret.
    config = models.JSONField(default=dict, blank=True)
    secret = models.TextField(blank=True)
    state = models.CharField(
        max_length=20, choices=ConnectionState.choices, default=ConnectionState.CONNECTED
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    #: The expiry that the owner was last told about (so that they are told once).
    expiry_notified_for = models.DateTimeField(null=True, blank=True)
    connected_at = models.DateTimeField()
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_error = models.TextField(blank=True)
    inbound_cursor = models.TextField(blank=True)
    inbound_pulled_at = models.DateTimeField(null=True, blank=True)
    metrics_pulled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"credentials of {self.channel}"


class PublicationState(models.TextChoices):
    PENDING = "pending", "Publishing"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Not published"
    #: Taken down by postguard (web.takedown).
    DELETED = "deleted", "Taken down"
    #: Found gone at a read-back: someone deleted it on the network itself.
    DELETED_ON_NETWORK = "deleted_on_network", "Deleted on the network"


class Publication(models.Model):
    """One intent to publish one outbox item: recorded before the network call, with an
    idempotency key the network keeps, and reconciled after it (connectors.outbox)."""

    key = models.CharField(max_length=64, unique=True)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="publications")
    #: Kept when the item is removed (an edit), so that an intent in flight is not lost.
    outbox = models.ForeignKey(
        OutboxItem, null=True, on_delete=models.SET_NULL, related_name="publications"
    )
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="publications")
    revision = models.PositiveIntegerField()
    #: The OutgoingPost as JSON (connectors.outbox.post_to_json): exactly what is sent.
    payload = models.TextField()
    state = models.CharField(
        max_length=20, choices=PublicationState.choices, default=PublicationState.PENDING
    )
    created_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    lease_owner = models.CharField(max_length=200, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    #: When a task for it was put in the queue (cleared when the task starts).
    queued_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    remote_id = models.CharField(max_length=500, blank=True)
    remote_url = models.URLField(max_length=1000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = (models.Index(fields=["state", "next_attempt_at"]),)

    def __str__(self) -> str:
        return f"publication {self.key[:8]} of post #{self.post_id}"


class MetricSnapshot(models.Model):
    """Counts read from a network at one moment: per published item, or for the
    channel's account (``outbox`` empty). ``None`` means the network does not say."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="metrics")
    outbox = models.ForeignKey(
        OutboxItem, null=True, blank=True, on_delete=models.CASCADE, related_name="metrics"
    )
    captured_at = models.DateTimeField(db_index=True)
    impressions = models.PositiveIntegerField(null=True, blank=True)
    reach = models.PositiveIntegerField(null=True, blank=True)
    likes = models.PositiveIntegerField(null=True, blank=True)
    comments = models.PositiveIntegerField(null=True, blank=True)
    shares = models.PositiveIntegerField(null=True, blank=True)
    link_clicks = models.PositiveIntegerField(null=True, blank=True)
    saves = models.PositiveIntegerField(null=True, blank=True)
    followers = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("captured_at", "id")
        indexes = (models.Index(fields=["channel", "outbox", "captured_at"]),)

    def __str__(self) -> str:
        return f"metrics of {self.channel} at {self.captured_at:%Y-%m-%d %H:%M}"


class JobRun(models.Model):
    """When a periodic job (web.jobs) last started, shared by every worker."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name
