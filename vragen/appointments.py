"""The seam to the afspraken app: a family's upcoming appointments, for the question pages.
Whether a team works in the evening (to offer an evening call back) is `teams.selectors`."""

from django.utils import timezone

from afspraken.models import Appointment


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
