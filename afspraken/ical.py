"""The .ics files: TZID Europe/Amsterdam and a UID that stays the same across reschedules.

Three iTIP methods (RFC 5546), each with the properties it requires:

- REQUEST, in the confirmation and reschedule e-mails: ORGANIZER (the location, from our
  sending address) and the parent as ATTENDEE. Calendars match entries by UID and take the
  highest SEQUENCE, so a reschedule (same UID, sequence + 1) moves the existing entry.
- CANCEL, in the cancellation e-mails: the same ORGANIZER and ATTENDEE, a higher SEQUENCE.
- PUBLISH, for the download button: ORGANIZER, no ATTENDEE (a plain calendar entry).

The URL is the logged-in appointment page, never the token link: calendars are often shared.
"""

from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from afspraken.models import Appointment

REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"


def _organizer(location_name: str) -> vCalAddress:
    organizer = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organizer.params["cn"] = vText(location_name)
    return organizer


def _attendee(appointment: Appointment) -> vCalAddress:
    parent = appointment.parent
    attendee = vCalAddress(f"mailto:{parent.email}")
    attendee.params["cn"] = vText(parent.display_name or parent.email)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED")  # the parent booked it themselves
    attendee.params["rsvp"] = vText("FALSE")  # nobody reads replies to the sending address
    return attendee


def build_ics(*, appointment: Appointment, method: str) -> bytes:
    if method not in (REQUEST, CANCEL, PUBLISH):
        raise ValueError(method)
    tz = ZoneInfo(settings.TIME_ZONE)
    location = appointment.slot.location
    cancelled = method == CANCEL or appointment.is_cancelled
    cal = Calendar()
    cal.add("prodid", "-//Ouderportaal//afspraken//NL")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", appointment.ical_uid)
    event.add("sequence", appointment.ical_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at.astimezone(tz))
    event.add("dtend", appointment.ends_at.astimezone(tz))
    event.add("summary", str(appointment.appointment_type.name))
    event.add("location", f"{location.name}, {location.address}")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", _organizer(location.name))
    if method != PUBLISH:
        event.add("attendee", _attendee(appointment))
    event.add("url", settings.SITE_URL + reverse("afspraken:detail", args=[appointment.pk]))
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
