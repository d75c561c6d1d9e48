"""Core writes: saving answers, idempotency, conflicts, evidence flags, submission rules."""

import io
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from PIL import Image

from checklists.decisions import item_approve, item_return
from checklists.evidence import evidence_add, evidence_remove
from checklists.models import ChecklistLogEntry, Evidence, ItemResult, SaveReceipt
from checklists.photos import PhotoError
from checklists.services import (
    ConflictError,
    IncompleteError,
    answer_save,
    item_submit,
    item_withdraw,
    items_submit_all,
)
from tests.checklists.photo_factory import make_jpeg

LIGHTS = {"smart_lights": "60", "public_lights": "100", "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"}


def reencoded(data: bytes) -> bytes:
    """Return the same picture shrunk to 80% and saved at a lower quality (what a messaging app does)."""
    image = Image.open(io.BytesIO(data))
    out = io.BytesIO()
    image.resize((image.width * 4 // 5, image.height * 4 // 5)).save(out, "JPEG", quality=60)
    return out.getvalue()


def save(round_, community, user, values=LIGHTS, **kwargs):
    return answer_save(round_=round_, community=community, item_number=8, user=user, values=values, **kwargs)


def test_save_stores_values_and_the_engine_verdict(round_, community, worker):
    outcome = save(round_, community, worker)
    result = outcome.result
    assert result.revision == 1 and result.values["kwh_with_smart"] == "800.08"
    # Rules hold, but without a photo the item is not yet complete and does not pass.
    assert not result.rules_pass and not result.complete
    assert result.evaluation["reasons"] == ["至少上传1张照片作为佐证"]
    assert [r["verdict"] for r in result.evaluation["rules"]] == ["pass", "pass"]
    evidence_add(result=result, user=worker, data=make_jpeg(640, 480), filename="lamp.jpg")
    result.refresh_from_db()
    assert result.rules_pass and result.complete and result.revision == 1


def test_unknown_fields_are_not_stored(round_, community, worker):
    result = save(round_, community, worker, values={**LIGHTS, "csrfmiddlewaretoken": "x", "evil": 1}).result
    assert set(result.values) == set(LIGHTS)


def test_same_request_id_is_applied_once(round_, community, worker):
    request_id = uuid.uuid4()
    first = save(round_, community, worker, request_id=request_id, base_revision=0)
    again = save(round_, community, worker, request_id=request_id, base_revision=0)
    assert again.replayed and again.result.revision == first.result.revision == 1
    assert SaveReceipt.objects.count() == 1
    assert ChecklistLogEntry.objects.filter(action="checklists.saved").count() == 1


def test_a_stale_revision_is_a_conflict_and_overwrites_nothing(round_, community, worker):
    save(round_, community, worker, base_revision=0)
    with pytest.raises(ConflictError) as raised:
        save(round_, community, worker, values={**LIGHTS, "smart_lights": "1"}, base_revision=0)
    assert raised.value.current.values["smart_lights"] == "60"
    assert "修改" in raised.value.message
    assert ItemResult.objects.get().values["smart_lights"] == "60"


def test_other_communities_worker_cannot_save(round_, other_unit_community, worker):
    with pytest.raises(PermissionDenied):
        save(round_, other_unit_community, worker)
    assert not ItemResult.objects.filter(community=other_unit_community).exclude(values={}).exists()


def test_an_incomplete_item_cannot_be_submitted(round_, community, worker):
    result = save(round_, community, worker, values={"smart_lights": "60"}).result
    with pytest.raises(IncompleteError) as raised:
        item_submit(result=result, user=worker)
    assert any("未填写" in r for r in raised.value.reasons)
    result.refresh_from_db()
    assert result.status == "draft"


def test_a_failing_but_complete_item_can_be_submitted_and_never_passes(round_, community, worker, verifier):
    result = save(round_, community, worker, values={**LIGHTS, "smart_lights": "59"}).result
    evidence_add(result=result, user=worker, data=make_jpeg(320, 240), filename="a.jpg")
    result = item_submit(result=result, user=worker)
    assert item_submit(result=result, user=worker).status == "submitted"  # a double tap changes nothing
    result = item_approve(result=result, user=verifier)
    assert result.status == "approved" and not result.rules_pass and not result.passes


def test_submit_all_submits_only_complete_items(round_, community, worker):
    complete = save(round_, community, worker).result
    evidence_add(result=complete, user=worker, data=make_jpeg(320, 240), filename="a.jpg")
    answer_save(round_=round_, community=community, item_number=2, user=worker, values={"wireless_on_demand": True})
    outcome = items_submit_all(round_=round_, community=community, user=worker)
    assert outcome.numbers == [8]
    skipped = {s.number: s.reason for s in outcome.skipped}
    assert skipped[2] == "未填写完整：至少上传1张照片作为佐证" and skipped[1] == "尚未填写" and len(skipped) == 24


def returned_item(round_, community, worker, verifier, number=8):
    result = save(round_, community, worker).result
    evidence_add(result=result, user=worker, data=make_jpeg(320, 240, pattern_seed=number), filename="a.jpg")
    return item_return(result=item_submit(result=result, user=worker), user=verifier, reason="照片看不清")


def test_submit_all_leaves_a_returned_item_alone_until_it_changes(round_, community, worker, verifier):
    result = returned_item(round_, community, worker, verifier)
    assert not result.changed_since_return
    outcome = items_submit_all(round_=round_, community=community, user=worker)
    assert outcome.numbers == [] and {s.number: s.reason for s in outcome.skipped}[8] == "被退回后尚未修改"
    result.refresh_from_db()
    assert result.status == "returned" and result.return_reason == "照片看不清"
    save(round_, community, worker, base_revision=1)  # the same figures again: not a change
    assert items_submit_all(round_=round_, community=community, user=worker).numbers == []
    evidence_add(result=result, user=worker, data=make_jpeg(320, 240, pattern_seed=99), filename="b.jpg")
    assert items_submit_all(round_=round_, community=community, user=worker).numbers == [8]


def test_a_changed_figure_counts_as_a_change_since_the_return(round_, community, worker, verifier):
    returned_item(round_, community, worker, verifier)
    save(round_, community, worker, values={**LIGHTS, "smart_lights": "61"}, base_revision=1)
    assert items_submit_all(round_=round_, community=community, user=worker).numbers == [8]


def test_submit_all_does_not_touch_submitted_or_approved_items(round_, community, worker, verifier):
    result = save(round_, community, worker).result
    evidence_add(result=result, user=worker, data=make_jpeg(320, 240), filename="a.jpg")
    item_approve(result=item_submit(result=result, user=worker), user=verifier)
    outcome = items_submit_all(round_=round_, community=community, user=worker)
    assert outcome.numbers == [] and 8 not in {s.number for s in outcome.skipped}


def test_saving_never_changes_the_status(round_, community, worker, verifier):
    result = returned_item(round_, community, worker, verifier)
    assert save(round_, community, worker, values={**LIGHTS, "smart_lights": "61"}, base_revision=1).result.status \
        == "returned"
    withdrawn = item_withdraw(result=item_submit(result=result, user=worker), user=worker)
    assert withdrawn.status == "returned"  # the verifier's return still stands


def test_photo_flags_old_and_reused_pictures(round_, community, worker, demo):
    from communities.models import CommunityPage

    neighbour = CommunityPage.objects.get(code="379902001002")
    old = datetime.now(ZoneInfo("Asia/Shanghai")) - timedelta(days=400)
    picture = make_jpeg(800, 600, taken_at=old, pattern_seed=7)
    first = evidence_add(result=save(round_, community, worker).result, user=worker, data=picture, filename="a.jpg")
    assert first.flag_old and not first.flag_duplicate
    other = answer_save(round_=round_, community=neighbour, item_number=8, user=worker, values=LIGHTS).result
    same = evidence_add(result=other, user=worker, data=picture, filename="copy.jpg")
    assert same.flag_duplicate and same.duplicate_of[0]["community"] == community.code
    assert same.duplicate_of[0]["kind"] == "same_file"
    similar = evidence_add(result=other, user=worker, data=reencoded(picture))
    assert similar.flag_duplicate and similar.duplicate_of[0]["kind"] == "similar"
    different = evidence_add(result=other, user=worker, data=make_jpeg(640, 480, pattern_seed=99))
    assert not different.flag_duplicate


def test_photo_upload_is_idempotent_and_removal_is_kept_on_record(round_, community, worker):
    result = save(round_, community, worker).result
    client_id = uuid.uuid4()
    photo = evidence_add(result=result, user=worker, data=make_jpeg(320, 240), client_id=client_id)
    assert evidence_add(result=result, user=worker, data=make_jpeg(320, 240), client_id=client_id).pk == photo.pk
    evidence_remove(evidence=photo, user=worker)
    result.refresh_from_db()
    assert not result.rules_pass and Evidence.objects.filter(pk=photo.pk, removed_at__isnull=False).exists()
    actions = list(ChecklistLogEntry.objects.values_list("action", flat=True))
    assert actions == ["checklists.saved", "checklists.photo_added", "checklists.photo_removed"]


def test_a_broken_photo_changes_nothing(round_, community, worker):
    result = save(round_, community, worker).result
    with pytest.raises(PhotoError) as raised:
        evidence_add(result=result, user=worker, data=make_jpeg(320, 240)[:500])
    assert raised.value.code == "truncated" and not Evidence.objects.exists()


def test_near_duplicates_are_found_whichever_quarter_of_the_hash_differs(round_, community, worker, demo):
    from checklists.evidence import duplicates_of
    from checklists.photos import process_photo
    from communities.models import CommunityPage

    photo = process_photo(make_jpeg(320, 240, pattern_seed=3))
    neighbour = CommunityPage.objects.get(code="379902001002")
    other = answer_save(round_=round_, community=neighbour, item_number=8, user=worker, values=LIGHTS).result
    for position in (0, 5, 10, 15):  # flip one bit in each quarter in turn
        flipped = list(photo.phash)
        flipped[position] = format(int(flipped[position], 16) ^ 1, "x")
        Evidence.objects.create(
            result=other, original="x.jpg", sha256=f"{position:064d}", phash="".join(flipped), size=1,
            format="JPEG", width=1, height=1,
        )
    own = save(round_, community, worker).result
    found = duplicates_of(photo, own)
    assert len(found) == 4 and {f["kind"] for f in found} == {"similar"}
    far = "".join(format(int(c, 16) ^ 0xF, "x") for c in photo.phash)
    Evidence.objects.update(phash=far)
    assert duplicates_of(photo, own) == []
