"""The standards as versioned data and the assessment rounds pinned to one of their versions."""

from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from communities.policy import EVERYWHERE

from .marks import uses_na_flags


class StandardKind(models.TextChoices):
    COMMUNITY = "community", _("智慧社区标准")
    SCORING = "scoring", _("城市/区县评分标准")


def kind_of(data: dict) -> StandardKind:
    """Return which kind of standard a text is: a scoring standard has `levels` (and no `items`)."""
    return StandardKind.SCORING if "levels" in data and "items" not in data else StandardKind.COMMUNITY


class StandardVersionQuerySet(models.QuerySet):
    def community(self):
        """Only versions of community standards (what a round is pinned to), the query form of kind_of."""
        return self.filter(Q(data__has_key="items") | ~Q(data__has_key="levels"))


class StandardVersion(models.Model):
    """One version of a standard (e.g. SD-ZHSQ-2019 v1); never edited in place, a revision is a new row."""

    code = models.CharField(_("标准编号"), max_length=32)
    version = models.PositiveIntegerField(_("版本"))
    title = models.CharField(_("标准名称"), max_length=200)
    data = models.JSONField(_("标准内容"))
    checksum = models.CharField(_("内容摘要"), max_length=64, editable=False)
    note = models.TextField(_("修订说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = StandardVersionQuerySet.as_manager()

    class Meta:
        db_table = "checklists_standardversion"  # kept from before the app was split out (issue 9)
        verbose_name = _("标准版本")
        verbose_name_plural = pgettext_lazy("复数", "标准版本")  # one Chinese word, two English ones
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_standard_version")]

    def __str__(self) -> str:
        return gettext("%(code)s 第%(version)s版") % {"code": self.code, "version": self.version}

    @property
    def record_name(self) -> str:
        """The version as the audit log records it: in Chinese whatever language the person acting reads."""
        return f"{self.code} 第{self.version}版"

    @property
    def kind(self) -> StandardKind:
        return kind_of(self.data)

    @cached_property
    def na_flags(self) -> bool:
        """Whether only options flagged `na: true` may be marked 本社区无此设施 (standards.marks.uses_na_flags)."""
        return uses_na_flags(self.data)

    @property
    def items(self) -> list[dict]:
        return self.data["items"]

    def item(self, number: int) -> dict:
        """Return the item definition with this number."""
        return next(item for item in self.items if item["number"] == number)

    @property
    def item_numbers(self) -> list[int]:
        return [item["number"] for item in self.items]

    policy_region = EVERYWHERE

    @property
    def min_photos(self) -> int:
        return int(self.data.get("min_photos", 1))


class RoundStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已关闭")


class Round(models.Model):
    """An assessment round (e.g. 2026年度), pinned to the standard version it was opened with."""

    code = models.CharField(_("轮次代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    standard = models.ForeignKey(StandardVersion, verbose_name=_("标准版本"), on_delete=models.PROTECT)
    status = models.CharField(_("状态"), max_length=8, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_at = models.DateTimeField(_("开始时间"))
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)

    class Meta:
        db_table = "checklists_round"
        verbose_name = pgettext_lazy("单数", "核查轮次")  # the plain msgid is the menu's plural
        verbose_name_plural = _("核查轮次")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.name or self.code

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    # Every round spans the province: only administrators and province-level bureaus manage one.
    policy_region = EVERYWHERE
