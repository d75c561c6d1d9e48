"""Tasks queued before the jobs app replaced ops name the old task path; point them at the new one so a worker
started after the upgrade runs them instead of failing them (issue 9)."""

from django.db import migrations

OLD, NEW = "ops.tasks.run_job_task", "jobs.tasks.run_job_task"


def repoint(apps, schema_editor):
    apps.get_model("django_tasks_database", "DBTaskResult").objects.filter(task_path=OLD).exclude(
        status__in=["SUCCESSFUL", "FAILED"]
    ).update(task_path=NEW)


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0001_initial"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(repoint, migrations.RunPython.noop)]
