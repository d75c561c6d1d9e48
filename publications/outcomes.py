"""What the public is told of a listed pilot, read from its stage records (pure: no database).

The reading chosen: 授星 and 限期整改 are shown as they happen, from the stage records the province's moves write
(the star granted and the day; the day of the decision and the rectification deadline). 收回奖补 is shown only
with the province's 通报 (工作方案: 收回奖补资金并予以通报): the 通报 is the publication, in words the province writes
for the public, never the internal reason of the move. Until it is published the pilot keeps showing what was
last public (限期整改). Anything else after the list is 试点建设中.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pilots.stages import Stage, stars


class Kind(StrEnum):
    PILOTING = "piloting"
    GRANTED = "granted"
    RECTIFYING = "rectifying"
    REVOKED = "revoked"


LABELS = {Kind.PILOTING: _("试点建设中"), Kind.GRANTED: _("授星"), Kind.RECTIFYING: _("限期整改"),
          Kind.REVOKED: _("收回奖补")}


@dataclass(frozen=True)
class Record:
    """One stage move as the public reading needs it."""

    source: str
    target: str
    at: datetime.datetime
    deadline: datetime.date | None


@dataclass(frozen=True)
class Outcome:
    kind: Kind
    on: datetime.date | None = None  # the day it happened (the 通报's day for 收回奖补)
    star: int | None = None  # the star granted
    deadline: datetime.date | None = None  # the rectification deadline
    notice_id: int | None = None

    @property
    def label(self) -> str:
        return str(LABELS[self.kind])

    @property
    def star_words(self) -> str:
        """The star granted in words (四星), what the page says; the ★ marks only repeat it."""
        return stars(self.star) if self.star else ""

    @property
    def star_marks(self) -> str:
        return "★" * (self.star or 0)


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def outcome_of(stage: str, records: Sequence[Record], *, granted_star: int | None = None,
               notice: tuple[int, datetime.datetime] | None = None) -> Outcome:
    """Return the public outcome of a pilot in `stage` with these stage records (oldest first) and its published
    通报 (id, time) if any."""
    if stage == Stage.GRANTED:
        granted = [r for r in records if r.target == Stage.GRANTED]
        return Outcome(Kind.GRANTED, on=_day(granted[-1].at) if granted else None, star=granted_star)
    if stage == Stage.REVOKED and notice is not None:
        return Outcome(Kind.REVOKED, on=_day(notice[1]), notice_id=notice[0])
    rectifying = [r for r in records if r.target == Stage.RECTIFICATION]
    if stage in (Stage.RECTIFICATION, Stage.RECHECK, Stage.REVOKED) and rectifying:
        decided = next((r for r in rectifying if r.source != Stage.RECTIFICATION), rectifying[0])
        return Outcome(Kind.RECTIFYING, on=_day(decided.at), deadline=rectifying[-1].deadline)
    return Outcome(Kind.PILOTING)
