"""Departments of a city or county and the indicators each reports (公安局: 第4、5项 …): create, change, delete;
each a transaction, checked by the policy and logged with what changed."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from communities import policy

from . import selectors
from .actions import AssessmentAction
from .models import Department
from .regions import Region
from .services import AssessmentError

SAVED, DELETED = "assessments.department_saved", "assessments.department_deleted"
LOG_ACTIONS = {SAVED: gettext_lazy("保存填报部门"), DELETED: gettext_lazy("删除填报部门")}


def _numbers(standard, region: Region, indicators: Iterable[int]) -> list[int]:
    known = {i["number"] for i in standard.data["levels"][region.level]["indicators"]}
    numbers = sorted({int(n) for n in indicators})
    if unknown := [n for n in numbers if n not in known]:
        raise AssessmentError({"indicators": _("%(level)s没有这些指标：%(numbers)s") % {
            "level": region.level_label, "numbers": "、".join(map(str, unknown))}})
    return numbers


@transaction.atomic
def department_save(*, user, round_, region: Region, name: str, indicators: Iterable[int],
                    department: Department | None = None) -> Department:
    """Create a department (or change one) with the indicator numbers it reports."""
    policy.require(user, AssessmentAction.EDIT_ASSESSMENT, region)
    name = (name or "").strip()
    if not name:
        raise AssessmentError({"name": _("请填写部门名称")})
    if len(name) > 100:
        raise AssessmentError({"name": _("部门名称不能超过100字")})
    numbers = _numbers(selectors.scoring_standard(round_), region, indicators)
    clash = Department.objects.filter(region_id=region.pk, name=name)
    if department is not None:
        clash = clash.exclude(pk=department.pk)
    if clash.exists():
        raise AssessmentError({"name": _("已有名为“%(name)s”的部门") % {"name": name}})
    before = None
    if department is None:
        department = Department(region_id=region.pk)
    else:
        department = Department.objects.select_for_update().get(pk=department.pk, region_id=region.pk)
        before = {"name": department.name, "indicators": department.indicators}
    department.name, department.indicators = name, numbers
    department.save()
    log(department, SAVED, user=user, data={"region": region.code, "from": before,
                                             "to": {"name": name, "indicators": numbers}})
    return department


@transaction.atomic
def department_delete(*, user, department: Department) -> None:
    """Delete a department; the values it reported stay (with its name on them)."""
    policy.require(user, AssessmentAction.EDIT_ASSESSMENT, department)
    log(department, DELETED, user=user, data={"name": department.name, "indicators": department.indicators})
    department.delete()
