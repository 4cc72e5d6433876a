"""'Ik wil een tolk': a parent asks for an interpreter when booking or with the questions before
the appointment; the nurse sees it on the agenda card."""

import pytest
from django.urls import reverse

from afspraken import services
from afspraken.models import Appointment
from tests.afspraken.factories import make_slot, parent_with_child, slot_type

pytestmark = pytest.mark.django_db


def _confirm(client, slot, child, **extra):
    url = reverse("afspraken:confirm", args=[slot.pk])
    data = {"child": child.pk, "type": slot_type(slot).pk, **extra}
    return client.post(url + f"?child={child.pk}&type={slot_type(slot).pk}", data)


def test_parent_asks_for_an_interpreter_when_booking(client):
    parent, child = parent_with_child()
    client.force_login(parent)
    slot = make_slot()
    response = _confirm(client, slot, child, interpreter="on", interpreter_language="ti")
    assert response.status_code == 302, response.text[:300]
    assert Appointment.objects.get(parent=parent).interpreter_language == "ti"


def test_interpreter_without_a_language_keeps_the_form_with_a_dutch_message(client):
    parent, child = parent_with_child()
    client.force_login(parent)
    slot = make_slot()
    response = _confirm(client, slot, child, interpreter="on", note="Slaapt slecht")
    assert response.status_code == 400
    assert "Kies de taal voor de tolk." in response.text
    assert "Slaapt slecht" in response.text
    assert not Appointment.objects.filter(parent=parent).exists()


def test_parent_adds_an_interpreter_with_the_questions_before_the_appointment(client):
    parent, child = parent_with_child()
    slot = make_slot()
    appointment = services.book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )
    client.force_login(parent)
    url = reverse("afspraken:topics", args=[appointment.pk])
    response = client.post(url, {"interpreter": "on", "interpreter_language": "ar"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.interpreter_language == "ar"
    page = client.get(reverse("afspraken:detail", args=[appointment.pk]))
    assert "العربية (Arabic)" in page.text


def test_nurse_sees_the_interpreter_on_the_agenda_card(nurse_client):
    parent, child = parent_with_child()
    slot = make_slot()
    services.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=slot_type(slot).pk,
        parent=parent,
        child_id=child.pk,
        interpreter_language="pl",
    )
    day = slot.starts_at.date().isoformat()
    query = f"?week={day}&professional={slot.professional_id}"
    response = nurse_client.get(reverse("afspraken:agenda") + query)
    assert 'class="agenda-interpreter"' in response.text
    assert "Polski (Polish)" in response.text


def test_moving_the_appointment_keeps_the_interpreter():
    parent, child = parent_with_child()
    slot = make_slot()
    appointment = services.book_appointment(
        slot_id=slot.pk,
        appointment_type_id=slot_type(slot).pk,
        parent=parent,
        child_id=child.pk,
        interpreter_language="uk",
    )
    later = make_slot(schedule=slot.schedule, starts_at=slot.starts_at.replace(hour=19))
    moved = services.reschedule_appointment(
        appointment_id=appointment.pk, new_slot_id=later.pk, actor=parent
    )
    assert moved.interpreter_language == "uk"
