"""Image detectors: the shared loader's limits, faces, location metadata, consent.

Every image is generated here at run time (no binary fixtures): the astronaut
is scikit-image's bundled public-domain NASA portrait.
"""

from __future__ import annotations

import io
import re
import struct
import warnings
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import ExifTags, Image
from skimage import data

from postguard.content import Content, ContentError, Media
from postguard.detectors import imagery
from postguard.detectors.base import DetectorConfigError, Document, Hit
from postguard.detectors.imagery import (
    ConsentDetector,
    FaceDetector,
    LocationMetadataDetector,
    consent_wording,
    load_image,
    patient_cue,
)
from postguard.detectors.registry import detector_class

# --------------------------------------------------------------------------
# Generated images


def jpeg_bytes(image: Image.Image, **save: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, **save)
    return buffer.getvalue()


def astronaut() -> Image.Image:
    return Image.fromarray(data.astronaut())


def gradient(width: int = 640, height: int = 427) -> Image.Image:
    """A sky-to-ground landscape with no one in it."""
    y = np.linspace(0, 1, height)[:, None]
    x = np.linspace(0, 1, width)[None, :]
    red = 80 + 120 * y + 0 * x
    green = 140 + 60 * y * (1 - x / 3)
    blue = 230 - 170 * y + 0 * x
    pixels = np.dstack([red, green, blue]).clip(0, 255).astype(np.uint8)
    return Image.fromarray(pixels)


def gps_exif(lat_ref: str, lat: tuple[float, ...], lon_ref: str, lon: tuple[float, ...]) -> Any:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: lat_ref,
        ExifTags.GPS.GPSLatitude: lat,
        ExifTags.GPS.GPSLongitudeRef: lon_ref,
        ExifTags.GPS.GPSLongitude: lon,
    }
    return exif


def png_header_only(width: int, height: int) -> bytes:
    """A valid PNG header declaring ``width`` × ``height`` with almost no data:
    the shape of a decompression bomb, without having to build one."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        crc = zlib.crc32(kind + payload)
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("images")
    face = jpeg_bytes(astronaut())
    blobs = {
        "astronaut.jpg": face,
        "landscape.jpg": jpeg_bytes(gradient()),
        "london.jpg": jpeg_bytes(
            gradient(), exif=gps_exif("N", (51.0, 30.0, 26.46), "W", (0.0, 7.0, 39.9))
        ),
        "truncated.jpg": face[: len(face) // 2],
        "random.jpg": np.random.default_rng(0).bytes(5000),
        "empty.jpg": b"",
        "too-many-pixels.png": png_header_only(9000, 9000),
        "bomb-warning.png": png_header_only(10_000, 10_000),
        "bomb.png": png_header_only(30_000, 30_000),
    }
    paths = {}
    for name, blob in blobs.items():
        path = folder / name
        path.write_bytes(blob)
        paths[name] = path
    return paths


def image(images: dict[str, Path], name: str, **fields: Any) -> Media:
    return Media(path=str(images[name]), **fields)


def doc(text: str, *media: Media) -> Document:
    return Document(Content(text, tuple(media)))


def one_line_error(excinfo: pytest.ExceptionInfo[ContentError]) -> str:
    message = str(excinfo.value)
    assert "\n" not in message
    assert "Traceback" not in message
    return message


# --------------------------------------------------------------------------
# The registry's view


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("imagery.face", FaceDetector),
        ("imagery.location_metadata", LocationMetadataDetector),
        ("imagery.no_consent", ConsentDetector),
    ],
)
def test_each_detector_is_registered_under_its_own_category(name: str, cls: type) -> None:
    assert detector_class(name) is cls
    assert cls.name == name
    assert cls.categories == frozenset({name})
    assert cls.summary


@pytest.mark.parametrize(
    ("cls", "params"),
    [
        (FaceDetector, {"colour": "red"}),
        (FaceDetector, {"min_neighbors": 0}),
        (FaceDetector, {"min_neighbors": 2.5}),
        (FaceDetector, {"min_size": 0}),
        (FaceDetector, {"min_size": 1.5}),
        (FaceDetector, {"min_size": True}),
        (FaceDetector, {"min_size": "big"}),
        (FaceDetector, {"max_bytes": -1}),
        (LocationMetadataDetector, {"min_size": 30}),
        (LocationMetadataDetector, {"max_pixels": 0}),
        (ConsentDetector, {"max_bytes": "20MB"}),
    ],
)
def test_it_refuses_parameters_it_cannot_use(cls: type, params: dict[str, Any]) -> None:
    with pytest.raises(DetectorConfigError, match=cls.name):
        cls(**params)


@pytest.mark.parametrize(
    ("cls", "params"),
    [
        (FaceDetector, {"min_neighbors": 3, "min_size": 40}),
        (FaceDetector, {"min_size": 0.1, "max_bytes": 1000, "max_pixels": 10_000}),
        (LocationMetadataDetector, {"max_bytes": 1000}),
        (ConsentDetector, {"min_neighbors": 8, "min_size": 0.2}),
    ],
)
def test_it_accepts_the_parameters_a_rule_may_give(cls: type, params: dict[str, Any]) -> None:
    cls(**params)


# --------------------------------------------------------------------------
# Loading


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("truncated.jpg", "truncated"),
        ("random.jpg", "not a readable image"),
        ("empty.jpg", "empty"),
        ("too-many-pixels.png", "9000×9000 (81.0 megapixels); the limit is 50 megapixels"),
        ("bomb-warning.png", "too large to decode safely"),
        ("bomb.png", "too large to decode safely"),
    ],
)
def test_an_unreadable_or_huge_image_is_refused_in_one_line_naming_it(
    images: dict[str, Path], name: str, reason: str
) -> None:
    media = image(images, name)
    with pytest.raises(ContentError) as excinfo:
        load_image(doc("", media), 0)
    message = one_line_error(excinfo)
    assert media.label in message
    assert reason in message


def test_a_truncated_png_is_refused_even_after_a_library_let_pillow_accept_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # WeasyPrint (the report's PDF) and Synapse set this process-wide flag on import.
    from PIL import ImageFile

    buffer = io.BytesIO()
    Image.new("RGB", (200, 150), (120, 90, 60)).save(buffer, format="PNG")
    cut = tmp_path / "cut.png"
    cut.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    with pytest.raises(ContentError, match="corrupt or truncated"):
        load_image(doc("", Media(path=str(cut))), 0)


def test_a_decompression_bomb_is_refused_without_printing_a_warning(
    images: dict[str, Path],
) -> None:
    # Outside pytest's "error" filter Pillow's bomb warning would only be
    # printed; the loader must still refuse the image, silently.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ContentError, match="too large to decode safely"):
            load_image(doc("", image(images, "bomb-warning.png")), 0)
    assert caught == []


@pytest.mark.parametrize("source", ["path", "data"])
def test_an_image_over_the_byte_limit_is_refused(images: dict[str, Path], source: str) -> None:
    path = images["astronaut.jpg"]
    media = Media(path=str(path)) if source == "path" else Media(data=path.read_bytes())
    with pytest.raises(ContentError) as excinfo:
        load_image(doc("", media), 0, max_bytes=1000)
    message = one_line_error(excinfo)
    assert "attachment 1" in message
    assert "1000" in message


def test_an_image_over_a_lower_pixel_limit_is_refused(images: dict[str, Path]) -> None:
    with pytest.raises(ContentError, match="512×512"):
        load_image(doc("", image(images, "astronaut.jpg")), 0, max_pixels=100_000)


def test_a_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere.jpg")
    with pytest.raises(ContentError) as excinfo:
        load_image(doc("", Media(path=missing)), 0)
    assert missing in one_line_error(excinfo)


def test_a_second_attachment_is_named_as_the_second(images: dict[str, Path]) -> None:
    post = doc("", image(images, "landscape.jpg"), image(images, "random.jpg"))
    with pytest.raises(ContentError, match=r"^attachment 2 \("):
        FaceDetector().detect(post)


def test_each_attachment_is_decoded_once_for_all_three_detectors(
    images: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = imagery._decode_blob

    def counting(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(imagery, "_decode_blob", counting)
    post = doc("", image(images, "astronaut.jpg"))
    for detector in (FaceDetector(), LocationMetadataDetector(), ConsentDetector()):
        detector.detect(post)
    assert len(calls) == 1
    assert load_image(post, 0) is load_image(post, 0)


def test_a_refused_image_is_refused_by_every_detector_alike(images: dict[str, Path]) -> None:
    post = doc("Shared with permission", image(images, "truncated.jpg", consent="form 12"))
    messages = set()
    for detector in (FaceDetector(), LocationMetadataDetector(), ConsentDetector()):
        with pytest.raises(ContentError) as excinfo:
            detector.detect(post)
        messages.add(str(excinfo.value))
    assert len(messages) == 1


def test_an_image_given_as_bytes_is_checked_like_a_file(images: dict[str, Path]) -> None:
    media = Media(data=images["astronaut.jpg"].read_bytes())
    loaded = load_image(doc("", media), 0)
    assert (loaded.format, loaded.width, loaded.height) == ("JPEG", 512, 512)


def test_a_large_photo_is_kept_in_memory_at_working_size(tmp_path: Path) -> None:
    path = tmp_path / "big.jpg"
    path.write_bytes(jpeg_bytes(gradient(4000, 3000)))
    loaded = load_image(doc("", Media(path=str(path))), 0)
    assert (loaded.width, loaded.height) == (4000, 3000)
    assert max(loaded.image.size) <= imagery.WORKING_MAX_SIDE


# --------------------------------------------------------------------------
# Faces


def test_it_finds_the_astronauts_face(images: dict[str, Path]) -> None:
    hits = FaceDetector().detect(doc("", image(images, "astronaut.jpg")))
    assert len(hits) == 1
    hit = hits[0]
    assert (hit.category, hit.media, hit.evidence) == ("imagery.face", 0, "1 face")
    assert hit.start is None and hit.end is None
    assert 0.5 < hit.score <= 1
    assert hit.note.startswith("1 box")
    x, y, w, h = (int(n) for n in re.findall(r"\d+", hit.note.split(":")[1]))
    # The face is in the upper middle of the portrait.
    assert 150 < x + w / 2 < 300 and 60 < y + h / 2 < 180


def test_it_finds_no_face_in_a_landscape(images: dict[str, Path]) -> None:
    assert FaceDetector().detect(doc("", image(images, "landscape.jpg"))) == []


def test_it_reports_the_attachment_that_has_the_face(images: dict[str, Path]) -> None:
    post = doc("", image(images, "landscape.jpg"), image(images, "astronaut.jpg"))
    assert [hit.media for hit in FaceDetector().detect(post)] == [1]


def test_it_finds_a_face_in_a_mirrored_photo(tmp_path: Path) -> None:
    path = tmp_path / "mirrored.jpg"
    path.write_bytes(jpeg_bytes(astronaut().transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    assert [hit.evidence for hit in FaceDetector().detect(doc("", Media(path=str(path))))] == [
        "1 face"
    ]


def test_it_finds_a_face_in_a_phone_photo_stored_sideways(tmp_path: Path) -> None:
    # Phones store pixels as the sensor saw them and record the rotation in EXIF.
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    sideways = astronaut().resize((400, 300)).transpose(Image.Transpose.ROTATE_90)
    path = tmp_path / "sideways.jpg"
    path.write_bytes(jpeg_bytes(sideways, exif=exif))
    post = doc("", Media(path=str(path)))
    loaded = load_image(post, 0)
    assert (loaded.width, loaded.height) == (400, 300)
    assert [hit.evidence for hit in FaceDetector().detect(post)] == ["1 face"]


def test_it_finds_a_face_in_a_large_photo(tmp_path: Path) -> None:
    path = tmp_path / "large.jpg"
    path.write_bytes(jpeg_bytes(astronaut().resize((4000, 3000))))
    hits = FaceDetector().detect(doc("", Media(path=str(path))))
    assert [hit.evidence for hit in hits] == ["1 face"]


@pytest.mark.parametrize(
    ("min_size", "finds"),
    [
        (0.1, True),
        (64, True),
        (0.5, False),
        (300, False),
    ],
)
def test_min_size_leaves_out_faces_smaller_than_it(
    images: dict[str, Path], min_size: float, finds: bool
) -> None:
    hits = FaceDetector(min_size=min_size).detect(doc("", image(images, "astronaut.jpg")))
    assert bool(hits) is finds


def test_it_skips_media_that_is_not_an_image() -> None:
    post = doc("", Media(data=b"\x00\x00\x00\x18ftypmp42", kind="video"))
    assert FaceDetector().detect(post) == []
    assert LocationMetadataDetector().detect(post) == []


def test_face_detection_gives_the_same_answer_every_time(images: dict[str, Path]) -> None:
    runs = [FaceDetector().detect(doc("", image(images, "astronaut.jpg"))) for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]


# --------------------------------------------------------------------------
# Location metadata


def gps_coordinates(hit: Hit) -> tuple[float, float]:
    lat, lon = re.fullmatch(r"GPS (-?[\d.]+), (-?[\d.]+)", hit.evidence).groups()  # type: ignore[union-attr]
    return float(lat), float(lon)


@pytest.mark.parametrize(
    ("lat_ref", "lat", "lon_ref", "lon", "expected"),
    [
        ("N", (51.0, 30.0, 26.46), "W", (0.0, 7.0, 39.9), (51.507, -0.128)),
        ("S", (33.0, 51.0, 54.5), "E", (151.0, 12.0, 36.0), (-33.865, 151.210)),
        ("N", (40.6892, 0.0, 0.0), "W", (74.0445, 0.0, 0.0), (40.689, -74.045)),
    ],
)
def test_it_finds_gps_coordinates_and_gives_them_rounded(
    tmp_path: Path,
    lat_ref: str,
    lat: tuple[float, ...],
    lon_ref: str,
    lon: tuple[float, ...],
    expected: tuple[float, float],
) -> None:
    path = tmp_path / "gps.jpg"
    path.write_bytes(jpeg_bytes(gradient(), exif=gps_exif(lat_ref, lat, lon_ref, lon)))
    hits = LocationMetadataDetector().detect(doc("", Media(path=str(path))))
    assert len(hits) == 1
    assert (hits[0].category, hits[0].media) == ("imagery.location_metadata", 0)
    assert gps_coordinates(hits[0]) == pytest.approx(expected, abs=0.0015)


def test_it_finds_gps_in_the_shared_london_photo(images: dict[str, Path]) -> None:
    hits = LocationMetadataDetector().detect(doc("", image(images, "london.jpg")))
    assert gps_coordinates(hits[0]) == pytest.approx((51.507, -0.128), abs=0.0015)


def exif_with(**gps: Any) -> Any:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "TestCam"
    if gps:
        exif[ExifTags.IFD.GPSInfo] = {getattr(ExifTags.GPS, k): v for k, v in gps.items()}
    return exif


@pytest.mark.parametrize(
    ("exif", "evidence"),
    [
        (None, None),
        (exif_with(), None),
        (exif_with(GPSAltitude=12.5), None),
        (
            exif_with(
                GPSLatitudeRef="N",
                GPSLatitude=(0.0, 0.0, 0.0),
                GPSLongitudeRef="E",
                GPSLongitude=(0.0, 0.0, 0.0),
            ),
            None,
        ),
        (
            exif_with(
                GPSLatitudeRef="N",
                GPSLatitude=(123.0, 0.0, 0.0),
                GPSLongitudeRef="E",
                GPSLongitude=(10.0, 0.0, 0.0),
            ),
            "GPS metadata (coordinates unreadable)",
        ),
    ],
    ids=["no exif", "camera exif only", "altitude only", "no gps fix", "impossible latitude"],
)
def test_only_exif_that_reveals_a_place_is_flagged(
    tmp_path: Path, exif: Any, evidence: str | None
) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(jpeg_bytes(gradient(), **({"exif": exif} if exif is not None else {})))
    hits = LocationMetadataDetector().detect(doc("", Media(path=str(path))))
    assert [hit.evidence for hit in hits] == ([evidence] if evidence else [])


@pytest.mark.parametrize(
    ("xmp", "evidence"),
    [
        (b'<rdf:Description photoshop:City="Springfield"/>', "XMP photoshop:City=Springfield"),
        (b"<Iptc4xmpCore:Location>Ward 7</Iptc4xmpCore:Location>", "XMP Iptc4xmpCore:Location="),
        (b'<rdf:Description photoshop:Headline="Latch tips"/>', None),
        (b'<rdf:Description photoshop:City=""/>', None),
    ],
)
def test_it_flags_a_place_named_in_xmp(tmp_path: Path, xmp: bytes, evidence: str | None) -> None:
    path = tmp_path / "xmp.jpg"
    path.write_bytes(jpeg_bytes(gradient(), xmp=b"<x:xmpmeta>" + xmp + b"</x:xmpmeta>"))
    hits = LocationMetadataDetector().detect(doc("", Media(path=str(path))))
    if evidence is None:
        assert hits == []
    else:
        assert len(hits) == 1 and hits[0].evidence.startswith(evidence)


# --------------------------------------------------------------------------
# Consent


@pytest.mark.parametrize(
    ("text", "picture", "fields", "flagged"),
    [
        # a face needs consent from somewhere
        ("Look at this gorgeous latch!", "astronaut.jpg", {}, True),
        ("Look at this gorgeous latch! Shared with permission.", "astronaut.jpg", {}, False),
        ("Look at this gorgeous latch!", "astronaut.jpg", {"consent": "consent 2024-113"}, False),
        ("Look at this gorgeous latch!", "astronaut.jpg", {"consent": "  "}, True),
        ("Shared without permission, sorry!", "astronaut.jpg", {}, True),
        ("We did not get consent for this one.", "astronaut.jpg", {}, True),
        # so does an image the text presents as a patient's, face or not
        ("My client's latch after two weeks", "landscape.jpg", {}, True),
        ("My client's latch after two weeks, used with permission", "landscape.jpg", {}, False),
        ("This mum I saw today is doing brilliantly", "landscape.jpg", {}, True),
        ("This mum I saw today. Consent on file.", "landscape.jpg", {}, False),
        ("Patient photo: note the shallow latch", "landscape.jpg", {}, True),
        ("Baby at the clinic this morning", "landscape.jpg", {}, True),
        (
            "Photo shared with the family's permission: baby at the clinic",
            "landscape.jpg",
            {},
            False,
        ),
        ("Posted with consent. Baby at the clinic", "landscape.jpg", {}, False),
        ("Baby at the clinic", "landscape.jpg", {"consent": "signed form 88"}, False),
        # a stock image with no face and no patient cue needs nothing
        ("Five tips for a deep latch", "landscape.jpg", {"credit": "Photo: Unsplash"}, False),
        ("World Breastfeeding Week starts Monday!", "landscape.jpg", {}, False),
    ],
)
def test_an_image_of_a_person_or_patient_needs_a_consent_reference(
    images: dict[str, Path], text: str, picture: str, fields: dict[str, Any], flagged: bool
) -> None:
    hits = ConsentDetector().detect(doc(text, image(images, picture, **fields)))
    assert [(hit.category, hit.media) for hit in hits] == (
        [("imagery.no_consent", 0)] if flagged else []
    )


def test_the_evidence_says_why_the_image_needs_consent(images: dict[str, Path]) -> None:
    post = doc("My client's latch!", image(images, "astronaut.jpg"), image(images, "landscape.jpg"))
    face_and_cue, cue_only = ConsentDetector().detect(post)
    assert face_and_cue.evidence == (
        '1 face and presented as a patient image ("My client\'s"); no consent reference'
    )
    assert cue_only.evidence.startswith('presented as a patient image ("My client\'s")')
    assert face_and_cue.score > cue_only.score


def test_consent_on_one_image_does_not_cover_another(images: dict[str, Path]) -> None:
    post = doc(
        "Two lovely feeds",
        image(images, "astronaut.jpg", consent="form 12"),
        image(images, "astronaut.jpg"),
    )
    assert [hit.media for hit in ConsentDetector().detect(post)] == [1]


def test_consent_in_an_images_alt_text_covers_that_image_only(images: dict[str, Path]) -> None:
    post = doc(
        "Two lovely feeds",
        image(images, "astronaut.jpg", alt="A mother feeding, shared with permission"),
        image(images, "astronaut.jpg", alt="A mother feeding"),
    )
    assert [hit.media for hit in ConsentDetector().detect(post)] == [1]


def test_a_credited_face_is_flagged_with_less_confidence(images: dict[str, Path]) -> None:
    credited, uncredited = (
        ConsentDetector().detect(doc("Happy Monday", image(images, "astronaut.jpg", **f)))[0]
        for f in ({"credit": "NASA"}, {})
    )
    assert credited.score < uncredited.score


@pytest.mark.parametrize(
    ("text", "flagged"),
    [("A video from today's home visit", True), ("Our new video on hand expression", False)],
)
def test_a_video_is_judged_by_its_wording_alone(text: str, flagged: bool) -> None:
    post = doc(text, Media(data=b"\x00\x00\x00\x18ftypmp42", kind="video"))
    assert bool(ConsentDetector().detect(post)) is flagged


def test_a_post_without_media_needs_no_consent() -> None:
    assert ConsentDetector().detect(doc("My client's latch is perfect now")) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Shared with permission", "with permission"),
        ("Photo shared with the family's permission", "with the family's permission"),
        ("with consent", "with consent"),
        ("Consent on file.", "Consent on file"),
        ("Used with permission", "with permission"),
        ("Mum gave permission to share", "gave permission"),
        ("We obtained written consent", "obtained written consent"),
        ("The parents consented to sharing this", "consented to sharing"),
        ("#sharedwithpermission", "#sharedwithpermission"),
        ("Shared without permission", None),
        ("Shared with no permission", None),
        ("Not shared with permission", None),
        ("We didn't get consent", None),
        ("No consent on file", None),
        ("What is informed consent?", None),
        ("Ask permission before you touch", None),
    ],
)
def test_consent_wording_is_recognised_unless_negated(text: str, found: str | None) -> None:
    assert consent_wording(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("My client's latch", "My client's"),
        ("One of our patients", "our patients"),
        ("this mum I saw today", "mum I saw"),
        ("The baby we visited yesterday", "baby we visited"),
        ("patient photo", "patient photo"),
        ("baby at the clinic", "baby at the clinic"),
        ("Mum from today's home visit", "Mum from today's home visit"),
        ("Seen in clinic this morning", "Seen in clinic this morning"),
        ("Five tips for a deep latch", None),
        ("Our clinic is open on Saturdays", None),
        ("A client asked me about pumping", None),
        ("Every baby is different", None),
        ("Book an appointment with us", None),
    ],
)
def test_wording_presenting_an_image_as_a_patients_is_recognised(
    text: str, found: str | None
) -> None:
    assert patient_cue(text) == found
