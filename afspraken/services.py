"""Write side of appointments: slot generation, booking, rescheduling, cancelling, outcomes.

Locking rules (see STYLE.md §5): every service that changes a slot's bookings locks the Slot
row(s) first with `select_for_update`, in primary-key order when there are two (reschedule), so
concurrent requests queue on the row instead of racing. The database constraints
(`afspraken_slot_booked_within_capacity`, `afspraken_appointment_one_place_per_family` and on
PostgreSQL `afspraken_appointment_no_child_overlap`) are the last guard; an IntegrityError from
them becomes a BookingError.
"""

import functools
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Capability
from afspraken import hooks, ical
from afspraken.exceptions import (
    AlreadyBooked,
    BookingError,
    Busy,
    ChildAlreadyBooked,
    ChildTooOld,
    ChildTooYoung,
    MomentNotPlannable,
    NotBookable,
    NotChangeable,
    OutsideBookingWindow,
    PastCutoff,
    SlotUnavailable,
)
from afspraken.models import (
    Appointment,
    AppointmentChange,
    AppointmentType,
    Closure,
    FollowUp,
    Schedule,
    Slot,
)
from families import ages
from families.models import Child
from onderwerpen.models import Topic
from outbox.services import queue_email
from privacy.models import AccessLog
from privacy.services import record_access, record_list_access

logger = logging.getLogger(__name__)


# --- Booking window ----------------------------------------------------------------------------


def booking_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    """Earliest and latest start a parent may book: after the notice, within the horizon."""
    now = now or timezone.now()
    earliest = now + timedelta(hours=settings.AFSPRAKEN_MIN_NOTICE_HOURS)
    latest = now + timedelta(weeks=settings.AFSPRAKEN_HORIZON_WEEKS)
    return earliest, latest


# --- Who changed what ---------------------------------------------------------------------------


def _record_change(
    appointment: Appointment, action: str, *, actor: User | None, detail: str = ""
) -> None:
    """One AppointmentChange row; `actor=None` is the holder of the e-mail link."""
    if actor is None:
        by = AppointmentChange.By.LINK
    elif actor.is_jgz_staff:
        by = AppointmentChange.By.STAFF
    else:
        by = AppointmentChange.By.PARENT
    AppointmentChange.objects.create(
        appointment=appointment, action=action, by=by, user=actor, detail=detail[:30]
    )


# --- Slot generation ---------------------------------------------------------------------------


@dataclass
class GenerationResult:
    created: int = 0
    reactivated: int = 0
    deactivated: int = 0
    flagged: int = 0


def _closed(closures: list[Closure], schedule: Schedule, starts: datetime, ends: datetime) -> bool:
    for closure in closures:
        if closure.location_id not in (None, schedule.location_id):
            continue
        if closure.professional_id not in (None, schedule.professional_id):
            continue
        if closure.starts_at < ends and closure.ends_at > starts:
            return True
    return False


def _desired_slots(*, today: date, end_day: date, now: datetime) -> dict[tuple, dict]:
    """Every slot the schedules and closures ask for in [today, end_day], keyed for matching."""
    tz = timezone.get_default_timezone()
    schedules = (
        Schedule.objects.filter(valid_from__lte=end_day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .prefetch_related("types")
    )
    window_start = timezone.make_aware(datetime.combine(today, datetime.min.time()), tz)
    window_end = timezone.make_aware(
        datetime.combine(end_day + timedelta(days=1), datetime.min.time()), tz
    )
    closures = list(Closure.objects.filter(ends_at__gt=window_start, starts_at__lt=window_end))
    desired: dict[tuple, dict] = {}
    for schedule in schedules:
        types = list(schedule.types.all())
        if not types:
            continue
        block = timedelta(minutes=max(t.block_minutes for t in types))
        capacity = max(t.capacity for t in types)
        first = max(today, schedule.valid_from)
        last = min(end_day, schedule.valid_until or end_day)
        day = first + timedelta(days=(schedule.weekday - first.weekday()) % 7)
        while day <= last:
            local = datetime.combine(day, schedule.start_time)
            local_end = datetime.combine(day, schedule.end_time)
            while local + block <= local_end:
                # Wall-clock times: an 18:30 slot stays 18:30 on both sides of a DST change.
                starts = timezone.make_aware(local, tz)
                ends = timezone.make_aware(local + block, tz)
                if starts > now and not _closed(closures, schedule, starts, ends):
                    desired[(schedule.pk, starts)] = {
                        "schedule_id": schedule.pk,
                        "professional_id": schedule.professional_id,
                        "location_id": schedule.location_id,
                        "starts_at": starts,
                        "ends_at": ends,
                        "capacity": capacity,
                        "is_group": capacity > 1,
                    }
                local += block
            day += timedelta(days=7)
    return desired


def _overlaps(ranges: list[tuple[datetime, datetime]], starts: datetime, ends: datetime) -> bool:
    return any(s < ends and e > starts for s, e in ranges)


@transaction.atomic
def generate_slots(*, today: date | None = None, weeks: int | None = None) -> GenerationResult:
    """Make the slots match the schedules and closures over the rolling horizon. Idempotent.

    Creates missing slots (the unique constraint on schedule+start makes a concurrent run
    harmless), deactivates slots no longer wanted, and never drops a booked slot: it stays,
    not bookable, with `needs_attention` set so staff can contact the family. New slots that
    would overlap such a flagged slot of the same professional are not created.
    """
    now = timezone.now()
    today = today or timezone.localdate()
    end_day = today + timedelta(weeks=weeks or settings.AFSPRAKEN_HORIZON_WEEKS)
    desired = _desired_slots(today=today, end_day=end_day, now=now)
    tz = timezone.get_default_timezone()
    horizon_end = timezone.make_aware(
        datetime.combine(end_day + timedelta(days=1), datetime.min.time()), tz
    )
    existing = list(
        Slot.objects.filter(starts_at__gt=now, starts_at__lt=horizon_end).only(
            "id",
            "schedule_id",
            "professional_id",
            "starts_at",
            "ends_at",
            "capacity",
            "booked_count",
            "is_active",
            "needs_attention",
        )
    )
    result = GenerationResult()
    seen: set[tuple] = set()
    unwanted_ids, reactivate_ids, updates = [], [], []
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    for slot in existing:
        key = (slot.schedule_id, slot.starts_at)
        wanted = desired.get(key) if slot.schedule_id else None
        if wanted is None:
            unwanted_ids.append(slot.pk)
            if slot.booked_count:
                busy.setdefault(slot.professional_id, []).append((slot.starts_at, slot.ends_at))
            continue
        seen.add(key)
        if not slot.is_active or slot.needs_attention:
            reactivate_ids.append(slot.pk)
        if slot.booked_count == 0 and (
            slot.capacity != wanted["capacity"] or slot.ends_at != wanted["ends_at"]
        ):
            slot.capacity, slot.ends_at = wanted["capacity"], wanted["ends_at"]
            slot.is_group = wanted["is_group"]
            updates.append(slot)
    if unwanted_ids:
        # Conditional UPDATEs: a booking that commits meanwhile is seen (READ COMMITTED
        # re-checks the WHERE on the locked row), so a booked slot is never silently hidden.
        result.deactivated = Slot.objects.filter(
            pk__in=unwanted_ids, booked_count=0, is_active=True
        ).update(is_active=False)
        result.flagged = Slot.objects.filter(
            pk__in=unwanted_ids, booked_count__gt=0, needs_attention=False
        ).update(is_active=False, needs_attention=True)
        if result.flagged:
            logger.warning("%s booked slots no longer match a schedule", result.flagged)
    if reactivate_ids:
        result.reactivated = Slot.objects.filter(pk__in=reactivate_ids).update(
            is_active=True, needs_attention=False
        )
    if updates:
        Slot.objects.bulk_update(updates, ["capacity", "ends_at", "is_group"])
    new = [
        Slot(**values)
        for key, values in desired.items()
        if key not in seen
        and not _overlaps(
            busy.get(values["professional_id"], []), values["starts_at"], values["ends_at"]
        )
    ]
    if new:
        created = Slot.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        result.created = len(created)
    # New schedules and lifted closures make places: waiting families may want them.
    hooks.places_freed([slot.pk for slot in new] + reactivate_ids)
    return result


# --- Booking ------------------------------------------------------------------------------------


def _lock_timeout_is_busy(func):
    """A write lock that other bookings still hold after the busy timeout becomes `Busy` (409).

    Only SQLite (`make run`) reports this ("database is locked"): its IMMEDIATE transactions
    queue writers at BEGIN, and one that waited longer than the timeout must not be a 500.
    Wraps the transaction, because the error comes from BEGIN itself.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            logger.warning("%s: database still locked after the busy timeout", func.__name__)
            raise Busy from exc

    return wrapper


def _check_window(slot: Slot, now: datetime) -> None:
    earliest, latest = booking_window(now)
    if slot.starts_at < earliest or slot.starts_at > latest:
        raise OutsideBookingWindow


def _check_type(slot: Slot, appointment_type: AppointmentType, *, online: bool) -> None:
    if slot.schedule_id is None or not slot.is_active:
        raise SlotUnavailable
    if online and not appointment_type.bookable_online:
        raise NotBookable
    if not appointment_type.schedules.filter(pk=slot.schedule_id).exists():
        raise NotBookable


def check_child_age(*, child: Child, appointment_type: AppointmentType, on: date) -> None:
    """Raise ChildTooYoung / ChildTooOld when the type is not meant for the child on that day.

    The one age rule for every step: the week view and confirm page call it before the final
    booking does, so an edited URL is refused with the same reason as the booking would be.
    """
    months = ages.months_between(child.date_of_birth, on) if child.date_of_birth else None
    problem = appointment_type.age_problem(months)
    if problem == "too_young":
        raise ChildTooYoung
    if problem == "too_old":
        raise ChildTooOld


def _check_child(child: Child | None, appointment_type: AppointmentType, slot: Slot) -> None:
    if appointment_type.is_group:
        return
    if child is None:
        raise NotBookable
    check_child_age(
        child=child,
        appointment_type=appointment_type,
        on=timezone.localtime(slot.starts_at).date(),
    )


def _child_overlap_exists(child_id, starts: datetime, ends: datetime, exclude=None) -> bool:
    qs = Appointment.objects.filter(
        child_id=child_id, status=Appointment.Status.BOOKED, starts_at__lt=ends, ends_at__gt=starts
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    return qs.exists()


def _integrity_to_booking_error(exc: IntegrityError) -> BookingError:
    text = str(exc)
    if "no_child_overlap" in text:
        return ChildAlreadyBooked()
    if "one_place_per_family" in text:
        return AlreadyBooked()
    if "one_per_moment" in text:
        return MomentNotPlannable()
    return SlotUnavailable()


def _clean_topics(topics) -> list:
    """Active topics (onderwerpen.Topic) for the given topics or ids; unknown ones are dropped."""

    ids = [getattr(t, "pk", t) for t in (topics or [])]
    valid = {str(pk) for pk in Topic.objects.filter(is_active=True).values_list("pk", flat=True)}
    return [pk for pk in dict.fromkeys(ids) if str(pk) in valid]


def _take_place(
    *,
    slot: Slot,
    appointment_type: AppointmentType,
    parent: User,
    child: Child | None,
    booked_by: User | None,
    topics,
    note: str,
    ical_uid: str = "",
    ical_sequence: int = 0,
    exclude_appointment=None,
    share_first_name: bool = False,
) -> Appointment:
    """Count and insert under the slot lock the caller holds. Raises BookingError."""
    if slot.booked_count >= slot.capacity:
        raise SlotUnavailable
    ends_at = slot.starts_at + timedelta(minutes=appointment_type.duration_minutes)
    if child is not None and _child_overlap_exists(
        child.pk, slot.starts_at, ends_at, exclude=exclude_appointment
    ):
        raise ChildAlreadyBooked
    if Appointment.objects.filter(
        slot=slot, family_id=parent.family_id, status__in=Appointment.HOLDS_PLACE
    ).exists():
        raise AlreadyBooked
    try:
        with transaction.atomic():
            appointment = Appointment(
                slot=slot,
                appointment_type=appointment_type,
                family_id=parent.family_id,
                child=child,
                parent=parent,
                booked_by=booked_by,
                starts_at=slot.starts_at,
                ends_at=ends_at,
                note=(note or "").strip()[:1000],
                ical_sequence=ical_sequence,
                share_first_name=share_first_name,
            )
            appointment.ical_uid = ical_uid or f"{appointment.pk}@ouderportaal"
            appointment.save(force_insert=True)
            appointment.topics.set(_clean_topics(topics))
            Slot.objects.filter(pk=slot.pk).update(booked_count=F("booked_count") + 1)
    except IntegrityError as exc:
        raise _integrity_to_booking_error(exc) from exc
    slot.booked_count += 1
    return appointment


@_lock_timeout_is_busy
@transaction.atomic
def book_appointment(
    *,
    slot_id,
    appointment_type_id,
    parent: User,
    child_id=None,
    booked_by: User | None = None,
    topics=(),
    note: str = "",
    online: bool = True,
    moment_code: str = "",
    interpreter_language: str = "",
    share_first_name: bool = False,
    youth_contact: hooks.YouthContact | None = None,
) -> Appointment:
    """Book one place in a slot for the parent's family (and child, for a consult).

    Locks the Slot row, so parallel requests for the last place queue here: exactly one gets
    it, the others see a full slot (SlotUnavailable -> HTTP 409). `online=False` is for staff
    booking on a parent's behalf (types not bookable online are allowed; the window still is).
    `moment_code` books the child's contact moment: the registered moment link (afspraken.hooks)
    refuses a type that does not serve it, a time outside its window, or a moment already
    planned (MomentNotPlannable), and the whole booking rolls back. `share_first_name` (group
    meetings): the parent agreed that the meeting's co-host sees their first name.
    """
    if parent.family_id is None:
        raise NotBookable
    now = timezone.now()
    slot = Slot.objects.select_for_update().filter(pk=slot_id).first()
    if slot is None:
        raise SlotUnavailable
    appointment_type = AppointmentType.objects.filter(pk=appointment_type_id).first()
    if appointment_type is None:
        raise NotBookable
    child = None
    if child_id and not appointment_type.is_group:
        child = Child.objects.filter(pk=child_id, family_id=parent.family_id).first()
        if child is None:
            raise NotBookable
    _check_window(slot, now)
    _check_type(slot, appointment_type, online=online)
    _check_child(child, appointment_type, slot)
    appointment = _take_place(
        slot=slot,
        appointment_type=appointment_type,
        parent=parent,
        child=child,
        booked_by=booked_by or parent,
        topics=topics,
        note=note,
        share_first_name=share_first_name and slot.is_group,
    )
    if _interpreter(interpreter_language):
        appointment.interpreter_language = _interpreter(interpreter_language)
        appointment.save(update_fields=["interpreter_language"])
    if moment_code:
        link = hooks.moment_link()
        if link is None or child is None:
            raise MomentNotPlannable
        child_moment = link.plan(
            appointment=appointment, code=moment_code, youth_contact=youth_contact
        )
        appointment.contact_moment = child_moment
        appointment.save(update_fields=["contact_moment"])
    _record_change(appointment, AppointmentChange.Action.BOOKED, actor=booked_by or parent)
    if booked_by is not None and booked_by.is_jgz_staff:
        record_access(
            actor=booked_by,
            action=AccessLog.Action.CREATE,
            record_type=Appointment,
            record_ids=[appointment.pk],
            child_ids=[appointment.child_id],
            family_ids=[appointment.family_id],
            reason="booked on behalf of the family",
        )
    _send(appointment, template="afspraken/confirmation", ics=True)
    return appointment


@_lock_timeout_is_busy
@transaction.atomic
def reschedule_appointment(*, appointment_id, new_slot_id, actor: User) -> Appointment:
    """Move a booked appointment to another slot: the new place first, then release the old.

    Both slot rows are locked (in pk order, so two crossing reschedules cannot deadlock). If
    the new place is gone the old appointment is untouched. The new appointment gets a new
    token (the old link then only shows "moved") and keeps the calendar UID.
    """
    now = timezone.now()
    old = Appointment.objects.select_for_update().filter(pk=appointment_id).first()
    if old is None:
        raise NotChangeable
    if not old.is_booked:
        raise NotChangeable
    by_staff = actor.is_jgz_staff
    if not by_staff and not old.can_change_online(now):
        raise PastCutoff
    slots = {
        s.pk: s
        for s in Slot.objects.select_for_update()
        .filter(pk__in=[old.slot_id, new_slot_id])
        .order_by("pk")
    }
    new_slot = next((s for pk, s in slots.items() if str(pk) == str(new_slot_id)), None)
    if new_slot is None or new_slot.pk == old.slot_id:
        raise SlotUnavailable
    appointment_type = old.appointment_type
    _check_window(new_slot, now)
    _check_type(new_slot, appointment_type, online=not by_staff)
    _check_child(old.child, appointment_type, new_slot)
    # Release the old one inside the same transaction, so the child-overlap checks allow a
    # move to an adjacent time; if taking the new place fails, the rollback restores it.
    Appointment.objects.filter(pk=old.pk).update(status=Appointment.Status.MOVED, changed_at=now)
    new = _take_place(
        slot=new_slot,
        appointment_type=appointment_type,
        parent=old.parent,
        child=old.child,
        booked_by=actor,
        topics=list(old.topics.all()),
        note=old.note,
        ical_uid=old.ical_uid,
        ical_sequence=old.ical_sequence + 1,
        exclude_appointment=old.pk,
    )
    if old.interpreter_language:
        new.interpreter_language = old.interpreter_language
        new.save(update_fields=["interpreter_language"])
    Slot.objects.filter(pk=old.slot_id).update(booked_count=F("booked_count") - 1)
    hooks.places_freed([old.slot_id])
    old.status, old.moved_to, old.changed_at = Appointment.Status.MOVED, new, now
    old.save(update_fields=["status", "moved_to", "changed_at"])
    if old.contact_moment_id:
        # The contact moment stays planned: its link moves to the new time (set only now that
        # the old row is `moved`, so "one appointment per moment" holds at every statement),
        # after the moment link checked the new day against the moment's window.
        link = hooks.moment_link()
        if link is None:
            raise MomentNotPlannable
        link.plan(appointment=new, code=old.contact_moment.moment.code)
        new.contact_moment_id = old.contact_moment_id
        new.save(update_fields=["contact_moment"])
    # Questions the family asked to discuss at this appointment (vragen.Question.appointment)
    # move along; otherwise the nurse would not see them at the new time.
    old.questions.update(appointment=new)
    _record_change(old, AppointmentChange.Action.MOVED, actor=actor)
    _record_change(new, AppointmentChange.Action.BOOKED, actor=actor, detail="moved")
    if by_staff:
        record_access(
            actor=actor,
            action=AccessLog.Action.CHANGE,
            record_type=Appointment,
            record_ids=[new.pk],
            child_ids=[new.child_id],
            family_ids=[new.family_id],
            reason="rescheduled",
        )
    _send(new, template="afspraken/rescheduled", ics=True)
    return new


def _release(appointment: Appointment, *, status: str, reason: str, now: datetime) -> None:
    # The UPDATE takes the slot's row lock, so it queues behind a booking in progress.
    Slot.objects.filter(pk=appointment.slot_id).update(booked_count=F("booked_count") - 1)
    hooks.places_freed([appointment.slot_id])
    appointment.status = status
    appointment.cancel_reason = (reason or "").strip()[:500]
    appointment.changed_at = now
    appointment.ical_sequence += 1
    appointment.save(update_fields=["status", "cancel_reason", "changed_at", "ical_sequence"])


@_lock_timeout_is_busy
@transaction.atomic
def cancel_appointment(*, appointment_id, actor: User | None, reason: str = "") -> Appointment:
    """A parent cancels, before the cut-off only: logged in (`actor` the parent) or through
    the e-mail link without logging in (`actor=None`); the change records which."""
    now = timezone.now()
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot__location", "appointment_type", "parent")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None or not appointment.is_booked:
        raise NotChangeable
    if not appointment.can_change_online(now):
        raise PastCutoff
    _release(appointment, status=Appointment.Status.CANCELLED, reason=reason, now=now)
    _notify_moment(appointment)
    _record_change(appointment, AppointmentChange.Action.CANCELLED, actor=actor)
    _send(appointment, template="afspraken/cancelled", ics=True, cancel=True)
    return appointment


@transaction.atomic
def cancel_for_account_deletion(*, appointment_id) -> bool:
    """Free the place of a family whose account is deleted (privacy app), also after the
    online cut-off: the cut-off protects the planning from late changes, but a deleted
    account must never keep a place. No e-mail: the address is being removed."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",)).filter(pk=appointment_id).first()
    )
    if appointment is None or not appointment.is_booked:
        return False
    _release(
        appointment,
        status=Appointment.Status.CANCELLED,
        reason="account deleted",
        now=timezone.now(),
    )
    _notify_moment(appointment)
    AppointmentChange.objects.create(
        appointment=appointment,
        action=AppointmentChange.Action.CANCELLED,
        by=AppointmentChange.By.SYSTEM,
        detail="account deleted",
    )
    return True


def _interpreter(language: str | None) -> str:
    from core.languages import INTERPRETER_NAMES

    return language if language in INTERPRETER_NAMES else ""


@_lock_timeout_is_busy
@transaction.atomic
def update_topics(
    *,
    appointment_id,
    actor: User,
    topics,
    note: str = "",
    interpreter_language: str | None = None,
) -> Appointment:
    """'Wat wil je bespreken?': editable until the appointment starts, by a logged-in parent
    (the e-mail link alone cannot: the note may be sensitive). `interpreter_language` ("" for
    none, None to leave it as it is): "Ik wil een tolk", shown on the nurse's agenda."""
    appointment = Appointment.objects.select_for_update().filter(pk=appointment_id).first()
    if appointment is None or not appointment.can_edit_topics():
        raise NotChangeable
    appointment.topics.set(_clean_topics(topics))
    appointment.note = (note or "").strip()[:1000]
    appointment.changed_at = timezone.now()
    fields = ["note", "changed_at"]
    if interpreter_language is not None:
        appointment.interpreter_language = _interpreter(interpreter_language)
        fields.append("interpreter_language")
    appointment.save(update_fields=fields)
    _record_change(appointment, AppointmentChange.Action.TOPICS, actor=actor)
    return appointment


OUTCOMES = (
    Appointment.Status.ATTENDED,
    Appointment.Status.NO_SHOW,
    Appointment.Status.CANCELLED_BY_JGZ,
)


@_lock_timeout_is_busy
@transaction.atomic
def set_outcome(*, appointment_id, actor: User, status: str, reason: str = "") -> Appointment:
    """Staff mark attended / no-show / cancelled by JGZ.

    A no-show creates a follow-up (call the family), never a booking block. Cancelling by JGZ
    frees the place and e-mails the parent a link to book again.
    """
    if status not in OUTCOMES or not actor.has_capability(Capability.PLANNING):
        raise NotChangeable
    now = timezone.now()
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("slot__location", "appointment_type", "parent")
        .filter(pk=appointment_id)
        .first()
    )
    if appointment is None:
        raise NotChangeable
    allowed_from = {
        Appointment.Status.ATTENDED: (Appointment.Status.BOOKED, Appointment.Status.NO_SHOW),
        Appointment.Status.NO_SHOW: (Appointment.Status.BOOKED, Appointment.Status.ATTENDED),
        Appointment.Status.CANCELLED_BY_JGZ: (Appointment.Status.BOOKED,),
    }[status]
    if appointment.status == status:
        return appointment  # a double click or a retried request: already done
    if appointment.status not in allowed_from:
        raise NotChangeable
    if status in (Appointment.Status.ATTENDED, Appointment.Status.NO_SHOW) and (
        appointment.starts_at > now
    ):
        # Nobody can have come (or not) to an appointment that has not started yet.
        raise NotChangeable
    if status == Appointment.Status.CANCELLED_BY_JGZ:
        _release(appointment, status=status, reason=reason, now=now)
        _send(appointment, template="afspraken/cancelled_by_jgz", ics=True, cancel=True)
    else:
        appointment.status = status
        appointment.changed_at = now
        appointment.save(update_fields=["status", "changed_at"])
        if status == Appointment.Status.NO_SHOW:
            FollowUp.objects.get_or_create(
                appointment=appointment,
                kind=FollowUp.Kind.CALL_FAMILY,
                defaults={"created_by": actor},
            )
    _notify_moment(appointment)
    _record_change(appointment, AppointmentChange.Action.OUTCOME, actor=actor, detail=status)
    record_access(
        actor=actor,
        action=AccessLog.Action.CHANGE,
        record_type=Appointment,
        record_ids=[appointment.pk],
        child_ids=[appointment.child_id],
        family_ids=[appointment.family_id],
        reason=f"status {status}",
    )
    return appointment


@transaction.atomic
def complete_follow_up(*, follow_up_id, actor: User) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().filter(pk=follow_up_id).first()
    if follow_up is None or not actor.has_capability(Capability.PLANNING):
        raise NotChangeable
    if follow_up.done_at is None:
        follow_up.done_at, follow_up.done_by = timezone.now(), actor
        follow_up.save(update_fields=["done_at", "done_by"])
        appointment = follow_up.appointment
        record_access(
            actor=actor,
            action=AccessLog.Action.CHANGE,
            record_type=Appointment,
            record_ids=[appointment.pk],
            child_ids=[appointment.child_id],
            family_ids=[appointment.family_id],
            reason="follow-up done",
        )
    return follow_up


def _notify_moment(appointment: Appointment) -> None:
    link = hooks.moment_link()
    if appointment.contact_moment_id and link is not None:
        link.changed(appointment=appointment)


# --- E-mail ------------------------------------------------------------------------------------


def appointment_link(appointment: Appointment) -> str:
    """The per-appointment link in e-mails (works without logging in, never acts on GET)."""
    return settings.SITE_URL + reverse("afspraken:token", args=[appointment.token])


def youth_recipient(appointment: Appointment) -> hooks.YouthContact | None:
    """The youth's own contact when the appointment is their contact moment (16+), else None
    (mails go to the parent)."""
    link = hooks.moment_link()
    if link is None or not appointment.contact_moment_id:
        return None
    return link.youth_contact(appointment=appointment)


def _send(appointment: Appointment, *, template: str, ics: bool, cancel: bool = False) -> None:
    appointment = (
        Appointment.objects.select_related("slot__location", "appointment_type", "parent", "child")
        .filter(pk=appointment.pk)
        .first()
    )
    attachments = []
    if ics:
        method = ical.CANCEL if cancel else ical.REQUEST
        attachments.append(
            (
                "afspraak.ics",
                ical.build_ics(appointment=appointment, method=method),
                # The method parameter tells mail clients to treat it as an invitation update.
                f"text/calendar; method={method}",
            )
        )
    to = appointment.parent.email
    youth = youth_recipient(appointment)
    if youth is not None:
        to = youth.email  # from 16: the youth's own address, never the parents'
        if not to:
            return  # no address noted: the professional arranges it by phone or at school
    queue_email(
        to=to,
        template=template,
        context={
            "appointment": appointment,
            "location": appointment.slot.location,
            "link": appointment_link(appointment),
            "book_url": settings.SITE_URL + reverse("afspraken:book"),
        },
        kind=template.replace("/", "_"),
        attachments=attachments,
        secret=True,  # the appointment link can cancel
    )


@dataclass
class AgendaHandover:
    moved_slots: int = 0
    moved_appointments: int = 0
    # Slots the colleague could not take (they have a slot then): they stay, for the manager.
    conflicts: list = field(default_factory=list)


@transaction.atomic
def hand_over_agenda(*, actor: User, from_user: User, to_user: User) -> AgendaHandover:
    """Move `from_user`'s future slots, booked or free, to `to_user`: the families keep their
    appointment and see the colleague's name. A slot that overlaps one the colleague already
    has stays with `from_user` and is reported. The booked appointments moved are logged as a
    change. Locks the slots; the weekly schedules (future slots beyond the horizon) are changed
    in the admin."""
    now = timezone.now()
    slots = list(
        Slot.objects.select_for_update()
        .filter(professional=from_user, starts_at__gte=now)
        .order_by("starts_at")
    )
    busy = list(
        Slot.objects.filter(professional=to_user, ends_at__gt=now)
        .filter(Q(is_active=True) | Q(booked_count__gt=0))
        .values_list("starts_at", "ends_at")
    )
    result = AgendaHandover()
    moved = []
    for slot in slots:
        if _overlaps(busy, slot.starts_at, slot.ends_at):
            result.conflicts.append(slot)
            continue
        moved.append(slot.pk)
        busy.append((slot.starts_at, slot.ends_at))
    result.moved_slots = Slot.objects.filter(pk__in=moved).update(professional=to_user)
    appointments = list(
        Appointment.objects.filter(slot_id__in=moved, status=Appointment.Status.BOOKED)
    )
    record_list_access(
        actor=actor, records=appointments, reason="handover", action=AccessLog.Action.CHANGE
    )
    # The family sees another name on its appointment: say who made that change.
    AppointmentChange.objects.bulk_create(
        AppointmentChange(
            appointment=appointment,
            action=AppointmentChange.Action.HANDED_OVER,
            by=AppointmentChange.By.STAFF,
            user=actor,
            detail=f"to user {to_user.pk}"[:30],
        )
        for appointment in appointments
    )
    result.moved_appointments = len(appointments)
    return result
