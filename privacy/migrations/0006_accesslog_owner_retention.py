"""Retention of the access log through an owner-owned function, not a session flag.

Before, the trigger let any DELETE through in a transaction that had set
`ouderportaal.retention = 'on'`: anyone who could connect could set that flag. Now:

- the trigger refuses every UPDATE, and every DELETE of a row younger than the retention
  period (`privacy_accesslog_retention()`, written here and by `manage.py setup_db_roles` from
  RETENTION_ACCESS_LOG_DAYS);
- `privacy_purge_access_log(cutoff)` deletes rows older than both the cutoff and the retention
  period. It is SECURITY DEFINER, owned by the role that runs migrations (the owner), so the
  app role needs no DELETE privilege on the log at all: `setup_db_roles` grants it only
  INSERT and SELECT, plus EXECUTE on this function.

Monthly partitions of the log, when they come, are created and dropped by the same owner path
(a function next to this one, run by the owner role at deploy or by the nightly task through
a SECURITY DEFINER function that only drops partitions past retention).
SQLite (`make run`) has neither trigger nor functions; there the service deletes directly.
"""

from django.conf import settings
from django.db import migrations

from privacy.dbfunctions import retention_function


def create_sql(schema: str) -> str:
    # search_path pinned: the functions never resolve names through a caller's schemas.
    return f"""
CREATE OR REPLACE FUNCTION privacy_accesslog_append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path = "{schema}", pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.at < now() - privacy_accesslog_retention() THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'privacy_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE OR REPLACE FUNCTION privacy_purge_access_log(cutoff timestamptz) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = "{schema}", pg_temp AS $$
DECLARE
    deleted bigint;
BEGIN
    DELETE FROM privacy_accesslog
        WHERE at < LEAST(cutoff, now() - privacy_accesslog_retention());
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END;
$$;
REVOKE ALL ON FUNCTION privacy_purge_access_log(timestamptz) FROM PUBLIC;
"""


DROP = """
DROP FUNCTION IF EXISTS privacy_purge_access_log(timestamptz);
DROP FUNCTION IF EXISTS privacy_accesslog_retention();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    schema_editor.execute(retention_function(settings.RETENTION_ACCESS_LOG_DAYS), None)
    schema_editor.execute(create_sql(schema), None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Back to the function of 0003 (without its actor_id exception: the column has no FK now).
    schema_editor.execute(
        """
CREATE OR REPLACE FUNCTION privacy_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('ouderportaal.retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'privacy_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
        + DROP,
        None,
    )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0005_accesslog_id_arrays")]

    operations = [migrations.RunPython(forwards, backwards)]
