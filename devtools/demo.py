"""The fictional 示范市 used for demos and local development."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from django.db import transaction

from audit.actors import system
from communities.models import CityPage, CommunityPage, Role, UnitPage
from communities.register import COLUMNS, import_register
from communities.roles import assign
from smartsite.spreadsheet import SafeCSVWriter

CITY = ("379900", "示范市")
# unit code, name, kind, [(street suffix, name, kind, number of communities)]
UNITS = [
    ("379902", "示范中心区", "main_urban_district", [
        ("001", "东城街道", "subdistrict", 5), ("002", "西城街道", "subdistrict", 4), ("101", "青山镇", "town", 2),
    ]),
    ("379903", "示范新区", "main_urban_district", [
        ("001", "滨河街道", "subdistrict", 4), ("002", "高新街道", "subdistrict", 3),
    ]),
    ("379921", "示范县", "county", [
        ("001", "城关街道", "subdistrict", 4), ("101", "柳林镇", "town", 2), ("201", "桃源乡", "township", 1),
    ]),
    ("379981", "示范县级市", "county_city", [
        ("001", "市中街道", "subdistrict", 3), ("101", "河口镇", "town", 2),
    ]),
    ("379905", "示范海岛区", "independent_district", [("001", "海港街道", "subdistrict", 3)]),
]
COMMUNITY_NAMES = "和平 幸福 阳光 康宁 友谊 春晖 明德 丰收 富民 安居 锦绣 文昌 朝阳 金桥 绿苑"
DEMO_USERS = {
    "worker": ("worker-demo-2026", Role.WORKER),
    "verifier": ("verifier-demo-2026", Role.VERIFIER),
    "bureau": ("bureau-demo-2026", Role.BUREAU),
    "admin": ("admin-demo-2026", None),
}


def register_csv() -> bytes:
    """Return the demo register as a CSV file, the same format districts import."""
    out = io.StringIO()
    writer = SafeCSVWriter(out)
    writer.writerow(COLUMNS)
    names = COMMUNITY_NAMES.split()
    for unit_code, unit_name, unit_kind, streets in UNITS:
        for suffix, street_name, street_kind, count in streets:
            street_code = unit_code + suffix
            for n in range(1, count + 1):
                name = names[(int(suffix) + n) % len(names)] + ("村" if street_kind != "subdistrict" else "社区")
                writer.writerow([
                    *CITY, unit_code, unit_name, unit_kind, street_code, street_name, street_kind,
                    f"{street_code}{n:03d}", name, 300 + 37 * n,
                ])
    return out.getvalue().encode("utf-8")


@transaction.atomic
def seed_demo() -> dict[str, str]:
    """Build 示范市 and the demo accounts; return {username: password}."""
    report = import_register(register_csv(), "demo.csv", actor=system("seed_demo"))
    if not report.ok:
        raise RuntimeError("; ".join(map(str, report.errors)))
    city = CityPage.objects.get(code=CITY[0])
    home_unit = UnitPage.objects.get(code="379902")
    regions = {
        Role.WORKER: list(CommunityPage.objects.filter(code__in=["379902001001", "379902001002"])),
        Role.VERIFIER: [home_unit, UnitPage.objects.get(code="379903")],
        Role.BUREAU: [city],
    }
    User = get_user_model()
    for username, (password, role) in DEMO_USERS.items():
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.is_superuser = user.is_staff = role is None
        user.save()
        for region in regions.get(role, []):
            assign(user, role, region, by=system("seed_demo"))
    return {name: password for name, (password, _) in DEMO_USERS.items()}
