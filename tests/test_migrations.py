"""An existing database upgrades with `migrate` and loses nothing (issue 9).

"Today's schema" is the one deployed databases have now: the schema of commit 6094469, before the apps were
split by concept. StandardVersion, Round and CoverageSnapshot lived in `checklists` (its migrations up to
0002_initial), Job lived in the `ops` app (ops 0001_initial, reproduced below since the app is gone), the
`standards`, `coverage` and `jobs` apps did not exist, and the moved models' content types were labelled
checklists.standardversion, checklists.round, checklists.coveragesnapshot and ops.job.

The test migrates the test database back to that schema, fills it through the historical models, migrates
forward the way a deployment does (`migrate`), and checks that every row of every table is unchanged, that the
content types kept their ids under the new labels (so permissions and log entries still reach the moved models),
that the current models read and write the kept tables, and that the upgraded schema is the one a new database gets.
"""

import datetime
import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps as current_apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, migrations, models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import F
from django_tasks_db.models import DBTaskResult
from wagtail.models import ModelLogEntry, Page

import jobs.models
from checklists.models import ChecklistLogEntry, ItemResult
from communities.roles import ensure_role_groups
from coverage.models import CoverageSnapshot
from jobs.models import Job
from standards.models import Round, StandardVersion

# Today's schema, as migration targets: the three new apps not yet there.
TODAYS_SCHEMA = [
    ("checklists", "0002_initial"),
    ("communities", "0001_initial"),
    ("standards", None),
    ("coverage", None),
    ("jobs", None),
    ("assessments", None),
    ("pilots", None),
    ("publications", None),
]
# Apps added since today's schema with tables of their own: their (empty) tables appear with the upgrade.
NEW_APPS = ("assessments", "pilots", "publications")
# The moves of issue 9; later migrations (new columns, new apps) are applied too, whatever they are.
SPLIT_MIGRATIONS = {
    ("standards", "0001_initial"), ("coverage", "0001_initial"), ("checklists", "0003_split_apps"),
    ("jobs", "0001_initial"), ("jobs", "0002_queued_tasks_follow_the_move"),
}
TASK_TABLE = "django_tasks_database_dbtaskresult"
OLD_TASK, NEW_TASK = "ops.tasks.run_job_task", "jobs.tasks.run_job_task"
# (model, label today, label after the upgrade)
MOVED = [
    ("standardversion", "checklists", "standards"),
    ("round", "checklists", "standards"),
    ("coveragesnapshot", "checklists", "coverage"),
    ("job", "ops", "jobs"),
]
AT = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


class OpsInitial(migrations.Migration):
    """ops/migrations/0001_initial.py as of 6094469, the app that held Job.

    upload_to named ops.models.job_result_path, gone with the app; it never reaches the schema.
    """

    initial = True
    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]
    operations = [
        migrations.CreateModel(
            name="Job",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[
                    ("coverage_export", "覆盖率导出"), ("qr_sheets", "二维码张贴单批量生成"),
                    ("photo_renditions", "照片展示图与缩略图重建"),
                ], max_length=32, verbose_name="任务类型")),
                ("params", models.JSONField(blank=True, default=dict, verbose_name="参数")),
                ("status", models.CharField(choices=[
                    ("queued", "排队中"), ("running", "运行中"), ("done", "已完成"), ("failed", "失败"),
                ], default="queued", max_length=8, verbose_name="状态")),
                ("progress", models.PositiveSmallIntegerField(default=0, verbose_name="进度（%）")),
                ("message", models.CharField(blank=True, max_length=200, verbose_name="进度说明")),
                ("result", models.FileField(
                    blank=True, max_length=255, upload_to=jobs.models.job_result_path, verbose_name="结果文件"
                )),
                ("result_name", models.CharField(blank=True, max_length=200, verbose_name="结果文件名")),
                ("error", models.TextField(blank=True, verbose_name="错误信息")),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="运行次数")),
                ("task_id", models.CharField(blank=True, max_length=64, verbose_name="后台任务编号")),
                ("idempotency_key", models.CharField(max_length=100, unique=True, verbose_name="幂等键")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="提交时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="最后更新")),
                ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="开始时间")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="结束时间")),
                ("created_by", models.ForeignKey(
                    blank=True, null=True, on_delete=models.deletion.SET_NULL, related_name="+",
                    to=settings.AUTH_USER_MODEL, verbose_name="提交人",
                )),
            ],
            options={
                "verbose_name": "后台任务",
                "verbose_name_plural": "后台任务",
                "ordering": ["-created_at", "-pk"],
                "indexes": [models.Index(fields=["created_by", "-created_at"], name="job_owner_idx")],
            },
        ),
    ]


@pytest.fixture
def back_at_latest_migrations(transactional_db):
    """Whatever happens in the test, leave the schema at the leaf migrations for the tests that follow.

    The flush after a transactional test then empties the tables and brings back content types and permissions
    under today's labels, and tests/conftest.py's autouse fixture the Wagtail root page, site and collection.
    """
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    MigrationRecorder(connection).migration_qs.filter(app="ops").delete()
    ContentType.objects.clear_cache()


@pytest.mark.django_db(transaction=True)
def test_migrate_upgrades_todays_database_and_loses_nothing(back_at_latest_migrations):
    fresh_schema = _schema()
    old_apps = _migrate_to_todays_schema()
    filled = _fill(old_apps)
    # What every migrate re-creates afterwards (the role groups' page permissions need the root page, which a
    # previous transactional test's flush may have removed before its post_migrate ran) is there already.
    ensure_role_groups()
    before = _rows()
    assert {table: len(before[table][1]) for table in filled.counts} == filled.counts

    call_command("migrate", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    after = _rows()

    _assert_rows_kept(before, after)
    _assert_moved_models_resolve(filled)
    _assert_current_models_read_and_write(filled)
    _assert_schema_matches_models()
    assert _schema() == fresh_schema, "an upgraded database should have the schema of a new one"


# Going back to today's schema


def _migrate_to_todays_schema():
    """Unapply the split, recreate what the ops app had, label the content types as they were; return the apps."""
    executor = MigrationExecutor(connection)
    executor.migrate(TODAYS_SCHEMA)
    state = executor.loader.project_state([target for target in TODAYS_SCHEMA if target[1]])
    with connection.schema_editor() as editor:
        state = OpsInitial("0001_initial", "ops").apply(state, editor)
    MigrationRecorder(connection).record_applied("ops", "0001_initial")
    old_apps = state.apps
    ContentType = old_apps.get_model("contenttypes", "ContentType")
    for model, old_label, new_label in MOVED:
        ContentType.objects.filter(app_label=new_label, model=model).update(app_label=old_label)
        ContentType.objects.get_or_create(app_label=old_label, model=model)
    assert not ContentType.objects.filter(app_label__in=["standards", "coverage", "jobs"]).exists()
    assert "ops_job" in connection.introspection.table_names()
    return old_apps


# Filling it through the historical models


def _fill(apps) -> SimpleNamespace:
    """Store one of everything the moved models touch; return what the current models should find."""
    users = _users(apps)
    communities = _region_tree(apps, users)
    round_ = _standard_and_round(apps, users)
    results = _results(apps, round_, communities, users)
    _log_round_closed(apps, round_, users["bureau"])
    group = _round_managers(apps, users["bureau"])
    snapshot = apps.get_model("checklists", "CoverageSnapshot").objects.create(
        round=round_, data={"province": {"communities": 2, "smart": 1, "ratio": "50.0"}}, note="申报材料",
        created_by=users["bureau"],
    )
    _tasks_of_the_old_app(apps)
    job = apps.get_model("ops", "Job").objects.create(
        kind="coverage_export", params={"round": "2026", "format": "xlsx"}, status="done", progress=100,
        message="完成", result="jobs/2026/03/0f3c9a/覆盖率-2026.xlsx", result_name="智慧社区覆盖率-2026.xlsx",
        attempts=1, task_id=str(uuid.uuid4()), idempotency_key="coverage_export:2026:xlsx",
        created_by=users["bureau"], started_at=AT, finished_at=AT + datetime.timedelta(seconds=4),
    )
    return SimpleNamespace(
        round_id=round_.pk, standard_id=round_.standard_id, group_id=group.pk, snapshot_id=snapshot.pk,
        job_id=job.pk, bureau_id=users["bureau"].pk, results=results,
        counts={
            "checklists_standardversion": 1, "checklists_round": 1, "checklists_itemresult": 4,
            "checklists_evidence": 2, "checklists_savereceipt": 2, "checklists_checklistlogentry": 5,
            "checklists_coveragesnapshot": 1, "ops_job": 1, "wagtailcore_modellogentry": 1,
            "communities_communitypage": 2, "communities_assignment": 3, TASK_TABLE: 2,
        },
    )


def _tasks_of_the_old_app(apps) -> None:
    """One task still queued when the upgrade happens, one finished long before.

    The task backend's own app is not rolled back with ours, so its current model is the historical one too.
    """
    common = {"queue_name": "default", "backend_name": "default", "args_kwargs": {"args": [1], "kwargs": {}},
              "task_path": OLD_TASK}
    DBTaskResult.objects.create(status="READY", **common)
    DBTaskResult.objects.create(status="SUCCESSFUL", **common)


def _users(apps) -> dict:
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    return {name: User.objects.create(username=name, password="!", first_name=name) for name in
            ("worker", "verifier", "bureau")}


def _add_page(apps, model_name: str, parent, title: str, slug: str, **fields):
    """Add a region page under `parent`, doing by hand what treebeard does (historical models have no tree API)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="communities", model=model_name.lower())
    page = apps.get_model("communities", model_name).objects.create(
        path=Page._get_path(parent.path, parent.depth + 1, parent.numchild + 1), depth=parent.depth + 1,
        numchild=0, title=title, draft_title=title, slug=slug, url_path=f"{parent.url_path}{slug}/",
        content_type=content_type, locale_id=parent.locale_id, live=True, first_published_at=AT, **fields,
    )
    apps.get_model("wagtailcore", "Page").objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    parent.numchild += 1
    return page


def _region_tree(apps, users) -> list:
    root = apps.get_model("wagtailcore", "Page").objects.get(depth=1)
    province = _add_page(apps, "ProvincePage", root, "山东省", "shandong", code="370000")
    city = _add_page(apps, "CityPage", province, "测试市", "ceshi", code="379900")
    unit = _add_page(apps, "UnitPage", city, "测试区", "ceshiqu", code="379901", kind="main_urban_district", city=city)
    street = _add_page(apps, "StreetPage", unit, "迁移街道", "qianyi", code="379901001", kind="subdistrict", unit=unit)
    communities = [
        _add_page(apps, "CommunityPage", street, title, slug, code=code, households=households,
                  city=city, unit=unit, street=street)
        for title, slug, code, households in [
            ("东风社区", "dongfeng", "379901001001", 1200), ("西园社区", "xiyuan", "379901001002", None),
        ]
    ]
    Assignment = apps.get_model("communities", "Assignment")
    Assignment.objects.create(user=users["worker"], role="worker", region=communities[0])
    Assignment.objects.create(user=users["verifier"], role="verifier", region=unit)
    Assignment.objects.create(user=users["bureau"], role="bureau", region=province)
    return communities


def _standard_and_round(apps, users):
    standard = apps.get_model("checklists", "StandardVersion").objects.create(
        code="SD-ZHSQ-2019", version=1, title="山东省智慧社区建设规范", checksum="a" * 64, note="初版",
        data={"min_photos": 1, "items": [{"number": n, "title": f"第{n}项"} for n in (1, 2, 3)]},
        created_by=users["bureau"],
    )
    return apps.get_model("checklists", "Round").objects.create(
        code="2026", name="2026年度", standard=standard, status="closed", opened_at=AT,
        closed_at=AT + datetime.timedelta(days=90),
    )


def _results(apps, round_, communities, users) -> list[tuple]:
    """Item results in every status, with their photos, save receipts and audit entries."""
    ItemResult = apps.get_model("checklists", "ItemResult")
    east, west = communities
    rows = [
        (east, 1, "approved", {"count": 3, "area": "120.50", "系统": ["智慧养老", "智慧安防"]}, {}),
        (east, 2, "submitted", {"ratio": {"num": 7, "den": 9}}, {}),
        (east, 3, "returned", {"count": 0}, {"elevator": "本社区无电梯"}),
        (west, 1, "draft", {}, {}),
    ]
    results = [
        ItemResult.objects.create(
            round=round_, community=community, item_number=number, status=status, values=values,
            not_applicable=not_applicable, note="备注" if number == 1 else "", rules_pass=status == "approved",
            complete=status != "draft", evaluation={"rules": [{"ok": status == "approved"}]}, revision=number,
            return_reason="照片不清晰" if status == "returned" else "", updated_by=users["worker"],
            submitted_at=None if status == "draft" else AT, decided_at=AT if decided else None,
            decided_by=users["verifier"] if decided else None,
        )
        for community, number, status, values, not_applicable in rows
        for decided in [status in ("approved", "returned")]
    ]
    _photos_and_receipts(apps, results[0], users["worker"])
    _audit_entries(apps, round_, results, users)
    return [(r.pk, r.community.code, r.item_number, r.status, r.values, r.not_applicable) for r in results]


def _photos_and_receipts(apps, result, worker) -> None:
    Evidence = apps.get_model("checklists", "Evidence")
    for n in (1, 2):
        Evidence.objects.create(
            result=result, original=f"evidence/2026/379901001001/{n:032x}/现场{n}.jpg",
            display=f"evidence/2026/379901001001/{n:032x}/display.jpg", original_name=f"现场{n}.jpg",
            sha256=f"{n}" * 64, phash=f"{n}" * 16, size=204800 + n, format="JPEG", width=4032, height=3024,
            taken_at=AT, gps_lat=Decimal("36.651216"), gps_lon=Decimal("117.120095"), flag_old=n == 2,
            flag_duplicate=n == 2, duplicate_of=[{"community": "379901001002", "sha256": "9" * 64}] if n == 2 else [],
            client_id=uuid.uuid4(), uploaded_by=worker, removed_at=AT if n == 2 else None,
        )
    SaveReceipt = apps.get_model("checklists", "SaveReceipt")
    for revision in (1, 2):
        SaveReceipt.objects.create(request_id=uuid.uuid4(), result=result, revision=revision)


def _audit_entries(apps, round_, results, users) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    item_type = ContentType.objects.get(app_label="checklists", model="itemresult")
    events = [
        (results[0], "saved", "draft", "draft", users["worker"]),
        (results[0], "submitted", "draft", "submitted", users["worker"]),
        (results[0], "approved", "submitted", "approved", users["verifier"]),
        (results[1], "submitted", "draft", "submitted", users["worker"]),
        (results[2], "returned", "submitted", "returned", users["verifier"]),
    ]
    LogEntry = apps.get_model("checklists", "ChecklistLogEntry")
    for n, (result, action, from_status, to_status, user) in enumerate(events):
        LogEntry.objects.create(
            content_type=item_type, object_id=str(result.pk),
            label=f"{result.community.title} · 第{result.item_number}项", action=f"checklists.{action}",
            data={"values": result.values}, timestamp=AT + datetime.timedelta(minutes=n),
            uuid=uuid.uuid4(), user=user, round_code=round_.code, community_code=result.community.code,
            item_number=result.item_number, from_status=from_status, to_status=to_status,
            reason=result.return_reason, via="web" if n % 2 else "import",
        )


def _log_round_closed(apps, round_, user) -> None:
    round_type = apps.get_model("contenttypes", "ContentType").objects.get(app_label="checklists", model="round")
    apps.get_model("wagtailcore", "ModelLogEntry").objects.create(
        content_type=round_type, object_id=str(round_.pk), label=round_.name, action="checklists.round_closed",
        data={"round": round_.code, "reason": "年度核查结束"}, timestamp=round_.closed_at, uuid=uuid.uuid4(), user=user,
    )


def _round_managers(apps, member):
    """A group holding the permission to change rounds, as an administrator may have set one up."""
    Permission = apps.get_model("auth", "Permission")
    group = apps.get_model("auth", "Group").objects.create(name="轮次管理员（迁移测试）")
    group.permissions.add(Permission.objects.get(
        content_type__app_label="checklists", content_type__model="round", codename="change_round"
    ))
    member.groups.add(group)
    return group


# Reading it back


def _rows() -> dict[str, tuple[list[str], list[tuple]]]:
    """Return every table's column names and rows, in primary-key order (raw SQL, no model involved)."""
    introspection, quote = connection.introspection, connection.ops.quote_name
    snapshot = {}
    with connection.cursor() as cursor:
        for table in sorted(introspection.table_names(cursor)):
            columns = [column.name for column in introspection.get_table_description(cursor, table)]
            order = introspection.get_primary_key_columns(cursor, table) or columns
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {', '.join(map(quote, order))}")
            snapshot[table] = ([column[0] for column in cursor.description], cursor.fetchall())
    return snapshot


def _schema() -> dict[str, tuple]:
    """Return every table's columns (name, type, nullable) and constraints, as introspection sees them."""
    introspection = connection.introspection
    schema = {}
    with connection.cursor() as cursor:
        for table in sorted(introspection.table_names(cursor)):
            columns = sorted(
                (column.name, column.type_code, column.null_ok)
                for column in introspection.get_table_description(cursor, table)
            )
            constraints = sorted(
                (name, tuple(c["columns"]), c["primary_key"], c["unique"], c["foreign_key"], c["index"])
                for name, c in introspection.get_constraints(cursor, table).items()
            )
            schema[table] = (columns, constraints)
    return schema


def _assert_rows_kept(before, after) -> None:
    """Every row is unchanged, but the moved models' content types (relabelled) and the migrations recorded."""
    new = {table for table in after if table.startswith(tuple(f"{app}_" for app in NEW_APPS))}
    assert set(after) - new == set(before), "no table should appear or disappear but the new apps' own"
    assert all(not after[table][1] for table in new), "a new app's tables start empty"
    # Later migrations may add columns (with their defaults); every column that was there keeps every value.
    after = {table: _projected(after[table], before[table][0]) if table in before else rows
             for table, rows in after.items()}
    changed = {
        table: _difference(before[table], after[table])
        for table in sorted(set(before) - {"django_content_type", "django_migrations", TASK_TABLE})
        if after[table] != before[table]
    }
    assert not changed, "rows changed by the upgrade"

    # A task queued by the old app's job now names the new task path; a finished one keeps its history.
    columns, rows = before[TASK_TABLE]
    status, path = columns.index("status"), columns.index("task_path")
    expected = [
        tuple(NEW_TASK if i == path and row[status] == "READY" else value for i, value in enumerate(row))
        for row in rows
    ]
    assert after[TASK_TABLE] == (columns, expected)
    assert sorted(row[path] for row in expected) == sorted([OLD_TASK, NEW_TASK])

    columns, rows = before["django_content_type"]
    relabel = {(old_label, model): new_label for model, old_label, new_label in MOVED}
    app, model = columns.index("app_label"), columns.index("model")
    expected = [
        tuple(relabel.get((row[app], row[model]), value) if i == app else value for i, value in enumerate(row))
        for row in rows
    ]
    assert after["django_content_type"] == (columns, expected), "content types keep their ids, moved ones relabelled"

    columns, rows = before["django_migrations"]
    assert after["django_migrations"][0] == columns
    assert set(rows) <= set(after["django_migrations"][1])
    app, name = columns.index("app"), columns.index("name")
    added = {(row[app], row[name]) for row in set(after["django_migrations"][1]) - set(rows)}
    known = set(MigrationLoader(connection, ignore_no_migrations=True).graph.nodes)
    assert SPLIT_MIGRATIONS <= added
    assert added == known - {(row[app], row[name]) for row in rows}, "every migration not applied before, no other"


def _projected(table: tuple[list, list], columns: list[str]) -> tuple[list, list]:
    """Return a table's rows cut down to `columns`, when it still has all of them."""
    names, rows = table
    if not set(columns) <= set(names):
        return table
    positions = [names.index(column) for column in columns]
    return columns, [tuple(row[i] for i in positions) for row in rows]


def _difference(before: tuple[list, list], after: tuple[list, list]) -> dict:
    """Say how a table changed: its columns, or the first rows lost and gained."""
    if before[0] != after[0]:
        return {"columns before": before[0], "columns after": after[0]}
    return {
        "lost": [row for row in before[1] if row not in after[1]][:3],
        "gained": [row for row in after[1] if row not in before[1]][:3],
    }


def _assert_moved_models_resolve(filled) -> None:
    """Permissions and log entries reach the moved models through their relabelled content types."""
    for model, _, new_label in MOVED:
        content_type = ContentType.objects.get(app_label=new_label, model=model)
        assert content_type.model_class() is current_apps.get_model(new_label, model)
    round_ = Round.objects.get()
    assert round_.pk == filled.round_id and round_.status == "closed"
    entry = ModelLogEntry.objects.for_instance(round_).get()
    assert (entry.action, entry.data["reason"]) == ("checklists.round_closed", "年度核查结束")
    assert entry.user_id == filled.bureau_id

    permission = Group.objects.get(pk=filled.group_id).permissions.get()
    assert (permission.content_type.app_label, permission.content_type.model) == ("standards", "round")
    bureau = get_user_model().objects.get(pk=filled.bureau_id)
    assert bureau.has_perm("standards.change_round") and not bureau.has_perm("checklists.change_round")

    result = ItemResult.objects.get(pk=filled.results[0][0])
    actions = list(ChecklistLogEntry.objects.for_instance(result).values_list("action", flat=True))
    assert actions == ["checklists.saved", "checklists.submitted", "checklists.approved"]
    assert all(not problems for problems in Page.find_problems()), "the region tree is a valid treebeard tree"


def _assert_current_models_read_and_write(filled) -> None:
    """The current ORM reads every moved model through its relations, and writes new rows to the kept tables."""
    results = list(ItemResult.objects.select_related("round__standard", "community").order_by("pk"))
    assert [(r.pk, r.community.code, r.item_number, r.status, r.values, r.not_applicable) for r in results] == (
        filled.results
    )
    assert {(r.round.code, r.round.standard.code) for r in results} == {("2026", "SD-ZHSQ-2019")}
    snapshot = CoverageSnapshot.objects.select_related("round__standard").get()
    assert (snapshot.pk, snapshot.round.standard_id) == (filled.snapshot_id, filled.standard_id)
    assert snapshot.data["province"]["ratio"] == "50.0"
    job = Job.objects.get()
    assert (job.pk, job.result.name, job.result_name, job.created_by_id) == (
        filled.job_id, "jobs/2026/03/0f3c9a/覆盖率-2026.xlsx", "智慧社区覆盖率-2026.xlsx", filled.bureau_id
    )

    standard = StandardVersion.objects.create(
        code="SD-ZHSQ-2019", version=2, title="山东省智慧社区建设规范", data={"items": []}, checksum="b" * 64
    )
    round_ = Round.objects.create(code="2027", name="2027年度", standard=standard, opened_at=AT)
    result = ItemResult.objects.create(round=round_, community=results[0].community, item_number=1)
    new_snapshot = CoverageSnapshot.objects.create(round=round_, data={})
    new_job = Job.objects.create(kind="qr_sheets", idempotency_key="qr_sheets:2027")
    assert standard.pk > filled.standard_id and round_.pk > filled.round_id and new_snapshot.pk > filled.snapshot_id
    assert new_job.pk > filled.job_id
    assert list(round_.results.all()) == [result] and list(round_.snapshots.all()) == [new_snapshot]
    assert Round.objects.get(pk=filled.round_id).results.count() == 4


def _assert_schema_matches_models() -> None:
    """Every project model's table exists with a column per concrete field, and no migration is missing."""
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        missing = []
        for model in _project_models():
            table = model._meta.db_table
            if table not in tables:
                missing.append(table)
                continue
            columns = {column.name for column in connection.introspection.get_table_description(cursor, table)}
            missing += [f"{table}.{field.column}" for field in model._meta.local_concrete_fields
                        if field.column not in columns]
            missing += [field.m2m_db_table() for field in model._meta.local_many_to_many
                        if field.m2m_db_table() not in tables]
    assert not missing
    try:
        call_command("makemigrations", check=True, dry_run=True, verbosity=0)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations --check found changes the migrations lack (exit {exit_.code})")


def _project_models() -> list[type[models.Model]]:
    base = str(settings.BASE_DIR)
    return [
        model
        for app in current_apps.get_app_configs()
        if app.path.startswith(base) and "/.venv/" not in app.path
        for model in app.get_models()
        if model._meta.managed and not model._meta.proxy
    ]
