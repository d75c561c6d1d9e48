"""人员名册导入 in the Wagtail admin: upload a roster, see every error or what changed, print activation sheets."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from communities import policy
from communities.actions import CommunityAction

from .actions import PeopleAction
from .forms import RosterImportForm, SheetForm
from .printing import sheet_html, sheet_pdf
from .reading import RosterFileError
from .regions import region_by_code
from .roster import roster_import
from .rows import COLUMNS, HeaderError, role_labels
from .sheets import sheet_issue


def import_page(request):
    """Upload a roster (or check it with 只校验); the same service as `import_people`."""
    policy.require(request.user, CommunityAction.ASSIGN_ROLES)
    report, error = None, None
    form = RosterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = roster_import(by=request.user, content=upload.read(), filename=upload.name,
                                   dry_run=form.cleaned_data["dry_run"])
        except (RosterFileError, HeaderError) as exc:
            error = _("%(file)s：%(problem)s") % {"file": upload.name, "problem": exc}
    return TemplateResponse(request, "people/roster_import.html", {
        "form": form, "report": report, "error": error,
        "sheet_form": SheetForm() if policy.may(request.user, PeopleAction.ISSUE_ACTIVATION) else None,
        # Columns and roles are typed into the file as they are (the contract's headers and values), so they are
        # machine text in both languages, set as <code>; the list's separator is the language's own (、 or a comma).
        "columns": _typed(COLUMNS), "roles": _typed(role_labels()),
    })


def _typed(values) -> str:
    return format_html_join(_("、"), "<code>{}</code>", ((value,) for value in values))


@require_POST
def print_sheet(request):
    """Issue new activation links for a region's people and return the printable sheet (HTML or PDF)."""
    policy.require(request.user, PeopleAction.ISSUE_ACTIVATION)
    form = SheetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写要打印的范围代码"))
        return redirect("people_roster")
    region = region_by_code(form.cleaned_data["scope"])
    if region is None:
        messages.error(request, _("范围代码 %(code)s 未找到") % {"code": form.cleaned_data["scope"]})
        return redirect("people_roster")
    sheet = sheet_issue(by=request.user, region=region, include_activated=form.cleaned_data["include_activated"])
    if form.cleaned_data["format"] == "pdf":
        response = HttpResponse(sheet_pdf(sheet), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="activation-{region.code}.pdf"'
    else:
        response = HttpResponse(sheet_html(sheet, request))
    # Each print voids the links printed before: nothing may keep a copy of the page.
    response["Cache-Control"] = "no-store"
    return response
