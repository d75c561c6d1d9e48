"""Assessment rounds: create, edit, open, close and reopen one (every change logged with what changed), and find
the one being filled now. A round is pinned to the standard version it was opened with; once anything refers to it
(answers, snapshots, assessments) the pin can no longer move."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.actors import log
from communities import policy
from communities.policy import EVERYWHERE

from .actions import StandardAction
from .models import Round, RoundStatus, StandardKind, StandardVersion
from .versions import DEFAULT_CODE, StandardError, latest


@transaction.atomic
def round_open(code: str, *, user, name: str = "", standard_code: str = DEFAULT_CODE) -> tuple[Round, bool]:
    """Create an assessment round pinned to the newest version of the community standard, or reopen a closed one;
    logged like the admin's create and reopen."""
    policy.require(user, StandardAction.MANAGE_ROUND, EVERYWHERE)
    standard = latest(standard_code)
    if standard is None:
        raise StandardError(_("尚未载入标准 %(code)s，请先运行 load_standard") % {"code": standard_code})
    if standard.kind != StandardKind.COMMUNITY:
        raise StandardError(NOT_COMMUNITY)
    existing = Round.objects.select_for_update().filter(code=code).first()
    if existing:
        was_closed = existing.status == RoundStatus.CLOSED
        existing.status, existing.closed_at = RoundStatus.OPEN, None
        if name:
            existing.name = name
        existing.save()
        if was_closed:
            log(existing, ROUND_REOPENED, actor=user, data={"round": existing.code, "reason": "open_round"})
        return existing, False
    round_ = Round.objects.create(code=code, name=name or code, standard=standard, opened_at=timezone.now())
    log(round_, ROUND_CREATED, actor=user, data={"round": code, "name": round_.name, "standard": standard.record_name})
    return round_, True


def open_round() -> Round | None:
    """Return the round communities are filling now (the newest open one)."""
    return Round.objects.filter(status=RoundStatus.OPEN).select_related("standard").order_by("-opened_at").first()


# The log action names predate the standards app; they stay as they were so older entries keep their meaning.
ROUND_CLOSED, ROUND_REOPENED = "checklists.round_closed", "checklists.round_reopened"
ROUND_CREATED, ROUND_EDITED = "standards.round_created", "standards.round_edited"
LOG_ACTIONS = {
    ROUND_CLOSED: _("关闭轮次"), ROUND_REOPENED: _("重新开放轮次"),
    ROUND_CREATED: _("新建轮次"), ROUND_EDITED: _("修改轮次"),
}


def in_use(round_: Round) -> bool:
    """Whether anything refers to the round (answers, snapshots, assessments ...).

    Found through the model's reverse relations, so this app need not know the apps built on it.
    """
    if round_.pk is None:
        return False
    return any(
        rel.related_model._default_manager.filter(**{rel.field.name: round_}).exists()
        for rel in Round._meta.related_objects
        if rel.one_to_many or rel.one_to_one
    )


NOT_COMMUNITY = _("轮次只能绑定智慧社区标准的版本，不能绑定城市/区县评分标准")


def round_problems(round_: Round | None, *, code: str, standard: StandardVersion | None) -> dict[str, str]:
    """Return what is wrong with creating or changing a round this way, by field (empty when nothing)."""
    problems = {}
    if Round.objects.filter(code=code).exclude(pk=getattr(round_, "pk", None)).exists():
        problems["code"] = _("轮次代码 %(code)s 已存在") % {"code": code}
    if round_ is not None and round_.code != code and in_use(round_):
        problems["code"] = _("该轮次已有填报或快照，轮次代码不能再修改")
    if standard is None:
        problems["standard"] = _("请选择标准版本")
    elif standard.kind != StandardKind.COMMUNITY:
        problems["standard"] = NOT_COMMUNITY
    elif round_ is not None and round_.standard_id != standard.pk and in_use(round_):
        problems["standard"] = _("该轮次已有填报或快照，不能再改绑其他标准版本")
    return problems


@transaction.atomic
def round_create(*, user, code: str, name: str, standard: StandardVersion) -> Round:
    """Create a round that spans the province, pinned to `standard`; logged with what was chosen."""
    policy.require(user, StandardAction.MANAGE_ROUND, EVERYWHERE)
    code, name = code.strip(), name.strip()
    if problems := round_problems(None, code=code, standard=standard):
        raise ValidationError(problems)
    round_ = Round.objects.create(code=code, name=name or code, standard=standard, opened_at=timezone.now())
    log(round_, ROUND_CREATED, actor=user, data={"round": code, "name": round_.name, "standard": standard.record_name})
    return round_


def _recorded(value) -> str:
    return value.record_name if isinstance(value, StandardVersion) else str(value)


@transaction.atomic
def round_update(*, user, round_: Round, code: str, name: str, standard: StandardVersion) -> Round:
    """Rename a round or, while nothing refers to it yet, re-pin it; logged with each field's old and new value."""
    policy.require(user, StandardAction.MANAGE_ROUND, round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    code, name = code.strip(), name.strip() or code.strip()
    if problems := round_problems(round_, code=code, standard=standard):
        raise ValidationError(problems)
    changes = {
        field: [_recorded(old), _recorded(new)]
        for field, old, new in (("code", round_.code, code), ("name", round_.name, name),
                                ("standard", round_.standard, standard))
        if old != new
    }
    if changes:
        round_.code, round_.name, round_.standard = code, name, standard
        round_.save()
        log(round_, ROUND_EDITED, actor=user, data={"round": code, "changes": changes})
    return round_


@transaction.atomic
def round_set_status(*, round_: Round, user, status: str, reason: str = "") -> Round:
    """Close a round (figures frozen, no more edits or decisions) or reopen it; both are logged."""
    policy.require(user, StandardAction.MANAGE_ROUND, round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == status:
        return round_
    round_.status = status
    round_.closed_at = timezone.now() if status == RoundStatus.CLOSED else None
    round_.save()
    action = ROUND_CLOSED if status == RoundStatus.CLOSED else ROUND_REOPENED
    log(round_, action, actor=user, data={"round": round_.code, "reason": reason})
    return round_
