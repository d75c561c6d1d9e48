"""The pilot lifecycle as one state table: which move takes a pilot from which stage to which, who makes it (a
policy action) and what it needs (a reason, a deadline, 整改 tasks). Pure: services.pilot_move applies it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.policy import Action

from .actions import PilotAction
from .stages import Stage

CITY, PROVINCE = PilotAction.EDIT_APPLICATION, PilotAction.MANAGE_PILOTS


@dataclass(frozen=True)
class Move:
    name: str
    label: str  # lazy: shown in the reader's language; stages.stored() gives the Chinese to keep
    sources: tuple[Stage, ...]
    target: Stage
    action: Action  # the policy action the actor must hold on the pilot
    reason: bool = False  # a reason is required
    deadline: bool = False  # the next stage's deadline is set by the actor
    tasks: bool = False  # 整改 tasks with deadlines are required
    tone: str = "primary"  # how its button looks: "primary", "secondary" or "warning"
    # Years after listing before which the move is early (工作方案: 试点建设一年后开展中期考核，两年后组织终期验收):
    # earlier, it needs the province's explicit reason (提前考核), kept on the timeline. 0: no such date.
    early_before_years: int = 0


MOVES: tuple[Move, ...] = (
    Move("submit", _("提交申报"), (Stage.DRAFT,), Stage.SUBMITTED, CITY),
    Move("return", _("形式审查不通过，退回修改"), (Stage.SUBMITTED,), Stage.DRAFT, PROVINCE, reason=True,
         tone="warning"),
    Move("accept", _("形式审查通过，进入专家评估"), (Stage.SUBMITTED,), Stage.EXPERT, PROVINCE),
    Move("propose", _("列入初步名单，进行现场复核"), (Stage.EXPERT,), Stage.ONSITE, PROVINCE),
    Move("reject", _("不予列入名单"), (Stage.EXPERT, Stage.ONSITE), Stage.NOT_LISTED, PROVINCE, reason=True,
         tone="warning"),
    Move("confirm", _("现场复核确认，列入省级试点名单"), (Stage.ONSITE,), Stage.LISTED, PROVINCE),
    Move("start_midterm", _("开展中期考核"), (Stage.LISTED,), Stage.MIDTERM, PROVINCE, early_before_years=1),
    Move("midterm_pass", _("中期考核通过"), (Stage.MIDTERM,), Stage.FINAL, PROVINCE),
    Move("midterm_fail", _("中期考核未通过（布置整改任务）"), (Stage.MIDTERM,), Stage.FINAL, PROVINCE, reason=True,
         tasks=True, tone="warning"),
    Move("final_pass", _("终期验收通过，授予星级"), (Stage.FINAL,), Stage.GRANTED, PROVINCE, early_before_years=2),
    Move("final_fail", _("终期验收未通过，限期整改"), (Stage.FINAL,), Stage.RECTIFICATION, PROVINCE, reason=True,
         deadline=True, tasks=True, tone="warning", early_before_years=2),
    Move("rectified", _("整改完成，申请整改验收"), (Stage.RECTIFICATION,), Stage.RECHECK, CITY),
    # The only way on, besides 逾期收回, once the 整改 deadline has passed: the province records why it extends it.
    Move("extend", _("延长整改期限"), (Stage.RECTIFICATION,), Stage.RECTIFICATION, PROVINCE, reason=True, deadline=True,
         tone="secondary"),
    Move("recheck_pass", _("整改验收通过，授予星级"), (Stage.RECHECK,), Stage.GRANTED, PROVINCE),
    Move("recheck_fail", _("整改后仍未达到要求，收回奖补资金并通报"), (Stage.RECHECK,), Stage.REVOKED, PROVINCE,
         reason=True, tone="warning"),
    Move("revoke_overdue", _("整改逾期未申请验收，收回奖补资金并通报"), (Stage.RECTIFICATION,), Stage.REVOKED, PROVINCE,
         reason=True, tone="warning"),
)
BY_NAME = {move.name: move for move in MOVES}


class MoveRefused(ValueError):
    """The state table has no such move from the pilot's stage."""


def move_named(name: str) -> Move:
    """Return the move called `name`, or raise MoveRefused."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise MoveRefused(gettext("没有“%(name)s”这一步") % {"name": name}) from None


def moves_from(stage: str) -> list[Move]:
    """Return the moves the table allows from `stage`, in table order."""
    return [move for move in MOVES if stage in move.sources]


def check(move: Move, stage: str) -> None:
    """Raise MoveRefused unless `move` may be made from `stage`."""
    if stage not in move.sources:
        raise MoveRefused(gettext("当前阶段为“%(stage)s”，不能“%(move)s”") % {"stage": Stage(stage).label,
                                                                      "move": move.label})
