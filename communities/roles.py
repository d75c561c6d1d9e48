"""Role groups and assignments: the only place that grants a user a role over a region."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import Page

from .models import ADMIN_GROUP, ROLE_GROUPS, ROLE_REGION_MODELS, Assignment, Role
from .selectors import forget_scope

# Model permissions each role group carries (app_label.codename); scope comes from Assignment.
GROUP_PERMISSIONS = {
    Role.WORKER: [],
    Role.VERIFIER: [
        "wagtailadmin.access_admin",
        "checklists.view_itemresult",
        "checklists.change_itemresult",
        "checklists.view_evidence",
        "standards.view_round",
    ],
    Role.BUREAU: [
        "wagtailadmin.access_admin",
        "checklists.view_itemresult",
        "standards.view_round",
        "standards.change_round",
        "coverage.view_coveragesnapshot",
        "coverage.add_coveragesnapshot",
    ],
}


def _permissions(names: list[str]) -> list[Permission]:
    perms = []
    for name in names:
        app_label, codename = name.split(".")
        perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if perm:
            perms.append(perm)
    return perms


def ensure_role_groups() -> dict[str, Group]:
    """Create the role groups with their permissions (idempotent; run after every migrate)."""
    groups = {}
    for role, name in ROLE_GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*_permissions(GROUP_PERMISSIONS[role]))
        groups[role] = group
    admin, _ = Group.objects.get_or_create(name=ADMIN_GROUP)
    project_apps = ["communities", "standards", "checklists", "coverage", "jobs"]
    admin.permissions.add(*Permission.objects.filter(content_type__app_label__in=project_apps))
    admin.permissions.add(*_permissions(["wagtailadmin.access_admin"]))
    groups["admin"] = admin
    return groups


def validate_assignment(role: str, region: Page) -> None:
    """Raise ValidationError when `region` is not a level the role may be assigned to."""
    allowed = ROLE_REGION_MODELS[Role(role)]
    if region.specific_class is None or region.specific_class._meta.model_name not in allowed:
        raise ValidationError(
            {"region": f"{Role(role).label}只能分配到：{'、'.join(_level_names(allowed))}"}
        )


def _level_names(model_names: tuple[str, ...]) -> list[str]:
    from django.apps import apps

    return [str(apps.get_model("communities", n)._meta.verbose_name) for n in model_names]


@transaction.atomic
def assign(user, role: str, region: Page) -> Assignment:
    """Give `user` the role over `region` and put them in the role's group."""
    validate_assignment(role, region)
    assignment, _ = Assignment.objects.get_or_create(user=user, role=role, region=region)
    user.groups.add(Group.objects.get_or_create(name=ROLE_GROUPS[Role(role)])[0])
    forget_scope(user)
    return assignment
