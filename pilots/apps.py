from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_expert_group(sender, **kwargs):
    from .experts import ensure_expert_group

    ensure_expert_group()


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = "省级试点"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import actions  # noqa: F401  (registers this app's actions with the policy)
        from .permissions import register

        register()
        post_migrate.connect(_ensure_expert_group, dispatch_uid="pilots.ensure_expert_group")
