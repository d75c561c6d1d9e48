"""Validate a community standard's structure (SD-ZHSQ-2019 shape) and list every problem in Chinese."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FIELD_KINDS = {"count", "decimal", "bool", "choices", "text"}
RULE_KINDS = {"ratio": ("numerator", "denominator"), "reduction": ("baseline", "actual"), "value": ("field",)}
OPS = {"ge", "gt", "le"}
TOP_KEYS = ("code", "title", "categories", "items", "rollup")


def _options_problems(where: str, field: Mapping[str, Any]) -> list[str]:
    key, options = field.get("key"), field.get("options")
    if field.get("kind") != "choices":
        return [f"{where}：字段 {key} 不是多选字段，不能有 options"] if options else []
    if not isinstance(options, list) or not options:
        return [f"{where}：多选字段 {key} 没有选项"]
    problems = []
    keys = [o.get("key") if isinstance(o, Mapping) else None for o in options]
    if any(not isinstance(o, Mapping) or not o.get("key") or not o.get("label") for o in options):
        problems.append(f"{where}：多选字段 {key} 的选项须有 key 和 label")
    repeated = sorted({k for k in keys if k and keys.count(k) > 1}, key=str)
    problems += [f"{where}：多选字段 {key} 的选项 {k} 重复" for k in repeated]
    for option in options:
        if not isinstance(option, Mapping) or "na" not in option:
            continue
        if not isinstance(option["na"], bool):
            problems.append(f"{where}：选项 {key}.{option.get('key')} 的 na 须为 true 或 false")
        elif field.get("rule") != "all":
            problems.append(f"{where}：选项 {key}.{option.get('key')} 的 na 只能用于 rule: all 的多选字段")
    minimum = field.get("min")
    if minimum is not None and (type(minimum) is not int or not 1 <= minimum <= len(options)):
        problems.append(f"{where}：多选字段 {key} 的 min 须为1到{len(options)}之间的整数")
    return problems


def _required_if_problems(where: str, field: Mapping[str, Any], fields: Mapping[str, Mapping]) -> list[str]:
    reference = field.get("required_if")
    if reference is None:
        return []
    key = field.get("key")
    if field.get("kind") != "bool":
        return [f"{where}：字段 {key} 不是是否字段，不能有 required_if"]
    if not isinstance(reference, str) or not reference:
        return [f"{where}：字段 {key} 的 required_if 须为字段名（KEY 或 KEY.OPTION）"]
    target, dot, option = reference.partition(".")
    condition = fields.get(target)
    if condition is None:
        return [f"{where}：required_if 引用了不存在的字段 {target}"]
    if not dot:
        if condition.get("kind") == "bool":
            return []
        return [f"{where}：required_if 引用的字段 {target} 不是是否字段（多选字段的选项请写 {target}.选项）"]
    if condition.get("kind") != "choices":
        return [f"{where}：required_if 引用的字段 {target} 不是多选字段，不能写 {reference}"]
    options = {o.get("key") for o in condition.get("options") or () if isinstance(o, Mapping)}
    return [] if option in options else [f"{where}：required_if 引用了多选字段 {target} 不存在的选项 {option}"]


def _rule_problems(where: str, rule: Mapping[str, Any], keys: list) -> list[str]:
    refs = RULE_KINDS.get(rule.get("kind"))
    name = rule.get("key")
    if refs is None:
        return [f"{where}：规则 {name} 的类型 {rule.get('kind')} 未知"]
    problems = [] if rule.get("op") in OPS else [f"{where}：规则 {name} 的比较方式 {rule.get('op')} 未知"]
    missing = [rule.get(ref) for ref in refs if rule.get(ref) not in keys]
    problems += [f"{where}：规则 {name} 引用了不存在的字段 {field}" for field in missing]
    if not isinstance(rule.get("percent", rule.get("value")), int | float | str):
        problems.append(f"{where}：规则 {name} 缺少阈值")
    if "may_exceed" in rule and not isinstance(rule["may_exceed"], bool):
        problems.append(f"{where}：规则 {name} 的 may_exceed 须为 true 或 false")
    elif rule.get("may_exceed") and rule.get("kind") != "ratio":
        problems.append(f"{where}：规则 {name} 不是比率规则，不能有 may_exceed")
    return problems


def _item_problems(item: Mapping[str, Any]) -> list[str]:
    where = f"第{item.get('number', '?')}项"
    fields = [f for f in item.get("fields") or [] if isinstance(f, Mapping)]
    keys = [f.get("key") for f in fields]
    by_key = {f.get("key"): f for f in fields}
    problems = [f"{where}：字段 {k} 重复" for k in sorted({k for k in keys if keys.count(k) > 1}, key=str)]
    for field in fields:
        if field.get("kind") not in FIELD_KINDS:
            problems.append(f"{where}：字段 {field.get('key')} 的类型 {field.get('kind')} 未知")
        problems += _options_problems(where, field)
        problems += _required_if_problems(where, field, by_key)
    for rule in item.get("rules") or []:
        problems += _rule_problems(where, rule, keys)
    return problems


def problems_of(data: Mapping[str, Any]) -> list[str]:
    """Return every structural problem of a community standard (empty when it is well formed)."""
    problems = [f"缺少 {k}" for k in TOP_KEYS if k not in data]
    items = [item for item in data.get("items") or [] if isinstance(item, Mapping)]
    numbers = [item.get("number") for item in items]
    if len(set(numbers)) != len(numbers):
        problems.append("指标序号重复")
    for item in items:
        problems += _item_problems(item)
    listed = [n for c in data.get("categories") or [] for n in c.get("items", [])]
    if sorted(listed, key=str) != sorted(numbers, key=str):
        problems.append("分类中列出的指标与指标清单不一致")
    for level in ("city", "county"):
        if not (data.get("rollup") or {}).get(level, {}).get("tiers"):
            problems.append(f"rollup.{level}.tiers 缺失")
    return problems
