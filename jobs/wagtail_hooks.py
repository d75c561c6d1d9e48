from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from communities import policy

from . import urls as admin_urls
from .actions import JobAction


@hooks.register("register_admin_urls")
def register_job_urls():
    return [path("jobs/", include(admin_urls, namespace="jobs"))]


class JobsMenuItem(MenuItem):
    def is_shown(self, request):
        # Every kind of job is for verifiers, bureaus or administrators; workers have none to run.
        return policy.may(request.user, JobAction.RUN_JOBS)


@hooks.register("register_admin_menu_item")
def register_jobs_menu_item():
    return JobsMenuItem(_("我的任务"), reverse("jobs:index"), icon_name="tasks", order=900)
