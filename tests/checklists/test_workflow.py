"""The item workflow through the services: every transition, allowed or forbidden, and who may make it."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from checklists import decisions, services
from checklists.actions import ChecklistAction
from checklists.evidence import evidence_add
from checklists.models import ChecklistLogEntry, Evidence, ItemResult, Status
from checklists.workflow import AFTER_RETURN, PAST, TRANSITIONS, TransitionError, possible_actions
from communities.models import ProvincePage, Role, UnitPage
from standards.models import RoundStatus
from standards.rounds import round_set_status
from tests.checklists.photo_factory import make_jpeg

# The workflow as the issues state it, written out independently of checklists.workflow:
# draft -> submitted -> approved | returned -> (edited) -> submitted ...; approved is locked until reopened;
# saving never changes the status, and a submitted item is read-only until the worker withdraws it.
ALLOWED = {
    ("saved", "draft"): "draft",
    ("saved", "returned"): "returned",  # stays returned (reason kept on top) until resubmitted
    ("submitted", "draft"): "submitted",
    ("submitted", "returned"): "submitted",
    ("withdrawn", "submitted"): "draft",  # back to returned instead when its return still stands (below)
    ("approved", "submitted"): "approved",
    ("returned", "submitted"): "returned",
    ("reopened", "approved"): "returned",
}
WHO = {
    "saved": {"worker", "admin"},
    "submitted": {"worker", "admin"},
    "withdrawn": {"worker", "admin"},
    "approved": {"verifier_of_unit", "admin"},
    "returned": {"verifier_of_unit", "admin"},
    "reopened": {"verifier_of_unit", "admin"},
}
ACTIONS = list(WHO)
ACTORS = ["worker", "verifier_of_unit", "verifier_of_other_unit", "bureau", "admin", "anonymous"]
ITEM = 2  # 无线网络: one required yes/no field, so a complete answer is small
VALUES = {"wireless_on_demand": True}


@pytest.fixture
def people(demo, make_user):
    users = get_user_model().objects
    return {
        "worker": users.get(username="worker"),
        "verifier_of_unit": users.get(username="verifier"),
        "verifier_of_other_unit": make_user("county-verifier", Role.VERIFIER, UnitPage.objects.get(code="379921")),
        "bureau": users.get(username="bureau"),
        "province_bureau": make_user("province-bureau", Role.BUREAU, ProvincePage.objects.get()),
        "admin": users.get(username="admin"),
        "anonymous": AnonymousUser(),
    }


def result_in(round_, community, status: str) -> ItemResult:
    """Return a complete, photographed answer to item 2 sitting in `status` (built directly, not via services)."""
    ItemResult.objects.filter(round=round_, community=community, item_number=ITEM).delete()
    result = ItemResult.objects.create(
        round=round_, community=community, item_number=ITEM, values=VALUES, status=status, complete=True,
        rules_pass=True,
    )
    Evidence.objects.create(result=result, original="x.jpg", sha256="0" * 64, size=1, format="JPEG", width=1, height=1)
    return result


def perform(action: str, result: ItemResult, user, reason: str = "照片不清晰") -> ItemResult:
    """Take `action` on the result through the service a screen would call."""
    if action == "saved":
        return services.answer_save(
            round_=result.round, community=result.community, item_number=ITEM, user=user, values=VALUES
        ).result
    if action == "submitted":
        return services.item_submit(result=result, user=user)
    if action == "withdrawn":
        return services.item_withdraw(result=result, user=user)
    if action == "approved":
        return decisions.item_approve(result=result, user=user)
    if action == "returned":
        return decisions.item_return(result=result, user=user, reason=reason)
    return decisions.item_reopen(result=result, user=user, reason=reason)


def test_the_transition_table_is_the_one_under_test():
    assert {(PAST[action], status): new for (action, status), new in TRANSITIONS.items()} == ALLOWED
    assert {(PAST[action], status): new for (action, status), new in AFTER_RETURN.items()} == {
        ("withdrawn", "submitted"): "returned",
    }


def check(round_, community, user, actor: str, action: str, status: str) -> None:
    """Take `action` as `actor` on an item in `status` and check the outcome against ALLOWED and WHO."""
    result = result_in(round_, community, status)
    logged = ChecklistLogEntry.objects.count()
    target = ALLOWED.get((action, status))
    if actor not in WHO[action]:
        with pytest.raises(PermissionDenied):
            perform(action, result, user)
    elif action == "submitted" and status == Status.SUBMITTED:
        perform(action, result, user)  # a double tap is a no-op, not an error
    elif target is None:
        with pytest.raises(TransitionError):
            perform(action, result, user)
    else:
        perform(action, result, user)
        result.refresh_from_db()
        assert result.status == target
        entry = ChecklistLogEntry.objects.latest("pk")
        assert (entry.action, entry.from_status, entry.to_status, entry.user_id) == (
            f"checklists.{action}", status, target, user.pk
        )
        assert ChecklistLogEntry.objects.count() == logged + 1
        return
    result.refresh_from_db()
    assert result.status == status
    assert ChecklistLogEntry.objects.count() == logged


# One test per actor (the demo region costs a second to build); each runs every action on every status.
@pytest.mark.parametrize("actor", ACTORS)
def test_every_transition_for_every_actor(round_, community, people, actor):
    for action in ACTIONS:
        for status in Status.values:
            try:
                check(round_, community, people[actor], actor, action, status)
            except AssertionError as exc:
                raise AssertionError(f"{actor} {action} on {status}: {exc}") from exc


def test_a_worker_of_another_community_may_not_touch_it(round_, other_unit_community, people):
    for action in ("saved", "submitted"):
        with pytest.raises(PermissionDenied):
            perform(action, result_in(round_, other_unit_community, Status.DRAFT), people["worker"])


def test_the_other_units_verifier_decides_only_there(round_, other_unit_community, people):
    result = result_in(round_, other_unit_community, Status.SUBMITTED)
    perform("approved", result, people["verifier_of_other_unit"])
    result.refresh_from_db()
    assert result.status == Status.APPROVED


@pytest.mark.parametrize("action", ["returned", "reopened"])
def test_returning_and_reopening_need_a_reason(round_, community, people, action):
    status = Status.SUBMITTED if action == "returned" else Status.APPROVED
    result = result_in(round_, community, status)
    with pytest.raises(TransitionError, match="理由"):
        perform(action, result, people["verifier_of_unit"], reason="   ")
    result.refresh_from_db()
    assert result.status == status and result.return_reason == ""


def test_the_reason_reaches_the_item_and_the_trail(round_, community, people):
    result = perform("returned", result_in(round_, community, Status.SUBMITTED), people["verifier_of_unit"])
    assert result.return_reason == "照片不清晰"
    assert ChecklistLogEntry.objects.latest("pk").reason == "照片不清晰"
    resubmitted = perform("submitted", result, people["worker"])
    approved = perform("approved", resubmitted, people["verifier_of_unit"])
    assert approved.return_reason == "" and approved.passes


def test_an_approved_item_is_locked_for_photos_too(round_, community, people):
    result = result_in(round_, community, Status.APPROVED)
    with pytest.raises(TransitionError, match="锁定"):
        evidence_add(result=result, user=people["worker"], data=make_jpeg(320, 240))
    assert result.photos.count() == 1


def test_a_closed_round_refuses_everything(round_, community, people):
    round_set_status(round_=round_, user=people["province_bureau"], status=RoundStatus.CLOSED)
    for action in ACTIONS:
        actor = next(iter(WHO[action] - {"admin"}))
        for user, status in itertools.product((people[actor], people["admin"]), Status.values):
            result = result_in(round_, community, status)
            logged = ChecklistLogEntry.objects.count()
            if action == "submitted" and status == Status.SUBMITTED:
                perform(action, result, user)  # already submitted: nothing to refuse, nothing changes
            else:
                with pytest.raises(TransitionError, match="本轮核查已关闭"):
                    perform(action, result, user)
            result.refresh_from_db()
            assert result.status == status and ChecklistLogEntry.objects.count() == logged, (action, status)


def test_a_closed_round_refuses_photos(round_, community, people):
    result = result_in(round_, community, Status.DRAFT)
    round_set_status(round_=round_, user=people["admin"], status=RoundStatus.CLOSED)
    with pytest.raises(TransitionError, match="本轮核查已关闭"):
        evidence_add(result=result, user=people["worker"], data=make_jpeg(320, 240))


@pytest.mark.parametrize(
    "actor,may", [("province_bureau", True), ("admin", True), ("bureau", False), ("verifier_of_unit", False),
                  ("worker", False), ("anonymous", False)],
)
def test_who_may_close_and_reopen_a_round(round_, people, actor, may):
    if not may:
        with pytest.raises(PermissionDenied):
            round_set_status(round_=round_, user=people[actor], status=RoundStatus.CLOSED)
        round_.refresh_from_db()
        assert round_.is_open
        return
    closed = round_set_status(round_=round_, user=people[actor], status=RoundStatus.CLOSED, reason="年终")
    assert not closed.is_open and closed.closed_at
    reopened = round_set_status(round_=round_, user=people[actor], status=RoundStatus.OPEN, reason="补录")
    assert reopened.is_open and reopened.closed_at is None


def test_saving_a_submitted_item_says_to_withdraw_first(round_, community, people):
    result = result_in(round_, community, Status.SUBMITTED)
    with pytest.raises(TransitionError, match="撤回修改"):
        perform("saved", result, people["worker"])
    with pytest.raises(TransitionError, match="撤回修改"):
        evidence_add(result=result, user=people["worker"], data=make_jpeg(320, 240))
    result.refresh_from_db()
    assert result.status == Status.SUBMITTED and result.photos.count() == 1


def test_withdrawing_a_resubmitted_return_puts_it_back_with_its_reason(round_, community, people):
    result = perform("returned", result_in(round_, community, Status.SUBMITTED), people["verifier_of_unit"])
    result = perform("submitted", result, people["worker"])
    withdrawn = perform("withdrawn", result, people["worker"])
    assert (withdrawn.status, withdrawn.return_reason, withdrawn.submitted_at) == ("returned", "照片不清晰", None)
    entry = ChecklistLogEntry.objects.latest("pk")
    assert (entry.action, entry.from_status, entry.to_status, entry.reason) == (
        "checklists.withdrawn", "submitted", "returned", "照片不清晰")
    # Once a verifier approves, the return no longer stands: a reopened-then-approved item withdraws to draft.
    approved = perform("approved", perform("submitted", withdrawn, people["worker"]), people["verifier_of_unit"])
    assert approved.return_reason == ""


def test_buttons_follow_the_table():
    A = ChecklistAction
    assert possible_actions(Status.SUBMITTED) == [A.WITHDRAW, A.APPROVE, A.RETURN]
    assert possible_actions(Status.APPROVED) == [ChecklistAction.REOPEN]
    assert possible_actions(Status.RETURNED) == [ChecklistAction.SAVE, ChecklistAction.SUBMIT]
    assert possible_actions(Status.SUBMITTED, round_open=False) == []
