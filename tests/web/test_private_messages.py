"""Private messages where the network's API allows them: a Mastodon direct message (a
status with visibility "direct" that mentions the account) and Bluesky chat
(chat.bsky.convo.* through the PDS's chat proxy). A message is drafted from an inbox
item, checked by the engine and approved like a reply (the crisis lane for a crisis
item), and sent by the worker.

Mastodon's and Bluesky chat's calls are checked against their documented shapes with
respx (a mock transport for httpx): no Mastodon server runs here, and a bare PDS has no
chat service. The Bluesky session itself comes from the real local PDS when it runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import respx
from django.utils import timezone

from postguard.connectors import direct
from postguard.connectors.base import (
    AuthError,
    Credentials,
    InboundItem,
    OutgoingPost,
    PermanentError,
    RateLimited,
)
from postguard.web.errors import Conflict, Invalid, NotAllowed
from postguard.web.inbox import services as inbox
from postguard.web.orgs import services as orgs
from postguard.web.publishing import services as publishing
from postguard.web.publishing.models import PublicationState
from postguard.web.publishing.worker import run_queued_tasks, scheduler_pass
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import Kind, OutboxItem, Post, State

from .conftest import World

INSTANCE = "https://masto.example"
STATUS = {
    "id": "1101",
    "url": "https://masto.example/@ipala/1101",
    "created_at": "2026-12-04T10:00:00.000Z",
    "visibility": "direct",
}


# --- Mastodon: the documented shape --------------------------------------------------------


@respx.mock
def test_a_mastodon_direct_message_is_a_direct_status_mentioning_the_account() -> None:
    route = respx.post(f"{INSTANCE}/api/v1/statuses").mock(
        return_value=httpx.Response(200, json=STATUS)
    )
    published = direct.mastodon_send(
        INSTANCE, "token-1", "@sam@other.example", "Hello Sam, here to help.", "key-123"
    )
    request = route.calls.last.request
    assert json.loads(request.content) == {
        "status": "@sam@other.example Hello Sam, here to help.",
        "visibility": "direct",
    }
    assert request.headers["Authorization"] == "Bearer token-1"
    assert request.headers["Idempotency-Key"] == "key-123"
    assert published.remote_id == "1101"
    assert published.published_at == datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, AuthError), (422, PermanentError), (429, RateLimited)],
)
@respx.mock
def test_a_refused_mastodon_message_says_why(status: int, error: type[Exception]) -> None:
    respx.post(f"{INSTANCE}/api/v1/statuses").mock(
        return_value=httpx.Response(status, json={"error": "Validation failed"})
    )
    with pytest.raises(error, match=str(status)):
        direct.mastodon_send(INSTANCE, "t", "sam", "Hello", "k")


@respx.mock
def test_a_message_the_server_did_not_keep_private_is_an_error() -> None:
    respx.post(f"{INSTANCE}/api/v1/statuses").mock(
        return_value=httpx.Response(200, json={**STATUS, "visibility": "public"})
    )
    with pytest.raises(PermanentError, match="private"):
        direct.mastodon_send(INSTANCE, "t", "sam", "Hello", "k")


def test_the_mastodon_connector_counts_the_mention_in_the_limit() -> None:
    from postguard.connectors.mastodon import MastodonConnector

    connector = MastodonConnector(
        Credentials(secrets={"access_token": "t"}), {"instance": INSTANCE}
    )
    # Mastodon counts a mention by its user name: "@sam " is 5 of the 500.
    fits = connector.validate(OutgoingPost(text="x" * 495, direct_to="sam@other.example"))
    over = connector.validate(OutgoingPost(text="x" * 496, direct_to="sam@other.example"))
    assert fits == [] and over and "500" in over[0]


# --- Bluesky chat: the documented shape ----------------------------------------------------

PDS = "https://pds.example"


@respx.mock
def test_bluesky_chat_opens_the_conversation_and_sends_through_the_chat_proxy() -> None:
    convo = respx.get(f"{PDS}/xrpc/chat.bsky.convo.getConvoForMembers").mock(
        return_value=httpx.Response(200, json={"convo": {"id": "convo-9", "members": []}})
    )
    send = respx.post(f"{PDS}/xrpc/chat.bsky.convo.sendMessage").mock(
        return_value=httpx.Response(
            200,
            json={
                "id": "msg-1",
                "rev": "1",
                "text": "Hello",
                "sender": {"did": "did:plc:us"},
                "sentAt": "2026-12-04T10:00:00.000Z",
            },
        )
    )
    chat = direct.BlueskyChat(PDS, "jwt-1")
    convo_id = chat.convo_for("did:plc:them")
    sent = chat.send(convo_id, "Hello")
    chat.close()
    for call in (convo.calls.last.request, send.calls.last.request):
        assert call.headers["atproto-proxy"] == "did:web:api.bsky.chat#bsky_chat"
        assert call.headers["Authorization"] == "Bearer jwt-1"
    assert convo.calls.last.request.url.params.get_list("members") == ["did:plc:them"]
    assert json.loads(send.calls.last.request.content) == {
        "convoId": "convo-9",
        "message": {"text": "Hello"},
    }
    published = direct.chat_published(convo_id, sent)
    assert published.remote_id == "convo-9/msg-1" and published.url is None


@respx.mock
def test_bluesky_chat_refusing_messages_is_a_clear_error() -> None:
    respx.get(f"{PDS}/xrpc/chat.bsky.convo.getConvoForMembers").mock(
        return_value=httpx.Response(
            400,
            json={"error": "InvalidRequest", "message": "recipient has disabled incoming messages"},
        )
    )
    chat = direct.BlueskyChat(PDS, "jwt")
    with pytest.raises(PermanentError, match="disabled incoming messages"):
        chat.convo_for("did:plc:them")


def test_a_bluesky_message_is_limited_to_1000_characters() -> None:
    assert direct.bluesky_problems("x" * 1000) == []
    assert "1000" in direct.bluesky_problems("x" * 1001)[0]


# --- the workflow ---------------------------------------------------------------------------


def _item(world: World, channel: Any, text: str = "Can someone help me? I'm struggling.") -> Any:
    (item,) = inbox.ingest(
        channel,
        [InboundItem("msg-parent-1", None, "sam.example.org", text, timezone.now(), "reply")],
        source="pull",
    )
    return item


def _mastodon_channel(world: World) -> Any:
    channel = orgs.create_channel(None, world.org, name="Mastodon", network="mastodon")
    for name in ("author", "chair"):
        membership = orgs.membership(world[name], world.org)
        assert membership is not None
        orgs.set_channel_authorization(None, channel, membership, True)
    publishing._save_credentials(
        world["admin"],
        channel,
        Credentials(secrets={"access_token": "masto-token"}),
        {"instance": INSTANCE, "account_id": "42"},
    )
    return channel


def test_a_private_message_is_drafted_from_an_inbox_item_and_approved_like_a_reply(
    world: World,
) -> None:
    channel = _mastodon_channel(world)
    item = _item(world, channel)
    post = inbox.draft_message(world["author"], item.pk, "Hello, we would like to help.")
    assert (post.kind, post.in_reply_to, post.state) == (Kind.MESSAGE, item.remote_id, State.DRAFT)
    assert workflow.message_recipient(post) == "sam.example.org"
    post = workflow.submit(world["author"], post)
    assert (
        workflow.approval_status(post).required
        == orgs.approval_policy(world.org).reply_required_approvals
    )
    with pytest.raises(NotAllowed):
        workflow.review(world["author"], post, "approve")
    post = workflow.review(world["reviewer"], post, "approve")
    assert post.state == State.READY


@respx.mock
def test_an_approved_mastodon_message_is_sent_by_the_worker(world: World) -> None:
    route = respx.post(f"{INSTANCE}/api/v1/statuses").mock(
        return_value=httpx.Response(200, json=STATUS)
    )
    channel = _mastodon_channel(world)
    item = _item(world, channel)
    post = inbox.draft_message(world["author"], item.pk, "Hello, we would like to help.")
    post = workflow.review(world["reviewer"], workflow.submit(world["author"], post), "approve")
    scheduler_pass()
    run_queued_tasks()
    assert json.loads(route.calls.last.request.content) == {
        "status": "@sam.example.org Hello, we would like to help.",
        "visibility": "direct",
    }
    assert Post.objects.get(pk=post.pk).state == State.PUBLISHED
    assert OutboxItem.objects.get(post=post).remote_id == "1101"
    assert post.publications.get().state == PublicationState.PUBLISHED


def test_no_private_message_where_the_network_does_not_allow_one(world: World) -> None:
    item = _item(world, world.closed_channel)  # a Facebook group
    assert not inbox.can_message(item)
    with pytest.raises(Conflict, match="cannot send private messages on Facebook"):
        inbox.draft_message(world["author"], item.pk, "Hello")
    page = world.client("author").get(f"/inbox/{item.pk}/").content.decode()
    assert "Send a private message" not in page


def test_a_message_must_answer_an_inbox_item(world: World) -> None:
    with pytest.raises(Invalid, match="private message goes to the person"):
        workflow.create_post(
            world["author"], world.channel, "Hello", kind=Kind.MESSAGE, in_reply_to="nope"
        )


def test_the_item_page_offers_a_private_message_on_bluesky_and_drafts_it(world: World) -> None:
    item = _item(world, world.channel)
    client = world.client("author")
    page = client.get(f"/inbox/{item.pk}/").content.decode()
    assert "Send a private message" in page and "Bluesky chat" in page
    response = client.post(f"/inbox/{item.pk}/message/", {"text": "Hello from the association."})
    assert response.status_code == 302
    post = Post.objects.get(kind=Kind.MESSAGE)
    assert post.text == "Hello from the association."
    assert world.client("author").get(f"/posts/{post.pk}/").status_code == 200


def test_a_message_to_a_crisis_item_takes_the_crisis_lane(world: World) -> None:
    orgs.update_approval_policy(
        None,
        world.org,
        required_approvals=2,
        reply_required_approvals=2,
        chair_required=True,
        reply_chair_required=True,
    )
    item = _item(world, world.channel, "I can't go on anymore, I want to end it all.")
    assert "signal.crisis" in item.categories
    post = inbox.draft_message(world["author"], item.pk, "We are here. Please call 999 now.")
    post = workflow.submit(world["author"], post)
    post = workflow.review(world["chair"], post, "approve")
    assert post.state == State.READY
    assert workflow.approval_status(post).lane == workflow.CRISIS_LANE


# --- Bluesky: a real session from the local PDS, the chat calls mocked ----------------------


@pytest.mark.django_db
def test_the_bluesky_connector_sends_a_chat_message_with_its_pds_session(
    pds: Any, association: Any, commenter: Any, app_password: str
) -> None:
    from postguard.connectors.bluesky import BlueskyConnector

    connector = BlueskyConnector(
        Credentials(secrets={"app_password": app_password}),
        {"handle": association.handle, "service": pds.url},
    )
    with respx.mock(assert_all_called=False) as mock:
        # The session and the handle lookup are the real PDS's; only the chat is mocked.
        mock.route(path__startswith="/xrpc/com.atproto").pass_through()
        convo = mock.get(path="/xrpc/chat.bsky.convo.getConvoForMembers").mock(
            return_value=httpx.Response(200, json={"convo": {"id": "c1", "members": []}})
        )
        mock.post(path="/xrpc/chat.bsky.convo.sendMessage").mock(
            return_value=httpx.Response(
                200,
                json={
                    "id": "m1",
                    "rev": "1",
                    "text": "Hello",
                    "sender": {"did": association.did},
                    "sentAt": "2026-12-04T10:00:00.000Z",
                },
            )
        )
        published = connector.publish(
            OutgoingPost(text="Hello", direct_to=commenter.handle), "key-1"
        )
    assert published.remote_id == "c1/m1"
    # The chat was asked for the conversation with the commenter's DID, resolved by the PDS.
    assert convo.calls.last.request.url.params.get_list("members") == [commenter.did]
    connector.close()
