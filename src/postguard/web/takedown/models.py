"""Archive items imported from an archive report, the personal channels members claim,
and take-down intents (the outbox protocol applied to deletions). Logic: services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from postguard.web.orgs.models import Channel, Organization
from postguard.web.publishing.models import Publication


class PersonalChannel(models.Model):
    """A channel that is a member's own account, not the association's: only that
    member sees its archive and decides what is taken down from it."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="personal")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.channel} of {self.owner}"


class ArchiveImport(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="archive_imports")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField()
    source = models.CharField(max_length=300, blank=True)
    lines = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    #: The first problems, one line each ("line 12: ...").
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-imported_at", "-id")

    def __str__(self) -> str:
        return f"archive import {self.pk} for {self.channel}"


class ArchiveItem(models.Model):
    """One past post from an archive report, with the findings the engine gave it."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="archive_items")
    source = models.ForeignKey(
        ArchiveImport, null=True, on_delete=models.SET_NULL, related_name="items"
    )
    #: The report's id: "<network>:<remote_id>".
    key = models.CharField(max_length=600)
    network = models.CharField(max_length=20)
    remote_id = models.CharField(max_length=500)
    #: Kept only when it is an http(s) address (web.links).
    url = models.URLField(max_length=1000, blank=True)
    date = models.DateTimeField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    kind = models.CharField(max_length=20, blank=True)
    text = models.TextField()
    decision = models.CharField(max_length=10)
    findings = models.JSONField(default=list, blank=True)
    #: 3 block, 2 review, 1 advise, 0 nothing: the list shows the worst first.
    worst = models.PositiveSmallIntegerField(default=0)
    finding_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ("-worst", "-finding_count", "-date", "id")
        constraints = (
            models.UniqueConstraint(fields=["channel", "key"], name="one_archive_item_per_key"),
        )

    def __str__(self) -> str:
        return f"archive item {self.key}"


class ArchiveFinding(models.Model):
    """One rule an archive item breaks (for filtering by rule)."""

    item = models.ForeignKey(ArchiveItem, on_delete=models.CASCADE, related_name="rules")
    rule = models.CharField(max_length=200, db_index=True)
    severity = models.CharField(max_length=10)

    def __str__(self) -> str:
        return f"{self.rule} on {self.item_id}"


class TakeDownState(models.TextChoices):
    REQUESTED = "requested", "Waiting for the chair or an administrator"
    PENDING = "pending", "Being deleted"
    DELETED = "deleted", "Deleted"
    ALREADY_GONE = "already_gone", "Already gone from the network"
    FAILED = "failed", "Failed"
    DECLINED = "declined", "Declined"


#: States that hold the post: no second take-down of it is recorded meanwhile.
ACTIVE_STATES = (
    TakeDownState.REQUESTED,
    TakeDownState.PENDING,
    TakeDownState.DELETED,
    TakeDownState.ALREADY_GONE,
)
DONE_STATES = (TakeDownState.DELETED, TakeDownState.ALREADY_GONE)


class TakeDown(models.Model):
    """One intent to delete one post from its network: recorded before the call, claimed
    with a lease (attempts counted) before it, and finished from what the network says."""

    key = models.CharField(max_length=64, unique=True)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="takedowns")
    item = models.ForeignKey(
        ArchiveItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="takedowns"
    )
    publication = models.ForeignKey(
        Publication, null=True, blank=True, on_delete=models.SET_NULL, related_name="takedowns"
    )
    remote_id = models.CharField(max_length=500)
    url = models.URLField(max_length=1000, blank=True)
    #: The post's text as it was, kept after it is gone.
    text = models.TextField()
    reason = models.TextField()
    state = models.CharField(
        max_length=20, choices=TakeDownState.choices, default=TakeDownState.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    lease_owner = models.CharField(max_length=200, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-requested_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["channel", "remote_id"],
                condition=Q(state__in=["requested", "pending", "deleted", "already_gone"]),
                name="one_live_takedown_per_post",
            ),
        )
        indexes = (models.Index(fields=["state", "next_attempt_at"]),)

    def __str__(self) -> str:
        return f"take-down {self.key[:8]} of {self.remote_id}"
