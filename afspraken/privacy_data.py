"""What the afspraken app holds for the privacy registry (privacy/registry.py): appointments in
the download, future ones cancelled when the account goes, past ones removed after their
retention period, and which admin pages are family data. Discovered by PrivacyConfig.ready.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from afspraken import services
from afspraken.models import Appointment, Slot
from privacy.registry import Section, eraser, exporter, family_data, retention_rule

family_data("afspraken.appointment", family="family_id", child="child_id")
family_data("afspraken.followup", family="appointment__family_id", child="appointment__child_id")
family_data("afspraken.reminder", family="appointment__family_id", child="appointment__child_id")


@exporter("afspraken")
def export_appointments(*, user, family):
    if family is None:
        return []
    appointments = (
        Appointment.objects.filter(family=family)
        .select_related("appointment_type", "slot__location", "child")
        .order_by("starts_at")
    )
    rows = [
        {
            "starts_at": a.starts_at,
            "ends_at": a.ends_at,
            "type": a.appointment_type.name,
            "location": a.slot.location.name,
            "child": a.child.first_name if a.child else "",
            "status": str(a.get_status_display()),
            "topics": ", ".join(t.name for t in a.topics.all()),
            "note": a.note,
            "interpreter": a.interpreter_label,
            "cancel_reason": a.cancel_reason,
        }
        for a in appointments
    ]
    labels = {
        "starts_at": _("Starts at"),
        "ends_at": _("Ends at"),
        "type": _("Kind of appointment"),
        "location": _("Location"),
        "child": _("Child"),
        "status": _("Status"),
        "topics": _("What you want to discuss"),
        "note": _("Note"),
        "interpreter": _("Interpreter"),
        "cancel_reason": _("Reason for cancelling"),
    }
    return [Section("appointments", str(_("Appointments")), rows, labels=labels)]


@eraser("afspraken")
def erase_appointments(*, user, family, family_removed):
    """Cancel future appointments (frees the places), so the clinic is not waiting for nobody."""

    now = timezone.now()
    future = Appointment.objects.filter(status=Appointment.Status.BOOKED, starts_at__gt=now)
    future = future.filter(family=family) if family_removed else future.filter(parent=user)
    cancelled = 0
    for appointment_id in list(future.values_list("pk", flat=True)):
        cancelled += services.cancel_for_account_deletion(appointment_id=appointment_id)
    return {"cancelled": cancelled}


@retention_rule("past_appointments")
def old_past_appointments(*, now):
    cutoff = now - timedelta(days=settings.RETENTION_PAST_APPOINTMENTS_DAYS)
    return Appointment.objects.filter(ends_at__lt=cutoff)


@retention_rule("past_slots")
def old_past_slots(*, now):
    """Slots that ended before the appointments' retention and hold no appointment any more
    (registered after "past_appointments", which removes those first in the same run)."""
    cutoff = now - timedelta(days=settings.RETENTION_PAST_APPOINTMENTS_DAYS)
    return Slot.objects.filter(ends_at__lt=cutoff).exclude(
        Exists(Appointment.objects.filter(slot=OuterRef("pk")))
    )
