"""Demo data for the contact schedule (called by `manage.py demo_data` after afspraken).

Links the seeded schedule to the demo appointment types and adds a 7-week-old baby, so the
family home of El Amrani shows "Consult 8 weken · plan tussen ..." with "Plan nu".
"""

from datetime import timedelta

from django.utils import timezone

from afspraken.models import AppointmentType
from contactmomenten.models import ContactMoment, PreConsultQuestion
from contactmomenten.seed import load as load_schedule
from families.models import Child

BABY = "Consult baby (0 tot 1 jaar)"
TODDLER = "Consult peuter (1 tot 4 jaar)"
TYPES_BY_CODE = {
    "cb-4w": BABY,
    "cb-8w": BABY,
    "cb-3m": BABY,
    "cb-4m": BABY,
    "cb-6m": BABY,
    "cb-7-5m": BABY,
    "cb-9m": BABY,
    "cb-11m": BABY,
    "cb-14m": TODDLER,
    "cb-18m": TODDLER,
    "cb-2j": TODDLER,
    "cb-3j": TODDLER,
    "cb-3j9m": TODDLER,
}


def load(*, staff: dict, families: list) -> None:
    load_schedule(ContactMoment, PreConsultQuestion)
    types = {t.name: t for t in AppointmentType.objects.filter(name__in=[BABY, TODDLER])}
    for moment in ContactMoment.objects.filter(code__in=TYPES_BY_CODE):
        appointment_type = types.get(TYPES_BY_CODE[moment.code])
        if appointment_type is not None:
            moment.appointment_types.add(appointment_type)
    family = next((f for f in families if f.name == "El Amrani"), None)
    if family is not None:
        born = timezone.localdate() - timedelta(weeks=7)
        Child.objects.get_or_create(
            family=family, first_name="Ilyas", defaults={"date_of_birth": born}
        )
