"""Prepare the load test on a generated province: 50 worker accounts, each on its own community, already
logged in (as a worker's phone is all round), plus the answers and photos they will send.

    python -m bench.loadtest.seed --workers 50 --out var/loadtest/plan.json

Runs with the same SECRET_KEY and DATABASE_URL as the gunicorn under test (session hashes depend on both).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "site")]

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from audit.actors import system  # noqa: E402
from bench.phone_photo import phone_jpeg  # noqa: E402
from checklists.models import ItemResult, Status  # noqa: E402
from communities.counting import counted_q  # noqa: E402
from communities.models import CommunityPage, Role  # noqa: E402
from communities.roles import assign  # noqa: E402
from devtools.province_values import propose  # noqa: E402
from standards.rounds import open_round  # noqa: E402

EDITABLE = (Status.DRAFT, Status.RETURNED)
MIN_EDITABLE = 6


def communities(round_, count: int) -> list[CommunityPage]:
    """Return in-scope communities with the most items still open for editing."""
    editable = Count("results", filter=Q(results__round=round_, results__status__in=EDITABLE))
    return list(
        CommunityPage.objects.filter(counted_q())
        .annotate(editable=editable).filter(editable__gte=MIN_EDITABLE).order_by("-editable", "code")[:count]
    )


def worker_plan(n: int, community: CommunityPage, round_, rng: random.Random) -> dict:
    # No password at all: the worker is logged in below, as a phone stays all round, and hashing ten or fifty
    # passwords on a loaded machine would take longer than the run itself.
    user = get_user_model().objects.create_user(username=f"load-worker-{n:02d}")
    assign(user, Role.WORKER, community, by=system("bench"))
    client = Client()
    client.force_login(user)  # a real database session, as after logging in on the phone
    items = []
    for result in ItemResult.objects.filter(round=round_, community=community, status__in=EDITABLE):
        item = round_.standard.item(result.item_number)
        answers = [propose(item, kind, rng)[0] for kind in ("pass", "fail", "incomplete")]
        items.append({"number": result.item_number, "revision": result.revision, "answers": answers})
    return {"username": user.username, "community": community.code,
            "session": client.cookies[settings.SESSION_COOKIE_NAME].value, "items": items}


def photos(folder: Path, rng: random.Random) -> list[str]:
    """Write the phone photos the workers upload: mostly 1600x1200, a few full 12 MP ones."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, (width, height) in enumerate([(1600, 1200)] * 8 + [(4000, 3000)] * 2):
        path = folder / f"photo-{n}.jpg"
        path.write_bytes(phone_jpeg(width, height, seed=rng.randrange(10_000)))
        paths.append(str(path))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    round_ = open_round()
    chosen = communities(round_, args.workers)
    if len(chosen) < args.workers:
        raise SystemExit(f"只找到 {len(chosen)} 个可填报的社区，需要 {args.workers} 个")
    out = Path(args.out)
    plan = {
        "round": round_.code,
        "started_at": timezone.now().isoformat(),
        "workers": [worker_plan(n, c, round_, rng) for n, c in enumerate(chosen, start=1)],
        "photos": photos(out.parent / "photos", rng),
    }
    out.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    print(json.dumps({"workers": len(plan["workers"]), "items": sum(len(w["items"]) for w in plan["workers"])}))


if __name__ == "__main__":
    main()
