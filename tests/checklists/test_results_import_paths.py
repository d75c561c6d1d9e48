"""import_results reads photos only inside the JSONL file's folder: `../`, absolute paths and symlinks leading
out are refused with their line number (the file stays atomic: nothing is imported); and the user's role."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from checklists.models import Evidence, ItemResult
from communities.models import CityPage, Role
from tests.checklists.photo_factory import make_jpeg

LIGHTS = {"smart_lights": 60, "public_lights": 100, "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"}
OUTSIDE = "照片路径超出导入文件所在的文件夹（不允许 ../ 或指向外部的链接）"


def line(community: str, photos: list[str]) -> str:
    return json.dumps({"community": community, "round": "2026", "item": 8, "values": LIGHTS, "photos": photos,
                       "status": "approved"})


@pytest.fixture
def district(tmp_path) -> Path:
    """The district's folder with its own photo; beside it, a secret picture the file must not reach."""
    folder = tmp_path / "district"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "ok.jpg").write_bytes(make_jpeg(320, 240))
    (tmp_path / "secret.jpg").write_bytes(make_jpeg(320, 240, pattern_seed=4))
    (folder / "photos" / "link.jpg").symlink_to(tmp_path / "secret.jpg")
    return folder


@pytest.fixture
def importer(demo, make_user):
    return make_user("district-clerk", Role.VERIFIER, CityPage.objects.get(code="379900"))


def test_paths_leading_out_of_the_folder_are_refused_by_line_and_never_read(round_, importer, district, monkeypatch):
    secret = (district.parent / "secret.jpg").resolve()
    lines = [
        line("379902001001", ["photos/ok.jpg"]),                         # 1 good
        line("379902001002", ["../secret.jpg"]),                         # 2 climbs out
        line("379902001003", [str(secret)]),                             # 3 absolute
        line("379902001004", ["photos/link.jpg"]),                       # 4 a symlink pointing out
        line("379902001005", ["photos/../../district/../secret.jpg"]),   # 5 out and back in, still out
    ]
    (district / "results.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = []
    real_read = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.resolve()) or real_read(self))
    with pytest.raises(CommandError) as failure:
        call_command("import_results", str(district / "results.jsonl"), "--user", "district-clerk")
    message = str(failure.value)
    assert {int(n) for n in re.findall(r"^第(\d+)行：", message, re.MULTILINE)} == {2, 3, 4, 5}
    assert f"第2行：{OUTSIDE}：../secret.jpg" in message
    assert f"第3行：照片路径必须相对于导入文件：{secret}" in message
    assert f"第4行：{OUTSIDE}：photos/link.jpg" in message
    assert secret not in read
    assert not ItemResult.objects.exists() and not Evidence.objects.exists()  # atomic: line 1 is not kept


def test_a_relative_path_and_a_symlink_inside_the_folder_are_fine(round_, importer, district):
    (district / "photos" / "inner.jpg").symlink_to(district / "photos" / "ok.jpg")
    (district / "results.jsonl").write_text(
        line("379902001001", ["photos/ok.jpg"]) + "\n" + line("379902001002", ["./photos/../photos/inner.jpg"]) + "\n",
        encoding="utf-8")
    call_command("import_results", str(district / "results.jsonl"), "--user", "district-clerk")
    assert Evidence.objects.count() == 2


def test_a_user_without_the_import_right_there_is_refused(round_, make_user, other_unit_community, district):
    make_user("outsider", Role.VERIFIER, other_unit_community.get_parent().get_parent())  # another unit's verifier
    (district / "results.jsonl").write_text(line("379902001001", ["photos/ok.jpg"]) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as failure:
        call_command("import_results", str(district / "results.jsonl"), "--user", "outsider")
    assert "第1行：用户 outsider 无权导入社区 379902001001 的结果" in str(failure.value)
    assert not ItemResult.objects.exists()
