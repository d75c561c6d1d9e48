"""Tests for the pure evaluation engine against the bundled standard."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml

from standards import evaluation as engine
from standards.evaluation import (
    FieldIssue,
    ItemEvaluation,
    RuleOutcome,
    Verdict,
    clean_values,
    describe_rule,
    evaluate_rule,
    format_percent,
)
from standards.marks import NA_NOTE_REQUIRED

STANDARD_PATH = Path(__file__).resolve().parents[2] / "standards/bundled/SD-ZHSQ-2019.yaml"
STANDARD = yaml.safe_load(STANDARD_PATH.read_text(encoding="utf-8"))
ITEMS = {item["number"]: item for item in STANDARD["items"]}
RULES = [(item, rule) for item in STANDARD["items"] for rule in item.get("rules", ())]
PASS, FAIL, INCOMPLETE, INVALID = Verdict.PASS, Verdict.FAIL, Verdict.INCOMPLETE, Verdict.INVALID


def evaluate_item(item: dict, values: dict, marks: dict | None = None, **kwargs: Any) -> ItemEvaluation:
    """Run the engine as version 1 reads it (any option may be marked), the version these tests load.

    Version 2's corrections are tested in test_evaluation_v2.py.
    """
    return engine.evaluate_item(item, values, marks, na_flags=False, **kwargs)

# Where the measured quantity (percent or value) sits relative to the threshold -> verdict.
EXPECTED = {
    "ge": {"below": FAIL, "at": PASS, "above": PASS},
    "gt": {"below": FAIL, "at": FAIL, "above": PASS},
    "le": {"below": PASS, "at": PASS, "above": FAIL},
}


def fields_of(item: dict) -> dict[str, dict]:
    """Index an item's fields by key."""
    return {field["key"]: field for field in item["fields"]}


def passing_rule_values(rule: dict) -> dict[str, Any]:
    """Return raw values that comfortably satisfy one rule."""
    if rule["kind"] == "ratio":
        return {rule["numerator"]: 100, rule["denominator"]: 100}
    if rule["kind"] == "reduction":
        return {rule["baseline"]: "100", rule["actual"]: "0"}
    value = Fraction(str(rule["value"]))
    return {rule["field"]: str(value + 1 if rule["op"] == "gt" else value)}


def passing_values(item: dict) -> dict[str, Any]:
    """Return raw values under which every rule and requirement of an item holds."""
    values: dict[str, Any] = {}
    for field in item["fields"]:
        if field["kind"] == "bool":
            values[field["key"]] = True
        elif field["kind"] == "choices":
            values[field["key"]] = [option["key"] for option in field["options"]]
        elif field["kind"] == "text":
            values[field["key"]] = "基于大数据的社区服务"
    for rule in item.get("rules", ()):
        values.update(passing_rule_values(rule))
    return values


def rule_outcome(evaluation: ItemEvaluation, key: str) -> RuleOutcome:
    """Return the outcome of one rule of an evaluation."""
    return next(outcome for outcome in evaluation.rules if outcome.key == key)


def requirement(evaluation: ItemEvaluation, field: str) -> Verdict:
    """Return the verdict of the (single) requirement on a field."""
    (verdict,) = [outcome.verdict for outcome in evaluation.requirements if outcome.field == field]
    return verdict


def assert_no_float(evaluation: ItemEvaluation) -> None:
    """Fail if a float leaked into the cleaned values or rule percentages."""
    assert not any(isinstance(value, float) for value in evaluation.values.values())
    assert all(
        outcome.percent is None or isinstance(outcome.percent, Fraction) for outcome in evaluation.rules
    )


def ratio_cases(item: dict, rule: dict) -> list[tuple[str, dict, Fraction]]:
    """Return numerator/denominator pairs at, just below and just above the threshold."""
    denominator = 1000
    at = Fraction(str(rule["percent"])) * denominator / 100
    assert at.denominator == 1, "pick a larger denominator for this threshold"
    steps = {"below": -1, "at": 0, "above": 1}
    return [
        (position, {rule["numerator"]: int(at) + step, rule["denominator"]: denominator}, at + step)
        for position, step in steps.items()
    ]


def reduction_cases(item: dict, rule: dict) -> list[tuple[str, dict, Fraction]]:
    """Return baseline/actual pairs whose saving is at, just below and just above the threshold."""
    baseline = Decimal("1000.00")
    at = baseline * (100 - Decimal(str(rule["percent"]))) / 100
    # A bigger actual consumption means a smaller saving.
    steps = {"below": Decimal("0.01"), "at": Decimal(0), "above": Decimal("-0.01")}
    return [
        (position, {rule["baseline"]: str(baseline), rule["actual"]: str(at + step)}, Fraction(at + step))
        for position, step in steps.items()
    ]


def value_cases(item: dict, rule: dict) -> list[tuple[str, dict, Fraction]]:
    """Return field values at, just below and just above the rule's value."""
    step = Decimal(1) if fields_of(item)[rule["field"]]["kind"] == "count" else Decimal("0.01")
    at = Decimal(str(rule["value"]))
    steps = {"below": -step, "at": Decimal(0), "above": step}
    return [(position, {rule["field"]: str(at + s)}, Fraction(at + s)) for position, s in steps.items()]


def boundary_cases() -> list:
    """Build pytest params for every rule of the standard at and around its boundary."""
    params = []
    for item, rule in RULES:
        builder = {"ratio": ratio_cases, "reduction": reduction_cases, "value": value_cases}[rule["kind"]]
        for position, raw, measured in builder(item, rule):
            expected = EXPECTED[rule["op"]][position]
            if rule["kind"] == "ratio" and raw[rule["numerator"]] > raw[rule["denominator"]]:
                expected = INVALID
            param_id = f"item{item['number']}-{rule['key']}-{position}"
            params.append(pytest.param(item, rule, raw, measured, expected, id=param_id))
    return params


BOUNDARY_CASES = boundary_cases()


def test_every_rule_of_the_standard_is_covered() -> None:
    covered = {param.values[1]["key"] for param in BOUNDARY_CASES}
    assert covered == {rule["key"] for _, rule in RULES}
    assert len(RULES) == 10


@pytest.mark.parametrize("rule_key", sorted({rule["key"] for _, rule in RULES}))
def test_boundary_cases_straddle_each_threshold(rule_key: str) -> None:
    verdicts = {param.values[4] for param in BOUNDARY_CASES if param.values[1]["key"] == rule_key}
    assert {PASS, FAIL} <= verdicts


@pytest.mark.parametrize(("item", "rule", "raw", "measured", "expected"), BOUNDARY_CASES)
def test_rule_boundary(item: dict, rule: dict, raw: dict, measured: Fraction, expected: Verdict) -> None:
    values, errors = clean_values(item, raw)
    assert errors == ()
    outcome = evaluate_rule(rule, values, item["fields"])
    assert outcome.verdict is expected, outcome.message
    assert outcome.key == rule["key"] and outcome.label == rule["label"]
    if rule["kind"] == "value" or expected is INVALID:
        assert outcome.percent is None
    elif rule["kind"] == "ratio":
        assert outcome.percent == measured / 10 and isinstance(outcome.percent, Fraction)
    else:
        assert outcome.percent == (1000 - measured) / 10 and isinstance(outcome.percent, Fraction)


@pytest.mark.parametrize(("item", "rule", "raw", "measured", "expected"), BOUNDARY_CASES)
def test_rule_boundary_decides_the_whole_item(
    item: dict, rule: dict, raw: dict, measured: Fraction, expected: Verdict
) -> None:
    evaluation = evaluate_item(item, {**passing_values(item), **raw}, photo_count=1)
    assert evaluation.verdict is expected, evaluation.reasons
    assert rule_outcome(evaluation, rule["key"]).verdict is expected
    assert evaluation.passed is (expected is PASS)
    assert len(evaluation.reasons) == (0 if expected is PASS else 1)
    assert_no_float(evaluation)


@pytest.mark.parametrize("number", sorted(ITEMS))
def test_every_item_passes_with_complete_good_values(number: int) -> None:
    evaluation = evaluate_item(ITEMS[number], passing_values(ITEMS[number]), photo_count=1)
    assert evaluation.verdict is PASS, evaluation.reasons
    assert evaluation.number == number and evaluation.complete and evaluation.reasons == []
    assert_no_float(evaluation)


@pytest.mark.parametrize("number", sorted(ITEMS))
def test_every_item_is_incomplete_when_nothing_is_entered(number: int) -> None:
    evaluation = evaluate_item(ITEMS[number], {})
    assert evaluation.verdict is INCOMPLETE
    assert not evaluation.complete and not evaluation.passed
    assert evaluation.reasons and all(reason.startswith("未填写：") for reason in evaluation.reasons)


def outcome_for(number: int, **overrides: Any) -> ItemEvaluation:
    """Evaluate an item from passing values with some values replaced."""
    item = ITEMS[number]
    return evaluate_item(item, {**passing_values(item), **overrides}, photo_count=1)


@pytest.mark.parametrize(
    ("without", "with_", "expected"),
    # floats from JSON are read through str(); using more energy is a plain failure, not an error
    [("1000.1", "800.08", PASS), ("1000.1", "800.09", FAIL), (1000.1, 800.08, PASS), ("1000", "0", PASS)]
    + [(Decimal("1000.1"), Decimal("800.08"), PASS), ("1000", "1200", FAIL)],
)
def test_item8_energy_saving_is_exact(without: Any, with_: Any, expected: Verdict) -> None:
    evaluation = outcome_for(8, kwh_without_smart=without, kwh_with_smart=with_)
    assert evaluation.verdict is expected
    assert_no_float(evaluation)


def test_item8_exact_twenty_percent_and_messages() -> None:
    evaluation = outcome_for(8, kwh_without_smart="1000.1", kwh_with_smart="800.08")
    assert rule_outcome(evaluation, "lighting_energy_saving").percent == Fraction(20)
    evaluation = outcome_for(8, smart_lights=59, public_lights=100)
    assert evaluation.reasons == ["智能照明设备安装率达到60%以上：59.00% 未达到 60%"]
    assert rule_outcome(evaluation, "smart_lighting_rate").percent == Fraction(59)


@pytest.mark.parametrize(
    ("number", "numerator", "denominator", "expected"),
    [(12, 5, 100, FAIL), (12, 6, 100, PASS), (12, 51, 1000, PASS), (12, 50, 1000, FAIL), (12, 0, 100, FAIL)]
    + [(23, 70, 100, FAIL), (23, 71, 100, PASS), (23, 7, 10, FAIL)],
)
def test_explicit_ratio_examples(number: int, numerator: int, denominator: int, expected: Verdict) -> None:
    rule = ITEMS[number]["rules"][0]
    evaluation = outcome_for(number, **{rule["numerator"]: numerator, rule["denominator"]: denominator})
    assert evaluation.verdict is expected


@pytest.mark.parametrize(
    ("number", "raw", "expected"),
    [(14, m, PASS) for m in ("15", 15, "15.00", "0", Decimal("14.99"))]
    + [(14, m, FAIL) for m in ("15.01", 15.01, "16")]
    + [(9, n, PASS) for n in (3, "3", 4)]
    + [(9, n, FAIL) for n in (2, "0")],
)
def test_explicit_value_examples(number: int, raw: Any, expected: Verdict) -> None:
    assert outcome_for(number, **{ITEMS[number]["rules"][0]["field"]: raw}).verdict is expected


def test_failure_messages_name_rule_field_and_unit() -> None:
    reasons = outcome_for(23, linked_safety_items=70, safety_items=100).reasons
    assert reasons == ["社区警民联动安全治理服务覆盖率超过70%：70.00% 未超过 70%"]
    rule, field = "至少对接3个以上常用政务服务业务", "对接的常用政务服务业务数"
    assert outcome_for(9, connected_services=2).reasons == [f"{rule}：{field} 2 未达到 3"]
    rule, field = "居家老人意外事故发生后做到15分钟内快速响应", "居家老人意外事故发生后的响应时间"
    assert outcome_for(14, response_minutes="15.01").reasons == [f"{rule}：{field} 15.01分钟 超过 15分钟"]


@pytest.mark.parametrize(
    ("number", "values", "says"),
    [(11, {"online_shops": 0, "shops": 0}, ["分母不能为0"]), (8, {"kwh_without_smart": "0"}, ["必须大于0"])]
    + [(1, {"fiber_households": 101, "households": 100}, ["光纤入户用户数", "社区内总户数"])],
    ids=["zero-denominator", "zero-baseline", "numerator-above-denominator"],
)
def test_impossible_operands_are_invalid(number: int, values: dict, says: list[str]) -> None:
    evaluation = outcome_for(number, **values)
    (outcome,) = [outcome for outcome in evaluation.rules if outcome.verdict is not PASS]
    assert evaluation.verdict is INVALID and outcome.verdict is INVALID and outcome.percent is None
    assert all(text in outcome.message for text in says) and evaluation.reasons == [outcome.message]


@pytest.mark.parametrize("raw", ["12.0", "1.5", "-1", "abc", -1, 1.5, 12.0, True, "1e3", "", None])
def test_count_rejects_anything_but_non_negative_integers(raw: Any) -> None:
    values, errors = clean_values(ITEMS[9], {"connected_services": raw})
    assert values["connected_services"] is None
    if raw in ("", None):
        assert errors == ()
    else:
        assert errors == (FieldIssue("connected_services", "对接的常用政务服务业务数：请输入非负整数"),)


@pytest.mark.parametrize(
    ("raw", "cleaned"), [("12", 12), (12, 12), (" 7 ", 7), ("１２", 12), ("007", 7), (0, 0)]
)
def test_count_accepts_integers(raw: Any, cleaned: int) -> None:
    (values, errors), key = clean_values(ITEMS[9], {"connected_services": raw}), "connected_services"
    assert errors == () and values[key] == cleaned and type(values[key]) is int


@pytest.mark.parametrize(
    ("raw", "message"),
    [("1.234", "最多保留两位小数"), (1e-7, "最多保留两位小数"), ("1e-999999999", "最多保留两位小数")]
    + [("-1", "不能为负数"), ("-0.01", "不能为负数"), ("1e20", "数值过大"), (True, "请输入数字")]
    + [(raw, "请输入数字") for raw in ("NaN", "Infinity", "-inf", "sNaN", "abc", "1,5")],
)
def test_decimal_input_errors(raw: Any, message: str) -> None:
    values, errors = clean_values(ITEMS[14], {"response_minutes": raw})
    assert values["response_minutes"] is None
    assert errors == (FieldIssue("response_minutes", f"居家老人意外事故发生后的响应时间：{message}"),)


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [("15", Decimal(15)), ("1.5e1", Decimal(15)), ("1.500", Decimal("1.5")), (800.08, Decimal("800.08"))]
    + [(Decimal("0.10"), Decimal("0.1")), ("0E-999999999", Decimal(0)), ("-0", Decimal(0))],
)
def test_decimal_accepts_valid_values(raw: Any, cleaned: Decimal) -> None:
    values, errors = clean_values(ITEMS[14], {"response_minutes": raw})
    assert errors == ()
    assert isinstance(values["response_minutes"], Decimal) and values["response_minutes"] == cleaned


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [(True, True), (False, False), ("true", True), ("on", True), ("1", True), (1, True)]
    + [("false", False), ("0", False), ("off", False), (0, False), ("是", True), ("否", False)],
)
def test_bool_accepts_form_and_json_spellings(raw: Any, cleaned: bool) -> None:
    assert clean_values(ITEMS[2], {"wireless_on_demand": raw}) == ({"wireless_on_demand": cleaned}, ())


@pytest.mark.parametrize("raw", ["maybe", 2, [True], 1.0])
def test_bool_rejects_other_values(raw: Any) -> None:
    values, errors = clean_values(ITEMS[2], {"wireless_on_demand": raw})
    assert values["wireless_on_demand"] is None and errors[0].field == "wireless_on_demand"


REQUIRED_BOOLS = [
    pytest.param(number, field["key"], id=f"item{number}-{field['key']}")
    for number, item in ITEMS.items()
    for field in item["fields"]
    if field["kind"] == "bool" and field.get("required")
]


@pytest.mark.parametrize(("number", "key"), REQUIRED_BOOLS)
def test_required_bool_must_be_yes(number: int, key: str) -> None:
    assert requirement(outcome_for(number, **{key: "true"}), key) is PASS
    evaluation = outcome_for(number, **{key: False})
    assert evaluation.verdict is FAIL and requirement(evaluation, key) is FAIL
    evaluation = outcome_for(number, **{key: None})
    assert evaluation.verdict is INCOMPLETE
    assert f"未填写：{fields_of(ITEMS[number])[key]['label']}" in evaluation.reasons


@pytest.mark.parametrize(
    ("has_screen", "working", "expected"),
    [(True, True, PASS), (True, False, FAIL), (True, None, INCOMPLETE), (False, None, PASS)]
    + [(False, False, PASS), (None, True, INCOMPLETE), ("on", "0", FAIL)],
)
def test_required_if(has_screen: Any, working: Any, expected: Verdict) -> None:
    evaluation = outcome_for(7, has_big_screen=has_screen, big_screen_working=working)
    assert requirement(evaluation, "big_screen_working") is expected
    assert evaluation.verdict is expected


ALL_CHOICES = [
    pytest.param(number, field, id=f"item{number}-{field['key']}")
    for number, item in ITEMS.items()
    for field in item["fields"]
    if field["kind"] == "choices" and field.get("rule") == "all"
]


@pytest.mark.parametrize(("number", "field"), ALL_CHOICES)
def test_choices_all_needs_every_option_or_a_noted_not_applicable(number: int, field: dict) -> None:
    key, last = field["key"], field["options"][-1]
    partial = {key: [option["key"] for option in field["options"][:-1]]}
    item = ITEMS[number]
    good = passing_values(item)
    evaluation = evaluate_item(item, {**good, **partial}, photo_count=1)
    assert evaluation.verdict is FAIL and last["label"] in evaluation.reasons[0]
    noted = {key: {last["key"]: "本社区无此设施，已核实"}}
    assert evaluate_item(item, {**good, **partial}, noted, photo_count=1).verdict is PASS
    for note in ("", "   ", None):
        evaluation = evaluate_item(item, {**good, **partial}, {key: {last["key"]: note}}, photo_count=1)
        assert evaluation.verdict is INVALID
        assert evaluation.errors[0].field == key and evaluation.errors[0].message.endswith(NA_NOTE_REQUIRED)


def test_choices_all_everything_not_applicable_passes_without_ticks() -> None:
    field = fields_of(ITEMS[24])["connected_systems"]
    marks = {"connected_systems": {option["key"]: "无" for option in field["options"]}}
    evaluation = evaluate_item(ITEMS[24], {"registration": True}, marks, photo_count=1)
    assert evaluation.verdict is PASS


def test_option_cannot_be_both_ticked_and_not_applicable() -> None:
    evaluation = evaluate_item(ITEMS[4], passing_values(ITEMS[4]), {"iot_services": {"parking": "无车位"}})
    assert evaluation.verdict is INVALID and evaluation.errors[0].field == "iot_services"


@pytest.mark.parametrize(
    ("values", "marks"),
    [({"iot_services": raw}, None) for raw in (["ev_charging", "teleporter"], "a,b", {"parking": True}, 3)]
    + [({"iot_services": []}, {"iot_services": {"teleporter": "无"}}), ({}, {"iot_services": ["parking"]})]
    + [({"iot_services": []}, {"no_such_field": {"parking": "无"}})],
)
def test_unknown_options_and_malformed_marks_are_errors(values: dict, marks: dict | None) -> None:
    evaluation = evaluate_item(ITEMS[4], values, marks)
    assert evaluation.verdict is INVALID and evaluation.errors


@pytest.mark.parametrize(
    ("channels", "expected"), [([], FAIL), (["wechat"], PASS), (["wechat", "app"], PASS), (None, INCOMPLETE)]
)
def test_choices_min(channels: list | None, expected: Verdict) -> None:
    evaluation = outcome_for(7, publish_channels=channels)
    assert requirement(evaluation, "publish_channels") is expected and evaluation.verdict is expected


def test_choices_are_cleaned_in_option_order_without_duplicates() -> None:
    values, errors = clean_values(ITEMS[7], {"publish_channels": ["kiosk", "wechat", "kiosk"]})
    assert errors == () and values["publish_channels"] == ["wechat", "kiosk"]


@pytest.mark.parametrize(
    ("text", "cleaned", "expected"),
    [
        ("智慧停车", "智慧停车", PASS),
        ("  智慧停车 ", "智慧停车", PASS),
        ("   ", None, INCOMPLETE),
        (42, None, INVALID),
    ],
)
def test_required_text(text: Any, cleaned: str | None, expected: Verdict) -> None:
    evaluation = outcome_for(25, innovation_description=text)
    assert evaluation.verdict is expected and evaluation.values["innovation_description"] == cleaned


@pytest.mark.parametrize(
    ("photos", "min_photos", "expected"),
    [(None, 1, PASS), (1, 1, PASS), (0, 1, INCOMPLETE), (1, 2, INCOMPLETE), (3, 2, PASS)],
)
def test_photos(photos: int | None, min_photos: int, expected: Verdict) -> None:
    item = ITEMS[2]
    evaluation = evaluate_item(item, passing_values(item), photo_count=photos, min_photos=min_photos)
    assert evaluation.verdict is expected
    assert any(outcome.field == "photos" for outcome in evaluation.requirements) is (photos is not None)
    if expected is INCOMPLETE:
        assert evaluation.reasons == [f"至少上传{min_photos}张照片作为佐证"]


def test_verdict_precedence_invalid_then_incomplete_then_fail() -> None:
    item = ITEMS[13]
    base = passing_values(item)
    failing = {"health_records": 1, "registered_residents": 100}
    assert evaluate_item(item, {**base, **failing}).verdict is FAIL
    assert evaluate_item(item, {**base, **failing, "online_clinic": None}).verdict is INCOMPLETE
    broken = {**failing, "online_clinic": None, "telemedicine": "x"}
    assert evaluate_item(item, {**base, **broken}).verdict is INVALID


def test_input_error_blocks_the_rule_and_is_reported_once_per_problem() -> None:
    evaluation = outcome_for(1, fiber_households="abc")
    assert evaluation.verdict is INVALID
    assert rule_outcome(evaluation, "fiber_coverage").verdict is INVALID
    assert evaluation.reasons[0] == "光纤入户用户数：请输入非负整数"
    assert len(evaluation.reasons) == 2


def test_evaluate_rule_on_missing_or_bad_operands() -> None:
    rule = ITEMS[1]["rules"][0]
    outcome = evaluate_rule(rule, {"households": 10}, ITEMS[1]["fields"])
    assert outcome.verdict is INCOMPLETE and outcome.message == "未填写：光纤入户用户数"
    assert evaluate_rule(rule, {}).message == "未填写：fiber_households、households"
    assert evaluate_rule(rule, {"fiber_households": -1, "households": 10}).verdict is INVALID
    assert evaluate_rule(rule, {"fiber_households": "x", "households": 10}).verdict is INVALID


def test_unknown_raw_keys_are_ignored() -> None:
    values, errors = clean_values(ITEMS[2], {"wireless_on_demand": True, "csrfmiddlewaretoken": "x"})
    assert values == {"wireless_on_demand": True} and errors == ()


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [(Fraction(20), 2, "20.00%"), (Fraction(1, 8), 2, "0.13%"), (Fraction(1, 3) * 100, 2, "33.33%")]
    + [
        (Fraction(2, 3) * 100, 2, "66.67%"),
        (Fraction(-1, 1000), 2, "0.00%"),
        (Fraction(-5, 1000), 2, "-0.01%"),
    ]
    + [(Fraction(5, 2), 0, "3%"), (Fraction(59), 1, "59.0%")],
)
def test_format_percent_rounds_half_up(value: Fraction, places: int, shown: str) -> None:
    assert format_percent(value, places) == shown


def test_describe_rule() -> None:
    lighting = describe_rule(ITEMS[8]["rules"][0], ITEMS[8]["fields"])
    assert lighting == "社区内安装了智能控制设备的公共照明设备数 / 社区内公共照明设备总数 ≥ 60%"
    response = describe_rule(ITEMS[14]["rules"][0], ITEMS[14]["fields"])
    assert response == "居家老人意外事故发生后的响应时间 ≤ 15分钟"
    assert describe_rule(ITEMS[12]["rules"][0]) == "shared_parking_spaces / parking_spaces > 5%"


def test_bundled_standard_has_the_25_items() -> None:
    assert STANDARD["code"] == "SD-ZHSQ-2019" and sorted(ITEMS) == list(range(1, 26))
