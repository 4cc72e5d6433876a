"""Appointments: locations, types, weekly schedules, closures, generated slots and bookings.

Times are stored in UTC and shown in Europe/Amsterdam. The invariants live in the database:
`Slot.booked_count` can never exceed `Slot.capacity` (CheckConstraint), a family holds at most
one place per slot (UniqueConstraint), and on PostgreSQL a child never has two overlapping
booked appointments (exclusion constraint, migration 0002).
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    return secrets.token_urlsafe(32)


class DayPart(models.TextChoices):
    """The time-of-day filters of booking and of the waiting list (`afspraken.selectors.
    day_part_matches` decides them on the Amsterdam wall clock)."""

    ANY = "", _("Any time")
    EVENING = "evening", _("Evening")
    SATURDAY = "saturday", _("Saturday")
    OUTSIDE_OFFICE = "outside_office", _("Only outside office hours")
    DAYTIME = "daytime", _("Daytime")


class Location(models.Model):
    """A consultatiebureau or other place where appointments and meetings happen."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255)
    route_notes = models.TextField(_("route"), blank=True)
    accessibility_notes = models.TextField(_("accessibility"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AppointmentType(models.Model):
    """What an appointment is for. Capacity 1 is a consult; more is a parent group meeting."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("By phone")
        VIDEO = "video", _("Video call")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=20)
    buffer_minutes = models.PositiveSmallIntegerField(_("buffer after (minutes)"), default=0)
    mode = models.CharField(_("how"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        default=1,
        help_text=_("1 for a consult; more for a parent group meeting (places per parent)."),
    )
    min_age_months = models.PositiveSmallIntegerField(
        _("minimum age (months)"), null=True, blank=True
    )
    max_age_months = models.PositiveSmallIntegerField(
        _("maximum age (months)"), null=True, blank=True
    )
    bookable_online = models.BooleanField(_("parents can book online"), default=True)
    partner = models.CharField(
        _("run together with"), max_length=120, blank=True, help_text=_("For example the wijkteam.")
    )

    class Meta:
        verbose_name = _("appointment type")
        verbose_name_plural = _("appointment types")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="afspraken_appointmenttype_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5),
                name="afspraken_appointmenttype_duration_min",
            ),
            models.CheckConstraint(
                condition=Q(min_age_months__isnull=True)
                | Q(max_age_months__isnull=True)
                | Q(min_age_months__lte=F("max_age_months")),
                name="afspraken_appointmenttype_age_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_group(self) -> bool:
        return self.capacity > 1

    @property
    def block_minutes(self) -> int:
        return self.duration_minutes + self.buffer_minutes

    def fits_age(self, months: int | None) -> bool:
        return self.age_problem(months) is None

    def age_problem(self, months: int | None) -> str | None:
        """ "too_young", "too_old" or None. An expected child (no age yet) is too young for a
        type with a minimum age."""
        if months is None:
            return "too_young" if self.min_age_months is not None else None
        if self.min_age_months is not None and months < self.min_age_months:
            return "too_young"
        if self.max_age_months is not None and months > self.max_age_months:
            return "too_old"
        return None


class Schedule(models.Model):
    """A professional's recurring weekly hours at a location, for the types offered."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.PROTECT,
        related_name="afspraken_schedules",
        limit_choices_to={"role__in": ["nurse", "doctor", "assistant"]},
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="schedules"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    types = models.ManyToManyField(
        AppointmentType, verbose_name=_("appointment types"), related_name="schedules"
    )
    # Partners (wijkteam) who co-host the parent group meetings of this schedule: they see
    # how many booked and the first names parents agreed to share, nothing else.
    co_hosts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-hosts (partner)"),
        blank=True,
        related_name="cohosted_schedules",
        limit_choices_to={"role": "cohost"},
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["location__name", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="afspraken_schedule_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="afspraken_schedule_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}-{self.end_time:%H:%M}"


class Closure(models.Model):
    """A period without appointments: for one location, one professional, or everyone."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        help_text=_("Empty: all locations."),
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="afspraken_closures",
        help_text=_("Empty: everyone."),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=120)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="afspraken_closure_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.reason


class Slot(models.Model):
    """A bookable time of one professional at one location, made by `generate_slots`.

    `booked_count` is changed only by the booking services, with the row locked; the check
    constraint is the last guard against overbooking. A slot that a changed schedule or a new
    closure no longer covers is deactivated; if it holds bookings it is flagged for staff.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    schedule = models.ForeignKey(
        Schedule,
        verbose_name=_("schedule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="slots",
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("professional"),
        on_delete=models.PROTECT,
        related_name="afspraken_slots",
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="slots"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=1)
    booked_count = models.PositiveSmallIntegerField(_("booked"), default=0)
    is_group = models.BooleanField(_("group meeting"), default=False)
    is_active = models.BooleanField(_("bookable"), default=True)
    needs_attention = models.BooleanField(
        _("needs attention"),
        default=False,
        help_text=_("The schedule changed or a closure was added while this slot has bookings."),
    )

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="afspraken_slot_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(booked_count__lte=F("capacity")),
                name="afspraken_slot_booked_within_capacity",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="afspraken_slot_capacity"),
            # Generation is idempotent: one slot per schedule and start, however often it runs.
            models.UniqueConstraint(
                fields=["schedule", "starts_at"], name="afspraken_slot_unique_schedule_start"
            ),
        ]
        indexes = [
            # The free-slot listing: one location, a week, only bookable slots.
            models.Index(
                fields=["location", "starts_at"],
                condition=Q(is_active=True),
                name="afspraken_slot_free_by_loc",
            ),
            # Booking start shows each location's next free evening and Saturday consult: without
            # these each location read every slot of the booking window to find the first few.
            # (Hour and weekday in Europe/Amsterdam, spelled as the selector asks them.)
            models.Index(
                fields=["location", "starts_at"],
                condition=Q(is_active=True, is_group=False, starts_at__hour__gte=17),
                name="afspraken_slot_evening",
            ),
            models.Index(
                fields=["location", "starts_at"],
                condition=Q(is_active=True, is_group=False, starts_at__iso_week_day=6),
                name="afspraken_slot_saturday",
            ),
            models.Index(fields=["professional", "starts_at"], name="afspraken_slot_prof_start"),
            # Generation and retention select a time window over every location and schedule.
            models.Index(fields=["starts_at"], name="afspraken_slot_start"),
            models.Index(
                fields=["starts_at"],
                condition=Q(is_active=True, is_group=True),
                name="afspraken_slot_group_start",
            ),
            models.Index(
                fields=["starts_at"],
                condition=Q(needs_attention=True),
                name="afspraken_slot_attention",
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%Y-%m-%d %H:%M}"

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.booked_count, 0)


class Appointment(models.Model):
    """One booked place: a child's consult, or a parent's seat at a group meeting.

    A reschedule makes a new row (new token) and marks this one `moved`; both share `ical_uid`,
    so the parent's calendar updates the same entry (`ical_sequence` goes up).
    """

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")
        CANCELLED = "cancelled", _("Cancelled")
        CANCELLED_BY_JGZ = "cancelled_jgz", _("Cancelled by JGZ")
        MOVED = "moved", _("Moved to another time")

    # Statuses that hold a place in the slot (counted in Slot.booked_count).
    HOLDS_PLACE = (Status.BOOKED, Status.ATTENDED, Status.NO_SHOW)
    CANCELLED_STATUSES = (Status.CANCELLED, Status.CANCELLED_BY_JGZ)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slot = models.ForeignKey(
        Slot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="appointments"
    )
    appointment_type = models.ForeignKey(
        AppointmentType,
        verbose_name=_("appointment type"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    family = models.ForeignKey(
        "families.Family",
        verbose_name=_("family"),
        on_delete=models.CASCADE,
        related_name="appointments",
    )
    child = models.ForeignKey(
        "families.Child",
        verbose_name=_("child"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="appointments",
    )
    parent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        related_name="afspraken_appointments",
        help_text=_("Gets the e-mails."),
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Group meetings: the parent agreed that the meeting's co-host may see their first name.
    share_first_name = models.BooleanField(_("first name shared with the co-host"), default=False)
    # Copied from the slot so the exclusion constraint can see the time range.
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.BOOKED
    )
    # One list of topics for the whole portal: the shared onderwerpen.Topic.
    topics = models.ManyToManyField(
        "onderwerpen.Topic", verbose_name=_("topics"), blank=True, related_name="appointments"
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    # "Ik wil een tolk": the language the parent asked an interpreter for ("" = none).
    interpreter_language = models.CharField(_("interpreter language"), max_length=8, blank=True)
    token = models.CharField(_("link token"), max_length=64, unique=True, default=new_token)
    ical_uid = models.CharField(_("calendar UID"), max_length=120)
    ical_sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    moved_to = models.OneToOneField(
        "self",
        verbose_name=_("moved to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moved_from",
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    # The contact moment this visit is for (set through afspraken.hooks, validated there).
    contact_moment = models.ForeignKey(
        "contactmomenten.ChildMoment",
        verbose_name=_("contact moment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointments",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    # The reminder scan records its own effect here, checked under a row lock.
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="afspraken_appointment_end_after_start",
            ),
            # A family holds at most one place per slot (one booking per parent household).
            models.UniqueConstraint(
                fields=["slot", "family"],
                condition=Q(status__in=["booked", "attended", "no_show"]),
                name="afspraken_appointment_one_place_per_family",
            ),
            # A contact moment is planned once: one booked (or attended) appointment each.
            models.UniqueConstraint(
                fields=["contact_moment"],
                condition=Q(status__in=["booked", "attended"]),
                name="afspraken_appointment_one_per_moment",
            ),
        ]
        indexes = [
            models.Index(fields=["family", "starts_at"], name="afspraken_appt_family_start"),
            # The admin's list (newest first) and the reminder scan's time window.
            models.Index(fields=["starts_at"], name="afspraken_appt_start"),
            models.Index(
                fields=["starts_at"],
                condition=Q(status="booked"),
                name="afspraken_appt_booked_start",
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def is_booked(self) -> bool:
        return self.status == self.Status.BOOKED

    @property
    def is_cancelled(self) -> bool:
        return self.status in self.CANCELLED_STATUSES

    @property
    def interpreter_label(self) -> str:
        from core.languages import INTERPRETER_NAMES

        code = self.interpreter_language
        return INTERPRETER_NAMES.get(code, code)

    @property
    def has_topics(self) -> bool:
        """Did the family say what they want to discuss? (Reminders ask them if not.)"""
        # Linked questions are vragen.Question.appointment (one home for that link).
        return bool(self.topic_labels or self.note.strip() or self.questions.all())

    @property
    def topic_labels(self) -> list[str]:
        # .all() so a prefetch_related("topics") serves it without a query per appointment.
        return [topic.name for topic in self.topics.all()]

    def is_upcoming(self, now=None) -> bool:
        return self.starts_at > (now or timezone.now())

    def change_deadline(self):
        return self.starts_at - timedelta(hours=settings.AFSPRAKEN_CANCEL_CUTOFF_HOURS)

    def can_change_online(self, now=None) -> bool:
        """Cancel or reschedule online: only a booked appointment before the cut-off."""
        return self.is_booked and (now or timezone.now()) < self.change_deadline()

    def can_edit_topics(self, now=None) -> bool:
        return self.is_booked and (now or timezone.now()) < self.starts_at

    def link_state(self, now=None) -> str:
        """What the e-mail link may still do: "active" (show and cancel), "cancelled" or
        "moved" (show the state only), or "expired" (after the end, or once it took place)."""
        if (now or timezone.now()) >= self.ends_at or self.status in (
            self.Status.ATTENDED,
            self.Status.NO_SHOW,
        ):
            return "expired"
        if self.status == self.Status.MOVED:
            return "moved"
        if self.is_cancelled:
            return "cancelled"
        return "active"


class AppointmentChange(models.Model):
    """Who changed an appointment, how and when: the family, the e-mail link, staff or the
    system. Written by the services in the same transaction as the change."""

    class Action(models.TextChoices):
        BOOKED = "booked", _("Booked")
        TOPICS = "topics", _("Topics changed")
        CANCELLED = "cancelled", _("Cancelled")
        MOVED = "moved", _("Moved")
        OUTCOME = "outcome", _("Outcome set")
        HANDED_OVER = "handover", _("Handed over to a colleague")

    class By(models.TextChoices):
        PARENT = "parent", _("Parent (logged in)")
        LINK = "link", _("Holder of the e-mail link (not logged in)")
        STAFF = "staff", _("JGZ staff")
        SYSTEM = "system", _("System")

    id = models.BigAutoField(primary_key=True)
    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    by = models.CharField(_("by"), max_length=6, choices=By.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    detail = models.CharField(_("detail"), max_length=30, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("appointment change")
        verbose_name_plural = _("appointment changes")
        ordering = ["at", "id"]
        constraints = [
            # The link holder is anonymous: a change through the link never names an account.
            models.CheckConstraint(
                condition=~Q(by__in=["link", "system"]) | Q(user__isnull=True),
                name="afspraken_appointmentchange_by_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.get_by_display()})"


class FollowUp(models.Model):
    """A to-do for staff, e.g. call a family that did not come. A no-show is never a block."""

    class Kind(models.TextChoices):
        CALL_FAMILY = "call_family", _("Call the family")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind"], name="afspraken_followup_one_per_kind"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(done_at__isnull=True), name="afspraken_fu_open"
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class Reminder(models.Model):
    """One reminder e-mail per appointment and kind, claimed before it is sent.

    The row and its outbox e-mail are written in one transaction while the appointment row is
    locked, so two scans running at once send it once. `for_starts_at` is the time it was
    about: if the appointment time changes in place, the reminder is due again for the new time.
    """

    class Kind(models.TextChoices):
        DISCUSS = "discuss", _("What do you want to discuss?")
        DAY_BEFORE = "day_before", _("Day before")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not needed (topics already given)")

    id = models.BigAutoField(primary_key=True)
    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    for_starts_at = models.DateTimeField(_("for appointment time"))
    email = models.ForeignKey(
        "outbox.OutgoingEmail",
        verbose_name=_("e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "kind"], name="afspraken_reminder_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.appointment_id}"
