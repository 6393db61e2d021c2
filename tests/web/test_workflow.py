"""The approval rules: who may draft, who may approve, overrides, edits, expiry."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from postguard.web.audit.models import AuditEntry
from postguard.web.errors import Conflict, Invalid, NotAllowed, NotFound
from postguard.web.orgs import services as orgs
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import OutboxItem, State

from .conftest import COMPLIANT, PRIVACY, World

pytestmark = pytest.mark.django_db


def inbox_comment(world: World, remote_id: str = "remote-comment-1") -> Any:
    """A comment someone left on the world's channel, in the inbox."""
    from postguard.connectors.base import InboundItem
    from postguard.web.inbox import services as inbox

    (item,) = inbox.ingest(
        world.channel,
        [
            InboundItem(
                remote_id,
                None,
                "@parent",
                "Where can I find a consultant?",
                timezone.now(),
                "comment",
                url=f"https://bsky.example/comments/{remote_id}",
            )
        ],
        source="pull",
    )
    return item


def test_every_save_runs_the_engine_and_keeps_its_findings(world: World) -> None:
    post = world.draft(PRIVACY)
    assert post.decision == "block"
    rules = {f["rule_id"] for f in post.findings}
    assert "IPALA-2a-phone" in rules
    phone = next(f for f in post.findings if f["rule_id"] == "IPALA-2a-phone")
    assert PRIVACY[phone["start"] : phone["end"]] == "07700 900123"
    assert phone["clause"].startswith("2(a)") and phone["fix"]


def test_a_member_not_authorized_on_the_channel_is_refused_and_told_who_can_authorize(
    world: World,
) -> None:
    with pytest.raises(NotAllowed) as refused:
        world.draft(by="reviewer")
    message = str(refused.value)
    assert "not authorized" in message
    assert "chair" in message and "chair" in message.lower()
    assert "administrator (admin)" in message


def test_an_empty_post_is_invalid(world: World) -> None:
    with pytest.raises(Invalid):
        world.draft("   \n ")


@pytest.mark.parametrize("author", ["chair", "author"])
def test_an_author_cannot_approve_their_own_post_and_is_told_why(world: World, author: str) -> None:
    post = world.submitted(by=author)
    with pytest.raises(NotAllowed) as refused:
        workflow.review(world[author], post, "approve")
    # The reason is authorship, not membership of the committee (the chair is on it).
    assert "You wrote this post; someone else" in str(refused.value)
    assert "Committee" not in str(refused.value)


def test_members_outside_the_committee_cannot_review(world: World) -> None:
    post = world.submitted()
    for role in ("admin", "author2"):
        with pytest.raises(NotAllowed, match="Committee"):
            workflow.review(world[role], post, "approve")
    with pytest.raises(NotFound):
        workflow.review(world["outsider"], post, "approve")


def test_the_required_number_of_approvals_is_respected(world: World) -> None:
    orgs.update_approval_policy(world["admin"], world.org, required_approvals=2)
    post = world.submitted()
    post = workflow.review(world["reviewer"], post, "approve")
    assert post.state == State.IN_REVIEW
    # The same reviewer approving twice still counts once.
    post = workflow.review(world["reviewer"], post, "approve")
    assert post.state == State.IN_REVIEW
    post = workflow.review(world["reviewer2"], post, "approve")
    assert post.state == State.READY
    assert OutboxItem.objects.get(post=post).text == post.text


def test_when_the_chair_is_required_other_approvals_are_not_enough(world: World) -> None:
    orgs.update_approval_policy(world["chair"], world.org, chair_required=True)
    post = world.submitted()
    post = workflow.review(world["reviewer"], post, "approve")
    post = workflow.review(world["reviewer2"], post, "approve")
    assert post.state == State.IN_REVIEW
    assert workflow.approval_status(post).missing == ("the committee chair's approval",)
    post = workflow.review(world["chair"], post, "approve")
    assert post.state == State.READY


def test_replies_take_the_faster_lane(world: World) -> None:
    orgs.update_approval_policy(
        world["admin"], world.org, required_approvals=2, reply_required_approvals=1
    )
    comment = inbox_comment(world)
    reply = world.submitted(
        "Thank you, we will look into it.", kind="reply", in_reply_to=comment.remote_id
    )
    assert workflow.review(world["reviewer"], reply, "approve").state == State.READY


def test_only_an_admin_or_the_chair_changes_approval_rules(world: World) -> None:
    with pytest.raises(NotAllowed):
        orgs.update_approval_policy(world["reviewer"], world.org, required_approvals=0)
    with pytest.raises(Invalid):
        orgs.update_approval_policy(world["admin"], world.org, required_approvals=0)


def test_a_block_finding_is_overridden_only_by_the_chair_with_a_justification(
    world: World,
) -> None:
    post = world.submitted(PRIVACY)
    assert post.decision == "block"
    # Reviewers' approvals are recorded but never enough.
    post = workflow.review(world["reviewer"], post, "approve")
    post = workflow.review(world["reviewer2"], post, "approve")
    assert post.state == State.IN_REVIEW
    with pytest.raises(NotAllowed, match="Only the committee chair"):
        workflow.review(world["reviewer"], post, "approve", justification="x" * 40)
    with pytest.raises(Invalid, match="justification"):
        workflow.review(world["chair"], post, "approve")
    with pytest.raises(Invalid, match="justification"):
        workflow.review(world["chair"], post, "approve", justification="ok")
    reason = "Sarah asked us in writing to share her story; consent form 2024-113."
    # One reason cannot stand for several blocking rules: each is justified on its own.
    with pytest.raises(Invalid, match="justify each rule"):
        workflow.review(world["chair"], post, "approve", justification=reason)
    rules = workflow.block_rule_ids(post)
    reasons = {rule: f"{reason} ({rule})" for rule in rules}
    post = workflow.review(world["chair"], post, "approve", justifications=reasons)
    assert post.state == State.READY
    override = AuditEntry.objects.get(action="post.override", object_id=str(post.pk))
    assert override.after["justifications"] == reasons
    assert override.actor_name == "chair"


def test_a_justification_without_a_block_finding_is_refused(world: World) -> None:
    post = world.submitted()
    with pytest.raises(Invalid, match="no block finding"):
        workflow.review(world["chair"], post, "approve", justification="because I say so, ok")


def test_requesting_changes_or_rejecting_needs_a_comment(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    post = world.submitted()
    with pytest.raises(Invalid):
        workflow.review(world["reviewer"], post, "request_changes")
    with django_capture_on_commit_callbacks(execute=True):
        post = workflow.review(world["reviewer"], post, "request_changes", "Add the source.")
    assert post.state == State.CHANGES_REQUESTED
    assert mail.outbox and "Changes requested" in mail.outbox[-1].subject
    post = workflow.edit_post(world["author"], post, text=post.text + " Source: WHO.")
    post = workflow.submit(world["author"], post)
    post = workflow.review(world["chair"], post, "reject", "Not now.")
    assert post.state == State.REJECTED
    with pytest.raises(Conflict):
        workflow.edit_post(world["author"], post, text="Try again")


def test_editing_an_approved_post_sends_it_back_to_review(world: World) -> None:
    post = world.submitted()
    post = workflow.review(world["reviewer"], post, "approve")
    assert post.state == State.READY
    post = workflow.edit_post(world["author"], post, text=post.text + " Everyone welcome.")
    assert post.state == State.SUBMITTED
    assert post.revision == 2
    assert not OutboxItem.objects.filter(post=post).exists()
    assert workflow.approval_status(post).approvals == 0
    # The earlier approval saw revision 1; a new one is needed.
    post = workflow.review(world["reviewer"], post, "approve")
    assert post.state == State.READY
    assert OutboxItem.objects.get(post=post).revision == 2


def test_changing_only_the_time_of_an_approved_post_keeps_its_approval_and_is_recorded(
    world: World,
) -> None:
    first = timezone.now() + timedelta(days=2)
    post = world.submitted(scheduled_at=first)
    post = workflow.review(world["reviewer"], post, "approve")
    assert post.state == State.SCHEDULED
    later = first + timedelta(days=3)
    post = workflow.edit_post(world["author"], post, scheduled_at=later)
    assert (post.state, post.revision) == (State.SCHEDULED, 1)
    assert workflow.approval_status(post).satisfied
    assert OutboxItem.objects.get(post=post).due_at == later
    entry = AuditEntry.objects.get(action="post.reschedule", object_id=str(post.pk))
    assert entry.actor_name == "author"
    assert entry.before["scheduled_at"][:19] == first.isoformat()[:19]
    assert entry.after["scheduled_at"][:19] == later.isoformat()[:19]
    assert entry.after["content_hash"] == workflow.content_hash_of(post)


def test_only_the_author_edits_and_submits(world: World) -> None:
    post = world.draft()
    with pytest.raises(NotAllowed):
        workflow.edit_post(world["chair"], post, text="Hijacked")
    with pytest.raises(NotAllowed):
        workflow.submit(world["author2"], post)


def test_a_post_not_approved_by_its_scheduled_time_expires_and_the_author_is_told(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    when = timezone.now() + timedelta(hours=1)
    post = world.submitted(scheduled_at=when)
    approved = world.submitted(scheduled_at=when)
    approved = workflow.review(world["reviewer"], approved, "approve")
    assert approved.state == State.SCHEDULED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        expired, released = workflow.tick(when + timedelta(seconds=1))
    assert (expired, released) == (1, 1)
    post.refresh_from_db()
    approved.refresh_from_db()
    assert post.state == State.EXPIRED
    assert approved.state == State.READY
    assert any("expired" in m.subject and m.to == ["author@example.org"] for m in mail.outbox)
    entry = AuditEntry.objects.get(action="post.expire", object_id=str(post.pk))
    assert entry.actor_name == "" and entry.before["state"] == "submitted"


def test_reviewing_after_the_scheduled_time_expires_the_post(world: World) -> None:
    post = world.submitted(scheduled_at=timezone.now() + timedelta(hours=1))
    post.scheduled_at = timezone.now() - timedelta(minutes=1)
    post.save(update_fields=["scheduled_at"])
    with pytest.raises(Conflict, match="expired"):
        workflow.review(world["reviewer"], post, "approve")
    post.refresh_from_db()
    assert post.state == State.EXPIRED
    # Editing an expired post brings it back as a draft with a new time.
    post = workflow.edit_post(
        world["author"], post, scheduled_at=timezone.now() + timedelta(days=1)
    )
    assert post.state == State.DRAFT


def test_a_schedule_in_the_past_is_refused(world: World) -> None:
    with pytest.raises(Invalid, match="past"):
        world.draft(scheduled_at=timezone.now() - timedelta(minutes=1))


def test_removing_an_authorization_stops_drafting(world: World) -> None:
    post = world.draft()
    membership = orgs.membership(world["author"], world.org)
    assert membership is not None
    orgs.set_channel_authorization(world["chair"], world.channel, membership, False)
    with pytest.raises(NotAllowed, match="not authorized"):
        workflow.submit(world["author"], post)


def test_a_plain_member_cannot_be_authorized_on_a_channel(world: World) -> None:
    membership = orgs.membership(world["member"], world.org)
    assert membership is not None
    with pytest.raises(Conflict):
        orgs.set_channel_authorization(world["admin"], world.channel, membership, True)
    with pytest.raises(NotAllowed):
        orgs.set_channel_authorization(world["reviewer"], world.channel, membership, True)


def test_comments_are_shared_between_the_author_and_the_reviewers(world: World) -> None:
    post = world.submitted()
    workflow.add_comment(world["reviewer"], post, "Could you add the date?")
    workflow.add_comment(world["author"], post, "Done.")
    assert [c.text for c in post.comments.all()] == ["Could you add the date?", "Done."]
    with pytest.raises(NotFound):
        workflow.add_comment(world["member"], post, "Let me in")


def test_the_review_queue_holds_others_posts_awaiting_review(world: World) -> None:
    mine = world.submitted(by="chair")
    theirs = world.submitted()
    world.draft()
    assert list(workflow.review_queue(world["chair"])) == [theirs]
    assert set(workflow.review_queue(world["reviewer"])) == {mine, theirs}
    assert not workflow.review_queue(world["author"]).exists()


def test_the_last_administrator_cannot_be_demoted(world: World) -> None:
    membership = orgs.membership(world["admin"], world.org)
    assert membership is not None
    with pytest.raises(Conflict, match="last administrator"):
        orgs.set_role(world["admin"], membership, "member")


# --- reviews bound to what the reviewer read (issue 10, finding 1) ------------------------


def _seen(post: Any) -> dict[str, Any]:
    return {"revision": post.revision, "content_hash": workflow.content_hash_of(post)}


def test_an_approval_of_a_text_the_reviewer_never_saw_is_refused(world: World) -> None:
    orgs.update_approval_policy(world["admin"], world.org, required_approvals=2)
    post = world.submitted("Our AGM is on 12 May at the town library; all members welcome.")
    # Both reviewers open the post ...
    first, second = _seen(post), _seen(post)
    # ... the author rewrites it ...
    workflow.edit_post(
        world["author"],
        post,
        text="Our AGM is cancelled. We no longer support the Code; buy any formula you like.",
    )
    # ... and both submit the review forms they loaded.
    for name, seen in (("reviewer", first), ("reviewer2", second)):
        with pytest.raises(workflow.Stale) as refused:
            workflow.review(world[name], post, "approve", **seen)
        assert "changed since you opened it (revision 1 → 2)" in str(refused.value)
        assert refused.value.status == 409
    post.refresh_from_db()
    assert post.state == State.SUBMITTED and post.revision == 2
    assert not post.reviews.exists()
    assert not OutboxItem.objects.filter(post=post).exists()


def test_a_stale_post_object_cannot_approve_the_new_text_either(world: World) -> None:
    post = world.submitted()
    stale = workflow.get_post(world["reviewer"], post.pk)
    workflow.edit_post(world["author"], post, text=COMPLIANT + " Changed.")
    with pytest.raises(workflow.Stale):
        workflow.review(world["reviewer"], stale, "approve")


def test_a_review_naming_other_content_of_the_same_revision_is_refused(world: World) -> None:
    post = world.submitted()
    with pytest.raises(workflow.Stale, match="reload it and review again"):
        workflow.review(world["reviewer"], post, "approve", revision=1, content_hash="0" * 64)
    assert not post.reviews.exists()


def test_the_content_hash_covers_everything_that_goes_out(world: World) -> None:
    post = world.draft(scheduled_at=timezone.now() + timedelta(days=1))
    digest = workflow.content_hash_of(post)
    assert len(digest) == 64 and digest == workflow.content_hash_of(post)
    for change in (
        {"text": post.text + "!"},
        {"kind": "reply"},
        {"in_reply_to": "somewhere"},
        {"channel_id": world.closed_channel.pk},
    ):
        changed = workflow.get_post(world["author"], post.pk)
        for field, value in change.items():
            setattr(changed, field, value)
        assert workflow.content_hash_of(changed) != digest, change


def test_the_content_hash_leaves_out_when_the_post_goes_out(world: World) -> None:
    post = world.draft(scheduled_at=timezone.now() + timedelta(days=1))
    digest = workflow.content_hash_of(post)
    post.scheduled_at = None
    assert workflow.content_hash_of(post) == digest


def test_a_new_time_while_in_review_keeps_the_approvals_so_far(world: World) -> None:
    orgs.update_approval_policy(world["admin"], world.org, required_approvals=2)
    post = world.submitted(scheduled_at=timezone.now() + timedelta(days=2))
    post = workflow.review(world["reviewer"], post, "approve", **_seen(post))
    assert post.state == State.IN_REVIEW
    post = workflow.edit_post(
        world["author"], post, scheduled_at=timezone.now() + timedelta(days=3)
    )
    assert post.revision == 1
    post = workflow.review(world["reviewer2"], post, "approve", **_seen(post))
    # Both approvals saw the same text: two of two.
    assert post.state == State.SCHEDULED
    assert workflow.approval_status(post).approvers == ("reviewer", "reviewer2")


def test_a_new_text_while_in_review_still_voids_the_approvals_so_far(world: World) -> None:
    orgs.update_approval_policy(world["admin"], world.org, required_approvals=2)
    post = world.submitted()
    seen = _seen(post)
    post = workflow.review(world["reviewer"], post, "approve", **seen)
    post = workflow.edit_post(world["author"], post, text=post.text + " Edited.")
    with pytest.raises(workflow.Stale):
        workflow.review(world["reviewer2"], post, "approve", **seen)
    assert workflow.approval_status(post).approvals == 0


def test_the_review_records_the_hash_of_what_was_read(world: World) -> None:
    post = world.submitted()
    seen = _seen(post)
    workflow.review(world["reviewer"], post, "approve", **seen)
    review = post.reviews.get()
    assert (review.revision, review.content_hash) == (seen["revision"], seen["content_hash"])
    entry = AuditEntry.objects.get(action="post.review.approve", object_id=str(post.pk))
    assert entry.after["content_hash"] == seen["content_hash"]


def test_the_same_review_twice_is_recorded_once(world: World) -> None:
    post = world.submitted()
    first = workflow.record_review(world["reviewer"], post, "approve", "Fine", **_seen(post))
    again = workflow.record_review(world["reviewer"], post, "approve", "Fine", **_seen(post))
    assert first.created and not again.created
    assert again.review.pk == first.review.pk and again.post.state == State.READY
    assert post.reviews.count() == 1
    assert AuditEntry.objects.filter(action="post.review.approve").count() == 1


def test_a_different_second_review_of_a_ready_post_is_a_conflict(world: World) -> None:
    post = world.submitted()
    workflow.review(world["reviewer"], post, "approve", **_seen(post))
    with pytest.raises(Conflict, match="ready"):
        workflow.review(world["reviewer"], post, "approve", "Now with a comment", **_seen(post))


# --- the reply lane needs a real parent (issue 10, finding 2) ------------------------------


def test_a_reply_without_a_parent_is_refused(world: World) -> None:
    orgs.update_approval_policy(
        world["admin"], world.org, required_approvals=2, reply_required_approvals=1
    )
    for missing in ("", "   "):
        with pytest.raises(Invalid, match="A reply needs what it answers"):
            world.draft(kind="reply", in_reply_to=missing)
    assert not workflow.visible_posts(world["author"]).exists()


def test_a_reply_to_something_unknown_on_the_channel_is_refused(world: World) -> None:
    inbox_comment(world, "on-bluesky")
    for unknown in ("https://bsky.example/post/123", "no-such-id"):
        with pytest.raises(Invalid, match="Nothing on Bluesky is known as"):
            world.draft(kind="reply", in_reply_to=unknown)
    # An inbox item of another channel is not a parent here.
    with pytest.raises(Invalid, match="Nothing on"):
        workflow.create_post(
            world["author"],
            world.closed_channel,
            COMPLIANT,
            kind="reply",
            in_reply_to="on-bluesky",
        )


def test_a_reply_to_an_inbox_item_by_id_or_address_takes_the_fast_lane(world: World) -> None:
    orgs.update_approval_policy(
        world["admin"], world.org, required_approvals=2, reply_required_approvals=1
    )
    comment = inbox_comment(world)
    by_address = world.draft(kind="reply", in_reply_to=comment.url)
    # Stored as the id the network needs to thread the reply.
    assert by_address.in_reply_to == comment.remote_id
    reply = world.submitted(kind="reply", in_reply_to=f"  {comment.remote_id} ")
    assert workflow.review(world["reviewer"], reply, "approve").state == State.READY


def test_a_reply_to_a_published_post_of_the_channel_is_accepted(world: World) -> None:
    post = workflow.review(world["reviewer"], world.submitted(), "approve")
    OutboxItem.objects.filter(post=post).update(
        remote_id="at://did:plc:x/app.bsky.feed.post/1", remote_url="https://bsky.example/p/1"
    )
    reply = world.draft(kind="reply", in_reply_to="https://bsky.example/p/1")
    assert reply.in_reply_to == "at://did:plc:x/app.bsky.feed.post/1"


def test_a_post_that_names_a_parent_is_refused(world: World) -> None:
    comment = inbox_comment(world)
    with pytest.raises(Invalid, match="Only a reply answers something"):
        world.draft(kind="post", in_reply_to=comment.remote_id)


def test_an_old_reply_without_a_parent_needs_the_approvals_of_a_post(world: World) -> None:
    orgs.update_approval_policy(
        world["admin"], world.org, required_approvals=2, reply_required_approvals=1
    )
    post = world.submitted()
    # As stored before the parent was required.
    type(post).objects.filter(pk=post.pk).update(kind="reply", in_reply_to="")
    post.refresh_from_db()
    post = workflow.review(world["reviewer"], post, "approve")
    assert post.state == State.IN_REVIEW
    assert workflow.approval_status(post).required == 2


# --- input the database cannot store, schedules out of range (issue 10, finding 6) --------


def test_a_lone_surrogate_is_refused_with_a_clear_message(world: World) -> None:
    with pytest.raises(Invalid, match="lone surrogate"):
        world.draft("Hello \ud800 world")
    post = world.submitted()
    with pytest.raises(Invalid, match="lone surrogate"):
        workflow.edit_post(world["author"], post, text="\udfff")
    with pytest.raises(Invalid, match="lone surrogate"):
        workflow.add_comment(world["reviewer"], post, "Nice \ud83d")
    with pytest.raises(Invalid, match="lone surrogate"):
        workflow.review(world["reviewer"], post, "request_changes", "Fix \ud800")
    with pytest.raises(Invalid, match="lone surrogate"):
        workflow.check_text("\ud800", account="personal")
    assert not post.reviews.exists() and not post.comments.exists()


@pytest.mark.parametrize(
    ("when", "words"),
    [
        ("9999-12-31T23:59:59-14:00", "out of range"),
        ("0001-01-01T00:00:00+01:00", "out of range"),
        ("0001-01-01T00:00:00+00:00", "past"),
        ("9999-12-31T23:59:59+00:00", "more than 2 years ahead"),
        ("2200-01-01T00:00:00+00:00", "more than 2 years ahead"),
        ("2030-01-01T09:00:00", "time zone"),
    ],
)
def test_a_schedule_out_of_range_is_refused(world: World, when: str, words: str) -> None:
    from datetime import datetime

    with pytest.raises(Invalid, match=words):
        world.draft(scheduled_at=datetime.fromisoformat(when))
    post = world.draft()
    with pytest.raises(Invalid, match=words):
        workflow.edit_post(world["author"], post, scheduled_at=datetime.fromisoformat(when))
    post.refresh_from_db()
    assert post.scheduled_at is None and post.revision == 1
