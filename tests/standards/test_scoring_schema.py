"""The real scoring YAML validates; corrupted copies are refused with every problem named in Chinese."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from standards.scoring import BUNDLED, ScoringStandardError, problems_of, validate
from tests.standards.scoring_factory import STANDARD, standard


def spec_copy() -> Path | None:
    """Return shared/spec/smart-city-scoring.yaml when a checkout sits beside it."""
    for parent in BUNDLED.parents:
        candidate = parent / "shared" / "spec" / "smart-city-scoring.yaml"
        if candidate.exists():
            return candidate
    return None


def test_the_real_yaml_validates() -> None:
    validate(STANDARD)
    assert problems_of(STANDARD) == []


def test_bundled_copy_is_the_spec_byte_for_byte() -> None:
    # Always against the digest recorded in SOURCES.sha256; against the spec itself where it sits beside us.
    recorded = next(line.split()[0] for line in (BUNDLED.parent / "SOURCES.sha256").read_text("utf-8").splitlines()
                    if not line.startswith("#") and line.split()[1] == BUNDLED.name)
    assert hashlib.sha256(BUNDLED.read_bytes()).hexdigest() == recorded
    spec = spec_copy()
    if spec is not None:
        assert BUNDLED.read_bytes() == spec.read_bytes()


def ind(data: dict, level: str, number: int) -> dict:
    """Return indicator `number` of a level in `data` (for corrupting)."""
    return next(i for i in data["levels"][level]["indicators"] if i["number"] == number)


def tier(data: dict, level: str, number: int, star: int) -> dict:
    """Return one tier of one indicator in `data`."""
    return next(t for t in ind(data, level, number)["tiers"] if t["star"] == star)


def _set(target: dict, key: str, value: object) -> None:
    target[key] = value


CORRUPTIONS: list[tuple[str, Callable[[dict], object], str]] = [
    ("missing-bands", lambda d: d.pop("bands"), "缺少 bands"),
    ("missing-name", lambda d: ind(d, "city", 3).pop("name"), "设区市第3项指标（weather_station_coverage）：缺少 name"),
    ("unknown-kind", lambda d: _set(ind(d, "city", 1)["inputs"][0], "kind", "ratio"),
     "输入项 percent 的类型 ratio 未知"),
    ("bad-when", lambda d: _set(tier(d, "city", 1, 3), "when", "percent >= "), "3星档的条件无法解析"),
    ("unknown-key", lambda d: _set(tier(d, "city", 1, 2), "when", "percnt >= 60"), "引用了未知的输入项或派生值 percnt"),
    ("unknown-option", lambda d: _set(tier(d, "city", 40, 2), "when", "level >= chairman"), "level 没有选项 chairman"),
    ("number-as-option", lambda d: _set(tier(d, "city", 40, 2), "when", "level >= 2"), "level 没有选项 2"),
    ("duplicate-number", lambda d: _set(ind(d, "county", 3), "number", 2), "县（市、区）：指标编号 2 重复"),
    ("duplicate-key", lambda d: _set(ind(d, "county", 3), "key", "fiber_household_rate"),
     "指标名称 fiber_household_rate 重复"),
    ("unknown-category", lambda d: _set(ind(d, "city", 5), "category", "culture"),
     "一级指标 culture 不在 categories 中"),
    ("bands-overlap", lambda d: _set(d["bands"][1], "min", 99), "1星分段（至99分）与2星分段（自99分起）重叠"),
    ("bands-gap", lambda d: _set(d["bands"][2], "min", 212), "2星分段（至209分）与3星分段（自212分起）不连续"),
    ("band-star", lambda d: _set(d["bands"][0], "star", 0), "分段的星级 0 应为1到5"),
    ("band-top", lambda d: _set(d["bands"][4], "max", 499), "最高分段的上限 499 与满分 500 不符"),
    ("tier-star", lambda d: _set(tier(d, "city", 12, 5), "star", 6), "星级 6 应为1到5的整数"),
    ("derived-unknown", lambda d: _set(ind(d, "city", 15)["derived"], "average", "avg(wireless_percent, x)"),
     "派生值 average 引用了不存在或非数值的输入项 x"),
    ("derived-bad", lambda d: _set(ind(d, "city", 15)["derived"], "average", "mean(a)"), "派生值 average 无法解析"),
    ("deduction-positive", lambda d: _set(ind(d, "city", 45)["deduction"], "points", 5), "扣分规则的分值 5 应为负整数"),
    ("bool-ge", lambda d: _set(tier(d, "city", 43, 2), "when", "special_fund >= true"), "special_fund == true 或"),
    ("points-order", lambda d: _set(tier(d, "city", 1, 2), "points", 1), "评分档的分值应随星级递增"),
    ("max-points", lambda d: _set(tier(d, "county", 11, 5), "points", 6), "各指标最高分之和为 501，与满分 500 不符"),
    ("percent-range", lambda d: _set(tier(d, "city", 1, 5), "when", "percent >= 120"), "percent 的阈值 120 超出0到100"),
    ("rank-range", lambda d: _set(tier(d, "city", 17, 5), "when", "rank <= 17"), "超出名次范围1到16"),
    ("count-fraction", lambda d: _set(tier(d, "city", 16, 1), "when", "modes >= 1.5"), "modes 的阈值 1.5 应为整数"),
    ("no-options", lambda d: ind(d, "city", 29)["inputs"][0].pop("options"), "是 level 类型，缺少 options"),
    ("no-tiers-no-deduction", lambda d: ind(d, "city", 45).pop("deduction"), "既没有评分档也没有扣分规则"),
    ("rank-of", lambda d: ind(d, "city", 17)["inputs"][0].pop("of"), "of（参与排名的数量）应为正整数"),
    ("source", lambda d: _set(ind(d, "city", 49), "source", "guess"), "source guess 未知"),
]


@pytest.mark.parametrize(("change", "fragment"), [c[1:] for c in CORRUPTIONS], ids=[c[0] for c in CORRUPTIONS])
def test_a_corrupted_copy_is_refused(change: Callable[[dict], object], fragment: str) -> None:
    data = standard()
    change(data)
    with pytest.raises(ScoringStandardError) as raised:
        validate(data)
    assert fragment in str(raised.value), raised.value.problems
    assert isinstance(raised.value, ValueError)


def test_every_problem_is_listed_at_once() -> None:
    data = standard()
    ind(data, "city", 5)["category"] = "culture"
    tier(data, "county", 1, 1)["when"] = "percent >> 50"
    with pytest.raises(ScoringStandardError) as raised:
        validate(data)
    assert len(raised.value.problems) == 2
    message = str(raised.value)
    assert message.startswith("评分标准有以下问题：")
    assert "设区市第5项指标" in message and "县（市、区）第1项指标" in message and "第10个字符处" in message


def test_not_a_mapping() -> None:
    with pytest.raises(ScoringStandardError, match="评分标准应为映射"):
        validate(["code"])  # type: ignore[arg-type]
    assert "levels（层级：city、county）缺失或为空" in problems_of({"levels": {}})


def test_a_broken_derived_value_is_reported_once() -> None:
    data = standard()
    ind(data, "city", 15)["derived"]["average"] = "avg(wireless_percent, x)"
    assert problems_of(data) == [
        "设区市第15项指标（school_it_environment）：派生值 average 引用了不存在或非数值的输入项 x"
    ]
