"""The detector interface: what every detector family implements.

A detector looks at a :class:`Document` (the text, its context and media) and
returns :class:`Hit` objects: a category from DESIGN.md's vocabulary, a span
into the original text (or the index of the media item), the evidence and a
score. Rules in the policy packs decide what a hit means (clause, severity,
message, fix); detectors know nothing about rules.

Detectors are configured once per distinct parameter set (``__init__`` takes
the rule's ``params``) and then called many times; they must be pure and
deterministic.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from postguard.content import Content, Context, Media


class DetectorConfigError(ValueError):
    """A rule gave a detector parameters it cannot use."""


@dataclass(frozen=True, slots=True)
class Hit:
    """One thing a detector found.

    ``start``/``end`` are character offsets into ``Document.text``; both are
    None for a hit about a media item (``media`` is then its index) or about
    the content as a whole.
    """

    category: str
    start: int | None = None
    end: int | None = None
    evidence: str = ""
    score: float = 1.0
    media: int | None = None
    note: str = ""


def span_hit(
    category: str, text: str, start: int, end: int, *, score: float = 1.0, note: str = ""
) -> Hit:
    """A hit on ``text[start:end]``, the span being its own evidence."""
    return Hit(category, start, end, text[start:end], score, note=note)


class Document:
    """The text being checked, with lazily computed views shared by detectors."""

    __slots__ = ("__dict__", "context", "media", "text")

    def __init__(self, content: Content) -> None:
        self.text: str = content.text
        self.context: Context = content.context
        self.media: tuple[Media, ...] = content.media

    @cached_property
    def lower(self) -> str:
        # casefold() can change string length (ß -> ss) and break spans;
        # lower() keeps offsets aligned for the texts we see.
        lowered = self.text.lower()
        return lowered if len(lowered) == len(self.text) else self.text

    @cached_property
    def plain(self) -> str:
        """``lower`` with curly apostrophes straightened (same length, same offsets)."""
        lower = self.lower
        return lower.replace("’", "'") if "’" in lower else lower

    def span_text(self, start: int, end: int) -> str:
        return self.text[start:end]


class Detector(ABC):
    """Base class for detectors. Subclasses set ``name`` and ``categories``.

    ``params`` arrive from a rule in a policy pack; a subclass validates them
    in ``__init__`` and raises :class:`DetectorConfigError` with a readable
    reason when they are wrong (the pack loader turns that into
    "file:line: reason").
    """

    name: ClassVar[str]
    categories: ClassVar[frozenset[str]]
    #: A one-line description for the rule catalogue.
    summary: ClassVar[str] = ""

    def __init__(self, **params: Any) -> None:
        if params:
            raise DetectorConfigError(
                f"detector {self.name!r} takes no parameters (got {', '.join(sorted(params))})"
            )

    @abstractmethod
    def detect(self, doc: Document) -> list[Hit]:
        """Return every hit in ``doc``."""

    def detect_many(self, docs: Sequence[Document]) -> list[list[Hit]]:
        """Batch form; override when a model is much faster in batches."""
        return [self.detect(doc) for doc in docs]


def take_params(
    name: str, params: Mapping[str, Any], allowed: Mapping[str, type | tuple[type, ...]]
) -> dict[str, Any]:
    """Check ``params`` against ``allowed`` (name -> type), returning a copy.

    A small helper so that each detector reports unknown or mistyped
    parameters with one clear sentence.
    """
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise DetectorConfigError(
            f"detector {name!r} does not take {', '.join(unknown)}"
            f" (it takes {', '.join(sorted(allowed)) or 'nothing'})"
        )
    out: dict[str, Any] = {}
    for key, value in params.items():
        expected = allowed[key]
        if not isinstance(value, expected):
            want = (
                " or ".join(t.__name__ for t in expected)
                if isinstance(expected, tuple)
                else expected.__name__
            )
            raise DetectorConfigError(f"detector {name!r}: {key} must be {want}")
        out[key] = value
    return out
