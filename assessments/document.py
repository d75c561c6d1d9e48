"""An assessment as one plain, JSON-ready document: what the assessment page, the printable 自评表 and the
exports show, and exactly what a snapshot freezes (so a frozen sheet renders like a live one, from the same
data). Pure apart from the file records it is given; every figure comes from figures/standards.scoring."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.counting import Tally
from smartsite import display
from standards.scoring import Requirement, TierHint

from .figures import (
    ENTERED,
    OVERRIDE,
    SOURCE_LABELS,
    IndicatorFigure,
    band_line,
    computed_values,
    json_value,
    next_band,
    tier_text,
)
from .files import KINDS
from .sources import RATIO, ROLLUP, Source

HELP = {
    "percent": gettext_lazy("0到100之间的百分数，最多2位小数（50表示50%）"),
    "decimal": gettext_lazy("不小于0的数字，最多2位小数"),
    "count": gettext_lazy("不小于0的整数"),
    "rank": gettext_lazy("整数名次，1为最好"),
    "percentile": gettext_lazy("排名位于前百分之几：填X（0<X≤100），越小越好"),
    "bool": gettext_lazy("是或否"),
    "level": gettext_lazy("选择符合的最高一项；都不符合时留空"),
}
EQUALS = "=="
OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}
VIA_LABELS = {
    "web": gettext_lazy("页面填报"), "import": gettext_lazy("文件导入"), "template": gettext_lazy("部门模板导入"),
}


def input_help(spec: Mapping[str, Any]) -> str:
    """Return how to fill one input, in Chinese."""
    text = str(HELP.get(spec["kind"], ""))
    if spec["kind"] == "decimal":
        text = _("数字（可为负数），最多2位小数") if spec.get("signed") else _("不小于0的数字，最多2位小数")
    if spec["kind"] == "rank" and spec.get("of"):
        text = _("1到%(of)s之间的整数名次，1为最好") % {"of": spec["of"]}
    return text + (_("；单位：%(unit)s") % {"unit": spec["unit"]} if spec.get("unit") else "")


def shown(spec: Mapping[str, Any], value: Any, *, threshold: bool = False) -> str:
    """Return a value as a person reads it: 90.00%, 25 Mbit/s, 是, the option's label. A threshold is the policy's
    own number and keeps its writing (≥ 100%); an entered or computed percentage has two decimals."""
    if value is None or value == "":
        return ""
    kind = spec["kind"]
    if kind == "bool":
        return _("是") if value is True else _("否")
    if kind == "level":
        return next((o["label"] for o in spec["options"] if o["key"] == value), str(value))
    if kind in ("percent", "percentile"):
        return f"{value}%" if threshold else display.percent(value)
    return f"{value} {spec['unit']}" if spec.get("unit") else str(value)


def requirement_text(indicator: Mapping[str, Any], requirement: Requirement) -> str:
    """Return one unmet condition as "label：当前 X → 需 ≥Y"."""
    spec = next((s for s in indicator["inputs"] if s["key"] == requirement.key), {"kind": "percent"})
    if requirement.args:
        spec = next(s for s in indicator["inputs"] if s["key"] == requirement.args[0])
    if spec["kind"] == "level":
        return _("%(label)s：当前“%(current)s” → 需达到“%(needed)s”") % {
            "label": requirement.label, "current": requirement.current_label or _("未选择"),
            "needed": requirement.threshold_label}
    if spec["kind"] == "bool":
        return _("%(label)s：需为“%(needed)s”") % {"label": requirement.label,
                                                "needed": shown(spec, requirement.threshold)}
    words = {"label": requirement.label, "needed": shown(spec, requirement.threshold, threshold=True),
             "current": shown(spec, json_value(requirement.current)) if requirement.current is not None else _("未填")}
    if requirement.op == EQUALS:
        return _("%(label)s：当前 %(current)s → 需 为%(needed)s") % words
    return _("%(label)s：当前 %(current)s → 需 %(op)s %(needed)s") % {**words, "op": OPS[requirement.op]}


def hint_doc(indicator: Mapping[str, Any], hint: TierHint | None) -> dict[str, Any] | None:
    """Return what earns the tier above the one held, e.g. 90% → 需 ≥100%, +2分."""
    if hint is None:
        return None
    return {"to_points": hint.to_points, "to_star": hint.to_star, "gain": hint.gain,
            "requirements": [requirement_text(indicator, r) for r in hint.requirements],
            "text": tier_text(indicator, hint.to_points)}


def basis_text(figure: IndicatorFigure) -> str:
    """Return the counts behind a computed value, in words."""
    derived = figure.derived
    if figure.community is None or derived is None:
        return ""
    b = derived.basis
    if derived.problem and not b:
        return derived.problem
    if figure.community.kind == RATIO:
        text = _("范围内社区%(communities)s个，其中%(answered)s个已审核通过并填报；"
                 "合计 %(numerator)s / %(denominator)s")
    elif figure.community.kind == ROLLUP:
        text = _("范围内社区%(communities)s个，其中智慧社区%(meeting)s个")
    else:
        text = _("范围内社区%(communities)s个，已审核通过%(answered)s个，达到要求%(meeting)s个")
    text = text % {"answered": 0, **b}
    return text + (_("（%(problem)s）") % {"problem": derived.problem} if derived.problem else "") + others_text(
        derived.others)


def others_text(others: Mapping[str, int]) -> str:
    """Return the region's registered communities that are not counted, in words ("" when there are none)."""
    text = Tally.of(others).describe()
    return _("；另有%(text)s") % {"text": text} if text else ""


SCOPE = gettext_lazy("只统计街道和类似乡级单位下辖的社区（居委会、类似居委会；不含乡镇，村委会和已撤销的不计入），"
                     "设区市只计主城区；只计已审核通过的填报")


def source_text(source: Source | None, community_standard) -> str:
    """Return how a computed value is computed from the communities' answers, in words."""
    if source is None:
        return ""
    if source.kind == ROLLUP:
        return _("智慧社区数 / 范围内社区总数；智慧社区指本轮社区标准全部指标均审核通过且达标的社区。") + str(SCOPE)
    if source.item not in community_standard.item_numbers:
        return _("本轮社区标准中没有第%(item)s项，无法计算") % {"item": source.item}
    item = community_standard.item(source.item)
    labels = {f["key"]: f["label"] for f in item["fields"]}
    name = _("社区第%(item)s项“%(name)s”") % {"item": source.item, "name": item["name"]}
    if source.kind == RATIO:
        text = _("%(name)s中“%(numerator)s”之和 / “%(denominator)s”之和，只计两项都已填报的社区") % {
            "name": name, "numerator": labels.get(source.numerator), "denominator": labels.get(source.denominator)}
    elif source.field is None:
        text = _("%(name)s审核通过且达标的社区数 / 范围内社区总数（未填报的社区也计入分母）") % {"name": name}
    else:
        text = _("%(name)s中“%(field)s”为“%(expected)s”的社区数 / 范围内社区总数（未填报的社区也计入分母）") % {
            "name": name, "field": labels.get(source.field), "expected": _("是") if source.expected else _("否")}
    return text + _("。") + str(SCOPE)


def _evidence(files: list) -> list[dict[str, Any]]:
    return [{"id": f.pk, "name": f.original_name, "kind": f.kind, "kind_label": str(KINDS.get(f.kind, f.kind)),
             "size": f.size, "sha256": f.sha256,
             "uploaded_at": timezone.localtime(f.uploaded_at).strftime("%Y-%m-%d %H:%M"),
             "uploaded_by": f.uploaded_by.get_username() if f.uploaded_by else ""} for f in files]


def indicator_doc(figure: IndicatorFigure, files: list, community_standard) -> dict[str, Any]:
    """Return one indicator with its wording, values, source, points, next tier, who entered it and its files."""
    ind, score = figure.definition, figure.score
    values = figure.shown
    doc = {
        "number": figure.number, "name": ind["name"], "leading": bool(ind.get("leading")),
        "category": ind["category"], "definition": ind.get("definition", ""), "note": ind.get("note", ""),
        "tiers": [{"star": t["star"], "points": t["points"], "text": t["text"], "held": t["points"] == score.points
                   and score.star == t["star"]} for t in ind.get("tiers") or []],
        "deduction": (ind.get("deduction") or {}).get("text", ""),
        "inputs": [{"key": s["key"], "label": s["label"], "kind": s["kind"], "unit": s.get("unit", ""),
                    "help": input_help(s), "value": values.get(s["key"]), "display": shown(s, values.get(s["key"])),
                    "options": s.get("options", [])} for s in ind["inputs"]],
        "source": figure.source,
        "source_label": (_("未填报") if score.missing and figure.source == ENTERED
                         else str(SOURCE_LABELS[figure.source])),
        "points": score.points, "star": score.star, "max_points": score.max_points, "missing": score.missing,
        "community": source_text(figure.community, community_standard),
        "basis": dict(figure.derived.basis) if figure.derived else None, "basis_text": basis_text(figure),
        "computed": None, "hint": hint_doc(ind, figure.hint), "entered": None,
        "evidence": _evidence(files), "problem": figure.problem,
    }
    if figure.source == OVERRIDE:
        computed = computed_values(ind, figure.derived)
        doc["computed"] = {"display": shown(ind["inputs"][0], computed.get(ind["inputs"][0]["key"])),
                           "points": figure.computed_score.points, "star": figure.computed_score.star}
    if figure.entered is not None:
        e = figure.entered
        doc["entered"] = {"by": e.updated_by, "at": e.updated_at[:16].replace("T", " "), "note": e.note,
                          "department": e.department, "via": str(VIA_LABELS.get(e.via, e.via))}
    return doc


def summary(result) -> dict[str, Any]:
    """Return one assessment's headline figures: total, band, missing, the next band and each category's points."""
    score = result.figures.score
    upcoming = next_band(score)
    return {
        "region": {"level": result.region.level, "code": result.region.code, "name": result.region.name,
                   "level_label": str(result.region.level_label), "city_code": result.region.city_code},
        "started": result.assessment is not None,
        "total": score.total, "max_points": score.max_points, "star": score.star, "band_line": band_line(score),
        "missing": len(score.missing), "categories": result.figures.categories(),
        "next_band": {"star": upcoming[0], "points_needed": upcoming[1]} if upcoming else None,
    }


def document(result, files_by_number: Mapping[int, list]) -> dict[str, Any]:
    """Return the whole assessment: summary, band, categories with their indicators, and the next-star plan."""
    figs = result.figures
    docs = {f.number: indicator_doc(f, files_by_number.get(f.number, []), result.round.standard)
            for f in figs.indicators}
    plan = figs.plan
    next_star = None
    if plan is not None:
        moves = None if plan.plan is None else [
            {"indicator": m.indicator, "name": docs[m.indicator]["name"], "from_points": m.from_points,
             "to_points": m.to_points, "to_star": m.to_star, "gain": m.to_points - m.from_points,
             "text": tier_text(figs.indicator(m.indicator).definition, m.to_points)} for m in plan.plan]
        next_star = {"star": plan.star, "points_needed": plan.points_needed, "plan": moves}
    upcoming = next_band(figs.score)
    return {
        "round": {"code": result.round.code, "name": result.round.name},
        "standard": {"code": result.standard.code, "version": result.standard.version,
                     "title": figs.level_def.get("title", result.standard.title),
                     "attachment": figs.level_def.get("attachment", "")},
        "region": {"level": result.region.level, "code": result.region.code, "name": result.region.name,
                   "level_label": str(result.region.level_label)},
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "total": figs.score.total, "max_points": figs.score.max_points, "star": figs.score.star,
        "band_line": band_line(figs.score), "missing": len(figs.score.missing),
        "next_band": {"star": upcoming[0], "points_needed": upcoming[1]} if upcoming else None,
        "bands": [{"star": b.star, "min": b.min, "max": b.max} for b in figs.score.bands],
        "categories": [{**c, "indicators": [docs[f.number] for f in figs.indicators if f.definition["category"]
                                            == c["key"]]} for c in figs.categories()],
        "next_star": next_star,
    }


def frozen(result, files_by_number: Mapping[int, list]) -> dict[str, Any]:
    """Return what a snapshot stores: the contract JSON entry and the whole document, worded in the default
    language (Chinese) whoever freezes it: the frozen record is the one that is filed, and it does not change."""
    with translation.override(settings.LANGUAGE_CODE):
        document_ = document(result, files_by_number)
    return {"contract": result.as_dict(), "standard": {"code": result.standard.code,
                                                        "version": result.standard.version},
            "document": document_}
