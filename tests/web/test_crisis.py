"""The crisis lane (issue 14): a reply to a person at risk is approved by the chair, or
the crisis deputy, alone; channels can be paused while a crisis is handled."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from postguard.web.audit.models import AuditEntry
from postguard.web.errors import Invalid, NotAllowed
from postguard.web.orgs import services as orgs
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import State

from .conftest import COMPLIANT, PRIVACY, World

pytestmark = pytest.mark.django_db

CRISIS_TEXT = "I feel like ending it all tonight."
HOLDING_REPLY = (
    "We are concerned by what you wrote. If you or your baby are in danger, please call "
    "your local emergency number now."
)


def inbound(world: World, text: str, remote_id: str) -> Any:
    from postguard.connectors.base import InboundItem
    from postguard.web.inbox import services as inbox

    (item,) = inbox.ingest(
        world.channel,
        [InboundItem(remote_id, None, "@parent", text, timezone.now(), "comment")],
        source="pull",
    )
    return item


def strict(world: World) -> None:
    """Two approvals, the chair's among them, for replies as for posts."""
    orgs.update_approval_policy(
        world["admin"],
        world.org,
        required_approvals=2,
        reply_required_approvals=2,
        chair_required=True,
        reply_chair_required=True,
    )


def crisis_reply(world: World, text: str = HOLDING_REPLY, *, by: str = "author") -> Any:
    item = inbound(world, CRISIS_TEXT, "crisis-1")
    assert "signal.crisis" in item.categories
    return world.submitted(text, by=by, kind="reply", in_reply_to=item.remote_id)


def test_the_chair_alone_approves_a_reply_to_a_crisis_item_recorded_as_the_crisis_lane(
    world: World,
) -> None:
    strict(world)
    post = workflow.review(world["chair"], crisis_reply(world), "approve")
    assert post.state == State.READY
    entry = AuditEntry.objects.filter(action="post.review.approve", object_id=str(post.pk)).get()
    assert entry.after["lane"] == "crisis lane"
    assert entry.after["approved_alone_by"] == "chair"


def test_the_named_deputy_alone_approves_a_crisis_reply(world: World) -> None:
    strict(world)
    orgs.update_approval_policy(world["chair"], world.org, crisis_deputy="reviewer")
    post = workflow.review(world["reviewer"], crisis_reply(world), "approve")
    assert post.state == State.READY
    assert workflow.approval_status(post).crisis_approver == "reviewer"


def test_a_reviewer_who_is_not_the_deputy_does_not_open_the_crisis_lane(world: World) -> None:
    strict(world)
    orgs.update_approval_policy(world["chair"], world.org, crisis_deputy="reviewer")
    post = workflow.review(world["reviewer2"], crisis_reply(world), "approve")
    assert post.state == State.IN_REVIEW
    status = workflow.approval_status(post)
    assert status.crisis and status.lane == "normal" and not status.satisfied


def test_the_normal_rule_still_approves_a_crisis_reply(world: World) -> None:
    orgs.update_approval_policy(world["admin"], world.org, reply_required_approvals=2)
    post = crisis_reply(world)
    post = workflow.review(world["reviewer"], post, "approve")
    assert post.state == State.IN_REVIEW
    post = workflow.review(world["reviewer2"], post, "approve")
    assert post.state == State.READY
    entry = AuditEntry.objects.filter(action="post.review.approve", object_id=str(post.pk))
    assert all("lane" not in e.after for e in entry)


def test_a_reply_to_an_ordinary_item_gets_no_crisis_lane(world: World) -> None:
    strict(world)
    item = inbound(world, "Thanks, lovely post!", "plain-1")
    post = world.submitted(kind="reply", in_reply_to=item.remote_id)
    post = workflow.review(world["chair"], post, "approve")
    assert post.state == State.IN_REVIEW
    assert not workflow.approval_status(post).crisis


def test_an_item_marked_urgent_by_hand_opens_the_crisis_lane(world: World) -> None:
    from postguard.web.inbox.models import InboxItem, Priority

    strict(world)
    item = inbound(world, "Thanks, lovely post!", "plain-2")
    InboxItem.objects.filter(pk=item.pk).update(priority=Priority.URGENT)
    post = world.submitted(kind="reply", in_reply_to=item.remote_id)
    assert workflow.review(world["chair"], post, "approve").state == State.READY


def test_the_chair_cannot_approve_their_own_crisis_reply_but_the_deputy_can(
    world: World,
) -> None:
    strict(world)
    orgs.update_approval_policy(world["chair"], world.org, crisis_deputy="reviewer")
    post = crisis_reply(world, by="chair")
    with pytest.raises(NotAllowed, match="You wrote this post"):
        workflow.review(world["chair"], post, "approve")
    assert workflow.review(world["reviewer"], post, "approve").state == State.READY


def test_a_crisis_approval_counts_only_for_the_revision_it_saw(world: World) -> None:
    strict(world)
    post = crisis_reply(world)
    seen = {"revision": post.revision, "content_hash": workflow.content_hash_of(post)}
    workflow.edit_post(world["author"], post, text=HOLDING_REPLY + " We are here.")
    with pytest.raises(workflow.Stale):
        workflow.review(world["chair"], post, "approve", **seen)


def test_a_blocked_crisis_reply_still_needs_the_chairs_justified_override(world: World) -> None:
    strict(world)
    orgs.update_approval_policy(world["chair"], world.org, crisis_deputy="reviewer")
    post = crisis_reply(world, PRIVACY)
    assert post.decision == "block"
    post = workflow.review(world["reviewer"], post, "approve")
    status = workflow.approval_status(post)
    assert post.state == State.IN_REVIEW
    assert status.missing == ("the chair's justified override of the block finding(s)",)


def test_the_deputy_must_be_a_reviewer_of_the_organization(world: World) -> None:
    for who in ("author", "member", "outsider", "nobody"):
        with pytest.raises(Invalid, match="crisis deputy must be"):
            orgs.update_approval_policy(world["chair"], world.org, crisis_deputy=who)
    with pytest.raises(NotAllowed):
        orgs.update_approval_policy(world["reviewer"], world.org, crisis_deputy="reviewer")


def test_the_deputy_is_set_on_the_approval_settings_page_and_recorded(world: World) -> None:
    policy = orgs.approval_policy(world.org)
    response = world.client("chair").post(
        "/settings/approval/",
        {
            "required_approvals": policy.required_approvals,
            "reply_required_approvals": policy.reply_required_approvals,
            "override_min_chars": policy.override_min_chars,
            "crisis_deputy": "reviewer2",
        },
    )
    assert response.status_code == 302
    assert orgs.approval_policy(world.org).crisis_deputy == world["reviewer2"]
    entry = AuditEntry.objects.filter(action="org.approval_policy").latest("seq")
    assert entry.after["crisis_deputy"] == "reviewer2"
    page = world.client("chair").get("/settings/approval/").content.decode()
    assert "Crisis deputy" in page and "reviewer2" in page


def test_the_post_page_says_the_crisis_lane_is_open(world: World) -> None:
    strict(world)
    post = crisis_reply(world)
    page = world.client("reviewer").get(f"/posts/{post.pk}/").content.decode()
    assert "Crisis lane:" in page


def test_the_holding_reply_used_here_is_not_blocked() -> None:
    # The reply the tests send must not itself be blocked, or they would test overrides.
    assert workflow.check_text(HOLDING_REPLY, account="official").decision != "block"
    assert COMPLIANT


# --- pausing a channel's scheduled posts ----------------------------------------------


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Any:
    from typing import ClassVar

    from cryptography.fernet import Fernet

    from postguard.connectors.base import Limits
    from postguard.web.publishing import services
    from tests.connectors.fakes import FakeNetwork

    class Network(FakeNetwork):
        limits: ClassVar[Limits] = Limits(max_chars=500)

    monkeypatch.delenv("POSTGUARD_SECRETS_KEY_FILE", raising=False)
    monkeypatch.setenv("POSTGUARD_SECRETS_KEY", Fernet.generate_key().decode())
    fake = Network()
    monkeypatch.setattr(services, "connector_for", lambda channel: fake)
    return fake


def scheduled_and_due(world: World) -> Any:
    """An approved post scheduled for later, whose time has now come."""
    from datetime import timedelta

    from postguard.web.workflow.models import OutboxItem

    post = world.submitted(scheduled_at=timezone.now() + timedelta(hours=1))
    post = workflow.review(world["reviewer"], post, "approve")
    assert post.state == State.SCHEDULED
    OutboxItem.objects.filter(post=post).update(due_at=timezone.now() - timedelta(minutes=1))
    return post


def test_the_worker_holds_a_due_post_on_a_paused_channel_and_sends_it_after_resume(
    world: World, network: Any
) -> None:
    from postguard.web.publishing import pause
    from postguard.web.publishing.worker import run_once

    post = scheduled_and_due(world)
    pause.pause(world["chair"], world.channel.pk)
    run_once()
    post.refresh_from_db()
    assert post.state == State.SCHEDULED and network.posts == []
    pause.resume(world["admin"], world.channel.pk)
    run_once()
    post.refresh_from_db()
    assert post.state == State.PUBLISHED and len(network.posts) == 1


def test_a_post_already_queued_when_the_channel_is_paused_waits_too(
    world: World, network: Any
) -> None:
    from postguard.web.publishing import pause, services
    from postguard.web.publishing.models import Publication, PublicationState
    from postguard.web.publishing.worker import run_once, run_queued_tasks

    post = workflow.review(world["reviewer"], world.submitted(), "approve")
    assert services.enqueue_due() == 1
    pause.pause(world["chair"], world.channel.pk)
    run_queued_tasks()
    assert network.posts == []
    assert Publication.objects.get(post=post).state == PublicationState.PENDING
    pause.resume(world["chair"], world.channel.pk)
    run_once()
    assert len(network.posts) == 1


def test_pause_and_resume_are_recorded_and_the_channel_page_says_who_paused(
    world: World,
) -> None:
    chair = world.client("chair")
    response = chair.post(f"/channels/{world.channel.pk}/pause/")
    assert response.status_code == 302
    page = chair.get(f"/channels/{world.channel.pk}/").content.decode()
    assert "Paused</strong> by chair at" in page
    assert "Resume scheduled posts on Bluesky" in page
    chair.post(f"/channels/{world.channel.pk}/resume/")
    page = chair.get(f"/channels/{world.channel.pk}/").content.decode()
    assert "Pause all scheduled posts on Bluesky" in page
    actions = list(
        AuditEntry.objects.filter(object_type="channel", object_id=str(world.channel.pk))
        .filter(action__in=("channel.pause", "channel.resume"))
        .values_list("action", "actor_id")
    )
    assert actions == [("channel.pause", world["chair"].pk), ("channel.resume", world["chair"].pk)]


def test_a_second_pause_keeps_who_paused_first(world: World) -> None:
    from postguard.web.publishing import pause

    first = pause.pause(world["chair"], world.channel.pk)
    again = pause.pause(world["admin"], world.channel.pk)
    assert again.paused_by == world["chair"] and again.paused_at == first.paused_at
    assert AuditEntry.objects.filter(action="channel.pause").count() == 1


def test_the_crisis_case_page_has_the_pause_button_and_comes_back_to_the_case(
    world: World,
) -> None:
    from postguard.web.inbox import defaults

    defaults.install_defaults(world.org)
    item = inbound(world, CRISIS_TEXT, "crisis-case")
    case = item.cases.get()
    chair = world.client("chair")
    page = chair.get(f"/cases/{case.pk}/").content.decode()
    assert "Pause scheduled posts on the channel" in page
    assert f'action="/channels/{world.channel.pk}/pause/"' in page
    response = chair.post(f"/channels/{world.channel.pk}/pause/", {"next": f"/cases/{case.pk}/"})
    assert response["Location"] == f"/cases/{case.pk}/"
    world.channel.refresh_from_db()
    assert world.channel.paused_at is not None
    page = chair.get(f"/cases/{case.pk}/").content.decode()
    assert "Resume scheduled posts on Bluesky" in page
    elsewhere = chair.post(
        f"/channels/{world.channel.pk}/resume/", {"next": "https://evil.example/"}
    )
    assert elsewhere["Location"] == f"/channels/{world.channel.pk}/"


# --- urgent items and the crisis template -------------------------------------------------


def test_urgent_items_are_marked_in_the_inbox_list_with_a_word_not_only_a_colour(
    world: World,
) -> None:
    import re

    urgent = inbound(world, CRISIS_TEXT, "u1")
    calm = inbound(world, "Thanks, lovely post!", "c1")
    page = world.client("chair").get("/inbox/").content.decode()
    rows = {
        int(m.group(2)): m.group(1)
        for m in re.finditer(r"<tr([^>]*)>\s*<td><a href=\"/inbox/(\d+)/\"", page)
    }
    assert 'class="urgent"' in rows[urgent.pk]
    assert "urgent" not in rows[calm.pk]
    row = page[page.index(f'href="/inbox/{urgent.pk}/"') :].split("</tr>")[0]
    assert '<strong class="urgent-label">Urgent</strong>' in row


def test_the_crisis_template_promises_nothing_postguard_cannot_do() -> None:
    import re

    from postguard.web.inbox import defaults

    text = defaults.CRISIS_TEMPLATE.replace("{author}", "@someone.bsky.social")
    assert "private message" in text and "send us a private message" in text
    assert "emergency number now" in text
    for template in (
        defaults.CRISIS_TEMPLATE,
        defaults.CONSULT_TEMPLATE,
        defaults.COMPLAINT_TEMPLATE,
        defaults.NEGATIVE_TEMPLATE,
        defaults.PRIVACY_TEMPLATE,
        defaults.HARASSMENT_TEMPLATE,
    ):
        # postguard sends no private message, mail or call on anyone's behalf.
        assert not re.search(r"\bwe(?: have|'ve)? (?:sent|messaged|e-?mailed|called)\b", template)
    assert len(text) <= 300, "fits one Bluesky reply"
    report = workflow.check_text(text, account="official", kind="reply")
    assert report.decision != "block", [f.rule_id for f in report.findings]


def test_the_crisis_playbook_offers_the_new_template_and_the_migration_replaces_the_old(
    world: World,
) -> None:
    from importlib import import_module

    from django.apps import apps

    from postguard.web.inbox import defaults
    from postguard.web.inbox.models import PlaybookStep

    defaults.install_defaults(world.org)
    step = PlaybookStep.objects.get(playbook__org=world.org, template=defaults.CRISIS_TEMPLATE)
    PlaybookStep.objects.filter(pk=step.pk).update(template=defaults.OLD_CRISIS_TEMPLATE)
    migration = import_module(
        "postguard.web.inbox.migrations.0006_crisis_template_promises_no_private_message"
    )
    assert migration.OLD == defaults.OLD_CRISIS_TEMPLATE
    assert migration.NEW == defaults.CRISIS_TEMPLATE
    migration.forwards(apps, None)
    step.refresh_from_db()
    assert step.template == defaults.CRISIS_TEMPLATE


def test_deleting_the_crisis_comment_after_approval_keeps_the_reply_approved(
    world: World,
) -> None:
    from postguard.web.inbox.models import InboxItem

    strict(world)
    post = workflow.review(world["chair"], crisis_reply(world), "approve")
    InboxItem.objects.filter(remote_id="crisis-1").update(deleted_at=timezone.now())
    assert workflow.approval_status(post).satisfied
