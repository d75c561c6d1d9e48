"""The review page walked over HTTP as an expert works from it: their home lists the review; every indicator shows
the tier texts, the applicant's value, source and basis, the evidence (downloadable by them only) and the
drill-down; one form saves the whole page, bad input is shown and loses nothing; the sign button says what is
missing; the others' points stay hidden until one has signed."""

from __future__ import annotations

import re

import pytest

from assessments import services as assessment_services
from pilots import experts
from pilots.models import Adjustment, Pilot, SignOff
from pilots.services.moves import pilot_move
from tests.pilots.admin_helpers import PDF, follow, form_of, text
from tests.pilots.pilot_factory import BANDS, applied, batch, judge, panel, pool_expert, self_assess

COMPUTED = 24  # city 24 (网格化管理) is computed from the communities' answers


@pytest.fixture
def reviewed(assess, bureau, province, city):
    """示范市 in 专家评估 with a panel of three; indicator 1 carries a file in the frozen self-assessment."""
    self_assess(bureau, assess, city, BANDS[3])
    evidence = assessment_services.evidence_attach(user=bureau, round_=assess, region=city, number=1, data=PDF,
                                                   filename="入户率统计.pdf")
    pilot = pilot_move(user=province, pilot=applied(bureau, assess, city, batch(province)), move="accept")
    members = panel(province, pilot.application)
    return pilot, pilot.reviews.get(kind="application"), members, evidence


def test_an_expert_works_from_the_page_and_signs(client, reviewed):
    pilot, review, (first, second, third), evidence = reviewed
    url = f"/admin/pilots/reviews/{review.pk}/"
    client.force_login(first)
    home = text(client.get("/admin/"))
    assert "我的评审" in home and f'data-desk-review="{review.pk}"' in home and "已评 0/49" in home
    assert "未签字" in home and "Search all pages" not in home
    page = text(client.get(url))
    assert page.count("data-indicator=") == 49 and page.count("<form") == 1  # one form for the whole page
    assert "已评 0/49" in page and "还有 49 项未评" in page and "自评所在档" in page and "满分" in page
    card = page[page.index('id="indicator-1"'):page.index('id="indicator-2"')]
    assert "申报值" in card and "来源" in card and f'/admin/assessments/files/{evidence.pk}/' in card
    assert "入户率统计.pdf" in card and "自有统计数据" in card  # the note the bureau entered
    computed = page[page.index(f'id="indicator-{COMPUTED}"'):page.index(f'id="indicator-{COMPUTED + 1}"')]
    drill = re.search(r'href="([^"]+/communities/)" data-drill', computed).group(1)
    assert "data-communities" in text(client.get(drill))
    download = client.get(f"/admin/assessments/files/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    data = form_of(page)
    assert set(data) == {f"p{n}" for n in range(1, 50)} | {f"r{n}" for n in range(1, 50)}
    self_points = {int(n): int(p) for n, p in re.findall(r'id="indicator-(\d+)".*?data-self-points>(-?\d+)<',
                                                         page, re.S)}
    allowed = re.findall(r'<option value="(-?\d+)"', re.search(r'<select name="p1".*?</select>', page,
                                                               re.S).group(0))
    other = next(int(p) for p in allowed if int(p) != self_points[1])
    typed = {**data, **{f"p{n}": str(p) for n, p in self_points.items()}, "p1": str(other), "r1": "",
             "r2": "看过材料"}
    bad = client.post(url, typed)
    assert bad.status_code == 200 and not Adjustment.objects.exists()
    bad_page = bad.content.decode()
    assert "与自评分不同，请说明理由" in bad_page and "评分未保存" in bad_page
    assert re.search(r"data-error-list.*?href=\"#indicator-1\"", bad_page, re.S)
    assert form_of(bad_page)["p1"] == str(other) and form_of(bad_page)["r2"] == "看过材料"

    half = {**typed, "r1": "入户率证明不足"}
    for n in range(25, 50):
        half[f"p{n}"] = ""
    page = follow(client, client.post(url, {**half, "sign": "1"}))
    assert "还有 25 项未评：第25、26" in page and not SignOff.objects.exists()
    assert Adjustment.objects.filter(expert=first).count() == 24 and "已评 24/49" in page
    page = follow(client, client.post(url, {**half, **{f"p{n}": str(self_points[n]) for n in range(25, 50)},
                                            "sign": "1"}))
    assert "已签字确认评分" in page and SignOff.objects.get().expert == first
    assert "<select" not in page and "入户率证明不足" in page  # signed: read-only, final

    client.force_login(second)
    page = text(client.get(url))
    assert "data-hidden-points" in page and "data-others" not in page and "入户率证明不足" not in page
    judge(second, review)
    page = text(client.get(url))
    assert "data-others" in page and "入户率证明不足" in page and "data-mean" in page


def test_only_the_assigned_expert_downloads_the_evidence_and_opens_the_drill_down(client, reviewed, make_user,
                                                                                 province):
    pilot, review, members, evidence = reviewed
    outsider = make_user("outsider")
    pool_expert(outsider)
    client.force_login(outsider)
    assert client.get(f"/admin/assessments/files/{evidence.pk}/").status_code == 404
    assert client.get(f"/admin/pilots/reviews/{review.pk}/indicators/{COMPUTED}/communities/").status_code == 404
    assert client.get(f"/admin/pilots/reviews/{review.pk}/").status_code == 404
    # The live self-assessment stays the bureaus': an assigned expert judges the frozen one.
    client.force_login(members[0])
    assert client.get("/admin/assessments/2026/city/379900/").status_code in (403, 404)
    assert client.get(f"/admin/assessments/files/{evidence.pk}/").status_code == 200
    experts.expert_unassign(by=province, application=pilot.application, expert=members[0])
    assert client.get(f"/admin/assessments/files/{evidence.pk}/").status_code == 404


def test_the_province_sees_the_panel_on_the_pilot_page_and_cannot_score(client, reviewed, province):
    pilot, review, members, _ = reviewed
    for expert, points in zip(members, (None, {1: 0}, {1: 0}), strict=True):
        judge(expert, review, points)
    client.force_login(province)
    page = text(client.get(f"/admin/pilots/{pilot.pk}/"))
    panel = page[page.index("data-panel"):]
    assert "专家组评分已完成" in panel and "平均分" in panel and "最高与最低相差" in panel
    assert re.findall(r'data-member="(panel-\d)"', panel) == ["panel-1", "panel-2", "panel-3"]
    review_page = text(client.get(f"/admin/pilots/reviews/{review.pk}/"))
    assert "<select" not in review_page and "保存并签字确认" not in review_page and "data-others" in review_page
    response = client.post(f"/admin/pilots/reviews/{review.pk}/", {"p1": "0", "sign": "1"})
    assert response.status_code == 403 and "省大数据局和管理员不代专家评分" in response.content.decode()
    assert SignOff.objects.filter(expert=province).count() == 0
    assert Pilot.objects.get(pk=pilot.pk).stage == "expert"
