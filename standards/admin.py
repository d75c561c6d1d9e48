"""Admin screens for the standard's versions and the assessment rounds."""

import yaml
from django import forms
from wagtail.admin.views.generic.models import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Round, StandardVersion
from .versions import StandardError, parse, standard_save


class StandardVersionForm(forms.ModelForm):
    text = forms.CharField(
        label="标准内容（YAML）", widget=forms.Textarea(attrs={"rows": 30, "style": "font-family:monospace"}),
        help_text="保存时校验结构；内容有变化即生成新版本，已有版本与已开展的轮次不受影响。",
    )

    class Meta:
        model = StandardVersion
        fields = ["note"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.instance if self.instance.pk else StandardVersion.objects.order_by("-created_at").first()
        if source and not self.is_bound:
            self.initial["text"] = yaml.safe_dump(source.data, allow_unicode=True, sort_keys=False)
            self.initial["note"] = ""

    def clean_text(self):
        try:
            data = parse(self.cleaned_data["text"])
            from .versions import validate

            validate(data)
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


class StandardVersionViewSet(ModelViewSet):
    model = StandardVersion
    add_view_class = StandardCreateView
    edit_view_class = StandardEditView
    icon = "list-ul"
    menu_label = "智慧社区标准"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["code", "version", "title", "note", "created_at", "created_by"]
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        return StandardVersionForm


class RoundViewSet(ModelViewSet):
    model = Round
    icon = "date"
    menu_label = "核查轮次"
    add_to_admin_menu = True
    menu_order = 310
    # Status changes go through round_set_status (review:rounds) so closing and reopening are logged.
    form_fields = ["code", "name", "standard"]
    list_display = ["code", "name", "standard", "status", "opened_at", "closed_at"]
    list_filter = ["status"]
