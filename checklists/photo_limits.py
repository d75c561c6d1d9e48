"""What a photo may cost before it is decoded: bytes on the wire, pixels, and the memory its decoding takes.

Pure (no Django): checklists.photos applies these limits, checklists.photo_slots reads the configured ones.
"""

from __future__ import annotations

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000
# A 48 MP iPhone HEIC ("HEIF Max", 8064×6048) is estimated at 372 MiB; a 49 MP RGB PNG at 234 MiB.
MAX_DECODE_BYTES = 384 * 1024 * 1024

_MESSAGES = {
    "not_image": "文件不是有效的图片（支持 JPEG、PNG、WebP、HEIC）",
    "unsupported": "不支持这种图片格式，请上传 JPEG、PNG、WebP 或 HEIC 照片",
    "truncated": "图片文件不完整，可能上传中断，请重新拍摄或上传",
    "empty": "文件是空的，请重新选择照片",
    "busy": "服务器正忙，照片暂未处理，请稍后重试（手机会自动重新发送）",
}

# Bytes per pixel while a photo is decoded and shrunk, measured as peak RSS on 49 MP pictures (Pillow 11-13).
# Pillow keeps RGB padded to four bytes and LA as four; resizing anything with alpha first makes a premultiplied
# copy, and _resizable converts 1-bit, palette and 16-bit pictures at full size before shrinking them.
_MODE_BYTES = {"1": 2, "L": 2, "P": 6, "PA": 13, "I;16": 10, "I;16B": 10, "I;16L": 10, "I": 12, "F": 12,
               "LA": 9, "RGB": 5, "RGBA": 9, "RGBa": 5, "CMYK": 5, "YCbCr": 5}
_UNKNOWN_MODE_BYTES = 12
# The decoder's own buffer on top of Pillow's image: libwebp hands over a whole RGBA frame that is copied twice;
# libheif keeps its RGB planes until Pillow has its copy. PNG and JPEG decode straight into the image.
_FORMAT_BYTES = {"WEBP": 11, "HEIF": 3}


class PhotoError(ValueError):
    """A photo was refused; `message` is plain Chinese meant for the worker."""

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


def too_large(max_bytes: int) -> PhotoError:
    """Build the size-limit error with the limit in words a worker understands."""
    mib = 1024 * 1024
    limit = f"{max_bytes / mib:g}MB" if max_bytes >= mib else f"{max(1, max_bytes // 1024)}KB"
    return PhotoError("too_large", f"照片超过{limit}，请压缩后重新上传")


def too_many_pixels(max_pixels: int) -> PhotoError:
    """Build the pixel-limit error, counting in 万 (ten thousands) as Chinese readers do."""
    limit = f"{max_pixels // 10_000}万" if max_pixels >= 10_000 else str(max_pixels)
    return PhotoError("too_many_pixels", f"图片像素过大（超过{limit}像素）")


def too_costly(size: tuple[int, int], cost: int, max_decode_bytes: int) -> PhotoError:
    """Build the decode-memory error, naming the picture's size and what decoding it would take."""
    mib = 1024 * 1024
    return PhotoError(
        "too_costly",
        f"图片 {size[0]}×{size[1]} 像素，处理需要约 {cost // mib} MB 内存，超过上限 {max_decode_bytes // mib} MB；"
        "请缩小尺寸或转为 JPEG 后重新上传",
    )
