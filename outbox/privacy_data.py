"""What the outbox holds for the privacy registry (privacy/registry.py): e-mails sent to the
parent in the download and erased with the account; outgoing e-mails are family data in the admin
(found through the address). Discovered by PrivacyConfig.ready.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from outbox.models import OutgoingEmail
from privacy.registry import (
    Section,
    eraser,
    exporter,
    family_data,
    labels_of,
    retention_rule,
    rows_of,
)


def _families_of_recipients(queryset):
    return (
        get_user_model()
        .objects.filter(email__in=queryset.values("to"), family__isnull=False)
        .values_list("family_id", flat=True)
    )


family_data("outbox.outgoingemail", family=_families_of_recipients)


@exporter("outbox")
def export_emails(*, user, family):
    if user is None:
        return []  # a family without an account gets no e-mail
    emails = OutgoingEmail.objects.filter(to__iexact=user.email).order_by("created_at")
    fields = ["created_at", "subject", "status", "sent_at"]
    return [
        Section(
            "emails",
            str(_("E-mails we sent you")),
            rows_of(emails, fields),
            labels=labels_of(OutgoingEmail, fields),
        )
    ]


@eraser("outbox")
def erase_emails(*, user, family, family_removed):
    if user is None:
        return {}
    deleted, _details = OutgoingEmail.objects.filter(to__iexact=user.email).delete()
    return {"emails": deleted}


@retention_rule("outbox")
def old_emails(*, now):
    """Sent and failed e-mails older than RETENTION_MAIL_DAYS (queued ones are still to go)."""
    cutoff = now - timedelta(days=settings.RETENTION_MAIL_DAYS)
    return OutgoingEmail.objects.filter(created_at__lt=cutoff).exclude(
        status=OutgoingEmail.Status.QUEUED
    )
