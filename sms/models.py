"""Text messages: every SMS is a row first (the outbox pattern), then sent by a task.

Bodies are short practical notices with a link or a phone number, never medical detail: an SMS
can be read on a locked screen by anyone holding the phone.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sms.phone import E164_PATTERN


class OutgoingSms(models.Model):
    """One SMS to one number.

    `reference` goes to the provider with the message: after a timeout the provider is asked
    whether it already accepted this reference before the message is offered again, so a
    message is never sent twice.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        OPTED_OUT = "opted_out", _("Not sent: number opted out")

    id = models.BigAutoField(primary_key=True)
    reference = models.UUIDField(_("reference"), default=uuid.uuid4, unique=True, editable=False)
    to = models.CharField(_("to"), max_length=16)
    body = models.TextField(_("text"))
    kind = models.SlugField(_("kind"), max_length=60)
    family = models.ForeignKey(
        "families.Family",
        verbose_name=_("family"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="text_messages",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Not before this moment: the retry schedule and quiet hours both move it.
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing SMS")
        verbose_name_plural = _("outgoing SMS messages")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to__regex=E164_PATTERN), name="sms_outgoingsms_e164"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="sms_outgoingsms_sent_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="queued"),
                name="sms_outgoingsms_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} -> {self.to}"


class SmsOptOut(models.Model):
    """A number that sent STOP (or that staff switched off): it gets no SMS until START."""

    class Source(models.TextChoices):
        STOP = "stop", _("STOP sent by the number")
        STAFF = "staff", _("switched off by staff")

    phone = models.CharField(_("phone number"), max_length=16, unique=True)
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.STOP
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(phone__regex=E164_PATTERN), name="sms_optout_e164"),
        ]

    def __str__(self) -> str:
        return self.phone
