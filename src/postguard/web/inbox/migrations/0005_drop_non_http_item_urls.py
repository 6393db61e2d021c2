"""Items received before URLs from outside were checked may hold a javascript: (or
other non-http) URL: it is blanked, as ingest now does (postguard.web.links)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from postguard.web.links import http_url


def drop_non_http_urls(apps: Any, schema_editor: Any) -> None:
    InboxItem = apps.get_model("inbox", "InboxItem")
    bad = [
        pk
        for pk, url in InboxItem.objects.exclude(url="").values_list("pk", "url").iterator()
        if http_url(url) != url
    ]
    for start in range(0, len(bad), 500):
        InboxItem.objects.filter(pk__in=bad[start : start + 500]).update(url="")


class Migration(migrations.Migration):
    dependencies = [("inbox", "0004_remove_endpoint_token")]

    operations = [migrations.RunPython(drop_non_http_urls, migrations.RunPython.noop)]
