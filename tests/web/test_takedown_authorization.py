"""The take-down pages and endpoints, called as every role and anonymously (the rows
of the authorization matrix for web.takedown; test_authorization.py checks that every
route has rows somewhere).

The world's Bluesky channel is official; a second channel is the member's own account
(claimed): only that member sees its archive, the committee does not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel
from postguard.web.publishing.models import Publication, PublicationState
from postguard.web.takedown import services
from postguard.web.takedown.models import ArchiveImport, ArchiveItem, TakeDown, TakeDownState
from postguard.web.workflow.models import OutboxItem, State

from .conftest import ROLES, World
from .takedown_helper import report, report_line
from .test_authorization import E

pytestmark = pytest.mark.django_db


@dataclass
class Ctx:
    world: World
    personal: Channel
    official_item: ArchiveItem
    personal_item: ArchiveItem
    requested: TakeDown
    post_id: int


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    path: str
    expect: dict[str, int]
    data: Callable[[Ctx], Any] | None = None
    api: bool = False
    took_effect: Callable[[Ctx], bool] | None = None


def _context(world: World) -> Ctx:
    personal = orgs.create_channel(None, world.org, name="Member's own", network="bluesky")
    services.claim_personal(None, personal, world["member"])
    services.import_report(
        None,
        world.channel,
        services.iter_lines(
            [
                report(
                    report_line(
                        "at://did:plc:a/app.bsky.feed.post/1", "Call Sarah on 07700 900123"
                    ),
                    report_line("at://did:plc:a/app.bsky.feed.post/2", "Baby Jack's latch story"),
                )
            ]
        ),
    )
    services.import_report(
        None,
        personal,
        services.iter_lines(
            [report(report_line("at://did:plc:m/app.bsky.feed.post/9", "My client Ann, 3 days"))]
        ),
    )
    official_item = ArchiveItem.objects.get(channel=world.channel, key__endswith="/1")
    other = ArchiveItem.objects.get(channel=world.channel, key__endswith="/2")
    [requested] = services.request_takedown(
        world["reviewer"], world.channel.pk, [other.pk], "Names a baby and his feeding."
    ).created
    assert requested.state == TakeDownState.REQUESTED
    post = world.submitted()
    post.state = State.PUBLISHED
    post.save()
    item = OutboxItem.objects.create(
        post=post,
        channel=world.channel,
        text=post.text,
        revision=post.revision,
        due_at=timezone.now(),
        remote_id="at://did:plc:a/app.bsky.feed.post/p",
        published_at=timezone.now(),
    )
    Publication.objects.create(
        key="k" * 32,
        post=post,
        outbox=item,
        channel=world.channel,
        revision=post.revision,
        payload="{}",
        state=PublicationState.PUBLISHED,
        created_at=timezone.now(),
        remote_id=item.remote_id,
    )
    return Ctx(
        world,
        personal,
        official_item,
        ArchiveItem.objects.get(channel=personal),
        requested,
        post.pk,
    )


def _upload(c: Ctx) -> dict[str, Any]:
    line = report_line("at://did:plc:a/app.bsky.feed.post/3", "Another client story")
    return {"report": SimpleUploadedFile("findings.jsonl", report(line))}


def _asked(item: Callable[[Ctx], ArchiveItem]) -> Callable[[Ctx], bool]:
    return lambda c: TakeDown.objects.filter(item=item(c)).exists()


REASON = "Breaks 2(a): a client's phone number."
ROWS = [
    Row("past posts", "get", "/archive/", E(200, 200, 200, 200, 200, 200, 302)),
    Row("official archive", "get", "/archive/{official}/", E(200, 200, 200, 403, 403, 404, 302)),
    Row("personal archive", "get", "/archive/{personal}/", E(404, 404, 404, 404, 200, 404, 302)),
    Row(
        "import into the official archive",
        "post",
        "/archive/{official}/import/",
        E(302, 302, 302, 403, 403, 404, 302),
        data=_upload,
        took_effect=lambda c: ArchiveImport.objects.filter(channel=c.world.channel).count() > 1,
    ),
    Row(
        "ask to take down an official post",
        "post",
        "/archive/{official}/",
        E(302, 302, 302, 403, 403, 404, 302),
        data=lambda c: {"items": [c.official_item.pk], "reason": REASON},
        took_effect=_asked(lambda c: c.official_item),
    ),
    Row(
        "take down a post of one's own account",
        "post",
        "/archive/{personal}/",
        E(404, 404, 404, 404, 302, 404, 302),
        data=lambda c: {"items": [c.personal_item.pk], "reason": REASON},
        took_effect=_asked(lambda c: c.personal_item),
    ),
    Row("take-downs", "get", "/takedowns/", E(200, 200, 200, 200, 200, 200, 302)),
    Row(
        "approve a take-down",
        "post",
        "/takedowns/{requested}/decide/",
        E(302, 302, 403, 403, 403, 404, 302),
        data=lambda c: {"decision": "approve"},
        took_effect=lambda c: (
            TakeDown.objects.get(pk=c.requested.pk).state == TakeDownState.PENDING
        ),
    ),
    Row(
        "take down a published post",
        "post",
        "/posts/{post}/takedown/",
        E(302, 302, 403, 403, 404, 404, 302),
        data=lambda c: {"reason": REASON},
        took_effect=lambda c: TakeDown.objects.filter(publication__post_id=c.post_id).exists(),
    ),
    Row(
        "api archive items",
        "get",
        "/api/archive/{official}/items",
        E(200, 200, 200, 403, 403, 404, 401),
        api=True,
    ),
    Row(
        "api personal archive items",
        "get",
        "/api/archive/{personal}/items",
        E(404, 404, 404, 404, 200, 404, 401),
        api=True,
    ),
    Row(
        "api request take-downs",
        "post",
        "/api/archive/{official}/takedowns",
        E(201, 201, 201, 403, 403, 404, 401),
        data=lambda c: {"items": [c.official_item.pk], "reason": REASON},
        api=True,
        took_effect=_asked(lambda c: c.official_item),
    ),
    Row(
        "api take-down status",
        "get",
        "/api/takedowns/{requested}",
        E(200, 200, 200, 403, 403, 404, 401),
        api=True,
    ),
]
SUCCESS = {200, 201, 302}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.name)
def test_takedown_authorization_matrix(world: World, row: Row, role: str) -> None:
    ctx = _context(world)
    path = row.path.format(
        official=world.channel.pk,
        personal=ctx.personal.pk,
        requested=ctx.requested.pk,
        post=ctx.post_id,
    )
    client = world.client(role)
    data = row.data(ctx) if row.data else None
    call = getattr(client, row.method)
    if row.api and row.method != "get":
        response = call(path, data=data or {}, content_type="application/json")
    elif row.method == "get":
        response = call(path)
    else:
        response = call(path, data=data or {})
    assert response.status_code == row.expect[role], (
        f"{row.name} as {role}: {response.status_code} {response.content[:300]!r}"
    )
    if row.api and response.status_code >= 400:
        assert "detail" in response.json()
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith("/login/")
    if row.took_effect is not None:
        succeeded = response.status_code in SUCCESS and role != "anonymous"
        assert row.took_effect(ctx) == succeeded, f"{row.name} as {role}: effect mismatch"
