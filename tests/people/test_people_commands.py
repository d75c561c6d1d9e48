"""import_people and activation_sheets: thin commands over the same services, Chinese errors, non-zero exits."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from people.models import Person
from tests.people.roster_files import roster

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_import_people_as_a_bureau(tmp_path, place, county_bureau, capsys):
    path = tmp_path / "名册.csv"
    path.write_bytes(roster(("张三", "13800000001", "社区工作人员", place.c1.code)))
    call_command("import_people", str(path), "--by", county_bureau.username, "--dry-run")
    assert "试运行" in capsys.readouterr().out and not User.objects.filter(username="13800000001").exists()
    call_command("import_people", str(path), "--by", county_bureau.username)
    assert "新增人员 1" in capsys.readouterr().out
    assert Person.objects.filter(user__username="13800000001").exists()


def test_import_people_names_every_bad_row_and_changes_nothing(tmp_path, place, county_bureau):
    path = tmp_path / "名册.csv"
    path.write_bytes(roster(("张三", "13800000001", "社区工作人员", place.c1.code),
                            ("李四", "13800000002", "社区工作人员", place.far_community.code)))
    with pytest.raises(CommandError, match=r"名册.csv 第3行：范围代码 .* 超出您的管辖范围"):
        call_command("import_people", str(path), "--by", county_bureau.username)
    assert not User.objects.filter(username="13800000001").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["missing.csv", "--by", "nobody"], "用户 nobody 不存在"),
    (["/nonexistent/名册.csv", "--by", "BUREAU"], "无法读取文件"),
])
def test_import_people_refuses_plainly(place, county_bureau, args, message):
    args = [county_bureau.username if a == "BUREAU" else a for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("import_people", *args)


def test_activation_sheets_write_pdf_and_html(tmp_path, place, county_bureau, capsys):
    path = tmp_path / "名册.csv"
    path.write_bytes(roster(("张三", "13800000001", "社区工作人员", place.c1.code),
                            ("李四", "13800000002", "区县审核人员", place.county.code)))
    call_command("import_people", str(path), "--by", county_bureau.username)
    call_command("activation_sheets", "--scope", place.county.code, "--out", str(tmp_path / "县.pdf"))
    assert "已打印 2 人的激活单" in capsys.readouterr().out
    assert (tmp_path / "县.pdf").read_bytes().startswith(b"%PDF")
    call_command("activation_sheets", "--scope", place.c1.code, "--out", str(tmp_path / "社区.html"))
    html = (tmp_path / "社区.html").read_text(encoding="utf-8")
    assert "张三" in html and "李四" not in html and html.count("<svg") == 1
    generation = Person.objects.get(user__username="13800000001").activation_generation
    assert generation == 2  # each print voided the one before


@pytest.mark.parametrize(("args", "message"), [
    (["--scope", "370199999", "--out", "x.pdf"], "未找到"),
    (["--scope", "SCOPE", "--out", "x.doc"], r"须以 \.pdf 或 \.html 结尾"),
    (["--scope", "SCOPE", "--out", "/nonexistent/dir/x.pdf"], "目录不存在"),
])
def test_activation_sheets_refuses_plainly(place, args, message):
    args = [place.c1.code if a == "SCOPE" else a for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("activation_sheets", *args)
