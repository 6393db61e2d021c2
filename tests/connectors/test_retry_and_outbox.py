"""Exactly once: retries look before they publish again; the outbox survives crashes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from postguard.connectors.base import (
    AuthError,
    Image,
    OutgoingPost,
    PermanentError,
    RateLimited,
    TokenExpired,
    TransientError,
    ValidationError,
    utcnow,
)
from postguard.connectors.outbox import (
    LeaseHeld,
    SQLiteOutbox,
    post_from_json,
    post_to_json,
    publish_with_intent,
    reconcile,
)
from postguard.connectors.retry import Backoff, GaveUp, publish_exactly_once, retry_read
from tests.connectors.fakes import FakeNetwork

FAST = Backoff(base=0.01, jitter=0.0)
POST = OutgoingPost(text="Drop-in support on Saturday")


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


# -- retry_read ------------------------------------------------------------------------------


def test_a_read_is_retried_after_the_delay_the_network_asked_for() -> None:
    calls = iter([RateLimited("slow down", retry_after=7.5), TransientError("502"), "ok"])
    sleeps = Sleeps()

    def read() -> str:
        outcome = next(calls)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert retry_read(read, backoff=FAST, sleep=sleeps) == "ok"
    assert sleeps[0] == 7.5
    assert len(sleeps) == 2


def test_a_read_gives_up_after_its_attempts() -> None:
    sleeps = Sleeps()

    def read() -> str:
        raise TransientError("down")

    with pytest.raises(GaveUp, match="failed 3 time"):
        retry_read(read, backoff=Backoff(attempts=3, base=0.01), sleep=sleeps)
    assert len(sleeps) == 2


def test_a_wait_longer_than_the_limit_goes_back_to_the_scheduler() -> None:
    sleeps = Sleeps()

    def read() -> str:
        raise RateLimited("come back tomorrow", retry_after=86_400)

    with pytest.raises(GaveUp) as gave_up:
        retry_read(read, backoff=FAST, sleep=sleeps)
    assert gave_up.value.retry_after == 86_400
    assert sleeps == []


def test_permanent_and_auth_failures_are_not_retried() -> None:
    for failure in (PermanentError("no"), AuthError("who?"), TokenExpired("old")):
        calls = 0

        def read(failure: Exception = failure) -> str:
            nonlocal calls
            calls += 1
            raise failure

        with pytest.raises(type(failure)):
            retry_read(read, backoff=FAST, sleep=Sleeps())
        assert calls == 1


# -- publish_exactly_once --------------------------------------------------------------------


def test_a_lost_response_is_found_on_the_network_and_not_posted_again() -> None:
    network = FakeNetwork()
    network.failures = [TransientError("timeout after sending")]
    network.after_create = True

    published = publish_exactly_once(network, POST, "k1", utcnow(), backoff=FAST, sleep=Sleeps())

    assert len(network.posts) == 1
    assert published == network.posts[0][2]
    assert (network.publish_calls, network.lookups) == (1, 1)


def test_a_refused_attempt_is_looked_up_then_published() -> None:
    network = FakeNetwork()
    network.failures = [RateLimited("429", retry_after=3)]
    sleeps = Sleeps()

    publish_exactly_once(network, POST, "k1", utcnow(), backoff=FAST, sleep=sleeps)

    assert len(network.posts) == 1
    assert (network.publish_calls, network.lookups) == (2, 1)
    assert sleeps == [3]


def test_a_permanent_refusal_is_not_retried() -> None:
    network = FakeNetwork()
    network.failures = [PermanentError("Fakebook refused publishing: spam")]

    with pytest.raises(PermanentError, match="spam"):
        publish_exactly_once(network, POST, "k1", utcnow(), backoff=FAST, sleep=Sleeps())
    assert (network.publish_calls, network.lookups) == (1, 0)


def test_an_invalid_post_never_reaches_the_network() -> None:
    network = FakeNetwork()
    post = OutgoingPost(text="x" * 60, images=(Image(b"\xff\xd8", ""),))

    with pytest.raises(ValidationError) as refused:
        publish_exactly_once(network, post, "k1", utcnow(), backoff=FAST, sleep=Sleeps())
    assert refused.value.problems == [
        "Fakebook allows 50 characters; this post has 60 — shorten it by 10",
        "image 1 has no alt text: describe it for people who cannot see it",
    ]
    assert network.publish_calls == 0


def test_giving_up_after_repeated_transient_failures() -> None:
    network = FakeNetwork()
    network.failures = [TransientError("503")] * 3

    with pytest.raises(GaveUp):
        publish_exactly_once(
            network, POST, "k1", utcnow(), backoff=Backoff(attempts=3, base=0.01), sleep=Sleeps()
        )
    assert (network.publish_calls, network.lookups, len(network.posts)) == (3, 2, 0)


# -- the outbox ------------------------------------------------------------------------------


def test_a_post_round_trips_through_the_outbox_storage() -> None:
    post = OutgoingPost("hi", (Image(b"\x89PNG", "a logo", "image/png"),), "https://e.org", "r1")
    assert post_from_json(post_to_json(post)) == post


def test_publishing_twice_with_one_key_publishes_once(tmp_path: Path) -> None:
    store = SQLiteOutbox(tmp_path / "outbox.db")
    network = FakeNetwork()

    first = publish_with_intent(store, network, "fake:assoc", POST, "k1", backoff=FAST)
    second = publish_with_intent(store, network, "fake:assoc", POST, "k1", backoff=FAST)

    assert first == second
    assert len(network.posts) == 1
    intent = store.get("k1")
    assert intent is not None
    assert (intent.state, intent.attempts, intent.remote_id) == ("published", 1, "fake-1")


def test_the_intent_is_committed_before_the_network_call(tmp_path: Path) -> None:
    store = SQLiteOutbox(tmp_path / "outbox.db")
    network = FakeNetwork()
    seen = []

    def crash(_published: object) -> None:
        intent = SQLiteOutbox(tmp_path / "outbox.db").get("k1")  # another connection
        seen.append(intent)
        raise SystemExit("killed")

    with pytest.raises(SystemExit):
        publish_with_intent(store, network, "fake:assoc", POST, "k1", after_send=crash)
    (intent,) = seen
    assert intent is not None
    assert (intent.state, intent.attempts) == ("pending", 1)


def test_a_crash_after_sending_is_reconciled_without_a_second_post(tmp_path: Path) -> None:
    store = SQLiteOutbox(tmp_path / "outbox.db")
    network = FakeNetwork()

    def crash(_published: object) -> None:
        raise SystemExit("killed")

    with pytest.raises(SystemExit):
        publish_with_intent(
            store, network, "fake:assoc", POST, "k1", after_send=crash,
            lease=timedelta(seconds=-1),
        )  # fmt: skip
    results = reconcile(store, lambda _channel: network, backoff=FAST)

    assert [(r.key, r.outcome) for r in results] == [("k1", "published")]
    assert len(network.posts) == 1
    assert network.lookups == 1
    intent = store.get("k1")
    assert intent is not None and intent.state == "published"


def test_a_live_lease_keeps_a_second_worker_out(tmp_path: Path) -> None:
    store = SQLiteOutbox(tmp_path / "outbox.db")
    store.add_intent("k1", "fake:assoc", POST, utcnow())
    assert store.begin_attempt("k1", "worker-a", timedelta(minutes=5))

    with pytest.raises(LeaseHeld):
        publish_with_intent(store, FakeNetwork(), "fake:assoc", POST, "k1", owner="worker-b")
    assert [r.outcome for r in reconcile(store, lambda _c: FakeNetwork(), owner="b")] == ["busy"]


def test_a_permanent_failure_is_recorded_and_not_retried_by_reconcile(tmp_path: Path) -> None:
    store = SQLiteOutbox(tmp_path / "outbox.db")
    network = FakeNetwork()
    network.failures = [PermanentError("Fakebook refused publishing: account suspended")]

    with pytest.raises(PermanentError):
        publish_with_intent(store, network, "fake:assoc", POST, "k1", backoff=FAST)

    intent = store.get("k1")
    assert intent is not None
    assert (intent.state, intent.last_error) == (
        "failed",
        "Fakebook refused publishing: account suspended",
    )
    assert reconcile(store, lambda _c: network) == []
    with pytest.raises(PermanentError, match="suspended"):
        publish_with_intent(store, network, "fake:assoc", POST, "k1")


def test_an_expired_token_leaves_the_intent_pending_for_after_reconnecting(
    tmp_path: Path,
) -> None:
    store = SQLiteOutbox(tmp_path / "outbox.db")
    network = FakeNetwork()
    network.failures = [TokenExpired("the token expired: reconnect the channel")]

    with pytest.raises(TokenExpired):
        publish_with_intent(store, network, "fake:assoc", POST, "k1", backoff=FAST)
    intent = store.get("k1")
    assert intent is not None and intent.state == "pending"

    results = reconcile(store, lambda _c: network, backoff=FAST)
    assert [r.outcome for r in results] == ["published"]
    assert network.lookups == 1  # it looked before publishing again
    assert len(network.posts) == 1


def test_reconcile_leaves_work_for_later_when_the_network_is_down(tmp_path: Path) -> None:
    store = SQLiteOutbox(tmp_path / "outbox.db")
    network = FakeNetwork()
    store.add_intent("k1", "fake:assoc", POST, utcnow())
    store.begin_attempt("k1", "dead", timedelta(seconds=-1))
    network.lookup_failures = [TransientError("down")] * 10

    results = reconcile(store, lambda _c: network, backoff=Backoff(attempts=2, base=0.01))

    assert [r.outcome for r in results] == ["retry_later"]
    assert network.publish_calls == 0  # never publish without knowing
    intent = store.get("k1")
    assert intent is not None and intent.state == "pending"
