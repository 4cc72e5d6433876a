"""Times are stored in UTC and shown in Europe/Amsterdam, also on the DST weekends of 2026."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from afspraken import services
from afspraken.ical import build_ics
from afspraken.models import Slot
from outbox.models import OutgoingEmail
from tests.afspraken.factories import make_schedule, make_type, parent_with_child

pytestmark = pytest.mark.django_db

# Saturday to Monday around both changes: 29 March (summer time) and 25 October (winter time).
DST_DAYS = [
    date(2026, 3, 28),
    date(2026, 3, 29),
    date(2026, 3, 30),
    date(2026, 10, 24),
    date(2026, 10, 25),
    date(2026, 10, 26),
]
TIMES = [time(18, 30), time(17, 30), time(9, 0), time(19, 45)]


@settings(
    max_examples=16,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(day=st.sampled_from(DST_DAYS), at=st.sampled_from(TIMES))
def test_slot_shows_same_wall_clock_time_in_page_email_and_ics(day, at):
    clock = datetime.combine(day - timedelta(days=10), time(12, 0), tzinfo=UTC)
    with time_machine.travel(clock, tick=False):
        end = (datetime.combine(day, at) + timedelta(minutes=20)).time()
        schedule = make_schedule(
            weekday=day.weekday(),
            start_time=at,
            end_time=end,
            valid_from=day,
            valid_until=day,
            types=[make_type(duration_minutes=20)],
        )
        services.generate_slots(today=clock.date(), weeks=3)
        slot = Slot.objects.get(schedule=schedule)
        expected_offset = 2 if (date(2026, 3, 29) <= day < date(2026, 10, 25)) else 1
        assert slot.starts_at.astimezone(UTC).hour == (at.hour - expected_offset) % 24
        parent, child = parent_with_child()
        appointment = services.book_appointment(
            slot_id=slot.pk,
            appointment_type_id=schedule.types.first().pk,
            parent=parent,
            child_id=child.pk,
        )
        hhmm = at.strftime("%H:%M")
        client = Client()
        client.force_login(parent)
        page = client.get(reverse("afspraken:detail", args=[appointment.pk])).content.decode()
        assert re.search(rf'class="appt-time">{hhmm}<', page)
        email = OutgoingEmail.objects.filter(to=parent.email).latest("pk")
        assert f", {hhmm}" in email.body_text and f", {hhmm}" in email.body_html
        ics = build_ics(appointment=appointment, method="REQUEST").decode()
        stamp = f"{day:%Y%m%d}T{at:%H%M}00"
        assert f"DTSTART;TZID=Europe/Amsterdam:{stamp}" in ics
        assert "TZID:Europe/Amsterdam" in ics


def test_local_date_filters_use_amsterdam_time():
    """18:30 on 29 March is 16:30 UTC; 18:30 on 28 March is 17:30 UTC; both are 'evening'."""
    from afspraken.selectors import day_part_matches

    tz = timezone.get_default_timezone()
    for day in (date(2026, 3, 28), date(2026, 3, 29), date(2026, 10, 25)):
        starts = timezone.make_aware(datetime.combine(day, time(17, 0)), tz)
        assert day_part_matches(starts, "evening")
        assert not day_part_matches(starts - timedelta(minutes=1), "evening")
