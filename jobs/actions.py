"""What may be done with background jobs (rules: communities.policy)."""

from django.utils.translation import gettext_lazy as _

from communities.models import Role
from communities.policy import Action, Rule, register

V, B = Role.VERIFIER, Role.BUREAU


class JobAction(Action):
    RUN_JOBS = "run_jobs"  # start and follow one's own jobs
    MANAGE_JOBS = "manage_jobs"  # see, download and retry everyone's jobs


register(JobAction, {
    JobAction.RUN_JOBS: Rule((V, B)),
    JobAction.MANAGE_JOBS: Rule((), refusal=_("只能查看和重试自己提交的任务")),
})
