"""Hand StandardVersion, Round and CoverageSnapshot to the standards and coverage apps (issue 9): state only,
the tables and their rows stay where they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('checklists', '0002_initial'),
        ('standards', '0001_initial'),
        ('coverage', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='round',
                    name='standard',
                ),
                migrations.AlterField(
                    model_name='itemresult',
                    name='round',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='results', to='standards.round', verbose_name='轮次'),
                ),
                migrations.RemoveField(
                    model_name='standardversion',
                    name='created_by',
                ),
                migrations.DeleteModel(
                    name='CoverageSnapshot',
                ),
                migrations.DeleteModel(
                    name='Round',
                ),
                migrations.DeleteModel(
                    name='StandardVersion',
                ),
            ],
            database_operations=[],
        ),
    ]
