"""The append-only, hash-chained record of every action."""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    """One action: who, what, when, before and after.

    ``hash`` is sha256 over the canonical JSON of ``prev_hash`` and every other
    field (see services.entry_hash), so changing or removing a past entry
    breaks the chain from that point. Actor and organization are kept as plain
    numbers and names, not foreign keys: deleting a user must not rewrite the
    record through a cascade.

    ``mac`` is an HMAC of ``hash`` under the audit key (keys.py), which the
    database never holds: recomputing the hashes after an edit cannot recompute
    it. Entries recorded before the key existed have no MAC and are checked by
    hash only (and pinned by the first checkpoint, see checkpoints.py).
    """

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_name = models.CharField(max_length=150, blank=True)
    org_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16, blank=True, default="")
    mac = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ("seq",)
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} by {self.actor_name or 'system'}"


class AuditHead(models.Model):
    """The chain's last link, one row. Appending locks it, which serializes
    writers on PostgreSQL; verify compares it with the last entry, which
    detects entries cut off the end."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
