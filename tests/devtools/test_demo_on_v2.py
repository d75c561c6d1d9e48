"""`make run` on version 2 of the community standard: load_standard (every bundled standard), open_round,
seed_demo, seed_demo_results; the generated answers are what their labels say under each version."""

from io import StringIO

import pytest
from django.core.management import call_command

from checklists.models import ItemResult
from coverage.rollup import coverage_for_round
from devtools.province_values import variant_pool
from standards.evaluation import Verdict
from standards.models import StandardVersion
from standards.versions import BUNDLED, BUNDLED_V2, parse


@pytest.mark.parametrize("path", [BUNDLED, BUNDLED_V2], ids=["v1", "v2"])
def test_generated_answers_are_what_their_labels_say(path):
    standard = StandardVersion(code="SD-ZHSQ-2019", version=1, data=parse(path.read_text(encoding="utf-8")))
    pool = variant_pool(standard, per_kind=6, seed=7)
    for (number, kind), variants in pool.items():
        for variant in variants:
            assert variant.not_applicable == {}  # never a mark, so never one the version forbids
            verdict, complete = variant.evaluation.verdict, variant.evaluation.complete
            if kind == "pass":
                assert verdict is Verdict.PASS, (number, variant.values)
            elif kind == "fail" and number != 25:  # item 25's failing answer blanks its required text
                assert verdict is Verdict.FAIL and complete, (number, variant.values)
            elif kind in ("incomplete", "empty") or number == 25:
                assert verdict is Verdict.INCOMPLETE and not complete, (number, variant.values)


def test_the_demo_runs_on_version_2(db, settings):
    settings.DEBUG = True
    out = StringIO()
    for command, *args in (("load_standard",), ("open_round", "2026", "--name", "2026年度"), ("seed_demo",),
                           ("seed_demo_results",)):
        call_command(command, *args, stdout=out)
    round_ = ItemResult.objects.select_related("round__standard").first().round
    assert (round_.standard.code, round_.standard.version) == ("SD-ZHSQ-2019", 2)
    data = coverage_for_round(round_)
    city = data["cities"][0]
    assert (city["communities"], city["smart_communities"], city["points"], city["star"]) == (16, 5, 12, 4)
    units = {u["code"]: u for u in data["units"]}
    assert (units["379905"]["smart_communities"], units["379905"]["star"]) == (3, 5)
    statuses = set(ItemResult.objects.values_list("status", flat=True))
    assert {"approved", "submitted", "draft", "returned"} <= statuses
    assert not ItemResult.objects.exclude(not_applicable={}).exists()
