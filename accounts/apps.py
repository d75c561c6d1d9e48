from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账户与登录安全"

    def ready(self):
        from . import (
            actions,  # noqa: F401  (registers this app's actions with the policy)
            signals,  # noqa: F401  (connects the login and lockout receivers)
        )
