"""Slot generation: idempotent, closures block, a changed schedule never drops a booked slot."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from afspraken import services, tasks
from afspraken.models import Closure, Slot
from tests.afspraken.factories import local_dt, make_schedule, make_type, parent_with_child

pytestmark = pytest.mark.django_db

# A Monday well inside the test clock's horizon.
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=timezone.get_fixed_timezone(120))


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _evening_schedule(**overrides):
    return make_schedule(
        weekday=1,
        start_time=time(17, 30),
        end_time=time(20, 30),
        types=[make_type(duration_minutes=20, buffer_minutes=10)],
        **overrides,
    )


def test_generates_evening_slots_on_wall_clock_times():
    _evening_schedule()
    result = services.generate_slots(weeks=1)
    starts = sorted(timezone.localtime(s.starts_at) for s in Slot.objects.all())
    assert result.created == 6
    assert [s.strftime("%a %H:%M") for s in starts] == [
        "Tue 17:30",
        "Tue 18:00",
        "Tue 18:30",
        "Tue 19:00",
        "Tue 19:30",
        "Tue 20:00",
    ]


def test_saturday_schedule():
    make_schedule(weekday=5, start_time=time(9, 0), end_time=time(10, 0))
    services.generate_slots(weeks=2)
    days = {timezone.localtime(s.starts_at).weekday() for s in Slot.objects.all()}
    assert days == {5} and Slot.objects.count() == 6


def test_running_twice_creates_nothing_twice():
    _evening_schedule()
    first = services.generate_slots()
    count = Slot.objects.count()
    second = services.generate_slots()
    assert first.created == count > 0
    assert second.created == 0 and Slot.objects.count() == count


def test_validity_period_is_respected():
    _evening_schedule(valid_from=date(2026, 6, 8), valid_until=date(2026, 6, 10))
    services.generate_slots(weeks=4)
    assert {timezone.localtime(s.starts_at).date() for s in Slot.objects.all()} == {
        date(2026, 6, 9)
    }


def test_closure_blocks_slots_and_lifting_it_brings_them_back():
    schedule = _evening_schedule()
    closure = Closure.objects.create(
        location=schedule.location,
        starts_at=local_dt(date(2026, 6, 2), time(0, 0)),
        ends_at=local_dt(date(2026, 6, 3), time(0, 0)),
        reason="Studiedag",
    )
    services.generate_slots(weeks=1)
    assert not Slot.objects.filter(is_active=True).exists()
    closure.delete()
    result = services.generate_slots(weeks=1)
    assert result.created == 6


def test_closure_for_everyone_blocks_all_locations():
    _evening_schedule()
    Closure.objects.create(
        starts_at=local_dt(date(2026, 6, 1), time(0, 0)),
        ends_at=local_dt(date(2026, 6, 8), time(0, 0)),
        reason="Pinksteren",
    )
    services.generate_slots(weeks=1)
    assert Slot.objects.count() == 0


def test_changed_schedule_flags_booked_slot_and_keeps_it():
    schedule = _evening_schedule()
    services.generate_slots(weeks=1)
    booked_slot = Slot.objects.get(starts_at=local_dt(date(2026, 6, 2), time(20, 0)))
    free_slot = Slot.objects.get(starts_at=local_dt(date(2026, 6, 2), time(19, 30)))
    parent, child = parent_with_child()
    appointment = services.book_appointment(
        slot_id=booked_slot.pk,
        appointment_type_id=schedule.types.first().pk,
        parent=parent,
        child_id=child.pk,
    )
    schedule.end_time = time(19, 0)
    schedule.save()
    result = services.generate_slots(weeks=1)
    booked_slot.refresh_from_db()
    free_slot.refresh_from_db()
    appointment.refresh_from_db()
    # 19:00 and 19:30 no longer fit before 19:00: deactivated; 20:00 is booked: flagged.
    assert result.flagged == 1 and result.deactivated == 2
    assert booked_slot.needs_attention and not booked_slot.is_active
    assert booked_slot.booked_count == 1 and appointment.is_booked
    assert not free_slot.is_active and not free_slot.needs_attention
    # Running again changes nothing more.
    again = services.generate_slots(weeks=1)
    assert (again.created, again.flagged, again.deactivated) == (0, 0, 0)


def test_deleted_schedule_flags_booked_slots():
    schedule = _evening_schedule()
    services.generate_slots(weeks=1)
    slot = Slot.objects.order_by("starts_at").first()
    parent, child = parent_with_child()
    services.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=schedule.types.first().pk,
        parent=parent,
        child_id=child.pk,
    )
    Slot.objects.filter(schedule=schedule).update(schedule=None)
    result = services.generate_slots(weeks=1)
    slot.refresh_from_db()
    assert slot.needs_attention and result.flagged == 1


def test_new_slots_do_not_overlap_a_flagged_booked_slot():
    schedule = _evening_schedule()
    services.generate_slots(weeks=1)
    slot = Slot.objects.get(starts_at=local_dt(date(2026, 6, 2), time(18, 0)))
    parent, child = parent_with_child()
    services.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=schedule.types.first().pk,
        parent=parent,
        child_id=child.pk,
    )
    schedule.start_time = time(17, 45)
    schedule.save()
    services.generate_slots(weeks=1)
    active = [
        timezone.localtime(s.starts_at).strftime("%H:%M")
        for s in Slot.objects.filter(is_active=True).order_by("starts_at")
    ]
    # The booked 18:00-18:30 stays; 17:45 and 18:15 would overlap it.
    assert active == ["18:45", "19:15", "19:45"]


def test_group_schedule_makes_group_slots_with_capacity():
    make_schedule(
        weekday=3,
        start_time=time(19, 30),
        end_time=time(21, 0),
        types=[make_type(name="Scheiden en ouderschap", capacity=12, duration_minutes=90)],
    )
    services.generate_slots(weeks=1)
    slot = Slot.objects.get()
    assert slot.capacity == 12 and slot.is_group


def test_management_command_and_task_are_idempotent(capsys):
    _evening_schedule()
    call_command("generate_slots")
    assert "created 48" in capsys.readouterr().out  # 8 Tuesdays x 6
    assert tasks.generate_slots_task.delay().get()["created"] == 0


def test_past_slots_are_not_generated():
    make_schedule(weekday=0, start_time=time(7, 0), end_time=time(12, 0))
    services.generate_slots(weeks=1)
    # NOW is Monday 08:00 (+02:00): slots up to and including 08:00 are not in the future.
    today = [
        s for s in Slot.objects.all() if timezone.localtime(s.starts_at).date() == date(2026, 6, 1)
    ]
    assert min(timezone.localtime(s.starts_at).time() for s in today) == time(8, 20)
    assert all(s.starts_at > timezone.now() - timedelta(seconds=1) for s in today)


def test_closure_for_one_professional_leaves_colleagues_alone():
    mine = _evening_schedule()
    colleague = _evening_schedule(location=mine.location)
    Closure.objects.create(
        professional=mine.professional,
        starts_at=local_dt(date(2026, 6, 1), time(0, 0)),
        ends_at=local_dt(date(2026, 6, 8), time(0, 0)),
        reason="Ziek",
    )
    services.generate_slots(weeks=1)
    assert not Slot.objects.filter(schedule=mine).exists()
    assert Slot.objects.filter(schedule=colleague).count() == 6


def test_new_closure_over_a_booked_slot_flags_it():
    schedule = _evening_schedule()
    services.generate_slots(weeks=1)
    slot = Slot.objects.order_by("starts_at").first()
    parent, child = parent_with_child()
    services.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=schedule.types.first().pk,
        parent=parent,
        child_id=child.pk,
    )
    Closure.objects.create(
        location=schedule.location,
        starts_at=local_dt(date(2026, 6, 2), time(12, 0)),
        ends_at=local_dt(date(2026, 6, 2), time(23, 0)),
        reason="Training",
    )
    result = services.generate_slots(weeks=1)
    slot.refresh_from_db()
    assert result.flagged == 1 and result.deactivated == 5
    assert slot.needs_attention and slot.booked_count == 1
