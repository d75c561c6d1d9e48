"""核查轮次 walked through in the admin as a person does it (GET the form, POST it back). Every round spans the
province: administrators and province-level bureaus create, rename, re-pin (while nothing refers to it), close and
reopen one, each change logged with what changed; a city's bureau or a verifier may only look. Before, creating
one failed on the missing opened_at, a round with answers could be re-pinned, and a city bureau could rename the
province's round (breaking every other city's /api/coverage/?round=)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from audit.actors import system
from communities.models import CityPage, Role
from communities.roles import assign
from standards.models import Round, RoundStatus
from standards.rounds import round_create
from standards.versions import standard_save
from tests.communities import policy_world
from tests.communities.admin_forms import fill_and_post

pytestmark = pytest.mark.django_db
world = policy_world.world  # the small province, built once for this module
REFUSED = "/admin/"  # Wagtail answers a PermissionDenied in the admin by going back to the dashboard


def round_log(*actions: str):
    """Entries people made in the admin (the world's rounds were opened by the `open_round` system actor)."""
    return ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Round), action__in=actions,
                                        user__isnull=False)


def round_state(round_: Round) -> tuple:
    round_ = Round.objects.get(pk=round_.pk)
    return round_.code, round_.name, round_.standard_id, round_.status, round_.closed_at


@pytest.fixture
def v2(world):
    """A second version of the standard, as an administrator's edit would store it."""
    data = dict(world.standard.data, title=world.standard.data["title"] + "（修订）")
    return standard_save(data, user=world.user("admin"), note="修订")[0]


def login(client, world, role):
    client.force_login(world.user(role))
    return client


@pytest.mark.parametrize("role", ["admin", "province_bureau"])
def test_a_new_round_is_pinned_to_the_newest_version_and_has_opened_at(client, world, v2, role):
    login(client, world, role)
    before = timezone.now()
    form, response = fill_and_post(client, reverse("rounds:add"), {"code": "2027", "name": "2027年度"})
    assert f'value="{v2.pk}" selected' in form.content.decode()
    assert response.status_code == 302 and response["Location"] == reverse("rounds:index")
    created = Round.objects.get(code="2027")
    assert (created.name, created.standard, created.status) == ("2027年度", v2, RoundStatus.OPEN)
    assert before <= created.opened_at <= timezone.now()
    [entry] = round_log("standards.round_created")
    assert entry.user.username == f"t-{role}"
    assert entry.data == {"round": "2027", "name": "2027年度", "standard": "SD-ZHSQ-2019 第2版"}


def test_renaming_is_logged_with_the_old_and_new_name(client, world):
    login(client, world, "admin")
    _, response = fill_and_post(client, reverse("rounds:edit", args=[world.round.pk]), {"name": "2026年度（全省）"})
    assert response.status_code == 302
    assert round_state(world.round)[:3] == ("2026", "2026年度（全省）", world.standard.pk)
    [entry] = round_log("standards.round_edited")
    assert entry.data == {"round": "2026", "changes": {"name": ["2026年度", "2026年度（全省）"]}}
    assert not ModelLogEntry.objects.filter(action__startswith="wagtail.").exists()


@pytest.mark.parametrize(("change", "message"), [
    ("standard", "该轮次已有填报或快照，不能再改绑其他标准版本"),
    ("code", "该轮次已有填报或快照，轮次代码不能再修改"),
])
def test_a_round_with_answers_keeps_its_version_and_code(client, world, v2, change, message):
    login(client, world, "admin")
    before = round_state(world.round)
    _, response = fill_and_post(client, reverse("rounds:edit", args=[world.round.pk]),
                                {"standard": v2.pk} if change == "standard" else {"code": "2026-b"})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert round_state(world.round) == before and not round_log("standards.round_edited").exists()


def test_a_round_nothing_refers_to_yet_may_be_re_pinned(client, world, v2):
    fresh = round_create(user=world.user("admin"), code="2027", name="", standard=world.standard)
    login(client, world, "province_bureau")
    _, response = fill_and_post(client, reverse("rounds:edit", args=[fresh.pk]), {"standard": v2.pk})
    assert response.status_code == 302
    assert Round.objects.get(pk=fresh.pk).standard == v2
    [entry] = round_log("standards.round_edited")
    assert entry.data["changes"] == {"standard": ["SD-ZHSQ-2019 第1版", "SD-ZHSQ-2019 第2版"]}


def test_a_duplicate_code_is_refused_in_chinese(client, world):
    login(client, world, "admin")
    _, response = fill_and_post(client, reverse("rounds:add"), {"code": "2026", "name": "重复"})
    assert response.status_code == 200 and "轮次代码 2026 已存在" in response.content.decode()
    assert Round.objects.count() == 2 and not round_log("standards.round_created").exists()


def test_a_province_bureau_closes_and_reopens_through_the_status_page(client, world):
    login(client, world, "province_bureau")
    status = reverse("rounds:status")
    close = reverse("rounds:close", args=[world.round.pk])
    _, response = fill_and_post(client, status, {"reason": "年度核查结束"}, action=close)
    assert response.status_code == 302 and Round.objects.get(pk=world.round.pk).status == RoundStatus.CLOSED
    reopen = reverse("rounds:reopen", args=[world.round.pk])
    _, response = fill_and_post(client, status, {"reason": "补录遗漏社区"}, action=reopen)
    assert Round.objects.get(pk=world.round.pk).status == RoundStatus.OPEN
    entries = round_log("checklists.round_closed", "checklists.round_reopened").filter(object_id=str(world.round.pk))
    assert sorted(e.data["reason"] for e in entries) == ["年度核查结束", "补录遗漏社区"]


@pytest.mark.parametrize("role", ["bureau", "verifier", "city_verifier"])
def test_a_city_bureau_or_a_verifier_may_look_but_not_change_a_round(client, world, v2, role):
    login(client, world, role)
    listing = client.get(reverse("rounds:index"))
    assert listing.status_code == 200 and "2026年度" in listing.content.decode()
    html = listing.content.decode()
    assert reverse("rounds:add") not in html, "新建 is offered"
    assert reverse("rounds:edit", args=[world.round.pk]) not in html, "编辑 is offered"
    edit = reverse("rounds:edit", args=[world.round.pk])
    before = {r.pk: round_state(r) for r in Round.objects.all()}
    attempts = [
        client.get(reverse("rounds:add")),
        client.post(reverse("rounds:add"), {"code": "2027", "name": "2027年度", "standard": v2.pk}),
        client.get(edit),
        client.post(edit, {"code": "2026", "name": "本市改名", "standard": world.standard.pk}),
        client.post(edit, {"code": "2026", "name": "2026年度", "standard": v2.pk}),
        client.get(reverse("rounds:status")),
        client.post(reverse("rounds:close", args=[world.round.pk]), {"reason": "本市结束"}),
        client.post(reverse("rounds:reopen", args=[world.closed_round.pk]), {"reason": "本市补录"}),
    ]
    assert [(r.status_code, r["Location"]) for r in attempts] == [(302, REFUSED)] * len(attempts)
    assert {r.pk: round_state(r) for r in Round.objects.all()} == before
    assert not round_log("standards.round_created", "standards.round_edited", "checklists.round_reopened").exists()


def test_every_citys_coverage_api_still_finds_the_round_after_a_refused_rename(client, world):
    login(client, world, "bureau")
    client.post(reverse("rounds:edit", args=[world.round.pk]), {"code": "测试市2026", "name": "测试市",
                                                                  "standard": world.standard.pk})
    other_city = policy_world.get_user_model().objects.create_user(username="other-bureau")
    assign(other_city, Role.BUREAU, CityPage.objects.get(code="379700"), by=system("tests"))
    client.force_login(other_city)
    response = client.get("/api/coverage/", {"round": "2026"})
    assert response.status_code == 200
    assert [c["code"] for c in response.json()["cities"]] == ["379700"]


@pytest.mark.parametrize("role", ["worker", "anonymous"])
def test_workers_and_strangers_are_sent_to_log_in(client, world, role):
    if role != "anonymous":
        login(client, world, role)
    response = client.post(reverse("rounds:add"), {"code": "2027", "name": "x", "standard": world.standard.pk})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert not Round.objects.filter(code="2027").exists()
