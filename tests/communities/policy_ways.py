"""Each action of the permission table taken three ways: asked of the policy, done through its service, and done
over HTTP as a person would (the phone's JSON endpoints, the evidence URL, the admin's forms and buttons).

A Way knows what the action changes (`state`, None for a read), how to take it, and what success looks like over
HTTP; how a refusal looks over HTTP depends on the surface (`refused_rightly`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import yaml
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.permissions import policy_registry

from checklists import decisions, services
from checklists.actions import ChecklistAction
from checklists.selectors.mobile import evidence_action, evidence_for
from communities import policy
from communities.actions import CommunityAction
from communities.models import Assignment, Role
from communities.policy import ANYWHERE, EVERYWHERE, Action
from communities.roles import assignment_create
from coverage.actions import CoverageAction
from coverage.models import CoverageSnapshot
from coverage.rollup import coverage_for_round, report_for, snapshot_create
from coverage.selectors import coverage_scope
from review.selectors import reviewable_result
from standards.actions import StandardAction
from standards.models import Round, RoundStatus, StandardVersion
from standards.rounds import round_create, round_set_status, round_update
from standards.versions import standard_save

from .policy_world import (
    APPROVED_ITEM,
    COMPLETE_ITEM,
    DRAFT_ITEM,
    SENSITIVE_ITEM,
    SUBMITTED_ITEM,
    World,
)

# How a refused request looks, by surface: the phone's pages and JSON, the private evidence files, the review
# screens (404 for an item outside the user's scope), the rest of the admin, the coverage reports.
PAGE, JSON, FILE, REVIEW, ADMIN, EXPORT, API = "page", "json", "file", "review", "admin", "export", "api"
# The roster import (人员名册导入): a bureau reaches the screen, and a row outside its scope is a named error.
ROSTER = "roster"


@dataclass(frozen=True)
class Way:
    action: Action  # the policy's action behind this row
    surface: str
    where: Callable[[World, str], object]  # what the policy is asked about
    service: Callable  # (world, user, scope): writes raise PermissionDenied when refused; reads return reached
    request: Callable  # (world, client, scope) -> response
    succeeded: Callable  # (response, world, scope) -> bool
    state: Callable | None = None  # (world, scope) -> what the action changes; None for a read


def refused_rightly(surface: str, role: str, response, *, sees_item: bool, somewhere: bool) -> bool:
    """Whether `response` is how `surface` turns `role` away.

    `sees_item`: the user may look at the item on the review screens; `somewhere`: the user gets some part of
    the report.
    """
    status, location = response.status_code, response.get("Location", "")
    if surface == FILE:
        return status == 404  # nothing tells a stranger the photo exists
    if surface == PAGE:
        return status == 302 and location.startswith("/login/?next=") if role == "anonymous" else status == 403
    if surface == JSON:
        return status == (401 if role == "anonymous" else 403)
    if surface == API:
        return status == (200 if somewhere else 403)  # a report leaves out what is not the user's
    if role in ("anonymous", "worker"):  # neither may open the admin
        return status == 302 and location.startswith("/admin/login/")
    if surface == EXPORT:
        return status == 200
    if surface == ROSTER and somewhere:
        return status == 200 and "data-roster-errors" in response.content.decode()
    if surface == REVIEW and not sees_item:
        return status == 404  # the review screens look the item up in the user's scope first: "not yours"
    return status == 302 and location == "/admin/"  # Wagtail's answer to a PermissionDenied in the admin


def _community(world: World, scope: str):
    return world.communities[scope]


def _result_state(item: int):
    def state(world: World, scope: str):
        r = world.result(scope, item)
        return r.status, r.revision, r.values, r.return_reason, r.decided_by_id

    return state


def _redirect_to(prefix: str):
    def succeeded(response, world, scope) -> bool:
        location = response.get("Location", "")
        return response.status_code == 302 and location.startswith(prefix) and location != "/admin/"

    return succeeded


def _status(code: int):
    return lambda response, world, scope: response.status_code == code


def _json_ok(response, world, scope) -> bool:
    return response.status_code == 200 and response.json()["ok"] is True


def _lists_community(response, world, scope) -> bool:
    if response.status_code != 200 or response.get("Content-Type", "").split(";")[0] != "application/json":
        return False
    return world.code(scope) in {c["code"] for c in response.json()["communities"]}


def _phone(world, scope, path=""):
    return f"/c/{world.code(scope)}/{path}"


def _post_json(client, url, payload=None):
    return client.post(url, json.dumps(payload or {}), content_type="application/json",
                       headers={"Accept": "application/json"})


# --- the answers: save and submit (workers), approve, return and reopen (verifiers) ----------------------------


def _save(world, user, scope):
    services.answer_save(round_=world.round, community=_community(world, scope), item_number=DRAFT_ITEM, user=user,
                         values={"fiber_households": "300", "households": "337"})


def _save_request(world, client, scope):
    revision = world.result(scope, DRAFT_ITEM).revision
    return _post_json(client, _phone(world, scope, f"items/{DRAFT_ITEM}/save/"), {
        "request_id": str(uuid.uuid4()), "base_revision": revision, "round": world.round.code,
        "values": {"fiber_households": "300", "households": "337"},
    })


def _decide(name: str):
    do = {"approve": lambda r, u: decisions.item_approve(result=r, user=u),
          "return": lambda r, u: decisions.item_return(result=r, user=u, reason="照片不清晰，请重新拍摄"),
          "reopen": lambda r, u: decisions.item_reopen(result=r, user=u, reason="数据有误，请核实后重新填报")}[name]
    item = APPROVED_ITEM if name == "reopen" else SUBMITTED_ITEM
    data = {"approve": {}, "return": {"detail": "照片不清晰，请重新拍摄"}, "reopen": {"reason": "数据有误"}}[name]

    def service(world, user, scope):
        do(world.result(scope, item), user)

    def request(world, client, scope):
        return client.post(reverse(f"review:{name}", args=[world.results[scope, item]]), data)

    return Way(policy.action_named(name), REVIEW, lambda w, s: w.result(s, item), service, request,
               _redirect_to("/admin/review/"), _result_state(item))


# --- evidence and coverage: reads -----------------------------------------------------------------------------


def _evidence(item: int, action: Action) -> Way:
    def service(world, user, scope):
        # What the evidence view does: look the photo up, then ask the policy for what seeing it takes.
        photo = evidence_for(code=world.code(scope), pk=world.photos[scope, item])
        assert evidence_action(photo) == action
        return policy.may(user, evidence_action(photo), photo)

    def request(world, client, scope):
        return client.get(_phone(world, scope, f"evidence/{world.photos[scope, item]}/thumb/"))

    return Way(action, FILE, lambda w, s: w.photo(s, item), service, request, _status(200))


def _report(action: Action, surface: str, url: str, params: dict) -> Way:
    def service(world, user, scope):
        where = coverage_scope(user, action)
        if where is None:
            return False
        data = report_for(world.round, where).data if action == CoverageAction.EXPORT_COVERAGE else coverage_for_round(
            world.round, where)
        return world.code(scope) in {c["code"] for c in data["communities"]}

    def request(world, client, scope):
        return client.get(url, {"round": world.round.code, **params})

    return Way(action, surface, _community, service, request, _lists_community)


# --- the province's round, its standard, snapshots, roles ------------------------------------------------------


def _round_fields(round_: Round, **changes) -> dict:
    return {"code": round_.code, "name": round_.name, "standard": round_.standard_id, **changes}


def _round_way(service, request, succeeded, state) -> Way:
    return Way(StandardAction.MANAGE_ROUND, ADMIN, lambda w, s: w.round, service, request, succeeded, state)


def _changed_standard(world) -> dict:
    data = json.loads(json.dumps(world.standard.data))
    data["items"][8]["rules"][0]["value"] = 4
    return data


NEWCOMER = "13900000001"  # a roster's login name is the person's mobile number


def _newcomer():
    return get_user_model().objects.get_or_create(username=NEWCOMER)[0]


def _assign(world, user, scope):
    assignment_create(by=user, user=_newcomer(), role=Role.WORKER, region=_community(world, scope))


def _assign_request(world, client, scope):
    """A one-row roster through the 人员名册导入 screen: the newcomer as a worker of the community."""
    roster = f"姓名,手机号,角色,范围代码\n新来的,{NEWCOMER},社区工作人员,{world.code(scope)}\n".encode()
    return client.post(reverse("people_roster"), {"file": SimpleUploadedFile("名册.csv", roster)})


def _roster_imported(response, world, scope) -> bool:
    return response.status_code == 200 and "data-roster-summary" in response.content.decode()


def _whole_table(world, user, scope) -> bool:
    """What the 角色分配 screen asks (Wagtail's permission policy for Assignment)."""
    return policy_registry.get_by_type(Assignment).user_has_permission(user, "view")


WAYS: dict[str, Way] = {
    "view": Way(ChecklistAction.VIEW_CHECKLIST, PAGE, _community,
                lambda w, u, s: policy.may(u, ChecklistAction.VIEW_CHECKLIST, _community(w, s)),
                lambda w, c, s: c.get(_phone(w, s)), _status(200)),
    "review": Way(ChecklistAction.REVIEW, REVIEW, lambda w, s: w.result(s, SUBMITTED_ITEM),
                  lambda w, u, s: reviewable_result(u, w.results[s, SUBMITTED_ITEM]) is not None,
                  lambda w, c, s: c.get(reverse("review:inspect", args=[w.results[s, SUBMITTED_ITEM]])),
                  _status(200)),
    "save": Way(ChecklistAction.SAVE, JSON, _community, _save, _save_request, _json_ok, _result_state(DRAFT_ITEM)),
    "submit": Way(ChecklistAction.SUBMIT, JSON, lambda w, s: w.result(s, COMPLETE_ITEM),
                  lambda w, u, s: services.item_submit(result=w.result(s, COMPLETE_ITEM), user=u),
                  lambda w, c, s: _post_json(c, _phone(w, s, f"items/{COMPLETE_ITEM}/submit/")), _json_ok,
                  _result_state(COMPLETE_ITEM)),
    # A worker takes a submitted item back: the service and the phone's button are being built (issue 9's phone
    # pages); until then only the policy's answer is checked, and this Way is never driven.
    "withdraw": Way(ChecklistAction.WITHDRAW, JSON, _community, None, None, None),
    "approve": _decide("approve"),
    "return": _decide("return"),
    "reopen": _decide("reopen"),
    "evidence": _evidence(COMPLETE_ITEM, ChecklistAction.VIEW_EVIDENCE),
    "evidence_24": _evidence(SENSITIVE_ITEM, ChecklistAction.VIEW_SENSITIVE_EVIDENCE),
    "export": _report(CoverageAction.EXPORT_COVERAGE, EXPORT, "/admin/coverage/export/", {"format": "json"}),
    "api": _report(CoverageAction.COVERAGE_API, API, "/api/coverage/", {}),
    "snapshot": Way(CoverageAction.SNAPSHOT, ADMIN, lambda w, s: ANYWHERE,
                    lambda w, u, s: snapshot_create(round_=w.round, user=u, note="申报定稿"),
                    lambda w, c, s: c.post(reverse("coverage:snapshot_create") + f"?round={w.round.code}",
                                           {"note": "申报定稿"}),
                    _redirect_to("/admin/coverage/"), lambda w, s: CoverageSnapshot.objects.count()),
    "round_create": _round_way(
        lambda w, u, s: round_create(user=u, code="2027", name="2027年度", standard=w.standard),
        lambda w, c, s: c.post(reverse("rounds:add"), {"code": "2027", "name": "2027年度", "standard": w.standard.pk}),
        _redirect_to("/admin/rounds/"), lambda w, s: sorted(Round.objects.values_list("code", flat=True))),
    "round_edit": _round_way(
        lambda w, u, s: round_update(user=u, round_=w.round, code="2026", name="本市改名", standard=w.standard),
        lambda w, c, s: c.post(reverse("rounds:edit", args=[w.round.pk]), _round_fields(w.round, name="本市改名")),
        _redirect_to("/admin/rounds/"), lambda w, s: Round.objects.get(pk=w.round.pk).name),
    "round_close": _round_way(
        lambda w, u, s: round_set_status(round_=w.round, user=u, status=RoundStatus.CLOSED, reason="年度结束"),
        lambda w, c, s: c.post(reverse("rounds:close", args=[w.round.pk]), {"reason": "年度结束"}),
        _redirect_to("/admin/rounds/status/"), lambda w, s: Round.objects.get(pk=w.round.pk).status),
    "round_reopen": _round_way(
        lambda w, u, s: round_set_status(round_=w.closed_round, user=u, status=RoundStatus.OPEN, reason="补录"),
        lambda w, c, s: c.post(reverse("rounds:reopen", args=[w.closed_round.pk]), {"reason": "补录"}),
        _redirect_to("/admin/rounds/status/"), lambda w, s: Round.objects.get(pk=w.closed_round.pk).status),
    "standard_edit": Way(
        StandardAction.EDIT_STANDARD, ADMIN, lambda w, s: EVERYWHERE,
        lambda w, u, s: standard_save(_changed_standard(w), user=u, note="修订"),
        lambda w, c, s: c.post(reverse("standards:edit", args=[w.standard.pk]),
                               {"text": yaml.safe_dump(_changed_standard(w), allow_unicode=True), "note": "修订"}),
        _redirect_to("/admin/standards/"), lambda w, s: StandardVersion.objects.count()),
    "assign_roles": Way(CommunityAction.ASSIGN_ROLES, ROSTER, _community, _assign, _assign_request, _roster_imported,
                        lambda w, s: Assignment.objects.filter(user__username=NEWCOMER).count()),
    "assignments": Way(CommunityAction.MANAGE_ASSIGNMENTS, ADMIN, lambda w, s: EVERYWHERE, _whole_table,
                       lambda w, c, s: c.get(reverse("assignments:index")), _status(200)),
}
