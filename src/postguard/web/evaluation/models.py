"""What the committee sets for the evaluation: the posting plan, the reply target, campaign
goals and their imported counts, and the report's schedule. Logic lives in services.py; the
measures' definitions in measures.py."""

from __future__ import annotations

from django.db import models

from postguard.web.orgs.models import Channel, Organization


class EvaluationSettings(models.Model):
    """The organization's targets that are not per channel or per campaign."""

    org = models.OneToOneField(Organization, on_delete=models.CASCADE, related_name="evaluation")
    #: An inbox item counts as answered in time when its first reply went out within this.
    reply_target_hours = models.PositiveIntegerField(default=24)

    def __str__(self) -> str:
        return f"evaluation settings of {self.org}"


class PostingPlan(models.Model):
    """How often the committee plans to post on a channel."""

    channel = models.OneToOneField(Channel, on_delete=models.CASCADE, related_name="posting_plan")
    posts_per_week = models.DecimalField(max_digits=5, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.posts_per_week} posts a week on {self.channel}"


class Campaign(models.Model):
    """A campaign with goals the committee set: clicks on its tracked link, event
    sign-ups and new members (the latter two imported from CSV as counts)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=120)
    starts_on = models.DateField()
    ends_on = models.DateField()
    #: Posts whose published text contains this address count towards the campaign's clicks.
    tracked_link = models.URLField(max_length=500, blank=True)
    goal_link_clicks = models.PositiveIntegerField(null=True, blank=True)
    goal_signups = models.PositiveIntegerField(null=True, blank=True)
    goal_new_members = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-starts_on", "name")
        constraints = (models.UniqueConstraint(fields=["org", "name"], name="campaign_name"),)

    def __str__(self) -> str:
        return self.name


class CountKind(models.TextChoices):
    SIGNUPS = "signups", "Event sign-ups"
    NEW_MEMBERS = "new_members", "New members"
    LINK_CLICKS = "link_clicks", "Tracked link clicks (from the link service)"


class CampaignCount(models.Model):
    """How many of something happened on one day for a campaign. Only the count is kept:
    the imported file's rows (names, addresses) are never stored."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="counts")
    kind = models.CharField(max_length=20, choices=CountKind.choices)
    day = models.DateField()
    count = models.PositiveIntegerField()
    #: The imported file's name, for the record.
    source = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("campaign_id", "kind", "day")
        constraints = (
            models.UniqueConstraint(fields=["campaign", "kind", "day"], name="one_count_a_day"),
        )


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class ReportSchedule(models.Model):
    """The report mailed to the council after each month or quarter."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="report_schedules")
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    #: The council's addresses, one per line.
    recipients = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    #: The last period sent ("2026-11", "2026-Q4"), so that each is sent once.
    last_sent_period = models.CharField(max_length=20, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ("org_id", "frequency")
        constraints = (
            models.UniqueConstraint(fields=["org", "frequency"], name="one_schedule_per_frequency"),
        )

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} report of {self.org}"

    def addresses(self) -> list[str]:
        return [a.strip() for a in self.recipients.replace(",", "\n").splitlines() if a.strip()]
