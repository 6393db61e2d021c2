"""Detectors for attached images: faces, location metadata, missing consent.

The IBLCE advisory opinion names "posting pictures of patients and people
receiving care without their consent"; the association's policy forbids
patient images outright. These detectors find the evidence a rule needs:
faces (OpenCV Haar cascades), GPS and other location metadata (EXIF/XMP via
Pillow), and images shown or described as patients' with no consent on record.

All three share :func:`load_image`, which decodes each attachment of a
:class:`Document` once and refuses anything that cannot be checked (too many
bytes, too many pixels, not an image, corrupt or truncated) with a one-line
:class:`MediaError` (a :class:`ContentError`): an image we cannot read must
never pass unchecked. :func:`check_attachments` decodes whatever no detector
did, so the same holds when no image rule applies to a post.
"""

from __future__ import annotations

import io
import math
import re
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import cv2
    import numpy as np
    from PIL import Image

from postguard.content import ContentError, Media, MediaError
from postguard.detectors.base import (
    Detector,
    DetectorConfigError,
    Document,
    Hit,
    take_params,
)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000

#: Longest side of the decoded copy kept in memory. Holding a 50-megapixel
#: bitmap per attachment for the life of a check would cost ~150 MB each;
#: nothing downstream needs more than this.
WORKING_MAX_SIDE = 1600

#: Longest side faces are searched at: Haar cascades cost grows with pixel
#: count, and a face too small to find at this size is rarely recognisable.
FACE_MAX_SIDE = 800

DEFAULT_MIN_NEIGHBORS = 5
#: As a fraction of the shorter side of the upright image.
DEFAULT_MIN_SIZE = 0.05
#: The cascades are trained on 20-24 px windows; asking for less finds nothing more.
_CASCADE_WINDOW = 20

#: Formats a social post can carry. Restricting the list keeps Pillow's more
#: exotic decoders (EPS hands data to Ghostscript) away from untrusted input.
#: Phones' multi-picture JPEGs (MPO) open through the JPEG entry.
IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "AVIF")

_CACHE_KEY = "_postguard_imagery_cache"
_WARNINGS_LOCK = threading.Lock()
#: EXIF orientations that swap width and height.
_QUARTER_TURNS = frozenset({5, 6, 7, 8})


# --------------------------------------------------------------------------
# Loading (GPS is read here, under the loader's warning guard)


_GPS_LAT_REF, _GPS_LAT, _GPS_LON_REF, _GPS_LON = 1, 2, 3, 4
#: GPS tags that reveal a place even without the main coordinates.
_GPS_PLACE_TAGS = {
    20: "GPSDestLatitude",
    22: "GPSDestLongitude",
    28: "GPSAreaInformation",
}


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("ascii", errors="replace").strip("\x00 ")
    return str(value).strip("\x00 ")


def _degrees(value: Any, ref: Any, negative: str) -> float | None:
    """Decimal degrees from EXIF's (degrees, minutes, seconds) rationals."""
    try:
        parts = [float(part) for part in value]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not parts or len(parts) > 3 or not all(math.isfinite(p) for p in parts):
        return None
    degrees = sum(part / 60.0**i for i, part in enumerate(parts))
    return -degrees if _text(ref).upper().startswith(negative) else degrees


@dataclass(frozen=True, slots=True)
class Gps:
    """GPS metadata found in an image; no coordinates when they did not parse."""

    coordinates: tuple[float, float] | None


def gps_location(exif: Image.Exif) -> Gps | None:
    """The GPS position recorded in ``exif``, or None when it records no place."""
    from PIL import ExifTags

    try:
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:
        # A damaged GPS directory is still a GPS directory: say it is there.
        return Gps(None)
    if not gps:
        return None
    if _GPS_LAT in gps and _GPS_LON in gps:
        lat = _degrees(gps[_GPS_LAT], gps.get(_GPS_LAT_REF, "N"), "S")
        lon = _degrees(gps[_GPS_LON], gps.get(_GPS_LON_REF, "E"), "W")
        if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
            return Gps(None)
        if lat == 0 and lon == 0:
            # Cameras without a fix write zeros: no place is revealed.
            return None
        return Gps((lat, lon))
    if any(tag in gps for tag in _GPS_PLACE_TAGS):
        return Gps(None)
    return None


@dataclass(frozen=True, slots=True)
class LoadedImage:
    """One decoded attachment.

    ``width``/``height`` are the full-resolution dimensions of the upright
    image (EXIF orientation applied, so a portrait phone photo is taller than
    wide); ``image`` is an upright RGB copy whose longest side is at most
    :data:`WORKING_MAX_SIDE`. ``exif`` and ``xmp`` are the raw metadata.
    """

    index: int
    label: str
    format: str
    width: int
    height: int
    image: Image.Image
    exif: Image.Exif
    xmp: str
    gps: Gps | None


@dataclass(frozen=True, slots=True)
class _Failure:
    message: str


def _cache(doc: Document) -> dict[tuple[Any, ...], Any]:
    cache: dict[tuple[Any, ...], Any] = doc.__dict__.setdefault(_CACHE_KEY, {})
    return cache


def _one_line(text: str) -> str:
    return " ".join(text.split())


def is_image(media: Media) -> bool:
    return media.kind == "image"


def load_image(
    doc: Document,
    index: int,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> LoadedImage:
    """The decoded attachment ``doc.media[index]``, decoded at most once per document.

    Raises :class:`ContentError` naming the attachment when it is larger than
    ``max_bytes``, has more than ``max_pixels`` pixels, or is not a complete,
    decodable image. Failures are cached too, so every detector that asks
    gets the same answer without decoding again.
    """
    cache = _cache(doc)
    key = ("image", index, max_bytes, max_pixels)
    found = cache.get(key)
    if found is None:
        try:
            found = _decode(doc.media[index], index, max_bytes, max_pixels)
        except ContentError as exc:
            found = _Failure(str(exc))
        cache[key] = found
    if isinstance(found, _Failure):
        raise MediaError(found.message)
    loaded: LoadedImage = found
    return loaded


def check_attachments(doc: Document) -> None:
    """Decode every image attachment that no detector has decoded yet.

    The engine calls this after the detectors, so that an attachment is
    refused when it is damaged even if no image rule applies to the post
    (an inbound comment, a pack without image rules); an image a detector
    already decoded is not decoded again.
    """
    cache = _cache(doc)
    decoded = {key[1] for key in cache if key[0] == "image"}
    for index in image_indices(doc):
        if index not in decoded:
            load_image(doc, index)


def _decode(media: Media, index: int, max_bytes: int, max_pixels: int) -> LoadedImage:
    where = f"attachment {index + 1} ({media.label})"
    try:
        blob = media.read(max_bytes)
    except ContentError as exc:
        raise MediaError(_one_line(f"attachment {index + 1}: {exc}")) from exc
    if not blob:
        raise MediaError(f"{where}: the file is empty")
    # Pillow warns about oddities it decodes through (corrupt EXIF, palette
    # transparency); printed, they would break the CLI's one-line error
    # contract, and under an "error" filter they would refuse a good image.
    # A decompression bomb warning, though, must always stop decoding.
    # catch_warnings swaps process-global filters, and two threads inside it
    # at once can leave the wrong filters installed for good: hence the lock.
    # Pillow and simplejpeg load with the first image only: a text-only
    # check (the common case) does not pay for importing them.
    from PIL import Image, ImageFile, UnidentifiedImageError

    with _WARNINGS_LOCK, warnings.catch_warnings():
        # A library in the same process may have told Pillow to decode truncated files
        # (WeasyPrint and Synapse set this process-wide flag on import): a cut photo must
        # still be refused, not checked as a smear.
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return _decode_blob(blob, media, index, where, max_pixels)
        except ContentError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise MediaError(
                f"{where}: the image's dimensions are too large to decode safely"
                f" ({_one_line(str(exc))})"
            ) from exc
        except UnidentifiedImageError as exc:
            raise MediaError(
                f"{where}: not a readable image (expected {', '.join(IMAGE_FORMATS)})"
            ) from exc
        except Exception as exc:
            # Pillow's decoders signal damaged input with many exception types
            # (OSError, SyntaxError, ValueError, struct.error, ...); all of them
            # mean the same thing to the user, and none may escape as a traceback.
            reason = _one_line(str(exc)) or type(exc).__name__
            raise MediaError(f"{where}: the image is corrupt or truncated ({reason})") from exc


def _decode_blob(blob: bytes, media: Media, index: int, where: str, max_pixels: int) -> LoadedImage:
    from PIL import ExifTags, Image, ImageOps

    image = Image.open(io.BytesIO(blob), formats=_openable_formats())
    width, height = image.size
    if width <= 0 or height <= 0:
        raise MediaError(f"{where}: the image has no pixels ({width}×{height})")
    if width * height > max_pixels:
        raise MediaError(
            f"{where}: the image is {width}×{height} ({width * height / 1e6:.1f} megapixels);"
            f" the limit is {max_pixels / 1e6:g} megapixels"
        )
    scale = WORKING_MAX_SIDE / max(width, height)
    if scale < 1:
        # JPEG can decode straight at 1/2, 1/4 or 1/8 scale: several times
        # faster, and the whole compressed stream is still read, so a
        # truncated file is still caught.
        image.draft("RGB", (math.ceil(width * scale), math.ceil(height * scale)))
    image.load()
    if image.format in ("JPEG", "MPO"):
        _verify_jpeg(blob, where)
    exif = image.getexif()
    xmp = _xmp_text(image.info)
    upright = ImageOps.exif_transpose(image)
    if exif.get(ExifTags.Base.Orientation) in _QUARTER_TURNS:
        width, height = height, width
    working = upright.convert("RGB") if upright.mode != "RGB" else upright.copy()
    working.thumbnail((WORKING_MAX_SIDE, WORKING_MAX_SIDE), Image.Resampling.BILINEAR)
    return LoadedImage(
        index=index,
        label=media.label,
        format=image.format or "unknown",
        width=width,
        height=height,
        image=working,
        exif=exif,
        xmp=xmp,
        gps=gps_location(exif),
    )


def _verify_jpeg(blob: bytes, where: str) -> None:
    """Refuse a JPEG whose compressed data is damaged.

    libjpeg decodes through a bad Huffman code or a cut data segment with a
    mere warning, which Pillow drops: the damaged photo would be checked as
    a smear and pass. simplejpeg's strict mode turns those warnings into
    errors. Decoding to grey at 1/8 scale still reads every coefficient of
    the compressed stream, at a fraction of a full decode's cost.
    """
    import simplejpeg

    try:
        simplejpeg.decode_jpeg(
            blob, colorspace="GRAY", strict=True, min_factor=8, min_width=1, min_height=1
        )
    except (ValueError, RuntimeError) as exc:
        reason = _one_line(str(exc)) or type(exc).__name__
        raise MediaError(f"{where}: the image is corrupt or truncated ({reason})") from exc


@cache
def _openable_formats() -> tuple[str, ...]:
    # Pillow raises KeyError for a listed format it was built without (AVIF
    # is optional), so ask it which of ours it can open.
    from PIL import Image

    Image.init()
    return tuple(name for name in IMAGE_FORMATS if name in Image.OPEN)


def _xmp_text(info: Mapping[Any, Any]) -> str:
    raw = info.get("xmp") or info.get("XML:com.adobe.xmp") or ""
    if isinstance(raw, bytes):
        return raw.decode("utf-8", errors="replace")
    return raw if isinstance(raw, str) else ""


def image_indices(doc: Document) -> list[int]:
    return [i for i, media in enumerate(doc.media) if is_image(media)]


# --------------------------------------------------------------------------
# Parameters shared by the three detectors


_LIMIT_PARAMS: dict[str, type | tuple[type, ...]] = {"max_bytes": int, "max_pixels": int}
_FACE_PARAMS: dict[str, type | tuple[type, ...]] = {"min_neighbors": int, "min_size": (int, float)}


def _positive_int(name: str, params: Mapping[str, Any], key: str, default: int) -> int:
    value = params.get(key, default)
    if isinstance(value, bool) or value < 1:
        raise DetectorConfigError(f"detector {name!r}: {key} must be a positive integer")
    return int(value)


@dataclass(frozen=True, slots=True)
class _Limits:
    max_bytes: int
    max_pixels: int

    @classmethod
    def from_params(cls, name: str, params: Mapping[str, Any]) -> _Limits:
        return cls(
            _positive_int(name, params, "max_bytes", DEFAULT_MAX_BYTES),
            _positive_int(name, params, "max_pixels", DEFAULT_MAX_PIXELS),
        )

    def load(self, doc: Document, index: int) -> LoadedImage:
        return load_image(doc, index, max_bytes=self.max_bytes, max_pixels=self.max_pixels)


# --------------------------------------------------------------------------
# Faces


Box = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Faces:
    """Faces found in one image: boxes (x, y, w, h) in the upright image's pixels."""

    boxes: tuple[Box, ...]
    frontal: int
    profile: int
    #: The largest number of overlapping raw detections behind any one face;
    #: Haar cascades give no probability, and this is their usual confidence.
    support: int


@dataclass(frozen=True, slots=True)
class FaceSettings:
    min_neighbors: int = DEFAULT_MIN_NEIGHBORS
    #: A float below 1 is a fraction of the shorter side; an int is pixels
    #: of the upright image as stored.
    min_size: int | float = DEFAULT_MIN_SIZE

    @classmethod
    def from_params(cls, name: str, params: Mapping[str, Any]) -> FaceSettings:
        min_neighbors = _positive_int(name, params, "min_neighbors", DEFAULT_MIN_NEIGHBORS)
        min_size = params.get("min_size", DEFAULT_MIN_SIZE)
        if isinstance(min_size, bool) or not (
            (isinstance(min_size, int) and min_size >= 1)
            or (isinstance(min_size, float) and 0 < min_size < 1)
        ):
            raise DetectorConfigError(
                f"detector {name!r}: min_size must be a fraction between 0 and 1"
                " of the image's shorter side, or a whole number of pixels"
            )
        return cls(min_neighbors, min_size)


_CASCADE_FILES = ("haarcascade_frontalface_default.xml", "haarcascade_profileface.xml")
_thread_cascades = threading.local()


def _cascades() -> tuple[cv2.CascadeClassifier, cv2.CascadeClassifier]:
    # One classifier pair per thread: OpenCV does not promise that
    # detectMultiScale on a shared classifier is thread-safe.
    pair: tuple[cv2.CascadeClassifier, cv2.CascadeClassifier] | None = getattr(
        _thread_cascades, "pair", None
    )
    if pair is None:
        # OpenCV is imported on the first image only: it costs a text-only
        # check about 0.1 s of start-up.
        import cv2

        # opencv-python's bundled type stubs omit the cv2.data submodule.
        haar_dir: str = cv2.data.haarcascades  # type: ignore[attr-defined]
        loaded = []
        for filename in _CASCADE_FILES:
            path = haar_dir + filename
            classifier = cv2.CascadeClassifier(path)
            if classifier.empty():
                raise RuntimeError(
                    f"OpenCV Haar cascade {path} is missing; postguard needs"
                    " opencv-python-headless<5 (5.x ships no cascades)"
                )
            loaded.append(classifier)
        pair = (loaded[0], loaded[1])
        _thread_cascades.pair = pair
    return pair


@cache
def _check_cascades_installed() -> None:
    """Fail at configuration time, as loading the cascades would, but without
    importing OpenCV (a text-only check never needs it)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("cv2")
    roots = list(spec.submodule_search_locations or []) if spec else []
    for filename in _CASCADE_FILES:
        if not any((Path(root) / "data" / filename).is_file() for root in roots):
            raise RuntimeError(
                f"OpenCV Haar cascade {filename} is missing; postguard needs"
                " opencv-python-headless<5 (5.x ships no cascades)"
            )


def _detect(
    classifier: cv2.CascadeClassifier,
    gray: np.ndarray[Any, Any],
    settings: FaceSettings,
    min_px: int,
) -> list[tuple[Box, int]]:
    import cv2

    boxes, neighbours = classifier.detectMultiScale2(
        gray,
        scaleFactor=1.1,
        minNeighbors=settings.min_neighbors,
        flags=cv2.CASCADE_SCALE_IMAGE,
        minSize=(min_px, min_px),
    )
    return [
        ((int(x), int(y), int(w), int(h)), int(n))
        for (x, y, w, h), n in zip(boxes, neighbours, strict=True)
    ]


def _overlaps(a: Box, b: Box) -> bool:
    """The same face seen by two cascades: most of the smaller box lies in the larger."""
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    ix = max(0, min(ax + aw, bx + bw) - max(ax, bx))
    iy = max(0, min(ay + ah, by + bh) - max(ay, by))
    return ix * iy > 0.5 * min(aw * ah, bw * bh)


def find_faces(loaded: LoadedImage, settings: FaceSettings) -> Faces:
    """Frontal and profile (both directions) faces in ``loaded``."""
    import cv2
    import numpy as np

    gray = np.asarray(loaded.image.convert("L"))
    height, width = gray.shape
    scale = min(1.0, FACE_MAX_SIDE / max(width, height))
    if scale < 1:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        gray = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
        height, width = gray.shape
    gray = cv2.equalizeHist(gray)
    # Pixel sizes in min_size refer to the image as stored, not our copy.
    upright_short = min(loaded.width, loaded.height)
    to_search = min(width, height) / upright_short
    if isinstance(settings.min_size, float):
        min_px = settings.min_size * min(width, height)
    else:
        min_px = settings.min_size * to_search
    min_px_int = max(_CASCADE_WINDOW, round(min_px))

    frontal, profile = _cascades()
    found = [(box, n, "frontal") for box, n in _detect(frontal, gray, settings, min_px_int)]
    found += [(box, n, "profile") for box, n in _detect(profile, gray, settings, min_px_int)]
    # The profile cascade knows one direction only; the mirror image gives the other.
    for (x, y, w, h), n in _detect(profile, cv2.flip(gray, 1), settings, min_px_int):
        found.append(((width - x - w, y, w, h), n, "profile"))

    # Frontal first, then strongest, then position: a stable order, so that
    # which box survives an overlap does not depend on OpenCV's thread timing.
    found.sort(key=lambda item: (item[2] != "frontal", -item[1], item[0]))
    kept: list[tuple[Box, int, str]] = []
    for item in found:
        if not any(_overlaps(item[0], other[0]) for other in kept):
            kept.append(item)
    kept.sort(key=lambda item: (item[0][1], item[0][0]))

    back = loaded.width / width
    boxes = tuple(
        (round(x * back), round(y * back), round(w * back), round(h * back))
        for (x, y, w, h), _, _ in kept
    )
    return Faces(
        boxes=boxes,
        frontal=sum(1 for item in kept if item[2] == "frontal"),
        profile=sum(1 for item in kept if item[2] == "profile"),
        support=max((item[1] for item in kept), default=0),
    )


def faces_in(doc: Document, index: int, limits: _Limits, settings: FaceSettings) -> Faces:
    """Faces in attachment ``index``, computed once per document and settings."""
    cache = _cache(doc)
    key = ("faces", index, limits, settings)
    found = cache.get(key)
    if found is None:
        found = find_faces(limits.load(doc, index), settings)
        cache[key] = found
    faces: Faces = found
    return faces


def _face_score(faces: Faces, settings: FaceSettings) -> float:
    # Maps cascade support to (0.5, 1]: just at min_neighbors is a plausible
    # face, four times that is as sure as a Haar cascade gets.
    return round(min(1.0, 0.5 + 0.5 * faces.support / (4 * settings.min_neighbors)), 3)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class FaceDetector(Detector):
    """Faces in attached images (OpenCV Haar cascades, frontal and profile)."""

    name: ClassVar[str] = "imagery.face"
    categories: ClassVar[frozenset[str]] = frozenset({"imagery.face"})
    summary: ClassVar[str] = "A face in an attached image (frontal or profile)."

    def __init__(self, **params: Any) -> None:
        params = take_params(self.name, params, {**_LIMIT_PARAMS, **_FACE_PARAMS})
        self.limits = _Limits.from_params(self.name, params)
        self.settings = FaceSettings.from_params(self.name, params)
        # Fail when the pack loads, not on the first image, if OpenCV lacks cascades.
        _check_cascades_installed()

    def detect(self, doc: Document) -> list[Hit]:
        hits: list[Hit] = []
        for index in image_indices(doc):
            faces = faces_in(doc, index, self.limits, self.settings)
            if not faces.boxes:
                continue
            shown = ", ".join(f"({x},{y},{w},{h})" for x, y, w, h in faces.boxes[:10])
            more = f" and {len(faces.boxes) - 10} more" if len(faces.boxes) > 10 else ""
            hits.append(
                Hit(
                    category="imagery.face",
                    media=index,
                    evidence=_plural(len(faces.boxes), "face"),
                    score=_face_score(faces, self.settings),
                    note=(
                        f"{_plural(len(faces.boxes), 'box')} ({faces.frontal} frontal,"
                        f" {faces.profile} profile) as x,y,w,h: {shown}{more}"
                    ),
                )
            )
        return hits


# --------------------------------------------------------------------------
# Location metadata


#: XMP properties that carry a place.
_XMP_PLACE = re.compile(
    r"(exif:GPSLatitude|exif:GPSLongitude|photoshop:City|photoshop:State"
    r"|Iptc4xmpCore:Location|Iptc4xmpExt:City|Iptc4xmpExt:Sublocation)"
    r"(?:\s*=\s*\"([^\"]{0,200})\"|\s*>([^<]{0,200})<)"
)


class LocationMetadataDetector(Detector):
    """GPS coordinates (EXIF) or a named place (XMP) embedded in an attached image."""

    name: ClassVar[str] = "imagery.location_metadata"
    categories: ClassVar[frozenset[str]] = frozenset({"imagery.location_metadata"})
    summary: ClassVar[str] = "Location metadata (EXIF GPS, XMP city) embedded in an attached image."

    def __init__(self, **params: Any) -> None:
        params = take_params(self.name, params, _LIMIT_PARAMS)
        self.limits = _Limits.from_params(self.name, params)

    def detect(self, doc: Document) -> list[Hit]:
        hits: list[Hit] = []
        for index in image_indices(doc):
            loaded = self.limits.load(doc, index)
            gps = loaded.gps
            places = [
                f"{prop}={(a or b).strip()}"
                for prop, a, b in _XMP_PLACE.findall(loaded.xmp)
                if (a or b).strip()
            ]
            if gps is not None and gps.coordinates is not None:
                lat, lon = gps.coordinates
                hits.append(
                    Hit(
                        category="imagery.location_metadata",
                        media=index,
                        evidence=f"GPS {lat:.3f}, {lon:.3f}",
                        note="EXIF GPSInfo holds the place the photo was taken",
                    )
                )
            elif gps is not None:
                hits.append(
                    Hit(
                        category="imagery.location_metadata",
                        media=index,
                        evidence="GPS metadata (coordinates unreadable)",
                        score=0.7,
                        note="EXIF GPSInfo is present but its coordinates did not parse",
                    )
                )
            elif places:
                hits.append(
                    Hit(
                        category="imagery.location_metadata",
                        media=index,
                        evidence=f"XMP {places[0]}",
                        score=0.8,
                        note=f"XMP location properties: {'; '.join(places[:5])}",
                    )
                )
        return hits


# --------------------------------------------------------------------------
# Consent


_PERSON = (
    r"(?:mum|mom|mother|mama|mommy|mummy|dad|father|parent|parents|family|baby|bub|bubs"
    r"|infant|newborn|twins|dyad|little\s+one)"
)
_NOW = r"(?:today|yesterday|this\s+(?:morning|afternoon|evening|week)|last\s+(?:night|week))"
_RECENTLY = r"(?:today's|yesterday's|this\s+(?:morning|afternoon|week)'s|last\s+night's)"
_VISIT = r"(?:consult|consultation|home\s+visit|appointment|visit|clinic)"

#: Wording that presents an image as a patient's. Each needs both a person
#: and a sign of care, so "tips for a deep latch" stays quiet.
_PATIENT_CUES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # "my client's latch", "one of our patients"
        r"\b(?:my|our|this|that|today's)\s+(?:clients?|patients?)(?:'s|s')?(?!\w)",
        # "patient photo", "client's baby"
        r"\b(?:clients?|patients?)(?:'s|s')?\s+(?:photos?|pictures?|pics?|images?|videos?"
        r"|latch|breasts?|nipples?|baby|babies|feeds?|feeding)\b",
        # "this mum I saw today", "the baby we visited"
        rf"\b{_PERSON}\s+(?:(?:that|who|whom)\s+)?(?:i|we)\s+(?:saw|met|visited|helped"
        r"|supported|see|worked\s+with|cared\s+for|had\s+in)\b",
        # "baby at the clinic", "mum from today's home visit"
        rf"\b{_PERSON}\s+(?:at|in|from|during)\s+(?:(?:the|my|our|a|this|{_RECENTLY})\s+)?"
        r"(?:clinic|consult|consultation|home\s+visit|appointment|ward|nicu|practice"
        r"|support\s+group|drop-in)\b",
        # "from today's consult", "seen in clinic this morning"
        rf"\b{_RECENTLY}\s+{_VISIT}\b",
        rf"\b(?:seen|saw|met)\s+(?:in|at)\s+(?:the\s+)?clinic\s+{_NOW}\b",
        r"\b(?:during|at|from|in)\s+(?:a|my|our)\s+(?:consult|consultation|home\s+visit)\b",
    )
]

_CONSENT_WORD = r"(?:permission|consent)"
#: Up to three words between "with" and "permission" ("with the family's kind
#: permission"), none of them a negation.
_BETWEEN = r"(?:(?!(?:no|not|out|zero)\b)[\w'’]+\s+){0,3}?"

_CONSENT_WORDING = [
    re.compile(p, re.IGNORECASE)
    for p in (
        # "shared with permission", "with the family's permission", "with consent"
        rf"\bwith\s+{_BETWEEN}{_CONSENT_WORD}\b",
        # "consent on file", "permission was granted"
        rf"\b{_CONSENT_WORD}\s+(?:(?:is|was|has\s+been|have\s+been)\s+)?(?:on\s+file|obtained"
        r"|given|granted|received|recorded|signed|confirmed|in\s+place)\b",
        # "mum gave permission", "we obtained written consent"
        rf"\b(?:gave|given|give|granted|obtained|got|get|received|have|has)\s+{_BETWEEN}"
        rf"{_CONSENT_WORD}\b",
        # "the family consented to sharing"
        r"\b(?:consented|agreed)\s+to\s+(?:\w+\s+){0,3}?(?:share|sharing|post|posting"
        r"|publish|publishing|use|using|this|the\s+(?:photo|picture|image))\b",
        r"#(?:shared|used|posted)?(?:with)?(?:permission|consent)(?:given|obtained|onfile)?\b",
    )
]
#: "not", "never", "didn't", "no" right before the wording reverses it.
_NEGATED = re.compile(r"(?:\b(?:not|never|no|without)|n't|n’t)\s+(?:[\w'’]+\s+)?$", re.IGNORECASE)


def consent_wording(text: str) -> str | None:
    """The first un-negated consent phrase in ``text``, or None."""
    for pattern in _CONSENT_WORDING:
        for match in pattern.finditer(text):
            if not _NEGATED.search(text[max(0, match.start() - 40) : match.start()]):
                return match.group(0)
    return None


def patient_cue(text: str) -> str | None:
    """The earliest wording presenting an image as a patient's, or None."""
    found = [m for pattern in _PATIENT_CUES if (m := pattern.search(text))]
    if not found:
        return None
    first = min(found, key=lambda m: (m.start(), -m.end()))
    return _one_line(first.group(0))


class ConsentDetector(Detector):
    """An attached image of a person, or presented as a patient's, with no consent on record."""

    name: ClassVar[str] = "imagery.no_consent"
    categories: ClassVar[frozenset[str]] = frozenset({"imagery.no_consent"})
    summary: ClassVar[str] = (
        "An attached image showing a face, or described as a client's or patient's,"
        " with no recorded consent and no consent wording in the post."
    )

    def __init__(self, **params: Any) -> None:
        params = take_params(self.name, params, {**_LIMIT_PARAMS, **_FACE_PARAMS})
        self.limits = _Limits.from_params(self.name, params)
        self.settings = FaceSettings.from_params(self.name, params)
        _check_cascades_installed()

    def detect(self, doc: Document) -> list[Hit]:
        if not doc.media:
            return []
        post_consent = consent_wording(doc.text)
        post_cue = patient_cue(doc.text)
        hits: list[Hit] = []
        for index, media in enumerate(doc.media):
            # Decode even when consent is on record, so that a damaged image
            # is refused the same way whichever imagery rule runs.
            faces = faces_in(doc, index, self.limits, self.settings) if is_image(media) else None
            if (media.consent and media.consent.strip()) or post_consent:
                continue
            if consent_wording(media.alt):
                continue
            cue = post_cue or patient_cue(media.alt)
            face_count = len(faces.boxes) if faces else 0
            if not cue and not face_count:
                continue
            reasons = []
            if face_count:
                reasons.append(_plural(face_count, "face"))
            if cue:
                reasons.append(f'presented as a patient image ("{cue}")')
            if cue and face_count:
                score = 1.0
            elif cue:
                score = 0.9
            elif media.credit:
                # A credited image is more likely licensed stock than a patient.
                score = 0.5
            else:
                score = 0.8
            hits.append(
                Hit(
                    category="imagery.no_consent",
                    media=index,
                    evidence=f"{' and '.join(reasons)}; no consent reference",
                    score=score,
                    note=(
                        "no consent recorded on the media and no consent wording"
                        " (e.g. 'shared with permission') in the post"
                    ),
                )
            )
        return hits
