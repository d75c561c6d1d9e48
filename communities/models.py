"""The administrative region tree, as Wagtail pages: 省 → 设区市 → 区/县/县级市 → 街道/镇/乡 → 社区."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, Site

from .page_forms import UnitPageForm


class UnitKind(models.TextChoices):
    MAIN_URBAN_DISTRICT = "main_urban_district", _("主城区（计入设区市）")
    COUNTY = "county", _("县")
    COUNTY_CITY = "county_city", _("县级市")
    INDEPENDENT_DISTRICT = "independent_district", _("独立性较强的建制区")


class DivisionKind(models.TextChoices):
    """A county-level unit's kind by the division table's code (digits 5–6); empty for old-format registers."""

    DISTRICT = "district", _("市辖区")
    COUNTY = "county", _("县")
    COUNTY_LIKE = "county_like", _("类似县级单位")
    COUNTY_CITY = "county_city", _("县级市")


class StreetKind(models.TextChoices):
    """A town-level unit's kind by the division table's code (digits 7–9)."""

    SUBDISTRICT = "subdistrict", _("街道")
    TOWN = "town", _("镇")
    TOWNSHIP = "township", _("乡")
    TOWNSHIP_LIKE = "township_like", _("类似乡级单位")


class CommunityKind(models.TextChoices):
    """A village-level unit's kind by the division table's code (digits 10–12); old-format registers: 居委会."""

    RESIDENTS = "residents", _("居委会")
    VILLAGERS = "villagers", _("村委会")
    RESIDENTS_LIKE = "residents_like", _("类似居委会")
    VILLAGERS_LIKE = "villagers_like", _("类似村委会")


# Unit kinds assessed on their own as counties (附件2); main urban districts roll up into their city (附件1).
COUNTY_KINDS = (UnitKind.COUNTY, UnitKind.COUNTY_CITY, UnitKind.INDEPENDENT_DISTRICT)
ASSESSED_AS_CITY, ASSESSED_AS_COUNTY = "city_main_urban", "county"
# Coverage counts 社区 (居委会, 类似居委会) under 街道 and 类似乡级单位: 数据统计范围不含乡镇 excludes 乡 and 镇.
# The rule itself, in its Python and SQL forms, is communities.counting.
COUNTED_STREET_KINDS = (StreetKind.SUBDISTRICT, StreetKind.TOWNSHIP_LIKE)
COUNTED_COMMUNITY_KINDS = (CommunityKind.RESIDENTS, CommunityKind.RESIDENTS_LIKE)


def assessed_as(unit_kind: str) -> str:
    """Return how a unit of this kind is assessed: as part of its city's main urban area, or as a county."""
    return ASSESSED_AS_CITY if unit_kind == UnitKind.MAIN_URBAN_DISTRICT else ASSESSED_AS_COUNTY


def code_field(digits: int, label: Promise) -> models.CharField:
    """Return a unique division-code field of exactly `digits` digits."""
    return models.CharField(
        label,
        max_length=digits,
        unique=True,
        validators=[RegexValidator(rf"^\d{{{digits}}}$",
                                   format_lazy(_("{label}必须是{digits}位数字"), label=label, digits=digits))],
    )


class RegionPage(Page):
    """Common behaviour of every level of the tree; never instantiated on its own.

    A unit the division table no longer lists is retired (`retired_at`), never deleted: it keeps its answers,
    evidence and trail, leaves every roll-up and assessment, and comes back if a later table lists it again.
    """

    is_creatable = False
    code_digits = 6
    retired_at = models.DateTimeField(_("撤销时间"), null=True, blank=True, editable=False)

    content_panels = Page.content_panels + [FieldPanel("code")]
    promote_panels = []
    # Fields no revision may set: a draft saved in the page editor before the unit was retired, or before its
    # city confirmed its kind, must not undo that when it is published (they change only through their services).
    kept_from_live: tuple[str, ...] = ("retired_at",)

    class Meta:
        abstract = True

    def with_content_json(self, content):
        obj = super().with_content_json(content)
        for name in self.kept_from_live:
            setattr(obj, name, getattr(self, name))
        return obj

    def __str__(self) -> str:
        return f"{self.title}（{self.code}）"


class ProvincePage(RegionPage):
    code = code_field(6, _("省级区划代码"))
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["communities.CityPage"]
    max_count = 1

    class Meta:
        verbose_name = _("省")
        verbose_name_plural = _("省")


class CityPage(RegionPage):
    code = code_field(6, _("设区市代码"))
    parent_page_types = ["communities.ProvincePage"]
    subpage_types = ["communities.UnitPage"]

    class Meta:
        verbose_name = _("设区市")
        verbose_name_plural = _("设区市")


class UnitPage(RegionPage):
    code = code_field(6, _("区县代码"))
    kind = models.CharField(_("类型"), max_length=24, choices=UnitKind.choices)
    division_kind = models.CharField(
        _("区划类型"), max_length=16, choices=DivisionKind.choices, blank=True, default="", editable=False
    )
    # A 市辖区 or 类似县级单位 from the division table is a main urban district until its city confirms (or changes)
    # its kind; registers that state the kind themselves are confirmed.
    kind_confirmed = models.BooleanField(_("类型已由设区市确认"), default=True, editable=False)
    city = models.ForeignKey(
        CityPage, verbose_name=_("所属设区市"), null=True, editable=False, on_delete=models.PROTECT,
        related_name="units",
    )
    parent_page_types = ["communities.CityPage"]
    subpage_types = ["communities.StreetPage"]
    content_panels = RegionPage.content_panels + [FieldPanel("kind")]
    base_form_class = UnitPageForm
    kept_from_live = (*RegionPage.kept_from_live, "kind", "kind_confirmed", "division_kind")

    class Meta:
        verbose_name = _("区/县/县级市")
        verbose_name_plural = _("区/县/县级市")

    @property
    def assessed_as(self) -> str:
        return assessed_as(self.kind)


class StreetPage(RegionPage):
    code = code_field(9, _("街道/乡镇代码"))
    kind = models.CharField(_("类型"), max_length=16, choices=StreetKind.choices)
    unit = models.ForeignKey(
        UnitPage, verbose_name=_("所属区县"), null=True, editable=False, on_delete=models.PROTECT,
        related_name="streets",
    )
    parent_page_types = ["communities.UnitPage"]
    subpage_types = ["communities.CommunityPage"]
    content_panels = RegionPage.content_panels + [FieldPanel("kind")]

    class Meta:
        verbose_name = _("街道/镇/乡")
        verbose_name_plural = _("街道/镇/乡")


class CommunityPage(RegionPage):
    """A community; its checklist lives at /c/<code>/ (the QR link)."""

    code = code_field(12, _("社区代码"))
    kind = models.CharField(
        _("类型"), max_length=16, choices=CommunityKind.choices, default=CommunityKind.RESIDENTS, editable=False
    )
    urban_rural_code = models.CharField(_("城乡分类代码"), max_length=3, blank=True, default="", editable=False)
    households = models.PositiveIntegerField(_("总户数"), null=True, blank=True)
    # Ancestors copied onto the community (kept in step by communities.services.sync_region_links) so
    # coverage is a handful of aggregate joins rather than tree walks.
    street = models.ForeignKey(
        StreetPage, verbose_name=_("街道/乡镇"), null=True, editable=False, on_delete=models.PROTECT,
        related_name="communities",
    )
    unit = models.ForeignKey(
        UnitPage, verbose_name=_("区县"), null=True, editable=False, on_delete=models.PROTECT,
        related_name="communities",
    )
    city = models.ForeignKey(
        CityPage, verbose_name=_("设区市"), null=True, editable=False, on_delete=models.PROTECT,
        related_name="communities",
    )
    parent_page_types = ["communities.StreetPage"]
    subpage_types = []
    content_panels = RegionPage.content_panels + [FieldPanel("households")]
    kept_from_live = (*RegionPage.kept_from_live, "kind", "urban_rural_code")

    class Meta:
        verbose_name = _("社区")
        verbose_name_plural = _("社区")

    def get_url_parts(self, request=None):
        # The community's public address is its mobile checklist (the QR link), not a page under the site root.
        site = Site.find_for_request(request) if request else None
        site = site or Site.objects.filter(is_default_site=True).first()
        return (site.pk, site.root_url, f"/c/{self.code}/") if site else None

    @property
    def in_scope(self) -> bool:
        """Whether the community counts for coverage (communities.counting)."""
        from .counting import counts  # the rule lives beside its SQL form, which needs this module

        ancestors = (self.street, self.unit, self.city)
        retired = self.retired_at is not None or any(a is not None and a.retired_at is not None for a in ancestors)
        return self.street is not None and counts(kind=self.kind, street_kind=self.street.kind, retired=retired)


class Role(models.TextChoices):
    WORKER = "worker", _("社区工作人员")
    VERIFIER = "verifier", _("区县审核人员")
    BUREAU = "bureau", _("大数据局")


ROLE_GROUPS = {
    Role.WORKER: "社区工作人员",
    Role.VERIFIER: "区县审核人员",
    Role.BUREAU: "大数据局",
}
ADMIN_GROUP = "管理员"

# Which level of the tree each role may be assigned to.
ROLE_REGION_MODELS = {
    Role.WORKER: ("communitypage",),
    Role.VERIFIER: ("unitpage", "citypage"),
    # A county-level unit may have its own 大数据局 (its county's self-assessment); see assessments.
    Role.BUREAU: ("citypage", "unitpage", "provincepage"),
}


class Assignment(models.Model):
    """Who may act where: a worker on a community, a verifier on a unit, a bureau on a unit, a city or the province."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    region = models.ForeignKey(Page, verbose_name=_("辖区"), on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("分配时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("单数", "角色分配")  # the plain msgid is the menu's plural
        verbose_name_plural = _("角色分配")
        constraints = [models.UniqueConstraint(fields=["user", "role", "region"], name="unique_assignment")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region.title}"

    @property
    def policy_region(self) -> Page:
        return self.region
