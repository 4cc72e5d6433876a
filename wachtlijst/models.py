"""The waiting list: families who want an earlier (or an evening, Saturday, ...) place, and the
offers they get when a place frees up.

Invariants in the database: a parent holds at most one open offer (`one_open_per_parent`), an
entry is offered a given slot once (`once_per_entry_slot`), an appointment waits at most once
and a child waits at most once per appointment type; a family waits once per group meeting.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from afspraken.models import DayPart, new_token


class Entry(models.Model):
    """ "Eerder als er plek komt": one family's wish, with the same filters as booking."""

    Part = DayPart  # the same filters as booking

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        BOOKED = "booked", _("Got a place")
        LEFT = "left", _("Left the waiting list")
        ENDED = "ended", _("Ended")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        "families.Family",
        verbose_name=_("family"),
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
    )
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
        help_text=_("Gets the offers."),
    )
    child = models.ForeignKey(
        "families.Child",
        verbose_name=_("child"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
    )
    appointment_type = models.ForeignKey(
        "afspraken.AppointmentType",
        verbose_name=_("appointment type"),
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
    )
    # The booked appointment an offer moves to the earlier place (none: nothing was free).
    appointment = models.ForeignKey(
        "afspraken.Appointment",
        verbose_name=_("current appointment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
    )
    # A group meeting that was full: the waiting list of that one meeting.
    meeting = models.ForeignKey(
        "afspraken.Slot",
        verbose_name=_("group meeting"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
    )
    # The contact moment (code) a booking without a current appointment is for.
    moment_code = models.CharField(_("contact moment"), max_length=30, blank=True)
    location = models.ForeignKey(
        "afspraken.Location",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
        help_text=_("Empty: any location."),
    )
    part = models.CharField(
        _("time of day"), max_length=16, choices=Part.choices, blank=True, default=""
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    created_at = models.DateTimeField(_("joined at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list entries")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment"],
                condition=Q(status="waiting", appointment__isnull=False),
                name="wachtlijst_entry_one_per_appointment",
            ),
            models.UniqueConstraint(
                fields=["child", "appointment_type"],
                condition=Q(status="waiting", child__isnull=False),
                name="wachtlijst_entry_one_per_child_type",
            ),
            models.UniqueConstraint(
                fields=["family", "meeting"],
                condition=Q(status="waiting", meeting__isnull=False),
                name="wachtlijst_entry_one_per_family_meeting",
            ),
            # A consult entry is for a child; a meeting entry is for a meeting.
            models.CheckConstraint(
                condition=Q(child__isnull=False) | Q(meeting__isnull=False),
                name="wachtlijst_entry_child_or_meeting",
            ),
        ]
        indexes = [
            models.Index(
                fields=["appointment_type", "created_at"],
                condition=Q(status="waiting"),
                name="wachtlijst_entry_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.created_at:%Y-%m-%d}"

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING


class Offer(models.Model):
    """A free place offered to one waiting family, valid until `expires_at`.

    PENDING: made at night, sent (and its validity started) in the morning. OPEN: sent. The
    first family to accept gets the place; the other offers for it become GONE.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("To be sent")
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        GONE = "gone", _("Place given to someone else")

    # Statuses that count as "open" for the one-offer-per-parent rule.
    LIVE = (Status.PENDING, Status.OPEN)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    entry = models.ForeignKey(
        Entry, verbose_name=_("waiting list entry"), on_delete=models.CASCADE, related_name="offers"
    )
    # Copied from the entry so the database can hold "one open offer per parent".
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        related_name="waitlist_offers",
    )
    slot = models.ForeignKey(
        "afspraken.Slot",
        verbose_name=_("slot"),
        on_delete=models.CASCADE,
        related_name="waitlist_offers",
    )
    token = models.CharField(_("link token"), max_length=64, unique=True, default=new_token)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("made at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    appointment = models.ForeignKey(
        "afspraken.Appointment",
        verbose_name=_("appointment made"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent"],
                condition=Q(status__in=["pending", "open"]),
                name="wachtlijst_offer_one_open_per_parent",
            ),
            models.UniqueConstraint(
                fields=["entry", "slot"], name="wachtlijst_offer_once_per_entry_slot"
            ),
            models.CheckConstraint(
                condition=~Q(status="open") | Q(sent_at__isnull=False, expires_at__isnull=False),
                name="wachtlijst_offer_open_has_deadline",
            ),
        ]
        indexes = [
            models.Index(
                fields=["expires_at"],
                condition=Q(status="open"),
                name="wachtlijst_offer_open_expiry",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(status="pending"),
                name="wachtlijst_offer_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.OPEN
            and self.expires_at is not None
            and now < (self.expires_at)
        )
