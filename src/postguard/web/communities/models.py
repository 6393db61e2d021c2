"""Online communities governed by their Community Policy (IBLCE addendum, 2022):
the community and its staff, the versioned policy and its numbered provisions, the
members seen on the platform, the moderation queue, sanctions on the ladder, appeals,
and packs uploaded from the web. Logic lives in services.py and packs.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from postguard.web.orgs.models import Channel, Organization


class Platform(models.TextChoices):
    MATRIX = "matrix", "Matrix"
    DISCOURSE = "discourse", "Discourse"
    DISCORD = "discord", "Discord"
    FACEBOOK = "facebook", "Facebook group"


class Community(models.Model):
    """One room or group on one platform, run by its administrators under its policy."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="communities")
    name = models.CharField(max_length=120)
    platform = models.CharField(max_length=20, choices=Platform.choices)
    #: The room, group, category or channel id on the platform.
    room_id = models.CharField(max_length=500)
    #: The connector's settings (homeserver URL, site URL, guild id); never a secret.
    config = models.JSONField(default=dict, blank=True)
    #: The moderator bot's credentials, encrypted like channel credentials
    #: (POSTGUARD_SECRETS_KEY). Never rendered, logged or recorded.
    secret = models.TextField(blank=True)
    watched = models.BooleanField(default=False)
    cursor = models.TextField(blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    #: Names the public policy and report pages. Members are given it, so it is not a
    #: secret that protects anything but the report form from strangers; rotatable.
    public_token = models.CharField(max_length=64, unique=True)
    # --- the ladder and its clocks (configurable by the community's administrators) ---
    #: How long a warning counts before it expires.
    warning_days = models.PositiveIntegerField(default=180)
    #: The default length of a suspension.
    suspension_days = models.PositiveIntegerField(default=7)
    #: How long after a sanction a member may appeal.
    appeal_days = models.PositiveIntegerField(default=14)
    #: Moderation records (messages, reports, sanctions, appeals) are purged this long
    #: after they were closed; the audit chain keeps only ids and provisions.
    retention_days = models.PositiveIntegerField(default=730)
    #: What a person complaining about an IBCLC's treatment of a client is told.
    complaint_template = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("org_id", "name")
        constraints = (models.UniqueConstraint(fields=["org", "name"], name="community_name"),)

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()})"

    def __repr__(self) -> str:
        return f"<Community {self.pk} {self.name!r}: credentials hidden>"


class StaffRole(models.TextChoices):
    ADMIN = "admin", "Community administrator"
    MODERATOR = "moderator", "Moderator"


class CommunityStaff(models.Model):
    """A person of the organization who administers or moderates one community."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_roles"
    )
    role = models.CharField(max_length=20, choices=StaffRole.choices)

    class Meta:
        ordering = ("community_id", "role", "user__username")
        constraints = (
            models.UniqueConstraint(fields=["community", "user"], name="one_staff_role"),
        )


class PolicyState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


class CommunityPolicy(models.Model):
    """One version of a community's Community Policy."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="policies")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    preamble = models.TextField(blank=True)
    state = models.CharField(max_length=12, choices=PolicyState.choices, default=PolicyState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The pinned message on the platform, or the instructions for pinning it by hand.
    pinned_id = models.CharField(max_length=500, blank=True)
    pin_instructions = models.TextField(blank=True)

    class Meta:
        ordering = ("community_id", "-version")
        constraints = (
            models.UniqueConstraint(fields=["community", "version"], name="policy_version"),
        )


class Detect(models.TextChoices):
    NONE = "", "Not checked automatically"
    BUILTIN = "builtin", "postguard's detector for the category"
    LEXICON = "lexicon", "These words or phrases"
    PATTERN = "pattern", "These patterns (RE2)"


class SkipTo(models.TextChoices):
    NONE = "", "Follow the ladder"
    SUSPEND = "suspend", "Straight to suspension"
    BAN = "ban", "Straight to a ban"


class Provision(models.Model):
    """A numbered provision; one that is checked becomes a rule of the community's pack."""

    policy = models.ForeignKey(CommunityPolicy, on_delete=models.CASCADE, related_name="provisions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField()
    #: The engine category a checked provision reports (DESIGN.md's vocabulary).
    category = models.CharField(max_length=60, blank=True)
    detect = models.CharField(max_length=10, choices=Detect.choices, blank=True, default="")
    terms = models.JSONField(default=list, blank=True)
    severity = models.CharField(max_length=10, default="review")
    skip_to = models.CharField(max_length=10, choices=SkipTo.choices, blank=True, default="")
    example_violating = models.TextField(blank=True)
    example_compliant = models.TextField(blank=True)

    class Meta:
        ordering = ("policy_id", "number")
        constraints = (
            models.UniqueConstraint(fields=["policy", "number"], name="provision_number"),
        )

    def __str__(self) -> str:
        return f"provision {self.number}: {self.title}"


class Member(models.Model):
    """Someone on the platform, as the community knows them (not a postguard user)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="members")
    remote_id = models.CharField(max_length=500)
    name = models.CharField(max_length=200, blank=True)
    first_seen = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("community_id", "name", "remote_id")
        constraints = (
            models.UniqueConstraint(fields=["community", "remote_id"], name="member_once"),
        )

    def __str__(self) -> str:
        return self.name or self.remote_id


class Message(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="messages")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="messages")
    remote_id = models.CharField(max_length=500)
    text = models.TextField()
    url = models.URLField(max_length=1000, blank=True)
    created_at = models.DateTimeField()
    findings = models.JSONField(default=list, blank=True)
    decision = models.CharField(max_length=10, default="pass")
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(fields=["community", "remote_id"], name="message_once"),
        )


class Source(models.TextChoices):
    ENGINE = "engine", "Flagged by the engine"
    MEMBER = "member", "Reported by a member (report form)"
    PLATFORM = "platform", "Reported on the platform"
    MODERATOR = "moderator", "Flagged by a moderator"


class Route(models.TextChoices):
    """Where a report belongs (IBLCE addendum): the Community Policy, IBLCE, or the crisis
    playbook."""

    BREACH = "breach", "Possible breach of the Community Policy"
    PEER_DISPUTE = "peer_dispute", "Dispute between members (Community Policy procedure)"
    CLIENT_COMPLAINT = "client_complaint", "Complaint about an IBCLC's treatment of a client"
    CRISIS = "crisis", "Crisis"
    ORDINARY = "ordinary", "Nothing to act on"


class ItemState(models.TextChoices):
    OPEN = "open", "Open"
    ACTIONED = "actioned", "Acted on"
    DISMISSED = "dismissed", "Dismissed"
    ROUTED = "routed", "Routed"


class QueueItem(models.Model):
    """One thing for the moderators: a flagged message, a report, a moderator's flag."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="queue")
    source = models.CharField(max_length=10, choices=Source.choices)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="queue_items"
    )
    #: The member the item is about, when known.
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="queue_items"
    )
    #: Who reported it: a member's platform id, a name typed on the form, a moderator.
    reporter = models.CharField(max_length=200, blank=True)
    reporter_contact = models.CharField(max_length=254, blank=True)
    #: sha256 of the report form's client address (for its rate limit only).
    reporter_address = models.CharField(max_length=64, blank=True, db_index=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    remote_id = models.CharField(max_length=500, blank=True)
    route = models.CharField(max_length=20, choices=Route.choices, default=Route.BREACH)
    cues = models.JSONField(default=list, blank=True)
    findings = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=ItemState.choices, default=ItemState.OPEN)
    #: The route's playbook steps: [{"title", "done_at", "done_by"}].
    steps = models.JSONField(default=list, blank=True)
    outcome = models.TextField(blank=True)
    #: The crisis (or other) case opened in the inbox, with its playbook.
    case = models.ForeignKey(
        "inbox.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["community", "source", "remote_id"],
                condition=~models.Q(remote_id=""),
                name="queue_item_once",
            ),
        )


class Step(models.TextChoices):
    REMOVE = "remove", "Remove the message"
    WARN = "warn", "Warning"
    SUSPEND = "suspend", "Suspension"
    KICK = "kick", "Removal from the community"
    BAN = "ban", "Ban"


#: The ladder's order; kick sits between suspension and ban when chosen by hand.
LADDER = (Step.WARN, Step.SUSPEND, Step.BAN)


class Sanction(models.Model):
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="sanctions")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="sanctions")
    step = models.CharField(max_length=10, choices=Step.choices)
    provision = models.ForeignKey(
        Provision, null=True, on_delete=models.SET_NULL, related_name="sanctions"
    )
    #: The provision as it read when cited (the policy may change later).
    provision_number = models.PositiveSmallIntegerField()
    provision_title = models.CharField(max_length=200)
    policy_version = models.PositiveIntegerField()
    reason = models.TextField()
    proposed = models.CharField(max_length=10, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    item = models.ForeignKey(
        QueueItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="sanctions"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="sanctions"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    #: A suspension's end; the periodic job restores the member then.
    ends_at = models.DateTimeField(null=True, blank=True, db_index=True)
    restored_at = models.DateTimeField(null=True, blank=True)
    #: What the platform did: [{"action", "done", "detail"}]; instructions for a person
    #: where its API cannot (Unsupported) or refused.
    applied = models.JSONField(default=list, blank=True)
    notice = models.TextField(blank=True)
    #: The member's appeal link names this token.
    appeal_token = models.CharField(max_length=64, unique=True)
    overturned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Sanction upheld"
    OVERTURNED = "overturned", "Sanction overturned"


class Appeal(models.Model):
    sanction = models.OneToOneField(Sanction, on_delete=models.CASCADE, related_name="appeal")
    text = models.TextField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    #: A moderator who recorded an appeal received another way (empty: the member's link).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=AppealOutcome.choices, blank=True)
    reasons = models.TextField(blank=True)


class OrgPack(models.Model):
    """An employer or community policy pack uploaded from the web (YAML, validated)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="packs")
    pack_id = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    filename = models.CharField(max_length=200)
    text = models.TextField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now=True)
    channels = models.ManyToManyField(Channel, blank=True, related_name="packs")
    communities = models.ManyToManyField(Community, blank=True, related_name="packs")

    class Meta:
        ordering = ("org_id", "pack_id")
        constraints = (models.UniqueConstraint(fields=["org", "pack_id"], name="org_pack_once"),)

    def __str__(self) -> str:
        return f"{self.pack_id} ({self.title})"
