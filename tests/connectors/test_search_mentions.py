"""Searching the networks for watch terms (presence monitoring): Bluesky's
``app.bsky.feed.searchPosts`` and Mastodon's hashtag timeline and status search,
against their documented response shapes. The tests' local PDS has no AppView (see
scripts/pds/start.js), so it cannot serve search: Bluesky is mocked with respx at the
HTTP layer, Mastodon (Mastodon.py uses requests) with responses."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
import responses
import respx

from postguard.connectors import connector_class
from postguard.connectors.base import Credentials, PermanentError, RateLimited
from postguard.connectors.bluesky import BlueskyConnector
from postguard.connectors.mastodon import MastodonConnector

from .test_bluesky_appview import PDS, session

MASTODON = "https://social.example"
ANN = "did:plc:44ybard66vv44zksje25o7dz"


@pytest.fixture
def appview() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=f"{PDS}/xrpc", assert_all_called=False) as router:
        router.post("/com.atproto.server.createSession").mock(
            return_value=httpx.Response(200, json=session())
        )
        yield router


@pytest.fixture
def bluesky() -> Iterator[BlueskyConnector]:
    with BlueskyConnector(
        Credentials({"app_password": "abcd-efgh-ijkl-mnop"}),
        {"service": PDS, "handle": "assoc.example"},
    ) as connector:
        yield connector


def post_view(rkey: str, text: str, indexed: str, handle: str = "ann.example",
              name: str = "Ann") -> dict[str, object]:  # fmt: skip
    """A post as app.bsky.feed.defs#postView documents it (fields we do not use trimmed)."""
    return {
        "uri": f"at://{ANN}/app.bsky.feed.post/{rkey}",
        "cid": "bafyreib2rxk3rh6kzwq",
        "author": {"did": ANN, "handle": handle, "displayName": name},
        "record": {"$type": "app.bsky.feed.post", "text": text, "createdAt": indexed},
        "indexedAt": indexed,
    }


def test_only_the_networks_with_a_search_say_they_can() -> None:
    can = {n: connector_class(n).capabilities.search_mentions for n in ("bluesky", "mastodon")}
    assert can == {"bluesky": True, "mastodon": True}
    for network in ("facebook", "instagram", "linkedin", "x"):
        assert connector_class(network).capabilities.search_mentions is False


def test_bluesky_searches_each_term_and_remembers_the_newest(
    appview: respx.MockRouter, bluesky: BlueskyConnector
) -> None:
    search = appview.get("/app.bsky.feed.searchPosts").mock(
        side_effect=lambda request: httpx.Response(
            200,
            json={
                "posts": [
                    post_view("3l2", "IPALA at the fair", "2026-11-21T10:02:00.000Z"),
                    post_view("3l1", "Go IPALA", "2026-11-21T10:01:00.000Z", "ipa1a.example",
                              "IPALA official"),
                ]
                if request.url.params["q"] == "IPALA"
                else []
            },
        )
    )  # fmt: skip

    items, cursor = bluesky.search_mentions(["IPALA", "#wbw"], None)

    assert [(i.text, i.author_handle, i.author_name, i.kind) for i in items] == [
        ("Go IPALA", "ipa1a.example", "IPALA official", "mention"),
        ("IPALA at the fair", "ann.example", "Ann", "mention"),
    ]
    assert items[0].url == f"https://bsky.app/profile/{ANN}/post/3l1"
    assert json.loads(cursor or "") == {"IPALA": "2026-11-21T10:02:00.000Z"}
    assert {r.request.url.params["sort"] for r in search.calls} == {"latest"}

    again, _ = bluesky.search_mentions(["IPALA"], cursor)
    assert again == []
    assert search.calls.last.request.url.params["since"] == "2026-11-21T10:02:00.000Z"


def test_bluesky_search_maps_the_rate_limit(
    appview: respx.MockRouter, bluesky: BlueskyConnector
) -> None:
    appview.get("/app.bsky.feed.searchPosts").mock(
        return_value=httpx.Response(429, json={"error": "RateLimitExceeded"}, headers={
            "ratelimit-reset": "1"})
    )  # fmt: skip
    with pytest.raises(RateLimited):
        bluesky.search_mentions(["IPALA"], None)


def test_a_bare_pds_cannot_search() -> None:
    with (
        BlueskyConnector(
            Credentials({"app_password": "x"}),
            {"service": PDS, "handle": "assoc.example", "read_via": "repos"},
        ) as bare,
        pytest.raises(PermanentError, match="AppView"),
    ):
        bare.search_mentions(["IPALA"], None)


def status(sid: str, text: str, acct: str = "ann@other.example") -> dict[str, object]:
    """A status as the Mastodon API documents it (fields we do not use trimmed)."""
    return {
        "id": sid,
        "created_at": "2026-11-21T10:00:01.000Z",
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "content": f"<p>{text}</p>",
        "url": f"{MASTODON}/@ann/{sid}",
        "account": {"id": "9", "username": "ann", "acct": acct, "display_name": "Ann"},
        "visibility": "public",
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
    }


@pytest.fixture
def mastodon() -> Iterator[MastodonConnector]:
    with MastodonConnector(
        Credentials({"access_token": "m-token"}), {"instance": MASTODON, "account_id": "1"}
    ) as connector:
        yield connector


def test_mastodon_reads_the_hashtag_timeline_and_searches_words(
    mastodon: MastodonConnector,
) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as api:
        tag = api.get(
            f"{MASTODON}/api/v1/timelines/tag/WBW2026",
            json=[status("110", "Walk with us #wbw2026")],
        )
        search = api.get(
            f"{MASTODON}/api/v2/search",
            json={"accounts": [], "hashtags": [], "statuses": [status("105", "IPALA rocks")]},
        )
        items, cursor = mastodon.search_mentions(["#WBW2026", "IPALA"], None)
        assert sorted((i.remote_id, i.text, i.author_name) for i in items) == [
            ("105", "IPALA rocks", "Ann"),
            ("110", "Walk with us #wbw2026", "Ann"),
        ]
        assert json.loads(cursor or "") == {"#WBW2026": "110", "IPALA": "105"}
        assert "type=statuses" in (search.calls[0].request.url or "")
        assert tag.calls[0].request.headers["Authorization"] == "Bearer m-token"

    with responses.RequestsMock() as api:
        # Mastodon.py reads the instance once before its first min_id request.
        api.get(f"{MASTODON}/api/v2/instance/", json={"domain": "social.example",
                                                        "version": "4.3.0"})  # fmt: skip
        api.get(f"{MASTODON}/api/v1/timelines/tag/WBW2026", json=[])
        api.get(f"{MASTODON}/api/v2/search", json={"accounts": [], "hashtags": [], "statuses": []})
        again, _ = mastodon.search_mentions(["#WBW2026", "IPALA"], cursor)
        assert again == []
        urls = [c.request.url or "" for c in api.calls]
        assert any("tag/WBW2026" in u and "min_id=110" in u for u in urls)
        assert any("api/v2/search" in u and "min_id=105" in u for u in urls)
