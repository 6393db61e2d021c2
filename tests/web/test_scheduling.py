"""Time: the organization's zone, local-time scheduling across daylight-saving changes,
moving an approved post without new reviews, and the publishing status."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from postguard.web.audit.models import AuditEntry
from postguard.web.errors import Conflict, Invalid, NotAllowed, NotFound
from postguard.web.orgs import timezones
from postguard.web.orgs.models import Organization
from postguard.web.publishing.models import Publication, PublicationState
from postguard.web.publishing.status import publishing_status
from postguard.web.workflow import schedule
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import OutboxItem, Post, State

from .conftest import COMPLIANT, World

LONDON = "Europe/London"


def _next_spring_forward(zone: str) -> date:
    """The next day on which the zone's clocks go forward, within two years from now."""
    tz = zoneinfo.ZoneInfo(zone)
    day = timezone.now().astimezone(tz).date() + timedelta(days=2)
    for _ in range(730):
        before = datetime(day.year, day.month, day.day, 0, 0, tzinfo=tz).utcoffset()
        after = datetime(day.year, day.month, day.day, 12, 0, tzinfo=tz).utcoffset()
        if before is not None and after is not None and after > before:
            return day
        day += timedelta(days=1)
    raise AssertionError(f"{zone} has no daylight-saving change in two years")


def _next_fall_back(zone: str) -> date:
    tz = zoneinfo.ZoneInfo(zone)
    day = timezone.now().astimezone(tz).date() + timedelta(days=2)
    for _ in range(730):
        before = datetime(day.year, day.month, day.day, 0, 0, tzinfo=tz).utcoffset()
        after = datetime(day.year, day.month, day.day, 12, 0, tzinfo=tz).utcoffset()
        if before is not None and after is not None and after < before:
            return day
        day += timedelta(days=1)
    raise AssertionError(f"{zone} has no daylight-saving change in two years")


def _in_zone(world: World, name: str) -> Organization:
    timezones.set_time_zone(world["admin"], world.org, name)
    world.org.refresh_from_db()
    world.channel.org.refresh_from_db()
    return world.org


# --- the zone -----------------------------------------------------------------------------


def test_a_new_organization_takes_the_configured_default_zone(db: None, settings: Any) -> None:
    from postguard.web.orgs import services as orgs

    settings.POSTGUARD_DEFAULT_TIME_ZONE = "Australia/Sydney"
    assert orgs.create_organization("Down under", slug="du").time_zone == "Australia/Sydney"
    settings.POSTGUARD_DEFAULT_TIME_ZONE = "UTC"
    assert orgs.create_organization("Here", slug="here").time_zone == "UTC"


def test_only_an_administrator_sets_the_zone_and_it_is_recorded(world: World) -> None:
    for role in ("chair", "reviewer", "author", "member"):
        with pytest.raises(NotAllowed):
            timezones.set_time_zone(world[role], world.org, "Europe/Paris")
    with pytest.raises(NotFound):
        timezones.set_time_zone(world["outsider"], world.org, "Europe/Paris")
    timezones.set_time_zone(world["admin"], world.org, "Europe/Paris")
    world.org.refresh_from_db()
    assert world.org.time_zone == "Europe/Paris"
    entry = AuditEntry.objects.get(action="org.time_zone")
    assert (entry.before, entry.after) == ({"time_zone": "UTC"}, {"time_zone": "Europe/Paris"})


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "", "../../etc/passwd", "x" * 100])
def test_an_unknown_zone_is_refused_in_one_line(world: World, name: str) -> None:
    with pytest.raises(Invalid, match="time zone"):
        timezones.set_time_zone(world["admin"], world.org, name)
    world.org.refresh_from_db()
    assert world.org.time_zone == "UTC"


def test_a_local_time_names_its_zone(world: World) -> None:
    org = _in_zone(world, LONDON)
    summer = datetime(2030, 7, 1, 9, 0, tzinfo=UTC)
    winter = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    assert timezones.local_time(summer, org) == "2030-07-01 10:00 BST (Europe/London)"
    assert timezones.local_time(winter, org) == "2030-01-01 09:00 GMT (Europe/London)"
    org.time_zone = "UTC"
    assert timezones.local_time(summer, org) == "2030-07-01 09:00 UTC"


def test_wall_clock_times_across_the_spring_change_are_an_hour_apart_in_utc(
    world: World,
) -> None:
    org = _in_zone(world, LONDON)
    day = _next_spring_forward(LONDON)
    eve = timezones.from_local(datetime.combine(day - timedelta(days=1), datetime.min.time()), org)
    morning = datetime(day.year, day.month, day.day, 9, 0)
    before = timezones.from_local(morning - timedelta(days=1), org)
    after = timezones.from_local(morning, org)
    # 09:00 on both days, but the clocks moved: 23 hours apart, not 24.
    assert after - before == timedelta(hours=23)
    assert eve.tzinfo is UTC
    with pytest.raises(Invalid, match="does not exist in Europe/London"):
        timezones.from_local(datetime(day.year, day.month, day.day, 1, 30), org)


def test_a_time_that_happens_twice_is_the_first_one(world: World) -> None:
    org = _in_zone(world, LONDON)
    day = _next_fall_back(LONDON)
    first = timezones.from_local(datetime(day.year, day.month, day.day, 1, 30), org)
    # 01:30 summer time (UTC+1) is 00:30 UTC; the second 01:30 would be 01:30 UTC.
    assert (first.hour, first.minute) == (0, 30)


# --- composing and editing in local time --------------------------------------------------


def test_the_composer_reads_the_time_in_the_organizations_zone(world: World) -> None:
    _in_zone(world, "America/New_York")
    day = timezone.now().date() + timedelta(days=10)
    response = world.client("author").post(
        "/posts/new/",
        {
            "channel": world.channel.pk,
            "kind": "post",
            "text": COMPLIANT,
            "scheduled_at": f"{day:%Y-%m-%d}T09:00",
        },
    )
    assert response.status_code == 302, response.content[:500]
    post = Post.objects.get()
    expected = datetime(
        day.year, day.month, day.day, 9, 0, tzinfo=zoneinfo.ZoneInfo("America/New_York")
    )
    assert post.scheduled_at == expected.astimezone(UTC)
    page = world.client("author").get(f"/posts/{post.pk}/").content.decode()
    abbreviation = expected.tzname()
    assert f"{day:%Y-%m-%d} 09:00 {abbreviation} (America/New_York)" in page


def test_the_composer_form_names_the_zone_and_uses_a_date_time_field(world: World) -> None:
    _in_zone(world, "Asia/Kolkata")
    page = world.client("author").get("/posts/new/").content.decode()
    assert "Publish at (Asia/Kolkata)" in page
    assert 'type="datetime-local"' in page


def test_scheduling_across_the_spring_change_keeps_the_wall_clock_time(world: World) -> None:
    _in_zone(world, LONDON)
    day = _next_spring_forward(LONDON)
    client = world.client("author")
    for when in (day - timedelta(days=1), day + timedelta(days=1)):
        response = client.post(
            "/posts/new/",
            {
                "channel": world.channel.pk,
                "kind": "post",
                "text": COMPLIANT,
                "scheduled_at": f"{when:%Y-%m-%d}T09:00",
            },
        )
        assert response.status_code == 302
    before, after = Post.objects.order_by("pk")
    assert before.scheduled_at is not None and after.scheduled_at is not None
    assert (before.scheduled_at.hour, after.scheduled_at.hour) == (9, 8)
    for post in (before, after):
        assert "09:00" in timezones.local_time(post.scheduled_at, world.org)


def test_a_time_the_clocks_skip_is_refused_and_the_draft_kept_in_the_form(world: World) -> None:
    _in_zone(world, LONDON)
    day = _next_spring_forward(LONDON)
    response = world.client("author").post(
        "/posts/new/",
        {
            "channel": world.channel.pk,
            "kind": "post",
            "text": "A draft worth keeping.",
            "scheduled_at": f"{day:%Y-%m-%d}T01:30",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "does not exist in Europe/London" in page and "A draft worth keeping." in page
    assert not Post.objects.exists()


def test_the_edit_page_shows_the_local_time_and_saves_a_new_one(world: World) -> None:
    org = _in_zone(world, "Europe/Paris")
    day = timezone.now().date() + timedelta(days=12)
    tz = zoneinfo.ZoneInfo("Europe/Paris")
    post = world.draft(scheduled_at=datetime(day.year, day.month, day.day, 18, 15, tzinfo=tz))
    page = world.client("author").get(f"/posts/{post.pk}/edit/").content.decode()
    assert f'value="{day:%Y-%m-%d}T18:15"' in page and "Publish at (Europe/Paris)" in page
    response = world.client("author").post(
        f"/posts/{post.pk}/edit/", {"text": post.text, "scheduled_at": f"{day:%Y-%m-%d}T20:00"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert timezones.local_time(post.scheduled_at, org).startswith(f"{day:%Y-%m-%d} 20:00")


# --- moving a post without new reviews ----------------------------------------------------


def _approved(world: World, days: int = 2) -> Post:
    post = world.submitted(scheduled_at=timezone.now() + timedelta(days=days))
    post = workflow.review(world["reviewer"], post, "approve")
    assert post.state == State.SCHEDULED
    return post


@pytest.mark.parametrize("role", ["author", "reviewer", "chair"])
def test_the_author_or_the_committee_moves_an_approved_post_and_approvals_stand(
    world: World, role: str, django_capture_on_commit_callbacks: Any
) -> None:
    post = _approved(world)
    seen = workflow.content_hash_of(post)
    later = timezone.now() + timedelta(days=4)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post = schedule.reschedule(world[role], post, later)
    assert (post.state, post.revision, post.scheduled_at) == (State.SCHEDULED, 1, later)
    assert workflow.content_hash_of(post) == seen
    assert workflow.approval_status(post).satisfied
    assert OutboxItem.objects.get(post=post).due_at == later
    entry = AuditEntry.objects.get(action="post.reschedule")
    assert entry.actor_name == role and entry.before["state"] == "scheduled"
    # Everyone concerned but the mover is told.
    told = {address for m in mail.outbox for address in m.to}
    assert told == {"author@example.org", "reviewer@example.org"} - {f"{role}@example.org"}


@pytest.mark.parametrize("role", ["admin", "member", "outsider", "author2"])
def test_nobody_else_moves_a_post(world: World, role: str) -> None:
    post = _approved(world)
    with pytest.raises((NotAllowed, NotFound)):
        schedule.reschedule(world[role], post, timezone.now() + timedelta(days=4))
    post.refresh_from_db()
    assert not AuditEntry.objects.filter(action="post.reschedule").exists()


def test_moving_an_approved_post_to_now_makes_it_ready(world: World) -> None:
    post = schedule.reschedule(world["chair"], _approved(world), None)
    assert post.state == State.READY and post.scheduled_at is None


def test_a_post_on_its_way_out_or_published_cannot_be_moved(world: World) -> None:
    post = _approved(world)
    item = OutboxItem.objects.get(post=post)
    Publication.objects.create(
        key="k" * 32,
        post=post,
        outbox=item,
        channel=post.channel,
        revision=1,
        payload="{}",
        created_at=timezone.now(),
    )
    with pytest.raises(Conflict, match="already being published"):
        schedule.reschedule(world["author"], post, timezone.now() + timedelta(days=5))
    Post.objects.filter(pk=post.pk).update(state=State.PUBLISHED)
    with pytest.raises(Conflict, match="cannot be moved"):
        schedule.reschedule(world["author"], post, timezone.now() + timedelta(days=5))


def test_a_move_into_the_past_is_refused(world: World) -> None:
    post = _approved(world)
    with pytest.raises(Invalid, match="past"):
        schedule.reschedule(world["chair"], post, timezone.now() - timedelta(hours=1))


def test_the_post_page_moves_a_post_in_local_time(world: World) -> None:
    _in_zone(world, LONDON)
    post = _approved(world)
    day = timezone.now().date() + timedelta(days=6)
    client = world.client("reviewer")
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert "Change the time" in page and "Publish at (Europe/London)" in page
    response = client.post(
        f"/posts/{post.pk}/reschedule/", {"scheduled_at": f"{day:%Y-%m-%d}T07:45"}, follow=True
    )
    text = response.content.decode()
    assert "the approvals stand" in text
    post.refresh_from_db()
    assert timezones.local_time(post.scheduled_at, world.org).startswith(f"{day:%Y-%m-%d} 07:45")
    assert post.state == State.SCHEDULED
    # A skipped time is one clear line, and nothing moves.
    spring = _next_spring_forward(LONDON)
    before = post.scheduled_at
    response = client.post(
        f"/posts/{post.pk}/reschedule/", {"scheduled_at": f"{spring:%Y-%m-%d}T01:30"}, follow=True
    )
    assert "does not exist" in response.content.decode()
    post.refresh_from_db()
    assert post.scheduled_at == before


def test_a_new_text_after_approval_still_needs_new_reviews(world: World) -> None:
    post = _approved(world)
    post = workflow.edit_post(world["author"], post, text=COMPLIANT + " Now with more.")
    assert post.state == State.SUBMITTED and post.revision == 2
    assert workflow.approval_status(post).approvals == 0


def test_an_approval_recorded_with_the_old_hash_still_counts(world: World) -> None:
    post = _approved(world)
    # Reviews recorded before the schedule left the hash carry the old digest.
    post.reviews.update(content_hash=workflow.legacy_content_hash_of(post))
    assert workflow.approval_status(post).satisfied


def test_the_api_moves_a_post_and_reports_where_it_stands(world: World) -> None:
    post = _approved(world)
    later = (timezone.now() + timedelta(days=9)).replace(microsecond=0)
    client = world.client("chair")
    response = client.post(
        f"/api/posts/{post.pk}/schedule",
        {"scheduled_at": later.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["revision"] == 1 and body["state"] == "scheduled"
    assert body["status"]["code"] == "scheduled"
    assert body["status"]["label"] == f"Scheduled for {timezones.local_time(later, world.org)}"
    assert body["time_zone"] == "UTC" and body["scheduled_local"].endswith("UTC")
    assert body["crisis"] == {
        "crisis_lane": False,
        "urgent": False,
        "lane": "normal",
        "approver": "",
        "deputy": "",
    }
    bad = client.post(
        f"/api/posts/{post.pk}/schedule",
        {"scheduled_at": "2020-01-01T00:00:00Z"},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "past" in bad.json()["detail"]


# --- the publishing status ----------------------------------------------------------------


def test_status_before_approval_says_so(world: World) -> None:
    post = world.submitted(scheduled_at=timezone.now() + timedelta(days=1))
    status = publishing_status(post)
    assert status.code == "not_approved" and status.label.startswith("Not approved yet")


def test_status_scheduled_names_the_local_time_and_not_a_next_try(world: World) -> None:
    _in_zone(world, "Europe/Paris")
    post = _approved(world, days=20)
    status = publishing_status(post)
    assert status.code == "scheduled"
    assert status.label == f"Scheduled for {timezones.local_time(post.scheduled_at, world.org)}"
    assert "(Europe/Paris)" in status.label and "next try" not in status.label
    page = world.client("author").get(f"/posts/{post.pk}/").content.decode()
    assert status.label in page and "next try" not in page


def test_status_due_when_its_time_has_come(world: World) -> None:
    post = world.submitted()
    post = workflow.review(world["reviewer"], post, "approve")
    assert publishing_status(post).code == "due"


def test_status_waiting_for_a_paused_channel(world: World) -> None:
    from postguard.web.publishing import pause

    post = _approved(world)
    pause.pause(world["chair"], world.channel.pk)
    post = Post.objects.select_related("channel", "org").get(pk=post.pk)
    status = publishing_status(post)
    assert status.code == "waiting_paused" and "paused (by chair" in status.label


def test_status_waiting_for_a_channel_not_connected(world: World, settings: Any) -> None:
    post = _approved(world)
    settings.POSTGUARD_REQUIRE_CONNECTED_CHANNELS = True
    status = publishing_status(post)
    assert status.code == "waiting_channel" and "is not connected" in status.label


def _publication(post: Post, **fields: Any) -> Publication:
    item = OutboxItem.objects.get(post=post)
    defaults: dict[str, Any] = {
        "key": "p" * 32,
        "post": post,
        "outbox": item,
        "channel": post.channel,
        "revision": post.revision,
        "payload": "{}",
        "created_at": timezone.now(),
    }
    return Publication.objects.create(**{**defaults, **fields})


def test_status_publishing_and_retrying(world: World) -> None:
    post = world.submitted()
    post = workflow.review(world["reviewer"], post, "approve")
    pub = _publication(post)
    assert publishing_status(post).label == "Publishing now"
    soon = timezone.now() + timedelta(minutes=3)
    pub.attempts, pub.last_error, pub.next_attempt_at = 1, "503 from the network", soon
    pub.save()
    status = publishing_status(post)
    assert status.code == "retrying" and status.at == soon
    assert status.label.startswith(
        f"Publishing · next try at {timezones.local_time(soon, world.org)}"
    )
    assert "503 from the network" in status.label


def test_status_published_with_its_link_and_failed_with_its_reason(world: World) -> None:
    post = world.submitted()
    post = workflow.review(world["reviewer"], post, "approve")
    pub = _publication(post, state=PublicationState.FAILED, last_error="the text is too long")
    assert publishing_status(post).label == "Failed: the text is too long"
    pub.state = PublicationState.PUBLISHED
    pub.save()
    OutboxItem.objects.filter(post=post).update(
        remote_id="at://x/1",
        remote_url="https://bsky.app/profile/x/post/1",
        published_at=timezone.now(),
    )
    status = publishing_status(post)
    assert status.code == "published" and status.url == "https://bsky.app/profile/x/post/1"
    assert status.label.startswith("Published ")
    OutboxItem.objects.filter(post=post).update(remote_url="javascript:alert(1)")
    assert publishing_status(post).url == ""


def test_status_of_a_post_gone_again_says_who_removed_it(world: World) -> None:
    post = workflow.review(world["reviewer"], world.submitted(), "approve")
    gone_at = timezone.now()
    OutboxItem.objects.filter(post=post).update(
        remote_id="at://x/2", published_at=gone_at, deleted_at=gone_at
    )
    pub = _publication(post, state=PublicationState.DELETED)
    status = publishing_status(post)
    assert status.code == "taken_down" and status.label.startswith("Taken down ")
    pub.state = PublicationState.DELETED_ON_NETWORK
    pub.save()
    status = publishing_status(post)
    assert status.code == "deleted_on_network"
    assert status.label == f"Deleted on the network {timezones.local_time(gone_at, world.org)}"


def test_the_approval_mail_says_the_same_status(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    mail.outbox.clear()
    post = world.submitted(scheduled_at=timezone.now() + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        post = workflow.review(world["reviewer"], post, "approve")
    approved = [m for m in mail.outbox if "approved" in m.subject]
    assert approved and publishing_status(post).label in approved[0].body


# --- the crisis fields in the API's post view -----------------------------------------------


def test_the_api_post_view_says_whether_a_reply_takes_the_crisis_lane(world: World) -> None:
    from postguard.web.inbox.models import InboxItem, Priority
    from postguard.web.orgs import services as orgs

    from .test_crisis import crisis_reply, strict

    strict(world)
    orgs.update_approval_policy(world["admin"], world.org, crisis_deputy="reviewer2")
    post = crisis_reply(world)
    client = world.client("reviewer")
    before = client.get(f"/api/posts/{post.pk}").json()["crisis"]
    assert before == {
        "crisis_lane": True,
        "urgent": True,  # triage marks a crisis item urgent
        "lane": "normal",
        "approver": "",
        "deputy": "reviewer2",
    }
    InboxItem.objects.filter(remote_id=post.in_reply_to).update(priority=Priority.HIGH)
    assert client.get(f"/api/posts/{post.pk}").json()["crisis"]["urgent"] is False
    InboxItem.objects.filter(remote_id=post.in_reply_to).update(priority=Priority.URGENT)
    workflow.review(world["chair"], post, "approve")
    after = client.get(f"/api/posts/{post.pk}").json()
    assert after["crisis"]["urgent"] is True
    assert (after["crisis"]["lane"], after["crisis"]["approver"]) == ("crisis lane", "chair")
    assert after["status"]["code"] == "due"


def test_lists_show_the_local_time_and_the_status(world: World) -> None:
    _in_zone(world, "Asia/Tokyo")
    post = _approved(world, days=5)
    page = world.client("chair").get("/").content.decode()
    assert timezones.local_time(post.scheduled_at, world.org) in page
    assert "(Asia/Tokyo)" in page and "Scheduled for" in page
