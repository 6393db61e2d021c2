"""Times as the organization reads them, and the publishing status, for templates.

``{{ post.scheduled_at|org_time:post.org }}`` → ``2026-12-10 09:00 CET (Europe/Paris)``;
``{% publishing_status post as status %}`` → publishing.status.PublishingStatus.
"""

from __future__ import annotations

from datetime import datetime

from django import template

from postguard.web.orgs.models import Organization
from postguard.web.orgs.timezones import local_time
from postguard.web.publishing.status import PublishingStatus
from postguard.web.publishing.status import publishing_status as _status
from postguard.web.workflow.models import Post

register = template.Library()


@register.filter
def org_time(moment: datetime | None, org: Organization | None) -> str:
    if moment is None or org is None:
        return ""
    return local_time(moment, org)


@register.simple_tag
def publishing_status(post: Post) -> PublishingStatus:
    return _status(post)
