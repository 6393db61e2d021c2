"""Images in the web composer and on the edit page: uploaded with alt text, consent
reference and credit; refused in one line when unusable (nothing else lost); checked
by the engine like ``postguard check --media``; held to each network's limits; kept
under MEDIA_ROOT and shown only to those who may see the post; part of what is
approved; and published with the post."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from postguard.connectors.outbox import post_from_json
from postguard.web.audit.models import AuditEntry
from postguard.web.errors import Conflict, Invalid, NotAllowed, NotFound
from postguard.web.publishing import services as publishing
from postguard.web.workflow import media
from postguard.web.workflow import services as workflow
from postguard.web.workflow.models import OutboxItem, Post, PostImage, State

from ..images import face_jpeg, gps_jpeg, plain_jpeg
from .conftest import COMPLIANT, World


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _file(data: bytes, name: str = "photo.jpg", mime: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=mime)


def _compose(world: World, data: bytes, **extra: Any) -> Any:
    fields = {
        "channel": world.channel.pk,
        "kind": "post",
        "text": COMPLIANT,
        "image": _file(data, extra.pop("name", "photo.jpg")),
        "image_alt": "Volunteers at the library stand",
        **extra,
    }
    return world.client("author").post("/posts/new/", fields)


def _rules(post: Post, media_index: int = 0) -> set[str]:
    return {f["category"] for f in post.findings if f.get("media") == media_index}


def test_the_composer_keeps_an_image_checks_its_location_data_and_shows_it(
    world: World, _media_root: Path
) -> None:
    response = _compose(world, gps_jpeg(), image_consent="", image_credit="Jo Bloggs")
    assert response.status_code == 302, response.content[:400]
    post = Post.objects.get()
    (image,) = post.images.all()
    assert (image.alt, image.credit, image.mime) == (
        "Volunteers at the library stand",
        "Jo Bloggs",
        "image/jpeg",
    )
    assert (_media_root / image.name).read_bytes() == gps_jpeg()
    assert "imagery.location_metadata" in _rules(post)
    page = world.client("author").get(f"/posts/{post.pk}/").content.decode()
    assert f'src="/posts/{post.pk}/images/{image.pk}/"' in page
    assert 'alt="Volunteers at the library stand"' in page and "Image 1" in page


def test_a_face_without_consent_is_flagged_and_a_consent_reference_is_kept(world: World) -> None:
    _compose(world, face_jpeg())
    without = Post.objects.get()
    assert {"imagery.face", "imagery.no_consent"} & _rules(without)
    _compose(world, face_jpeg(), image_consent="Consent form 2026-114")
    with_consent = Post.objects.exclude(pk=without.pk).get()
    assert with_consent.images.get().consent == "Consent form 2026-114"
    assert "imagery.no_consent" not in _rules(with_consent)
    # The engine saw the same as the CLI's check --media would.
    from postguard.content import Media
    from postguard.engine import default_engine, make_content

    cli = default_engine().check(
        make_content(
            COMPLIANT,
            account="official",
            media=[Media(data=face_jpeg(), alt="Volunteers at the library stand")],
        )
    )
    assert {f.category for f in cli.findings if f.media == 0} == _rules(without)


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        (plain_jpeg()[:200], "broken.jpg", "not a readable image"),
        (b"just some text, not a picture", "notes.jpg", "not a readable image"),
        (b"", "empty.png", "is empty"),
    ],
)
def test_an_unusable_image_is_refused_in_one_line_and_the_draft_kept(
    world: World, data: bytes, name: str, says: str
) -> None:
    response = _compose(world, data, name=name, text="My draft that must not be lost.")
    assert response.status_code == 200
    page = response.content.decode()
    assert says in page and "My draft that must not be lost." in page
    assert "Traceback" not in page
    assert not Post.objects.exists() and not PostImage.objects.exists()


def test_an_image_over_the_size_limit_is_refused(world: World, settings: Any) -> None:
    settings.POSTGUARD_MAX_IMAGE_BYTES = 1000
    response = _compose(world, plain_jpeg(640, 480))
    assert response.status_code == 200
    assert "images are limited to" in response.content.decode()
    assert not Post.objects.exists()


def test_an_image_needs_its_alt_text(world: World) -> None:
    response = _compose(world, plain_jpeg(), image_alt="")
    assert response.status_code == 200
    assert "Describe the image for people who cannot see it." in response.content.decode()
    assert not Post.objects.exists()


def test_the_networks_limit_on_images_is_applied_at_upload(world: World) -> None:
    post = world.draft()
    for i in range(4):
        media.add_image(world["author"], post, media.Upload(plain_jpeg(100 + i), alt=f"Image {i}"))
    with pytest.raises(Invalid, match="Bluesky would refuse this image: Bluesky allows 4 images"):
        media.add_image(world["author"], post, media.Upload(plain_jpeg(99), alt="One too many"))
    assert post.images.count() == 4


def test_the_edit_page_adds_and_removes_images_each_a_new_revision(world: World) -> None:
    post = world.submitted()
    post = workflow.review(world["reviewer"], post, "approve")
    assert post.state in (State.READY, State.SCHEDULED)
    seen = workflow.content_hash_of(post)
    client = world.client("author")
    response = client.post(
        f"/posts/{post.pk}/images/",
        {"image": _file(plain_jpeg()), "image_alt": "A gradient", "image_consent": ""},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    # An image is part of what is approved: a new revision, back to the committee.
    assert (post.revision, post.state) == (2, State.SUBMITTED)
    assert workflow.content_hash_of(post) != seen
    assert not OutboxItem.objects.filter(post=post).exists()
    image = post.images.get()
    page = client.get(f"/posts/{post.pk}/edit/").content.decode()
    assert "Remove image 1" in page and 'enctype="multipart/form-data"' in page
    assert client.post(f"/posts/{post.pk}/images/{image.pk}/remove/").status_code == 302
    post.refresh_from_db()
    assert post.revision == 3 and not post.images.exists()
    actions = list(
        AuditEntry.objects.filter(object_id=str(post.pk), action__startswith="post.image")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["post.image.add", "post.image.remove"]


def test_a_review_of_the_post_before_its_image_changed_is_refused(world: World) -> None:
    post = world.submitted()
    seen = {"revision": post.revision, "content_hash": workflow.content_hash_of(post)}
    media.add_image(world["author"], post, media.Upload(plain_jpeg(), alt="Added later"))
    post.refresh_from_db()
    with pytest.raises(workflow.Stale):
        workflow.review(world["reviewer"], post, "approve", **seen)


def test_only_the_author_adds_or_removes_images(world: World) -> None:
    post = world.draft()
    image = media.add_image(world["author"], post, media.Upload(plain_jpeg(), alt="Mine"))
    for role in ("chair", "reviewer", "author2"):
        with pytest.raises(NotAllowed):
            media.add_image(world[role], post, media.Upload(plain_jpeg(), alt="Not mine"))
        with pytest.raises(NotAllowed):
            media.remove_image(world[role], post, image.pk)
    Post.objects.filter(pk=post.pk).update(state=State.PUBLISHED)
    with pytest.raises(Conflict):
        media.add_image(world["author"], post, media.Upload(plain_jpeg(), alt="Too late"))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("author", 200),
        ("chair", 200),
        ("reviewer", 200),
        ("member", 404),
        ("outsider", 404),
        ("anonymous", 302),
    ],
)
def test_an_image_is_shown_only_to_those_who_may_see_the_post(
    world: World, role: str, status: int
) -> None:
    post = world.submitted()
    image = media.add_image(world["author"], post, media.Upload(plain_jpeg(), alt="A gradient"))
    response = world.client(role).get(f"/posts/{post.pk}/images/{image.pk}/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response.content == plain_jpeg()
    with pytest.raises(NotFound):
        media.get_image(world["outsider"], post.pk, image.pk)


def test_the_approved_images_go_out_with_the_post(world: World) -> None:
    post = world.draft()
    media.add_image(world["author"], post, media.Upload(gps_jpeg(), alt="Library stand"))
    post = workflow.submit(world["author"], Post.objects.get(pk=post.pk))
    post = workflow.review(world["reviewer"], post, "approve")
    assert publishing.enqueue_due() == 1
    pub = post.publications.get()
    outgoing = post_from_json(pub.payload)
    assert [(i.alt, i.mime, i.data) for i in outgoing.images] == [
        ("Library stand", "image/jpeg", gps_jpeg())
    ]
