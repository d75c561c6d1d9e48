"""Admin screens for the standards' versions and the assessment rounds; every save goes through the services."""

from __future__ import annotations

import yaml
from django import forms
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.views.generic.models import CreateView, EditView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Round, StandardVersion
from .round_views import RoundsStatusView, RoundStatusView
from .rounds import round_create, round_problems, round_update
from .versions import StandardError, latest, parse, require_same_coverage_tiers, standard_save, validate


def as_yaml(data) -> str:
    """A standard's text as staff read and edit it: YAML in the standard's own key order, Chinese as written."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


class StandardVersionForm(forms.ModelForm):
    text = forms.CharField(
        label=_("标准内容（YAML）"), widget=forms.Textarea(attrs={"rows": 30, "class": "monospace"}),
        help_text=_("保存时校验结构（智慧社区标准或城市/区县评分标准）；内容有变化即生成新版本，已有版本与已开展的轮次不受影响。"),
    )

    class Meta:
        model = StandardVersion
        fields = ["note"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A new version starts from the community standard's newest text (never from the scoring standard's).
        source = self.instance if self.instance.pk else latest()
        if source and not self.is_bound:
            self.initial["text"] = as_yaml(source.data)
            self.initial["note"] = ""

    def clean_text(self):
        try:
            data = parse(self.cleaned_data["text"])
            validate(data)
            require_same_coverage_tiers(data)
        except StandardError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


class NewVersionMixin:
    """Saving never changes an existing version: it stores the text as the next version."""

    def save_instance(self):
        version, _ = standard_save(
            self.form.cleaned_data["text"], user=self.request.user, note=self.form.cleaned_data["note"]
        )
        return version


class StandardCreateView(NewVersionMixin, CreateView):
    pass


class StandardEditView(NewVersionMixin, EditView):
    def get_success_url(self):
        return self.get_index_url() if hasattr(self, "get_index_url") else super().get_success_url()


class StandardInspectView(InspectView):
    def get_data_display_value(self):
        # The standard's text as its YAML (what the edit form holds), marked as Chinese: it is the province's wording,
        # read as written whatever language the admin is shown in (and a screen reader voices it as Chinese). Focusable:
        # a long text scrolls, and a keyboard must reach it.
        return format_html('<pre lang="zh-Hans" class="standard-text" tabindex="0">{}</pre>', as_yaml(self.object.data))


class StandardVersionViewSet(ModelViewSet):
    model = StandardVersion
    add_view_class = StandardCreateView
    edit_view_class = StandardEditView
    inspect_view_class = StandardInspectView
    icon = "list-ul"
    menu_label = pgettext_lazy("复数", "标准版本")
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["code", "version", "title", "note", "created_at", "created_by"]
    list_filter = ["code"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return StandardVersionForm


class RoundForm(forms.ModelForm):
    """A round's code, name and pinned version; the services decide whether the change is allowed."""

    class Meta:
        model = Round
        fields = ["code", "name", "standard"]
        help_texts = {"standard": _("轮次开始后（已有填报或快照）不能再改绑其他版本")}

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["standard"].queryset = StandardVersion.objects.community()
        if not self.instance.pk and not self.is_bound:
            self.initial["standard"] = latest()

    def clean(self):
        data = super().clean()
        instance = self.instance if self.instance.pk else None
        for field, message in round_problems(instance, code=data.get("code", ""),
                                             standard=data.get("standard")).items():
            self.add_error(field, message)
        return data

    def _post_clean(self):
        # The service validates and saves; the model's own full_clean would trip over the unsaved opened_at.
        pass


class RoundCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return round_create(user=self.request.user, code=data["code"], name=data["name"], standard=data["standard"])


class RoundEditView(EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return round_update(user=self.request.user, round_=Round.objects.get(pk=self.object.pk), code=data["code"],
                            name=data["name"], standard=data["standard"])


class RoundViewSet(ModelViewSet):
    model = Round
    icon = "date"
    menu_label = _("核查轮次")
    add_to_admin_menu = True
    menu_order = 310
    form_class = RoundForm
    add_view_class = RoundCreateView
    edit_view_class = RoundEditView
    copy_view_enabled = False
    list_display = ["code", "name", "standard", "status", "opened_at", "closed_at"]
    list_filter = ["status"]
    # Every round spans the province: creating, editing, closing and reopening one is for administrators and
    # province-level bureaus; other verifiers and bureaus see the list. Rounds are never deleted (answers hang on them).

    def get_form_class(self, for_update=False):
        return RoundForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("status/", RoundsStatusView.as_view(), name="status"),
            path("<int:pk>/close/", RoundStatusView.as_view(), {"status": "closed"}, name="close"),
            path("<int:pk>/reopen/", RoundStatusView.as_view(), {"status": "open"}, name="reopen"),
        ]
