"""site/static/mobile/photoprep.js in headless Chromium at a phone viewport: display copies (size, upright for all
eight EXIF orientations through each decoding path, no metadata), the original's facts against hashlib and the
server's own reader, refusals with the server's Chinese messages, and the pure-JS SHA-256 in an insecure page."""

import base64
import functools
import hashlib
import http.server
import io
import random
import shutil
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from checklists.photos import process_photo
from tests.checklists import photo_factory as pf

pytestmark = pytest.mark.browser
PHOTOPREP_JS = Path(__file__).resolve().parents[2] / "site" / "static" / "mobile" / "photoprep.js"
PAGE = """<!doctype html><html lang="zh-CN"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>photoprep</title>
<input type="file" id="photo" accept="image/*" capture><script src="photoprep.js"></script></html>"""
INSECURE_ORIGIN = "http://photoprep.test"  # any non-loopback http origin is not a secure context
MSG = {
    "not_image": "文件不是有效的图片（支持 JPEG、PNG、WebP、HEIC）",
    "truncated": "图片文件不完整，可能上传中断，请重新拍摄或上传",
    "empty": "文件是空的，请重新选择照片",
    "unsupported": "不支持这种图片格式，请上传 JPEG、PNG、WebP 或 HEIC 照片",
    "too_many_pixels": "图片像素过大（超过5000万像素）",
    "no_decode": "这个浏览器无法压缩这种图片，将直接上传原图",
}
RED, BLUE = (230, 20, 20), (20, 20, 230)
CST = timezone(timedelta(hours=8))

# Runs in the page: prepare the file in #photo and hand everything back, the copy as base64.
PREPARE = """async (options) => {
  const file = document.querySelector('#photo').files[0];
  const started = performance.now();
  const result = await PhotoPrep.prepare(file, options || undefined);
  const ms = performance.now() - started;
  const copy = result.copy && await new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result.split(',')[1]);
    reader.readAsDataURL(result.copy);
  });
  return {...result, copy, copy_type: result.copy && result.copy.type, ms};
}"""
SHA256 = """async (b64) => {
  const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]);
  const started = performance.now();
  const hash = await PhotoPrep.sha256(blob);
  return [hash, performance.now() - started];
}"""
# Simulates an older decoder that ignores EXIF orientation: createImageBitmap gets the JPEG minus its APP1.
EXIF_BLIND = """(() => {
  const real = window.createImageBitmap;
  window.createImageBitmap = async (blob, options) => {
    const b = new Uint8Array(await new Response(blob).arrayBuffer());
    if (b[0] !== 0xFF || b[1] !== 0xD8) return real(blob, options);
    const parts = [b.subarray(0, 2)];
    let i = 2;
    for (let len; b[i] === 0xFF && b[i + 1] !== 0xDA; i += 2 + len) {
      len = b[i + 2] << 8 | b[i + 3];
      if (b[i + 1] !== 0xE1) parts.push(b.subarray(i, i + 2 + len));
    }
    parts.push(b.subarray(i));
    return real(new Blob(parts, {type: blob.type}), options);
  };
})();"""
NO_BITMAP = "window.createImageBitmap = undefined;"  # iOS Safari 12-14 has no createImageBitmap


@pytest.fixture(scope="module")
def static_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("photoprep")
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    shutil.copy(PHOTOPREP_JS, root / "photoprep.js")
    return root


@pytest.fixture(scope="module")
def base_url(static_dir):
    """Serve the test page from http://127.0.0.1:<free port>, which browsers count as a secure context."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(static_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def open_page(phone, base_url, static_dir):
    """Open the test page in a fresh phone context; `insecure` serves it from a non-secure origin instead."""

    def open_(init_script: str | None = None, insecure: bool = False):
        context = phone()
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        if insecure:
            context.route(f"{INSECURE_ORIGIN}/**", lambda route: route.fulfill(
                path=static_dir / (route.request.url.rsplit("/", 1)[1] or "index.html")))
            page.goto(f"{INSECURE_ORIGIN}/index.html")
        else:
            page.goto(f"{base_url}/index.html")
        page.wait_for_function("() => window.PhotoPrep")
        return page

    return open_


@pytest.fixture
def page(open_page):
    return open_page()


def prepare(page, data: bytes, name: str = "IMG_0001.jpg", mime: str = "image/jpeg", **options) -> dict:
    page.set_input_files("#photo", files=[{"name": name, "mimeType": mime, "buffer": data}])
    result = page.evaluate(PREPARE, options or None)
    result["image"] = Image.open(io.BytesIO(base64.b64decode(result["copy"]))) if result["copy"] else None
    result["bytes"] = base64.b64decode(result["copy"]) if result["copy"] else None
    return result


def marked_photo(width: int, height: int, fmt: str = "JPEG", *, grain: bool = False, **exif) -> bytes:
    """A patterned picture with a red marker at its stored top-left and a blue one at its stored top-right.
    `grain` adds film-like noise coarse enough to survive downscaling, so sizes resemble a camera's photos."""
    img = pf.make_pattern(width, height, seed=7)
    if grain:
        grain_size = (width * 2 // 5, height * 2 // 5)
        noise = Image.frombytes("L", grain_size, random.Random(width).randbytes(grain_size[0] * grain_size[1]))
        img = Image.blend(img, noise.resize(img.size, Image.Resampling.BICUBIC).convert("RGB"), 0.1)
    draw = ImageDraw.Draw(img)
    mw, mh = width // 8, height // 8
    draw.rectangle((0, 0, mw, mh), fill=RED)
    draw.rectangle((width - mw, 0, width, mh), fill=BLUE)
    return pf.encode(img, fmt, quality=90, **exif)


def colour_at(img: Image.Image, fx: float, fy: float) -> tuple[int, int, int]:
    return img.convert("RGB").getpixel((int(img.width * fx), int(img.height * fy)))


def near(colour, expected, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def segments(jpeg: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of scan."""
    markers, i = [], 2
    while jpeg[i] == 0xFF and jpeg[i + 1] != 0xDA:
        markers.append(jpeg[i + 1])
        i += 2 + int.from_bytes(jpeg[i + 2 : i + 4], "big")
    return markers


def assert_metadata_free(result: dict) -> None:
    assert result["copy_type"] == "image/jpeg" and result["bytes"][:3] == b"\xff\xd8\xff"
    assert result["image"].format == "JPEG"
    assert not result["image"].getexif()
    assert 0xE1 not in segments(result["bytes"]), "the copy still carries an APP1 (EXIF/XMP) segment"


def best_orientation(copy: Image.Image, original: bytes) -> tuple[int, float]:
    """Which of the eight transposes of the original the copy matches best, and by what mean difference."""
    raw = Image.open(io.BytesIO(original)).convert("L")
    small = copy.convert("L").resize((48, 48))
    scores = {}
    for orientation in range(1, 9):
        upright = _transposed(raw, orientation)
        if (upright.width > upright.height) != (copy.width > copy.height):
            continue
        reference = upright.resize((48, 48))
        scores[orientation] = sum(abs(a - b) for a, b in zip(small.tobytes(), reference.tobytes(), strict=True)) / 48**2
    best = min(scores, key=scores.get)
    return best, scores[best]


def _transposed(img: Image.Image, orientation: int) -> Image.Image:
    transpose = {2: "FLIP_LEFT_RIGHT", 3: "ROTATE_180", 4: "FLIP_TOP_BOTTOM", 5: "TRANSPOSE", 6: "ROTATE_270",
                 7: "TRANSVERSE", 8: "ROTATE_90"}.get(orientation)
    return img.transpose(getattr(Image.Transpose, transpose)) if transpose else img


def test_12_megapixel_photo_gives_an_upright_small_copy_and_the_original_facts(page):
    taken_at = datetime(2026, 3, 14, 9, 26, 53, tzinfo=CST)
    original = marked_photo(4000, 3000, grain=True, orientation=6, taken_at=taken_at, gps=("31.230416", "121.473701"))

    result = prepare(page, original, "IMG_20260314_092653.jpg")

    print(f"\n12 MP JPEG {len(original) / 1024:.0f} KB -> copy {len(result['bytes']) / 1024:.0f} KB "
          f"{result['image'].size}, prepare() {result['ms']:.0f} ms")
    assert result["refused"] is None and result["reason"] is None
    assert result["image"].size == (1200, 1600)
    # Orientation 6 turns the stored top-left to the top-right and the stored top-right to the bottom-right.
    assert near(colour_at(result["image"], 15 / 16, 1 / 16), RED)
    assert near(colour_at(result["image"], 15 / 16, 15 / 16), BLUE)
    for fx, fy in ((1 / 16, 1 / 16), (1 / 16, 15 / 16)):
        assert not near(colour_at(result["image"], fx, fy), RED) and not near(colour_at(result["image"], fx, fy), BLUE)
    assert_metadata_free(result)
    assert len(result["bytes"]) <= 500_000
    assert result["facts"] == {
        "sha256": hashlib.sha256(original).hexdigest(), "size": len(original), "name": "IMG_20260314_092653.jpg",
        "type": "image/jpeg", "width": 3000, "height": 4000, "taken_at": "2026-03-14T09:26:53+08:00",
        "gps_lat": "31.230416", "gps_lon": "121.473701", "orientation": 6,
    }


def test_small_photo_is_not_upscaled(page):
    result = prepare(page, pf.make_jpeg(800, 600))
    assert result["image"].size == (800, 600)
    assert_metadata_free(result)
    assert result["facts"]["orientation"] is None and result["facts"]["taken_at"] is None


@pytest.mark.parametrize(("max_side", "expected"), [(2048, (2048, 1536)), (1800, (1800, 1350)), (9000, (2048, 1536)),
                                                    (100, (1600, 1200)), ("x", (1600, 1200))])
def test_max_side_is_configurable_between_1600_and_2048(page, max_side, expected):
    assert prepare(page, pf.make_jpeg(2400, 1800), maxSide=max_side)["image"].size == expected


@pytest.mark.parametrize("mode", ["createImageBitmap", "img element", "EXIF-blind decoder"])
def test_every_orientation_comes_out_upright(open_page, mode):
    """Through createImageBitmap, through <img> (no createImageBitmap, as on iOS 12) and through a decoder that
    ignores EXIF (so photoprep.js must turn the canvas itself), each orientation is applied exactly once."""
    page = open_page({"createImageBitmap": None, "img element": NO_BITMAP, "EXIF-blind decoder": EXIF_BLIND}[mode])
    for orientation in range(1, 9):
        original = marked_photo(2000, 1000, orientation=orientation)
        result = prepare(page, original)
        assert result["image"].size == ((800, 1600) if orientation >= 5 else (1600, 800)), orientation
        best, difference = best_orientation(result["image"], original)
        assert (best, orientation) == (orientation, orientation) and difference < 12, (mode, orientation, difference)
        assert result["facts"]["orientation"] == orientation
        assert_metadata_free(result)


@pytest.mark.parametrize(("fmt", "make"), [
    ("PNG", pf.make_png),
    ("WEBP", pf.make_webp),
    ("WEBP", lambda width, height: pf.encode(pf.make_pattern(width, height), "WEBP", lossless=True)),
])
def test_png_and_webp_give_jpeg_copies(page, fmt, make):
    original = make(2400, 1200)
    result = prepare(page, original, f"screen.{fmt.lower()}", f"image/{fmt.lower()}")
    assert Image.open(io.BytesIO(original)).format == fmt
    assert result["image"].size == (1600, 800)
    assert_metadata_free(result)
    assert result["facts"]["type"] == f"image/{fmt.lower()}"
    assert (result["facts"]["width"], result["facts"]["height"]) == (2400, 1200)
    assert result["facts"]["sha256"] == hashlib.sha256(original).hexdigest()


def test_transparent_png_is_laid_over_white(page):
    result = prepare(page, pf.make_png(400, 300, mode="RGBA"), "shot.png", "image/png")
    assert near(colour_at(result["image"], 0.5, 0), (255, 255, 255), tolerance=8)  # alpha is 0 along the top


def test_heic_that_chromium_cannot_decode_is_left_for_upload_as_is(page):
    original = pf.make_heic(1200, 900, orientation=6, taken_at=datetime(2026, 3, 14, 9, 0, tzinfo=CST))
    result = prepare(page, original, "IMG_0002.HEIC", "image/heic")
    assert result["refused"] is None
    facts = result["facts"]
    assert facts["sha256"] == hashlib.sha256(original).hexdigest()
    assert facts["size"] == len(original) and facts["type"] == "image/heic"
    if result["copy"] is None:
        assert result["reason"] == MSG["no_decode"]
    else:  # a Chromium built with HEIC support
        assert result["image"].format == "JPEG"


def test_refusals_use_plain_chinese(page):
    jpeg = pf.make_jpeg(1200, 900)
    png = pf.make_png(600, 400)
    cases = [
        (b"Meeting notes: bring the ledger.\n" * 40, "photo.jpg", "not_image"),
        (jpeg[: len(jpeg) // 2], "cut.jpg", "truncated"),
        (jpeg[:400], "header.jpg", "truncated"),
        (jpeg[:-2], "no-eoi.jpg", "truncated"),
        (png[:-100], "cut.png", "truncated"),
        (b"", "empty.jpg", "empty"),
        (pf.encode(pf.make_pattern(64, 64), "GIF"), "anim.gif", "unsupported"),
        (pf.make_huge_png(10_000, 6_000), "huge.png", "too_many_pixels"),
    ]
    for data, name, code in cases:
        result = prepare(page, data, name)
        assert (result["refused"], result["copy"], result["reason"]) == (MSG[code], None, None), name
        assert result["facts"]["sha256"] is None and result["facts"]["size"] == len(data)


def test_data_after_the_end_of_image_is_not_mistaken_for_truncation(page):
    """Motion photos append a video after the JPEG's end marker."""
    original = pf.make_jpeg(1000, 750) + b"\x00\x00\x00\x18ftypmp42" + random.Random(1).randbytes(50_000)
    result = prepare(page, original)
    assert result["refused"] is None and result["image"].size == (1000, 750)
    assert result["facts"]["sha256"] == hashlib.sha256(original).hexdigest()


EXIF_CASES = {
    "south-west, naive time": dict(orientation=8, taken_at=datetime(2025, 12, 31, 23, 59, 59),
                                   gps=("-33.856784", "-151.215297")),
    "offset -05:00": dict(taken_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=-5))),
                          gps=("40.689247", "-74.044502")),
    "no fix (0, 0)": dict(orientation=3, gps=(0, 0)),
    "exact half microdegree": dict(gps=("27.8479245", "-84.6225435")),  # float alone rounds these down
    "tiny south": dict(gps=("-0.0000004", "0.000001")),
    "no EXIF": {},
}


def _broken_exif_jpeg() -> bytes:
    jpeg = pf.make_jpeg(640, 480)
    junk = b"Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08\x00\x05\x01\x12\x00\x03" + b"\xff" * 20
    return jpeg[:2] + b"\xff\xe1" + (len(junk) + 2).to_bytes(2, "big") + junk + jpeg[2:]


def test_facts_match_the_server_reader(page):
    """The phone's facts equal what checklists/photos.py reads from the same original."""
    originals = {name: marked_photo(900, 600, **exif) for name, exif in EXIF_CASES.items()}
    originals["broken EXIF"] = _broken_exif_jpeg()
    originals["PNG with EXIF"] = marked_photo(600, 400, "PNG", orientation=6, gps=("22.543096", "114.057865"))
    # Chromium ignores a WebP's EXIF orientation (Pillow does not), so this one has none.
    originals["WebP with EXIF"] = marked_photo(600, 400, "WEBP", taken_at=datetime(2026, 2, 1, 7, 0), gps=(39.9, 116.4))
    for name, original in originals.items():
        result = prepare(page, original)
        server = process_photo(original)
        gps = [str(value) for value in server.gps] if server.gps else [None, None]
        expected = {
            "sha256": server.sha256, "size": server.size, "type": server.mime, "width": server.width,
            "height": server.height, "taken_at": server.taken_at.isoformat() if server.taken_at else None,
            "gps_lat": gps[0], "gps_lon": gps[1],
        }
        assert {key: result["facts"][key] for key in expected} == expected, name
        assert result["image"].size == Image.open(io.BytesIO(server.display)).size, name


SIZES = [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 1 << 20, 5 << 20]


def test_pure_js_sha256_in_an_insecure_page(open_page):
    page = open_page(insecure=True)
    assert page.evaluate("() => [window.isSecureContext, typeof (window.crypto && window.crypto.subtle)]") == [
        False, "undefined"]
    rng = random.Random(56)
    for size in SIZES:
        data = rng.randbytes(size)
        digest, ms = page.evaluate(SHA256, base64.b64encode(data).decode())
        assert digest == hashlib.sha256(data).hexdigest(), size
        if size >= 1 << 20:
            print(f"\npure-JS SHA-256 of {size >> 20} MB: {ms:.0f} ms", end="")
    # The whole preparation works there too, hashing with the bundled code.
    original = marked_photo(4000, 3000, grain=True, orientation=6, gps=("31.230416", "121.473701"))
    result = prepare(page, original)
    print(f"\n12 MP JPEG in an insecure page: prepare() {result['ms']:.0f} ms")
    assert result["facts"]["sha256"] == hashlib.sha256(original).hexdigest()
    assert result["image"].size == (1200, 1600)


def test_webcrypto_sha256_in_the_secure_page(page):
    assert page.evaluate("() => window.isSecureContext && typeof crypto.subtle.digest") == "function"
    rng = random.Random(64)
    for size in SIZES:
        data = rng.randbytes(size)
        assert page.evaluate(SHA256, base64.b64encode(data).decode())[0] == hashlib.sha256(data).hexdigest(), size


def test_read_exif_and_estimate_storage(page):
    original = pf.make_jpeg(400, 300, orientation=5, taken_at=datetime(2026, 5, 1, 8, 0, tzinfo=CST), gps=(1, 2))
    facts = page.evaluate("(b64) => PhotoPrep.readExif(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer)",
                          base64.b64encode(original).decode())
    assert facts == {"orientation": 5, "taken_at": "2026-05-01T08:00:00+08:00", "gps_lat": "1.000000",
                     "gps_lon": "2.000000", "width": 300, "height": 400}
    estimate = page.evaluate("() => PhotoPrep.estimateStorage()")
    assert estimate is None or estimate["quota"] > 0
