from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from communities.models import Role
from communities.selectors import is_admin, roles_of

from . import urls as admin_urls


@hooks.register("register_admin_urls")
def register_job_urls():
    return [path("jobs/", include(admin_urls, namespace="jobs"))]


class JobsMenuItem(MenuItem):
    def is_shown(self, request):
        # Every kind of job is for verifiers, bureaus or administrators; workers have none to run.
        user = request.user
        return is_admin(user) or bool(roles_of(user) & {Role.VERIFIER, Role.BUREAU})


@hooks.register("register_admin_menu_item")
def register_jobs_menu_item():
    return JobsMenuItem("我的任务", reverse("jobs:index"), icon_name="tasks", order=900)
