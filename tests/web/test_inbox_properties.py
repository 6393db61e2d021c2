"""Properties of the parsers at the inbox's doors from outside (issue 10): whatever a
sender puts in the webhook's headers and body or in an export file, the parsers answer
with a result or their documented refusal (Unsigned, Invalid) -- never another
exception -- and valid input comes back out exactly as it went in."""

from __future__ import annotations

import csv
import io
import json
import string
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postguard.connectors.base import InboundItem
from postguard.web.errors import Invalid
from postguard.web.inbox import hooks, services
from postguard.web.inbox.models import ItemKind

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime.now(UTC)

header_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(codec="latin-1")),
    st.text(alphabet="0123456789²³¹١٣۴", max_size=40),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)


@FUZZ
@given(
    secret=st.text(min_size=1, alphabet=st.characters(exclude_categories=["Cs"])),
    signature=header_text,
    timestamp=header_text,
    nonce=header_text,
    body=st.binary(max_size=200),
)
def test_the_signature_check_only_ever_refuses_with_unsigned(
    secret: str, signature: str, timestamp: str, nonce: str, body: bytes
) -> None:
    meta = {hooks.SIGNATURE: signature, hooks.TIMESTAMP: timestamp, hooks.NONCE: nonce}
    try:
        sent, used = hooks.verify(secret, meta, body, NOW)
    except hooks.Unsigned:
        return
    # Accepted by chance only if it really is signed and fresh.
    assert used == nonce and abs(NOW.timestamp() - sent) <= hooks.TOLERANCE.total_seconds()
    assert hooks.sign(secret, timestamp, nonce, body) == signature


@FUZZ
@given(header_text)
def test_the_timestamp_parser_gives_seconds_or_unsigned(value: str) -> None:
    try:
        seconds = hooks.parse_timestamp(value)
    except hooks.Unsigned:
        return
    assert isinstance(seconds, int) and 0 <= seconds < 10**12 and seconds == int(value, 10)
    assert value.isascii()


@FUZZ
@given(
    secret=st.text(min_size=1, alphabet=st.characters(exclude_categories=["Cs"])),
    nonce=st.text(
        alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=100
    ),
    skew=st.integers(min_value=-299, max_value=299),
    body=st.binary(max_size=500),
)
def test_a_signed_fresh_request_is_accepted_with_its_timestamp_and_nonce(
    secret: str, nonce: str, skew: int, body: bytes
) -> None:
    timestamp = str(int(NOW.timestamp()) + skew)
    meta = {
        hooks.SIGNATURE: hooks.sign(secret, timestamp, nonce, body),
        hooks.TIMESTAMP: timestamp,
        hooks.NONCE: nonce,
    }
    assert hooks.verify(secret, meta, body, NOW) == (int(timestamp), nonce)


# --- the export and webhook body parsers -------------------------------------------------

FIELD_NAMES = sorted({name for names in services._FIELDS.values() for name in names})
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.sampled_from(["2026-01-05T10:00:00Z", "1767607200", "²", "NaN", "javascript:x"]),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=5), inner, max_size=8)
    ),
    max_leaves=40,
)


def _refuses_or_parses(call: Any) -> services.Parsed | None:
    try:
        parsed = call()
    except Invalid:
        return None
    assert isinstance(parsed, services.Parsed)
    for item in parsed.items:
        assert item.remote_id and len(item.remote_id) <= services.MAX_ID
        assert len(item.text) <= services.MAX_TEXT
        assert item.url is None or item.url.startswith(("http://", "https://", "HTTP"))
        assert services.EARLIEST <= item.created_at <= NOW + timedelta(days=2)
        # Storable in SQLite and PostgreSQL: no lone surrogate, no NUL.
        for text in (item.remote_id, item.text, item.author_handle, item.parent_remote_id or ""):
            text.encode("utf-8")
            assert "\x00" not in text
    return parsed


@FUZZ
@given(json_values)
def test_rows_of_any_shape_are_parsed_or_refused_with_invalid(rows: Any) -> None:
    _refuses_or_parses(lambda: services.parse_rows(rows))


@FUZZ
@given(st.binary(max_size=2000) | st.text(max_size=2000).map(str.encode))
def test_any_webhook_body_is_parsed_or_refused_with_invalid(body: bytes) -> None:
    _refuses_or_parses(lambda: hooks.parse_body(body))


@FUZZ
@given(json_values.map(json.dumps), st.sampled_from(["x.json", "x.csv", ""]))
def test_any_json_export_is_parsed_or_refused_with_invalid(text: str, name: str) -> None:
    _refuses_or_parses(lambda: services.parse_export(text, name))


@FUZZ
@given(st.text(max_size=2000), st.sampled_from(["x.csv", ""]))
def test_any_csv_export_is_parsed_or_refused_with_invalid(text: str, name: str) -> None:
    _refuses_or_parses(lambda: services.parse_export(text.encode("utf-8", "surrogatepass"), name))


@FUZZ
@given(st.integers(min_value=1, max_value=50_000).map(lambda n: "[" * n + "]" * n))
def test_nesting_of_any_depth_is_parsed_or_refused_with_invalid(text: str) -> None:
    _refuses_or_parses(lambda: services.parse_export(text, "x.json"))


# --- round trips ---------------------------------------------------------------------------

ids = st.text(
    alphabet=string.ascii_letters + string.digits + ":/._-@", min_size=1, max_size=services.MAX_ID
)
texts = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    min_size=1,
    max_size=300,
)
moments = st.datetimes(
    min_value=datetime(1990, 1, 2), max_value=NOW.replace(tzinfo=None), timezones=st.just(UTC)
)
urls = st.none() | st.builds(
    lambda scheme, host, path: f"{scheme}://{host}/{path}",
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z][a-z0-9-]{0,20}\.[a-z]{2,6}", fullmatch=True),
    st.text(alphabet=string.ascii_letters + string.digits + "-._~/?=&", max_size=50),
)
items = st.builds(
    InboundItem,
    remote_id=ids,
    parent_remote_id=st.none() | ids,
    author_handle=st.text(alphabet=string.ascii_letters + "@._", min_size=1, max_size=200),
    text=texts,
    created_at=moments,
    kind=st.sampled_from(ItemKind.values),
    url=urls,
)


def _row(item: InboundItem, unix: bool) -> dict[str, Any]:
    return {
        "id": item.remote_id,
        "parent_id": item.parent_remote_id,
        "author": item.author_handle,
        "text": item.text,
        "created_at": item.created_at.timestamp() if unix else item.created_at.isoformat(),
        "kind": item.kind,
        "url": item.url,
    }


@FUZZ
@given(st.lists(items, max_size=20), st.booleans(), st.sampled_from(["list", "data", "items"]))
def test_a_valid_json_export_comes_back_exactly(
    originals: list[InboundItem], unix: bool, shape: str
) -> None:
    rows = [_row(i, unix) for i in originals]
    data: Any = rows if shape == "list" else {shape: rows}
    parsed = services.parse_export(json.dumps(data), "x.json") if rows else None
    if parsed is None:
        return
    assert parsed.problems == []
    if unix:
        # Unix seconds carry microseconds as a float: equal to the microsecond.
        originals = [
            InboundItem(
                **{
                    **_fields(i),
                    "created_at": datetime.fromtimestamp(i.created_at.timestamp(), tz=UTC),
                }
            )
            for i in originals
        ]
    assert parsed.items == originals


@FUZZ
@given(st.lists(items, min_size=1, max_size=20))
def test_a_valid_csv_export_comes_back_exactly(originals: list[InboundItem]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(_row(originals[0], False)))
    writer.writeheader()
    writer.writerows(
        {k: ("" if v is None else v) for k, v in _row(i, False).items()} for i in originals
    )
    parsed = services.parse_export(out.getvalue().encode(), "x.csv")
    assert parsed.problems == []
    # CSV has no newline convention of its own: "\r\n" in a text may come back as "\n".
    assert [
        InboundItem(**{**_fields(i), "text": i.text.replace("\r\n", "\n")}) for i in parsed.items
    ] == [InboundItem(**{**_fields(i), "text": i.text.replace("\r\n", "\n")}) for i in originals]


def _fields(item: InboundItem) -> dict[str, Any]:
    return {name: getattr(item, name) for name in InboundItem.__slots__}
