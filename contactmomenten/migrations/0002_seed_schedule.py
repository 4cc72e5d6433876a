"""Seed the usual Dutch schedule; managers edit it in the admin afterwards."""

from django.db import migrations


def seed(apps, schema_editor):
    from contactmomenten.seed import load

    load(apps.get_model("contactmomenten", "ContactMoment"),
         apps.get_model("contactmomenten", "PreConsultQuestion"))


class Migration(migrations.Migration):
    dependencies = [("contactmomenten", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
