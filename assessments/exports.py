"""Assessment exports: the contract JSON, and CSV/XLSX written from documents (live or frozen) through the
project's one formula-safe writer (smartsite.spreadsheet)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from smartsite.spreadsheet import SafeCSVWriter, xlsx_row

BOLD = Font(bold=True)
SUMMARY_HEAD = [
    gettext_lazy("级别"), gettext_lazy("代码"), gettext_lazy("名称"), gettext_lazy("总分"), gettext_lazy("满分"),
    gettext_lazy("星级"), gettext_lazy("缺项数"), gettext_lazy("下一星级"), gettext_lazy("距下一星级还差(分)"),
]
INDICATOR_HEAD = [
    gettext_lazy("级别"), gettext_lazy("代码"), gettext_lazy("名称"), gettext_lazy("指标编号"),
    gettext_lazy("一级指标"), gettext_lazy("二级指标"), gettext_lazy("数据来源"), gettext_lazy("填报值"),
    gettext_lazy("得分"), gettext_lazy("星级"), gettext_lazy("未填报"), gettext_lazy("社区数据依据"),
    gettext_lazy("社区汇总值（被替代时）"), gettext_lazy("说明或理由"), gettext_lazy("填报人"),
    gettext_lazy("填报时间"), gettext_lazy("佐证材料"),
]


def json_text(payload: dict[str, Any]) -> str:
    """Return the contract JSON, readable (Chinese unescaped)."""
    return json.dumps(payload, ensure_ascii=False, indent=2)


def contract(round_, standard, entries: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Return interfaces.md's top-level JSON around the assessments' entries."""
    return {"round": round_.code, "standard": {"code": standard["code"], "version": standard["version"]},
            "assessments": list(entries)}


def _stars(star: int | None) -> str:
    return _("%(star)s星") % {"star": star} if star else ""


def _head(columns: list) -> list[str]:
    """Return the headers in the active language (a person reads them; the JSON keeps its keys)."""
    return [str(column) for column in columns]


def category_labels(documents: list[dict[str, Any]]) -> list[str]:
    return [c["label"] for c in documents[0]["categories"]] if documents else []


def summary_row(doc: dict[str, Any]) -> list[Any]:
    """Return one assessment's line of the summary: total, star, missing, next band and each category's points."""
    region, upcoming = doc["region"], doc.get("next_band")
    return [region["level_label"], region["code"], region["name"], doc["total"], doc["max_points"],
            _stars(doc["star"]), doc["missing"], _stars(upcoming["star"]) if upcoming else "",
            upcoming["points_needed"] if upcoming else "", *[c["points"] for c in doc["categories"]]]


def _values(indicator: dict[str, Any]) -> str:
    return "；".join(f"{i['label']}：{i['display']}" for i in indicator["inputs"] if i["display"])


def indicator_rows(doc: dict[str, Any]) -> Iterable[list[Any]]:
    """Yield one line per indicator, then the total."""
    region = doc["region"]
    where = [region["level_label"], region["code"], region["name"]]
    for category in doc["categories"]:
        for ind in category["indicators"]:
            entered = ind["entered"] or {}
            computed = ind["computed"] or {}
            yield [*where, ind["number"], category["label"], ind["name"], ind["source_label"], _values(ind),
                   ind["points"], _stars(ind["star"]), _("是") if ind["missing"] else "", ind["basis_text"],
                   computed.get("display", ""), entered.get("note", ""), entered.get("by", ""),
                   entered.get("at", ""), "、".join(f["name"] for f in ind["evidence"])]
    yield [*where, _("合计"), "", doc["band_line"], "", "", doc["total"], _stars(doc["star"]),
           "", "", "", "", "", "", ""]


def csv_text(documents: list[dict[str, Any]]) -> str:
    """Return every indicator of these assessments as CSV (UTF-8; the caller adds a BOM for Excel)."""
    out = io.StringIO()
    writer = SafeCSVWriter(out)
    writer.writerow(_head(INDICATOR_HEAD))
    for doc in documents:
        writer.writerows(indicator_rows(doc))
    return out.getvalue()


def summary_csv(documents: list[dict[str, Any]]) -> str:
    """Return one line per assessment (the overview) as CSV."""
    out = io.StringIO()
    writer = SafeCSVWriter(out)
    writer.writerow(_head(SUMMARY_HEAD) + category_labels(documents))
    writer.writerows(summary_row(doc) for doc in documents)
    return out.getvalue()


def write_xlsx(documents: list[dict[str, Any]], out: IO[bytes] | str, *, indicators: bool = True) -> None:
    """Write a workbook: 自评汇总 (one row per assessment) and, unless asked not to, 指标明细."""
    book = Workbook(write_only=True)
    summary = book.create_sheet(_("自评汇总"))
    summary.append(xlsx_row(summary, _head(SUMMARY_HEAD) + category_labels(documents), font=BOLD))
    for doc in documents:
        summary.append(xlsx_row(summary, summary_row(doc)))
    if indicators:
        sheet = book.create_sheet(_("指标明细"))
        sheet.append(xlsx_row(sheet, _head(INDICATOR_HEAD), font=BOLD))
        for doc in documents:
            for row in indicator_rows(doc):
                sheet.append(xlsx_row(sheet, row))
    book.save(out)
