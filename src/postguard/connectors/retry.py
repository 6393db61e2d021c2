"""Retrying network calls without ever creating something twice.

Two helpers, one rule: a call that *reads* (or deletes, which is idempotent)
may be repeated after a transient failure; a call that *creates* may not,
because the failure may have come after the network acted (a timeout while
the response was on its way, a 502 from a proxy in front of a server that
had already written the post).

* :func:`retry_read` retries an idempotent call with exponential backoff,
  honouring the network's ``Retry-After``.
* :func:`publish_exactly_once` publishes; after a transient failure it waits,
  then asks the network whether the post exists (:meth:`Connector.find_published`)
  and only publishes again when it does not.

Permanent failures, validation problems and authentication errors are never
retried: they go back to the caller, who tells the author, the chair or the
channel's owner.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from postguard.connectors.base import (
    Connector,
    OutgoingPost,
    Published,
    TransientError,
)

log = logging.getLogger(__name__)

T = TypeVar("T")


class GaveUp(TransientError):
    """Every attempt failed transiently; the caller should schedule the work for later.

    ``retry_after`` carries the last delay the network asked for, if any."""


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with jitter.

    ``max_wait`` bounds a single wait: a network asking us to come back in an
    hour is not waited for in-process; :class:`GaveUp` hands the delay to the
    scheduler instead.
    """

    attempts: int = 5
    base: float = 1.0
    factor: float = 2.0
    max_delay: float = 120.0
    max_wait: float = 900.0
    jitter: float = 0.2

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before attempt ``attempt + 1`` (``attempt`` counts from 1)."""
        computed = min(self.max_delay, self.base * self.factor ** (attempt - 1))
        computed *= 1 + random.uniform(0, self.jitter)
        if retry_after is not None:
            # The network's word wins over our guess; never wait less than it asked.
            return max(float(retry_after), 0.0)
        return computed


def retry_read(
    call: Callable[[], T],
    *,
    what: str = "call",
    backoff: Backoff = Backoff(),
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run an idempotent ``call``, retrying transient failures. Never use it for a call
    that creates something: use :func:`publish_exactly_once`."""
    attempt = 1
    while True:
        try:
            return call()
        except TransientError as exc:
            wait = backoff.delay(attempt, exc.retry_after)
            if attempt >= backoff.attempts or wait > backoff.max_wait:
                raise GaveUp(
                    f"{what} failed {attempt} time(s); last error: {exc}",
                    retry_after=exc.retry_after,
                ) from exc
            log.info(
                "%s failed transiently (%s); retrying in %.1fs", what, type(exc).__name__, wait
            )
            sleep(wait)
            attempt += 1


def publish_exactly_once(
    connector: Connector,
    post: OutgoingPost,
    idempotency_key: str,
    since: datetime,
    *,
    backoff: Backoff = Backoff(),
    sleep: Callable[[float], None] = time.sleep,
    look_first: bool = False,
) -> Published:
    """Publish ``post`` at most once, retrying only after checking it is not there.

    ``since`` is when the intent to publish was recorded: the lookup window
    starts there. With ``look_first`` the network is asked before the first
    attempt too (use it when resuming work that may already have been sent).
    """
    connector.ensure_valid(post)
    attempt = 1
    must_look = look_first
    while True:
        if must_look:
            found = retry_read(
                lambda: connector.find_published(idempotency_key, since, post),
                what=f"{connector.display_name} lookup",
                backoff=backoff,
                sleep=sleep,
            )
            if found is not None:
                log.info(
                    "%s post %s was already published as %s",
                    connector.display_name,
                    idempotency_key,
                    found.remote_id,
                )
                return found
        try:
            return connector.publish(post, idempotency_key)
        except TransientError as exc:
            wait = backoff.delay(attempt, exc.retry_after)
            if attempt >= backoff.attempts or wait > backoff.max_wait:
                raise GaveUp(
                    f"publishing to {connector.display_name} failed {attempt} time(s); "
                    f"last error: {exc}",
                    retry_after=exc.retry_after,
                ) from exc
            log.info(
                "publishing %s to %s failed transiently (%s); looking it up in %.1fs",
                idempotency_key,
                connector.display_name,
                type(exc).__name__,
                wait,
            )
            sleep(wait)
            attempt += 1
            # A refusal for rate limiting happens before anything is created, but we look
            # anyway: one read is cheap next to a duplicate post.
            must_look = True
