"""Builders for pilot tests: a self-assessment reaching a given total, a batch, an application with pilots, and a
pilot walked to a stage through the services (never by writing the stage directly)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from assessments import services as assessment_services
from assessments.regions import Region
from communities.models import CityPage
from pilots.models import Batch, Pilot
from pilots.services import applications, batches, reviews, visits
from pilots.services.moves import TaskInput, pilot_move
from standards.models import Round
from tests.standards.scoring_factory import values_for_total

BANDS = {3: 250, 4: 380, 5: 470}  # a total inside each star's band


def self_assess(user, round_: Round, region: Region, total: int) -> None:
    """Enter values whose points add up to `total` for the region (a note over community-derived ones)."""
    for number, values in values_for_total(region.level, total).items():
        assessment_services.indicator_save(user=user, round_=round_, region=region, number=number,
                                           values=values, note="自有统计数据")


def batch(user, year: int | None = None) -> Batch:
    today = timezone.localdate()
    return batches.batch_create(user=user, year=year or today.year, name=f"{year or today.year}年度",
                                apply_by=today + datetime.timedelta(days=30),
                                list_by=today + datetime.timedelta(days=90))


def applied(bureau, round_: Round, region: Region, the_batch: Batch, target: int = 4, city=None) -> Pilot:
    """Return a submitted pilot of the region (its self-assessment one star below the target)."""
    city = city or CityPage.objects.get(code=region.city_code)
    application = applications.application_start(user=bureau, batch=the_batch, city=city)
    pilot = applications.pilot_add(user=bureau, application=application, region=region, target_star=target,
                                   round_=round_)
    applications.report_save(user=bureau, application=application, report="申请报告正文")
    applications.application_submit(user=bureau, application=application)
    pilot.refresh_from_db()
    return pilot


def signed(province, pilot: Pilot, kind: str):
    review = pilot.reviews.get(kind=kind)
    reviews.sign_off(user=province, review=review)
    return review


def listed(province, pilot: Pilot) -> Pilot:
    """Walk a submitted pilot through formal review, experts, on-site check to the list."""
    pilot = pilot_move(user=province, pilot=pilot, move="accept")
    signed(province, pilot, "application")
    pilot = pilot_move(user=province, pilot=pilot, move="propose")
    visits.visit_record(user=province, pilot=pilot, visited_on=timezone.localdate(), members="张三、李四",
                        findings="与申报材料一致")
    return pilot_move(user=province, pilot=pilot, move="confirm")


def tasks(days: int = 30) -> list[TaskInput]:
    return [TaskInput("完善城市大脑数据共享", timezone.localdate() + datetime.timedelta(days=days))]
