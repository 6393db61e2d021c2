"""Publishing through the workspace to a real Bluesky PDS (tests/conftest.py starts it;
under CI=true a missing PDS fails these tests instead of skipping them).

The crash test runs the real `postguard worker` process, kills it with SIGKILL
between the network call and the record, starts it again, and checks that the
post exists exactly once on the server and that the record was reconciled.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.utils import timezone

from postguard.web.publishing import services
from postguard.web.publishing.models import MetricSnapshot
from postguard.web.publishing.worker import run_queued_tasks, scheduler_pass
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import OutboxItem, Post, State
from tests.conftest import PdsAccount, PdsServer

from .conftest import World

ROOT = Path(__file__).resolve().parents[2]
HELPER = Path(__file__).with_name("publishing_helper.py")


def _tag() -> str:
    """A unique word for a post's text. Letters only: a random hex tag is sometimes all
    digits, and the engine rightly stops a post carrying an eight-digit number."""
    return "".join(chr(ord("a") + int(c, 16) % 26) for c in uuid.uuid4().hex[:8])


def posts_on(pds: PdsServer, account: PdsAccount, text: str) -> list[dict[str, Any]]:
    data = pds.xrpc(
        "GET",
        "com.atproto.repo.listRecords",
        params={"repo": account.did, "collection": "app.bsky.feed.post", "limit": 100},
    )
    return [r for r in data["records"] if r["value"]["text"] == text]


def create_record(
    pds: PdsServer, account: PdsAccount, collection: str, record: dict[str, Any]
) -> Any:
    record = {"$type": collection, "createdAt": timezone.now().isoformat(), **record}
    return pds.xrpc(
        "POST",
        "com.atproto.repo.createRecord",
        json={"repo": account.did, "collection": collection, "record": record},
        headers=account.auth(),
    )


@pytest.mark.django_db
def test_a_scheduled_post_goes_out_once_and_its_replies_and_likes_come_back(
    world: World,
    pds: PdsServer,
    association: PdsAccount,
    commenter: PdsAccount,
    app_password: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from postguard.web.inbox.models import InboxItem

    monkeypatch.delenv("POSTGUARD_SECRETS_KEY_FILE", raising=False)
    monkeypatch.setenv("POSTGUARD_SECRETS_KEY", Fernet.generate_key().decode())
    services.connect_bluesky(
        world["admin"],
        world.channel,
        handle=association.handle,
        app_password=app_password,
        service=pds.url,
        watch=commenter.handle,
    )
    tag = _tag()
    text = f"Join our breastfeeding support circle at the town library on Saturday ({tag})."
    workflow.check_text(text, account="official")  # load the engine before timing
    due = timezone.now() + timedelta(seconds=5)
    post = world.submitted(text, scheduled_at=due)
    post = workflow.review(world["reviewer"], post, "approve")
    assert post.state == State.SCHEDULED
    scheduler_pass()
    run_queued_tasks()
    assert posts_on(pds, association, text) == [], "not before its time"
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.1)
    scheduler_pass()
    run_queued_tasks()
    scheduler_pass()
    run_queued_tasks()
    records = posts_on(pds, association, text)
    assert len(records) == 1
    item = OutboxItem.objects.get(post=post)
    assert item.remote_id == records[0]["uri"]
    assert item.published_at is not None and item.text == text
    assert Post.objects.get(pk=post.pk).state == State.PUBLISHED
    assert item.remote_url.endswith("/post/" + item.remote_id.rsplit("/", 1)[-1])
    page = world.client("author").get(f"/posts/{post.pk}/").content.decode()
    assert f'href="{item.remote_url}"' in page

    subject = {"uri": records[0]["uri"], "cid": records[0]["cid"]}
    create_record(
        pds,
        commenter,
        "app.bsky.feed.post",
        {"text": "Is it open to dads too?", "reply": {"root": subject, "parent": subject}},
    )
    create_record(pds, commenter, "app.bsky.feed.like", {"subject": subject})
    assert services.pull_inbound(world.channel) == 1
    reply = InboxItem.objects.get(channel=world.channel)
    assert reply.text == "Is it open to dads too?" and reply.parent_remote_id == item.remote_id
    assert services.pull_inbound(world.channel) == 0, "the cursor moved on"
    services.pull_metrics(world.channel)
    snapshot = MetricSnapshot.objects.get(outbox=item)
    assert snapshot.likes == 1 and snapshot.comments == 1


def _helper(env: dict[str, str], *args: str) -> Any:
    result = subprocess.run(
        [sys.executable, str(HELPER), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from postguard.cli import main; main()",
                "worker",
                "--interval",
                "1",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_worker_killed_after_sending_does_not_post_twice(
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
    text = f"Our AGM is on 12 March: members, please come ({_tag()})."
    setup = _helper(env, "setup", text)
    breakpoint_file = tmp_path / "after-send"
    log = tmp_path / "worker.log"

    first = _worker(env | {services.CRASH_HOOK_ENV: str(breakpoint_file)}, log)
    try:
        reached = breakpoint_file.with_name("after-send.reached")
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
    remote_id = reached.read_text()
    assert len(posts_on(pds, association, text)) == 1
    status = _helper(env, "status", str(setup["post"]))
    assert status["state"] == "ready" and status["remote_id"] == "", "killed before the record"
    assert status["publication"] == "pending" and status["attempts"] == 1

    second = _worker(env, log)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status = _helper(env, "status", str(setup["post"]))
            if status["state"] == "published":
                break
            time.sleep(0.5)
    finally:
        _stop(second)
    assert status["state"] == "published", log.read_text(errors="replace")[-3000:]
    assert status["remote_id"] == remote_id
    assert status["attempts"] == 1, "found on the network, not sent again"
    assert len(posts_on(pds, association, text)) == 1
