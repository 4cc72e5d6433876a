"""The access log is partitioned by month on PostgreSQL: partitions are made ahead, retention
drops whole months through the owner's function, and every partition stays append-only."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, InternalError, ProgrammingError, connection, transaction
from django.utils import timezone

from privacy.models import AccessLog
from privacy.services import apply_retention, record_access
from tests.factories import make_staff

DB_REFUSES = (InternalError, ProgrammingError, IntegrityError)

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions are PostgreSQL only"
)


def _partitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = 'privacy_accesslog'::regclass ORDER BY c.relname"
        )
        return [row[0] for row in cursor.fetchall()]


def _month(offset: int) -> datetime:
    today = timezone.now().astimezone(UTC).replace(day=1, hour=0, minute=0, second=0)
    year, month = divmod(today.month - 1 + offset, 12)
    return today.replace(year=today.year + year, month=month + 1, microsecond=0)


@pytest.mark.django_db
def test_log_has_monthly_partitions_from_this_month_to_three_ahead():
    names = _partitions()
    for offset in range(4):
        assert f"privacy_accesslog_p{_month(offset):%Y%m}" in names
    assert "privacy_accesslog_default" in names
    nurse = make_staff()
    row = record_access(actor=nurse, action="view", record_type="families.child")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM privacy_accesslog WHERE id = %s", [row.pk]
        )
        assert cursor.fetchone()[0] == f"privacy_accesslog_p{_month(0):%Y%m}"


@pytest.mark.django_db
def test_every_partition_refuses_update_and_early_delete():
    nurse = make_staff()
    row = record_access(actor=nurse, action="view", record_type="families.child")
    AccessLog.objects.create(  # no partition for 2001: the default partition holds it
        at=datetime(2001, 1, 1, tzinfo=UTC), actor_email="a@example.org", action="view"
    )
    partition = f"privacy_accesslog_p{_month(0):%Y%m}"
    for statement in (
        f"UPDATE {partition} SET reason = 'covered up'",
        f"DELETE FROM {partition}",
        "UPDATE privacy_accesslog_default SET reason = 'x'",
    ):
        with pytest.raises(DB_REFUSES, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    assert AccessLog.objects.get(pk=row.pk).reason == ""


@pytest.mark.django_db
def test_retention_drops_months_past_the_period_whole_and_keeps_the_rest(settings):
    old_month = _month(-12 * 6)
    name = f"privacy_accesslog_p{old_month:%Y%m}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {name} PARTITION OF privacy_accesslog FOR VALUES FROM (%s) TO (%s)",
            [old_month, _month(-12 * 6 + 1)],
        )
        cursor.execute(
            "INSERT INTO privacy_accesslog (at, actor_email, actor_role, action, record_type,"
            " record_ids, child_ids, family_ids, reason) SELECT %s + (g || ' hours')::interval,"
            " 'old@example.org', 'nurse', 'view', 'x', '{}', '{}', '{}', ''"
            " FROM generate_series(1, 300) g",
            [old_month],
        )
    nurse = make_staff()
    recent = record_access(actor=nurse, action="view", record_type="families.child")
    # One row just past retention, in the default partition (no partition for its month).
    straddling = timezone.now() - timedelta(days=settings.RETENTION_ACCESS_LOG_DAYS + 2)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO privacy_accesslog (at, actor_email, actor_role, action, record_type,"
            " record_ids, child_ids, family_ids, reason)"
            " VALUES (%s, 'edge@example.org', 'nurse', 'view', 'x', '{}', '{}', '{}', '')",
            [straddling],
        )
    report = apply_retention(dry_run=False)
    assert report.counts["access_log_deleted"] == 301
    assert name not in _partitions()
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert f"privacy_accesslog_p{_month(3):%Y%m}" in _partitions()
