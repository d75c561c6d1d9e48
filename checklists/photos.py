"""Check and process evidence photos uploaded from community workers' phones."""

from __future__ import annotations

import hashlib
import io
import operator
import re
import statistics
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from math import cos, pi
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PIL import ExifTags, Image

from intake import images
from intake.images import MAX_BYTES, MAX_DECODE_BYTES, MAX_PIXELS

# Photo refusals are the image intake's (code + Chinese message); the name stays the one this app's callers know.
PhotoError = images.ImageError

__all__ = ["MAX_BYTES", "MAX_PIXELS", "MAX_DECODE_BYTES", "PhotoError", "ProcessedPhoto", "process_photo", "processed",
           "hamming", "is_near_duplicate"]

DISPLAY_MAX = 1600
THUMB_MAX = 320
DISPLAY_QUALITY = 82
THUMB_QUALITY = 75

MIME_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heif"}
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx"}

_T = Image.Transpose
_TRANSPOSE = {2: _T.FLIP_LEFT_RIGHT, 3: _T.ROTATE_180, 4: _T.FLIP_TOP_BOTTOM, 5: _T.TRANSPOSE}
_TRANSPOSE |= {6: _T.ROTATE_270, 7: _T.TRANSVERSE, 8: _T.ROTATE_90}

_EXIF_DATETIME = re.compile(r"^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_EXIF_OFFSET = re.compile(r"^([+-])([01]\d|2[0-3]):?([0-5]\d)$")
_GPS_PLACES = Decimal("0.000001")
# Row i holds the i-th DCT-II basis vector over 32 samples; only the 8 lowest frequencies are hashed.
_DCT_BASIS = [[cos(pi * u * (2 * x + 1) / 64) for x in range(32)] for u in range(8)]


try:
    SHANGHAI: tzinfo = ZoneInfo("Asia/Shanghai")
except ZoneInfoNotFoundError:  # slim hosts lack tzdata; China has had no DST since 1991
    SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


@dataclass(frozen=True)
class ProcessedPhoto:
    """Facts about an accepted original plus its cleaned display and thumbnail JPEGs."""

    sha256: str
    size: int
    format: str
    mime: str
    width: int
    height: int
    display: bytes
    thumbnail: bytes
    taken_at: datetime | None
    gps: tuple[Decimal, Decimal] | None
    phash: str


def process_photo(
    data: bytes | BinaryIO, *, max_bytes: int = MAX_BYTES, max_pixels: int = MAX_PIXELS,
    max_decode_bytes: int = MAX_DECODE_BYTES,
) -> ProcessedPhoto:
    """Validate an uploaded photo and build its display copy, thumbnail, metadata and hash.

    Everything that can be refused from the header (format, pixels, the memory decoding would take) is refused
    by the image intake before a single pixel is decoded; a JPEG decodes at the draft size of its display copy.
    """
    raw = images.read_capped(data, max_bytes)
    with images.open_header(raw, max_pixels) as img:
        fmt = images.check_header(img, max_pixels=max_pixels)
        width, height = img.size
        images.check_cost(img, fmt, max_decode_bytes, draft=_draft_request(img.size))
        images.decode(img, max_pixels)
        exif = _safely(Image.Image.getexif, img) or None
        orientation = _orientation(exif)
        icc = _rgb_icc_profile(img)
        # Finish with the pixels inside the block: closing img also invalidates a display that is img itself.
        display = _render(img, orientation, DISPLAY_MAX)
        thumb = display.copy()
        thumb.thumbnail((THUMB_MAX, THUMB_MAX), Image.Resampling.LANCZOS)
        display_jpeg = _encode_jpeg(display, DISPLAY_QUALITY, icc)
    if orientation >= 5:
        width, height = height, width
    return ProcessedPhoto(
        sha256=hashlib.sha256(raw).hexdigest(),
        size=len(raw),
        format=fmt,
        mime=_mime(fmt, raw),
        width=width,
        height=height,
        display=display_jpeg,
        thumbnail=_encode_jpeg(thumb, THUMB_QUALITY, icc),
        taken_at=_safely(_taken_at, exif),
        gps=_safely(_gps, exif),
        phash=_phash(thumb),
    )


def processed(data: bytes) -> ProcessedPhoto:
    """Check and process one photo in one of the process's decoding slots, within the configured decode budget
    (intake.images: PHOTO_WORKERS, PHOTO_MAX_DECODE_BYTES). Call it outside any database transaction."""
    with images.slot():
        return process_photo(data, max_decode_bytes=images.budget())


def hamming(a: str, b: str) -> int:
    """Count the differing bits between two hex perceptual hashes."""
    if len(a) != len(b):
        raise ValueError("hashes must have the same length")
    return (int(a, 16) ^ int(b, 16)).bit_count()


def is_near_duplicate(a: str, b: str, threshold: int = 6) -> bool:
    """Tell whether two perceptual hashes describe practically the same picture."""
    return hamming(a, b) <= threshold


def _draft_request(size: tuple[int, int]) -> tuple[int, int]:
    """Return the smallest size, in the image's aspect, whose longest side is DISPLAY_MAX."""
    # draft() needs BOTH sides above the request, so asking for a square would block scaling.
    longest = max(size)
    if longest <= DISPLAY_MAX:
        return size
    return (max(1, size[0] * DISPLAY_MAX // longest), max(1, size[1] * DISPLAY_MAX // longest))


def _safely(extract: Callable[[Any], Any], source: object) -> Any:
    """Run one metadata reader, treating any malformed data as absent."""
    if source is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return extract(source)
    except Exception:  # noqa: BLE001 - phone and editor EXIF can be arbitrarily broken; never fail on it
        return None


def _orientation(exif: Image.Exif | None) -> int:
    """Return the EXIF orientation 1-8, defaulting to 1."""
    value = _safely(lambda e: e.get(ExifTags.Base.Orientation), exif)
    return value if isinstance(value, int) and value in range(1, 9) else 1


def _taken_at(exif: Image.Exif) -> datetime | None:
    """Return when the photo was taken, as an aware datetime."""
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    candidates = (
        (sub.get(ExifTags.Base.DateTimeOriginal), sub.get(ExifTags.Base.OffsetTimeOriginal)),
        (exif.get(ExifTags.Base.DateTime), sub.get(ExifTags.Base.OffsetTime)),
    )
    for stamp, offset in candidates:
        parsed = _parse_exif_datetime(_text(stamp), _text(offset))
        if parsed is not None:
            return parsed
    return None


def _text(value: object) -> str:
    """Return an EXIF ASCII value as stripped text."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return value.strip("\x00 \t\r\n") if isinstance(value, str) else ""


def _parse_exif_datetime(stamp: str, offset: str) -> datetime | None:
    """Parse 'YYYY:MM:DD HH:MM:SS'; without an offset, the time is Shanghai local time."""
    match = _EXIF_DATETIME.match(stamp)
    if not match:
        return None
    try:
        naive = datetime(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return naive.replace(tzinfo=_parse_offset(offset) or SHANGHAI)


def _parse_offset(offset: str) -> timezone | None:
    """Parse an EXIF offset such as '+08:00'."""
    match = _EXIF_OFFSET.match(offset)
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return timezone(-delta if sign == "-" else delta)


def _gps(exif: Image.Exif) -> tuple[Decimal, Decimal] | None:
    """Return (latitude, longitude) in signed decimal degrees."""
    info = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps = ExifTags.GPS
    lat = _coordinate(info.get(gps.GPSLatitude), info.get(gps.GPSLatitudeRef), "NS", 90)
    lon = _coordinate(info.get(gps.GPSLongitude), info.get(gps.GPSLongitudeRef), "EW", 180)
    if lat is None or lon is None or (lat == 0 and lon == 0):
        # Exactly (0, 0) is what some phones write when they had no fix.
        return None
    return lat, lon


def _coordinate(value: object, ref: object, hemispheres: str, limit: int) -> Decimal | None:
    """Convert degrees/minutes/seconds plus a hemisphere letter to signed degrees."""
    hemisphere = _text(ref).upper()[:1]
    if not hemisphere or hemisphere not in hemispheres or not isinstance(value, tuple) or len(value) != 3:
        return None
    parts = [Fraction(int(part.numerator), int(part.denominator)) for part in value]
    if any(part < 0 for part in parts) or any(part >= 60 for part in parts[1:]):
        return None
    degrees = sum(part / 60**i for i, part in enumerate(parts))
    if degrees > limit:
        return None
    result = (Decimal(degrees.numerator) / Decimal(degrees.denominator)).quantize(_GPS_PLACES, ROUND_HALF_UP)
    return -result if hemisphere == hemispheres[1] and result else result


def _rgb_icc_profile(img: Image.Image) -> bytes | None:
    """Return the ICC profile when it describes RGB data, so colours survive re-encoding."""
    icc = img.info.get("icc_profile")
    # A CMYK or grey profile would be wrong once the pixels are converted to RGB.
    return icc if isinstance(icc, bytes) and icc[16:20] == b"RGB " else None


def _render(img: Image.Image, orientation: int, box: int) -> Image.Image:
    """Shrink the decoded image to fit `box`, orient it upright and flatten it to RGB."""
    work = _resizable(img)
    work.thumbnail((box, box), Image.Resampling.LANCZOS, reducing_gap=3.0)
    if orientation in _TRANSPOSE:
        work = work.transpose(_TRANSPOSE[orientation])
    return _to_rgb(work)


def _resizable(img: Image.Image) -> Image.Image:
    """Return the image in a mode Pillow can resample smoothly."""
    if img.mode in ("L", "LA", "RGB", "RGBA", "CMYK"):
        return img
    if img.mode == "1":
        return img.convert("L")
    if img.mode == "I" or img.mode.startswith("I;16"):
        # Plain convert("L") clips 16-bit values instead of scaling them, turning the picture white.
        return img.convert("I").point(lambda value: value / 256).convert("L")
    return img.convert("RGBA" if img.has_transparency_data else "RGB")


def _to_rgb(img: Image.Image) -> Image.Image:
    """Convert to RGB, laying any transparency over white."""
    if img.mode == "RGB":
        return img
    if "A" not in img.getbands():
        return img.convert("RGB")
    rgba = img.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _encode_jpeg(img: Image.Image, quality: int, icc: bytes | None) -> bytes:
    """Encode as a metadata-free JPEG (only an RGB colour profile is kept)."""
    # Pillow's JPEG writer falls back to img.info for some segments (e.g. the comment), so clear it.
    img.info = {}
    buffer = io.BytesIO()
    options: dict[str, Any] = {"quality": quality, "optimize": True}
    if icc:
        options["icc_profile"] = icc
    img.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def _phash(img: Image.Image) -> str:
    """Return a 64-bit DCT perceptual hash as 16 hex characters."""
    gray = img.convert("L").resize((32, 32), Image.Resampling.LANCZOS).tobytes()
    rows = [gray[y * 32 : (y + 1) * 32] for y in range(32)]
    row_freqs = [[sum(map(operator.mul, basis, row)) for basis in _DCT_BASIS] for row in rows]
    coefficients = [
        sum(basis[y] * row_freqs[y][u] for y in range(32)) for basis in _DCT_BASIS for u in range(8)
    ]
    median = statistics.median(coefficients)
    bits = 0
    for coefficient in coefficients:
        bits = (bits << 1) | (coefficient > median)
    return f"{bits:016x}"


def _mime(fmt: str, raw: bytes) -> str:
    """Return the MIME type, telling HEVC-coded HEIC (iPhone) from generic HEIF."""
    return "image/heic" if fmt == "HEIF" and raw[8:12] in _HEIC_BRANDS else MIME_TYPES[fmt]
