"""Writes on self-assessments: start one (pinning the round's scoring version), enter or clear an indicator's
value, override a computed one, attach and remove evidence files, freeze a snapshot. Each is one transaction,
asks the policy, and logs on the assessment what changed from what to what (Wagtail's log entries).

Input is read before the transaction: values are parsed (bounded by intake.numbers) and files checked (pictures
decoded by intake.images) first, so nothing parses or decodes while the round's ScoringPin row is locked."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from communities import policy
from standards import scoring
from standards.models import Round, StandardVersion
from standards.versions import latest

from . import document, files, selectors
from .actions import AssessmentAction
from .figures import json_value
from .models import SCORING_CODE, Assessment, AssessmentSnapshot, EvidenceFile, IndicatorValue, ScoringPin
from .regions import Region
from .sources import source_of

STARTED, PINNED = "assessments.started", "assessments.standard_pinned"
VALUE_SAVED, VALUE_CLEARED = "assessments.value_saved", "assessments.value_cleared"
OVERRIDDEN = "assessments.overridden"
FILE_ADDED, FILE_REMOVED = "assessments.file_added", "assessments.file_removed"
SNAPSHOT_CREATED = "assessments.snapshot_created"
LOG_ACTIONS = {
    STARTED: gettext_lazy("开始自评"), PINNED: gettext_lazy("绑定自评评分标准"),
    VALUE_SAVED: gettext_lazy("填报自评指标"),
    VALUE_CLEARED: gettext_lazy("清除自评指标填报"), OVERRIDDEN: gettext_lazy("以自有数据替代社区汇总值"),
    FILE_ADDED: gettext_lazy("上传自评佐证材料"), FILE_REMOVED: gettext_lazy("移除自评佐证材料"),
    SNAPSHOT_CREATED: gettext_lazy("冻结自评快照"),
}
NOTE_MAX = 1000


class AssessmentError(ValueError):
    """Input that cannot be saved; `errors` maps an input key (or "note", "indicator") to a Chinese message."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = {key: str(message) for key, message in errors.items()}
        super().__init__("；".join(self.errors.values()))


def _open(round_: Round) -> None:
    if not round_.is_open:
        raise AssessmentError({"round": _("轮次 %(code)s 已关闭，自评不能再修改") % {"code": round_.code}})


def _pin(round_: Round, user) -> ScoringPin:
    """Return the round's scoring pin: the newest SD-ZHCS version, fixed for good once values refer to it."""
    pin = ScoringPin.objects.select_for_update().select_related("standard").filter(round=round_).first()
    standard = latest(SCORING_CODE)
    if pin is not None and (standard is None or pin.standard_id == standard.pk or selectors.pin_in_use(round_)):
        return pin
    if standard is None:
        raise AssessmentError({"standard": str(selectors.NoScoringStandard())})
    before = pin.standard.record_name if pin else None  # the log records the version in Chinese whoever acts
    pin = pin or ScoringPin(round=round_)
    pin.standard, pin.pinned_by = standard, user
    pin.save()
    log(pin, PINNED, user=user, data={"round": round_.code, "from": before, "standard": standard.record_name,
                                      "version": standard.version})
    return pin


@transaction.atomic
def assessment_start(*, user, round_: Round, region: Region, via: str = "web") -> Assessment:
    """Return the region's assessment of the round, creating it (and pinning the round's version) the first time."""
    policy.require(user, AssessmentAction.EDIT_ASSESSMENT, region)
    _open(round_)
    _pin(round_, user)
    assessment, created = Assessment.objects.get_or_create(
        round=round_, region_id=region.pk, defaults={"level": region.level, "created_by": user}
    )
    if created:
        log(assessment, STARTED, user=user, data={"round": round_.code, "level": region.level, "code": region.code,
                                                   "via": via})
    return assessment


def _scoring(round_: Round) -> StandardVersion:
    """Return the version the round's values are read against (the pinned one, or the one the next write pins),
    without locking anything."""
    try:
        return selectors.scoring_standard(round_)
    except selectors.NoScoringStandard:
        raise AssessmentError({"standard": str(selectors.NoScoringStandard())}) from None


def _indicator(standard: StandardVersion, region: Region, number: int) -> dict[str, Any]:
    indicator = selectors.indicator_def(standard, region.level, number)
    if indicator is None:
        raise AssessmentError({"indicator": _("%(level)s没有第%(number)s项指标") % {"level": region.level_label,
                                                                                   "number": number}})
    return indicator


def _parsed(indicator: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Return the values as stored: exact, decimals as their text, unset inputs left out."""
    if not isinstance(values, Mapping):
        raise AssessmentError({"values": "values 应为以输入项为键的对象"})
    labels = {spec["key"]: spec["label"] for spec in indicator["inputs"]}
    try:
        parsed = scoring.parse_inputs(indicator, values)
    except scoring.InputValuesError as exc:
        raise AssessmentError({k: f"{labels.get(k, k)}：{m}" for k, m in exc.errors.items()}) from exc
    return {key: json_value(value) for key, value in parsed.items() if value is not None}


def _read(indicator: Mapping[str, Any], values: Mapping[str, Any], note: str) -> tuple[dict[str, Any], str]:
    stored, note = _parsed(indicator, values), (note or "").strip()
    if len(note) > NOTE_MAX:
        raise AssessmentError({"note": _("说明不能超过%(max)s字") % {"max": NOTE_MAX}})
    return stored, note


OVERRIDE_NEEDS_NOTE = gettext_lazy("本指标由社区数据汇总得出；填报自有数据替代时必须说明理由（数据来源）")


@dataclass(frozen=True)
class IndicatorInput:
    """One indicator's values and note, read and checked (indicator_read) against the version named here."""

    round: Round
    region: Region
    number: int
    standard: StandardVersion
    values: Mapping[str, Any]  # as given: read again only if the round's pin moves before they are written
    stored: dict[str, Any]  # exact, decimals as their text, unset inputs left out
    note: str

    @property
    def missing_note(self) -> bool:
        """Whether the values replace a figure computed from the communities without the required reason."""
        indicator = _indicator(self.standard, self.region, self.number)
        return bool(self.stored) and not self.note and source_of(indicator) is not None


def indicator_read(*, round_: Round, region: Region, number: int, values: Mapping[str, Any],
                   note: str = "") -> IndicatorInput:
    """Read and check one indicator's values and note (numbers bounded by intake.numbers), locking nothing.

    Raise AssessmentError naming each bad input. Imports read every line this way before their transaction opens.
    """
    _open(round_)
    standard = _scoring(round_)
    stored, note = _read(_indicator(standard, region, number), values, note)
    return IndicatorInput(round_, region, number, standard, values, stored, note)


def indicator_save(*, user, round_: Round, region: Region, number: int, values: Mapping[str, Any], note: str = "",
                   via: str = "web", department: str = "") -> IndicatorValue | None:
    """Enter one indicator's values (all unset clears them); over a computed value it needs a reason in `note`.

    Return the stored value, or None when cleared. Logged with the values and note before and after.
    """
    policy.require(user, AssessmentAction.EDIT_ASSESSMENT, region)
    entered = indicator_read(round_=round_, region=region, number=number, values=values, note=note)
    return indicator_write(user=user, entered=entered, via=via, department=department)


@transaction.atomic
def indicator_write(*, user, entered: IndicatorInput, via: str = "web", department: str = "") -> IndicatorValue | None:
    """Write what indicator_read checked: lock the round's scoring pin, then store and log. Nothing is parsed under
    the lock unless the pin moved to another version since the values were read."""
    round_, region, number, stored, note = entered.round, entered.region, entered.number, entered.stored, entered.note
    assessment = assessment_start(user=user, round_=round_, region=region, via=via)
    pinned = selectors.pin_of(round_).standard
    indicator = _indicator(pinned, region, number)
    if pinned.pk != entered.standard.pk:
        stored, note = _read(indicator, entered.values, note)
    override = source_of(indicator) is not None
    current = IndicatorValue.objects.select_for_update().filter(assessment=assessment, number=number).first()
    before = {"values": current.values, "note": current.note} if current else None
    if not stored:
        if current is None:
            return None
        current.delete()
        log(assessment, VALUE_CLEARED, user=user, data={"indicator": number, "name": indicator["name"],
                                                         "from": before, "to": None, "via": via})
        return None
    if override:
        policy.require(user, AssessmentAction.OVERRIDE_INDICATOR, region)
        if not note:
            raise AssessmentError({"note": OVERRIDE_NEEDS_NOTE})
    if current is not None and current.values == stored and current.note == note:
        return current
    value = current or IndicatorValue(assessment=assessment, number=number)
    value.values, value.note, value.via, value.updated_by = stored, note, via, user
    value.department = department[:100]
    value.save()
    log(assessment, OVERRIDDEN if override else VALUE_SAVED, user=user, data={
        "indicator": number, "name": indicator["name"], "from": before, "to": {"values": stored, "note": note},
        "via": via, "department": value.department,
    })
    return value


def evidence_attach(*, user, round_: Round, region: Region, number: int, data: bytes,
                    filename: str) -> EvidenceFile:
    """Check a file by its content (a picture decoded outside any transaction) and attach it to one indicator,
    privately."""
    policy.require(user, AssessmentAction.EDIT_ASSESSMENT, region)
    _open(round_)
    _indicator(_scoring(round_), region, number)
    try:
        checked = files.check(data)
    except files.EvidenceFileError as exc:
        raise AssessmentError({"file": str(exc)}) from exc
    return _attach(user=user, round_=round_, region=region, number=number, data=data, filename=filename,
                   checked=checked)


@transaction.atomic
def _attach(*, user, round_: Round, region: Region, number: int, data: bytes, filename: str,
            checked: files.CheckedFile) -> EvidenceFile:
    assessment = assessment_start(user=user, round_=round_, region=region)
    indicator = _indicator(selectors.pin_of(round_).standard, region, number)
    name = files.display_name(filename, checked, "佐证材料")
    evidence = EvidenceFile(assessment=assessment, number=number, original_name=name, kind=checked.kind,
                            size=checked.size, sha256=checked.sha256, uploaded_by=user)
    evidence.file.save(f"{uuid.uuid4().hex}.{checked.extension}", ContentFile(data), save=False)
    evidence.save()
    log(assessment, FILE_ADDED, user=user, data={"indicator": number, "name": indicator["name"], "file": name,
                                                  "kind": checked.kind, "size": checked.size,
                                                  "sha256": checked.sha256, "evidence": evidence.pk})
    return evidence


@transaction.atomic
def evidence_remove(*, user, evidence: EvidenceFile) -> None:
    """Take a file off its indicator; the record and bytes stay for the audit trail."""
    evidence = EvidenceFile.objects.select_for_update().select_related("assessment__round").get(pk=evidence.pk)
    policy.require(user, AssessmentAction.EDIT_ASSESSMENT, evidence)
    _open(evidence.assessment.round)
    if evidence.removed_at is not None:
        return
    evidence.removed_at = timezone.now()
    evidence.save(update_fields=["removed_at"])
    log(evidence.assessment, FILE_REMOVED, user=user, data={"indicator": evidence.number,
                                                              "file": evidence.original_name,
                                                              "sha256": evidence.sha256, "evidence": evidence.pk})


@transaction.atomic
def snapshot_create(*, user, round_: Round, region: Region, note: str = "") -> AssessmentSnapshot:
    """Freeze the whole assessment as it stands (values, computed values with basis, points, total, band, plan)."""
    assessment = assessment_start(user=user, round_=round_, region=region)
    result = selectors.result_for(round_, region)
    data = document.frozen(result, selectors.evidence_by_number(assessment))
    snapshot = AssessmentSnapshot.objects.create(assessment=assessment, data=data, note=(note or "").strip()[:200],
                                                 created_by=user)
    log(assessment, SNAPSHOT_CREATED, user=user, data={"snapshot": snapshot.pk, "total": result.figures.score.total,
                                                        "star": result.figures.score.star, "note": snapshot.note})
    return snapshot
