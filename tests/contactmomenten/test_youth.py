"""From 16 a contact moment belongs to the youth: the professional arranges it by phone and
the parent gets no questions, no answers and no "what we agreed"."""

from datetime import time, timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from afspraken import services as booking
from afspraken.hooks import YouthContact
from afspraken.reminders import send_reminder
from contactmomenten import services
from contactmomenten.exceptions import MomentError
from contactmomenten.models import ContactMoment, PreConsultQuestion
from families.ages import add_months
from outbox.models import OutgoingEmail
from tests.afspraken.factories import local_dt, make_schedule, make_slot, make_type
from tests.factories import make_child, make_parent, make_staff

pytestmark = pytest.mark.django_db


def _youth_visit_booked_by_nurse(days_ahead=4, youth_contact=None):
    """A 16-year moment (window opens well before 16) booked by a nurse for Lotte."""
    atype = make_type(name="Gesprek jongere", min_age_months=0, max_age_months=216)
    schedule = make_schedule(types=[atype])
    moment = ContactMoment.objects.create(
        code="test-16j",
        name="Gesprek 16 jaar",
        target_value=16,
        target_unit="years",
        window_before_days=60,
        window_after_days=60,
    )
    moment.appointment_types.set([atype])
    PreConsultQuestion.objects.create(moment=moment, text="Hoe gaat het op school?")
    parent = make_parent()
    born = add_months(timezone.localdate(), -192) - timedelta(days=20)
    teen = make_child(family=parent.family, first_name="Lotte", date_of_birth=born)
    slot = make_slot(
        schedule=schedule,
        starts_at=local_dt(timezone.localdate() + timedelta(days=days_ahead), time(15, 0)),
    )
    nurse = make_staff()
    appointment = booking.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=atype.pk,
        parent=parent,
        child_id=teen.pk,
        booked_by=nurse,
        online=False,
        moment_code="test-16j",
        youth_contact=youth_contact,
    )
    return parent, teen, nurse, appointment


def test_parent_sees_no_questions_for_a_moment_that_belongs_to_the_youth(client):
    parent, teen, nurse, appointment = _youth_visit_booked_by_nurse()
    client.force_login(parent)
    page = client.get(
        reverse("contactmomenten:moment", kwargs={"child_id": teen.pk, "code": "test-16j"})
    )
    html = page.content.decode()
    assert "Hoe gaat het op school?" not in html
    assert not page.context["can_answer"]
    with pytest.raises(MomentError):
        services.save_answers(
            parent=parent,
            child_moment_id=appointment.contact_moment_id,
            answers={PreConsultQuestion.objects.get(moment__code="test-16j").pk: "Goed"},
        )


LOTTE = YouthContact(email="lotte@example.org", phone="+31612345678")


def test_three_day_reminder_goes_to_the_youth_without_the_questions():
    parent, teen, nurse, appointment = _youth_visit_booked_by_nurse(youth_contact=LOTTE)
    now = appointment.starts_at - timedelta(days=3) + timedelta(minutes=1)
    assert send_reminder(appointment_id=appointment.pk, kind="discuss", now=now)
    mail = OutgoingEmail.objects.get(kind="afspraken_reminder_discuss")
    assert mail.to == "lotte@example.org"
    assert "/contactmomenten/kind/" not in mail.body_text
    assert "/contactmomenten/kind/" not in mail.body_html


def test_confirmation_and_reminders_of_the_youths_moment_never_go_to_the_parent():
    from sms.models import OutgoingSms

    parent, teen, nurse, appointment = _youth_visit_booked_by_nurse(youth_contact=LOTTE)
    day_before = appointment.starts_at - timedelta(days=1) + timedelta(minutes=1)
    assert send_reminder(appointment_id=appointment.pk, kind="day_before", now=day_before)
    assert set(OutgoingEmail.objects.values_list("to", flat=True)) == {"lotte@example.org"}
    assert OutgoingEmail.objects.filter(kind="afspraken_confirmation").exists()
    assert OutgoingSms.objects.get(kind="afspraken-reminder-day-before").to == "+31612345678"
    # The family's own channel choice does not send the youth's reminder to the parent's phone.
    assert not OutgoingEmail.objects.filter(to=parent.email).exists()


def test_without_the_youths_address_nobody_is_mailed():
    parent, teen, nurse, appointment = _youth_visit_booked_by_nurse()
    day_before = appointment.starts_at - timedelta(days=1) + timedelta(minutes=1)
    send_reminder(appointment_id=appointment.pk, kind="day_before", now=day_before)
    assert not OutgoingEmail.objects.exists()


def test_nurse_notes_the_youths_contact_when_booking_on_their_behalf(client):
    from contactmomenten.models import ChildMoment

    parent, teen, nurse, appointment = _youth_visit_booked_by_nurse()
    booking.cancel_appointment(appointment_id=appointment.pk, actor=nurse)
    OutgoingEmail.objects.all().delete()
    slot = appointment.slot
    query = {
        "email": parent.email,
        "child": teen.pk,
        "appointment_type": appointment.appointment_type_id,
        "location": slot.location_id,
        "day": timezone.localtime(slot.starts_at).date().isoformat(),
        "moment": "test-16j",
        "youth_email": "lotte@example.org",
        "youth_phone": "06 1234 5678",
    }
    client.force_login(nurse)
    bad = client.get(reverse("afspraken:staff_book"), {**query, "youth_phone": "12"})
    assert bad.status_code == 400 and "06 12345678" in bad.content.decode()
    url = reverse("afspraken:staff_book") + "?" + urlencode(query)
    response = client.post(url, {"slot": slot.pk})
    assert response.status_code == 302
    row = ChildMoment.objects.get(child=teen)
    assert (row.youth_email, row.youth_phone) == ("lotte@example.org", "+31612345678")
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["lotte@example.org"]


def test_what_was_agreed_with_the_youth_is_not_mailed_or_shown_to_the_parent(client):
    from afspraken.models import Appointment

    parent, teen, nurse, appointment = _youth_visit_booked_by_nurse()
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now()
    )
    booking.set_outcome(appointment_id=appointment.pk, actor=nurse, status="attended")
    services.write_note(actor=nurse, appointment_id=appointment.pk, text="Afspraak: sporten")
    assert not OutgoingEmail.objects.filter(kind="contactmomenten_note").exists()
    client.force_login(parent)
    page = client.get(
        reverse("contactmomenten:moment", kwargs={"child_id": teen.pk, "code": "test-16j"})
    )
    assert "sporten" not in page.content.decode()
