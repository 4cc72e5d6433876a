"""Write side of the waiting list: joining, offering freed places, accepting, expiring.

Flow: afspraken calls `places_freed` inside the transaction that freed a place (cancel, move,
new schedule); after the commit a task runs `offer_places`, which offers each free place to the
first matching waiting families (`WACHTLIJST_OFFERS_PER_PLACE` per free seat). An offer made at
night is sent in the morning (`offertime`). The first to accept gets the place: the booking is
afspraken' own (`book_appointment` / `reschedule_appointment`, with all their checks) inside
our transaction, so a moved appointment frees its old place in the same commit, and that place
is offered in turn. A beat scan (`process_offers`) expires offers, sends the morning's offers
and looks again for waiting families whose wish a free place meets.

Locking: `accept_offer` locks the current appointment row, then the slot rows in primary-key
order, as `reschedule_appointment` does, so it can never deadlock with a cancel or a move.
"""

import functools
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from afspraken import hooks
from afspraken import services as booking
from afspraken.exceptions import BookingError, SlotUnavailable
from afspraken.models import Appointment, AppointmentType, Location, Slot
from afspraken.selectors import day_part_matches
from core.broker import publish
from families.models import Child
from outbox.services import queue_email
from wachtlijst import offertime
from wachtlijst.exceptions import (
    AlreadyWaiting,
    Busy,
    NotWaitable,
    OfferExpired,
    OfferGone,
    OfferNotOpen,
    OfferRefused,
    WaitlistError,
)
from wachtlijst.models import Entry, Offer

logger = logging.getLogger(__name__)


def _day_bounds() -> dict:
    return {"day_start": settings.WACHTLIJST_DAY_START, "day_end": settings.WACHTLIJST_DAY_END}


# --- Joining and leaving --------------------------------------------------------------------------


@transaction.atomic
def join_waitlist(
    *,
    parent: User,
    appointment_id=None,
    child_id=None,
    appointment_type_id=None,
    moment_code: str = "",
    meeting_id=None,
    location_id=None,
    part: str = "",
) -> Entry:
    """Put the family on the waiting list: to move a booked `appointment_id` earlier, to book a
    child's `appointment_type_id` (nothing was free), or for a full group meeting `meeting_id`.

    Raises NotWaitable (not theirs, not booked) or AlreadyWaiting (the database says so)."""
    if not parent.is_parent or parent.family_id is None:
        raise NotWaitable
    if part not in Entry.Part.values:
        raise NotWaitable
    location = None
    if location_id:
        location = Location.objects.filter(pk=location_id, is_active=True).first()
        if location is None:
            raise NotWaitable
    fields = {"family_id": parent.family_id, "parent": parent, "location": location, "part": part}
    if appointment_id:
        appointment = (
            Appointment.objects.select_related("appointment_type")
            .filter(pk=appointment_id, family_id=parent.family_id)
            .first()
        )
        if appointment is None or not appointment.can_change_online():
            raise NotWaitable
        if appointment.appointment_type.is_group:
            raise NotWaitable
        fields.update(
            appointment=appointment,
            child_id=appointment.child_id,
            appointment_type_id=appointment.appointment_type_id,
        )
    elif meeting_id:
        meeting = Slot.objects.filter(pk=meeting_id, is_group=True, is_active=True).first()
        if meeting is None or meeting.starts_at <= timezone.now():
            raise NotWaitable
        meeting_type = meeting.schedule.types.filter(capacity__gt=1).first()
        if (
            meeting_type is None
            or Appointment.objects.filter(
                slot=meeting, family_id=parent.family_id, status__in=Appointment.HOLDS_PLACE
            ).exists()
        ):
            raise NotWaitable
        # A meeting has one place: the location and time filters do not apply.
        fields.update(meeting=meeting, appointment_type=meeting_type, location=None, part="")
    else:
        child = Child.objects.filter(pk=child_id, family_id=parent.family_id).first()
        appointment_type = AppointmentType.objects.filter(
            pk=appointment_type_id, capacity=1, bookable_online=True
        ).first()
        if child is None or appointment_type is None:
            raise NotWaitable
        fields.update(child=child, appointment_type=appointment_type, moment_code=moment_code[:30])
    try:
        with transaction.atomic():
            entry = Entry.objects.create(**fields)
    except IntegrityError as exc:
        raise AlreadyWaiting from exc
    # A free place may already meet the wish: the scan would find it; do it now.
    transaction.on_commit(partial(_publish_entry, entry.pk))
    return entry


def _publish_entry(entry_id) -> None:
    from wachtlijst.tasks import offer_for_entry_task

    publish(offer_for_entry_task, str(entry_id))


@transaction.atomic
def leave_waitlist(*, parent: User, entry_id) -> Entry:
    entry = (
        Entry.objects.select_for_update()
        .filter(pk=entry_id, family_id=parent.family_id, status=Entry.Status.WAITING)
        .first()
    )
    if entry is None:
        raise NotWaitable
    _end(entry, Entry.Status.LEFT)
    # An offer not yet answered goes to the next family.
    slot_ids = list(entry.offers.filter(status__in=Offer.LIVE).values_list("slot_id", flat=True))
    entry.offers.filter(status__in=Offer.LIVE).update(
        status=Offer.Status.DECLINED, answered_at=timezone.now()
    )
    places_freed(slot_ids=slot_ids)
    return entry


def _end(entry: Entry, status: str) -> None:
    entry.status, entry.ended_at = status, timezone.now()
    entry.save(update_fields=["status", "ended_at"])


# --- Places that free up --------------------------------------------------------------------------


def places_freed(*, slot_ids) -> None:
    """The afspraken listener: called inside the transaction that freed the places. After the
    commit a task offers them; nothing happens when nobody waits."""
    if not slot_ids or not Entry.objects.filter(status=Entry.Status.WAITING).exists():
        return
    ids = [str(pk) for pk in slot_ids]
    transaction.on_commit(partial(_publish_places, ids))


def _publish_places(slot_ids: list[str]) -> None:
    from wachtlijst.tasks import offer_places_task

    # Broker down: the beat scan's sweep finds these places later.
    publish(offer_places_task, slot_ids)


# --- Matching ------------------------------------------------------------------------------------


@dataclass
class Window:
    """Until when an offer made now would hold, and from when (night: the morning)."""

    sends_at: datetime
    expires_at: datetime


def _window_for(slot: Slot, now: datetime) -> Window | None:
    """None when the place starts too soon to offer it for at least the minimum time."""
    sends_at = offertime.send_time(now, **_day_bounds())
    expires_at = offertime.deadline(
        sends_at, hours=settings.WACHTLIJST_OFFER_VALID_HOURS, **_day_bounds()
    )
    # Accepting must still respect the booking notice the nurse needs.
    last_moment = slot.starts_at - timedelta(hours=settings.AFSPRAKEN_MIN_NOTICE_HOURS)
    expires_at = min(expires_at, last_moment)
    if expires_at - sends_at < timedelta(minutes=settings.WACHTLIJST_MIN_OFFER_MINUTES):
        return None
    _earliest, latest = booking.booking_window(sends_at)
    if slot.starts_at > latest:
        return None
    return Window(sends_at=sends_at, expires_at=expires_at)


def _moment_days(entry: Entry) -> tuple[date, date] | None:
    """The contact moment's window (first day, last day), or None when there is no moment."""
    code = entry.moment_code
    if entry.appointment_id and entry.appointment.contact_moment_id:
        code = entry.appointment.contact_moment.moment.code
    if not code or entry.child is None:
        return None
    link = hooks.moment_link()
    window = link.window(child=entry.child, code=code) if link else None
    # A moment without a window now (closed, or no longer in the schedule): nothing fits.
    return window or (date.max, date.min)


def _child_busy(entry: Entry, starts: datetime, ends: datetime) -> bool:
    qs = Appointment.objects.filter(
        child_id=entry.child_id,
        status=Appointment.Status.BOOKED,
        starts_at__lt=ends,
        ends_at__gt=starts,
    )
    if entry.appointment_id:
        qs = qs.exclude(pk=entry.appointment_id)
    return qs.exists()


def entry_still_valid(entry: Entry, now: datetime) -> bool:
    """False (and the entry ends) when there is nothing left to wait for."""
    reason = None
    if entry.appointment_id and not entry.appointment.can_change_online(now):
        reason = "appointment"
    elif entry.meeting_id and entry.meeting.starts_at <= now:
        reason = "meeting"
    elif (
        entry.offers.filter(status__in=[Offer.Status.EXPIRED, Offer.Status.DECLINED]).count()
        >= settings.WACHTLIJST_MAX_OFFERS
    ):
        reason = "offers"
    if reason is None:
        return True
    _end(entry, Entry.Status.ENDED)
    return False


def matches(entry: Entry, slot: Slot, *, now: datetime) -> bool:
    """Would this free place suit this waiting family? The booking itself re-checks all."""
    if entry.meeting_id:
        return slot.pk == entry.meeting_id
    if slot.is_group or entry.location_id not in (None, slot.location_id):
        return False
    if not day_part_matches(slot.starts_at, entry.part):
        return False
    if entry.appointment_id and slot.starts_at >= entry.appointment.starts_at:
        return False  # "eerder": only an earlier place
    days = _moment_days(entry)
    if days is not None and not days[0] <= timezone.localtime(slot.starts_at).date() <= days[1]:
        return False
    ends = slot.starts_at + timedelta(minutes=entry.appointment_type.duration_minutes)
    if _child_busy(entry, slot.starts_at, ends):
        return False
    try:
        booking.check_child_age(
            child=entry.child,
            appointment_type=entry.appointment_type,
            on=timezone.localtime(slot.starts_at).date(),
        )
    except BookingError:
        return False
    return True


def _waiting_for(slot: Slot) -> list[Entry]:
    """Waiting entries that could want this slot, first come first served, without those whose
    parent already has an offer or who had this slot offered before."""
    live_parents = Offer.objects.filter(status__in=Offer.LIVE).values("parent_id")
    offered = Offer.objects.filter(slot=slot).values("entry_id")
    qs = Entry.objects.filter(status=Entry.Status.WAITING).exclude(parent_id__in=live_parents)
    if slot.is_group:
        qs = qs.filter(meeting=slot)
    else:
        qs = qs.filter(meeting__isnull=True, appointment_type__schedules=slot.schedule_id).filter(
            Q(location__isnull=True) | Q(location_id=slot.location_id)
        )
    return list(
        qs.exclude(pk__in=offered)
        .select_related(
            "appointment__contact_moment__moment", "appointment_type", "child", "meeting"
        )
        .order_by("created_at")[: settings.WACHTLIJST_SCAN_LIMIT]
    )


def _make_offer(entry: Entry, slot: Slot, window: Window, now: datetime) -> Offer | None:
    """Insert the offer; None when the database refuses (the parent got another meanwhile)."""
    try:
        with transaction.atomic():
            offer = Offer.objects.create(entry=entry, parent_id=entry.parent_id, slot=slot)
    except IntegrityError:
        return None
    if window.sends_at <= now:
        _deliver(offer, slot=slot, expires_at=window.expires_at, now=now)
    return offer


@transaction.atomic
def offer_places(*, slot_ids, now: datetime | None = None) -> int:
    """Offer each free place among `slot_ids` to the first matching waiting families.

    Locks each slot row while it makes its offers, so two runs at once do not offer one place
    more often than `WACHTLIJST_OFFERS_PER_PLACE` per free seat. Returns the offers made."""
    now = now or timezone.now()
    made = 0
    slots = (
        Slot.objects.select_for_update()
        .filter(pk__in=list(slot_ids), is_active=True, booked_count__lt=F("capacity"))
        .filter(starts_at__gt=now)
        .order_by("pk")
    )
    for slot in slots:
        window = _window_for(slot, now)
        if window is None or slot.schedule_id is None:
            continue
        room = slot.seats_left * settings.WACHTLIJST_OFFERS_PER_PLACE - (
            Offer.objects.filter(slot=slot, status__in=Offer.LIVE).count()
        )
        if room <= 0:
            continue
        for entry in _waiting_for(slot):
            if room <= 0:
                break
            if not entry_still_valid(entry, now) or not matches(entry, slot, now=now):
                continue
            if _make_offer(entry, slot, window, now) is not None:
                made += 1
                room -= 1
    return made


def _free_slots_for(entry: Entry, now: datetime) -> list:
    earliest, latest = booking.booking_window(now)
    qs = Slot.objects.filter(
        is_active=True,
        booked_count__lt=F("capacity"),
        starts_at__gte=earliest,
        starts_at__lte=latest,
    ).exclude(pk__in=Offer.objects.filter(entry=entry).values("slot_id"))
    if entry.meeting_id:
        qs = qs.filter(pk=entry.meeting_id)
    else:
        qs = qs.filter(is_group=False, schedule__types=entry.appointment_type_id)
        if entry.location_id:
            qs = qs.filter(location_id=entry.location_id)
        if entry.appointment_id:
            qs = qs.filter(starts_at__lt=entry.appointment.starts_at)
    return list(qs.order_by("starts_at").values_list("pk", flat=True)[:50])


def offer_for_entry(*, entry_id, now: datetime | None = None) -> int:
    """The earliest free place that meets this family's wish, if any (after joining, and in the
    sweep). Each candidate goes through `offer_places`, so the first in line still goes first."""
    now = now or timezone.now()
    entry = (
        Entry.objects.select_related(
            "appointment__contact_moment__moment", "appointment_type", "child", "meeting"
        )
        .filter(pk=entry_id, status=Entry.Status.WAITING)
        .first()
    )
    if entry is None or Offer.objects.filter(parent=entry.parent, status__in=Offer.LIVE).exists():
        return 0
    for slot_id in _free_slots_for(entry, now):
        if offer_places(slot_ids=[slot_id], now=now):
            if Offer.objects.filter(entry=entry, status__in=Offer.LIVE).exists():
                return 1
    return 0


# --- Sending, expiring ---------------------------------------------------------------------------


def offer_link(offer: Offer) -> str:
    return settings.SITE_URL + reverse("wachtlijst:offer", args=[offer.token])


def _deliver(offer: Offer, *, slot: Slot, expires_at: datetime, now: datetime) -> None:
    offer.status, offer.sent_at, offer.expires_at = Offer.Status.OPEN, now, expires_at
    offer.save(update_fields=["status", "sent_at", "expires_at"])
    slot = Slot.objects.select_related("location").get(pk=slot.pk)
    entry = offer.entry
    context = {
        "offer": offer,
        "slot": slot,
        "location": slot.location,
        "appointment_type": entry.appointment_type,
        "current": entry.appointment,
        "link": offer_link(offer),
    }
    channels = _channels(entry)
    if channels.email:
        queue_email(
            to=entry.parent.email,
            template="wachtlijst/offer",
            context=context,
            kind="wachtlijst_offer",
            secret=True,  # the link accepts the place
        )
    if channels.sms_to:
        _queue_sms(channels.sms_to, entry, context)


@dataclass(frozen=True)
class _EmailOnly:
    email: bool = True
    sms_to: str = ""


def _channels(entry: Entry):
    """E-mail, SMS or both, as the family chose (the `sms` app); e-mail only without it."""
    try:
        from sms.selectors import get_channels
    except ImportError:
        return _EmailOnly()
    return get_channels(family=entry.family, has_email=bool(entry.parent.email))


def _queue_sms(to: str, entry: Entry, context: dict) -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    from sms.services import queue_sms, recipient_language

    context = {**context, "jgz_phone": settings.JGZ_PHONE}
    with translation.override(recipient_language(to, entry.family)):
        body = " ".join(render_to_string("wachtlijst/offer_sms.txt", context).split())
    try:
        queue_sms(to=to, body=body, kind="wachtlijst_offer", family=entry.family)
    except ValueError:
        # A number the SMS app refuses: the offer still stands, on the page and by e-mail.
        logger.warning("Offer SMS for entry %s refused by the SMS app", entry.pk)


@transaction.atomic
def send_due_offers(*, now: datetime | None = None) -> int:
    """Morning: send the offers made at night; their validity starts now. An offer whose place
    went meanwhile, or no longer fits, is dropped (GONE) and the place offered afresh."""
    now = now or timezone.now()
    if offertime.send_time(now, **_day_bounds()) > now:
        return 0
    sent = 0
    offers = list(
        Offer.objects.select_for_update(of=("self",))
        .select_related("entry__appointment__contact_moment__moment", "entry__child", "slot")
        .select_related("entry__appointment_type", "entry__meeting", "entry__parent")
        .filter(status=Offer.Status.PENDING)
        .order_by("created_at")[: settings.WACHTLIJST_SCAN_LIMIT]
    )
    dropped = []
    for offer in offers:
        slot = offer.slot
        window = _window_for(slot, now)
        fits = (
            window is not None
            and slot.is_active
            and slot.booked_count < slot.capacity
            and offer.entry.is_waiting
            and entry_still_valid(offer.entry, now)
            and matches(offer.entry, slot, now=now)
        )
        if not fits:
            offer.status, offer.answered_at = Offer.Status.GONE, now
            offer.save(update_fields=["status", "answered_at"])
            dropped.append(slot.pk)
            continue
        _deliver(offer, slot=slot, expires_at=window.expires_at, now=now)
        sent += 1
    places_freed(slot_ids=dropped)
    return sent


def expire_offers(*, now: datetime | None = None) -> int:
    """Close the offers past their time (a conditional UPDATE: a parent accepting at this very
    moment either wins the row first or finds it expired) and offer the places to the next."""
    now = now or timezone.now()
    with transaction.atomic():
        slot_ids = list(
            Offer.objects.filter(status=Offer.Status.OPEN, expires_at__lte=now)
            .values_list("slot_id", flat=True)
            .distinct()
        )
        expired = Offer.objects.filter(
            status=Offer.Status.OPEN, expires_at__lte=now, slot_id__in=slot_ids
        ).update(status=Offer.Status.EXPIRED)
    if slot_ids:
        offer_places(slot_ids=slot_ids, now=now)
    return expired


def sweep(*, now: datetime | None = None) -> int:
    """Waiting families without an offer: is there a free place for them now (a new schedule,
    a task lost while the broker was down)?"""
    now = now or timezone.now()
    if offertime.send_time(now, **_day_bounds()) > now:
        return 0  # at night the morning's run does it, with fresh free places
    live_parents = Offer.objects.filter(status__in=Offer.LIVE).values("parent_id")
    entry_ids = list(
        Entry.objects.filter(status=Entry.Status.WAITING)
        .exclude(parent_id__in=live_parents)
        .order_by("created_at")
        .values_list("pk", flat=True)[: settings.WACHTLIJST_SCAN_LIMIT]
    )
    return sum(offer_for_entry(entry_id=pk, now=now) for pk in entry_ids)


@dataclass
class ScanResult:
    expired: int = 0
    sent: int = 0
    offered: int = 0


def process_offers(*, now: datetime | None = None) -> ScanResult:
    """The beat scan: expire, send the morning's offers, then sweep. Safe to run twice at once:
    every step is a conditional update or is guarded by a constraint."""
    now = now or timezone.now()
    result = ScanResult()
    result.expired = expire_offers(now=now)
    result.sent = send_due_offers(now=now)
    result.offered = sweep(now=now)
    return result


# --- Answering an offer --------------------------------------------------------------------------


def _busy_on_lock_timeout(func):
    """SQLite (`make run`): a write lock held past the busy timeout is a 409, never a 500."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            raise Busy from exc

    return wrapper


@_busy_on_lock_timeout
def accept_offer(*, offer_id) -> Appointment:
    """The parent takes the offered place. Exactly one of the families offered one place gets
    it; the others get OfferGone (recorded, so their page says so from then on)."""
    outcome = _accept(offer_id)
    if isinstance(outcome, WaitlistError):
        raise outcome
    return outcome


@transaction.atomic
def _accept(offer_id) -> Appointment | WaitlistError:
    """Returns the refusal rather than raising it, so its record (GONE, EXPIRED) commits."""
    now = timezone.now()
    first = Offer.objects.select_related("entry").filter(pk=offer_id).first()
    if first is None:
        return OfferNotOpen()
    entry = first.entry
    slot_ids = [first.slot_id]
    if entry.appointment_id:
        # The same order as reschedule_appointment: the appointment row, then the slots.
        current = (
            Appointment.objects.select_for_update(of=("self",))
            .filter(pk=entry.appointment_id)
            .first()
        )
        slot_ids.append(current.slot_id)
    slots = {
        s.pk: s for s in Slot.objects.select_for_update().filter(pk__in=slot_ids).order_by("pk")
    }
    offer = Offer.objects.select_for_update().get(pk=first.pk)
    if offer.status == Offer.Status.ACCEPTED:
        return offer.appointment  # a double click: already done
    if offer.status == Offer.Status.GONE:
        return OfferGone()
    if offer.status == Offer.Status.EXPIRED or (
        offer.status == Offer.Status.OPEN and offer.expires_at <= now
    ):
        _close(offer, Offer.Status.EXPIRED, now)
        return OfferExpired()
    if offer.status != Offer.Status.OPEN:
        return OfferNotOpen()
    slot = slots[offer.slot_id]
    if slot.booked_count >= slot.capacity or not slot.is_active:
        _close(offer, Offer.Status.GONE, now)
        return OfferGone()
    try:
        with transaction.atomic():
            if entry.appointment_id:
                appointment = booking.reschedule_appointment(
                    appointment_id=entry.appointment_id, new_slot_id=slot.pk, actor=entry.parent
                )
            else:
                appointment = booking.book_appointment(
                    slot_id=slot.pk,
                    appointment_type_id=entry.appointment_type_id,
                    parent=entry.parent,
                    child_id=entry.child_id,
                    moment_code=entry.moment_code,
                )
    except SlotUnavailable:
        _close(offer, Offer.Status.GONE, now)
        return OfferGone()
    except BookingError as exc:
        logger.info("Offer %s refused by the booking rules: %s", offer.pk, exc.code)
        _close(offer, Offer.Status.GONE, now)
        return OfferRefused()
    offer.status, offer.answered_at, offer.appointment = Offer.Status.ACCEPTED, now, appointment
    offer.save(update_fields=["status", "answered_at", "appointment"])
    _end(entry, Entry.Status.BOOKED)
    slot.refresh_from_db(fields=["booked_count"])
    if slot.booked_count >= slot.capacity:
        Offer.objects.filter(slot=slot, status__in=Offer.LIVE).update(
            status=Offer.Status.GONE, answered_at=now
        )
    return appointment


def _close(offer: Offer, status: str, now: datetime) -> None:
    offer.status, offer.answered_at = status, now
    offer.save(update_fields=["status", "answered_at"])


@transaction.atomic
def decline_offer(*, offer_id) -> Offer:
    """ "Nee, dank je": the family stays on the list; the place goes to the next one."""
    offer = Offer.objects.select_for_update().filter(pk=offer_id).first()
    if offer is None or offer.status not in Offer.LIVE:
        raise OfferNotOpen
    _close(offer, Offer.Status.DECLINED, timezone.now())
    places_freed(slot_ids=[offer.slot_id])
    return offer
