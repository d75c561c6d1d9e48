"""Tests for checklists.photos using real image bytes made with Pillow."""

from __future__ import annotations

import hashlib
import io
import time
import warnings
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import photo_factory as pf
import pytest
from PIL import ExifTags, Image, ImageDraw, ImageFile, TiffImagePlugin

from checklists.photos import DISPLAY_MAX, THUMB_MAX, PhotoError, hamming, is_near_duplicate, process_photo

RED = (255, 0, 0)


def _open(data: bytes) -> Image.Image:
    """Decode JPEG bytes returned by process_photo."""
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def _refusal(data: bytes, **limits: int) -> str:
    """Return the PhotoError code raised for `data`."""
    with pytest.raises(PhotoError) as caught:
        process_photo(data, **limits)
    assert caught.value.message
    return caught.value.code


def _is_red(pixel: tuple[int, ...]) -> bool:
    """Tell whether a JPEG-decoded pixel is still clearly red."""
    return pixel[0] > 200 and pixel[1] < 60 and pixel[2] < 60


@pytest.mark.parametrize(
    ("maker", "fmt", "mimes"),
    [
        (pf.make_jpeg, "JPEG", {"image/jpeg"}),
        (pf.make_png, "PNG", {"image/png"}),
        (pf.make_webp, "WEBP", {"image/webp"}),
        (pf.make_heic, "HEIF", {"image/heic", "image/heif"}),
    ],
)
def test_accepts_each_phone_format(maker, fmt: str, mimes: set[str]) -> None:
    data = maker(640, 480, pattern_seed=3)
    photo = process_photo(data)
    assert (photo.format, photo.width, photo.height) == (fmt, 640, 480)
    assert photo.mime in mimes
    assert photo.sha256 == hashlib.sha256(data).hexdigest()
    assert photo.size == len(data)
    assert _open(photo.display).format == "JPEG"
    assert _open(photo.display).size == (640, 480)
    assert len(photo.phash) == 16 and int(photo.phash, 16) >= 0


def test_accepts_binary_stream(tmp_path) -> None:
    data = pf.make_jpeg(300, 200)
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    with path.open("rb") as stream:
        photo = process_photo(stream)
    assert photo.sha256 == hashlib.sha256(data).hexdigest()


def test_multi_picture_jpeg_counts_as_jpeg() -> None:
    buffer = io.BytesIO()
    pf.make_pattern(400, 300, 1).save(
        buffer, "MPO", save_all=True, append_images=[pf.make_pattern(400, 300, 2)]
    )
    assert process_photo(buffer.getvalue()).format == "JPEG"


@pytest.mark.parametrize("mode", ["RGBA", "P", "L", "1", "I;16"])
def test_png_modes_become_rgb_jpeg(mode: str) -> None:
    photo = process_photo(pf.make_png(200, 100, mode=mode))
    assert _open(photo.display).mode == "RGB"


def test_transparent_png_is_flattened_on_white() -> None:
    img = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    photo = process_photo(pf.encode(img, "PNG"))
    assert min(_open(photo.display).getpixel((50, 50))) > 245


def test_sixteen_bit_grey_png_is_scaled_not_clipped() -> None:
    img = Image.new("I;16", (64, 64), 32768)
    photo = process_photo(pf.encode(img, "PNG"))
    assert 110 < _open(photo.display).getpixel((32, 32))[0] < 145


@pytest.mark.parametrize("maker", [pf.make_jpeg, pf.make_png])
def test_half_file_is_truncated(maker) -> None:
    data = maker(800, 600)
    assert _refusal(data[: len(data) // 2]) == "truncated"


def test_heic_cut_short_is_truncated() -> None:
    data = pf.make_heic(640, 480)
    assert _refusal(data[: len(data) // 2]) == "truncated"


def test_text_named_jpg_is_not_an_image(tmp_path) -> None:
    path = tmp_path / "evidence.jpg"
    path.write_text("这不是照片，只是一段文字。\n" * 20, encoding="utf-8")
    with path.open("rb") as stream, pytest.raises(PhotoError) as caught:
        process_photo(stream)
    assert caught.value.code == "not_image"
    assert "JPEG" in caught.value.message


def test_empty_file() -> None:
    assert _refusal(b"") == "empty"
    with pytest.raises(PhotoError) as caught:
        process_photo(io.BytesIO(b""))
    assert caught.value.code == "empty"


def test_too_large_bytes() -> None:
    data = pf.make_jpeg(200, 200)
    assert _refusal(data, max_bytes=len(data) - 1) == "too_large"
    assert process_photo(data, max_bytes=len(data)).size == len(data)


def test_too_large_stream_reads_no_more_than_limit_plus_one() -> None:
    class CountingStream(io.BytesIO):
        consumed = 0

        def read(self, size: int | None = -1) -> bytes:
            chunk = super().read(size)
            self.consumed += len(chunk)
            return chunk

    stream = CountingStream(b"\xff" * 10_000)
    with pytest.raises(PhotoError) as caught:
        process_photo(stream, max_bytes=1000)
    assert caught.value.code == "too_large"
    assert stream.consumed == 1001


def test_default_size_message_is_plain_chinese() -> None:
    with pytest.raises(PhotoError) as caught:
        process_photo(b"\x00" * (20 * 1024 * 1024 + 1))
    assert caught.value.message == "照片超过20MB，请压缩后重新上传"


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_formats_are_unsupported(fmt: str) -> None:
    assert _refusal(pf.encode(pf.make_pattern(64, 64), fmt)) == "unsupported"


def test_pixel_bomb_png_refused_from_header(monkeypatch) -> None:
    data = pf.make_huge_png(20_000, 20_000)
    assert len(data) < 1_000_000

    def no_decoding(self) -> None:
        raise AssertionError("the pixels must not be decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    started = time.perf_counter()
    with pytest.raises(PhotoError) as caught:
        process_photo(data)
    assert time.perf_counter() - started < 1.0
    assert caught.value.code == "too_many_pixels"
    assert caught.value.message == "图片像素过大（超过5000万像素）"


def test_own_pixel_cap_applies_below_pillow_limit(monkeypatch) -> None:
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))
    assert _refusal(pf.make_huge_png(8000, 7000)) == "too_many_pixels"  # 56 M > 50 M, < Pillow's 89 M
    assert _refusal(pf.make_jpeg(400, 300), max_pixels=100_000) == "too_many_pixels"


@pytest.mark.parametrize("side", [10_000, 20_000])  # Pillow warns above 89 M pixels and raises above 179 M
def test_pillow_bomb_guard_becomes_photo_error(side: int) -> None:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert _refusal(pf.make_huge_png(side, side), max_pixels=10**10) == "too_many_pixels"
    assert not [w for w in seen if issubclass(w.category, Image.DecompressionBombWarning)]


def test_orientation_6_rotates_display_and_moves_corner_marker() -> None:
    img = pf.make_pattern(400, 300, 5)
    ImageDraw.Draw(img).rectangle((0, 0, 39, 39), fill=RED)  # stored top-left
    photo = process_photo(pf.encode(img, "JPEG", orientation=6, quality=95))
    display = _open(photo.display)
    assert (photo.width, photo.height) == (300, 400)
    assert display.size == (300, 400)
    # Orientation 6 means "rotate 90° clockwise to view", so the stored top-left lands top-right.
    assert _is_red(display.getpixel((300 - 10, 10)))
    assert not _is_red(display.getpixel((10, 10)))


def test_big_photo_display_is_small_and_has_no_metadata() -> None:
    taken = datetime(2024, 5, 1, 9, 30)
    data = pf.make_jpeg(4000, 3000, orientation=6, taken_at=taken, gps=(36.6512, 117.12))
    photo = process_photo(data)
    assert (photo.width, photo.height) == (3000, 4000)
    display, thumb = _open(photo.display), _open(photo.thumbnail)
    assert display.size == (1200, DISPLAY_MAX)
    assert max(thumb.size) <= THUMB_MAX and thumb.size == (240, 320)
    for img, raw in ((display, photo.display), (thumb, photo.thumbnail)):
        assert len(img.getexif()) == 0
        assert not {"exif", "xmp", "comment"} & set(img.info)
        assert b"Exif\x00\x00" not in raw and b"http://ns.adobe.com/xap" not in raw


def test_taken_at_without_offset_is_shanghai_time() -> None:
    photo = process_photo(pf.make_jpeg(200, 150, taken_at=datetime(2024, 5, 1, 9, 30, 15)))
    assert photo.taken_at is not None and photo.taken_at.utcoffset() == timedelta(hours=8)
    assert photo.taken_at == datetime(2024, 5, 1, 1, 30, 15, tzinfo=UTC)


def test_taken_at_uses_offset_time_original() -> None:
    taken = datetime(2024, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5)))
    photo = process_photo(pf.make_jpeg(200, 150, taken_at=taken))
    assert photo.taken_at == taken and photo.taken_at.utcoffset() == timedelta(hours=-5)


def test_taken_at_falls_back_to_datetime_tag() -> None:
    img = pf.make_pattern(200, 150)
    exif = Image.Exif()
    exif[ExifTags.Base.DateTime] = "2023:02:03 04:05:06"
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", exif=exif.tobytes())
    taken = process_photo(buffer.getvalue()).taken_at
    assert taken == datetime(2023, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=8)))


def test_no_exif_means_no_time_and_no_place() -> None:
    photo = process_photo(pf.make_png(100, 100))
    assert photo.taken_at is None and photo.gps is None


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ((36.6512, 117.12), (Decimal("36.651200"), Decimal("117.120000"))),
        ((-33.868820, -151.209296), (Decimal("-33.868820"), Decimal("-151.209296"))),
        ((22.5431, -0.1278), (Decimal("22.543100"), Decimal("-0.127800"))),
    ],
)
def test_gps_parsed_to_six_places(point, expected) -> None:
    photo = process_photo(pf.make_jpeg(200, 150, gps=point))
    assert photo.gps == expected
    assert all(value.as_tuple().exponent == -6 for value in photo.gps)


def test_gps_from_webp_and_heic_exif() -> None:
    for maker in (pf.make_webp, pf.make_heic):
        assert process_photo(maker(200, 150, gps=(36.6512, 117.12))).gps == (
            Decimal("36.651200"),
            Decimal("117.120000"),
        )


def _jpeg_with_exif(exif: Image.Exif | bytes) -> bytes:
    """Encode a small pattern with the given raw or structured EXIF."""
    buffer = io.BytesIO()
    raw = exif.tobytes() if isinstance(exif, Image.Exif) else exif
    pf.make_pattern(200, 150, 9).save(buffer, "JPEG", exif=raw)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "exif",
    [
        b"Exif\x00\x00II*\x00\xff\xff\xff\x7f garbage",
        b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x05\x01\x12\x00\x03",
        b"not exif at all",
    ],
)
@pytest.mark.filterwarnings("error")
def test_malformed_exif_still_processes(exif: bytes) -> None:
    photo = process_photo(_jpeg_with_exif(exif))
    assert photo.taken_at is None and photo.gps is None
    assert _open(photo.display).size == (200, 150)


def test_malformed_values_are_ignored() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 99
    exif[ExifTags.IFD.Exif] = {36867: "0000:00:00 00:00:00", 36881: "+99:99"}
    gps = pf.gps_ifd(36.6512, 117.12)
    gps[2] = (TiffImagePlugin.IFDRational(36, 0), 0, 0)
    exif[ExifTags.IFD.GPSInfo] = gps
    photo = process_photo(_jpeg_with_exif(exif))
    assert (photo.width, photo.height, photo.taken_at, photo.gps) == (200, 150, None, None)


def test_null_island_gps_is_ignored() -> None:
    assert process_photo(pf.make_jpeg(200, 150, gps=(0, 0))).gps is None


def test_reencoded_and_resized_copy_is_near_duplicate() -> None:
    original = process_photo(pf.make_jpeg(1200, 900, pattern_seed=11, quality=92))
    img = pf.make_pattern(1200, 900, 11).resize((960, 720), Image.Resampling.LANCZOS)
    copy = process_photo(pf.encode(img, "JPEG", quality=60))
    assert hamming(original.phash, copy.phash) <= 6
    assert is_near_duplicate(original.phash, copy.phash)


def test_same_picture_in_other_formats_is_near_duplicate() -> None:
    jpeg = process_photo(pf.make_jpeg(800, 600, pattern_seed=4)).phash
    for maker in (pf.make_png, pf.make_webp, pf.make_heic):
        assert hamming(jpeg, process_photo(maker(800, 600, pattern_seed=4)).phash) <= 6


@pytest.mark.parametrize("seeds", [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9)])
def test_different_pictures_are_far_apart(seeds: tuple[int, int]) -> None:
    a, b = (process_photo(pf.make_jpeg(800, 600, pattern_seed=seed)).phash for seed in seeds)
    assert hamming(a, b) > 10
    assert not is_near_duplicate(a, b)


def test_hamming_counts_bits() -> None:
    assert hamming("0" * 16, "f" * 16) == 64
    assert hamming("00000000000000ff", "000000000000000f") == 4
    assert is_near_duplicate("0" * 16, "000000000000003f") and not is_near_duplicate("0" * 16, "7f" * 8)
    with pytest.raises(ValueError):
        hamming("00", "000")
