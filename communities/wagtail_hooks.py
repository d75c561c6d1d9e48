from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page

from . import admin_views, main_urban, main_urban_views, policy, region_edits, region_scope
from .actions import CommunityAction
from .register_write import LOG_ACTIONS as REGISTER_ACTIONS
from .roles import LOG_ACTIONS as ROLE_ACTIONS
from .tree import sync_region_links
from .viewsets import AssignmentViewSet


@hooks.register("register_admin_viewset")
def register_assignment_viewset():
    return AssignmentViewSet("assignments")


@hooks.register("register_admin_urls")
def register_import_url():
    return [
        path("register/import/", admin_views.register_import, name="communities_register_import"),
        path("main-urban/", main_urban_views.IndexView.as_view(), name="communities_main_urban"),
        path("main-urban/<str:code>/", main_urban_views.CityView.as_view(), name="communities_main_urban_city"),
    ]


class MainUrbanMenuItem(MenuItem):
    def is_shown(self, request):
        return main_urban_views.may_confirm_somewhere(request.user)


@hooks.register("register_admin_menu_item")
def register_main_urban_menu_item():
    return MainUrbanMenuItem(_("主城区确认"), reverse("communities_main_urban"), icon_name="site", order=338)


class RegisterMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.may(request.user, CommunityAction.EDIT_REGISTER)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return RegisterMenuItem(_("导入社区名册"), reverse("communities_register_import"), icon_name="upload", order=910)


# Keep the ancestor links on communities in step however pages are created, edited or moved in the admin, and
# put what changed in the register on the audit trail.
@hooks.register("before_edit_page")
def remember_region(request, page):
    request._region_before = region_edits.snapshot(page)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def region_saved(request, page):
    region_edits.region_saved(page, request.user, getattr(request, "_region_before", {}))


@hooks.register("after_move_page")
def sync_after_move(request, page):
    sync_region_links(page)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for key, label in {**ROLE_ACTIONS, **REGISTER_ACTIONS, **region_edits.LOG_ACTIONS,
                       **main_urban.LOG_ACTIONS}.items():
        actions.register_action(key, label, label)


# Region names stay in scope in Wagtail's own page screens (communities/region_scope.py; the chooser's parent
# and chosen pages are taken over in smartsite.urls).
@hooks.register("construct_page_chooser_queryset")
def chooser_pages_in_scope(pages, request):
    return region_scope.visible_pages(request.user, pages)


@hooks.register("construct_explorer_page_queryset")
def explorer_pages_in_scope(parent_page, pages, request):
    return region_scope.visible_pages(request.user, pages)


@hooks.register("before_bulk_action")
def bulk_pages_in_scope(request, action_type, objects, action_class_instance):
    if issubclass(action_class_instance.model, Page):
        region_scope.require_visible(request.user, objects)


for _action in region_scope.scoped_bulk_actions():
    hooks.register("register_bulk_action", _action, order=1)  # after Wagtail's own, which they replace
