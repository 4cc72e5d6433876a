"""The free-slot listing with 50,000 slots: constant query count, served by an index."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from afspraken import selectors
from afspraken.models import Slot
from tests.afspraken.factories import make_location, make_schedule, make_type
from tests.factories import make_child, make_staff

pytestmark = pytest.mark.django_db


def bulk_slots(schedules, per_schedule: int) -> None:
    """Slots every 20 minutes, 08:00-20:00, from tomorrow on, for each schedule."""
    tz = timezone.get_default_timezone()
    first_day = timezone.localdate() + timedelta(days=1)
    rows = []
    for schedule in schedules:
        day, made = first_day, 0
        while made < per_schedule:
            for i in range(36):
                if made == per_schedule:
                    break
                starts = timezone.make_aware(
                    datetime.combine(day, time(8, 0)) + timedelta(minutes=20 * i), tz
                )
                rows.append(
                    Slot(
                        schedule=schedule,
                        professional_id=schedule.professional_id,
                        location_id=schedule.location_id,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=20),
                    )
                )
                made += 1
            day += timedelta(days=1)
    Slot.objects.bulk_create(rows, batch_size=5000)


@pytest.fixture
def big_table():
    consult = make_type(name="Consult 14 maanden")
    nurse = make_staff()
    schedules = [
        make_schedule(professional=nurse, location=make_location(), types=[consult])
        for _ in range(25)
    ]
    return consult, schedules


def _listing_queries(parent_client, child, consult, location) -> int:
    url = reverse("afspraken:slots")
    params = {"child": child.pk, "type": consult.pk, "location": location.pk, "part": "evening"}
    with CaptureQueriesContext(connection) as ctx:
        response = parent_client.get(url, params)
    assert response.status_code == 200
    return len(ctx)


def test_listing_query_count_is_constant_with_50000_slots(parent_client, parent, big_table):
    consult, schedules = big_table
    child = make_child(family=parent.family)
    bulk_slots(schedules[:1], 20)
    _listing_queries(parent_client, child, consult, schedules[0].location)  # warm up
    few = _listing_queries(parent_client, child, consult, schedules[0].location)
    bulk_slots(schedules[1:], 2000)
    bulk_slots(schedules[:1], 0)
    Slot.objects.filter(schedule=schedules[0]).delete()
    bulk_slots(schedules[:1], 2000)
    assert Slot.objects.count() == 50_000
    many = _listing_queries(parent_client, child, consult, schedules[0].location)
    assert many == few


def test_listing_query_uses_the_partial_index(big_table):
    consult, schedules = big_table
    bulk_slots(schedules, 2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE afspraken_slot")
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=7), time.min), tz
    )
    qs = selectors.free_slots_between(
        schedules[3].location_id, consult.pk, start, start + timedelta(days=7)
    )
    plan = qs.explain()
    # The planner picks among the slot indexes (partial location+start, schedule+start,
    # location); any of them keeps the listing a range scan, never a full table scan.
    assert re.search(
        r"Index (Only )?Scan on afspraken_slot_\w+|Index Scan using afspraken_slot", plan
    ), plan
    assert "Seq Scan on afspraken_slot " not in plan + " ", plan
