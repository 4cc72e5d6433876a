"""Small hand-made data sets for the figures: every expected number is counted by hand."""

import itertools
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from afspraken.models import Appointment
from onderwerpen.models import Topic
from tests.afspraken.factories import make_appointment
from tests.factories import make_child, make_family, make_parent
from tests.vragen.factories import ensure_seeded
from vragen.models import Feedback, Message, Question

_seq = itertools.count(1)
# A Monday inside retention (two years) of the tests' "today".
MONDAY = date(2026, 11, 2)
TODAY = date(2026, 12, 1)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def make_raw_question(
    *,
    family,
    asked: datetime,
    topic_name: str = "Slapen",
    urgency: int = 2,
    deadline: datetime | None = None,
    answered: datetime | None = None,
    is_alarm: bool = False,
    alarm_rule_name: str = "",
    helped: bool | None = None,
) -> Question:
    """A question with its first answer and feedback at given times (no service rules)."""
    ensure_seeded()
    question = Question.objects.create(
        reference=f"T{next(_seq):07d}",
        family=family,
        topic=Topic.objects.get(name=topic_name),
        text="Slaapt slecht",
        urgency=urgency,
        is_alarm=is_alarm,
        alarm_rule_name=alarm_rule_name,
        created_at=asked,
        queued_at=asked,
        deadline_at=deadline,
        status=Question.Status.ANSWERED if answered else Question.Status.OPEN,
    )
    if answered:
        Message.objects.create(
            question=question, kind=Message.Kind.PARENT, body="Nog iets", created_at=asked
        )
        Message.objects.create(
            question=question, kind=Message.Kind.ANSWER, body="Antwoord", created_at=answered
        )
        Message.objects.create(
            question=question,
            kind=Message.Kind.ANSWER,
            body="Tweede",
            created_at=answered + timedelta(hours=1),
        )
    if helped is not None:
        Feedback.objects.create(question=question, round=1, helped=helped)
    return question


def family_with_child(**family):
    fam = make_family(**family)
    parent = make_parent(family=fam)
    return parent, make_child(family=fam)


def appointment(starts_at, *, status=Appointment.Status.BOOKED, **kw) -> Appointment:
    return make_appointment(starts_at=starts_at, status=status, **kw)
