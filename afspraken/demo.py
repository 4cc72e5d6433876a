"""Demo data for appointments (called by `manage.py demo_data`). Idempotent."""

from datetime import time, timedelta

from django.utils import timezone

from accounts.models import User
from afspraken import services
from afspraken.exceptions import BookingError
from afspraken.models import Appointment, AppointmentType, Location, Schedule, Slot

LOCATIONS = [
    {
        "name": "Consultatiebureau Utrecht Overvecht",
        "neighbourhood": "Overvecht",
        "address": "Zamenhofdreef 2, 3562 JT Utrecht",
        "route_notes": "Bus 4 of 8, halte Zamenhofdreef. Gratis parkeren achter het gebouw.",
        "accessibility_notes": "Begane grond, rolstoeltoegankelijk. Ruimte voor kinderwagens.",
        "phone": "030 630 54 10",
    },
    {
        "name": "Consultatiebureau Utrecht Lunetten",
        "neighbourhood": "Lunetten",
        "address": "Hondsrug 21, 3524 BP Utrecht",
        "route_notes": "5 minuten lopen vanaf station Utrecht Lunetten.",
        "accessibility_notes": "Lift aanwezig.",
        "phone": "030 630 54 20",
    },
    {
        "name": "Wijkcentrum Kanaleneiland",
        "neighbourhood": "Kanaleneiland",
        "address": "Marco Polohof 1, 3524 AN Utrecht",
        "route_notes": "Tram 20, halte Kanaleneiland Centrum.",
        "accessibility_notes": "Begane grond.",
        "phone": "030 630 54 30",
    },
]

TYPES = [
    {
        "name": "Consult baby (0 tot 1 jaar)",
        "description": "Wegen, meten en praten over voeding, slapen en ontwikkeling.",
        "duration_minutes": 20,
        "buffer_minutes": 10,
        "min_age_months": 0,
        "max_age_months": 12,
    },
    {
        "name": "Consult peuter (1 tot 4 jaar)",
        "description": "Groei, taal, zindelijkheid en opvoeden.",
        "duration_minutes": 20,
        "buffer_minutes": 10,
        "min_age_months": 12,
        "max_age_months": 48,
    },
    {
        "name": "Belafspraak met de jeugdverpleegkundige",
        "description": "Een vraag bespreken aan de telefoon.",
        "duration_minutes": 15,
        "buffer_minutes": 15,
        "mode": AppointmentType.Mode.PHONE,
    },
    {
        "name": "Scheiden en ouderschap",
        "description": (
            "Een avond voor ouders die uit elkaar gaan of zijn: hoe blijf je samen ouder? "
            "Met een jeugdverpleegkundige en iemand van het buurtteam."
        ),
        "duration_minutes": 90,
        "capacity": 12,
        "partner": "buurtteam Lokalis",
    },
]

# (location index, weekday, from, until, type indexes, professional role)
SCHEDULES = [
    (0, 0, time(9, 0), time(12, 0), [0, 1], User.Role.NURSE),
    (0, 1, time(17, 30), time(20, 30), [0, 1], User.Role.NURSE),
    (0, 3, time(13, 30), time(16, 30), [0, 1, 2], User.Role.NURSE),
    (0, 5, time(9, 0), time(12, 0), [0, 1], User.Role.NURSE),
    (1, 2, time(9, 0), time(12, 0), [0, 1], User.Role.DOCTOR),
    (1, 3, time(17, 30), time(20, 0), [0, 1, 2], User.Role.DOCTOR),
    (1, 5, time(10, 0), time(12, 0), [0, 1], User.Role.DOCTOR),
    (2, 3, time(19, 30), time(21, 0), [3], User.Role.NURSE),
]


def load(*, staff: dict, families: list) -> None:
    today = timezone.localdate()
    locations = [
        Location.objects.update_or_create(name=data["name"], defaults=data)[0] for data in LOCATIONS
    ]
    types = [
        AppointmentType.objects.update_or_create(name=data["name"], defaults=data)[0]
        for data in TYPES
    ]
    for loc, weekday, start, end, type_indexes, role in SCHEDULES:
        professional = staff.get(role) or staff.get(User.Role.NURSE)
        if professional is None:
            continue
        schedule, _ = Schedule.objects.get_or_create(
            professional=professional,
            location=locations[loc],
            weekday=weekday,
            start_time=start,
            defaults={"end_time": end, "valid_from": today - timedelta(days=30)},
        )
        schedule.types.set([types[i] for i in type_indexes])
    services.generate_slots()
    _book_examples(families, types)


def _first_free(*, location, appointment_type, part) -> Slot | None:
    from afspraken.selectors import day_part_matches

    earliest, _ = services.booking_window()
    candidates = Slot.objects.filter(
        location=location,
        schedule__types=appointment_type,
        is_active=True,
        booked_count=0,
        starts_at__gte=earliest + timedelta(days=2),
    ).order_by("starts_at")[:200]
    return next((s for s in candidates if day_part_matches(s.starts_at, part)), None)


def _book_examples(families: list, types: list) -> None:
    from onderwerpen.models import Topic

    by_name = {f.name: f for f in families}
    examples = [
        # (family, child, type index, part, topics, note)
        (
            "De Vries",
            "Noor",
            0,
            "evening",
            ["Slapen", "Voeding"],
            "Noor wordt 's nachts vaak wakker.",
        ),
        ("Öztürk", "Elif", 0, "saturday", ["Huilen"], ""),
        ("De Vries", "Daan", 1, "daytime", ["Ontwikkeling"], "Hoe pakken we zindelijk worden aan?"),
    ]
    for family_name, child_name, type_index, part, topics, note in examples:
        family = by_name.get(family_name)
        if family is None:
            continue
        child = family.children.filter(first_name=child_name).first()
        parent = family.parents.order_by("date_joined").first()
        if child is None or parent is None:
            continue
        if Appointment.objects.filter(child=child, status=Appointment.Status.BOOKED).exists():
            continue
        location = Location.objects.get(name=LOCATIONS[0]["name"])
        slot = _first_free(location=location, appointment_type=types[type_index], part=part)
        if slot is None:
            continue
        try:
            services.book_appointment(
                slot_id=slot.pk,
                appointment_type_id=types[type_index].pk,
                parent=parent,
                child_id=child.pk,
                topics=list(Topic.objects.filter(name__in=topics)),
                note=note,
            )
        except BookingError:
            continue
    # A seat at the parent group meeting for the El Amrani family.
    family = by_name.get("El Amrani")
    parent = family.parents.order_by("date_joined").first() if family else None
    group = types[3]
    if (
        parent
        and not Appointment.objects.filter(
            family=family, appointment_type=group, status=Appointment.Status.BOOKED
        ).exists()
    ):
        slot = (
            Slot.objects.filter(schedule__types=group, is_active=True, is_group=True)
            .filter(starts_at__gte=services.booking_window()[0])
            .order_by("starts_at")
            .first()
        )
        if slot is not None:
            try:
                services.book_appointment(
                    slot_id=slot.pk, appointment_type_id=group.pk, parent=parent
                )
            except BookingError:
                pass
