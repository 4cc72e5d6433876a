"""Admin validation, linked questions (vragen) and the rate limit on booking."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from afspraken import services
from afspraken.admin import ScheduleForm
from tests.afspraken.factories import make_location, make_schedule, make_slot, make_type, slot_type
from tests.factories import make_child, make_staff

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "professional": overrides.pop("professional").pk,
        "location": make_location().pk,
        "weekday": 1,
        "start_time": "17:30",
        "end_time": "20:30",
        "types": [t.pk for t in overrides.pop("types")],
        "valid_from": "2026-01-01",
        **overrides,
    }
    return ScheduleForm(data=data)


def test_schedule_form_refuses_group_type_mixed_with_consults():
    form = _form(professional=make_staff(), types=[make_type(), make_type(capacity=10)])
    assert not form.is_valid()
    assert "eigen rooster" in str(form.errors)


def test_schedule_form_refuses_overlapping_schedule_of_same_professional():
    nurse = make_staff()
    make_schedule(professional=nurse, weekday=1, start_time=time(18, 0), end_time=time(19, 0))
    form = _form(professional=nurse, types=[make_type()])
    assert not form.is_valid()
    assert "heeft al een rooster" in str(form.errors)
    assert _form(professional=make_staff(), types=[make_type()]).is_valid()


def _question(parent, appointment, text="Slaapt ze genoeg?"):
    from onderwerpen.models import Topic
    from vragen.models import Question

    topic, _ = Topic.objects.get_or_create(name="Slapen")
    return Question.objects.create(
        reference=f"V{Question.objects.count() + 1:05d}",
        family=parent.family,
        asked_by=parent,
        topic=topic,
        text=text,
        channel=Question.Channel.APPOINTMENT,
        appointment=appointment,
    )


def test_agenda_shows_linked_questions_and_reschedule_moves_them(nurse_client, parent):
    child = make_child(family=parent.family)
    slot = make_slot()
    appointment = services.book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )
    question = _question(parent, appointment)
    new_slot = make_slot(schedule=slot.schedule, starts_at=slot.starts_at + timedelta(days=1))
    new = services.reschedule_appointment(
        appointment_id=appointment.pk, new_slot_id=new_slot.pk, actor=parent
    )
    question.refresh_from_db()
    assert question.appointment_id == new.pk
    day = timezone.localtime(new.starts_at).date()
    # The agenda opens on the user's own schedule; this appointment is a colleague's.
    page = nurse_client.get(
        reverse("afspraken:agenda"),
        {"week": day.isoformat(), "professional": str(new.slot.professional_id)},
    )
    assert "Slaapt ze genoeg?" in page.content.decode()


def test_booking_is_rate_limited(parent_client, parent, settings):
    settings.PORTAL_RATE_LIMITS = {**settings.PORTAL_RATE_LIMITS, "booking": "2/3600"}
    child = make_child(family=parent.family)
    slot = make_slot()
    url = reverse("afspraken:confirm", args=[slot.pk])
    data = {"child": child.pk, "type": slot_type(slot).pk}
    statuses = [parent_client.post(url, data).status_code for _ in range(3)]
    assert statuses[-1] == 429
