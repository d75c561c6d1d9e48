from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    name = "devtools"
    verbose_name = "开发工具（演示数据、模拟全省）"
    default_auto_field = "django.db.models.BigAutoField"
