"""The roster import service: people and their roles through the roles service, every bad row named, nothing
changed on any error, the importer's reach asked per row, 离岗, moves, dry runs and the trail."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry, PageLogEntry

from communities.models import Assignment, Role
from communities.roles import PERSON_ROLES, PersonRole
from people.models import Person
from people.reading import RosterFileError
from people.roster import IMPORTED, roster_import
from people.rows import HeaderError
from pilots.models import Expert
from tests.factories import VerifierFactory, WorkerFactory
from tests.people.roster_files import roster, roster_xlsx

pytestmark = pytest.mark.django_db
User = get_user_model()


def run(by, content: bytes, name: str = "名册.csv", dry_run: bool = False):
    return roster_import(by=by, content=content, filename=name, dry_run=dry_run)


def roles_of(phone: str) -> set[tuple[str, str]]:
    return set(Assignment.objects.filter(user__username=phone).values_list("role", "region__title"))


def test_a_county_bureau_imports_its_workers(place, county_bureau):
    report = run(county_bureau, roster(
        ("张三", "13800000001", "社区工作人员", place.c1.code, "某社区居委会"),
        ("张三", "13800000001", "社区工作人员", place.c2.code),
        ("李四", "13800000002", "区县审核人员", place.county.code + "000000", "县民政局", "在岗"),
    ))
    assert report.ok, report.errors
    assert [line.phone for line in report.created] == ["13800000001", "13800000002"]
    assert (report.roles_granted, report.rows) == (3, 3)
    zhang = User.objects.get(username="13800000001")
    assert zhang.first_name == "张三" and zhang.is_active and not zhang.has_usable_password()
    assert zhang.person.organisation == "某社区居委会"
    assert roles_of("13800000001") == {(Role.WORKER, place.c1.title), (Role.WORKER, place.c2.title)}
    assert zhang.groups.filter(name="社区工作人员").exists()  # through communities.roles
    assert roles_of("13800000002") == {(Role.VERIFIER, place.county.title)}
    entry = PageLogEntry.objects.get(action=IMPORTED)
    assert entry.user_id == county_bureau.pk and entry.page_id == place.province.pk
    assert [p["phone"] for p in entry.data["created"]] == ["13800000001", "13800000002"]
    assert ModelLogEntry.objects.filter(action="communities.role_assigned", user=county_bureau).count() == 3


def test_every_bad_row_is_named_and_nothing_changes(place, county_bureau, city_bureau):
    before = (User.objects.count(), Assignment.objects.count())
    outsider = WorkerFactory(username="13800000099", regions=[place.far_community])
    Person.objects.create(user=outsider)
    report = run(county_bureau, roster(
        ("好人", "13800000001", "社区工作人员", place.c1.code),
        ("", "13800000002", "社区工作人员", place.c1.code),
        ("坏号", "1380000", "社区工作人员", place.c1.code),
        ("角色错", "13800000003", "保安", place.c1.code),
        ("找不到", "13800000004", "社区工作人员", "370199999999"),
        ("层级错", "13800000005", "社区工作人员", place.county.code),
        ("越界", "13800000006", "社区工作人员", place.far_community.code),
        ("专家", "13800000007", "评估专家", ""),
        ("好人二", "13800000001", "社区工作人员", place.c2.code),
        ("外人", "13800000099", "社区工作人员", place.c1.code),
        ("状态错", "13800000008", "社区工作人员", place.c1.code, "", "休假"),
        ("主城区", "13800000009", "大数据局", place.district.code),
    ), name="县名册.csv")
    assert not report.ok
    found = {e.row: e.message for e in report.errors}
    assert set(found) == {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, found
    assert "姓名不能为空" in found[3]
    assert "手机号“1380000”格式不正确" in found[4]
    assert "角色“保安”未知" in found[5]
    assert "370199999999 未找到" in found[6]
    assert "社区工作人员只能分配到" in found[7]
    assert "超出您的管辖范围" in found[8]
    assert "评估专家" in found[9]  # unregistered here, or province-only once pilots registers it
    assert "同一手机号只能对应一人" in found[10]
    assert "超出您的管辖范围" in found[11] and place.far_community.title in found[11]
    assert "状态“休假”未知" in found[12]
    assert "主城区由设区市大数据局负责" in found[13]  # a level no bureau role may take
    assert all(str(e).startswith("县名册.csv 第") for e in report.errors)
    assert (User.objects.count(), Assignment.objects.count()) == (before[0] + 1, before[1] + 1)  # the outsider only
    assert not PageLogEntry.objects.filter(action=IMPORTED).exists()


def test_the_city_bureau_reaches_its_counties_and_districts_but_not_another_city(place, city_bureau):
    ok = run(city_bureau, roster(("甲", "13800000001", "社区工作人员", place.district_community.code),
                                 ("乙", "13800000002", "大数据局", place.county.code),
                                 ("丙", "13800000003", "区县审核人员", place.city.code)))
    assert ok.ok, ok.errors
    refused = run(city_bureau, roster(("丁", "13800000004", "社区工作人员", place.far_community.code)))
    assert "超出您的管辖范围" in refused.errors[0].message
    assert not User.objects.filter(username="13800000004").exists()


def test_a_bureau_may_not_touch_people_holding_roles_outside_its_scope(place, county_bureau, city_bureau):
    run(city_bureau, roster(("王五", "13800000005", "区县审核人员", place.city.code)))
    report = run(county_bureau, roster(("王五", "13800000005", "社区工作人员", place.c1.code)))
    assert "还在" in report.errors[0].message and "超出您的管辖范围" in report.errors[0].message
    leaving = run(county_bureau, roster(("王五", "13800000005", "", "", "", "离岗")))
    assert not leaving.ok and User.objects.get(username="13800000005").is_active


def test_administrator_accounts_and_accounts_made_elsewhere_are_for_administrators(place, county_bureau, admin):
    VerifierFactory(username="13800000010", regions=[place.county])  # made by an administrator, not the roster
    report = run(county_bureau, roster(("赵六", "13800000010", "社区工作人员", place.c1.code)))
    assert "不是通过人员名册建立的" in report.errors[0].message
    admin.username = "13800000011"
    admin.save()
    report = run(county_bureau, roster(("管理员", "13800000011", "社区工作人员", place.c1.code)))
    assert "管理员账号" in report.errors[0].message
    assert run(admin, roster(("赵六", "13800000010", "社区工作人员", place.c1.code))).ok


def test_updates_move_roles_and_rename(place, county_bureau):
    run(county_bureau, roster(("张三", "13800000001", "社区工作人员", place.c1.code)))
    report = run(county_bureau, roster(("张叁", "13800000001", "社区工作人员", place.c2.code, "新单位")))
    assert report.ok and [line.phone for line in report.updated] == ["13800000001"]
    assert (report.roles_granted, report.roles_ended) == (1, 1)
    assert roles_of("13800000001") == {(Role.WORKER, place.c2.title)}
    person = Person.objects.get(user__username="13800000001")
    assert (person.user.first_name, person.organisation) == ("张叁", "新单位")
    again = run(county_bureau, roster(("张叁", "13800000001", "社区工作人员", place.c2.code, "新单位")))
    assert again.ok and again.unchanged == 1 and not again.updated
    assert PageLogEntry.objects.filter(action=IMPORTED).count() == 2  # nothing changed: nothing logged


def test_leaving_deactivates_and_ends_roles_but_keeps_history(place, county_bureau):
    run(county_bureau, roster(("张三", "13800000001", "社区工作人员", place.c1.code),
                              ("张三", "13800000001", "社区工作人员", place.c2.code)))
    report = run(county_bureau, roster(("张三", "13800000001", "社区工作人员", place.c1.code, "", "离岗")))
    assert report.ok and [line.phone for line in report.deactivated] == ["13800000001"]
    user = User.objects.get(username="13800000001")
    assert not user.is_active and user.person.left_at is not None
    assert not Assignment.objects.filter(user=user).exists()
    assert not user.groups.filter(name="社区工作人员").exists()
    assert ModelLogEntry.objects.filter(action="communities.role_unassigned", user=county_bureau).count() == 2
    back = run(county_bureau, roster(("张三", "13800000001", "社区工作人员", place.c1.code)))
    assert back.ok and User.objects.get(pk=user.pk).is_active and roles_of("13800000001")
    unknown = run(county_bureau, roster(("无名", "13800000002", "社区工作人员", place.c1.code, "", "离岗")))
    assert "没有账号，无法办理离岗" in unknown.errors[0].message


def test_a_person_with_both_statuses_or_two_names_is_refused(place, county_bureau):
    report = run(county_bureau, roster(("张三", "13800000001", "社区工作人员", place.c1.code),
                                       ("张三", "13800000001", "社区工作人员", place.c2.code, "", "离岗")))
    assert "状态不同" in report.errors[0].message and report.errors[0].row == 3


def test_a_dry_run_reports_exactly_what_a_run_does(place, county_bureau):
    content = roster(("张三", "13800000001", "社区工作人员", place.c1.code),
                     ("李四", "13800000002", "社区工作人员", place.c2.code))
    dry = run(county_bureau, content, dry_run=True)
    assert not User.objects.filter(username__in=["13800000001", "13800000002"]).exists()
    real = run(county_bureau, content)
    assert (dry.created, dry.roles_granted, dry.dry_run) == (real.created, real.roles_granted, True)
    assert "试运行" in dry.summary() and "试运行" not in real.summary()


def test_xlsx_with_numbers_gbk_csv_and_12_digit_codes(place, county_bureau):
    report = run(county_bureau, roster_xlsx(("张三", "13800000001", "社区工作人员", place.c1.code)), "名册.xlsx")
    assert report.ok, report.errors
    gbk = roster(("李四", "13800000002", "社区工作人员", place.c2.code)).decode().encode("gbk")
    assert run(county_bureau, gbk).ok
    street = run(county_bureau, roster(("王五", "13800000003", "区县审核人员", place.county.code + "000000")))
    assert street.ok


@pytest.mark.parametrize(("content", "message"), [
    (b"", "文件为空"),
    (b"\x00\x01\xff\xfe\x00garbage" * 50, "无法"),
    ("名字,手机,角色\n张三,13800000001,社区工作人员\n".encode(), "未知列：名字、手机"),
    ("姓名,手机号,角色,范围代码,手机号\n".encode(), "列名重复：手机号"),
])
def test_unreadable_files_and_bad_headers_are_refused_whole(place, county_bureau, content, message):
    with pytest.raises((RosterFileError, HeaderError), match=message):
        run(county_bureau, content)


def test_workers_and_verifiers_may_not_import(place):
    verifier = VerifierFactory(regions=[place.county])
    with pytest.raises(PermissionDenied):
        run(verifier, roster(("张三", "13800000001", "社区工作人员", place.c1.code)))


def test_a_300_person_roster_imports_atomically_in_a_sane_time(place, county_bureau):
    rows = [(f"工作人员{i:03d}", f"139{i:08d}", "社区工作人员", (place.c1, place.c2)[i % 2].code) for i in range(300)]
    report = run(county_bureau, roster(*rows))
    assert report.ok and len(report.created) == 300 and report.roles_granted == 300
    assert Assignment.objects.filter(user__username__startswith="139").count() == 300
    bad = [*rows[:150], ("坏", "12", "社区工作人员", place.c1.code), *rows[150:]]
    bad = [(name, "138" + phone[3:], role, code) for name, phone, role, code in bad]
    report = run(county_bureau, roster(*bad))
    assert [e.row for e in report.errors] == [152]
    assert not User.objects.filter(username__startswith="138").exists()


def test_roles_over_no_region_go_through_what_their_app_registered(place, province_bureau, monkeypatch):
    calls = []
    monkeypatch.setitem(PERSON_ROLES, "评估专家", PersonRole(
        "评估专家", grant=lambda *, by, user, name, organisation: calls.append(("grant", user.username, name,
                                                                                 organisation, by)),
        end=lambda *, by, user: calls.append(("end", user.username, by))))
    report = run(province_bureau, roster(("钱七", "13800000007", "评估专家", "", "山东大学")))
    assert report.ok and report.roles_granted == 1
    assert calls == [("grant", "13800000007", "钱七", "山东大学", province_bureau)]
    assert Person.objects.get(user__username="13800000007").person_roles == ["评估专家"]
    assert run(province_bureau, roster(("钱七", "13800000007", "评估专家", "", "山东大学"))).unchanged == 1
    left = run(province_bureau, roster(("钱七", "13800000007", "", "", "", "离岗")))
    assert left.ok and calls[-1] == ("end", "13800000007", province_bureau)
    assert Person.objects.get(user__username="13800000007").person_roles == []
    scoped = run(province_bureau, roster(("孙八", "13800000008", "评估专家", place.c1.code)))
    assert "不按辖区分配，范围代码应留空" in scoped.errors[0].message


def test_an_expert_row_puts_the_person_in_the_pilots_expert_pool_and_leaving_takes_them_out(place, province_bureau):
    """The 评估专家 role pilots registers: the roster grants and ends it through the expert pool's services."""
    report = run(province_bureau, roster(("钱七", "13800000007", "评估专家", "", "山东大学")))
    assert report.ok, report.errors
    expert = Expert.objects.get(user__username="13800000007")
    assert (expert.name, expert.organisation, expert.active, expert.city) == ("钱七", "山东大学", True, None)
    left = run(province_bureau, roster(("钱七", "13800000007", "", "", "", "离岗")))
    assert left.ok, left.errors
    expert.refresh_from_db()
    assert not expert.active and not expert.user.is_active
    back = run(province_bureau, roster(("钱七", "13800000007", "评估专家", "", "山东大学")))
    assert back.ok and Expert.objects.get(pk=expert.pk).active


def test_an_importer_cannot_drop_their_own_roles_by_leaving_a_row_out(place, county_bureau):
    county_bureau.username = "13800000020"
    county_bureau.save()
    Person.objects.create(user=county_bureau)
    report = run(county_bureau, roster(("局长", "13800000020", "社区工作人员", place.c1.code)))
    assert "不能结束您自己的角色" in report.errors[0].message
    assert run(county_bureau, roster(("局长", "13800000020", "大数据局", place.county.code),
                                     ("局长", "13800000020", "社区工作人员", place.c1.code))).ok
