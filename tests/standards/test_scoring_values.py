"""Raw input values into exact types, per kind; floats only through str(); display rounding half-up."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from standards.scoring import InputValueError, InputValuesError, condition_holds, parse_inputs, parse_value
from standards.scoring import round_half_up as half_up
from tests.standards.scoring_factory import indicator

PERCENT = {"key": "percent", "kind": "percent", "label": "率"}
SPEED = {"key": "speed", "kind": "decimal", "unit": "Mbit/s", "label": "速率"}
GROWTH = {"key": "growth", "kind": "decimal", "unit": "%", "signed": True, "label": "增幅"}
COUNT = {"key": "modes", "kind": "count", "label": "方式数"}
RANK = {"key": "rank", "kind": "rank", "of": 16, "label": "排名"}
PERCENTILE = {"key": "percentile", "kind": "percentile", "label": "前X%"}
BOOL = {"key": "fund", "kind": "bool", "label": "专项资金"}
OPTIONS = [{"key": "low", "label": "低"}, {"key": "high", "label": "高"}]
LEVEL = {"key": "level", "kind": "level", "label": "规划", "options": OPTIONS}


@pytest.mark.parametrize(
    ("spec", "raw", "expected"),
    [
        (PERCENT, 0, Decimal(0)),
        (PERCENT, 100, Decimal(100)),
        (PERCENT, "88.5", Decimal("88.5")),
        (PERCENT, 88.5, Decimal("88.5")),
        (PERCENT, " 72.73 ", Decimal("72.73")),
        (PERCENT, "50%", Decimal(50)),
        (PERCENT, "88.50", Decimal("88.5")),
        (PERCENT, Decimal("12.34"), Decimal("12.34")),
        (PERCENT, 0.1, Decimal("0.1")),
        (SPEED, "25.5", Decimal("25.5")),
        (SPEED, 0, Decimal(0)),
        (GROWTH, "-12.5", Decimal("-12.5")),
        (GROWTH, 30, Decimal(30)),
        (COUNT, 0, 0),
        (COUNT, 3, 3),
        (COUNT, "3", 3),
        (COUNT, 3.0, 3),
        (RANK, 1, 1),
        (RANK, "16", 16),
        (PERCENTILE, "0.01", Decimal("0.01")),
        (PERCENTILE, 100, Decimal(100)),
        (PERCENTILE, "25%", Decimal(25)),
        (BOOL, True, True),
        (BOOL, False, False),
        (BOOL, "true", True),
        (BOOL, "False", False),
        (BOOL, "是", True),
        (LEVEL, "high", "high"),
        (PERCENT, None, None),
        (PERCENT, "", None),
        (LEVEL, "  ", None),
    ],
)
def test_accepted(spec: dict, raw: Any, expected: Any) -> None:
    value = parse_value(spec, raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("spec", "raw", "message"),
    [
        (PERCENT, -1, "请输入0到100之间的百分数"),
        (PERCENT, "100.01", "请输入0到100之间的百分数"),
        (PERCENT, "abc", "请输入0到100之间的百分数"),
        (PERCENT, True, "请输入0到100之间的百分数"),
        (PERCENT, "1e2", "请输入0到100之间的百分数"),
        (PERCENT, float("nan"), "请输入0到100之间的百分数"),
        (PERCENT, float("inf"), "请输入0到100之间的百分数"),
        (PERCENT, [50], "请输入0到100之间的百分数"),
        (PERCENT, Fraction(1, 3), "请输入0到100之间的百分数"),
        (PERCENT, 0.1 + 0.2, "最多保留2位小数"),
        (PERCENT, "88.555", "最多保留2位小数"),
        (SPEED, "-0.01", "请输入不小于0的数字（单位：Mbit/s）"),
        (SPEED, "fast", "请输入不小于0的数字（单位：Mbit/s）"),
        (GROWTH, "x", "请输入数字（单位：%）"),
        (COUNT, -1, "请输入不小于0的整数"),
        (COUNT, 2.5, "请输入不小于0的整数"),
        (COUNT, "2.5", "请输入不小于0的整数"),
        (COUNT, True, "请输入不小于0的整数"),
        (RANK, 0, "请输入1到16之间的整数名次"),
        (RANK, 17, "请输入1到16之间的整数名次"),
        (RANK, "1.5", "请输入1到16之间的整数名次"),
        (PERCENTILE, 0, "请输入大于0且不大于100的百分位（前X%）"),
        (PERCENTILE, "100.01", "请输入大于0且不大于100的百分位（前X%）"),
        (BOOL, 1, "请选择是（true）或否（false）"),
        (BOOL, "yes", "请选择是（true）或否（false）"),
        (LEVEL, "middle", "请从以下选项中选择一项：low、high"),
        (LEVEL, 1, "请从以下选项中选择一项：low、high"),
    ],
)
def test_refused_with_a_plain_chinese_message(spec: dict, raw: Any, message: str) -> None:
    with pytest.raises(InputValueError) as raised:
        parse_value(spec, raw)
    assert raised.value.message == message
    assert raised.value.key == spec["key"]


def test_floats_are_read_through_str_never_binary() -> None:
    assert parse_value(PERCENT, 88.5) == Decimal("88.5")
    assert parse_value(PERCENT, 0.07) == Decimal("0.07")  # Decimal(0.07) would be 0.07000000000000000666…
    assert Decimal(0.07) != Decimal("0.07")


def test_parse_inputs_collects_every_problem() -> None:
    fiber = indicator("city", 4)
    assert parse_inputs(fiber, {"coverage_percent": 90, "integrity_percent": "88.5"}) == {
        "coverage_percent": Decimal(90),
        "integrity_percent": Decimal("88.5"),
    }
    assert parse_inputs(fiber, {"coverage_percent": 90}) == {"coverage_percent": Decimal(90), "integrity_percent": None}
    with pytest.raises(InputValuesError) as raised:
        parse_inputs(fiber, {"coverage_percent": 101, "integrity_percent": "x", "speed": 1})
    assert raised.value.errors == {
        "coverage_percent": "请输入0到100之间的百分数",
        "integrity_percent": "请输入0到100之间的百分数",
        "speed": "不是本指标的输入项",
    }


def test_deduction_takes_incidents() -> None:
    assert parse_inputs(indicator("city", 45), {"incidents": 2}) == {"incidents": 2}


def test_average_is_compared_exactly() -> None:
    average = {
        "number": 0,
        "inputs": [{"key": k, "kind": "percent", "label": k} for k in ("a", "b", "c")],
        "derived": {"average": "avg(a, b, c)"},
    }
    values = {"a": parse_value(PERCENT, 60), "b": parse_value(PERCENT, 60), "c": parse_value(PERCENT, 60.01)}
    assert condition_holds(average, "average > 60", values)
    assert not condition_holds(average, "average >= 60.01", values)
    assert condition_holds(average, "average >= 60.003", values)  # 180.01 >= 180.009
    assert not condition_holds(average, "average >= 60.004", values)
    school = indicator("city", 15)
    at_90 = {key: Decimal(90) for key in ("wireless_percent", "multimedia_percent", "remote_education_percent")}
    assert not condition_holds(school, "average > 90", at_90)
    assert condition_holds(school, "average > 90", {**at_90, "remote_education_percent": Decimal("90.01")})


def test_a_third_is_not_rounded() -> None:
    inputs = [{"key": k, "kind": "percent", "label": k} for k in "ab"]
    thirds = {"number": 0, "inputs": inputs, "derived": {"m": "avg(a, b)"}}
    values = {"a": Fraction(100, 3), "b": Fraction(100, 3)}
    assert not condition_holds(thirds, "m >= 33.34", values)
    assert condition_holds(thirds, "m > 33.33", values)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(800, 11), "72.73"),
        (Fraction(1, 8), "0.13"),
        (Fraction(-1, 8), "-0.13"),
        (Decimal("2.675"), "2.68"),
        (Decimal("2.665"), "2.67"),
        (Decimal("92.5"), "92.50"),
        (50, "50.00"),
        (Fraction(1, 3) * 100, "33.33"),
        (Fraction(2, 3) * 100, "66.67"),
    ],
)
def test_round_half_up_for_display(value: Any, expected: str) -> None:
    assert str(half_up(value)) == expected


def test_round_half_up_refuses_floats() -> None:
    with pytest.raises(TypeError):
        half_up(2.675)  # type: ignore[arg-type]
