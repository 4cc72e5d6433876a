"""The .ics files, read back with a second, independent parser (vobject), checked against the
properties RFC 5546 (iTIP) requires for each method."""

import base64
from datetime import timedelta

import pytest
import vobject
from django.urls import reverse

from afspraken import services
from outbox.models import OutgoingEmail
from tests.afspraken.factories import make_schedule, make_slot, parent_with_child, slot_type

pytestmark = pytest.mark.django_db

# RFC 5546 section 3.2: properties a VEVENT must carry (1 or 1+) or must not carry (0).
REQUIRED = {
    "REQUEST": {"attendee", "dtstamp", "dtstart", "organizer", "summary", "uid"},
    "CANCEL": {"attendee", "dtstamp", "organizer", "sequence", "uid"},
    "PUBLISH": {"dtstamp", "dtstart", "organizer", "summary", "uid"},
}
FORBIDDEN = {"PUBLISH": {"attendee"}}


def _parse(data: bytes | str):
    text = data.decode() if isinstance(data, bytes) else data
    calendar = vobject.readOne(text)
    method = calendar.method.value
    event = calendar.vevent
    present = {key.lower() for key in event.contents}
    missing = REQUIRED[method] - present
    assert not missing, f"{method} without {missing}"
    assert not (FORBIDDEN.get(method, set()) & present), f"{method} must not have {present}"
    return calendar, event


def _mail_ics(kind: str):
    email = OutgoingEmail.objects.filter(kind=kind).latest("pk")
    (attachment,) = email.attachments
    return attachment, _parse(base64.b64decode(attachment["content"]))


def _book():
    slot = make_slot(schedule=make_schedule())
    parent, child = parent_with_child()
    appointment = services.book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )
    return appointment


def test_confirmation_is_a_request_from_the_location_to_the_parent():
    appointment = _book()
    attachment, (calendar, event) = _mail_ics("afspraken_confirmation")
    assert attachment["mimetype"] == "text/calendar; method=REQUEST"
    assert calendar.method.value == "REQUEST"
    location = appointment.slot.location
    assert event.organizer.value == "mailto:noreply@ouderportaal.example"
    assert event.organizer.params["CN"] == [location.name]
    assert event.attendee.value == f"mailto:{appointment.parent.email}"
    assert event.attendee.params["RSVP"] == ["FALSE"]
    assert event.uid.value == appointment.ical_uid and int(event.sequence.value) == 0
    assert event.dtstart.value == appointment.starts_at
    assert event.status.value == "CONFIRMED"


def test_calendar_link_is_the_logged_in_page_not_the_token():
    appointment = _book()
    _attachment, (_calendar, event) = _mail_ics("afspraken_confirmation")
    assert event.url.value.endswith(reverse("afspraken:detail", args=[appointment.pk]))
    email = OutgoingEmail.objects.get(kind="afspraken_confirmation")
    assert appointment.token not in base64.b64decode(email.attachments[0]["content"]).decode()


def test_reschedule_then_cancel_update_the_same_calendar_entry():
    appointment = _book()
    new_slot = make_slot(
        schedule=appointment.slot.schedule, starts_at=appointment.starts_at + timedelta(days=2)
    )
    moved = services.reschedule_appointment(
        appointment_id=appointment.pk, new_slot_id=new_slot.pk, actor=appointment.parent
    )
    _attachment, (calendar, event) = _mail_ics("afspraken_rescheduled")
    assert calendar.method.value == "REQUEST"
    assert event.uid.value == appointment.ical_uid and int(event.sequence.value) == 1
    assert event.dtstart.value == new_slot.starts_at
    assert event.attendee.value == f"mailto:{appointment.parent.email}"

    services.cancel_appointment(appointment_id=moved.pk, actor=moved.parent)
    attachment, (calendar, event) = _mail_ics("afspraken_cancelled")
    assert attachment["mimetype"] == "text/calendar; method=CANCEL"
    assert calendar.method.value == "CANCEL"
    assert event.uid.value == appointment.ical_uid and int(event.sequence.value) == 2
    assert event.status.value == "CANCELLED"


def test_cancelled_by_jgz_mail_cancels_the_entry():
    from tests.factories import make_staff

    appointment = _book()
    services.set_outcome(
        appointment_id=appointment.pk, actor=make_staff(), status="cancelled_jgz", reason="Ziek"
    )
    _attachment, (calendar, event) = _mail_ics("afspraken_cancelled_by_jgz")
    assert calendar.method.value == "CANCEL" and event.status.value == "CANCELLED"


def test_download_button_publishes_without_attendee(client):
    appointment = _book()
    client.force_login(appointment.parent)
    response = client.get(reverse("afspraken:ics", args=[appointment.pk]))
    assert response.status_code == 200
    calendar, event = _parse(response.content)
    assert calendar.method.value == "PUBLISH"
    assert "attendee" not in {key.lower() for key in event.contents}
    assert event.uid.value == appointment.ical_uid
    assert appointment.token not in response.content.decode()
