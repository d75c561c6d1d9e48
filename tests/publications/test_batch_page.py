"""The batch's public page at /pilots/<year>/: the listed pilots and their outcomes as they happen (授星 with its
star and day, 限期整改 with its deadline), 收回奖补 only with the province's 通报 (never the internal reason); the
list as published stays at /pilots/<year>/list/."""

from __future__ import annotations

import re

from django.utils import timezone

from pilots.stages import Stage
from publications.services import notices


def page(client, pilot) -> str:
    response = client.get(f"/pilots/{pilot.application.batch.year}/")
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, pilot) -> str:
    found = re.search(rf'<tr data-pilot="{pilot.pk}" data-outcome="(\w+)">(.*?)</tr>', html, re.S)
    assert found, "the pilot has a row"
    return found.group(1) + " " + re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(2))).strip()


def test_a_granted_star_shows_with_its_star_and_day_and_the_list_as_published_stays(client, reach):
    pilot = reach(Stage.GRANTED)
    today = timezone.localdate().isoformat()
    assert row(page(client, pilot), pilot) == f"granted 示范县 示范市 四星试点 授星 授予四星 ★★★★ · {today}"
    year = pilot.application.batch.year
    frozen = client.get(f"/pilots/{year}/list/").content.decode()
    assert "<td>示范市</td><td>示范县</td><td class=\"star\">四星试点</td>" in frozen and "授星" not in frozen
    assert client.get(f"/pilots/{year + 1}/").status_code == 404
    assert client.get(f"/pilots/{year + 1}/list/").status_code == 404


def test_a_pilot_under_way_is_shown_as_such(client, reach):
    pilot = reach(Stage.MIDTERM)
    html = page(client, pilot)
    assert row(html, pilot) == "piloting 示范县 示范市 四星试点 试点建设中"
    assert f'href="/pilots/{pilot.application.batch.year}/list/"' in html and "data-notices" not in html


def test_rectification_shows_the_decision_day_and_deadline(client, reach):
    pilot = reach(Stage.RECTIFICATION)
    today, due = timezone.localdate().isoformat(), pilot.deadline.isoformat()
    expected = f"rectifying 示范县 示范市 四星试点 限期整改 {today} 决定， 整改期限 {due}"
    assert row(page(client, pilot), pilot) == expected


def test_withdrawal_shows_only_with_the_provinces_notice_never_the_internal_reason(client, reach, province):
    pilot = reach(Stage.REVOKED)
    internal = pilot.history.get(target=Stage.REVOKED).reason
    before = page(client, pilot)
    assert row(before, pilot).startswith("rectifying ")  # what was last public, until the 通报
    notice = notices.notice_publish(user=province, pilot=pilot, title="关于收回示范县四星试点奖补资金的通报",
                                    text="示范县经整改验收仍未达到建设要求，收回奖补资金，予以通报。")
    after = page(client, pilot)
    today = timezone.localdate().isoformat()
    assert row(after, pilot) == f"revoked 示范县 示范市 四星试点 收回奖补 {today} 通报"
    assert f'href="#notice-{notice.pk}"' in after and f'id="notice-{notice.pk}"' in after
    assert "关于收回示范县四星试点奖补资金的通报" in after and "收回奖补资金，予以通报。" in after
    assert internal and internal not in after and internal not in before


def test_nothing_before_the_list_is_published(client, reach):
    pilot = reach(Stage.LISTED)
    assert client.get(f"/pilots/{pilot.application.batch.year}/").status_code == 404
