"""Reads of questions, always scoped to the actor. Parents see only their family's questions
(404 otherwise, indistinguishable from a question that does not exist); staff reads of one
question write the access log (NEN 7513)."""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Capability
from accounts.selectors import list_users_with_capability
from core.formats import moment
from families.selectors import get_family_for_staff
from onderwerpen import age_bands
from onderwerpen.models import Topic
from privacy.models import AccessLog
from privacy.services import record_access, record_list_access
from privacy.youth import hide_youth_private_questions
from teams.selectors import (
    check_family_in_scope,
    family_has_evening_call_back,
    has_evening_hours,
    in_teams_joined_q,
    stored_team_id,
    team_ids_of,
)
from vragen import appointments
from vragen.models import (
    AlarmRule,
    Event,
    Message,
    Question,
    StandardAnswer,
    Urgency,
)

logger = logging.getLogger(__name__)
PAGE_SIZE = 25  # a triage screen: the most urgent first, not a report


# --- Parent ------------------------------------------------------------------------------------


def list_questions_for_parent(*, parent: User) -> QuerySet[Question]:
    """The questions of the parent's family, newest first. (Youth rights filter here.)"""
    if not parent.is_parent or parent.family_id is None:
        return Question.objects.none()
    # Youth rights (WGBO): from 16, questions the youth asked themselves are theirs alone.
    return hide_youth_private_questions(
        Question.objects.filter(family_id=parent.family_id)
        .select_related("topic", "child", "assignee")
        .order_by("-created_at")
    )


def get_question_for_parent(*, parent: User, question_id) -> Question:
    question = list_questions_for_parent(parent=parent).filter(pk=question_id).first()
    if question is None:
        raise Http404
    return question


def list_messages_for_parent(*, question: Question) -> QuerySet[Message]:
    """The thread a parent sees. Internal notes live in another table and never come here."""
    return question.messages.select_related("author").order_by("created_at", "pk")


def list_topics() -> QuerySet[Topic]:
    return Topic.objects.filter(is_active=True)


def list_call_back_parts_of_day(*, family_id=None) -> list[tuple[str, str]]:
    """Morning and afternoon; evening only when the family's own team has evening hours
    (without `family_id`, for staff: when any team has)."""
    if family_id is not None:
        evening = family_has_evening_call_back(family_id=family_id)
    else:
        evening = has_evening_hours()
    return [
        (value, label)
        for value, label in Question.PartOfDay.choices
        if value != Question.PartOfDay.EVENING or evening
    ]


def list_active_alarm_rules() -> QuerySet[AlarmRule]:
    return AlarmRule.objects.filter(is_active=True).order_by("name")


# --- Staff: queue ------------------------------------------------------------------------------


class AgeBand:
    """The shared child age bands (onderwerpen.age_bands) plus questions about the parent."""

    CHOICES = [*age_bands.CHOICES, ("parent", _("About the parent"))]

    @classmethod
    def condition(cls, band: str, today: date) -> Q:
        if band == "parent":
            return Q(child__isnull=True)
        return Q(child__isnull=False) & age_bands.child_age_q(band, today, path="child")


@dataclass
class QueueFilters:
    status: str = ""  # "" = every open status
    urgency: int | None = None
    topic_id: int | None = None
    age_band: str = ""
    assigned: str = ""  # "", "mine", "unassigned", "others"
    overdue: bool = False
    q: str = ""
    team: str = ""  # "" = my teams, "all", or one team's id


def list_queue(*, actor: User, filters: QueueFilters) -> QuerySet[Question]:
    """Open questions, most urgent first, then longest waiting. No names; the first line of
    each question is shown, so `page_of` logs the rows of the page it reads."""
    if not actor.has_capability(Capability.CLINICAL):
        raise Http404
    now = timezone.now()
    qs = _in_team_scope(
        Question.objects.select_related("topic", "child", "assignee"), actor, filters.team
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    else:
        # Spelled as the partial index's condition, so PostgreSQL can use the index.
        qs = qs.filter(status__in=[s.value for s in Question.OPEN_STATUSES])
    if filters.urgency:
        qs = qs.filter(urgency=filters.urgency)
    if filters.topic_id:
        qs = qs.filter(topic_id=filters.topic_id)
    if filters.age_band:
        qs = qs.filter(AgeBand.condition(filters.age_band, timezone.localdate()))
    if filters.assigned == "mine":
        qs = qs.filter(assignee=actor)
    elif filters.assigned == "unassigned":
        qs = qs.filter(assignee__isnull=True)
    elif filters.assigned == "others":
        qs = qs.filter(assignee__isnull=False).exclude(assignee=actor)
    if filters.overdue:
        qs = qs.filter(deadline_at__lt=now).exclude(status=Question.Status.WAITING)
    if filters.q:
        qs = _search(qs, filters.q)
    else:
        qs = qs.order_by("urgency", "queued_at")
    return qs


def _in_team_scope(qs: QuerySet[Question], actor: User, team: str = "") -> QuerySet[Question]:
    """Questions of families in the actor's teams (or one chosen team), of families without a
    team yet (`family_team` is None: flagged on the page), and the actor's own.

    `in_scope` marks the rows the actor may read without giving a reason: only those show
    their first line (and are logged as read); another team's rows show topic and status."""
    own = in_teams_joined_q(team_ids_of(actor), family="family") | Q(assignee=actor)
    qs = qs.annotate(
        family_team=stored_team_id("family"),
        in_scope=ExpressionWrapper(own, output_field=BooleanField()),
    )
    if team == "all":
        return qs
    if team:
        return qs.filter(in_teams_joined_q([team], family="family"))
    return qs.filter(own)


@dataclass
class QueuePage:
    """One page of the queue without COUNT(*): counting 30,000 open rows on every load costs
    more than the page itself, and "next" only needs to know that one more row exists."""

    rows: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1


def page_of(
    qs: QuerySet[Question],
    page: str | None,
    *,
    actor: User,
    reason: str = "queue",
    action: str = AccessLog.Action.VIEW,
) -> QueuePage:
    """One page of the queue; it shows each question's first line, so the page is logged."""
    number = int(page) if page and page.isdigit() and 0 < int(page) < 10_000 else 1
    start = (number - 1) * PAGE_SIZE
    rows = list(qs[start : start + PAGE_SIZE + 1])
    shown = [row for row in rows[:PAGE_SIZE] if getattr(row, "in_scope", True)]
    record_list_access(actor=actor, records=shown, reason=reason, action=action)
    return QueuePage(rows=rows[:PAGE_SIZE], number=number, has_next=len(rows) > PAGE_SIZE)


def get_queue_page(*, actor: User, filters: QueueFilters, page: str | None) -> QueuePage:
    """One page of the queue, logged as one row. A search over question texts is logged as a
    search with its words: that a question matched a word says something about it."""
    questions = list_queue(actor=actor, filters=filters)
    if filters.q:
        return page_of(
            questions,
            page,
            actor=actor,
            reason=f"queue search: {filters.q}",
            action=AccessLog.Action.SEARCH,
        )
    return page_of(questions, page, actor=actor)


def _search(qs: QuerySet[Question], text: str) -> QuerySet[Question]:
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config="dutch", search_type="websearch")
        return (
            qs.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "urgency", "queued_at")
        )
    # SQLite (make run): a plain substring match over question and thread is enough there.
    return (
        qs.filter(Q(text__icontains=text) | Q(messages__body__icontains=text))
        .distinct()
        .order_by("urgency", "queued_at")
    )


COUNTS_VERSION_KEY = "vragen:counts:version"
COUNTS_TTL_SECONDS = 30


def count_by_status(*, actor: User) -> dict:
    """Counts per open status plus overdue, cached for at most 30 s.

    Counting 30,000 open questions costs more than the rest of the queue page, so the result
    is cached; every recorded change bumps the version (`services.counts_changed`), so the
    counts are stale only for what time alone changes (a deadline passing)."""
    if not actor.has_capability(Capability.CLINICAL):
        raise Http404
    try:
        version = cache.get_or_set(COUNTS_VERSION_KEY, 1, timeout=None)
        key = f"vragen:counts:{version}:{actor.pk}"
        counts = cache.get(key)
    except Exception:  # noqa: BLE001 - no cache: count every time
        logger.warning("Cache unavailable; counting the queue without it")
        return _count_by_status(actor)
    if counts is None:
        counts = _count_by_status(actor)
        cache.set(key, counts, COUNTS_TTL_SECONDS)
    return counts


def _count_by_status(actor: User) -> dict:
    now = timezone.now()
    S = Question.Status
    open_q = Q(status__in=[s.value for s in Question.OPEN_STATUSES])
    # COUNT(urgency), not COUNT(id): the queue index holds it; the team scope adds a family
    # lookup per open question (measured in the README, "Teams").
    return _in_team_scope(Question.objects.filter(open_q), actor).aggregate(
        open=Count("urgency", filter=Q(status=S.OPEN)),
        waiting=Count("urgency", filter=Q(status=S.WAITING)),
        call_back=Count("urgency", filter=Q(status=S.CALL_BACK)),
        overdue=Count("urgency", filter=Q(deadline_at__lt=now) & ~Q(status=S.WAITING)),
        urgent=Count("urgency", filter=Q(urgency=Urgency.URGENT)),
        mine=Count("urgency", filter=Q(assignee=actor)),
    )


def list_call_backs(*, actor: User, on: date) -> QuerySet[Question]:
    """The call list of one day. Shows phone numbers, so each row is logged as a read."""
    if not actor.has_capability(Capability.CLINICAL):
        raise Http404
    rows = list(
        _in_team_scope(
            Question.objects.filter(status=Question.Status.CALL_BACK, call_back_date=on), actor
        )
        .select_related("topic", "child", "assignee", "asked_by")
        .order_by("call_back_part_of_day", "urgency", "queued_at")
    )
    _log_reads(actor, rows, "call list")
    return rows


def staff_home_summary(*, actor: User) -> dict:
    """Staff home: urgent and alarm questions of my teams first, then my open questions
    (urgent and alarm first), the overdue count and today's call backs (one query each)."""
    if not actor.has_capability(Capability.CLINICAL):
        raise Http404
    open_statuses = [s.value for s in Question.OPEN_STATUSES]
    urgent = list(
        _in_team_scope(Question.objects.filter(status__in=open_statuses), actor)
        .filter(Q(urgency=Urgency.URGENT) | Q(is_alarm=True))
        .select_related("topic", "child", "assignee")
        .order_by("-is_alarm", "queued_at")[:20]
    )
    mine = list(
        Question.objects.filter(status__in=open_statuses, assignee=actor)
        .select_related("topic", "child")
        .order_by("urgency", "-is_alarm", "queued_at")[:20]
    )
    overdue = count_by_status(actor=actor)["overdue"]
    call_backs_today = list(
        _in_team_scope(
            Question.objects.filter(
                status=Question.Status.CALL_BACK, call_back_date=timezone.localdate()
            ),
            actor,
        )
        .select_related("topic", "assignee")
        .order_by("call_back_part_of_day", "urgency")[:50]
    )
    # Both lists show each question's first line: a read of family data.
    record_list_access(actor=actor, records=urgent + mine, reason="staff home")
    return {
        "urgent": urgent,
        "my_questions": mine,
        "overdue_count": overdue,
        "call_backs_today": call_backs_today,
    }


# --- Staff: one question -----------------------------------------------------------------------


def _log_reads(
    actor: User, questions: list[Question], reason: str, action: str = AccessLog.Action.VIEW
) -> None:
    """One access-log row for every question a page shows (or a search found)."""
    record_access(
        actor=actor,
        action=action,
        record_type=Question,
        record_ids=[question.pk for question in questions],
        child_ids=[question.child_id for question in questions],
        family_ids=[question.family_id for question in questions],
        reason=reason,
    )


def get_question_for_staff(*, actor: User, question_id) -> Question:
    if not actor.has_capability(Capability.CLINICAL):
        raise Http404
    question = (
        Question.objects.select_related(
            "topic", "child", "assignee", "asked_by", "family", "appointment"
        )
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        raise Http404
    if question.assignee_id != actor.pk:
        # Another team's family: OutsideTeam, answered with the page that asks for a reason.
        check_family_in_scope(actor=actor, family_id=question.family_id)
    _log_reads(actor, [question], "question")
    return question


def get_question_context_for_staff(*, actor: User, question: Question) -> dict:
    """Everything the staff question page shows, in a fixed number of queries."""
    today = timezone.localdate()
    family = get_family_for_staff(actor=actor, family_id=question.family_id, reason="question")
    children = list(family.children.all())
    for child in children:
        child.age_text = child.age_display
    earlier = list(
        Question.objects.filter(family_id=question.family_id)
        .exclude(pk=question.pk)
        .select_related("topic", "child")
        .order_by("-created_at")[:10]
    )
    events = list(question.events.select_related("actor").order_by("at", "pk"))
    for event in events:
        event.from_label, event.to_label = event_labels(event)
    return {
        "children": children,
        "parents": list(family.parents.all()),
        "earlier_questions": earlier,
        "thread": list(question.messages.select_related("author").order_by("created_at", "pk")),
        "notes": list(question.internal_notes.select_related("author").order_by("created_at")),
        "events": events,
        "standard_answers": list(
            StandardAnswer.objects.filter(topic_id=question.topic_id, is_active=True)
        ),
        "appointments": appointments.list_upcoming_for_family(family_id=question.family_id),
        "triage": question.triage_decisions.select_related("decided_by").last(),
        "today": today,
    }


def get_standard_answer(*, answer_id, topic_id) -> StandardAnswer | None:
    return StandardAnswer.objects.filter(pk=answer_id, topic_id=topic_id, is_active=True).first()


def list_assignable_staff() -> QuerySet[User]:
    return list_users_with_capability(Capability.CLINICAL).order_by(
        "first_name", "last_name", "email"
    )


def _timeline_moment(value: str) -> str:
    """Deadline ("2026-12-01 15:04", local) and call-back ("2026-12-01 morning") values of the
    timeline in the style of every staff date: "di 1 dec 15:04", "di 1 dec, Ochtend"."""
    day, _sep, rest = value.partition(" ")
    try:
        if rest[:1].isdigit():
            # Stored as local wall-clock time (services._deadline_text).
            naive = datetime.strptime(value, "%Y-%m-%d %H:%M")  # noqa: DTZ007
            return moment(timezone.make_aware(naive))
        parsed = date.fromisoformat(day)
    except ValueError:
        return value
    part = dict(Question.PartOfDay.choices).get(rest)
    return f"{moment(parsed)}, {part}" if part else moment(parsed)


def event_labels(event: Event) -> tuple[str, str]:
    """Human labels for a timeline row's from/to values."""

    def label(value: str) -> str:
        if not value:
            return ""
        if event.kind in (Event.Kind.STATUS, Event.Kind.CREATED):
            return str(Question.Status(value).label) if value in Question.Status else value
        if event.kind == Event.Kind.URGENCY:
            return str(Urgency(int(value)).label) if value.isdigit() else value
        if event.kind == Event.Kind.MESSAGE:
            return str(Message.Kind(value).label) if value in Message.Kind else value
        if event.kind == Event.Kind.FEEDBACK:
            return str(_("Helped")) if value == "1" else str(_("Not helped"))
        if event.kind in (Event.Kind.DEADLINE, Event.Kind.CALL_BACK):
            return _timeline_moment(value)
        return value

    return label(event.from_value), label(event.to_value)
