from wagtail import hooks

from .retention import PRUNED


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(PRUNED, "清理过期审计日志", "清理过期审计日志")
