"""`audit_log --format csv` keeps return reasons and user names that start a formula inert."""

import io

from django.core.management import call_command

from checklists import decisions, services
from checklists.evidence import evidence_add
from communities.models import Role
from tests.checklists.photo_factory import make_jpeg
from tests.site.formula_checks import DANGEROUS, assert_csv_inert

NAMES = ["@verifier", "+verifier", "-verifier"]  # Django's username rules allow @ + - as a first character


def test_reasons_and_user_names(round_, community, make_user):
    worker = make_user("audit-worker", Role.WORKER, community)
    verifiers = [make_user(name, Role.VERIFIER, community.unit) for name in NAMES]
    result = services.answer_save(round_=round_, community=community, item_number=2, user=worker,
                                  values={"wireless_on_demand": True}).result
    evidence_add(result=result, user=worker, data=make_jpeg(320, 240), filename="ap.jpg")
    for n, reason in enumerate(DANGEROUS):
        services.item_submit(result=result, user=worker)
        decisions.item_return(result=result, user=verifiers[n % len(verifiers)], reason=reason)
    out = io.StringIO()
    call_command("audit_log", "--community", community.code, "--format", "csv", stdout=out)
    # Reasons are stored stripped, so a leading tab or carriage return is gone and the = behind it shows.
    rows = assert_csv_inert(out.getvalue(), [*(reason.strip() for reason in DANGEROUS), *NAMES])
    returned = [row for row in rows if row[2] == "returned"]
    assert len(returned) == len(DANGEROUS) and {row[5] for row in returned} == {"2"}
