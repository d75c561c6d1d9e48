"""The review tests' data: answers stored through the services, in the demo verifier's units and beyond."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from checklists import services
from checklists.models import Evidence, Status
from communities.models import CommunityPage, Role, UnitPage
from tests.replay import replayed

SHANGHAI = ZoneInfo("Asia/Shanghai")
BROADBAND_OK = {"fiber_households": 337, "households": 337, "multi_carrier_access": True}
BROADBAND_LOW = {"fiber_households": 300, "households": 337, "multi_carrier_access": True}


def user(name):
    return get_user_model().objects.get(username=name)


def answer(round_, code, item, values, status=Status.SUBMITTED, *, submitted_day=1, **photo):
    """Store a worker's answer through the service, with one photo, then put it in `status`."""
    community = CommunityPage.objects.get(code=code)
    result = services.answer_save(
        round_=round_, community=community, item_number=item, user=user("admin"), values=values
    ).result
    Evidence.objects.create(
        result=result, original="evidence/x/original.jpg", display="evidence/x/display.jpg",
        thumbnail="evidence/x/thumb.jpg", sha256=f"{result.pk:064d}", size=1000, format="JPEG", width=800,
        height=600, taken_at=datetime(2026, 3, 1, 9, 30, tzinfo=SHANGHAI), gps_lat="36.651200", gps_lon="117.120500",
        **photo,
    )
    services.refresh_verdict(result)
    result.status = status
    result.submitted_at = datetime(2026, 5, submitted_day, 10, tzinfo=SHANGHAI) if status != Status.DRAFT else None
    result.save()
    return result


@pytest.fixture
def queue(round_, demo):
    """Items in the demo verifier's units (379902, 379903) and one in a county they do not verify.

    Answered through the services in the first test, then replayed (tests/replay.py).
    """
    return replayed("review-queue", lambda: {
        "failing": answer(round_, "379902001001", 1, BROADBAND_LOW, submitted_day=3),
        "wireless": answer(round_, "379902001001", 2, {"wireless_on_demand": True}, submitted_day=2, flag_old=True),
        "approved": answer(round_, "379902001002", 2, {"wireless_on_demand": True}, Status.APPROVED),
        "draft": answer(round_, "379902002001", 2, {"wireless_on_demand": True}, Status.DRAFT),
        "new_area": answer(round_, "379903001001", 1, BROADBAND_OK, submitted_day=4, flag_duplicate=True,
                           duplicate_of=[{"community": "379902001001", "community_name": "阳光社区", "item": 1,
                                          "evidence": 1, "kind": "same_file"}]),
        "county": answer(round_, "379921001001", 2, {"wireless_on_demand": True}, submitted_day=1),
    })


@pytest.fixture
def county_verifier(make_user, demo):
    return make_user("county-verifier", Role.VERIFIER, UnitPage.objects.get(code="379921"))
