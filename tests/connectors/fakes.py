"""An in-memory network for testing the retry and outbox logic."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from postguard.connectors.base import (
    AccountMetrics,
    Capabilities,
    Connector,
    ConnectorError,
    Credentials,
    InboundItem,
    Limits,
    OutgoingPost,
    PostMetrics,
    Published,
    utcnow,
)


class FakeNetwork(Connector):
    """Publishes into a list. ``failures`` are raised by the next publish calls, in order;
    with ``after_create`` the failure is raised *after* the post was created (a lost
    response)."""

    network: ClassVar[str] = "fake"
    display_name: ClassVar[str] = "Fakebook"
    limits: ClassVar[Limits] = Limits(max_chars=50, alt_required=True)
    capabilities: ClassVar[Capabilities] = Capabilities(auth="access_token")

    def __init__(self) -> None:
        super().__init__(Credentials({"access_token": "t0ken"}))
        self.posts: list[tuple[str, OutgoingPost, Published]] = []
        self.failures: list[ConnectorError] = []
        self.after_create = False
        self.publish_calls = 0
        self.lookups = 0
        self.lookup_failures: list[ConnectorError] = []

    def authenticate(self) -> None:
        pass

    def publish(self, post: OutgoingPost, idempotency_key: str) -> Published:
        self.publish_calls += 1
        failure = self.failures.pop(0) if self.failures else None
        if failure is not None and not self.after_create:
            raise failure
        published = Published(f"fake-{len(self.posts) + 1}", None, utcnow())
        self.posts.append((idempotency_key, post, published))
        if failure is not None:
            raise failure
        return published

    def find_published(
        self, idempotency_key: str, since: datetime, post: OutgoingPost
    ) -> Published | None:
        self.lookups += 1
        if self.lookup_failures:
            raise self.lookup_failures.pop(0)
        for key, _post, published in self.posts:
            if key == idempotency_key and published.published_at >= since:
                return published
        return None

    def delete(self, remote_id: str) -> None:
        self.posts = [p for p in self.posts if p[2].remote_id != remote_id]

    def fetch_inbound(self, since_cursor: str | None) -> tuple[list[InboundItem], str | None]:
        return [], since_cursor

    def post_metrics(self, remote_ids: Sequence[str]) -> list[PostMetrics]:
        return [PostMetrics(remote_id=r) for r in remote_ids]

    def account_metrics(self) -> AccountMetrics:
        return AccountMetrics(followers=None, measured_at=utcnow())
