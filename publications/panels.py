"""The photos of a highlight report, shown in Wagtail's page editor with a link to the photo screen.

Photos are not fields of the page form: they go through the product's photo intake on their own screen
(`publications.views.highlights`), because a page form's files would only be stored with a saved page, never
with a draft revision.
"""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.panels import Panel


class PhotosPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "publications/admin/photos_panel.html"

        def get_context_data(self, parent_context=None):
            from . import selectors

            context = super().get_context_data(parent_context)
            page = self.instance
            context["saved"] = bool(page.pk)
            context["photos"] = selectors.photo_rows(page) if page.pk else []
            context["manage_url"] = reverse("publications:photos", args=[page.pk]) if page.pk else ""
            return context
