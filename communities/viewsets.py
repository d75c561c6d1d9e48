"""角色分配 in the Wagtail admin: every create, edit and delete goes through communities.roles."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.models import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Page

from .models import Assignment
from .roles import assignment_create, assignment_delete, assignment_problems, assignment_update


class RegionChooser(AdminPageChooser):
    def get_instance(self, value):
        # Wagtail's chooser looks the submitted id up to redraw the form; a tampered, non-numeric id must come back
        # as the field's "请选择辖区", not as a server error.
        try:
            return super().get_instance(value)
        except (TypeError, ValueError):
            return None


class AssignmentForm(forms.ModelForm):
    region = forms.ModelChoiceField(
        label=_("辖区"), queryset=Page.objects.all(), widget=RegionChooser(can_choose_root=False),
        help_text=_("社区工作人员分配到社区；区县审核人员分配到区县或设区市；大数据局分配到设区市或全省"),
    )

    class Meta:
        model = Assignment
        fields = ["user", "role", "region"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")

    def clean(self):
        data = super().clean()
        for field, message in assignment_problems(data.get("role"), data.get("region")).items():
            self.add_error(field, message)
        return data

    def validate_unique(self):
        # The services keep (user, role, region) unique and say so in Chinese.
        pass


class AssignmentCreateView(CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return assignment_create(by=self.request.user, user=data["user"], role=data["role"], region=data["region"])


class AssignmentEditView(EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return assignment_update(by=self.request.user, assignment=Assignment.objects.get(pk=self.object.pk),
                                 user=data["user"], role=data["role"], region=data["region"].specific)


class AssignmentDeleteView(DeleteView):
    def delete_action(self):
        assignment_delete(by=self.request.user, assignment=self.object)


class AssignmentViewSet(ModelViewSet):
    model = Assignment
    icon = "group"
    menu_label = _("角色分配")
    add_to_admin_menu = True
    menu_order = 900
    form_class = AssignmentForm
    add_view_class = AssignmentCreateView
    edit_view_class = AssignmentEditView
    delete_view_class = AssignmentDeleteView
    copy_view_enabled = False
    list_display = ["user", "role", "region", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "region__title"]

    def get_form_class(self, for_update=False):
        return AssignmentForm
