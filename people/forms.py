"""Forms of the roster screens and the phone's activation page."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _


class ActivationForm(SetPasswordForm):
    """Django's set-password form (it runs AUTH_PASSWORD_VALIDATORS against the account) in the phone's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label, second.label = _("设置密码"), _("再次输入密码")
        first.widget.attrs.update({"autocomplete": "new-password", "aria-describedby": "password-rules"})
        second.widget.attrs.update({"autocomplete": "new-password"})
        first.help_text = second.help_text = ""


class RosterImportForm(forms.Form):
    file = forms.FileField(label=_("人员名册文件（CSV 或 XLSX）"))
    dry_run = forms.BooleanField(label=_("只校验，不写入"), required=False)


class SheetForm(forms.Form):
    scope = forms.CharField(
        label=_("范围代码"), max_length=12,
        help_text=_("社区、街道、区县或设区市的代码（6、9或12位）；打印该范围内每个人的激活单"),
    )
    include_activated = forms.BooleanField(
        label=_("也为已设置密码的人员打印（如忘记密码；新链接可重设密码）"), required=False)
    format = forms.ChoiceField(label=_("格式"), choices=[("html", _("网页打印（A4）")), ("pdf", "PDF")],
                               initial="html")
