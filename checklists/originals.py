"""Deferred originals: what a phone declares about a photo's original before sending it (or instead of it).

On a weak uplink the phone sends its own display copy (longest side 1600–2048 px, JPEG, no metadata) with the
original's facts read on the device (SHA-256, size, format, pixel size, capture time, GPS); the original follows
on Wi-Fi or when the worker sends it, and is kept only if its SHA-256 is the declared one. EVIDENCE_ORIGINALS
says whether the deployment wants originals: "required", "optional" or "never".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext, gettext_lazy

from intake import jsondata
from intake.images import too_large as _too_large
from intake.images import too_many_pixels as _too_many_pixels

from .photos import MAX_BYTES, MAX_PIXELS, PhotoError

REQUIRED, OPTIONAL, NEVER = "required", "optional", "never"
MODES = (REQUIRED, OPTIONAL, NEVER)
FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/heic": "HEIF", "image/heif": "HEIF"}
DECLARED_MAX = 4096  # characters of JSON; the facts are a few hundred
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_GPS = re.compile(r"^-?\d{1,3}(\.\d{1,6})?$")
BAD = gettext_lazy("照片信息格式有误，请重新选择照片")
NO_ORIGINALS = gettext_lazy("本系统不收集原图，手机上的压缩照片已足够")
MISMATCH = gettext_lazy("原图与拍照时记录的不一致（SHA-256 不符），未保存；请重新选择这张照片的原图")


def originals_mode() -> str:
    """Return this deployment's EVIDENCE_ORIGINALS: required, optional or never."""
    return getattr(settings, "EVIDENCE_ORIGINALS", REQUIRED)


def original_pending(has_original: bool) -> bool:
    """Whether a photo's original is still to come (高清原图待上传, on the phone and the verifier's screen alike): the
    deployment wants originals and this one has not arrived."""
    return originals_mode() != NEVER and not has_original


@dataclass(frozen=True)
class DeclaredFacts:
    """The original's facts as the phone read them (unconfirmed until the original itself arrives)."""

    sha256: str
    size: int
    format: str
    width: int | None
    height: int | None
    taken_at: datetime | None
    gps: tuple[Decimal, Decimal] | None

    def as_json(self) -> dict:
        """Return the facts as stored on the evidence row (`Evidence.declared`)."""
        return {
            "sha256": self.sha256, "size": self.size, "format": self.format, "width": self.width,
            "height": self.height, "taken_at": self.taken_at.isoformat() if self.taken_at else None,
            "gps_lat": str(self.gps[0]) if self.gps else None, "gps_lon": str(self.gps[1]) if self.gps else None,
        }


def _bad(what: str) -> PhotoError:
    return PhotoError("declared", gettext("%(problem)s（%(what)s）") % {"problem": BAD, "what": what})


def _count(data: dict, key: str, *, required: bool = False) -> int | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise _bad(key)
    return value


def _taken_at(value) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise _bad("taken_at")
    return parsed


def _degrees(value, limit: int) -> Decimal:
    if not isinstance(value, str) or not _GPS.match(value):
        raise _bad("gps")
    try:
        degrees = Decimal(value)
    except InvalidOperation:
        raise _bad("gps") from None
    if abs(degrees) > limit:
        raise _bad("gps")
    return degrees.quantize(Decimal("0.000001"))


def _gps(data: dict) -> tuple[Decimal, Decimal] | None:
    lat, lon = data.get("gps_lat"), data.get("gps_lon")
    if lat in (None, "") and lon in (None, ""):
        return None
    point = _degrees(lat, 90), _degrees(lon, 180)
    return None if point == (0, 0) else point  # what some phones write when they had no fix


def parse_declared(raw: str | bytes) -> DeclaredFacts:
    """Read the facts a phone declared about an original; raise PhotoError (Chinese) for anything malformed.

    The limits are the photo pipeline's, so an original that would be refused later is refused now.
    """
    if len(raw) > DECLARED_MAX:
        raise _bad(gettext("过长"))
    try:
        data = jsondata.loads(raw, max_bytes=DECLARED_MAX)
    except jsondata.JsonError as exc:
        raise _bad(exc.message) from None
    if not isinstance(data, dict):
        raise _bad(gettext("不是对象"))
    sha256 = data.get("sha256")
    if not isinstance(sha256, str) or not _SHA256.match(sha256):
        raise _bad("sha256")
    size = _count(data, "size", required=True)
    if size > MAX_BYTES:
        raise _too_large(MAX_BYTES)
    fmt = FORMATS.get(data.get("type"))
    if fmt is None:
        raise PhotoError("unsupported")
    width, height = _count(data, "width"), _count(data, "height")
    if (width is None) != (height is None):
        raise _bad("width/height")
    if width and width * height > MAX_PIXELS:
        raise _too_many_pixels(MAX_PIXELS)
    return DeclaredFacts(sha256, size, fmt, width, height, _taken_at(data.get("taken_at")), _gps(data))
