"""Grant the app role what the web and workers need, and not what would let them erase the log.

Run by the deploy as the owner role (the one that runs `migrate` and owns every table), after
every `migrate`:

    DATABASE_URL=postgres://ouderportaal_owner:…@db/ouderportaal python manage.py setup_db_roles

The app role (DATABASE_APP_USER, default `ouderportaal_app`) gets SELECT, INSERT, UPDATE and
DELETE on the portal's tables, but only INSERT and SELECT on the access log, EXECUTE on the
owner's retention function `privacy_purge_access_log` and the partitions' function
`privacy_accesslog_create_partitions` (nothing on a partition itself), no ownership, so it
can neither
change nor delete a log row nor switch off the append-only trigger (`ALTER TABLE` needs the
owner). The retention period in the database follows RETENTION_ACCESS_LOG_DAYS. Idempotent.
"""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from privacy.dbfunctions import PARTITION_MONTHS_AHEAD, retention_function

LOG_TABLE = "privacy_accesslog"
APP_READ_ONLY_TABLES = ("django_migrations",)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


class Command(BaseCommand):
    help = "Create or update the database app role's grants (run as the owner after migrate)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--app-role",
            default=os.environ.get("DATABASE_APP_USER", "ouderportaal_app"),
            help="role the web and workers connect as (env DATABASE_APP_USER)",
        )
        parser.add_argument(
            "--app-password",
            default=os.environ.get("DATABASE_APP_PASSWORD", ""),
            help="create the role with this password when it does not exist yet "
            "(env DATABASE_APP_PASSWORD; needs CREATEROLE)",
        )

    def handle(self, *args, app_role: str, app_password: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles need PostgreSQL (SQLite has no roles).")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_schema(), current_database()")
            owner, schema, database = cursor.fetchone()
            if app_role == owner:
                raise CommandError(
                    f"The app role must not be the owner ({owner}): run this as the owner and "
                    "let the web and workers connect as another role."
                )
            self._ensure_role(cursor, app_role, app_password)
            self._refuse_powerful_role(cursor, app_role, owner)
            self._grant(cursor, app_role, schema, database)
            cursor.execute(retention_function(settings.RETENTION_ACCESS_LOG_DAYS))
            created = self._partitions(cursor, app_role)
            self._check(cursor, app_role)
        self.stdout.write(
            f"{app_role}: read/write on the portal's tables; INSERT and SELECT only on "
            f"{LOG_TABLE}; log retention {settings.RETENTION_ACCESS_LOG_DAYS} days; "
            f"{created} monthly log partitions created."
        )

    def _partitions(self, cursor, role: str) -> int:
        """Monthly partitions ahead, and no privilege of the app role on any partition itself
        (it reads and writes through the parent table, where its grants are checked)."""
        cursor.execute("SELECT to_regproc('privacy_accesslog_create_partitions')")
        if cursor.fetchone()[0] is None:
            return 0
        cursor.execute("SELECT privacy_accesslog_create_partitions(%s)", [PARTITION_MONTHS_AHEAD])
        created = cursor.fetchone()[0]
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = %s::regclass",
            [LOG_TABLE],
        )
        for (partition,) in cursor.fetchall():
            cursor.execute(f"REVOKE ALL ON {_q(partition)} FROM PUBLIC, {_q(role)}")
        cursor.execute(
            "GRANT EXECUTE ON FUNCTION privacy_accesslog_create_partitions(integer, timestamptz)"
            f" TO {_q(role)}"
        )
        return created

    def _ensure_role(self, cursor, role: str, password: str) -> None:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone():
            return
        if not password:
            raise CommandError(
                f"Role {role} does not exist: create it (see README, production notes) or set "
                "DATABASE_APP_PASSWORD so this command creates it."
            )
        cursor.execute(
            f"CREATE ROLE {_q(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %s",
            [password],
        )

    def _refuse_powerful_role(self, cursor, role: str, owner: str) -> None:
        cursor.execute(
            "SELECT rolsuper OR rolbypassrls, pg_has_role(%s, %s, 'USAGE') "
            "FROM pg_roles WHERE rolname = %s",
            [role, owner, role],
        )
        powerful, member_of_owner = cursor.fetchone()
        if powerful or member_of_owner:
            raise CommandError(
                f"Role {role} is a superuser or a member of {owner}: it could switch off the "
                "access log's trigger. Give the app a plain login role."
            )

    def _grant(self, cursor, role: str, schema: str, database: str) -> None:
        app, sch = _q(role), _q(schema)
        for statement in (
            f"GRANT CONNECT ON DATABASE {_q(database)} TO {app}",
            f"GRANT USAGE ON SCHEMA {sch} TO {app}",
            f"REVOKE CREATE ON SCHEMA {sch} FROM {app}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {sch} TO {app}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {sch} TO {app}",
            # Tables of later migrations are usable before the next run of this command.
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {sch} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {sch} GRANT USAGE, SELECT ON SEQUENCES TO {app}",
            f"REVOKE ALL ON {LOG_TABLE} FROM PUBLIC",
            f"REVOKE ALL ON {LOG_TABLE} FROM {app}",
            f"GRANT SELECT, INSERT ON {LOG_TABLE} TO {app}",
            f"GRANT EXECUTE ON FUNCTION privacy_purge_access_log(timestamptz) TO {app}",
        ):
            cursor.execute(statement)
        for table in APP_READ_ONLY_TABLES:
            cursor.execute(f"REVOKE INSERT, UPDATE, DELETE ON {_q(table)} FROM {app}")

    def _check(self, cursor, role: str) -> None:
        cursor.execute(
            "SELECT has_table_privilege(%s, %s, 'UPDATE'), has_table_privilege(%s, %s, 'DELETE'),"
            " has_table_privilege(%s, %s, 'TRUNCATE'), has_table_privilege(%s, %s, 'INSERT')",
            [role, LOG_TABLE] * 4,
        )
        update, delete, truncate, insert = cursor.fetchone()
        if update or delete or truncate or not insert:
            raise CommandError(f"Grants on {LOG_TABLE} for {role} are not what they should be.")
