"""Reads for self-assessments: the round's scoring standard, the figures of one or many assessments (a fixed
number of queries however many), evidence files, who entered what, snapshots and departments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from wagtail.models import ModelLogEntry

from standards import coverage_tiers, scoring
from standards.models import Round, StandardVersion
from standards.versions import latest

from . import community, figures
from .models import SCORING_CODE, Assessment, AssessmentSnapshot, Department, EvidenceFile, IndicatorValue, ScoringPin
from .regions import Region


class NoScoringStandard(LookupError):
    """No SD-ZHCS version is loaded yet."""

    def __init__(self):
        super().__init__(gettext("尚未载入评分标准 %(code)s，请先运行 load_standard") % {"code": SCORING_CODE})


def pin_of(round_: Round) -> ScoringPin | None:
    """Return the round's scoring pin (fixed by its first assessment write), or None."""
    return ScoringPin.objects.select_related("standard").filter(round=round_).first()


def pin_in_use(round_: Round) -> bool:
    """Whether anything of the round's assessments (values, files, snapshots) refers to the pinned version."""
    return any(model.objects.filter(assessment__round=round_).exists()
               for model in (IndicatorValue, EvidenceFile, AssessmentSnapshot))


def scoring_standard(round_: Round) -> StandardVersion:
    """Return the version the round's assessments are scored against: the pinned one once anything refers to
    it, else the newest (the next write pins that)."""
    pin = pin_of(round_)
    standard = pin.standard if pin and pin_in_use(round_) else (latest(SCORING_CODE) or (pin and pin.standard))
    if standard is None:
        raise NoScoringStandard
    return standard


def level_def(standard: StandardVersion, level: str, community: StandardVersion | None = None) -> dict[str, Any]:
    """Return a level's definition with the standard's bands, categories and maximum; with the round's community
    standard, 智慧社区覆盖率 (49/52) takes its tiers from that standard's `rollup`, as the coverage dashboard does
    (standards.coverage_tiers: one source, so the two cannot split)."""
    definition = scoring.resolve_level(standard.data, level)
    return coverage_tiers.following_rollup(definition, community.data) if community is not None else definition


def indicator_def(standard: StandardVersion, level: str, number: int) -> dict[str, Any] | None:
    """Return one indicator of a level, or None."""
    return next((i for i in standard.data["levels"][level]["indicators"] if i["number"] == number), None)


@dataclass(frozen=True)
class AssessmentResult:
    """One city's or county's assessment: where, against which version, the row (None before any write), figures."""

    round: Round
    region: Region
    standard: StandardVersion
    assessment: Assessment | None
    figures: figures.Figures

    def as_dict(self) -> dict[str, Any]:
        """Return the assessment's entry of the contract JSON."""
        return {"level": self.region.level, "code": self.region.code, "name": self.region.name,
                **self.figures.as_dict()}


def _entered(value: IndicatorValue) -> figures.Entered:
    return figures.Entered(
        values=value.values, note=value.note, department=value.department,
        updated_by=value.updated_by.get_username() if value.updated_by else "",
        updated_at=timezone.localtime(value.updated_at).isoformat(timespec="seconds"), via=value.via,
    )


def entered_by_assessment(assessment_ids: Iterable[int]) -> dict[int, dict[int, figures.Entered]]:
    """Return {assessment id: {indicator number: Entered}} (one query)."""
    found: dict[int, dict[int, figures.Entered]] = defaultdict(dict)
    for value in IndicatorValue.objects.filter(assessment_id__in=list(assessment_ids)).select_related("updated_by"):
        found[value.assessment_id][value.number] = _entered(value)
    return found


def assessments_of(round_: Round, regions: Iterable[Region] | None = None) -> dict[int, Assessment]:
    """Return the round's assessments by region page id (all of them when `regions` is None)."""
    rows = Assessment.objects.filter(round=round_)
    if regions is not None:
        rows = rows.filter(region_id__in=[r.pk for r in regions])
    return {a.region_id: a for a in rows}


def results_for(round_: Round, regions: Iterable[Region], *, plan: bool = True) -> list[AssessmentResult]:
    """Return the figures of these regions' assessments, live, in a fixed number of queries."""
    regions = list(regions)
    standard = scoring_standard(round_)
    defs = {level: level_def(standard, level, round_.standard) for level in {r.level for r in regions}}
    rows = assessments_of(round_, regions)
    entered = entered_by_assessment(a.pk for a in rows.values())
    derived = community.derived_for(round_, regions, {level: d["indicators"] for level, d in defs.items()})
    results = []
    for region in regions:
        row = rows.get(region.pk)
        built = figures.build(defs[region.level], entered.get(row.pk, {}) if row else {}, derived[region.key],
                              plan=plan)
        results.append(AssessmentResult(round_, region, standard, row, built))
    return results


def result_for(round_: Round, region: Region) -> AssessmentResult:
    """Return one region's live figures (the assessment need not exist yet)."""
    return results_for(round_, [region])[0]


def evidence_of(assessment: Assessment | None, number: int | None = None) -> QuerySet[EvidenceFile]:
    """Return the live (not removed) evidence files of an assessment, or of one of its indicators."""
    if assessment is None:
        return EvidenceFile.objects.none()
    files = EvidenceFile.objects.filter(assessment=assessment, removed_at__isnull=True).select_related("uploaded_by")
    return files.filter(number=number) if number is not None else files


def evidence_by_number(assessment: Assessment | None) -> dict[int, list[EvidenceFile]]:
    """Return the live evidence files grouped by indicator number."""
    grouped: dict[int, list[EvidenceFile]] = defaultdict(list)
    for file in evidence_of(assessment):
        grouped[file.number].append(file)
    return grouped


def evidence_by_assessment(assessment_ids: Iterable[int]) -> dict[int, dict[int, list[EvidenceFile]]]:
    """Return the live evidence files of these assessments by assessment id and indicator number (one query)."""
    grouped: dict[int, dict[int, list[EvidenceFile]]] = defaultdict(lambda: defaultdict(list))
    files = EvidenceFile.objects.filter(assessment_id__in=list(assessment_ids), removed_at__isnull=True)
    for file in files.select_related("uploaded_by"):
        grouped[file.assessment_id][file.number].append(file)
    return grouped


def evidence_by_id(pk) -> EvidenceFile | None:
    """Return a live evidence file, or None."""
    try:
        return (EvidenceFile.objects.select_related("assessment__region", "assessment__round")
                .filter(pk=int(pk), removed_at__isnull=True).first())
    except (TypeError, ValueError):
        return None


def history(assessment: Assessment | None, number: int | None = None) -> QuerySet[ModelLogEntry]:
    """Return the assessment's audit entries (of one indicator when `number` is given), newest first."""
    if assessment is None:
        return ModelLogEntry.objects.none()
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Assessment), object_id=str(assessment.pk)
    ).select_related("user").order_by("-timestamp", "-pk")
    return entries.filter(data__indicator=number) if number is not None else entries


def snapshots_of(assessment: Assessment | None) -> QuerySet[AssessmentSnapshot]:
    """Return the assessment's snapshots, newest first, without their data."""
    if assessment is None:
        return AssessmentSnapshot.objects.none()
    return AssessmentSnapshot.objects.filter(assessment=assessment).defer("data").select_related("created_by")


def snapshot_by_id(assessment: Assessment | None, pk) -> AssessmentSnapshot | None:
    """Return one of the assessment's snapshots, or None."""
    try:
        return AssessmentSnapshot.objects.filter(assessment=assessment, pk=int(pk)).first() if assessment else None
    except (TypeError, ValueError):
        return None


def departments_of(region: Region) -> QuerySet[Department]:
    """Return the region's departments by name."""
    return Department.objects.filter(region_id=region.pk).order_by("name")


def department_by_id(region: Region, pk) -> Department | None:
    try:
        return departments_of(region).filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        return None
