"""import_assessment: atomic, every bad line named by its number, --dry-run keeps nothing, --user must be
allowed, overrides need a note, and every value is on the audit trail as the importing user via import."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import ModelLogEntry

from assessments import selectors
from assessments.models import IndicatorValue
from assessments.regions import region_by
from assessments.services import VALUE_SAVED
from communities.models import Role, UnitPage
from tests.assessments.assessment_factory import write_jsonl

GOOD = [
    {"round": "2026", "level": "city", "code": "379900", "indicator": 4,
     "values": {"coverage_percent": 90, "integrity_percent": "88.5"}, "note": "公安局 2026-03 统计"},
    {"round": "2026", "level": "county", "code": "379921", "indicator": 48, "values": {"incidents": 0}},
]


def run(path, user="bureau", *extra):
    out = io.StringIO()
    call_command("import_assessment", str(path), "--user", user, *extra, stdout=out)
    return out.getvalue()


def test_a_good_file_is_imported_and_logged_as_the_user_via_import(assess, bureau, tmp_path):
    message = run(write_jsonl(tmp_path / "a.jsonl", GOOD))
    assert "共2行；保存指标2项" in message
    value = IndicatorValue.objects.get(number=4)
    assert value.values == {"coverage_percent": "90", "integrity_percent": "88.5"} and value.via == "import"
    assert value.note == "公安局 2026-03 统计"
    entry = ModelLogEntry.objects.filter(action=VALUE_SAVED, data__indicator=4).get()
    assert entry.user == bureau and entry.data["via"] == "import"
    assert IndicatorValue.objects.get(number=48).values == {"incidents": 0}


def test_numbers_are_read_exactly_as_written(assess, tmp_path):
    path = tmp_path / "exact.jsonl"
    path.write_text('{"round": "2026", "level": "city", "code": "379900", "indicator": 4, '
                    '"values": {"coverage_percent": 88.50, "integrity_percent": 1e2}}\n', encoding="utf-8")
    run(path)
    assert IndicatorValue.objects.get(number=4).values == {"coverage_percent": "88.50", "integrity_percent": "100"}
    assert selectors.result_for(assess, region_by("city", "379900")).figures.indicator(4).score.points == 6


def test_every_bad_line_is_named_and_nothing_is_kept(assess, tmp_path):
    lines = [
        GOOD[0],
        "{not json",
        {"round": "2026", "level": "town", "code": "379900", "indicator": 1, "values": {}},
        {"round": "2099", "level": "city", "code": "379900", "indicator": 1, "values": {"percent": 1}},
        {"round": "2026", "level": "county", "code": "379902", "indicator": 1, "values": {"percent": 1}},
        {"round": "2026", "level": "city", "code": "379900", "indicator": 1, "values": {"percent": "120"}},
        {"round": "2026", "level": "city", "code": "379900", "indicator": 24, "values": {"percent": "90"}},
        {"round": "2026", "level": "city", "code": "379900", "indicator": 4, "values": {"coverage_percent": 1}},
        {"round": "2026", "level": "city", "code": "379900", "indicator": "4", "values": {}, "colour": "red"},
        {"round": "2026", "level": "city", "code": "379900", "indicator": 77, "values": {"percent": 1}},
    ]
    with pytest.raises(CommandError) as caught:
        run(write_jsonl(tmp_path / "bad.jsonl", lines))
    message = str(caught.value)
    assert "导入失败，未写入任何数据" in message
    assert "第2行：不是有效的 JSON" in message
    assert "第3行：level 应为 city 或 county（现为“town”）" in message
    assert "第4行：轮次 2099 不存在" in message
    assert "第5行：找不到县级评价单位（县、县级市或独立性较强的建制区） 379902" in message  # a main urban district
    assert "第6行：家庭光纤入户率" not in message and "第6行：家庭光纤宽带入户率：请输入0到100之间的百分数" in message
    assert "第7行：本指标由社区数据汇总得出" in message  # an override without its reason
    assert "第8行：与第1行是同一指标（第4项）" in message
    assert "第9行：未知字段：colour；indicator 必须是指标编号（整数，现为“4”）" in message
    assert "第10行：设区市（附件1）没有第77项指标" in message
    assert "第1行" not in message.replace("与第1行", "")
    assert not IndicatorValue.objects.exists()  # the good first line was not kept either


def test_dry_run_checks_everything_and_keeps_nothing(assess, tmp_path):
    assert "试运行，未写入" in run(write_jsonl(tmp_path / "a.jsonl", GOOD), "bureau", "--dry-run")
    assert not IndicatorValue.objects.exists()


def test_the_user_must_be_allowed_for_every_line(assess, make_user, tmp_path):
    county_bureau = make_user("county-bureau", Role.BUREAU, UnitPage.objects.get(code="379921"))
    with pytest.raises(CommandError) as caught:
        run(write_jsonl(tmp_path / "a.jsonl", GOOD), county_bureau.username)
    assert "第1行：只有本市或本县（市、区）的大数据局可以填报自评（示范市）" in str(caught.value)
    assert "第2行" not in str(caught.value)  # its own county is fine, but the file is all or nothing
    assert not IndicatorValue.objects.exists()
    make_user("verifier-2", Role.VERIFIER, UnitPage.objects.get(code="379921"))
    with pytest.raises(CommandError, match="第2行：只有本市或本县"):
        run(write_jsonl(tmp_path / "a.jsonl", GOOD), "verifier-2")
    with pytest.raises(CommandError, match="用户 nobody 不存在"):
        run(write_jsonl(tmp_path / "a.jsonl", GOOD), "nobody")


def test_an_override_with_its_reason_and_a_line_that_clears(assess, tmp_path):
    override = {"round": "2026", "level": "city", "code": "379900", "indicator": 24, "values": {"percent": "90"},
                "note": "城管局网格化台账"}
    run(write_jsonl(tmp_path / "a.jsonl", [override]))
    assert IndicatorValue.objects.get(number=24).note == "城管局网格化台账"
    clear = {**override, "values": {"percent": None}}
    assert "清除1项" in run(write_jsonl(tmp_path / "b.jsonl", [clear]))
    assert not IndicatorValue.objects.exists()


def test_an_unreadable_file_is_one_clear_message(assess, tmp_path):
    path = tmp_path / "gbk.jsonl"
    path.write_bytes("{\"note\": \"公安局\"}".encode("gbk"))
    with pytest.raises(CommandError, match="不是 UTF-8 编码的 JSONL"):
        run(path)
    with pytest.raises(CommandError, match="无法读取文件"):
        run(tmp_path / "missing.jsonl")


def _line(values: str) -> str:
    return '{"round": "2026", "level": "county", "code": "379921", "indicator": 48, "values": ' + values + "}\n"


@pytest.mark.parametrize("values, named", [
    ('{"incidents": ' + "9" * 5000 + "}", "第1行：数值过长：最多30位数字"),
    ('{"incidents": 1e200000}', "第1行：数值过长：最多30位数字"),
    ('{"incidents": "' + "9" * 600_000 + '"}', "第1行：在智慧城市建设过程中发生的失泄密事件（案件）数：数值过长"),
    ('{"incidents": ' + "[" * 50_000 + "}", "第1行：JSON 嵌套过深：最多10层"),
    ('{"incidents": NaN}', "第1行：不是有效的 JSON（不接受 NaN）"),
], ids=["5000-digits", "1e200000", "600000-digit-text", "50000-brackets", "NaN"])
def test_hostile_numbers_and_nesting_are_named_lines_not_tracebacks(assess, tmp_path, values, named):
    path = tmp_path / "hostile.jsonl"
    path.write_text(_line(values) + json.dumps(GOOD[0]) + "\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run(path)
    assert named in str(caught.value) and "第2行" not in str(caught.value)
    assert not IndicatorValue.objects.exists()


def test_every_line_is_read_before_the_transaction_opens(assess, tmp_path, monkeypatch):
    """Values are parsed outside any transaction, so none is parsed while the round's scoring pin is locked."""
    from django.db import connection

    from standards import scoring

    depths, real = [], scoring.parse_inputs
    monkeypatch.setattr(scoring, "parse_inputs",
                        lambda *args: depths.append(len(connection.atomic_blocks) - baseline) or real(*args))
    baseline = len(connection.atomic_blocks)
    run(write_jsonl(tmp_path / "a.jsonl", GOOD))
    assert IndicatorValue.objects.count() == 2 and depths == [0, 0]
