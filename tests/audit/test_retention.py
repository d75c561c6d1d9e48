"""Retention: entries younger than six months are never deleted; pruning older ones re-anchors the chain."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from audit.chain import seal_pending
from audit.models import ChainHead, ChainLink
from audit.retention import PRUNED, latest_cutoff, months_before
from audit.verify import verify_chain
from checklists.models import ChecklistLogEntry
from communities.models import CommunityPage
from standards.rounds import ROUND_EDITED
from tests.audit.chain_story import LOG_MODELS, entry_count, sql, write_story

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_six_calendar_months():
    assert months_before(datetime(2026, 8, 31, 9, tzinfo=SHANGHAI), 6) == datetime(2026, 2, 28, 9, tzinfo=SHANGHAI)
    assert months_before(datetime(2026, 3, 15, tzinfo=SHANGHAI), 6) == datetime(2025, 9, 15, tzinfo=SHANGHAI)


def prune(day) -> str:
    from io import StringIO

    out = StringIO()
    call_command("prune_audit", "--before", day.strftime("%Y-%m-%d"), stdout=out)
    return out.getvalue()


@pytest.fixture
def aged(round_, demo):
    """Ten entries from a year ago (written then, sealed then), and today's work after them."""
    old = timezone.now() - timedelta(days=365)
    for n in range(10):
        log(round_, ROUND_EDITED, data={"round": round_.code, "n": n}, timestamp=old + timedelta(minutes=n))
    seal_pending()  # this test's transaction never commits, so nothing sealed the set-up and the old entries
    old_entries = ModelLogEntry.objects.filter(action=ROUND_EDITED).values("pk")
    ChainLink.objects.filter(entry_id__in=old_entries, log_model="wagtailcore.modellogentry").update(created_at=old)
    # Everything written before them (the demo set-up) is young and stays; put the old ones first in the chain.
    return old


def test_younger_than_six_months_is_refused(aged):
    before = entry_count()
    with pytest.raises(CommandError, match="至少保留 6 个月"):
        prune(timezone.localdate())
    with pytest.raises(CommandError, match="不是有效日期"):
        call_command("prune_audit", "--before", "去年")
    assert entry_count() == before


def test_pruning_stops_at_the_first_young_entry(aged):
    """The chain is pruned from its start only: the demo set-up came first and is young, so nothing goes."""
    before = entry_count()
    assert "已删除 0 条" in prune(latest_cutoff() - timedelta(days=1))
    assert entry_count() == before and verify_chain().ok


def test_old_entries_go_and_what_remains_verifies(round_, demo):
    for model in LOG_MODELS:  # start from an empty trail, so the year-old entries come first in the chain
        model.objects.all().delete()
    ChainLink.objects.all().delete()
    ChainHead.objects.update(seq=0, digest="0" * 64)
    old = timezone.now() - timedelta(days=365)
    for n in range(10):
        log(round_, ROUND_EDITED, data={"round": round_.code, "n": n}, timestamp=old + timedelta(minutes=n))
    seal_pending()
    ChainLink.objects.update(created_at=old)
    write_story(round_)
    seal_pending()  # as the story's own commits would have (this test's transaction never commits)
    young = entry_count() - 10
    assert verify_chain().ok
    assert "已删除 10 条" in prune(latest_cutoff())
    assert ChainHead.objects.get().base_seq == 10
    assert not ModelLogEntry.objects.filter(timestamp__lt=old + timedelta(hours=1)).exists()
    seal_pending()
    verdict = verify_chain()
    assert verdict.ok and verdict.checked == young + 1  # and the prune itself, on the chain
    pruned = ModelLogEntry.objects.get(action=PRUNED)
    assert pruned.data["entries"] == 10 and pruned.data["base_seq"] == 10


def test_a_broken_chain_is_not_pruned(aged):
    entry = ChecklistLogEntry.objects.first() or ModelLogEntry.objects.first()
    sql(f"UPDATE {type(entry)._meta.db_table} SET label = %s WHERE id = %s", "改过", entry.pk)
    with pytest.raises(CommandError, match="先查明再清理"):
        prune(latest_cutoff() - timedelta(days=1))


def test_deleting_people_and_places_keeps_their_trail(round_, demo):
    write_story(round_)
    kept = {model: set(model.objects.values_list("pk", flat=True)) for model in LOG_MODELS}
    get_user_model().objects.get(username="worker").delete()
    CommunityPage.objects.get(code="379902001001").delete()  # its results and photos go; Wagtail logs the deletion
    assert all(kept[model] <= set(model.objects.values_list("pk", flat=True)) for model in LOG_MODELS)
    assert verify_chain().ok
