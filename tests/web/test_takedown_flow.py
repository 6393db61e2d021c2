"""Who decides a take-down, and how the worker's outcome is recorded whatever the
network answers (a stand-in connector here; the real network is in
test_takedown_pds.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from postguard.connectors.base import (
    Credentials,
    NotFound,
    PermanentError,
    TransientError,
)
from postguard.web.audit.models import AuditEntry
from postguard.web.errors import NotAllowed
from postguard.web.errors import NotFound as NoSuch
from postguard.web.orgs import services as orgs
from postguard.web.takedown import services
from postguard.web.takedown.models import ArchiveItem, TakeDown, TakeDownState

from .conftest import World
from .takedown_helper import report, report_line

pytestmark = pytest.mark.django_db
URI = "at://did:plc:abc/app.bsky.feed.post/"


class Network:
    """A connector whose answers the test sets."""

    display_name = "Stand-in"

    def __init__(self, *, gone: set[str] | None = None, error: Exception | None = None) -> None:
        self.credentials = Credentials()
        self.missing = gone or set()
        self.error = error
        self.deleted: list[str] = []

    def gone(self, remote_ids: Sequence[str]) -> set[str]:
        return self.missing & set(remote_ids)

    def delete(self, remote_id: str) -> None:
        if self.error is not None:
            raise self.error
        self.deleted.append(remote_id)
        self.missing.add(remote_id)

    def close(self) -> None:
        pass


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Network:
    fake = Network()
    monkeypatch.setattr(services, "_connector", lambda channel: fake)
    return fake


def _items(world: World, *numbers: int) -> list[ArchiveItem]:
    services.import_report(
        None,
        world.channel,
        services.iter_lines([report(*(report_line(f"{URI}{n}", f"Post {n}") for n in numbers))]),
    )
    return list(ArchiveItem.objects.filter(channel=world.channel).order_by("remote_id"))


def test_a_reviewers_choice_waits_for_the_chair_who_approves_or_declines(
    world: World, network: Network
) -> None:
    first, second = _items(world, 1, 2)
    asked = services.request_takedown(
        world["reviewer"], world.channel.pk, [first.pk, second.pk], "Both name a client."
    ).created
    assert {td.state for td in asked} == {TakeDownState.REQUESTED}
    assert services.run_pending() == {}, "nothing runs before approval"
    with pytest.raises(NotAllowed):
        services.decide(world["reviewer"], asked[0].pk, "approve")
    services.decide(world["chair"], asked[0].pk, "approve")
    services.decide(world["admin"], asked[1].pk, "decline", "Not a client: a colleague.")
    assert services.run_pending() == {"deleted": 1}
    assert network.deleted == [first.remote_id]
    again = services.request_takedown(
        world["chair"], world.channel.pk, [second.pk], "Asked again after a second look."
    )
    assert [td.state for td in again.created] == [TakeDownState.PENDING], "a declined one may"


def test_a_members_own_channel_is_theirs_alone(world: World, network: Network) -> None:
    own = orgs.create_channel(None, world.org, name="Ann's own", network="bluesky")
    services.claim_personal(world["admin"], own, world["member"])
    services.import_report(
        world["member"], own, services.iter_lines([report(report_line(URI + "9", "My story"))])
    )
    item = ArchiveItem.objects.get(channel=own)
    for role in ("chair", "admin", "reviewer"):
        with pytest.raises(NoSuch):
            services.items_of(world[role], own)
    [td] = services.request_takedown(
        world["member"], own.pk, [item.pk], "I no longer want this online."
    ).created
    assert td.state == TakeDownState.PENDING, "the owner decides alone"
    with pytest.raises(NoSuch):
        services.takedown_for(world["chair"], td.pk)
    with pytest.raises(NotAllowed):
        services.claim_personal(world["chair"], own, world["chair"])


@pytest.mark.parametrize(
    ("error", "outcome", "state"),
    [
        (TransientError("503 from the network", retry_after=30), "retry", TakeDownState.PENDING),
        (PermanentError("refused: not your post"), "failed", TakeDownState.FAILED),
        (NotFound("no such post"), "already_gone", TakeDownState.ALREADY_GONE),
    ],
)
def test_the_networks_answer_decides_the_outcome(
    world: World, network: Network, error: Exception, outcome: str, state: str
) -> None:
    [item] = _items(world, 1)
    [td] = services.request_takedown(
        world["chair"], world.channel.pk, [item.pk], "Names a client."
    ).created
    network.error = error
    assert services.run_takedown(td.pk) == outcome
    td.refresh_from_db()
    assert td.state == state and td.attempts == 1
    if state == TakeDownState.PENDING:
        assert td.next_attempt_at is not None and "503" in td.last_error
        assert td.lease_owner == "", "the lease is given back for the retry"
        network.error = None
        TakeDown.objects.filter(pk=td.pk).update(next_attempt_at=None)
        assert services.run_pending() == {"deleted": 1}
        assert TakeDown.objects.get(pk=td.pk).attempts == 2
    else:
        entry = AuditEntry.objects.get(action=f"takedown.{state}")
        assert entry.after["text"] == "Post 1"
