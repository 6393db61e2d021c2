"""The post lifecycle and the approval rules (IPALA policy section 1 and 2(b)).

    draft ─submit─► submitted ─first review─► in review ─enough approvals─► scheduled ─due─► ready
      ▲                 │  ▲                     │  │                          │              │
      │                 │  └──── edit ───────────┼──┼──────── edit ────────────┴──────────────┘
      │                 ▼                        ▼  ▼
      └── edit ── expired (schedule passed)   changes requested ─submit─► submitted;  rejected

Every save runs the engine and keeps its findings with the post. Reviews count
only for the revision they saw, so editing after approval sends the post back
to review. A post whose findings decide ``block`` is approved only when the
chair overrides with a written justification, which goes into the record.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from postguard.content import ContentError, Media
from postguard.detectors.entities import suggested_rewrite
from postguard.engine import Report, default_engine, make_content
from postguard.entities import Entity, analyze, redact
from postguard.web.audit.models import AuditEntry
from postguard.web.audit.services import record
from postguard.web.errors import Conflict, Invalid, NotAllowed, NotFound
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import COMMITTEE_ROLES, Channel, Membership, Organization, Role
from postguard.web.orgs.timezones import local_time
from postguard.web.workflow.models import (
    Comment,
    Decision,
    Kind,
    OutboxItem,
    PersonalCheck,
    Post,
    Review,
    State,
)

AnyUser = User | AnonymousUser

#: Longer than anything a network accepts, short enough to bound the work.
MAX_POST_CHARS = 20_000
MAX_COMMENT_CHARS = 5_000
MAX_REFERENCE_CHARS = 500
#: A schedule further ahead is a typo (or a probe), not a plan; it also keeps every
#: stored time far from the ends of the calendar, where time-zone arithmetic overflows.
MAX_SCHEDULE_AHEAD = timedelta(days=730)
EDITABLE = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.IN_REVIEW,
        State.CHANGES_REQUESTED,
        State.APPROVED,
        State.SCHEDULED,
        State.READY,
        State.EXPIRED,
    }
)
SUBMITTABLE = frozenset({State.DRAFT, State.CHANGES_REQUESTED})
REVIEWABLE = frozenset({State.SUBMITTED, State.IN_REVIEW})
APPROVED_STATES = frozenset({State.APPROVED, State.SCHEDULED, State.READY})
#: States in which a post still waits for approval, and so can expire.
EXPIRABLE = frozenset({State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.CHANGES_REQUESTED})
ARCHIVABLE = frozenset({State.REJECTED, State.EXPIRED, State.PUBLISHED, State.DRAFT})
#: Who sees every post of an organization.
OVERSEERS = frozenset({Role.ADMIN, Role.CHAIR, Role.REVIEWER})


# --- the engine ------------------------------------------------------------------


class Stale(Conflict):
    """A review of a revision (or content) other than the post's current one."""


def _require_unicode(text: str, what: str) -> None:
    # JSON may carry a lone surrogate ("\ud800"), which no database can store and
    # no network can send: refuse it here rather than fail at the database.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise Invalid(
            f"The {what} contains an invalid character (a lone surrogate, "
            f"U+{ord(text[exc.start]):04X}, at position {exc.start + 1}); remove it."
        ) from None


def _clean_text(text: str, limit: int, what: str) -> str:
    if not isinstance(text, str):
        raise Invalid(f"The {what} must be text.")
    _require_unicode(text, what)
    # NUL cannot be stored in PostgreSQL and never belongs in a post.
    text = text.replace("\x00", "")
    if not text.strip():
        raise Invalid(f"The {what} is empty.")
    if len(text) > limit:
        raise Invalid(f"The {what} is {len(text):,} characters; the limit is {limit:,}.")
    return text


def check_text(
    text: str,
    *,
    account: str,
    kind: str = "post",
    audience: str = "public",
    channel: Channel | None = None,
    media: Sequence[Media] = (),
) -> Report:
    """Run the engine on a text and its images (with the packs enabled on ``channel``);
    nothing is stored."""
    text = _clean_text(text, MAX_POST_CHARS, "post")
    engine = default_engine()
    if channel is not None:
        from postguard.web.communities.packs import engine_for_channel

        engine = engine_for_channel(channel)
    try:
        return engine.check(
            make_content(text, account=account, kind=kind, audience=audience, media=media)
        )
    except ContentError as exc:
        raise Invalid(str(exc)) from None


def check_text_with_rewrite(
    text: str, *, account: str, kind: str = "post", audience: str = "public"
) -> tuple[Report, str | None]:
    """Run the engine on a text, and suggest the text with its personal data replaced
    by placeholders ("[name]", "[phone]") when there are privacy findings."""
    text = _clean_text(text, MAX_POST_CHARS, "post")
    try:
        report = default_engine().check(
            make_content(text, account=account, kind=kind, audience=audience), entities=True
        )
    except ContentError as exc:
        raise Invalid(str(exc)) from None
    rewrite = suggested_rewrite(
        text, ((f.category, f.start, f.end) for f in report.findings), report.entities or ()
    )
    return report, rewrite


def redact_text(text: str) -> tuple[str, tuple[Entity, ...]]:
    """The text with each identifying span replaced by a placeholder, and the entities
    found; nothing is stored."""
    text = _clean_text(text, MAX_POST_CHARS, "post")
    entities = analyze(text)
    return redact(text, entities), entities


ANSWERS = frozenset({Kind.REPLY, Kind.MESSAGE})


def _apply_check(post: Post) -> None:
    from postguard.web.workflow.media import media_for_engine

    message = post.kind == Kind.MESSAGE
    report = check_text(
        post.text,
        account="official",
        # A private message is checked as a reply to one person, in a closed setting.
        kind=Kind.REPLY if message else post.kind,
        audience="closed" if message else post.channel.audience,
        channel=post.channel,
        media=media_for_engine(post),
    )
    post.findings = [f.to_dict() for f in report.findings]
    post.decision = report.decision


# --- seeing -------------------------------------------------------------------------


def visible_posts(user: AnyUser) -> QuerySet[Post]:
    """Posts this person may see: every post of an organization they oversee,
    their own, and those of the channels they are authorized on."""
    if not user.is_authenticated:
        return Post.objects.none()
    overseen = Membership.objects.filter(user_id=user.pk, role__in=OVERSEERS).values("org_id")
    return (
        Post.objects.filter(
            Q(org_id__in=overseen) | Q(author_id=user.pk) | Q(channel__authorized__user_id=user.pk)
        )
        .select_related("channel", "author", "org")
        .distinct()
    )


def get_post(user: AnyUser, post_id: int) -> Post:
    post = visible_posts(user).filter(pk=post_id).first()
    if post is None:
        raise NotFound(f"No post {post_id}.")
    return post


def review_queue(user: AnyUser, org: Organization | None = None) -> QuerySet[Post]:
    """Posts waiting for this reviewer: not their own, in their committee's organizations
    (only ``org``'s when given)."""
    if not user.is_authenticated:
        return Post.objects.none()
    committees = Membership.objects.filter(user_id=user.pk, role__in=COMMITTEE_ROLES)
    if org is not None:
        committees = committees.filter(org=org)
    return (
        Post.objects.filter(org_id__in=committees.values("org_id"), state__in=REVIEWABLE)
        .exclude(author_id=user.pk)
        .select_related("channel", "author")
        .order_by("scheduled_at", "submitted_at", "id")
    )


#: A person's own posts still on their way to approval (or sent back, or refused).
IN_PROGRESS = frozenset(
    {
        State.DRAFT,
        State.SUBMITTED,
        State.IN_REVIEW,
        State.CHANGES_REQUESTED,
        State.REJECTED,
        State.EXPIRED,
    }
)


@dataclass(frozen=True, slots=True)
class Dashboard:
    mine: list[Post]
    waiting: list[Post]
    waiting_count: int
    scheduled: list[Post]
    published: list[Post]


def dashboard(user: AnyUser, org: Organization, *, limit: int = 20) -> Dashboard:
    """What a person sees first in one organization: their drafts, what waits for their
    review, what is scheduled or ready to publish, and what was published lately."""
    visible = visible_posts(user).filter(org=org)
    queue = review_queue(user, org)
    return Dashboard(
        mine=list(visible.filter(author_id=user.pk, state__in=IN_PROGRESS)[:limit]),
        waiting=list(queue[:limit]),
        waiting_count=queue.count(),
        scheduled=list(
            visible.filter(state__in=(State.SCHEDULED, State.READY)).order_by(
                "outbox__due_at", "id"
            )[:limit]
        ),
        published=list(visible.filter(state=State.PUBLISHED).order_by("-updated_at")[:limit]),
    )


def history(post: Post) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type="post", object_id=str(post.pk)).order_by("seq")


def revision_texts(post: Post) -> dict[int, str]:
    """The text of each revision, as the record kept it when it was saved."""
    texts: dict[int, str] = {}
    for entry in history(post).filter(
        action__in=("post.create", "post.edit", "post.image.add", "post.image.remove")
    ):
        after = entry.after or {}
        if isinstance(after.get("revision"), int) and isinstance(after.get("text"), str):
            texts[after["revision"]] = after["text"]
    texts[post.revision] = post.text
    return texts


def last_reviewed_revision(post: Post) -> int | None:
    """The latest earlier revision someone reviewed: what a reviewer compares with."""
    found = (
        post.reviews.filter(revision__lt=post.revision)
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    return int(found) if found is not None else None


@dataclass(frozen=True, slots=True)
class ApprovalStatus:
    approvals: int
    required: int
    chair_required: bool
    chair_approved: bool
    override_needed: bool
    overridden: bool
    approvers: tuple[str, ...] = ()
    #: The chair's reason for each overridden blocking rule.
    overrides: Mapping[str, str] = field(default_factory=dict)
    missing: tuple[str, ...] = field(default=())
    #: A reply to a crisis item: the chair (or the crisis deputy) alone may approve it.
    crisis: bool = False
    #: Who opened the crisis lane with their approval, when someone did.
    crisis_approver: str = ""
    #: "crisis lane" when only the crisis lane's single approval satisfies it.
    lane: str = "normal"

    @property
    def satisfied(self) -> bool:
        return not self.missing


def _current_verdicts(post: Post) -> list[Review]:
    latest: dict[int, Review] = {}
    current = ("", *_hashes_of(post))
    for review in post.reviews.filter(revision=post.revision).select_related("reviewer"):
        # Reviews from before the hash was kept have none; their revision binds them.
        if review.content_hash in current:
            latest[review.reviewer_id] = review
    return list(latest.values())


CRISIS_LANE = "crisis lane"


def message_recipient(post: Post) -> str:
    """Who a private message goes to: the author of the inbox item it answers."""
    from postguard.web.inbox.models import InboxItem

    handle = (
        InboxItem.objects.filter(channel_id=post.channel_id, remote_id=post.in_reply_to)
        .values_list("author_handle", flat=True)
        .first()
    )
    if not handle:
        raise Invalid("The person this message was meant for is no longer in the inbox.")
    return str(handle)


def crisis_item_of(post: Post) -> Any:
    """The inbox item a reply answers when that item is a crisis (triaged
    ``signal.crisis`` or urgent), else None."""
    if post.kind not in ANSWERS or not post.in_reply_to:
        return None
    # The inbox imports the workflow, so it is imported here, when first needed.
    from postguard.web.inbox.models import InboxItem, Priority
    from postguard.web.inbox.triage import CRISIS

    # A deleted item still was a crisis: hiding or deleting the comment after answering
    # it must not take back the approval the reply had (publishing checks it again).
    item = InboxItem.objects.filter(channel_id=post.channel_id, remote_id=post.in_reply_to).first()
    if item is None:
        return None
    # Categories are a JSON list; checked here rather than with a JSON lookup, which
    # SQLite and PostgreSQL spell differently.
    if item.priority >= Priority.URGENT or CRISIS in (item.categories or []):
        return item
    return None


def _crisis_approver(policy: Any, approvals: list[Review]) -> str:
    """Who among the approvers may approve a crisis reply alone: the chair, or the
    deputy the chair or an administrator named (still on the committee)."""
    for r in approvals:
        if r.reviewer_role == Role.CHAIR:
            return str(r.reviewer.get_username())
    deputy = policy.crisis_deputy_id
    for r in approvals:
        if deputy is not None and r.reviewer_id == deputy and r.reviewer_role in COMMITTEE_ROLES:
            return str(r.reviewer.get_username())
    return ""


def approval_status(post: Post) -> ApprovalStatus:
    policy = orgs.approval_policy(post.org)
    # Only a reply that answers something takes the reply lane (rows from before the
    # parent was required may lack one; they count as posts).
    reply = post.kind in ANSWERS and bool(post.in_reply_to)
    required = policy.reply_required_approvals if reply else policy.required_approvals
    chair_required = policy.reply_chair_required if reply else policy.chair_required
    approvals = [r for r in _current_verdicts(post) if r.decision == Decision.APPROVE]
    chair_approved = any(r.reviewer_role == Role.CHAIR for r in approvals)
    override_needed = post.decision == "block"
    blocking = set(block_rule_ids(post))
    overrides: dict[str, str] = {}
    overridden = False
    for r in approvals:
        per_rule = r.override_justifications or {}
        if per_rule and blocking <= set(per_rule):
            overridden = True
            overrides.update(per_rule)
        elif r.override_justification and not per_rule:
            # Recorded before overrides were kept rule by rule: one reason for all.
            overridden = True
            overrides.update(dict.fromkeys(blocking, r.override_justification))
    missing = []
    if len(approvals) < required:
        missing.append(f"{required - len(approvals)} more approval(s) of {required}")
    if chair_required and not chair_approved:
        missing.append("the committee chair's approval")
    crisis = reply and crisis_item_of(post) is not None
    crisis_approver = _crisis_approver(policy, approvals) if crisis else ""
    lane = "normal"
    if missing and crisis_approver:
        # The crisis lane stands in for the number of approvals and the chair's
        # presence only; a block finding still needs the chair's justified override.
        missing = []
        lane = CRISIS_LANE
    if override_needed and not overridden:
        missing.append("the chair's justified override of the block finding(s)")
    return ApprovalStatus(
        approvals=len(approvals),
        required=required,
        chair_required=chair_required,
        chair_approved=chair_approved,
        override_needed=override_needed,
        overridden=overridden,
        approvers=tuple(r.reviewer.get_username() for r in approvals),
        missing=tuple(missing),
        overrides=overrides,
        crisis=crisis,
        crisis_approver=crisis_approver,
        lane=lane,
    )


# --- helpers ---------------------------------------------------------------------------


def content_hash_of(post: Post) -> str:
    """A digest of what goes out when the post is published: what a reviewer approves
    (text, channel, kind, what it answers, and its images when it has any). A review
    names it (and the revision), so that an approval counts only for exactly what the
    reviewer read.

    The time it goes out is not part of it: moving an approved post to another time
    is its own recorded action (workflow.schedule.reschedule), open to the author and
    the committee, and leaves the approvals standing."""
    seen: dict[str, Any] = {
        "post": post.pk,
        "channel": post.channel_id,
        "kind": post.kind,
        "in_reply_to": post.in_reply_to,
        "text": post.text,
    }
    media = media_fingerprint(post)
    if media:
        seen["media"] = media
    canonical = json.dumps(seen, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def media_fingerprint(post: Post) -> list[list[str]]:
    """The post's images as they go out: digest, alt text, consent reference, credit."""
    if post.pk is None:
        return []
    from postguard.web.workflow.media import fingerprint

    return fingerprint(post)


def legacy_content_hash_of(post: Post) -> str:
    """The digest reviews recorded before the time was left out of it (schedule
    included), so that those approvals still count for the post as it stands."""
    when = post.scheduled_at.astimezone(UTC).isoformat() if post.scheduled_at else None
    seen = {
        "post": post.pk,
        "channel": post.channel_id,
        "kind": post.kind,
        "in_reply_to": post.in_reply_to,
        "text": post.text,
        "scheduled_at": when,
    }
    canonical = json.dumps(seen, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _hashes_of(post: Post) -> tuple[str, ...]:
    """The digests a review of the current content may carry."""
    if media_fingerprint(post):
        return (content_hash_of(post),)
    return (content_hash_of(post), legacy_content_hash_of(post))


def snapshot(post: Post) -> dict[str, Any]:
    return {
        "state": post.state,
        "text": post.text,
        "revision": post.revision,
        "content_hash": content_hash_of(post),
        "in_reply_to": post.in_reply_to,
        "kind": post.kind,
        "channel": post.channel_id,
        "scheduled_at": post.scheduled_at,
        "decision": post.decision,
        "rules": sorted({f["rule_id"] for f in post.findings}),
        **({"images": images} if (images := media_fingerprint(post)) else {}),
    }


def _notify(user: User, subject: str, body: str) -> None:
    email = getattr(user, "email", "")
    if not email:
        return
    # After commit, so that a rolled-back change sends nothing; a mail
    # failure must not undo the change it reports.
    transaction.on_commit(
        lambda: send_mail(f"[postguard] {subject}", body, None, [email], fail_silently=True)
    )


def _require_author(user: AnyUser, post: Post, doing: str) -> None:
    if not user.is_authenticated or post.author_id != user.pk:
        raise NotAllowed(f"Only the author of a post can {doing}.")


def _check_schedule(scheduled_at: datetime | None) -> datetime | None:
    """The schedule in UTC, or Invalid: it needs a time zone, lies ahead, and not
    further than MAX_SCHEDULE_AHEAD."""
    if scheduled_at is None:
        return None
    if not isinstance(scheduled_at, datetime):
        raise Invalid("The scheduled time must be a date and time (e.g. 2030-01-31T09:00:00Z).")
    if timezone.is_naive(scheduled_at):
        raise Invalid("The scheduled time needs a time zone (e.g. 2030-01-31T09:00:00Z).")
    years = MAX_SCHEDULE_AHEAD.days // 365
    try:
        when = scheduled_at.astimezone(UTC)
    except (OverflowError, ValueError):
        # 9999-12-31T23:59:59-14:00 is a valid timestamp whose UTC is past year 9999.
        raise Invalid(
            f"The scheduled time is out of range; choose a time within the next {years} years."
        ) from None
    now = timezone.now()
    if when <= now:
        raise Invalid("The scheduled time is in the past.")
    if when > now + MAX_SCHEDULE_AHEAD:
        raise Invalid(
            f"The scheduled time is more than {years} years ahead; choose a time before "
            f"{now + MAX_SCHEDULE_AHEAD:%Y-%m-%d}."
        )
    return when


def _reply_parent(channel: Channel, kind: str, in_reply_to: str) -> str:
    """The remote id a reply answers, which must be known on the channel: an inbox
    item (a comment, reply, mention or message someone wrote there) or one of the
    channel's own published posts. A reply without one would take the reply lane's
    fewer approvals and then go out as a top-level post."""
    if not isinstance(in_reply_to, str):
        raise Invalid("What a reply answers (in_reply_to) must be text.")
    _require_unicode(in_reply_to, "reference to what the reply answers")
    ref = in_reply_to.strip()
    if kind not in ANSWERS:
        if ref:
            raise Invalid(
                "Only a reply answers something: leave 'in reply to' empty for a post, "
                "or make it a reply."
            )
        return ""
    if not ref:
        raise Invalid(
            "A reply needs what it answers (in_reply_to): the id or address of a comment "
            f"in the inbox or of a published post on {channel.name}. To start a new thread, "
            "make it a post."
        )
    if len(ref) > MAX_REFERENCE_CHARS:
        raise Invalid(f"What a reply answers is limited to {MAX_REFERENCE_CHARS} characters.")
    # The inbox imports the workflow, so it is imported here, when first needed.
    from postguard.web.inbox.models import InboxItem

    item = (
        InboxItem.objects.filter(channel=channel, deleted_at__isnull=True)
        .filter(Q(remote_id=ref) | Q(url=ref))
        .values_list("remote_id", flat=True)
        .first()
    )
    if item:
        return str(item)
    if kind == Kind.MESSAGE:
        raise Invalid(
            f"Nothing in the inbox of {channel.name} is known as {ref[:100]!r}: a private "
            "message goes to the person who wrote an inbox item."
        )
    ours = (
        OutboxItem.objects.filter(channel=channel, deleted_at__isnull=True)
        .exclude(remote_id="")
        .filter(Q(remote_id=ref) | Q(remote_url=ref))
        .values_list("remote_id", flat=True)
        .first()
    )
    if ours:
        return str(ours)
    raise Invalid(
        f"Nothing on {channel.name} is known as {ref[:100]!r}: a reply answers a comment "
        "in the inbox or a published post of the same channel. To start a new thread, "
        "make it a post."
    )


def _locked(post: Post) -> Post:
    """Re-read the post under a row lock so that concurrent transitions queue."""
    return (
        Post.objects.select_for_update().select_related("channel", "org", "author").get(pk=post.pk)
    )


# --- changing ------------------------------------------------------------------------------


@transaction.atomic
def create_post(
    user: AnyUser,
    channel: Channel,
    text: str,
    *,
    kind: str = Kind.POST,
    in_reply_to: str = "",
    scheduled_at: datetime | None = None,
    images: Sequence[Any] = (),
) -> Post:
    """A draft, checked by the engine with its images (media.Upload each)."""
    orgs.require_can_draft(user, channel)
    assert isinstance(user, User)
    if kind not in Kind.values:
        raise Invalid("A post's kind is post, reply or message.")
    text = _clean_text(text, MAX_POST_CHARS, "post")
    parent = _reply_parent(channel, kind, in_reply_to)
    post = Post(
        org=channel.org,
        channel=channel,
        author=user,
        kind=kind,
        in_reply_to=parent,
        text=text,
        scheduled_at=_check_schedule(scheduled_at),
    )
    if images:
        from postguard.web.workflow.media import attach

        post.save()
        for upload in images:
            attach(post, upload)
    _apply_check(post)
    post.save()
    record("post.create", actor=user, org=post.org, obj=post, after=snapshot(post))
    return post


_UNSET: Any = object()


@transaction.atomic
def edit_post(
    user: AnyUser, post: Post, *, text: str | None = None, scheduled_at: Any = _UNSET
) -> Post:
    """Change the text (an approved post goes back to review) or the time (recorded as a
    reschedule; the approvals stand)."""
    post = _locked(post)
    _require_author(user, post, "edit it")
    if post.state not in EDITABLE:
        raise Conflict(f"A {post.get_state_display().lower()} post cannot be edited.")
    orgs.require_can_draft(user, post.channel)
    before = snapshot(post)
    changed = False
    if text is not None:
        text = _clean_text(text, MAX_POST_CHARS, "post")
        if text != post.text:
            post.text = text
            _apply_check(post)
            changed = True
    new_time = post.scheduled_at
    if scheduled_at is not _UNSET:
        new_time = _check_schedule(scheduled_at)
    if not changed:
        if new_time != post.scheduled_at:
            # Only the time changes: not a new revision; the approvals stand (schedule.py).
            from postguard.web.workflow.schedule import apply_reschedule

            apply_reschedule(user, post, new_time)
        return post
    post.scheduled_at = new_time
    new_revision(user, post, before, "post.edit", checked=True)
    return post


def new_revision(
    user: AnyUser,
    post: Post,
    before: dict[str, Any],
    action: str,
    extra: dict[str, Any] | None = None,
    *,
    checked: bool = False,
) -> None:
    """What goes out changed (text or images): a new revision, checked again. The
    reviews so far saw the old one, so none of them counts any more; an approved post
    goes back to review."""
    if not checked:
        _apply_check(post)
    post.revision += 1
    if post.state in APPROVED_STATES:
        OutboxItem.objects.filter(post=post).delete()
        post.state = State.SUBMITTED
        post.approved_at = None
    elif post.state == State.IN_REVIEW:
        post.state = State.SUBMITTED
    elif post.state == State.EXPIRED:
        post.state = State.DRAFT
    post.save()
    record(
        action,
        actor=user,
        org=post.org,
        obj=post,
        before=before,
        after={**snapshot(post), **(extra or {})},
    )


@transaction.atomic
def submit(user: AnyUser, post: Post) -> Post:
    post = _locked(post)
    _require_author(user, post, "submit it")
    if post.state not in SUBMITTABLE:
        raise Conflict(
            f"Only a draft or a post with changes requested can be submitted; "
            f"this one is {post.get_state_display().lower()}."
        )
    orgs.require_can_draft(user, post.channel)
    _check_schedule(post.scheduled_at)
    from postguard.web.publishing.services import require_publishable

    require_publishable(post)
    before = snapshot(post)
    post.state = State.SUBMITTED
    post.submitted_at = timezone.now()
    post.save()
    record("post.submit", actor=user, org=post.org, obj=post, before=before, after=snapshot(post))
    return post


@dataclass(frozen=True, slots=True)
class Reviewed:
    post: Post
    review: Review
    #: False when the same reviewer had already given exactly this review.
    created: bool


def review(
    user: AnyUser,
    post: Post,
    decision: str,
    comment: str = "",
    justification: str = "",
    *,
    justifications: Mapping[str, str] | None = None,
    revision: int | None = None,
    content_hash: str | None = None,
) -> Post:
    """A committee member approves, requests changes or rejects (see record_review)."""
    return record_review(
        user,
        post,
        decision,
        comment,
        justification,
        justifications=justifications,
        revision=revision,
        content_hash=content_hash,
    ).post


def record_review(
    user: AnyUser,
    post: Post,
    decision: str,
    comment: str = "",
    justification: str = "",
    *,
    justifications: Mapping[str, str] | None = None,
    revision: int | None = None,
    content_hash: str | None = None,
) -> Reviewed:
    """A committee member approves, requests changes or rejects what they read.

    ``revision`` and ``content_hash`` name what the reviewer saw (the page's form and
    the API send them back); without them, the ``post`` given is what was seen. A
    review of anything but the current content is refused (Stale, 409). The same
    review given twice is recorded once.

    A chair approving a post with block findings justifies each blocking rule:
    ``justifications`` maps rule ids to reasons; ``justification`` alone stands for
    the one rule when only one blocks."""
    seen_revision = post.revision if revision is None else revision
    seen_hash = content_hash_of(post) if content_hash is None else content_hash
    if (
        post.scheduled_at is not None
        and post.scheduled_at <= timezone.now()
        and post.state in EXPIRABLE
    ):
        # Approving after the time it was meant to go out would publish it
        # late without anyone deciding that; expire it instead.
        expire_overdue(only=post.pk)
        raise Conflict("The scheduled time has passed, so the post has expired.")
    for text, what in ((comment, "review comment"), (justification, "justification")):
        if not isinstance(text, str):
            raise Invalid(f"The {what} must be text.")
        _require_unicode(text, what)
    per_rule: dict[str, str] = {}
    if justifications is not None:
        if not isinstance(justifications, Mapping):
            raise Invalid("The justifications are a mapping of rule ids to reasons.")
        for rule, reason in justifications.items():
            if not isinstance(rule, str) or not isinstance(reason, str):
                raise Invalid("The justifications are a mapping of rule ids to reasons.")
            _require_unicode(reason, "justification")
            if reason.strip():
                per_rule[rule] = reason.strip()
    return _review(
        user,
        post,
        decision,
        comment.strip(),
        justification.strip(),
        per_rule,
        seen_revision,
        seen_hash,
    )


def block_rule_ids(post: Post) -> list[str]:
    """The rules whose findings block the post: what an override must justify."""
    return list(dict.fromkeys(f["rule_id"] for f in post.findings if f.get("severity") == "block"))


def _requested(post: Post, justification: str, per_rule: dict[str, str]) -> dict[str, str]:
    blocking = block_rule_ids(post)
    if justification and not per_rule:
        # One reason stands for the one blocking rule; for several it is refused later,
        # and must not pass for a repeat of a review without it.
        return {blocking[0]: justification} if len(blocking) == 1 else {"": justification}
    return per_rule


def _overrides(post: Post, justification: str, per_rule: dict[str, str]) -> dict[str, str]:
    """Each blocking rule with its reason (Invalid when one is missing, too short, or
    names a rule that does not block this post)."""
    blocking = block_rule_ids(post)
    if justification and not per_rule:
        if len(blocking) > 1:
            raise Invalid(
                f"This post has {len(blocking)} block findings ({', '.join(blocking)}); "
                "justify each rule on its own (justifications: {rule id: reason})."
            )
        per_rule = dict.fromkeys(blocking, justification)
    unknown = sorted(set(per_rule) - set(blocking))
    if unknown:
        raise Invalid(f"No block finding of this post comes from {', '.join(unknown)}.")
    minimum = orgs.approval_policy(post.org).override_min_chars
    missing = [rule for rule in blocking if len(per_rule.get(rule, "")) < minimum]
    if missing:
        raise Invalid(
            "This post has a block finding. To approve it anyway, write a justification "
            f"of at least {minimum} characters for each blocking rule ({', '.join(missing)}); "
            "it is kept in the record."
        )
    return {rule: per_rule[rule] for rule in blocking}


@transaction.atomic
def _review(
    user: AnyUser,
    post: Post,
    decision: str,
    comment: str,
    justification: str,
    per_rule: dict[str, str],
    seen_revision: int,
    seen_hash: str,
) -> Reviewed:
    post = _locked(post)
    if user.is_authenticated and post.author_id == user.pk:
        raise NotAllowed("You wrote this post; someone else on the committee must review it.")
    if not user.is_authenticated:
        raise NotAllowed(
            "Only members of the Communications & Technical Standing Committee can review posts."
        )
    assert isinstance(user, User)
    member = orgs.require_member(user, post.org)
    if member.role not in COMMITTEE_ROLES:
        raise NotAllowed(
            "Only members of the Communications & Technical Standing Committee "
            "(its reviewers and chair) can review posts."
        )
    current_hash = content_hash_of(post)
    if seen_revision != post.revision:
        raise Stale(
            f"The post changed since you opened it (revision {seen_revision} → "
            f"{post.revision}); reload it and review again."
        )
    if seen_hash not in _hashes_of(post):
        raise Stale(
            f"The post changed since you opened it (revision {post.revision} is not what "
            "you read); reload it and review again."
        )
    if decision not in Decision.values:
        raise Invalid("The decision is approve, request_changes or reject.")
    latest = post.reviews.filter(reviewer=user, revision=post.revision).order_by("-id").first()
    if (
        latest is not None
        and latest.content_hash in _hashes_of(post)
        and (latest.decision, latest.comment) == (decision, comment)
        and (latest.override_justifications or {}) == _requested(post, justification, per_rule)
    ):
        # A double click, or a client retrying: the review is already recorded.
        return Reviewed(post, latest, created=False)
    if post.state not in REVIEWABLE:
        raise Conflict(
            f"Only a submitted post can be reviewed; this one is "
            f"{post.get_state_display().lower()}."
        )
    if any(len(t) > MAX_COMMENT_CHARS for t in (comment, justification, *per_rule.values())):
        raise Invalid(f"Comments are limited to {MAX_COMMENT_CHARS:,} characters.")
    if decision != Decision.APPROVE and not comment:
        raise Invalid("Say what needs to change (or why it is rejected) in the comment.")
    overrides: dict[str, str] = {}
    if justification or per_rule:
        if decision != Decision.APPROVE:
            raise Invalid("A justification overrides a block finding; it goes with an approval.")
        if member.role != Role.CHAIR:
            raise NotAllowed("Only the committee chair can override a block finding.")
        if post.decision != "block":
            raise Invalid("There is no block finding to override.")
    if decision == Decision.APPROVE and post.decision == "block" and member.role == Role.CHAIR:
        overrides = _overrides(post, justification, per_rule)
    if decision == Decision.APPROVE:
        # What could never go out is not approved (the channel's network limits, a
        # channel nobody connected): the author is told now, not after approval.
        from postguard.web.publishing.services import require_publishable

        require_publishable(post)
    summary = "\n".join(f"{rule}: {reason}" for rule, reason in overrides.items())
    before = snapshot(post)
    lane: dict[str, str] = {}
    verdict = Review.objects.create(
        post=post,
        reviewer=user,
        revision=post.revision,
        content_hash=current_hash,
        decision=decision,
        comment=comment,
        override_justification=summary,
        override_justifications=overrides,
        reviewer_role=member.role,
    )
    if overrides:
        record(
            "post.override",
            actor=user,
            org=post.org,
            obj=post,
            before={"decision": post.decision, "rules": before["rules"]},
            after={
                "justification": summary,
                "justifications": overrides,
                "revision": post.revision,
            },
        )
    if decision == Decision.REQUEST_CHANGES:
        post.state = State.CHANGES_REQUESTED
        _notify(post.author, f"Changes requested on post #{post.pk}", comment)
    elif decision == Decision.REJECT:
        post.state = State.REJECTED
        _notify(post.author, f"Post #{post.pk} rejected", comment)
    elif (status := approval_status(post)).satisfied:
        _approve(post)
        if status.lane == CRISIS_LANE:
            lane = {"lane": CRISIS_LANE, "approved_alone_by": status.crisis_approver}
    else:
        post.state = State.IN_REVIEW
    post.save()
    record(
        f"post.review.{decision}",
        actor=user,
        org=post.org,
        obj=post,
        before=before,
        after={**snapshot(post), "review": verdict.pk, "comment": comment, **lane},
    )
    return Reviewed(post, verdict, created=True)


def _approve(post: Post) -> None:
    now = timezone.now()
    post.approved_at = now
    due = post.scheduled_at or now
    OutboxItem.objects.update_or_create(
        post=post,
        defaults={
            "channel": post.channel,
            "text": post.text,
            "revision": post.revision,
            "due_at": due,
        },
    )
    post.state = State.SCHEDULED if due > now else State.READY
    # The same sentence as the post's page and the API (publishing/status.py).
    from postguard.web.publishing.status import publishing_status

    status = publishing_status(post, now)
    _notify(post.author, f"Post #{post.pk} approved", f"Your post was approved. {status.label}.")


@transaction.atomic
def add_comment(user: AnyUser, post: Post, text: str) -> Comment:
    post = get_post(user, post.pk)
    assert isinstance(user, User)
    text = _clean_text(text, MAX_COMMENT_CHARS, "comment")
    comment = Comment.objects.create(post=post, author=user, text=text)
    record("post.comment", actor=user, org=post.org, obj=post, after={"comment": text})
    return comment


@transaction.atomic
def archive(user: AnyUser, post: Post) -> Post:
    post = _locked(post)
    if not user.is_authenticated or (
        post.author_id != user.pk and not orgs.has_role(user, post.org, {Role.ADMIN, Role.CHAIR})
    ):
        raise NotAllowed("Only the author, the committee chair or an administrator can archive.")
    if post.state not in ARCHIVABLE:
        raise Conflict(f"A {post.get_state_display().lower()} post cannot be archived.")
    before = snapshot(post)
    post.state = State.ARCHIVED
    post.save()
    record("post.archive", actor=user, org=post.org, obj=post, before=before, after=snapshot(post))
    return post


def _sweep(query: QuerySet[Post], change: Callable[[Post], str | None], action: str) -> list[Post]:
    done = []
    for pk in list(query.values_list("pk", flat=True)[:500]):
        with transaction.atomic():
            post = Post.objects.select_for_update().select_related("org", "author").get(pk=pk)
            before = snapshot(post)
            if change(post) is None:
                continue
            post.save()
            record(action, org=post.org, obj=post, before=before, after=snapshot(post))
            done.append(post)
    return done


def expire_overdue(now: datetime | None = None, *, only: int | None = None) -> list[Post]:
    """Posts whose scheduled time came before their approval: expired, author told."""
    now = now or timezone.now()
    query = Post.objects.filter(state__in=EXPIRABLE, scheduled_at__lte=now)
    if only is not None:
        query = query.filter(pk=only)

    def expire(post: Post) -> str | None:
        if post.state not in EXPIRABLE or post.scheduled_at is None or post.scheduled_at > now:
            return None
        post.state = State.EXPIRED
        _notify(
            post.author,
            f"Post #{post.pk} expired",
            f"Your post was not approved by its scheduled time "
            f"({local_time(post.scheduled_at, post.org)}), so it will not be published. "
            "Edit it to choose a new time and submit it again.",
        )
        return post.state

    return _sweep(query, expire, "post.expire")


def release_due(now: datetime | None = None) -> list[Post]:
    """Scheduled posts whose time has come move to ready-to-publish."""
    now = now or timezone.now()
    # A paused channel's posts stay scheduled until it is resumed (publishing/pause.py).
    query = Post.objects.filter(
        state=State.SCHEDULED, outbox__due_at__lte=now, channel__paused_at__isnull=True
    )

    def release(post: Post) -> str | None:
        if post.state != State.SCHEDULED or post.channel.paused_at is not None:
            return None
        post.state = State.READY
        return post.state

    return _sweep(query, release, "post.ready")


def tick(now: datetime | None = None) -> tuple[int, int]:
    """One pass of the background worker: (expired, released)."""
    return len(expire_overdue(now)), len(release_due(now))


# --- personal checks -----------------------------------------------------------------------


MAX_SAVED_CHECKS = 200


@transaction.atomic
def save_personal_check(
    user: AnyUser, org: Organization, text: str, *, kind: str = "post", audience: str = "public"
) -> PersonalCheck:
    """Keep a personal check because the member asked to; it is checked again here, so
    what is kept is what the engine says. Only its owner ever sees the text: the record
    notes that a check was saved, not what it said."""
    orgs.require_member(user, org)
    assert isinstance(user, User)
    if kind not in {"post", "reply", "comment"} or audience not in {"public", "closed"}:
        raise Invalid("Unknown kind of post or audience.")
    if PersonalCheck.objects.filter(user=user).count() >= MAX_SAVED_CHECKS:
        raise Conflict(f"You have {MAX_SAVED_CHECKS} saved checks; delete some before saving more.")
    report = check_text(text, account="personal", kind=kind, audience=audience)
    saved = PersonalCheck.objects.create(
        user=user,
        org=org,
        text=_clean_text(text, MAX_POST_CHARS, "post"),
        kind=kind,
        audience=audience,
        findings=[f.to_dict() for f in report.findings],
        decision=report.decision,
    )
    record(
        "check.save",
        actor=user,
        org=org,
        obj=saved,
        after={"decision": saved.decision, "findings": len(saved.findings)},
    )
    return saved


def personal_checks(user: AnyUser) -> QuerySet[PersonalCheck]:
    """The person's own saved checks, newest first."""
    if not user.is_authenticated:
        return PersonalCheck.objects.none()
    return PersonalCheck.objects.filter(user_id=user.pk)


def get_personal_check(user: AnyUser, check_id: int) -> PersonalCheck:
    found = personal_checks(user).filter(pk=check_id).first()
    if found is None:
        raise NotFound(f"No saved check {check_id}.")
    return found


@transaction.atomic
def delete_personal_check(user: AnyUser, check_id: int) -> None:
    found = get_personal_check(user, check_id)
    record("check.delete", actor=user, org=found.org_id, obj=found)
    found.delete()


# --- the codes ------------------------------------------------------------------------------


def rules_catalogue() -> list[dict[str, Any]]:
    """Every rule the workspace enforces, with its clause, as plain data."""
    rules = []
    for pack, rule, severity in default_engine().policy.rules():
        rules.append(
            {
                "id": rule.id,
                "pack": pack.id,
                "pack_title": pack.model.title,
                "title": rule.title,
                "category": rule.category,
                "severity": severity,
                "clause": rule.clause.section,
                "quote": rule.clause.quote,
                "applies_to": rule.applies_to.describe(),
                "message": rule.message,
                "fix": rule.fix,
            }
        )
    return rules


def provisions_catalogue() -> list[dict[str, Any]]:
    """Provisions enforced outside the engine (by the workflow, the audit, ...)."""
    return [
        {
            "id": prov.id,
            "pack": pack.id,
            "clause": prov.clause.section,
            "quote": prov.clause.quote,
            "enforced_by": prov.enforced_by,
            "how": prov.how,
        }
        for pack in default_engine().policy.packs
        for prov in pack.model.provisions
    ]
