"""Deferred originals: a photo added from the phone's display copy and the original's declared facts, the
original following later and kept only with the declared SHA-256; the facts' parsing; the flags."""

import hashlib
import io
import json
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from checklists.evidence import evidence_add, evidence_add_copy, evidence_add_original, evidence_remove
from checklists.models import ChecklistLogEntry, Evidence
from checklists.originals import MISMATCH, NO_ORIGINALS, parse_declared
from checklists.photos import PhotoError
from checklists.renditions import renditions_rebuild
from checklists.services import answer_save, item_submit
from communities.models import CommunityPage
from tests.checklists.photo_factory import make_jpeg

LIGHTS = {"smart_lights": "60", "public_lights": "100", "kwh_without_smart": "1000.1", "kwh_with_smart": "800.08"}
CST = ZoneInfo("Asia/Shanghai")


def copy_of(original: bytes, side: int = 1600) -> bytes:
    """Return what photoprep.js sends: a smaller, metadata-free JPEG of the same picture."""
    image = Image.open(io.BytesIO(original))
    image.thumbnail((side, side))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=82)
    return out.getvalue()


def facts(original: bytes, **overrides) -> dict:
    """Return the facts photoprep.js declares about an original."""
    image = Image.open(io.BytesIO(original))
    data = {"sha256": hashlib.sha256(original).hexdigest(), "size": len(original), "type": "image/jpeg",
            "width": image.width, "height": image.height, "taken_at": "2026-10-12T09:30:00+08:00",
            "gps_lat": "36.651200", "gps_lon": "117.120100", "orientation": 1, "name": "IMG_1.jpg"}
    return {**data, **overrides}


def declared(original: bytes, **overrides):
    return parse_declared(json.dumps(facts(original, **overrides)))


@pytest.fixture
def result(round_, community, worker):
    return answer_save(round_=round_, community=community, item_number=8, user=worker, values=LIGHTS).result


@pytest.fixture
def original():
    return make_jpeg(2400, 1800, pattern_seed=5, taken_at=datetime(2026, 10, 12, 9, 30, tzinfo=CST),
                     gps=("36.651200", "117.120100"))


def test_a_copy_and_declared_facts_make_a_photo_the_verifier_can_review(result, worker, original):
    copy = copy_of(original)
    photo = evidence_add_copy(result=result, user=worker, copy=copy, declared=declared(original), filename="a.jpg")
    assert not photo.original and not photo.facts_confirmed and photo.copy.read() == copy
    assert photo.sha256 == hashlib.sha256(original).hexdigest() and photo.size == len(original)
    assert (photo.width, photo.height, photo.format) == (2400, 1800, "JPEG")
    assert photo.taken_at == datetime(2026, 10, 12, 9, 30, tzinfo=CST)
    assert (photo.gps_lat, photo.gps_lon) == (Decimal("36.651200"), Decimal("117.120100"))
    assert photo.display and photo.thumbnail and photo.declared["sha256"] == photo.sha256
    result.refresh_from_db()
    assert result.complete  # the copy counts as the item's photo: the verifier can work


def test_the_original_is_kept_only_with_the_declared_hash(result, worker, original):
    photo = evidence_add_copy(result=result, user=worker, copy=copy_of(original), declared=declared(original))
    with pytest.raises(PhotoError) as refused:
        evidence_add_original(evidence=photo, user=worker, data=make_jpeg(2400, 1800, pattern_seed=6))
    assert refused.value.message == MISMATCH
    photo.refresh_from_db()
    assert not photo.original and photo.original_received_at is None
    kept = evidence_add_original(evidence=photo, user=worker, data=original)
    assert kept.original.read() == original and kept.facts_confirmed and kept.original_received_at
    assert evidence_add_original(evidence=kept, user=worker, data=original).pk == kept.pk  # a retry
    entry = ChecklistLogEntry.objects.latest("pk")
    assert entry.action == "checklists.photo_original" and entry.data["sha256"] == kept.sha256


def test_the_original_confirms_the_facts_the_phone_declared(result, worker, original):
    wrong_time = declared(original, taken_at="2026-10-13T10:00:00+08:00", gps_lat="", gps_lon="")
    photo = evidence_add_copy(result=result, user=worker, copy=copy_of(original), declared=wrong_time)
    assert photo.taken_at == datetime(2026, 10, 13, 10, 0, tzinfo=CST) and photo.gps_lat is None
    photo = evidence_add_original(evidence=photo, user=worker, data=original)
    assert photo.taken_at == datetime(2026, 10, 12, 9, 30, tzinfo=CST)  # the server's own reading wins
    assert photo.gps_lat == Decimal("36.651200") and photo.declared["taken_at"] == "2026-10-13T10:00:00+08:00"


def test_originals_follow_even_after_submission(result, worker, original):
    photo = evidence_add_copy(result=result, user=worker, copy=copy_of(original), declared=declared(original))
    item_submit(result=result, user=worker)
    assert evidence_add_original(evidence=photo, user=worker, data=original).facts_confirmed


def test_a_deployment_that_takes_no_originals_refuses_them(result, worker, original, settings):
    settings.EVIDENCE_ORIGINALS = "never"
    photo = evidence_add_copy(result=result, user=worker, copy=copy_of(original), declared=declared(original))
    with pytest.raises(PhotoError) as refused:
        evidence_add_original(evidence=photo, user=worker, data=original)
    assert refused.value.message == NO_ORIGINALS and not Evidence.objects.get(pk=photo.pk).original


def test_a_removed_photo_takes_no_original(result, worker, original):
    photo = evidence_add_copy(result=result, user=worker, copy=copy_of(original), declared=declared(original))
    evidence_remove(evidence=photo, user=worker)
    with pytest.raises(PhotoError, match="已被移除"):
        evidence_add_original(evidence=photo, user=worker, data=original)


def test_old_and_duplicate_flags_use_the_declared_facts(round_, community, worker, original, demo):
    old = (datetime.now(CST) - timedelta(days=400)).isoformat(timespec="seconds")
    result = answer_save(round_=round_, community=community, item_number=8, user=worker, values=LIGHTS).result
    first = evidence_add_copy(result=result, user=worker, copy=copy_of(original),
                              declared=declared(original, taken_at=old))
    assert first.flag_old and not first.flag_duplicate
    neighbour = CommunityPage.objects.get(code="379902001002")
    other = answer_save(round_=round_, community=neighbour, item_number=8, user=worker, values=LIGHTS).result
    # The same original sent whole in another community: the same SHA-256 as the one declared.
    same = evidence_add(result=other, user=worker, data=original)
    assert same.flag_duplicate and same.duplicate_of[0]["kind"] == "same_file"
    # Another phone's copy of the same picture (other bytes, other hash): found by the perceptual hash.
    similar = evidence_add_copy(result=other, user=worker, copy=copy_of(original, 1800),
                                declared=declared(original, sha256="f" * 64))
    assert similar.flag_duplicate and {d["kind"] for d in similar.duplicate_of} == {"similar"}


def test_a_copy_must_be_a_display_sized_jpeg(result, worker, original):
    with pytest.raises(PhotoError, match="2048"):
        evidence_add_copy(result=result, user=worker, copy=copy_of(original, 2400), declared=declared(original))
    with pytest.raises(PhotoError) as refused:
        evidence_add_copy(result=result, user=worker, copy=b"not a picture", declared=declared(original))
    assert refused.value.code == "not_image" and not Evidence.objects.exists()


def test_renditions_of_a_photo_without_its_original_come_from_the_copy(result, worker, original):
    photo = evidence_add_copy(result=result, user=worker, copy=copy_of(original), declared=declared(original))
    before = photo.display.name
    assert renditions_rebuild(photo).display.name != before


@pytest.mark.parametrize("change,message", [
    ({"sha256": "abc"}, "sha256"),
    ({"size": 0}, "size"),
    ({"size": True}, "size"),
    ({"size": 30 * 1024 * 1024}, "照片超过20MB"),
    ({"type": "image/gif"}, "不支持这种图片格式"),
    ({"width": 10000, "height": 10000}, "图片像素过大"),
    ({"width": 100, "height": None}, "width/height"),
    ({"taken_at": "2026-10-12 09:30"}, "taken_at"),
    ({"taken_at": "yesterday"}, "taken_at"),
    ({"gps_lat": "91.0"}, "gps"),
    ({"gps_lat": "36.1234567"}, "gps"),
    ({"gps_lon": None}, "gps"),
])
def test_malformed_declarations_are_refused_in_chinese(change, message):
    raw = facts(make_jpeg(64, 48), **change)
    with pytest.raises(PhotoError) as refused:
        parse_declared(json.dumps(raw))
    assert message in refused.value.message


def test_declarations_that_are_not_json_objects_are_refused():
    for raw in ("{", "[]", "x" * 5000):
        with pytest.raises(PhotoError, match="照片信息格式有误"):
            parse_declared(raw)


def test_a_phone_without_a_fix_declares_no_position():
    parsed = parse_declared(json.dumps(facts(make_jpeg(64, 48), gps_lat="0.000000", gps_lon="0.000000",
                                             taken_at=None, width=None, height=None)))
    assert parsed.gps is None and parsed.taken_at is None and parsed.width is None
