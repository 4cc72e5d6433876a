"""Figures (cijfers): daily aggregate tables, the satisfaction survey and the public answers.

The aggregates are the lasting record: raw questions and appointments are deleted after their
retention period, the rows here are not. `cijfers.aggregates` recomputes a day at a time
(delete + insert in one transaction), so running it twice gives the same rows. Team and wijk
are copied per row (no link to a family): the figures can be filtered, never traced back.
"""

import secrets

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_survey_token() -> str:
    return secrets.token_urlsafe(24)


class Part(models.TextChoices):
    """When a place is offered: the seeds ask for evening and Saturday opening."""

    OFFICE = "office", _("office hours")
    EVENING = "evening", _("evening")
    SATURDAY = "saturday", _("Saturday")


class TimeOfDay(models.TextChoices):
    MORNING = "morning", _("morning")
    AFTERNOON = "afternoon", _("afternoon")
    EVENING = "evening", _("evening")


def _dimension(to: str, verbose_name, *, blank: bool = False):
    """A figure's dimension (team, wijk, location, type, moment): kept when the row it names
    is deleted (NULL), no index of its own (tables are read by day first)."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )


def _team():
    return _dimension("teams.Team", _("team"), blank=True)


def _wijk():
    return _dimension("teams.Wijk", _("wijk"), blank=True)


class DayAggregate(models.Model):
    """One aggregate row: a day and the team it counts for, indexed by day. The concrete
    tables add their dimensions and counts."""

    id = models.BigAutoField(primary_key=True)
    day = models.DateField(_("day"))
    team = _team()

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["day"], name="%(app_label)s_%(class)s_day")]


class QuestionDay(DayAggregate):
    """Questions asked on `day`, per team, wijk, topic, urgency and alarm."""

    wijk = _wijk()
    topic = _dimension("onderwerpen.Topic", _("topic"))
    urgency = models.PositiveSmallIntegerField(_("urgency"))
    is_alarm = models.BooleanField(_("alarm"), default=False)
    # The alarm rule that fired, by its name then ("" for other questions).
    alarm_rule_name = models.CharField(_("alarm rule"), max_length=120, blank=True, default="")
    asked = models.PositiveIntegerField(_("asked"), default=0)
    answered = models.PositiveIntegerField(_("answered"), default=0)
    # Questions with a promised time that has passed or that were answered: the base of "in time".
    due = models.PositiveIntegerField(_("with a promised time"), default=0)
    in_time = models.PositiveIntegerField(_("answered in time"), default=0)
    # Working minutes from asking to the first answer, one entry per answered question: exact
    # medians and 90th percentiles over any filter (a few hundred numbers per day).
    answer_minutes = ArrayField(models.PositiveIntegerField(), default=list)
    feedback = models.PositiveIntegerField(_("feedback given"), default=0)
    not_helped = models.PositiveIntegerField(_("not helped"), default=0)

    class Meta(DayAggregate.Meta):
        verbose_name = _("questions per day")
        verbose_name_plural = _("questions per day")

    def __str__(self) -> str:
        return f"{self.day} {self.topic_id} {self.urgency}"


class AppointmentDay(DayAggregate):
    """Appointments on `day` (their start), per team, wijk, location, type and time."""

    wijk = _wijk()
    location = _dimension("afspraken.Location", _("location"))
    appointment_type = _dimension("afspraken.AppointmentType", _("appointment type"))
    part = models.CharField(_("part of the week"), max_length=8, choices=Part.choices)
    time_of_day = models.CharField(_("time of day"), max_length=9, choices=TimeOfDay.choices)
    booked = models.PositiveIntegerField(_("booked"), default=0)
    attended = models.PositiveIntegerField(_("attended"), default=0)
    no_show = models.PositiveIntegerField(_("did not come"), default=0)
    cancelled = models.PositiveIntegerField(_("cancelled by the parent"), default=0)
    cancelled_by_jgz = models.PositiveIntegerField(_("cancelled by JGZ"), default=0)
    cancelled_within_day = models.PositiveIntegerField(_("cancelled < 24 hours"), default=0)
    cancelled_within_week = models.PositiveIntegerField(_("cancelled 1-7 days"), default=0)
    cancelled_earlier = models.PositiveIntegerField(_("cancelled > 7 days"), default=0)

    class Meta(DayAggregate.Meta):
        verbose_name = _("appointments per day")
        verbose_name_plural = _("appointments per day")

    def __str__(self) -> str:
        return f"{self.day} {self.part}"


class SlotDay(DayAggregate):
    """Places offered on `day` and how many were taken, per team, location and part of week."""

    location = _dimension("afspraken.Location", _("location"))
    part = models.CharField(_("part of the week"), max_length=8, choices=Part.choices)
    places = models.PositiveIntegerField(_("places"), default=0)
    used = models.PositiveIntegerField(_("booked"), default=0)

    class Meta(DayAggregate.Meta):
        verbose_name = _("places per day")
        verbose_name_plural = _("places per day")

    def __str__(self) -> str:
        return f"{self.day} {self.part}"


class ReachDay(DayAggregate):
    """Children's contact moments whose window opened on `day`, per moment, team and wijk."""

    wijk = _wijk()
    moment = _dimension("contactmomenten.ContactMoment", _("contact moment"))
    children = models.PositiveIntegerField(_("children"), default=0)
    invited = models.PositiveIntegerField(_("invited"), default=0)
    planned = models.PositiveIntegerField(_("planned"), default=0)
    attended = models.PositiveIntegerField(_("attended"), default=0)
    through_outreach = models.PositiveIntegerField(_("reached through outreach"), default=0)
    not_reached = models.PositiveIntegerField(_("not reached"), default=0)
    planned_online = models.PositiveIntegerField(_("planned online by the parent"), default=0)
    planned_by_staff = models.PositiveIntegerField(_("planned by staff"), default=0)

    class Meta(DayAggregate.Meta):
        verbose_name = _("reach per day")
        verbose_name_plural = _("reach per day")

    def __str__(self) -> str:
        return f"{self.day} {self.moment_id}"


class NewsletterDay(models.Model):
    """Newsletter confirmations, unsubscribes and milestone messages on `day`."""

    id = models.BigAutoField(primary_key=True)
    day = models.DateField(_("day"), unique=True)
    confirmations = models.PositiveIntegerField(_("confirmations"), default=0)
    unsubscribes = models.PositiveIntegerField(_("unsubscribes"), default=0)
    milestones_sent = models.PositiveIntegerField(_("milestone messages sent"), default=0)

    class Meta:
        verbose_name = _("newsletters per day")
        verbose_name_plural = _("newsletters per day")

    def __str__(self) -> str:
        return str(self.day)


class SubscriberCount(models.Model):
    """Active subscribers per phase as counted on `day` (today's count is all the raw data
    knows, so older counts are kept as they were)."""

    class Phase(models.TextChoices):
        PREGNANCY = "pregnancy", _("pregnancy")
        BABY = "baby", _("0-1 year")
        TODDLER = "toddler", _("1-4 years")
        CHILD = "child", _("4-12 years")
        YOUTH = "youth", _("12-18 years")
        NONE = "none", _("no child in care")

    id = models.BigAutoField(primary_key=True)
    day = models.DateField(_("day"))
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)
    active = models.PositiveIntegerField(_("subscribers"), default=0)

    class Meta:
        verbose_name = _("subscribers per phase")
        verbose_name_plural = _("subscribers per phase")
        constraints = [
            models.UniqueConstraint(fields=["day", "phase"], name="cijfers_subscribercount_once"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.phase}"


class EditionFigure(models.Model):
    """One sent newsletter edition: how many got it and how many unsubscribed within a week."""

    id = models.BigAutoField(primary_key=True)
    edition = models.OneToOneField(
        "nieuwsbrieven.Edition",
        verbose_name=_("edition"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=150)
    day = models.DateField(_("sent on"))
    sent = models.PositiveIntegerField(_("sent"), default=0)
    unsubscribed = models.PositiveIntegerField(_("unsubscribed within 7 days"), default=0)

    class Meta:
        verbose_name = _("newsletter edition figure")
        verbose_name_plural = _("newsletter edition figures")
        ordering = ["-day"]

    def __str__(self) -> str:
        return self.title


class SurveyInvitation(models.Model):
    """The survey link sent after a visit: one per appointment, used at most once.

    It holds the visit and when the link was used, nothing of the answer: the answer row has
    no link back, so an answer cannot be traced to a family.
    """

    id = models.BigAutoField(primary_key=True)
    appointment = models.OneToOneField(
        "afspraken.Appointment",
        verbose_name=_("appointment"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="survey_invitation",
    )
    token = models.CharField(_("link token"), max_length=64, unique=True, default=new_survey_token)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    used_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self) -> str:
        return f"{self.sent_at:%Y-%m-%d}"


class SurveyAnswer(models.Model):
    """An answer to the short survey. Deliberately without a link to the invitation, the
    visit or the family; only the week, so the time of answering does not point to a visit."""

    class Discussed(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")
        NO_QUESTION = "none", _("I had no question")

    id = models.BigAutoField(primary_key=True)
    week = models.DateField(_("week (Monday)"))
    team = _team()
    location = _dimension("afspraken.Location", _("location"))
    enough_time = models.BooleanField(_("enough time"))
    discussed = models.CharField(_("question discussed"), max_length=6, choices=Discussed.choices)
    score = models.PositiveSmallIntegerField(_("score (1-5)"))
    remark = models.TextField(_("remark"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-week", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="cijfers_surveyanswer_score_1_5"
            ),
        ]
        indexes = [models.Index(fields=["week"], name="cijfers_surveyanswer_week")]

    def __str__(self) -> str:
        return f"{self.week} {self.score}"


class PublicResponse(models.Model):
    """ "Jullie zeiden, wij deden": what parents told us and what we did, published by a
    manager on the public page."""

    id = models.BigAutoField(primary_key=True)
    theme = models.CharField(_("theme"), max_length=120)
    you_said = models.TextField(_("you said"), max_length=600)
    we_did = models.TextField(_("we did"), max_length=1000)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("'you said, we did' response")
        verbose_name_plural = _("'you said, we did' responses")
        ordering = ["-published_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_on__isnull=False),
                name="cijfers_publicresponse_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.theme
