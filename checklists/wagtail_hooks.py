from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin import messages

from . import audit
from .models import ItemResult


@hooks.register("register_log_actions")
def register_log_actions(actions):
    audit.register_actions(actions)


@hooks.register("before_delete_page")
def keep_regions_with_answers(request, page):
    # Answers and photos are evidence on the audit trail: a region that has any cannot be deleted.
    if ItemResult.objects.filter(community__path__startswith=page.path).exists():
        messages.error(request, _("“%(page)s”下已有核查填报和照片，不能删除") % {"page": page.title})
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None
