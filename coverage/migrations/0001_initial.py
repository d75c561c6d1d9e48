"""Take over CoverageSnapshot from checklists (issue 9): same table, state only, content type relabelled."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from smartsite.relabel import relabel_content_types


MOVED = {('checklists', 'coveragesnapshot'): 'coverage'}
rename_content_types, unrename_content_types = relabel_content_types(MOVED)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('checklists', '0002_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('standards', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CoverageSnapshot',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('data', models.JSONField(verbose_name='覆盖率数据')),
                        ('note', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='生成时间')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='生成人')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='snapshots', to='standards.round', verbose_name='轮次')),
                    ],
                    options={
                        'verbose_name': '覆盖率快照',
                        'verbose_name_plural': '覆盖率快照',
                        'db_table': 'checklists_coveragesnapshot',
                        'ordering': ['-created_at'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, unrename_content_types),
    ]
