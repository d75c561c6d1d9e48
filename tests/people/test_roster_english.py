"""人员名册导入 in one language (issue 20): a bureau that chose English reads the import screen in English; the columns,
roles and status values a roster file holds are shown as typed (machine text), the Chinese screen is unchanged."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_roster_import_in_english_and_in_chinese(client, place, county_bureau, in_english):
    client.force_login(county_bureau)
    chinese = client.get(reverse("people_roster")).content.decode()
    assert "人员名册导入" in chinese and "<code>姓名</code>、<code>手机号</code>" in chinese
    assert "状态填“在岗”或“离岗”" in chinese
    page = in_english(client).get(reverse("people_roster")).content.decode()
    assert "Columns: <code>姓名</code>, <code>手机号</code>" in page and "<code>社区工作人员</code>" in page
    assert "the status is <code>在岗</code> (at work) or <code>离岗</code> (left)" in page
    assert "人员名册导入" not in page and "状态填" not in page
