from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevtoolsConfig(AppConfig):
    name = "devtools"
    verbose_name = _("开发工具（演示数据、模拟全省）")
    default_auto_field = "django.db.models.BigAutoField"
