"""The expert pool and the panel through the services: the pool's writes and the roster's two functions, 回避 on
assignment with its reason, a panel of three scoring independently, its exact mean, star, spread and differences,
the guards needing the complete panel, and nobody but the assigned experts scoring or signing."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from audit.actors import system
from communities import policy
from communities.models import CityPage, Role, UnitPage
from pilots import experts, scores
from pilots.actions import PilotAction
from pilots.models import Expert, ExpertAssignment, Pilot
from pilots.panel import differences, panel_of
from pilots.services import PilotError, pool, reviews
from pilots.services.moves import pilot_move
from pilots.services.reviews import MarkInput
from standards.scoring import round_half_up
from tests.pilots.pilot_factory import BANDS, applied, batch, judge, panel, pool_expert, self_assess


@pytest.fixture
def city_page(demo) -> CityPage:
    return CityPage.objects.get(code="379900")


def entries(obj, action: str) -> list[ModelLogEntry]:
    return list(ModelLogEntry.objects.filter(object_id=str(obj.pk), action=action).order_by("pk"))


# --- the pool ---------------------------------------------------------------------------------------------


def test_the_province_keeps_the_pool_and_every_change_is_logged(province, bureau, make_user, city_page):
    user = make_user("li")
    with pytest.raises(PermissionDenied, match="只有省大数据局或管理员"):
        pool.expert_add(by=bureau, user=user, name="李四", organisation="山东大学")
    with pytest.raises(PilotError) as exc:
        pool.expert_add(by=province, user=user, name=" ", organisation="")
    assert set(exc.value.message_dict) == {"name", "organisation"} and not Expert.objects.exists()
    expert = pool.expert_add(by=province, user=user, name="李四", organisation="山东大学", field="数据治理")
    assert user.groups.filter(name="评估专家").exists() and experts.in_pool(user)
    with pytest.raises(PilotError, match="已在专家库中"):
        pool.expert_add(by=province, user=user, name="李四", organisation="山东大学")
    pool.expert_update(by=province, expert=expert, name="李四", organisation="山东大学", field="数据治理",
                       city=city_page)
    pool.expert_set_active(by=province, expert=expert, active=False)
    user = get_user_model().objects.get(pk=user.pk)  # a new request's user: nothing cached
    assert not user.groups.filter(name="评估专家").exists()
    assert not policy.may(user, PilotAction.SIT_ON_PANEL, policy.ANYWHERE)
    pool.expert_set_active(by=province, expert=expert, active=True)
    actions = [e.action for e in ModelLogEntry.objects.filter(object_id=str(expert.pk),
                                                              action__startswith="pilots.expert_").order_by("pk")]
    assert actions == ["pilots.expert_added", "pilots.expert_changed", "pilots.expert_deactivated",
                       "pilots.expert_reactivated"]
    change = entries(expert, "pilots.expert_changed")[0].data
    assert change["from"]["city"] == "" and change["to"]["city"] == "示范市"


def test_the_roster_grants_and_ends_the_expert_role(demo, make_user, city_page):
    """The two functions the personnel roster calls for 评估专家 (the roster's own test is the lead's)."""
    from communities.roles import PERSON_ROLES

    role = PERSON_ROLES["评估专家"]
    user, actor = make_user("zhao"), system("import_people")
    role.grant(by=actor, user=user, name="赵六", organisation="省信息中心")
    expert = Expert.objects.get(user=user)
    assert (expert.name, expert.organisation, expert.city, expert.active) == ("赵六", "省信息中心", None, True)
    Expert.objects.filter(pk=expert.pk).update(city=city_page)  # the province fills the city in later
    role.end(by=actor, user=user)
    assert not Expert.objects.get(pk=expert.pk).active
    role.grant(by=actor, user=user, name="赵六", organisation="省大数据中心")
    expert = Expert.objects.get(pk=expert.pk)
    assert (expert.organisation, expert.city, expert.active) == ("省大数据中心", city_page, True)
    added = entries(expert, "pilots.expert_added")[0]
    assert added.user_id is None and added.data["actor"] == "system:import_people"
    role.end(by=actor, user=make_user("never-an-expert"))  # nobody to end: nothing happens
    with pytest.raises(PermissionDenied):
        role.grant(by=make_user("nobody"), user=user, name="赵六", organisation="x")


# --- 回避 -------------------------------------------------------------------------------------------------


@pytest.fixture
def submitted(assess, bureau, province, county):
    """示范市's application with its county 示范县 as the pilot, submitted and accepted."""
    self_assess(bureau, assess, county, BANDS[3])
    pilot = applied(bureau, assess, county, batch(province))
    return pilot_move(user=province, pilot=pilot, move="accept")


def test_an_expert_who_must_stand_aside_is_refused_with_the_reason(submitted, province, make_user, city_page):
    application = submitted.application
    cases = {
        "same-city": ({"city": city_page}, "工作所在城市为示范市，与申报市相同，须回避"),
        "county-org": ({"organisation": "示范县人民医院"}, "的工作单位“示范县人民医院”属于申报地区示范县，须回避"),
        "city-org": ({"organisation": "示范市大数据局"}, "属于申报地区示范市，须回避"),
        "county-verifier": ({}, "在示范县担任区县审核人员，须回避"),
    }
    for username, (where, reason) in cases.items():
        user = make_user(username, Role.VERIFIER, UnitPage.objects.get(code="379921")) if "verifier" in username \
            else make_user(username)
        pool_expert(user, **where)
        assert not policy.may(user, PilotAction.SIT_ON_PANEL, application), username
        with pytest.raises(PilotError) as exc:
            experts.expert_assign(by=province, application=application, expert=user)
        assert reason in exc.value.message_dict["expert"][0], username
    stranger = make_user("not-pooled")
    with pytest.raises(PilotError, match="not-pooled不在专家库中"):
        experts.expert_assign(by=province, application=application, expert=stranger)
    assert not ExpertAssignment.objects.exists()
    elsewhere = make_user("elsewhere")
    pool_expert(elsewhere, organisation="测试市大学", city=CityPage.objects.get(code="379800")
                if CityPage.objects.filter(code="379800").exists() else None)
    experts.expert_assign(by=province, application=application, expert=elsewhere)
    logged = entries(application, "pilots.expert_assigned")[0]
    assert logged.user == province and logged.data["name"] == "专家elsewhere"


def test_an_expert_asked_to_stand_aside_later_can_no_longer_score(submitted, province, expert, city_page):
    experts.expert_assign(by=province, application=submitted.application, expert=expert)
    review = submitted.reviews.get(kind="application")
    assert policy.may(expert, PilotAction.SCORE_PILOT, review)
    pool.expert_update(by=province, expert=expert.pilot_expert, name="王专家", organisation="山东大学",
                       city=city_page)
    experts.forget(expert)
    assert not policy.may(expert, PilotAction.SCORE_PILOT, review)
    with pytest.raises(PermissionDenied, match="只有指派给该申报的评估专家"):
        reviews.sign_off(user=expert, review=review)


# --- the panel --------------------------------------------------------------------------------------------


def test_three_experts_score_independently_and_the_mean_decides(submitted, province, bureau):
    pilot, review = submitted, submitted.reviews.get(kind="application")
    first, second, third = panel(province, pilot.application)
    rows = scores.review_score(review.snapshot.data["document"], {}).rows
    tiered = next(r for r in rows if r.allowed and len(r.allowed) >= 3 and r.self_points == max(r.allowed))
    lowest = min(tiered.allowed)
    # The province, an administrator and the city's bureau never score or sign.
    for user in (province, bureau):
        with pytest.raises(PermissionDenied, match="省大数据局和管理员不代专家评分"):
            reviews.review_save(user=user, review=review, marks={1: MarkInput(0, "x")})
        with pytest.raises(PermissionDenied):
            reviews.sign_off(user=user, review=review)
    judge(first, review, {tiered.number: lowest})
    result = panel_of(review)
    assert result.mean == 250 - tiered.self_points + lowest and not result.complete
    assert "尚未签字的专家：评审专家2、评审专家3" in result.missing
    assert not result.reveals_to(second) and result.reveals_to(first) and result.reveals_to(province)
    # A signature is final; an incomplete page cannot be signed, and says what is missing.
    with pytest.raises(PilotError, match="您已签字确认"):
        reviews.review_save(user=first, review=review, marks={1: MarkInput(0, "改")})
    judge(second, review, sign=False)
    reviews.review_save(user=second, review=review, marks={2: MarkInput(None)})
    with pytest.raises(PilotError, match=r"还有 1 项未评：第2项"):
        reviews.sign_off(user=second, review=review)
    with pytest.raises(PilotError) as exc:
        reviews.review_save(user=second, review=review, marks={2: MarkInput(-1), 3: MarkInput(0, "")})
    assert set(exc.value.message_dict) <= {"p2", "r3"} and exc.value.message_dict
    judge(second, review)
    with pytest.raises(PilotError, match="专家组评分尚未完成：尚未签字的专家：评审专家3"):
        pilot_move(user=province, pilot=pilot, move="propose")
    judge(third, review, {tiered.number: lowest})
    result = panel_of(review)
    expected = Fraction(3 * 250 - 2 * (tiered.self_points - lowest), 3)
    assert result.complete and result.mean == expected and result.spread == tiered.self_points - lowest
    assert result.mean_text == str(round_half_up(expected)) and result.star == scores.star_of(
        review.snapshot.data["document"], expected)
    assert [d.number for d in result.differences] == ([tiered.number] if tiered.allowed.index(
        tiered.self_points) - tiered.allowed.index(lowest) > 1 else [])
    moved = pilot_move(user=province, pilot=Pilot.objects.get(pk=pilot.pk), move="propose")
    assert moved.stage == "onsite"


def test_the_mean_is_exact_and_its_star_comes_from_the_bands(submitted, province):
    """A third of a point below 四星's band is 三星: the mean is never rounded up into a band."""
    document = submitted.reviews.get(kind="application").snapshot.data["document"]
    four = next(band["min"] for band in document["bands"] if band["star"] == 4)
    assert scores.star_of(document, Fraction(3 * four - 1, 3)) == 3 and scores.star_of(document, four) == 4


def test_differences_are_indicators_more_than_one_tier_apart():
    row = scores.Row(7, "指标", "类", 10, 10, 10, "", (0, 4, 8, 10))
    base = scores.ReviewScore((row,), 10, 10, None, None, 10)

    def given(points: int) -> scores.ReviewScore:
        return scores.ReviewScore((scores.Row(7, "指标", "类", 10, 10, points, "", (0, 4, 8, 10)),), 10, points,
                                  None, None, 10)

    assert differences(base, [("甲", given(10)), ("乙", given(8))]) == ()
    found = differences(base, [("甲", given(10)), ("乙", given(8)), ("丙", given(4))])
    assert [(d.number, d.tiers_apart, d.points) for d in found] == [(7, 2, (("甲", 10), ("乙", 8), ("丙", 4)))]


def test_the_minimum_panel_is_a_setting(submitted, province, settings):
    settings.PILOT_MIN_EXPERTS = 2
    review = submitted.reviews.get(kind="application")
    for expert in panel(province, submitted.application):
        judge(expert, review)
    assert len(panel_of(review).assigned) == 2 and panel_of(review).complete


def test_an_unassigned_experts_signature_stays_on_record_and_does_not_count(submitted, province):
    review = submitted.reviews.get(kind="application")
    members = panel(province, submitted.application)
    for expert in members:
        judge(expert, review)
    experts.expert_unassign(by=province, application=submitted.application, expert=members[0])
    result = panel_of(review)
    assert len(result.totals) == 2 and "至少有 3 位专家，目前指派 2 位" in result.missing
    assert [m.assigned for m in result.members] == [True, True, False]
    assert entries(submitted.application, "pilots.expert_unassigned")[0].data["expert"] == "panel-1"
