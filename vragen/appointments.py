"""The seam to the afspraken app: upcoming appointments of a family, for the question pages.

Kept in one place so vragen works whether or not the afspraken tables exist yet."""

from django.apps import apps
from django.db import DatabaseError, transaction
from django.utils import timezone


def _appointment_model():
    try:
        return apps.get_model("afspraken", "Appointment")
    except LookupError:
        return None


def list_upcoming_for_family(*, family_id, limit: int = 5) -> list:
    model = _appointment_model()
    if model is None:
        return []
    try:
        # A savepoint: a missing table must not break the caller's transaction.
        with transaction.atomic():
            return list(
                model.objects.filter(
                    family_id=family_id, status=model.Status.BOOKED, starts_at__gte=timezone.now()
                )
                .select_related("appointment_type")
                .order_by("starts_at")[:limit]
            )
    except DatabaseError:
        return []
