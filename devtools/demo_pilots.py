"""Demo pilots for 示范市: a province bureau user and three pool experts, this year's batch, and the city's
application (with a 证明材料) walked through the real services to 专家评估 with the panel assigned (idempotent)."""

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
from pilots.models import Application, Batch, Expert
from pilots.services import applications, batches, pool
from pilots.services.moves import pilot_move
from standards.models import Round

DEMO_USERS = {"province": "province-demo-2026", "expert": "expert-demo-2026", "expert2": "expert2-demo-2026",
              "expert3": "expert3-demo-2026"}
# The demo panel: three pool experts from outside 示范市 (none must stand aside).
DEMO_EXPERTS = {"expert": ("王专家", "山东大学", "智慧城市"), "expert2": ("李专家", "省信息中心", "数据治理"),
                "expert3": ("张专家", "中国海洋大学", "城市运行")}
DEMO_MATERIAL = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
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
    actor = system("seed_demo_pilots")
    assign(users["province"], Role.BUREAU, ProvincePage.objects.get(), by=actor)
    for username, (name, organisation, field) in DEMO_EXPERTS.items():
        if not Expert.objects.filter(user=users[username]).exists():
            pool.expert_add(by=actor, user=users[username], name=name, organisation=organisation, field=field)
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
    applications.material_attach(user=bureau, application=application, data=DEMO_MATERIAL,
                                 filename="示范市智慧城市建设情况（演示）.pdf")
    applications.application_submit(user=bureau, application=application)
    for username in DEMO_EXPERTS:
        experts.expert_assign(by=users["province"], application=application, expert=users[username])
    pilot_move(user=users["province"], pilot=pilot, move="accept")
    return DEMO_USERS
