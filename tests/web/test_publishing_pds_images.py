"""An image attached in the web composer goes out with the post to a real Bluesky PDS
(uploadBlob, then an app.bsky.embed.images record with its alt text); tests/conftest.py
starts the PDS (under CI=true a missing PDS fails instead of skipping)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet

from postguard.web.publishing import services
from postguard.web.publishing.worker import run_queued_tasks, scheduler_pass
from postguard.web.workflow import media
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import OutboxItem, Post, State
from tests.conftest import PdsAccount, PdsServer

from ..images import plain_jpeg
from .conftest import World


@pytest.mark.django_db
def test_an_image_from_the_composer_is_published_with_its_alt_text(
    world: World,
    pds: PdsServer,
    association: PdsAccount,
    commenter: PdsAccount,
    app_password: str,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.MEDIA_ROOT = tmp_path
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
    text = f"Our stand at the town library this Saturday ({uuid.uuid4().hex[:8]})."
    picture = plain_jpeg(400, 300)
    post = world.draft(text)
    media.add_image(
        world["author"], post, media.Upload(picture, alt="A sunny gradient", credit="Staff")
    )
    post = workflow.submit(world["author"], Post.objects.get(pk=post.pk))
    post = workflow.review(world["reviewer"], post, "approve")
    assert post.state == State.READY
    scheduler_pass()
    run_queued_tasks()
    records = pds.xrpc(
        "GET",
        "com.atproto.repo.listRecords",
        params={"repo": association.did, "collection": "app.bsky.feed.post", "limit": 100},
    )["records"]
    (record,) = [r for r in records if r["value"]["text"] == text]
    embed = record["value"]["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    (image,) = embed["images"]
    assert image["alt"] == "A sunny gradient"
    assert image["image"]["mimeType"] == "image/jpeg"
    cid = image["image"]["ref"]["$link"]
    with httpx.Client(base_url=pds.url, timeout=30) as client:
        blob = client.get(
            "/xrpc/com.atproto.sync.getBlob", params={"did": association.did, "cid": cid}
        )
    assert blob.status_code == 200 and blob.content == picture
    assert OutboxItem.objects.get(post=post).remote_id == record["uri"]
    assert Post.objects.get(pk=post.pk).state == State.PUBLISHED
