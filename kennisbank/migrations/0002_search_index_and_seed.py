"""The GIN index for Dutch full-text search (PostgreSQL only) and the seeded articles."""

from django.db import migrations


def create_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS kennisbank_article_search "
            "ON kennisbank_article USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS kennisbank_article_search")


def seed(apps, schema_editor):
    from kennisbank.seed import load

    Article = apps.get_model("kennisbank", "Article")
    load(Article, apps.get_model("onderwerpen", "Topic"))
    if schema_editor.connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        Article.objects.update(
            search_vector=SearchVector("title_nl", weight="A", config="dutch")
            + SearchVector("summary_nl", weight="B", config="dutch")
            + SearchVector("body_nl", weight="C", config="dutch")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("kennisbank", "0001_initial"),
        ("vragen", "0002_seed"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
