from wagtail import hooks

from .admin import RoundViewSet, StandardVersionViewSet


@hooks.register("register_admin_viewset")
def register_standard_viewset():
    return StandardVersionViewSet("standards")


@hooks.register("register_admin_viewset")
def register_round_viewset():
    return RoundViewSet("rounds")
