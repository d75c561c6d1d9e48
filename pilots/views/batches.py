"""The province's batches: the list, a new batch, editing one, and publishing its list (after a confirm step)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from communities.policy import EVERYWHERE

from ..actions import PilotAction
from ..forms import BatchForm, show_errors
from ..models import Batch, Pilot
from ..services import PilotError, batches
from ..stages import Stage
from .base import PilotsView, back, refused


def public_url(batch: Batch) -> str:
    return f"/pilots/{batch.year}/"


class BatchMixin(PilotsView):
    """Every batch screen is the province's (MANAGE_PILOTS over the whole province)."""

    def dispatch(self, request, *args, **kwargs):
        if denied := refused(request, PilotAction.MANAGE_PILOTS, EVERYWHERE):
            return denied
        return super().dispatch(request, *args, **kwargs)

    def trail(self) -> list[dict]:
        return [{"url": reverse("pilots:batches"), "label": _("试点批次")}, {"url": "", "label": self.page_title}]


class BatchListView(BatchMixin):
    template_name = "pilots/batches.html"
    page_title = gettext_lazy("试点批次")

    def trail(self) -> list[dict]:
        return [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [{"batch": b, "edit_url": reverse("pilots:batch_edit", args=[b.pk]),
                            "publish_url": reverse("pilots:batch_publish", args=[b.pk]),
                            "public_url": public_url(b) if b.published_at else "",
                            "pilots": Pilot.objects.filter(application__batch=b).count()}
                           for b in Batch.objects.all()]
        context["create_url"] = reverse("pilots:batch_create")
        return context


class BatchFormView(BatchMixin):
    template_name = "pilots/batch_form.html"
    batch: Batch | None = None

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        initial = {"year": self.batch.year, "name": self.batch.name, "apply_by": self.batch.apply_by,
                   "list_by": self.batch.list_by} if self.batch else {}
        context.update(form=form or BatchForm(initial=initial), batch=self.batch)
        return context

    def save(self, data: dict) -> Batch:
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        form = BatchForm(request.POST)
        if form.is_valid():
            try:
                batch = self.save(form.cleaned_data)
            except PilotError as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("已保存%(batch)s") % {"batch": batch.name})
                return redirect("pilots:batches")
        return self.render_to_response(self.get_context_data(form=form))


class BatchCreateView(BatchFormView):
    page_title = gettext_lazy("新建试点批次")

    def save(self, data: dict) -> Batch:
        return batches.batch_create(user=self.request.user, **data)


class BatchEditView(BatchFormView):
    page_title = gettext_lazy("修改试点批次")

    def dispatch(self, request, *args, pk: int, **kwargs):
        self.batch = get_object_or_404(Batch, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def save(self, data: dict) -> Batch:
        return batches.batch_update(user=self.request.user, batch=self.batch, **data)


class BatchPublishView(BatchMixin):
    """Confirm, then publish the batch's list (the confirmed pilots start today)."""

    template_name = "pilots/batch_publish.html"
    page_title = gettext_lazy("公布省级试点名单")

    def dispatch(self, request, *args, pk: int, **kwargs):
        self.batch = get_object_or_404(Batch, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        listed = Pilot.objects.filter(application__batch=self.batch, stage=Stage.LISTED).count()
        context.update(batch=self.batch, listed=listed, public_url=public_url(self.batch))
        return context

    def post(self, request, *args, **kwargs):
        try:
            batch = batches.batch_publish(user=request.user, batch=self.batch)
        except PilotError as exc:
            return back(request, reverse("pilots:batches"), exc)
        return back(request, reverse("pilots:batches"),
                    success=_("已公布%(batch)s省级试点名单，公开页面：%(url)s") % {
                        "batch": batch.name, "url": public_url(batch)})
