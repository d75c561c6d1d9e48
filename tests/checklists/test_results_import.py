"""import_results: good files, every bad line named, atomicity, dry runs, the audit trail, and the figures."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from checklists.models import ChecklistLogEntry, Evidence, ItemResult, Status
from checklists.results_import import import_results
from communities.models import CityPage, Role
from standards.versions import latest
from tests.checklists.photo_factory import make_jpeg
from tests.coverage.coverage_factory import build_region, passing_values

LIGHTS = {"smart_lights": 60, "public_lights": 100, "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"}


def write_jsonl(tmp_path: Path, lines: list, name: str = "results.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines) + "\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def photo(tmp_path) -> str:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "8-lamp-cabinet.jpg").write_bytes(make_jpeg(320, 240))
    return "photos/8-lamp-cabinet.jpg"


@pytest.fixture
def importer(demo, make_user):
    """A district clerk: the verifier's role over 示范市's units, where the paper results come from."""
    return make_user("district-clerk", Role.VERIFIER, CityPage.objects.get(code="379900"))


def line(community="379902001001", item=8, status="approved", values=None, photos=None, **extra) -> dict:
    return {"community": community, "round": "2026", "item": item, "values": LIGHTS if values is None else values,
            "photos": photos or [], "status": status, **extra}


def evidence_files() -> set[Path]:
    """Return the stored evidence files (MEDIA_ROOT is shared by the whole test run: compare before/after)."""
    root = Path(settings.MEDIA_ROOT) / "evidence"
    return {p for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_good_file_imports_values_photos_and_statuses(round_, importer, tmp_path, photo):
    path = write_jsonl(tmp_path, [
        line(photos=[photo], note="纸质核查表第3页", not_applicable={}),
        line(community="379902001002", status="submitted", photos=[photo]),
        line(community="379902001003", status="returned", note="照片不清晰，请重拍"),
        line(community="379902001004", item=9, status="draft", values={"connected_services": 2}),
    ])
    call_command("import_results", str(path), "--user", "district-clerk")
    approved = ItemResult.objects.get(community__code="379902001001", item_number=8)
    assert approved.status == Status.APPROVED and approved.rules_pass and approved.passes
    assert approved.values["kwh_with_smart"] == "800.08" and approved.note == "纸质核查表第3页"
    assert approved.decided_by == importer and approved.photos.count() == 1
    evidence = approved.photos.get()
    assert evidence.uploaded_by == importer and evidence.width == 320 and evidence.original_name == "8-lamp-cabinet.jpg"
    assert ItemResult.objects.get(community__code="379902001002").status == Status.SUBMITTED
    returned = ItemResult.objects.get(community__code="379902001003")
    # Returned on paper although it had no photo yet: the reason reaches the worker.
    assert returned.status == Status.RETURNED and returned.return_reason == "照片不清晰，请重拍"
    draft = ItemResult.objects.get(community__code="379902001004")
    assert draft.status == Status.DRAFT and draft.values == {"connected_services": 2} and not draft.rules_pass


def test_every_change_is_audited_as_the_importing_user_via_import(round_, importer, tmp_path, photo):
    path = write_jsonl(tmp_path, [line(photos=[photo]), line(community="379902001003", status="returned", note="重拍")])
    report = import_results(path, user=importer)
    assert report.ok and report.imported == 2 and report.photos == 1
    entries = ChecklistLogEntry.objects.all()
    assert {e.via for e in entries} == {"import"} and {e.user_id for e in entries} == {importer.pk}
    actions = [e.action for e in entries.filter(community_code="379902001001")]
    assert actions == ["checklists." + a for a in ("saved", "photo_added", "submitted", "approved", "imported")]
    imported = entries.get(action="checklists.imported", community_code="379902001003")
    assert (imported.from_status, imported.to_status, imported.reason) == ("draft", "returned", "重拍")
    assert imported.data["line"] == 2


def test_bad_lines_are_all_reported_and_nothing_is_written(round_, importer, tmp_path, photo):
    path = write_jsonl(tmp_path, [
        line(photos=[photo]),                                              # 1 good
        "{not json",                                                       # 2
        line(community="379999999999"),                                    # 3 unknown community
        line(status="returned"),                                           # 4 returned without a reason
        line(community="379902001002", item=26),                           # 5 no such item
        line(community="379902001002", values={**LIGHTS, "colour": "红"}),  # 6 unknown field
        line(community="379902001003", photos=["photos/missing.jpg"]),     # 7 missing photo
        line(community="379902001004"),                                    # 8 approved without a photo
        line(community="379902001005", values={**LIGHTS, "smart_lights": "很多"}, status="draft"),  # 9 bad value
        line(photos=[photo], status="submitted"),                          # 10 same item as line 1
        "",                                                                # 11 blank: ignored
        line(community="379902001005", status="finished"),                 # 12 unknown status
    ])
    files = evidence_files()
    with pytest.raises(CommandError) as failure:
        call_command("import_results", str(path), "--user", "district-clerk")
    message = str(failure.value)
    named = {int(n) for n in re.findall(r"^第(\d+)行：", message, re.MULTILINE)}
    assert named == {2, 3, 4, 5, 6, 7, 8, 9, 10, 12}  # not the good line 1, not the blank line 11
    assert "社区代码 379999999999 不存在" in message
    assert "退回理由" in message and "标准中没有第26项" in message and "colour" in message
    assert "找不到照片文件：photos/missing.jpg" in message and "至少上传1张照片作为佐证" in message
    assert "与第1行是同一社区同一指标" in message and "finished" in message
    assert not ItemResult.objects.exists() and not Evidence.objects.exists()
    assert not ChecklistLogEntry.objects.exists()
    assert evidence_files() == files  # the good line's processed photo was removed again


def test_dry_run_checks_everything_and_keeps_nothing(round_, importer, tmp_path, photo):
    good = write_jsonl(tmp_path, [line(photos=[photo])])
    files = evidence_files()
    call_command("import_results", str(good), "--user", "district-clerk", "--dry-run")
    assert not ItemResult.objects.exists() and evidence_files() == files
    incomplete = write_jsonl(tmp_path, [line()], name="incomplete.jsonl")
    with pytest.raises(CommandError, match="第1行"):
        call_command("import_results", str(incomplete), "--user", "district-clerk", "--dry-run")


def test_unknown_user_is_refused(round_, demo, tmp_path):
    path = write_jsonl(tmp_path, [line()])
    with pytest.raises(CommandError, match="用户 nobody 不存在"):
        call_command("import_results", str(path), "--user", "nobody")


def test_user_is_required(round_, demo, tmp_path):
    path = write_jsonl(tmp_path, [line()])
    with pytest.raises(CommandError):
        call_command("import_results", str(path))


def test_reimport_of_an_approved_item_is_stable(round_, importer, tmp_path, photo):
    import_results(write_jsonl(tmp_path, [line(photos=[photo], note="第一次")]), user=importer)
    report = import_results(write_jsonl(tmp_path, [line(photos=[photo])], name="again.jsonl"), user=importer)
    assert report.ok, report.errors
    result = ItemResult.objects.get()
    assert result.status == Status.APPROVED and result.passes
    assert result.photos.count() == 1  # the same photo is not attached twice
    assert result.note == "第一次"  # a line without a note keeps the item's own


def test_exact_decimals_from_json_numbers(round_, importer, tmp_path, photo):
    # 1000.1 -> 800.08 is exactly a 20% saving: it must pass even when given as JSON numbers, not strings.
    text = (
        '{"community": "379902001001", "round": "2026", "item": 8, "values": {"smart_lights": 60, '
        '"public_lights": 100, "kwh_without_smart": 1000.1, "kwh_with_smart": 800.08}, '
        f'"photos": ["{photo}"], "status": "approved"}}'
    )
    path = write_jsonl(tmp_path, [text])
    assert import_results(path, user=importer).ok
    result = ItemResult.objects.get()
    assert result.passes and result.values["kwh_with_smart"] == "800.08"


# --- the figures of an imported scenario, computed by hand --------------------------------------------


def all_items(community: str, photo: str, *, status: dict | None = None, values: dict | None = None) -> list[dict]:
    standard = latest()
    lines = []
    for item in standard.items:
        n = item["number"]
        lines.append({
            "community": community, "round": "2026", "item": n,
            "values": (values or {}).get(n, passing_values(item)), "photos": [photo],
            "status": (status or {}).get(n, "approved"),
        })
    return lines


def test_coverage_of_imported_results(round_, db, tmp_path, photo, make_user):
    build_region([
        ("379801", "甲区", "main_urban_district", [("001", "subdistrict", 2), ("101", "town", 1)]),
        ("379802", "乙区", "main_urban_district", [("001", "subdistrict", 1)]),
        ("379821", "丙县", "county", [("001", "subdistrict", 2)]),
    ])
    make_user("clerk", Role.VERIFIER, CityPage.objects.get(code="379800"))
    a, b, town, c, d = "379801001001", "379801001002", "379801101001", "379802001001", "379821001001"
    failing_lights = {8: {**LIGHTS, "kwh_with_smart": "900"}}  # a 10% saving: approved, but the rule fails
    lines = (
        all_items(a, photo)                                   # smart
        + all_items(b, photo, status={25: "submitted"})       # 24 pass
        + all_items(town, photo)                              # smart, but under a town: out of scope
        + all_items(c, photo, values=failing_lights)          # 24 pass
        + all_items(d, photo)                                 # smart; 379821002... has nothing
    )
    path = write_jsonl(tmp_path, lines)
    call_command("import_results", str(path), "--user", "clerk")
    out = tmp_path / "coverage.json"
    call_command("coverage", "--round", "2026", "--format", "json", "--out", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))

    # City 379800: main urban subdistrict communities a, b, c; only a is smart: 1/3 = 33.33% >= 30% -> 12 points;
    # > 50% needs more than 1.5, i.e. 2 smart: one more.
    assert data["cities"] == [{
        "code": "379800", "name": "测试市", "communities": 3, "smart_communities": 1, "coverage_percent": 33.33,
        "points": 12, "star": 4, "next_tier": {"star": 5, "points": 15, "smart_communities_needed": 1},
    }]
    units = {u["code"]: u for u in data["units"]}
    assert units["379801"] == {
        "code": "379801", "name": "甲区", "kind": "main_urban_district", "kind_confirmed": True, "city_code": "379800",
        "assessed_as": "city_main_urban", "communities": 2, "smart_communities": 1, "coverage_percent": 50.0,
    }
    assert (units["379802"]["communities"], units["379802"]["smart_communities"]) == (1, 0)
    # County 379821: d smart, the other community has nothing: 1/2 = 50% >= 50% -> 12; > 80% needs 2 -> one more.
    assert {k: units["379821"][k] for k in ("communities", "smart_communities", "coverage_percent", "points",
                                            "star", "next_tier")} == {
        "communities": 2, "smart_communities": 1, "coverage_percent": 50.0, "points": 12, "star": 4,
        "next_tier": {"star": 5, "points": 15, "smart_communities_needed": 1},
    }
    communities = {x["code"]: x for x in data["communities"]}
    assert [communities[x]["items_passed"] for x in (a, b, town, c, d)] == [25, 24, 25, 24, 25]
    assert communities[b]["pass_rate_percent"] == 96.0 and not communities[c]["smart"]
    assert communities[town]["smart"] and not communities[town]["in_scope"]
    assert communities["379821001002"]["items_passed"] == 0


def test_hostile_lines_are_named_not_tracebacks(round_, importer, tmp_path):
    deep = json.dumps(line()).replace('"values": {', '"values": {"x": ' + "[" * 50_000 + "], ", 1)
    path = write_jsonl(tmp_path, [
        json.dumps(line()).replace('"smart_lights": 60', '"smart_lights": ' + "9" * 5000),
        deep,
        line(item="8" * 5000),
        line(community="379902001002", values={**LIGHTS, "smart_lights": "9" * 600_000}),
        json.dumps(line(community="379902001003")).replace('"smart_lights": 60', '"smart_lights": NaN'),
        line(community="379902001004", colour="red"),
    ])
    report = import_results(path, user=importer)
    assert [str(error) for error in report.errors] == [
        "第1行：数值过长：最多30位数字",
        "第2行：JSON 嵌套过深：最多10层",
        f"第3行：item 必须是指标序号（现为“{'8' * 40}”）",
        f"第4行：{_label('smart_lights')}：数值过长：最多30位数字",
        "第5行：不是有效的 JSON（不接受 NaN）",
        "第6行：未知字段：colour",
    ]
    assert not ItemResult.objects.filter(revision__gt=0).exists()


def _label(key: str) -> str:
    item = latest().item(8)
    return next(field["label"] for field in item["fields"] if field["key"] == key)
