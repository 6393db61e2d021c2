"""Configure Django on demand, so that importing the CLI never needs settings."""

from __future__ import annotations

import os

SETTINGS_MODULE = "postguard.web.settings"


def configure() -> None:
    """Point Django at postguard's settings (unless told otherwise) and set it up."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django

    django.setup()
