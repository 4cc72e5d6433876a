"""SQL for the access log's database functions (PostgreSQL), shared by migration privacy/0006
and `manage.py setup_db_roles`, which keeps the retention period in step with the setting."""


def retention_function(days: int) -> str:
    """`privacy_accesslog_retention()`: rows younger than this are never deleted, by anyone but
    the owner switching the trigger off."""
    return f"""
CREATE OR REPLACE FUNCTION privacy_accesslog_retention() RETURNS interval
    LANGUAGE sql IMMUTABLE AS $$ SELECT interval '{int(days)} days' $$;
"""


# Months of access-log partitions kept ready ahead of today (created by the owner path:
# migrate, `setup_db_roles` and the nightly retention task through the SECURITY DEFINER function).
PARTITION_MONTHS_AHEAD = 3


def partition_functions(schema: str) -> str:
    """The access log's monthly partitions (PostgreSQL declarative partitioning by `at`).

    `privacy_accesslog_create_partitions(months_ahead, since)` creates the missing monthly
    partitions `privacy_accesslog_pYYYYMM` (UTC months) from `since` to `months_ahead` months
    after now; each new partition gets no privileges of its own (the app role reads and writes
    through the parent table only). `privacy_purge_access_log(cutoff)` drops whole months that
    ended before both the cutoff and the retention period, then deletes older rows left in the
    month that straddles it (and in the default partition), which the append-only trigger
    allows only for rows past retention. Both run as the owner (SECURITY DEFINER).
    `schema` is the database's own current_schema(), never user input.
    """
    return f"""
CREATE OR REPLACE FUNCTION privacy_accesslog_create_partitions(
    months_ahead integer, since timestamptz DEFAULT now()
) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = "{schema}", pg_temp AS $$
DECLARE
    month timestamp := date_trunc('month', LEAST(since, now()) AT TIME ZONE 'UTC');
    last timestamp := date_trunc('month', now() AT TIME ZONE 'UTC')
        + make_interval(months => months_ahead);
    part text;
    holder text;
    created integer := 0;
BEGIN
    WHILE month <= last LOOP
        part := 'privacy_accesslog_p' || to_char(month, 'YYYYMM');
        IF to_regclass(part) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE %I PARTITION OF privacy_accesslog FOR VALUES FROM (%L) TO (%L)',
                part, month AT TIME ZONE 'UTC', (month + interval '1 month') AT TIME ZONE 'UTC');
            EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', part);
            FOR holder IN
                SELECT DISTINCT grantee FROM information_schema.role_table_grants
                WHERE table_schema = current_schema() AND table_name = part
                  AND grantee <> current_user
            LOOP
                EXECUTE format('REVOKE ALL ON %I FROM %I', part, holder);
            END LOOP;
            created := created + 1;
        END IF;
        month := month + interval '1 month';
    END LOOP;
    RETURN created;
END;
$$;
REVOKE ALL ON FUNCTION privacy_accesslog_create_partitions(integer, timestamptz) FROM PUBLIC;

CREATE OR REPLACE FUNCTION privacy_purge_access_log(cutoff timestamptz) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = "{schema}", pg_temp AS $$
DECLARE
    limit_at timestamptz := LEAST(cutoff, now() - privacy_accesslog_retention());
    part text;
    n bigint;
    deleted bigint := 0;
BEGIN
    FOR part IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'privacy_accesslog'::regclass
          AND c.relname ~ '^privacy_accesslog_p[0-9]{{6}}$'
          AND (to_date(right(c.relname, 6), 'YYYYMM')::timestamp + interval '1 month')
              AT TIME ZONE 'UTC' <= limit_at
        ORDER BY c.relname
    LOOP
        EXECUTE format('SELECT count(*) FROM %I', part) INTO n;
        EXECUTE format('DROP TABLE %I', part);
        deleted := deleted + n;
    END LOOP;
    DELETE FROM privacy_accesslog WHERE at < limit_at;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN deleted + n;
END;
$$;
REVOKE ALL ON FUNCTION privacy_purge_access_log(timestamptz) FROM PUBLIC;
"""  # noqa: S608
