"""The default crisis template promised "We have sent you a private message", which
postguard cannot do; playbooks and open case steps still holding that exact text get the
new one (a committee's own wording is left alone). Texts are copied here so that later
edits of defaults.py do not change what this migration did."""

from typing import Any

from django.db import migrations

OLD = (
    "{author}, we are concerned by what you wrote and we are sorry you are going "
    "through this. If you or your baby are in danger, please call your local emergency "
    "number now. You can also talk to someone at a crisis line any time, day or night. "
    "We have sent you a private message."
)
NEW = (
    "{author}, we are worried by what you wrote and sorry you are going through this. "
    "If you or your baby are in danger, please call your local emergency number now. "
    "A crisis line can talk with you any time, day or night. "
    "Please send us a private message so that we can talk."
)


def forwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("inbox", "PlaybookStep").objects.filter(template=OLD).update(template=NEW)
    apps.get_model("inbox", "CaseStep").objects.filter(template=OLD, done_at__isnull=True).update(
        template=NEW
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0005_drop_non_http_item_urls"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
