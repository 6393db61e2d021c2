"""Periodic jobs the background worker runs.

Apps register their jobs when Django starts (in ``AppConfig.ready``); the
worker (``postguard worker``, also started by ``postguard serve``) runs each
one when it is due. Keeping the registry here lets an app add a job without
knowing how the worker schedules it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

JobFunc = Callable[[], object]


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    name: str
    every: timedelta
    func: JobFunc


_JOBS: dict[str, PeriodicJob] = {}


def periodic(name: str, every: timedelta) -> Callable[[JobFunc], JobFunc]:
    """Register ``func`` to run every ``every`` under a stable ``name``."""

    def register(func: JobFunc) -> JobFunc:
        if name in _JOBS and _JOBS[name].func is not func:
            raise ValueError(f"a periodic job named {name!r} is already registered")
        _JOBS[name] = PeriodicJob(name, every, func)
        return func

    return register


def registered() -> list[PeriodicJob]:
    """Every registered job, in name order (deterministic for the worker and tests)."""
    return [_JOBS[name] for name in sorted(_JOBS)]
