"""Test images made at run time (no binary fixtures in the repository).

``face``: the public-domain NASA portrait bundled with scikit-image (a real
face, which Haar cascades need); ``gps``: a plain image with GPS EXIF;
``plain``: a gradient with no face and no metadata.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

GPS_LAT = (51, 30, 26.0)  # 51.507 N
GPS_LON = (0, 7, 39.0)  # 0.128 W


def face_jpeg() -> bytes:
    from skimage import data

    buffer = io.BytesIO()
    Image.fromarray(data.astronaut()).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def plain_jpeg(width: int = 320, height: int = 240) -> bytes:
    ramp = np.linspace(0, 255, width, dtype=np.uint8)
    pixels = np.stack([np.tile(ramp, (height, 1))] * 3, axis=-1)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG")
    return buffer.getvalue()


def gps_jpeg() -> bytes:
    image = Image.open(io.BytesIO(plain_jpeg()))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = GPS_LAT
    gps[3] = "W"
    gps[4] = GPS_LON
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


FIXTURES = {"face": face_jpeg, "gps": gps_jpeg, "plain": plain_jpeg}
