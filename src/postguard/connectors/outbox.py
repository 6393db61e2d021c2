"""Exactly-once publishing: the intent is recorded before the network call, the
result after it, and a worker that died in between finds out from the network.

The protocol, for one publication identified by an idempotency key:

1. ``add_intent``: store the post and the key (state ``pending``), committed.
2. ``begin_attempt``: take a lease on the intent and count an attempt,
   committed *before* anything is sent. Only one worker holds the lease, so
   two workers never publish the same intent side by side.
3. Publish through :func:`~postguard.connectors.retry.publish_exactly_once`,
   which looks the post up before any retry.
4. ``record_published``: store the remote id (state ``published``).

A worker killed after step 3 sent the post but before step 4 leaves a
``pending`` intent with one attempt. :func:`reconcile` (run at start-up and
periodically) takes each such intent once its lease has expired, and because
an attempt was made it asks the network first
(:meth:`~postguard.connectors.base.Connector.find_published`): when the post
is there it is recorded, not sent again.

This module is plain Python. :class:`SQLiteOutbox` is a small store for the
CLI and the tests; the Django worker implements :class:`OutboxStore` on its
own models and calls the same :func:`publish_with_intent` and
:func:`reconcile`.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import socket
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal, Protocol

from postguard.connectors.base import (
    AuthError,
    Connector,
    Image,
    OutgoingPost,
    PermanentError,
    Published,
    ValidationError,
    parse_time,
    utcnow,
)
from postguard.connectors.retry import Backoff, publish_exactly_once

log = logging.getLogger(__name__)

State = Literal["pending", "published", "failed"]

#: Clocks differ between us and the network: the lookup window opens this much earlier.
CLOCK_SKEW = timedelta(minutes=5)


DEFAULT_BACKOFF = Backoff()


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


@dataclass(frozen=True, slots=True)
class Intent:
    key: str
    channel: str
    post: OutgoingPost
    created_at: datetime
    state: State
    attempts: int
    remote_id: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    last_error: str | None = None

    def published(self) -> Published | None:
        if self.remote_id is None or self.published_at is None:
            return None
        return Published(remote_id=self.remote_id, url=self.url, published_at=self.published_at)


class LeaseHeld(RuntimeError):
    """Another worker is publishing this intent right now."""


class OutboxStore(Protocol):
    """Where intents live. Every method commits before it returns."""

    def add_intent(
        self, key: str, channel: str, post: OutgoingPost, created_at: datetime
    ) -> Intent: ...

    def get(self, key: str) -> Intent | None: ...

    def begin_attempt(self, key: str, owner: str, lease: timedelta) -> bool:
        """Take the lease and count an attempt; False when another owner holds it."""
        ...

    def record_published(self, key: str, published: Published) -> None: ...

    def record_failure(self, key: str, message: str, *, permanent: bool) -> None: ...

    def unresolved(self, channel: str | None = None) -> list[Intent]: ...


# -- post (de)serialisation ------------------------------------------------------------------


def post_to_json(post: OutgoingPost) -> str:
    return json.dumps(
        {
            "text": post.text,
            "link": post.link,
            "reply_to": post.reply_to,
            **({"direct_to": post.direct_to} if post.direct_to is not None else {}),
            "images": [
                {
                    "alt": img.alt,
                    "mime": img.mime,
                    "data": base64.b64encode(img.data).decode("ascii"),
                }
                for img in post.images
            ],
        }
    )


def post_from_json(data: str) -> OutgoingPost:
    raw = json.loads(data)
    return OutgoingPost(
        text=raw["text"],
        link=raw.get("link"),
        reply_to=raw.get("reply_to"),
        direct_to=raw.get("direct_to"),
        images=tuple(
            Image(data=base64.b64decode(i["data"]), alt=i["alt"], mime=i["mime"])
            for i in raw.get("images", [])
        ),
    )


# -- a SQLite store --------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox_intent (
    key TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    post TEXT NOT NULL,
    created_at TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until TEXT,
    remote_id TEXT,
    url TEXT,
    published_at TEXT,
    last_error TEXT
);
CREATE INDEX IF NOT EXISTS outbox_intent_state ON outbox_intent (state, channel);
"""


class SQLiteOutbox:
    """An :class:`OutboxStore` in one SQLite file (WAL, synchronous=FULL: a write that
    returned survives a crash of the process and of the machine)."""

    def __init__(self, path: str | Path, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.path = str(path)
        self._clock = clock
        with self._connect() as db:
            db.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.row_factory = sqlite3.Row
            yield db
        finally:
            db.close()

    @staticmethod
    def _intent(row: sqlite3.Row) -> Intent:
        return Intent(
            key=row["key"],
            channel=row["channel"],
            post=post_from_json(row["post"]),
            created_at=parse_time(row["created_at"]),
            state=row["state"],
            attempts=row["attempts"],
            remote_id=row["remote_id"],
            url=row["url"],
            published_at=parse_time(row["published_at"]) if row["published_at"] else None,
            last_error=row["last_error"],
        )

    def add_intent(
        self, key: str, channel: str, post: OutgoingPost, created_at: datetime
    ) -> Intent:
        with self._connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO outbox_intent (key, channel, post, created_at) "
                "VALUES (?, ?, ?, ?)",
                (key, channel, post_to_json(post), created_at.isoformat()),
            )
        intent = self.get(key)
        assert intent is not None
        return intent

    def get(self, key: str) -> Intent | None:
        with self._connect() as db:
            row = db.execute("SELECT * FROM outbox_intent WHERE key = ?", (key,)).fetchone()
        return self._intent(row) if row else None

    def begin_attempt(self, key: str, owner: str, lease: timedelta) -> bool:
        now = self._clock()
        with self._connect() as db:
            cur = db.execute(
                "UPDATE outbox_intent SET attempts = attempts + 1, lease_owner = ?, "
                "lease_until = ? WHERE key = ? AND state = 'pending' AND "
                "(lease_until IS NULL OR lease_until < ? OR lease_owner = ?)",
                (owner, (now + lease).isoformat(), key, now.isoformat(), owner),
            )
            return cur.rowcount == 1

    def record_published(self, key: str, published: Published) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE outbox_intent SET state = 'published', remote_id = ?, url = ?, "
                "published_at = ?, lease_owner = NULL, lease_until = NULL, last_error = NULL "
                "WHERE key = ?",
                (published.remote_id, published.url, published.published_at.isoformat(), key),
            )

    def record_failure(self, key: str, message: str, *, permanent: bool) -> None:
        with self._connect() as db:
            db.execute(
                "UPDATE outbox_intent SET last_error = ?, lease_owner = NULL, "
                "lease_until = NULL, state = CASE WHEN ? THEN 'failed' ELSE state END "
                "WHERE key = ?",
                (message, permanent, key),
            )

    def unresolved(self, channel: str | None = None) -> list[Intent]:
        query = "SELECT * FROM outbox_intent WHERE state = 'pending'"
        args: tuple[str, ...] = ()
        if channel is not None:
            query += " AND channel = ?"
            args = (channel,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY created_at", args).fetchall()
        return [self._intent(r) for r in rows]


# -- the protocol ----------------------------------------------------------------------------


def publish_with_intent(
    store: OutboxStore,
    connector: Connector,
    channel: str,
    post: OutgoingPost,
    key: str,
    *,
    owner: str | None = None,
    lease: timedelta = timedelta(minutes=15),
    backoff: Backoff = DEFAULT_BACKOFF,
    after_send: Callable[[Published], None] | None = None,
) -> Published:
    """Publish ``post`` on ``channel`` exactly once under ``key``.

    Calling it again with the same key returns the recorded result; after a
    crash it looks the post up before sending. ``after_send`` is called once the
    network call has returned and before the result is stored (the crash tests
    stop the process there).

    Raises :class:`~postguard.connectors.base.ValidationError` or
    :class:`~postguard.connectors.base.PermanentError` (intent ``failed``: tell
    the author and the chair), :class:`~postguard.connectors.base.AuthError`
    (intent stays pending: tell the channel's owner),
    :class:`~postguard.connectors.retry.GaveUp` (pending: try later) and
    :class:`LeaseHeld`.
    """
    intent = store.get(key) or store.add_intent(key, channel, post, utcnow())
    done = intent.published()
    if intent.state == "published" and done is not None:
        return done
    if intent.state == "failed":
        raise PermanentError(intent.last_error or "this publication failed earlier")
    if not store.begin_attempt(key, owner or default_owner(), lease):
        raise LeaseHeld(f"another worker is publishing {key}")
    try:
        published = publish_exactly_once(
            connector,
            intent.post,
            key,
            intent.created_at - CLOCK_SKEW,
            backoff=backoff,
            # An earlier attempt may have reached the network: ask before sending.
            look_first=intent.attempts > 0,
        )
    except (ValidationError, PermanentError) as exc:
        store.record_failure(key, str(exc), permanent=True)
        raise
    except AuthError as exc:
        store.record_failure(key, str(exc), permanent=False)
        raise
    except Exception as exc:
        store.record_failure(key, f"{type(exc).__name__}: {exc}", permanent=False)
        raise
    if after_send is not None:
        after_send(published)
    store.record_published(key, published)
    return published


@dataclass(frozen=True, slots=True)
class Reconciled:
    key: str
    outcome: Literal["published", "failed", "retry_later", "busy"]
    published: Published | None = None
    error: str | None = None


def reconcile(
    store: OutboxStore,
    connector_for: Callable[[str], Connector],
    *,
    channel: str | None = None,
    owner: str | None = None,
    backoff: Backoff = DEFAULT_BACKOFF,
) -> list[Reconciled]:
    """Finish every pending intent: those that reached the network are recorded, the
    others are published. Run it when a worker starts and now and then after."""
    results = []
    for intent in store.unresolved(channel):
        try:
            connector = connector_for(intent.channel)
            published = publish_with_intent(
                store, connector, intent.channel, intent.post, intent.key,
                owner=owner, backoff=backoff,
            )  # fmt: skip
        except LeaseHeld:
            results.append(Reconciled(intent.key, "busy"))
        except (ValidationError, PermanentError) as exc:
            results.append(Reconciled(intent.key, "failed", error=str(exc)))
        except Exception as exc:
            results.append(Reconciled(intent.key, "retry_later", error=str(exc)))
        else:
            results.append(Reconciled(intent.key, "published", published))
    return results
