"""The checklist audit trail: one place that writes Wagtail log entries for item results."""

from __future__ import annotations

from audit.actors import log

from .models import ChecklistLogEntry, ItemResult

# action key -> label shown in the admin's history and log reports
ACTIONS = {
    "saved": "保存填报",
    "submitted": "提交审核",
    "approved": "审核通过",
    "returned": "退回修改",
    "reopened": "重新打开",
    "photo_added": "添加照片",
    "photo_removed": "移除照片",
    "photo_original": "补传原图",
    "imported": "导入结果",
    "withdrawn": "撤回修改",
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
