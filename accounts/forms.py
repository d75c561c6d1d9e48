"""Login forms that say so when django-axes has locked the account or address, and the TOTP code form."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy
from wagtail.admin.forms.auth import LoginForm

from .lockout import lockout_message


class LockoutAwareMixin:
    """A refused login reads "locked, try again in N minutes" (or, for a slowed account, "in N seconds") instead of
    "wrong password" once Axes has refused the caller (decided by Axes' backend and our handler in authenticate())."""

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            return forms.ValidationError(lockout_message(self.request), code="locked_out")
        return super().get_invalid_login_error()


class PhoneLoginForm(LockoutAwareMixin, AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages,
                      "invalid_login": gettext_lazy("用户名或密码不正确，请重新输入。")}


class AdminLoginForm(LockoutAwareMixin, LoginForm):
    """WAGTAILADMIN_USER_LOGIN_FORM."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Wagtail's password field has no label, so Django shows its name, "Password", in every language.
        self.fields["password"].label = gettext_lazy("Password")


class TokenForm(forms.Form):
    token = forms.CharField(
        label="身份验证器上的 6 位动态码", max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True,
                                      "pattern": "[0-9 ]*"}),
    )
