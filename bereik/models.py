"""Reach (bereik): every child the JGZ is responsible for, not only families who signed up.

- `PopulationImport`: one run of the population import (DD JGZ export, CSV), with its counts
  and the errors per line. The import itself is in `bereik/population.py`.
- `FamilyContact`: how to reach a family that may have no account: origin (imported, registered
  at the desk, signed up), the parent's name, phone and e-mail as the DD JGZ knows them, language
  and channel, and the activation code that links a parent's new account to this family.
- `ImportedChild`: the DD JGZ's pseudonymous key of a child and a hash of what the last import
  said about it, so the same file twice changes nothing.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PopulationImport(models.Model):
    """One run of the population import: what it did, and what it refused, per line."""

    class Source(models.TextChoices):
        ADMIN = "admin", _("uploaded in the admin")
        DROP_FOLDER = "drop_folder", _("drop folder")
        COMMAND = "command", _("command line")

    id = models.BigAutoField(primary_key=True)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    full_export = models.BooleanField(
        _("full export"),
        default=False,
        help_text=_("Children who are missing from a full export have moved out of the region."),
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("errors per line"), default=list, blank=True)

    class Meta:
        verbose_name = _("population import")
        verbose_name_plural = _("population imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%Y-%m-%d %H:%M})"


class FamilyContact(models.Model):
    """How the JGZ reaches a family, also one without an account. No row: signed up online."""

    class Origin(models.TextChoices):
        IMPORT = "import", _("population import")
        DESK = "desk", _("registered by phone or at the desk")
        ONLINE = "online", _("signed up online")

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("text message (SMS)")
        LETTER = "letter", _("letter")
        PHONE = "phone", _("phone")

    family = models.OneToOneField(
        "families.Family",
        verbose_name=_("family"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="contact",
    )
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices)
    # The DD JGZ's key of the household, when its export has one: children with the same key
    # are brothers and sisters in one family.
    dd_family_key = models.CharField(
        _("DD JGZ family key"), max_length=64, null=True, blank=True, unique=True
    )
    parent_name = models.CharField(_("parent's name"), max_length=150, blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="nl")
    channel = models.CharField(
        _("preferred channel"), max_length=8, choices=Channel.choices, default=Channel.LETTER
    )
    # Only a keyed hash: the code itself is printed on the letter (or sent by SMS) and is
    # shown once; a new letter makes a new code.
    activation_code_hash = models.CharField(
        _("activation code (hash)"), max_length=64, blank=True, db_index=True
    )
    activation_code_expires_at = models.DateTimeField(
        _("activation code valid until"), null=True, blank=True
    )
    activated_at = models.DateTimeField(_("account linked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("family contact details")
        verbose_name_plural = _("family contact details")
        indexes = [
            # Retention: imported families that never activated.
            models.Index(
                fields=["created_at"],
                condition=Q(activated_at__isnull=True),
                name="bereik_contact_not_activated",
            ),
        ]

    def __str__(self) -> str:
        return str(self.family_id)


class ImportedChild(models.Model):
    """A child the population import knows, by the DD JGZ's pseudonymous key (never a BSN)."""

    child = models.OneToOneField(
        "families.Child",
        verbose_name=_("child"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="imported",
    )
    key = models.CharField(_("DD JGZ child key"), max_length=64, unique=True)
    # What the last import said (normalised): a line that did not change is not written again.
    row_hash = models.CharField(_("hash of the last imported line"), max_length=64)
    imported_at = models.DateTimeField(_("first imported at"), default=timezone.now)
    changed_at = models.DateTimeField(_("last changed by an import"), default=timezone.now)

    class Meta:
        verbose_name = _("imported child")
        verbose_name_plural = _("imported children")

    def __str__(self) -> str:
        return self.key


# --- Outreach ----------


class AttentionReason(models.Model):
    """Why a family gets extra attention: a short list managers keep, never free medical text.

    `parent_text` is how the family's own data download words it (neutral, B1)."""

    id = models.BigAutoField(primary_key=True)
    name = models.CharField(_("name (for staff)"), max_length=80, unique=True)
    parent_text = models.CharField(
        _("wording for the family"),
        max_length=200,
        help_text=_("Neutral, in B1 Dutch. Shown in the family's own data download."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reason for extra attention")
        verbose_name_plural = _("reasons for extra attention")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class AttentionFlag(models.Model):
    """A professional flagged the family 'extra aandacht', with a reason from the list."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family = models.ForeignKey(
        "families.Family",
        verbose_name=_("family"),
        on_delete=models.CASCADE,
        related_name="attention_flags",
    )
    reason = models.ForeignKey(
        AttentionReason, verbose_name=_("reason"), on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("removed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("extra attention")
        verbose_name_plural = _("extra attention")
        ordering = ["-set_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["family", "reason"],
                condition=Q(removed_at__isnull=True),
                name="bereik_attentionflag_once_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_id}: {self.reason_id}"


class OutreachCase(models.Model):
    """The outreach work for one child who was not reached, open until reached or closed.

    A closed case hides the child from the worklist for every reason older than the closing;
    a newer reason (a window that closed later) opens the child again."""

    class Closing(models.TextChoices):
        REACHED = "reached", _("reached")
        MOVED = "moved", _("moved away")
        NO_CONTACT_WANTED = "no_contact", _("family does not want contact")
        CARE_ELSEWHERE = "elsewhere", _("in care elsewhere")
        NOT_NEEDED = "not_needed", _("no longer needed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(
        "families.Child",
        verbose_name=_("child"),
        on_delete=models.CASCADE,
        related_name="outreach_cases",
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    fruitless_attempts = models.PositiveSmallIntegerField(_("attempts without contact"), default=0)
    escalated_at = models.DateTimeField(_("sent to the youth doctor at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("youth doctor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closing = models.CharField(
        _("closed because"), max_length=12, choices=Closing.choices, blank=True
    )

    class Meta:
        verbose_name = _("outreach case")
        verbose_name_plural = _("outreach cases")
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(closed_at__isnull=True),
                name="bereik_outreachcase_one_open_per_child",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, closing="")
                | Q(closed_at__isnull=False) & ~Q(closing=""),
                name="bereik_outreachcase_closed_with_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["closed_at"],
                condition=Q(closing="reached"),
                name="bereik_case_reached",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.closing or 'open'}"


class OutreachAction(models.Model):
    """One thing a professional or assistant did to reach the family, with who and when."""

    class Kind(models.TextChoices):
        CALLED = "called", _("called")
        LETTER = "letter", _("letter sent")
        SMS = "sms", _("text message sent")
        HOME_VISIT = "home_visit", _("home visit planned")
        PARTNER = "partner", _("via a partner")
        REACHED = "reached", _("reached")
        CLOSED = "closed", _("closed")

    class Outcome(models.TextChoices):
        REACHED = "reached", _("reached")
        NO_ANSWER = "no_answer", _("no answer")
        OTHER_NUMBER = "other_number", _("wrong number")
        WIJKTEAM = "wijkteam", _("wijkteam")
        SCHOOL = "school", _("school")
        MIDWIFE = "midwife", _("midwife")

    # Attempts that did not reach the family; three of them go to the team's youth doctor.
    OUTCOMES = {
        Kind.CALLED: (Outcome.REACHED, Outcome.NO_ANSWER, Outcome.OTHER_NUMBER),
        Kind.PARTNER: (Outcome.WIJKTEAM, Outcome.SCHOOL, Outcome.MIDWIFE),
    }

    id = models.BigAutoField(primary_key=True)
    case = models.ForeignKey(
        OutreachCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField(_("action"), max_length=12, choices=Kind.choices)
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, blank=True)
    closing = models.CharField(
        _("closed because"), max_length=12, choices=OutreachCase.Closing.choices, blank=True
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("outreach action")
        verbose_name_plural = _("outreach actions")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"

    @property
    def fruitless(self) -> bool:
        if self.kind == self.Kind.CALLED:
            return self.outcome != self.Outcome.REACHED
        return self.kind in (self.Kind.LETTER, self.Kind.SMS, self.Kind.PARTNER)
