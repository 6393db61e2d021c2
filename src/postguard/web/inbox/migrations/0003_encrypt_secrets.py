"""Encrypt the inbox secrets stored in plain text until now: Slack/Teams webhook URLs,
Matrix access tokens and inbound-webhook HMAC secrets. The key is the channel
credentials' key (POSTGUARD_SECRETS_KEY or _FILE); it is needed only when there is
something to encrypt. Reversible: going back decrypts them again."""

from typing import Any

from django.db import migrations
from django.utils import timezone

from postguard.connectors.base import Credentials
from postguard.connectors.crypto import SecretBox

MATRIX = "matrix"


def encrypt(apps: Any, schema_editor: Any) -> None:
    Endpoint = apps.get_model("inbox", "Endpoint")
    WebhookSecret = apps.get_model("inbox", "WebhookSecret")
    endpoints = list(Endpoint.objects.filter(secret=""))
    hooks = list(WebhookSecret.objects.all())
    if not endpoints and not hooks:
        return
    box = SecretBox.from_env()  # a missing key stops the migration with how to fix it
    now = timezone.now()
    for endpoint in endpoints:
        if endpoint.kind == MATRIX:
            values, url = {"token": endpoint.token}, endpoint.url
        else:
            values, url = {"url": endpoint.url}, ""
        Endpoint.objects.filter(pk=endpoint.pk).update(
            secret=box.encrypt(Credentials(secrets=values)), secret_set_at=now, url=url, token=""
        )
    for hook in hooks:
        WebhookSecret.objects.filter(pk=hook.pk).update(
            secret=box.encrypt(Credentials(secrets={"secret": hook.secret}))
        )


def decrypt(apps: Any, schema_editor: Any) -> None:
    Endpoint = apps.get_model("inbox", "Endpoint")
    WebhookSecret = apps.get_model("inbox", "WebhookSecret")
    endpoints = list(Endpoint.objects.exclude(secret=""))
    hooks = list(WebhookSecret.objects.all())
    if not endpoints and not hooks:
        return
    box = SecretBox.from_env()
    for endpoint in endpoints:
        values = box.decrypt(endpoint.secret).secrets
        Endpoint.objects.filter(pk=endpoint.pk).update(
            secret="",
            secret_set_at=None,
            token=values.get("token", ""),
            url=values.get("url", endpoint.url),
        )
    for hook in hooks:
        WebhookSecret.objects.filter(pk=hook.pk).update(
            secret=box.decrypt(hook.secret).secrets.get("secret", "")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0002_endpoint_secret_fields"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
