"""A trigram index on the family name, so the admin's family search (and the autocomplete of
the child and invitation forms) finds part of a name through an index, not by reading every
family. PostgreSQL only (pg_trgm ships with PostgreSQL and is a trusted extension, so the
database owner may create it); SQLite (`make run`) searches its few demo families directly.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS families_family_name_trgm
    ON families_family USING gin (upper(name::text) gin_trgm_ops);
"""
DROP = "DROP INDEX IF EXISTS families_family_name_trgm;"


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):
    dependencies = [("families", "0006_child_families_child_dob_family_families_family_name")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
