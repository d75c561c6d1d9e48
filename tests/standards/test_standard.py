import json
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from standards.models import Round, StandardVersion
from standards.rounds import round_open
from standards.versions import BUNDLED, StandardError, describe, load_file, parse, standard_save

SPEC = Path(__file__).resolve().parents[3] / "shared" / "spec" / "smart-community-standard.yaml"


def spec_data() -> dict:
    source = SPEC if SPEC.exists() else BUNDLED
    return json.loads(json.dumps(yaml.safe_load(source.read_text(encoding="utf-8")), default=str))


def test_bundled_copy_is_the_spec_byte_for_byte():
    if not SPEC.exists():
        pytest.skip("shared/spec not beside the checkout")
    assert BUNDLED.read_bytes() == SPEC.read_bytes()


@pytest.mark.django_db
def test_describe_standard_reproduces_the_spec_item_for_item():
    load_file()
    out = StringIO()
    call_command("describe_standard", "--format", "json", stdout=out)
    described = json.loads(out.getvalue())
    spec = spec_data()
    assert described["version"] == 1
    assert described["code"] == spec["code"] == "SD-ZHSQ-2019"
    assert described["categories"] == spec["categories"]
    assert described["rollup"] == spec["rollup"]
    assert len(described["items"]) == 25
    for ours, theirs in zip(described["items"], spec["items"], strict=True):
        assert ours == theirs, f"item {theirs['number']} differs"


@pytest.mark.django_db
def test_load_standard_is_idempotent_and_a_change_makes_a_new_version():
    first, created = load_file()
    again, created_again = load_file()
    assert created and not created_again and again.pk == first.pk
    changed = parse(BUNDLED.read_text(encoding="utf-8"))
    changed["items"][7]["rules"][0]["percent"] = 65
    second, created = standard_save(changed, note="调整智能照明阈值")
    assert created and second.version == 2
    assert StandardVersion.objects.get(version=1).item(8)["rules"][0]["percent"] == 60
    assert second.item(8)["rules"][0]["percent"] == 65


@pytest.mark.django_db
def test_a_round_stays_pinned_to_its_version():
    v1, _ = load_file()
    round_2026, _ = round_open("2026")
    changed = parse(BUNDLED.read_text(encoding="utf-8"))
    changed["title"] += "（修订）"
    v2, _ = standard_save(changed)
    round_2027, _ = round_open("2027")
    assert Round.objects.get(code="2026").standard == v1
    assert round_2027.standard == v2
    assert describe(v2)["version"] == 2


@pytest.mark.django_db
def test_reopening_a_round_keeps_its_version():
    v1, _ = load_file()
    round_, _ = round_open("2026")
    round_.status = "closed"
    round_.save()
    changed = parse(BUNDLED.read_text(encoding="utf-8"))
    changed["title"] += "（修订）"
    standard_save(changed)
    reopened, created = round_open("2026")
    assert not created and reopened.is_open and reopened.standard == v1


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d["items"][0]["rules"][0].update(numerator="nope"), "不存在的字段 nope"),
        (lambda d: d["items"][0]["rules"][0].update(op="eq"), "比较方式 eq 未知"),
        (lambda d: d["items"][1]["fields"][0].update(kind="photo"), "类型 photo 未知"),
        (lambda d: d["categories"][0]["items"].append(99), "分类中列出的指标与指标清单不一致"),
        (lambda d: d["rollup"].pop("county"), "rollup.county.tiers 缺失"),
    ],
)
@pytest.mark.django_db
def test_a_broken_standard_is_refused_with_the_reason(mutate, message):
    data = parse(BUNDLED.read_text(encoding="utf-8"))
    mutate(data)
    with pytest.raises(StandardError, match=message):
        standard_save(data)
    assert not StandardVersion.objects.exists()


@pytest.mark.django_db
def test_commands_report_errors_and_success(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError, match="载入失败"):
        call_command("load_standard", str(bad))
    with pytest.raises(CommandError, match="load_standard"):
        call_command("open_round", "2026")
    with pytest.raises(CommandError, match="找不到标准"):
        call_command("describe_standard", "--format", "json")
    out = StringIO()
    call_command("load_standard", stdout=out)
    call_command("open_round", "2026", "--name", "2026年度", stdout=out)
    assert "第1版" in out.getvalue() and Round.objects.get(code="2026").name == "2026年度"
