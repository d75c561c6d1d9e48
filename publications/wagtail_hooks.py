from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.utils import get_valid_next_url_from_request

from .models import HighlightPage
from .services.highlights import PHOTO_ADDED, PHOTO_REMOVED
from .services.notices import PUBLISHED as NOTICE_PUBLISHED
from .services.smartlists import PUBLISHED as SMART_LIST_PUBLISHED
from .urls import admin_urls
from .views.home import may_anything

LOG_ACTIONS = {
    NOTICE_PUBLISHED: _("发布收回奖补通报"),
    SMART_LIST_PUBLISHED: _("公布智慧社区名单"),
    PHOTO_ADDED: _("添加亮点工作照片"),
    PHOTO_REMOVED: _("移除亮点工作照片"),
}


# 公开信息 under /admin/publications/.
@hooks.register("register_admin_urls")
def register_publication_urls():
    return admin_urls()


class PublicationsMenuItem(MenuItem):
    def is_shown(self, request):
        return may_anything(request.user)


@hooks.register("register_admin_menu_item")
def register_publications_menu_item():
    return PublicationsMenuItem(_("公开信息"), reverse("publications:home"), icon_name="globe", order=350)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for key, label in LOG_ACTIONS.items():
        actions.register_action(key, label, label)


# The photos panel of the highlight editor uses the app's admin styles (a static file: the CSP allows no inline).
@hooks.register("insert_global_admin_css")
def publications_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("publications/admin.css"))


# After a submission or an approval Wagtail sends the editor to the page explorer, which bureaus and the province
# have no access to (their reports are reached from 公开信息): send them back there instead.
LEAVING = {"action-submit", "action-workflow-action", "action-publish", "action-restart-workflow"}


@hooks.register("after_edit_page")
def back_to_publications(request, page):
    if isinstance(page, HighlightPage) and LEAVING & request.POST.keys() \
            and not get_valid_next_url_from_request(request):
        return redirect("publications:home")
    return None
