"""Where the workspace keeps its files; readable before Django's settings load."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """``POSTGUARD_DATA_DIR``, else ``$XDG_DATA_HOME/postguard`` or ``~/.local/share/postguard``."""
    configured = os.environ.get("POSTGUARD_DATA_DIR")
    if configured:
        return Path(configured).resolve()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return (Path(base) / "postguard").resolve()
