"""The pilot lifecycle's stages and who owns each (pure: no database)."""

from django.db import models


class Stage(models.TextChoices):
    DRAFT = "draft", "申报"
    SUBMITTED = "submitted", "形式审查"
    EXPERT = "expert", "专家评估"
    ONSITE = "onsite", "现场复核"
    LISTED = "listed", "列入名单"
    NOT_LISTED = "not_listed", "未列入名单"
    MIDTERM = "midterm", "中期考核"
    FINAL = "final", "终期验收"
    RECTIFICATION = "rectification", "限期整改"
    RECHECK = "recheck", "整改验收"
    GRANTED = "granted", "授星"
    REVOKED = "revoked", "收回奖补"


class Owner(models.TextChoices):
    """Who has the next move in a stage (the one the reminders go to)."""

    CITY = "city", "申报市大数据局"
    PROVINCE = "province", "省大数据局"
    EXPERTS = "experts", "评估专家"
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

    APPLICATION = "application", "申报评估"
    MIDTERM = "midterm", "中期考核"
    FINAL = "final", "终期验收"
    RECHECK = "recheck", "整改验收"


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


def stars(n: int | None) -> str:
    """Return 一星 … 五星 (or 未达星级)."""
    return "未达星级" if not n else f"{'一二三四五'[n - 1]}星"
