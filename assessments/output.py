"""What the `assessment` command prints: the round's assessments (or one region's, started or not) as the
contract JSON, CSV or XLSX."""

from __future__ import annotations

from django.db.models import Q

from standards.models import Round

from . import exports, selectors
from .document import document
from .models import Assessment
from .regions import Region, region_by, regions


class AssessmentOutputError(ValueError):
    """The request names something that does not exist; the message says what, in Chinese."""


def chosen_regions(round_: Round, level: str | None, code: str | None) -> list[Region]:
    """Return the region with `code` (of `level`), or every region with an assessment in the round."""
    if code:
        found = [r for lvl in ([level] if level else ["city", "county"]) if (r := region_by(lvl, code))]
        if not found:
            raise AssessmentOutputError(f"找不到代码为 {code} 的设区市或县级评价单位（县、县级市、独立性较强的建制区）")
        return found
    started = Assessment.objects.filter(round=round_).values_list("region_id", flat=True)
    return regions(level, Q(pk__in=list(started)))


def write_assessments(*, round_code: str, level: str | None, code: str | None, fmt: str,
                      out: str | None) -> str | None:
    """Return the output text (json/csv without --out), or write it to `out` and return None."""
    round_ = Round.objects.select_related("standard").filter(code=round_code).first()
    if round_ is None:
        raise AssessmentOutputError(f"轮次 {round_code} 不存在 / unknown round")
    if fmt == "xlsx" and not out:
        raise AssessmentOutputError("xlsx 格式必须用 --out 指定输出文件")
    try:
        standard = selectors.scoring_standard(round_)
        results = selectors.results_for(round_, chosen_regions(round_, level, code))
    except selectors.NoScoringStandard as exc:
        raise AssessmentOutputError(str(exc)) from exc
    if fmt == "json":
        payload = exports.contract(round_, {"code": standard.code, "version": standard.version},
                                   [result.as_dict() for result in results])
        text = exports.json_text(payload) + "\n"
    else:
        files = selectors.evidence_by_assessment([r.assessment.pk for r in results if r.assessment])
        docs = [document(r, files.get(r.assessment.pk, {}) if r.assessment else {}) for r in results]
        if fmt == "xlsx":
            exports.write_xlsx(docs, out)
            return None
        text = exports.csv_text(docs)
    if not out:
        return text.rstrip("\n") if fmt == "json" else text
    # CSV gets a BOM so that Excel shows the Chinese headers correctly.
    with open(out, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as stream:
        stream.write(text)
    return None
