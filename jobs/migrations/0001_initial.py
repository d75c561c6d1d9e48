"""Jobs, formerly the ops app (issue 9): the table keeps its name ops_job, so an existing database loses nothing."""

import django.db.models.deletion
import jobs.models
from django.conf import settings
from django.db import migrations, models

from smartsite.relabel import relabel_content_types


def create_table_if_missing(apps, schema_editor):
    """Create the job table on a new database; an existing one (from the former ops app) is kept as it is."""
    Job = apps.get_model("jobs", "Job")
    if Job._meta.db_table not in schema_editor.connection.introspection.table_names():
        schema_editor.create_model(Job)


def drop_table(apps, schema_editor):
    schema_editor.delete_model(apps.get_model("jobs", "Job"))


rename_content_type, unrename_content_type = relabel_content_types({("ops", "job"): "jobs"})


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Job',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('coverage_export', '覆盖率导出'), ('qr_sheets', '二维码张贴单批量生成'), ('photo_renditions', '照片展示图与缩略图重建')], max_length=32, verbose_name='任务类型')),
                        ('params', models.JSONField(blank=True, default=dict, verbose_name='参数')),
                        ('status', models.CharField(choices=[('queued', '排队中'), ('running', '运行中'), ('done', '已完成'), ('failed', '失败')], default='queued', max_length=8, verbose_name='状态')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='进度（%）')),
                        ('message', models.CharField(blank=True, max_length=200, verbose_name='进度说明')),
                        ('result', models.FileField(blank=True, max_length=255, upload_to=jobs.models.job_result_path, verbose_name='结果文件')),
                        ('result_name', models.CharField(blank=True, max_length=200, verbose_name='结果文件名')),
                        ('error', models.TextField(blank=True, verbose_name='错误信息')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='运行次数')),
                        ('task_id', models.CharField(blank=True, max_length=64, verbose_name='后台任务编号')),
                        ('idempotency_key', models.CharField(max_length=100, unique=True, verbose_name='幂等键')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='提交时间')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='最后更新')),
                        ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='开始时间')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='结束时间')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='提交人')),
                    ],
                    options={
                        'verbose_name': '后台任务',
                        'verbose_name_plural': '后台任务',
                        'db_table': 'ops_job',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['created_by', '-created_at'], name='job_owner_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(create_table_if_missing, drop_table),
        migrations.RunPython(rename_content_type, unrename_content_type),
    ]
