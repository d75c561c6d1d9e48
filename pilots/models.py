"""The province's pilot programme (工作方案 §四–§六): batches, a city's application for itself and its counties,
each pilot's stage, the experts' reviews, on-site visits, 整改 tasks, the stage history and reminders, and the
public page of a batch's published list."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from assessments.models import AssessmentSnapshot, CheckedFile, Level
from communities.models import CityPage
from communities.policy import EVERYWHERE
from standards.models import Round

from .stages import ReviewKind, Stage, stars

User = settings.AUTH_USER_MODEL


class Batch(models.Model):
    """One year's call for applications: its deadlines and, once published, the list as it was published."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    name = models.CharField(_("名称"), max_length=100)
    apply_by = models.DateField(_("申报截止日期"))
    list_by = models.DateField(_("名单公布截止日期"))
    published_at = models.DateTimeField(_("名单公布时间"), null=True, blank=True)
    published_list = models.JSONField(_("公布的名单"), default=list, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("试点批次")
        verbose_name_plural = _("试点批次")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.name

    policy_region = EVERYWHERE


class Application(models.Model):
    """A city's application, in its government's name, for itself and its counties."""

    batch = models.ForeignKey(Batch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="applications")
    city = models.ForeignKey(CityPage, verbose_name=_("申报市"), on_delete=models.PROTECT, related_name="+")
    report = models.TextField(_("申请报告"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(User, verbose_name=_("提交人"), null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(User, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("试点申报")
        verbose_name_plural = _("试点申报")
        ordering = ["-batch__year", "city__code"]
        constraints = [models.UniqueConstraint(fields=["batch", "city"], name="unique_application")]

    def __str__(self) -> str:
        return f"{self.city.title} · {self.batch.name}"

    @property
    def policy_region(self) -> Page:
        return self.city


def material_path(instance: ApplicationFile, filename: str) -> str:
    return f"pilots/{instance.application.batch.year}/{instance.application_id}/{uuid.uuid4().hex}/{filename}"


class ApplicationFile(CheckedFile):
    """A supporting material of an application (PDF, image, XLSX)."""

    application = models.ForeignKey(Application, verbose_name=_("申报"), on_delete=models.CASCADE,
                                    related_name="materials")
    file = models.FileField(_("文件"), upload_to=material_path, max_length=255)

    class Meta(CheckedFile.Meta):
        verbose_name = _("申报材料")
        verbose_name_plural = _("申报材料")

    @property
    def policy_region(self) -> Page:
        return self.application.city


class Pilot(models.Model):
    """One city (its main urban area) or county-level unit aiming at a star, and where it stands."""

    application = models.ForeignKey(Application, verbose_name=_("申报"), on_delete=models.PROTECT,
                                     related_name="pilots")
    region = models.ForeignKey(Page, verbose_name=_("试点地区"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("级别"), max_length=8, choices=Level.choices)
    target_star = models.PositiveSmallIntegerField(_("申报星级"))
    round = models.ForeignKey(Round, verbose_name=_("自评轮次"), on_delete=models.PROTECT, related_name="+")
    # The self-assessment as it stood when the pilot was added: the numbers never drift after submission.
    snapshot = models.ForeignKey(AssessmentSnapshot, verbose_name=_("自评快照"), on_delete=models.PROTECT,
                                 related_name="+")
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices, default=Stage.DRAFT)
    deadline = models.DateField(_("本阶段截止日期"), null=True, blank=True)
    started_on = models.DateField(_("试点开始日期"), null=True, blank=True)
    granted_star = models.PositiveSmallIntegerField(_("授予星级"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("试点")
        verbose_name_plural = _("试点")
        ordering = ["application__batch__year", "level", "region__path"]
        constraints = [models.UniqueConstraint(fields=["application", "region"], name="unique_pilot")]

    def __str__(self) -> str:
        return f"{self.region.title} · {self.target_label}"

    @property
    def target_label(self) -> str:
        return gettext("%(star)s试点") % {"star": stars(self.target_star)}

    @property
    def policy_region(self) -> Page:
        return self.region


class StageRecord(models.Model):
    """One move of a pilot: from which stage to which, by whom, why, and the new stage's deadline."""

    pilot = models.ForeignKey(Pilot, verbose_name=_("试点"), on_delete=models.CASCADE, related_name="history")
    move = models.CharField(_("操作"), max_length=24)
    source = models.CharField(_("原阶段"), max_length=16, choices=Stage.choices)
    target = models.CharField(_("新阶段"), max_length=16, choices=Stage.choices)
    reason = models.TextField(_("理由"), blank=True)
    deadline = models.DateField(_("新阶段截止日期"), null=True, blank=True)
    # A review held before the notice's date (中期考核 a year, 终期验收 two years after listing): the province's why.
    early_reason = models.TextField(_("提前考核理由"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    by = models.ForeignKey(User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")

    class Meta:
        verbose_name = _("试点阶段记录")
        verbose_name_plural = _("试点阶段记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.pilot} · {self.get_source_display()} → {self.get_target_display()}"

    @property
    def policy_region(self) -> Page:
        return self.pilot.region


class Expert(models.Model):
    """A member of the province's expert pool (专家库): who they are, where they work, and whether they are in the
    pool now. Only active members may be assigned, and 回避 is judged from the organisation and the city."""

    user = models.OneToOneField(User, verbose_name=_("登录账号"), on_delete=models.PROTECT, related_name="pilot_expert")
    name = models.CharField(_("姓名"), max_length=50)
    organisation = models.CharField(_("工作单位"), max_length=100)
    field = models.CharField(_("专业领域"), max_length=100, blank=True)
    city = models.ForeignKey(CityPage, verbose_name=_("工作所在城市"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    active = models.BooleanField(_("在库"), default=True)
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("评估专家")
        verbose_name_plural = _("专家库")
        ordering = ["-active", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation}）"

    policy_region = EVERYWHERE  # the province keeps the pool


class ExpertAssignment(models.Model):
    """A named expert assigned to an application: the only thing an expert may see."""

    application = models.ForeignKey(Application, verbose_name=_("申报"), on_delete=models.CASCADE,
                                    related_name="experts")
    expert = models.ForeignKey(User, verbose_name=_("专家"), on_delete=models.CASCADE, related_name="pilot_assignments")
    assigned_at = models.DateTimeField(_("指派时间"), auto_now_add=True)
    assigned_by = models.ForeignKey(User, verbose_name=_("指派人"), null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("评估专家指派")
        verbose_name_plural = _("评估专家指派")
        constraints = [models.UniqueConstraint(fields=["application", "expert"], name="unique_expert_assignment")]

    def __str__(self) -> str:
        return f"{self.expert} · {self.application}"

    @property
    def policy_region(self) -> Page:
        return self.application.city


class Review(models.Model):
    """An expert assessment of one pilot against a self-assessment snapshot (the application's or a later 自查)."""

    pilot = models.ForeignKey(Pilot, verbose_name=_("试点"), on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("类型"), max_length=16, choices=ReviewKind.choices)
    snapshot = models.ForeignKey(AssessmentSnapshot, verbose_name=_("自评（自查）快照"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    concluded_at = models.DateTimeField(_("结论时间"), null=True, blank=True)
    outcome = models.CharField(_("结论"), max_length=24, blank=True)

    class Meta:
        verbose_name = _("专家评审")
        verbose_name_plural = _("专家评审")
        ordering = ["opened_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["pilot", "kind"], name="unique_review_kind")]

    def __str__(self) -> str:
        return f"{self.pilot} · {self.get_kind_display()}"

    @property
    def policy_region(self) -> Page:
        return self.pilot.region


class Adjustment(models.Model):
    """One expert's points for one indicator of a review (each expert of the panel scores on their own), with the
    reason when they differ from the self-assessed points. An indicator without a row is not yet judged."""

    review = models.ForeignKey(Review, verbose_name=_("评审"), on_delete=models.CASCADE, related_name="adjustments")
    expert = models.ForeignKey(User, verbose_name=_("评分专家"), on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField(_("指标编号"))
    points = models.IntegerField(_("专家评分"))
    reason = models.TextField(_("理由"), blank=True)
    at = models.DateTimeField(_("评分时间"), auto_now=True)

    class Meta:
        verbose_name = _("专家评分")
        verbose_name_plural = _("专家评分")
        ordering = ["review_id", "expert_id", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "expert", "number"], name="unique_expert_mark")]

    def __str__(self) -> str:
        return gettext("%(review)s · %(expert)s · 第%(n)s项 %(points)s分") % {
            "review": self.review, "expert": self.expert, "n": self.number, "points": self.points}


class SignOff(models.Model):
    """An expert's signature under a review's points as they stood (a later adjustment withdraws it)."""

    review = models.ForeignKey(Review, verbose_name=_("评审"), on_delete=models.CASCADE, related_name="signoffs")
    expert = models.ForeignKey(User, verbose_name=_("签字人"), on_delete=models.CASCADE, related_name="+")
    total = models.IntegerField(_("签字时总分"))
    star = models.PositiveSmallIntegerField(_("签字时星级"), null=True, blank=True)
    at = models.DateTimeField(_("签字时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家签字")
        verbose_name_plural = _("专家签字")
        ordering = ["at", "pk"]
        constraints = [models.UniqueConstraint(fields=["review", "expert"], name="unique_signoff")]

    def __str__(self) -> str:
        return f"{self.review} · {self.expert}"


class SiteVisit(models.Model):
    """现场复核: when, who went, what they found."""

    pilot = models.ForeignKey(Pilot, verbose_name=_("试点"), on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("复核日期"))
    members = models.CharField(_("复核人员"), max_length=300)
    findings = models.TextField(_("复核意见"))
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("现场复核")
        verbose_name_plural = _("现场复核")
        ordering = ["visited_on", "pk"]

    def __str__(self) -> str:
        return gettext("%(pilot)s · 现场复核 %(day)s") % {"pilot": self.pilot, "day": self.visited_on}

    @property
    def policy_region(self) -> Page:
        return self.pilot.region


def visit_photo_path(instance: VisitPhoto, filename: str) -> str:
    return f"pilots/visits/{instance.visit_id}/{uuid.uuid4().hex}/{filename}"


class VisitPhoto(models.Model):
    """A photo taken on the visit, through the phones' photo pipeline (display copy and thumbnail only)."""

    visit = models.ForeignKey(SiteVisit, verbose_name=_("现场复核"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to=visit_photo_path, max_length=255)
    thumbnail = models.FileField(_("缩略图"), upload_to=visit_photo_path, max_length=255)
    original_name = models.CharField(_("文件名"), max_length=255)
    sha256 = models.CharField(_("原图 SHA-256"), max_length=64)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("现场复核照片")
        verbose_name_plural = _("现场复核照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def policy_region(self) -> Page:
        return self.visit.pilot.region


class Task(models.Model):
    """整改 task given when a review fails: what, by when; done when the city reports it with a note."""

    pilot = models.ForeignKey(Pilot, verbose_name=_("试点"), on_delete=models.CASCADE, related_name="tasks")
    review = models.ForeignKey(Review, verbose_name=_("评审"), on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("整改任务"), max_length=300)
    due = models.DateField(_("整改期限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_note = models.TextField(_("完成情况"), blank=True)
    done_by = models.ForeignKey(User, verbose_name=_("报告人"), null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")

    class Meta:
        verbose_name = _("整改任务")
        verbose_name_plural = _("整改任务")
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def policy_region(self) -> Page:
        return self.pilot.region


class Reminder(models.Model):
    """A reminder sent before (or after) a deadline, kept so each is sent once."""

    pilot = models.ForeignKey(Pilot, verbose_name=_("试点"), on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices)
    deadline = models.DateField(_("截止日期"))
    days_before = models.IntegerField(_("提前天数"))  # negative: overdue
    recipients = models.TextField(_("收件人"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("截止提醒")
        verbose_name_plural = _("截止提醒")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["pilot", "stage", "deadline", "days_before"],
                                               name="unique_reminder")]

    def __str__(self) -> str:
        return f"{self.pilot} · {self.deadline}"


class PilotListPage(Page):
    """The public page of a batch's 省级试点名单, served at /pilots/<year>/ once the list is published."""

    batch = models.OneToOneField(Batch, verbose_name=_("批次"), on_delete=models.PROTECT, related_name="page")
    intro = models.TextField(_("说明"), blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types: list[str] = []
    template = "pilots/pilot_list_page.html"

    class Meta:
        verbose_name = _("省级试点名单")
        verbose_name_plural = _("省级试点名单")

    def get_url_parts(self, request=None):
        site = Site.find_for_request(request) if request else None
        site = site or Site.objects.filter(is_default_site=True).first()
        return (site.pk, site.root_url, f"/pilots/{self.batch.year}/") if site else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The list as published; only its star is named in the reader's language (the stored words are Chinese).
        context["entries"] = [{**e, "target": stars(e["target_star"])} if e.get("target_star") else e
                              for e in self.batch.published_list]
        return context
