"""The contact schedule (contactmomenten): definitions managers keep, and per child only what
happened.

- `ContactMoment`: one definition per stable `code` (`cb-8w`, `vo-klas2`), edited in the admin.
  Each change that matters raises `version` and keeps the old content as a
  `ContactMomentVersion` snapshot. Children's due moments are computed from the current
  definitions (`contactmomenten/schedule.py`); a `ChildMoment` stores the window it had when
  something happened, so a later change affects future moments only.
- `ChildMoment`: a row only where something happened (invited, planned, attended, missed, not
  needed): a region's 300,000 children do not need millions of empty rows.
- `MomentMessage`: one invitation / reminder per child moment and kind (unique), claimed
  together with its outbox e-mail.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactmomenten import schedule


class ContactMoment(models.Model):
    """A moment of the schedule: target age with a window, who, where, how it is planned."""

    class Unit(models.TextChoices):
        DAYS = schedule.DAYS, _("days")
        WEEKS = schedule.WEEKS, _("weeks")
        MONTHS = schedule.MONTHS, _("months")
        YEARS = schedule.YEARS, _("years")
        PREGNANCY_WEEK = schedule.PREGNANCY_WEEK, _("week of pregnancy")

    class Who(models.TextChoices):
        NURSE = "nurse", _("youth nurse")
        DOCTOR = "doctor", _("youth doctor")
        ASSISTANT = "assistant", _("doctor's assistant")

    class Where(models.TextChoices):
        CLINIC = "clinic", _("at the clinic")
        HOME = "home", _("home visit")
        SCHOOL = "school", _("at school")
        PHONE = "phone", _("by phone")
        VIDEO = "video", _("video call")

    # Where the JGZ arranges the moment with the family: no self-booking there.
    ARRANGED_BY_JGZ = (Where.HOME, Where.SCHOOL)
    # Changing one of these makes a new version (the rest is wording).
    VERSIONED_FIELDS = (
        "target_value",
        "target_unit",
        "target_plus_days",
        "window_before_days",
        "window_after_days",
        "who",
        "where",
        "online_planning",
    )

    id = models.BigAutoField(primary_key=True)
    code = models.SlugField(
        _("code"),
        max_length=30,
        unique=True,
        help_text=_("Stable code used by imports and figures, e.g. cb-8w. Never reuse a code."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    name = models.CharField(
        _("name"), max_length=80, help_text=_("As parents see it, e.g. 'Consult 8 weken'.")
    )
    description = models.TextField(
        _("what happens"), blank=True, help_text=_("One or two short sentences in B1 Dutch.")
    )
    target_value = models.PositiveSmallIntegerField(_("target age"))
    target_unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    target_plus_days = models.PositiveSmallIntegerField(
        _("plus days"), default=0, help_text=_("For targets like 7.5 months: 7 months + 15 days.")
    )
    window_before_days = models.PositiveSmallIntegerField(_("window: days before"), default=7)
    window_after_days = models.PositiveSmallIntegerField(_("window: days after"), default=14)
    who = models.CharField(_("who"), max_length=12, choices=Who.choices, default=Who.NURSE)
    where = models.CharField(_("where"), max_length=12, choices=Where.choices, default=Where.CLINIC)
    online_planning = models.BooleanField(
        _("parents may plan it online"),
        default=True,
        help_text=_("Off: the JGZ invites with a date or calls the family."),
    )
    appointment_types = models.ManyToManyField(
        "afspraken.AppointmentType",
        verbose_name=_("appointment types that serve it"),
        blank=True,
        related_name="contact_moments",
    )
    is_active = models.BooleanField(_("active"), default=True)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        ordering = ["target_unit", "target_value", "target_plus_days"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target_unit="pregnancy_week") | Q(target_value__lte=42),
                name="contactmomenten_contactmoment_pregnancy_week_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def as_definition(self) -> schedule.Definition:
        return schedule.Definition(
            code=self.code,
            target_value=self.target_value,
            target_unit=self.target_unit,
            window_before_days=self.window_before_days,
            window_after_days=self.window_after_days,
            target_plus_days=self.target_plus_days,
        )

    @property
    def arranged_by_jgz(self) -> bool:
        return self.where in self.ARRANGED_BY_JGZ or not self.online_planning


class ContactMomentVersion(models.Model):
    """The content of a definition before a change (for figures and 'what applied then')."""

    id = models.BigAutoField(primary_key=True)
    moment = models.ForeignKey(
        ContactMoment,
        verbose_name=_("contact moment"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    version = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    replaced_at = models.DateTimeField(_("replaced at"), default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["moment", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["moment", "version"], name="contactmomenten_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.moment_id} v{self.version}"


class PreConsultQuestion(models.Model):
    """A question the parent may answer before the visit (optional, B1 Dutch)."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("yes / no")
        CHOICE = "choice", _("choice")
        TEXT = "text", _("short text")

    id = models.BigAutoField(primary_key=True)
    moment = models.ForeignKey(
        ContactMoment,
        verbose_name=_("contact moment"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("answer type"), max_length=8, choices=Kind.choices, default=Kind.TEXT)
    choices = models.CharField(
        _("choices"), max_length=300, blank=True, help_text=_("For 'choice': separate with |")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("pre-consult question")
        verbose_name_plural = _("pre-consult questions")
        ordering = ["moment", "position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.split("|") if c.strip()]


class ChildMoment(models.Model):
    """Something that happened for one child and one moment. Absent row = nothing yet."""

    class State(models.TextChoices):
        INVITED = "invited", _("invited")
        PLANNED = "planned", _("planned")
        ATTENDED = "attended", _("attended")
        MISSED = "missed", _("missed")
        CANCELLED = "cancelled", _("cancelled")
        NOT_NEEDED = "not_needed", _("not needed")

    class Outreach(models.TextChoices):
        CALLED = "called", _("called")
        UNREACHABLE = "unreachable", _("not reachable")
        INVITED_AGAIN = "invited_again", _("invitation sent again")
        BOOKED_FOR_PARENT = "booked", _("appointment made for the parent")

    class PartOfDay(models.TextChoices):
        MORNING = "morning", _("in the morning")
        AFTERNOON = "afternoon", _("in the afternoon")
        # Offered only when the family's team works in the evening (`teams.selectors`).
        EVENING = "evening", _("in the evening")

    # A moment in one of these states cannot be planned again.
    DONE_OR_PLANNED = (State.PLANNED, State.ATTENDED, State.NOT_NEEDED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(
        "families.Child",
        verbose_name=_("child"),
        on_delete=models.CASCADE,
        related_name="contact_moments",
    )
    moment = models.ForeignKey(
        ContactMoment,
        verbose_name=_("contact moment"),
        on_delete=models.PROTECT,
        related_name="child_moments",
    )
    # What applied when the row was made: a later change of the definition leaves it alone.
    version = models.PositiveIntegerField(_("version"))
    window_opens = models.DateField(_("window opens"))
    window_closes = models.DateField(_("window closes"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)
    outreach = models.CharField(
        _("last outreach"), max_length=16, choices=Outreach.choices, blank=True
    )
    outreach_at = models.DateTimeField(_("last outreach at"), null=True, blank=True)
    outreach_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outreach by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # "Bel me terug": a moment the JGZ arranges (home visit, school) cannot be self-booked;
    # the parent leaves a number and the planning list shows the request first.
    callback_requested_at = models.DateTimeField(_("call back requested at"), null=True, blank=True)
    callback_phone = models.CharField(_("call back on"), max_length=30, blank=True)
    callback_part_of_day = models.CharField(
        _("best time to call"), max_length=10, choices=PartOfDay.choices, blank=True
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # From 16 the moment is the youth's (`contactmomenten.youth`): the professional who books it
    # may note the youth's own address and mobile number; confirmation and reminders go there,
    # never to the parents.
    youth_email = models.EmailField(_("e-mail address of the young person"), blank=True)
    youth_phone = models.CharField(
        _("mobile number of the young person"), max_length=16, blank=True
    )
    # The outbox rows of its invitations and reminders (also "sent again"): when care ends,
    # those still queued are withdrawn, so nothing about the child goes out afterwards.
    emails = models.ManyToManyField(
        "outbox.OutgoingEmail", verbose_name=_("e-mails"), blank=True, related_name="+"
    )
    texts = models.ManyToManyField(
        "sms.OutgoingSms", verbose_name=_("text messages"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("child's contact moment")
        verbose_name_plural = _("children's contact moments")
        ordering = ["window_opens"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "moment"], name="contactmomenten_childmoment_once"
            ),
            models.CheckConstraint(
                condition=Q(window_closes__gte=F("window_opens")),
                name="contactmomenten_childmoment_window_order",
            ),
            models.CheckConstraint(
                condition=Q(callback_requested_at__isnull=True) | ~Q(callback_phone=""),
                name="contactmomenten_childmoment_callback_has_phone",
            ),
        ]
        indexes = [
            models.Index(fields=["moment", "state"], name="cm_childmoment_moment_state"),
        ]

    def __str__(self) -> str:
        return f"{self.moment_id} {self.state}"


class MomentMessage(models.Model):
    """One invitation or reminder per child moment and kind: never twice."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("invitation")
        REMINDER = "reminder", _("reminder")

    id = models.BigAutoField(primary_key=True)
    child_moment = models.ForeignKey(
        ChildMoment,
        verbose_name=_("child's contact moment"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("invitation or reminder")
        verbose_name_plural = _("invitations and reminders")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child_moment", "kind"], name="contactmomenten_message_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.child_moment_id}"


class PreConsultAnswer(models.Model):
    """A parent's answer; the question text is kept as it was asked."""

    id = models.BigAutoField(primary_key=True)
    child_moment = models.ForeignKey(
        ChildMoment,
        verbose_name=_("child's contact moment"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        PreConsultQuestion,
        verbose_name=_("question"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
    )
    question_text = models.CharField(_("question asked"), max_length=200)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    answer = models.CharField(_("answer"), max_length=500)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("pre-consult answer")
        verbose_name_plural = _("pre-consult answers")
        ordering = ["child_moment", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child_moment", "question"], name="contactmomenten_answer_once"
            ),
        ]

    def __str__(self) -> str:
        return self.question_text


class VisitNote(models.Model):
    """'Wat we hebben afgesproken': a short B1 note for the parent after the visit.

    Not the medical record (that stays in the DD JGZ). Never in an e-mail body: the parent
    gets a link.
    """

    class FollowUp(models.TextChoices):
        NONE = "", _("no follow-up")
        CALL = "call", _("we call you")
        EXTRA_VISIT = "extra_visit", _("an extra appointment")
        GROUP = "group", _("a parent meeting")
        ARTICLE = "article", _("something to read")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child_moment = models.OneToOneField(
        ChildMoment,
        verbose_name=_("child's contact moment"),
        on_delete=models.CASCADE,
        related_name="note",
    )
    text = models.TextField(_("what we agreed"), max_length=2000)
    follow_up = models.CharField(
        _("follow-up"), max_length=12, choices=FollowUp.choices, blank=True
    )
    follow_up_text = models.CharField(_("follow-up details"), max_length=300, blank=True)
    follow_up_link = models.URLField(_("link"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("what we agreed")
        verbose_name_plural = _("what we agreed")

    def __str__(self) -> str:
        return f"{self.child_moment_id}"


class FamilyPreferences(models.Model):
    """Which messages a family gets about the schedule. No row = the defaults (all on)."""

    family = models.OneToOneField(
        "families.Family",
        verbose_name=_("family"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="moment_preferences",
    )
    invitations = models.BooleanField(
        _("invitations for contact moments"),
        default=True,
        help_text=_("Off: we call you instead."),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("message preferences")
        verbose_name_plural = _("message preferences")

    def __str__(self) -> str:
        return str(self.family_id)
