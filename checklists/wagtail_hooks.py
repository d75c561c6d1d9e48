from wagtail import hooks

from . import audit
from .admin_standard import RoundViewSet, StandardVersionViewSet


@hooks.register("register_log_actions")
def register_log_actions(actions):
    audit.register_actions(actions)


@hooks.register("register_admin_viewset")
def register_standard_viewset():
    return StandardVersionViewSet("standards")


@hooks.register("register_admin_viewset")
def register_round_viewset():
    return RoundViewSet("rounds")
