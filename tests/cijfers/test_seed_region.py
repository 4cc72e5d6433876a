"""`seed_region --children` writes a region's rows with SQL of its own: a tiny region keeps
that SQL in step with the models (a new NOT NULL column fails here, not in a bench run)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from afspraken.models import Appointment, Slot
from nieuwsbrieven.models import Delivery
from privacy.models import AccessLog
from vragen.models import Event, Question

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="region mode is PostgreSQL's"),
]


def _schema():
    """Every index and constraint, as PostgreSQL prints them (new log partitions aside)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'"
            " AND tablename NOT LIKE 'privacy\\_accesslog\\_p%'"
            " UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) || convalidated::text"
            " FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
            " AND conrelid::regclass::text NOT LIKE 'privacy\\_accesslog\\_p%'"
        )
        return sorted(row[0] for row in cursor.fetchall())


def test_a_tiny_region_has_every_kind_of_row_and_reports_its_size():
    schema = _schema()
    out = io.StringIO()
    call_command("seed_region", children=300, log_days=1, stdout=out)
    text = out.getvalue()
    assert "database size:" in text and "seeded in" in text
    assert "  appointments: " in text  # seconds per step
    # The bulk load drops indexes and foreign keys and makes them again: all of them, alike.
    assert _schema() == schema
    statuses = set(Appointment.objects.values_list("status", flat=True))
    assert {"attended", "no_show", "cancelled", "booked"} <= statuses
    assert Slot.objects.filter(booked_count=0).exists()  # free places, past and future
    assert set(Question.objects.values_list("status", flat=True)) >= {"open", "closed"}
    assert Event.objects.exists() and Delivery.objects.exists()
    assert AccessLog.objects.count() >= 100


def test_refuses_a_region_the_disk_cannot_hold():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Not enough free disk"):
        call_command("seed_region", children=10**12, stdout=io.StringIO())
