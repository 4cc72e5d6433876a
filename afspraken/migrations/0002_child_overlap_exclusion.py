"""PostgreSQL only: a child never has two overlapping booked appointments.

An exclusion constraint over (child, [starts_at, ends_at)) needs btree_gist for the equality on
child_id. SQLite (used by `make run` only) has no exclusion constraints: there the service's
check under the slot lock is the guard. Tests and production run on PostgreSQL.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE afspraken_appointment
    ADD CONSTRAINT afspraken_appointment_no_child_overlap
    EXCLUDE USING gist (child_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (status = 'booked' AND child_id IS NOT NULL);
"""
DROP = "ALTER TABLE afspraken_appointment DROP CONSTRAINT IF EXISTS afspraken_appointment_no_child_overlap;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("afspraken", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
