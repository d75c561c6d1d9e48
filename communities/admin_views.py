"""导入社区名册 in the admin: the old register format or the official division table (the five CSVs as published,
or one XLSX), through the same services as `import_communities` and `import_divisions`."""

from __future__ import annotations

from typing import NamedTuple

from django import forms
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from smartsite.forms import MultipleFileField

from . import policy
from .actions import CommunityAction
from .division_import import import_divisions
from .register import import_register
from .register_plan import Change, Entry
from .register_report import RegisterReport
from .tables import TableError

REGISTER, DIVISIONS = "register", "divisions"
SHOWN = 200  # errors and changes listed on the page; the command's --report has every change


class RegisterImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("文件类型"), required=False, widget=forms.RadioSelect, initial=REGISTER,
        choices=[(REGISTER, _("社区名册（市、区县、街道、社区各列，一个文件）")),
                 (DIVISIONS, _("统计用区划代码表（代码、名称两列；可多个文件，如五个 CSV 或一个 XLSX）"))],
    )
    file = MultipleFileField(label=_("文件（CSV 或 XLSX）"), accept=".csv,.xlsx,.gz")
    moves = forms.FileField(label=_("迁移对照表（可选，仅区划代码表）"), required=False,
                            help_text=_("CSV 两列 <code>old_code,new_code</code>：写明迁移的单位，优先于按名称识别。"))
    retire_missing = forms.BooleanField(
        label=_("撤销文件中不再列出的单位（仅区划代码表）"), required=False,
        help_text=_("文件是所涉省份的完整区划表时勾选：不再列出的单位撤销（不删除，填报与记录保留），"
                    "同一区县内同名的新代码按迁移处理。"))
    dry_run = forms.BooleanField(label=_("只校验并统计，不写入"), required=False)

    def clean(self):
        data = super().clean()
        data["kind"] = data.get("kind") or REGISTER
        if data["kind"] == REGISTER:
            if len(data.get("file") or []) > 1:
                self.add_error("file", _("社区名册只能是一个文件"))
            if data.get("moves") or data.get("retire_missing"):
                self.add_error("kind", _("迁移对照表和撤销只用于统计用区划代码表"))
        return data


# The level and the kind of change as the result table shows them, in the reader's language; the plan, the log and
# the command's --report keep register_plan's Chinese words (LEVEL_NAMES, Change).
SHOWN_LEVELS = {"province": _("省"), "city": _("设区市"), "unit": _("区县"), "street": _("街道/乡镇"),
                "community": _("社区")}
SHOWN_CHANGES = {Change.NEW: _("新增"), Change.RENAMED: _("改名"), Change.MOVED: _("迁移"), Change.RETIRED: _("撤销"),
                 Change.RESTORED: _("恢复"), Change.UPDATED: _("更新")}


class ShownChange(NamedTuple):
    code: str
    name: str
    level: str
    change: str
    before: str
    after: str


class Outcome(NamedTuple):
    report: RegisterReport
    errors: list[str]
    changes: list[ShownChange]
    hidden_errors: int
    hidden_changes: int


def _shown(entry: Entry) -> ShownChange:
    def parent(code: str) -> str:
        return _("上级 %(code)s") % {"code": code} if code else ""

    before = " ".join(filter(None, [entry.old_code, parent(entry.old_parent), entry.old_name]))
    after = " ".join(filter(None, [parent(entry.new_parent), entry.new_name, entry.detail]))
    return ShownChange(entry.code, entry.name, str(SHOWN_LEVELS[entry.level]), str(SHOWN_CHANGES[entry.change]), before,
                       after)


def outcome(report: RegisterReport) -> Outcome:
    """What the page shows of a report: the first errors and changes, and how many more there are."""
    errors = [str(error) for error in report.errors]
    return Outcome(report, errors[:SHOWN], [_shown(e) for e in report.entries[:SHOWN]],
                   max(0, len(errors) - SHOWN), max(0, len(report.entries) - SHOWN))


def _run(data: dict, user) -> RegisterReport:
    files = [(upload.name, upload.read()) for upload in data["file"]]
    if data["kind"] == REGISTER:
        return import_register(files[0][1], files[0][0], actor=user, dry_run=data["dry_run"])
    moves = (data["moves"].name, data["moves"].read()) if data.get("moves") else None
    return import_divisions(files, actor=user, dry_run=data["dry_run"], retire_missing=data["retire_missing"],
                            moves=moves)


def register_import(request):
    """Upload the register or the division table in the admin; the same services as the commands."""
    policy.require(request.user, CommunityAction.EDIT_REGISTER)
    result, error = None, None
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = outcome(_run(form.cleaned_data, request.user))
        except TableError as exc:
            error = str(exc)
    return TemplateResponse(request, "communities/register_import.html",
                            {"form": form, "result": result, "error": error})
