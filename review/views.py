"""District review in the Wagtail admin: the queue, one item with its evidence and history, and the decisions.

Every view looks its object up through checklists.selectors.review, so a verifier of another unit gets
a 404 on a direct URL, not just a shorter listing; the services then check the verifier role itself
(a bureau in scope may look, but any decision is refused with PermissionDenied).
"""

from __future__ import annotations

import operator
from functools import reduce

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView, WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from checklists import audit, services
from checklists.models import Evidence, ItemResult, Status
from checklists.selectors.mobile import may_see_sensitive, may_view_checklist
from checklists.workflow import Action, TransitionError, allowed_actions
from communities.models import CommunityPage, Role, StreetPage, UnitPage
from communities.selectors import communities_for, is_admin, may_access_community, pages_in_scope, roles_of, units_for
from standards.evaluation import clean_values
from standards.models import Round, RoundStatus, StandardVersion

from . import selectors

# 常用理由: the reasons verifiers pick most; a deployment can replace the list with the
# CHECKLIST_RETURN_REASONS setting without a code change.
COMMON_REASONS = [
    "照片不清晰，请重新拍摄",
    "照片与指标内容不符",
    "照片拍摄时间早于本轮核查",
    "照片与其他社区重复",
    "填报数据与照片不一致",
    "数据有误，请核实后重新填报",
    "缺少必要的佐证照片",
    "“本社区无此设施”的说明不充分",
]
VERDICT_LABELS = {"pass": "达标", "fail": "未达标", "incomplete": "未填写完整", "invalid": "数据有误"}


def common_reasons() -> list[str]:
    """Return the reasons offered when returning an item."""
    return list(getattr(settings, "CHECKLIST_RETURN_REASONS", COMMON_REASONS))


def evidence_url(code: str, evidence: Evidence, variant: str = "display") -> str:
    """Return the address of one rendition (thumb, display, original) of a photo, served by the mobile app.

    That view checks again who is asking, so a copied link shows nothing to anyone else.
    """
    return reverse("mobile:evidence", args=[code, evidence.pk, variant])


def photos_visible(user, community: CommunityPage, item: dict) -> bool:
    """Whether the user may see this item's photos: the same rule the evidence view applies."""
    if item.get("sensitive"):
        return may_see_sensitive(user, community)
    return may_view_checklist(user, community)


def may_decide(user, community: CommunityPage) -> bool:
    """Whether the user may approve or return this community's items (verifiers of its unit, admins)."""
    return is_admin(user) or may_access_community(user, community, (Role.VERIFIER,))


# --- the queue ----------------------------------------------------------------------------------------


def _units(request):
    return units_for(request.user, selectors.REVIEW_ROLES) if request else UnitPage.objects.none()


def _streets(request):
    if request is None:
        return StreetPage.objects.none()
    return pages_in_scope(request.user, StreetPage, selectors.REVIEW_ROLES).order_by("code")


def _item_choices():
    round_ = selectors.review_round()
    items = round_.standard.items if round_ else []
    return [(item["number"], f"{item['number']}. {item['name']}") for item in items]


class ReviewFilterSet(WagtailFilterSet):
    round = django_filters.ModelChoiceFilter(label="轮次", queryset=Round.objects.all(), empty_label="全部轮次")
    unit = django_filters.ModelChoiceFilter(label="区县", field_name="community__unit", queryset=_units)
    street = django_filters.ModelChoiceFilter(label="街道/乡镇", field_name="community__street", queryset=_streets)
    community = django_filters.CharFilter(label="社区（代码或名称）", method="filter_community")
    item = django_filters.TypedChoiceFilter(label="指标", field_name="item_number", choices=_item_choices, coerce=int)
    status = django_filters.ChoiceFilter(
        label="状态", choices=Status.choices, widget=forms.RadioSelect, empty_label="全部（不含草稿）"
    )
    flags = django_filters.MultipleChoiceFilter(
        label="问题标记（任一）", choices=list(selectors.FLAGS.items()), method="filter_flags",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ItemResult
        fields = []

    def filter_community(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(community__code=value) if value.isdigit() else queryset.filter(
            community__title__icontains=value
        )

    def filter_flags(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(reduce(operator.or_, (selectors.flag_condition(flag) for flag in value)))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Drafts are the worker's business until submitted; show them only when asked for.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=Status.DRAFT)
        return queryset


class FlagsColumn(Column):
    """The problems a verifier should look at first, as short tags."""

    cell_template_name = "review/flags_cell.html"

    def get_value(self, instance):
        flags = []
        if getattr(instance, "has_old_photo", False):
            flags.append("旧照片")
        if getattr(instance, "has_duplicate_photo", False):
            flags.append("重复照片")
        if not instance.rules_pass:
            flags.append("未达标")
        if not getattr(instance, "photo_count", 0):
            flags.append("无照片")
        return flags


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


class ReviewIndexView(IndexView):
    page_title = "审核队列"
    any_permission_required = ["change", "view"]
    custom_field_preprocess = {"submitted_at": {"csv": _local_time, "xlsx": _local_time}}

    def get_base_queryset(self):
        return selectors.review_queue(self.request.user)

    @cached_property
    def item_names(self) -> dict[tuple[int, int], str]:
        # Names come from the few standard versions, not from each row (a version's JSON is large).
        return _item_names()

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "community", label="社区", accessor=lambda r: f"{r.community.title}（{r.community.code}）",
                get_url=lambda r: reverse(self.inspect_url_name, args=[r.pk]), sort_key="community__code",
            ),
            Column("street", label="街道/乡镇", accessor=lambda r: getattr(r.community.street, "title", "")),
            Column("item", label="指标", sort_key="item_number",
                   accessor=lambda r: self.item_names.get((r.round.standard_id, r.item_number), r.item_number)),
            StatusTagColumn(
                "status", label="状态", accessor="get_status_display", sort_key="status",
                primary=lambda r: r.status == Status.SUBMITTED,
            ),
            FlagsColumn("flags", label="问题"),
            DateColumn("submitted_at", label="提交时间", sort_key="submitted_at"),
            Column("round", label="轮次", accessor="round.code"),
        ]


# --- one item -------------------------------------------------------------------------------------------


class ReturnForm(forms.Form):
    reasons = forms.MultipleChoiceField(label="常用理由", required=False, widget=forms.CheckboxSelectMultiple)
    detail = forms.CharField(label="补充说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].choices = [(r, r) for r in common_reasons()]

    def clean(self):
        data = super().clean()
        if not data.get("reasons") and not (data.get("detail") or "").strip():
            raise forms.ValidationError("退回必须说明理由：请勾选常用理由或填写补充说明")
        return data

    @property
    def reason(self) -> str:
        return "；".join([*self.cleaned_data["reasons"], self.cleaned_data["detail"].strip()]).strip("；")


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="重新打开的理由", widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "重新打开必须填写理由"},
    )


def field_rows(item: dict, values: dict, not_applicable: dict) -> list[dict]:
    """Return each field of the item with the entered value as a verifier reads it."""
    cleaned, _ = clean_values(item, values)
    rows = []
    for field in item["fields"]:
        key, value, marks = field["key"], cleaned.get(field["key"]), []
        if field["kind"] == "choices":
            labels = {o["key"]: o["label"] for o in field.get("options", [])}
            shown = "、".join(labels.get(k, k) for k in value or []) or "未选"
            marks = [(labels.get(k, k), note) for k, note in (not_applicable.get(key) or {}).items()]
        elif field["kind"] == "bool":
            shown = {True: "是", False: "否"}.get(value, "未填")
        elif value is None:
            shown = f"{values[key]}（格式有误）" if values.get(key) not in (None, "") else "未填"
        else:
            shown = str(value)
        rows.append({"label": field["label"], "value": shown, "not_applicable": marks, "empty": value in (None, [])})
    return rows


def history_rows(result: ItemResult) -> list[dict]:
    """Return the item's audit entries, oldest first, with Chinese labels for actions and statuses."""
    labels = dict(Status.choices)
    return [
        {"at": e.timestamp, "user": e.user.get_username() if e.user else "", "via": e.via, "reason": e.reason,
         "action": audit.ACTIONS.get(e.action.removeprefix(audit.PREFIX), e.action),
         "from": labels.get(e.from_status, e.from_status), "to": labels.get(e.to_status, e.to_status)}
        for e in selectors.result_history(result)
    ]


class ReviewDetailView(InspectView):
    page_title = "审核"
    any_permission_required = ["change", "view"]
    template_name = "review/detail.html"

    def get_object(self, queryset=None):
        result = selectors.reviewable_result(self.request.user, self.pk)
        if result is None:
            raise Http404("没有找到该指标，或您无权查看")
        return result

    def get_page_subtitle(self):
        return f"{self.object.community.title} · {_item_name(self.object)}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        result, user = self.object, self.request.user
        item, code = result.round.standard.item(result.item_number), result.community.code
        can_decide = may_decide(user, result.community)
        actions = allowed_actions(result.status, Role.VERIFIER, round_open=result.round.is_open) if can_decide else []
        evaluation = result.evaluation or services.evaluation_summary(services.evaluate(result))
        context.update(
            result=result, item=item, rows=field_rows(item, result.values, result.not_applicable),
            evaluation=evaluation, verdict_label=VERDICT_LABELS.get(evaluation.get("verdict"), ""),
            photos_visible=photos_visible(user, result.community, item),
            photos=[(p, evidence_url(code, p, "thumb"), evidence_url(code, p, "display"))
                    for p in selectors.live_photos(result)],
            history=history_rows(result), can_decide=can_decide,
            can_approve=Action.APPROVE in actions, can_return=Action.RETURN in actions,
            can_reopen=Action.REOPEN in actions,
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
            raise Http404("没有找到该指标，或您无权查看")
        if not request.user.has_perm("checklists.change_itemresult"):
            raise PermissionDenied
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
        result = services.item_approve(result=result, user=request.user)
        messages.success(request, f"已通过：{result}")
        return result


class ReturnView(DecisionView):
    def decide(self, request, result):
        form = ReturnForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(form.non_field_errors()) or "请填写退回理由")
            return None
        result = services.item_return(result=result, user=request.user, reason=form.reason)
        messages.success(request, f"已退回：{result}（{form.reason}）")
        return result


class ReopenView(DecisionView):
    def decide(self, request, result):
        form = ReopenForm(request.POST)
        if not form.is_valid():
            messages.error(request, "重新打开必须填写理由")
            return None
        result = services.item_reopen(result=result, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"已重新打开：{result}，社区工作人员可以修改")
        return result

    def next_page(self, request, result):
        return redirect("review:inspect", result.pk)


class ApproveAllView(View):
    """Approve every submitted item of one community in a round."""

    http_method_names = ["post"]

    def post(self, request, round_pk, community_pk):
        community = get_object_or_404(communities_for(request.user, selectors.REVIEW_ROLES), pk=community_pk)
        round_ = get_object_or_404(Round, pk=round_pk)
        try:
            approved = services.items_approve_all(round_=round_, community=community, user=request.user)
        except TransitionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{community.title}：已通过 {len(approved)} 项")
        return redirect(reverse("review:index") + f"?round={round_.pk}&community={community.code}")


# --- rounds and the dashboard ------------------------------------------------------------------------------


def may_manage_rounds(user) -> bool:
    """Whether the user may close or reopen rounds (bureaus and admins; the service checks it again)."""
    return is_admin(user) or user.has_perm("standards.change_round")


class RoundsView(WagtailAdminTemplateMixin, TemplateView):
    """List the rounds with their status and let a bureau close (freeze) or reopen one."""

    template_name = "review/rounds.html"
    page_title = "关闭或重新开放轮次"
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        if not may_manage_rounds(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "rounds": selectors.rounds_overview()}


class RoundStatusView(View):
    http_method_names = ["post"]

    def post(self, request, pk, status):
        round_ = get_object_or_404(Round, pk=pk)
        reason = request.POST.get("reason", "").strip()
        if status == RoundStatus.OPEN and not reason:
            messages.error(request, "重新开放轮次必须填写理由")
            return redirect("review:rounds")
        round_ = services.round_set_status(round_=round_, user=request.user, status=status, reason=reason)
        done = "已关闭，数据已冻结" if status == RoundStatus.CLOSED else "已重新开放"
        messages.success(request, f"轮次 {round_.code}（{round_.name}）{done}")
        return redirect("review:rounds")


class ReviewHomePanel(Component):
    """The dashboard panel: a verifier's queue counts and oldest waiting item; a bureau's rounds."""

    name = "checklist_review"
    order = 50
    template_name = "review/home_panel.html"

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        round_ = selectors.review_round()
        roles = roles_of(user)
        show_queue = is_admin(user) or bool(roles & {Role.VERIFIER, Role.BUREAU})
        index = reverse("review:index") + (f"?round={round_.pk}" if round_ else "?")
        counts = selectors.queue_counts(user, round_) if show_queue else {}
        oldest = selectors.oldest_waiting(user, round_) if show_queue else None
        return {
            "round": round_, "show_queue": show_queue, "index_url": index, "counts": counts,
            "flag_rows": [(key, label, counts.get(key, 0)) for key, label in selectors.FLAGS.items()],
            "oldest": oldest,
            "waiting_days": (timezone.now() - oldest.submitted_at).days if oldest and oldest.submitted_at else None,
            "is_verifier": is_admin(user) or Role.VERIFIER in roles,
            "rounds": list(selectors.rounds_overview()[:5]) if may_manage_rounds(user) else None,
        }


# --- the viewset ------------------------------------------------------------------------------------------


class ReviewViewSet(ModelViewSet):
    """The verifier's queue of item results; read and decide only: nothing here edits answers or deletes."""

    model = ItemResult
    icon = "tasks"
    menu_label = "审核队列"
    menu_order = 200
    add_to_admin_menu = True
    index_view_class = ReviewIndexView
    inspect_view_class = ReviewDetailView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = ReviewFilterSet
    list_per_page = 50
    list_export = ["community.code", "community.title", "item_number", "get_status_display", "rules_pass",
                   "submitted_at", "return_reason"]
    export_headings = {"community.code": "社区代码", "community.title": "社区", "item_number": "指标",
                       "get_status_display": "状态", "rules_pass": "规则达标", "submitted_at": "提交时间",
                       "return_reason": "退回理由"}
    export_filename = "review-queue"

    def get_common_view_kwargs(self, **kwargs):
        # Answers are edited only by workers through the services, never from the admin.
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "edit_url_name": None, "delete_url_name": None, "history_url_name": None,
               "usage_url_name": None, **kwargs}
        )

    @property
    def url_finder_class(self):
        # Wagtail's history reports link an item result to its review page (there is no edit view).
        return type("ReviewURLFinder", (ModelAdminURLFinder,), {"edit_url_name": self.get_url_name("inspect")})

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/approve/", ApproveView.as_view(), name="approve"),
            path("<int:pk>/return/", ReturnView.as_view(), name="return"),
            path("<int:pk>/reopen/", ReopenView.as_view(), name="reopen"),
            path("approve-all/<int:round_pk>/<int:community_pk>/", ApproveAllView.as_view(), name="approve_all"),
            path("rounds/", RoundsView.as_view(), name="rounds"),
            path("rounds/<int:pk>/close/", RoundStatusView.as_view(), {"status": "closed"}, name="round_close"),
            path("rounds/<int:pk>/reopen/", RoundStatusView.as_view(), {"status": "open"}, name="round_reopen"),
        ]
