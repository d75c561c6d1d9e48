from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views
from .models import Assignment
from .tree import sync_region_links


class AssignmentViewSet(ModelViewSet):
    model = Assignment
    icon = "group"
    menu_label = "角色分配"
    add_to_admin_menu = True
    menu_order = 900
    form_fields = ["user", "role", "region"]
    list_display = ["user", "role", "region", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "region__title"]


@hooks.register("register_admin_viewset")
def register_assignment_viewset():
    return AssignmentViewSet("assignments")


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("register/import/", admin_views.register_import, name="communities_register_import")]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or request.user.has_perm("communities.add_communitypage")


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return SuperuserMenuItem("导入社区名册", reverse("communities_register_import"), icon_name="upload", order=910)


# Keep the ancestor links on communities in step however pages are created or moved in the admin.
@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def sync_after_edit(request, page):
    sync_region_links(page)


@hooks.register("after_move_page")
def sync_after_move(request, page):
    sync_region_links(page)
