"""A phone-like 12-megapixel JPEG: sensor noise over a scene, EXIF orientation, capture time and GPS."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

from PIL import Image

from tests.checklists.photo_factory import build_exif, make_pattern

SHANGHAI = timezone(timedelta(hours=8))


def phone_jpeg(width: int = 4000, height: int = 3000, *, seed: int = 0, quality: int = 92) -> bytes:
    """Return a JPEG the size and entropy of a phone camera's (a few MB, not a flat gradient's few hundred KB)."""
    scene = make_pattern(width, height, seed)
    noise = Image.merge("RGB", [Image.effect_noise((width, height), 24) for _ in range(3)])
    picture = Image.blend(scene, noise, 0.18)
    exif = build_exif(orientation=6, taken_at=datetime(2026, 10, 12, 9, 30, tzinfo=SHANGHAI),
                      gps=("36.651200", "117.120100"))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()


def detailed_jpeg(width: int = 4000, height: int = 3000, *, seed: int = 3, quality: int = 92) -> bytes:
    """Return a worst case for the phone's display copy: fine detail (gravel, foliage) at the copy's own scale,
    which shrinking to 1600 px cannot average away, so the copy is as large as a copy gets."""
    scene = make_pattern(width, height, seed)
    grain = Image.merge("RGB", [Image.effect_noise((width // 3, height // 3), 60) for _ in range(3)])
    picture = Image.blend(scene, grain.resize((width, height), Image.Resampling.BICUBIC), 0.35)
    exif = build_exif(orientation=1, taken_at=datetime(2026, 10, 12, 9, 31, tzinfo=SHANGHAI))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=quality, exif=exif.tobytes())
    return out.getvalue()
