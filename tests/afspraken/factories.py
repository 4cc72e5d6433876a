"""Factories for appointment tests: safe defaults, a test sets only what it is about."""

import itertools
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from afspraken.models import Appointment, AppointmentType, Location, Schedule, Slot
from tests.factories import make_child, make_parent, make_staff

_seq = itertools.count(1)


def make_location(**overrides) -> Location:
    n = next(_seq)
    return Location.objects.create(
        **{
            "name": f"Consultatiebureau Test {n}",
            "address": f"Teststraat {n}, Utrecht",
            "phone": "030 123 45 67",
            **overrides,
        }
    )


def make_type(**overrides) -> AppointmentType:
    return AppointmentType.objects.create(
        **{"name": f"Consult {next(_seq)}", "duration_minutes": 20, **overrides}
    )


def make_schedule(*, types=None, **overrides) -> Schedule:
    schedule = Schedule.objects.create(
        **{
            "professional": overrides.pop("professional", None) or make_staff(),
            "location": overrides.pop("location", None) or make_location(),
            "weekday": 1,
            "start_time": time(9, 0),
            "end_time": time(12, 0),
            "valid_from": date(2020, 1, 1),
            **overrides,
        }
    )
    schedule.types.set(types or [make_type()])
    return schedule


def local_dt(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


def make_slot(
    *,
    starts_at: datetime | None = None,
    schedule: Schedule | None = None,
    capacity: int | None = None,
    minutes: int = 20,
    **overrides,
) -> Slot:
    """A free slot in 3 days at 18:30 (unless told otherwise), tied to a schedule."""
    schedule = schedule or make_schedule(**overrides.pop("schedule_kwargs", {}))
    if starts_at is None:
        starts_at = local_dt(timezone.localdate() + timedelta(days=3), time(18, 30))
    types = list(schedule.types.all())
    capacity = capacity or max(t.capacity for t in types)
    return Slot.objects.create(
        **{
            "schedule": schedule,
            "professional_id": schedule.professional_id,
            "location_id": schedule.location_id,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(minutes=minutes),
            "capacity": capacity,
            "is_group": capacity > 1,
            **overrides,
        }
    )


def slot_type(slot: Slot) -> AppointmentType:
    return slot.schedule.types.first()


def parent_with_child(**child_overrides):
    parent = make_parent()
    child = make_child(family=parent.family, **child_overrides)
    return parent, child


def topic(name: str = "Slapen"):
    """A topic (seeded by migration; transactional tests flush it, so get_or_create)."""
    from onderwerpen.models import Topic

    return Topic.objects.get_or_create(name=name)[0]


def make_appointment(
    *,
    starts_at: datetime,
    booked_days_before: int = 10,
    parent=None,
    child=None,
    schedule: Schedule | None = None,
    **overrides,
) -> Appointment:
    """An appointment at any time (also in the past), in a new slot, without the booking
    rules (services tests cover those), booked `booked_days_before` days ahead."""
    slot = make_slot(starts_at=starts_at, schedule=schedule)
    if parent is None:
        parent, child = parent_with_child()
    return Appointment.objects.create(
        **{
            "slot": slot,
            "appointment_type": slot_type(slot),
            "family": parent.family,
            "parent": parent,
            "child": child,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(minutes=20),
            "ical_uid": f"{slot.pk}@test",
            "created_at": starts_at - timedelta(days=booked_days_before),
            **overrides,
        }
    )
