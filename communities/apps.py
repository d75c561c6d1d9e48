from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_groups(sender, **kwargs):
    from .roles import ensure_role_groups

    ensure_role_groups()


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "社区名册"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Permissions exist only after migrate has run, so the role groups are (re)built then.
        post_migrate.connect(_ensure_groups, dispatch_uid="communities.ensure_role_groups")
