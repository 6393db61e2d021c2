"""The communities' pages and API as people use them: forms, refusals as pages, the
members' public pages, and the API's answer to the moderator who acted."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from postguard.web.communities import services as communities
from postguard.web.communities.models import QueueItem, Route

from .community_helper import CLIENT_DETAILS, Communities
from .conftest import World

pytestmark = pytest.mark.django_db

INLINE = re.compile(r"<script(?![^>]*\bsrc=)|\sstyle=|\son[a-z]+=", re.I)


def _pages(c: Communities) -> list[str]:
    c.post("$1", "dana", CLIENT_DETAILS)
    (item,) = communities.read_community(c.group)
    return [
        "/communities/",
        f"/communities/{c.group.pk}/",
        f"/communities/{c.group.pk}/policy/",
        f"/communities/{c.group.pk}/queue/",
        f"/communities/items/{item.pk}/",
        f"/communities/{c.group.pk}/members/{item.member_id}/",
        "/packs/",
    ]


def test_the_pages_carry_no_inline_script_or_style(comm: Communities) -> None:
    client = comm.world.client("admin")
    for path in _pages(comm):
        response = client.get(path)
        assert response.status_code == 200, path
        assert not INLINE.search(response.content.decode()), path
    for path in (f"/c/{comm.group.public_token}/", f"/c/{comm.group.public_token}/report/"):
        response = Client().get(path)
        assert response.status_code == 200 and not INLINE.search(response.content.decode())


def test_the_nav_shows_communities_to_their_staff_only(comm: Communities) -> None:
    assert b'href="/communities/"' in comm.world.client("author").get("/").content
    comm.world.people["member"].community_roles.all().delete()
    assert b'href="/communities/"' not in comm.world.client("member").get("/").content


def test_a_provision_the_engine_cannot_use_is_shown_as_a_400_page_with_the_line(
    comm: Communities,
) -> None:
    response = comm.world.client("reviewer").post(
        f"/communities/{comm.group.pk}/policy/",
        {
            "title": "Community Policy",
            "p0-number": "1",
            "p0-title": "No shops",
            "p0-text": "Do not link to shops in the group.",
            "p0-detect": "pattern",
            "p0-category": "information.unapproved",
            "p0-terms": "(unclosed",
        },
    )
    assert response.status_code == 400
    assert re.search(rb"community-\d+-v2\.yaml:\d+: rule CP\d+-1", response.content)


def test_the_report_form_answers_a_clients_complaint_with_the_iblce_route(
    comm: Communities,
) -> None:
    response = Client().post(
        f"/c/{comm.group.public_token}/report/",
        {"text": "The IBCLC at my appointment told me my baby was lazy. Where do I complain?"},
    )
    assert response.status_code == 200
    assert b"IBLCE" in response.content
    assert QueueItem.objects.get().route == Route.CLIENT_COMPLAINT


def test_the_report_form_refuses_a_flood_with_429_not_a_crash(comm: Communities) -> None:
    client = Client()
    path = f"/c/{comm.group.public_token}/report/"
    statuses = [client.post(path, {"text": "Spam again"}).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def test_a_wrong_public_link_is_a_404(world: World) -> None:
    assert Client().get("/c/not-a-real-community-token/").status_code == 404
    assert Client().get("/c/appeal/not-a-real-appeal-token/").status_code == 404


def test_a_member_appeals_through_the_link_in_the_notice(comm: Communities) -> None:
    comm.post("$1", "dana", CLIENT_DETAILS)
    (item,) = communities.read_community(comm.group)
    sanction = communities.act(
        comm.world["author"],
        comm.group,
        item=item,
        step="warn",
        provision_number=4,
        reason="Details",
    )
    link = re.search(r"/c/appeal/[\w-]+/", sanction.notice)
    assert link is not None
    response = Client().post(link.group(0), {"text": "She is my sister and agreed."})
    assert response.status_code == 200 and b"did not take the decision" in response.content
    page = comm.world.client("author").get(
        f"/communities/{comm.group.pk}/members/{item.member_id}/"
    )
    assert b"another moderator decides the appeal" in page.content


def test_the_api_refuses_the_moderator_who_acted_with_403(comm: Communities) -> None:
    comm.post("$1", "dana", CLIENT_DETAILS)
    (item,) = communities.read_community(comm.group)
    author = comm.world.client("author")
    made = author.post(
        f"/api/communities/items/{item.pk}/actions",
        {"step": "suspend", "provision": 4, "reason": "Client details", "remove_message": True},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    sanction = made.json()
    assert sanction["proposed"] == "suspend"  # provision 4 skips to a suspension
    assert {a["action"] for a in sanction["applied"]} == {"remove", "mute", "notice"}
    appealed = author.post(
        f"/api/communities/sanctions/{sanction['id']}/appeals",
        {"text": "Received by e-mail: she says it was consented."},
        content_type="application/json",
    )
    assert appealed.status_code == 201
    refused = author.post(
        f"/api/communities/appeals/{appealed.json()['id']}/decision",
        {"outcome": "overturned", "reasons": "Consent"},
        content_type="application/json",
    )
    assert refused.status_code == 403 and "different moderator" in refused.json()["detail"]
    decided = comm.world.client("author2").post(
        f"/api/communities/appeals/{appealed.json()['id']}/decision",
        {"outcome": "overturned", "reasons": "Consent shown"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["decided_by"] == "author2"


def test_the_api_policy_round_trips_and_refuses_an_unusable_provision(comm: Communities) -> None:
    client = comm.world.client("reviewer")
    path = f"/api/communities/{comm.group.pk}/policy"
    policy = client.get(path).json()
    assert policy["state"] == "published" and len(policy["provisions"]) == 8
    policy["provisions"][0]["terms"] = ["(bad"]
    policy["provisions"][0]["detect"] = "pattern"
    bad = client.put(
        path,
        {"title": "P", "provisions": policy["provisions"]},
        content_type="application/json",
    )
    assert bad.status_code == 422 and re.search(r"\.yaml:\d+: ", bad.json()["detail"])
