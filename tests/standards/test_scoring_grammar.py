"""The `when` and `derived` grammar: precedence, operators, values, and bad text refused (never evaluated)."""

from __future__ import annotations

import builtins
import re
from decimal import Decimal
from pathlib import Path

import pytest

from standards.scoring import BUNDLED, GrammarError, parse_derived, parse_when
from standards.scoring.grammar import Comparison, tokenize
from tests.standards.scoring_factory import STANDARD


def shape(text: str) -> list[list[tuple]]:
    """Return the parsed condition as alternatives of (key, op, value) triples."""
    return [[(c.key, c.op, c.value) for c in alt.comparisons] for alt in parse_when(text).alternatives]


def test_and_binds_tighter_than_or() -> None:
    assert shape("a >= 1 or b >= 2 and c >= 3") == [[("a", ">=", 1)], [("b", ">=", 2), ("c", ">=", 3)]]
    assert shape("a >= 1 and b >= 2 or c >= 3") == [[("a", ">=", 1), ("b", ">=", 2)], [("c", ">=", 3)]]
    assert shape("a > 1 or b > 2 or c > 3") == [[("a", ">", 1)], [("b", ">", 2)], [("c", ">", 3)]]


@pytest.mark.parametrize("op", [">=", ">", "<=", "<", "=="])
def test_every_operator(op: str) -> None:
    assert shape(f"percent {op} 50") == [[("percent", op, Decimal(50))]]
    assert shape(f"percent{op}50") == [[("percent", op, Decimal(50))]]


def test_values_are_exact_decimals_bools_or_option_keys() -> None:
    (((_, _, number),),) = shape("percent >= 8.5")
    assert number == Decimal("8.5") and isinstance(number, Decimal)
    assert shape("growth >= -5") == [[("growth", ">=", Decimal(-5))]]
    assert shape("special_fund == true and other == false") == [[("special_fund", "==", True), ("other", "==", False)]]
    assert shape("level >= working_systems") == [[("level", ">=", "working_systems")]]


def test_comparisons_keep_their_position() -> None:
    condition = parse_when("a >= 1 and bb < 2")
    assert condition.comparisons() == (Comparison("a", ">=", Decimal(1), 0), Comparison("bb", "<", Decimal(2), 11))


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("", 0, "条件为空"),
        ("   ", 0, "条件为空"),
        ("percent", 7, "比较运算符"),
        ("percent >=", 10, "数值、true/false 或选项名称"),
        (">= 5", 0, "输入项名称"),
        ("percent => 5", 8, "无法识别的字符“=”"),
        ("percent = 5", 8, "无法识别的字符“=”"),
        ("percent != 5", 8, "无法识别的字符“!”"),
        ("percent >= 5 and", 16, "输入项名称"),
        ("percent >= 5 5", 13, "and、or"),
        ("percent >= 5 AND b >= 1", 13, "and、or"),
        ("(percent >= 5)", 0, "输入项名称"),
        ("percent >= 5 or (b >= 1)", 16, "输入项名称"),
        ("percent >= 5 and b >= 1)", 23, "不支持括号"),
        ("percent >= 1e3", 11, "无法识别的字符“1”"),
        ("percent >= .5", 11, "无法识别的字符“.”"),
        ("percent >= 5%", 12, "无法识别的字符“%”"),
        ("and >= 5", 0, "输入项名称"),
        ("percent >= and", 11, "数值"),
        ("percent >= 5; import os", 12, "无法识别的字符“;”"),
        ("__import__('os').system('rm -rf /')", 11, "无法识别的字符“'”"),
        ("__import__ (os)", 11, "比较运算符"),
        ("百分比 >= 5", 0, "无法识别的字符“百”"),
    ],
)
def test_bad_text_is_refused_with_position(text: str, position: int, fragment: str) -> None:
    with pytest.raises(GrammarError) as raised:
        parse_when(text)
    assert raised.value.position == position
    assert fragment in str(raised.value)
    assert f"第{position + 1}个字符处" in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_parsing_never_evaluates(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("eval/exec/compile must not be used")

    for name in ("eval", "exec", "compile"):
        monkeypatch.setattr(builtins, name, refuse)
    parse_when.cache_clear()
    parse_derived.cache_clear()
    assert shape("x >= 1 or y == true")[1] == [("y", "==", True)]
    assert parse_derived("avg(a, b)").args == ("a", "b")
    with pytest.raises(GrammarError):
        parse_when("__import__('os')")


def test_the_package_source_has_no_eval() -> None:
    sources = sorted((Path(BUNDLED).parents[1] / "scoring").glob("*.py"))
    assert len(sources) >= 5
    for path in sources:
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w.])(eval|exec|compile|__import__)\(|literal_eval", source), path.name


def test_tokenizer_splits_names_numbers_operators() -> None:
    assert [(t.kind, t.text) for t in tokenize("a>=1.5 or b")] == [
        ("name", "a"), ("op", ">="), ("number", "1.5"), ("name", "or"), ("name", "b"), ("end", ""),
    ]


def test_derived_average() -> None:
    derived = parse_derived("avg(wireless_percent, multimedia_percent, remote_education_percent)")
    assert derived.function == "avg"
    assert derived.args == ("wireless_percent", "multimedia_percent", "remote_education_percent")
    assert parse_derived("avg(a)").args == ("a",)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("avg()", "输入项名称"),
        ("avg(a,)", "输入项名称"),
        ("avg(a b)", "“)”"),
        ("avg(a, 1)", "输入项名称"),
        ("avg(a, b) + 1", "无法识别的字符“+”"),
        ("avg(a, b) c", "表达式结尾"),
        ("sum(a, b)", "未知的函数“sum”"),
        ("avg", "“(”"),
        ("__import__('os')", "无法识别的字符“'”"),
        ("__import__(os)", "未知的函数“__import__”"),
    ],
)
def test_bad_derived_is_refused(text: str, fragment: str) -> None:
    with pytest.raises(GrammarError) as raised:
        parse_derived(text)
    assert fragment in str(raised.value)


def test_every_when_and_derived_of_the_standard_parses() -> None:
    indicators = [ind for level in STANDARD["levels"].values() for ind in level["indicators"]]
    whens = [tier["when"] for ind in indicators for tier in ind["tiers"]]
    assert len(whens) == 350
    assert all(parse_when(text).alternatives for text in whens)
    derived = [text for ind in indicators for text in (ind.get("derived") or {}).values()]
    assert [len(parse_derived(text).args) for text in derived] == [3, 3, 3, 3]
