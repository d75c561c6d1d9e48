"""District review in the Wagtail admin: the queue, one item with its evidence and history, and the decisions.

Every view looks its object up through review.selectors, so a verifier of another unit gets a 404 on a direct
URL, not just a shorter listing; the decision services then ask the policy (a bureau in scope may look, but
any decision is refused with PermissionDenied).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView

from checklists import audit, decisions, services
from checklists.actions import ChecklistAction
from checklists.models import Evidence, ItemResult, Status
from checklists.originals import original_pending
from checklists.workflow import TransitionError, possible_actions
from communities import policy
from communities.models import CommunityPage
from communities.policy import Action
from smartsite.spreadsheet import SafeSpreadsheetExportMixin
from standards.evaluation import clean_values, with_labels
from standards.models import Round, StandardVersion

from . import selectors
from .forms import DEFAULT_STATUS, STATUS_CHOICES, ReopenForm, ReturnForm


def evidence_url(code: str, evidence: Evidence, variant: str = "display") -> str:
    """Return the address of one rendition (thumb, display, original) of a photo, served by the mobile app.

    That view checks again who is asking, so a copied link shows nothing to anyone else.
    """
    return reverse("mobile:evidence", args=[code, evidence.pk, variant])


def photos_action(item: dict) -> Action:
    """Return what seeing this item's photos takes: the same rule the evidence view applies."""
    return ChecklistAction.VIEW_SENSITIVE_EVIDENCE if item.get("sensitive") else ChecklistAction.VIEW_EVIDENCE


# --- the queue ----------------------------------------------------------------------------------------


class FlagsColumn(Column):
    """The problems a verifier should look at first, as short tags."""

    cell_template_name = "review/flags_cell.html"

    def get_value(self, instance):
        flags = []
        if getattr(instance, "has_old_photo", False):
            flags.append(_("旧照片"))
        if getattr(instance, "has_duplicate_photo", False):
            flags.append(_("重复照片"))
        if not instance.rules_pass:
            flags.append(_("未达标"))
        if not getattr(instance, "photo_count", 0):
            flags.append(_("无照片"))
        return flags


class StatusColumn(Column):
    """The item's status as a badge whose colour differs by status and which always carries the status's text."""

    cell_template_name = "review/status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["status"] = instance.status
        return context


@dataclass(frozen=True)
class StatusTab:
    label: str
    url: str
    current: bool


def status_tabs(query, path: str) -> list[StatusTab]:
    """Return one link per status filter, keeping the other filters (and dropping the page number)."""
    chosen = query.get("status") or DEFAULT_STATUS
    tabs = []
    for value, label in STATUS_CHOICES:
        params = query.copy()
        params.pop("p", None)
        params["status"] = value
        tabs.append(StatusTab(str(label), f"{path}?{params.urlencode()}", value == chosen))
    return tabs


def _item_name(result: ItemResult) -> str:
    try:
        return f"{result.item_number}. {result.round.standard.item(result.item_number)['name']}"
    except StopIteration:
        return str(result.item_number)


def _item_names() -> dict[tuple[int, int], str]:
    """Return "n. name" for every item of every standard version, keyed by (version id, item number)."""
    return {
        (version.pk, item["number"]): f"{item['number']}. {item['name']}"
        for version in StandardVersion.objects.filter(round__isnull=False).distinct()
        for item in version.items
    }


def _local_time(value):
    """Show export times in local time (Asia/Shanghai), as people read them, not UTC."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


class ReviewIndexView(SafeSpreadsheetExportMixin, IndexView):
    page_title = gettext_lazy("审核队列")
    any_permission_required = ["view"]
    results_template_name = "review/index_results.html"
    custom_field_preprocess = {"submitted_at": {"csv": _local_time, "xlsx": _local_time}}

    def get_base_queryset(self):
        return selectors.open_work(self.request.user)

    @cached_property
    def item_names(self) -> dict[tuple[int, int], str]:
        # Names come from the few standard versions, not from each row (a version's JSON is large).
        return _item_names()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_tabs"] = status_tabs(self.request.GET, reverse("review:index"))
        return context

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "community", label=_("社区"), accessor=lambda r: f"{r.community.title}（{r.community.code}）",
                get_url=lambda r: reverse(self.inspect_url_name, args=[r.pk]), sort_key="community__code",
            ),
            Column("street", label=_("街道/乡镇"), accessor=lambda r: getattr(r.community.street, "title", "")),
            Column("item", label=_("指标"), sort_key="item_number",
                   accessor=lambda r: self.item_names.get((r.round.standard_id, r.item_number), r.item_number)),
            StatusColumn("status", label=_("状态"), accessor="get_status_display", sort_key="status"),
            FlagsColumn("flags", label=_("问题")),
            DateColumn("submitted_at", label=_("提交时间"), sort_key="submitted_at"),
            Column("round", label=_("轮次"), accessor="round.code"),
        ]


# --- one item -------------------------------------------------------------------------------------------


def field_rows(item: dict, values: dict, not_applicable: dict) -> list[dict]:
    """Return each field of the item with the entered value as a verifier reads it."""
    cleaned, _problems = clean_values(item, values)
    rows = []
    for field in item["fields"]:
        key, value, marks = field["key"], cleaned.get(field["key"]), []
        if field["kind"] == "choices":
            labels = {o["key"]: o["label"] for o in field.get("options", [])}
            shown = "、".join(labels.get(k, k) for k in value or []) or _("未选")
            marks = [(labels.get(k, k), note) for k, note in (not_applicable.get(key) or {}).items()]
        elif field["kind"] == "bool":
            shown = {True: _("是"), False: _("否")}.get(value, _("未填"))
        elif value is None:
            shown = (_("%(value)s（格式有误）") % {"value": values[key]} if values.get(key) not in (None, "")
                     else _("未填"))
        else:
            shown = str(value)
        rows.append({"label": field["label"], "value": shown, "not_applicable": marks, "empty": value in (None, [])})
    return rows


def history_rows(result: ItemResult) -> list[dict]:
    """Return the item's audit entries, oldest first, with Chinese labels for actions and statuses."""
    labels = dict(Status.choices)
    return [
        # The name, not the login: a roster's login is the person's mobile number, which verifiers may not see.
        {"at": e.timestamp, "user": (e.user.get_full_name() or e.user.get_username()) if e.user else "", "via": e.via,
         "reason": e.reason,
         "action": audit.ACTIONS.get(e.action.removeprefix(audit.PREFIX), e.action),
         "from": labels.get(e.from_status, e.from_status), "to": labels.get(e.to_status, e.to_status)}
        for e in selectors.result_history(result)
    ]


@dataclass(frozen=True)
class PhotoRow:
    photo: Evidence
    thumb: str
    display: str
    duplicates: list[selectors.DuplicateSource]
    original_pending: bool  # the phone sent a small copy; the original is still to come


def photo_rows(user, code: str, photos: list[Evidence]) -> list[PhotoRow]:
    sources = selectors.duplicate_sources(user, photos)
    return [PhotoRow(p, evidence_url(code, p, "thumb"), evidence_url(code, p, "display"), sources[p.pk],
                     original_pending(bool(p.original))) for p in photos]


class ReviewDetailView(InspectView):
    page_title = gettext_lazy("审核")
    any_permission_required = ["view"]
    template_name = "review/detail.html"

    def get_object(self, queryset=None):
        result = selectors.reviewable_result(self.request.user, self.pk)
        if result is None:
            raise Http404(_("没有找到该指标，或您无权查看"))
        return result

    def get_page_subtitle(self):
        return f"{self.object.community.title} · {_item_name(self.object)}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result, user = self.object, self.request.user
        item, code = result.round.standard.item(result.item_number), result.community.code
        actions = [a for a in possible_actions(result.status, round_open=result.round.is_open)
                   if policy.may(user, a, result)]
        can_decide = policy.may(user, ChecklistAction.APPROVE, result)
        evaluation = with_labels(services.readable_evaluation(result))
        context.update(
            result=result, item=item, rows=field_rows(item, result.values, result.not_applicable),
            evaluation=evaluation, verdict_label=evaluation["verdict_label"],
            photos_visible=policy.may(user, photos_action(item), result),
            photos=photo_rows(user, code, list(selectors.live_photos(result))),
            history=history_rows(result), can_decide=can_decide,
            can_approve=ChecklistAction.APPROVE in actions, can_return=ChecklistAction.RETURN in actions,
            can_reopen=ChecklistAction.REOPEN in actions,
            return_form=ReturnForm(), reopen_form=ReopenForm(),
            waiting_in_community=(
                selectors.submitted_in_community(result.round, result.community).count()
                if can_decide and result.round.is_open else 0
            ),
            approve_url=reverse("review:approve", args=[result.pk]),
            return_url=reverse("review:return", args=[result.pk]),
            reopen_url=reverse("review:reopen", args=[result.pk]),
            approve_all_url=reverse("review:approve_all", args=[result.round_id, result.community_id]),
        )
        return context


# --- decisions ------------------------------------------------------------------------------------------


class DecisionView(View):
    """POST only: look the item up in the user's scope (404 otherwise), then let the service decide."""

    http_method_names = ["post"]

    def post(self, request, pk):
        result = selectors.reviewable_result(request.user, pk)
        if result is None:
            raise Http404(_("没有找到该指标，或您无权查看"))
        try:
            done = self.decide(request, result)
        except TransitionError as exc:
            messages.error(request, exc.message)
            return redirect("review:inspect", pk)
        if done is None:
            return redirect("review:inspect", pk)
        return self.next_page(request, result)

    def decide(self, request, result: ItemResult) -> ItemResult | None:
        raise NotImplementedError

    def next_page(self, request, result: ItemResult):
        """Go on to the next item of the same community waiting for a decision, else back to the queue."""
        following = selectors.submitted_in_community(result.round, result.community).order_by("item_number").first()
        if following:
            return redirect("review:inspect", following.pk)
        return redirect(reverse("review:index") + "?status=submitted")


class ApproveView(DecisionView):
    def decide(self, request, result):
        result = decisions.item_approve(result=result, user=request.user)
        messages.success(request, _("已通过：%(result)s") % {"result": result})
        return result


class ReturnView(DecisionView):
    def decide(self, request, result):
        form = ReturnForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(form.non_field_errors()) or _("请填写退回理由"))
            return None
        result = decisions.item_return(result=result, user=request.user, reason=form.reason)
        messages.success(request, _("已退回：%(result)s（%(reason)s）") % {"result": result, "reason": form.reason})
        return result


class ReopenView(DecisionView):
    def decide(self, request, result):
        form = ReopenForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("重新打开必须填写理由"))
            return None
        result = decisions.item_reopen(result=result, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("已重新打开：%(result)s，社区工作人员可以修改") % {"result": result})
        return result

    def next_page(self, request, result):
        return redirect("review:inspect", result.pk)


class ApproveAllView(View):
    """Approve every submitted item of one community in a round."""

    http_method_names = ["post"]

    def post(self, request, round_pk, community_pk):
        in_scope = policy.in_scope(request.user, ChecklistAction.REVIEW, CommunityPage.objects.all())
        community = get_object_or_404(in_scope, pk=community_pk)
        round_ = get_object_or_404(Round, pk=round_pk)
        try:
            approved = decisions.items_approve_all(round_=round_, community=community, user=request.user)
        except TransitionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(community)s：已通过 %(n)s 项") % {"community": community.title,
                                                                           "n": len(approved)})
        return redirect(reverse("review:index") + f"?round={round_.pk}&community={community.code}&status=all")
