"""django-tasks entry points. `manage.py db_worker` runs them from the database queue (settings.TASKS)."""

from django_tasks import task

from .services import run_job


@task()
def run_job_task(job_id: int) -> str:
    """Run one background job (see jobs.services); the Job row carries its progress, file or error."""
    return run_job(job_id)
