"""A trail written by the real services: item work, decisions, photos, rounds, versions, roles, regions."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from wagtail.models import ModelLogEntry, PageLogEntry

from audit.models import ChainLink
from checklists import decisions, services
from checklists.evidence import evidence_add
from checklists.models import ChecklistLogEntry
from communities.models import CommunityPage, ProvincePage, Role, StreetPage
from communities.region_edits import region_saved, snapshot
from communities.roles import assignment_create, assignment_delete, assignment_update
from standards.models import RoundStatus
from standards.rounds import round_create, round_set_status
from standards.versions import latest, standard_save
from tests.checklists.photo_factory import make_jpeg

LOG_MODELS = (ChecklistLogEntry, ModelLogEntry, PageLogEntry)


def user(name):
    return get_user_model().objects.get(username=name)


def write_story(round_, *, seed: int = 0) -> None:
    """Write one of everything the product logs, through its services."""
    worker, verifier, admin = user("worker"), user("verifier"), user("admin")
    community = CommunityPage.objects.get(code=f"37990200100{seed + 1}")  # the worker's communities: 001, 002
    result = services.answer_save(round_=round_, community=community, item_number=2, user=worker,
                                  values={"wireless_on_demand": True}).result
    evidence_add(result=result, user=worker, data=make_jpeg(320, 240, pattern_seed=seed), filename="ap.jpg")
    services.item_submit(result=result, user=worker)
    decisions.item_return(result=result, user=verifier, reason="照片看不清")
    services.item_submit(result=result, user=worker)
    decisions.item_approve(result=result, user=verifier)
    round_set_status(round_=round_, user=admin, status=RoundStatus.CLOSED, reason="年度结束")
    round_set_status(round_=round_, user=admin, status=RoundStatus.OPEN, reason="补录")
    standard = latest()
    round_create(user=admin, code=f"t{seed}", name="试点轮次", standard=standard)
    standard_save({**standard.data, "title": standard.data["title"] + f"（修订{seed}）"}, user=admin, note="修订")
    helper = get_user_model().objects.create_user(f"helper{seed}", password="pw-12345678")
    assignment = assignment_create(by=admin, user=helper, role=Role.WORKER, region=community)
    assignment_update(by=admin, assignment=assignment, user=helper, role=Role.BUREAU, region=ProvincePage.objects.get())
    assignment_delete(by=admin, assignment=assignment)
    street = StreetPage.objects.get(code="379902001")
    before = snapshot(street)
    street.title = f"东城街道{seed}"
    street.save()
    region_saved(street, admin, before)


def entry_count() -> int:
    return sum(model.objects.count() for model in LOG_MODELS)


def sealed_count() -> int:
    return ChainLink.objects.filter(seq__isnull=False).count()


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
