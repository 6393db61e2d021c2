"""Administration pages: channels and who may use them, approval settings, the
organization switcher, and the dashboard's sections."""

from __future__ import annotations

import pytest

from postguard.web.audit.models import AuditEntry
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel, Role
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import State

from .conftest import COMPLIANT, World

pytestmark = pytest.mark.django_db


def _membership_id(world: World, role: str) -> int:
    found = orgs.membership(world[role], world.org)
    assert found is not None
    return found.pk


def test_an_administrator_creates_a_channel_and_the_chair_says_who_may_draft(
    world: World,
) -> None:
    admin = world.client("admin")
    response = admin.post(
        "/channels/new/",
        {
            "name": "IPALA on Mastodon",
            "network": "mastodon",
            "handle": "@ipala",
            "audience": "public",
            "active": "on",
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get(name="IPALA on Mastodon")
    assert response["Location"] == f"/channels/{channel.pk}/"
    assert channel.org == world.org and channel.active and not channel.authorized.exists()
    assert "Now choose who may draft" in admin.get(response["Location"]).content.decode()

    # Nobody is authorized yet: the author is refused, and told who can authorize.
    refused = world.client("author").post(
        "/posts/new/", {"channel": channel.pk, "kind": "post", "text": COMPLIANT}
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()

    chair = world.client("chair")
    page = chair.get(f"/channels/{channel.pk}/").content.decode()
    assert "Only an administrator changes" in page and 'name="members"' in page
    response = chair.post(
        f"/channels/{channel.pk}/members/", {"members": [_membership_id(world, "author")]}
    )
    assert response.status_code == 302
    assert orgs.can_draft(world["author"], channel)
    assert not orgs.can_draft(world["author2"], channel)
    entry = AuditEntry.objects.filter(action="channel.authorized").latest("seq")
    assert entry.actor_name == "chair"
    assert entry.before["authorized"] == [] and entry.after["authorized"] == ["author"]

    # Taking the author off again refuses their next draft.
    chair.post(f"/channels/{channel.pk}/members/", {"members": []})
    with pytest.raises(orgs.NotAllowed, match="ask the committee chair"):
        workflow.create_post(world["author"], channel, COMPLIANT)


def test_a_plain_member_cannot_be_authorized_on_a_channel(world: World) -> None:
    response = world.client("admin").post(
        f"/channels/{world.channel.pk}/members/", {"members": [_membership_id(world, "member")]}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not orgs.can_draft(world["member"], world.channel)


def test_an_administrator_edits_a_channel_and_can_switch_it_off(world: World) -> None:
    admin = world.client("admin")
    response = admin.post(
        f"/channels/{world.channel.pk}/",
        {
            "name": "IPALA on Bluesky",
            "network": "bluesky",
            "handle": "@ipala.example",
            "audience": "closed",
        },
    )
    assert response.status_code == 302
    channel = Channel.objects.get(pk=world.channel.pk)
    assert (channel.name, channel.handle, channel.audience, channel.active) == (
        "IPALA on Bluesky",
        "@ipala.example",
        "closed",
        False,
    )
    entry = AuditEntry.objects.filter(action="channel.update").latest("seq")
    assert entry.before["active"] is True and entry.after["active"] is False
    # An inactive channel is no longer offered to its authorized members.
    assert channel not in orgs.channels_for(world["author"])
    assert "IPALA on Bluesky" not in world.client("author").get("/posts/new/").content.decode()


def test_a_channel_form_with_problems_is_shown_again_with_them(world: World) -> None:
    admin = world.client("admin")
    response = admin.post(
        f"/channels/{world.channel.pk}/",
        {"name": "Members' group", "network": "bluesky", "audience": "public", "active": "on"},
    )
    assert response.status_code == 400
    assert "already has a channel called" in response.content.decode()
    response = admin.post(
        "/channels/new/", {"name": "", "network": "myspace", "audience": "public"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required" in html and "Select a valid choice" in html


def test_the_chair_changes_how_many_approvals_a_post_needs(world: World) -> None:
    chair = world.client("chair")
    page = chair.get("/settings/approval/").content.decode()
    assert 'name="required_approvals"' in page and "committee has 3 members" in page
    response = chair.post(
        "/settings/approval/",
        {
            "required_approvals": 2,
            "chair_required": "on",
            "reply_required_approvals": 1,
            "override_min_chars": 40,
        },
    )
    assert response.status_code == 302
    policy = orgs.approval_policy(world.org)
    assert (policy.required_approvals, policy.chair_required, policy.override_min_chars) == (
        2,
        True,
        40,
    )
    post = world.submitted()
    workflow.review(world["reviewer"], post, "approve")
    post = workflow.review(world["reviewer2"], post, "approve")
    assert post.state == State.IN_REVIEW
    assert "the committee chair's approval" in workflow.approval_status(post).missing
    entry = AuditEntry.objects.filter(action="org.approval_policy").latest("seq")
    assert entry.actor_name == "chair" and entry.after["required_approvals"] == 2


def test_approval_settings_refuse_zero_or_too_many_approvals(world: World) -> None:
    chair = world.client("chair")
    for bad in (0, 11):
        response = chair.post(
            "/settings/approval/",
            {"required_approvals": bad, "reply_required_approvals": 1, "override_min_chars": 20},
        )
        assert response.status_code == 400
    assert orgs.approval_policy(world.org).required_approvals == 1
    with pytest.raises(orgs.Invalid):
        orgs.update_approval_policy(world["chair"], world.org, reply_required_approvals=0)


def test_someone_in_two_organizations_switches_between_them(world: World) -> None:
    orgs.add_member(None, world.other_org, world["chair"], Role.ADMIN)
    client = world.client("chair")
    home = client.get("/").content.decode()
    assert "IPALA test" in home and 'id="org-switch"' in home
    assert "Audit log of IPALA test" in client.get("/audit/").content.decode()

    response = client.post("/org/switch/", {"org": world.other_org.pk, "next": "/audit/"})
    assert response.status_code == 302 and response["Location"] == "/audit/"
    assert "Audit log of Other association" in client.get("/audit/").content.decode()
    # The chair is an administrator there, so manages its channels.
    assert client.get("/channels/new/").status_code == 200
    # ...and drafts nowhere there: the composer says so and suggests switching back.
    refused = client.get("/posts/new/").content.decode()
    assert "switch to it first" in refused

    # Only safe, local addresses are followed after switching.
    response = client.post("/org/switch/", {"org": world.org.pk, "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert "Audit log of IPALA test" in client.get("/audit/").content.decode()


def test_one_cannot_switch_to_an_organization_one_is_not_in(world: World) -> None:
    client = world.client("author")
    assert client.post("/org/switch/", {"org": world.other_org.pk}).status_code == 404
    assert client.post("/org/switch/", {"org": "x"}).status_code == 404
    assert "IPALA test" in client.get("/").content.decode()


def test_the_dashboard_shows_drafts_the_queue_scheduled_and_published_posts(
    world: World,
) -> None:
    draft = world.draft("A first draft about the library drop-in on Saturday.")
    waiting = world.submitted("A submitted post about the library drop-in next week.")
    ready = world.submitted("An approved post about the volunteers at the library.")
    workflow.review(world["reviewer"], ready, "approve")
    author_page = world.client("author").get("/").content.decode()
    mine = author_page.split('id="mine-title"')[1].split("</section>")[0]
    assert f"#{draft.pk}<" in mine and f"#{waiting.pk}<" in mine
    scheduled = author_page.split('id="scheduled-title"')[1].split("</section>")[0]
    assert f"#{ready.pk}<" in scheduled and "Ready to publish" in scheduled
    assert "Nothing has been published yet" in author_page
    assert 'id="waiting-title"' not in author_page

    reviewer_page = world.client("reviewer").get("/").content.decode()
    queue = reviewer_page.split('id="waiting-title"')[1].split("</section>")[0]
    assert "Waiting for your review (1)" in queue and f"#{waiting.pk}<" in queue
