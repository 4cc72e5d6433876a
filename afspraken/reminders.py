"""Appointment reminders: found by a periodic scan, each sent once.

- "discuss": AFSPRAKEN_REMINDER_DISCUSS_DAYS before, asks what the family wants to discuss,
  with a link to the topics form; not sent when they already said (recorded as skipped), nor
  once the day-before reminder is due.
- "day_before": AFSPRAKEN_REMINDER_DAY_BEFORE_DAYS before: date, time, place and the link to
  reschedule or cancel (or, after the cut-off, the phone number).

Lead times are calendar days in local time, so a reminder for 10:00 goes out at 10:00 also
across a DST change. A reminder that was already due when the appointment was booked is never
sent (a same-day booking just got its confirmation; "tomorrow" would be wrong). The words
"today"/"tomorrow" are computed from the real dates when the e-mail is written, and the change
link is left out once online changes are closed (the location's phone number instead).
Only booked appointments are reminded: a cancelled one gets nothing, a rescheduled one is a new
appointment (the old one is `moved`) with its own reminders.
No ETA tasks: a scan every few minutes, which also catches up after downtime.
"""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from afspraken import hooks, selectors
from afspraken.models import Appointment, Reminder
from afspraken.services import appointment_link, youth_recipient
from outbox.services import queue_email
from sms.selectors import Channels, get_channels
from sms.services import queue_templated

logger = logging.getLogger(__name__)


def lead_days(kind: str) -> int:
    if kind == Reminder.Kind.DISCUSS:
        return settings.AFSPRAKEN_REMINDER_DISCUSS_DAYS
    return settings.AFSPRAKEN_REMINDER_DAY_BEFORE_DAYS


def due_at(starts_at: datetime, kind: str) -> datetime:
    """The same wall-clock time `lead_days` calendar days earlier, in the portal's time zone."""
    local = timezone.localtime(starts_at)
    earlier = local.replace(tzinfo=None) - timedelta(days=lead_days(kind))
    # UTC: aware datetimes that share a tzinfo compare by wall clock, wrong in the DST hour.
    return timezone.make_aware(earlier, timezone.get_current_timezone()).astimezone(UTC)


def booked_in_time(starts_at: datetime, created_at: datetime, kind: str) -> bool:
    """Was the appointment booked before this reminder's lead time began?"""
    return created_at < due_at(starts_at, kind)


def is_due(appointment: Appointment, kind: str, now: datetime) -> bool:
    if appointment.status != Appointment.Status.BOOKED or appointment.starts_at <= now:
        return False
    if due_at(appointment.starts_at, kind) > now:
        return False
    if not booked_in_time(appointment.starts_at, appointment.created_at, kind):
        return False
    if kind == Reminder.Kind.DISCUSS:
        # Once the day-before reminder is due, asking about topics comes too late.
        return now < due_at(appointment.starts_at, Reminder.Kind.DAY_BEFORE)
    return True


def send_due_reminders(*, now: datetime | None = None) -> int:
    """The periodic scan. Returns the number of reminders sent (skips not counted)."""
    now = now or timezone.now()
    sent = 0
    for kind in Reminder.Kind.values:
        # Only appointments without this reminder for their current time (NOT EXISTS, from
        # the reminder's unique index): a region has ~12,000 booked appointments in the next
        # days, nearly all reminded already; only the rest are locked one by one.
        # One extra day covers the hour a DST change adds between wall-clock and absolute time.
        candidates = (
            selectors.list_booked_appointments_starting_between(
                start=now, end=now + timedelta(days=lead_days(kind) + 1)
            )
            .filter(
                ~Exists(
                    Reminder.objects.filter(
                        appointment=OuterRef("pk"), kind=kind, for_starts_at=OuterRef("starts_at")
                    )
                )
            )
            .values_list("pk", "starts_at", "created_at")
        )
        for appointment_id, starts_at, created_at in candidates:
            if due_at(starts_at, kind) > now or not booked_in_time(starts_at, created_at, kind):
                continue
            if kind == Reminder.Kind.DISCUSS and due_at(starts_at, Reminder.Kind.DAY_BEFORE) <= now:
                continue  # too late to ask about topics (is_due says the same under the lock)
            sent += send_reminder(appointment_id=appointment_id, kind=kind, now=now)
    return sent


def send_reminder(*, appointment_id, kind: str, now: datetime | None = None) -> bool:
    """Send one reminder if it is due and not yet sent for the appointment's current time.

    Locks the appointment row, then writes the Reminder row and the outbox e-mail in the same
    transaction: a concurrent run waits for the lock and then finds the row (the unique
    constraint is the last guard). Returns True when an e-mail was queued now.
    """
    now = now or timezone.now()
    try:
        with transaction.atomic():
            appointment = (
                Appointment.objects.select_for_update(of=("self",))
                .select_related("slot__location", "parent", "family")
                .filter(pk=appointment_id)
                .first()
            )
            if appointment is None or not is_due(appointment, kind, now):
                return False
            existing = Reminder.objects.filter(appointment=appointment, kind=kind).first()
            if existing and existing.for_starts_at == appointment.starts_at:
                return False
            skip = kind == Reminder.Kind.DISCUSS and appointment.has_topics
            reminder = existing or Reminder(appointment=appointment, kind=kind)
            reminder.for_starts_at = appointment.starts_at
            reminder.status = Reminder.Status.SKIPPED if skip else Reminder.Status.SENT
            reminder.created_at = now
            reminder.email = None if skip else _queue(appointment, kind, now)
            reminder.save()
            return not skip
    except IntegrityError:
        return False  # another run inserted it between our check and insert


def day_word(starts_at: datetime, now: datetime) -> str:
    """ "today", "tomorrow" or "" (then the e-mail names the date), on the local calendar."""
    days = (timezone.localtime(starts_at).date() - timezone.localtime(now).date()).days
    return {0: "today", 1: "tomorrow"}.get(days, "")


def _queue(appointment: Appointment, kind: str, now: datetime):
    """The reminder by e-mail and/or SMS, as the family chose (SMS without an e-mail address).
    Only the day-before reminder goes by SMS: the topics question needs the web form.
    Returns the e-mail row (None when it went by SMS only)."""
    location = appointment.slot.location
    link = hooks.moment_link()
    to = appointment.parent.email
    channels = get_channels(family=appointment.family, has_email=bool(to))
    youth = youth_recipient(appointment)
    if youth is not None:
        # From 16 the youth's moment: only to the youth's own address and number, if noted.
        to = youth.email
        channels = Channels(email=bool(to), sms_to=youth.phone)
    if channels.sms_to and kind == Reminder.Kind.DAY_BEFORE:
        queue_templated(
            to=channels.sms_to,
            template="afspraken_reminder_day_before",
            context={
                "starts_at": timezone.localtime(appointment.starts_at),
                "day_word": day_word(appointment.starts_at, now),
                "can_change": appointment.can_change_online(now),
                "location": location,
                "link": appointment_link(appointment),
            },
            kind="afspraken-reminder-day-before",
            family=appointment.family,
        )
    if not channels.email:
        return None
    return queue_email(
        to=to,
        template=f"afspraken/reminder_{kind}",
        context={
            "appointment": appointment,
            "starts_at": timezone.localtime(appointment.starts_at),
            "day_word": day_word(appointment.starts_at, now),
            "can_change": appointment.can_change_online(now),
            "location": location,
            "link": appointment_link(appointment),
            "topics_link": selectors.appointment_topics_link(appointment),
            "questions_link": link.questions_url(appointment=appointment) if link else "",
        },
        kind=f"afspraken_reminder_{kind}",
        secret=True,  # the appointment link can cancel
    )
