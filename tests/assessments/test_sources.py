"""Community-derived indicators, pure: reading each source, judging one answer, exact sums and shares."""

from fractions import Fraction
from functools import cache

import pytest

from assessments.sources import (
    RATIO,
    ROLLUP,
    SHARE,
    Contribution,
    SourceError,
    contribution,
    derive,
    ratio,
    share,
    source_of,
)
from standards import scoring
from standards.versions import BUNDLED, parse


@cache
def scoring_data() -> dict:
    return parse(scoring.BUNDLED.read_text(encoding="utf-8"))


@cache
def community_items() -> dict[int, dict]:
    return {item["number"]: item for item in parse(BUNDLED.read_text(encoding="utf-8"))["items"]}


def indicator(level: str, number: int) -> dict:
    return next(i for i in scoring_data()["levels"][level]["indicators"] if i["number"] == number)


def test_every_community_derived_indicator_is_read():
    derived = {(level, i["number"]): source_of(i) for level in ("city", "county")
               for i in scoring_data()["levels"][level]["indicators"] if source_of(i)}
    assert set(derived) == {("city", 24), ("city", 49), ("county", 18), ("county", 19), ("county", 20),
                            ("county", 28), ("county", 52)}
    lighting = derived[("county", 18)]
    assert (lighting.kind, lighting.item, lighting.numerator, lighting.denominator) == (RATIO, 8, "smart_lights",
                                                                                          "public_lights")
    parking = derived[("county", 20)]
    assert (parking.item, parking.numerator, parking.denominator) == (12, "shared_parking_spaces", "parking_spaces")
    tele = derived[("county", 19)]
    assert (tele.kind, tele.item, tele.field, tele.expected) == (SHARE, 13, "telemedicine", True)
    for grid in (derived[("city", 24)], derived[("county", 28)]):
        assert (grid.kind, grid.item, grid.field) == (SHARE, 22, None)  # "item 22 passes"
    assert derived[("city", 49)].kind == derived[("county", 52)].kind == ROLLUP
    # Every field the sources read exists in the community standard's item.
    for source in derived.values():
        if source.item:
            keys = {f["key"] for f in community_items()[source.item]["fields"]}
            assert set(source.fields) <= keys


def test_an_entered_indicator_has_no_source_and_an_unreadable_one_is_refused():
    assert source_of(indicator("city", 1)) is None
    with pytest.raises(SourceError, match="无法识别"):
        source_of({"community_source": {"share_of_communities": "item 13 telemedicine is yes"}})
    with pytest.raises(SourceError, match="不同的社区指标"):
        source_of({"community_source": {"ratio_of_sums": {"numerator": "item 8 a", "denominator": "item 9 b"}}})


def test_one_answer_counts_only_when_approved_and_answered():
    lighting, item8 = source_of(indicator("county", 18)), community_items()[8]
    judged = contribution(lighting, item8, approved=True, rules_pass=False,
                          values={"smart_lights": "60", "public_lights": 100})
    assert judged == Contribution(counted=True, meets=False, numerator=60, denominator=100)
    assert not contribution(lighting, item8, approved=False, rules_pass=True,
                            values={"smart_lights": 60, "public_lights": 100}).counted
    assert not contribution(lighting, item8, approved=True, rules_pass=True, values={"smart_lights": 60}).counted
    assert not contribution(lighting, item8, approved=True, rules_pass=True,
                            values={"smart_lights": "6.5", "public_lights": 10}).counted  # not a count
    tele, item13 = source_of(indicator("county", 19)), community_items()[13]
    assert contribution(tele, item13, approved=True, rules_pass=False, values={"telemedicine": True}).meets
    no = contribution(tele, item13, approved=True, rules_pass=True, values={"telemedicine": False})
    assert no.counted and not no.meets
    grid, item22 = source_of(indicator("county", 28)), community_items()[22]
    assert contribution(grid, item22, approved=True, rules_pass=True, values={}).meets
    assert not contribution(grid, item22, approved=True, rules_pass=False, values={}).meets


def test_ratio_of_sums_is_exact_over_the_communities_that_answered():
    answers = [Contribution(True, False, 1, 3), Contribution(True, False, 1, 3), Contribution(True, False, 0, 3)]
    derived = ratio(answers, communities=5)
    assert derived.percent == Fraction(200, 9)  # 2/9, not the average of the rates
    assert derived.basis == {"communities": 5, "answered": 3, "numerator": 2, "denominator": 9}
    assert scoring.round_half_up(derived.percent) == scoring.round_half_up(Fraction(2222, 100))
    nothing = ratio([], communities=4)
    assert nothing.percent is None and "0个" in nothing.problem


def test_share_counts_every_in_scope_community_in_the_denominator():
    answers = [Contribution(True, True), Contribution(True, False), Contribution(True, True)]
    derived = derive(source_of(indicator("county", 19)), answers, communities=7)
    assert derived.percent == Fraction(200, 7)
    assert derived.basis == {"communities": 7, "meeting": 2, "answered": 3}
    assert share(0, 0).percent is None and share(0, 0).problem
    assert share(3, 3).percent == 100
