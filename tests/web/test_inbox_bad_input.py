"""Bad input at the inbox's two doors from outside -- the import page and the signed
webhook -- each answered with a clear message and the right status, never a 500, and
never at the cost of the good items sent with it (issue 10, findings 3 and 6)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from postguard.web.inbox import defaults, hooks, services
from postguard.web.inbox.models import InboxItem

from .conftest import World

pytestmark = pytest.mark.django_db

GOOD = {"id": "good-1", "author": "@parent", "text": "Thank you for the session!"}


@pytest.fixture
def setup(world: World) -> World:
    defaults.install_defaults(world.org)
    return world


def _good_json() -> str:
    return json.dumps({**GOOD, "created_at": timezone.now().isoformat()})


def _item_json(**fields: str) -> str:
    """An item with ``fields`` as raw JSON text (so NaN, 5,000 digits and lone
    surrogates can be written as a sender would)."""
    base = {
        "id": '"bad-1"',
        "author": '"@x"',
        "text": '"A comment."',
        "created_at": json.dumps(timezone.now().isoformat()),
    }
    base.update(fields)
    return "{" + ", ".join(f'"{k}": {v}' for k, v in base.items() if v is not None) + "}"


@dataclass(frozen=True)
class Bad:
    name: str
    item: str
    #: A piece of the message the person is shown.
    says: str
    #: The item is kept (without the bad part) rather than refused.
    kept: bool = False


ITEMS = [
    Bad("created_at of 1e20", _item_json(created_at="1e20"), "created_at 1e+20 is not"),
    Bad("created_at of 1e300", _item_json(created_at="1e300"), "created_at 1e+300 is not"),
    Bad("created_at of NaN", _item_json(created_at="NaN"), "created_at nan is not"),
    Bad("created_at of Infinity", _item_json(created_at="-Infinity"), "created_at -inf is not"),
    Bad(
        "created_at of -1e15",
        _item_json(created_at="-1e15"),
        "created_at -1000000000000000.0 is not",
    ),
    Bad("created_at of 5,000 digits", _item_json(created_at="9" * 5000), "created_at '9999"),
    Bad("created_at of a superscript two", _item_json(created_at='"²"'), "created_at '²' is not"),
    Bad(
        "created_at that overflows in UTC",
        _item_json(created_at='"9999-12-31T23:59:59-14:00"'),
        "is not a date and time",
    ),
    Bad("created_at of 1970", _item_json(created_at="0"), "between 1990 and now"),
    Bad("created_at missing", _item_json(created_at=None), "no created_at"),
    Bad("created_at a list", _item_json(created_at="[1]"), "created_at [1] is not"),
    Bad("id of 5,000 digits", _item_json(id="1" * 5000), "the id is longer than 500"),
    Bad("id with a NUL", _item_json(id='"a\\u0000b"'), "control characters"),
    Bad("id with a lone surrogate", _item_json(id='"a\\ud800"'), "broken Unicode"),
    Bad("id that is a list", _item_json(id='["x"]'), "the id is list, not text"),
    Bad("id that is true", _item_json(id="true"), "the id is bool, not text"),
    Bad("text that is a list", _item_json(text="[1]"), "the text is list, not text"),
    Bad("text too long", _item_json(text=json.dumps("a" * 20_001)), "longer than 20,000"),
    Bad("text missing", _item_json(text=None), "needs an id and a text"),
    Bad("an item that is a number", "42", "an item is an object"),
    Bad("an item that is a list", "[1, 2]", "an item is an object"),
    Bad(
        "a javascript: URL",
        _item_json(url=json.dumps("javascript:fetch('/members/')")),
        "only http and https",
        kept=True,
    ),
    Bad(
        "a tab-split javascript: URL",
        _item_json(url=json.dumps("java\tscript:alert(1)")),
        "only http and https",
        kept=True,
    ),
    Bad(
        "a data: URL",
        _item_json(url=json.dumps("data:text/html,<script>alert(1)</script>")),
        "only http and https",
        kept=True,
    ),
    Bad(
        "a URL too long",
        _item_json(url=json.dumps("https://example.org/" + "a" * 1000)),
        "at most 1000 characters",
        kept=True,
    ),
    Bad("a URL that is a number", _item_json(url="12"), "the url 12 was left out", kept=True),
]


def _import(world: World, content: bytes, name: str = "export.json") -> tuple[int, str]:
    client = world.client("chair")
    upload = SimpleUploadedFile(name, content, content_type="application/json")
    response = client.post("/inbox/import/", {"channel": world.channel.pk, "file": upload})
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("bad", ITEMS, ids=[b.name for b in ITEMS])
def test_the_import_page_refuses_one_bad_item_and_keeps_the_others(setup: World, bad: Bad) -> None:
    status, page = _import(setup, f"[{_good_json()}, {bad.item}]".encode())
    assert status == 200, page
    assert "Imported 1 new item(s)" in page or "Imported 2 new item(s)" in page
    assert InboxItem.objects.filter(remote_id="good-1").exists(), "the good item is kept"
    assert "Item 2" in page or "Row 2" in page, page
    assert bad.says in page.replace("&#x27;", "'").replace("&quot;", '"'), page
    kept = InboxItem.objects.filter(remote_id="bad-1").first()
    assert (kept is not None) == bad.kept
    if kept is not None:
        assert kept.url == "", "the bad URL is not stored"


def test_a_lone_surrogate_in_a_comment_is_kept_as_a_replacement_character(
    setup: World,
) -> None:
    item = _item_json(text='"half an emoji \\ud83d"')
    status, _ = _import(setup, f"[{item}]".encode())
    assert status == 302, "imported, nothing to report"
    assert InboxItem.objects.get(remote_id="bad-1").text == "half an emoji \ufffd"


FILES = [
    ("JSON nested 10,000 deep", b"[" * 10_000 + b"]" * 10_000, "nested deeper than 32"),
    ("JSON nested 40 deep", b"[" * 40 + b"]" * 40, "nested deeper than 32"),
    (
        "an item nested 10,000 deep",
        b'[{"id": "x", "a": ' + b"[" * 10_000 + b"]" * 10_000 + b"}]",
        "nested deeper",
    ),
    ("broken JSON", b'[{"id": "x",', "not valid JSON"),
    ("JSON that is a string", b'"hello"', "must be a list"),
    ("too many items", json.dumps([GOOD] * 5001).encode(), "At most 5,000 items"),
    (
        "a CSV with a field over the csv module's limit",
        b"id,text\nx," + b"a" * 200_000,
        "not valid CSV",
    ),
    ("a CSV with only bad rows", b"id,text,created_at\n,hello,2026-01-01\n", "Nothing imported"),
    ("an empty list", b"[]", "no items"),
]


@pytest.mark.parametrize(
    ("content", "says"), [(c, s) for _, c, s in FILES], ids=[n for n, _, _ in FILES]
)
def test_the_import_page_refuses_an_unusable_file_with_a_400(
    setup: World, content: bytes, says: str
) -> None:
    name = "export.csv" if content.startswith(b"id,") else "export.json"
    status, page = _import(setup, content, name)
    assert status == 400, page
    assert says in page
    assert not InboxItem.objects.exists()


def test_the_import_page_refuses_a_file_over_10_mb_without_reading_it_all(
    setup: World,
) -> None:
    status, page = _import(setup, b"[" + b" " * (services.MAX_UPLOAD + 10) + b"]")
    assert status == 400 and "larger than 10 MB" in page


# --- the signed webhook ----------------------------------------------------------------


def _post(world: World, secret: str, body: bytes, **override: str) -> tuple[int, dict[str, object]]:
    headers = hooks.signed_headers(secret, body)
    headers.update(override)
    if "X-Postguard-Timestamp" in override or "X-Postguard-Nonce" in override:
        headers["X-Postguard-Signature"] = hooks.sign(
            secret, headers["X-Postguard-Timestamp"], headers["X-Postguard-Nonce"], body
        )
    headers.update({k: v for k, v in override.items() if k == "X-Postguard-Signature"})
    response = Client().post(
        f"/hooks/inbox/{world.channel.pk}/", body, content_type="application/json", headers=headers
    )
    return response.status_code, response.json()


HEADERS = [
    ("a 20-digit timestamp", {"X-Postguard-Timestamp": "9" * 20}, 401, "Bad timestamp"),
    ("a 31-digit timestamp", {"X-Postguard-Timestamp": "1" * 31}, 401, "Bad timestamp"),
    ("a superscript two", {"X-Postguard-Timestamp": "²"}, 401, "Bad timestamp"),
    ("Arabic-Indic digits", {"X-Postguard-Timestamp": "١٧٠٠٠٠٠٠٠٠"}, 401, "Bad timestamp"),
    ("a negative timestamp", {"X-Postguard-Timestamp": "-5"}, 401, "Bad timestamp"),
    ("a timestamp from 1970", {"X-Postguard-Timestamp": "0"}, 401, "too old"),
    ("a nonce with a space", {"X-Postguard-Nonce": "a b"}, 401, "Bad nonce"),
    ("a nonce of 101 characters", {"X-Postguard-Nonce": "n" * 101}, 401, "Bad nonce"),
    ("a signature with é", {"X-Postguard-Signature": "sha256=" + "é" * 64}, 401, "Bad signature"),
    ("a signature in capitals", {"X-Postguard-Signature": "SHA256=AB"}, 401, "Bad signature"),
]


@pytest.mark.parametrize(
    ("override", "status", "says"),
    [(o, st, s) for _, o, st, s in HEADERS],
    ids=[n for n, _, _, _ in HEADERS],
)
def test_the_webhook_refuses_bad_signature_headers_with_a_401(
    setup: World, override: dict[str, str], status: int, says: str
) -> None:
    secret = hooks.rotate_secret(setup["admin"], setup.channel.pk)
    got, answer = _post(setup, secret, f"[{_good_json()}]".encode(), **override)
    assert (got, says in str(answer["detail"])) == (status, True), answer
    assert not InboxItem.objects.exists()


@pytest.mark.parametrize("bad", ITEMS, ids=[b.name for b in ITEMS])
def test_the_webhook_refuses_one_bad_item_and_keeps_the_others(setup: World, bad: Bad) -> None:
    secret = hooks.rotate_secret(setup["admin"], setup.channel.pk)
    status, answer = _post(setup, secret, f'{{"items": [{_good_json()}, {bad.item}]}}'.encode())
    assert status == 202, answer
    refused = answer["refused"]
    assert isinstance(refused, list) and len(refused) == 1
    assert refused[0].startswith("Item 2") and bad.says in refused[0], refused
    assert InboxItem.objects.filter(remote_id="good-1", source="webhook").exists()
    assert InboxItem.objects.filter(remote_id="bad-1").exists() == bad.kept


def test_the_webhook_answers_400_with_the_reasons_when_no_item_is_usable(setup: World) -> None:
    secret = hooks.rotate_secret(setup["admin"], setup.channel.pk)
    status, answer = _post(setup, secret, _item_json(created_at="1e20").encode())
    assert status == 400
    assert answer["refused"] == [
        "Item 1 refused: created_at 1e+20 is not a date and time between 1990 and now "
        "(ISO 8601, or Unix seconds)."
    ]


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"[" * 10_000 + b"]" * 10_000, 400, "nested deeper"),
        (b"{not json", 400, "not valid JSON"),
        (b"\xff\xfe\x00", 400, "not valid JSON"),
        (b"[" + b" " * hooks.MAX_BODY + b"]", 413, "larger than"),
        (b"[" + b" " * 3_000_000 + b"]", 413, "too large"),
    ],
    ids=["nested 10,000 deep", "not JSON", "not UTF-8", "over 1 MB", "over Django's limit"],
)
def test_the_webhook_refuses_an_unusable_body_with_a_4xx(
    setup: World, body: bytes, status: int, says: str
) -> None:
    secret = hooks.rotate_secret(setup["admin"], setup.channel.pk)
    got, answer = _post(setup, secret, body)
    assert got == status and says in str(answer["detail"]), answer
