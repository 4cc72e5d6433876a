"""A type, a schedule and families with booked appointments to wait with."""

from datetime import time, timedelta

from django.utils import timezone

from afspraken import services as booking
from tests.afspraken.factories import (
    local_dt,
    make_schedule,
    make_slot,
    make_type,
    parent_with_child,
)


def day(n: int, at: time = time(18, 30)):
    return local_dt(timezone.localdate() + timedelta(days=n), at)


class Setup:
    """One consult type offered by one schedule; `slot(n, at)` makes a free place there."""

    def __init__(self, **schedule_kwargs):
        self.type = make_type()
        self.schedule = make_schedule(types=[self.type], **schedule_kwargs)
        self.location = self.schedule.location

    def slot(self, n: int = 3, at: time = time(18, 30), **kwargs):
        return make_slot(schedule=self.schedule, starts_at=day(n, at), **kwargs)

    def booked(self, n: int = 10, at: time = time(18, 30), parent=None, child=None):
        """A family with a booked appointment in a new slot `n` days ahead."""
        if parent is None:
            parent, child = parent_with_child()
        return booking.book_appointment(
            slot_id=self.slot(n, at).pk,
            appointment_type_id=self.type.pk,
            parent=parent,
            child_id=child.pk,
        )
