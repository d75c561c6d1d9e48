"""The admin dashboard panel: a verifier's queue counts and oldest waiting item; the rounds for those who run them."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from checklists.actions import ChecklistAction
from communities import policy
from communities.policy import EVERYWHERE
from standards.actions import StandardAction

from . import selectors


class ReviewHomePanel(Component):
    name = "checklist_review"
    order = 50
    template_name = "review/home_panel.html"

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        round_ = selectors.review_round()
        show_queue = policy.may(user, ChecklistAction.REVIEW)
        index = reverse("review:index") + (f"?round={round_.pk}" if round_ else "?")
        counts = selectors.queue_counts(user, round_) if show_queue else {}
        oldest = selectors.oldest_waiting(user, round_) if show_queue else None
        return {
            "round": round_, "show_queue": show_queue, "index_url": index, "counts": counts,
            "flag_rows": [(key, label, counts.get(key, 0)) for key, label in selectors.FLAGS.items()],
            "oldest": oldest,
            "waiting_days": (timezone.now() - oldest.submitted_at).days if oldest and oldest.submitted_at else None,
            "is_verifier": policy.may(user, ChecklistAction.APPROVE),
            "rounds": (list(selectors.rounds_overview(user)[:5])
                       if policy.may(user, StandardAction.VIEW_ROUNDS) else None),
            "may_manage_rounds": policy.may(user, StandardAction.MANAGE_ROUND, EVERYWHERE),
        }
