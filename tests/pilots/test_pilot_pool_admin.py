"""The pool and assignment screens walked over HTTP by the province: the 专家库 list, adding a member (bad input
shown, nothing lost), editing, 停用 and 重新入库; assigning with a confirm page that refuses an expert who must
stand aside (回避) with the reason; unassigning with a confirm page. Nobody else reaches these screens."""

from __future__ import annotations

import re

from pilots.models import Expert, ExpertAssignment
from pilots.services.moves import pilot_move
from tests.pilots.admin_helpers import follow, text
from tests.pilots.pilot_factory import BANDS, applied, batch, pool_expert, self_assess

POOL = "/admin/pilots/experts/"


def test_the_province_keeps_the_pool_on_its_screens(client, province, bureau, make_user, city):
    make_user("chen")
    client.force_login(province)
    assert 'data-pool-link' in text(client.get("/admin/pilots/"))
    assert "专家库中还没有专家" in text(client.get(POOL))
    bad = text(client.post(POOL + "new/", {"username": "nobody", "name": "陈七", "organisation": "山东大学"}))
    assert "没有该账号" in bad and 'value="陈七"' in bad and not Expert.objects.exists()
    missing = text(client.post(POOL + "new/", {"username": "chen", "name": "陈七", "organisation": ""}))
    assert "请填写工作单位" in missing and not Expert.objects.exists()
    page = follow(client, client.post(POOL + "new/", {"username": "chen", "name": "陈七", "organisation": "山东大学",
                                                       "field": "物联网", "city": ""}))
    expert = Expert.objects.get()
    assert "已将陈七加入专家库" in page and 'data-expert="chen"' in page and "在库" in page
    edit = POOL + f"{expert.pk}/"
    assert 'value="山东大学"' in text(client.get(edit))
    follow(client, client.post(edit, {"name": "陈七", "organisation": "山东大学", "field": "物联网",
                                      "city": city.pk}))
    assert Expert.objects.get().city_id == city.pk
    page = follow(client, client.post(edit + "active/", {"active": "0"}))
    assert "已停用陈七" in page and not Expert.objects.get().active
    page = follow(client, client.post(edit + "active/", {"active": "1"}))
    assert "已将陈七重新入库" in page and Expert.objects.get().active

    client.force_login(bureau)
    for url in (POOL, POOL + "new/", edit):
        response = client.get(url)
        assert response.status_code == 403 and "只有省大数据局或管理员" in response.content.decode(), url
    assert client.post(edit + "active/", {"active": "0"}).status_code == 403 and Expert.objects.get().active


def test_assigning_asks_for_confirmation_and_refuses_who_must_stand_aside(client, assess, bureau, province, county,
                                                                         make_user, expert):
    self_assess(bureau, assess, county, BANDS[3])
    pilot = pilot_move(user=province, pilot=applied(bureau, assess, county, batch(province)), move="accept")
    local = make_user("local")
    pool_expert(local, name="本地专家", organisation="示范县人民医院")
    inactive = make_user("gone")
    pool_expert(inactive, name="停用专家").active = False
    Expert.objects.filter(user=inactive).update(active=False)
    url = f"/admin/pilots/applications/{pilot.application_id}/"
    client.force_login(province)
    page = text(client.get(url))
    offered = re.findall(r'<option value="(\w+)">', page.split("data-expert-form")[1])
    assert sorted(offered) == ["expert", "local"]  # the active pool only: never the inactive or a non-member
    refusal = text(client.get(url + "experts/", {"expert": "local"}))
    assert "不能指派" in refusal and "属于申报地区示范县，须回避" in refusal and "确认指派" not in refusal
    response = client.post(url + "experts/", {"expert": "local"})
    assert "须回避" in follow(client, response) and not ExpertAssignment.objects.exists()
    assert "请选择专家库中的专家" in follow(client, client.get(url + "experts/", {"expert": "gone"}))

    confirm = text(client.get(url + "experts/", {"expert": "expert"}))
    assert "确认指派" in confirm and "王专家" in confirm and not ExpertAssignment.objects.exists()
    page = follow(client, client.post(url + "experts/", {"expert": "expert"}))
    assert "已指派评估专家 王专家" in page and 'data-assigned="expert"' in page
    remove = re.search(r'href="([^"]+/remove/)"', page).group(1)
    confirm = text(client.get(remove))
    assert "确认取消指派" in confirm and ExpertAssignment.objects.count() == 1
    page = follow(client, client.post(remove))
    assert "已取消 王专家 的指派" in page and not ExpertAssignment.objects.exists()

    client.force_login(bureau)
    assert client.get(url + "experts/", {"expert": "expert"}).status_code == 403
    assert client.post(url + "experts/", {"expert": "expert"}).status_code == 403
    assert "data-experts" not in text(client.get(url))  # the applicant does not see who judges it
