"""Read side of the contact schedule, always scoped to the actor.

Parents: `family_schedule` (family home and child page), `get_moment_for_parent`.
Staff: `list_planning` (children with an open window and nothing planned) and
`get_appointment_moment_for_staff`; both write the access log for every child shown.
Scans: `list_due_messages`, `may_message`.

Query counts do not grow with the number of children: one query per definition at most (the
schedule has about 25), the rest in a fixed number of queries.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accounts.models import User
from accounts.roles import Capability
from afspraken.models import Appointment
from afspraken.selectors import free_days_by_type
from contactmomenten import schedule, youth
from contactmomenten.models import (
    ChildMoment,
    ContactMoment,
    FamilyPreferences,
    MomentMessage,
    PreConsultAnswer,
)
from contactmomenten.services import Due, child_window, is_message_due
from families.models import Child
from onderwerpen import age_bands
from privacy.models import AccessLog
from privacy.services import record_access
from teams.models import PostcodeArea
from teams.selectors import in_teams_q

LIVE_STATUSES = (Appointment.Status.BOOKED, Appointment.Status.ATTENDED)


def list_active_moments() -> list[ContactMoment]:
    return list(
        ContactMoment.objects.filter(is_active=True)
        .prefetch_related("appointment_types")
        .order_by("target_unit", "target_value", "target_plus_days")
    )


def _current_appointments():
    return Appointment.objects.filter(status__in=LIVE_STATUSES).select_related(
        "slot__location", "appointment_type"
    )


# --- Parents ----------


@dataclass
class MomentView:
    moment: ContactMoment
    window: schedule.Window
    row: ChildMoment | None
    appointment: Appointment | None = None
    can_plan: bool = False
    planning_opens: date | None = None
    no_places: bool = False
    arranged_by_jgz: bool = False
    with_youth: bool = False
    plan_url: str = ""
    detail_url: str = ""
    is_past: bool = False

    @property
    def state(self) -> str:
        return self.row.state if self.row else ""

    @property
    def state_label(self) -> str:
        return self.row.get_state_display() if self.row else ""

    @property
    def is_done(self) -> bool:
        return self.state in (ChildMoment.State.ATTENDED, ChildMoment.State.NOT_NEEDED)

    @property
    def callback_requested(self) -> bool:
        return bool(self.row and self.row.callback_requested_at)

    @property
    def can_request_callback(self) -> bool:
        """A moment the JGZ arranges, not yet planned or done: the parent may ask for a call."""
        return (
            self.arranged_by_jgz
            and not self.with_youth
            and not self.is_past
            and self.appointment is None
            and self.state not in ChildMoment.DONE_OR_PLANNED
        )


@dataclass
class ChildSchedule:
    child: Child
    upcoming: list[MomentView] = field(default_factory=list)
    past: list[MomentView] = field(default_factory=list)

    @property
    def next(self) -> list[MomentView]:
        return self.upcoming[:2]


def family_schedule(
    *, parent: User, children: list[Child], today: date | None = None
) -> dict[object, ChildSchedule]:
    """{child id: ChildSchedule} for the parent's own children (others are ignored).

    Four queries whatever the family size: definitions (+ their types), the children's rows
    with their live appointments, and the free days of the types involved.
    """
    today = today or timezone.localdate()
    children = [c for c in children if c.family_id == parent.family_id and c.in_care]
    if not children:
        return {}
    moments = list_active_moments()
    rows = {
        (r.child_id, r.moment_id): r
        for r in ChildMoment.objects.filter(child__in=children).prefetch_related(
            Prefetch("appointments", queryset=_current_appointments(), to_attr="live")
        )
    }
    horizon = today + timedelta(weeks=settings.AFSPRAKEN_HORIZON_WEEKS)
    type_ids = {t.pk for m in moments for t in m.appointment_types.all()}
    free = free_days_by_type(type_ids=type_ids, first=today, last=horizon)
    result = {}
    for child in children:
        plan = ChildSchedule(child=child)
        for moment in moments:
            row = rows.get((child.pk, moment.pk))
            window = child_window(child, moment, row)
            if window is None:
                continue
            view = _moment_view(child, moment, window, row, free, today, horizon)
            born_since = moment.as_definition.is_prenatal and child.date_of_birth is not None
            if row is not None and (view.is_done or window.closes < today or born_since):
                view.is_past = True
                plan.past.append(view)
            elif window.closes >= today and not born_since:
                plan.upcoming.append(view)
        plan.upcoming.sort(key=lambda v: (v.window.opens, v.window.target))
        plan.past.sort(key=lambda v: v.window.opens, reverse=True)
        result[child.pk] = plan
    return result


def _moment_view(child, moment, window, row, free, today, horizon) -> MomentView:
    live = getattr(row, "live", []) if row is not None else []
    view = MomentView(moment=moment, window=window, row=row, appointment=live[0] if live else None)
    view.detail_url = reverse(
        "contactmomenten:moment", kwargs={"child_id": child.pk, "code": moment.code}
    )
    view.with_youth = youth.arranged_with_youth(child, moment, window)
    view.arranged_by_jgz = moment.arranged_by_jgz or not moment.appointment_types.all()
    if view.appointment is not None or view.is_done or view.with_youth or view.arranged_by_jgz:
        return view
    days: set[date] = set()
    for appointment_type in moment.appointment_types.all():
        days |= free.get(appointment_type.pk, set())
    start = max(window.opens, today)
    if any(start <= d <= window.closes for d in days):
        view.can_plan = True
        view.plan_url = reverse(
            "contactmomenten:plan", kwargs={"child_id": child.pk, "code": moment.code}
        )
    elif window.opens > horizon - timedelta(days=1):
        # Places are made AFSPRAKEN_HORIZON_WEEKS ahead: planning opens when they reach it.
        view.planning_opens = window.opens - timedelta(weeks=settings.AFSPRAKEN_HORIZON_WEEKS)
    else:
        view.no_places = True
    return view


def get_child_for_parent(*, parent: User, child_id) -> Child:
    child = Child.objects.filter(pk=child_id, family_id=parent.family_id).first()
    if child is None or not parent.family_id:
        raise Http404
    return child


@dataclass
class MomentDetail:
    child: Child
    view: MomentView | None
    moment: ContactMoment
    questions: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)
    note: object = None


def get_moment_for_parent(*, parent: User, child_id, code: str) -> MomentDetail:
    child = get_child_for_parent(parent=parent, child_id=child_id)
    moment = ContactMoment.objects.filter(code=code).first()
    if moment is None:
        raise Http404
    plans = family_schedule(parent=parent, children=[child])
    plan = plans.get(child.pk)
    view = None
    if plan is not None:
        view = next((v for v in plan.upcoming + plan.past if v.moment.pk == moment.pk), None)
    detail = MomentDetail(child=child, view=view, moment=moment)
    row = view.row if view else None
    if view is not None and view.with_youth:
        # From 16 the answers and what was agreed belong to the youth, not the parent.
        return detail
    if row is not None:
        detail.answers = {a.question_id: a.answer for a in row.answers.all()}
        detail.note = getattr(row, "note", None) if hasattr(row, "note") else None
    detail.questions = list(moment.questions.filter(is_active=True))
    return detail


def list_siblings_to_plan_after(*, parent: User, detail: MomentDetail) -> list[Child]:
    """Brothers and sisters (twins) whose same moment can be planned right after this one."""
    from afspraken.selectors import get_free_slot_right_after

    view = detail.view
    if view is None or view.appointment is None or view.appointment.status != "booked":
        return []
    others = [
        c
        for c in Child.objects.filter(family_id=parent.family_id).exclude(pk=detail.child.pk)
        if c.in_care
    ]
    if not others:
        return []
    slot = get_free_slot_right_after(appointment=view.appointment)
    if slot is None:
        return []
    day = timezone.localtime(slot.starts_at).date()
    plans = family_schedule(parent=parent, children=others)
    found = []
    for child in others:
        plan = plans.get(child.pk)
        same = next(
            (v for v in (plan.upcoming if plan else []) if v.moment.pk == view.moment.pk), None
        )
        if same is not None and same.can_plan and same.window.contains(day):
            found.append(child)
    return found


def get_preferences(*, parent: User) -> FamilyPreferences:
    prefs = FamilyPreferences.objects.filter(family_id=parent.family_id).first()
    return prefs or FamilyPreferences(family_id=parent.family_id)


def plan_links(*, parent: User, child_id, code: str) -> tuple[Child, MomentView, list]:
    """For "Plan nu": the moment (must be plannable now) and a slot-list link per location."""
    from afspraken.selectors import list_locations

    child = get_child_for_parent(parent=parent, child_id=child_id)
    plan = family_schedule(parent=parent, children=[child]).get(child.pk)
    view = next((v for v in (plan.upcoming if plan else []) if v.moment.code == code), None)
    if view is None or not view.can_plan:
        raise Http404
    online = [t for t in view.moment.appointment_types.all() if t.bookable_online]
    if not online:
        raise Http404
    appointment_type = online[0]
    links = [
        (
            location,
            reverse("afspraken:slots")
            + "?"
            + urlencode(
                {
                    "child": child.pk,
                    "type": appointment_type.pk,
                    "location": location.pk,
                    "moment": code,
                }
            ),
        )
        for location in list_locations()
    ]
    return child, view, links


# --- Scans ----------


def _opted_out():
    return FamilyPreferences.objects.filter(family_id=OuterRef("family_id"), invitations=False)


def may_message(child: Child, moment: ContactMoment) -> bool:
    """May the family get an invitation or reminder about this child and moment?"""
    if not child.in_care or moment.arranged_by_jgz or not moment.appointment_types.exists():
        return False
    if FamilyPreferences.objects.filter(family_id=child.family_id, invitations=False).exists():
        return False
    return not youth.arranged_with_youth(child, moment)


def _children_with_window_open(
    moment: ContactMoment, today: date, *, closes_by: date | None = None
) -> QuerySet[Child]:
    """Children in care whose window of `moment` is open on `today` (by an index range), and
    closes on or before `closes_by` if given."""
    definition = moment.as_definition
    found = schedule.range_with_window_open(definition, today)
    qs = Child.objects.filter(care_status=Child.CareStatus.ACTIVE)
    if found is None:
        return qs.none()
    first, last = found
    if closes_by is not None:
        last = schedule.last_date_closing_by(definition, closes_by, first, last)
        if last < first:
            return qs.none()
    if definition.is_prenatal:
        return qs.filter(date_of_birth__isnull=True, due_date__gte=first, due_date__lte=last)
    return qs.filter(date_of_birth__gte=first, date_of_birth__lte=last)


def list_due_messages(*, now: datetime) -> list[Due]:
    """Invitations and reminders that are due now and not yet sent (checked again when sent)."""
    today = timezone.localtime(now).date()
    horizon = today + timedelta(weeks=settings.AFSPRAKEN_HORIZON_WEEKS)
    due: list[Due] = []
    for moment in list_active_moments():
        type_ids = [t.pk for t in moment.appointment_types.all()]
        if moment.arranged_by_jgz or not type_ids:
            continue
        candidates = list(
            _children_with_window_open(moment, today)
            .exclude(Exists(_opted_out()))
            .only("id", "family_id", "date_of_birth", "due_date", "care_status")
        )
        if not candidates:
            continue
        rows = {
            r.child_id: r
            for r in ChildMoment.objects.filter(moment=moment, child__in=candidates).annotate(
                invited=Exists(
                    MomentMessage.objects.filter(
                        child_moment=OuterRef("pk"), kind=MomentMessage.Kind.INVITATION
                    )
                ),
                reminded=Exists(
                    MomentMessage.objects.filter(
                        child_moment=OuterRef("pk"), kind=MomentMessage.Kind.REMINDER
                    )
                ),
            )
        }
        free = free_days_by_type(type_ids=type_ids, first=today, last=horizon)
        days = set().union(*free.values()) if free else set()
        for child in candidates:
            row = rows.get(child.pk)
            window = child_window(child, moment, row)
            if window is None or not window.is_open(today):
                continue
            if row is not None and row.state != ChildMoment.State.INVITED:
                continue
            if youth.arranged_with_youth(child, moment, window):
                continue
            if row is None or not row.invited:
                # The invitation waits until a place inside the window can be booked.
                if is_message_due(window, MomentMessage.Kind.INVITATION, now) and any(
                    max(window.opens, today) <= d <= window.closes for d in days
                ):
                    due.append(Due(child.pk, moment.pk, MomentMessage.Kind.INVITATION))
            elif not row.reminded and is_message_due(window, MomentMessage.Kind.REMINDER, now):
                due.append(Due(child.pk, moment.pk, MomentMessage.Kind.REMINDER))
    return due


# --- Staff ----------


def _log_children(actor: User, children: list[Child], reason: str) -> None:
    """One access-log row for every child a page shows, however many (constant query count)."""
    if not children:
        return
    record_access(
        actor=actor,
        action=AccessLog.Action.VIEW,
        record_type=Child,
        record_ids=[c.pk for c in children],
        child_ids=[c.pk for c in children],
        family_ids=[c.family_id for c in children],
        reason=reason,
    )


@dataclass
class PlanningRow:
    child: Child
    moment: ContactMoment
    window: schedule.Window
    row: ChildMoment | None
    age: str = ""

    @property
    def days_left(self) -> int:
        return (self.window.closes - timezone.localdate()).days

    @property
    def callback_pending(self) -> bool:
        """The parent asked to be called back and nobody has acted on the row since."""
        row = self.row
        if row is None or row.callback_requested_at is None:
            return False
        return row.outreach_at is None or row.outreach_at < row.callback_requested_at


@dataclass(frozen=True)
class PlanningFilters:
    """What the planning list (and outreach lists built on it) narrow down by."""

    code: str = ""  # one moment of the schedule
    team_id: object = None  # families of this team, and families without a team yet
    wijk_id: object = None  # families whose postcode lies in this wijk
    location_id: object = None  # families who had an appointment at this location
    age_band: str = ""  # onderwerpen.age_bands


def planning_children(
    *, moment: ContactMoment, filters: PlanningFilters, today: date, closes_by: date | None = None
) -> QuerySet[Child]:
    """Children whose window of `moment` is open today (and closes by `closes_by`, if given),
    in care, with nothing planned or done, narrowed by `filters`. One query whatever the
    number of children: every filter is a join or a subquery."""
    taken = ChildMoment.objects.filter(
        child=OuterRef("pk"), moment=moment, state__in=[*ChildMoment.DONE_OR_PLANNED]
    )
    qs = _children_with_window_open(moment, today, closes_by=closes_by).exclude(Exists(taken))
    if filters.team_id:
        qs = qs.filter(in_teams_q([filters.team_id], family="family"))
    if filters.wijk_id:
        qs = qs.filter(
            Exists(
                PostcodeArea.objects.filter(
                    wijk_id=filters.wijk_id, digits=Substr(OuterRef("family__postcode"), 1, 4)
                )
            )
        )
    if filters.location_id:
        qs = qs.filter(
            Exists(
                Appointment.objects.filter(
                    family_id=OuterRef("family_id"), slot__location_id=filters.location_id
                )
            )
        )
    if filters.age_band:
        qs = qs.filter(age_bands.child_age_q(filters.age_band, today))
    return qs


def list_planning(
    *,
    actor: User,
    filters: PlanningFilters = PlanningFilters(),  # noqa: B008 - frozen, never changed
    today: date | None = None,
    limit: int = 100,
) -> list[PlanningRow]:
    """Children whose window is open and who have nothing planned, closest window end first.

    Per moment of the schedule (about 25) at most one query reads the first `limit` children
    in order of their date of birth (due date for pregnancy moments) along the partial index
    `(date_of_birth, id)`: the window's end grows with that date, so the closest ends come
    first and the query stops after `limit` rows, however many children have an open window;
    once `limit` rows are found, later moments read only windows closing by the last of them
    (none: no query). Then one query for the rows of the children shown and one access-log
    row for them all.
    """
    from families import ages

    if not actor.has_capability(Capability.PLANNING):
        raise Http404
    today = today or timezone.localdate()
    moments = [m for m in list_active_moments() if not filters.code or m.code == filters.code]
    found: list[PlanningRow] = []
    for moment in moments:
        # Once `limit` rows are found, a later moment only needs windows closing by then.
        closes_by = found[limit - 1].window.closes if len(found) >= limit else None
        qs = planning_children(moment=moment, filters=filters, today=today, closes_by=closes_by)
        found.extend(_first_open_windows(moment, qs, today, limit))
        found.sort(key=_planning_order)
        found = found[:limit]
    rows = {
        (r.child_id, r.moment_id): r
        # The professional by a query of their own: a join made PostgreSQL hash all users.
        for r in ChildMoment.objects.filter(
            child__in=[f.child for f in found], moment__in=moments
        ).prefetch_related("outreach_by")
    }
    for item in found:
        item.row = rows.get((item.child.pk, item.moment.pk))
        if item.row is not None:
            item.window = child_window(item.child, item.moment, item.row)
        item.age = ages.describe(item.child.date_of_birth, item.child.due_date, today)
    _log_children(actor, [f.child for f in found], "planning list")
    return found


def _planning_order(row: PlanningRow) -> tuple:
    """Closest window end first, then the earliest start, then the child's id."""
    return (row.window.closes, row.window.opens, str(row.child.pk))


def _first_open_windows(
    moment: ContactMoment, qs: QuerySet[Child], today: date, limit: int
) -> list[PlanningRow]:
    """The `limit` children of `qs` whose window of `moment` closes first (open today).

    Reads the children in order of the date their window is computed from (date of birth,
    due date), which orders their windows' ends and starts the same way, so the first
    `limit` rows are the answer. Two exceptions, each one more query: a row of a full page
    that turned out not to be open (then the next page, after the last date and id), and a
    page that ends among dates that share one window (born on 29, 30 or 31 January: one
    month on 28 February), where the children's ids decide (then those dates by id).
    """
    definition = moment.as_definition
    key = "due_date" if definition.is_prenatal else "date_of_birth"
    qs = qs.only("id", "family_id", "first_name", "date_of_birth", "due_date")
    ordered = qs.order_by(key, "id")
    found: list[PlanningRow] = []
    page = ordered
    while True:
        wanted = limit - len(found)
        batch = list(page[:wanted])
        for child in batch:
            window = child_window(child, moment)
            if window is not None and window.is_open(today):
                found.append(PlanningRow(child=child, moment=moment, window=window, row=None))
        if len(batch) < wanted:
            return found
        if len(found) >= limit:
            break
        value, pk = getattr(batch[-1], key), batch[-1].pk
        page = ordered.filter(**{f"{key}__gte": value}).exclude(**{key: value, "id__lte": pk})
    last = found[-1].window
    dates = schedule.dates_with_window(definition, last, around=getattr(found[-1].child, key))
    if len(dates) == 1:
        return found
    found = [row for row in found if row.window != last]
    for child in qs.filter(**{f"{key}__in": dates}).order_by("id")[:limit]:
        found.append(PlanningRow(child=child, moment=moment, window=last, row=None))
    return found


def get_appointment_moment_for_staff(*, actor: User, appointment_id) -> Appointment:
    """An appointment with its contact moment, answers and note (for writing what was agreed)."""
    if not actor.has_capability(Capability.CLINICAL):
        raise Http404
    appointment = (
        Appointment.objects.select_related(
            "child", "contact_moment__moment", "slot__location", "appointment_type"
        )
        .prefetch_related(
            Prefetch(
                "contact_moment__answers", queryset=PreConsultAnswer.objects.order_by("position")
            )
        )
        .filter(pk=appointment_id, contact_moment__isnull=False)
        .first()
    )
    if appointment is None:
        raise Http404
    record_access(
        actor=actor,
        action=AccessLog.Action.VIEW,
        record_type=appointment,
        record_ids=[appointment.pk],
        child_ids=[appointment.child_id],
        family_ids=[appointment.family_id],
        reason="contact moment",
    )
    return appointment
