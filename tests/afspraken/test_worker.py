"""Appointment tasks and e-mails through a real Celery worker, Redis and an SMTP sink."""

from datetime import time

import pytest

from afspraken import services
from afspraken.models import Slot
from tests.afspraken.factories import make_schedule, make_slot, parent_with_child, slot_type
from tests.conftest_worker import run_in_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_generate_slots_task_runs_in_the_worker(celery_worker):
    from afspraken.tasks import generate_slots_task

    schedule = make_schedule(weekday=5, start_time=time(9, 0), end_time=time(10, 0))
    first = run_in_worker(generate_slots_task)
    count = Slot.objects.filter(schedule=schedule).count()
    assert count >= 3 * 7 and first["created"] == count
    # Idempotent (acks_late may run it twice): the next runs, reported done, add nothing.
    assert run_in_worker(generate_slots_task)["created"] == 0
    assert run_in_worker(generate_slots_task)["created"] == 0
    assert Slot.objects.filter(schedule=schedule).count() == count


def test_confirmation_mail_with_ics_goes_out_through_the_worker(celery_worker, smtp_sink):
    slot = make_slot()
    parent, child = parent_with_child()
    services.book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )
    (message,) = smtp_sink.wait_for(1)
    assert message["To"] == parent.email
    assert message["Subject"] == "Je afspraak staat"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert "18:30" in parts["text/plain"].get_payload(decode=True).decode()
    ics = parts["text/calendar"].get_payload(decode=True).decode()
    assert "DTSTART;TZID=Europe/Amsterdam:" in ics and "T183000" in ics
