"""Recompute the daily aggregate tables from the raw rows.

Every function recomputes whole days: it deletes the aggregate rows of those days and inserts
them again in one transaction, so a task that runs twice (acks_late) or a full rebuild gives
the same rows. A full rebuild recomputes only days whose raw rows are still inside retention:
older days keep the aggregates made while the raw rows existed.
"""

import logging
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.utils import timezone

from cijfers.models import (
    AppointmentDay,
    EditionFigure,
    NewsletterDay,
    Part,
    QuestionDay,
    ReachDay,
    SlotDay,
    SubscriberCount,
    TimeOfDay,
)

logger = logging.getLogger(__name__)
CHUNK_DAYS = 31


# --- Shared helpers ---------------------------------------------------------------------------


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz),
    )


def _row_for(groups: dict, model, **dims):
    """The aggregate row of `model` for these dimensions, made on first use: one per key."""
    key = tuple(dims.values())
    row = groups.get(key)
    if row is None:
        row = groups[key] = model(**dims)
    return row


def _wijk_of(family_path: str):
    from teams.models import PostcodeArea

    return Subquery(
        PostcodeArea.objects.filter(digits=Substr(OuterRef(f"{family_path}postcode"), 1, 4)).values(
            "wijk_id"
        )[:1]
    )


def part_of_week(moment: datetime) -> tuple[str, str]:
    """(part, time of day) of a start time, in local time."""
    local = timezone.localtime(moment)
    evening = local.time() >= settings.CIJFERS_EVENING_FROM
    if local.weekday() >= 5:
        part = Part.SATURDAY
    elif evening:
        part = Part.EVENING
    else:
        part = Part.OFFICE
    if evening:
        tod = TimeOfDay.EVENING
    elif local.hour < 12:
        tod = TimeOfDay.MORNING
    else:
        tod = TimeOfDay.AFTERNOON
    return part, tod


def load_full_calendar():
    """The working calendar with every closed day (past ones too: answer times of last year
    count last year's closed days)."""
    from vragen.deadlines import WorkingCalendar
    from vragen.models import ClosedDay, OpeningHours

    return WorkingCalendar(
        hours={oh.weekday: (oh.opens_at, oh.closes_at) for oh in OpeningHours.objects.all()},
        closed=frozenset(ClosedDay.objects.values_list("date", flat=True)),
    )


def _replace(model, start: date, end: date, rows: list) -> None:
    model.objects.filter(day__gte=start, day__lte=end).delete()
    model.objects.bulk_create(rows, batch_size=2000)


# --- Questions --------------------------------------------------------------------------------


def compute_questions(start: date, end: date, *, now: datetime | None = None) -> None:
    from vragen.models import Feedback, Message, Question

    now = now or timezone.now()
    lo, hi = _bounds(start, end)
    calendar = load_full_calendar()
    first_answer = (
        Message.objects.filter(
            question=OuterRef("pk"), kind__in=[Message.Kind.ANSWER, Message.Kind.CALL_BACK]
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    rows = (
        Question.objects.filter(created_at__gte=lo, created_at__lt=hi)
        .annotate(
            first_answer_at=Subquery(first_answer),
            team_id=F("family__team_link__team_id"),
            wijk_id=_wijk_of("family__"),
        )
        .values_list(
            "pk",
            "created_at",
            "first_answer_at",
            "deadline_at",
            "team_id",
            "wijk_id",
            "topic_id",
            "urgency",
            "is_alarm",
            "alarm_rule_name",
        )
    )
    feedback = defaultdict(list)
    for question_id, helped in Feedback.objects.filter(
        question__created_at__gte=lo, question__created_at__lt=hi
    ).values_list("question_id", "helped"):
        feedback[question_id].append(helped)

    groups: dict[tuple, QuestionDay] = {}
    for pk, created, answered, deadline, team, wijk, topic, urgency, alarm, rule in rows.iterator(
        chunk_size=5000
    ):
        agg = _row_for(
            groups,
            QuestionDay,
            day=timezone.localdate(created),
            team_id=team,
            wijk_id=wijk,
            topic_id=topic,
            urgency=urgency,
            is_alarm=alarm,
            alarm_rule_name=rule,
        )
        agg.asked += 1
        if answered is not None:
            agg.answered += 1
            agg.answer_minutes.append(round(calendar.working_hours_between(created, answered) * 60))
        if deadline is not None and (answered is not None or deadline < now):
            agg.due += 1
            if answered is not None and answered <= deadline:
                agg.in_time += 1
        for helped in feedback.get(pk, ()):
            agg.feedback += 1
            agg.not_helped += not helped
    _replace(QuestionDay, start, end, list(groups.values()))


# --- Appointments and places ------------------------------------------------------------------


def compute_appointments(start: date, end: date) -> None:
    from afspraken.models import Appointment, Slot

    lo, hi = _bounds(start, end)
    status = Appointment.Status
    rows = (
        Appointment.objects.filter(starts_at__gte=lo, starts_at__lt=hi)
        .exclude(status=status.MOVED)
        .annotate(
            team_id=F("family__team_link__team_id"),
            wijk_id=_wijk_of("family__"),
            location_id=F("slot__location_id"),
        )
        .values_list(
            "starts_at",
            "status",
            "changed_at",
            "team_id",
            "wijk_id",
            "location_id",
            "appointment_type_id",
        )
    )
    groups: dict[tuple, AppointmentDay] = {}
    for starts, state, changed, team, wijk, location, kind in rows.iterator(chunk_size=5000):
        part, tod = part_of_week(starts)
        agg = _row_for(
            groups,
            AppointmentDay,
            day=timezone.localdate(starts),
            team_id=team,
            wijk_id=wijk,
            location_id=location,
            appointment_type_id=kind,
            part=part,
            time_of_day=tod,
        )
        if state in Appointment.HOLDS_PLACE:
            agg.booked += 1
        if state == status.ATTENDED:
            agg.attended += 1
        elif state == status.NO_SHOW:
            agg.no_show += 1
        elif state == status.CANCELLED_BY_JGZ:
            agg.cancelled_by_jgz += 1
        elif state == status.CANCELLED:
            agg.cancelled += 1
            notice = starts - (changed or starts)
            if notice < timedelta(days=1):
                agg.cancelled_within_day += 1
            elif notice <= timedelta(days=7):
                agg.cancelled_within_week += 1
            else:
                agg.cancelled_earlier += 1

    slots = (
        Slot.objects.filter(starts_at__gte=lo, starts_at__lt=hi)
        .filter(Q(is_active=True) | Q(booked_count__gt=0))
        .annotate(team_id=F("location__team_locations__team_id"))
        .values_list("starts_at", "team_id", "location_id", "capacity", "booked_count")
    )
    places: dict[tuple, SlotDay] = {}
    for starts, team, location, capacity, booked in slots.iterator(chunk_size=5000):
        part, _tod = part_of_week(starts)
        day = timezone.localdate(starts)
        agg = _row_for(places, SlotDay, day=day, team_id=team, location_id=location, part=part)
        agg.places += capacity
        agg.used += booked
    _replace(AppointmentDay, start, end, list(groups.values()))
    _replace(SlotDay, start, end, list(places.values()))


# --- Reach (contact moments) ------------------------------------------------------------------


def compute_reach(start: date, end: date, *, today: date | None = None) -> None:
    from afspraken.models import Appointment
    from contactmomenten.models import ChildMoment, MomentMessage

    today = today or timezone.localdate()
    state = ChildMoment.State
    holding = Appointment.objects.filter(
        contact_moment=OuterRef("pk"), status__in=Appointment.HOLDS_PLACE
    )
    rows = (
        ChildMoment.objects.filter(window_opens__gte=start, window_opens__lte=end)
        .annotate(
            team_id=F("child__family__team_link__team_id"),
            wijk_id=_wijk_of("child__family__"),
            was_invited=Exists(
                MomentMessage.objects.filter(
                    child_moment=OuterRef("pk"), kind=MomentMessage.Kind.INVITATION
                )
            ),
            online=Exists(holding.filter(booked_by_id=F("parent_id"))),
            by_staff=Exists(holding.exclude(booked_by_id=F("parent_id"))),
        )
        .values_list(
            "window_opens",
            "window_closes",
            "team_id",
            "wijk_id",
            "moment_id",
            "state",
            "outreach",
            "was_invited",
            "online",
            "by_staff",
        )
    )
    groups: dict[tuple, ReachDay] = {}
    for opens, closes, team, wijk, moment, st, outreach, invited, online, by_staff in rows:
        agg = _row_for(groups, ReachDay, day=opens, team_id=team, wijk_id=wijk, moment_id=moment)
        agg.children += 1
        agg.invited += invited
        agg.planned += st in (state.PLANNED, state.ATTENDED, state.MISSED)
        agg.attended += st == state.ATTENDED
        agg.through_outreach += st == state.ATTENDED and bool(outreach)
        agg.not_reached += st not in (state.ATTENDED, state.NOT_NEEDED) and closes < today
        agg.planned_online += online
        agg.planned_by_staff += by_staff and not online
    _replace(ReachDay, start, end, list(groups.values()))


# --- Newsletters ------------------------------------------------------------------------------


def compute_newsletters(start: date, end: date) -> None:
    from nieuwsbrieven.models import MilestoneDelivery, Subscription

    lo, hi = _bounds(start, end)
    per_day: dict[date, NewsletterDay] = {}

    def bump(moments, field):
        for moment in moments:
            day = timezone.localdate(moment)
            row = per_day.setdefault(day, NewsletterDay(day=day))
            setattr(row, field, getattr(row, field) + 1)

    subs = Subscription.objects
    bump(
        subs.filter(consented_at__gte=lo, consented_at__lt=hi).values_list(
            "consented_at", flat=True
        ),
        "confirmations",
    )
    bump(
        subs.filter(unsubscribed_at__gte=lo, unsubscribed_at__lt=hi).values_list(
            "unsubscribed_at", flat=True
        ),
        "unsubscribes",
    )
    bump(
        MilestoneDelivery.objects.filter(created_at__gte=lo, created_at__lt=hi).values_list(
            "created_at", flat=True
        ),
        "milestones_sent",
    )
    _replace(NewsletterDay, start, end, list(per_day.values()))


def phase_of(children: list[tuple[date | None, date | None]], today: date) -> str:
    """The phase of a subscriber's youngest child in care (an expected child first)."""
    from families.ages import months_between

    phase = SubscriberCount.Phase
    if any(born is None for born, _due in children):
        return phase.PREGNANCY
    ages = [months_between(born, today) for born, _due in children]
    if not ages:
        return phase.NONE
    youngest = min(ages)
    for limit, name in ((12, phase.BABY), (48, phase.TODDLER), (144, phase.CHILD)):
        if youngest < limit:
            return name
    return phase.YOUTH if youngest < 216 else phase.NONE


@transaction.atomic
def count_subscribers(today: date) -> None:
    """Today's active subscribers per phase (only today can be counted from the raw rows)."""
    from families.models import Child
    from nieuwsbrieven.models import Subscription

    families = Subscription.objects.filter(status=Subscription.Status.ACTIVE).values_list(
        "parent__family_id", flat=True
    )
    children = defaultdict(list)
    for family_id, born, due in Child.objects.filter(
        family_id__in=families, care_status=Child.CareStatus.ACTIVE
    ).values_list("family_id", "date_of_birth", "due_date"):
        children[family_id].append((born, due))
    counts = Counter(phase_of(children.get(f, []), today) for f in families)
    SubscriberCount.objects.filter(day=today).delete()
    SubscriberCount.objects.bulk_create(
        [SubscriberCount(day=today, phase=p, active=n) for p, n in counts.items()]
    )


def compute_editions(since: date) -> None:
    from nieuwsbrieven.models import Delivery, DeliveryStatus, Edition

    lo, _hi = _bounds(since, since)
    for edition in Edition.objects.filter(status=Edition.Status.SENT, finished_at__gte=lo):
        sent = Delivery.objects.filter(edition=edition, status=DeliveryStatus.SENT)
        gone = sent.filter(
            subscription__unsubscribed_at__gte=F("sent_at"),
            subscription__unsubscribed_at__lte=F("sent_at") + timedelta(days=7),
        )
        EditionFigure.objects.update_or_create(
            edition=edition,
            defaults={
                "title": edition.title,
                "day": timezone.localdate(edition.finished_at),
                "sent": sent.count(),
                "unsubscribed": gone.count(),
            },
        )


# --- Orchestration ----------------------------------------------------------------------------

DOMAINS = {
    "questions": compute_questions,
    "appointments": compute_appointments,
    "reach": compute_reach,
    "newsletters": compute_newsletters,
}


def recompute(domain: str, start: date, end: date) -> int:
    """Recompute `domain` for the days start..end in chunks (one transaction each)."""
    compute = DOMAINS[domain]
    days = 0
    cursor = start
    while cursor <= end:
        last = min(cursor + timedelta(days=CHUNK_DAYS - 1), end)
        with transaction.atomic():
            compute(cursor, last)
        days += (last - cursor).days + 1
        cursor = last + timedelta(days=1)
    return days


def retention_start(domain: str, today: date) -> date:
    """The first day whose raw rows are all still kept: a rebuild starts here."""
    keep = {
        "questions": settings.RETENTION_CLOSED_QUESTIONS_DAYS,
        "appointments": settings.RETENTION_PAST_APPOINTMENTS_DAYS,
    }.get(
        domain,
        max(settings.RETENTION_CLOSED_QUESTIONS_DAYS, settings.RETENTION_PAST_APPOINTMENTS_DAYS),
    )
    return today - timedelta(days=keep - 1)


def earliest_raw_day(domain: str) -> date | None:
    from afspraken.models import Slot
    from contactmomenten.models import ChildMoment
    from nieuwsbrieven.models import Subscription
    from vragen.models import Question

    if domain == "questions":
        first = Question.objects.aggregate(m=Min("created_at"))["m"]
    elif domain == "appointments":
        first = Slot.objects.aggregate(m=Min("starts_at"))["m"]
    elif domain == "reach":
        day = ChildMoment.objects.aggregate(m=Min("window_opens"))["m"]
        return day
    else:
        first = Subscription.objects.aggregate(m=Min("requested_at"))["m"]
    return timezone.localdate(first) if first else None
