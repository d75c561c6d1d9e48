"""标准版本 → 编辑 walked through as a person does it: the form holds the version's text; saving a change stores a
new version (logged, the old one and the rounds pinned to it untouched); only administrators may."""

import pytest
import yaml
from django.urls import reverse
from wagtail.models import ModelLogEntry

from standards.models import Round, StandardVersion
from tests.communities import policy_world
from tests.communities.admin_forms import form_values

pytestmark = pytest.mark.django_db
world = policy_world.world  # the small province, built once for this module


def edit_url(version: StandardVersion) -> str:
    return reverse("standards:edit", args=[version.pk])


def the_form(client, version: StandardVersion) -> dict[str, str]:
    page = client.get(edit_url(version))
    assert page.status_code == 200
    return form_values(page.content.decode(), edit_url(version))


def test_an_edit_stores_a_new_version_and_is_logged(client, world):
    client.force_login(world.user("admin"))
    values = the_form(client, world.standard)
    data = yaml.safe_load(values["text"])
    assert data == world.standard.data  # the form holds the version's own text
    data["items"][8]["rules"][0]["value"] = 4
    response = client.post(edit_url(world.standard), {**values, "text": yaml.safe_dump(data, allow_unicode=True),
                                                     "note": "对接政务服务至少4个"})
    assert response.status_code == 302
    old, new = StandardVersion.objects.order_by("version")
    assert (old.item(9)["rules"][0]["value"], new.item(9)["rules"][0]["value"]) == (3, 4)
    assert new.version == 2 and new.created_by.username == "t-admin"
    [entry] = ModelLogEntry.objects.filter(action="standards.version_created", object_id=str(new.pk))
    assert entry.user.username == "t-admin"
    assert entry.data == {"code": "SD-ZHSQ-2019", "version": 2, "note": "对接政务服务至少4个"}
    assert set(Round.objects.values_list("standard_id", flat=True)) == {old.pk}


def test_saving_the_text_unchanged_stores_nothing(client, world):
    client.force_login(world.user("admin"))
    response = client.post(edit_url(world.standard), the_form(client, world.standard))
    assert response.status_code == 302
    assert StandardVersion.objects.count() == 1
    assert not ModelLogEntry.objects.filter(action="standards.version_created", user__username="t-admin").exists()


@pytest.mark.parametrize("role", ["province_bureau", "bureau", "verifier"])
def test_only_administrators_may_edit_the_standard(client, world, role):
    client.force_login(world.user("admin"))
    values = the_form(client, world.standard)
    changed = values["text"].replace("value: 3", "value: 4", 1)
    assert changed != values["text"]  # an administrator posting this would store version 2
    values["text"] = changed
    client.force_login(world.user(role))
    listing = client.get(reverse("standards:index"))
    assert listing.status_code == 200
    assert edit_url(world.standard) not in listing.content.decode()
    assert reverse("standards:add") not in listing.content.decode()
    for response in (client.get(edit_url(world.standard)), client.post(edit_url(world.standard), values),
                     client.post(reverse("standards:add"), values)):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert StandardVersion.objects.count() == 1


def test_workers_are_sent_to_log_in(client, world):
    client.force_login(world.user("worker"))
    response = client.get(edit_url(world.standard))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
