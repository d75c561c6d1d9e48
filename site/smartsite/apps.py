from django.apps import AppConfig


class SmartsiteConfig(AppConfig):
    name = "smartsite"
    verbose_name = "站点"
