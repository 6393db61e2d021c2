"""Organizations, the people in them and their roles, channels, approval
settings, invitations and personal API tokens. Logic lives in services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    CHAIR = "chair", "Committee chair"
    REVIEWER = "reviewer", "Committee reviewer"
    AUTHORIZED = "authorized", "Authorized member"
    MEMBER = "member", "Member"


#: Roles that sit on the Communications & Technical Standing Committee.
COMMITTEE_ROLES = frozenset({Role.CHAIR, Role.REVIEWER})
#: Roles that may be listed on a channel as authorized to draft and respond.
CHANNEL_ROLES = frozenset({Role.ADMIN, Role.CHAIR, Role.REVIEWER, Role.AUTHORIZED})


class Network(models.TextChoices):
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X"
    OTHER = "other", "Other"


class Audience(models.TextChoices):
    PUBLIC = "public", "Public"
    CLOSED = "closed", "Closed group"


def default_time_zone() -> str:
    """The time zone a new organization starts with: POSTGUARD_DEFAULT_TIME_ZONE, else UTC."""
    return str(getattr(settings, "POSTGUARD_DEFAULT_TIME_ZONE", "") or "UTC")


class Organization(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    #: The IANA time zone in which its people enter and read times (stored in UTC).
    time_zone = models.CharField(max_length=64, default=default_time_zone)
    #: The demo organization that `postguard serve` creates; shown as such everywhere.
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return f"{self.name} (demo)" if self.is_demo else self.name


class ApprovalPolicy(models.Model):
    """How an organization approves what it publishes (IPALA policy section 1)."""

    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="approval")
    required_approvals = models.PositiveSmallIntegerField(default=1)
    chair_required = models.BooleanField(default=False)
    #: The faster lane for replies on behalf of the association.
    reply_required_approvals = models.PositiveSmallIntegerField(default=1)
    reply_chair_required = models.BooleanField(default=False)
    #: A chair's override of a block finding must say why, at least this long.
    override_min_chars = models.PositiveSmallIntegerField(default=20)
    #: Besides the chair, the one committee member who may approve a reply to a crisis
    #: item alone (the crisis lane), for when the chair cannot be reached in time.
    crisis_deputy = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"approval policy of {self.org}"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (models.UniqueConstraint(fields=["user", "org"], name="one_membership"),)
        ordering = (
            "org_id",
            "user__username",
        )

    def __str__(self) -> str:
        return f"{self.user} in {self.org} as {self.get_role_display()}"


class Channel(models.Model):
    """An official account of the organization on a network."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="channels")
    name = models.CharField(max_length=120)
    network = models.CharField(max_length=20, choices=Network.choices)
    handle = models.CharField(max_length=200, blank=True)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    active = models.BooleanField(default=True)
    authorized = models.ManyToManyField(Membership, blank=True, related_name="channels")
    #: While set, the worker releases none of the channel's due posts (a crisis pause).
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = (models.UniqueConstraint(fields=["org", "name"], name="channel_name"),)
        ordering = (
            "org_id",
            "name",
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.get_network_display()})"


class Invitation(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    #: sha256 of the emailed token; the token itself is never stored.
    digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.org}"


class ApiToken(models.Model):
    """A personal API token. Only its sha256 is stored; the prefix identifies it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token {self.prefix}… of {self.user}"


class PasswordResetRequest(models.Model):
    """A password-reset mail sent (or asked for), kept for throttling (pruned after the
    window). ``email`` is what was typed, lower-cased; it may belong to no one."""

    email = models.CharField(max_length=254, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)
