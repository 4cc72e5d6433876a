"""What the sms app holds about a family, for the privacy registries (privacy/registry.py)."""

from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from privacy.registry import Section, exporter, family_data, labels_of, retention_rule, rows_of

# The admin's list of text messages shows numbers and bodies: logged (privacy/admin_logging.py).
family_data("sms.outgoingsms", family="family_id")


@exporter("sms")
def export_text_messages(*, user, family):
    if family is None:
        return []
    from families.models import Family
    from sms.models import OutgoingSms

    setting_fields = ["phone", "message_channel", "sms_quiet_from", "sms_quiet_until"]
    message_fields = ["created_at", "to", "body", "status", "sent_at"]
    return [
        Section(
            "sms_settings",
            str(_("How we send you messages")),
            rows_of(Family.objects.filter(pk=family.pk), setting_fields),
            labels=labels_of(Family, setting_fields),
        ),
        Section(
            "sms",
            str(_("Text messages we sent you")),
            rows_of(family.text_messages.order_by("created_at"), message_fields),
            labels=labels_of(OutgoingSms, message_fields),
        ),
    ]


@retention_rule("sms")
def old_text_messages(*, now):
    from sms.models import OutgoingSms

    return OutgoingSms.objects.exclude(status=OutgoingSms.Status.QUEUED).filter(
        created_at__lt=now - timedelta(days=settings.SMS_RETENTION_DAYS)
    )
