"""Demo answers for 示范市, entered through the real services so every figure, flag and log entry is genuine."""

from __future__ import annotations

import io
import random

from django.contrib.auth import get_user_model
from PIL import Image, ImageDraw

from checklists import decisions, services
from checklists.actions import ChecklistAction
from checklists.evidence import evidence_add
from checklists.models import ItemResult
from communities import policy
from communities.models import CommunityPage
from communities.policy import Action
from standards.models import Round

from .province_values import variant_pool

# community code -> what its checklist looks like; unlisted communities stay untouched
SMART = [
    "379902001003", "379902001004", "379902002001", "379903001001", "379903001002",  # 5/16 main urban: ≥30%
    "379921001001", "379921001002",                                                  # 2/4: county at 50%
    "379981001001",                                                                  # 1/3
    "379905001001", "379905001002", "379905001003",                                  # 3/3: 100%
]
IN_PROGRESS = ["379902001001", "379902001005", "379903002001"]
RETURN_REASON = "照片未能体现设施实际运行情况，请补拍现场照片"


def _photo(seed: int) -> bytes:
    """Draw a small, distinct JPEG so near-duplicate detection does not flag demo photos."""
    rng = random.Random(seed)
    image = Image.new("RGB", (480, 360), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(8):
        x, y = rng.randrange(400), rng.randrange(300)
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x, y, x + rng.randint(30, 160), y + rng.randint(30, 120)), fill=tuple(rng.randrange(256) for _ in "rgb"))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _answer(round_, community, number, variant, user, seed) -> ItemResult:
    result = services.answer_save(
        round_=round_, community=community, item_number=number, user=user, values=variant.values,
    ).result
    if variant.photos:
        evidence_add(result=result, user=user, data=_photo(seed), filename=f"item{number}.jpg")
    return result


def seed_demo_results(round_: Round) -> int:
    """Fill the demo communities' checklists in `round_`; return how many items were answered."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["worker", "verifier", "admin"])}

    def actor(name: str, action: Action, community: CommunityPage):
        # The demo accounts act where they are assigned; the administrator stands in everywhere else.
        user = users.get(name)
        return user if user and policy.may(user, action, community) else users["admin"]

    pool = variant_pool(round_.standard, per_kind=2, seed=2026)
    rng = random.Random(2026)
    answered = 0
    for code in SMART + IN_PROGRESS:
        community = CommunityPage.objects.get(code=code)
        worker = actor("worker", ChecklistAction.SAVE, community)
        verifier = actor("verifier", ChecklistAction.APPROVE, community)
        for number in round_.standard.item_numbers:
            kind = "pass" if code in SMART or rng.random() < 0.6 else rng.choice(["fail", "incomplete"])
            variant = rng.choice(pool[number, kind])
            result = _answer(round_, community, number, variant, worker, seed=answered)
            answered += 1
            if kind == "incomplete":
                continue
            try:
                result = services.item_submit(result=result, user=worker)
            except services.IncompleteError:  # a failing variant that blanked a required text stays a draft
                continue
            roll = rng.random()
            if code in SMART or roll < 0.4:
                decisions.item_approve(result=result, user=verifier)
            elif roll < 0.6:
                decisions.item_return(result=result, user=verifier, reason=RETURN_REASON)
    return answered
