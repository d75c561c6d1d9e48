"""The review queue as a Wagtail viewset: listing, review page and decisions; nothing here edits answers."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.viewsets.model import ModelViewSet

from checklists.models import ItemResult

from .forms import ReviewFilterSet
from .views import ApproveAllView, ApproveView, ReopenView, ReturnView, ReviewDetailView, ReviewIndexView


class ReviewViewSet(ModelViewSet):
    """The verifier's queue of item results; read and decide only: nothing here edits answers or deletes."""

    model = ItemResult
    icon = "tasks"
    menu_label = _("审核队列")
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
    export_headings = {"community.code": _("社区代码"), "community.title": _("社区"), "item_number": _("指标"),
                       "get_status_display": _("状态"), "rules_pass": _("规则达标"), "submitted_at": _("提交时间"),
                       "return_reason": _("退回理由")}
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
        ]
