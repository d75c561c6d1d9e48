from wagtail import hooks

from .experts import LOG_ACTIONS as EXPERT_ACTIONS
from .services.applications import LOG_ACTIONS as APPLICATION_ACTIONS
from .services.batches import LOG_ACTIONS as BATCH_ACTIONS
from .services.moves import MOVED
from .services.reviews import LOG_ACTIONS as REVIEW_ACTIONS
from .services.visits import LOG_ACTIONS as VISIT_ACTIONS


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for key, label in {MOVED: "试点阶段变更", **APPLICATION_ACTIONS, **BATCH_ACTIONS, **EXPERT_ACTIONS,
                       **REVIEW_ACTIONS, **VISIT_ACTIONS}.items():
        actions.register_action(key, label, label)
