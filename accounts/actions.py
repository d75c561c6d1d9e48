"""What may be done to accounts' protections (rules: communities.policy)."""

from communities.policy import Action, Rule, register


class AccountAction(Action):
    MANAGE_LOCKOUTS = "manage_lockouts"  # see and lift login lockouts


register(AccountAction, {
    AccountAction.MANAGE_LOCKOUTS: Rule((), refusal="只有管理员可以查看和解除登录锁定"),
})
