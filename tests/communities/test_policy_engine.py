"""The policy's engine: actions declared by each app, no answer without an actor, the system actor."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from wagtail.models import ModelLogEntry

from accounts.actions import AccountAction
from assessments.actions import AssessmentAction
from audit.actors import MissingActor, actor_name, log, system
from checklists.actions import ChecklistAction
from communities import policy
from communities.actions import CommunityAction
from communities.policy import EVERYWHERE, Action, Rule
from coverage.actions import CoverageAction
from jobs.actions import JobAction
from people.actions import PeopleAction
from pilots.actions import PilotAction
from publications.actions import PublicationAction
from standards.actions import StandardAction

pytestmark = pytest.mark.django_db
APPS = [AccountAction, AssessmentAction, ChecklistAction, CommunityAction, CoverageAction, JobAction, PeopleAction,
        PilotAction, PublicationAction, StandardAction]


def test_each_app_declares_its_own_actions_and_every_one_has_a_rule():
    declared = [action for enum in APPS for action in enum]
    assert set(declared) == set(policy.RULES)
    assert len({a.value for a in declared}) == len(declared)
    assert all(isinstance(a, Action) for a in declared)
    assert policy.action_named("save") is ChecklistAction.SAVE


def test_an_action_value_cannot_be_declared_twice():
    class Twice(Action):
        SAVE = "save"

    with pytest.raises(ImproperlyConfigured, match="declared twice"):
        policy.register(Twice, {Twice.SAVE: Rule(())})
    assert policy.RULES[ChecklistAction.SAVE].roles  # the original rule stands


def test_an_action_without_a_rule_is_refused_registration_and_never_allowed(admin_user):
    class Unruled(Action):
        FLY = "fly_test_only"

    with pytest.raises(ImproperlyConfigured, match="no rule"):
        policy.register(Unruled, {})
    with pytest.raises(ImproperlyConfigured, match="no policy rule"):
        policy.may(admin_user, Unruled.FLY)


@pytest.mark.parametrize("ask", [
    lambda: policy.may(None, ChecklistAction.SAVE),
    lambda: policy.require(None, StandardAction.MANAGE_ROUND, EVERYWHERE),
    lambda: policy.scope_paths(None, CoverageAction.VIEW_COVERAGE),
    lambda: policy.is_administrator(None),
])
def test_nobody_is_an_error_never_a_bypass(ask):
    with pytest.raises(MissingActor):
        ask()


def test_the_system_actor_may_what_administrators_may_and_no_more():
    actor = system("import_divisions")
    assert policy.may(actor, CommunityAction.EDIT_REGISTER, EVERYWHERE)
    assert policy.may(actor, StandardAction.MANAGE_ROUND, EVERYWHERE)
    assert policy.scope_paths(actor, CoverageAction.VIEW_COVERAGE) is None
    # Item 24's sensitive evidence is not the administrators' to see, nor a command's.
    assert not policy.may(actor, ChecklistAction.VIEW_SENSITIVE_EVIDENCE, EVERYWHERE)
    with pytest.raises(PermissionDenied):
        policy.require(actor, ChecklistAction.VIEW_SENSITIVE_EVIDENCE, EVERYWHERE)
    assert not policy.is_administrator(actor)


def test_a_delegated_only_rule_is_held_by_nobody_but_its_delegates(admin_user, monkeypatch):
    monkeypatch.setitem(policy.RULES, JobAction.MANAGE_JOBS, Rule((), delegated_only=True))
    assert not policy.may(admin_user, JobAction.MANAGE_JOBS, EVERYWHERE)
    assert not policy.may(system("x"), JobAction.MANAGE_JOBS, EVERYWHERE)
    monkeypatch.setitem(policy._HOLDERS, JobAction.MANAGE_JOBS, [])
    policy.delegate(JobAction.MANAGE_JOBS, lambda user, obj: user.pk == admin_user.pk)
    assert policy.may(admin_user, JobAction.MANAGE_JOBS, "anything")


def test_a_delegated_scope_widens_a_listing_and_never_narrows_everything(admin_user, monkeypatch):
    """Q() | X is X in Django: an administrator's "everything" must not become "only what is delegated"."""
    from django.contrib.auth import get_user_model

    from tests.factories import UserFactory

    User = get_user_model()
    other, delegate_user = UserFactory(), UserFactory()
    monkeypatch.setitem(policy._HOLDERS, JobAction.RUN_JOBS, [])
    policy.delegate(JobAction.RUN_JOBS, lambda user, obj: False,
                    scope=lambda user, model: Q(pk=other.pk) if user.pk == delegate_user.pk else Q(pk__in=[]))
    everyone = set(User.objects.values_list("pk", flat=True))
    assert set(policy.in_scope(admin_user, JobAction.RUN_JOBS, User.objects.all()).values_list("pk", flat=True)) \
        == everyone
    assert list(policy.in_scope(delegate_user, JobAction.RUN_JOBS, User.objects.all(), "username")) == [other]


def test_the_trail_names_the_command_that_acted(admin_user):
    entry = log(admin_user, "wagtail.edit", actor=system("import_people"), data={"n": 1})
    entry = ModelLogEntry.objects.get(pk=entry.pk)
    assert entry.user_id is None and entry.data == {"n": 1, "actor": "system:import_people"}
    assert actor_name(entry) == "system:import_people"
    by_person = log(admin_user, "wagtail.edit", actor=admin_user)
    assert actor_name(ModelLogEntry.objects.get(pk=by_person.pk)) == admin_user.get_username()
    with pytest.raises(MissingActor):
        log(admin_user, "wagtail.edit", actor=None)
