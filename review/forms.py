"""The review queue's filters and the forms a verifier fills to return or reopen an item."""

from __future__ import annotations

import operator
from functools import reduce

import django_filters
from django import forms
from django.conf import settings
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from checklists.actions import ChecklistAction
from checklists.models import ItemResult, Status
from communities import policy
from communities.models import StreetPage, UnitPage
from standards.models import Round

from . import selectors

# 常用理由: the reasons verifiers pick most; a deployment can replace the list with the
# CHECKLIST_RETURN_REASONS setting without a code change. The chosen reason is stored as written (in Chinese, the
# record the worker reads); only the checkbox's label is shown in the verifier's language.
COMMON_REASONS = [
    gettext_noop("照片不清晰，请重新拍摄"),
    gettext_noop("照片与指标内容不符"),
    gettext_noop("照片拍摄时间早于本轮核查"),
    gettext_noop("照片与其他社区重复"),
    gettext_noop("填报数据与照片不一致"),
    gettext_noop("数据有误，请核实后重新填报"),
    gettext_noop("缺少必要的佐证照片"),
    gettext_noop("“本社区无此设施”的说明不充分"),
]


# The queue opens on what waits for a decision; the other statuses are one click away (issue 20). ALL is every
# status but drafts, which are the worker's business until submitted.
ALL = "all"
DEFAULT_STATUS = Status.SUBMITTED
STATUS_CHOICES = [(Status.SUBMITTED, Status.SUBMITTED.label), (Status.RETURNED, Status.RETURNED.label),
                  (Status.APPROVED, Status.APPROVED.label), (Status.DRAFT, Status.DRAFT.label),
                  (ALL, _("全部（不含草稿）"))]


def common_reasons() -> list[str]:
    """Return the reasons offered when returning an item."""
    return list(getattr(settings, "CHECKLIST_RETURN_REASONS", COMMON_REASONS))


def _units(request):
    if request is None:
        return UnitPage.objects.none()
    return policy.in_scope(request.user, ChecklistAction.REVIEW, UnitPage.objects.order_by("code"))


def _streets(request):
    if request is None:
        return StreetPage.objects.none()
    return policy.in_scope(request.user, ChecklistAction.REVIEW, StreetPage.objects.order_by("code"))


def _item_choices():
    round_ = selectors.review_round()
    items = round_.standard.items if round_ else []
    return [(item["number"], f"{item['number']}. {item['name']}") for item in items]


class ReviewFilterSet(WagtailFilterSet):
    round = django_filters.ModelChoiceFilter(label=_("轮次"), queryset=Round.objects.all(), empty_label=_("全部轮次"))
    unit = django_filters.ModelChoiceFilter(label=_("区县"), field_name="community__unit", queryset=_units)
    street = django_filters.ModelChoiceFilter(label=_("街道/乡镇"), field_name="community__street", queryset=_streets)
    community = django_filters.CharFilter(label=_("社区（代码或名称）"), method="filter_community")
    item = django_filters.TypedChoiceFilter(label=_("指标"), field_name="item_number", choices=_item_choices,
                                            coerce=int)
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=STATUS_CHOICES, widget=forms.RadioSelect, empty_label=None, method="filter_status"
    )
    flags = django_filters.MultipleChoiceFilter(
        label=_("问题标记（任一）"), choices=list(selectors.FLAGS.items()), method="filter_flags",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ItemResult
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = DEFAULT_STATUS
        super().__init__(data, *args, **kwargs)
        self.form.fields["status"].initial = DEFAULT_STATUS  # the default is not reported as an active filter

    def filter_status(self, queryset, name, value):
        if value == ALL:
            return queryset.exclude(status=Status.DRAFT)
        return queryset.filter(status=value)

    def filter_community(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(community__code=value) if value.isdigit() else queryset.filter(
            community__title__icontains=value
        )

    def filter_flags(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(reduce(operator.or_, (selectors.flag_condition(flag) for flag in value)))


class ReturnForm(forms.Form):
    reasons = forms.MultipleChoiceField(label=_("常用理由"), required=False, widget=forms.CheckboxSelectMultiple)
    detail = forms.CharField(label=_("补充说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].choices = [(r, _(r)) for r in common_reasons()]

    def clean(self):
        data = super().clean()
        if not data.get("reasons") and not (data.get("detail") or "").strip():
            raise forms.ValidationError(gettext("退回必须说明理由：请勾选常用理由或填写补充说明"))
        return data

    @property
    def reason(self) -> str:
        return "；".join([*self.cleaned_data["reasons"], self.cleaned_data["detail"].strip()]).strip("；")


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("重新打开的理由"), widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("重新打开必须填写理由")},
    )
