from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账户与登录安全"

    def ready(self):
        from . import signals  # noqa: F401  (connects the login and lockout receivers)
