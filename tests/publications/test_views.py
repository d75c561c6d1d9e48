"""公开信息 in the admin over HTTP: each screen to those the policy allows and refused (with the policy's words, and
nothing changed) to everyone else; the menu item follows the same answer; each screen asks for its own action."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from communities import policy
from communities.models import CityPage, UnitPage
from pilots.stages import Stage
from publications.actions import PublicationAction
from publications.models import HighlightIndexPage, RevocationNotice, SmartListPage
from tests.communities.test_policy_table import menu_labels
from tests.coverage.coverage_factory import make_smart
from tests.pilots.admin_helpers import follow, text

HOME = "/admin/publications/"


def menu(client) -> bool:
    return "公开信息" in menu_labels(client.get("/admin/").content.decode())


def test_home_shows_each_part_to_those_allowed(client, round_, province, bureau, verifier, other_bureau):
    client.force_login(province)
    page = text(client.get(HOME))
    assert "data-revoked" in page and "data-rounds" in page and "data-new-highlight" not in page and menu(client)
    client.force_login(bureau)
    page = text(client.get(HOME))
    assert "data-revoked" not in page and "data-rounds" not in page and menu(client)
    options = re.findall(r'<option value="\d+">([^<]+)</option>', page)
    assert options == ["示范市", "示范海岛区", "示范县", "示范县级市"]  # the city, then its county-level units by code
    client.force_login(verifier)
    refused = client.get(HOME)
    assert refused.status_code == 403
    assert "只有本市或本县（市、区）的大数据局可以撰写本地的亮点工作" in refused.content.decode()
    assert not menu(client)
    client.logout()
    assert client.get(HOME).status_code == 302


def test_smart_list_screen(client, round_, province, bureau):
    make_smart(round_, ["379902001001"])
    url = reverse("publications:smart_list", args=[round_.pk])
    client.force_login(bureau)
    assert client.get(url).status_code == 403 and client.post(url, {"confirm": "on"}).status_code == 403
    client.force_login(province)
    page = text(client.get(url))
    assert "现有 1 个社区 25 项指标全部经审核达标" in page and "本轮核查仍在进行中" in page
    unconfirmed = text(client.post(url, {}))
    assert 'class="errorlist' in unconfirmed and not SmartListPage.objects.exists()
    page = follow(client, client.post(url, {"confirm": "on"}))
    assert "已公布2026年度智慧社区名单（第1版）" in page and SmartListPage.objects.get().version == 1
    assert "与最新公布的版本相同，无需重新公布" in text(client.get(url))


def test_notice_screen(client, reach, province, bureau):
    pilot = reach(Stage.REVOKED)
    url = reverse("publications:notice", args=[pilot.pk])
    form = {"title": "关于收回示范县四星试点奖补资金的通报", "text": "收回奖补资金，予以通报。", "confirm": "on"}
    client.force_login(bureau)
    assert client.get(url).status_code == 403 and client.post(url, form).status_code == 403
    assert not RevocationNotice.objects.exists()
    client.force_login(province)
    page = text(client.get(url))
    assert "data-internal-reason" in page and "整改后仍未达到要求，收回奖补资金并通报的理由" in page
    assert 'value="关于收回示范县四星试点奖补资金的通报"' in page  # the suggested title to start from
    unconfirmed = text(client.post(url, {**form, "confirm": ""}))
    assert 'class="errorlist' in unconfirmed and not RevocationNotice.objects.exists()
    home = follow(client, client.post(url, form))
    assert f"已发布通报，公开页面：/pilots/{pilot.application.batch.year}/" in home
    assert "已发布" in home and RevocationNotice.objects.get().pilot == pilot
    assert "通报已于" in text(client.get(url))


def test_a_bureau_starts_a_report_only_under_its_own_regions(client, demo, bureau, province, other_bureau):
    county = UnitPage.objects.get(code="379921")
    client.force_login(bureau)
    response = client.post(reverse("publications:highlight_new"), {"region": county.pk})
    index = HighlightIndexPage.objects.get(region=county)
    assert response["Location"] == f"/admin/pages/add/publications/highlightpage/{index.pk}/?next=/admin/publications/"
    assert client.get(response["Location"]).status_code == 200
    assert index.live and index.get_workflow().name == "亮点工作审核"
    client.force_login(other_bureau)
    page = follow(client, client.post(reverse("publications:highlight_new"), {"region": county.pk}))
    assert "请选择本市或本县（市、区）" in page
    denied = client.get(f"/admin/pages/add/publications/highlightpage/{index.pk}/")
    assert denied.status_code == 302 and denied["Location"] == "/admin/"  # Wagtail's "no permission"
    client.force_login(province)
    assert client.post(reverse("publications:highlight_new"),
                       {"region": CityPage.objects.get(code="379900").pk}).status_code == 403
    assert HighlightIndexPage.objects.count() == 1


@pytest.mark.parametrize("action", list(PublicationAction))
def test_each_screen_asks_for_its_own_action(client, round_, province, bureau, monkeypatch, action):
    """With the action's rule refusing everyone, the screen of that action turns away who the table lets in."""
    monkeypatch.setitem(policy.RULES, action, policy.Rule((), admins=False, refusal="测试：此操作暂不开放"))
    city = CityPage.objects.get(code="379900")
    requests = {
        PublicationAction.PUBLISH_NOTICE: (province, "get", reverse("publications:notice", args=[1]), {}),
        PublicationAction.PUBLISH_SMART_LIST: (province, "post", reverse("publications:smart_list",
                                                                         args=[round_.pk]), {"confirm": "on"}),
        PublicationAction.WRITE_HIGHLIGHT: (bureau, "post", reverse("publications:highlight_new"),
                                            {"region": city.pk}),
        PublicationAction.APPROVE_HIGHLIGHT: (province, "get", HOME, {}),
    }
    user, method, url, data = requests[action]
    client.force_login(user)
    response = getattr(client, method)(url, data)
    if action == PublicationAction.APPROVE_HIGHLIGHT:
        assert "待审核的亮点工作" not in response.content.decode()  # the approver's part is gone
    else:
        assert response.status_code == 403 and "测试：此操作暂不开放" in response.content.decode()
    assert not SmartListPage.objects.exists() and not HighlightIndexPage.objects.exists()
