"""Reminders say what is true when they are written: none whose lead time had already begun
when the appointment was booked, "vandaag"/"morgen" from the real dates, and no change link
once online changes are closed."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from afspraken import reminders, services
from afspraken.models import Appointment
from outbox.models import OutgoingEmail
from tests.afspraken.factories import (
    local_dt,
    make_appointment,
    make_slot,
    parent_with_child,
    slot_type,
)
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

CHANGE_LINK = "Verzet of annuleer de afspraak met deze link"


def _appointment(starts_at, *, booked_days_before=10) -> Appointment:
    return make_appointment(starts_at=starts_at, booked_days_before=booked_days_before)


def _reminders():
    return list(OutgoingEmail.objects.filter(kind__startswith="afspraken_reminder"))


def test_appointment_booked_on_behalf_for_later_today_gets_no_reminder():
    now = timezone.now()
    slot = make_slot(starts_at=now + timedelta(hours=3))
    parent, child = parent_with_child()
    services.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=slot_type(slot).pk,
        parent=parent,
        child_id=child.pk,
        booked_by=make_staff(),
        online=False,
    )
    scan = now + timedelta(minutes=1)
    while scan < slot.starts_at:
        reminders.send_due_reminders(now=scan)
        scan += timedelta(minutes=15)
    assert _reminders() == []


def test_booked_two_days_ahead_gets_the_day_before_but_not_the_discuss_reminder():
    starts = local_dt(date(2026, 6, 10), time(10, 30))
    _appointment(starts, booked_days_before=2)
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 9), time(10, 30)))
    assert [e.kind for e in _reminders()] == ["afspraken_reminder_day_before"]


def test_reminder_on_time_says_tomorrow():
    _appointment(local_dt(date(2026, 6, 10), time(15, 0)))
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 9), time(15, 0)))
    (email,) = _reminders()
    assert email.subject == "Herinnering: je afspraak is morgen"
    assert "morgen heb je een afspraak" in email.body_text


def test_late_reminder_after_downtime_says_today():
    _appointment(local_dt(date(2026, 6, 10), time(15, 0)))
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 10), time(9, 0)))
    (email,) = _reminders()
    assert email.subject == "Herinnering: je afspraak is vandaag"
    assert "vandaag heb je een afspraak" in email.body_text and "morgen" not in email.body_text


def test_two_days_lead_time_names_the_day(settings):
    settings.AFSPRAKEN_REMINDER_DAY_BEFORE_DAYS = 2
    _appointment(local_dt(date(2026, 6, 10), time(15, 0)))
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 8), time(15, 0)))
    (email,) = _reminders()
    assert email.subject == "Herinnering: je afspraak op woensdag 10 juni"
    assert "morgen" not in email.body_text


def test_no_change_link_once_online_changes_are_closed():
    appointment = _appointment(local_dt(date(2026, 6, 10), time(15, 0)))
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 9), time(15, 5)))
    (email,) = _reminders()
    assert CHANGE_LINK not in email.body_text and CHANGE_LINK not in email.body_html
    phone = appointment.slot.location.phone
    assert f"Kun je niet komen? Bel dan zo snel mogelijk {phone}." in email.body_text


def test_change_link_while_online_changes_are_open(settings):
    settings.AFSPRAKEN_REMINDER_DAY_BEFORE_DAYS = 2
    appointment = _appointment(local_dt(date(2026, 6, 10), time(15, 0)))
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 8), time(15, 5)))
    (email,) = _reminders()
    assert CHANGE_LINK in email.body_text
    assert f"/afspraken/link/{appointment.token}/" in email.body_text
