"""Where the public pages live: the one 公开信息 index under the tree's root (made when first needed) and, under it,
one 亮点工作 index per city or county-level unit, each moderated by the province (Wagtail's workflow
"亮点工作审核", one step, `ProvinceApprovalTask`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, Workflow, WorkflowPage, WorkflowTask

from audit.actors import log, log_user
from communities import policy

from ..actions import PublicationAction
from ..models import HighlightIndexPage, ProvinceApprovalTask, PublicationsIndexPage

WORKFLOW_NAME = "亮点工作审核"
TASK_NAME = "省大数据局审核"


def publish_new(parent: Page, page: Page, *, actor) -> Page:
    """Add `page` under `parent` and publish it at once, on Wagtail's page log as `actor` (user or command)."""
    parent.add_child(instance=page)
    log(page, "wagtail.create", actor=actor)
    revision = page.save_revision(user=log_user(actor), log_action=False)
    revision.publish(user=log_user(actor), log_action=False, skip_permission_checks=True)
    log(page, "wagtail.publish", actor=actor, revision=revision)
    return page


def public_index(*, actor) -> PublicationsIndexPage:
    """Return the 公开信息 index, creating and publishing it under the tree's root the first time (call inside a
    transaction: the root row is locked while it is made)."""
    index = PublicationsIndexPage.objects.first()
    if index is None:
        root = Page.objects.select_for_update().get(pk=Page.get_first_root_node().pk)  # one maker at a time
        if index := PublicationsIndexPage.objects.first():
            return index
        index = PublicationsIndexPage(title=_("公开信息"), slug="publications",
                                      intro=_("省级新型智慧城市试点名单及进展、智慧社区名单和各地亮点工作。"))
        publish_new(root, index, actor=actor)
    return index


def highlight_workflow() -> Workflow:
    """Return the one-step workflow the province approves highlight reports with (made the first time)."""
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
        task = ProvinceApprovalTask.objects.create(name=TASK_NAME)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


@transaction.atomic
def highlight_index(*, user, region: Page) -> HighlightIndexPage:
    """Return the 亮点工作 index of `region` (a city or county-level unit), made on its bureau's first report."""
    policy.require(user, PublicationAction.WRITE_HIGHLIGHT, region)
    region = Page.objects.select_for_update().get(pk=region.pk)  # one first report makes the index
    index = HighlightIndexPage.objects.filter(region=region).first()
    if index is None:
        region = region.specific
        index = HighlightIndexPage(title=_("亮点工作 · %(region)s") % {"region": region.title},
                                   slug=f"highlights-{region.code}", region=region)
        publish_new(public_index(actor=user), index, actor=user)
        WorkflowPage.objects.create(page=index, workflow=highlight_workflow())
    return index
