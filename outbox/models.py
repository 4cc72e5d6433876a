from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """One e-mail, stored before it is sent, so a broker or SMTP outage loses nothing.

    Bodies hold links only, never medical content (templates in templates/emails/). A mail
    whose link carries power (password reset, e-mail confirmation, login code, invitation,
    appointment link) is `contains_secret`: the admin never shows its body, and the body is
    emptied as soon as it is sent. Other bodies are emptied after OUTBOX_BODY_RETENTION_DAYS.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    kind = models.CharField(_("kind"), max_length=60, blank=True)
    contains_secret = models.BooleanField(
        _("contains a secret link or code"),
        default=False,
        help_text=_("The body is never shown and is removed right after sending."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When the periodic flush may hand the row to a worker (again); see outbox/retry.py.
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    body_purged_at = models.DateTimeField(_("body removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [
            # The admin's search by recipient ("what did we send to this address?").
            models.Index(fields=["to", "-created_at"], name="outbox_email_to_idx"),
            # The admin's list (newest first) and retention of old rows.
            models.Index(fields=["created_at"], name="outbox_email_created_idx"),
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="queued"),
                name="outbox_email_due_idx",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(body_purged_at__isnull=True) & ~Q(status="queued"),
                name="outbox_email_body_kept_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind or 'e-mail'} -> {self.to}"
