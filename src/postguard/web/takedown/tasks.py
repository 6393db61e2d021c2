"""Background tasks (Django's tasks API; the django-tasks backport on Django 5.2)."""

from __future__ import annotations

from django_tasks import task

from postguard.web.takedown import services


@task()
def takedown_task(takedown_id: int) -> str:
    """Delete one approved post (see services.run_takedown)."""
    return services.run_takedown(takedown_id)
