"""What the public sees of the pilot programme and the communities (公开信息): the index of everything published,
each round's 智慧社区名单 (a frozen version per publication), the 亮点工作 reports the bureaus write and the province
approves (Wagtail pages with Wagtail's moderation), their photos, and the 通报 of a withdrawn subsidy.

The public pages live outside the site's home page and are served by `publications.public` at fixed addresses
(`get_url_parts`); who may write, edit or publish them in the admin is `communities.policy`, through
`publications.page_permissions`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, Site, Task, TaskState

from communities.policy import EVERYWHERE
from pilots.models import Pilot
from standards.models import Round

from .forms import HighlightPageForm
from .page_permissions import PolicyPagePermissionTester, region_of_highlight
from .panels import PhotosPanel

User = settings.AUTH_USER_MODEL


def fixed_url(request, path: str):
    """Return Wagtail's URL parts for a page served at a fixed address of the default (or request's) site."""
    site = Site.find_for_request(request) if request else None
    site = site or Site.objects.filter(is_default_site=True).first()
    return (site.pk, site.root_url, path) if site else None


class PublicationsIndexPage(Page):
    """公开信息: every published batch, 智慧社区名单 and approved highlight, at /publications/."""

    intro = models.TextField(_("说明"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["publications.SmartListPage", "publications.HighlightIndexPage"]
    max_count = 1
    template = "publications/index_page.html"
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("公开信息")
        verbose_name_plural = _("公开信息")

    def get_url_parts(self, request=None):
        return fixed_url(request, "/publications/")

    def get_context(self, request, *args, **kwargs):
        from . import selectors  # the listings read these very models

        context = super().get_context(request, *args, **kwargs)
        context["listing"] = selectors.public_listing()
        return context


class SmartListPage(Page):
    """One published version of a round's 智慧社区名单, frozen as published (`data`); a re-publication is a new
    page, and the earlier ones stay where they were."""

    round = models.ForeignKey(Round, verbose_name=_("轮次"), on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(_("版本"))
    data = models.JSONField(_("公布的名单"), default=dict)

    parent_page_types = ["publications.PublicationsIndexPage"]
    subpage_types: list[str] = []
    is_creatable = False  # only smart_list_publish makes one, from the coverage roll-up
    template = "publications/smart_list_page.html"
    content_panels = list(Page.content_panels)
    promote_panels: list = []

    class Meta:
        verbose_name = _("智慧社区名单")
        verbose_name_plural = _("智慧社区名单")
        constraints = [models.UniqueConstraint(fields=["round", "version"], name="unique_smart_list_version")]

    policy_region = EVERYWHERE

    def get_url_parts(self, request=None):
        return fixed_url(request, f"/publications/smart-communities/{self.round.code}/v{self.version}/")

    def permissions_for_user(self, user):
        return PolicyPagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["versions"] = selectors.smart_list_versions(self.round.code)
        return context


class HighlightIndexPage(Page):
    """The 亮点工作 of one city or county-level unit: its bureau writes reports here and nowhere else."""

    region = models.OneToOneField(Page, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+")

    parent_page_types = ["publications.PublicationsIndexPage"]
    subpage_types = ["publications.HighlightPage"]
    is_creatable = False  # made for a region by highlights.highlight_index, on the bureau's first report
    content_panels = list(Page.content_panels)
    promote_panels: list = []

    class Meta:
        verbose_name = _("亮点工作栏目")
        verbose_name_plural = _("亮点工作栏目")

    def get_url_parts(self, request=None):
        return fixed_url(request, "/publications/#highlights")  # the public index lists every region's reports

    @property
    def policy_region(self) -> Page:
        return self.region

    def permissions_for_user(self, user):
        return PolicyPagePermissionTester(user, self)


class HighlightPage(Page):
    """A 亮点工作 report (工作方案: 亮点工作及成效请及时报送): a bureau writes it, the province approves it."""

    pilot = models.ForeignKey(Pilot, verbose_name=_("相关试点"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", help_text=_("可选：本地区已列入名单的试点"))
    body = models.TextField(_("正文"), help_text=_("分段请空一行"))

    parent_page_types = ["publications.HighlightIndexPage"]
    subpage_types: list[str] = []
    template = "publications/highlight_page.html"
    base_form_class = HighlightPageForm
    content_panels = [*Page.content_panels, FieldPanel("pilot"), FieldPanel("body"),
                      PhotosPanel(heading=_("照片"))]
    promote_panels: list = []

    class Meta:
        verbose_name = _("亮点工作")
        verbose_name_plural = _("亮点工作")

    def get_url_parts(self, request=None):
        return fixed_url(request, f"/publications/highlights/{self.pk}/")

    @cached_property
    def policy_region(self) -> Page:
        return region_of_highlight(self)

    def permissions_for_user(self, user):
        return PolicyPagePermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context["photos"] = selectors.highlight_photos(self, preview=getattr(request, "is_preview", False))
        context["region"] = self.policy_region
        return context


def photo_path(instance: HighlightPhoto, filename: str) -> str:
    return f"publications/highlights/{instance.page_id}/{uuid.uuid4().hex}/{filename}"


class HighlightPhoto(models.Model):
    """A photo of a highlight report: only the display copy and thumbnail the photo intake made (no metadata).

    The public sees a photo once the report has been published since it was added (the province approved it);
    one taken off is gone from the public page at once and kept for the record.
    """

    page = models.ForeignKey(HighlightPage, verbose_name=_("亮点工作"), on_delete=models.CASCADE,
                             related_name="photos")
    image = models.FileField(_("展示图"), upload_to=photo_path, max_length=255)
    thumbnail = models.FileField(_("缩略图"), upload_to=photo_path, max_length=255)
    caption = models.CharField(_("图片说明"), max_length=200, blank=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("原图 SHA-256"), max_length=64)
    added_at = models.DateTimeField(_("添加时间"), auto_now_add=True)
    added_by = models.ForeignKey(User, verbose_name=_("添加人"), null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    removed_at = models.DateTimeField(_("移除时间"), null=True, blank=True)
    removed_by = models.ForeignKey(User, verbose_name=_("移除人"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("亮点工作照片")
        verbose_name_plural = _("亮点工作照片")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.caption or self.original_name

    @property
    def policy_region(self) -> Page:
        return self.page.policy_region


class RevocationNotice(models.Model):
    """The province's 通报 that a pilot's subsidy is withdrawn (收回奖补资金并予以通报): public words of its own,
    never the internal reason of the move; fixed once published."""

    pilot = models.OneToOneField(Pilot, verbose_name=_("试点"), on_delete=models.PROTECT,
                                 related_name="revocation_notice")
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("通报内容"))
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(User, verbose_name=_("发布人"), null=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        verbose_name = _("收回奖补通报")
        verbose_name_plural = _("收回奖补通报")
        ordering = ["published_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def policy_region(self) -> Page:
        return self.pilot.region


class ProvinceApprovalTask(Task):
    """Wagtail moderation step: those who may APPROVE_HIGHLIGHT on the report's region approve (which publishes
    it) or request changes; while it waits, the page is locked to everyone else."""

    class Meta:
        verbose_name = _("省级审核")
        verbose_name_plural = _("省级审核")

    def _approves(self, obj, user) -> bool:
        from .page_permissions import approves

        return approves(user, obj)

    def user_can_access_editor(self, obj, user):
        return self._approves(obj, user)

    def locked_for_user(self, obj, user):
        return not self._approves(obj, user)

    def user_can_lock(self, obj, user):
        return self._approves(obj, user)

    def get_actions(self, obj, user):
        if not self._approves(obj, user):
            return []
        # Wagtail appends "并发布" to the approval of a workflow's last step.
        return [("reject", _("退回修改"), True), ("approve", _("批准"), False), ("approve", _("批准（附意见）"), True)]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from .page_permissions import approves_anywhere

        if not approves_anywhere(user):
            return self.task_states.none()
        return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)

    @classmethod
    def get_description(cls):
        return _("省大数据局（或管理员）审核：批准后发布，或退回修改")
