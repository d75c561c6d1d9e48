"""The `audit_log` command: every recorded event, oldest first, as JSON or CSV, with filters."""

import csv
import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import ModelLogEntry, PageLogEntry

from audit.actors import system
from checklists import audit, decisions, services
from checklists.evidence import evidence_add, evidence_remove
from checklists.models import ChecklistLogEntry
from checklists.selectors.audit import COLUMNS
from communities.models import ProvincePage, Role
from standards.models import RoundStatus
from standards.rounds import ROUND_CLOSED, ROUND_REOPENED, round_set_status
from tests.checklists.photo_factory import make_jpeg

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 5, 1, 8, 0, tzinfo=SHANGHAI)
WIRELESS = {"wireless_on_demand": True}


def user(name):
    return get_user_model().objects.get(username=name)


def run(*args) -> str:
    out = io.StringIO()
    call_command("audit_log", *args, stdout=out)
    return out.getvalue()


def events(*args) -> list[dict]:
    return json.loads(run(*args, "--format", "json"))


@pytest.fixture
def trail(round_, community, other_unit_community, make_user):
    """A whole story for item 2 of the worker's community, an import elsewhere, and the round closing.

    Each event is given its own minute, in order, so the export's order and --since can be checked.
    """
    worker, verifier = user("worker"), user("verifier")
    bureau = make_user("province-bureau", Role.BUREAU, ProvincePage.objects.get())  # the round spans the province
    importer = make_user("district-importer", Role.VERIFIER, other_unit_community.unit)
    result = services.answer_save(
        round_=round_, community=community, item_number=2, user=worker, values=WIRELESS
    ).result
    photo = evidence_add(result=result, user=worker, data=make_jpeg(320, 240), filename="ap.jpg")
    services.item_submit(result=result, user=worker)
    decisions.item_return(result=result, user=verifier, reason="照片看不清接入点")
    evidence_add(result=result, user=worker, data=make_jpeg(640, 480, pattern_seed=7), filename="ap2.jpg")
    evidence_remove(evidence=photo, user=worker)
    services.item_submit(result=result, user=worker)
    decisions.item_approve(result=result, user=verifier)
    decisions.item_reopen(result=result, user=verifier, reason="户数有变")
    # The import command writes through the same services with via="import" and records the import itself.
    imported = services.answer_save(
        round_=round_, community=other_unit_community, item_number=2, user=importer, values=WIRELESS,
        via="import",
    ).result
    audit.record(imported, "imported", user=importer, from_status="draft", to_status="approved", via="import")
    round_set_status(round_=round_, user=bureau, status=RoundStatus.CLOSED, reason="年度核查结束")
    round_set_status(round_=round_, user=bureau, status=RoundStatus.OPEN, reason="补录")
    rounds = ModelLogEntry.objects.filter(action__in=[ROUND_CLOSED, ROUND_REOPENED])
    entries = [*ChecklistLogEntry.objects.order_by("pk"), *rounds.order_by("pk")]
    for minute, entry in enumerate(entries):
        type(entry).objects.filter(pk=entry.pk).update(timestamp=START + timedelta(minutes=minute))
    # The set-up (register import, role assignments, opening the round) happened the day before.
    ModelLogEntry.objects.exclude(pk__in=rounds).update(timestamp=START - timedelta(days=1))
    PageLogEntry.objects.update(timestamp=START - timedelta(days=1))
    return result


def test_json_tells_the_whole_story_oldest_first(trail, community):
    rows = events("--community", community.code)
    # The register import that created the community's page is one entry on the province, not one per page.
    assert [r["action"] for r in rows] == [
        "saved", "photo_added", "submitted", "returned", "photo_added", "photo_removed", "submitted", "approved",
        "reopened", "round_closed", "round_reopened",
    ]
    assert all(set(COLUMNS) <= set(r) for r in rows)
    assert [r["at"] for r in rows] == sorted(r["at"] for r in rows)
    assert rows[0]["at"] == "2026-05-01T08:00:00+08:00"
    returned = rows[3]
    assert returned == {
        "at": "2026-05-01T08:03:00+08:00", "user": "verifier", "action": "returned", "community": community.code,
        "round": "2026", "item": 2, "from_status": "submitted", "to_status": "returned",
        "reason": "照片看不清接入点", "via": "web",
    }
    assert (rows[8]["from_status"], rows[8]["to_status"], rows[8]["reason"]) == ("approved", "returned", "户数有变")
    closing = rows[9]
    assert (closing["user"], closing["community"], closing["item"], closing["reason"]) == (
        "province-bureau", None, None, "年度核查结束"
    )
    assert (rows[10]["from_status"], rows[10]["to_status"]) == ("closed", "open")


def test_imported_results_appear_by_the_importing_user(trail, other_unit_community):
    rows = [r for r in events("--community", other_unit_community.code) if r["item"]]
    assert [(r["action"], r["user"], r["via"]) for r in rows] == [
        ("saved", "district-importer", "import"), ("imported", "district-importer", "import"),
    ]
    assert rows[1]["to_status"] == "approved"


def test_without_filters_everything_is_listed(trail):
    rows = events()
    assert len(rows) == ChecklistLogEntry.objects.count() + ModelLogEntry.objects.count() + PageLogEntry.objects.count()
    assert {r["community"] for r in rows} >= {"379902001001", "379921001001", None}
    # The set-up's own events too, by their action names, saying what they were about.
    actions = {r["action"] for r in rows}
    assert {"communities.register_imported", "communities.role_assigned", "standards.version_created"} <= actions
    assigned = next(r for r in rows if r["action"] == "communities.role_assigned" and "province-bureau" in r["object"])
    assert set(COLUMNS) <= set(assigned) and assigned["item"] is None


def test_csv_has_the_same_rows(trail, community):
    text = run("--community", community.code, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == ",".join(COLUMNS)
    as_json = events("--community", community.code)
    assert len(rows) == len(as_json)
    assert rows[0]["action"] == "saved" and rows[0]["community"] == community.code
    assert rows[3]["action"] == "returned" and rows[3]["reason"] == "照片看不清接入点" and rows[3]["item"] == "2"
    assert rows[0]["at"] == as_json[0]["at"]


def test_since_keeps_later_events(trail, community):
    rows = events("--community", community.code, "--since", "2026-05-01T08:07:00+08:00")
    assert [r["action"] for r in rows] == ["approved", "reopened", "round_closed", "round_reopened"]
    # A date alone means its local midnight; a naive time is local time.
    assert len(events("--since", "2026-05-02")) == 0
    assert [r["action"] for r in events("--community", community.code, "--since", "2026-05-01 08:12")] == [
        "round_reopened"
    ]


def test_round_filter(trail, round_, standard):
    from standards.rounds import round_open

    round_open("2027", user=system("tests"))
    # Opening the round is on the trail, named by the command that did it; nothing else is about 2027.
    opened = [(e["action"], e["user"]) for e in events("--round", "2027")]
    assert opened == [("standards.round_created", "system:tests")]
    assert events("--round", "2026") == [e for e in events() if e["round"] == "2026"]


@pytest.mark.parametrize(
    "args,message",
    [
        (["--community", "379999999999"], "找不到社区"),
        (["--round", "1999"], "找不到轮次"),
        (["--since", "上周"], "不是有效的 ISO 时间"),
        (["--since", "2026-13-01"], "不是有效的 ISO 时间"),
    ],
)
def test_bad_input_fails_clearly(trail, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_an_unknown_format_is_refused(demo):
    with pytest.raises(CommandError):
        run("--format", "xml")


def test_the_results_import_shows_up_by_the_importing_user(tmp_path, round_, community, make_user):
    """Done-when of issue 4: `audit_log --community CODE` shows imported results and returned reasons."""
    make_user("district-importer", Role.VERIFIER, community.unit)
    (tmp_path / "ap.jpg").write_bytes(make_jpeg(640, 480, pattern_seed=11))
    record = {"community": community.code, "round": "2026", "item": 2, "values": WIRELESS, "photos": ["ap.jpg"],
              "status": "returned", "note": "纸质核查：接入点照片缺失编号"}
    (tmp_path / "results.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    call_command("import_results", str(tmp_path / "results.jsonl"), "--user", "district-importer", stdout=io.StringIO())

    rows = [r for r in events("--community", community.code) if r["item"]]
    assert rows and {(r["user"], r["via"]) for r in rows} == {("district-importer", "import")}
    assert rows[-1]["action"] == "imported" and rows[-1]["to_status"] == "returned"
    returned = [r for r in rows if r["action"] == "returned"]
    assert [r["reason"] for r in returned] == ["纸质核查：接入点照片缺失编号"]
    assert "photo_added" in [r["action"] for r in rows]
