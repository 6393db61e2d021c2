"""Properties of the JSONL line parser: whatever a line holds, it yields an
(id, Content) or a LineError with a one-line reason, never another exception;
and its nesting measure agrees with the JSON it measures."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postguard.cli import MAX_JSON_DEPTH, LineError, _json_depth, one_line, parse_jsonl_line
from postguard.content import Content

SETTINGS = settings(
    max_examples=200, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)
line_objects = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "text": st.text(max_size=200) | json_values,
        "account": st.sampled_from(["official", "personal", "bot"]) | json_values,
        "kind": st.sampled_from(["post", "reply", "comment"]) | json_values,
        "media": st.lists(st.text(max_size=10) | json_values, max_size=3) | json_values,
    },
)


def depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    return 0


def parses_or_refuses(raw: str | bytes) -> None:
    try:
        item_id, content = parse_jsonl_line(raw, 7)
    except LineError as exc:
        assert exc.item_id
        assert "\n" not in one_line(f"line 7 (id {exc.item_id}): {exc}")
    else:
        assert isinstance(item_id, str) and item_id
        assert isinstance(content, Content)


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_are_refused_with_a_reason(raw: bytes) -> None:
    parses_or_refuses(raw)


@SETTINGS
@given(line_objects)
def test_any_json_object_parses_or_is_refused_with_a_reason(obj: dict[str, Any]) -> None:
    parses_or_refuses(json.dumps(obj))


@SETTINGS
@given(json_values)
def test_the_depth_measure_agrees_with_the_json(value: Any) -> None:
    assert _json_depth(json.dumps(value)) == depth(value)


@SETTINGS
@given(st.integers(min_value=MAX_JSON_DEPTH + 1, max_value=5000))
def test_any_nesting_past_the_limit_is_refused(levels: int) -> None:
    raw = '{"text": "hi", "x": ' + "[" * levels + "]" * levels + "}"
    try:
        parse_jsonl_line(raw, 1)
    except LineError as exc:
        assert "nested more than" in str(exc)
    else:
        raise AssertionError("a line nested past the limit was accepted")
