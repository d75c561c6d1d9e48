"""The load test's after-check: it finds nothing wrong with real saves, and does find lost or doubled ones; a
changed payload resent under a used id is refused and leaves the first standing."""

import uuid

import pytest
from django.utils import timezone

from bench.loadtest.verify import check
from checklists.evidence import EvidenceConflict, evidence_add
from checklists.models import SaveReceipt
from checklists.services import RequestReused, answer_save, result_for
from communities.models import Role
from tests.checklists.photo_factory import make_jpeg

VALUES = [{"households": 500, "fiber_households": 500, "multi_carrier_access": True}, {"households": 600}]


def saved(round_, community, user, values, request_id=None):
    request_id = request_id or uuid.uuid4()
    outcome = answer_save(round_=round_, community=community, item_number=1, user=user, values=values,
                          request_id=request_id)
    # Like the JSON endpoint, a replay reports the revision its first application produced.
    revision = SaveReceipt.objects.get(request_id=request_id).revision
    return {"type": "resend" if outcome.replayed else "save", "request_id": str(request_id),
            "community": community.code, "item": 1, "revision": revision, "values": values,
            "replayed": outcome.replayed}


def test_sound_run_has_no_problems_and_faults_are_found(round_, community, make_user):
    worker = make_user("verify-worker", Role.WORKER, community)
    since = timezone.now()
    acks = [saved(round_, community, worker, values) for values in VALUES]
    first = acks[0]
    acks.append(saved(round_, community, worker, VALUES[0], request_id=uuid.UUID(first["request_id"])))
    client_id = uuid.uuid4()
    photo = evidence_add(result=result_for(round_=round_, community=community, item_number=1), user=worker,
                         data=make_jpeg(640, 480), client_id=client_id)
    again = evidence_add(result=photo.result, user=worker, data=make_jpeg(640, 480), client_id=client_id)
    acks += [{"type": "photo", "client_id": str(client_id), "community": community.code, "item": 1,
              "evidence": photo.pk},
             {"type": "photo_resend", "client_id": str(client_id), "community": community.code, "item": 1,
              "evidence": again.pk}]
    starts = {(community.code, 1): 0}
    report = check(acks, round_code=round_.code, since=since, starts=starts)
    assert report["acknowledged_saves"] == 2 and report["resent_saves"] == 1 and report["acknowledged_photos"] == 1
    assert {k: v for k, v in report.items() if v and not k.startswith(("acknowledged", "resent"))} == {}

    lost = {**first, "request_id": str(uuid.uuid4())}
    doubled = {**acks[1], "request_id": acks[1]["request_id"]}
    ghost = {"type": "photo", "client_id": str(uuid.uuid4()), "community": community.code, "item": 1, "evidence": 0}
    faulty = check([*acks, lost, doubled, ghost], round_code=round_.code, since=since, starts=starts)
    assert faulty["lost_saves"] == 1 and faulty["duplicate_revisions"] >= 1 and faulty["lost_photos"] == 1


def test_changed_content_under_a_used_id_is_refused_and_counted(round_, community, make_user):
    """The load test's "(changed, same id)" cases: the server answers 409 and the first write stands."""
    worker = make_user("conflict-worker", Role.WORKER, community)
    since = timezone.now()
    first = saved(round_, community, worker, VALUES[0])
    with pytest.raises(RequestReused):
        answer_save(round_=round_, community=community, item_number=1, user=worker, values=VALUES[1],
                    request_id=uuid.UUID(first["request_id"]))
    client_id = uuid.uuid4()
    photo = evidence_add(result=result_for(round_=round_, community=community, item_number=1), user=worker,
                         data=make_jpeg(640, 480), client_id=client_id)
    with pytest.raises(EvidenceConflict):
        evidence_add(result=photo.result, user=worker, data=make_jpeg(640, 480, pattern_seed=3), client_id=client_id)
    acks = [first, {"type": "save_conflict", "request_id": first["request_id"], "community": community.code,
                    "item": 1, "revision": first["revision"]},
            {"type": "photo", "client_id": str(client_id), "community": community.code, "item": 1,
             "evidence": photo.pk},
            {"type": "photo_conflict", "client_id": str(client_id), "community": community.code, "item": 1,
             "evidence": photo.pk}]
    report = check(acks, round_code=round_.code, since=since, starts={(community.code, 1): 0})
    assert report["conflicts_refused"] == 2 and report["conflicts_applied"] == 0
    assert {k: v for k, v in report.items() if v and not k.startswith(("acknowledged", "resent", "conflicts_"))} == {}
    wrong = [*acks[:2], {**acks[3], "evidence": photo.pk + 1}, {**acks[1], "revision": first["revision"] + 1}]
    assert check(wrong, round_code=round_.code, since=since, starts={(community.code, 1): 0})["conflicts_applied"] == 2
