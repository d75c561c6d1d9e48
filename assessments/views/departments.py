"""Departments of a city or county: which indicators each reports, its XLSX template, and the import of a
filled one (departments.py and workbooks.py do the work)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin import messages

from .. import departments, selectors
from ..forms import DepartmentForm, TemplateUploadForm
from ..models import Department
from ..services import AssessmentError
from ..workbooks import TemplateError, template_import, template_workbook
from .base import AssessmentView
from .pages import XLSX


class DepartmentsView(AssessmentView):
    """List the departments and add one; GET with ?edit=ID shows one department's form."""

    template_name = "assessments/departments.html"

    def indicators(self) -> list[dict]:
        return self.standard.data["levels"][self.region.level]["indicators"]

    def department(self, pk) -> Department:
        found = selectors.department_by_id(self.region, pk)
        if found is None:
            raise Http404(_("找不到该部门"))
        return found

    def get_context_data(self, form: DepartmentForm | None = None, editing=None, **kwargs):
        self.page_title = _("%(region)s · 填报部门") % {"region": self.region.name}
        context = super().get_context_data(**kwargs)
        names = {i["number"]: i["name"] for i in self.indicators()}
        rows = [{"department": d, "indicators": [(n, names.get(n, "")) for n in d.indicators],
                 "edit_url": self.link("departments", edit=d.pk), "delete_url": self.link("department_delete", d.pk),
                 "template_url": self.link("department_template", d.pk),
                 "import_url": self.link("department_import", d.pk)}
                for d in selectors.departments_of(self.region)]
        if form is None and editing is not None:
            form = DepartmentForm(self.indicators(), initial={"name": editing.name,
                                                              "indicators": [str(n) for n in editing.indicators]})
        context.update(rows=rows, form=form or DepartmentForm(self.indicators()), editing=editing,
                       save_url=self.link("departments", edit=getattr(
                           editing, "pk", None)))
        return context

    def get(self, request, *args, **kwargs):
        editing = self.department(request.GET["edit"]) if request.GET.get("edit") else None
        return self.render_to_response(self.get_context_data(editing=editing))

    def post(self, request, *args, **kwargs):
        editing = self.department(request.GET["edit"]) if request.GET.get("edit") else None
        form = DepartmentForm(self.indicators(), request.POST)
        if form.is_valid():
            try:
                saved = departments.department_save(
                    user=request.user, round_=self.round, region=self.region, name=form.cleaned_data["name"],
                    indicators=[int(n) for n in form.cleaned_data["indicators"]], department=editing)
            except AssessmentError as exc:
                for key, message in exc.errors.items():
                    form.add_error(key if key in form.fields else None, message)
            else:
                messages.success(request, _("已保存部门“%(name)s”") % {"name": saved.name})
                return redirect(self.link("departments"))
        return self.render_to_response(self.get_context_data(form=form, editing=editing))


class DepartmentDeleteView(DepartmentsView):
    http_method_names = ["post"]

    def post(self, request, *args, pk: int, **kwargs):
        department = self.department(pk)
        departments.department_delete(user=request.user, department=department)
        messages.success(request, _("已删除部门“%(name)s”") % {"name": department.name})
        return redirect(self.link("departments"))


class DepartmentTemplateView(DepartmentsView):
    http_method_names = ["get"]

    def get(self, request, *args, pk: int, **kwargs):
        department = self.department(pk)
        data = template_workbook(self.result, department)
        response = HttpResponse(data, content_type=XLSX)
        name = f"template-{self.round.code}-{self.region.code}-{department.pk}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ImportView(DepartmentsView):
    http_method_names = ["post"]

    def post(self, request, *args, pk: int, **kwargs):
        department = self.department(pk)
        form = TemplateUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("请选择填好的模板文件"))
            return redirect(self.link("departments"))
        try:
            report = template_import(user=request.user, result=self.result, department=department,
                                     data=form.cleaned_data["file"].read())
        except (TemplateError, PermissionDenied) as exc:
            messages.error(request, _("未导入：%(problem)s") % {"problem": exc})
            return redirect(self.link("departments"))
        if not report.ok:
            self.page_title = _("%(region)s · 模板导入失败") % {"region": self.region.name}
            context = self.get_context_data()
            context.update(import_errors=report.errors, import_department=department)
            return self.render_to_response(context)
        imported = ngettext("已从“%(name)s”的模板导入%(saved)s项指标", "已从“%(name)s”的模板导入%(saved)s项指标",
                            report.saved)
        messages.success(request, imported % {"name": department.name, "saved": report.saved})
        return redirect(self.link("page"))
