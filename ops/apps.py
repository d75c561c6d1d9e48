from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = "运维与后台任务"
    default_auto_field = "django.db.models.BigAutoField"
