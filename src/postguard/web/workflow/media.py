"""Images attached to a post: uploaded in the composer or on the edit page, checked by
the engine like ``postguard check --media`` (faces, location in the EXIF data,
consent), kept under MEDIA_ROOT, shown only to those who may see the post, and
published with it where the network takes images.

An image is part of what the committee approves: adding or removing one is a new
revision (workflow.services.content_hash_of covers each image's digest, alt text,
consent reference and credit). The network's limits (how many images, how large,
alt text) are each connector's own validate(), applied at upload, at submission
and at approval.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import transaction

from postguard.connectors.base import Image
from postguard.content import Media
from postguard.web.errors import Conflict, Invalid, NotFound
from postguard.web.orgs import services as orgs
from postguard.web.workflow.models import Post, PostImage

AnyUser = User | AnonymousUser

#: What the composer accepts (Pillow's format name → MIME type and file extension).
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
#: More images than any network takes on one post.
MAX_IMAGES = 10
#: Pixels; larger images are refused before they are decoded (decompression bombs).
MAX_PIXELS = 40_000_000
MAX_ALT_CHARS = 2_000
MAX_REF_CHARS = 200


@dataclass(frozen=True, slots=True)
class Upload:
    """An image as it arrives from a form or the API, with what describes it."""

    data: bytes
    filename: str = ""
    alt: str = ""
    consent: str = ""
    credit: str = ""


def storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.MEDIA_ROOT)


def max_bytes() -> int:
    return int(getattr(settings, "POSTGUARD_MAX_IMAGE_BYTES", 10_000_000))


def _label(filename: str) -> str:
    name = "".join(ch for ch in filename if ch.isprintable())[:80].strip()
    return f"“{name}”" if name else "The image"


def inspect(data: bytes, filename: str = "") -> tuple[str, str, int, int]:
    """(MIME type, extension, width, height) of an image, or Invalid saying in one line
    why it cannot be used (empty, too large, not an image, corrupt, unsupported)."""
    from PIL import Image as Pillow
    from PIL import UnidentifiedImageError

    label = _label(filename)
    if not data:
        raise Invalid(f"{label} is empty; choose an image file.")
    limit = max_bytes()
    if len(data) > limit:
        raise Invalid(
            f"{label} is {len(data) / 1_000_000:.1f} MB; images are limited to "
            f"{limit / 1_000_000:.0f} MB."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Pillow.DecompressionBombWarning)
            with Pillow.open(io.BytesIO(data)) as image:
                kind = image.format or ""
                width, height = image.size
                if kind not in FORMATS:
                    raise Invalid(
                        f"{label} is a {kind or 'file of an unknown kind'}; choose a JPEG, "
                        "PNG, GIF or WebP image."
                    )
                if width * height > MAX_PIXELS:
                    raise Invalid(
                        f"{label} is {width} × {height} pixels; the limit is "
                        f"{MAX_PIXELS // 1_000_000} million pixels."
                    )
                image.load()
    except Invalid:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Pillow.DecompressionBombError,
        Pillow.DecompressionBombWarning,
    ) as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise Invalid(
            f"{label} is not a readable image ({reason}); choose a JPEG, PNG, GIF or WebP file."
        ) from None
    mime, ext = FORMATS[kind]
    return mime, ext, width, height


def _clean(value: Any, what: str, limit: int) -> str:
    if not isinstance(value, str):
        raise Invalid(f"The {what} must be text.")
    text: str = value.replace("\x00", "").strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(f"The {what} contains an invalid character.") from None
    if len(text) > limit:
        raise Invalid(f"The {what} is {len(text):,} characters; the limit is {limit:,}.")
    return text


def store(data: bytes, ext: str) -> tuple[str, str]:
    """Keep the bytes under MEDIA_ROOT, named by their digest: (sha256, name)."""
    digest = hashlib.sha256(data).hexdigest()
    name = f"posts/{digest[:2]}/{digest}.{ext}"
    files = storage()
    if not files.exists(name):
        saved = files.save(name, ContentFile(data))
        if saved != name:  # another writer got there first with the same bytes
            files.delete(saved)
    return digest, name


def read(image: PostImage) -> bytes:
    try:
        with storage().open(image.name, "rb") as handle:
            data: bytes = handle.read()
    except OSError:
        raise NotFound(f"The file of image {image.position + 1} is missing.") from None
    return data


def attach(post: Post, upload: Upload) -> PostImage:
    """Check and keep one uploaded image on a saved post (the caller holds its lock and
    makes the new revision). Invalid when it cannot be used, or when the channel's
    network would refuse it."""
    alt = _clean(upload.alt, "alt text", MAX_ALT_CHARS)
    consent = _clean(upload.consent, "consent reference", MAX_REF_CHARS)
    credit = _clean(upload.credit, "credit", MAX_REF_CHARS)
    filename = _clean(upload.filename or "", "file name", 1000)[:200]
    if not isinstance(upload.data, bytes):
        raise Invalid("The image must be a file.")
    count = post.images.count()
    if count >= MAX_IMAGES:
        raise Conflict(f"A post has at most {MAX_IMAGES} images.")
    mime, ext, width, height = inspect(upload.data, filename)
    from postguard.web.publishing.services import network_fit

    reply_to = post.in_reply_to if post.kind == "reply" else ""
    before = network_fit(post.channel, post.text, reply_to=reply_to, images=outgoing_images(post))
    added = Image(data=upload.data, alt=alt, mime=mime)
    after = network_fit(
        post.channel,
        post.text,
        reply_to=reply_to,
        images=(*outgoing_images(post), added),
    )
    if after is not None:
        new = [p for p in after.problems if before is None or p not in before.problems]
        if new:
            raise Invalid(f"{post.channel.name} would refuse this image: " + "; ".join(new) + ".")
    digest, name = store(upload.data, ext)
    return PostImage.objects.create(
        post=post,
        position=count,
        sha256=digest,
        name=name,
        filename=filename,
        mime=mime,
        size=len(upload.data),
        width=width,
        height=height,
        alt=alt,
        consent=consent,
        credit=credit,
    )


def images_of(post: Post) -> list[PostImage]:
    if post.pk is None:
        return []
    return list(post.images.all())


def fingerprint(post: Post) -> list[list[str]]:
    """The post's images as they go out: digest, alt text, consent reference, credit."""
    return [[i.sha256, i.alt, i.consent, i.credit] for i in images_of(post)]


def media_for_engine(post: Post) -> list[Media]:
    """The images as the engine checks them (like ``postguard check --media``)."""
    return [
        Media(data=read(i), alt=i.alt, consent=i.consent or None, credit=i.credit or None)
        for i in images_of(post)
    ]


def outgoing_images(post: Post) -> tuple[Image, ...]:
    """The images as the connectors publish them."""
    return tuple(Image(data=read(i), alt=i.alt, mime=i.mime) for i in images_of(post))


@transaction.atomic
def add_image(user: AnyUser, post: Post, upload: Upload) -> PostImage:
    """The author adds an image: checked, kept, and a new revision of the post."""
    from postguard.web.workflow import services as workflow

    post = workflow._locked(post)
    workflow._require_author(user, post, "add an image to it")
    if post.state not in workflow.EDITABLE:
        raise Conflict(f"A {post.get_state_display().lower()} post cannot be edited.")
    orgs.require_can_draft(user, post.channel)
    before = workflow.snapshot(post)
    image = attach(post, upload)
    workflow.new_revision(user, post, before, "post.image.add", {"image": image.pk})
    return image


@transaction.atomic
def remove_image(user: AnyUser, post: Post, image_id: int) -> Post:
    """The author removes an image: a new revision of the post (the file stays, as the
    record of what an earlier revision showed)."""
    from postguard.web.workflow import services as workflow

    post = workflow._locked(post)
    workflow._require_author(user, post, "remove an image from it")
    if post.state not in workflow.EDITABLE:
        raise Conflict(f"A {post.get_state_display().lower()} post cannot be edited.")
    image = post.images.filter(pk=image_id).first()
    if image is None:
        raise NotFound(f"Post #{post.pk} has no image {image_id}.")
    before = workflow.snapshot(post)
    image.delete()
    for position, rest in enumerate(post.images.all()):
        if rest.position != position:
            rest.position = position
            rest.save(update_fields=["position"])
    workflow.new_revision(user, post, before, "post.image.remove", {"image": image_id})
    return post


def get_image(user: AnyUser, post_id: int, image_id: int) -> tuple[PostImage, bytes]:
    """An image of a post this person may see (404 for anyone else)."""
    from postguard.web.workflow import services as workflow

    post = workflow.get_post(user, post_id)
    image = post.images.filter(pk=image_id).first()
    if image is None:
        raise NotFound(f"Post #{post.pk} has no image {image_id}.")
    return image, read(image)
