"""Turn items, photos and versions into what the page's JavaScript receives (and the conflict table shows)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from standards.evaluation import clean_values

from ..models import ItemResult, Status
from ..selectors.mobile import ItemView, PhotoView

BLANK = gettext_lazy("（未填写）")


def photo_json(code: str, number: int, photo: PhotoView) -> dict:
    """Return one photo's links and flags."""
    return {
        "id": photo.id,
        "name": photo.name,
        "thumb": reverse("mobile:evidence", args=[code, photo.id, "thumb"]),
        "display": reverse("mobile:evidence", args=[code, photo.id, "display"]),
        "remove": reverse("mobile:photo_remove", args=[code, number, photo.id]),
        "original": reverse("mobile:photo_original", args=[code, number, photo.id]),
        "original_pending": photo.original_pending,
        "old": photo.flag_old,
        "duplicate": photo.flag_duplicate,
        "taken_at": timezone.localtime(photo.taken_at).strftime("%Y-%m-%d %H:%M") if photo.taken_at else "",
    }


def counts_json(counts: dict) -> dict:
    """Return progress figures stamped with the server's time, so a phone keeps the newest it has seen."""
    return {**counts, "at": int(timezone.now().timestamp() * 1000)}


def item_state(code: str, view: ItemView, counts: dict) -> dict:
    """Return an item as the server now sees it: the verdict that wins over the page's live one."""
    photos = [photo_json(code, view.number, p) for p in view.photos]
    chip, chip_label = view.chip
    return {
        "code": code,
        "number": view.number,
        "revision": view.revision,
        "status": view.status,
        "status_label": view.status_label,
        "chip": chip,
        "chip_label": chip_label,
        "locked": view.locked,
        "lock_note": view.lock_note,
        "return_reason": view.return_reason,
        "evaluation": view.evaluation,
        "complete": view.complete,
        "photos": photos,
        "values": view.values,
        "not_applicable": view.not_applicable,
        "note": view.note,
        "counts": counts_json(counts),
    }


def _value_text(field: dict, raw, cleaned) -> str:
    if raw in (None, "", []):
        return str(BLANK)
    if field["kind"] == "bool" and cleaned is not None:
        return _("是") if cleaned else _("否")
    if field["kind"] == "choices":
        labels = {o["key"]: o["label"] for o in field.get("options", ())}
        picked = raw if isinstance(raw, list) else [raw]
        return "、".join(labels.get(k, str(k)) for k in picked)
    unit = field.get("unit", "")
    return f"{raw} {unit}".strip() if field["kind"] in ("count", "decimal") else str(raw)


def _marks_text(field: dict, marks: dict) -> str:
    labels = {o["key"]: o["label"] for o in field.get("options", ())}
    text = _("%(option)s：本社区无此设施（%(note)s）")
    return "；".join(text % {"option": labels.get(k, k), "note": note or _("未填说明")} for k, note in marks.items())


def version_rows(item: dict, mine: dict, theirs: dict) -> list[dict]:
    """Return the two versions of an item side by side, field by field, marking what differs."""
    mine_clean, _errors = clean_values(item, mine["values"])
    theirs_clean, _errors = clean_values(item, theirs["values"])
    rows = []
    for field in item["fields"]:
        key = field["key"]
        a = _value_text(field, mine["values"].get(key), mine_clean.get(key))
        b = _value_text(field, theirs["values"].get(key), theirs_clean.get(key))
        a_marks = _marks_text(field, mine["not_applicable"].get(key) or {})
        b_marks = _marks_text(field, theirs["not_applicable"].get(key) or {})
        a, b = "；".join(filter(None, [a, a_marks])), "；".join(filter(None, [b, b_marks]))
        rows.append({"label": field["label"], "mine": a, "theirs": b, "differs": a != b})
    a, b = mine["note"] or str(BLANK), theirs["note"] or str(BLANK)
    rows.append({"label": _("备注"), "mine": a, "theirs": b, "differs": a != b})
    return rows


def editor_name(result: ItemResult, user) -> str:
    """Return who saved the stored version, as the worker reads it: 您（另一台设备） for the worker themself."""
    editor = result.updated_by
    if editor is None:
        return _("他人")
    if editor.pk == getattr(user, "pk", None):
        return _("您（另一台设备）")
    return editor.get_full_name() or editor.get_username()


def conflict_message(result: ItemResult, user) -> str:
    """Say who changed the item since this phone loaded it: the same worker on another phone, or someone named."""
    when = timezone.localtime(result.updated_at).strftime("%Y-%m-%d %H:%M")
    if result.updated_by_id and result.updated_by_id == getattr(user, "pk", None):
        return _("您在另一台设备上于 %(time)s 修改了该指标，请对比两个版本后再保存") % {"time": when}
    return _("该指标已被%(name)s于 %(time)s 修改，请对比两个版本后再保存") % {
        "name": editor_name(result, user), "time": when}


def result_version(result: ItemResult, user) -> dict:
    """Return the stored version of an item for the conflict view, its editor named for `user` (editor_name)."""
    return {
        "revision": result.revision,
        "values": result.values,
        "not_applicable": result.not_applicable,
        "note": result.note,
        "status": result.status,
        "status_label": Status(result.status).label,
        "updated_by": editor_name(result, user),
        "updated_at": timezone.localtime(result.updated_at).strftime("%Y-%m-%d %H:%M"),
    }
