"""The district review screens in the Wagtail admin: queue, filters, the item page, decisions, isolation."""

from zoneinfo import ZoneInfo

import pytest
from django.urls import NoReverseMatch, reverse

from checklists import services
from checklists.evidence import evidence_add
from checklists.models import ChecklistLogEntry, ItemResult, Status
from communities.models import CommunityPage, ProvincePage, Role, StreetPage, UnitPage
from review import selectors
from review.forms import ReturnForm, common_reasons
from review.views import field_rows
from standards.models import RoundStatus
from standards.rounds import round_set_status
from tests.checklists.photo_factory import make_jpeg
from tests.factories import CityFactory, CommunityFactory, StreetFactory, UnitFactory
from tests.review.conftest import answer, user

SHANGHAI = ZoneInfo("Asia/Shanghai")


def listed(client, query=""):
    response = client.get("/admin/review/" + query)
    assert response.status_code == 200
    return {r.pk for r in response.context["object_list"]}


def test_the_queue_lists_only_the_verifiers_units_waiting_first(client, queue):
    client.force_login(user("verifier"))
    response = client.get("/admin/review/?status=all")
    codes = [(r.community.code, r.item_number, r.status) for r in response.context["object_list"]]
    # Waiting items first, oldest submission first; drafts are the worker's business until submitted.
    assert codes == [
        ("379902001001", 2, "submitted"), ("379902001001", 1, "submitted"), ("379903001001", 1, "submitted"),
        ("379902001002", 2, "approved"),
    ]
    assert "379921001001" not in response.content.decode()


def test_a_county_verifier_sees_only_the_county(client, queue, county_verifier):
    client.force_login(county_verifier)
    assert listed(client) == {queue["county"].pk}


@pytest.mark.parametrize(
    "query,expected",
    [
        ("?status=submitted", {"failing", "wireless", "new_area"}),
        ("?status=approved", {"approved"}),
        ("?status=draft", {"draft"}),
        ("?status=returned", set()),
        ("?status=all", {"failing", "wireless", "new_area", "approved"}),  # every status but drafts
        ("", {"failing", "wireless", "new_area"}),  # the queue opens on 待审核
        ("?item=1", {"failing", "new_area"}),
        ("?community=379902001001", {"failing", "wireless"}),
        ("?community=阳光", {"failing", "wireless", "new_area"}),  # two communities share the name
        ("?flags=old_photo", {"wireless"}),
        ("?flags=duplicate_photo", {"new_area"}),
        ("?flags=failing_rule", {"failing"}),
        ("?flags=old_photo&flags=failing_rule", {"failing", "wireless"}),
        ("?status=submitted&item=2", {"wireless"}),
    ],
)
def test_filters(client, queue, query, expected):
    client.force_login(user("verifier"))
    assert listed(client, query) == {queue[name].pk for name in expected}


def test_the_queue_opens_on_waiting_items_with_the_other_statuses_one_click_away(client, queue):
    # Issue 20: the queue opened on every status (已通过 included) and every badge was the same grey.
    client.force_login(user("verifier"))
    page = client.get("/admin/review/?item=1").content.decode()
    tabs = page[page.index("data-status-tabs"):page.index("</nav>", page.index("data-status-tabs"))]
    assert [label for label in ("待审核", "被退回", "已通过", "草稿", "全部（不含草稿）") if label in tabs] == [
        "待审核", "被退回", "已通过", "草稿", "全部（不含草稿）"]
    assert 'href="/admin/review/?item=1&amp;status=submitted" aria-current="page"' in tabs
    approved = "/admin/review/?item=1&amp;status=approved"
    assert approved in tabs  # one click, keeping the other filters
    assert 'data-status="approved"' not in page and page.count('data-status="submitted"') == 2

    every = client.get("/admin/review/?status=all").content.decode()
    # Each badge carries its status's text and a class of its own (review/review.css colours them).
    badge = '<span class="w-status review-status review-status--{0}" data-status="{0}">{1}</span>'
    assert badge.format("submitted", "待审核") in every and badge.format("approved", "已通过") in every
    assert "review/review.css" in every


def test_filters_by_unit_and_street_offer_only_the_verifiers_own(client, queue):
    client.force_login(user("verifier"))
    unit = UnitPage.objects.get(code="379903")
    street = StreetPage.objects.get(code="379902001")
    assert listed(client, f"?unit={unit.pk}") == {queue["new_area"].pk}
    assert listed(client, f"?street={street.pk}&status=all") == {
        queue["failing"].pk, queue["wireless"].pk, queue["approved"].pk}
    response = client.get("/admin/review/")
    units = {u.code for u in response.context["filters"].form.fields["unit"].queryset}
    assert units == {"379902", "379903"}
    # Someone else's unit in the URL is not a valid choice, so it cannot widen the list.
    other = UnitPage.objects.get(code="379921")
    assert queue["county"].pk not in listed(client, f"?unit={other.pk}")


def test_the_item_page_shows_values_rules_photos_and_history(client, queue):
    client.force_login(user("verifier"))
    result = queue["failing"]
    response = client.get(f"/admin/review/{result.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    photo = result.photos.get()
    for text in ("光纤入户用户数", "300", "337", "光纤宽带网络覆盖率达到100%", "未达标", "89.02%",
                 "2026-03-01 09:30", "36.651200, 117.120500", "保存填报",
                 f'src="/c/379902001001/evidence/{photo.pk}/thumb/"',
                 f'href="/c/379902001001/evidence/{photo.pk}/display/"'):
        assert text in html, text
    assert 'data-action="approve"' in html and 'data-action="return"' in html
    for reason in common_reasons():
        assert reason in html


def test_the_item_page_shows_photo_flags(client, queue):
    client.force_login(user("verifier"))
    html = client.get(f"/admin/review/{queue['new_area'].pk}/").content.decode()
    assert "与其他社区重复" in html and "阳光社区（379902001001）第1项" in html and "同一文件" in html
    html = client.get(f"/admin/review/{queue['wireless'].pk}/").content.decode()
    assert "旧照片" in html


def test_a_duplicate_in_another_city_is_flagged_without_its_name(client, queue):
    """The duplicate-photo panel names another community only to someone who may review it."""
    far = CommunityFactory(title="远方社区", parent=StreetFactory(
        title="远方街道", parent=UnitFactory(title="远方区", parent=CityFactory(title="远方市"))))
    photo = queue["new_area"].photos.get()
    photo.duplicate_of = [*photo.duplicate_of, {"community": far.code, "community_name": far.title, "item": 3,
                                                "evidence": 9, "kind": "similar"}]
    photo.save()
    client.force_login(user("verifier"))  # the unit's verifier: does not review 远方市
    html = client.get(f"/admin/review/{queue['new_area'].pk}/").content.decode()
    assert "阳光社区（379902001001）第1项" in html  # theirs to review: named
    assert "另一社区的佐证第3项" in html and "画面相似" in html
    assert "远方" not in html and far.code not in html
    client.force_login(user("bureau"))  # the city's bureau sees no photos at all, nor where they repeat
    html = client.get(f"/admin/review/{queue['new_area'].pk}/").content.decode()
    assert "远方" not in html and far.code not in html and "阳光社区（379902001001）" not in html
    client.force_login(user("admin"))
    html = client.get(f"/admin/review/{queue['new_area'].pk}/").content.decode()
    assert f"远方社区（{far.code}）第3项" in html and "另一社区的佐证" not in html


def test_approve(client, queue):
    client.force_login(user("verifier"))
    result = queue["wireless"]
    response = client.post(f"/admin/review/{result.pk}/approve/")
    result.refresh_from_db()
    assert result.status == Status.APPROVED and result.decided_by == user("verifier") and result.passes
    # On to the next item of the same community still waiting.
    assert response["Location"] == f"/admin/review/{queue['failing'].pk}/"
    entry = ChecklistLogEntry.objects.latest("pk")
    assert (entry.action, entry.from_status, entry.to_status) == ("checklists.approved", "submitted", "approved")


def test_return_with_common_reasons_and_free_text(client, queue):
    client.force_login(user("verifier"))
    result = queue["failing"]
    reasons = common_reasons()[:2]
    client.post(f"/admin/review/{result.pk}/return/", {"reasons": reasons, "detail": "  请补拍机房  "})
    result.refresh_from_db()
    assert result.status == Status.RETURNED
    assert result.return_reason == f"{reasons[0]}；{reasons[1]}；请补拍机房"
    assert ChecklistLogEntry.objects.latest("pk").reason == result.return_reason


def test_return_without_a_reason_changes_nothing(client, queue):
    client.force_login(user("verifier"))
    result = queue["failing"]
    response = client.post(f"/admin/review/{result.pk}/return/", {"detail": "   "}, follow=True)
    result.refresh_from_db()
    assert result.status == Status.SUBMITTED
    assert "退回必须说明理由" in response.content.decode()


def test_reopen_an_approved_item_needs_a_reason(client, queue):
    client.force_login(user("verifier"))
    result = queue["approved"]
    html = client.get(f"/admin/review/{result.pk}/").content.decode()
    assert 'data-action="reopen"' in html and 'data-action="approve"' not in html
    client.post(f"/admin/review/{result.pk}/reopen/", {"reason": ""})
    result.refresh_from_db()
    assert result.status == Status.APPROVED
    client.post(f"/admin/review/{result.pk}/reopen/", {"reason": "数据需按新户数更新"})
    result.refresh_from_db()
    assert result.status == Status.RETURNED and result.return_reason == "数据需按新户数更新"


def test_approve_all_of_one_community(client, queue, round_):
    client.force_login(user("verifier"))
    community = queue["failing"].community
    client.post(f"/admin/review/approve-all/{round_.pk}/{community.pk}/")
    statuses = {name: ItemResult.objects.get(pk=r.pk).status for name, r in queue.items()}
    assert statuses["failing"] == statuses["wireless"] == Status.APPROVED
    assert statuses["new_area"] == statuses["county"] == Status.SUBMITTED
    # Approved, but item 1's rule fails, so only item 2 counts toward coverage.
    assert not ItemResult.objects.get(pk=queue["failing"].pk).passes


def test_a_verifier_of_another_unit_gets_404_everywhere(client, queue, county_verifier, round_):
    client.force_login(county_verifier)
    result = queue["failing"]
    assert result.pk not in listed(client)
    assert client.get(f"/admin/review/{result.pk}/").status_code == 404
    for action, data in [("approve", {}), ("return", {"detail": "x"}), ("reopen", {"reason": "x"})]:
        assert client.post(f"/admin/review/{result.pk}/{action}/", data).status_code == 404
    assert client.post(f"/admin/review/approve-all/{round_.pk}/{result.community_id}/").status_code == 404
    result.refresh_from_db()
    assert result.status == Status.SUBMITTED


def test_a_worker_cannot_open_the_admin_or_decide(client, queue):
    client.force_login(user("worker"))
    result = queue["failing"]
    for response in (client.get("/admin/review/"), client.get(f"/admin/review/{result.pk}/"),
                     client.post(f"/admin/review/{result.pk}/approve/")):
        assert response.status_code == 302 and "/login/" in response["Location"]
    result.refresh_from_db()
    assert result.status == Status.SUBMITTED


def refused(response) -> bool:
    """Wagtail answers a PermissionDenied in the admin by sending the user back to the dashboard."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_a_bureau_reads_but_cannot_decide(client, queue, round_):
    client.force_login(user("bureau"))
    result = queue["failing"]
    assert queue["county"].pk in listed(client)  # the whole city
    html = client.get(f"/admin/review/{result.pk}/").content.decode()
    assert "只读" in html and 'data-action="approve"' not in html
    assert refused(client.post(f"/admin/review/{result.pk}/approve/"))
    assert refused(client.post(f"/admin/review/{result.pk}/return/", {"detail": "x"}))
    assert refused(client.post(f"/admin/review/approve-all/{round_.pk}/{result.community_id}/"))
    result.refresh_from_db()
    assert result.status == Status.SUBMITTED


def test_nothing_in_the_review_screens_edits_answers_or_the_trail(client, queue):
    client.force_login(user("admin"))
    pk = queue["failing"].pk
    for name in ("add", "edit", "delete", "copy", "history"):
        with pytest.raises(NoReverseMatch):
            reverse(f"review:{name}", args=[pk] if name != "add" else [])
    for url in (f"/admin/review/edit/{pk}/", f"/admin/review/delete/{pk}/", "/admin/review/new/"):
        assert client.get(url).status_code == 404
    html = client.get("/admin/review/").content.decode()
    assert "/edit/" not in html and "/delete/" not in html


def test_decisions_are_refused_once_the_round_is_closed(client, queue, round_):
    round_set_status(round_=round_, user=user("admin"), status=RoundStatus.CLOSED)
    client.force_login(user("verifier"))
    result = queue["wireless"]
    html = client.get(f"/admin/review/{result.pk}/").content.decode()
    assert "本轮核查已关闭" in html and 'data-action="approve"' not in html
    response = client.post(f"/admin/review/{result.pk}/approve/", follow=True)
    assert "本轮核查已关闭" in response.content.decode()
    result.refresh_from_db()
    assert result.status == Status.SUBMITTED


def test_a_province_bureau_closes_and_reopens_a_round_in_the_admin(client, demo, round_, make_user):
    client.force_login(make_user("province-bureau", Role.BUREAU, ProvincePage.objects.get()))
    assert client.get("/admin/rounds/status/").status_code == 200
    client.post(f"/admin/rounds/{round_.pk}/close/", {"reason": "年度核查结束"})
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    response = client.post(f"/admin/rounds/{round_.pk}/reopen/", {"reason": ""}, follow=True)
    assert "必须填写理由" in response.content.decode()
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    client.post(f"/admin/rounds/{round_.pk}/reopen/", {"reason": "补录遗漏社区"})
    round_.refresh_from_db()
    assert round_.status == RoundStatus.OPEN


@pytest.mark.parametrize("username", ["verifier", "bureau"])
def test_verifiers_and_city_bureaus_cannot_close_the_provinces_round(client, demo, round_, username):
    client.force_login(user(username))
    assert refused(client.get("/admin/rounds/status/"))
    assert refused(client.post(f"/admin/rounds/{round_.pk}/close/"))
    round_.refresh_from_db()
    assert round_.is_open


def test_round_status_is_not_editable_through_the_plain_round_form(client, demo, round_):
    client.force_login(user("admin"))
    html = client.get(f"/admin/rounds/edit/{round_.pk}/").content.decode()
    assert 'name="status"' not in html


def test_the_dashboard_shows_the_verifiers_queue(client, queue):
    client.force_login(user("verifier"))
    html = client.get("/admin/").content.decode()
    assert '<strong data-count="submitted">3</strong>' in html
    assert '<strong data-count="approved">1</strong>' in html
    # The oldest waiting item of their units (the county's older one is not theirs).
    oldest = queue["wireless"]
    assert f'href="/admin/review/{oldest.pk}/"' in html and "2026-05-02 10:00" in html
    assert "关闭或重新开放轮次" not in html


def test_the_dashboard_shows_the_bureau_the_rounds(client, queue, round_, make_user):
    client.force_login(user("bureau"))
    html = client.get("/admin/").content.decode()
    assert f'data-round="{round_.code}"' in html and "关闭或重新开放轮次" not in html  # the round spans the province
    assert '<strong data-count="submitted">4</strong>' in html  # the whole city, read-only
    client.force_login(make_user("province-bureau", Role.BUREAU, ProvincePage.objects.get()))
    assert "关闭或重新开放轮次" in client.get("/admin/").content.decode()


def test_queue_counts_and_oldest(queue, round_, county_verifier):
    counts = selectors.queue_counts(user("verifier"), round_)
    assert (counts["submitted"], counts["approved"], counts["draft"]) == (3, 1, 1)
    assert (counts["old_photo"], counts["duplicate_photo"], counts["failing_rule"]) == (1, 1, 1)
    assert selectors.oldest_waiting(user("verifier"), round_) == queue["wireless"]
    assert selectors.oldest_waiting(county_verifier, round_) == queue["county"]


def test_return_form_needs_a_reason():
    assert not ReturnForm({"detail": " "}).is_valid()
    form = ReturnForm({"reasons": [common_reasons()[0]]})
    assert form.is_valid() and form.reason == common_reasons()[0]


def test_reasons_can_be_replaced_in_settings(settings):
    settings.CHECKLIST_RETURN_REASONS = ["照片模糊"]
    assert common_reasons() == ["照片模糊"]


def test_field_rows_read_choices_and_not_applicable(standard):
    item = standard.item(4)
    rows = field_rows(item, {"iot_services": ["ev_charging", "parking"]}, {"iot_services": {"elevator": "无电梯"}})
    assert rows[0]["value"] == "充电桩、车位"
    assert rows[0]["not_applicable"] == [("电梯控制", "无电梯")]


def test_the_queue_exports_in_local_time(client, queue):
    client.force_login(user("verifier"))
    response = client.get("/admin/review/?export=csv&status=submitted")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "社区代码,社区,指标,状态,规则达标,提交时间,退回理由"
    assert lines[1] == "379902001001,阳光社区,2,待审核,True,2026-05-02 10:00:00,"
    assert len(lines) == 4


def test_log_entries_are_scoped_like_the_queue(queue, county_verifier):
    visible = ChecklistLogEntry.objects.viewable_by_user
    assert {e.community_code for e in visible(county_verifier)} == {"379921001001"}
    assert "379921001001" not in {e.community_code for e in visible(user("verifier"))}
    assert visible(user("admin")).count() == ChecklistLogEntry.objects.count()


def test_the_thumbnail_link_serves_the_photo_to_the_verifier(client, round_, community):
    result = services.answer_save(
        round_=round_, community=community, item_number=2, user=user("worker"), values={"wireless_on_demand": True}
    ).result
    photo = evidence_add(result=result, user=user("worker"), data=make_jpeg(800, 600), filename="ap.jpg")
    client.force_login(user("verifier"))
    html = client.get(f"/admin/review/{result.pk}/?status=draft").content.decode()
    for variant in ("thumb", "display"):
        url = f"/c/{community.code}/evidence/{photo.pk}/{variant}/"
        assert url in html
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


def test_photos_are_hidden_from_the_bureau(client, queue):
    client.force_login(user("bureau"))
    html = client.get(f"/admin/review/{queue['failing'].pk}/").content.decode()
    assert "data-photos-hidden" in html and "/evidence/" not in html and "36.651200" not in html


def test_sensitive_item_photos_are_hidden_even_from_admins(client, round_, demo):
    result = answer(round_, "379902001001", 24, {"registration": True})
    client.force_login(user("admin"))
    html = client.get(f"/admin/review/{result.pk}/").content.decode()
    assert "敏感指标" in html and "/evidence/" not in html and "36.651200" not in html
    client.force_login(user("verifier"))
    html = client.get(f"/admin/review/{result.pk}/").content.decode()
    assert "/evidence/" in html and "36.651200" in html


def test_the_site_history_report_sees_only_the_users_communities(queue, county_verifier):
    visible = ChecklistLogEntry.objects.viewable_by_user(county_verifier)
    assert {e.community_code for e in visible} == {"379921001001"}


def test_the_queue_costs_the_same_queries_for_3_or_15_rows(client, round_, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(user("verifier"))
    codes = list(CommunityPage.objects.filter(unit__code="379902").order_by("code").values_list("code", flat=True))
    counts = []
    for batch in (codes[:1], codes[1:5]):
        for code in batch:
            for item in (2, 3, 4):
                answer(round_, code, item, {"wireless_on_demand": True})
        with CaptureQueriesContext(connection) as queries:
            rows = len(client.get("/admin/review/").context["object_list"])
        counts.append((rows, len(queries)))
    (few, few_queries), (many, many_queries) = counts
    assert (few, many) == (3, 15) and many_queries == few_queries
