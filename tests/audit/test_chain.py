"""The tamper-evident audit chain: built by the real services, sealed after commit, verified, and every kind of
tampering detected and named (edited, deleted, re-ordered, inserted, cut off, rewritten)."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

from audit import chain
from audit.actors import log
from audit.chain import seal_links
from audit.models import ChainHead, ChainLink
from audit.pending import PENDING_SEALED
from audit.verify import verify_chain
from checklists.models import ChecklistLogEntry
from standards.models import RoundStatus
from standards.rounds import ROUND_EDITED, round_set_status
from tests.audit.chain_story import entry_count, sealed_count, sql, user, write_story

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

    def counted(ids, using="default"):
        calls.append(using)
        return seal_links(ids, using)

    monkeypatch.setattr(chain, "seal_links", counted)
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


# --- verification writes nothing; pending links are reported, never adopted ----------------------------------


def forge_pending(days_ago: int = 30) -> ChecklistLogEntry:
    """The red team's forgery: an entry inserted with an old timestamp and a pending link with a correct content
    digest, both by SQL (no post_save), so that whoever seals pending links would adopt it."""
    forged = ChecklistLogEntry.objects.filter(action="checklists.approved").first()
    forged.pk, forged.reason = None, "补记：早已审核通过"
    forged.timestamp = timezone.now() - timedelta(days=days_ago)
    ChecklistLogEntry.objects.bulk_create([forged])
    forged = ChecklistLogEntry.objects.order_by("pk").last()
    fields = chain.hashed_fields(ChecklistLogEntry)
    row = chain.rows_of(ChecklistLogEntry, [forged.pk], fields)[forged.pk]
    ChainLink.objects.bulk_create([ChainLink(
        log_model=chain.label(ChecklistLogEntry), entry_id=forged.pk, fields=",".join(fields),
        content_digest=chain.content_digest(chain.label(ChecklistLogEntry), row, fields))])
    return forged


def writes(run) -> list[str]:
    """Run `run` and return the SQL statements it sent that change data."""
    with CaptureQueriesContext(connection) as queries:
        run()
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_verifying_writes_nothing_and_adopts_no_forged_link(story, round_):
    forged = forge_pending()
    head = ChainHead.objects.values().get()
    assert writes(lambda: failure()) == []  # verify_audit only reads
    message = failure()
    assert f"核查日志 #{forged.pk}" in message and "未封存，且早于链上最新一节" in message
    assert ChainLink.objects.get(entry_id=forged.pk, log_model="checklists.checklistlogentry").seq is None
    assert ChainHead.objects.values().get() == head
    # The next commit's sealer seals its own links only: the forged one stays out, and stays reported.
    round_set_status(round_=round_, user=user("admin"), status=RoundStatus.CLOSED, reason="年度结束")
    assert ChainLink.objects.filter(seq__isnull=True).count() == 1
    assert "未封存" in failure()


def test_a_crash_left_link_is_sealed_only_by_an_operator_who_checked_it(story, round_, capsys):
    """A process that died between commit and seal leaves a pending link: in flight at first, a finding once
    something newer is sealed, and then sealed by `seal_audit --confirm`, which logs what it adopted."""
    with transaction.atomic():
        entry = log(round_, ROUND_EDITED, actor=user("admin"), data={"round": round_.code, "crash": True})
        transaction.get_connection().run_on_commit.clear()  # the process dies before its sealer runs
    verdict = verify_chain()
    assert verdict.ok and verdict.in_flight == 1  # written a moment ago: not yet a problem
    call_command("verify_audit")
    assert "另有 1 条日志刚写入、正在封存" in capsys.readouterr().out
    log(round_, ROUND_EDITED, actor=user("admin"), data={"round": round_.code, "later": True})
    assert "未封存，且早于链上最新一节" in failure() and f"#{entry.pk}" in failure()

    assert writes(lambda: call_command("seal_audit")) == []  # without --confirm it only lists
    listed = capsys.readouterr().out
    assert "待封存的日志 1 条" in listed and f"#{entry.pk}" in listed and "未做任何改动" in listed
    call_command("seal_audit", "--confirm")
    assert "已封存 1 条，并记入审计日志" in capsys.readouterr().out
    assert verify_chain().ok and not ChainLink.objects.filter(seq__isnull=True).exists()
    adopted = ModelLogEntry.objects.get(action=PENDING_SEALED)
    assert adopted.data["actor"] == "system:seal_audit" and adopted.data["count"] == 1
    assert adopted.data["entries"][0]["id"] == entry.pk and adopted.data["entries"][0]["action"] == ROUND_EDITED


def test_seal_audit_refuses_a_link_whose_entry_changed(story):
    forged = forge_pending()
    sql(f"UPDATE {ChecklistLogEntry._meta.db_table} SET reason = %s WHERE id = %s", "又改了", forged.pk)
    with pytest.raises(CommandError, match="内容与写入时不符，未封存"):
        call_command("seal_audit", "--confirm")
    assert ChainLink.objects.get(entry_id=forged.pk, log_model="checklists.checklistlogentry").seq is None


def test_time_going_backwards_along_the_chain_is_caught(story):
    """Seal times only go forward: a link re-sealed with an earlier time (its digest and the head recomputed, as
    someone with the database could) is named."""
    before_last, last = ChainLink.objects.order_by("-seq")[1], ChainLink.objects.order_by("-seq")[0]
    assert before_last.sealed_at and last.sealed_at >= before_last.sealed_at
    earlier = before_last.sealed_at - timedelta(hours=1)
    digest = chain.chained_digest(last.prev_digest, last.seq, last.content_digest, earlier)
    sql(f"UPDATE {ChainLink._meta.db_table} SET sealed_at = %s, digest = %s WHERE id = %s", earlier, digest, last.pk)
    sql(f"UPDATE {ChainHead._meta.db_table} SET digest = %s", digest)
    message = failure()
    assert f"第 {last.seq} 号链节" in message and "链上的时间倒退了" in message


def test_an_entry_written_after_its_seal_is_caught(story):
    last = ChainLink.objects.order_by("-seq").first()
    sql(f"UPDATE {ChainLink._meta.db_table} SET created_at = %s WHERE id = %s",
        last.sealed_at + timedelta(minutes=1), last.pk)
    assert "晚于它的封存时间" in failure()


def test_a_link_without_a_seal_time_after_sealed_ones_is_caught(story):
    """A link forged in the old form (its digest over prev:seq:content only) cannot follow links with seal times."""
    last = ChainLink.objects.order_by("-seq").first()
    digest = chain.chained_digest(last.prev_digest, last.seq, last.content_digest, None)
    sql(f"UPDATE {ChainLink._meta.db_table} SET sealed_at = NULL, digest = %s WHERE id = %s", digest, last.pk)
    sql(f"UPDATE {ChainHead._meta.db_table} SET digest = %s", digest)
    assert "缺少封存时间" in failure()
