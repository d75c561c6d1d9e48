"""Forms of the pilot screens. They only collect what was typed; pilots.services checks it and its Chinese
messages (PilotError, by field where known) are put back on the fields with `show_errors`."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from assessments.files import MAX_BYTES
from assessments.regions import Region
from smartsite.forms import MultipleFileField
from standards.models import Round, RoundStatus

from .services.moves import TaskInput
from .services.visits import MAX_PHOTOS
from .stages import TARGET_STARS, stars
from .workflow import Move

TASK_ROWS = 3  # 整改 task rows a move form offers (rows left empty are ignored)


def date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def show_errors(form: forms.Form, error) -> None:
    """Put a PilotError's messages on the form's fields (those it does not have: on the form itself)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def open_rounds():
    return Round.objects.filter(status=RoundStatus.OPEN).order_by("-opened_at")


class RoundChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.code}）"


def round_field() -> RoundChoice:
    """The self-assessment round to freeze: an open one, the newest by default."""
    rounds = open_rounds()
    return RoundChoice(label="自评轮次", queryset=rounds, initial=rounds.first(), empty_label=None)


class BatchForm(forms.Form):
    year = forms.IntegerField(label="年度")
    name = forms.CharField(label="名称", max_length=100, required=False, help_text="例如：2026年度")
    apply_by = forms.DateField(label="申报截止日期", widget=date_input())
    list_by = forms.DateField(label="名单公布截止日期", widget=date_input())


class PilotAddForm(forms.Form):
    region = forms.ChoiceField(label="试点地区")
    target_star = forms.TypedChoiceField(label="申报星级", coerce=int,
                                         choices=[(n, f"{stars(n)}试点") for n in TARGET_STARS])

    def __init__(self, regions: list[Region], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {str(region.pk): region for region in regions}
        self.fields["region"].choices = [(key, f"{r.name}（{r.level_label}）") for key, r in self.regions.items()]
        self.fields["round"] = round_field()

    def chosen_region(self) -> Region:
        return self.regions[self.cleaned_data["region"]]


class ReportForm(forms.Form):
    report = forms.CharField(label="申请报告", required=False, widget=forms.Textarea(attrs={"rows": 12}),
                             help_text="以市政府名义申报：建设基础、目标、主要任务、保障措施")


class MaterialForm(forms.Form):
    file = forms.FileField(label="申报材料",
                           help_text=f"PDF、JPEG/PNG 图片或 XLSX 表格，不超过 {MAX_BYTES // 2**20} MB")


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_username()


class ExpertForm(forms.Form):
    expert = UserChoice(label="评估专家", queryset=get_user_model().objects.none(), to_field_name="username")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")


class MoveForm(forms.Form):
    """What a move of the state table asks for: the revision seen, and a reason, deadline or tasks if it needs them."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, move: Move, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.move = move
        if move.reason:
            self.fields["reason"] = forms.CharField(label="理由", required=False,
                                                    widget=forms.Textarea(attrs={"rows": 3}))
        if move.deadline:
            self.fields["deadline"] = forms.DateField(label="整改期限", required=False, widget=date_input())
        if move.tasks:
            for n in range(1, TASK_ROWS + 1):
                self.fields[f"task_title_{n}"] = forms.CharField(label=f"整改任务 {n}", max_length=300, required=False)
                self.fields[f"task_due_{n}"] = forms.DateField(label=f"任务 {n} 期限", required=False,
                                                               widget=date_input())

    def tasks(self) -> list[TaskInput]:
        """Return the task rows filled in (a title or a date); the service refuses a row missing either."""
        rows = [(self.cleaned_data.get(f"task_title_{n}", ""), self.cleaned_data.get(f"task_due_{n}"))
                for n in range(1, TASK_ROWS + 1)] if self.move.tasks else []
        return [TaskInput(title, due) for title, due in rows if title or due]

    def task_rows(self) -> list[tuple]:
        return [(self[f"task_title_{n}"], self[f"task_due_{n}"]) for n in range(1, TASK_ROWS + 1)] \
            if self.move.tasks else []

    def plain_fields(self) -> list:
        return [self[name] for name in ("reason", "deadline") if name in self.fields]


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="复核日期", required=False, widget=date_input())
    members = forms.CharField(label="复核人员", required=False, max_length=300)
    findings = forms.CharField(label="复核意见", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultipleFileField(label="现场照片", required=False, help_text=f"可多选，最多 {MAX_PHOTOS} 张",
                               accept="image/jpeg,image/png")


class TaskReportForm(forms.Form):
    note = forms.CharField(label="完成情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AdjustForm(forms.Form):
    """The experts' points for one indicator: one of the standard's tier points, or a deduction (≤ 0)."""

    reason = forms.CharField(label="调整理由", required=False, widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, row, *args, **kwargs):
        kwargs.setdefault("initial", {"points": row.expert_points, "reason": row.reason})
        super().__init__(*args, prefix=f"i{row.number}", **kwargs)
        if row.allowed is None:
            self.fields["points"] = forms.IntegerField(label="专家评分", max_value=0)
        else:
            self.fields["points"] = forms.TypedChoiceField(label="专家评分", coerce=int,
                                                           choices=[(p, f"{p}分") for p in row.allowed])
        self.order_fields(["points", "reason"])


class SelfcheckForm(forms.Form):
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"] = round_field()
        self.order_fields(["round", "note"])
