"""Taking down past posts on a real Bluesky PDS (tests/conftest.py starts it; under
CI=true a missing PDS fails these tests instead of skipping them).

An archived post is deleted exactly once, also when the worker dies between its claim
and the call or between the call and the record (fault injection); a post deleted
directly on the PDS is noticed at the next read-back."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from atproto import Client, models
from atproto_client.request import Request
from cryptography.fernet import Fernet
from django.utils import timezone

from postguard.connectors.bluesky import BlueskyConnector
from postguard.web.audit.models import AuditEntry
from postguard.web.audit.services import verify
from postguard.web.publishing import services as publishing
from postguard.web.publishing.models import Publication, PublicationState
from postguard.web.publishing.worker import run_queued_tasks, scheduler_pass
from postguard.web.takedown import services
from postguard.web.takedown.models import ArchiveItem, TakeDown, TakeDownState
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import OutboxItem
from tests.conftest import PdsAccount, PdsServer

from .conftest import World
from .takedown_helper import report, report_line

pytestmark = pytest.mark.django_db


def _tag() -> str:
    """A unique word for a post's text. Letters only: a random hex tag is sometimes all
    digits, and the engine rightly stops a post carrying an eight-digit number."""
    return "".join(chr(ord("a") + int(c, 16) % 26) for c in uuid.uuid4().hex[:8])


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except clause catches it."""


@pytest.fixture
def connected(
    world: World,
    pds: PdsServer,
    association: PdsAccount,
    commenter: PdsAccount,
    app_password: str,
) -> Iterator[World]:
    # The test PDS has no AppView: counts are read from the watched repositories.
    publishing.connect_bluesky(
        world["admin"],
        world.channel,
        handle=association.handle,
        app_password=app_password,
        service=pds.url,
        watch=commenter.handle,
    )
    yield world


@pytest.fixture
def deletes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every deleteRecord the connector sends, in order."""
    calls: list[str] = []
    real = BlueskyConnector.delete

    def counted(self: BlueskyConnector, remote_id: str) -> None:
        calls.append(remote_id)
        real(self, remote_id)

    monkeypatch.setattr(BlueskyConnector, "delete", counted)
    return calls


def delete_with_sdk(pds: PdsServer, account: PdsAccount, uri: str) -> None:
    """Delete a post the way its owner would on the network: with the atproto client."""
    request = Request()
    try:
        client = Client(base_url=pds.url, request=request)
        client.login(account.handle, account.password, fetch_bsky_profile=False)
        client.com.atproto.repo.delete_record(
            models.ComAtprotoRepoDeleteRecord.Data(
                repo=account.did, collection="app.bsky.feed.post", rkey=uri.rsplit("/", 1)[-1]
            )
        )
    finally:
        request.close()


def post_on_pds(pds: PdsServer, account: PdsAccount, text: str) -> str:
    created = pds.xrpc(
        "POST",
        "com.atproto.repo.createRecord",
        json={
            "repo": account.did,
            "collection": "app.bsky.feed.post",
            "record": {
                "$type": "app.bsky.feed.post",
                "text": text,
                "createdAt": "2019-05-04T10:00:00.000Z",
            },
        },
        headers=account.auth(),
    )
    uri: str = created["uri"]
    return uri


def exists_on_pds(pds: PdsServer, uri: str) -> bool:
    repo, collection, _rkey = uri.removeprefix("at://").split("/")
    data = pds.xrpc(
        "GET",
        "com.atproto.repo.listRecords",
        params={"repo": repo, "collection": collection, "limit": 100},
    )
    return any(r["uri"] == uri for r in data["records"])


def archived(world: World, uri: str, text: str) -> ArchiveItem:
    result = services.import_report(
        world["chair"],
        world.channel,
        services.iter_lines([report(report_line(uri, text))]),
        "findings.jsonl",
    )
    assert result.added == 1 and result.error_count == 0
    return ArchiveItem.objects.get(channel=world.channel, remote_id=uri)


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


def test_an_archived_post_is_deleted_once_and_recorded_with_its_text(
    connected: World, pds: PdsServer, association: PdsAccount, deletes: list[str]
) -> None:
    world = connected
    text = f"Call Sarah on 07700 900123 about her baby's latch ({_tag()})"
    uri = post_on_pds(pds, association, text)
    item = archived(world, uri, text)

    asked = services.request_takedown(
        world["chair"], world.channel.pk, [item.pk], "Names a client and her phone number."
    )
    assert [td.state for td in asked.created] == [TakeDownState.PENDING], "the chair approves"
    assert exists_on_pds(pds, uri), "nothing is deleted before the worker runs"
    run_queued_tasks()

    td = TakeDown.objects.get(item=item)
    assert td.state == TakeDownState.DELETED and td.attempts == 1
    assert not exists_on_pds(pds, uri)
    assert deletes == [uri]
    [deleted] = entries("takedown.deleted")
    assert deleted.after["text"] == text and deleted.after["remote_id"] == uri
    assert deleted.after["reason"] == "Names a client and her phone number."

    again = services.request_takedown(
        world["chair"], world.channel.pk, [item.pk], "Names a client, asked again."
    )
    assert again.created == [] and again.skipped == 1
    assert services.run_pending() == {}
    run_queued_tasks()
    assert deletes == [uri], "the second run does nothing"
    assert len(entries("takedown.deleted")) == 1
    assert verify().ok


def test_a_post_already_gone_from_the_pds_is_recorded_as_already_gone(
    connected: World, pds: PdsServer, association: PdsAccount, deletes: list[str]
) -> None:
    world = connected
    text = f"An old post deleted by hand ({_tag()})"
    uri = post_on_pds(pds, association, text)
    item = archived(world, uri, text)
    delete_with_sdk(pds, association, uri)
    services.request_takedown(world["admin"], world.channel.pk, [item.pk], "Breaks 2(a).")
    run_queued_tasks()
    td = TakeDown.objects.get(item=item)
    assert td.state == TakeDownState.ALREADY_GONE
    assert deletes == [], "nothing to delete"
    [gone] = entries("takedown.already_gone")
    assert gone.after["text"] == text
    assert verify().ok


@pytest.mark.parametrize("point", ["claimed", "deleted"])
def test_a_worker_killed_mid_take_down_never_deletes_twice_and_the_next_run_finishes(
    connected: World,
    pds: PdsServer,
    association: PdsAccount,
    deletes: list[str],
    monkeypatch: pytest.MonkeyPatch,
    point: str,
) -> None:
    world = connected
    text = f"Baby Jack's tongue-tie story, call his mum on 07700 900456 ({point})"
    uri = post_on_pds(pds, association, text)
    item = archived(world, uri, text)
    [td] = services.request_takedown(
        world["chair"], world.channel.pk, [item.pk], "Breaks 2(a) and 2(d)."
    ).created

    def die(where: str, remote_id: str) -> None:
        if where == point:
            raise WorkerKilled(where)

    monkeypatch.setattr(services, "_pause", die)
    with pytest.raises(WorkerKilled):
        services.run_takedown(td.pk)  # what the queued task runs
    td.refresh_from_db()
    assert td.state == TakeDownState.PENDING and td.attempts == 1, "claimed before the call"
    assert td.lease_owner, "the dead worker's lease is still on it"
    assert exists_on_pds(pds, uri) == (point == "claimed")
    assert entries("takedown.deleted") == []

    monkeypatch.setattr(services, "_pause", lambda where, remote_id: None)
    # The dead worker's lease is freed (its process is gone), then the intent resumes.
    TakeDown.objects.filter(pk=td.pk).update(lease_owner="elsewhere:1:1", lease_until=None)
    assert services.resume_interrupted() == {"deleted": 1}
    td.refresh_from_db()
    assert td.state == TakeDownState.DELETED
    assert not exists_on_pds(pds, uri)
    assert deletes == [uri], "one deleteRecord in all"
    assert td.attempts == (2 if point == "claimed" else 1)
    [deleted] = entries("takedown.deleted")
    assert deleted.after["text"] == text
    assert services.resume_interrupted() == {}
    assert verify().ok


def _publish(world: World, text: str) -> OutboxItem:
    post = workflow.review(world["reviewer"], world.submitted(text), "approve")
    assert post.state == "ready", (post.state, post.findings)
    scheduler_pass()
    run_queued_tasks()
    item = OutboxItem.objects.get(post=post)
    assert item.remote_id.startswith("at://"), item
    return item


def test_a_post_deleted_directly_on_the_pds_is_noticed_at_the_next_read_back(
    connected: World, pds: PdsServer, association: PdsAccount
) -> None:
    world = connected
    kept_text = f"Our AGM is on 12 March: members, please come ({_tag()})."
    gone_text = f"Breastfeeding café every Tuesday at the library ({_tag()})."
    kept = _publish(world, kept_text)
    gone = _publish(world, gone_text)
    delete_with_sdk(pds, association, gone.remote_id)

    publishing.pull_metrics(world.channel)

    gone.refresh_from_db()
    kept.refresh_from_db()
    assert gone.deleted_at is not None and kept.deleted_at is None
    pub = Publication.objects.get(outbox=gone)
    assert pub.state == PublicationState.DELETED_ON_NETWORK
    assert Publication.objects.get(outbox=kept).state == PublicationState.PUBLISHED
    [noticed] = entries("post.deleted_on_network")
    assert noticed.after["text"] == gone_text and noticed.after["remote_id"] == gone.remote_id
    page = world.client("author").get(f"/posts/{gone.post_id}/").content.decode()
    assert "Deleted on the network" in page

    publishing.pull_metrics(world.channel)
    assert len(entries("post.deleted_on_network")) == 1, "noticed once"
    assert verify().ok


def test_a_published_post_is_taken_down_from_its_page(
    connected: World, pds: PdsServer, association: PdsAccount, deletes: list[str]
) -> None:
    world = connected
    text = f"Welcome to our new members ({_tag()})."
    item = _publish(world, text)
    response = world.client("chair").post(
        f"/posts/{item.post_id}/takedown/", {"reason": "Posted on the wrong channel."}
    )
    assert response.status_code == 302
    run_queued_tasks()
    assert deletes == [item.remote_id]
    assert not exists_on_pds(pds, item.remote_id)
    assert Publication.objects.get(outbox=item).state == PublicationState.DELETED
    item.refresh_from_db()
    assert item.deleted_at is not None
    before = timezone.now()
    publishing.pull_metrics(world.channel)
    assert entries("post.deleted_on_network") == [], "our own take-down is not noticed again"
    assert item.deleted_at <= before


HELPER = Path(__file__).with_name("takedown_helper_process.py")
ROOT = Path(__file__).resolve().parents[2]


def _helper(env: dict[str, str], *args: str) -> Any:
    result = subprocess.run(
        [sys.executable, str(HELPER), *args],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-c", "from postguard.cli import main; main()", "worker",
             "--interval", "1"],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
        )  # fmt: skip


def test_a_worker_process_killed_between_claim_and_call_deletes_once_when_restarted(
    pds: PdsServer, association: PdsAccount, app_password: str, tmp_path: Path
) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "POSTGUARD_SECRETS_KEY_FILE"}
    }
    env |= {
        "POSTGUARD_DATA_DIR": str(tmp_path / "data"),
        "POSTGUARD_SECRETS_KEY": Fernet.generate_key().decode(),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "PG_TEST_PDS_URL": pds.url,
        "PG_TEST_HANDLE": association.handle,
        "PG_TEST_APP_PASSWORD": app_password,
    }
    text = f"Call Ann on 07700 900789 about her twins ({_tag()})"
    uri = post_on_pds(pds, association, text)
    setup = _helper(env, "setup", uri, text)
    assert setup["state"] == "pending"
    pause = tmp_path / "claimed"
    log = tmp_path / "worker.log"
    first = _worker(env | {services.PAUSE_ENV: f"claimed:{pause}"}, log)
    try:
        reached = pause.with_name("claimed.reached")
        deadline = time.monotonic() + 90
        while not reached.exists() and time.monotonic() < deadline and first.poll() is None:
            time.sleep(0.2)
        assert reached.exists(), log.read_text(errors="replace")[-3000:]
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=20)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    status = _helper(env, "status", str(setup["takedown"]))
    assert status["state"] == "pending" and status["attempts"] == 1, "claimed, then killed"
    assert exists_on_pds(pds, uri), "killed before the call"

    second = _worker(env, log)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = _helper(env, "status", str(setup["takedown"]))
            if status["state"] != "pending":
                break
            time.sleep(0.5)
    finally:
        if second.poll() is None:
            second.send_signal(signal.SIGTERM)
            try:
                second.wait(timeout=20)
            except subprocess.TimeoutExpired:
                second.kill()
                second.wait()
    assert status["state"] == "deleted", log.read_text(errors="replace")[-3000:]
    assert status["attempts"] == 2 and status["recorded"] == [text]
    assert status["audit_ok"]
    assert not exists_on_pds(pds, uri)
