"""What the engine refuses to check, as a library: text that shows nothing,
text that cannot be stored or printed, and attachments it cannot decode
(MediaError, a ContentError the web can catch), whichever rules apply."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from postguard import Content, ContentError, Media, check
from postguard.content import MAX_MEDIA, MediaError, is_blank
from tests.images import face_jpeg, plain_jpeg
from tests.test_bad_input_cli import corrupt_jpeg, png_claiming

BLANK = [
    "",
    " \t\r\n",
    "\u200b\u200d\ufeff",
    "\u200b" * 10_000,
    "\u00a0\u2007\u202f\u3000",
    "\u2060\u2061\u2062\u2063\u2064",
    "\u200e\u200f\u202a\u202e\u2066\u2069",
    "\ufe0f\ufe0e\U000e0100",
    "\u3164\uffa0\u115f\u1160",
    "\u2800\u00ad\u034f",
    "\U000e0041\U000e007f",
]
VISIBLE = ["a", ".", "😀", "\u200bé\u200b", "👩\u200d👧", "٣", "\u0301a", "ℹ\ufe0f"]


@pytest.mark.parametrize("text", BLANK)
def test_it_treats_text_that_shows_nothing_as_blank(text: str) -> None:
    assert is_blank(text)


@pytest.mark.parametrize("text", VISIBLE)
def test_it_does_not_treat_visible_text_as_blank(text: str) -> None:
    assert not is_blank(text)


def test_it_refuses_a_post_of_zero_width_characters_as_empty() -> None:
    with pytest.raises(ContentError, match="the post is empty"):
        check("\u200b\u200d\ufeff")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a\x00b", "NUL character"),
        ("a \ud800 b", "lone surrogate"),
        ("a" * 200_001, "the limit is 200,000"),
    ],
    ids=["nul", "lone surrogate", "too long"],
)
def test_it_refuses_text_it_cannot_store_or_print(text: str, reason: str) -> None:
    with pytest.raises(ContentError, match=reason):
        Content(text).validate()


def test_it_refuses_more_attachments_than_any_network_takes() -> None:
    media = tuple(Media(data=b"x") for _ in range(MAX_MEDIA + 1))
    with pytest.raises(ContentError, match="attachments; the limit is 20"):
        Content("hello", media=media).validate()


@pytest.mark.parametrize(
    ("media", "reason"),
    [
        (Media(path=""), "empty path"),
        (Media(path="a\x00b"), "NUL"),
        (Media(data=b"x", alt="\udc80"), "lone surrogate"),
        (Media(data=b"x", consent="x" * 10_001), "the limit is 10,000"),
        (Media(data="text, not bytes"), "must be bytes"),  # type: ignore[arg-type]
    ],
    ids=["empty path", "nul in path", "surrogate alt", "long consent", "data not bytes"],
)
def test_it_refuses_an_attachment_with_unusable_fields(media: Media, reason: str) -> None:
    with pytest.raises(MediaError, match=reason):
        Content("hello", media=(media,)).validate()


def test_a_damaged_jpeg_raises_media_error_naming_the_attachment() -> None:
    with pytest.raises(MediaError, match=r"attachment 1 .* corrupt or truncated"):
        check("Look at this latch!", media=(Media(data=corrupt_jpeg()),))


def test_media_error_is_a_content_error() -> None:
    with pytest.raises(ContentError):
        check("Look at this latch!", media=(Media(data=b"\xff\xd8\xff not a jpeg"),))


@pytest.mark.parametrize(
    "context",
    [{"direction": "inbound"}, {"account": "official", "audience": "closed", "kind": "comment"}],
    ids=["inbound comment", "closed comment"],
)
def test_a_damaged_image_is_refused_whichever_rules_apply(context: dict[str, str]) -> None:
    with pytest.raises(MediaError, match="corrupt or truncated"):
        check("Thanks for the group today", media=(Media(data=corrupt_jpeg()),), **context)


def test_an_oversized_image_is_refused_on_an_inbound_comment() -> None:
    with pytest.raises(MediaError, match="too large to decode safely"):
        check("hi", media=(Media(data=png_claiming(30_000, 30_000)),), direction="inbound")


def test_a_good_image_on_an_inbound_comment_is_checked() -> None:
    report = check("Thank you so much!", media=(Media(data=plain_jpeg()),), direction="inbound")
    assert report.decision == "pass"


def _jpeg(**save: object) -> bytes:
    rng = np.random.default_rng(3)
    image = Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8))
    mode = save.pop("mode", None)
    if isinstance(mode, str):
        image = image.convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, **save)  # type: ignore[arg-type]
    return buffer.getvalue()


def _rotated_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6
    return _jpeg(format="JPEG", exif=exif)


GOOD_IMAGES = {
    "baseline JPEG": lambda: _jpeg(format="JPEG"),
    "progressive JPEG": lambda: _jpeg(format="JPEG", progressive=True),
    "greyscale JPEG": lambda: _jpeg(format="JPEG", mode="L"),
    "CMYK JPEG": lambda: _jpeg(format="JPEG", mode="CMYK"),
    "4:4:4 JPEG": lambda: _jpeg(format="JPEG", subsampling=0, quality=95),
    "phone MPO": lambda: _jpeg(
        format="MPO", save_all=True, append_images=[Image.new("RGB", (8, 8))]
    ),
    "rotated JPEG": _rotated_jpeg,
    "JPEG with trailing bytes": lambda: _jpeg(format="JPEG") + b"\x00" * 64,
    "face JPEG": face_jpeg,
    "PNG": lambda: _jpeg(format="PNG"),
    "WEBP": lambda: _jpeg(format="WEBP"),
    "GIF": lambda: _jpeg(format="GIF"),
}


@pytest.mark.parametrize("make", GOOD_IMAGES.values(), ids=GOOD_IMAGES.keys())
def test_the_strict_decode_accepts_every_sound_kind_of_image(make: object) -> None:
    assert callable(make)
    report = check(
        "Our new poster, shared with permission.",
        media=(Media(data=make(), consent="form 12"),),
    )
    assert report.decision in {"pass", "review", "block"}
