"""site/static/mobile/eval.js against standards/evaluation.py: the same verdicts, messages and exact percentages
for every item of both versions of the standard (each with its own na_flags) over awkward inputs (full-width
digits, exponents, underscores, negative zero, 15-digit limits, not-applicable marks on options that may and may
not carry one, min with marks, ratios above 100% with and without may_exceed, required_if on an option), plus the
boundaries the phone test walks through. In Chinese (no catalog: the msgids) and in English (the phone's own
JavaScript catalog from /jsi18n/en/ against the server's catalog): one wording per message in each language."""

import json
import random
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation

from smartsite.i18n import javascript_catalog
from standards.evaluation import evaluate_item
from standards.marks import uses_na_flags
from standards.versions import BUNDLED, BUNDLED_V2, parse

pytestmark = pytest.mark.browser
EVAL_JS = Path(settings.BASE_DIR) / "site" / "static" / "mobile" / "eval.js"

COUNT = ["", "0", "1", "59", "60", "100", "007", "12.0", "-1", "１２", " 5 ", "1e3", "abc", "1234567890123456",
         "123456789012345", True, 5, "٣", "000000000000000000001"]
DECIMAL = ["", "0", "1000.1", "800.08", "800.09", "1.005", "-0", "-0.00", "-1", "1e2", "1E-2", "1e-3", "0e-99999",
           "1_000.5", "inf", "NaN", "-inf", "1e15", "999999999999999.99", "１２.５", ".5", "5.", "abc", "1,5", "15",
           "15.01", "14.99", 12, "1e999999999999999999", "0.10", "١٢.٥", "1e-1999999999999999998", "_", "1.2.3",
           "  7.50  ", "0.001e3", "12e-1", True, "1000000000000000000000e-20"]
BOOL = ["", "true", "false", "是", "否", "on", "0", "1", "yes", "maybe", True, False, 1, 0, 2, "  TRUE ", "Ｙ"]
TEXT = ["", "  ", "创新应用", " x ", 5]
# A made-up item exercising what the bundled standard does not: value rules with units, thresholds with
# decimals given as strings and floats, ratios whose denominator is a decimal.
EXTRA = {
    "number": 90,
    "fields": [
        {"key": "a", "kind": "decimal", "label": "甲", "unit": "分钟"},
        {"key": "b", "kind": "count", "label": "乙"},
    ],
    "rules": [
        {"key": "v", "kind": "value", "field": "a", "op": "le", "value": "15.5", "label": "值"},
        {"key": "w", "kind": "ratio", "numerator": "b", "denominator": "a", "op": "gt", "percent": 33.33,
         "label": "比"},
        {"key": "x", "kind": "reduction", "baseline": "a", "actual": "b", "op": "ge", "percent": "12.5", "label": "降"},
    ],
}
# Version 2's keys where the bundled standard has none: a partly flagged `all` list with a `min`, a required_if
# on an option, a ratio allowed past 100% beside one that is not.
EXTRA_V2 = {
    "number": 91,
    "fields": [
        {"key": "c", "kind": "choices", "rule": "all", "min": 2, "label": "丙",
         "options": [{"key": "p", "label": "甲项", "na": True}, {"key": "q", "label": "乙项"},
                     {"key": "r", "label": "丙项", "na": False}, {"key": "s", "label": "丁项", "na": True}]},
        {"key": "y", "kind": "bool", "required_if": "c.s", "label": "戊"},
        {"key": "n", "kind": "count", "label": "己"},
        {"key": "d", "kind": "count", "label": "庚"},
    ],
    "rules": [
        {"key": "over", "kind": "ratio", "numerator": "n", "denominator": "d", "op": "ge", "percent": 90,
         "may_exceed": True, "label": "可超"},
        {"key": "capped", "kind": "ratio", "numerator": "n", "denominator": "d", "op": "gt", "percent": 50,
         "may_exceed": False, "label": "不可超"},
    ],
}
BOUNDARIES = [  # item 8 as the browser test types it
    {"smart_lights": "59", "public_lights": "100"},
    {"smart_lights": "60", "public_lights": "100", "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"},
    {"smart_lights": "60", "public_lights": "100", "kwh_without_smart": "1000.1", "kwh_with_smart": "800.09"},
    {"smart_lights": "101", "public_lights": "100", "kwh_without_smart": "0", "kwh_with_smart": "1"},
]


def _choices(field):
    keys = [o["key"] for o in field["options"]]
    return [None, [], keys[:1], keys, keys[:2], ["bogus"], keys[0], [1], keys[::-1]]


def _marks(field):
    keys = [o["key"] for o in field["options"]]
    flagged = [o["key"] for o in field["options"] if o.get("na")]  # version 2: the options that may be marked
    return [None, {}, {keys[0]: "本社区无"}, {keys[-1]: ""}, {keys[1]: "  "}, {"bogus": "x"}, "notamapping",
            {keys[0]: 5}, {k: "无" for k in keys[1:]}] + ([{k: "无" for k in flagged}] * 2 if flagged else [])


def _random_answer(rng, item):
    values, marks = {}, {}
    for field in item["fields"]:
        pool = {"count": COUNT, "decimal": DECIMAL, "bool": BOOL, "text": TEXT}.get(field["kind"]) or _choices(field)
        value = rng.choice(pool)
        if value is not None and rng.random() < 0.9:
            values[field["key"]] = value
        if field["kind"] == "choices" and rng.random() < 0.5 and (mark := rng.choice(_marks(field))) is not None:
            marks[field["key"]] = mark
    if rng.random() < 0.05:
        marks[item["fields"][0]["key"]] = {"x": "y"}  # marking a field that has no options
    return values, marks


def _summary(evaluation) -> dict:
    def fraction(p):
        return None if p is None else f"{p.numerator}/{p.denominator}"

    return {
        "verdict": evaluation.verdict.value, "complete": evaluation.complete, "passed": evaluation.passed,
        "reasons": evaluation.reasons,
        "rules": [[r.key, r.verdict.value, r.message, fraction(r.percent)] for r in evaluation.rules],
        "requirements": [[r.field, r.verdict.value, r.message] for r in evaluation.requirements],
        "errors": [[e.field, e.message] for e in evaluation.errors],
    }


AREAS = ["square", "activity_center", "market", "park", "underpass"]
ITEM_19 = {"vehicle_management": ["trajectory", "image_capture", "plate_matching"], "skynet_connected": "是"}
ITEM_13 = {"online_clinic": True, "telemedicine": True}
# (item number, values, marks) at version 2's corrections, evaluated under both versions
CORRECTIONS = [
    (24, {"registration": True, "connected_systems": ["public_security", "political_legal"]},
     {"connected_systems": {"justice": "未对接"}}),
    (4, {"iot_services": ["temp_humidity", "utility_terminals", "parking", "elevator"]},
     {"iot_services": {"ev_charging": "无充电桩"}}),
    (19, ITEM_19, {"monitored_areas": {key: "无" for key in AREAS}}),
    (19, {**ITEM_19, "monitored_areas": AREAS[:1]}, {"monitored_areas": {key: "无" for key in AREAS[1:]}}),
    (13, {**ITEM_13, "health_records": "10001", "registered_residents": "10000"}, {}),
    (13, {**ITEM_13, "health_records": "1500", "registered_residents": "1000"}, {}),
    (13, {**ITEM_13, "health_records": "10000", "registered_residents": "10000"}, {}),
    (7, {"publish_channels": ["big_screen"], "has_big_screen": "false"}, {}),
    (7, {"publish_channels": ["big_screen"], "has_big_screen": "true", "big_screen_working": "true"}, {}),
    (7, {"publish_channels": ["wechat"], "has_big_screen": "false"}, {}),
    (7, {"has_big_screen": "true"}, {"publish_channels": {"wechat": "无"}}),
]


def cases(path, per_item: int = 60, seed: int = 2026, language: str = "zh-hans") -> list[dict]:
    """Return inputs with the Python engine's answers under the version in `path`, in `language`, reproducibly."""
    data = parse(path.read_text(encoding="utf-8"))
    na_flags = uses_na_flags(data)
    items = data["items"] + [EXTRA, EXTRA_V2]
    by_number = {item["number"]: item for item in items}
    rng = random.Random(seed)
    answers = [(items[7], values, {}) for values in BOUNDARIES]
    answers += [(by_number[number], values, marks) for number, values, marks in CORRECTIONS]
    answers += [(item, *_random_answer(rng, item)) for item in items for _ in range(per_item)]
    out = []
    for index, (item, values, marks) in enumerate(answers):
        photos, minimum = rng.choice([None, 0, 1, 2]), rng.choice([1, 2])
        if len(BOUNDARIES) <= index < len(BOUNDARIES) + len(CORRECTIONS):
            photos = None  # the corrections' verdicts speak of the answer alone
        with translation.override(language):
            evaluation = evaluate_item(item, values, marks, na_flags=na_flags, photo_count=photos,
                                       min_photos=minimum)
            expected = _summary(evaluation)
        out.append({"item": item, "values": values, "na": marks, "photos": photos, "min": minimum,
                    "na_flags": na_flags, "expected": expected})
    return out


RUN = """cases => cases.map(c => {
  const ev = ZHSQEval.evaluateItem(c.item, c.values, c.na, c.photos, c.min, c.na_flags);
  const fraction = p => p === null ? null : `${p.n}/${p.d}`;
  return {verdict: ev.verdict, complete: ev.complete, passed: ev.passed, reasons: ev.reasons,
    rules: ev.rules.map(r => [r.key, r.verdict, r.message, fraction(r.percent)]),
    requirements: ev.requirements.map(r => [r.field, r.verdict, r.message]),
    errors: ev.errors.map(e => [e.field, e.message])};
})"""


def catalog_script(language: str) -> str:
    """Return the phone scripts' catalog for `language`, as /jsi18n/<language>/ serves it."""
    response = javascript_catalog(RequestFactory().get(f"/jsi18n/{language}/"), language=language)
    assert response.status_code == 200
    return response.content.decode()


def _run(browser, path, language: str = "zh-hans") -> tuple[list[dict], list]:
    page = browser.new_page()
    page.set_content("<!doctype html><meta charset=utf-8><title>parity</title>")
    if language != "zh-hans":
        page.add_script_tag(content=catalog_script(language))
    page.add_script_tag(path=str(EVAL_JS))
    expected = cases(path, language=language)
    got = page.evaluate(RUN, json.loads(json.dumps(expected, ensure_ascii=False)))
    page.close()
    mismatches = [(c["item"]["number"], c["values"], c["na"], g, c["expected"])
                  for c, g in zip(expected, got, strict=True) if g != c["expected"]]
    assert len(expected) > 1500
    assert not mismatches, mismatches[:3]
    return expected, got


def _messages(got: list) -> list[str]:
    return [m for g in got for m in g["reasons"] + [r[2] for r in g["rules"]] + [r[2] for r in g["requirements"]]]


@pytest.mark.parametrize("path", [BUNDLED, BUNDLED_V2], ids=["v1", "v2"])
def test_javascript_engine_matches_python(browser, path):
    expected, got = _run(browser, path)
    # The phone test's boundaries, spelled out: 59/100 fails, 60/100 passes, 1000.1 → 800.08 is exactly 20%.
    assert got[0]["rules"][0][1:3] == ["fail", "智能照明设备安装率达到60%以上：59.00% 未达到 60%"]
    assert got[1]["rules"][1][1:] == ["pass", "社区路灯、景观灯节能20%以上：20.00% 达到 20%", "20/1"]
    assert got[2]["rules"][1][1] == "fail"
    corrections = [g["verdict"] for g in got[len(BOUNDARIES):len(BOUNDARIES) + len(CORRECTIONS)]]
    if path == BUNDLED:
        # v1: any option may be marked, a ratio never passes 100%, 大屏 needs no big screen
        assert corrections == ["pass", "pass", "pass", "pass", "invalid", "invalid", "pass", "pass", "pass", "pass",
                               "incomplete"]
        return
    assert corrections == ["invalid", "pass", "fail", "pass", "pass", "pass", "pass", "fail", "pass", "pass",
                           "invalid"]
    # The random inputs reach every correction too, on the bundled items and on EXTRA_V2.
    messages = _messages(got)
    assert sum("该项须实际具备" in m for m in messages) > 50
    assert sum("“本社区无此设施”不计入" in m for m in messages) > 5
    assert sum("未勾选“丁项”" in m for m in messages) > 5 and sum("未勾选“大屏”" in m for m in messages) > 5
    over = [r for g in got for r in g["rules"] if r[0] in ("over", "health_record_rate") and r[3]
            and int(r[3].split("/")[0]) > 100 * int(r[3].split("/")[1])]
    assert len(over) > 5
    assert sum(m.startswith("可超：") and "不能大于" in m for m in messages) == 0
    assert sum(m.startswith("不可超：") and "不能大于" in m for m in messages) > 5
    marked = [c for c in expected if c["item"]["number"] in (4, 91) and c["na"] and not c["expected"]["errors"]]
    assert len(marked) > 5


@pytest.mark.parametrize("path", [BUNDLED, BUNDLED_V2], ids=["v1", "v2"])
def test_javascript_engine_matches_python_in_english(browser, path):
    expected, got = _run(browser, path, "en")
    # The standard's own labels stay as the standard says them (data); the engine's words are English.
    assert got[0]["rules"][0][1:3] == ["fail", "智能照明设备安装率达到60%以上: 59.00% is below 60%"]
    assert got[1]["rules"][1][1:3] == ["pass", "社区路灯、景观灯节能20%以上: 20.00% reaches 20%"]
    messages = _messages(got) + [e[1] for g in got for e in g["errors"]]
    english = {"Not filled in: ", "enter a number", " cannot be greater than ", " photos as evidence", "all covered"}
    for words in english:
        assert sum(words in m for m in messages) > 5, words
    engine_words = ("未填写", "未达到", "请输入", "不能大于", "至少上传", "已全部覆盖", "输入有误", "须为", "不计入")
    assert not [m for m in messages if any(word in m for word in engine_words)]
