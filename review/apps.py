from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "区县审核"
    default_auto_field = "django.db.models.BigAutoField"
