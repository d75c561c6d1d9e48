"""A review: every indicator of its snapshot with what an expert judges from (tier texts, values, source,
basis, drill-down, evidence, note, self-assessed points), the viewer's own points in one form that saves the
whole page, progress and a sign button that says what is missing; the panel's totals, mean and differences
once the viewer may see them; and the city's 自查 for a midterm, final or rectification review."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from assessments import community
from assessments.regions import region_of_page
from assessments.selectors import indicator_def, scoring_standard
from assessments.sources import RATIO, source_of
from communities import policy

from .. import review_page, selectors
from ..actions import PilotAction
from ..forms import ReviewForm, SelfcheckForm, show_errors
from ..services import PilotError, reviews
from ..services.moves import review_score
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
    def member(self):
        return self.view.panel.member(self.request.user) if self.view.panel else None

    @property
    def may_score(self) -> bool:
        """The viewer is an assigned expert who may still change their points (open review, not signed)."""
        member = self.member
        return bool(self.view.is_current and self.view.score and not (member and member.signed)
                    and policy.may(self.request.user, PilotAction.SCORE_PILOT, self.review))

    @property
    def may_selfcheck(self) -> bool:
        return (self.view.is_current and self.review.kind != ReviewKind.APPLICATION and not self.view.signed_by
                and policy.may(self.request.user, PilotAction.EDIT_APPLICATION, self.pilot))

    def form(self, data=None) -> ReviewForm | None:
        if not self.may_score:
            return None
        return ReviewForm(self.view.score.rows, data, initial=review_page.initial(self.review, self.request.user))

    def get_context_data(self, form=None, selfcheck_form=None, **kwargs):
        score, panel, user = self.view.score, self.view.panel, self.request.user
        form = form or self.form()
        member = self.member
        missing = reviews.unjudged(self.review, user) if member or self.may_score else []
        context = super().get_context_data(**kwargs)
        context.update(
            review=self.review, view=self.view, score=score, pilot=self.pilot, pilot_url=pilot_url(self.pilot),
            panel=panel, reveal=bool(panel and panel.reveals_to(user)), member=member, form=form,
            categories=review_page.categories(self.review, panel, user, form), may_score=self.may_score,
            self_star=stars(score.self_star) if score else "", mean_star=stars(panel.star) if panel else "",
            own=review_score(self.review, user) if member or self.may_score else None,
            judged=(score and len(score.rows) - len(missing)) or 0, missing=reviews.missing_text(missing)
            if missing else "",
            errors=sorted({int(name[1:]) for name in (form.errors if form else {}) if name[1:].isdigit()}),
            selfcheck_url=reverse("pilots:selfcheck", args=[self.review.pk]),
            selfcheck_form=(selfcheck_form or SelfcheckForm()) if self.may_selfcheck else None,
            comparison=self.view.comparison,
        )
        return context


class ReviewView(ReviewMixin):
    def post(self, request, *args, **kwargs):
        """Save the whole page; with 签字, sign once it is saved (and every indicator is judged)."""
        if denied := refused(request, PilotAction.SCORE_PILOT, self.review):
            return denied
        form = self.form(request.POST)
        if form is None:
            return back(request, self.url, PilotError(_("该评审已结束或您已签字，评分不能再修改")))
        if form.is_valid():
            try:
                changed = reviews.review_save(user=request.user, review=self.review, marks=form.marks())
            except PilotError as exc:
                show_errors(form, exc)
            else:
                if "sign" not in request.POST:
                    return back(request, self.url, success=_("已保存评分（%(n)s 项有变化）") % {"n": changed})
                try:
                    signoff = reviews.sign_off(user=request.user, review=self.review)
                except PilotError as exc:
                    return back(request, self.url, exc)
                return back(request, self.url, success=_("已签字确认评分：%(total)s分（%(star)s）") % {
                    "total": signoff.total, "star": stars(signoff.star)})
        messages.error(request, _("评分未保存：请按提示修改后再保存"))
        return self.render_to_response(self.get_context_data(form=form))


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
                messages.success(request, _("已提交自查，专家将据此评分"))
                return redirect(self.url)
        return self.render_to_response(self.get_context_data(selfcheck_form=form))


class CommunitiesView(ReviewMixin):
    """The communities behind a computed indicator of the reviewed region (live, like every drill-down)."""

    template_name = "pilots/review_communities.html"

    def get_context_data(self, number: int, **kwargs):
        snapshot = self.review.snapshot
        if snapshot is None:
            raise Http404(_("尚无自查"))
        round_ = snapshot.assessment.round
        level = snapshot.data["document"]["region"]["level"]
        definition = indicator_def(scoring_standard(round_), level, number)
        source = source_of(definition) if definition else None
        if source is None:
            raise Http404(_("该指标不由社区数据计算"))
        ind = next(i for c in snapshot.data["document"]["categories"] for i in c["indicators"] if i["number"] == number)
        self.page_title = _("第%(n)s项 %(name)s · 社区明细") % {"n": number, "name": ind["name"]}
        context = super().get_context_data(**kwargs)
        context.update(ind=ind, ratio=source.kind == RATIO, back_url=f"{self.url}#indicator-{number}",
                       rows=community.drill_down(round_, region_of_page(self.pilot.region_id), source))
        return context
