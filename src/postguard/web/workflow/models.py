"""Posts and replies for official channels, their reviews, comments and outbox.

The state machine and its rules live in services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from postguard.web.orgs.models import Channel, Organization


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    REJECTED = "rejected", "Rejected"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    READY = "ready", "Ready to publish"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"
    EXPIRED = "expired", "Expired"


class Kind(models.TextChoices):
    POST = "post", "Post"
    REPLY = "reply", "Reply"
    #: A private message to the person who wrote an inbox item (where the network allows).
    MESSAGE = "message", "Private message"


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve"
    REQUEST_CHANGES = "request_changes", "Request changes"
    REJECT = "reject", "Reject"


class Post(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="posts")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.POST)
    #: For a reply: the address or id of what it answers.
    in_reply_to = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    #: Bumped whenever what goes out changes (text or schedule); reviews count only for
    #: the revision (and content hash) they saw.
    revision = models.PositiveIntegerField(default=1)
    #: The engine's findings for the current text (Finding.to_dict() each).
    findings = models.JSONField(default=list, blank=True)
    decision = models.CharField(max_length=10, default="pass")
    scheduled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = (
            "-updated_at",
            "-id",
        )
        indexes = (
            models.Index(fields=["org", "state"]),
            models.Index(fields=["state", "scheduled_at"]),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} on {self.channel.name}"


class Review(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    revision = models.PositiveIntegerField()
    #: services.content_hash_of the post as the reviewer read it (empty on reviews
    #: recorded before it was kept).
    content_hash = models.CharField(max_length=64, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.TextField(blank=True)
    #: The chair's written reason for approving despite a block finding.
    override_justification = models.TextField(blank=True)
    #: The same, rule by rule ({rule id: reason}): each block finding is justified on
    #: its own. Reviews from before it was kept have only the text above.
    override_justifications = models.JSONField(default=dict, blank=True)
    reviewer_role = models.CharField(max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = (
            "created_at",
            "id",
        )


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="post_comments"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = (
            "created_at",
            "id",
        )


class OutboxItem(models.Model):
    """An approved post waiting to be published, exactly as it was approved."""

    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="outbox")
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="outbox")
    text = models.TextField()
    revision = models.PositiveIntegerField()
    due_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The publication record, filled in by the publishing worker. ``text`` stays
    # exactly as published, also after the post is deleted from the network.
    remote_id = models.CharField(max_length=500, blank=True, db_index=True)
    remote_url = models.URLField(max_length=1000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = (
            "due_at",
            "id",
        )


class PersonalCheck(models.Model):
    """A check of a post meant for a member's personal account, kept only because
    the member chose to; nobody else sees it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_checks"
    )
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    kind = models.CharField(max_length=10, default="post")
    audience = models.CharField(max_length=10, default="public")
    findings = models.JSONField(default=list, blank=True)
    decision = models.CharField(max_length=10, default="pass")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = (
            "-created_at",
            "-id",
        )

    def __str__(self) -> str:
        return f"personal check #{self.pk} of {self.user}"


class PostImage(models.Model):
    """An image attached to a post, kept under MEDIA_ROOT (never served publicly: only
    to those who may see the post). Part of what is approved (content_hash_of)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveSmallIntegerField(default=0)
    #: sha256 of the bytes; the file is stored under it (posts/<sha256>.<ext>).
    sha256 = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    #: What the person uploaded it as (shown only, never used as a path).
    filename = models.CharField(max_length=200, blank=True)
    mime = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt = models.TextField(blank=True)
    #: A reference to the recorded consent of the people shown (a form number).
    consent = models.CharField(max_length=200, blank=True)
    #: Who made the image, when it is someone else's work.
    credit = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return f"image {self.position + 1} of post #{self.post_id}"
