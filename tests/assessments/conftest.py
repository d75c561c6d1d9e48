"""Fixtures for the self-assessment tests (the scoring standard and the demo regions: tests/conftest.py)."""

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture
def admin_user(demo):
    return get_user_model().objects.get(username="admin")
