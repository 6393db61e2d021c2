"""Forms of the pages: input validation only; the services decide."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError

from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Audience, Channel, Membership, Network, Organization, Role
from postguard.web.workflow.models import Decision, Kind
from postguard.web.workflow.services import MAX_COMMENT_CHARS, MAX_POST_CHARS


class ChannelChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Channel)
        return f"{obj.name} — {obj.get_network_display()} ({obj.org.name})"


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time as typed in a ``datetime-local`` field, without a zone: the
    view reads it in the organization's zone (orgs.timezones.from_local). A time that
    names its own offset keeps it."""

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                "Enter a date and time, such as 2026-12-10 09:00.", code="invalid"
            ) from None


def schedule_field() -> LocalDateTimeField:
    return LocalDateTimeField(
        required=False,
        label="Publish at",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty to publish as soon as it is approved.",
    )


def label_zone(form: forms.Form, time_zone: str) -> None:
    """Name the organization's zone in the label of the form's time field."""
    form.fields["scheduled_at"].label = f"Publish at ({time_zone})"
    form.fields[
        "scheduled_at"
    ].help_text = (
        f"Your organization's time ({time_zone}). Leave empty to publish as soon as it is approved."
    )


class ComposeForm(forms.Form):
    channel = ChannelChoice(queryset=Channel.objects.none(), empty_label=None)
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.POST)
    in_reply_to = forms.CharField(
        required=False,
        max_length=500,
        label="In reply to",
        help_text=(
            "For a reply (required): the id or address of the inbox comment or of the "
            "published post on this channel that it answers."
        ),
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_POST_CHARS,
        help_text="Checked against the codes as you type.",
    )
    scheduled_at = schedule_field()

    def __init__(
        self, user: User | AnonymousUser, org: Organization | None, *args: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if org is not None:
            label_zone(self, org.time_zone)
        field = self.fields["channel"]
        assert isinstance(field, ChannelChoice)
        choices = orgs.channels_for(user, org) if org is not None else Channel.objects.none()
        # Public channels first, so that the composer starts on one: a closed group is
        # chosen on purpose, never by default.
        field.queryset = choices.order_by("-audience", "name", "pk")
        if not self.is_bound and "channel" not in self.initial:
            self.initial["channel"] = (
                choices.filter(audience=Audience.PUBLIC).order_by("name", "pk").first()
            )


class EditForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), max_length=MAX_POST_CHARS)
    scheduled_at = schedule_field()


class RescheduleForm(forms.Form):
    scheduled_at = schedule_field()


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=(),
        help_text="Times are entered and shown in this zone; postguard keeps them in UTC.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from postguard.web.orgs.timezones import zone_names

        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(name, name) for name in zone_names()]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect)
    # What the reviewer read, sent back so that a review counts only for that
    # (services.record_review refuses any other revision or content).
    revision = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)
    content_hash = forms.RegexField(
        regex=r"^[0-9a-f]{64}$", min_length=64, max_length=64, widget=forms.HiddenInput
    )
    comment = forms.CharField(
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when requesting changes or rejecting.",
    )
    justification = forms.CharField(
        required=False,
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Override justification (chair only)",
        help_text="Needed to approve a post with a block finding; kept in the record.",
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Comment for the author and the committee",
        max_length=MAX_COMMENT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckForm(forms.Form):
    text = forms.CharField(
        label="Your post",
        max_length=MAX_POST_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Not stored, unless you tick the box to keep the check.",
    )
    kind = forms.ChoiceField(
        choices=[("post", "Post"), ("reply", "Reply"), ("comment", "Comment")], initial="post"
    )
    audience = forms.ChoiceField(
        choices=[("public", "Public"), ("closed", "Closed group")], initial="public"
    )
    save = forms.BooleanField(
        required=False,
        label="Keep this check in my saved checks",
        help_text="Off unless you tick it. Only you can see saved checks; you can delete them.",
    )


class AuditFilterForm(forms.Form):
    action = forms.CharField(required=False, max_length=60, help_text="e.g. post. or post.review")
    actor = forms.CharField(required=False, max_length=150, label="Who (user name)")
    object_id = forms.CharField(required=False, max_length=64, label="Post number")
    since = forms.DateTimeField(
        required=False,
        label="From (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    until = forms.DateTimeField(
        required=False,
        label="Until (UTC)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class InviteForm(forms.Form):
    email = forms.EmailField()
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(max_length=150, label="User name")
    full_name = forms.CharField(max_length=150, required=False, label="Full name")
    password = forms.CharField(widget=forms.PasswordInput, label="Password")


class AuditExportForm(forms.Form):
    since = forms.DateField(label="From (UTC date)", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(
        label="Until (UTC date, included)", widget=forms.DateInput(attrs={"type": "date"})
    )
    format = forms.ChoiceField(
        choices=[("csv", "CSV (spreadsheet)"), ("json", "JSON")], initial="csv"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise ValidationError("The period starts after it ends.", code="period")
        return data


class ChannelForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="How the committee calls it.")
    network = forms.ChoiceField(choices=Network.choices)
    handle = forms.CharField(
        max_length=200, required=False, help_text="The account's name on the network."
    )
    audience = forms.ChoiceField(
        choices=Audience.choices,
        initial=Audience.PUBLIC,
        help_text="A closed group's posts are still checked for privacy.",
    )
    active = forms.BooleanField(
        required=False,
        initial=True,
        label="Active",
        help_text="Nobody can draft for an inactive channel.",
    )


class MemberChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        assert isinstance(obj, Membership)
        name = obj.user.get_full_name()
        who = f"{name} ({obj.user.get_username()})" if name else obj.user.get_username()
        return f"{who}, {obj.get_role_display().lower()}"


class ChannelMembersForm(forms.Form):
    members = MemberChoice(
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Authorized to draft and respond",
        help_text="Only members with a posting role are listed; change a member's role first.",
    )

    def __init__(self, org: Organization, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, MemberChoice)
        field.queryset = orgs.eligible_for_channels(org)


class ApprovalForm(forms.Form):
    required_approvals = forms.IntegerField(
        min_value=1,
        max_value=orgs.MAX_REQUIRED_APPROVALS,
        label="Approvals needed for a post",
    )
    chair_required = forms.BooleanField(
        required=False, label="The chair must be one of the approvers of a post"
    )
    reply_required_approvals = forms.IntegerField(
        min_value=1,
        max_value=orgs.MAX_REQUIRED_APPROVALS,
        label="Approvals needed for a reply",
        help_text="Replies can take a faster lane with fewer approvals.",
    )
    reply_chair_required = forms.BooleanField(
        required=False, label="The chair must be one of the approvers of a reply"
    )
    override_min_chars = forms.IntegerField(
        min_value=1,
        max_value=1000,
        label="Shortest justification for overriding a block finding (characters)",
    )
    crisis_deputy = forms.ChoiceField(
        required=False,
        label="Crisis deputy",
        help_text=(
            "A reply to an urgent or crisis item can be approved by the chair alone, or by "
            "this reviewer alone when the chair cannot be reached (the crisis lane)."
        ),
    )

    def __init__(self, *args: Any, deputies: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["crisis_deputy"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Nobody: only the chair"), *((d, d) for d in deputies)]


IMAGE_TYPES = "image/jpeg,image/png,image/gif,image/webp"


class ImageFields(forms.Form):
    """One image with what describes it (the composer's and the edit page's)."""

    image = forms.FileField(
        required=False,
        label="Image",
        help_text="JPEG, PNG, GIF or WebP. Checked like the text: faces, location data, consent.",
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )
    image_alt = forms.CharField(
        required=False,
        max_length=2000,
        label="Image description",
        help_text=(
            "The alt text: what the image shows, for people who cannot see it (required with "
            "an image)."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    image_consent = forms.CharField(
        required=False,
        max_length=200,
        label="Consent reference",
        help_text="The recorded consent of the people shown (for example a form number).",
    )
    image_credit = forms.CharField(
        required=False, max_length=200, label="Credit", help_text="Who made the image, if not us."
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("image") and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", "Describe the image for people who cannot see it.")
        return data

    def upload(self) -> Any:
        """The image as workflow.media.Upload, or None when no file was chosen."""
        from postguard.web.workflow.media import Upload, max_bytes

        file = self.cleaned_data.get("image")
        if not file:
            return None
        data = file.read(max_bytes() + 1)
        return Upload(
            data=data,
            filename=str(getattr(file, "name", "") or ""),
            alt=self.cleaned_data.get("image_alt", ""),
            consent=self.cleaned_data.get("image_consent", ""),
            credit=self.cleaned_data.get("image_credit", ""),
        )
