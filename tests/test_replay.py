"""The replayed demo city is the demo city: the same rows as `seed_demo` writes, and a real build when it cannot be."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone
from wagtail.models import Page

from communities.models import CommunityPage
from devtools.demo import DEMO_USERS, seed_demo
from tests import replay
from tests.factories import CommunityFactory, UserFactory


@pytest.fixture
def recordings(monkeypatch):
    """A private set of recordings, so these tests start from a real build (and leave the run's figures alone)."""
    fresh = {}
    monkeypatch.setattr(replay, "_RECORDINGS", fresh)
    monkeypatch.setattr(replay, "STATS", {})
    return fresh


def contents() -> dict[str, dict]:
    """Every table's rows by primary key, timestamps left out (a replay moves them to its own time)."""
    return {
        table.model._meta.db_table: {
            pk: tuple(None if isinstance(value, datetime.datetime) else value for value in row)
            for pk, row in rows.items()
        }
        for table, rows in replay.snapshot().items()
    }


@pytest.mark.django_db
def test_a_replay_writes_what_the_builder_wrote(recordings, django_assert_max_num_queries):
    with transaction.atomic():
        built_result = replay.replayed("demo", replay.committed(seed_demo))
        built = contents()
        searched = {p.pk for p in Page.objects.search("东城街道")}
        transaction.set_rollback(True)
    assert "demo" in recordings and not CommunityPage.objects.exists()
    start = timezone.now()
    with django_assert_max_num_queries(60):
        assert replay.replayed("demo", replay.committed(seed_demo)) == built_result
    assert contents() == built
    assert {p.pk for p in Page.objects.search("东城街道")} == searched != set()  # the search index came along
    assert CommunityPage.objects.count() == 33
    users = get_user_model().objects
    for name, (password, _) in DEMO_USERS.items():
        assert users.get(username=name).check_password(password)
    took = recordings["demo"].finished - recordings["demo"].started
    assert start - took <= users.get(username="worker").date_joined <= timezone.now()  # as if just built
    # New rows get ids after the replayed ones.
    assert UserFactory().pk > max(users.exclude(username__startswith="user").values_list("pk", flat=True))
    assert CommunityFactory().pk > max(CommunityPage.objects.filter(code__startswith="3799").values_list("pk",
                                                                                                          flat=True))


@pytest.mark.django_db
def test_a_conflicting_database_gets_a_real_build(recordings):
    with transaction.atomic():
        replay.replayed("demo", replay.committed(seed_demo))
        transaction.set_rollback(True)
    someone = get_user_model().objects.create_user(username="worker", password="another")
    # seed_demo takes the existing account over, as it would on any database
    replay.replayed("demo", replay.committed(seed_demo))
    someone.refresh_from_db()
    assert someone.check_password(DEMO_USERS["worker"][0])
    assert get_user_model().objects.count() == 4 and CommunityPage.objects.count() == 33
    assert "demo" in recordings  # the new build is the recording now


@pytest.mark.django_db
def test_a_changed_reference_gets_a_real_build(recordings):
    with transaction.atomic():
        replay.replayed("demo", replay.committed(seed_demo))
        transaction.set_rollback(True)
    CommunityFactory()  # a province under the root: the tree root is not as recorded
    replay.replayed("demo", replay.committed(seed_demo))
    assert Page.find_problems() == ([], [], [], [], [])
    assert CommunityPage.objects.filter(code__startswith="3799").count() == 33


@pytest.mark.django_db
def test_builders_that_leave_work_for_commit_are_not_recorded(recordings):
    def build():
        transaction.on_commit(lambda: None)
        return CommunityFactory().code

    assert replay.replayed("later", build)
    assert "later" not in recordings and connection.in_atomic_block


@pytest.mark.django_db
def test_tests_that_do_not_ask_see_no_demo_city():
    assert not CommunityPage.objects.exists() and not get_user_model().objects.exists()
