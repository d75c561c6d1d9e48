"""The 新建任务 form of 我的任务: one form for the three kinds, turned into a job's params."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from standards.models import Round

from .models import JobKind


class JobForm(forms.Form):
    kind = forms.ChoiceField(label=_("任务类型"), choices=JobKind.choices)
    round = forms.ChoiceField(label=_("轮次"), required=False)
    format = forms.ChoiceField(label=_("导出格式"), choices=[("xlsx", "Excel（xlsx）"), ("csv", _("CSV（社区表）"))],
                               required=False)
    region = forms.CharField(
        label=_("区划代码"), required=False, max_length=12,
        help_text=_("二维码：街道/乡镇9位或区县6位代码；照片重建：可选，社区12位或区县6位代码"),
    )
    # A fresh id per rendered form: a double click or a re-post returns the same job, a new form a new one.
    key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [(r.code, r.name or r.code) for r in Round.objects.order_by("-opened_at")]

    def clean(self):
        data = super().clean()
        kind, region = data.get("kind"), (data.get("region") or "").strip()
        if region and not re.fullmatch(r"\d{6}|\d{9}|\d{12}", region):
            self.add_error("region", gettext("区划代码应为6位（区县）、9位（街道/乡镇）或12位（社区）数字"))
        if kind == JobKind.QR_SHEETS and len(region) not in (6, 9):
            self.add_error("region", gettext("生成二维码请填写街道/乡镇（9位）或区县（6位）代码"))
        if kind == JobKind.PHOTO_RENDITIONS and len(region) == 9:
            self.add_error("region", gettext("照片重建请填写社区（12位）或区县（6位）代码，或留空重建整个轮次"))
        if kind in (JobKind.COVERAGE_EXPORT, JobKind.PHOTO_RENDITIONS) and not data.get("round"):
            self.add_error("round", gettext("请选择轮次"))
        return data

    def params(self) -> dict:
        """Return the job parameters for the chosen kind."""
        data, region = self.cleaned_data, (self.cleaned_data.get("region") or "").strip()
        if data["kind"] == JobKind.COVERAGE_EXPORT:
            fmt = data.get("format") or "xlsx"
            return {"round": data["round"], "format": fmt, **({"sheet": "communities"} if fmt == "csv" else {})}
        if data["kind"] == JobKind.QR_SHEETS:
            return {"street": region} if len(region) == 9 else {"unit": region}
        params = {"round": data["round"]}
        if len(region) == 12:
            params["community"] = region
        elif len(region) == 6:
            params["unit"] = region
        return params

    def key_for(self, user) -> str:
        return f"form:{user.pk}:{self.cleaned_data['key']}"
