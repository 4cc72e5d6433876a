"""Read side of appointments, always scoped to the actor.

For other apps (issue 5, reminders) the stable API is:

- `Appointment.starts_at` (UTC, aware) and `Appointment.status` (`Appointment.Status.BOOKED`
  is the only status that still needs a reminder; cancelled/moved/attended never do).
- `Appointment.has_topics`: True when the family filled in "Wat wil je bespreken?"
  (topics, a note or linked questions).
- `Appointment.reminder_sent_at`: for the reminder task to record its effect under a row lock.
- `list_booked_appointments_starting_between(start=, end=)`: the booked appointments to remind.
- `appointment_link(appointment)`: the absolute per-appointment token URL for e-mails (works
  without a login until the appointment ends: date, time, place and cancel; never acts on GET).
- `appointment_topics_link(appointment)`: the topics form on the appointment's page (login).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Capability
from accounts.selectors import list_users_with_capability
from afspraken.models import (
    Appointment,
    AppointmentType,
    DayPart,
    FollowUp,
    Location,
    Schedule,
    Slot,
)
from afspraken.services import appointment_link, booking_window
from families import ages
from families.models import Child
from families.selectors import get_family_for_staff
from privacy.models import AccessLog
from privacy.services import record_access

__all__ = ["appointment_link"]

EVENING_FROM = time(17, 0)
OFFICE_FROM = time(8, 0)


# --- Day parts (filters "avond", "zaterdag", "overdag", "alleen buiten kantoortijd") ---------

PARTS = tuple(part for part in DayPart.values if part)


def day_part_matches(starts_at: datetime, part: str | None) -> bool:
    """Decided on the Amsterdam wall clock, so DST never moves a slot between parts."""
    return local_part_matches(timezone.localtime(starts_at), part)


def local_part_matches(local: datetime, part: str | None) -> bool:
    if not part:
        return True
    weekend = local.weekday() >= 5
    evening = local.time() >= EVENING_FROM
    if part == "evening":
        return evening
    if part == "saturday":
        return local.weekday() == 5
    if part == "daytime":
        return not weekend and OFFICE_FROM <= local.time() < EVENING_FROM
    if part == "outside_office":
        return weekend or evening or local.time() < OFFICE_FROM
    return True


# --- Parents: booking -------------------------------------------------------------------------


def list_children_for_parent(*, parent: User) -> QuerySet[Child]:
    if not parent.family_id:
        return Child.objects.none()
    return Child.objects.filter(family_id=parent.family_id)


def list_bookable_types(*, group: bool = False) -> QuerySet[AppointmentType]:
    qs = AppointmentType.objects.filter(bookable_online=True)
    return qs.filter(capacity__gt=1) if group else qs.filter(capacity=1)


def list_consult_types() -> QuerySet[AppointmentType]:
    """For staff booking on a family's behalf: also types parents cannot book online."""
    return AppointmentType.objects.filter(capacity=1)


def list_locations() -> QuerySet[Location]:
    return Location.objects.filter(is_active=True)


def _free_slots(now: datetime | None = None) -> QuerySet[Slot]:
    earliest, latest = booking_window(now)
    return Slot.objects.filter(
        is_active=True,
        booked_count__lt=F("capacity"),
        starts_at__gte=earliest,
        starts_at__lte=latest,
    )


def list_locations_with_after_hours() -> list[Location]:
    """Locations with their nearest free evening and Saturday consult slot (one query)."""
    free = _free_slots().filter(is_group=False, location=OuterRef("pk")).order_by("starts_at")
    evening = free.filter(starts_at__hour__gte=EVENING_FROM.hour)
    saturday = free.filter(starts_at__iso_week_day=6)
    return list(
        list_locations().annotate(
            next_evening=Subquery(evening.values("starts_at")[:1]),
            next_saturday=Subquery(saturday.values("starts_at")[:1]),
        )
    )


@dataclass(frozen=True, slots=True)
class FreeSlot:
    pk: object
    starts_at: datetime
    local_time: str


@dataclass
class WeekListing:
    week_start: date
    days: list[tuple[date, list[FreeSlot]]] = field(default_factory=list)
    previous_week: date | None = None
    next_week: date | None = None
    next_evening: Slot | None = None
    next_saturday: Slot | None = None

    @property
    def count(self) -> int:
        return sum(len(slots) for _, slots in self.days)


def week_start_for(day: date) -> date:
    return day - timedelta(days=day.weekday())


SLOT_FIELDS = ("id", "starts_at", "ends_at", "location_id", "professional_id")


def _free_consults(location_id, appointment_type_id, now) -> QuerySet[Slot]:
    return _free_slots(now).filter(
        location_id=location_id, is_group=False, schedule__types=appointment_type_id
    )


def free_slots_between(location_id, appointment_type_id, start, end, now=None) -> QuerySet[Slot]:
    """The listing's main query (exposed so a test can EXPLAIN it)."""
    return (
        _free_consults(location_id, appointment_type_id, now)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .only(*SLOT_FIELDS)
        .order_by("starts_at")
    )


def list_free_slots_for_week(
    *,
    location_id,
    appointment_type_id,
    week_start: date,
    part: str | None = None,
    now: datetime | None = None,
    between: tuple[date, date] | None = None,
) -> WeekListing:
    """A week of free slots for one type at one location: three queries, whatever the table size.

    The partial index `afspraken_slot_free_by_loc` (location, starts_at WHERE is_active)
    serves the range scan; the day-part filter runs on the Amsterdam wall clock in Python over
    the (small) week. Two LIMIT 1 queries find the nearest evening and Saturday slot.
    `between` (first day, last day) limits everything to a contact moment's window.
    """
    now = now or timezone.now()
    tz = timezone.get_default_timezone()
    week_start = week_start_for(week_start)
    earliest, latest = booking_window(now)
    start = timezone.make_aware(datetime.combine(week_start, time.min), tz)
    end = timezone.make_aware(datetime.combine(week_start + timedelta(days=7), time.min), tz)
    base = _free_consults(location_id, appointment_type_id, now)
    if between is not None:
        first = timezone.make_aware(datetime.combine(between[0], time.min), tz)
        after_last = timezone.make_aware(
            datetime.combine(between[1] + timedelta(days=1), time.min), tz
        )
        earliest, latest = max(earliest, first), min(latest, after_last)
        base = base.filter(starts_at__gte=first, starts_at__lt=after_last)
        start, end = max(start, first), min(end, after_last)
    rows = free_slots_between(location_id, appointment_type_id, start, end, now).values_list(
        "id", "starts_at"
    )
    by_day: dict[date, list[FreeSlot]] = {week_start + timedelta(days=i): [] for i in range(7)}
    if end <= start:
        rows = []
    for pk, starts_at in rows:
        local = starts_at.astimezone(tz)
        if local_part_matches(local, part):
            # Plain tuples, formatted once here: a busy week has hundreds of slots, and model
            # instances plus template date filters per slot cost more than the query.
            by_day[local.date()].append(FreeSlot(pk, starts_at, f"{local:%H:%M}"))
    # The nearest evening and Saturday options over the whole horizon, not just this week.
    next_evening = (
        base.filter(starts_at__hour__gte=EVENING_FROM.hour).order_by("starts_at").only(*SLOT_FIELDS)
    ).first()
    next_saturday = (
        base.filter(starts_at__iso_week_day=6).order_by("starts_at").only(*SLOT_FIELDS).first()
    )
    listing = WeekListing(week_start=week_start, days=list(by_day.items()))
    listing.next_evening, listing.next_saturday = next_evening, next_saturday
    if start > earliest:
        listing.previous_week = week_start - timedelta(days=7)
    if end <= latest:
        listing.next_week = week_start + timedelta(days=7)
    return listing


def first_free_day(*, location_id, appointment_type_id, now: datetime | None = None):
    """The local date of the soonest free slot, or None: the time list opens on its week
    rather than on an empty one (one LIMIT 1 query on the partial index)."""
    starts_at = (
        _free_consults(location_id, appointment_type_id, now or timezone.now())
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localtime(starts_at).date() if starts_at else None


def get_free_slot(*, slot_id) -> Slot:
    slot = (
        Slot.objects.select_related("location", "professional", "schedule")
        .filter(pk=slot_id)
        .first()
    )
    if slot is None:
        raise Http404
    return slot


def get_type(*, type_id) -> AppointmentType:
    appointment_type = AppointmentType.objects.filter(pk=type_id).first()
    if appointment_type is None:
        raise Http404
    return appointment_type


def list_group_meetings(*, parent: User | None = None) -> list[Slot]:
    """Upcoming parent group meetings with seats left, each with its type and place."""
    earliest, latest = booking_window()
    slots = list(
        Slot.objects.filter(
            is_group=True, is_active=True, starts_at__gte=earliest, starts_at__lte=latest
        )
        .select_related("location", "schedule")
        .prefetch_related(
            Prefetch(
                "schedule__types",
                queryset=AppointmentType.objects.filter(bookable_online=True, capacity__gt=1),
            )
        )
        .order_by("starts_at")[:200]
    )
    mine = set()
    if parent is not None and parent.family_id:
        mine = set(
            Appointment.objects.filter(
                family_id=parent.family_id,
                status=Appointment.Status.BOOKED,
                slot_id__in=[s.pk for s in slots],
            ).values_list("slot_id", flat=True)
        )
    result = []
    for slot in slots:
        types = list(slot.schedule.types.all()) if slot.schedule else []
        if not types:
            continue
        slot.meeting_type = types[0]
        slot.is_mine = slot.pk in mine
        result.append(slot)
    return result


# --- Parents: their appointments ----------------------------------------------------------------


def _parent_appointments(parent: User) -> QuerySet[Appointment]:
    if not parent.family_id:
        return Appointment.objects.none()
    return (
        Appointment.objects.filter(family_id=parent.family_id)
        .select_related(
            "slot__location",
            "slot__professional",
            "appointment_type",
            "child",
            "contact_moment__moment",
        )
        .prefetch_related("topics", "questions")
    )


def get_appointment_for_parent(*, parent: User, appointment_id) -> Appointment:
    """The family's own appointment, or 404 (another family's looks like none)."""
    appointment = _parent_appointments(parent).filter(pk=appointment_id).first()
    if appointment is None:
        raise Http404
    return appointment


def list_appointments_for_parent(*, parent: User) -> tuple[list, QuerySet[Appointment]]:
    """(upcoming, past): booked ones still to come, soonest first, and a lazy queryset of the
    rest (past, cancelled), newest first, for the view to page. Moved appointments are left
    out: their new one is listed."""
    now = timezone.now()
    rows = _parent_appointments(parent).exclude(status=Appointment.Status.MOVED)
    coming = Q(status=Appointment.Status.BOOKED, ends_at__gt=now)
    upcoming = list(rows.filter(coming).order_by("starts_at"))
    past = rows.exclude(coming).order_by("-starts_at", "-created_at")
    return upcoming, past


def get_appointment_by_token(*, token: str, user: User | None = None) -> Appointment:
    """The appointment behind an e-mail link. A logged-in parent of another family gets 404."""
    appointment = (
        Appointment.objects.select_related(
            "slot__location", "slot__professional", "appointment_type", "moved_to"
        )
        .filter(token=token)
        .first()
    )
    if appointment is None:
        raise Http404
    if (
        user is not None
        and user.is_authenticated
        and user.is_parent
        and user.family_id != appointment.family_id
    ):
        raise Http404
    if user is not None and user.is_authenticated and user.is_jgz_staff:
        _log_reads(user, [appointment], "appointment link")
    return appointment


# --- Staff: agenda --------------------------------------------------------------------------------


def _log_reads(actor: User, appointments: list[Appointment], reason: str) -> None:
    """One access-log row for every appointment a page shows, whatever their number: the
    agenda keeps a constant query count however many families it shows."""
    if not appointments:
        return
    record_access(
        actor=actor,
        action=AccessLog.Action.VIEW,
        record_type=Appointment,
        record_ids=[a.pk for a in appointments],
        child_ids=[a.child_id for a in appointments],
        family_ids=[a.family_id for a in appointments],
        reason=reason,
    )


def list_professionals() -> QuerySet[User]:
    return list_users_with_capability(Capability.PLANNING).order_by("first_name", "last_name")


def _open_linked_questions(*, with_text: bool):
    """Open questions the family wants to discuss at the appointment (vragen app). Without
    `with_text` (assistants plan, they do not read questions) only reference and topic."""
    question_model = Appointment.questions.rel.related_model
    # The topic's name has a column per content language (kennisbank/translation.py): load them
    # all, or reading `topic.name` would cost a query per question.
    names = [f"topic__name_{code}" for code in settings.CONTENT_LANGUAGES]
    fields = ["id", "appointment_id", "reference", "topic__name", *names]
    return (
        question_model.objects.filter(status__in=question_model.OPEN_STATUSES)
        .select_related("topic")
        .only(*fields, *(["text"] if with_text else []))
        .order_by("created_at")
    )


def list_agenda(
    *,
    actor: User,
    start: date,
    days: int = 1,
    professional_id=None,
    location_id=None,
    team_ids=None,
) -> list[tuple[date, list[Appointment]]]:
    """Appointments per day for staff, with child (first name + age), type, topics, note and
    linked open questions.

    Constant query count: one SELECT with joins, one for the linked questions and one bulk
    INSERT into the access log.
    """
    if not actor.has_capability(Capability.PLANNING):
        raise Http404
    tz = timezone.get_default_timezone()
    begin = timezone.make_aware(datetime.combine(start, time.min), tz)
    end = timezone.make_aware(datetime.combine(start + timedelta(days=days), time.min), tz)
    qs = (
        Appointment.objects.filter(starts_at__gte=begin, starts_at__lt=end)
        .exclude(status=Appointment.Status.MOVED)
        .select_related(
            "slot__location",
            "slot__professional",
            "appointment_type",
            "child",
            "parent",
            "contact_moment__moment",
        )
        .prefetch_related(
            "topics",
            Prefetch(
                "questions",
                queryset=_open_linked_questions(
                    with_text=actor.has_capability(Capability.CLINICAL)
                ),
            ),
            "contact_moment__answers",
        )
        .order_by("starts_at", "slot__location__name")
    )
    appointments = list(
        qs.filter(
            agenda_scope_q(
                professional_id=professional_id, location_id=location_id, team_ids=team_ids
            )
        )
    )
    _log_reads(actor, appointments, "agenda")
    by_day: dict[date, list[Appointment]] = {start + timedelta(days=i): [] for i in range(days)}
    for appointment in appointments:
        local_day = timezone.localtime(appointment.starts_at).date()
        child = appointment.child
        if child is not None:
            appointment.child_age = ages.describe(child.date_of_birth, child.due_date, local_day)
        by_day.setdefault(local_day, []).append(appointment)
    return list(by_day.items())


def default_agenda_scope(*, actor: User) -> dict:
    """Where the agenda opens: one's own agenda for people with a schedule, the team's for
    assistants (and for those without a schedule); never everyone's."""
    from teams.selectors import team_ids_of

    has_schedule = (
        actor.role != User.Role.ASSISTANT
        and Schedule.objects.filter(professional=actor)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()))
        .exists()
    )
    if has_schedule:
        return {"professional_id": str(actor.pk)}
    return {"team_ids": sorted(str(pk) for pk in team_ids_of(actor))}


def agenda_scope_q(*, professional_id=None, location_id=None, team_ids=None, prefix="") -> Q:
    """The appointments of one professional, location and/or teams. Nothing chosen: none
    (the agenda never shows everyone's)."""
    if not (professional_id or location_id or team_ids):
        return Q(pk__in=[])
    q = Q()
    if professional_id:
        q &= Q(**{f"{prefix}slot__professional_id": professional_id})
    if location_id:
        q &= Q(**{f"{prefix}slot__location_id": location_id})
    if team_ids:
        q &= team_agenda_q(team_ids, prefix=prefix)
    return q


def team_agenda_q(team_ids, *, prefix: str = "") -> Q:
    """A team's agenda: appointments at its locations or with its professionals."""
    from teams.models import TeamLocation, TeamMembership

    locations = TeamLocation.objects.filter(team_id__in=team_ids).values("location_id")
    members = TeamMembership.objects.filter(team_id__in=team_ids).values("user_id")
    return Q(**{f"{prefix}slot__location_id__in": locations}) | Q(
        **{f"{prefix}slot__professional_id__in": members}
    )


def list_flagged_slots(*, actor: User) -> list[Slot]:
    if not actor.has_capability(Capability.PLANNING):
        raise Http404
    return list(
        Slot.objects.filter(needs_attention=True, starts_at__gte=timezone.now())
        .select_related("location", "professional")
        .order_by("starts_at")[:100]
    )


def list_open_follow_ups(*, actor: User, **scope) -> list[FollowUp]:
    """Open follow-ups of the agenda being shown (`scope`: as `agenda_scope_q`)."""
    if not actor.has_capability(Capability.PLANNING):
        raise Http404
    follow_ups = list(
        FollowUp.objects.filter(done_at__isnull=True)
        .filter(agenda_scope_q(prefix="appointment__", **scope))
        .select_related("appointment__parent", "appointment__child", "appointment__slot__location")
        .order_by("created_at")[:100]
    )
    _log_reads(actor, [f.appointment for f in follow_ups], "follow-up list")
    return follow_ups


def get_appointment_for_staff(*, actor: User, appointment_id, reason: str = "") -> Appointment:
    if not actor.has_capability(Capability.PLANNING):
        raise Http404
    appointment = (
        Appointment.objects.select_related("slot__location", "appointment_type", "child", "parent")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise Http404
    _log_reads(actor, [appointment], reason or "appointment")
    return appointment


@dataclass
class FamilyToBookFor:
    parent: User
    children: list[Child]


def find_family_for_staff(*, actor: User, email: str) -> FamilyToBookFor | None:
    """Staff booking on a family's behalf look the parent up by e-mail address; the family and
    its children are read through the logging staff selector."""
    if not actor.has_capability(Capability.PLANNING):
        raise Http404
    parent = User.objects.filter(email__iexact=email.strip(), role=User.Role.PARENT).first()
    if parent is None or not parent.family_id:
        return None
    family = get_family_for_staff(actor=actor, family_id=parent.family_id, reason="book on behalf")
    return FamilyToBookFor(parent=parent, children=list(family.children.all()))


def find_parent_of_child_for_staff(*, actor: User, child_id) -> tuple[User | None, Child | None]:
    """From the planning list: the child's parent who gets the confirmation (logged)."""
    if not actor.has_capability(Capability.PLANNING):
        raise Http404
    child = Child.objects.filter(pk=child_id).first()
    if child is None:
        return None, None
    parent = (
        User.objects.filter(family_id=child.family_id, role=User.Role.PARENT, is_active=True)
        .select_related("family")
        .order_by("date_joined")
        .first()
    )
    record_access(
        actor=actor,
        action=AccessLog.Action.VIEW,
        record_type=child,
        record_ids=[child.pk],
        child_ids=[child.pk],
        family_ids=[child.family_id],
        reason="book on behalf",
    )
    return parent, child


# --- For other apps (reminders, issue 5) ----------------------------------------------------------


def list_booked_appointments_starting_between(
    *, start: datetime, end: datetime
) -> QuerySet[Appointment]:
    # No reminders about a child the JGZ no longer cares for (died, moved out, ...).
    return (
        Appointment.objects.filter(
            status=Appointment.Status.BOOKED, starts_at__gte=start, starts_at__lt=end
        )
        .exclude(child__care_status__in=["deceased", "pregnancy_ended", "moved_out"])
        .select_related("slot__location", "appointment_type", "parent", "child")
    )


def appointment_topics_link(appointment: Appointment) -> str:
    """Where the parent fills in what they want to discuss: the appointment's own page, behind
    the login (the e-mail link alone cannot edit topics), anchored at the form."""
    return settings.SITE_URL + reverse("afspraken:detail", args=[appointment.pk]) + "#bespreken"


# --- For the contact schedule (contactmomenten) ---------------------------------------------------


def free_days_by_type(*, type_ids, first: date, last: date) -> dict[object, set[date]]:
    """{appointment type id: local days with a free, bookable consult place} in [first, last].

    One query whatever the number of children: "Plan nu" shows only when a place exists inside
    the moment's window, and invitations wait for it.
    """
    if not type_ids or last < first:
        return {}
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(first, time.min), tz)
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
    rows = (
        _free_slots()
        .filter(is_group=False, starts_at__gte=start, starts_at__lt=end)
        .filter(schedule__types__in=type_ids)
        .annotate(day=TruncDate("starts_at", tzinfo=tz))
        .values_list("schedule__types", "day")
        .distinct()
    )
    found: dict[object, set[date]] = {}
    for type_id, day in rows:
        found.setdefault(type_id, set()).add(day)
    return found


def get_free_slot_right_after(*, appointment: Appointment) -> Slot | None:
    """The free consult place that follows this appointment directly (same professional and
    location, starting within 30 minutes of its end): for twins and siblings back to back."""
    ends = appointment.slot.ends_at
    return (
        _free_slots()
        .filter(
            is_group=False,
            location_id=appointment.slot.location_id,
            professional_id=appointment.slot.professional_id,
            schedule__types=appointment.appointment_type_id,
            starts_at__gte=ends,
            starts_at__lt=ends + timedelta(minutes=30),
        )
        .order_by("starts_at")
        .first()
    )


@dataclass
class CohostMeeting:
    starts_at: datetime
    ends_at: datetime
    location: str
    what: str
    booked: int
    capacity: int
    first_names: list[str]


def list_meetings_for_cohost(*, cohost: User) -> list[CohostMeeting]:
    """The group meetings of the schedules `cohost` co-hosts, from today: the number booked
    and the first names of the parents who agreed to share theirs when booking; nothing
    else (no children, surnames, contact details or other families' meetings). Showing a
    first name writes the access log (the family sees it on its own log page)."""
    if not cohost.has_capability(Capability.COHOST):
        raise Http404
    today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    slots = list(
        Slot.objects.filter(
            is_group=True, is_active=True, starts_at__gte=today, schedule__co_hosts=cohost
        )
        .select_related("location")
        .prefetch_related("schedule__types")
        .order_by("starts_at")[:100]
    )
    names: dict = {}
    shared = Appointment.objects.filter(
        slot__in=[slot.pk for slot in slots],
        status=Appointment.Status.BOOKED,
        share_first_name=True,
    ).values_list("pk", "family_id", "slot_id", "parent__first_name")
    shown = []
    for pk, family_id, slot_id, first_name in shared.order_by("parent__first_name"):
        if first_name:
            names.setdefault(slot_id, []).append(first_name)
            shown.append((pk, family_id))
    if shown:
        from privacy.services import record_access

        record_access(
            actor=cohost,
            action="view",
            record_type=Appointment,
            record_ids=[pk for pk, _family in shown],
            family_ids=[family for _pk, family in shown],
            reason="co-host: shared first names",
        )
    return [
        CohostMeeting(
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            location=slot.location.name,
            what=", ".join(t.name for t in slot.schedule.types.all()),
            booked=slot.booked_count,
            capacity=slot.capacity,
            first_names=names.get(slot.pk, []),
        )
        for slot in slots
    ]
