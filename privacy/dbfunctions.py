"""SQL for the access log's database functions (PostgreSQL), shared by migration privacy/0006
and `manage.py setup_db_roles`, which keeps the retention period in step with the setting."""


def retention_function(days: int) -> str:
    """`privacy_accesslog_retention()`: rows younger than this are never deleted, by anyone but
    the owner switching the trigger off."""
    return f"""
CREATE OR REPLACE FUNCTION privacy_accesslog_retention() RETURNS interval
    LANGUAGE sql IMMUTABLE AS $$ SELECT interval '{int(days)} days' $$;
"""
