"""Retired communities leave the QR sheet batches, on the page and in the background job alike."""

import pytest
from django.utils import timezone

from communities.models import CommunityPage
from jobs.kinds import _qr_region


@pytest.fixture
def one_retired(demo):
    CommunityPage.objects.filter(code="379902001005").update(retired_at=timezone.now())


def test_the_street_and_unit_batches_leave_retired_communities_out(client, round_, verifier, one_retired):
    client.force_login(verifier)
    street = client.get("/c/sheets/street/379902001/").content.decode()
    assert street.count('class="sheet"') == 4 and "社区代码 379902001005" not in street
    unit = client.get("/c/sheets/unit/379902/").content.decode()
    assert "社区代码 379902001005" not in unit


def test_the_sheets_job_leaves_them_out_too(round_, verifier, one_retired):
    region, communities = _qr_region(verifier, {"street": "379902001"})
    assert [c.code for c in communities] == [f"37990200100{n}" for n in range(1, 5)]
