"""The demo answers go through the real services, so the demo's coverage is what the rules say."""

import pytest
from django.core.management import CommandError, call_command

from checklists.models import ChecklistLogEntry, Evidence, ItemResult
from coverage.rollup import coverage_for_round


def test_demo_results_give_every_tier_something_to_show(demo, round_, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo_results")
    data = coverage_for_round(round_)
    city = data["cities"][0]
    assert (city["communities"], city["smart_communities"], city["points"], city["star"]) == (16, 5, 12, 4)
    assert city["next_tier"]["smart_communities_needed"] == 4  # 9/16 > 50%
    units = {u["code"]: u for u in data["units"]}
    assert (units["379921"]["smart_communities"], units["379921"]["points"]) == (2, 12)  # exactly 50%
    assert (units["379905"]["smart_communities"], units["379905"]["star"]) == (3, 5)
    worker_home = ItemResult.objects.filter(community__code="379902001001")
    assert {"approved", "submitted", "draft"} <= set(worker_home.values_list("status", flat=True))
    assert Evidence.objects.filter(flag_duplicate=True).count() == 0
    assert ChecklistLogEntry.objects.filter(action="checklists.approved").exists()
    call_command("seed_demo_results")
    assert "跳过" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_results_refuse_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo_results")
