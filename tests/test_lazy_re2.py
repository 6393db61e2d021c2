"""Patterns compiled on first use are still all valid RE2."""

from __future__ import annotations

import importlib

import pytest
import re2

from postguard import lazy_re2
from postguard.detectors.registry import DETECTORS
from postguard.entities.registry import RECOGNIZERS


def test_every_lazily_compiled_pattern_of_the_detectors_and_recognizers_compiles() -> None:
    for target in (*DETECTORS.values(), *RECOGNIZERS):
        importlib.import_module(target.partition(":")[0])
    assert len(lazy_re2.ALL) > 50
    for item in lazy_re2.ALL:
        assert item.compiled().pattern == item.pattern


def test_a_lazy_pattern_compiles_when_first_used_and_behaves_as_the_compiled_one() -> None:
    options = re2.Options()
    options.case_sensitive = False
    item = lazy_re2.LazyRE2(r"\bward (\d+)", options)
    assert item._compiled is None
    assert item.search("On WARD 4 today").group(1) == "4"
    assert [m.span() for m in item.finditer("ward 1, ward 22")] == [(0, 6), (8, 15)]
    assert item._compiled is not None


def test_a_pattern_re2_rejects_fails_when_it_is_compiled() -> None:
    item = lazy_re2.LazyRE2(r"(?<=ward)\d", re2.Options())
    with pytest.raises(re2.error):
        item.compiled()
