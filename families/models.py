import hashlib
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families import ages, postcodes
from sms.phone import E164_PATTERN


class Family(models.Model):
    """A household: one or two parents/carers and their children."""

    class Channel(models.TextChoices):
        """How the family gets invitations and reminders. Without an e-mail address (a
        family registered by phone) they come by SMS whatever is chosen here."""

        EMAIL = "email", _("e-mail")
        SMS = "sms", _("text message (SMS)")
        BOTH = "both", _("e-mail and text message")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("family name"), max_length=120, blank=True)
    # Optional; its 4 digits decide the family's wijk and so its team (`teams.selectors`).
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    # E.164 (`sms.services.normalise_phone`); the number the JGZ calls and texts.
    phone = models.CharField(_("mobile number"), max_length=16, blank=True)
    message_channel = models.CharField(
        _("messages by"), max_length=8, choices=Channel.choices, default=Channel.EMAIL
    )
    # The family's own quiet hours for SMS, on top of the organisation's night.
    sms_quiet_from = models.TimeField(_("no SMS from"), null=True, blank=True)
    sms_quiet_until = models.TimeField(_("no SMS until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        ordering = ["name"]
        # The admin's list is sorted by name and searched by exact name: both from this index.
        indexes = [models.Index(fields=["name"], name="families_family_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode="") | Q(postcode__regex=postcodes.STORED_PATTERN),
                name="families_family_postcode_format",
            ),
            models.CheckConstraint(
                condition=Q(phone="") | Q(phone__regex=E164_PATTERN),
                name="families_family_phone_e164",
            ),
            models.CheckConstraint(
                condition=Q(sms_quiet_from__isnull=True, sms_quiet_until__isnull=True)
                | Q(sms_quiet_from__isnull=False, sms_quiet_until__isnull=False),
                name="families_family_quiet_hours_both_or_none",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.id)[:8]


class Child(models.Model):
    """A child, or an expected child during pregnancy. Age is derived, never stored; no BSN."""

    class CareStatus(models.TextChoices):
        """Staff (or the population import) mark why the JGZ no longer contacts a family about
        this child: every invitation, reminder, newsletter and milestone about it stops."""

        ACTIVE = "active", _("in our care")
        DECEASED = "deceased", _("child died")
        PREGNANCY_ENDED = "pregnancy_ended", _("pregnancy ended")
        MOVED_OUT = "moved_out", _("moved out of the region")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        Family, verbose_name=_("family"), on_delete=models.CASCADE, related_name="children"
    )
    first_name = models.CharField(_("first name"), max_length=80)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    due_date = models.DateField(_("expected due date"), null=True, blank=True)
    care_status = models.CharField(
        _("care status"), max_length=16, choices=CareStatus.choices, default=CareStatus.ACTIVE
    )
    care_ended_at = models.DateTimeField(_("care ended at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        ordering = ["date_of_birth", "due_date", "first_name"]
        constraints = [
            # Exactly one of the two dates: born (date of birth) or expected (due date).
            models.CheckConstraint(
                condition=(Q(date_of_birth__isnull=False) & Q(due_date__isnull=True))
                | (Q(date_of_birth__isnull=True) & Q(due_date__isnull=False)),
                name="families_child_birth_xor_due_date",
            ),
        ]
        indexes = [
            # Newsletter and milestone targeting select by date of birth whatever the care status.
            models.Index(fields=["date_of_birth"], name="families_child_dob"),
            # Scans of the contact schedule select children by date range, only active ones;
            # the planning list reads them in (date, id) order and stops after a page.
            models.Index(
                fields=["date_of_birth", "id"],
                condition=Q(care_status="active"),
                name="families_child_active_dob_id",
            ),
            models.Index(
                fields=["due_date", "id"],
                condition=Q(care_status="active", date_of_birth__isnull=True),
                name="families_child_active_due_id",
            ),
        ]

    def __str__(self) -> str:
        return self.first_name

    @property
    def in_care(self) -> bool:
        return self.care_status == self.CareStatus.ACTIVE

    @property
    def is_expected(self) -> bool:
        return self.date_of_birth is None

    def age_in_months(self, on: date | None = None) -> int | None:
        if self.date_of_birth is None:
            return None
        return ages.months_between(self.date_of_birth, on or timezone.localdate())

    def age_in_years(self, on: date | None = None) -> int | None:
        months = self.age_in_months(on)
        return None if months is None else months // 12

    def pregnancy_week(self, on: date | None = None) -> int | None:
        if self.due_date is None:
            return None
        return ages.pregnancy_week(self.due_date, on or timezone.localdate())

    @property
    def age_display(self) -> str:
        return ages.describe(self.date_of_birth, self.due_date, timezone.localdate())


def hash_token(token: str) -> str:
    """The stored form of an invitation token: a SHA-256 of 256 random bits needs no salt."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An e-mail invitation for a second parent or carer to join a family.

    Only a hash of the link's token is stored: whoever reads the database or the admin cannot
    use it. Accepting also needs an account with the invited address, verified.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        Family, verbose_name=_("family"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_used(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
