"""Partition the access log by month (PostgreSQL declarative partitioning on `at`).

A region writes tens of millions of log rows in five years. Monthly partitions let retention
drop a whole month at once (`DROP TABLE` of one partition, no row-by-row DELETE, no bloat),
keep each partition's indexes small, and let "last month" queries touch one partition.

The table is rebuilt: renamed, a partitioned table of the same columns created, partitions
from the oldest row's month to PARTITION_MONTHS_AHEAD months ahead plus a DEFAULT partition
(a row outside them is never refused), the same indexes (same names), the rows copied, the old
table dropped. The primary key becomes (id, at): PostgreSQL needs the partition key in it.
The append-only trigger is created on the parent, so every partition, also those created
later, refuses UPDATE and the DELETE of rows younger than retention. Grants are copied from the
old table (`setup_db_roles` sets them again after every migrate).
SQLite (`make run`) keeps its plain table.
"""

from django.db import migrations

from privacy.dbfunctions import PARTITION_MONTHS_AHEAD, partition_functions

TABLE = "privacy_accesslog"
OLD = "privacy_accesslog_old"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema(), current_user")
        schema, owner = cursor.fetchone()
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        cursor.execute(f"ALTER TABLE {OLD} RENAME CONSTRAINT {TABLE}_pkey TO {OLD}_pkey")
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [OLD])
        sequence = cursor.fetchone()[0]
        if sequence:
            cursor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {OLD}_id_seq")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s"
            " AND indexname <> %s",
            [schema, OLD, f"{OLD}_pkey"],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            "SELECT grantee, privilege_type FROM information_schema.role_table_grants"
            " WHERE table_schema = %s AND table_name = %s AND grantee <> %s",
            [schema, OLD, owner],
        )
        grants = cursor.fetchall()
        cursor.execute(f"SELECT min(at) FROM {OLD}")
        oldest = cursor.fetchone()[0]

        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
            " PARTITION BY RANGE (at)"
        )
        cursor.execute(f"CREATE SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{TABLE}_id_seq')")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, at)")
        cursor.execute(partition_functions(schema))
        cursor.execute(
            "SELECT privacy_accesslog_create_partitions(%s, COALESCE(%s, now()))",
            [PARTITION_MONTHS_AHEAD, oldest],
        )
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
        cursor.execute(f"REVOKE ALL ON {TABLE}_default FROM PUBLIC")
        for _name, definition in indexes:
            cursor.execute(
                definition.replace(f" ON {schema}.{OLD} ", f" ON {TABLE} ").replace(
                    f" ON {OLD} ", f" ON {TABLE} "
                )
            )
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")
        cursor.execute(
            f"SELECT setval('{TABLE}_id_seq', COALESCE((SELECT max(id) FROM {TABLE}), 0) + 1,"
            " false)"
        )
        cursor.execute(f"DROP TABLE {OLD}")
        cursor.execute(
            f"CREATE TRIGGER privacy_accesslog_append_only BEFORE UPDATE OR DELETE ON {TABLE}"
            " FOR EACH ROW EXECUTE FUNCTION privacy_accesslog_append_only()"
        )
        cursor.execute(f"REVOKE ALL ON {TABLE} FROM PUBLIC")
        for grantee, privilege in grants:
            cursor.execute(f'GRANT {privilege} ON {TABLE} TO "{grantee}"')
        for grantee in {grantee for grantee, _privilege in grants}:
            cursor.execute(f'GRANT USAGE, SELECT ON SEQUENCE {TABLE}_id_seq TO "{grantee}"')


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {OLD}")
        cursor.execute(f"ALTER TABLE {OLD} RENAME CONSTRAINT {TABLE}_pkey TO {OLD}_pkey")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s"
            " AND indexname <> %s",
            [schema, OLD, f"{OLD}_pkey"],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {OLD} INCLUDING DEFAULTS)")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id)")
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {OLD}")
        cursor.execute(f"ALTER SEQUENCE {TABLE}_id_seq OWNED BY {TABLE}.id")
        cursor.execute(f"DROP TABLE {OLD}")
        for _name, definition in indexes:
            cursor.execute(
                definition.replace(f" ON ONLY {schema}.{OLD} ", f" ON {TABLE} ").replace(
                    f" ON {schema}.{OLD} ", f" ON {TABLE} "
                )
            )
        cursor.execute(
            f"CREATE TRIGGER privacy_accesslog_append_only BEFORE UPDATE OR DELETE ON {TABLE}"
            " FOR EACH ROW EXECUTE FUNCTION privacy_accesslog_append_only()"
        )
        cursor.execute("DROP FUNCTION IF EXISTS privacy_accesslog_create_partitions(integer, timestamptz)")


class Migration(migrations.Migration):
    dependencies = [("privacy", "0009_accesslog_privacy_log_actor_at")]

    operations = [migrations.RunPython(forwards, backwards)]
