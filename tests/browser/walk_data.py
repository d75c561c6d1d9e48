"""The data the screen walk shows: the bundled standards, round 2026, the demo city and its accounts, the demo
pilots (province, expert, this year's batch, 示范市 in 专家评估), and a few objects in each state the screens
distinguish, all made through the real services. Built once per walk (about as long as `seed_demo` and
`seed_demo_pilots`); `sample_ids` gives the walker real ids."""

from __future__ import annotations

import io

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import BaseLogEntry, Collection, Page, Site

from assessments import services as assessment_services
from assessments.departments import department_save
from assessments.models import AssessmentSnapshot, Department, EvidenceFile, IndicatorValue
from assessments.regions import region_by
from audit.actors import system
from checklists import decisions, services
from checklists.evidence import evidence_add
from checklists.models import ItemResult
from communities.models import CityPage, CommunityPage, StreetPage, UnitPage
from coverage.models import CoverageSnapshot
from devtools.demo import seed_demo
from devtools.demo_pilots import seed_demo_pilots
from jobs.models import JobKind
from jobs.services import enqueue_job
from pilots.models import Adjustment, Application, ApplicationFile, Batch, Expert, Pilot, Review, SiteVisit, Task
from standards.models import Round, StandardVersion
from standards.rounds import round_open
from tests.checklists.photo_factory import make_jpeg, make_png
from tests.conftest import _restore_wagtail_data

COMMUNITY = "379902001001"


def _answered(round_, community, number, values, worker, seed):
    result = services.answer_save(round_=round_, community=community, item_number=number, user=worker,
                                  values=values).result
    evidence_add(result=result, user=worker, data=make_jpeg(640, 480, pattern_seed=seed), filename=f"{number}.jpg")
    return services.item_submit(result=result, user=worker)


def build() -> dict[str, object]:
    """Build the walk's data; return the ids the walker's SAMPLES name."""
    _restore_wagtail_data()
    call_command("load_standard", stdout=io.StringIO())
    round_, _ = round_open("2026", name="2026年度", user=system("tests"))
    seed_demo()
    seed_demo_pilots(round_)
    users = {u.username: u for u in get_user_model().objects.all()}
    worker, verifier, bureau = users["worker"], users["verifier"], users["bureau"]
    community = CommunityPage.objects.get(code=COMMUNITY)
    # The phone's and the queue's states: submitted (with a photo), returned with a reason, approved, a draft.
    submitted = _answered(round_, community, 1, {"fiber_households": 300, "households": 337,
                                                 "multi_carrier_access": True}, worker, seed=1)
    returned = _answered(round_, community, 2, {"wireless_on_demand": True}, worker, seed=2)
    decisions.item_return(result=returned, user=verifier, reason="填报数据与照片不一致，请补拍机房照片")
    decisions.item_approve(result=_answered(round_, community, 3, {"hd_tv_full_access": True, "households": 337,
                                                               "interactive_tv_households": 200}, worker, seed=3),
                           user=verifier)
    services.answer_save(round_=round_, community=community, item_number=8, user=worker,
                         values={"smart_lights": "3"})
    city = region_by("city", "379900")
    department = department_save(user=bureau, round_=round_, region=city, name="市大数据局", indicators=[1, 2])
    evidence_file = assessment_services.evidence_attach(user=bureau, round_=round_, region=city, number=1,
                                                        data=make_png(64, 48), filename="说明.png")
    assessment_services.snapshot_create(user=bureau, round_=round_, region=city, note="演示快照")
    job, _ = enqueue_job(kind=JobKind.COVERAGE_EXPORT, params={"round": "2026", "format": "csv"}, user=bureau)
    street_page = StreetPage.objects.get(code=COMMUNITY[:9])
    pilot = Pilot.objects.order_by("pk").first()
    return {
        "year": Batch.objects.get().year, "community": COMMUNITY, "street": COMMUNITY[:9], "unit": COMMUNITY[:6],
        "city": "379900", "page": community.pk, "community_page": community.pk, "street_page": street_page.pk,
        "city_page": CityPage.objects.get(code="379900").pk,
        "collection": Collection.get_first_root_node().pk, "group": users["worker"].groups.first().pk,
        "site": Site.objects.get().pk, "round": round_.pk, "standard": StandardVersion.objects.order_by("pk")[0].pk,
        "result": submitted.pk, "evidence": submitted.photos.first().pk, "job": job.pk,
        "evidence_file": evidence_file.pk, "department": department.pk, "pilot": pilot.pk,
        "application": Application.objects.get().pk, "batch": Batch.objects.get().pk,
        "review": Review.objects.order_by("pk").first().pk, "expert": users["expert"].pk,
    }


def names() -> tuple[list[str], list[str]]:
    """Return the data's names (people, regions, pages, files) and the standards' wording, allowed in either
    language; of the wording only whole strings and non-lowercase Latin words count (IPTV, Wi-Fi, not "in")."""
    values = []
    for user in get_user_model().objects.all():
        values += [user.username, user.first_name, user.last_name, user.email, user.get_full_name()]
    values += list(Page.objects.values_list("title", flat=True))
    values += list(UnitPage.objects.values_list("title", flat=True))
    values += [Site.objects.get().hostname, Collection.get_first_root_node().name]
    values += list(Group.objects.values_list("name", flat=True))  # Wagtail's own Editors and Moderators too
    values += list(Round.objects.values_list("name", flat=True))
    values += list(StandardVersion.objects.exclude(note="").values_list("note", flat=True))  # what the saver wrote
    values += list(ItemResult.objects.exclude(return_reason="").values_list("return_reason", flat=True))  # people's
    # What bureaus typed or uploaded for a self-assessment or a coverage snapshot: departments, notes, file names.
    values += list(Department.objects.values_list("name", flat=True))
    values += list(IndicatorValue.objects.exclude(note="").values_list("note", flat=True))
    values += list(EvidenceFile.objects.values_list("original_name", flat=True))
    values += [*AssessmentSnapshot.objects.values_list("note", flat=True),
               *CoverageSnapshot.objects.values_list("note", flat=True)]
    # The pilots' data: the pool's names, organisations and fields, what cities and experts wrote, file names.
    for model, fields in ((Expert, ("name", "organisation", "field")), (Application, ("report",)),
                          (ApplicationFile, ("original_name",)), (SiteVisit, ("members", "findings")),
                          (Task, ("title", "done_note")), (Adjustment, ("reason",))):
        for field in fields:
            values += list(model.objects.exclude(**{field: ""}).values_list(field, flat=True))
    # What a log entry names (Wagtail's `label`, the object's str() when it was logged) is a record of that moment.
    for model in apps.get_models():
        if issubclass(model, BaseLogEntry):
            values += list(model.objects.values_list("label", flat=True).distinct())
    wording = []
    for version in StandardVersion.objects.all():
        wording += [version.title, *_strings(version.data)]
    # A frozen self-assessment (what a city applied with, what experts judge) is a record kept in Chinese.
    for data in AssessmentSnapshot.objects.values_list("data", flat=True):
        wording += list(_every_string(data))
    return values, wording


# Wording a person reads in the standards' data; keys, kinds and operators are machine text and stay out.
WORDING = {"label", "text", "name", "definition", "category", "description", "note", "rule", "unit", "title", "issuer",
           "attachment", "indicator"}


def _strings(data, wording=False):
    if isinstance(data, str):
        if wording:
            yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, key in WORDING)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _strings(value, wording)


def _every_string(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _every_string(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from _every_string(value)
