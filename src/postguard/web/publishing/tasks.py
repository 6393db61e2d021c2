"""Background tasks (Django's tasks API; the django-tasks backport on Django 5.2)."""

from __future__ import annotations

from django_tasks import task

from postguard.web.publishing import services


@task()
def publish_task(publication_id: int) -> str:
    """Publish one recorded intent (see services.publish_publication)."""
    return services.publish_publication(publication_id)
