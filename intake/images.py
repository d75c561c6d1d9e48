"""One intake for every picture: phone photos and originals, imported photos, assessment evidence, pilot
materials and on-site visit photos.

A picture is refused from its header, before a single pixel is decoded, when its bytes, its pixels or the memory
its decoding would take (one budget, PHOTO_MAX_DECODE_BYTES) are too many. Decoding happens in one of the process's
few slots (PHOTO_WORKERS, waiting at most PHOTO_WAIT_SECONDS), which callers take outside any database
transaction: a big picture holds a core and hundreds of MB for a second or more, and must never hold a lock too.
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pillow_heif
from django.conf import settings
from PIL import Image

pillow_heif.register_heif_opener()

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000
# A 48 MP iPhone HEIC ("HEIF Max", 8064×6048) is estimated at 372 MiB; a 49 MP RGB PNG at 234 MiB.
MAX_DECODE_BYTES = 384 * 1024 * 1024
DEFAULT_WORKERS = 2
DEFAULT_WAIT_SECONDS = 10.0

PHOTO_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "HEIF"})
# Android phones with depth/HDR modes write multi-picture JPEGs, which Pillow names MPO.
FORMAT_ALIASES = {"MPO": "JPEG"}

_MESSAGES = {
    "not_image": "文件不是有效的图片（支持 JPEG、PNG、WebP、HEIC）",
    "unsupported": "不支持这种图片格式，请上传 JPEG、PNG、WebP 或 HEIC 照片",
    "truncated": "图片文件不完整，可能上传中断，请重新拍摄或上传",
    "empty": "文件是空的，请重新选择照片",
    "busy": "服务器正忙，照片暂未处理，请稍后重试（手机会自动重新发送）",
}

# Bytes per pixel while a photo is decoded and shrunk, measured as peak RSS on 49 MP pictures (Pillow 11-13).
# Pillow keeps RGB padded to four bytes and LA as four; resizing anything with alpha first makes a premultiplied
# copy, and checklists.photos converts 1-bit, palette and 16-bit pictures at full size before shrinking them.
_MODE_BYTES = {"1": 2, "L": 2, "P": 6, "PA": 13, "I;16": 10, "I;16B": 10, "I;16L": 10, "I": 12, "F": 12,
               "LA": 9, "RGB": 5, "RGBA": 9, "RGBa": 5, "CMYK": 5, "YCbCr": 5}
_UNKNOWN_MODE_BYTES = 12
# The decoder's own buffer on top of Pillow's image: libwebp hands over a whole RGBA frame that is copied twice;
# libheif keeps its RGB planes until Pillow has its copy. PNG and JPEG decode straight into the image.
_FORMAT_BYTES = {"WEBP": 11, "HEIF": 3}
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


class ImageError(ValueError):
    """A picture was refused; `code` says what kind of refusal, `message` is plain Chinese for the uploader."""

    def __init__(self, code: str, message: str | None = None) -> None:
        self.code = code
        self.message = message or _MESSAGES[code]
        super().__init__(self.message)


def decode_cost(fmt: str, mode: str, size: tuple[int, int]) -> int:
    """Estimate the peak memory, in bytes, of decoding and shrinking a picture of this format, mode and size.

    For a JPEG, pass the size and mode after draft(): DCT scaling means only that much is ever decoded.
    """
    per_pixel = _MODE_BYTES.get(mode, _UNKNOWN_MODE_BYTES) + _FORMAT_BYTES.get(fmt, 0)
    return size[0] * size[1] * per_pixel


def too_large(max_bytes: int) -> ImageError:
    """Build the size-limit error with the limit in words a worker understands."""
    mib = 1024 * 1024
    limit = f"{max_bytes / mib:g}MB" if max_bytes >= mib else f"{max(1, max_bytes // 1024)}KB"
    return ImageError("too_large", f"照片超过{limit}，请压缩后重新上传")


def too_many_pixels(max_pixels: int) -> ImageError:
    """Build the pixel-limit error, counting in 万 (ten thousands) as Chinese readers do."""
    limit = f"{max_pixels // 10_000}万" if max_pixels >= 10_000 else str(max_pixels)
    return ImageError("too_many_pixels", f"图片像素过大（超过{limit}像素）")


def too_costly(size: tuple[int, int], cost: int, max_decode_bytes: int) -> ImageError:
    """Build the decode-memory error, naming the picture's size and what decoding it would take."""
    mib = 1024 * 1024
    return ImageError(
        "too_costly",
        f"图片 {size[0]}×{size[1]} 像素，处理需要约 {cost // mib} MB 内存，超过上限 {max_decode_bytes // mib} MB；"
        "请缩小尺寸或转为 JPEG 后重新上传",
    )


# --- the process's budget and slots ---------------------------------------------------------------------------

_guard = threading.Lock()
_slots: dict[int, threading.BoundedSemaphore] = {}


def budget() -> int:
    """Return the configured decode budget in bytes (PHOTO_MAX_DECODE_BYTES)."""
    return int(getattr(settings, "PHOTO_MAX_DECODE_BYTES", MAX_DECODE_BYTES))


def slots() -> threading.BoundedSemaphore:
    """Return this process's semaphore for PHOTO_WORKERS pictures at once (one per configured size)."""
    size = max(1, int(getattr(settings, "PHOTO_WORKERS", DEFAULT_WORKERS)))
    with _guard:
        return _slots.setdefault(size, threading.BoundedSemaphore(size))


@contextmanager
def slot() -> Iterator[None]:
    """Hold one of the process's decoding slots, or raise ImageError("busy") after PHOTO_WAIT_SECONDS."""
    semaphore = slots()
    if not semaphore.acquire(timeout=float(getattr(settings, "PHOTO_WAIT_SECONDS", DEFAULT_WAIT_SECONDS))):
        raise ImageError("busy")
    try:
        yield
    finally:
        semaphore.release()


# --- checks, each before the next costs more --------------------------------------------------------------------

def read_capped(data, max_bytes: int = MAX_BYTES) -> bytes:
    """Return the upload's bytes (bytes or a stream, read to at most max_bytes + 1), refusing empty or too large."""
    is_buffer = isinstance(data, bytes | bytearray | memoryview)
    raw = bytes(data) if is_buffer else _read_at_most(data, max_bytes + 1)
    if not raw:
        raise ImageError("empty")
    if len(raw) > max_bytes:
        raise too_large(max_bytes)
    return raw


def _read_at_most(stream, limit: int) -> bytes:
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = stream.read(min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


@contextmanager
def pixel_guard(max_pixels: int) -> Iterator[None]:
    """Turn Pillow's own decompression-bomb error and warning into ImageError."""
    with warnings.catch_warnings():
        # Pillow flags corrupt EXIF at open with a UserWarning; it is tolerated, so never let it escalate.
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise too_many_pixels(max_pixels) from exc


def looks_like_image(raw: bytes) -> bool:
    """Tell whether the bytes start with the signature of a picture format this intake reads."""
    return (
        raw.startswith(b"\xff\xd8\xff")
        or raw.startswith(b"\x89PNG\r\n\x1a\n")
        or (raw[:4] == b"RIFF" and raw[8:12] == b"WEBP")
        or (raw[4:8] == b"ftyp" and raw[8:12] in _HEIF_BRANDS)
    )


def open_header(raw: bytes, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Open the picture lazily, reading only its header."""
    with pixel_guard(max_pixels):
        try:
            return Image.open(io.BytesIO(raw))
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            # A recognisable signature whose header cannot be parsed is a cut-off upload, not a non-image.
            raise ImageError("truncated" if looks_like_image(raw) else "not_image") from exc


def check_header(img: Image.Image, *, formats: Iterable[str] = PHOTO_FORMATS, max_pixels: int = MAX_PIXELS) -> str:
    """Return the picture's format name, refusing other formats and more than max_pixels."""
    fmt = FORMAT_ALIASES.get(img.format or "", img.format or "")
    if fmt not in formats:
        raise ImageError("unsupported")
    if img.size[0] * img.size[1] > max_pixels:
        raise too_many_pixels(max_pixels)
    return fmt


def check_cost(img: Image.Image, fmt: str, max_decode_bytes: int, draft: tuple[int, int] | None = None) -> None:
    """Refuse a picture whose decoding would take more memory than allowed; a JPEG asked to decode at `draft` size
    is settled there first (draft() only configures the decoder) and counts at the size it will decode to."""
    size = img.size
    if fmt == "JPEG" and draft is not None:
        img.draft("RGB", draft)
    cost = decode_cost(fmt, img.mode, img.size)
    if cost > max_decode_bytes:
        raise too_costly(size, cost, max_decode_bytes)


def decode(img: Image.Image, max_pixels: int = MAX_PIXELS) -> None:
    """Decode all pixel data (a JPEG at the draft size check_cost chose): a truncated file fails here."""
    with pixel_guard(max_pixels):
        try:
            img.load()
        except (OSError, SyntaxError, ValueError, EOFError, RuntimeError) as exc:
            raise ImageError("truncated") from exc


def verify(data: bytes, *, formats: Iterable[str] = PHOTO_FORMATS, max_bytes: int = MAX_BYTES,
           max_pixels: int = MAX_PIXELS) -> str:
    """Check a picture that is kept as it is (evidence files, materials): header, pixels and decode cost first,
    then decode it whole in a slot so a cut-off file is refused. Return its format. Call outside any transaction."""
    raw = read_capped(data, max_bytes)
    with open_header(raw, max_pixels) as img:
        fmt = check_header(img, formats=formats, max_pixels=max_pixels)
        # A JPEG decodes at an eighth of its size (DCT scaling): every coded byte is still read, so a cut-off
        # file is still refused, for a fraction of the memory.
        check_cost(img, fmt, budget(), draft=(max(1, img.width // 8), max(1, img.height // 8)))
        with slot():
            decode(img, max_pixels)
    return fmt
