from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("账户与登录安全")

    def ready(self):
        from . import (
            actions,  # noqa: F401  (registers this app's actions with the policy)
            signals,  # noqa: F401  (connects the login and lockout receivers)
        )
