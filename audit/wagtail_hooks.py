from wagtail import hooks

from .pending import PENDING_SEALED
from .retention import PRUNED


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(PRUNED, "清理过期审计日志", "清理过期审计日志")
    actions.register_action(PENDING_SEALED, "封存遗留的审计日志", "封存遗留的审计日志")
