"""Forms of the public pages' admin: the highlight editor (its pilot limited to the region's listed pilots), the
photo upload, the 通报 and the 名单's confirmation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from pilots.models import Pilot


def listed_pilots(region):
    """Return the pilots under `region` that were on a published list (the ones a report may be about)."""
    if region is None:
        return Pilot.objects.none()
    return (Pilot.objects.filter(region__path__startswith=region.path, started_on__isnull=False)
            .select_related("region", "application__batch").order_by("-application__batch__year", "region__path"))


class HighlightPageForm(WagtailAdminPageForm):
    """The highlight editor: the pilot may only be one of the report's own region."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parent = self.parent_page.specific if self.parent_page else None
        field = self.fields.get("pilot")
        if field is not None:
            field.queryset = listed_pilots(getattr(parent, "region", None))
            field.label_from_instance = lambda p: f"{p.application.batch.name} · {p}"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe); the photo intake checks each one's content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(one, initial) for one in data]
        return [super().clean(data, initial)]


class PhotoUploadForm(forms.Form):
    photos = MultipleFileField(label=_("照片"),
                               help_text=_("JPEG、PNG、WebP 或 HEIC，每张不超过 20MB；公开展示前会去除拍摄位置等信息"))
    caption = forms.CharField(label=_("图片说明"), max_length=200, required=False,
                              help_text=_("公开页面上作为照片的文字说明（读屏软件也会读出），可留空"))


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("通报标题"), max_length=200)
    text = forms.CharField(label=_("通报内容（公开）"), widget=forms.Textarea(attrs={"rows": 8}), max_length=4000,
                           help_text=_("将原样公开在批次页面上；不要写入个人姓名、电话等个人信息"))
    confirm = forms.BooleanField(label=_("我已核对通报内容，确认公开发布（发布后不能修改或撤回）"))


class SmartListForm(forms.Form):
    confirm = forms.BooleanField(label=_("我已核对，确认公布（公布后该版本冻结，不再随填报变化）"))
