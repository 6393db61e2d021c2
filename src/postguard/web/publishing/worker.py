"""The background worker: a scheduler loop and the database task worker, in one process.

Every few seconds the scheduler expires and releases posts (workflow.tick),
records an intent and queues a task for every post that is due
(services.enqueue_due: so a due post goes out well within a minute), and runs
the periodic jobs that are due (services.run_due_jobs). The task worker
(django-tasks' database backend) runs the queued tasks. At start, intents a
dead worker left behind are reconciled with the network before anything else.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime
from typing import Any

from django.db import close_old_connections
from django.utils import timezone

log = logging.getLogger(__name__)

SCHEDULER_INTERVAL_SECONDS = 5.0
TASK_POLL_SECONDS = 1.0


def scheduler_pass(now: datetime | None = None) -> dict[str, Any]:
    """One pass of the scheduler; each part runs even if another fails."""
    from postguard.web.publishing import services
    from postguard.web.workflow.services import tick

    now = now or timezone.now()
    result: dict[str, Any] = {}
    for name, step in (
        ("tick", lambda: tick(now)),
        ("queued", lambda: services.enqueue_due(now)),
        ("jobs", lambda: services.run_due_jobs(now)),
    ):
        try:
            result[name] = step()
        except Exception:
            log.exception("worker: %s failed", name)
    return result


def _task_worker(*, batch: bool, worker_id: str | None = None) -> Any:
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"],
        interval=TASK_POLL_SECONDS,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=(worker_id or f"{socket.gethostname()}:{os.getpid()}")[:64],
        excluded_queue_names=[],
    )


def run_queued_tasks() -> int:
    """Run every queued task, then return how many ran (`postguard worker --once`,
    tests). Claims each task as the worker does, without its connection handling."""
    from django_tasks_db.models import DBTaskResult
    from django_tasks_db.utils import exclusive_transaction

    worker = _task_worker(batch=True)
    ran = 0
    while True:
        ready = DBTaskResult.objects.ready().filter(backend_name="default")
        with exclusive_transaction(ready.db):
            result = ready.get_locked()
            if result is not None:
                result.claim(worker.worker_id)
        if result is None:
            return ran
        worker.run_task(result)
        ran += 1


def _resume_takedowns() -> dict[str, int]:
    """Take-downs a dead worker left (web.takedown), each looked up before any call."""
    from postguard.web.takedown.services import resume_interrupted

    return resume_interrupted()


def run_once(now: datetime | None = None) -> dict[str, Any]:
    from postguard.web.publishing.services import reconcile_pending

    reconciled = reconcile_pending()
    _resume_takedowns()
    result = scheduler_pass(now)
    run_queued_tasks()
    return {"reconciled": reconciled, **result}


def _scheduler_loop(stop: threading.Event, interval: float) -> None:
    while not stop.is_set():
        try:
            close_old_connections()
            result = scheduler_pass()
            if result.get("queued"):
                log.info("worker: queued %s publication(s)", result["queued"])
        finally:
            close_old_connections()
        stop.wait(interval)


def run(stop: threading.Event, *, interval: float = SCHEDULER_INTERVAL_SECONDS) -> None:
    """Run until ``stop`` is set: reconcile, then the scheduler thread and the task worker."""
    from postguard.web.publishing.services import reconcile_pending

    try:
        outcomes = reconcile_pending()
        if outcomes:
            log.info("worker: reconciled unfinished publications: %s", outcomes)
    except Exception:
        log.exception("worker: reconciling at start failed")
    try:
        outcomes = _resume_takedowns()
        if outcomes:
            log.info("worker: resumed unfinished take-downs: %s", outcomes)
    except Exception:
        log.exception("worker: resuming take-downs at start failed")
    finally:
        close_old_connections()
    scheduler = threading.Thread(
        target=_scheduler_loop, args=(stop, interval), daemon=True, name="scheduler"
    )
    scheduler.start()
    tasks = _task_worker(batch=False)

    def watch() -> None:
        stop.wait()
        tasks.running = False

    threading.Thread(target=watch, daemon=True, name="stop-watch").start()
    try:
        tasks.run()
    finally:
        stop.set()
        close_old_connections()
