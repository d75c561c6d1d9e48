"""A retired community leaves the review queue's listing and counts; its items stay readable one by one."""

from django.utils import timezone

from checklists.models import ItemResult, Status
from communities.models import CommunityPage
from review import selectors
from tests.factories import ItemResultFactory


def waiting(round_, code: str) -> ItemResult:
    return ItemResultFactory(round=round_, community=CommunityPage.objects.get(code=code), item_number=2,
                             status=Status.SUBMITTED, submitted_at=timezone.now())


def test_retired_communities_leave_the_queue_but_not_the_record(client, round_, demo, verifier):
    kept, gone = waiting(round_, "379902001001"), waiting(round_, "379903001001")
    CommunityPage.objects.filter(code="379903001001").update(retired_at=timezone.now())
    client.force_login(verifier)
    response = client.get("/admin/review/")
    assert [r.pk for r in response.context["object_list"]] == [kept.pk]
    assert selectors.queue_counts(verifier, round_)[Status.SUBMITTED] == 1
    assert selectors.oldest_waiting(verifier, round_) == kept
    assert [r.submitted for r in selectors.rounds_overview(verifier) if r.pk == round_.pk] == [1]
    detail = client.get(f"/admin/review/{gone.pk}/")
    assert detail.status_code == 200 and "379903001001" in detail.content.decode()
