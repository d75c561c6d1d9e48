"""Who gets which identity protection: one place, so the middleware, views and admin agree."""

from django.conf import settings
from django.urls import reverse

from communities.policy import is_administrator


def may_use_admin(user) -> bool:
    """Staff: users who may open the Wagtail admin (verifiers, bureaus, administrators)."""
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def requires_second_factor(user) -> bool:
    """Superusers and 管理员 must pass a TOTP code after each login when ADMIN_REQUIRE_2FA is on."""
    return bool(settings.ADMIN_REQUIRE_2FA) and user.is_authenticated and is_administrator(user)


def is_admin_path(path: str) -> bool:
    return path.startswith(reverse("wagtailadmin_home"))


