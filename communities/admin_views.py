from django import forms
from django.template.response import TemplateResponse

from . import policy
from .actions import CommunityAction
from .register import RegisterFileError, import_register


class RegisterImportForm(forms.Form):
    file = forms.FileField(label="名册文件（CSV 或 XLSX）")
    dry_run = forms.BooleanField(label="只校验，不写入", required=False)


def register_import(request):
    """Upload the community register in the admin; the same service as `import_communities`."""
    policy.require(request.user, CommunityAction.EDIT_REGISTER)
    report, error = None, None
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_register(upload.read(), upload.name, actor=request.user,
                                     dry_run=form.cleaned_data["dry_run"])
        except RegisterFileError as exc:
            error = str(exc)
    return TemplateResponse(
        request, "communities/register_import.html", {"form": form, "report": report, "error": error}
    )
