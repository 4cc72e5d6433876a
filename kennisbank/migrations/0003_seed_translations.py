"""English translations of the seeded articles (Arabic for two), into empty columns only.
None is marked as checked by a native speaker (no TranslationReview rows)."""

from django.db import migrations


def fill(apps, schema_editor):
    from kennisbank.seed_translations import fill

    fill(apps.get_model("kennisbank", "Article"))


class Migration(migrations.Migration):
    dependencies = [
        ("kennisbank", "0002_search_index_and_seed"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
