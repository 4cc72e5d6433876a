"""Take over vragen.Topic without touching the database: same table, same ids.

The model moves in Django's state only (SeparateDatabaseAndState); vragen 0006 and afspraken
0007 repoint their fields, then 0002 renames the table.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("vragen", "0005_triage_decision_and_queue_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Topic",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=80, unique=True, verbose_name="name")),
                        (
                            "position",
                            models.PositiveSmallIntegerField(default=0, verbose_name="position"),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                    ],
                    options={
                        "verbose_name": "topic",
                        "verbose_name_plural": "topics",
                        "ordering": ["position", "name"],
                        "db_table": "vragen_topic",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
