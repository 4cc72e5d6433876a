"""Appointment topics point at onderwerpen.Topic (the same rows: state only)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("afspraken", "0008_appointmentchange_handover"),
        ("onderwerpen", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="appointment",
                    name="topics",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="appointments",
                        to="onderwerpen.topic",
                        verbose_name="topics",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
