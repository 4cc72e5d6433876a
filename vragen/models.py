import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onderwerpen.models import Topic

FIRST_LINE_CHARS = 120


class AlarmRule(models.Model):
    """Clinical content kept by a jeugdarts: words in a question, combined with whom it is about,
    that show the "Bel nu" page before sending and put the question on top as urgent.
    Matching lives in vragen.alarms; every save and delete is recorded as an AlarmRuleChange."""

    CALL_FIELDS = ["call_112", "call_gp", "call_midwife", "call_113", "call_veilig_thuis"]
    # What the jeugdarts writes: the admin form's fields and each AlarmRuleChange's snapshot.
    CONTENT_FIELDS = [
        "name",
        "is_active",
        "audience",
        "younger_than_months",
        "words",
        "and_words",
        "and_also_words",
        "ignore",
        "advice",
        *CALL_FIELDS,
        "must_match",
        "must_not_match",
    ]

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone: children of any age and parents")
        CHILD = "child", _("A child younger than the age below")
        PREGNANCY = "pregnancy", _("Pregnancy and the first six weeks after birth")

    name = models.CharField(_("name"), max_length=120, unique=True)
    # The language the words and test sentences are written in. Every rule is checked against
    # every question, whatever language the page is in: a parent may type Turkish on a Dutch page.
    language = models.CharField(
        _("language of the words"),
        max_length=8,
        default="nl",
        choices=[(code, code) for code in settings.PARENT_LANGUAGES],
    )
    audience = models.CharField(
        _("applies to"), max_length=12, choices=Audience.choices, default=Audience.EVERYONE
    )
    younger_than_months = models.PositiveSmallIntegerField(
        _("younger than (months)"),
        null=True,
        blank=True,
        help_text=_(
            "Only for a child: the age from the family data, or an age in the question "
            "(for example 'baby van 5 weken')."
        ),
    )
    words = models.TextField(
        _("words"),
        help_text=_(
            "One word or phrase per line; one of them must occur. koorts* also matches "
            "koortsig; drinkt ... niet allows up to five words in between."
        ),
    )
    and_words = models.TextField(
        _("and one of these words"), blank=True, help_text=_("Optional. One per line.")
    )
    and_also_words = models.TextField(
        _("and also one of these words"), blank=True, help_text=_("Optional. One per line.")
    )
    ignore = models.TextField(
        _("ignore"),
        blank=True,
        help_text=_("Phrases that do not count, one per line, for example: geen koorts."),
    )
    advice = models.TextField(
        _("advice on the call now page"),
        help_text=_("What the parent reads, in B1 Dutch with 'je'."),
    )
    call_112 = models.BooleanField(_("112"), default=True)
    call_gp = models.BooleanField(_("GP (huisarts) and huisartsenpost"), default=False)
    call_midwife = models.BooleanField(_("midwife (verloskundige)"), default=False)
    call_113 = models.BooleanField(_("113 suicide prevention"), default=False)
    call_veilig_thuis = models.BooleanField(_("Veilig Thuis"), default=False)
    must_match = models.TextField(
        _("test sentences that must give an alarm"),
        help_text=_(
            "One per line. Put the context in front when it matters: [5 weken], [4 jaar], "
            "[zwanger] or [ouder]."
        ),
    )
    must_not_match = models.TextField(
        _("test sentences that must not give an alarm"), help_text=_("One per line.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    changed_at = models.DateTimeField(_("last changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("alarm rule")
        verbose_name_plural = _("alarm rules")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(audience="child") | Q(younger_than_months__gt=0),
                name="vragen_alarmrule_child_has_age",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AlarmRuleChange(models.Model):
    """Who changed an alarm rule, when, and what it said before and after. Append-only."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Deleted")

    rule = models.ForeignKey(
        AlarmRule,
        verbose_name=_("alarm rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    rule_name = models.CharField(_("name"), max_length=120)
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_by_name = models.CharField(_("who (name)"), max_length=255, blank=True)
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("alarm rule change")
        verbose_name_plural = _("alarm rule changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.rule_name}: {self.action}"


class StandardAnswer(models.Model):
    """A text a professional can start an answer from (always editable before sending)."""

    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.CASCADE,
        related_name="standard_answers",
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("standard answer")
        verbose_name_plural = _("standard answers")
        ordering = ["topic__position", "title"]

    def __str__(self) -> str:
        return self.title


class Urgency(models.IntegerChoices):
    # Integers, so the queue sorts on the column itself and the partial index serves the sort.
    URGENT = 1, _("Urgent: today")
    ONE_DAY = 2, _("Within 1 working day")
    THREE_DAYS = 3, _("Within 3 working days")
    AT_APPOINTMENT = 4, _("Discuss at the appointment")
    INFORMATION = 5, _("Information is enough")


class UrgencyDeadline(models.Model):
    """Working hours within which a question of this urgency is answered (set by managers)."""

    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, unique=True)
    working_hours = models.PositiveSmallIntegerField(
        _("working hours"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no deadline (for example: discuss at the appointment)."),
    )

    class Meta:
        verbose_name = _("deadline per urgency")
        verbose_name_plural = _("deadlines per urgency")
        ordering = ["urgency"]

    def __str__(self) -> str:
        return str(self.get_urgency_display())


class OpeningHours(models.Model):
    """When professionals answer questions; deadlines count only these hours."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, unique=True)
    opens_at = models.TimeField(_("opens at"))
    closes_at = models.TimeField(_("closes at"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="vragen_openinghours_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}-{self.closes_at:%H:%M}"


class ClosedDay(models.Model):
    """A day without answers besides weekends and public holidays (team day, bridge day)."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.reason}".strip()


class Question(models.Model):
    """A parent's question to the JGZ team. Status changes only through vragen.workflow."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WAITING = "waiting", _("Waiting for the parent")
        CALL_BACK = "call_back", _("Call back planned")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online in the portal")
        CALL_BACK = "call_back", _("Call me back")
        APPOINTMENT = "appointment", _("Discuss at my appointment")

    class PartOfDay(models.TextChoices):
        MORNING = "morning", _("Morning")
        AFTERNOON = "afternoon", _("Afternoon")
        EVENING = "evening", _("Evening")

    class CloseReason(models.TextChoices):
        SOLVED_BY_PARENT = "solved", _("Solved, says the parent")
        ANSWERED = "answered", _("Answered")
        CALLED = "called", _("Answered by phone")
        AT_APPOINTMENT = "appointment", _("Discussed at the appointment")
        REFERRED = "referred", _("Referred elsewhere")
        NO_REPLY = "no_reply", _("No reply from the parent")
        DUPLICATE = "duplicate", _("Duplicate question")

    OPEN_STATUSES = (Status.OPEN, Status.WAITING, Status.CALL_BACK)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference number"), max_length=12, unique=True)
    family = models.ForeignKey(
        "families.Family",
        verbose_name=_("family"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    child = models.ForeignKey(
        "families.Child",
        verbose_name=_("child"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        help_text=_("Empty: the question is about the parent."),
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="questions_asked",
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="questions"
    )
    text = models.TextField(_("question"))
    channel = models.CharField(
        _("answer by"), max_length=12, choices=Channel.choices, default=Channel.ONLINE
    )
    call_back_phone = models.CharField(_("phone number"), max_length=30, blank=True)
    call_back_part_of_day = models.CharField(
        _("part of day"), max_length=10, choices=PartOfDay.choices, blank=True
    )
    appointment = models.ForeignKey(
        "afspraken.Appointment",
        verbose_name=_("discuss at appointment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    is_alarm = models.BooleanField(_("alarm rule matched"), default=False)
    # Which rule fired (the first by name when several did). The name is kept as it was then:
    # a rule may be renamed or deleted later, and the figures count per name.
    alarm_rule = models.ForeignKey(
        AlarmRule,
        verbose_name=_("alarm rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    alarm_rule_name = models.CharField(_("alarm rule (name then)"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency"), choices=Urgency.choices, default=Urgency.ONE_DAY
    )
    triaged_at = models.DateTimeField(_("urgency set at"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions_assigned",
    )
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    # When it (re-)entered the queue: the queue's "waiting time" counts from here.
    queued_at = models.DateTimeField(_("in the queue since"), default=timezone.now)
    deadline_at = models.DateTimeField(_("answer by"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("waiting for the parent since"), null=True, blank=True)
    call_back_date = models.DateField(_("call back on"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(
        _("reason for closing"), max_length=12, choices=CloseReason.choices, blank=True
    )
    close_count = models.PositiveSmallIntegerField(_("times closed"), default=0)
    unread_by_parent = models.BooleanField(_("unread by the parent"), default=False)
    search_vector = SearchVectorField(_("search index"), null=True, editable=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["-created_at"]
        indexes = [
            # The queue: sorted by (urgency, queued_at) straight from this index; the trailing
            # columns let the counts per status run as an index-only scan. (Key columns, not
            # INCLUDE: SQLite in `make run` has no covering indexes.)
            models.Index(
                fields=["urgency", "queued_at", "status", "deadline_at", "assignee"],
                condition=Q(status__in=["open", "waiting", "call_back"]),
                name="vragen_question_queue_idx",
            ),
            models.Index(fields=["family", "-created_at"], name="vragen_question_family_idx"),
            # The admin's list, newest first.
            models.Index(fields=["created_at"], name="vragen_question_created_idx"),
            models.Index(
                fields=["call_back_date"],
                condition=Q(status="call_back"),
                name="vragen_question_callback_idx",
            ),
            GinIndex(fields=["search_vector"], name="vragen_question_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="call_back") | ~Q(call_back_phone=""),
                name="vragen_question_call_back_has_phone",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
                name="vragen_question_closed_has_closed_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="call_back") | Q(call_back_date__isnull=False),
                name="vragen_question_call_back_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def parent_status(self) -> str:
        """The status in the parent's words."""
        return str(
            {
                self.Status.OPEN: _("We are working on it"),
                self.Status.WAITING: _("We need more information from you"),
                self.Status.CALL_BACK: _("We will call you"),
                self.Status.ANSWERED: _("Answered"),
                self.Status.CLOSED: _("Closed"),
            }[self.status]
        )

    @property
    def first_line(self) -> str:
        """The question's first non-empty line, shortened: enough to triage from a list."""
        line = next((line.strip() for line in self.text.splitlines() if line.strip()), "")
        return line if len(line) <= FIRST_LINE_CHARS else line[: FIRST_LINE_CHARS - 1] + "…"

    @property
    def is_overdue(self) -> bool:
        return (
            self.is_open
            and self.status != self.Status.WAITING
            and self.deadline_at is not None
            and self.deadline_at < timezone.now()
        )


class TriageDecision(models.Model):
    """How urgent a question is, as judged by a professional (or by the alarm rules at
    submission: `decided_by` empty). The latest one is copied to Question.urgency."""

    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="triage_decisions",
    )
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices)
    deadline_at = models.DateTimeField(_("answer by"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("triage decision")
        verbose_name_plural = _("triage decisions")
        ordering = ["decided_at", "pk"]
        indexes = [
            models.Index(fields=["question", "decided_at"], name="vragen_triage_q_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.decided_at:%Y-%m-%d %H:%M} {self.get_urgency_display()}"


class Message(models.Model):
    """A message in the thread the parent sees: the question's replies and the answers."""

    class Kind(models.TextChoices):
        PARENT = "parent", _("From the parent")
        ANSWER = "answer", _("Answer")
        INFO_REQUEST = "info_request", _("Request for more information")
        CALL_BACK = "call_back", _("Call back")

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["question", "created_at"], name="vragen_message_q_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class InternalNote(models.Model):
    """A professional's note. Its own table, so no parent page or e-mail can ever include it."""

    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="internal_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M}"


class Event(models.Model):
    """One recorded change of a question: who, when, what, from -> to. Append-only."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Question asked")
        STATUS = "status", _("Status")
        URGENCY = "urgency", _("Urgency")
        ASSIGNEE = "assignee", _("Assigned to")
        DEADLINE = "deadline", _("Answer by")
        MESSAGE = "message", _("Message")
        NOTE = "note", _("Internal note")
        CALL_BACK = "call_back", _("Call back")
        FEEDBACK = "feedback", _("Feedback")

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    from_value = models.CharField(_("from"), max_length=120, blank=True)
    to_value = models.CharField(_("to"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["question", "at"], name="vragen_event_q_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind}: {self.from_value} -> {self.to_value}"


class Feedback(models.Model):
    """ "Helped / not helped" after a closure: once per closure (round = Question.close_count)."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="feedback"
    )
    round = models.PositiveSmallIntegerField(_("closure"))
    helped = models.BooleanField(_("helped"))
    created_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "round"], name="vragen_feedback_once_per_closure"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id} #{self.round}: {'+' if self.helped else '-'}"
