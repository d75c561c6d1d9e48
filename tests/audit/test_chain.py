"""The tamper-evident audit chain: built by the real services, sealed after commit, verified, and every kind of
tampering detected and named (edited, deleted, re-ordered, inserted, cut off, rewritten)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from wagtail.models import ModelLogEntry, PageLogEntry

from audit import chain
from audit.chain import seal_pending
from audit.models import ChainHead, ChainLink
from audit.verify import verify_chain
from checklists.models import ChecklistLogEntry
from tests.audit.chain_story import entry_count, sealed_count, sql, write_story

# Real commits: each service's transaction commits and its entries are sealed after it, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def story(round_, demo):
    write_story(round_)


def test_every_entry_is_sealed_after_its_commit(story):
    assert sealed_count() == entry_count() and not ChainLink.objects.filter(seq__isnull=True).exists()
    seqs = list(ChainLink.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and ChainHead.objects.get().seq == len(seqs)
    logged = {link.log_model for link in ChainLink.objects.all()}
    assert logged == {"checklists.checklistlogentry", "wagtailcore.modellogentry", "wagtailcore.pagelogentry"}
    actions = {*ModelLogEntry.objects.values_list("action", flat=True),
               *PageLogEntry.objects.values_list("action", flat=True)}
    assert {"checklists.round_closed", "standards.round_created", "standards.version_created",
            "communities.role_assigned", "communities.role_changed", "communities.role_unassigned",
            "communities.register_imported", "communities.region_edited"} <= actions


def test_one_seal_per_transaction(story, round_, monkeypatch):
    calls = []

    def counted(using="default"):
        calls.append(using)
        return seal_pending(using)

    monkeypatch.setattr(chain, "seal_pending", counted)
    before = entry_count()
    with transaction.atomic():
        write_story(round_, seed=1)
    assert entry_count() - before > 10 and calls == ["default"] and sealed_count() == entry_count()


def test_an_intact_chain_verifies(story, capsys):
    verdict = verify_chain()
    assert verdict.ok and verdict.checked == entry_count()
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "审计链完整" in out and f"{verdict.head_seq}:{verdict.head_digest}" in out
    call_command("verify_audit", "--anchor", f"{verdict.head_seq}:{verdict.head_digest}")


def failure(*args) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit", *args)
    return str(caught.value)


def test_an_entry_edited_through_sql_is_named(story):
    entry = ChecklistLogEntry.objects.get(action="checklists.returned")
    sql(f"UPDATE {ChecklistLogEntry._meta.db_table} SET reason = %s WHERE id = %s", "照片清楚", entry.pk)
    message = failure()
    assert message.startswith("审计链被破坏：共 1 处问题") and f"核查日志 #{entry.pk}" in message
    assert "内容被修改" in message and "checklists.returned" in message


def test_a_deleted_entry_is_named(story):
    entry = ModelLogEntry.objects.get(action="communities.role_changed")
    sql(f"DELETE FROM {ModelLogEntry._meta.db_table} WHERE id = %s", entry.pk)
    message = failure()
    assert f"#{entry.pk}" in message and "日志已被删除" in message


def test_an_entry_deleted_with_its_link_leaves_a_gap(story):
    link = ChainLink.objects.get(seq=5)
    sql(f"DELETE FROM {ChainLink._meta.db_table} WHERE id = %s", link.pk)
    ChecklistLogEntry.objects.filter(pk=link.entry_id).delete() if link.log_model.startswith("checklists") else None
    message = failure()
    assert "第 5 号链节" in message and "日志连同其链节被删除" in message


def test_reordered_links_are_caught(story):
    first, second = ChainLink.objects.get(seq=3), ChainLink.objects.get(seq=4)
    table = ChainLink._meta.db_table
    sql(f"UPDATE {table} SET seq = -1 WHERE id = %s", first.pk)
    sql(f"UPDATE {table} SET seq = 3 WHERE id = %s", second.pk)
    sql(f"UPDATE {table} SET seq = 4 WHERE id = %s", first.pk)
    verdict = verify_chain()
    assert not verdict.ok and verdict.problems[0].seq == 3 and "接不上" in verdict.problems[0].message


def test_an_entry_inserted_behind_the_products_back(story):
    forged = ChecklistLogEntry.objects.order_by("pk").last()
    forged.pk = None
    forged.reason = "补记"
    ChecklistLogEntry.objects.bulk_create([forged])  # no post_save: like an INSERT in a SQL console
    forged = ChecklistLogEntry.objects.order_by("pk").last()
    message = failure()
    assert f"核查日志 #{forged.pk}" in message and "不在审计链上" in message


def test_the_newest_entries_cut_off(story):
    last = ChainLink.objects.order_by("seq").last()
    sql(f"DELETE FROM {ChainLink._meta.db_table} WHERE id = %s", last.pk)
    message = failure()
    assert "链尾" in message and f"链头记到第 {last.seq} 号" in message


def test_a_rewritten_chain_fails_the_recorded_anchor(story):
    verdict = verify_chain()
    sql(f"UPDATE {ChainHead._meta.db_table} SET digest = %s", "f" * 64)  # e.g. everything recomputed
    assert "链头" in failure()
    assert "链被整体改写" in failure("--anchor", f"{verdict.head_seq}:{'a' * 64}")
    assert "应为" in failure("--anchor", "最新")


def test_an_existing_trail_is_sealed_at_install(story):
    """The first migrate of the audit app seals every entry an existing database already holds."""
    from audit.chain import genesis

    ChainLink.objects.all().delete()
    ChainHead.objects.all().delete()
    genesis()
    assert verify_chain().ok and sealed_count() == entry_count()
    genesis()  # afterwards it never adopts anything again
    assert sealed_count() == entry_count()
