"""Background work of the register (django-tasks; `manage.py db_worker` runs it from the queue)."""

from django_tasks import task
from wagtail.search.backends import get_search_backends

from .register_plan import LEVELS, MODELS

CHUNK = 2000


@task()
def index_region_pages(pages: dict[str, list[int]]) -> int:
    """Add the pages an import created or renamed to the search index, in bulk per model; return how many.

    One job per import, queued when it commits (as Wagtail queues its own index updates): indexing a province's
    60,000 pages takes about half a minute on SQLite, which the import's transaction need not wait for.
    """
    done = 0
    for level in LEVELS:
        pks = pages.get(level, [])
        model = MODELS[level]
        for start in range(0, len(pks), CHUNK):
            objects = list(model.objects.filter(pk__in=pks[start:start + CHUNK]))
            for backend in get_search_backends(with_auto_update=True):
                backend.add_bulk(model, objects)
            done += len(objects)
    return done
