from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Teams and neighbourhoods")

    def ready(self):
        from afspraken.models import Appointment
        from families.models import Family
        from teams import signals

        post_save.connect(signals.family_saved, sender=Family, dispatch_uid="teams_family")
        post_save.connect(
            signals.appointment_changed, sender=Appointment, dispatch_uid="teams_appt_saved"
        )
        post_delete.connect(
            signals.appointment_changed, sender=Appointment, dispatch_uid="teams_appt_deleted"
        )
