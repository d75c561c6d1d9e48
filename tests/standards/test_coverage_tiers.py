"""One tier rule for 智慧社区覆盖率 (standards.coverage_tiers): the community standard's `rollup` decides; the
coverage evaluator (coverage.scoring) and the scoring engine (standards.scoring) give the same points and star at
every boundary; a self-assessment follows its round's rollup; a scoring standard that disagrees is refused."""

import copy
import math
from fractions import Fraction

import pytest
import yaml
from django.contrib.auth import get_user_model

from assessments import selectors
from audit.actors import system
from coverage import scoring as coverage_scoring
from coverage.rollup import coverage_for_round
from standards import coverage_tiers, scoring
from standards.models import StandardVersion
from standards.rounds import round_open
from standards.versions import BUNDLED, BUNDLED_V2, StandardError, parse, standard_save
from tests.coverage.coverage_factory import make_smart

COMMUNITY = parse(BUNDLED.read_text(encoding="utf-8"))
COMMUNITY_V2 = parse(BUNDLED_V2.read_text(encoding="utf-8"))
SCORING = parse(scoring.BUNDLED.read_text(encoding="utf-8"))
INDICATOR = {"city": 49, "county": 52}


def rollup(level: str, data: dict = COMMUNITY) -> list[dict]:
    return data["rollup"][level]["tiers"]


def indicator(level: str, scoring_data: dict = SCORING, community: dict | None = None) -> dict:
    level_def = scoring.resolve_level(scoring_data, level)
    if community is not None:
        level_def = coverage_tiers.following_rollup(level_def, community)
    return next(i for i in level_def["indicators"] if i["number"] == INDICATOR[level])


def boundary_cases(tiers: list[dict], totals=range(1, 301)) -> list[tuple[int, int]]:
    """Every smart/total around each threshold: the smart counts just below, at and above it, for each total."""
    cases = set()
    for total in totals:
        cases |= {(0, total), (total, total)}
        for tier in tiers:
            bound = Fraction(str(tier["percent"])) * total / 100
            for smart in range(math.floor(bound) - 2, math.ceil(bound) + 3):
                if 0 <= smart <= total:
                    cases.add((smart, total))
    return sorted(cases)


def both(tiers: list[dict], ind: dict, smart: int, total: int) -> tuple[tuple, tuple]:
    by_coverage = coverage_scoring.score(tiers, smart, total)
    by_engine = scoring.score_indicator(ind, {ind["inputs"][0]["key"]: Fraction(100 * smart, total)})
    return (by_coverage["points"], by_coverage["star"]), (by_engine.points, by_engine.star)


@pytest.mark.parametrize("community", [COMMUNITY, COMMUNITY_V2], ids=["v1", "v2"])
def test_the_bundled_standards_agree(community):
    assert coverage_tiers.disagreements(community, SCORING) == []
    for level in INDICATOR:
        assert coverage_tiers.indicator_tiers(indicator(level)) == coverage_tiers.rollup_tiers(community, level)


@pytest.mark.parametrize("level", INDICATOR)
def test_both_evaluators_give_the_same_points_and_star_at_every_boundary(level):
    tiers = rollup(level)
    own, following = indicator(level), indicator(level, community=COMMUNITY)
    cases = boundary_cases(tiers)
    assert len(cases) > 2000
    for smart, total in cases:
        by_coverage, by_engine = both(tiers, own, smart, total)
        assert by_coverage == by_engine, (level, smart, total)
        assert both(tiers, following, smart, total)[1] == by_coverage, (level, smart, total)


def test_ge_and_gt_exactly_at_the_threshold():
    city, county = indicator("city"), indicator("county")
    assert both(rollup("city"), city, 3, 10) == ((12, 4), (12, 4))  # 30 % is 达到30%
    assert both(rollup("city"), city, 5, 10) == ((12, 4), (12, 4))  # 50 % is not 超过50%
    assert both(rollup("city"), city, 51, 100) == ((15, 5), (15, 5))
    assert both(rollup("county"), county, 4, 5) == ((12, 4), (12, 4))  # 80 % is not 超过80%
    assert both(rollup("county"), county, 1, 3) == ((0, None), (0, None))


SYNTHETIC = [  # fractional thresholds and both operators, as an edited standard might have them
    {"star": 3, "op": "gt", "percent": 12.5, "points": 5},
    {"star": 4, "op": "ge", "percent": 33.33, "points": 9},
    {"star": 5, "op": "gt", "percent": 66.67, "points": 14},
]


def test_any_rollup_read_through_the_engine_scores_as_the_dashboard_does():
    community = copy.deepcopy(COMMUNITY)
    community["rollup"]["county"]["tiers"] = SYNTHETIC
    following = indicator("county", community=community)
    assert [t["when"] for t in following["tiers"]] == ["percent > 12.5", "percent >= 33.33", "percent > 66.67"]
    assert following["tiers"][1]["text"] == "智慧社区覆盖率达到33.33%，9分"
    for smart, total in boundary_cases(SYNTHETIC, range(1, 201)):
        by_coverage, by_engine = both(SYNTHETIC, following, smart, total)
        assert by_coverage == by_engine, (smart, total)


def test_following_keeps_the_seeds_wording_where_the_tier_is_the_same():
    following = indicator("city", community=COMMUNITY)
    assert following["tiers"] == indicator("city")["tiers"]
    changed = copy.deepcopy(COMMUNITY)
    changed["rollup"]["city"]["tiers"][1] = {"star": 5, "op": "ge", "percent": 60, "points": 15}
    tiers = indicator("city", community=changed)["tiers"]
    assert tiers[0]["text"] == "智慧社区覆盖率达到30%，12分"
    assert (tiers[1]["when"], tiers[1]["text"]) == ("percent >= 60", "智慧社区覆盖率达到60%，15分")


def test_disagreements_are_named():
    changed = copy.deepcopy(SCORING)
    city = next(i for i in changed["levels"]["city"]["indicators"] if i["number"] == 49)
    city["tiers"][1]["when"] = "percent >= 50"
    county = next(i for i in changed["levels"]["county"]["indicators"] if i["number"] == 52)
    county["tiers"][0]["when"] = "percent >= 50 and percent <= 90"
    found = coverage_tiers.disagreements(COMMUNITY, changed)
    assert found == [
        "第49项（city）分档为 ≥30% 12分，≥50% 15分，而社区标准 rollup.city 为 ≥30% 12分，>50% 15分",
        "第52项（county）分档为 无法按“percent >= X”或“percent > X”读出，"
        "而社区标准 rollup.county 为 ≥50% 12分，>80% 15分",
    ]


# --- saving a version -----------------------------------------------------------------------------------------

def split_scoring() -> dict:
    changed = copy.deepcopy(SCORING)
    city = next(i for i in changed["levels"]["city"]["indicators"] if i["number"] == 49)
    city["tiers"][0]["when"] = "percent >= 25"
    return changed


def test_a_scoring_standard_that_disagrees_is_refused_naming_both(standard):
    with pytest.raises(StandardError) as refused:
        standard_save(split_scoring(), user=system("tests"))
    message = str(refused.value)
    assert "SD-ZHCS-2019 的智慧社区覆盖率分档与 SD-ZHSQ-2019 第1版" in message
    assert "第49项（city）分档为 ≥25% 12分" in message and "请使两者一致后再保存" in message
    assert not StandardVersion.objects.filter(code="SD-ZHCS-2019").exists()
    assert standard_save(copy.deepcopy(SCORING), user=system("tests"))[1]  # the agreeing text is stored


def test_without_a_community_standard_nothing_is_compared(db):
    assert standard_save(split_scoring(), user=system("tests"))[1]


def test_the_admin_form_shows_the_refusal(client, standard, scoring_standard, demo):
    client.force_login(get_user_model().objects.get(username="admin"))
    response = client.post(f"/admin/standards/edit/{scoring_standard.pk}/",
                           {"text": yaml.safe_dump(split_scoring(), allow_unicode=True), "note": "改分档"})
    assert response.status_code == 200
    assert "SD-ZHCS-2019 的智慧社区覆盖率分档与 SD-ZHSQ-2019 第1版" in response.content.decode()
    assert StandardVersion.objects.filter(code="SD-ZHCS-2019").count() == 1


def test_a_new_community_rollup_moves_the_dashboard_and_the_self_assessment_together(demo, standard,
                                                                                      scoring_standard, city):
    """The community standard decides: a version with other tiers is stored, and a round pinned to it scores 49
    by those tiers on the dashboard and in the self-assessment alike, whatever SD-ZHCS's own copy says."""
    community = copy.deepcopy(standard.data)
    community["rollup"]["city"]["tiers"] = [{"star": 4, "op": "ge", "percent": 5, "points": 12},
                                            {"star": 5, "op": "gt", "percent": 10, "points": 15}]
    version, created = standard_save(community, user=system("tests"), note="放宽分档")
    assert created and version.version == 2
    round_, _ = round_open("2027", name="2027年度", standard_code=version.code, user=system("tests"))
    make_smart(round_, ["379902001001"])  # 1 of 16 = 6.25 %: 达到5%, not 超过10%
    dashboard = coverage_for_round(round_)["cities"][0]
    coverage = next(i for i in selectors.result_for(round_, city).as_dict()["indicators"] if i["number"] == 49)
    assert (dashboard["points"], dashboard["star"]) == (coverage["points"], coverage["star"]) == (12, 4)
    make_smart(round_, ["379902001002"])  # 2 of 16 = 12.5 %
    dashboard = coverage_for_round(round_)["cities"][0]
    coverage = next(i for i in selectors.result_for(round_, city).as_dict()["indicators"] if i["number"] == 49)
    assert (dashboard["points"], dashboard["star"]) == (coverage["points"], coverage["star"]) == (15, 5)
