"""The admin dashboard panel: the deadlines due among the pilots the user may see (the in-app reminder)."""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.ui.components import Component


def due_rows(due: list) -> list[dict]:
    """The reminders as rows: text, whether past the deadline, and the pilot's page."""
    return [{"text": d.text, "late": d.days_left < 0, "url": reverse("pilots:pilot", args=[d.pilot.pk])} for d in due]


class PilotDuePanel(Component):
    name = "pilot_deadlines"
    order = 60
    template_name = "pilots/home_panel.html"

    def __init__(self, due: list):
        self.due = due

    def get_context_data(self, parent_context):
        return {"due": due_rows(self.due), "index_url": reverse("pilots:index")}
