"""The engine under version 2 of the community standard, each correction at its boundary, and the same answers
under version 1, which keep the meaning they had (standards.marks.uses_na_flags tells the two apart)."""

from __future__ import annotations

import pytest

from standards.evaluation import Verdict, evaluate_item
from standards.hints import field_hint, offers_na
from standards.marks import uses_na_flags
from standards.versions import BUNDLED, BUNDLED_V2, parse

V1 = parse(BUNDLED.read_text(encoding="utf-8"))
V2 = parse(BUNDLED_V2.read_text(encoding="utf-8"))
PASS, FAIL, INCOMPLETE, INVALID = Verdict.PASS, Verdict.FAIL, Verdict.INCOMPLETE, Verdict.INVALID


def item(data: dict, number: int) -> dict:
    return next(i for i in data["items"] if i["number"] == number)


def under(data: dict, number: int, values: dict, marks: dict | None = None):
    """Evaluate item `number` of a version as the services do: with that version's own na_flags."""
    return evaluate_item(item(data, number), values, marks, na_flags=uses_na_flags(data), photo_count=1)


def requirement(evaluation, key: str) -> tuple[Verdict, str]:
    found = [r for r in evaluation.requirements if r.field == key]
    return found[0].verdict, found[0].message


def test_only_version_2_flags_options():
    assert uses_na_flags(V2) and not uses_na_flags(V1)
    assert not uses_na_flags({"items": []})


# ---- item 24: no option of 已对接的相关系统 may be marked under v2

ITEM_24 = {"registration": True, "connected_systems": ["public_security", "political_legal"]}
JUSTICE_MARKED = {"connected_systems": {"justice": "本社区未对接司法局"}}


def test_v2_item_24_with_a_non_na_option_marked_is_neither_complete_nor_passing():
    evaluation = under(V2, 24, ITEM_24, JUSTICE_MARKED)
    assert evaluation.verdict is INVALID and not evaluation.complete and not evaluation.passed
    assert evaluation.errors[0].field == "connected_systems"
    assert evaluation.errors[0].message == "已对接的相关系统（司法局）：该项须实际具备，不能标记为“本社区无此设施”"


def test_v1_item_24_with_the_same_answer_still_passes():
    evaluation = under(V1, 24, ITEM_24, JUSTICE_MARKED)
    assert evaluation.verdict is PASS and evaluation.complete


def test_v2_item_24_passes_only_with_every_system_connected():
    assert under(V2, 24, ITEM_24).verdict is FAIL
    everything = {**ITEM_24, "connected_systems": ["public_security", "political_legal", "justice"]}
    assert under(V2, 24, everything).verdict is PASS


# ---- na: true options may still be marked, the others never

IOT_TICKED = ["temp_humidity", "utility_terminals", "parking", "elevator"]


def test_v2_an_na_option_marked_with_a_note_passes():
    evaluation = under(V2, 4, {"iot_services": IOT_TICKED}, {"iot_services": {"ev_charging": "无充电桩"}})
    assert evaluation.verdict is PASS


@pytest.mark.parametrize("note", ["", "  ", None])
def test_v2_an_na_option_still_needs_a_note(note):
    evaluation = under(V2, 4, {"iot_services": IOT_TICKED}, {"iot_services": {"ev_charging": note}})
    assert evaluation.verdict is INVALID and evaluation.errors[0].message.endswith("请填写“本社区无此设施”的说明")


def test_v2_a_non_na_option_of_the_same_field_cannot_be_marked():
    ticked = ["ev_charging", "parking", "elevator", "utility_terminals"]
    marks = {"iot_services": {"temp_humidity": "无"}}
    assert under(V2, 4, {"iot_services": ticked}, marks).verdict is INVALID
    assert under(V1, 4, {"iot_services": ticked}, marks).verdict is PASS


def test_v2_a_field_without_options_to_mark_is_still_refused():
    evaluation = under(V2, 7, {"publish_channels": ["wechat"]}, {"publish_channels": {"app": "无"}})
    assert evaluation.verdict is INVALID and "不能标记" in evaluation.errors[0].message


# ---- item 13: the ratio may pass 100%

ITEM_13 = {"online_clinic": True, "telemedicine": True}


@pytest.mark.parametrize(
    ("records", "residents", "shown"),
    [(10000, 10000, "100.00%"), (10001, 10000, "100.01%"), (1500, 1000, "150.00%")],
)
def test_v2_item_13_may_exceed_100_percent(records, residents, shown):
    values = {**ITEM_13, "health_records": records, "registered_residents": residents}
    evaluation = under(V2, 13, values)
    assert evaluation.verdict is PASS
    assert evaluation.rules[0].message == f"社区居民电子健康档案建档率达80%以上：{shown} 达到 80%"


def test_v1_item_13_refuses_a_ratio_above_100_percent():
    values = {**ITEM_13, "health_records": 10001, "registered_residents": 10000}
    assert under(V1, 13, {**values, "health_records": 10000}).verdict is PASS
    evaluation = under(V1, 13, values)
    assert evaluation.verdict is INVALID and "不能大于" in evaluation.rules[0].message


def test_may_exceed_changes_nothing_below_the_threshold_or_at_zero():
    assert under(V2, 13, {**ITEM_13, "health_records": 799, "registered_residents": 1000}).verdict is FAIL
    zero = under(V2, 13, {**ITEM_13, "health_records": 5, "registered_residents": 0})
    assert zero.verdict is INVALID and "分母不能为0" in zero.rules[0].message


# ---- item 19: monitored areas need at least one ticked; marks do not count

ITEM_19 = {"vehicle_management": ["trajectory", "image_capture", "plate_matching"], "skynet_connected": True}
AREAS = ["square", "activity_center", "market", "park", "underpass"]


def test_v2_monitored_areas_with_only_marks_fails():
    evaluation = under(V2, 19, ITEM_19, {"monitored_areas": {key: "无" for key in AREAS}})
    assert evaluation.verdict is FAIL and evaluation.complete
    assert requirement(evaluation, "monitored_areas") == (PASS, "监控范围覆盖的区域：已全部覆盖")
    minimum = [r for r in evaluation.requirements if r.field == "monitored_areas"][1]
    assert minimum.verdict is FAIL
    assert minimum.message == "监控范围覆盖的区域：至少选择1项（已选择0项，“本社区无此设施”不计入）"


def test_v2_monitored_areas_one_ticked_the_rest_marked_passes():
    marks = {"monitored_areas": {key: "无" for key in AREAS[1:]}}
    assert under(V2, 19, {**ITEM_19, "monitored_areas": AREAS[:1]}, marks).verdict is PASS


def test_v1_monitored_areas_with_only_marks_still_passes():
    assert under(V1, 19, ITEM_19, {"monitored_areas": {key: "无" for key in AREAS}}).verdict is PASS


def test_v1_a_min_field_with_only_marks_stays_unanswered():
    evaluation = under(V1, 7, {}, {"publish_channels": {"wechat": "无"}})
    assert requirement(evaluation, "publish_channels") == (
        INCOMPLETE, "未填写：通过以下渠道发布政务服务、便民利民等社区信息")


# ---- item 7: the 大屏 channel needs a big screen

def test_v2_big_screen_ticked_without_a_big_screen_fails():
    evaluation = under(V2, 7, {"publish_channels": ["wechat", "big_screen"], "has_big_screen": False})
    assert evaluation.verdict is FAIL
    assert requirement(evaluation, "has_big_screen") == (FAIL, "社区有大屏设备：未满足（须为“是”）")


def test_v2_big_screen_ticked_with_a_working_big_screen_passes():
    values = {"publish_channels": ["big_screen"], "has_big_screen": True, "big_screen_working": True}
    assert under(V2, 7, values).verdict is PASS


def test_v2_no_big_screen_needed_when_the_channel_is_not_ticked():
    evaluation = under(V2, 7, {"publish_channels": ["wechat"], "has_big_screen": False})
    assert evaluation.verdict is PASS
    assert requirement(evaluation, "has_big_screen") == (
        PASS, "社区有大屏设备：不适用（通过以下渠道发布政务服务、便民利民等社区信息未勾选“大屏”）")


def test_v2_big_screen_unknown_until_the_channels_are_answered():
    evaluation = under(V2, 7, {"has_big_screen": False})
    assert requirement(evaluation, "has_big_screen")[0] is INCOMPLETE and not evaluation.complete
    broken = under(V2, 7, {"publish_channels": ["fax"], "has_big_screen": True})
    assert requirement(broken, "has_big_screen")[0] is INVALID


def test_v1_big_screen_ticked_without_a_big_screen_still_passes():
    assert under(V1, 7, {"publish_channels": ["big_screen"], "has_big_screen": False}).verdict is PASS


# ---- the phone's hints and boxes follow the same reading

def fields(data: dict, number: int) -> dict:
    return {f["key"]: f for f in item(data, number)["fields"]}


@pytest.mark.parametrize(
    ("number", "key", "v1_hint", "v2_hint"),
    [
        (24, "connected_systems", "须全部具备；没有的请勾选“本社区无此设施”并说明", "须全部具备"),
        (4, "iot_services", "须全部具备；没有的请勾选“本社区无此设施”并说明",
         "须全部具备；充电桩、车位、电梯控制如没有，请勾选“本社区无此设施”并说明"),
        (19, "monitored_areas", "须全部具备；没有的请勾选“本社区无此设施”并说明",
         "须全部具备；没有的请勾选“本社区无此设施”并说明；至少选择1项（“本社区无此设施”不计入）"),
        (7, "publish_channels", "至少选择1项", "至少选择1项"),
        (7, "has_big_screen", "", "勾选“大屏”时须为“是”"),
        (1, "multi_carrier_access", "须为“是”", "须为“是”"),
    ],
)
def test_hints_read_each_version(number, key, v1_hint, v2_hint):
    assert field_hint(fields(V1, number)[key], fields(V1, number), na_flags=False) == v1_hint
    assert field_hint(fields(V2, number)[key], fields(V2, number), na_flags=True) == v2_hint


def test_the_box_is_offered_on_na_options_only_under_v2():
    iot = fields(V2, 4)["iot_services"]
    assert [o["key"] for o in iot["options"] if offers_na(iot, o, na_flags=True)] == [
        "ev_charging", "parking", "elevator"]
    iot_v1 = fields(V1, 4)["iot_services"]
    assert all(offers_na(iot_v1, o, na_flags=False) for o in iot_v1["options"])
    channels = fields(V1, 7)["publish_channels"]
    assert not any(offers_na(channels, o, na_flags=False) for o in channels["options"])


# ---- item 7: one blank field waited on by two checks is named once (issue 20)

def test_v2_item_7_names_a_blank_field_once_though_two_checks_wait_on_it():
    evaluation = under(V2, 7, {"publish_channels": ["wechat", "big_screen"]})
    assert not evaluation.complete
    assert evaluation.reasons == ["未填写：社区有大屏设备"]
