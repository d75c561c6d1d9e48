"""An expert's whole scope is the applications assigned to them: application A's pages, reviews, materials and
visit photos open and can be scored; application B of another city, and every other admin area, are refused."""

import re

import pytest
from django.utils import timezone

from assessments.regions import region_by
from communities.models import CityPage, Role
from pilots import experts
from pilots.models import Adjustment, Pilot
from pilots.services import applications, visits
from pilots.services.moves import pilot_move
from tests.coverage.coverage_factory import build_region
from tests.pilots.admin_helpers import PDF, jpeg, pilot_url, review_url, text
from tests.pilots.pilot_factory import BANDS, batch, self_assess, signed

OTHER_AREAS = [
    "/admin/assessments/", "/admin/assessments/overview/", "/admin/review/", "/admin/coverage/", "/admin/rounds/",
    "/admin/rounds/status/", "/admin/standards/", "/admin/assignments/", "/admin/register/import/", "/admin/pages/",
    "/admin/users/", "/admin/groups/", "/admin/pilots/batches/", "/admin/pilots/batches/new/",
    "/admin/pilots/export/", "/admin/assessments/2026/city/379900/",
]


def refused(response) -> bool:
    """Our screens answer 404/403; Wagtail's own refuse by sending the user back to the dashboard."""
    return response.status_code in (403, 404) or (response.status_code == 302 and response["Location"] == "/admin/")


def on_site(province, pilot: Pilot) -> Pilot:
    """Sign, propose and record a visit with a photo (the photos to guard)."""
    signed(province, pilot, "application")
    pilot = pilot_move(user=province, pilot=pilot, move="propose")
    visits.visit_record(user=province, pilot=pilot, visited_on=timezone.localdate(), members="张三", findings="属实",
                        photos=[("现场.jpg", jpeg())])
    return Pilot.objects.get(pk=pilot.pk)


def submitted(user, round_, region, the_batch) -> Pilot:
    application = applications.application_start(user=user, batch=the_batch, city=CityPage.objects.get(pk=region.pk))
    pilot = applications.pilot_add(user=user, application=application, region=region, target_star=4, round_=round_)
    applications.material_attach(user=user, application=application, data=PDF, filename="方案.pdf")
    applications.report_save(user=user, application=application, report="申请报告正文")
    applications.application_submit(user=user, application=application)
    return Pilot.objects.get(pk=pilot.pk)


@pytest.fixture
def two(assess, bureau, province, city, expert, make_user):
    """Application A of 示范市 (assigned to the expert, with a material) and B of 测试市 (not assigned)."""
    build_region([("379801", "另一县", "county", [("001", "subdistrict", 1)])])
    other = make_user("other-city", Role.BUREAU, CityPage.objects.get(code="379800"))
    the_batch = batch(province)
    self_assess(bureau, assess, city, BANDS[3])
    other_city = region_by("city", "379800")
    self_assess(other, assess, other_city, BANDS[3])
    a, b = submitted(bureau, assess, city, the_batch), submitted(other, assess, other_city, the_batch)
    experts.expert_assign(by=province, application=a.application, expert=expert)
    return (pilot_move(user=province, pilot=a, move="accept"), pilot_move(user=province, pilot=b, move="accept"),
            province)


def urls_of(pilot: Pilot) -> list[str]:
    material = pilot.application.materials.get()
    photo = pilot.visits.get().photos.first()
    found = [pilot_url(pilot), f"/admin/pilots/applications/{pilot.application_id}/", review_url(pilot, "application"),
             f"/admin/pilots/materials/{material.pk}/"]
    return found + ([f"/admin/pilots/photos/{photo.pk}/thumb/"] if photo else [])


def test_an_expert_sees_and_scores_only_the_application_assigned(client, two, expert):
    a, b, province = two
    client.force_login(expert)
    index = text(client.get("/admin/pilots/"))
    assert re.findall(r'data-pilot="(\d+)"', index) == [str(a.pk)] and "测试市" not in index
    home = text(client.get("/admin/"))
    assert '"/admin/pilots/"' in home  # the menu item
    desk = home.split("data-expert-desk")[1]  # their home lists A's review, nothing of B
    assert f'data-desk-review="{a.reviews.get().pk}"' in desk and "测试市" not in desk
    page = text(client.get(review_url(a, "application")))
    assert "保存并签字确认" in page
    # The only assessments links are the frozen files' downloads (none here) and static files.
    assert "/admin/assessments/" not in re.sub(r"/admin/assessments/files/\d+/", "", page)
    assert client.post(review_url(a, "application"), {"p2": 0, "r2": "未提供证明"}).status_code == 302
    assert Adjustment.objects.get().review.pilot == a

    a, b = on_site(province, a), on_site(province, b)
    for url in urls_of(a):
        assert client.get(url).status_code == 200, url
    for url in urls_of(b):
        assert client.get(url).status_code == 404, url
    b_review = review_url(b, "application")
    for url, data in ((b_review, {"p2": 0, "r2": "x", "sign": "1"}),
                      (f"/admin/pilots/{b.pk}/moves/confirm/", {"revision": b.revision}),
                      (f"/admin/pilots/applications/{b.application_id}/report/", {"report": "改"})):
        assert client.post(url, data).status_code == 404, url
    assert not Adjustment.objects.filter(expert=expert, review__pilot=b).exists()
    assert expert.pk not in b.reviews.get().signoffs.values_list("expert_id", flat=True)
    for url in OTHER_AREAS:
        assert refused(client.get(url)), url
    history = client.get("/admin/reports/site-history/")
    assert refused(history) or "测试市" not in history.content.decode()  # Wagtail's log shows nothing of B
    # A's province moves and application editing stay the province's and the city's.
    assert client.post(f"/admin/pilots/{a.pk}/moves/confirm/", {"revision": a.revision}).status_code == 403
    report = client.post(f"/admin/pilots/applications/{a.application_id}/report/", {"report": "改"})
    assert report.status_code == 403 and Pilot.objects.get(pk=a.pk).application.report == "申请报告正文"


def test_a_city_bureau_sees_only_its_own_city(client, two, bureau):
    a, b = (on_site(two[2], pilot) for pilot in two[:2])
    client.force_login(bureau)
    assert re.findall(r'data-pilot="(\d+)"', text(client.get("/admin/pilots/"))) == [str(a.pk)]
    for url in urls_of(b):
        assert client.get(url).status_code == 404, url
    for url in urls_of(a):
        assert client.get(url).status_code == 200, url
