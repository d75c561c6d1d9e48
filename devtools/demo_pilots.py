"""Demo pilots for 示范市: a province bureau user and an expert, this year's batch, and the city's application
walked through the real services to 专家评估 with the expert assigned (idempotent)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessments import services as assessment_services
from assessments.regions import region_by
from audit.actors import system
from communities.models import CityPage, ProvincePage, Role
from communities.roles import assign
from devtools.scoring_values import values_for_total
from pilots import experts
from pilots.models import Application, Batch
from pilots.services import applications, batches
from pilots.services.moves import pilot_move
from standards.models import Round

DEMO_USERS = {"province": "province-demo-2026", "expert": "expert-demo-2026"}
THREE_STARS = 250  # a total inside the 三星 band: enough to apply for a 四星 pilot


def _users() -> dict:
    User = get_user_model()
    users = {}
    for username, password in DEMO_USERS.items():
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.email = f"{username}@example.cn"
        user.save()
        users[username] = user
    assign(users["province"], Role.BUREAU, ProvincePage.objects.get(), by=system("seed_demo_pilots"))
    return users


def _self_assess(bureau, round_: Round, region) -> None:
    for number, values in values_for_total(region.level, THREE_STARS).items():
        assessment_services.indicator_save(user=bureau, round_=round_, region=region, number=number, values=values,
                                           note="演示数据")


@transaction.atomic
def seed_demo_pilots(round_: Round) -> dict[str, str]:
    """Build the demo programme once (a second run changes nothing); return {username: password}."""
    users = _users()
    bureau = get_user_model().objects.get(username="bureau")
    today = timezone.localdate()
    batch = Batch.objects.filter(year=today.year).first() or batches.batch_create(
        user=users["province"], year=today.year, name=f"{today.year}年度", apply_by=today + datetime.timedelta(days=30),
        list_by=today + datetime.timedelta(days=90))
    city = CityPage.objects.get(code="379900")
    if Application.objects.filter(batch=batch, city=city).exists():
        return DEMO_USERS
    region = region_by("city", city.code)
    _self_assess(bureau, round_, region)
    application = applications.application_start(user=bureau, batch=batch, city=city)
    pilot = applications.pilot_add(user=bureau, application=application, region=region, target_star=4,
                                   round_=round_)
    applications.report_save(user=bureau, application=application,
                             report="示范市申请建设四星级新型智慧城市试点。（演示数据）")
    applications.application_submit(user=bureau, application=application)
    experts.expert_assign(by=users["province"], application=application, expert=users["expert"])
    pilot_move(user=users["province"], pilot=pilot, move="accept")
    return DEMO_USERS
