"""A batch whose pilots reach different outcomes: the city and its county applied together, listed, the list
published, then each walked on through the services (tests/pilots/pilot_factory.py's steps)."""

from __future__ import annotations

from assessments.regions import Region
from communities.models import CityPage
from pilots.models import Pilot
from pilots.services import applications, batches
from pilots.services.moves import pilot_move
from pilots.stages import Stage
from standards.models import Round
from tests.pilots.admin_helpers import PDF
from tests.pilots.pilot_factory import BANDS, Walk, actor, arguments, batch, drafted, ready, self_assess

TO_LIST = ("accept", "propose", "confirm")
AFTER_LIST = {
    Stage.MIDTERM: ("start_midterm",),
    Stage.GRANTED: ("start_midterm", "midterm_pass", "final_pass"),
    Stage.RECTIFICATION: ("start_midterm", "midterm_pass", "final_fail"),
    Stage.REVOKED: ("start_midterm", "midterm_pass", "final_fail", "rectified", "recheck_fail"),
}


def _moved(walk: Walk, pilot: Pilot, moves: tuple[str, ...]) -> Pilot:
    for move in moves:
        if move != "start_midterm":  # the list is published already
            pilot = ready(walk, pilot, move)
        pilot = pilot_move(user=actor(walk, move), pilot=pilot, move=move, **arguments(move))
    return pilot


def batch_with(bureau, province, round_: Round, outcomes: dict[Region, Stage]) -> list[Pilot]:
    """Return the pilots of one new batch, one per region (of one city), each walked to its stage."""
    the_batch = batch(province)
    pilots = []
    for region in outcomes:
        self_assess(bureau, round_, region, BANDS[3])
        pilots.append(drafted(bureau, round_, region, the_batch))
    application = pilots[0].application
    applications.material_attach(user=bureau, application=application, data=PDF, filename="实施方案.pdf")
    applications.application_submit(user=bureau, application=application)
    walks = [Walk(bureau, province, round_, region) for region in outcomes]
    pilots = [_moved(walk, Pilot.objects.get(pk=p.pk), TO_LIST) for walk, p in zip(walks, pilots, strict=True)]
    batches.batch_publish(user=province, batch=the_batch)
    return [_moved(walk, Pilot.objects.get(pk=p.pk), AFTER_LIST[stage])
            for walk, p, stage in zip(walks, pilots, outcomes.values(), strict=True)]


def city_of(region: Region) -> CityPage:
    return CityPage.objects.get(code=region.city_code)
