"""Inbox secrets at rest: endpoint webhook URLs and tokens and inbound-webhook secrets
are stored encrypted, still work, and are never shown or logged."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from postguard.web.audit.models import AuditEntry
from postguard.web.inbox import defaults, hooks, notify, services
from postguard.web.inbox.models import Endpoint, InboxItem, Notification, WebhookSecret

from .conftest import World
from .test_inbox import NEGATIVE_TEXT, Receiver

Commit = Callable[..., Any]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def _raw(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk])
        return repr(cursor.fetchone())


def test_endpoint_secrets_are_encrypted_delivered_and_never_shown(
    world: World, receiver: Receiver
) -> None:
    defaults.install_defaults(world.org)
    admin = world["admin"]
    slack_url = receiver.url + "/slack/T000/B000/very-secret-path"
    slack = services.save_endpoint(admin, world.org, name="Slack", kind="slack", url=slack_url)
    matrix = services.save_endpoint(
        admin,
        world.org,
        name="Matrix",
        kind="matrix",
        url=receiver.url,
        room="!room:example.org",
        token="syt_matrix-secret-token",
    )
    assert slack_url not in _raw("inbox_endpoint", slack.pk)
    assert "very-secret-path" not in _raw("inbox_endpoint", slack.pk)
    assert "syt_matrix-secret-token" not in _raw("inbox_endpoint", matrix.pk)
    assert receiver.url in _raw("inbox_endpoint", matrix.pk), "a homeserver is no secret"

    for endpoint in (slack, matrix):
        note = Notification.objects.create(
            org=world.org,
            reason="test",
            via=endpoint.kind,
            recipient=endpoint.name,
            endpoint=endpoint,
            subject="Hello",
            body="A test",
        )
        assert notify.deliver(note), note.last_error
    paths = {r.path: r for r in receiver.requests}
    assert "/slack/T000/B000/very-secret-path" in paths
    (matrix_call,) = [r for r in receiver.requests if r.method == "PUT"]
    assert matrix_call.headers["Authorization"] == "Bearer syt_matrix-secret-token"

    page = world.client("admin").get("/escalation/").content.decode()
    assert "very-secret-path" not in page and "syt_matrix-secret-token" not in page
    assert f"•••• set {timezone.now():%Y-%m-%d}" in page
    for entry in AuditEntry.objects.all():
        dumped = json.dumps([entry.before, entry.after])
        assert "very-secret-path" not in dumped and "syt_matrix" not in dumped


def test_a_failing_delivery_does_not_log_the_secret_url(world: World) -> None:
    url = "http://127.0.0.1:1/hooks/very-secret-path"
    endpoint = services.save_endpoint(world["admin"], world.org, name="S", kind="slack", url=url)
    note = Notification.objects.create(
        org=world.org,
        reason="test",
        via="slack",
        recipient="S",
        endpoint=endpoint,
        subject="Hello",
        body="A test",
    )
    assert not notify.deliver(note)
    note.refresh_from_db()
    assert note.last_error and "very-secret-path" not in note.last_error


def test_the_webhook_secret_is_encrypted_and_still_verifies(world: World) -> None:
    secret = hooks.rotate_secret(world["admin"], world.channel.pk)
    hook = WebhookSecret.objects.get(channel=world.channel)
    assert secret not in _raw("inbox_webhooksecret", hook.pk)
    body = json.dumps(
        {"id": "x1", "author": "@a", "text": NEGATIVE_TEXT, "created_at": "2026-01-05T10:00:00Z"}
    ).encode()
    url = f"/hooks/inbox/{world.channel.pk}/"
    wrong = hooks.signed_headers("not-the-secret", body)
    assert (
        Client().post(url, body, content_type="application/json", headers=wrong).status_code == 401
    )
    good = hooks.signed_headers(secret, body)
    response = Client().post(url, body, content_type="application/json", headers=good)
    assert response.status_code == 202
    assert InboxItem.objects.filter(remote_id="x1").exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_plain_text_secrets(world: World) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("inbox", "0002_endpoint_secret_fields")])
    old = executor.loader.project_state([("inbox", "0002_endpoint_secret_fields")]).apps
    OldEndpoint = old.get_model("inbox", "Endpoint")
    OldHook = old.get_model("inbox", "WebhookSecret")
    slack = OldEndpoint.objects.create(
        org_id=world.org.pk, name="Old Slack", kind="slack", url="https://hooks.example/plain-path"
    )
    matrix = OldEndpoint.objects.create(
        org_id=world.org.pk,
        name="Old Matrix",
        kind="matrix",
        url="https://matrix.example",
        room="!r:example",
        token="plain-token",
    )
    OldHook.objects.create(channel_id=world.channel.pk, secret="plain-hook-secret")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert "plain-path" not in _raw("inbox_endpoint", slack.pk)
    assert "plain-token" not in _raw("inbox_endpoint", matrix.pk)
    assert Endpoint.objects.get(pk=slack.pk).secrets() == {
        "url": "https://hooks.example/plain-path"
    }
    assert Endpoint.objects.get(pk=matrix.pk).secrets() == {"token": "plain-token"}
    hook = WebhookSecret.objects.get(channel=world.channel)
    assert "plain-hook-secret" not in _raw("inbox_webhooksecret", hook.pk)
    assert hook.plain() == "plain-hook-secret"
