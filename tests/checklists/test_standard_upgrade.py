"""Loading version 2 of the community standard: a round pinned to version 1 keeps its answers, stored verdicts
and coverage, and re-evaluates them under version 1; a new round opens on version 2, and the phone, the
services and the results import read each round's answers under its own version."""

import json
import re

import pytest

from audit.actors import system
from checklists import services
from checklists.decisions import item_approve
from checklists.evidence import evidence_add
from checklists.models import ItemResult, Status
from checklists.results_import import import_results
from communities.models import CityPage, CommunityPage, Role
from coverage.rollup import coverage_for_round
from standards.evaluation import summary
from standards.models import Round
from standards.rounds import round_open
from standards.versions import latest, load_bundled
from tests.checklists.photo_factory import make_jpeg
from tests.coverage.coverage_factory import passing_values

SMART = "379902001001"
# Item 24 answered as version 1 allowed: a system not connected, marked 本社区无此设施.
ITEM_24 = ({"registration": True, "connected_systems": ["public_security", "political_legal"]},
           {"connected_systems": {"justice": "本社区未对接司法局"}})


def fill_and_approve(round_, community, worker, verifier) -> None:
    for item in round_.standard.items:
        values, marks = ITEM_24 if item["number"] == 24 else (passing_values(item), {})
        result = services.answer_save(round_=round_, community=community, item_number=item["number"], user=worker,
                                      values=values, not_applicable=marks).result
        evidence_add(result=result, user=worker, data=make_jpeg(64, 48, pattern_seed=item["number"]),
                     filename=f"{item['number']}.jpg")
        item_approve(result=services.item_submit(result=result, user=worker), user=verifier)


def stored(round_) -> list[tuple]:
    return list(ItemResult.objects.filter(round=round_).order_by("pk").values_list(
        "item_number", "status", "rules_pass", "complete", "evaluation", "values", "not_applicable"))


def figures(round_) -> dict:
    return {k: v for k, v in coverage_for_round(round_).items() if k != "generated_at"}


@pytest.fixture
def approved_v1_round(round_, worker, verifier):
    """Round 2026 on version 1, one community smart with item 24 passing through a mark v2 forbids."""
    fill_and_approve(round_, CommunityPage.objects.get(code=SMART), worker, verifier)
    return round_


def test_a_round_pinned_to_v1_keeps_its_results_verdicts_and_coverage(approved_v1_round):
    round_ = approved_v1_round
    before, coverage_before = stored(round_), figures(round_)
    assert coverage_before["units"][0]["smart_communities"] == 1
    loaded = load_bundled(user=system("tests"))
    created = [version.version for version, new in loaded if new and version.code == round_.standard.code]
    assert created == [2] and latest().version == 2
    round_ = Round.objects.get(pk=round_.pk)
    assert round_.standard.version == 1 and not round_.standard.na_flags
    assert stored(round_) == before and figures(round_) == coverage_before
    for result in ItemResult.objects.filter(round=round_).select_related("round__standard"):
        evaluation = services.evaluate(result)  # re-evaluated under the round's version 1
        assert evaluation.passed and summary(evaluation) == result.evaluation
    assert all(r.status == Status.APPROVED and r.passes for r in ItemResult.objects.filter(round=round_))


def test_a_new_round_opens_on_v2_and_reads_the_same_answer_under_v2(approved_v1_round, worker):
    load_bundled(user=system("tests"))
    round_2027, created = round_open("2027", name="2027年度", user=system("tests"))
    assert created and round_2027.standard == latest() and round_2027.standard.version == 2
    values, marks = ITEM_24
    outcome = services.answer_save(round_=round_2027, community=CommunityPage.objects.get(code=SMART),
                                   item_number=24, user=worker, values=values, not_applicable=marks)
    assert not outcome.evaluation.complete and not outcome.result.rules_pass and not outcome.result.complete
    assert outcome.result.evaluation["errors"][0]["message"].endswith("不能标记为“本社区无此设施”")
    with pytest.raises(services.IncompleteError):
        services.item_submit(result=outcome.result, user=worker)
    old = ItemResult.objects.get(round=approved_v1_round, item_number=24)
    assert old.passes and services.evaluate(old).passed


def test_the_phone_offers_the_box_only_on_options_v2_lets_be_marked(approved_v1_round, client, worker):
    load_bundled(user=system("tests"))
    round_open("2027", user=system("tests"))  # the newest open round is the one the phone fills
    client.force_login(worker)
    body = client.get("/c/379902001002/").content.decode()
    boxes = set(re.findall(r'name="na\.(\w+)" value="(\w+)"', body))
    assert {o for f, o in boxes if f == "iot_services"} == {"ev_charging", "parking", "elevator"}
    assert not {o for f, o in boxes if f in ("connected_systems", "publish_channels", "vehicle_management")}
    assert {o for f, o in boxes if f == "monitored_areas"} == {"square", "activity_center", "market", "park",
                                                                "underpass"}
    assert "充电桩、车位、电梯控制如没有，请勾选“本社区无此设施”并说明" in body
    standard_json = json.loads(body.split('id="zhsq-standard"', 1)[1].split(">", 1)[1].split("</script>", 1)[0])
    assert standard_json["na_flags"] is True


def test_the_phone_under_v1_still_offers_the_box_on_every_option_of_an_all_list(round_, client, worker):
    client.force_login(worker)
    body = client.get("/c/379902001002/").content.decode()
    assert 'name="na.connected_systems" value="justice"' in body
    assert 'name="na.iot_services" value="temp_humidity"' in body
    assert 'name="na.publish_channels"' not in body


def test_the_results_import_refuses_a_mark_v2_forbids(round_, make_user, tmp_path, demo):
    load_bundled(user=system("tests"))
    Round.objects.filter(pk=round_.pk).update(status="closed")
    round_open("2027", user=system("tests"))
    importer = make_user("district-clerk", Role.VERIFIER, CityPage.objects.get(code="379900"))
    values, marks = ITEM_24
    record = {"community": SMART, "round": "2027", "item": 24, "values": values, "not_applicable": marks,
              "photos": [], "status": "draft"}
    path = tmp_path / "results.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    report = import_results(path, user=importer)
    assert not report.ok and "不能标记为“本社区无此设施”" in str(report.errors)
    assert not ItemResult.objects.filter(round__code="2027").exists()
