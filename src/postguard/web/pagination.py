"""Cursor pagination for the API's lists: ``?limit=1..500&cursor=``, answered with
``{"items": [...], "next_cursor": "..." | null}``.

A cursor names the last item of the page before (its sort keys), not an offset, so an
item added or removed while a client walks the list neither repeats nor skips another.
It is signed: a client cannot forge a position, and a cursor altered in transit, or one
given by another list, is refused with 422 instead of silently meaning something else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.core import signing
from django.db.models import DateTimeField, Model, Q, QuerySet

from postguard.web.errors import Invalid

M = TypeVar("M", bound=Model)
T = TypeVar("T")

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
MAX_CURSOR_CHARS = 500

_SIGNER = signing.Signer(salt="postguard.api.cursor")
_BAD = "The cursor is not one this list gave (start again without it)."


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def _encode(scope: str, values: list[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return _SIGNER.sign_object({"s": scope, "k": plain}, compress=False)


def _decode(scope: str, cursor: str, keys: tuple[str, ...], kinds: tuple[type, ...]) -> list[Any]:
    if len(cursor) > MAX_CURSOR_CHARS:
        raise Invalid(_BAD)
    try:
        found = _SIGNER.unsign_object(cursor)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise Invalid(_BAD) from None
    if not isinstance(found, dict) or found.get("s") != scope:
        raise Invalid(_BAD)
    raw = found.get("k")
    if not isinstance(raw, list) or len(raw) != len(keys):
        raise Invalid(_BAD)
    values: list[Any] = []
    for value, kind in zip(raw, kinds, strict=True):
        if kind is datetime:
            try:
                moment = datetime.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                moment = None
            if moment is None or moment.tzinfo is None:
                raise Invalid(_BAD)
            values.append(moment)
        elif kind is int and isinstance(value, int) and not isinstance(value, bool):
            values.append(value)
        else:
            raise Invalid(_BAD)
    return values


def paginate(
    query: QuerySet[M],
    *,
    scope: str,
    limit: int,
    cursor: str = "",
    keys: tuple[str, ...] = ("created_at", "id"),
) -> Page[M]:
    """One page of ``query``, newest first by ``keys`` (the last one must be unique).

    ``scope`` names the list, so that a cursor of one list is refused by another."""
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid(f"limit must be between 1 and {MAX_LIMIT}")
    model = query.model
    kinds = tuple(
        datetime if isinstance(model._meta.get_field(k), DateTimeField) else int for k in keys
    )
    ordered = query.order_by(*(f"-{k}" for k in keys))
    if cursor:
        values = _decode(scope, cursor, keys, kinds)
        # Strictly after the cursor in (k1 desc, k2 desc, ...) order.
        after = Q()
        for i, key in enumerate(keys):
            step = Q(**{f"{key}__lt": values[i]})
            for prior, value in zip(keys[:i], values[:i], strict=True):
                step &= Q(**{prior: value})
            after |= step
        ordered = ordered.filter(after)
    found = list(ordered[: limit + 1])
    if len(found) <= limit:
        return Page(found, None)
    last = found[limit - 1]
    return Page(found[:limit], _encode(scope, [getattr(last, k) for k in keys]))
