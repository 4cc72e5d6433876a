"""Topic now lives in onderwerpen: repoint the foreign keys and drop it from vragen's state.

State only, so the table and its ids stay; the content type follows, so permissions granted
on topics keep working.
"""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="onderwerpen", model="topic").exists():
        content_type.objects.filter(app_label="vragen", model="topic").update(
            app_label="onderwerpen"
        )


def move_content_type_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="onderwerpen", model="topic").update(app_label="vragen")


class Migration(migrations.Migration):
    dependencies = [
        ("vragen", "0008_delete_alarmphrase"),
        ("onderwerpen", "0001_initial"),
        ("afspraken", "0009_topics_from_onderwerpen"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="question",
                    name="topic",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="questions",
                        to="onderwerpen.topic",
                        verbose_name="topic",
                    ),
                ),
                migrations.AlterField(
                    model_name="standardanswer",
                    name="topic",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="standard_answers",
                        to="onderwerpen.topic",
                        verbose_name="topic",
                    ),
                ),
                migrations.DeleteModel(name="Topic"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
