"""QR codes encode absolute links from SITE_URL; PNG and compact SVG draw exactly the qrcode library's matrix;
A4 sheets carry the community code and 25 labelled item codes, per community or in batches per street/unit."""

import io
import re

import pytest
import qrcode
from django.contrib.auth import get_user_model
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.svg import SvgPathImage

from checklists import qr
from communities.models import CommunityPage

User = get_user_model()


def expected_matrix(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=qr.BORDER)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def png_matrix(png: bytes, size: int, box: int = 8) -> list[list[bool]]:
    image = Image.open(io.BytesIO(png)).convert("L")
    assert image.size == (size * box, size * box)
    return [[image.getpixel((x * box + box // 2, y * box + box // 2)) < 128 for x in range(size)] for y in range(size)]


def svg_matrix(svg: str) -> list[list[bool]]:
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    grid = [[False] * size for _ in range(size)]
    for x, y, width in re.findall(r"M(\d+) (\d+)\.5h(\d+)", svg):
        for dx in range(int(width)):
            grid[int(y)][int(x) + dx] = True
    return grid


@pytest.fixture
def worker_client(client, demo):
    client.force_login(User.objects.get(username="worker"))
    return client


def test_links_are_absolute_on_the_configured_site(settings):
    settings.SITE_URL = "https://zhsq.example.gov.cn"
    assert qr.community_url("370102001001") == "https://zhsq.example.gov.cn/c/370102001001/"
    assert qr.item_url("370102001001", 8) == "https://zhsq.example.gov.cn/c/370102001001/items/8/"


def test_svg_draws_the_libraries_matrix():
    data = "https://zhsq.example.gov.cn/c/370102001001/items/25/"
    svg = qr.qr_svg(data)
    assert svg_matrix(svg) == expected_matrix(data)
    library = qrcode.make(data, image_factory=SvgPathImage, error_correction=ERROR_CORRECT_M).to_string()
    assert len(svg) * 2 < len(library)  # runs, not a path per module: 26 of these make a sheet


def test_community_png_encodes_its_absolute_link(worker_client, round_, community, settings):
    settings.SITE_URL = "https://zhsq.example.gov.cn"
    response = worker_client.get(f"/c/{community.code}/qr.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    matrix = expected_matrix(f"https://zhsq.example.gov.cn/c/{community.code}/")
    assert png_matrix(response.content, len(matrix)) == matrix


def test_item_png_and_svg_encode_the_item_link(worker_client, round_, community):
    link = f"http://127.0.0.1:8000/c/{community.code}/items/8/"
    png = worker_client.get(f"/c/{community.code}/items/8/qr.png")
    matrix = expected_matrix(link)
    assert png_matrix(png.content, len(matrix)) == matrix
    svg = worker_client.get(f"/c/{community.code}/items/8/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and svg_matrix(svg.content.decode()) == matrix
    assert worker_client.get(f"/c/{community.code}/items/26/qr.png").status_code == 404


def test_qr_codes_need_a_login_and_the_community(client, round_, community, make_user, other_unit_community):
    assert client.get(f"/c/{community.code}/qr.png").status_code == 302
    client.force_login(make_user("stranger", "worker", other_unit_community))
    assert client.get(f"/c/{community.code}/qr.png").status_code == 403
    assert client.get(f"/c/{community.code}/qr-sheet/").status_code == 403


def test_community_sheet_has_the_code_and_25_labelled_items(worker_client, round_, community):
    response = worker_client.get(f"/c/{community.code}/qr-sheet/")
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<svg") == 26 and page.count('class="sheet"') == 1
    assert f"社区代码 {community.code}" in page and "@page{size:A4" in page
    for label in ("1. 宽带网络", "8. 智能照明", "24. 特殊人群监管", "25. 创新应用", "基础设施", "服务创新"):
        assert label in page
    assert f"http://127.0.0.1:8000/c/{community.code}/" in page


def test_street_batch_for_the_districts_verifier(client, round_, demo):
    client.force_login(User.objects.get(username="verifier"))
    response = client.get("/c/sheets/street/379902001/")
    page = response.content.decode()
    assert response.status_code == 200
    street = CommunityPage.objects.filter(street__code="379902001")
    assert page.count('class="sheet"') == street.count() == 5
    for community in street:
        assert f"社区代码 {community.code}" in page


def test_unit_batch_is_paged(client, round_, demo, settings, monkeypatch):
    monkeypatch.setattr("checklists.mobile.qr_views.SHEETS_PER_PAGE", 4)
    client.force_login(User.objects.get(username="verifier"))
    first = client.get("/c/sheets/unit/379902/").content.decode()
    assert first.count('class="sheet"') == 4 and "第 1/3 页，共 11 个社区" in first
    last = client.get("/c/sheets/unit/379902/?page=3").content.decode()
    assert last.count('class="sheet"') == 3


def test_batches_outside_ones_scope_are_404(client, round_, demo):
    client.force_login(User.objects.get(username="verifier"))
    assert client.get("/c/sheets/unit/379921/").status_code == 404  # not this verifier's unit
    client.force_login(User.objects.get(username="worker"))
    assert client.get("/c/sheets/street/379902001/").status_code == 404
    client.force_login(User.objects.get(username="bureau"))
    assert client.get("/c/sheets/unit/379921/").status_code == 200


def test_community_sheet_in_english(worker_client, round_, community):
    worker_client.cookies["django_language"] = "en"
    page = worker_client.get(f"/c/{community.code}/qr-sheet/").content.decode()
    assert '<html lang="en">' in page and f"Community code {community.code}" in page
    assert "Scan to open this community" in page and "checklist (login required)" in page
    assert "<title>Item 8</title>" in page and f"{community.title} · Smart community check" in page
    for chinese in ("社区代码", "扫码打开", "打印", "核查二维码", "第8项", "张贴"):
        assert chinese not in page
    assert "8. 智能照明" in page  # the standard's own names stay as the standard says them


def test_unit_batch_in_english(client, round_, demo, monkeypatch):
    monkeypatch.setattr("checklists.mobile.qr_views.SHEETS_PER_PAGE", 4)
    client.force_login(User.objects.get(username="verifier"))
    client.cookies["django_language"] = "en"
    first = client.get("/c/sheets/unit/379902/").content.decode()
    assert "4 sheets" in first and "(page 1 of 3, 11 communities" in first and "Next page" in first
