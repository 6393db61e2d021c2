"""Store every user name in its canonical form (NFKC, case-folded, stripped), which is
what sign-in now looks up. A name whose canonical form another user already has is
left as it is (and said so), rather than merging two people."""

import logging
import unicodedata
from typing import Any

from django.db import migrations


def canonical_username(name: str) -> str:
    # Frozen copy of orgs.names.canonical_username as of this migration.
    folded = unicodedata.normalize("NFKC", name).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def canonicalise(apps: Any, schema_editor: Any) -> None:
    user_model = apps.get_model("auth", "User")
    taken = set(user_model.objects.values_list("username", flat=True))
    for user in user_model.objects.all().order_by("pk"):
        name = canonical_username(user.username)
        if name == user.username:
            continue
        if not name or len(name) > 150 or name in taken:
            logging.getLogger("postguard").warning(
                "user %s keeps the name %r: its canonical form is empty, too long or "
                "taken by someone else, so it cannot sign in until renamed",
                user.pk,
                user.username,
            )
            continue
        taken.discard(user.username)
        taken.add(name)
        user.username = name
        user.save(update_fields=["username"])


class Migration(migrations.Migration):
    dependencies = [
        ("orgs", "0003_drop_login_failure"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(canonicalise, migrations.RunPython.noop)]
