"""The seam to the afspraken app: a family's upcoming appointments, for the question pages, and
whether the team works in the evening (to offer an evening call back)."""

from django.db.models import Q
from django.utils import timezone

from afspraken.models import Appointment, Schedule
from afspraken.selectors import EVENING_FROM


def list_upcoming_for_family(*, family_id, limit: int = 5) -> list[Appointment]:
    return list(
        Appointment.objects.filter(
            family_id=family_id, status=Appointment.Status.BOOKED, starts_at__gte=timezone.now()
        )
        .select_related("appointment_type", "child")
        .order_by("starts_at")[:limit]
    )


def get_upcoming_for_family(*, family_id, appointment_id) -> Appointment | None:
    return (
        Appointment.objects.filter(
            pk=appointment_id,
            family_id=family_id,
            status=Appointment.Status.BOOKED,
            starts_at__gte=timezone.now(),
        )
        .select_related("appointment_type")
        .first()
    )


def has_evening_hours() -> bool:
    """Whether a professional works after EVENING_FROM at an active location, today or later:
    then a call back in the evening is something the team can keep."""
    today = timezone.localdate()
    return (
        Schedule.objects.filter(location__is_active=True, end_time__gt=EVENING_FROM)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .exists()
    )
