"""Build real photo bytes with Pillow for tests: patterned pictures with optional EXIF."""

from __future__ import annotations

import io
import random
import struct
import zlib
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

import pillow_heif
from PIL import ExifTags, Image, ImageDraw, TiffImagePlugin

pillow_heif.register_heif_opener()

GpsPoint = tuple[float | Decimal | str, float | Decimal | str]


def make_pattern(width: int, height: int, seed: int = 0) -> Image.Image:
    """Draw an RGB picture whose gradients and shapes are all derived from `seed`."""
    rng = random.Random(seed)
    channels = [_gradient(width, height, rng.uniform(0, 360)) for _ in range(3)]
    img = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(img)
    for _ in range(rng.randint(4, 7)):
        box = _random_box(rng, width, height)
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse(box, fill=colour)
        else:
            draw.rectangle(box, fill=colour)
    return img


def _gradient(width: int, height: int, angle: float) -> Image.Image:
    """Return a greyscale linear gradient at `angle` degrees stretched over the canvas."""
    ramp = Image.linear_gradient("L").rotate(angle, resample=Image.Resampling.BILINEAR, expand=False)
    # Crop the middle so the rotation's empty corners never show.
    return ramp.crop((64, 64, 192, 192)).resize((width, height), Image.Resampling.BILINEAR)


def _random_box(rng: random.Random, width: int, height: int) -> tuple[int, int, int, int]:
    """Pick a shape's bounding box covering 15-50% of each side."""
    w = int(width * rng.uniform(0.15, 0.5))
    h = int(height * rng.uniform(0.15, 0.5))
    x = rng.randrange(0, max(1, width - w))
    y = rng.randrange(0, max(1, height - h))
    return (x, y, x + w, y + h)


def build_exif(
    *, orientation: int | None = None, taken_at: datetime | None = None, gps: GpsPoint | None = None
) -> Image.Exif:
    """Build EXIF with orientation, DateTimeOriginal (+offset when aware) and GPS."""
    exif = Image.Exif()
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if taken_at is not None:
        sub = {ExifTags.Base.DateTimeOriginal: taken_at.strftime("%Y:%m:%d %H:%M:%S")}
        if taken_at.utcoffset() is not None:
            offset = taken_at.strftime("%z")
            sub[ExifTags.Base.OffsetTimeOriginal] = f"{offset[:3]}:{offset[3:]}"
        exif[ExifTags.IFD.Exif] = sub
    if gps is not None:
        exif[ExifTags.IFD.GPSInfo] = gps_ifd(*gps)
    return exif


def gps_ifd(lat: float | Decimal | str, lon: float | Decimal | str) -> dict[int, object]:
    """Return a GPS IFD for signed decimal degrees, as phones write it (D, M, S rationals)."""
    lat_d, lon_d = Decimal(str(lat)), Decimal(str(lon))
    return {
        ExifTags.GPS.GPSLatitudeRef: "N" if lat_d >= 0 else "S",
        ExifTags.GPS.GPSLatitude: _dms(abs(lat_d)),
        ExifTags.GPS.GPSLongitudeRef: "E" if lon_d >= 0 else "W",
        ExifTags.GPS.GPSLongitude: _dms(abs(lon_d)),
    }


def _dms(degrees: Decimal) -> tuple[TiffImagePlugin.IFDRational, ...]:
    """Split degrees into whole degrees, whole minutes and seconds to 1/10000."""
    value = Fraction(degrees)
    whole = int(value)
    minutes = int((value - whole) * 60)
    seconds = round((value - whole - Fraction(minutes, 60)) * 3600 * 10_000)
    rational = TiffImagePlugin.IFDRational
    return (rational(whole, 1), rational(minutes, 1), rational(seconds, 10_000))


def encode(
    img: Image.Image,
    fmt: str,
    *,
    orientation: int | None = None,
    taken_at: datetime | None = None,
    gps: GpsPoint | None = None,
    **save_options: object,
) -> bytes:
    """Save `img` as `fmt` (JPEG, PNG, WEBP, HEIF, GIF...) with the given EXIF."""
    exif = build_exif(orientation=orientation, taken_at=taken_at, gps=gps)
    if len(exif):
        save_options["exif"] = exif.tobytes()
    buffer = io.BytesIO()
    img.save(buffer, fmt, **save_options)
    return buffer.getvalue()


def make_jpeg(
    width: int,
    height: int,
    *,
    orientation: int | None = None,
    taken_at: datetime | None = None,
    gps: GpsPoint | None = None,
    quality: int = 90,
    pattern_seed: int = 0,
) -> bytes:
    """Return a patterned JPEG like an Android camera's."""
    img = make_pattern(width, height, pattern_seed)
    return encode(img, "JPEG", orientation=orientation, taken_at=taken_at, gps=gps, quality=quality)


def make_png(
    width: int,
    height: int,
    *,
    mode: str = "RGB",
    orientation: int | None = None,
    taken_at: datetime | None = None,
    gps: GpsPoint | None = None,
    pattern_seed: int = 0,
) -> bytes:
    """Return a patterned PNG (a screenshot); `mode` may be RGB, RGBA, L, P..."""
    img = make_pattern(width, height, pattern_seed)
    if mode == "RGBA":
        img.putalpha(Image.linear_gradient("L").resize((width, height)))
    elif mode != "RGB":
        img = img.convert(mode)
    return encode(img, "PNG", orientation=orientation, taken_at=taken_at, gps=gps)


def make_webp(
    width: int,
    height: int,
    *,
    orientation: int | None = None,
    taken_at: datetime | None = None,
    gps: GpsPoint | None = None,
    quality: int = 90,
    pattern_seed: int = 0,
) -> bytes:
    """Return a patterned lossy WebP."""
    img = make_pattern(width, height, pattern_seed)
    return encode(img, "WEBP", orientation=orientation, taken_at=taken_at, gps=gps, quality=quality)


def make_heic(
    width: int,
    height: int,
    *,
    orientation: int | None = None,
    taken_at: datetime | None = None,
    gps: GpsPoint | None = None,
    quality: int = 90,
    pattern_seed: int = 0,
) -> bytes:
    """Return a patterned HEVC-coded HEIC like an iPhone's (via pillow_heif)."""
    img = make_pattern(width, height, pattern_seed)
    return encode(img, "HEIF", orientation=orientation, taken_at=taken_at, gps=gps, quality=quality)


# PNG colour type and bytes per pixel of the modes make_huge_png writes (bit depth 8, except 1-bit "1").
_PNG_MODES = {"1": (0, 0), "L": (0, 1), "RGB": (2, 3), "RGBA": (6, 4)}


def make_huge_png(width: int, height: int, mode: str = "1") -> bytes:
    """Return a valid all-black PNG of any size, written chunk by chunk without a pixel buffer.

    `mode` is "1" (1-bit, the default), "L", "RGB" or "RGBA": what Pillow will open it as.
    """
    colour_type, bands = _PNG_MODES[mode]
    row = b"\x00" * (1 + (bands * width if bands else (width + 7) // 8))  # filter byte + pixels
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8 if bands else 1, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, payload: bytes) -> bytes:
    """Frame one PNG chunk with its length and CRC."""
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
