"""A review: every indicator of its snapshot with the self-assessed and the experts' points (the experts adjust one
indicator at a time, with a reason), totals and stars, signatures, the comparison with the application, and the
city's 自查 for a midterm, final or rectification review."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages

from communities import policy

from .. import selectors
from ..actions import PilotAction
from ..forms import AdjustForm, SelfcheckForm, show_errors
from ..services import PilotError, reviews
from ..stages import ReviewKind, stars
from .base import PilotsView, application_url, back, pilot_url, refused, review_or_404


class ReviewMixin(PilotsView):
    template_name = "pilots/review.html"

    def dispatch(self, request, *args, pk: int, **kwargs):
        self.review = review_or_404(request.user, pk)
        self.pilot = self.review.pilot
        self.view = next(v for v in selectors.reviews_of(self.pilot) if v.review.pk == self.review.pk)
        self.page_title = f"{self.pilot.region.title} · {self.review.get_kind_display()}"
        self.url = reverse("pilots:review", args=[self.review.pk])
        return super().dispatch(request, *args, **kwargs)

    def trail(self) -> list[dict]:
        return [{"url": application_url(self.pilot.application), "label": str(self.pilot.application)},
                {"url": pilot_url(self.pilot), "label": str(self.pilot)}, {"url": "", "label": self.page_title}]

    @property
    def may_score(self) -> bool:
        return bool(self.view.is_current and self.view.score
                    and policy.may(self.request.user, PilotAction.SCORE_PILOT, self.review))

    @property
    def may_selfcheck(self) -> bool:
        return (self.view.is_current and self.review.kind != ReviewKind.APPLICATION and not self.view.signed_by
                and policy.may(self.request.user, PilotAction.EDIT_APPLICATION, self.pilot))

    def categories(self, bound: AdjustForm | None) -> list[dict]:
        """The indicators by category, each with its form when the user may score (the bound one kept)."""
        groups: dict[str, list] = {}
        for row in self.view.score.rows if self.view.score else ():
            form = bound if bound is not None and bound.prefix == f"i{row.number}" else AdjustForm(row)
            groups.setdefault(row.category, []).append({
                "row": row, "form": form if self.may_score else None,
                "url": reverse("pilots:adjust", args=[self.review.pk, row.number])})
        return [{"label": label, "rows": rows} for label, rows in groups.items()]

    def get_context_data(self, adjust_form=None, selfcheck_form=None, **kwargs):
        score, pk = self.view.score, self.review.pk
        context = super().get_context_data(**kwargs)
        context.update(
            review=self.review, view=self.view, score=score, pilot=self.pilot, pilot_url=pilot_url(self.pilot),
            categories=self.categories(adjust_form), may_score=self.may_score,
            self_star=stars(score.self_star) if score else "", expert_star=stars(score.expert_star) if score else "",
            signoffs=[{"signoff": s, "star": stars(s.star)} for s in self.review.signoffs.select_related("expert")],
            sign_url=reverse("pilots:sign", args=[pk]), selfcheck_url=reverse("pilots:selfcheck", args=[pk]),
            selfcheck_form=(selfcheck_form or SelfcheckForm()) if self.may_selfcheck else None,
            comparison=self.view.comparison,
        )
        return context


class ReviewView(ReviewMixin):
    pass


class AdjustView(ReviewMixin):
    http_method_names = ["post"]

    def post(self, request, *args, number: int, **kwargs):
        if denied := refused(request, PilotAction.SCORE_PILOT, self.review):
            return denied
        row = self.view.score.row(number) if self.view.score else None
        if row is None:
            raise Http404("没有该指标")
        form = AdjustForm(row, request.POST)
        if form.is_valid():
            try:
                reviews.adjust(user=request.user, review=self.review, number=number,
                               points=form.cleaned_data["points"], reason=form.cleaned_data["reason"])
            except PilotError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, f"已保存第{number}项 {row.name} 的专家评分")
                return redirect(f"{self.url}#indicator-{number}")
        return self.render_to_response(self.get_context_data(adjust_form=form))


class SignView(ReviewMixin):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if denied := refused(request, PilotAction.SCORE_PILOT, self.review):
            return denied
        try:
            signoff = reviews.sign_off(user=request.user, review=self.review)
        except PilotError as exc:
            return back(request, self.url, exc)
        return back(request, self.url, success=f"已签字确认评分：{signoff.total}分（{stars(signoff.star)}）")


class SelfcheckView(ReviewMixin):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if denied := refused(request, PilotAction.EDIT_APPLICATION, self.pilot):
            return denied
        form = SelfcheckForm(request.POST)
        if form.is_valid():
            try:
                reviews.selfcheck_submit(user=request.user, pilot=self.pilot, round_=form.cleaned_data["round"],
                                         note=form.cleaned_data["note"])
            except PilotError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, "已提交自查，专家将据此评分")
                return redirect(self.url)
        return self.render_to_response(self.get_context_data(selfcheck_form=form))
