"""Two writers at once (two threads, two database connections): every entry sealed once, the chain verifies."""

import contextlib
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from audit.models import ChainLink
from audit.verify import verify_chain
from checklists import services
from communities.models import CommunityPage
from tests.audit.chain_story import entry_count, sealed_count

SAVES = 15


@pytest.mark.django_db(transaction=True)
def test_two_threads_writing_still_verify(round_, demo):
    """On PostgreSQL the writers really overlap (row locks); SQLite's test database lets one writer in at a time,
    so there the two connections take turns save by save, which still interleaves their entries on the chain."""
    worker = get_user_model().objects.get(username="worker")
    communities = list(CommunityPage.objects.filter(code__in=["379902001001", "379902001002"]))
    start, errors = threading.Barrier(2), []
    turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

    def write(community):
        try:
            start.wait(timeout=30)
            for n in range(SAVES):
                with turns:
                    services.answer_save(round_=round_, community=community, item_number=1 + n % 3, user=worker,
                                         values={"fiber_households": n, "households": 337})
        except Exception as exc:  # reported below: a thread's exception would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(c,)) for c in communities]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    verdict = verify_chain()
    assert verdict.ok, verdict.problems[:3]
    assert sealed_count() == entry_count() == verdict.checked
    seqs = list(ChainLink.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
