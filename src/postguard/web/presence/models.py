"""Presence monitoring (IPALA policy, "monitor and evaluate"; IBLCE advisory opinion,
"monitor their own presence online"): what to watch for, where, and what was found.
Logic lives in services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from postguard.web.inbox.models import InboxItem
from postguard.web.orgs.models import Channel, Organization


class TermKind(models.TextChoices):
    NAME = "name", "The association's name"
    HANDLE = "handle", "The association's handle"
    HASHTAG = "hashtag", "Campaign hashtag"
    PERSONAL = "personal", "A member's own name or practice"


class WatchTerm(models.Model):
    """A word or phrase to look for. ``owner`` empty: the association's term (its mentions
    go to the inbox); set: a member's own term (its mentions go to that member only)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="watch_terms")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="watch_terms",
    )
    text = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=TermKind.choices)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("org_id", "kind", "text", "id")

    def __str__(self) -> str:
        return self.text


class SourceKind(models.TextChoices):
    FEED = "feed", "RSS or Atom feed"
    PAGE = "page", "Web page (change detection)"
    NETWORK = "network", "A connected channel's search and hashtag timelines"


class WatchSource(models.Model):
    """Where to look, how often, and how the last look went."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="watch_sources")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=SourceKind.choices)
    #: Feeds and pages: the address fetched.
    url = models.URLField(max_length=1000, blank=True)
    #: Network searches: the connected channel whose account searches.
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="watch_sources"
    )
    every_minutes = models.PositiveIntegerField(default=5)
    active = models.BooleanField(default=True)
    #: Conditional GET (feeds and pages).
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    #: Network searches: the connector's opaque cursor.
    cursor = models.TextField(blank=True)
    #: Pages: the hash of the whole text, and the hashes of its blocks, as last seen.
    page_hash = models.CharField(max_length=64, blank=True)
    page_blocks = models.JSONField(default=list, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("org_id", "name")
        constraints = (models.UniqueConstraint(fields=["org", "name"], name="watch_source_name"),)

    def __str__(self) -> str:
        return self.name


class Mention(models.Model):
    """Something said elsewhere that names a watched term. One per (source, key) for the
    association, and one per (source, key, owner) for a member's own terms."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="mentions")
    source = models.ForeignKey(WatchSource, on_delete=models.CASCADE, related_name="mentions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="mentions",
    )
    #: What makes it the same mention on the next poll: the entry's id, its link, or a hash.
    key = models.CharField(max_length=64)
    url = models.URLField(max_length=1000, blank=True)
    author = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    terms = models.JSONField(default=list, blank=True)
    categories = models.JSONField(default=list, blank=True)
    findings = models.JSONField(default=list, blank=True)
    priority = models.PositiveSmallIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField(db_index=True)
    inbox_item = models.ForeignKey(
        InboxItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentions"
    )

    class Meta:
        ordering = ("-found_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["source", "key"],
                condition=Q(owner__isnull=True),
                name="mention_once_for_the_org",
            ),
            models.UniqueConstraint(
                fields=["source", "key", "owner"],
                condition=Q(owner__isnull=False),
                name="mention_once_per_member",
            ),
        )

    def __str__(self) -> str:
        return self.title or self.text[:60]
