"""The entity layer: personal data found wherever it is, apart from any policy.

``analyze(text)`` returns :class:`Entity` objects (type, span into the
original text, score, recognizer); ``redact(text)`` replaces identifying
spans with placeholders. Pure Python, no Django; see ``registry.py`` for
the recognizers and how to add one.
"""

from postguard.entities.base import Entity, Recognizer
from postguard.entities.registry import HARD_IDENTIFIERS, TYPES, analyze, recognizers, redact

__all__ = ["HARD_IDENTIFIERS", "TYPES", "Entity", "Recognizer", "analyze", "recognizers", "redact"]
