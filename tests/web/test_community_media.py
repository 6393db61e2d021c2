"""Images members post in a watched community are fetched through the connector (bounded in
size, held in memory) and checked with the message's text: faces, consent, location."""

from __future__ import annotations

import pytest

from postguard.web.communities import services as communities
from postguard.web.communities.models import Community, Message
from tests.images import face_jpeg, gps_jpeg, plain_jpeg

from .community_helper import CLIENT_DETAILS, ORDINARY, Communities

pytestmark = pytest.mark.django_db


def _categories(item_findings: list[dict[str, object]]) -> set[object]:
    return {f["category"] for f in item_findings}


def test_a_photo_of_a_person_without_consent_is_flagged(comm: Communities) -> None:
    comm.post("$1", "dana", "Look at this latch!", {"mxc://h/face": face_jpeg()})
    comm.post("$2", "erin", "Our stand at the fair", {"mxc://h/plain": plain_jpeg()})
    (item,) = communities.read_community(comm.group)
    assert item.remote_id == "$1"
    assert {"imagery.face", "imagery.no_consent"} <= _categories(item.findings)


def test_a_photo_with_location_metadata_is_flagged(comm: Communities) -> None:
    comm.post("$1", "dana", "Home visit today", {"mxc://h/gps": gps_jpeg()})
    (item,) = communities.read_community(comm.group)
    assert "imagery.location_metadata" in _categories(item.findings)


def test_an_attachment_that_is_not_an_image_does_not_hide_what_the_text_says(
    comm: Communities,
) -> None:
    comm.post("$1", "dana", CLIENT_DETAILS, {"mxc://h/pdf": b"%PDF-1.7 not an image"})
    (item,) = communities.read_community(comm.group)
    assert any(c.startswith("privacy.") for c in _categories(item.findings))


def test_an_image_over_the_size_bound_is_not_downloaded_whole_and_the_text_is_still_checked(
    comm: Communities, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(communities, "MAX_IMAGE_BYTES", 1000)
    comm.post("$1", "dana", ORDINARY, {"mxc://h/face": face_jpeg()})
    comm.post("$2", "erin", CLIENT_DETAILS, {"mxc://h/face2": face_jpeg()})
    (item,) = communities.read_community(comm.group)
    assert item.remote_id == "$2"
    assert not any(c.startswith("imagery.") for c in _categories(item.findings))
    assert Message.objects.filter(remote_id="$1", decision="pass").exists()


def test_an_image_already_checked_is_not_fetched_again(comm: Communities) -> None:
    comm.post("$1", "dana", "Look at this latch!", {"mxc://h/face": face_jpeg()})
    communities.read_community(comm.group)
    Community.objects.filter(pk=comm.group.pk).update(cursor="")  # the platform re-sends it
    comm.group.refresh_from_db()
    assert communities.read_community(comm.group) == []
    assert comm.room.fetched == ["mxc://h/face"]
