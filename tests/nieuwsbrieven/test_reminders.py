"""Appointment reminders (afspraken/reminders.py): due by local calendar days, sent once."""

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from afspraken import reminders, services
from afspraken.models import Appointment, Reminder
from outbox.models import OutgoingEmail
from tests.afspraken.factories import local_dt, make_slot, parent_with_child, slot_type, topic

DISCUSS, DAY_BEFORE = Reminder.Kind.DISCUSS, Reminder.Kind.DAY_BEFORE


def _appointment(starts_at: datetime, **overrides) -> Appointment:
    """A booked appointment at any time (also in the past or across DST), without the
    booking rules, which are tested in tests/afspraken. Booked ten days before it starts, so
    every reminder's lead time begins after the booking."""
    topics = overrides.pop("topics", [])
    slot = make_slot(starts_at=starts_at)
    parent, child = parent_with_child()
    appointment = Appointment.objects.create(
        **{
            "slot": slot,
            "appointment_type": slot_type(slot),
            "family": parent.family,
            "child": child,
            "parent": parent,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(minutes=20),
            "ical_uid": f"{slot.pk}@test",
            "created_at": starts_at - timedelta(days=10),
            **overrides,
        }
    )
    appointment.topics.set(topics)
    return appointment


def _book(days_ahead: int = 0, at=time(10, 0), starts_at=None) -> Appointment:
    starts_at = starts_at or local_dt(timezone.localdate() + timedelta(days=days_ahead), at)
    slot = make_slot(starts_at=starts_at)
    parent, child = parent_with_child()
    return services.book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )


def _sent(kind: str | None = None) -> list[OutgoingEmail]:
    kinds = [f"afspraken_reminder_{k}" for k in ([kind] if kind else Reminder.Kind.values)]
    return list(OutgoingEmail.objects.filter(kind__in=kinds))


@pytest.mark.django_db
def test_day_before_reminder_has_date_time_place_and_link():
    appointment = _appointment(local_dt(date(2026, 6, 10), time(10, 30)))
    assert reminders.send_due_reminders(now=local_dt(date(2026, 6, 9), time(10, 29))) == 1
    assert [e.kind for e in _sent()] == ["afspraken_reminder_discuss"]
    assert reminders.send_due_reminders(now=local_dt(date(2026, 6, 9), time(10, 30))) == 1
    (email,) = _sent(DAY_BEFORE)
    assert email.to == appointment.parent.email
    assert "10:30" in email.body_text
    assert "10 juni 2026" in email.body_text
    assert appointment.slot.location.address in email.body_text
    assert f"/afspraken/link/{appointment.token}/" in email.body_text


@pytest.mark.django_db
def test_discuss_reminder_links_to_topics_three_days_before():
    appointment = _appointment(local_dt(date(2026, 6, 10), time(10, 30)))
    assert reminders.send_due_reminders(now=local_dt(date(2026, 6, 7), time(10, 29))) == 0
    assert reminders.send_due_reminders(now=local_dt(date(2026, 6, 7), time(10, 30))) == 1
    (email,) = _sent(DISCUSS)
    # Topics need a login: the link goes to the appointment's own page, not the token link.
    assert f"/afspraken/{appointment.pk}/#bespreken" in email.body_text


@pytest.mark.django_db
def test_discuss_reminder_skipped_when_topics_are_given():
    appointment = _appointment(local_dt(date(2026, 6, 10), time(10, 30)), topics=[topic("Slapen")])
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 8), time(9, 0)))
    assert _sent() == []
    reminder = Reminder.objects.get(appointment=appointment)
    assert (reminder.kind, reminder.status) == (DISCUSS, Reminder.Status.SKIPPED)
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 9), time(11, 0)))
    assert len(_sent(DAY_BEFORE)) == 1


@pytest.mark.django_db
def test_late_booking_gets_only_the_day_before_reminder():
    _appointment(local_dt(date(2026, 6, 10), time(10, 30)))
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 9), time(12, 0)))
    assert [e.kind for e in _sent()] == ["afspraken_reminder_day_before"]


@pytest.mark.django_db
def test_lead_times_come_from_settings(settings):
    settings.AFSPRAKEN_REMINDER_DAY_BEFORE_DAYS = 2
    _appointment(local_dt(date(2026, 6, 10), time(10, 30)))
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 8), time(10, 30)))
    assert len(_sent(DAY_BEFORE)) == 1


@pytest.mark.django_db
def test_cancelled_appointment_gets_no_reminder():
    appointment = _book(days_ahead=5)
    services.cancel_appointment(appointment_id=appointment.pk, actor=appointment.parent)
    for days_before in (3, 1):
        reminders.send_due_reminders(now=appointment.starts_at - timedelta(days=days_before))
    assert _sent() == []


@pytest.mark.django_db
def test_rescheduled_appointment_is_reminded_for_the_new_time_only():
    old = _book(days_ahead=5)
    new_slot = make_slot(
        starts_at=local_dt(timezone.localdate() + timedelta(days=9), time(14, 0)),
        schedule=old.slot.schedule,
    )
    new = services.reschedule_appointment(
        appointment_id=old.pk, new_slot_id=new_slot.pk, actor=old.parent
    )
    reminders.send_due_reminders(now=old.starts_at - timedelta(hours=23))
    assert _sent() == []
    reminders.send_due_reminders(now=new.starts_at - timedelta(hours=23))
    assert len(_sent(DAY_BEFORE)) == 1
    assert Reminder.objects.get().appointment_id == new.pk


@pytest.mark.django_db
def test_time_changed_in_place_is_reminded_again_for_the_new_time():
    appointment = _appointment(local_dt(date(2026, 6, 10), time(10, 30)))
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 9), time(11, 0)))
    later = local_dt(date(2026, 6, 12), time(9, 0))
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=later, ends_at=later + timedelta(minutes=20)
    )
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 10), time(12, 0)))
    assert len(_sent(DAY_BEFORE)) == 1
    reminders.send_due_reminders(now=local_dt(date(2026, 6, 11), time(9, 0)))
    assert len(_sent(DAY_BEFORE)) == 2
    assert Reminder.objects.get(kind=DAY_BEFORE).for_starts_at == later


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("appointment_day", "hours_between"),
    [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25)],  # the DST change is that night
)
def test_day_before_keeps_the_wall_clock_time_across_dst(appointment_day, hours_between):
    starts = local_dt(appointment_day, time(9, 0))
    _appointment(starts)
    due = reminders.due_at(starts, DAY_BEFORE)
    assert timezone.localtime(due).time() == time(9, 0)
    assert starts.astimezone(UTC) - due == timedelta(hours=hours_between)
    reminders.send_due_reminders(now=due - timedelta(minutes=1))
    assert _sent(DAY_BEFORE) == []
    reminders.send_due_reminders(now=due)
    assert len(_sent(DAY_BEFORE)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("appointment_day", [date(2026, 3, 29), date(2026, 10, 25)])
def test_scans_every_five_minutes_across_dst_send_each_reminder_once(appointment_day):
    starts = local_dt(appointment_day, time(9, 0))
    _appointment(starts)
    now = starts - timedelta(days=4)
    while now < starts + timedelta(hours=1):
        reminders.send_due_reminders(now=now)
        now += timedelta(minutes=5)
    assert sorted(e.kind for e in _sent()) == [
        "afspraken_reminder_day_before",
        "afspraken_reminder_discuss",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_send_each_reminder_once():
    appointments = [
        _appointment(local_dt(date(2026, 6, 10), time(9, 0)) + timedelta(minutes=30 * i))
        for i in range(6)
    ]
    now = local_dt(date(2026, 6, 9), time(12, 0))
    barrier = threading.Barrier(2)
    errors = []

    def scan():
        try:
            barrier.wait()
            reminders.send_due_reminders(now=now)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(_sent(DAY_BEFORE)) == len(appointments)
    assert Reminder.objects.count() == len(appointments)


@pytest.mark.django_db
def test_reminders_task_runs_the_scan(django_capture_on_commit_callbacks):
    from afspraken.tasks import send_reminders_task

    appointment = _appointment(timezone.now() + timedelta(hours=23))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders_task.delay().get() >= 1
    assert Reminder.objects.filter(appointment=appointment, kind=DAY_BEFORE).exists()
