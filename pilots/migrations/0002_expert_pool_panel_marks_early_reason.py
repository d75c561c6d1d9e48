"""The expert pool (专家库; experts already assigned join it), each expert's own marks on a review (the panel scores independently: the former
shared adjustments become the marks of the expert who made them; rows nobody owns are dropped), and the
province's reason for a review held before the notice's date."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def pool_the_assigned(apps, schema_editor):
    # Experts assigned before the pool existed keep their access: they enter the pool for the province to complete.
    Expert = apps.get_model("pilots", "Expert")
    for assignment in apps.get_model("pilots", "ExpertAssignment").objects.select_related("expert"):
        user = assignment.expert
        name = f"{user.last_name}{user.first_name}".strip() or user.username
        Expert.objects.get_or_create(user=user, defaults={"name": name[:50], "organisation": "（待补充）"})


def drop_unowned_marks(apps, schema_editor):
    apps.get_model("pilots", "Adjustment").objects.filter(by__isnull=True).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("communities", "0001_initial"),
        ("pilots", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Expert",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50, verbose_name="姓名")),
                ("organisation", models.CharField(max_length=100, verbose_name="工作单位")),
                ("field", models.CharField(blank=True, max_length=100, verbose_name="专业领域")),
                ("active", models.BooleanField(default=True, verbose_name="在库")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="加入时间")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="修改时间")),
                ("city", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                           related_name="+", to="communities.citypage", verbose_name="工作所在城市")),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT,
                                              related_name="pilot_expert", to=settings.AUTH_USER_MODEL,
                                              verbose_name="登录账号")),
            ],
            options={"verbose_name": "评估专家", "verbose_name_plural": "专家库",
                     "ordering": ["-active", "name", "pk"]},
        ),
        migrations.RunPython(pool_the_assigned, migrations.RunPython.noop),
        migrations.RunPython(drop_unowned_marks, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="adjustment", name="unique_adjustment"),
        migrations.RenameField(model_name="adjustment", old_name="by", new_name="expert"),
        migrations.AlterField(
            model_name="adjustment", name="expert",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                    to=settings.AUTH_USER_MODEL, verbose_name="评分专家"),
        ),
        migrations.AlterField(model_name="adjustment", name="reason",
                              field=models.TextField(blank=True, verbose_name="理由")),
        migrations.AlterModelOptions(
            name="adjustment",
            options={"ordering": ["review_id", "expert_id", "number"], "verbose_name": "专家评分",
                     "verbose_name_plural": "专家评分"},
        ),
        migrations.AddConstraint(
            model_name="adjustment",
            constraint=models.UniqueConstraint(fields=("review", "expert", "number"), name="unique_expert_mark"),
        ),
        migrations.AddField(model_name="stagerecord", name="early_reason",
                            field=models.TextField(blank=True, verbose_name="提前考核理由")),
    ]
