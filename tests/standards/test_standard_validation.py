"""standards.versions.validate recognises a community or a scoring standard and names every problem in Chinese."""

import copy

import pytest

from audit.actors import system
from standards import scoring
from standards.models import StandardKind, StandardVersion, kind_of
from standards.versions import BUNDLED, BUNDLED_V2, StandardError, parse, standard_save, validate

V1 = parse(BUNDLED.read_text(encoding="utf-8"))
V2 = parse(BUNDLED_V2.read_text(encoding="utf-8"))
SCORING = parse(scoring.BUNDLED.read_text(encoding="utf-8"))


def item(data: dict, number: int) -> dict:
    return next(i for i in data["items"] if i["number"] == number)


def field(data: dict, number: int, key: str) -> dict:
    return next(f for f in item(data, number)["fields"] if f["key"] == key)


def test_each_bundled_text_is_recognised_and_valid():
    assert [kind_of(d) for d in (V1, V2, SCORING)] == [StandardKind.COMMUNITY] * 2 + [StandardKind.SCORING]
    for data in (V1, V2, SCORING):
        validate(data)


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda d: d["items"][0]["rules"][0].update(numerator="nope"), "不存在的字段 nope"),
        (lambda d: d["items"][0]["rules"][0].update(op="eq"), "比较方式 eq 未知"),
        (lambda d: d["items"][1]["fields"][0].update(kind="photo"), "类型 photo 未知"),
        (lambda d: d["categories"][0]["items"].append(99), "分类中列出的指标与指标清单不一致"),
        (lambda d: d["rollup"].pop("county"), "rollup.county.tiers 缺失"),
        # version 2's keys
        (lambda d: field(d, 4, "iot_services")["options"][0].update(na="yes"), "iot_services.ev_charging 的 na 须为"),
        (lambda d: field(d, 7, "publish_channels")["options"][0].update(na=True), "na 只能用于 rule: all"),
        (lambda d: item(d, 13)["rules"][0].update(may_exceed="true"), "may_exceed 须为 true 或 false"),
        (lambda d: item(d, 14)["rules"][0].update(may_exceed=True), "不是比率规则，不能有 may_exceed"),
        (lambda d: field(d, 7, "has_big_screen").update(required_if="publish_channels.hologram"),
         "多选字段 publish_channels 不存在的选项 hologram"),
        (lambda d: field(d, 7, "has_big_screen").update(required_if="publish_channels"), "不是是否字段"),
        (lambda d: field(d, 7, "has_big_screen").update(required_if="has_tv.big_screen"), "不存在的字段 has_tv"),
        (lambda d: field(d, 7, "big_screen_working").update(required_if="has_big_screen.x"), "不是多选字段"),
        (lambda d: field(d, 7, "publish_channels").update(required_if="has_big_screen"), "不是是否字段，不能有"),
        (lambda d: field(d, 7, "publish_channels").update(min=6), "min 须为1到5之间的整数"),
        (lambda d: field(d, 19, "monitored_areas").update(min=0), "min 须为1到5之间的整数"),
        (lambda d: field(d, 4, "iot_services")["options"].append({"key": "parking", "label": "车位"}),
         "选项 parking 重复"),
    ],
)
@pytest.mark.django_db
def test_a_broken_community_standard_is_refused_with_the_reason(mutate, message):
    data = copy.deepcopy(V2)
    mutate(data)
    with pytest.raises(StandardError, match=message):
        standard_save(data, user=system("tests"))
    assert not StandardVersion.objects.exists()


def test_a_broken_scoring_standard_is_refused_with_every_reason_in_chinese():
    data = copy.deepcopy(SCORING)
    data["bands"][0]["max"] = 120
    data["levels"]["city"]["indicators"][0]["tiers"][0]["when"] = "percent >>= 50"
    with pytest.raises(StandardError, match="^评分标准有以下问题：") as caught:
        validate(data)
    assert "重叠" in str(caught.value) and "；" in str(caught.value)


def test_a_text_of_neither_kind_is_read_as_a_community_standard_and_refused():
    with pytest.raises(StandardError, match="缺少 items"):
        validate({"code": "x"})
