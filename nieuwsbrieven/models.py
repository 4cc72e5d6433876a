"""Newsletters: subscriptions (double opt-in), editions by age phase, milestones, deliveries.

A subscription is separate from the account: signing up for the portal never subscribes
anyone. Each e-mail goes out once: one `Delivery` row per (edition, subscription) and one
`MilestoneDelivery` per (milestone, child, subscription), unique in the database.
"""

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_AGE_MONTHS = 216  # 18 years: the JGZ's care ends there
MAX_PREGNANCY_WEEK = 43


def new_key() -> str:
    return secrets.token_urlsafe(12)


class Subscription(models.Model):
    """A parent's consent to receive newsletters at one address (double opt-in)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    parent = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        related_name="newsletter_subscription",
    )
    email = models.EmailField(_("e-mail address"))
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.PENDING
    )
    milestones = models.BooleanField(
        _("milestone messages"),
        default=False,
        help_text=_("A message when a child reaches an age, such as 4 or 12 years."),
    )
    # Part of every signed link: a new key (on re-subscribing) makes old links invalid.
    key = models.CharField(_("link key"), max_length=32, default=new_key)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    consented_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    consent_version = models.CharField(_("consent text version"), max_length=20, blank=True)
    consent_text = models.TextField(_("consent text"), blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="active") | Q(consented_at__isnull=False),
                name="nieuwsbrieven_subscription_active_has_consent",
            ),
        ]
        indexes = [
            models.Index(
                fields=["parent"], condition=Q(status="active"), name="nieuwsbrieven_sub_active"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Edition(models.Model):
    """One newsletter, written in the admin, for one phase: a pregnancy week or a child age."""

    class Phase(models.TextChoices):
        PREGNANCY = "pregnancy", _("Pregnancy (by week)")
        CHILD = "child", _("Child (by age in months)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    id = models.BigAutoField(primary_key=True)
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(
        _("text (Markdown)"),
        help_text=_(
            "Markdown: **bold**, lists with -, links as [text](https://…). No medical data."
        ),
    )
    phase = models.CharField(_("target phase"), max_length=10, choices=Phase.choices)
    week_from = models.PositiveSmallIntegerField(
        _("from pregnancy week"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PREGNANCY_WEEK)],
    )
    week_to = models.PositiveSmallIntegerField(
        _("until pregnancy week (not included)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_PREGNANCY_WEEK)],
    )
    age_from_months = models.PositiveSmallIntegerField(
        _("from age (months)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_AGE_MONTHS)],
    )
    age_to_months = models.PositiveSmallIntegerField(
        _("until age (months, not included)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_AGE_MONTHS)],
    )
    scheduled_at = models.DateTimeField(
        _("send at"),
        null=True,
        blank=True,
        help_text=_("Who gets it is decided by the children's age on this day."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    send_day = models.DateField(_("targeting day"), null=True, blank=True, editable=False)
    fanned_out_at = models.DateTimeField(_("recipients chosen at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("newsletter edition")
        verbose_name_plural = _("newsletter editions")
        ordering = ["-scheduled_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    phase="pregnancy",
                    week_from__isnull=False,
                    week_to__isnull=False,
                    week_to__gt=F("week_from"),
                )
                | Q(
                    phase="child",
                    age_from_months__isnull=False,
                    age_to_months__isnull=False,
                    age_to_months__gt=F("age_from_months"),
                    age_to_months__lte=MAX_AGE_MONTHS,
                ),
                name="nieuwsbrieven_edition_target_range",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(scheduled_at__isnull=False),
                name="nieuwsbrieven_edition_scheduled_has_time",
            ),
        ]
        indexes = [
            models.Index(
                fields=["scheduled_at"],
                condition=Q(status__in=["scheduled", "sending"]),
                name="nieuwsbrieven_edition_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    """An automatic message when a child reaches an age (0 months = just born: welcome)."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(_("name"), max_length=80, unique=True)
    age_months = models.PositiveSmallIntegerField(
        _("age (months)"),
        validators=[MaxValueValidator(MAX_AGE_MONTHS)],
        help_text=_("0 = born (welcome), 48 = 4 years, 144 = 12 years, 216 = 18 years."),
    )
    title = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("text (Markdown)"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["age_months"]

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped (unsubscribed)")


class Delivery(models.Model):
    """One edition for one subscriber. `claim` marks which worker run holds the row."""

    Status = DeliveryStatus

    id = models.BigAutoField(primary_key=True)
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("subscription"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    child = models.ForeignKey(
        "families.Child",
        verbose_name=_("child"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    child_name = models.CharField(_("child's name"), max_length=80)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claim = models.CharField(_("claimed by"), max_length=32, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # When the periodic scan may hand the row out (again): the retry schedule after a failure,
    # or the claim timeout after it was handed to a chunk task (outbox/retry.py).
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscription"], name="nieuwsbrieven_delivery_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["edition", "id"],
                condition=Q(status__in=["queued", "sending"]),
                name="nieuwsbrieven_delivery_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition_id} -> {self.subscription_id}"


class MilestoneDelivery(models.Model):
    """A milestone message for one child to one subscriber; sent through the outbox."""

    id = models.BigAutoField(primary_key=True)
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("milestone"), on_delete=models.CASCADE, related_name="+"
    )
    child = models.ForeignKey(
        "families.Child", verbose_name=_("child"), on_delete=models.CASCADE, related_name="+"
    )
    subscription = models.ForeignKey(
        Subscription, verbose_name=_("subscription"), on_delete=models.CASCADE, related_name="+"
    )
    email = models.ForeignKey(
        "outbox.OutgoingEmail",
        verbose_name=_("e-mail"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("milestone message")
        verbose_name_plural = _("milestone messages")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["milestone", "child", "subscription"],
                name="nieuwsbrieven_milestone_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone_id} -> {self.child_id}"
