"""Validate a scoring standard's structure (SD-ZHCS-2019 shape) and list every problem in Chinese."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .schema_inputs import STARS, deduction_problems, derived_problems, inputs_problems, is_int, tiers_problems

TOP_KEYS = ("code", "title", "max_points", "bands", "categories", "levels")
INDICATOR_KEYS = ("number", "key", "category", "name", "definition", "inputs", "tiers")
SOURCES = ("community_rollup",)
COMMUNITY_SOURCES = ("ratio_of_sums", "share_of_communities")


class ScoringStandardError(ValueError):
    """The scoring standard is not well formed; `problems` lists each problem (Chinese)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("评分标准有以下问题：\n" + "\n".join(f"- {problem}" for problem in problems))


def _bands_problems(data: Mapping[str, Any]) -> list[str]:
    bands = data.get("bands")
    if not isinstance(bands, list) or not bands:
        return ["bands（总分与星级的对应）缺失或为空"]
    problems, good = [], []
    for band in bands:
        if not isinstance(band, Mapping) or not all(is_int(band.get(k)) for k in ("star", "min", "max")):
            problems.append(f"分段 {band} 应有整数 star、min、max")
            continue
        if band["star"] not in STARS:
            problems.append(f"分段的星级 {band['star']} 应为1到5")
        if band["min"] > band["max"]:
            problems.append(f"{band['star']}星分段的下限 {band['min']} 大于上限 {band['max']}")
        good.append(band)
    good.sort(key=lambda band: band["min"])
    stars = [band["star"] for band in good]
    if len(set(stars)) != len(stars):
        problems.append("分段的星级重复")
    for low, high in zip(good, good[1:], strict=False):
        if high["min"] != low["max"] + 1:
            word = "重叠" if high["min"] <= low["max"] else "不连续"
            problems.append(f"{low['star']}星分段（至{low['max']}分）与{high['star']}星分段（自{high['min']}分起）{word}")
        if high["star"] <= low["star"]:
            problems.append(f"分段星级应随分数升高：{low['star']}星在{high['star']}星之下")
    top = data.get("max_points")
    if good and is_int(top) and good[-1]["max"] != top:
        problems.append(f"最高分段的上限 {good[-1]['max']} 与满分 {top} 不符")
    return problems


def _categories_problems(data: Mapping[str, Any]) -> tuple[list[str], set[str]]:
    categories = data.get("categories")
    if not isinstance(categories, list) or not categories:
        return ["categories（一级指标）缺失或为空"], set()
    keys = [c.get("key") if isinstance(c, Mapping) else None for c in categories]
    problems = ["一级指标缺少 key 或 label" for c in categories if not isinstance(c, Mapping) or "label" not in c]
    problems += [f"一级指标 {k} 重复" for k in sorted({k for k in keys if isinstance(k, str) and keys.count(k) > 1})]
    return problems, {k for k in keys if isinstance(k, str)}


def _community_problems(indicator: Mapping[str, Any]) -> list[str]:
    problems = []
    if "source" in indicator and indicator["source"] not in SOURCES:
        problems.append(f"source {indicator['source']} 未知（应为 {'、'.join(SOURCES)}）")
    source = indicator.get("community_source")
    if source is not None:
        kinds = [k for k in COMMUNITY_SOURCES if isinstance(source, Mapping) and k in source]
        if len(kinds) != 1:
            problems.append("community_source 应恰有 ratio_of_sums 或 share_of_communities 之一")
        elif kinds == ["ratio_of_sums"] and not (
            isinstance(source["ratio_of_sums"], Mapping)
            and {"numerator", "denominator"} <= set(source["ratio_of_sums"])
        ):
            problems.append("community_source.ratio_of_sums 应有 numerator 和 denominator")
    return problems


def _indicator_problems(indicator: Mapping[str, Any], categories: set[str]) -> list[str]:
    problems = [f"缺少 {key}" for key in INDICATOR_KEYS if key not in indicator]
    if "category" in indicator and indicator["category"] not in categories:
        problems.append(f"一级指标 {indicator['category']} 不在 categories 中")
    if "leading" in indicator and not isinstance(indicator["leading"], bool):
        problems.append("leading 应为 true 或 false")
    input_problems, specs = inputs_problems(indicator)
    derived_list, derived = derived_problems(indicator, specs)
    problems += input_problems + derived_list
    problems += tiers_problems(indicator, specs, derived) if "tiers" in indicator else []
    problems += deduction_problems(indicator, specs)
    return problems + _community_problems(indicator)


def _duplicates(values: list[Any]) -> list[Any]:
    hashable = [value for value in values if isinstance(value, int | str)]
    return sorted({value for value in hashable if hashable.count(value) > 1}, key=str)


def _level_problems(level: str, definition: Any, data: Mapping[str, Any], categories: set[str]) -> list[str]:
    if not isinstance(definition, Mapping):
        return [f"层级 {level} 不是映射"]
    name = definition.get("label") or level
    indicators = definition.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        return [f"{name}：缺少 indicators（指标清单）"]
    indicators = [ind for ind in indicators if isinstance(ind, Mapping)]
    numbers = [ind.get("number") for ind in indicators]
    problems = [f"{name}：指标编号 {n} 重复" for n in _duplicates(numbers)]
    problems += [f"{name}：指标名称 {k} 重复" for k in _duplicates([ind.get("key") for ind in indicators])]
    problems += [f"{name}：指标编号 {n!r} 应为正整数" for n in numbers if not (is_int(n) and n > 0)]
    for indicator in indicators:
        where = f"{name}第{indicator.get('number', '?')}项指标（{indicator.get('key', '?')}）"
        problems += [f"{where}：{problem}" for problem in _indicator_problems(indicator, categories)]
    top = definition.get("max_points", data.get("max_points"))
    tiers = [ind.get("tiers") if isinstance(ind.get("tiers"), list) else [] for ind in indicators]
    most = sum(max((t["points"] for t in ts if isinstance(t, Mapping) and is_int(t.get("points"))), default=0)
               for ts in tiers)
    if is_int(top) and most != top:
        problems.append(f"{name}：各指标最高分之和为 {most}，与满分 {top} 不符")
    return problems


def problems_of(data: Any) -> list[str]:
    """Return every structural problem of a scoring standard (empty when it is well formed)."""
    if not isinstance(data, Mapping):
        return ["评分标准应为映射（code、bands、levels 等）"]
    problems = [f"缺少 {key}" for key in TOP_KEYS if key not in data]
    if "max_points" in data and not (is_int(data["max_points"]) and data["max_points"] > 0):
        problems.append(f"满分 max_points {data['max_points']} 应为正整数")
    problems += _bands_problems(data)
    category_problems, categories = _categories_problems(data)
    problems += category_problems
    levels = data.get("levels")
    if not isinstance(levels, Mapping) or not levels:
        return [*problems, "levels（层级：city、county）缺失或为空"]
    for level, definition in levels.items():
        problems += _level_problems(level, definition, data, categories)
    return problems


def validate(data: Any) -> None:
    """Raise ScoringStandardError listing every structural problem of the scoring standard."""
    problems = problems_of(data)
    if problems:
        raise ScoringStandardError(problems)
