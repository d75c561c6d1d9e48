from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_expert_group(sender, **kwargs):
    from .experts import ensure_expert_group

    ensure_expert_group()


class PilotsConfig(AppConfig):
    name = "pilots"
    verbose_name = _("省级试点")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from communities.roles import PersonRole, register_person_role

        from . import actions  # noqa: F401  (registers this app's actions with the policy)
        from .experts import EXPERT_GROUP
        from .permissions import register
        from .services import pool

        register()
        # The personnel roster (人员名册) grants and ends the role 评估专家 through the pool.
        register_person_role(PersonRole(EXPERT_GROUP, pool.roster_grant, pool.roster_end))
        post_migrate.connect(_ensure_expert_group, dispatch_uid="pilots.ensure_expert_group")
