"""Structural checks of one indicator's inputs, derived values, tiers and deduction (Chinese messages)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .grammar import KEYWORDS, Comparison, GrammarError, parse_derived, parse_when
from .values import INTEGER_KINDS, KINDS, NUMERIC_KINDS

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
STARS = range(1, 6)


def is_int(value: Any) -> bool:
    """Return whether value is an int and not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def _is_name(key: Any) -> bool:
    """Return whether key can appear in a `when` (an identifier that is not a keyword)."""
    return isinstance(key, str) and bool(_IDENTIFIER.fullmatch(key)) and key not in KEYWORDS


def _input_problems(spec: Any) -> list[str]:
    if not isinstance(spec, Mapping):
        return ["输入项不是映射"]
    key, kind = spec.get("key"), spec.get("kind")
    name = f"输入项 {key}"
    problems = [f"{name} 缺少 {field}" for field in ("key", "kind", "label") if field not in spec]
    if key is not None and not _is_name(key):
        problems.append(f"输入项名称 {key!r} 不是合法的名称（字母、数字、下划线，且不是 and/or/true/false）")
    if "kind" in spec and kind not in KINDS:
        problems.append(f"{name} 的类型 {kind} 未知（应为 {'、'.join(KINDS)} 之一）")
    if kind == "decimal" and not spec.get("unit"):
        problems.append(f"{name} 是 decimal 类型，缺少 unit")
    if kind == "rank" and not (is_int(spec.get("of")) and spec["of"] >= 1):
        problems.append(f"{name} 是 rank 类型，of（参与排名的数量）应为正整数")
    if kind == "level":
        options = spec.get("options")
        if not isinstance(options, list) or not options:
            return [*problems, f"{name} 是 level 类型，缺少 options"]
        keys = [option.get("key") if isinstance(option, Mapping) else None for option in options]
        if None in keys or any(not isinstance(o, Mapping) or "label" not in o for o in options):
            problems.append(f"{name} 的选项缺少 key 或 label")
        keys = [k for k in keys if isinstance(k, str)]
        problems += [f"{name} 的选项 {k} 重复" for k in sorted({k for k in keys if keys.count(k) > 1})]
        problems += [f"{name} 的选项名称 {k!r} 不是合法的名称" for k in keys if not _is_name(k)]
    return problems


def inputs_problems(indicator: Mapping[str, Any]) -> tuple[list[str], dict[str, Mapping[str, Any]]]:
    """Return the problems of the inputs and the well-formed inputs by key."""
    inputs = indicator.get("inputs")
    if not isinstance(inputs, list) or not inputs:
        return ["缺少 inputs（至少一个输入项）"], {}
    problems = [p for spec in inputs for p in _input_problems(spec)]
    keys = [spec.get("key") for spec in inputs if isinstance(spec, Mapping)]
    problems += [f"输入项 {k} 重复" for k in sorted({k for k in keys if isinstance(k, str) and keys.count(k) > 1})]
    specs = {spec["key"]: spec for spec in inputs if isinstance(spec, Mapping) and isinstance(spec.get("key"), str)}
    return problems, specs


def derived_problems(indicator: Mapping[str, Any], specs: Mapping[str, Mapping[str, Any]]) -> tuple[list[str], set]:
    """Return the problems of `derived` and the names of the derived values."""
    derived = indicator.get("derived") or {}
    if not isinstance(derived, Mapping):
        return ["derived 应为映射（名称: 表达式）"], set()
    problems, names = [], set()
    for name, text in derived.items():
        if name in specs:
            problems.append(f"派生值 {name} 与输入项同名")
            continue
        try:
            args = parse_derived(text).args if isinstance(text, str) else None
        except GrammarError as exc:
            problems.append(f"派生值 {name} 无法解析：{exc}")
            continue
        if args is None:
            problems.append(f"派生值 {name} 的表达式不是文本")
            continue
        bad = [arg for arg in args if specs.get(arg, {}).get("kind") not in NUMERIC_KINDS]
        problems += [f"派生值 {name} 引用了不存在或非数值的输入项 {arg}" for arg in bad]
        if len(set(args)) != len(args):
            problems.append(f"派生值 {name} 重复引用了同一输入项")
        names.add(name)  # a broken derived value is reported once, not again by every tier naming it
    return problems, names


def _range_problem(spec: Mapping[str, Any], value: Decimal) -> str | None:
    kind = spec["kind"]
    if kind in INTEGER_KINDS and value != value.to_integral_value():
        return "应为整数"
    if kind == "percent" and not 0 <= value <= 100:
        return "超出0到100"
    if kind == "percentile" and not 0 <= value <= 100:
        return "超出0到100"
    if kind == "rank" and is_int(spec.get("of")) and not 1 <= value <= spec["of"]:
        return f"超出名次范围1到{spec['of']}"
    if kind in ("count", "decimal") and value < 0 and not spec.get("signed"):
        return "为负数"
    return None


def _comparison_problem(c: Comparison, specs: Mapping[str, Mapping[str, Any]], derived: set) -> str | None:
    if c.key in derived:
        return None if isinstance(c.value, Decimal) else f"派生值 {c.key} 只能与数值比较"
    spec = specs.get(c.key)
    if spec is None:
        return f"引用了未知的输入项或派生值 {c.key}"
    kind = spec.get("kind")
    if kind == "bool":
        ok = c.op == "==" and isinstance(c.value, bool)
        return None if ok else f"是否项 {c.key} 只能写成 {c.key} == true 或 {c.key} == false"
    if kind == "level":
        options = [o.get("key") for o in spec.get("options") or [] if isinstance(o, Mapping)]
        return None if c.value in options and isinstance(c.value, str) else f"{c.key} 没有选项 {c.value}"
    if kind not in NUMERIC_KINDS:
        return None  # the unknown kind is reported with the input
    if not isinstance(c.value, Decimal):
        return f"{c.key} 只能与数值比较，实为 {c.value}"
    problem = _range_problem(spec, c.value)
    return None if problem is None else f"{c.key} 的阈值 {c.value} {problem}"


def _tier_problems(tier: Any, specs: Mapping[str, Mapping[str, Any]], derived: set) -> list[str]:
    if not isinstance(tier, Mapping):
        return ["评分档不是映射"]
    name = f"{tier.get('star', '?')}星档"
    problems = [f"{name}缺少 {field}" for field in ("star", "when", "points", "text") if field not in tier]
    if "star" in tier and not (is_int(tier["star"]) and tier["star"] in STARS):
        problems.append(f"{name}的星级 {tier['star']} 应为1到5的整数")
    if "points" in tier and not (is_int(tier["points"]) and tier["points"] > 0):
        problems.append(f"{name}的分值 {tier['points']} 应为正整数")
    when = tier.get("when")
    if "when" in tier:
        try:
            condition = parse_when(when) if isinstance(when, str) else None
        except GrammarError as exc:
            return [*problems, f"{name}的条件无法解析：{exc}"]
        if condition is None:
            return [*problems, f"{name}的条件不是文本"]
        for comparison in condition.comparisons():
            problem = _comparison_problem(comparison, specs, derived)
            if problem:
                problems.append(f"{name}的条件“{when}”：{problem}")
    return problems


def tiers_problems(indicator: Mapping[str, Any], specs: Mapping[str, Mapping[str, Any]], derived: set) -> list[str]:
    """Return the problems of the tiers: each tier, and stars and points rising together."""
    tiers = indicator.get("tiers")
    if not isinstance(tiers, list):
        return ["缺少 tiers（评分档列表）"]
    problems = [p for tier in tiers for p in _tier_problems(tier, specs, derived)]
    stars = [t.get("star") for t in tiers if isinstance(t, Mapping) and is_int(t.get("star"))]
    points = [t.get("points") for t in tiers if isinstance(t, Mapping) and is_int(t.get("points"))]
    if len(stars) == len(tiers) and any(a >= b for a, b in zip(stars, stars[1:], strict=False)):
        problems.append("评分档的星级应从低到高排列且不重复")
    if len(points) == len(tiers) and any(a >= b for a, b in zip(points, points[1:], strict=False)):
        problems.append("评分档的分值应随星级递增")
    return problems


def deduction_problems(indicator: Mapping[str, Any], specs: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Return the problems of a deduction: a count input, negative points per incident, no tiers."""
    deduction = indicator.get("deduction")
    if deduction is None:
        return [] if indicator.get("tiers") else ["既没有评分档也没有扣分规则"]
    if not isinstance(deduction, Mapping):
        return ["deduction 应为映射"]
    problems = []
    if specs.get(deduction.get("input"), {}).get("kind") != "count":
        problems.append(f"扣分规则的输入项 {deduction.get('input')} 不存在或不是 count 类型")
    if not (is_int(deduction.get("points")) and deduction["points"] < 0):
        problems.append(f"扣分规则的分值 {deduction.get('points')} 应为负整数（每起扣分）")
    if deduction.get("per") != "incident":
        problems.append(f"扣分规则的 per 应为 incident，实为 {deduction.get('per')}")
    if indicator.get("tiers"):
        problems.append("扣分指标不应同时有评分档")
    return problems
