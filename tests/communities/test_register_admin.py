"""导入社区名册 in the admin, walked through its real URL and form as an administrator: the old register, the
division table's five files (dry run, then for real), annual changes with a moves file, and refused files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import CommunityPage, UnitPage
from tests.communities.divisions_data import as_files, csv_bytes, raw_files, recoded, tables, without
from tests.communities.test_register import ROWS
from tests.communities.test_register import csv_bytes as register_csv
from tests.factories import AdminFactory, UnitFactory, VerifierFactory

URL = "/admin/register/import/"


@pytest.fixture
def admin(client, db):
    client.force_login(AdminFactory())
    return client


def uploads(files):
    return [SimpleUploadedFile(name, content) for name, content in files]


def post(client, files, **fields):
    return client.post(URL, {"file": uploads(files), **fields}).content.decode()


def test_the_screen_offers_both_kinds_of_file(admin):
    page = admin.get(URL).content.decode()
    assert "社区名册" in page and "统计用区划代码表" in page and 'type="file"' in page and "multiple" in page
    assert 'name="retire_missing"' in page and 'name="moves"' in page


def test_the_old_register_still_imports(admin):
    page = post(admin, [("register.csv", register_csv(ROWS, "gbk"))])
    assert "新增 市1 区县2 街道/乡镇2 社区3" in page and CommunityPage.objects.count() == 3


def test_the_five_published_files_dry_run_then_for_real(admin):
    page = post(admin, raw_files(), kind="divisions", dry_run="on")
    assert "共236行；新增 市1 区县4 街道/乡镇9 社区221" in page and "（试运行，未写入）" in page
    assert "变更清单" in page and "370811002003" in page and not UnitPage.objects.exists()
    page = post(admin, raw_files(), kind="divisions")
    assert "试运行" not in page and CommunityPage.objects.count() == 221
    assert "另有 36 项变更未列出" in page  # 236 changes, 200 listed


def test_annual_changes_with_a_moves_file(admin):
    post(admin, raw_files(), kind="divisions")
    data = recoded(without(tables(), "370826206200"), "370881101", "370826110", name="新镇")
    moves = SimpleUploadedFile("moves.csv", csv_bytes([["old_code", "new_code"], ["370881101", "370826110"]]))
    page = admin.post(URL, {"file": uploads(as_files(data)), "kind": "divisions", "retire_missing": "on",
                            "moves": moves}).content.decode()
    assert "撤销 市0 区县0 街道/乡镇0 社区1" in page and "迁移" in page and "370826110" in page


def test_bad_files_are_named_and_nothing_is_written(admin):
    page = post(admin, [("villages.csv", csv_bytes([["code", "name"], ["3708110020", "坏"]]))], kind="divisions")
    assert "导入失败，未写入任何数据" in page and "villages.csv 第2行" in page
    assert not UnitPage.objects.exists()
    page = post(admin, [("a.csv", b"x"), ("b.csv", b"y")])
    assert "社区名册只能是一个文件" in page


def test_others_are_refused(client, db):
    client.force_login(VerifierFactory(regions=[UnitFactory()]))
    response = client.post(URL, {"file": uploads(raw_files()), "kind": "divisions"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not CommunityPage.objects.exists()
