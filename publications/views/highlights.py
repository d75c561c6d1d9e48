"""A bureau starts a highlight report under its own region's index (Wagtail's page editor does the rest), and
adds or removes its photos here, through the photo intake."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.models import Page

from assessments.regions import regions_in_scope

from .. import selectors
from ..actions import PublicationAction
from ..forms import PhotoUploadForm
from ..models import HighlightPage, HighlightPhoto
from ..page_permissions import approves, writes
from ..services import PublicationError, highlights, tree
from .base import PublicationsView, back, refused, show_errors
from .home import editor_url


@require_POST
def highlight_new(request):
    """Open Wagtail's editor for a new report under the chosen region's index (made on the first report)."""
    if denied := refused(request, PublicationAction.WRITE_HIGHLIGHT):
        return denied
    mine = {r.pk for r in regions_in_scope(request.user, PublicationAction.WRITE_HIGHLIGHT)}
    try:
        region_pk = int(request.POST.get("region", ""))
    except ValueError:
        region_pk = None
    if region_pk not in mine:
        return back(request, reverse("publications:home"), PublicationError(_("请选择本市或本县（市、区）")))
    try:
        index = tree.highlight_index(user=request.user, region=Page.objects.get(pk=region_pk))
    except (PublicationError, PermissionDenied) as exc:
        return back(request, reverse("publications:home"), exc)
    add = reverse("wagtailadmin_pages:add", args=["publications", "highlightpage", index.pk])
    return redirect(f"{add}?next={reverse('publications:home')}")


def _editable(user, pk: int) -> HighlightPage:
    page = HighlightPage.objects.filter(pk=pk).first()
    if page is None or not (writes(user, page) or approves(user, page)):
        raise Http404
    return page


class PhotosView(PublicationsView):
    template_name = "publications/admin/photos.html"
    page_title = gettext_lazy("亮点工作照片")

    def dispatch(self, request, *args, pk: int, **kwargs):
        self.page = _editable(request.user, pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page=self.page, form=form or PhotoUploadForm(), photos=selectors.photo_rows(self.page),
                       locked=self.page.permissions_for_user(self.request.user).page_locked(),
                       edit_url=editor_url(self.page),
                       max_photos=highlights.MAX_PHOTOS)
        return context

    def post(self, request, *args, **kwargs):
        form = PhotoUploadForm(request.POST, request.FILES)
        if form.is_valid():
            files = [(f.name, f.read()) for f in form.cleaned_data["photos"]]
            try:
                added = highlights.highlight_photos_add(user=request.user, page=self.page, photos=files,
                                                        caption=form.cleaned_data["caption"])
            except PublicationError as exc:
                show_errors(form, exc)
            except PermissionDenied as exc:
                return back(request, reverse("publications:home"), exc)
            else:
                return back(request, reverse("publications:photos", args=[self.page.pk]),
                            success=_("已添加 %(n)d 张照片；提交审核并经批准后公开") % {"n": len(added)})
        return self.render_to_response(self.get_context_data(form=form))


@require_POST
def photo_remove(request, pk: int):
    photo = HighlightPhoto.objects.filter(pk=pk).select_related("page").first()
    if photo is None:
        raise Http404
    page = _editable(request.user, photo.page_id)
    url = reverse("publications:photos", args=[page.pk])
    try:
        highlights.highlight_photo_remove(user=request.user, photo=photo)
    except (PublicationError, PermissionDenied) as exc:
        return back(request, url, exc)
    return back(request, url, success=_("已移除照片"))
