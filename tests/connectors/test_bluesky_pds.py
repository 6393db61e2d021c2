"""The Bluesky connector against a real AT Protocol PDS on 127.0.0.1 (see conftest.py).

A bare PDS has no AppView, so the connector runs in ``read_via="repos"`` mode
and watches the commenter's repository.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image as PILImage

from postguard.connectors.base import (
    AuthError,
    Credentials,
    Image,
    OutgoingPost,
    ValidationError,
    utcnow,
)
from postguard.connectors.bluesky import KEY_FIELD, BlueskyConnector, BlueskyRequest
from postguard.connectors.outbox import SQLiteOutbox, new_idempotency_key, reconcile
from postguard.connectors.retry import Backoff, publish_exactly_once
from tests.connectors.conftest import PdsAccount, PdsServer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def png(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 120, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def records(pds: PdsServer, repo: str, collection: str = "app.bsky.feed.post") -> list[Any]:
    out: list[Any] = []
    cursor = None
    while True:
        params = {"repo": repo, "collection": collection, "limit": 100}
        if cursor:
            params["cursor"] = cursor
        page = pds.xrpc("GET", "com.atproto.repo.listRecords", params=params)
        out.extend(page["records"])
        cursor = page.get("cursor")
        if not page["records"] or not cursor:
            return out


def posts_with_key(pds: PdsServer, repo: str, key: str) -> list[Any]:
    return [r for r in records(pds, repo) if r["value"].get(KEY_FIELD) == key]


def create_record(pds: PdsServer, who: PdsAccount, collection: str, record: dict[str, Any]) -> Any:
    record = {"$type": collection, "createdAt": utcnow().isoformat(), **record}
    return pds.xrpc(
        "POST",
        "com.atproto.repo.createRecord",
        json={"repo": who.did, "collection": collection, "record": record},
        headers=who.auth(),
    )


def settings(pds: PdsServer, account: PdsAccount, watch: list[str]) -> dict[str, Any]:
    return {
        "service": pds.url,
        "handle": account.handle,
        "read_via": "repos",
        "watch_repos": watch,
    }


@pytest.fixture
def bluesky(
    pds: PdsServer, association: PdsAccount, commenter: PdsAccount, app_password: str
) -> Iterator[BlueskyConnector]:
    connector = BlueskyConnector(
        Credentials({"app_password": app_password}),
        settings(pds, association, [commenter.handle]),
    )
    with connector:
        yield connector


@pytest.fixture
def offline() -> Iterator[BlueskyConnector]:
    """A connector that is never used to connect: validation needs no server."""
    with BlueskyConnector(Credentials({}), {"handle": "association.test"}) as connector:
        yield connector


def test_it_logs_in_with_an_app_password_and_keeps_the_session(
    bluesky: BlueskyConnector, association: PdsAccount
) -> None:
    bluesky.authenticate()
    assert bluesky.did == association.did
    session = bluesky.credentials.secrets["session"]
    assert association.did in session
    for secret in bluesky.credentials.secrets.values():
        assert secret not in repr(bluesky.credentials)

    refreshed = bluesky.refresh()
    assert refreshed.secrets["session"] != session  # a new token pair


def test_it_resumes_from_a_stored_session_without_the_app_password(
    bluesky: BlueskyConnector, pds: PdsServer, association: PdsAccount
) -> None:
    bluesky.authenticate()
    stored = bluesky.credentials.secrets["session"]
    with BlueskyConnector(
        Credentials({"session": stored}), settings(pds, association, [])
    ) as resumed:
        resumed.authenticate()
        assert resumed.did == association.did


def test_a_wrong_app_password_is_an_auth_error(pds: PdsServer, association: PdsAccount) -> None:
    with (
        BlueskyConnector(
            Credentials({"app_password": "aaaa-bbbb-cccc-dddd"}), settings(pds, association, [])
        ) as connector,
        pytest.raises(AuthError, match="app password"),
    ):
        connector.authenticate()


def test_it_publishes_text_with_a_clickable_link(
    bluesky: BlueskyConnector, pds: PdsServer, association: PdsAccount
) -> None:
    post = OutgoingPost(
        text="Our guide to feeding in the first week — café talk on Friday",
        link="https://example.org/first-week",
    )
    published = bluesky.publish(post, new_idempotency_key())

    assert published.remote_id.startswith(f"at://{association.did}/app.bsky.feed.post/")
    assert published.url == (
        f"https://bsky.app/profile/{association.did}/post/{published.remote_id.split('/')[-1]}"
    )
    value = next(
        r["value"] for r in records(pds, association.did) if r["uri"] == published.remote_id
    )
    assert value["text"].endswith("\n\nhttps://example.org/first-week")
    (facet,) = value["facets"]
    assert facet["features"][0]["uri"] == "https://example.org/first-week"
    start, end = facet["index"]["byteStart"], facet["index"]["byteEnd"]
    assert value["text"].encode()[start:end] == b"https://example.org/first-week"


def test_it_publishes_an_image_with_alt_text(
    bluesky: BlueskyConnector, pds: PdsServer, association: PdsAccount
) -> None:
    alt = "A volunteer hands a leaflet to a parent at the library"
    post = OutgoingPost(
        text="Drop-in support at the library", images=(Image(png(), alt, "image/png"),)
    )
    published = bluesky.publish(post, new_idempotency_key())

    value = next(
        r["value"] for r in records(pds, association.did) if r["uri"] == published.remote_id
    )
    (image,) = value["embed"]["images"]
    assert image["alt"] == alt
    assert (image["aspectRatio"]["width"], image["aspectRatio"]["height"]) == (64, 48)
    cid = image["image"]["ref"]["$link"]
    with httpx.Client(base_url=pds.url) as client:
        blob = client.get(
            "/xrpc/com.atproto.sync.getBlob", params={"did": association.did, "cid": cid}
        )
    assert blob.status_code == 200
    assert blob.content == post.images[0].data


@pytest.mark.parametrize(
    ("post", "expected"),
    [
        (
            OutgoingPost(text="x" * 342),
            "Bluesky allows 300 characters; this post has 342 — shorten it by 42",
        ),
        (
            OutgoingPost(text="Look", images=(Image(png(), "", "image/png"),)),
            "image 1 has no alt text: describe it for people who cannot see it",
        ),
        (
            OutgoingPost(
                text="Look", images=tuple(Image(png(), "alt", "image/png") for _ in range(5))
            ),
            "Bluesky allows 4 images per post; this post has 5 — remove 1",
        ),
        (
            OutgoingPost(text="Look", images=(Image(b"\0" * 1_200_000, "alt", "image/png"),)),
            "image 1 is 1.2 MB; Bluesky allows 1.0 MB — make it smaller",
        ),
        (
            OutgoingPost(text="Look", images=(Image(b"GIF", "alt", "image/tiff"),)),
            "image 1 is image/tiff; Bluesky takes JPEG, PNG, WEBP, GIF — convert it",
        ),
    ],
)
def test_it_refuses_what_bluesky_would_refuse_before_sending_anything(
    bluesky: BlueskyConnector,
    pds: PdsServer,
    association: PdsAccount,
    post: OutgoingPost,
    expected: str,
) -> None:
    before = len(records(pds, association.did))
    assert expected in bluesky.validate(post)
    with pytest.raises(ValidationError) as refused:
        bluesky.publish(post, new_idempotency_key())
    assert expected in refused.value.problems
    assert len(records(pds, association.did)) == before


@pytest.mark.parametrize(
    "character",
    [
        "\U0001f1ec\U0001f1e7",  # a flag: two regional indicators
        "e\u0301",  # e and a combining acute accent
        "\U0001f44b\U0001f3fd",  # waving hand, skin tone
        "\U0001f469\u200d\U0001f393",  # woman student: a ZWJ sequence
    ],
)
def test_what_a_person_sees_as_one_character_counts_as_one(
    offline: BlueskyConnector, character: str
) -> None:
    assert offline.text_length(character * 7) == 7


def test_the_limit_is_300_characters_as_a_person_counts_them(offline: BlueskyConnector) -> None:
    flag = "\U0001f1ec\U0001f1e7"
    assert offline.validate(OutgoingPost(text=flag * 300)) == []
    assert offline.validate(OutgoingPost(text=flag * 301)) == [
        "Bluesky allows 300 characters; this post has 301 — shorten it by 1"
    ]


def test_the_byte_limit_is_checked_too(offline: BlueskyConnector) -> None:
    family = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # one grapheme of 18 bytes
    assert offline.validate(OutgoingPost(text=family * 200)) == [
        "Bluesky allows 3000 bytes of text; this post has 3600 — shorten it (emoji and "
        "accented letters take several bytes)"
    ]


def test_a_reply_and_a_mention_from_a_watched_account_are_fetched(
    bluesky: BlueskyConnector, pds: PdsServer, association: PdsAccount, commenter: PdsAccount
) -> None:
    _, cursor = bluesky.fetch_inbound(None)  # start from now
    ours = bluesky.publish(OutgoingPost(text="Ask us about feeding support"), new_idempotency_key())
    cid = ours.extra["cid"]
    ref = {"uri": ours.remote_id, "cid": cid}
    reply = create_record(
        pds, commenter, "app.bsky.feed.post",
        {"text": "Is there a group on Tuesdays?", "reply": {"root": ref, "parent": ref}},
    )  # fmt: skip
    mention_text = f"Thanks @{association.handle}!"
    start = mention_text.index("@")
    mention = create_record(
        pds, commenter, "app.bsky.feed.post",
        {
            "text": mention_text,
            "facets": [{
                "index": {"byteStart": start, "byteEnd": len(mention_text.encode()) - 1},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": association.did}],
            }],
        },
    )  # fmt: skip
    create_record(pds, commenter, "app.bsky.feed.post", {"text": "unrelated"})

    items, cursor = bluesky.fetch_inbound(cursor)

    assert [(i.kind, i.remote_id) for i in items] == [
        ("reply", reply["uri"]),
        ("mention", mention["uri"]),
    ]
    first = items[0]
    assert first.parent_remote_id == ours.remote_id
    assert first.author_handle == commenter.handle
    assert first.text == "Is there a group on Tuesdays?"
    assert bluesky.fetch_inbound(cursor)[0] == []  # nothing new since the cursor


def test_it_replies_in_the_thread_of_a_reply(
    bluesky: BlueskyConnector, pds: PdsServer, association: PdsAccount, commenter: PdsAccount
) -> None:
    root = bluesky.publish(OutgoingPost(text="Our new leaflet is out"), new_idempotency_key())
    ref = {"uri": root.remote_id, "cid": root.extra["cid"]}
    question = create_record(
        pds, commenter, "app.bsky.feed.post",
        {"text": "Where can I get one?", "reply": {"root": ref, "parent": ref}},
    )  # fmt: skip

    answer = bluesky.publish(
        OutgoingPost(text="At every group meeting!", reply_to=question["uri"]),
        new_idempotency_key(),
    )

    value = next(r["value"] for r in records(pds, association.did) if r["uri"] == answer.remote_id)
    reply = {k: {f: value["reply"][k][f] for f in ("uri", "cid")} for k in ("root", "parent")}
    assert reply == {"root": ref, "parent": {"uri": question["uri"], "cid": question["cid"]}}


def test_it_deletes_a_post_and_deleting_again_is_harmless(
    bluesky: BlueskyConnector, pds: PdsServer, association: PdsAccount
) -> None:
    published = bluesky.publish(OutgoingPost(text="Posted by mistake"), new_idempotency_key())
    bluesky.delete(published.remote_id)
    assert published.remote_id not in {r["uri"] for r in records(pds, association.did)}
    bluesky.delete(published.remote_id)


def test_metrics_count_what_watched_accounts_did(
    pds: PdsServer,
    association: PdsAccount,
    commenter: PdsAccount,
    app_password: str,
) -> None:
    # A fresh follower so that the counts do not depend on the other tests.
    from tests.connectors.conftest import create_account

    fan = create_account(pds, "fan")
    with BlueskyConnector(
        Credentials({"app_password": app_password}),
        settings(pds, association, [fan.handle, commenter.did]),
    ) as bluesky:
        liked = bluesky.publish(OutgoingPost(text="Liked twice"), new_idempotency_key())
        quiet = bluesky.publish(OutgoingPost(text="Nobody noticed"), new_idempotency_key())
        subject = {"uri": liked.remote_id, "cid": liked.extra["cid"]}
        for who in (fan, commenter):
            create_record(pds, who, "app.bsky.feed.like", {"subject": subject})
        create_record(pds, fan, "app.bsky.feed.repost", {"subject": subject})
        create_record(
            pds, fan, "app.bsky.feed.post",
            {"text": "Agreed", "reply": {"root": subject, "parent": subject}},
        )  # fmt: skip
        create_record(pds, fan, "app.bsky.graph.follow", {"subject": association.did})

        by_id = {m.remote_id: m for m in bluesky.post_metrics([liked.remote_id, quiet.remote_id])}
        account = bluesky.account_metrics()

    assert (by_id[liked.remote_id].likes, by_id[liked.remote_id].shares) == (2, 1)
    assert by_id[liked.remote_id].comments == 1
    assert (by_id[quiet.remote_id].likes, by_id[quiet.remote_id].comments) == (0, 0)
    assert by_id[liked.remote_id].impressions is None  # Bluesky has no such figure
    assert by_id[liked.remote_id].link_clicks is None
    assert account.followers is not None and account.followers >= 1


def test_find_published_finds_the_post_by_its_key_only(bluesky: BlueskyConnector) -> None:
    since = utcnow() - timedelta(seconds=5)
    key = new_idempotency_key()
    post = OutgoingPost(text="Same words")
    published = bluesky.publish(post, key)
    bluesky.publish(post, new_idempotency_key())  # identical text, other key

    found = bluesky.find_published(key, since, post)
    assert found is not None and found.remote_id == published.remote_id
    assert bluesky.find_published(new_idempotency_key(), since, post) is None


class DropCreateResponse(httpx.BaseTransport):
    """Lets the first createRecord reach the PDS, then loses the response."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.dropped = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if request.url.path.endswith("createRecord") and not self.dropped:
            response.read()
            response.close()
            self.dropped += 1
            raise httpx.ReadTimeout("response lost", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def test_a_lost_response_is_looked_up_not_posted_again(
    pds: PdsServer, association: PdsAccount, app_password: str
) -> None:
    transport = DropCreateResponse()
    key = new_idempotency_key()
    since = utcnow() - timedelta(seconds=5)
    with BlueskyConnector(
        Credentials({"app_password": app_password}),
        settings(pds, association, []),
        request=BlueskyRequest(transport=transport),
    ) as bluesky:
        published = publish_exactly_once(
            bluesky, OutgoingPost(text="Sent once, answered never"), key, since,
            backoff=Backoff(base=0.01), sleep=lambda _s: None,
        )  # fmt: skip

    assert transport.dropped == 1
    (record,) = posts_with_key(pds, association.did, key)
    assert record["uri"] == published.remote_id


def test_a_worker_killed_after_posting_is_reconciled_without_posting_again(
    pds: PdsServer,
    association: PdsAccount,
    app_password: str,
    tmp_path: Path,
) -> None:
    outbox = tmp_path / "outbox.sqlite3"
    key = new_idempotency_key()
    breakpoint_path = str(tmp_path / "after-send")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        "PG_TEST_PDS_URL": pds.url,
        "PG_TEST_HANDLE": association.handle,
        "PG_TEST_APP_PASSWORD": app_password,
    }
    worker = subprocess.Popen(
        [sys.executable, str(HERE / "crash_publisher.py"), str(outbox), key, breakpoint_path],
        env=env,
    )
    reached = Path(breakpoint_path + ".reached")
    try:
        deadline = time.monotonic() + 60
        while not reached.exists() and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert reached.exists(), "the worker never reached the point after the network call"
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait(timeout=30)
    assert worker.returncode == -signal.SIGKILL
    assert not Path(breakpoint_path + ".finished").exists()

    store = SQLiteOutbox(outbox)
    intent = store.get(key)
    assert intent is not None
    assert (intent.state, intent.attempts, intent.remote_id) == ("pending", 1, None)
    (on_pds,) = posts_with_key(pds, association.did, key)  # it did go out

    time.sleep(1.1)  # the dead worker's one-second lease runs out
    with BlueskyConnector(
        Credentials({"app_password": app_password}), settings(pds, association, [])
    ) as bluesky:
        results = reconcile(store, lambda _channel: bluesky)

    assert [(r.key, r.outcome) for r in results] == [(key, "published")]
    assert results[0].published is not None
    assert results[0].published.remote_id == reached.read_text() == on_pds["uri"]
    assert len(posts_with_key(pds, association.did, key)) == 1  # exactly once
    intent = store.get(key)
    assert intent is not None
    assert (intent.state, intent.remote_id) == ("published", on_pds["uri"])


def test_reconcile_publishes_an_intent_that_never_reached_the_network(
    pds: PdsServer, association: PdsAccount, app_password: str, tmp_path: Path
) -> None:
    store = SQLiteOutbox(tmp_path / "outbox.sqlite3")
    key = new_idempotency_key()
    post = OutgoingPost(text=f"Crashed before sending {uuid.uuid4().hex[:6]}")
    store.add_intent(key, "bluesky:association", post, utcnow())
    assert store.begin_attempt(key, "dead-worker", timedelta(seconds=-1))  # lease already over

    with BlueskyConnector(
        Credentials({"app_password": app_password}), settings(pds, association, [])
    ) as bluesky:
        results = reconcile(store, lambda _channel: bluesky)
        again = reconcile(store, lambda _channel: bluesky)

    assert [r.outcome for r in results] == ["published"]
    assert again == []
    assert len(posts_with_key(pds, association.did, key)) == 1
