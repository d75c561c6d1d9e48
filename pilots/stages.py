"""The pilot lifecycle's stages and who owns each (pure: no database)."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    DRAFT = "draft", _("申报")
    SUBMITTED = "submitted", _("形式审查")
    EXPERT = "expert", _("专家评估")
    ONSITE = "onsite", _("现场复核")
    LISTED = "listed", _("列入名单")
    NOT_LISTED = "not_listed", _("未列入名单")
    MIDTERM = "midterm", _("中期考核")
    FINAL = "final", _("终期验收")
    RECTIFICATION = "rectification", _("限期整改")
    RECHECK = "recheck", _("整改验收")
    GRANTED = "granted", _("授星")
    REVOKED = "revoked", _("收回奖补")


class Owner(models.TextChoices):
    """Who has the next move in a stage (the one the reminders go to)."""

    CITY = "city", _("申报市大数据局")
    PROVINCE = "province", _("省大数据局")
    EXPERTS = "experts", _("评估专家")
    NOBODY = "", "—"


OWNERS = {
    Stage.DRAFT: Owner.CITY,
    Stage.SUBMITTED: Owner.PROVINCE,
    Stage.EXPERT: Owner.EXPERTS,
    Stage.ONSITE: Owner.PROVINCE,
    Stage.LISTED: Owner.PROVINCE,
    Stage.MIDTERM: Owner.CITY,
    Stage.FINAL: Owner.CITY,
    Stage.RECTIFICATION: Owner.CITY,
    Stage.RECHECK: Owner.EXPERTS,
    Stage.NOT_LISTED: Owner.NOBODY,
    Stage.GRANTED: Owner.NOBODY,
    Stage.REVOKED: Owner.NOBODY,
}
TERMINAL = frozenset({Stage.NOT_LISTED, Stage.GRANTED, Stage.REVOKED})
# Stages after the published list: what the public list and the pilot's start date concern.
PILOTING = frozenset({Stage.LISTED, Stage.MIDTERM, Stage.FINAL, Stage.RECTIFICATION, Stage.RECHECK,
                      Stage.GRANTED, Stage.REVOKED})


class ReviewKind(models.TextChoices):
    """An assessment of a pilot by the province's experts."""

    APPLICATION = "application", _("申报评估")
    MIDTERM = "midterm", _("中期考核")
    FINAL = "final", _("终期验收")
    RECHECK = "recheck", _("整改验收")


# The review a stage's experts score.
REVIEW_OF_STAGE = {
    Stage.EXPERT: ReviewKind.APPLICATION,
    Stage.MIDTERM: ReviewKind.MIDTERM,
    Stage.FINAL: ReviewKind.FINAL,
    Stage.RECHECK: ReviewKind.RECHECK,
}

# Targets a pilot may aim at, and the star its (self or expert) assessment must reach for each (工作方案 §四:
# 符合三星标准的 … 试点建设四星级, 符合四星标准的 … 试点建设五星级).
TARGET_STARS = (4, 5)


def star_needed_to_apply(target: int) -> int:
    """Return the star an applicant must already meet to pilot `target` stars."""
    return target - 1


STAR_NAMES = (_("一星"), _("二星"), _("三星"), _("四星"), _("五星"))


def stars(n: int | None) -> str:
    """Return 一星 … 五星 (or 未达星级), in the reader's language."""
    return gettext("未达星级") if not n else str(STAR_NAMES[n - 1])


def stored(text) -> str:
    """Return `text` (a lazy translation) in the source language, Chinese: for what is stored and published (a
    log entry's label, a published list), which must not depend on the language of whoever made the move."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)
