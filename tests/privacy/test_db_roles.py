"""The app's database role cannot erase or switch off the access log; retention still works.

Creates a fresh app role with `manage.py setup_db_roles` (as the test database's owner, the way
the deploy runs it) and connects as that role, like the web and workers do in production.
"""

import uuid
from datetime import UTC, timedelta

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from psycopg2 import errors

from privacy.models import AccessLog
from tests.factories import make_staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL only"),
]


@pytest.fixture
def app_role(db):
    name = f"ouderportaal_app_{uuid.uuid4().hex[:8]}"
    call_command("setup_db_roles", app_role=name, app_password="app-secret")
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP OWNED BY "{name}"')
        cursor.execute(f'DROP ROLE "{name}"')


@pytest.fixture
def as_app(app_role):
    settings = connection.settings_dict
    conn = psycopg2.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        dbname=settings["NAME"],
        user=app_role,
        password="app-secret",
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        yield cursor
    conn.close()


def _log_row(at):
    nurse = make_staff()
    return AccessLog.objects.create(
        at=at,
        actor=nurse,
        actor_email=nurse.email,
        actor_role=nurse.role,
        action=AccessLog.Action.VIEW,
        record_type="families.child",
    )


REFUSED = [
    "ALTER TABLE privacy_accesslog DISABLE TRIGGER privacy_accesslog_append_only",
    "ALTER TABLE privacy_accesslog DISABLE TRIGGER ALL",
    "DROP TRIGGER privacy_accesslog_append_only ON privacy_accesslog",
    "UPDATE privacy_accesslog SET reason = 'covered up'",
    "DELETE FROM privacy_accesslog",
    "TRUNCATE privacy_accesslog",
    "CREATE OR REPLACE FUNCTION privacy_accesslog_retention() RETURNS interval "
    "LANGUAGE sql AS $$ SELECT interval '0 days' $$",
    # The session flag that used to open the trigger opens nothing any more.
    "SET ouderportaal.retention = 'on'; DELETE FROM privacy_accesslog",
]


def test_app_role_cannot_change_erase_or_unprotect_the_log(as_app, settings):
    recent = _log_row(timezone.now() - timedelta(days=1))
    old = _log_row(timezone.now() - timedelta(days=settings.RETENTION_ACCESS_LOG_DAYS + 1))
    for statement in REFUSED:
        with pytest.raises(errors.InsufficientPrivilege):
            as_app.execute(statement)
    assert AccessLog.objects.filter(reason="").count() == 2

    # What the app does need: write and read rows, and apply retention through the owner's
    # function, which never removes a row younger than the retention period.
    as_app.execute(
        "INSERT INTO privacy_accesslog (at, actor_email, actor_role, action, record_type, "
        "record_ids, child_ids, family_ids, reason) "
        "VALUES (now(), 'x@example.org', 'nurse', 'view', 'families.child', '{}', '{}', '{}', '')"
    )
    as_app.execute("SELECT privacy_purge_access_log('infinity')")
    assert as_app.fetchone()[0] == 1
    as_app.execute("SELECT count(*) FROM privacy_accesslog")
    assert as_app.fetchone()[0] == 2
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    assert AccessLog.objects.filter(pk=recent.pk).exists()


def test_app_role_keeps_working_on_the_portal_tables(as_app):
    user = make_staff()
    as_app.execute("UPDATE accounts_user SET first_name = 'Anna' WHERE id = %s", [user.pk])
    as_app.execute("DELETE FROM account_emailaddress WHERE user_id = %s", [user.pk])
    user.refresh_from_db()
    assert user.first_name == "Anna" and not user.emailaddress_set.exists()


def test_setup_refuses_to_use_the_owner_as_app_role(db):
    from django.core.management.base import CommandError

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError):
        call_command("setup_db_roles", app_role=owner)


def test_app_role_cannot_reach_a_partition_of_the_log_directly(as_app):
    month = timezone.now().astimezone(UTC).strftime("%Y%m")
    for statement in (
        f"SELECT count(*) FROM privacy_accesslog_p{month}",
        f"DELETE FROM privacy_accesslog_p{month}",
        f"TRUNCATE privacy_accesslog_p{month}",
        f"DROP TABLE privacy_accesslog_p{month}",
        f"ALTER TABLE privacy_accesslog DETACH PARTITION privacy_accesslog_p{month}",
        "DELETE FROM privacy_accesslog_default",
    ):
        with pytest.raises(errors.InsufficientPrivilege):
            as_app.execute(statement)
    # Making next months' partitions ahead is the one thing it may ask the owner to do.
    as_app.execute("SELECT privacy_accesslog_create_partitions(3)")
    assert as_app.fetchone()[0] == 0
