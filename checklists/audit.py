"""The checklist audit trail: one place that writes Wagtail log entries for item results."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from audit.actors import log

from .models import ChecklistLogEntry, ItemResult

# action key -> label shown in the admin's history and log reports
ACTIONS = {
    "saved": _("保存填报"),
    "submitted": _("提交审核"),
    "approved": _("审核通过"),
    "returned": _("退回修改"),
    "reopened": _("重新打开"),
    "photo_added": _("添加照片"),
    "photo_removed": _("移除照片"),
    "photo_original": _("补传原图"),
    "imported": _("导入结果"),
    "withdrawn": _("撤回修改"),
}
PREFIX = "checklists."


def record(
    result: ItemResult,
    action: str,
    *,
    user,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    via: str = "web",
    data: dict | None = None,
) -> ChecklistLogEntry:
    """Append one event about `result` to the audit trail."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    return log(
        result,
        PREFIX + action,
        actor=user,
        data=data,
        round_code=result.round.code,
        community_code=result.community.code,
        item_number=result.item_number,
        from_status=from_status,
        to_status=to_status or result.status,
        reason=reason,
        via=via,
    )


def register_actions(registry) -> None:
    """Tell Wagtail about our log model and action labels (called from wagtail_hooks)."""
    registry.register_model(ItemResult, ChecklistLogEntry)
    for key, label in ACTIONS.items():
        registry.register_action(PREFIX + key, label, label)
