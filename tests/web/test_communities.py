"""The communities app's services: policy, watching, reports, the ladder, appeals,
routing, member records, retention and uploaded packs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from postguard.web.audit.models import AuditEntry
from postguard.web.audit.services import verify
from postguard.web.communities import packs
from postguard.web.communities import services as communities
from postguard.web.communities.models import (
    Appeal,
    ItemState,
    Member,
    Message,
    PolicyState,
    QueueItem,
    Route,
    Sanction,
    Source,
    Step,
)
from postguard.web.communities.template import ProvisionData
from postguard.web.errors import Conflict, Invalid, NotAllowed, NotFound
from postguard.web.inbox import defaults
from postguard.web.inbox.models import Case as InboxCase
from postguard.web.inbox.models import Notification
from postguard.web.workflow import services as workflow

from .community_helper import CLIENT_DETAILS, ORDINARY, Communities
from .community_memory import NOTHING, MemoryCommunity
from .conftest import World

pytestmark = pytest.mark.django_db


def _flagged(c: Communities) -> QueueItem:
    c.post("$1", "dana", CLIENT_DETAILS)
    c.post("$2", "erin", ORDINARY)
    items = communities.read_community(c.group)
    assert len(items) == 1
    return items[0]


# --- the Community Policy ---------------------------------------------------------------


def test_a_new_community_starts_from_the_addendum_template_as_a_draft(comm: Communities) -> None:
    policy = comm.other.policies.get()
    assert policy.state == PolicyState.DRAFT
    titles = [p.title for p in policy.provisions.all()]
    assert "No profanity" in titles and "No biased statements" in titles
    assert "Complaints about care of clients" in titles


def test_publishing_pins_the_policy_and_its_link_in_the_room(comm: Communities) -> None:
    policy = communities.published_policy(comm.group)
    assert policy is not None and policy.pinned_id == "$pin1"
    assert comm.group.public_token in comm.room.pinned[0]


def test_publishing_where_the_platform_cannot_pin_records_how_to_do_it_by_hand(
    comm: Communities, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MemoryCommunity, "capabilities", NOTHING)
    world = comm.world
    communities.save_policy(
        world["reviewer"],
        comm.group,
        title="Community Policy",
        preamble="",
        provisions=[ProvisionData(1, "Be kind", "Be kind to one another in every thread.")],
    )
    policy = communities.publish_policy(world["reviewer"], comm.group)
    assert policy.version == 2 and policy.pinned_id == ""
    assert "by hand" in policy.pin_instructions
    assert comm.group.policies.get(version=1).state == PolicyState.SUPERSEDED


def test_only_the_communitys_administrators_edit_its_policy(comm: Communities) -> None:
    world = comm.world
    provisions = [ProvisionData(1, "Be kind", "Be kind to one another in every thread.")]
    with pytest.raises(NotAllowed):
        communities.save_policy(
            world["author"], comm.group, title="Mine", preamble="", provisions=provisions
        )
    with pytest.raises(NotFound):
        communities.save_policy(
            world["member"], comm.group, title="Mine", preamble="", provisions=provisions
        )


def test_a_provision_the_engine_cannot_use_is_refused_with_file_line_and_reason(
    comm: Communities,
) -> None:
    bad = ProvisionData(
        1,
        "No links",
        "Do not post links to shops.",
        "information.unapproved",
        "pattern",
        ["(unclosed"],
    )
    with pytest.raises(Invalid, match=r"community-\d+-v2\.yaml:\d+: rule CP\d+-1: pattern"):
        communities.save_policy(
            comm.world["reviewer"], comm.group, title="P", preamble="", provisions=[bad]
        )


def test_the_engine_cites_the_community_provision_on_a_members_message(comm: Communities) -> None:
    item = _flagged(comm)
    rules = {f["rule_id"] for f in item.findings}
    assert f"CP{comm.group.pk}-4" in rules  # provision 4, clients' privacy
    cited = next(f for f in item.findings if f["rule_id"] == f"CP{comm.group.pk}-4")
    assert cited["clause"] == "Community Policy, provision 4"


def test_words_a_provision_lists_are_flagged_citing_it(comm: Communities) -> None:
    world = comm.world
    communities.save_policy(
        world["reviewer"],
        comm.group,
        title="Community Policy",
        preamble="",
        provisions=[
            ProvisionData(
                1,
                "No selling",
                "Do not sell or advertise products in the group.",
                "commercial.undisclosed_interest",
                "lexicon",
                ["for sale", "dm me for prices"],
                example_violating="Pump for sale, dm me for prices",
                example_compliant="Which pump do you recommend?",
            )
        ],
    )
    communities.publish_policy(world["reviewer"], comm.group)
    comm.post("$9", "fran", "Hospital grade pump for sale, DM me for prices")
    (item,) = communities.read_community(comm.group)
    assert f"CP{comm.group.pk}-1" in {f["rule_id"] for f in item.findings}


# --- watching and reports ---------------------------------------------------------------


def test_watching_reads_from_the_stored_cursor_and_queues_only_flagged_messages(
    comm: Communities,
) -> None:
    item = _flagged(comm)
    assert item.source == Source.ENGINE and item.member is not None
    assert item.member.remote_id == "@dana:example.org"
    assert Message.objects.filter(community=comm.group).count() == 2
    comm.group.refresh_from_db()
    assert comm.group.cursor == "2"
    assert communities.read_community(comm.group) == []  # nothing new
    assert Message.objects.filter(community=comm.group).count() == 2


def test_the_periodic_job_reads_only_watched_communities(comm: Communities) -> None:
    comm.post("$1", "dana", CLIENT_DETAILS)
    assert communities.watch_all() == 0
    comm.group.watched = True
    comm.group.save()
    assert communities.watch_all() == 1


def test_a_platform_report_lands_in_the_queue(comm: Communities) -> None:
    from datetime import UTC, datetime

    from postguard.communities.base import PlatformReport

    comm.post("$2", "erin", ORDINARY)
    comm.room.reports.append(
        PlatformReport("0", "$2", "@gail:example.org", "spam", datetime.now(UTC))
    )
    items = communities.read_community(comm.group)
    assert [i.source for i in items] == [Source.PLATFORM]
    assert items[0].message is not None and items[0].route == Route.BREACH


def test_an_unreachable_platform_is_noted_not_raised(comm: Communities) -> None:
    MemoryCommunity.token = "changed"
    try:
        assert communities.read_community(comm.group) == []
    finally:
        MemoryCommunity.token = "bot-token"
    comm.group.refresh_from_db()
    assert "refused" in comm.group.last_error


def test_the_report_form_is_rate_limited_per_address(comm: Communities) -> None:
    token = comm.group.public_token
    for _ in range(communities.REPORTS_PER_ADDRESS):
        communities.report_by_member(token, text="Spam in the main room", address="203.0.113.9")
    with pytest.raises(Conflict) as refused:
        communities.report_by_member(token, text="Spam in the main room", address="203.0.113.9")
    assert refused.value.status == 429
    communities.report_by_member(token, text="Spam in the main room", address="203.0.113.10")


def test_a_moderator_flags_a_member_and_what_they_wrote(comm: Communities) -> None:
    item = communities.flag(
        comm.world["author"],
        comm.group,
        reason="Posted a client's details, screenshot in the mod channel",
        member_id="@hana:example.org",
        text=CLIENT_DETAILS,
    )
    assert item.member is not None and item.message is not None
    assert item.findings and item.source == Source.MODERATOR


# --- routing ----------------------------------------------------------------------------


def test_reporting_a_peer_to_iblce_over_a_comment_is_a_peer_dispute(comm: Communities) -> None:
    received = communities.report_by_member(
        comm.group.public_token,
        text="Reporting @LeahIBCLC to IBLCE… she called me unqualified… CPC violation!!",
    )
    assert received.item.route == Route.PEER_DISPUTE
    assert "good faith" in received.reply
    assert received.item.steps[0]["title"].startswith("Acknowledge")


def test_a_clients_complaint_gets_the_iblce_route_and_the_chair_is_told(
    comm: Communities,
) -> None:
    received = communities.report_by_member(
        comm.group.public_token,
        text="My lactation consultant refused to see me again and charged me twice. "
        "I want to report her to IBLCE.",
        contact="client@example.org",
    )
    assert received.item.route == Route.CLIENT_COMPLAINT
    assert received.item.state == ItemState.ROUTED
    assert "IBLCE" in received.reply
    told = Notification.objects.filter(reason="community.client_complaint")
    assert [n.recipient for n in told] == ["chair@example.org"]


def test_the_complaint_route_is_the_communitys_configured_template(comm: Communities) -> None:
    world = comm.world
    communities.update_settings(
        world["reviewer"],
        comm.group,
        warning_days=90,
        suspension_days=3,
        appeal_days=7,
        retention_days=365,
        complaint_template="Write to IBLCE's Ethics and Discipline team; we do not decide this.",
        watched=True,
    )
    received = communities.report_by_member(
        comm.group.public_token,
        text="The IBCLC at my appointment ignored my questions. Where do I complain?",
    )
    assert received.reply.startswith("Write to IBLCE's Ethics and Discipline team")


def test_a_crisis_opens_a_case_with_the_inbox_crisis_playbook(comm: Communities) -> None:
    defaults.install_defaults(comm.world.org)
    received = communities.report_by_member(
        comm.group.public_token,
        text="Please someone check on Anna, she posted that she wants to end it all tonight.",
    )
    assert received.item.route == Route.CRISIS
    case = InboxCase.objects.get(pk=received.item.case_id)
    assert case.situation == "crisis" and case.playbook is not None and case.steps.exists()
    assert "emergency" in received.reply


# --- the ladder -------------------------------------------------------------------------


def test_the_ladder_proposes_warning_then_suspension_then_ban(comm: Communities) -> None:
    world = comm.world
    item = _flagged(comm)
    member = item.member
    assert member is not None
    provision = communities.provision_of(comm.group, 1)
    assert communities.propose(member, provision) == Step.WARN
    communities.act(
        world["author"],
        comm.group,
        step="warn",
        provision_number=1,
        reason="Insults",
        member=member,
    )
    assert communities.propose(member, provision) == Step.SUSPEND
    communities.act(
        world["author"],
        comm.group,
        step="suspend",
        provision_number=1,
        reason="Insults again",
        member=member,
    )
    assert communities.propose(member, provision) == Step.BAN


def test_a_provision_that_skips_steps_proposes_a_suspension_first(comm: Communities) -> None:
    member = _flagged(comm).member
    assert member is not None
    assert communities.propose(member, communities.provision_of(comm.group, 4)) == Step.SUSPEND


def test_an_expired_warning_no_longer_counts(comm: Communities) -> None:
    member = _flagged(comm).member
    assert member is not None
    sanction = communities.act(
        comm.world["author"],
        comm.group,
        step="warn",
        provision_number=1,
        reason="Insults",
        member=member,
    )
    Sanction.objects.filter(pk=sanction.pk).update(
        created_at=timezone.now() - timedelta(days=comm.group.warning_days + 1)
    )
    assert communities.propose(member, communities.provision_of(comm.group, 1)) == Step.WARN


def test_removing_and_warning_reaches_the_platform_and_tells_the_member(comm: Communities) -> None:
    item = _flagged(comm)
    sanction = communities.act(
        comm.world["author"],
        comm.group,
        item=item,
        step="warn",
        provision_number=4,
        reason="You posted a client's name and phone number.",
        remove_message=True,
    )
    assert comm.room.removed == {"$1"}
    ((who, text),) = comm.room.notices
    assert who == "@dana:example.org"
    assert "provision 4" in text and "suspension" in text and "/c/appeal/" in text
    assert [a["action"] for a in sanction.applied] == ["remove", "notice"]
    assert all(a["done"] for a in sanction.applied)
    item.refresh_from_db()
    assert item.state == ItemState.ACTIONED


def test_where_the_platform_cannot_act_the_instructions_are_recorded(
    comm: Communities, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = _flagged(comm)
    monkeypatch.setattr(MemoryCommunity, "capabilities", NOTHING)
    sanction = communities.act(
        comm.world["author"],
        comm.group,
        item=item,
        step="ban",
        provision_number=4,
        reason="Repeated breaches",
    )
    assert comm.room.banned == set()
    assert [a["done"] for a in sanction.applied] == [False, False]
    assert "by hand" in sanction.applied[0]["detail"]


def test_every_action_cites_a_provision_of_the_published_policy(comm: Communities) -> None:
    item = _flagged(comm)
    with pytest.raises(Invalid, match="no provision 42"):
        communities.act(
            comm.world["author"],
            comm.group,
            item=item,
            step="warn",
            provision_number=42,
            reason="Because",
        )


def test_a_moderator_of_another_community_cannot_act_here(comm: Communities) -> None:
    item = _flagged(comm)
    with pytest.raises(NotFound):
        communities.get_item(comm.world["member"], item.pk)
    with pytest.raises(NotFound):
        communities.act(
            comm.world["member"],
            comm.group,
            item=item,
            step="warn",
            provision_number=1,
            reason="Because",
        )


def test_a_suspension_mutes_and_is_restored_automatically_when_it_ends(comm: Communities) -> None:
    member = _flagged(comm).member
    assert member is not None
    sanction = communities.act(
        comm.world["author"],
        comm.group,
        step="suspend",
        provision_number=4,
        reason="Client details",
        member=member,
        days=2,
    )
    assert member.remote_id in comm.room.muted
    assert communities.restore_due() == 0
    comm.room.fail_unmute = 1
    later = timezone.now() + timedelta(days=2, minutes=1)
    assert communities.restore_due(later) == 0  # the platform was down: try again
    assert member.remote_id in comm.room.muted
    assert communities.restore_due(later) == 1
    assert member.remote_id not in comm.room.muted
    sanction.refresh_from_db()
    assert sanction.restored_at is not None
    assert AuditEntry.objects.filter(action="community.restore").count() == 1


# --- appeals ----------------------------------------------------------------------------


def _sanctioned(c: Communities, step: str = "suspend") -> Sanction:
    return communities.act(
        c.world["author"],
        c.group,
        step=step,
        provision_number=4,
        reason="Client details",
        item=_flagged(c),
    )


def test_the_moderator_who_acted_cannot_decide_the_appeal(comm: Communities) -> None:
    sanction = _sanctioned(comm)
    appeal = communities.appeal_by_member(
        sanction.appeal_token, "It was my own story, shared with consent."
    )
    with pytest.raises(NotAllowed, match="different moderator"):
        communities.decide_appeal(comm.world["author"], appeal.pk, "overturned", "Consent shown")
    decided = communities.decide_appeal(
        comm.world["author2"], appeal.pk, "overturned", "Consent shown"
    )
    assert decided.decided_by == comm.world["author2"]
    sanction.refresh_from_db()
    assert sanction.overturned_at is not None and sanction.restored_at is not None
    assert sanction.member.remote_id not in comm.room.muted
    assert "overturned" in comm.room.notices[-1][1]


def test_an_overturned_sanction_does_not_count_on_the_ladder(comm: Communities) -> None:
    sanction = _sanctioned(comm, "warn")
    appeal = communities.appeal_by_member(sanction.appeal_token, "Not me, my account was shared.")
    communities.decide_appeal(
        comm.world["reviewer"], appeal.pk, "overturned", "Shown it was not her"
    )
    assert (
        communities.propose(sanction.member, communities.provision_of(comm.group, 1)) == Step.WARN
    )


def test_an_appeal_after_the_set_time_is_refused(comm: Communities) -> None:
    sanction = _sanctioned(comm)
    Sanction.objects.filter(pk=sanction.pk).update(
        created_at=timezone.now() - timedelta(days=comm.group.appeal_days + 1)
    )
    with pytest.raises(Conflict, match="time to appeal ended"):
        communities.appeal_by_member(sanction.appeal_token, "Please reconsider.")


def test_a_decision_is_appealed_once(comm: Communities) -> None:
    sanction = _sanctioned(comm)
    communities.appeal_by_member(sanction.appeal_token, "Please reconsider.")
    with pytest.raises(Conflict, match="already been appealed"):
        communities.record_appeal(comm.world["author2"], sanction.pk, "She wrote to me too.")


def test_an_upheld_ban_stays_and_the_member_is_told(comm: Communities) -> None:
    sanction = _sanctioned(comm, "ban")
    appeal = communities.appeal_by_member(sanction.appeal_token, "Please reconsider.")
    communities.decide_appeal(comm.world["reviewer"], appeal.pk, "upheld", "Second privacy breach")
    assert sanction.member.remote_id in comm.room.banned
    assert "upheld" in comm.room.notices[-1][1]


# --- records, audit, retention ----------------------------------------------------------


def test_the_member_record_shows_reports_sanctions_and_appeals(comm: Communities) -> None:
    sanction = _sanctioned(comm, "warn")
    communities.appeal_by_member(sanction.appeal_token, "Please reconsider.")
    found = communities.member_record(comm.world["author"], comm.group, sanction.member_id)
    assert [s.pk for s in found.sanctions] == [sanction.pk]
    assert len(found.appeals) == 1 and len(found.reports) == 1
    assert found.standing.warnings == 1 and found.proposed == Step.SUSPEND
    with pytest.raises(NotFound):
        communities.member_record(comm.world["member"], comm.group, sanction.member_id)


def test_every_step_is_in_the_audit_chain_without_the_members_text(comm: Communities) -> None:
    sanction = _sanctioned(comm)
    appeal = communities.appeal_by_member(sanction.appeal_token, "Please reconsider.")
    communities.decide_appeal(comm.world["author2"], appeal.pk, "upheld", "Clear breach")
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "community.create",
        "community.policy_publish",
        "community.queue",
        "community.sanction",
        "community.appeal",
        "community.appeal_decided",
    } <= actions
    assert not AuditEntry.objects.filter(after__icontains="07700").exists()
    assert verify().ok


def test_moderation_records_are_purged_after_the_retention_period(comm: Communities) -> None:
    sanction = _sanctioned(comm, "warn")
    communities.appeal_by_member(sanction.appeal_token, "Please reconsider.")
    assert communities.purge() == 0
    later = timezone.now() + timedelta(days=comm.group.retention_days + 1)
    assert communities.purge(later) > 0
    assert not Sanction.objects.exists() and not Appeal.objects.exists()
    assert not QueueItem.objects.exists()
    assert not Member.objects.filter(community=comm.group).exists()
    assert AuditEntry.objects.filter(action="community.purge").count() == 1


def test_a_ban_is_kept_past_the_retention_period(comm: Communities) -> None:
    _sanctioned(comm, "ban")
    communities.purge(timezone.now() + timedelta(days=comm.group.retention_days + 1))
    assert Sanction.objects.filter(step="ban").exists()


# --- staff ------------------------------------------------------------------------------


def test_moderators_see_only_their_communities(comm: Communities) -> None:
    world = comm.world
    assert list(communities.visible_communities(world["author"], world.org)) == [comm.group]
    assert list(communities.visible_communities(world["member"], world.org)) == [comm.other]
    assert list(communities.visible_communities(world["chair"], world.org)) == []
    assert set(communities.visible_communities(world["admin"], world.org)) == {
        comm.group,
        comm.other,
    }


def test_staff_must_belong_to_the_organization(comm: Communities) -> None:
    with pytest.raises(Invalid, match="not a member"):
        communities.set_staff(comm.world["admin"], comm.group, comm.world["outsider"], "moderator")


def test_credentials_are_stored_encrypted_and_never_recorded(comm: Communities) -> None:
    assert MemoryCommunity.token not in comm.group.secret
    assert not AuditEntry.objects.filter(after__icontains=MemoryCommunity.token).exists()
    assert MemoryCommunity.token not in repr(comm.group)


# --- uploaded packs ---------------------------------------------------------------------

EMPLOYER_PACK = """pack: st-marys-employer
title: St Mary's social media policy
source: staff handbook
edition: "2024"
rules:
  - id: SMH-wards
    title: Naming a ward
    category: information.confidential
    clause: {section: "4.2", quote: "Staff must not name wards or units in posts."}
    detectors:
      - name: lexicon
        params: {phrases: [ward 7, neonatal unit], category: information.confidential}
    severity: block
    message: The post names a ward of the hospital.
    fix: Leave the ward out of the post.
    examples:
      - {text: "Busy night on ward 7!", violates: true}
      - {text: "Busy night at work!", violates: false}
"""


def test_an_uploaded_pack_with_an_error_is_refused_with_file_line_and_reason(world: World) -> None:
    broken = EMPLOYER_PACK.replace("severity: block", "severity: fatal")
    with pytest.raises(Invalid, match=r"^employer\.yaml:\d+: rules\.0\.severity"):
        packs.upload(world["admin"], world.org, "employer.yaml", broken.encode())


def test_only_administrators_upload_packs(world: World) -> None:
    with pytest.raises(NotAllowed):
        packs.upload(world["chair"], world.org, "employer.yaml", EMPLOYER_PACK.encode())


def test_a_pack_enabled_on_a_channel_checks_its_posts(world: World) -> None:
    pack = packs.upload(world["admin"], world.org, "employer.yaml", EMPLOYER_PACK.encode())
    before = world.draft("Busy night on ward 7, thanks team!")
    assert "SMH-wards" not in {f["rule_id"] for f in before.findings}
    packs.set_enabled(
        world["admin"], world.org, pack.pk, channels=[world.channel.pk], communities=[]
    )
    after = world.draft("Busy night on ward 7, thanks team!")
    assert "SMH-wards" in {f["rule_id"] for f in after.findings}
    other = workflow.create_post(world["author"], world.closed_channel, "Busy night on ward 7!")
    assert "SMH-wards" not in {f["rule_id"] for f in other.findings}


def test_a_pack_enabled_on_a_community_checks_its_messages(comm: Communities) -> None:
    world = comm.world
    pack = packs.upload(world["admin"], world.org, "employer.yaml", EMPLOYER_PACK.encode())
    packs.set_enabled(world["admin"], world.org, pack.pk, channels=[], communities=[comm.group.pk])
    comm.post("$5", "ivy", "Who else is on ward 7 tonight?")
    (item,) = communities.read_community(comm.group)
    assert "SMH-wards" in {f["rule_id"] for f in item.findings}
