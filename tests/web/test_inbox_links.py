"""URLs from outside are kept and linked only when http(s), and every page carries a
strict Content-Security-Policy (issue 10, finding 3: a stored javascript: link)."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from postguard.connectors.base import InboundItem
from postguard.web.inbox import defaults, hooks, services
from postguard.web.inbox.models import InboxItem
from postguard.web.links import http_url
from postguard.web.middleware import CONTENT_SECURITY_POLICY, DOCS_CONTENT_SECURITY_POLICY
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import OutboxItem

from .conftest import World

pytestmark = pytest.mark.django_db

HOSTILE = "javascript:fetch('/members/')"


@pytest.fixture
def setup(world: World) -> World:
    defaults.install_defaults(world.org)
    return world


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://bsky.app/profile/x/post/1", "https://bsky.app/profile/x/post/1"),
        ("  http://example.org/a?b=c#d ", "http://example.org/a?b=c#d"),
        ("HTTPS://EXAMPLE.ORG/", "HTTPS://EXAMPLE.ORG/"),
        ("https://bücher.example/", "https://bücher.example/"),
        (HOSTILE, None),
        ("JavaScript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("\x01javascript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox(1)", None),
        ("//evil.example/", None),
        ("/members/", None),
        ("https://", None),
        ("https:///path", None),
        ("http://[::1", None),
        ("ftp://example.org/", None),
        ("https://example.org/\ud800", None),
        ("https://example.org/" + "a" * 1000, None),
        ("", None),
        (None, None),
        (42, None),
    ],
)
def test_only_http_and_https_urls_are_kept(url: object, kept: str | None) -> None:
    assert http_url(url) == kept


def _links(html: str) -> list[str]:
    found: list[str] = []

    class Links(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend(v or "" for k, v in attrs if k in ("href", "src", "action", "formaction"))

    Links().feed(html)
    return found


def test_an_imported_javascript_url_is_dropped_with_a_message_and_never_linked(
    setup: World,
) -> None:
    export = [
        {
            "id": "c1",
            "author": "@attacker",
            "text": "Please look at this",
            "created_at": timezone.now().isoformat(),
            "url": HOSTILE,
        }
    ]
    imported = services.import_export(setup["author"], setup.channel, json.dumps(export), "x.json")
    (item,) = imported.created
    assert item.url == ""
    assert imported.problems == [
        "Row 1: the url \"javascript:fetch('/members/')\" was left out: only http and https "
        "addresses of at most 1000 characters are kept."
    ]
    page = setup.client("chair").get(f"/inbox/{item.pk}/").content.decode()
    assert not [link for link in _links(page) if "javascript" in link.lower()]


def test_a_webhook_javascript_url_is_dropped(setup: World) -> None:
    secret = hooks.rotate_secret(setup["admin"], setup.channel.pk)
    body = json.dumps(
        {"id": "w1", "text": "hi", "created_at": timezone.now().isoformat(), "url": HOSTILE}
    ).encode()
    response = Client().post(
        f"/hooks/inbox/{setup.channel.pk}/",
        body,
        content_type="application/json",
        headers=hooks.signed_headers(secret, body),
    )
    assert response.status_code == 202
    assert "only http and https" in response.json()["refused"][0]
    assert InboxItem.objects.get(remote_id="w1").url == ""


def test_a_pulled_item_with_a_javascript_url_is_stored_without_it(setup: World) -> None:
    pulled = InboundItem("p1", None, "@x", "hello", timezone.now(), "reply", url=HOSTILE)
    good = InboundItem("p2", None, "@x", "hello", timezone.now(), "reply", url="https://a.example/")
    services.ingest(setup.channel, [pulled, good], source="pull")
    assert InboxItem.objects.get(remote_id="p1").url == ""
    assert InboxItem.objects.get(remote_id="p2").url == "https://a.example/"


def test_a_javascript_url_stored_before_the_check_is_not_linked(setup: World) -> None:
    (item,) = services.ingest(
        setup.channel,
        [
            InboundItem(
                "old", None, "@x", "hello", timezone.now(), "reply", url="https://a.example/"
            )
        ],
        source="pull",
    )
    InboxItem.objects.filter(pk=item.pk).update(url=HOSTILE)
    page = setup.client("chair").get(f"/inbox/{item.pk}/").content.decode()
    assert "on the network</a>" not in page
    assert not [link for link in _links(page) if "javascript" in link.lower()]


def test_a_publication_url_from_a_network_is_linked_only_when_http(setup: World) -> None:
    post = workflow.review(setup["reviewer"], setup.submitted(), "approve")
    OutboxItem.objects.filter(post=post).update(
        remote_id="r1", remote_url=HOSTILE, published_at=timezone.now()
    )
    page = setup.client("chair").get(f"/posts/{post.pk}/").content.decode()
    assert not [link for link in _links(page) if "javascript" in link.lower()]
    OutboxItem.objects.filter(post=post).update(remote_url="https://bsky.app/profile/a/post/r1")
    page = setup.client("chair").get(f"/posts/{post.pk}/").content.decode()
    assert "https://bsky.app/profile/a/post/r1" in _links(page)


# --- Content-Security-Policy and the other headers ---------------------------------------------

PAGES = [
    "/",
    "/posts/new/",
    "/queue/",
    "/inbox/",
    "/inbox/import/",
    "/cases/",
    "/playbooks/",
    "/escalation/",
    "/check/",
    "/rules/",
    "/audit/",
    "/members/",
]


def test_the_policy_is_strict() -> None:
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": "'self'",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in DOCS_CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in DOCS_CONTENT_SECURITY_POLICY


class InlineCode(HTMLParser):
    """Inline script, style attributes and event handlers: what the policy would block."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src") and names.get("type") != "application/json":
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"{tag} {name}={value!r}")
            if name in ("href", "src", "action") and (value or "").lower().startswith("javascript"):
                self.found.append(f"{tag} {name}={value!r}")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_policy_and_nothing_it_would_block(setup: World, path: str) -> None:
    response = setup.client("chair").get(path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    parser = InlineCode()
    parser.feed(response.content.decode())
    assert parser.found == []


def test_sign_in_api_and_error_answers_have_the_policy_too(setup: World) -> None:
    client = Client()
    for path in ("/login/", "/api/me", "/no-such-page/", "/api/nope"):
        assert client.get(path)["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path


def test_the_api_docs_page_has_its_own_policy_without_inline_script(setup: World) -> None:
    response = Client().get("/api/docs")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == DOCS_CONTENT_SECURITY_POLICY
    parser = InlineCode()
    parser.feed(response.content.decode())
    assert [f for f in parser.found if "script" in f] == []


def test_the_oauth_start_answers_with_a_link_since_form_action_blocks_redirects(
    setup: World, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from postguard.web.publishing import services as publishing

    monkeypatch.setattr(
        publishing, "oauth_start", lambda *a, **k: "https://mastodon.example/oauth/authorize?x=1"
    )
    mastodon = setup.channel
    response = setup.client("admin").post(f"/channels/{mastodon.pk}/oauth/")
    assert response.status_code == 200
    assert "https://mastodon.example/oauth/authorize?x=1" in _links(response.content.decode())


def test_the_migration_blanks_non_http_urls_stored_before_the_check(setup: World) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("postguard.web.inbox.migrations.0005_drop_non_http_item_urls")
    stored = services.ingest(
        setup.channel,
        [
            InboundItem(
                f"m{n}", None, "@x", "hi", timezone.now(), "reply", url="https://a.example/"
            )
            for n in range(3)
        ],
        source="pull",
    )
    InboxItem.objects.filter(pk=stored[0].pk).update(url=HOSTILE)
    InboxItem.objects.filter(pk=stored[1].pk).update(url="data:text/html,x")
    migration.drop_non_http_urls(apps, None)
    assert [i.url for i in InboxItem.objects.order_by("remote_id")] == [
        "",
        "",
        "https://a.example/",
    ]
