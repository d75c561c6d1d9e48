"""The verifier's photo panel says 高清原图待上传 (the phone's words, one definition) while a photo added from the
phone's copy waits for its original, instead of the declared "2400×1800 JPEG"; the original's own facts then."""

from __future__ import annotations

import pytest

from checklists.evidence import evidence_add_copy, evidence_add_original
from checklists.services import answer_save, item_submit
from tests.checklists.photo_factory import make_jpeg
from tests.checklists.test_originals import LIGHTS, copy_of, declared


@pytest.fixture
def pending(round_, community, worker):
    """A submitted item whose one photo came as the phone's copy; its original has not arrived."""
    result = answer_save(round_=round_, community=community, item_number=8, user=worker, values=LIGHTS).result
    original = make_jpeg(2400, 1800, pattern_seed=5)
    photo = evidence_add_copy(result=result, user=worker, copy=copy_of(original), declared=declared(original))
    item_submit(result=result, user=worker)
    return result, photo, original


def panel(client, result) -> str:
    html = client.get(f"/admin/review/{result.pk}/").content.decode()
    return html[html.index('id="review-photos"'):html.index('id="review-decision"')]


def test_the_panel_says_the_original_is_to_come_until_it_arrives(client, pending, verifier, worker, community):
    result, photo, original = pending
    client.force_login(verifier)
    waiting = panel(client, result)
    assert "高清原图待上传" in waiting and "2400×1800 JPEG" not in waiting
    assert "拍摄时间和位置为手机申报，高清原图到达后核实" in waiting
    client.force_login(worker)
    phone = client.get(f"/c/{community.code}/items/8/").content.decode()
    assert '<i class="w op-o">高清原图待上传</i>' in phone  # the same words on the phone

    evidence_add_original(evidence=photo, user=worker, data=original)
    client.force_login(verifier)
    arrived = panel(client, result)
    assert "原图待上传" not in arrived and "2400×1800 JPEG" in arrived and "手机申报" not in arrived


def test_a_deployment_without_originals_never_waits_for_one(client, pending, verifier, settings):
    settings.EVIDENCE_ORIGINALS = "never"
    client.force_login(verifier)
    html = panel(client, pending[0])
    assert "原图待上传" not in html and "2400×1800 JPEG" in html
