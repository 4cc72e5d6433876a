"""A contact moment served by a type with free places, and a child whose window is open."""

from datetime import time, timedelta

from django.utils import timezone

from contactmomenten.models import ContactMoment, PreConsultQuestion
from tests.afspraken.factories import local_dt, make_schedule, make_slot, make_type
from tests.factories import make_child, make_parent


def moment_cb8w(*, types=(), **overrides) -> ContactMoment:
    """The seeded 'Consult 8 weken' (window: target -7 / +7 days), linked to `types`."""
    from contactmomenten.seed import load

    load(ContactMoment, PreConsultQuestion)  # transactional tests flush the seeded rows
    moment = ContactMoment.objects.get(code="cb-8w")
    for field, value in overrides.items():
        setattr(moment, field, value)
    moment.save()
    if types:
        moment.appointment_types.set(types)
    return moment


def eight_week_setup(*, days_to_target: int = 7, slot_days=(3,)):
    """Parent, child (8-week target in `days_to_target` days), type, schedule and free slots.

    Slots at 18:30 local time, `slot_days` days from today.
    """
    appointment_type = make_type(name="Consult baby test", min_age_months=0, max_age_months=12)
    schedule = make_schedule(types=[appointment_type])
    moment = moment_cb8w(types=[appointment_type])
    parent = make_parent()
    born = timezone.localdate() + timedelta(days=days_to_target) - timedelta(weeks=8)
    child = make_child(family=parent.family, date_of_birth=born, first_name="Noor")
    slots = [
        make_slot(
            schedule=schedule,
            starts_at=local_dt(timezone.localdate() + timedelta(days=n), time(18, 30)),
        )
        for n in slot_days
    ]
    return parent, child, moment, appointment_type, slots


def questions(moment):
    return list(PreConsultQuestion.objects.filter(moment=moment, is_active=True))
