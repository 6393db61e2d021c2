"""postguard: keep a health profession's social media inside its codes.

The engine is usable as a library::

    import postguard
    report = postguard.check("Baby Liam at St Mary's ward 4 ...", account="official")
    report.decision   # "block"
"""

from postguard.content import Content, ContentError, Context, Media
from postguard.engine import Engine, Finding, Report, check, check_many, default_engine

__version__ = "0.1.0"

__all__ = [
    "Content",
    "ContentError",
    "Context",
    "Engine",
    "Finding",
    "Media",
    "Report",
    "check",
    "check_many",
    "default_engine",
]
