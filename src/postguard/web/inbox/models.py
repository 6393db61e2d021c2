"""The inbox (IPALA policy section 3): inbound items, escalation rules,
notifications, playbooks and cases. Logic lives in services.py, notify.py,
hooks.py and surge.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from postguard.web.inbox import vault
from postguard.web.orgs.models import Channel, Organization, Role
from postguard.web.workflow.models import OutboxItem


class Source(models.TextChoices):
    PULL = "pull", "Pulled by the connector"
    WEBHOOK = "webhook", "Received by webhook"
    IMPORT = "import", "Imported from an export"
    DEMO = "demo", "Demo data"


class ItemKind(models.TextChoices):
    REPLY = "reply", "Reply"
    COMMENT = "comment", "Comment"
    MENTION = "mention", "Mention"
    MESSAGE = "message", "Message"


class Priority(models.IntegerChoices):
    LOW = 0, "Low"
    NORMAL = 1, "Normal"
    HIGH = 2, "High"
    URGENT = 3, "Urgent"


class ItemState(models.TextChoices):
    NEW = "new", "New"
    READ = "read", "Read"
    DONE = "done", "Done"


class Situation(models.TextChoices):
    """The situations a playbook is written for (and a case follows)."""

    COMPLAINT = "complaint", "Complaint"
    NEGATIVE = "negative", "Negative comment"
    CRISIS = "crisis", "Crisis"
    CONSULT_REQUEST = "consult_request", "Consultation request"
    PRIVACY = "privacy", "Privacy breach by a commenter"
    HARASSMENT = "harassment", "Harassment"


class InboxItem(models.Model):
    """A comment, reply, mention or message someone else wrote on an official channel."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="inbox_items")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="inbox_items")
    remote_id = models.CharField(max_length=500)
    parent_remote_id = models.CharField(max_length=500, blank=True)
    #: The publication it answers (threading), when it answers one of ours.
    outbox = models.ForeignKey(
        OutboxItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbox_items"
    )
    #: The inbound item it answers, when it answers another comment.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    author_handle = models.CharField(max_length=200)
    text = models.TextField()
    kind = models.CharField(max_length=10, choices=ItemKind.choices, default=ItemKind.COMMENT)
    url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField(db_index=True)
    received_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    #: Triage: the inbox categories (see services.CATEGORY_LABELS) and the engine's findings.
    categories = models.JSONField(default=list, blank=True)
    findings = models.JSONField(default=list, blank=True)
    priority = models.PositiveSmallIntegerField(
        choices=Priority.choices, default=Priority.LOW, db_index=True
    )
    #: Counts towards the channel's negative-surge detection.
    negative = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.NEW)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbox_assigned",
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(fields=["channel", "remote_id"], name="inbox_item_once"),
        )
        indexes = (
            models.Index(fields=["org", "state"]),
            models.Index(fields=["channel", "negative", "created_at"]),
        )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author_handle} on {self.channel.name}"


class WebhookSecret(models.Model):
    """The shared secret that signs a channel's inbound webhook requests, encrypted
    (see vault.py); ``created_at`` is when it was last set."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="inbox_hook")
    secret = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __repr__(self) -> str:
        return f"<WebhookSecret of channel {self.channel_id}: hidden>"

    def plain(self) -> str:
        """The decrypted secret, for checking a signature; never rendered or logged."""
        return vault.unseal(self.secret).get("secret", "")


class WebhookNonce(models.Model):
    """A nonce already used on a channel's webhook; a second use is a replay."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=100)
    at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["channel", "nonce"], name="webhook_nonce_once"),
        )


class Endpoint(models.Model):
    """An outgoing webhook that escalations can notify: a Slack-compatible
    incoming webhook, a Microsoft Teams workflow webhook, or a Matrix room."""

    class Kind(models.TextChoices):
        SLACK = "slack", "Slack-compatible"
        TEAMS = "teams", "Microsoft Teams"
        MATRIX = "matrix", "Matrix"

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="endpoints")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    #: Matrix only: the homeserver's base URL (Slack/Teams webhook URLs are secrets,
    #: kept encrypted in ``secret``).
    url = models.URLField(max_length=1000, blank=True)
    #: Matrix only: the room id.
    room = models.CharField(max_length=255, blank=True)
    #: Encrypted (see vault.py): ``{"url": ...}`` for Slack/Teams, ``{"token": ...}``
    #: (the bot's access token) for Matrix. Never rendered or logged.
    secret = models.TextField(blank=True)
    secret_set_at = models.DateTimeField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("org_id", "name")
        constraints = (models.UniqueConstraint(fields=["org", "name"], name="endpoint_name"),)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def secrets(self) -> dict[str, str]:
        """The decrypted webhook URL or access token, for delivery only."""
        return vault.unseal(self.secret)


class EscalationRule(models.Model):
    """Who is told about which inbound items, and how."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="escalation_rules")
    name = models.CharField(max_length=120)
    #: Inbox categories that match (any of them); empty: any category.
    categories = models.JSONField(default=list, blank=True)
    min_priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.HIGH)
    #: Channels it applies to; none: every channel of the organization.
    channels = models.ManyToManyField(Channel, blank=True, related_name="+")
    #: Comma-separated words or phrases; any of them in the text matches too.
    keywords = models.CharField(max_length=500, blank=True)
    #: Roles told by e-mail.
    notify_roles = models.JSONField(default=list, blank=True)
    endpoints = models.ManyToManyField(Endpoint, blank=True, related_name="rules")
    open_case = models.BooleanField(default=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("org_id", "name")

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """One message to one recipient, with its delivery status. Failed ones are retried."""

    class Via(models.TextChoices):
        EMAIL = "email", "E-mail"
        SLACK = "slack", "Slack-compatible"
        TEAMS = "teams", "Microsoft Teams"
        MATRIX = "matrix", "Matrix"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed, will retry"
        GAVE_UP = "gave_up", "Failed, gave up"

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="notifications")
    reason = models.CharField(max_length=40)
    item = models.ForeignKey(
        InboxItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    case = models.ForeignKey(
        "Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    rule = models.ForeignKey(
        EscalationRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(max_length=10, choices=Via.choices)
    recipient = models.CharField(max_length=300)
    endpoint = models.ForeignKey(
        Endpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")


class Playbook(models.Model):
    """The committee's procedure for one situation."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="playbooks")
    situation = models.CharField(max_length=20, choices=Situation.choices)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("org_id", "situation")
        constraints = (
            models.UniqueConstraint(fields=["org", "situation"], name="one_playbook_per_situation"),
        )

    def __str__(self) -> str:
        return self.name


class PlaybookStep(models.Model):
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=200)
    owner_role = models.CharField(max_length=20, choices=Role.choices, default=Role.CHAIR)
    #: Due this many minutes after the case opens.
    due_minutes = models.PositiveIntegerField(default=60)
    #: A response template offered when drafting a reply at this step.
    template = models.TextField(blank=True)

    class Meta:
        ordering = ("playbook_id", "order", "id")


class Case(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="cases")
    situation = models.CharField(max_length=20, choices=Situation.choices)
    playbook = models.ForeignKey(
        Playbook, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    title = models.CharField(max_length=200)
    item = models.ForeignKey(
        InboxItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-opened_at", "-id")

    def __str__(self) -> str:
        return f"case #{self.pk}: {self.title}"


class CaseStep(models.Model):
    """A playbook step as the case follows it (copied, so editing the playbook
    later does not rewrite an open case)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    owner_role = models.CharField(max_length=20, choices=Role.choices)
    due_at = models.DateTimeField(db_index=True)
    template = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("case_id", "order", "id")


class SurgeAlert(models.Model):
    """A possible crisis declared when negative items on a channel surged past its baseline."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="surge_alerts")
    hour = models.DateTimeField()
    count = models.PositiveIntegerField()
    baseline = models.FloatField()
    threshold = models.FloatField()
    declared_at = models.DateTimeField(auto_now_add=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-hour",)
        constraints = (
            models.UniqueConstraint(fields=["channel", "hour"], name="one_surge_per_channel_hour"),
        )
