"""RE2 patterns compiled on first use.

Compiling an RE2 pattern is done in C++ but is not free: the detectors'
and recognizers' 130 module-level patterns cost every new process about
0.15 s, and a check of an outbound post uses barely half of them (the
inbound triage patterns, for one, never run on it). :func:`lazy` returns a
stand-in that compiles its pattern the first time a method is called.

Every stand-in is kept in :data:`ALL`, so a test compiles them all: a
pattern that RE2 rejects still fails the test suite, not a user's check.
"""

from __future__ import annotations

from typing import Any

import re2

ALL: list[LazyRE2] = []
#: The compiled pattern's methods, bound onto the stand-in once compiled.
_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "split", "sub", "subn")


class LazyRE2:
    """``re2.compile(pattern, options)``, done when first used."""

    def __init__(self, pattern: str, options: Any) -> None:
        self.pattern = pattern
        self.options = options
        self._compiled: Any = None

    def compiled(self) -> Any:
        """The compiled pattern (compiling it now if needed)."""
        if self._compiled is None:
            compiled = re2.compile(self.pattern, self.options)
            self._compiled = compiled
            # Found in the instance's dict from now on: no __getattr__ per call.
            for name in _METHODS:
                setattr(self, name, getattr(compiled, name))
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        # only reached for what the stand-in does not define: search, finditer, ...
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"lazy_re2({self.pattern[:60]!r})"


def lazy(pattern: str, options: Any) -> Any:
    """A stand-in for ``re2.compile(pattern, options)`` that compiles on first use."""
    item = LazyRE2(pattern, options)
    ALL.append(item)
    return item
