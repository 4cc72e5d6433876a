"""Make the access log append-only in PostgreSQL itself, not only in the app and admin.

UPDATE and DELETE raise, except:
- DELETE inside a transaction that ran `SET LOCAL ouderportaal.retention = 'on'` (the
  retention service, privacy.services.purge_access_log);
- an UPDATE that only sets actor_id to NULL (Django's on_delete=SET_NULL when a staff account
  is removed; actor_email and actor_role keep who it was).
TRUNCATE is left alone: test databases are flushed with it. SQLite (`make run`) has no trigger.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION privacy_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('ouderportaal.retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'privacy_accesslog is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS privacy_accesslog_append_only ON privacy_accesslog;
CREATE TRIGGER privacy_accesslog_append_only
    BEFORE UPDATE OR DELETE ON privacy_accesslog
    FOR EACH ROW EXECUTE FUNCTION privacy_accesslog_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS privacy_accesslog_append_only ON privacy_accesslog;
DROP FUNCTION IF EXISTS privacy_accesslog_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_retention_and_deletion")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
