"""人员名册导入 over HTTP: a bureau uploads a roster (errors first, nothing changed; then accounts made), prints
activation sheets as HTML or PDF for its scope only; others are turned away; verifiers see names, not phones."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities.models import Assignment
from tests.factories import VerifierFactory, WorkerFactory
from tests.people.roster_files import roster

pytestmark = pytest.mark.django_db
User = get_user_model()


def upload(client, content: bytes, name: str = "名册.csv", **extra):
    return client.post(reverse("people_roster"), {"file": SimpleUploadedFile(name, content), **extra})


def test_a_county_bureau_sees_every_error_then_imports(client, place, county_bureau):
    client.force_login(county_bureau)
    page = client.get(reverse("people_roster"))
    assert page.status_code == 200 and "人员名册导入" in page.content.decode()
    bad = upload(client, roster(("张三", "13800000001", "社区工作人员", place.c1.code),
                                ("李四", "1380000000X", "社区工作人员", place.c2.code),
                                ("王五", "13800000003", "社区工作人员", place.far_community.code)))
    html = bad.content.decode()
    assert "导入失败，未写入任何数据" in html and "共 2 处错误" in html
    assert "名册.csv 第3行：手机号“1380000000X”格式不正确" in html and "名册.csv 第4行" in html
    assert not User.objects.filter(username="13800000001").exists()
    good = upload(client, roster(("张三", "13800000001", "社区工作人员", place.c1.code),
                                 ("李四", "13800000002", "社区工作人员", place.c2.code)))
    html = good.content.decode()
    assert "新增人员 2" in html and 'data-phone="13800000002"' in html
    assert f'name="scope" value="{place.c1.code}"' in html  # a print button per community of new people
    assert Assignment.objects.filter(user__username__in=["13800000001", "13800000002"]).count() == 2


def test_a_dry_run_changes_nothing(client, place, county_bureau):
    client.force_login(county_bureau)
    html = upload(client, roster(("张三", "13800000001", "社区工作人员", place.c1.code)), dry_run="on").content.decode()
    assert "试运行，未写入" in html and 'name="scope"' not in html.split("打印激活单</h2>")[0]
    assert not User.objects.filter(username="13800000001").exists()


def test_a_file_that_cannot_be_read_is_named(client, place, county_bureau):
    client.force_login(county_bureau)
    html = upload(client, "名字,电话\n".encode(), "坏表.csv").content.decode()
    assert "坏表.csv：未知列：名字、电话" in html and "缺少列" in html


def print_sheet(client, scope: str, fmt: str = "html", **extra):
    return client.post(reverse("people_sheet"), {"scope": scope, "format": fmt, **extra})


def test_sheets_print_as_html_and_pdf_in_scope_only(client, place, county_bureau):
    client.force_login(county_bureau)
    upload(client, roster(("张三", "13800000001", "社区工作人员", place.c1.code)))
    html = print_sheet(client, place.street.code)
    body = html.content.decode()
    assert html.status_code == 200 and "no-store" in html["Cache-Control"]
    assert "张三" in body and "13800000001" in body and "<svg" in body and "/activate/" in body
    assert 'style="' not in body and '<style nonce="' in body  # the page's CSP allows only the nonce
    pdf = print_sheet(client, place.county.code + "000000", "pdf", include_activated="on")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert b"STSong-Light" in pdf.content
    refused = print_sheet(client, place.far_community.code)
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    unknown = print_sheet(client, "370199999")
    assert unknown.status_code == 302 and unknown["Location"] == reverse("people_roster")


@pytest.mark.parametrize("who", ["verifier", "worker", "anonymous"])
def test_others_are_turned_away(client, place, who):
    if who == "verifier":
        client.force_login(VerifierFactory(regions=[place.county]))
    elif who == "worker":
        client.force_login(WorkerFactory(regions=[place.c1]))
    expected = "/admin/" if who == "verifier" else "/admin/login/"
    for response in (client.get(reverse("people_roster")), print_sheet(client, place.c1.code),
                     upload(client, roster(("张三", "13800000001", "社区工作人员", place.c1.code)))):
        assert response.status_code == 302 and response["Location"].startswith(expected)
    assert not User.objects.filter(username="13800000001").exists()
