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


def desk_rows(reviews: list) -> list[dict]:
    """An expert's reviews as rows: the pilot, the review, deadline, progress and whether signed."""
    return [{"row": r, "url": reverse("pilots:review", args=[r.review.pk]),
             "deadline": r.deadline, "progress": f"{r.judged}/{r.indicators}" if r.indicators else ""}
            for r in reviews]


class ExpertDeskPanel(Component):
    """An expert's admin home: the reviews on their desk (in place of Wagtail's page search, which is not theirs)."""

    name = "pilot_expert_desk"
    order = 10
    template_name = "pilots/expert_panel.html"

    def __init__(self, reviews: list):
        self.reviews = reviews

    def get_context_data(self, parent_context):
        return {"rows": desk_rows(self.reviews), "index_url": reverse("pilots:index")}
