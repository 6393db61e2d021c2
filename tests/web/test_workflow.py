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

from .conftest import PRIVACY, World

pytestmark = pytest.mark.django_db


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


def test_an_author_cannot_approve_their_own_post(world: World) -> None:
    post = world.submitted(by="chair")
    with pytest.raises(NotAllowed, match="own post"):
        workflow.review(world["chair"], post, "approve")


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
    reply = world.submitted("Thank you, we will look into it.", kind="reply")
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
    post = workflow.review(world["chair"], post, "approve", justification=reason)
    assert post.state == State.READY
    override = AuditEntry.objects.get(action="post.override", object_id=str(post.pk))
    assert override.after["justification"] == reason
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


def test_changing_only_the_schedule_of_an_approved_post_needs_a_new_approval(
    world: World,
) -> None:
    post = world.submitted(scheduled_at=timezone.now() + timedelta(days=2))
    post = workflow.review(world["reviewer"], post, "approve")
    assert post.state == State.SCHEDULED
    post = workflow.edit_post(
        world["author"], post, scheduled_at=timezone.now() + timedelta(days=5)
    )
    assert post.state == State.SUBMITTED
    assert workflow.approval_status(post).approvals == 0


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
