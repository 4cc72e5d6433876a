"""The .ics attachment: TZID Europe/Amsterdam and a UID that stays the same across reschedules."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from afspraken.models import Appointment


def build_ics(*, appointment: Appointment, cancel: bool = False) -> bytes:
    """REQUEST for a (new or moved) appointment, CANCEL to remove it from the calendar.

    Calendars match entries by UID and take the highest SEQUENCE, so a reschedule (same UID,
    sequence + 1) moves the existing entry instead of adding a second one.
    """
    tz = ZoneInfo(settings.TIME_ZONE)
    slot = appointment.slot
    location = slot.location
    cal = Calendar()
    cal.add("prodid", "-//Ouderportaal//afspraken//NL")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", appointment.ical_uid)
    event.add("sequence", appointment.ical_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at.astimezone(tz))
    event.add("dtend", appointment.ends_at.astimezone(tz))
    event.add("summary", str(appointment.appointment_type.name))
    event.add("location", f"{location.name}, {location.address}")
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    event.add("url", f"{settings.SITE_URL}/afspraken/link/{appointment.token}/")
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
