"""The agenda card's status control: an explicit choice, and cancelling by the JGZ only after
a confirm step with a reason (the family is mailed)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from afspraken import services
from afspraken.models import Appointment
from outbox.models import OutgoingEmail
from tests.afspraken.factories import make_slot, parent_with_child, slot_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked():
    slot = make_slot()
    parent, child = parent_with_child(first_name="Noor")
    return services.book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )


def _status_url(appointment):
    return reverse("afspraken:set_status", args=[appointment.pk])


def _jgz_mails():
    return OutgoingEmail.objects.filter(kind="afspraken_cancelled_by_jgz").count()


def test_agenda_status_control_has_no_choice_made(nurse_client, booked):
    day = timezone.localtime(booked.starts_at).date()
    # The agenda opens on the user's own schedule; this appointment may be a colleague's.
    page = nurse_client.get(
        reverse("afspraken:agenda"),
        {"week": day.isoformat(), "professional": str(booked.slot.professional_id)},
    )
    select = re.search(
        rf'<select[^>]*id="st-{booked.pk}"[^>]*>(.*?)</select>', page.content.decode(), re.S
    )
    assert select, "status control missing"
    options = re.findall(r"<option[^>]*>", select.group(1))
    assert options[0] == '<option value="" selected>'
    assert all("selected" not in option for option in options[1:])


def test_saving_without_a_choice_changes_nothing(nurse_client, booked):
    response = nurse_client.post(_status_url(booked), {"status": ""}, follow=True)
    assert "Kies een status." in response.content.decode()
    booked.refresh_from_db()
    assert booked.is_booked and _jgz_mails() == 0


def test_cancel_by_jgz_first_asks_to_confirm_with_a_reason(nurse_client, booked):
    response = nurse_client.post(_status_url(booked), {"status": "cancelled_jgz"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Weet je het zeker? Het gezin krijgt een e-mail" in page
    assert "Noor" in page and 'name="reason"' in page
    assert "Ja, zeg de afspraak af" in page
    booked.refresh_from_db()
    assert booked.is_booked and _jgz_mails() == 0


def test_confirm_without_a_reason_is_refused(nurse_client, booked):
    response = nurse_client.post(
        _status_url(booked), {"status": "cancelled_jgz", "confirmed": "1", "reason": "  "}
    )
    assert response.status_code == 400
    assert "Geef een reden waarom de afspraak niet doorgaat." in response.content.decode()
    booked.refresh_from_db()
    assert booked.is_booked and _jgz_mails() == 0


def test_confirmed_cancel_frees_the_place_and_mails_the_family(nurse_client, booked):
    response = nurse_client.post(
        _status_url(booked),
        {"status": "cancelled_jgz", "confirmed": "1", "reason": "Verpleegkundige ziek"},
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.CANCELLED_BY_JGZ
    assert booked.cancel_reason == "Verpleegkundige ziek"
    assert _jgz_mails() == 1
    booked.slot.refresh_from_db()
    assert booked.slot.booked_count == 0


def test_attended_needs_no_confirm_step(nurse_client, booked):
    Appointment.objects.filter(pk=booked.pk).update(
        starts_at=timezone.now() - timedelta(minutes=30),
        ends_at=timezone.now() - timedelta(minutes=10),
    )
    response = nurse_client.post(_status_url(booked), {"status": "attended"})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == Appointment.Status.ATTENDED
