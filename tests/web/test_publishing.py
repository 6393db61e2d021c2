"""Publishing approved posts: the publish-time checks, the too-late limit, transient and
permanent failures, reconciliation after a crash, notifications, and the worker's
periodic jobs. The network is an in-memory fake here; test_publishing_pds.py uses a
real Bluesky server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any, ClassVar

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.utils import timezone

from postguard.connectors.base import (
    AuthError,
    Limits,
    PermanentError,
    RateLimited,
    TransientError,
)
from postguard.connectors.outbox import default_owner
from postguard.web import jobs
from postguard.web.errors import NotAllowed
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel
from postguard.web.publishing import services
from postguard.web.publishing.models import (
    ChannelCredential,
    ConnectionState,
    MetricSnapshot,
    Publication,
    PublicationState,
)
from postguard.web.publishing.worker import run_queued_tasks
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import OutboxItem, Post, State
from tests.connectors.fakes import FakeNetwork

from .conftest import World

pytestmark = pytest.mark.django_db


class Network(FakeNetwork):
    limits: ClassVar[Limits] = Limits(max_chars=500)


@pytest.fixture(autouse=True)
def _secrets_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("POSTGUARD_SECRETS_KEY_FILE", raising=False)
    monkeypatch.setenv("POSTGUARD_SECRETS_KEY", Fernet.generate_key().decode())
    monkeypatch.setattr(services, "BACKOFF", services.Backoff(attempts=2, base=0.0, jitter=0))


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Iterator[Network]:
    fake = Network()
    monkeypatch.setattr(services, "connector_for", lambda channel: fake)
    yield fake


def approved(world: World, **kwargs: Any) -> Post:
    post = world.submitted(**kwargs)
    return workflow.review(world["reviewer"], post, "approve")


def queued(world: World) -> Publication:
    post = approved(world)
    assert post.state == State.READY
    assert services.enqueue_due() == 1
    return Publication.objects.get(post=post)


def test_an_approved_post_is_published_once_and_recorded(world: World, network: Network) -> None:
    post = approved(world)
    assert services.enqueue_due() == 1
    assert services.enqueue_due() == 0, "a second pass must not queue it again"
    run_queued_tasks()
    assert len(network.posts) == 1
    post.refresh_from_db()
    item = OutboxItem.objects.get(post=post)
    assert post.state == State.PUBLISHED
    assert item.remote_id == "fake-1" and item.published_at is not None
    assert item.text == network.posts[0][1].text
    assert workflow.dashboard(world["author"], world.org).published == [post]
    services.enqueue_due()
    run_queued_tasks()
    assert len(network.posts) == 1
    detail = world.client("author").get(f"/api/posts/{post.pk}").json()
    assert detail["publication"]["state"] == "published"
    assert detail["publication"]["remote_id"] == "fake-1"


def test_the_post_page_links_to_the_published_post(world: World, network: Network) -> None:
    pub = queued(world)
    services.publish_publication(pub.pk)
    OutboxItem.objects.filter(post=pub.post).update(remote_url="https://bsky.app/profile/x/post/1")
    page = world.client("author").get(f"/posts/{pub.post_id}/").content.decode()
    assert 'href="https://bsky.app/profile/x/post/1"' in page
    assert "1 attempt" in page


def test_a_post_changed_after_approval_is_not_published(world: World, network: Network) -> None:
    pub = queued(world)
    Post.objects.filter(pk=pub.post_id).update(text="Something else", revision=5)
    assert services.publish_publication(pub.pk) == "cancelled"
    assert network.posts == []


def test_an_author_no_longer_authorized_is_not_published(
    world: World, network: Network, django_capture_on_commit_callbacks: Any
) -> None:
    pub = queued(world)
    membership = orgs.membership(world["author"], world.org)
    assert membership is not None
    orgs.set_channel_authorization(None, world.channel, membership, False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish_publication(pub.pk) == "cancelled"
    assert network.posts == []
    assert Publication.objects.get(pk=pub.pk).state == PublicationState.CANCELLED
    told = {a for m in mail.outbox for a in m.to}
    assert {world["author"].email, world["chair"].email} <= told


def test_an_inactive_channel_publishes_nothing(world: World, network: Network) -> None:
    pub = queued(world)
    Channel.objects.filter(pk=world.channel.pk).update(active=False)
    assert services.publish_publication(pub.pk) == "cancelled"
    assert network.posts == []


def test_a_post_too_late_goes_back_to_the_committee(
    world: World, network: Network, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.POSTGUARD_PUBLISH_TOO_LATE_MINUTES = 60
    pub = queued(world)
    OutboxItem.objects.filter(post=pub.post).update(due_at=timezone.now() - timedelta(hours=2))
    revision = pub.post.revision
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish_publication(pub.pk) == "cancelled"
    post = Post.objects.get(pk=pub.post_id)
    assert network.posts == []
    assert post.state == State.SUBMITTED and post.revision == revision + 1
    assert any("back with the committee" in m.body for m in mail.outbox)


def test_a_post_late_within_the_limit_still_goes_out(world: World, network: Network) -> None:
    pub = queued(world)
    OutboxItem.objects.filter(post=pub.post).update(due_at=timezone.now() - timedelta(minutes=30))
    assert services.publish_publication(pub.pk) == "published"


def test_a_lost_response_is_looked_up_not_sent_again(world: World, network: Network) -> None:
    network.after_create = True
    network.failures = [TransientError("502 from the proxy")]
    pub = queued(world)
    assert services.publish_publication(pub.pk) == "published"
    assert len(network.posts) == 1 and network.lookups >= 1


def test_transient_failures_retry_later_then_publish_once(world: World, network: Network) -> None:
    network.failures = [TransientError("down")] * 2
    pub = queued(world)
    assert services.publish_publication(pub.pk) == "retry"
    pub.refresh_from_db()
    assert pub.state == PublicationState.PENDING and pub.next_attempt_at is not None
    assert services.enqueue_due() == 0, "not before its retry time"
    Publication.objects.filter(pk=pub.pk).update(next_attempt_at=timezone.now())
    assert services.enqueue_due() == 1
    run_queued_tasks()
    assert len(network.posts) == 1
    assert Publication.objects.get(pk=pub.pk).state == PublicationState.PUBLISHED


def test_a_rate_limit_is_honoured(world: World, network: Network) -> None:
    network.failures = [RateLimited("slow down", retry_after=3600)]
    pub = queued(world)
    assert services.publish_publication(pub.pk) == "retry"
    pub.refresh_from_db()
    assert pub.next_attempt_at is not None
    assert pub.next_attempt_at >= timezone.now() + timedelta(minutes=59)
    assert network.posts == []


def test_a_permanent_failure_stops_and_tells_the_author_and_the_chair(
    world: World, network: Network, django_capture_on_commit_callbacks: Any
) -> None:
    network.failures = [PermanentError("Fakebook refused publishing: banned word")]
    pub = queued(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish_publication(pub.pk) == "failed"
    pub.refresh_from_db()
    assert pub.state == PublicationState.FAILED and "banned word" in pub.last_error
    assert Post.objects.get(pk=pub.post_id).state == State.CHANGES_REQUESTED
    assert services.enqueue_due() == 0
    told = {a for m in mail.outbox for a in m.to}
    assert {world["author"].email, world["chair"].email} <= told
    assert network.publish_calls == 1


def test_refused_credentials_hold_the_post_and_tell_the_owner(
    world: World, network: Network, django_capture_on_commit_callbacks: Any
) -> None:
    ChannelCredential.objects.create(
        channel=world.channel, network="bluesky", connected_at=timezone.now(), secret="x"
    )
    network.failures = [AuthError("Bluesky refused the channel's credentials")]
    pub = queued(world)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish_publication(pub.pk) == "waiting"
    assert Publication.objects.get(pk=pub.pk).state == PublicationState.PENDING
    credential = ChannelCredential.objects.get(channel=world.channel)
    assert credential.state == ConnectionState.EXPIRED
    assert world["admin"].email in {a for m in mail.outbox for a in m.to}


def test_a_dead_workers_publication_is_reconciled_not_repeated(
    world: World, network: Network
) -> None:
    pub = queued(world)
    store = services.DjangoOutbox()
    # A worker (pid 999999, long gone) took the lease, sent the post, and died.
    assert store.begin_attempt(
        pub.key, default_owner().split(":")[0] + ":999999:1", timedelta(hours=1)
    )
    network.publish(services.post_from_json(pub.payload), pub.key)
    assert services.reconcile_pending() == {"published": 1}
    assert network.publish_calls == 1
    assert Post.objects.get(pk=pub.post_id).state == State.PUBLISHED


def test_a_lease_held_by_a_live_worker_is_left_alone(world: World, network: Network) -> None:
    pub = queued(world)
    assert services.DjangoOutbox().begin_attempt(pub.key, "elsewhere:1:1", timedelta(hours=1))
    assert services.publish_publication(pub.pk) == "busy"
    assert network.publish_calls == 0


def test_metrics_are_stored_as_a_time_series(world: World, network: Network) -> None:
    pub = queued(world)
    services.publish_publication(pub.pk)
    assert services.pull_metrics(world.channel) == 2
    assert services.pull_metrics(world.channel, timezone.now() + timedelta(hours=1)) == 2
    item = OutboxItem.objects.get(post=pub.post)
    assert MetricSnapshot.objects.filter(outbox=item).count() == 2
    assert MetricSnapshot.objects.filter(channel=world.channel, outbox=None).count() == 2


def test_periodic_jobs_run_once_per_period(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(jobs, "_JOBS", {})
    jobs.periodic("test.job", timedelta(minutes=5))(lambda: calls.append(1))
    now = timezone.now()
    assert services.run_due_jobs(now) == ["test.job"]
    assert services.run_due_jobs(now + timedelta(minutes=1)) == []
    assert services.run_due_jobs(now + timedelta(minutes=6)) == ["test.job"]
    assert len(calls) == 2


def test_expiring_tokens_are_announced_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    ChannelCredential.objects.create(
        channel=world.channel,
        network="bluesky",
        connected_at=timezone.now(),
        connected_by=world["admin"],
        expires_at=timezone.now() + timedelta(days=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.check_expiry() == 1
        assert services.check_expiry() == 0
    assert len(mail.outbox) == 1 and "expires soon" in mail.outbox[0].subject
    assert world["admin"].email in mail.outbox[0].to


def test_only_an_administrator_connects_a_channel(world: World) -> None:
    with pytest.raises(NotAllowed):
        services.connect_bluesky(
            world["chair"], world.channel, handle="a.test", app_password="x-y-z"
        )


def test_the_channel_page_shows_the_connection_and_capabilities(world: World) -> None:
    page = world.client("admin").get(f"/channels/{world.channel.pk}/").content.decode()
    assert "Connection to Bluesky" in page and "Disconnected" in page
    assert "Pull replies" in page and "Impressions / views" in page
    assert 'name="app_password"' in page
    chair_page = world.client("chair").get(f"/channels/{world.channel.pk}/").content.decode()
    assert "Only an administrator connects a channel." in chair_page
