"""Take over StandardVersion and Round from checklists (issue 9): same tables, state only, content types relabelled."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from smartsite.relabel import relabel_content_types


MOVED = {('checklists', 'standardversion'): 'standards', ('checklists', 'round'): 'standards'}
rename_content_types, unrename_content_types = relabel_content_types(MOVED)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('checklists', '0002_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='StandardVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=32, verbose_name='标准编号')),
                        ('version', models.PositiveIntegerField(verbose_name='版本')),
                        ('title', models.CharField(max_length=200, verbose_name='标准名称')),
                        ('data', models.JSONField(verbose_name='标准内容')),
                        ('checksum', models.CharField(editable=False, max_length=64, verbose_name='内容摘要')),
                        ('note', models.TextField(blank=True, verbose_name='修订说明')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='创建人')),
                    ],
                    options={
                        'verbose_name': '标准版本',
                        'verbose_name_plural': '标准版本',
                        'db_table': 'checklists_standardversion',
                        'ordering': ['code', '-version'],
                    },
                ),
                migrations.CreateModel(
                    name='Round',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.CharField(max_length=32, unique=True, verbose_name='轮次代码')),
                        ('name', models.CharField(max_length=100, verbose_name='名称')),
                        ('status', models.CharField(choices=[('open', '进行中'), ('closed', '已关闭')], default='open', max_length=8, verbose_name='状态')),
                        ('opened_at', models.DateTimeField(verbose_name='开始时间')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='关闭时间')),
                        ('standard', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, to='standards.standardversion', verbose_name='标准版本')),
                    ],
                    options={
                        'verbose_name': '核查轮次',
                        'verbose_name_plural': '核查轮次',
                        'db_table': 'checklists_round',
                        'ordering': ['-opened_at'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='standardversion',
                    constraint=models.UniqueConstraint(fields=('code', 'version'), name='unique_standard_version'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_types, unrename_content_types),
    ]
