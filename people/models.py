"""A person on the roster (人员名册): the account's owner, their work unit, and their activation state.

The account itself is Django's user: the login name is the 11-digit mobile number (personal information, shown
only to bureaus and administrators in scope), the name is `first_name`. A new account has no usable password;
its owner sets one through a one-time activation link (people.activation).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Person(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="person"
    )
    organisation = models.CharField(_("工作单位"), max_length=200, blank=True, default="")
    # Roles held over something other than a region (评估专家) that the roster granted, by their roster label,
    # so 离岗 can end them and a bureau's reach can be judged (communities.roles.PERSON_ROLES).
    person_roles = models.JSONField(_("其他角色"), default=list, blank=True)
    left_at = models.DateTimeField(_("离岗时间"), null=True, blank=True)
    # Each printed sheet increments the generation, which is part of every link's hash: older links stop working.
    activation_generation = models.PositiveIntegerField(_("激活单批次"), default=0)
    activation_issued_at = models.DateTimeField(_("最近打印激活单"), null=True, blank=True)
    activated_at = models.DateTimeField(_("设置密码时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.user.first_name or self.user.get_username()
