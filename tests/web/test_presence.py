"""Presence monitoring end to end: feeds and pages served by a local HTTP server, read by
the poller, mentions stored once, checked, and landing in the inbox (the association's
terms) or in one member's own view (their terms); failures recorded, nothing lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from postguard.web.errors import Invalid
from postguard.web.inbox import defaults
from postguard.web.inbox.models import InboxItem, ItemKind
from postguard.web.presence import services as presence
from postguard.web.presence.fetch import FetchError, GuardedBackend, fetch
from postguard.web.presence.models import Mention, TermKind, WatchSource

from .conftest import World
from .presence_server import Answer, Site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_fetching(settings: Any) -> None:
    # The tests' server is on 127.0.0.1, which production refuses (see the SSRF tests).
    settings.POSTGUARD_PRESENCE_ALLOW_PRIVATE = True
    settings.POSTGUARD_PRESENCE_TIMEOUT = 1.0
    settings.POSTGUARD_PRESENCE_MAX_BYTES = 200_000
    settings.POSTGUARD_PRESENCE_MAX_REDIRECTS = 3


def rss(*items: tuple[str, str, str]) -> bytes:
    """An RSS 2.0 feed of (guid, title, description) items."""
    body = "".join(
        f"<item><guid>{g}</guid><title>{t}</title><link>https://news.example/{g}</link>"
        f"<description>{d}</description><author>reporter@news.example (Reporter)</author>"
        "<pubDate>Tue, 03 Nov 2026 10:00:00 GMT</pubDate></item>"
        for g, t, d in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
        f"<link>https://news.example/</link><description>x</description>{body}</channel></rss>"
    ).encode()


def atom(*entries: tuple[str, str, str, str]) -> bytes:
    """An Atom feed of (id, title, summary, author name) entries."""
    body = "".join(
        f"<entry><id>{i}</id><title>{t}</title><updated>2026-11-03T10:00:00Z</updated>"
        f'<link href="https://blog.example/{i}"/><summary>{s}</summary>'
        f"<author><name>{a}</name></author></entry>"
        for i, t, s, a in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Blog</title><id>urn:blog</id><updated>2026-11-03T10:00:00Z</updated>"
        f"{body}</feed>"
    ).encode()


def watch(world: World, *terms: str) -> None:
    for text in terms:
        presence.add_term(world["chair"], world.org, text=text, kind=TermKind.NAME)


def feed_source(world: World, url: str, name: str = "News alerts") -> WatchSource:
    return presence.add_source(world["admin"], world.org, name=name, kind="feed", url=url)


def refreshed(source: WatchSource) -> WatchSource:
    source.refresh_from_db()
    return source


# --- feeds into the inbox --------------------------------------------------------------------


def test_a_new_feed_entry_naming_the_association_lands_in_the_inbox_with_its_signals(
    world: World, site: Site
) -> None:
    defaults.install_defaults(world.org)
    watch(world, "IPALA test")
    url = site.set(
        "/alerts.rss",
        Answer(
            rss(
                (
                    "a1",
                    "Local news",
                    "IPALA test endorses SuperMilk, and says formula is just as good as "
                    "breast milk. I want to make a formal complaint about this.",
                ),
                ("a2", "Weather", "Sunny all week."),
            )
        ),
    )
    source = feed_source(world, url)

    assert presence.poll_source(source) == 1

    item = InboxItem.objects.get(org=world.org)
    assert item.kind == ItemKind.MENTION
    assert item.channel.name == presence.PRESENCE_CHANNEL and not item.channel.active
    assert {"signal.endorsement_claim", "signal.misinformation", "signal.complaint"} <= set(
        item.categories
    )
    assert item.priority >= 2
    assert item.url == "https://news.example/a1"
    # The same escalation rules as a comment: the complaint rule notified and opened a case.
    assert item.escalated_at is not None and item.cases.exists()
    mention = Mention.objects.get()
    assert mention.inbox_item == item and mention.terms == ["IPALA test"]


def test_an_atom_feed_is_read_and_its_author_kept(world: World, site: Site) -> None:
    watch(world, "#WBW2026")
    url = site.set(
        "/blog.atom",
        Answer(atom(("urn:1", "Our week", "Join the #wbw2026 walk on Saturday", "Ann Blogger"))),
    )
    presence.poll_source(feed_source(world, url))
    item = InboxItem.objects.get()
    assert item.author_handle == "Ann Blogger"
    assert "walk on Saturday" in item.text


def test_polling_again_stores_each_mention_once(world: World, site: Site) -> None:
    watch(world, "IPALA test")
    entries = [("a1", "One", "IPALA test at the fair")]
    site.set("/f.rss", lambda: Answer(rss(*entries)))
    source = feed_source(world, site.url("/f.rss"))
    assert presence.poll_source(source) == 1
    assert presence.poll_source(refreshed(source)) == 0
    entries.append(("a2", "Two", "IPALA test on the radio"))
    assert presence.poll_source(refreshed(source)) == 1
    assert InboxItem.objects.count() == 2 and Mention.objects.count() == 2


def test_a_feed_that_did_not_change_is_asked_for_with_its_etag(world: World, site: Site) -> None:
    watch(world, "IPALA test")
    site.set("/e.rss", Answer(rss(("a1", "One", "IPALA test")), etag='"v1"'))
    source = feed_source(world, site.url("/e.rss"))
    presence.poll_source(source)
    presence.poll_source(refreshed(source))
    assert site.requests[-1][1].get("If-None-Match") == '"v1"'
    assert refreshed(source).last_error == "" and Mention.objects.count() == 1


def test_an_entry_without_a_watched_term_is_not_kept(world: World, site: Site) -> None:
    watch(world, "IPALA test")
    url = site.set("/n.rss", Answer(rss(("a1", "Nothing", "The IPALA of tests is elsewhere"))))
    assert presence.poll_source(feed_source(world, url)) == 0
    assert not Mention.objects.exists() and not InboxItem.objects.exists()


def test_a_paused_term_is_not_looked_for(world: World, site: Site) -> None:
    watch(world, "IPALA test")
    term = presence.org_terms(world["chair"], world.org).get()
    presence.set_term_active(world["chair"], term.pk, False)
    url = site.set("/p.rss", Answer(rss(("a1", "One", "IPALA test"))))
    assert presence.poll_source(feed_source(world, url)) == 0


# --- a member's own terms ----------------------------------------------------------------------


def test_a_members_own_term_reaches_only_that_member(world: World, site: Site) -> None:
    presence.add_term(world["member"], world.org, text="Dana Lactation", kind=TermKind.PERSONAL)
    url = site.set("/m.rss", Answer(rss(("a1", "Review", "Dana Lactation was wonderful"))))
    presence.poll_source(feed_source(world, url))

    assert not InboxItem.objects.exists()
    assert [m.text for m in presence.my_mentions(world["member"], world.org)] == [
        "Dana Lactation was wonderful"
    ]
    for role in ("admin", "chair", "reviewer"):
        assert not presence.my_mentions(world[role], world.org).exists()
        assert not presence.org_mentions(world[role], world.org).exists()
        assert not presence.org_terms(world[role], world.org).exists()
    mine = world.client("member").get("/presence/mine/")
    assert b"Dana Lactation was wonderful" in mine.content
    theirs = world.client("admin").get("/presence/mine/")
    assert b"Dana Lactation" not in theirs.content
    admin_api = world.client("admin").get("/api/presence/mentions?mine=true").json()
    assert admin_api["items"] == []
    assert world.client("admin").get("/api/presence/terms").json()["items"] == []


def test_an_association_term_and_a_members_term_in_one_entry_are_kept_apart(
    world: World, site: Site
) -> None:
    watch(world, "IPALA test")
    presence.add_term(world["author"], world.org, text="Kim Feeds", kind=TermKind.PERSONAL)
    url = site.set("/b.rss", Answer(rss(("a1", "Panel", "IPALA test and Kim Feeds spoke"))))
    assert presence.poll_source(feed_source(world, url)) == 2
    assert InboxItem.objects.count() == 1
    assert presence.my_mentions(world["author"], world.org).get().inbox_item is None


def test_another_member_cannot_remove_a_members_own_term(world: World) -> None:
    term = presence.add_term(world["member"], world.org, text="Dana", kind=TermKind.PERSONAL)
    response = world.client("admin").post(f"/presence/terms/{term.pk}/", {"action": "remove"})
    assert response.status_code == 404
    assert presence.my_terms(world["member"], world.org).count() == 1


# --- impersonation ------------------------------------------------------------------------------


def test_an_author_whose_name_reads_like_the_association_is_flagged(
    world: World, site: Site
) -> None:
    watch(world, "IPALA")
    url = site.set(
        "/i.atom",
        Answer(atom(("urn:i", "Giveaway", "Free pumps for all followers!", "lPALA_official"))),
    )
    presence.poll_source(feed_source(world, url))
    item = InboxItem.objects.get()
    assert "signal.impersonation" in item.categories
    assert any(f["category"] == "signal.impersonation" for f in item.findings)


# --- pages --------------------------------------------------------------------------------------


def test_a_page_that_changes_reports_only_the_new_text_with_a_term(
    world: World, site: Site
) -> None:
    watch(world, "IPALA test")
    html = {
        "v": "<html><head><title>Directory</title><style>p{}</style></head><body>"
        "<p>IPALA test is listed here.</p><p>Other groups.</p>"
        "<script>var x = 'IPALA test in a script';</script></body></html>"
    }
    site.set("/dir.html", lambda: Answer(html["v"].encode(), headers={"Content-Type": "text/html"}))
    source = presence.add_source(
        world["admin"], world.org, name="Directory", kind="page", url=site.url("/dir.html")
    )
    assert presence.poll_source(source) == 1
    assert presence.poll_source(refreshed(source)) == 0  # unchanged
    html["v"] = html["v"].replace(
        "<p>Other groups.</p>",
        "<p>Other groups.</p><p>New: IPALA test endorses the Milky app.</p><p>Unrelated.</p>",
    )
    assert presence.poll_source(refreshed(source)) == 1
    newest = Mention.objects.order_by("-id").first()
    assert newest is not None and newest.text == "New: IPALA test endorses the Milky app."
    assert "signal.endorsement_claim" in newest.categories
    assert not Mention.objects.filter(text__contains="script").exists()


# --- failures: a clear line, nothing lost, no 500 -------------------------------------------


def test_a_malformed_feed_records_a_clear_error_and_loses_nothing(world: World, site: Site) -> None:
    watch(world, "IPALA test")
    answer = {"body": b"<html><body>Not a feed, IPALA test</body></html>"}
    site.set("/bad.rss", lambda: Answer(answer["body"]))
    source = feed_source(world, site.url("/bad.rss"))
    assert presence.poll_source(source) == 0
    failed = refreshed(source)
    assert "not a readable RSS or Atom feed" in failed.last_error
    assert failed.last_success_at is None and failed.failures == 1
    page = world.client("chair").get("/presence/")
    assert page.status_code == 200 and b"not a readable RSS or Atom feed" in page.content
    answer["body"] = rss(("a1", "Fixed", "IPALA test"))
    assert presence.poll_source(refreshed(source)) == 1
    assert refreshed(source).last_error == "" and refreshed(source).last_success_at is not None


def test_a_truncated_xml_feed_still_gives_its_readable_entries(world: World, site: Site) -> None:
    watch(world, "IPALA test")
    broken = rss(("a1", "One", "IPALA test"), ("a2", "Two", "more"))[:-30]
    url = site.set("/t.rss", Answer(broken))
    assert presence.poll_source(feed_source(world, url)) == 1


def test_a_feed_larger_than_the_cap_is_refused(world: World, site: Site) -> None:
    watch(world, "IPALA test")
    filler = "x" * 1000
    huge = rss(*[(f"g{i}", "IPALA test", filler) for i in range(300)])
    assert len(huge) > 200_000
    source = feed_source(world, site.set("/huge.rss", Answer(huge)))
    assert presence.poll_source(source) == 0
    assert "larger than 0.2 MB" in refreshed(source).last_error
    assert not Mention.objects.exists()


def test_a_few_redirects_are_followed_and_too_many_refused(world: World, site: Site) -> None:
    watch(world, "IPALA test")
    site.set("/final.rss", Answer(rss(("a1", "One", "IPALA test"))))
    site.set("/r1", Answer(status=302, headers={"Location": "/r2"}))
    site.set("/r2", Answer(status=301, headers={"Location": site.url("/final.rss")}))
    assert presence.poll_source(feed_source(world, site.url("/r1"))) == 1
    for i in range(6):
        site.set(f"/loop{i}", Answer(status=302, headers={"Location": f"/loop{i + 1}"}))
    looping = feed_source(world, site.url("/loop0"), name="Looping")
    assert presence.poll_source(looping) == 0
    assert refreshed(looping).last_error == "more than 3 redirects"


def test_a_source_that_does_not_answer_in_time_times_out(world: World, site: Site) -> None:
    watch(world, "IPALA test")
    source = feed_source(world, site.set("/slow.rss", Answer(rss(), delay=2.5)))
    assert presence.poll_source(source) == 0
    assert "no answer within 1 seconds" in refreshed(source).last_error


def test_a_missing_feed_records_the_http_status(world: World, site: Site) -> None:
    source = feed_source(world, site.url("/nothing-here.rss"))
    presence.poll_source(source)
    assert refreshed(source).last_error == "HTTP 404 from 127.0.0.1"


def test_one_failing_source_does_not_stop_the_others(world: World, site: Site) -> None:
    watch(world, "IPALA test")
    feed_source(world, site.url("/gone.rss"), name="Gone")
    feed_source(world, site.set("/ok.rss", Answer(rss(("a1", "One", "IPALA test")))), name="Ok")
    assert presence.poll_due() == 1
    assert WatchSource.objects.get(name="Gone").last_error.startswith("HTTP 404")


# --- scheduling ---------------------------------------------------------------------------------


def test_a_new_entry_is_found_within_one_interval(world: World, site: Site) -> None:
    watch(world, "IPALA test")
    entries: list[tuple[str, str, str]] = []
    site.set("/s.rss", lambda: Answer(rss(*entries)))
    source = feed_source(world, site.url("/s.rss"))
    start = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)
    presence.poll_due(start)
    assert refreshed(source).next_check_at == start + timedelta(minutes=5)
    entries.append(("a1", "One", "IPALA test"))
    # Not due yet one minute later; due (and found) when the interval has passed.
    assert presence.poll_due(start + timedelta(minutes=1)) == 0
    # The last wake-up before the interval ends polls it, so polls are at most 5 min apart.
    assert presence.poll_due(start + timedelta(minutes=5) - presence.POLL_TICK) == 1
    assert InboxItem.objects.filter(kind=ItemKind.MENTION).count() == 1


def test_the_interval_is_set_per_source_and_bounded(world: World, site: Site) -> None:
    source = feed_source(world, site.url("/x.rss"))
    presence.change_source(world["chair"], source.pk, every_minutes=60)
    assert refreshed(source).every_minutes == 60
    with pytest.raises(Invalid):
        presence.change_source(world["chair"], source.pk, every_minutes=0)


def test_the_poll_job_is_registered_for_the_worker() -> None:
    from postguard.web.jobs import registered

    job = {j.name: j for j in registered()}["presence.poll"]
    assert job.every <= timedelta(minutes=1)


# --- SSRF -------------------------------------------------------------------------------------


def test_private_and_loopback_addresses_are_refused_in_production(
    world: World, site: Site, settings: Any
) -> None:
    settings.POSTGUARD_PRESENCE_ALLOW_PRIVATE = False
    for url in (site.url("/a.rss"), "http://localhost:8000/", "http://10.0.0.1/", "http://[::1]/"):
        with pytest.raises(FetchError, match=r"private|loopback"):
            fetch(url)
        with pytest.raises(Invalid, match="cannot be watched"):
            presence.add_source(world["admin"], world.org, name=url, kind="feed", url=url)
    assert site.requests == []


def test_the_connection_guard_refuses_a_name_that_resolves_to_loopback() -> None:
    import httpcore

    with pytest.raises(httpcore.ConnectError, match="private, loopback"):
        GuardedBackend(allow_private=False).connect_tcp("localhost", 80)


def test_a_redirect_to_a_private_address_is_refused(
    world: World, site: Site, settings: Any
) -> None:
    # A source added while private addresses were allowed, then production settings: the
    # stored address and each redirect are checked again at fetch time.
    watch(world, "IPALA test")
    source = feed_source(world, site.set("/r", Answer(status=302, headers={"Location": "/x"})))
    settings.POSTGUARD_PRESENCE_ALLOW_PRIVATE = False
    presence.poll_source(source)
    assert "private, loopback or reserved" in refreshed(source).last_error
    assert site.requests == []


def test_only_http_addresses_can_be_watched(world: World) -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/f", "https://user:pw@example.org/"):
        with pytest.raises(Invalid):
            presence.add_source(world["admin"], world.org, name="x", kind="feed", url=url)


# --- the API --------------------------------------------------------------------------------------


def test_the_api_pages_through_mentions_with_a_cursor(world: World, site: Site) -> None:
    watch(world, "IPALA test")
    url = site.set("/many.rss", Answer(rss(*[(f"g{i}", f"{i}", "IPALA test") for i in range(5)])))
    presence.poll_source(feed_source(world, url))
    client = world.client("reviewer")
    first = client.get("/api/presence/mentions?limit=3").json()
    assert len(first["items"]) == 3 and first["next_cursor"]
    second = client.get(f"/api/presence/mentions?limit=3&cursor={first['next_cursor']}").json()
    assert len(second["items"]) == 2 and second["next_cursor"] is None
    ids = [m["id"] for m in first["items"] + second["items"]]
    assert len(set(ids)) == 5 and all(m["inbox_item"] for m in first["items"])
    forged = client.get("/api/presence/mentions?cursor=abc:def")
    assert forged.status_code == 422


def test_the_api_adds_changes_and_removes_terms_and_sources(world: World, site: Site) -> None:
    client = world.client("chair")
    made = client.post(
        "/api/presence/terms",
        {"org": world.org.pk, "text": "wbw", "kind": "hashtag"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["text"] == "#wbw"
    again = client.post(
        "/api/presence/terms",
        {"org": world.org.pk, "text": "#WBW", "kind": "hashtag"},
        content_type="application/json",
    )
    assert again.status_code == 409
    term_id = made.json()["id"]
    paused = client.patch(
        f"/api/presence/terms/{term_id}", {"active": False}, content_type="application/json"
    )
    assert paused.status_code == 200 and paused.json()["active"] is False
    removed = client.delete(f"/api/presence/terms/{term_id}")
    assert removed.status_code == 200 and removed.json()["text"] == "#wbw"
    source = client.post(
        "/api/presence/sources",
        {"org": world.org.pk, "name": "Blog", "kind": "feed", "url": site.url("/b.rss")},
        content_type="application/json",
    )
    assert source.status_code == 201 and source.json()["every_minutes"] == 5
    changed = client.patch(
        f"/api/presence/sources/{source.json()['id']}",
        {"every_minutes": 15},
        content_type="application/json",
    )
    assert changed.json()["every_minutes"] == 15
    listed = client.get("/api/presence/sources").json()["items"]
    assert [s["name"] for s in listed] == ["Blog"]
    assert client.delete(f"/api/presence/sources/{source.json()['id']}").status_code == 200
    assert client.get("/api/presence/sources").json()["items"] == []


def test_changes_are_in_the_audit_record_without_a_members_own_term(world: World) -> None:
    from postguard.web.audit.models import AuditEntry

    presence.add_term(world["chair"], world.org, text="IPALA test", kind="name")
    presence.add_term(world["member"], world.org, text="Dana Private", kind="personal")
    entries = AuditEntry.objects.filter(action="presence.term.add")
    assert entries.count() == 2
    assert "Dana Private" not in str(list(entries.values_list("after", flat=True)))


def test_a_bad_term_is_refused_with_one_line(world: World) -> None:
    for text in ("", "#", "x", "a" * 101, "bad\x00term"):
        with pytest.raises(Invalid):
            presence.add_term(world["chair"], world.org, text=text, kind="name")
    response = world.client("chair").post("/presence/", {"text": "x", "kind": "name"})
    assert response.status_code == 400 and b"at least two" in response.content


def test_a_mention_in_the_future_is_kept_at_the_time_it_was_found(world: World) -> None:
    # A feed's clock may be ahead: the inbox never shows a comment from the future.
    from postguard.web.presence.sources import Entry

    watch(world, "IPALA test")
    source = WatchSource.objects.create(org=world.org, name="s", kind="feed", url="https://x.org")
    now = timezone.now()
    future = Entry("k", "", "", "", "IPALA test", now + timedelta(days=3))
    presence.store(source, [future], now)
    assert InboxItem.objects.get().created_at == now


# --- a connected channel's search ----------------------------------------------------------------


def test_a_network_search_finds_mentions_and_an_impersonator_on_the_channel(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx
    import respx

    from postguard.connectors.base import Credentials
    from postguard.connectors.bluesky import BlueskyConnector
    from postguard.web.publishing import services as publishing
    from tests.connectors.test_bluesky_appview import PDS, session
    from tests.connectors.test_search_mentions import post_view

    watch(world, "IPALA test")
    monkeypatch.setattr(
        publishing,
        "connector_for",
        lambda channel: BlueskyConnector(
            Credentials({"app_password": "abcd"}), {"service": PDS, "handle": "assoc.example"}
        ),
    )
    source = presence.add_source(
        world["admin"],
        world.org,
        name="Bluesky search",
        kind="network",
        channel_id=world.channel.pk,
    )
    with respx.mock(base_url=f"{PDS}/xrpc", assert_all_called=False) as api:
        api.post("/com.atproto.server.createSession").mock(
            return_value=httpx.Response(200, json=session())
        )
        api.get("/app.bsky.feed.searchPosts").mock(
            return_value=httpx.Response(200, json={"posts": [
                post_view("3l1", "Follow IPALA test for free samples", "2026-11-21T10:01:00.000Z",
                          "ipalatest-official.example", "IPALA test"),
                post_view("3l2", "Thanks IPALA test!", "2026-11-21T10:02:00.000Z"),
            ]})
        )  # fmt: skip
        assert presence.poll_source(source) == 2
        assert presence.poll_source(refreshed(source)) == 0
    items = {i.author_handle: i for i in InboxItem.objects.filter(channel=world.channel)}
    assert set(items) == {"ipalatest-official.example", "ann.example"}
    assert "signal.impersonation" in items["ipalatest-official.example"].categories
    assert items["ann.example"].remote_id.startswith("at://")
    assert refreshed(source).cursor


def test_a_network_that_cannot_search_is_a_clear_error(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    facebook = world.closed_channel
    source = presence.add_source(
        world["admin"], world.org, name="Facebook", kind="network", channel_id=facebook.pk
    )
    presence.poll_source(source)
    # Not connected: the connector's refusal is the error shown.
    assert "not connected" in refreshed(source).last_error


def test_a_member_who_left_is_no_longer_watched_for(world: World, site: Site) -> None:
    from postguard.web.orgs.models import Membership

    presence.add_term(world["member"], world.org, text="Dana Lactation", kind=TermKind.PERSONAL)
    Membership.objects.filter(user=world["member"], org=world.org).delete()
    url = site.set("/left.rss", Answer(rss(("a1", "Review", "Dana Lactation was wonderful"))))
    assert presence.poll_source(feed_source(world, url)) == 0
    assert not Mention.objects.exists()


@pytest.mark.parametrize(
    "url",
    ["http://exa mple.org/", "http://example.org/\x00", "http://[bad/", "http://example.org:x/",
     "http://ex\ud800.org/", "https://" + "a" * 1100 + ".org/"],
)  # fmt: skip
def test_an_unusable_address_is_refused_with_one_line(world: World, url: str) -> None:
    with pytest.raises(Invalid, match="cannot be watched"):
        presence.add_source(world["admin"], world.org, name="Bad", kind="feed", url=url)


def test_a_source_name_with_control_characters_is_refused(world: World) -> None:
    with pytest.raises(Invalid, match="control characters"):
        presence.add_source(
            world["admin"], world.org, name="Bad\x00", kind="feed", url="https://n.example/f"
        )


def test_a_failure_while_storing_keeps_the_entries_for_the_next_poll(
    world: World, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    watch(world, "IPALA test")
    source = feed_source(world, site.set("/k.rss", Answer(rss(("a1", "One", "IPALA test")),
                                                          etag='"v1"')))  # fmt: skip
    real = presence.store

    def broken(*args: Any) -> int:
        real(*args)  # stores, then fails: the transaction must undo it all
        raise RuntimeError("disk full")

    monkeypatch.setattr(presence, "store", broken)
    assert presence.poll_source(source) == 0
    failed = refreshed(source)
    assert failed.last_error == "unexpected error while storing (RuntimeError)"
    assert failed.etag == "" and not Mention.objects.exists() and not InboxItem.objects.exists()
    monkeypatch.setattr(presence, "store", real)
    assert presence.poll_source(refreshed(source)) == 1
    assert refreshed(source).etag == '"v1"'
