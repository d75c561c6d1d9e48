"""Forms of the pilot screens. They only collect what was typed; pilots.services checks it and its Chinese
messages (PilotError, by field where known) are put back on the fields with `show_errors`."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.files import MAX_BYTES
from assessments.regions import Region
from communities.models import CityPage
from smartsite.forms import MultipleFileField
from standards.models import Round, RoundStatus

from .services.moves import TaskInput
from .services.reviews import MarkInput
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
    return RoundChoice(label=_("自评轮次"), queryset=rounds, initial=rounds.first(), empty_label=None)


class BatchForm(forms.Form):
    year = forms.IntegerField(label=_("年度"))
    name = forms.CharField(label=_("名称"), max_length=100, required=False, help_text=_("例如：2026年度"))
    apply_by = forms.DateField(label=_("申报截止日期"), widget=date_input())
    list_by = forms.DateField(label=_("名单公布截止日期"), widget=date_input())


class PilotAddForm(forms.Form):
    region = forms.ChoiceField(label=_("试点地区"))
    target_star = forms.TypedChoiceField(label=_("申报星级"), coerce=int)

    def __init__(self, regions: list[Region], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {str(region.pk): region for region in regions}
        self.fields["target_star"].choices = [(n, gettext("%(star)s试点") % {"star": stars(n)}) for n in TARGET_STARS]
        self.fields["region"].choices = [(key, f"{r.name}（{r.level_label}）") for key, r in self.regions.items()]
        self.fields["round"] = round_field()

    def chosen_region(self) -> Region:
        return self.regions[self.cleaned_data["region"]]


class ReportForm(forms.Form):
    report = forms.CharField(label=_("申请报告"), required=False, widget=forms.Textarea(attrs={"rows": 12}),
                             help_text=_("以市政府名义申报：建设基础、目标、主要任务、保障措施"))


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("申报材料"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext("PDF、JPEG/PNG 图片或 XLSX 表格，不超过 %(mb)s MB") % {
            "mb": MAX_BYTES // 2**20}


class PoolChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        member = obj.pilot_expert
        where = f" · {member.city.title}" if member.city else ""
        return f"{member.name}（{member.organisation}{where}）"


class ExpertForm(forms.Form):
    """Whom to assign: the active members of the pool only (回避 is judged on the confirm page)."""

    expert = PoolChoice(label=_("评估专家"), queryset=get_user_model().objects.none(), to_field_name="username",
                        empty_label=_("— 选择专家库中的专家 —"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = get_user_model().objects.filter(
            is_active=True, pilot_expert__active=True).select_related("pilot_expert__city").order_by(
            "pilot_expert__name", "pk")


class CityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.title}（{obj.code}）"


class PoolMemberForm(forms.Form):
    """A pool member's details (the account is chosen when they are added)."""

    name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    organisation = forms.CharField(label=_("工作单位"), max_length=100, required=False,
                                   help_text=_("与申报市或其试点地区同名的单位须回避"))
    field = forms.CharField(label=_("专业领域"), max_length=100, required=False)
    city = CityChoice(label=_("工作所在城市"), queryset=CityPage.objects.none(), required=False,
                      empty_label=_("— 省直或省外 —"), help_text=_("该市的申报须回避"))

    def __init__(self, *args, adding: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = CityPage.objects.order_by("code")
        if adding:
            self.fields["username"] = forms.CharField(label=_("登录账号"), max_length=150, required=False,
                                                      help_text=_("专家登录管理后台所用的账号（须已建立）"))
            self.order_fields(["username", "name", "organisation", "field", "city"])

    def clean_username(self):
        username = (self.cleaned_data.get("username") or "").strip()
        if not username:
            raise forms.ValidationError(_("请填写登录账号"))
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("没有该账号：请先由管理员建立账号，或通过人员名册导入"))
        return user


class MarkField(forms.TypedChoiceField):
    """An expert's points for one indicator: one of the standard's tier points, or empty (not judged yet)."""

    def __init__(self, row, **kwargs):
        choices = [("", _("— 未评 —")), *[(p, gettext("%(points)s分") % {"points": p}) for p in row.allowed]]
        super().__init__(choices=choices, coerce=int, empty_value=None, required=False, **kwargs)


class ReviewForm(forms.Form):
    """The whole review page as one form: p<N> the points of indicator N, r<N> the reason."""

    def __init__(self, rows, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # Chinese labels take no colon
        super().__init__(*args, **kwargs)
        self.numbers = [row.number for row in rows]
        for row in rows:
            label = _("第%(n)s项 专家评分") % {"n": row.number}
            if row.allowed is None:  # the deduction: any points up to 0
                self.fields[f"p{row.number}"] = forms.IntegerField(label=label, max_value=0, min_value=-1000,
                                                                   required=False)
            else:
                self.fields[f"p{row.number}"] = MarkField(row, label=label)
            self.fields[f"r{row.number}"] = forms.CharField(
                label=_("第%(n)s项 理由") % {"n": row.number}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}), help_text=_("与自评分不同时必填"))

    def marks(self) -> dict:
        """Return {number: MarkInput} from the cleaned data."""
        return {n: MarkInput(self.cleaned_data.get(f"p{n}"), self.cleaned_data.get(f"r{n}", "")) for n in self.numbers}


class MoveForm(forms.Form):
    """What a move of the state table asks for: the revision seen, and a reason, deadline or tasks if it needs them."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, move: Move, *args, early_from=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.move = move
        if early_from is not None:
            self.fields["early_reason"] = forms.CharField(
                label=_("提前考核理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("工作方案：试点建设一年后开展中期考核，两年后组织终期验收。本项 %(date)s 起方可办理，"
                            "提前办理须说明理由，理由记入阶段记录。") % {"date": early_from.isoformat()})
        if move.reason:
            self.fields["reason"] = forms.CharField(label=_("理由"), required=False,
                                                    widget=forms.Textarea(attrs={"rows": 3}))
        if move.deadline:
            self.fields["deadline"] = forms.DateField(label=_("整改期限"), required=False, widget=date_input())
        if move.tasks:
            for n in range(1, TASK_ROWS + 1):
                self.fields[f"task_title_{n}"] = forms.CharField(label=gettext("整改任务 %(n)s") % {"n": n},
                                                                 max_length=300, required=False)
                self.fields[f"task_due_{n}"] = forms.DateField(label=gettext("任务 %(n)s 期限") % {"n": n},
                                                               required=False,
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
        return [self[name] for name in ("early_reason", "reason", "deadline") if name in self.fields]


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("复核日期"), required=False, widget=date_input())
    members = forms.CharField(label=_("复核人员"), required=False, max_length=300)
    findings = forms.CharField(label=_("复核意见"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    photos = MultipleFileField(label=_("现场照片"), required=False, accept="image/jpeg,image/png")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = gettext("可多选，最多 %(n)s 张") % {"n": MAX_PHOTOS}


class TaskReportForm(forms.Form):
    note = forms.CharField(label=_("完成情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SelfcheckForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"] = round_field()
        self.order_fields(["round", "note"])
