"""An administrator works every pilot screen over HTTP (once 404 everywhere: the expert scope turned "everything
or assigned" into "assigned"): the index, the application, the pilot, each review, the pool, and every province
move from submission to a granted star, with the 提前考核 reasons the dates ask for; they never score or sign."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pilots.models import Pilot, SignOff
from pilots.services import reviews
from pilots.stages import Stage
from tests.pilots.admin_helpers import buttons, follow, jpeg, move_url, pilot_url, review_url, text
from tests.pilots.pilot_factory import BANDS, applied, batch, panel, self_assess, signed


def test_an_administrator_opens_every_screen_and_makes_every_province_move(client, assess, bureau, province, city):
    admin = get_user_model().objects.get(username="admin")
    self_assess(bureau, assess, city, BANDS[3])
    pilot = applied(bureau, assess, city, batch(province))
    client.force_login(admin)

    def move(name: str, **data) -> str:
        return follow(client, client.post(move_url(pilot, name), {"revision": Pilot.objects.get().revision, **data}))

    index = text(client.get("/admin/pilots/"))
    assert f'data-pilot="{pilot.pk}"' in index and "data-queue" in index
    assert "申请报告正文" in text(client.get(f"/admin/pilots/applications/{pilot.application_id}/"))
    assert buttons(text(client.get(pilot_url(pilot)))) == ["return", "accept"]
    for url in ("/admin/pilots/batches/", "/admin/pilots/experts/", "/admin/pilots/export/"):
        assert client.get(url).status_code == 200, url
    assert "现为“专家评估”" in move("accept")

    application = f"/admin/pilots/applications/{pilot.application_id}/experts/"
    members = panel(province, pilot.application)  # pool experts, created once; the administrator re-assigns one
    follow(client, client.post(f"{application}{members[0].pk}/remove/"))
    assert "已指派评估专家" in follow(client, client.post(application, {"expert": members[0].username}))
    review = review_url(pilot, "application")
    page = text(client.get(review))
    assert page.count("data-indicator=") == 49 and "<select" not in page and "保存并签字确认" not in page
    assert client.post(review, {"p1": "0", "sign": "1"}).status_code == 403
    signed(province, Pilot.objects.get(), "application")
    assert not SignOff.objects.filter(expert=admin).exists()
    assert "现为“现场复核”" in move("propose")
    visit = follow(client, client.post(f"/admin/pilots/{pilot.pk}/visits/", {
        "visited_on": timezone.localdate().isoformat(), "members": "省大数据局", "findings": "属实",
        "photos": [SimpleUploadedFile("现场.jpg", jpeg(), content_type="image/jpeg")]}))
    assert "已记录现场复核" in visit
    assert "现为“列入名单”" in move("confirm")
    the_batch = Pilot.objects.get().application.batch
    follow(client, client.post(f"/admin/pilots/batches/{the_batch.pk}/publish/"))
    early = text(client.post(move_url(pilot, "start_midterm"), {"revision": Pilot.objects.get().revision}))
    assert "提前考核须说明理由" in early and Pilot.objects.get().stage == Stage.LISTED
    assert "现为“中期考核”" in move("start_midterm", early_reason="全省统一部署")
    for kind, step, data in (("midterm", "midterm_pass", {}),
                             ("final", "final_pass", {"early_reason": "全省统一部署"})):
        if kind == "final":
            self_assess(bureau, assess, city, BANDS[4])
        reviews.selfcheck_submit(user=bureau, pilot=Pilot.objects.get(), round_=assess)
        signed(province, Pilot.objects.get(), kind)
        assert client.get(review_url(pilot, kind)).status_code == 200
        page = move(step, **data)
    assert "data-granted>授星 四星<" in page and Pilot.objects.get().stage == Stage.GRANTED
    history = text(client.get(pilot_url(pilot)))
    assert len(re.findall(r"data-early>", history)) == 2
