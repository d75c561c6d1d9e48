from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_groups(sender, **kwargs):
    from .roles import ensure_role_groups

    ensure_role_groups()


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("社区名册")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import actions  # noqa: F401  (registers this app's actions with the policy)
        from .models import Role
        from .permissions import register
        from .roles import ADMIN, grant

        register()
        # Verifiers, bureaus and administrators work in the Wagtail admin; workers only on their phones.
        for role in (Role.VERIFIER, Role.BUREAU, ADMIN):
            grant(role, "wagtailadmin.access_admin")
        # Permissions exist only after migrate has run, so the role groups are (re)built then.
        post_migrate.connect(_ensure_groups, dispatch_uid="communities.ensure_role_groups")
