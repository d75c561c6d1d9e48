"""Accounts of each kind, with one known password, without building the demo city."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from communities.models import ADMIN_GROUP, ROLE_GROUPS, Role

PASSWORD = "Right-pass-2026"


@pytest.fixture
def users(db):
    """worker (phone only), verifier (admin access), administrator (管理员 group) and root (superuser)."""
    User = get_user_model()
    made = {}
    for name, group in [("worker", ROLE_GROUPS[Role.WORKER]), ("verifier", ROLE_GROUPS[Role.VERIFIER]),
                        ("administrator", ADMIN_GROUP), ("root", None)]:
        user = User.objects.create_user(username=name, password=PASSWORD, is_superuser=group is None)
        if group:
            user.groups.add(Group.objects.get(name=group))
        made[name] = user
    return made
