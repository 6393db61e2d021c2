"""postguard: keep a health profession's social media inside its codes.

The engine is usable as a library::

    import postguard
    report = postguard.check("Baby Liam at St Mary's ward 4 ...", account="official")
    report.decision   # "block"
    postguard.check(text, entities=True).entities  # (Entity(type, start, end, ...), ...)
    postguard.redact("Call his mum on 07700 900123")  # "Call his mum on [phone]"
"""

from postguard.content import Content, ContentError, Context, Media
from postguard.engine import Engine, Finding, Report, check, check_many, default_engine
from postguard.entities import Entity, analyze, redact

__version__ = "0.1.0"

__all__ = [
    "Content",
    "ContentError",
    "Context",
    "Engine",
    "Entity",
    "Finding",
    "Media",
    "Report",
    "analyze",
    "check",
    "check_many",
    "default_engine",
    "redact",
]
