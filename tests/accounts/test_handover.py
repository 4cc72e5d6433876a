"""A professional who is ill or leaves: a manager hands over their open questions, call backs
and agenda to a colleague in one action; it is logged and families see the new name."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.exceptions import HandoverRefused
from accounts.services import hand_over_work
from afspraken.models import Slot
from afspraken.services import book_appointment
from privacy.fields import contains_id
from privacy.models import AccessLog
from tests.afspraken.factories import make_schedule, make_slot, slot_type
from tests.factories import make_child, make_parent, make_staff
from tests.vragen.factories import make_question
from vragen import services as vragen_services
from vragen.models import Event, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def ill():
    return make_staff(email="ziek@example.org", first_name="Marieke", last_name="Visser")


@pytest.fixture
def colleague():
    return make_staff(email="collega@example.org", first_name="Anouk", last_name="Bos")


@pytest.fixture
def family():
    parent = make_parent()
    child = make_child(family=parent.family, age_months=3, first_name="Noor")
    return parent, child


def _book(parent, child, slot):
    return book_appointment(
        slot_id=slot.pk, appointment_type_id=slot_type(slot).pk, parent=parent, child_id=child.pk
    )


def _work(ill, family):
    parent, child = family
    open_question = make_question(parent=parent, child=child)
    vragen_services.assign_question(actor=ill, question_id=open_question.pk, assignee=ill)
    call_back = make_question(parent=parent, text="Bel me terug over de fles.")
    vragen_services.plan_call_back(
        actor=ill,
        question_id=call_back.pk,
        on=timezone.localdate() + timedelta(days=1),
        part_of_day="morning",
        phone="0612345678",
        message="We bellen je morgen.",
    )
    closed = make_question(parent=parent, text="Oude vraag.")
    vragen_services.assign_question(actor=ill, question_id=closed.pk, assignee=ill)
    vragen_services.close_question(actor=ill, question_id=closed.pk, reason="answered")
    schedule = make_schedule(professional=ill)
    booked = make_slot(schedule=schedule)
    appointment = _book(parent, child, booked)
    free = make_slot(schedule=schedule, starts_at=booked.ends_at + timedelta(hours=1))
    return open_question, call_back, closed, appointment, free


def test_handover_moves_open_questions_call_backs_and_future_agenda(
    manager, ill, colleague, family
):
    open_question, call_back, closed, appointment, free = _work(ill, family)
    result = hand_over_work(actor=manager, from_user=ill, to_user=colleague)
    assert (result.questions, result.call_backs) == (2, 1)
    assert (result.slots, result.appointments, result.conflicts) == (2, 1, [])
    assert set(Question.objects.filter(assignee=colleague)) == {open_question, call_back}
    assert Question.objects.get(pk=closed.pk).assignee == ill  # history stays
    assert Slot.objects.get(pk=free.pk).professional == colleague
    assert Slot.objects.get(pk=appointment.slot_id).professional == colleague
    # Logged: a timeline line per question, an access-log row per moved appointment.
    assert Event.objects.filter(
        question=open_question, kind=Event.Kind.ASSIGNEE, to_value="Anouk Bos", actor=manager
    ).exists()
    assert AccessLog.objects.filter(
        contains_id("record_ids", appointment.pk), actor=manager, action=AccessLog.Action.CHANGE
    ).exists()


def test_families_see_the_new_name(manager, ill, colleague, family):
    parent, _child = family
    open_question, _call_back, _closed, appointment, _free = _work(ill, family)
    hand_over_work(actor=manager, from_user=ill, to_user=colleague)
    client = Client()
    client.force_login(parent)
    detail = client.get(reverse("afspraken:detail", args=[appointment.pk])).content.decode()
    assert "Anouk" in detail and "Marieke" not in detail
    thread = client.get(reverse("vragen:detail", args=[open_question.pk])).content.decode()
    assert "Anouk van het JGZ-team behandelt je vraag." in thread


def test_a_slot_the_colleague_already_has_stays_and_is_reported(manager, ill, colleague, family):
    _open, _call_back, _closed, appointment, _free = _work(ill, family)
    own = make_slot(schedule=make_schedule(professional=colleague), starts_at=appointment.starts_at)
    result = hand_over_work(actor=manager, from_user=ill, to_user=colleague)
    assert [slot.pk for slot in result.conflicts] == [appointment.slot_id]
    assert Slot.objects.get(pk=appointment.slot_id).professional == ill
    assert Slot.objects.get(pk=own.pk).professional == colleague


def test_only_a_manager_hands_over_and_only_to_an_active_professional(ill, colleague, manager):
    with pytest.raises(HandoverRefused):
        hand_over_work(actor=colleague, from_user=ill, to_user=colleague)
    with pytest.raises(HandoverRefused):
        hand_over_work(actor=manager, from_user=ill, to_user=ill)
    with pytest.raises(HandoverRefused):
        hand_over_work(actor=manager, from_user=ill, to_user=make_parent())


def test_manager_hands_over_in_the_admin_in_one_action(manager, ill, colleague, family):
    _work(ill, family)
    client = Client()
    client.force_login(manager)
    url = reverse("admin:accounts_user_changelist")
    form = client.post(url, {"action": "hand_over_work", "_selected_action": [ill.pk]})
    assert form.status_code == 200
    assert "Anouk Bos" in form.content.decode()
    done = client.post(
        url,
        {
            "action": "hand_over_work",
            "_selected_action": [ill.pk],
            "apply": "1",
            "colleague": colleague.pk,
        },
        follow=True,
    )
    messages = [str(m) for m in done.context["messages"]]
    assert any("Overgedragen aan Anouk Bos" in m for m in messages), messages
    assert Question.objects.filter(assignee=colleague).count() == 2
    entry = LogEntry.objects.get(object_id=str(ill.pk))
    assert "Overgedragen aan Anouk Bos" in entry.get_change_message()
