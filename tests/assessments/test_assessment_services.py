"""Assessment writes without a request: the version pinned by the round's first write, values stored exactly,
Chinese messages naming the input, overrides needing a reason, the audit trail, scope and closed rounds."""

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from assessments import selectors, services
from assessments.models import Assessment, IndicatorValue, ScoringPin
from assessments.regions import region_by
from audit.actors import system
from communities.models import ProvincePage, Role, UnitPage
from standards.models import RoundStatus
from standards.versions import standard_save


def save(user, round_, region, number, values, note=""):
    return services.indicator_save(user=user, round_=round_, region=region, number=number, values=values, note=note)


def test_the_first_write_pins_the_version_and_it_never_moves_once_values_exist(assess, bureau, city, scoring_standard):
    assert not ScoringPin.objects.exists()
    save(bureau, assess, city, 1, {"percent": "90"})
    pin = ScoringPin.objects.get(round=assess)
    assert pin.standard == scoring_standard
    changed = {**scoring_standard.data, "title": scoring_standard.data["title"] + "（修订）"}
    newer, created = standard_save(changed, user=system("tests"))
    assert created and newer.version == 2
    save(bureau, assess, city, 2, {"download_speed": "25"})
    assert ScoringPin.objects.get(round=assess).standard == scoring_standard
    assert selectors.scoring_standard(assess) == scoring_standard
    assert selectors.result_for(assess, city).standard == scoring_standard
    entry = ModelLogEntry.objects.filter(action=services.PINNED).get()
    assert entry.data["version"] == 1


def test_before_any_value_the_pin_follows_the_newest_version(assess, bureau, city, scoring_standard):
    services.assessment_start(user=bureau, round_=assess, region=city)
    assert ScoringPin.objects.get().standard == scoring_standard
    newer, _ = standard_save({**scoring_standard.data, "title": "修订版"}, user=system("tests"))
    save(bureau, assess, city, 1, {"percent": "90"})
    assert ScoringPin.objects.get().standard == newer  # nothing referred to version 1 yet
    moved = ModelLogEntry.objects.filter(action=services.PINNED).order_by("pk").last()
    assert moved.data["from"] == str(scoring_standard) and moved.data["version"] == 2


def test_values_are_stored_exactly_as_typed_and_logged_from_what_to_what(assess, bureau, city):
    save(bureau, assess, city, 4, {"coverage_percent": 90, "integrity_percent": "88.50"}, note="公安局 2026-03 统计")
    value = IndicatorValue.objects.get(number=4)
    assert value.values == {"coverage_percent": "90", "integrity_percent": "88.50"}
    assert value.note == "公安局 2026-03 统计" and value.updated_by == bureau and value.via == "web"
    save(bureau, assess, city, 4, {"coverage_percent": "95", "integrity_percent": "95"}, note="复核")
    entries = selectors.history(Assessment.objects.get(), 4)
    latest = entries.first()
    assert latest.action == services.VALUE_SAVED and latest.user == bureau
    assert latest.data["from"] == {"values": {"coverage_percent": "90", "integrity_percent": "88.50"},
                                   "note": "公安局 2026-03 统计"}
    assert latest.data["to"] == {"values": {"coverage_percent": "95", "integrity_percent": "95"}, "note": "复核"}
    save(bureau, assess, city, 4, {"coverage_percent": "95", "integrity_percent": "95"}, note="复核")
    assert entries.count() == 2  # saving the same again changes nothing and logs nothing


def test_bad_values_are_refused_in_chinese_naming_each_input(assess, bureau, city):
    with pytest.raises(services.AssessmentError) as caught:
        save(bureau, assess, city, 4, {"coverage_percent": "101", "integrity_percent": "8.123", "colour": 1})
    errors = caught.value.errors
    assert errors["coverage_percent"] == "城市重点公共区域高清视频监控覆盖率：请输入0到100之间的百分数"
    assert errors["integrity_percent"] == "城市重点公共区域视频监控摄像机完好率：最多保留2位小数"
    assert errors["colour"] == "colour：不是本指标的输入项"
    with pytest.raises(services.AssessmentError, match="没有第99项指标"):
        save(bureau, assess, city, 99, {"percent": 1})
    assert not IndicatorValue.objects.exists()


def test_clearing_every_input_removes_the_value_and_is_logged(assess, bureau, city):
    save(bureau, assess, city, 1, {"percent": "90"})
    assert save(bureau, assess, city, 1, {"percent": ""}) is None
    assert not IndicatorValue.objects.exists()
    cleared = selectors.history(Assessment.objects.get(), 1).first()
    assert cleared.action == services.VALUE_CLEARED and cleared.data["from"]["values"] == {"percent": "90"}
    assert selectors.result_for(assess, city).figures.indicator(1).score.missing


def test_an_override_needs_a_reason_and_keeps_the_computed_value(assess, bureau, county):
    with pytest.raises(services.AssessmentError, match="必须说明理由"):
        save(bureau, assess, county, 28, {"percent": "90"})
    save(bureau, assess, county, 28, {"percent": "90"}, note="县网格办台账")
    entry = selectors.result_for(assess, county).as_dict()["indicators"][27]
    assert entry["number"] == 28 and entry["source"] == "override" and entry["points"] == 8
    assert entry["computed"]["values"] == {"percent": "0.00"} and entry["computed"]["basis"]["communities"] == 4
    logged = ModelLogEntry.objects.filter(action=services.OVERRIDDEN).get()
    assert logged.data["to"] == {"values": {"percent": "90"}, "note": "县网格办台账"}


def test_the_deduction_takes_incidents(assess, bureau, city):
    save(bureau, assess, city, 45, {"incidents": 3})
    assert selectors.result_for(assess, city).figures.score.total == -15
    with pytest.raises(services.AssessmentError, match="请输入不小于0的整数"):
        save(bureau, assess, city, 45, {"incidents": "1.5"})


def test_scope_city_bureau_edits_its_counties_a_county_bureau_only_its_own(assess, make_user, city, county):
    from communities.models import CityPage
    from tests.coverage.coverage_factory import build_region

    build_region([("379801", "另一县", "county", [("001", "subdistrict", 1)])])
    stranger = make_user("other-city", Role.BUREAU, CityPage.objects.get(code="379800"))
    with pytest.raises(PermissionDenied, match="只有本市或本县"):
        save(stranger, assess, city, 1, {"percent": "90"})
    with pytest.raises(PermissionDenied):
        save(stranger, assess, county, 1, {"percent": "90"})
    county_bureau = make_user("county-bureau", Role.BUREAU, UnitPage.objects.get(code="379921"))
    save(county_bureau, assess, county, 1, {"percent": "90"})
    with pytest.raises(PermissionDenied):
        save(county_bureau, assess, city, 1, {"percent": "90"})
    verifier = make_user("a-verifier", Role.VERIFIER, UnitPage.objects.get(code="379921"))
    with pytest.raises(PermissionDenied):  # verifiers do not score
        save(verifier, assess, county, 2, {"download_speed": "30"})
    province = make_user("province", Role.BUREAU, ProvincePage.objects.get())
    save(province, assess, region_by("county", "379801"), 1, {"percent": "50"})
    assert Assessment.objects.count() == 2


def test_a_closed_round_refuses_changes(assess, bureau, city):
    assess.status = RoundStatus.CLOSED
    assess.save()
    with pytest.raises(services.AssessmentError, match="已关闭"):
        save(bureau, assess, city, 1, {"percent": "90"})


def test_no_scoring_standard_is_a_clear_message(round_, demo, bureau):
    with pytest.raises(services.AssessmentError, match="尚未载入评分标准 SD-ZHCS-2019"):
        save(bureau, round_, region_by("city", "379900"), 1, {"percent": "90"})
    with pytest.raises(selectors.NoScoringStandard):
        selectors.scoring_standard(round_)


def test_a_snapshot_freezes_the_whole_assessment(assess, bureau, city):
    save(bureau, assess, city, 1, {"percent": "90"})
    snapshot = services.snapshot_create(user=bureau, round_=assess, region=city, note="申报定稿")
    save(bureau, assess, city, 1, {"percent": "100"})
    frozen = snapshot.data
    assert frozen["contract"]["total"] == 8 and frozen["contract"]["indicators"][0]["values"] == {"percent": "90"}
    assert frozen["document"]["total"] == 8 and frozen["standard"] == {"code": "SD-ZHCS-2019", "version": 1}
    assert frozen["contract"]["next_star"] == {"star": 1, "points_needed": 42,
                                               "plan": [{"indicator": 48, "from_points": 0, "to_points": 50}]}
    assert selectors.result_for(assess, city).figures.score.total == 10
    assert ModelLogEntry.objects.filter(action=services.SNAPSHOT_CREATED).get().data["total"] == 8
