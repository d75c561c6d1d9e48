"""Forms of the assessment screens: one field per input of an indicator (by kind), files, departments.

They only collect what was typed; the values are checked by assessments.services (standards.scoring), whose
Chinese messages are put back on the fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from intake import numbers

from .document import input_help
from .files import MAX_BYTES

BOOL_CHOICES = [("", _("未填")), ("true", _("是")), ("false", _("否"))]


def _number_length(value: str) -> None:
    """Refuse a number too long to read with the intake's own message (the service reads the rest)."""
    try:
        numbers.text_of(value)
    except numbers.NumberError as exc:
        raise ValidationError(exc.message, code="too_long") from None


def _field(spec: dict[str, Any]) -> forms.Field:
    label = spec["label"] + (gettext("（%(unit)s）") % {"unit": spec["unit"]} if spec.get("unit") else "")
    if spec["kind"] == "bool":
        return forms.ChoiceField(label=label, choices=BOOL_CHOICES, required=False, help_text=input_help(spec))
    if spec["kind"] == "level":
        choices = [("", gettext("都不符合 / 未填"))] + [(o["key"], o["label"]) for o in spec["options"]]
        return forms.ChoiceField(label=label, choices=choices, required=False, help_text=input_help(spec),
                                 widget=forms.RadioSelect)
    integer = spec["kind"] in ("count", "rank")
    return forms.CharField(label=label, required=False, help_text=input_help(spec), validators=[_number_length],
                           widget=forms.TextInput(attrs={"inputmode": "numeric" if integer else "decimal",
                                                         "autocomplete": "off", "maxlength": numbers.MAX_TEXT}))


def initial_of(doc: dict[str, Any]) -> dict[str, Any]:
    """Return the form's initial data from an indicator's document (what is entered now)."""
    if doc["source"] == "community":
        return {}
    initial = {}
    for item in doc["inputs"]:
        value = item["value"]
        initial[item["key"]] = ("true" if value else "false") if isinstance(value, bool) else value
    initial["note"] = (doc["entered"] or {}).get("note", "")
    return initial


class IndicatorForm(forms.Form):
    """The inputs of one indicator, and a note (required when it replaces a value computed from communities)."""

    def __init__(self, indicator: dict[str, Any], *args, override: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for spec in indicator["inputs"]:
            self.fields[spec["key"]] = _field(spec)
        self.fields["note"] = forms.CharField(
            label=gettext("替代理由（数据来源）") if override else gettext("说明（数据来源、统计口径）"),
            required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
            help_text=(gettext("用自有数据替代社区汇总值时必须填写") if override
                       else gettext("例如：公安局 2026-03 统计")),
        )
        self.input_keys = [spec["key"] for spec in indicator["inputs"]]

    def raw_values(self) -> dict[str, Any]:
        return {key: self.cleaned_data.get(key) for key in self.input_keys}


class FileForm(forms.Form):
    file = forms.FileField(label=_("佐证材料"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = {"mb": MAX_BYTES // 2**20}
        self.fields["file"].help_text = gettext("PDF、JPEG/PNG 图片或 XLSX 表格，不超过%(mb)s MB") % limit


class DepartmentForm(forms.Form):
    name = forms.CharField(label=_("部门名称"), max_length=100)
    indicators = forms.MultipleChoiceField(label=_("负责的指标"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, indicators: list[dict[str, Any]], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [(str(i["number"]), gettext("第%(number)s项 %(name)s") % i)
                                             for i in indicators]


class TemplateUploadForm(forms.Form):
    file = forms.FileField(label=_("填好的模板（XLSX）"))
